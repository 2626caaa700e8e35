package debugger_test

import (
	"fmt"
	"log"

	"github.com/sonde-dev/sonde/debugger"
)

// Stop a running program at a function, read its first argument, change a
// global variable, and let it go with its code restored.
func ExampleAttach() {
	pid := 12345 // a running process sonde may trace
	p, err := debugger.Attach(pid)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Detach() // restores every patched byte
	fn, err := p.Symbol("target")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.SetBreakpoint(fn); err != nil {
		log.Fatal(err)
	}
	ev, err := p.Continue()
	if err != nil || ev.Kind != debugger.BreakpointHit {
		log.Fatal(ev, err)
	}
	a, _ := p.FuncArg(ev.Tid, 0)
	fmt.Println("target called with", a)
	if addr, err := p.Symbol("counter"); err == nil {
		p.WriteMemory(addr, []byte{1, 0, 0, 0})
	}
}
