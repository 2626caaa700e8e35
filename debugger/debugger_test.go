package debugger_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/debugger"
	"github.com/sonde-dev/sonde/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// target starts the dbgtarget fixture for arch and waits for its "ready".
func target(t *testing.T, a testutil.Arch, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	return startFixture(t, a, "dbgtarget", args...)
}

// startFixture starts a C fixture that says "ready" once it is set up, and
// returns it with its stdin and stdout; it is killed when the test ends.
func startFixture(t *testing.T, a testutil.Arch, name string, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader) {
	t.Helper()
	testutil.RequirePtrace(t)
	cmd := exec.Command(testutil.BuildFixtures(t).C(t, a, name), args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	out := bufio.NewReader(outPipe)
	if l, _ := out.ReadString('\n'); l != "ready\n" {
		t.Fatalf("%s said %q", name, l)
	}
	return cmd, in, out
}

// continueTo continues until a breakpoint is hit, failing on anything else.
// A Continue that waits 20 s kills the program, so the test fails instead
// of hanging.
func continueTo(t *testing.T, p *debugger.Process) *debugger.Event {
	t.Helper()
	watchdog := time.AfterFunc(20*time.Second, func() { syscall.Kill(p.Pid, syscall.SIGKILL) })
	ev, err := p.Continue()
	watchdog.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != debugger.BreakpointHit {
		t.Fatalf("event %+v, want a breakpoint hit", ev)
	}
	return ev
}

// Stop at a function by symbol, read its arguments, change a global,
// single-step across a syscall instruction, detach with the code restored,
// and see the program print the changed value.
func TestBreakpointArgsMemoryStep(t *testing.T) {
	for _, a := range []testutil.Arch{testutil.X86_64, testutil.I386} {
		t.Run(string(a), func(t *testing.T) {
			cmd, in, out := target(t, a)
			pid := cmd.Process.Pid
			p, err := debugger.Attach(pid)
			if err != nil {
				t.Fatal(err)
			}
			fn, err := p.Symbol("target")
			if err != nil {
				t.Fatal(err)
			}
			orig := make([]byte, 16)
			if _, err := p.ReadMemory(fn, orig); err != nil {
				t.Fatal(err)
			}
			if _, err := p.SetBreakpoint(fn); err != nil {
				t.Fatal(err)
			}
			sc, err := p.Symbol("do_getpid")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.SetBreakpoint(sc); err != nil {
				t.Fatal(err)
			}
			io.WriteString(in, "go\n")
			ev := continueTo(t, p)
			if ev.Breakpoint.Addr != fn {
				t.Fatalf("hit %#x, want target at %#x", ev.Breakpoint.Addr, fn)
			}
			for i, want := range []uint64{7, 8} {
				if v, err := p.FuncArg(ev.Tid, i); err != nil || v != want {
					t.Errorf("argument %d = %d (%v), want %d", i, v, err, want)
				}
			}
			counter, err := p.Symbol("counter")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.WriteMemory(counter, []byte{0xd2, 0x04, 0, 0}); err != nil { // 1234
				t.Fatal(err)
			}
			// The syscall instruction: step until the PC has passed it, and
			// the return register holds the pid.
			ev = continueTo(t, p)
			if ev.Breakpoint.Addr != sc {
				t.Fatalf("hit %#x, want do_getpid at %#x", ev.Breakpoint.Addr, sc)
			}
			retReg := map[testutil.Arch]string{testutil.X86_64: "rax", testutil.I386: "eax"}[a]
			crossed := false
			for i := 0; i < 30 && !crossed; i++ {
				r, err := p.GetRegs(ev.Tid)
				if err != nil {
					t.Fatal(err)
				}
				var insn [2]byte
				p.ReadMemory(r.PC(), insn[:])
				isSyscall := insn == [2]byte{0x0f, 0x05} || insn == [2]byte{0xcd, 0x80}
				if err := p.Step(ev.Tid); err != nil {
					t.Fatal(err)
				}
				if isSyscall {
					r2, _ := p.GetRegs(ev.Tid)
					if v, _ := r2.Get(retReg); v != uint64(pid) {
						t.Errorf("after the syscall instruction %s = %d, want the pid %d", retReg, v, pid)
					}
					if r2.PC() != r.PC()+2 {
						t.Errorf("PC %#x after stepping the syscall at %#x", r2.PC(), r.PC())
					}
					crossed = true
				}
			}
			if !crossed {
				t.Fatal("no syscall instruction within 30 steps of do_getpid")
			}
			if err := p.Detach(); err != nil {
				t.Fatal(err)
			}
			// The code is back, as /proc/PID/mem shows it.
			mem, err := os.Open("/proc/" + strconv.Itoa(pid) + "/mem")
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, 16)
			mem.ReadAt(got, int64(fn))
			mem.Close()
			if string(got) != string(orig) {
				t.Errorf("code at target after detach % x, want % x", got, orig)
			}
			if tp := status(pid, "TracerPid"); tp != "0" {
				t.Errorf("TracerPid %s after detach", tp)
			}
			io.WriteString(in, "bye\n")
			l, _ := out.ReadString('\n')
			if l != "counter=1234 r=1249 pid_ok=1\n" {
				t.Errorf("program printed %q", l)
			}
		})
	}
}

// A breakpoint in a multi-threaded program is hit by each thread.
func TestBreakpointEveryThread(t *testing.T) {
	cmd, in, out := target(t, testutil.X86_64, "threads")
	p, err := debugger.Attach(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := p.Symbol("target")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetBreakpoint(fn); err != nil {
		t.Fatal(err)
	}
	io.WriteString(in, "go\n")
	seen := map[int]uint64{}
	deadline := time.Now().Add(10 * time.Second)
	for len(seen) < 4 && time.Now().Before(deadline) {
		ev := continueTo(t, p)
		arg, _ := p.FuncArg(ev.Tid, 0)
		seen[ev.Tid] = arg
	}
	if len(seen) != 4 {
		t.Fatalf("breakpoint hit by %d threads: %v", len(seen), seen)
	}
	args := map[uint64]bool{}
	for tid, a := range seen {
		if tid == cmd.Process.Pid {
			t.Errorf("the main thread hit the breakpoint")
		}
		args[a] = true
	}
	if len(args) != 4 {
		t.Errorf("arguments %v, want 1..4 once each", seen)
	}
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
	if l, _ := out.ReadString('\n'); l != "threads done\n" {
		t.Errorf("program printed %q", l)
	}
	io.WriteString(in, "bye\n")
}

// A signal is reported, and suppressed when asked.
func TestSignalInterception(t *testing.T) {
	cmd, in, _ := target(t, testutil.X86_64)
	p, err := debugger.Attach(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(os.Interrupt) // would kill it
	ev, err := p.Continue()
	if err != nil || ev.Kind != debugger.Signal || ev.Sig.String() != "interrupt" {
		t.Fatalf("event %+v %v, want SIGINT", ev, err)
	}
	p.SuppressSignal(ev.Tid)
	if err := p.Detach(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if st := status(cmd.Process.Pid, "State"); !strings.HasPrefix(st, "S") {
		t.Errorf("after a suppressed SIGINT the program is %q, want sleeping", st)
	}
	io.WriteString(in, "x\n")
}

func status(pid int, field string) string {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == field {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// A thread stopped outside any syscall is still known by its mode: an i386
// program spinning in user space attaches as i386 (the syscall info's
// AUDIT_ARCH would say x86_64 there), and its PC is read in that layout.
func TestAttachSpinningInUserSpace(t *testing.T) {
	for _, a := range []testutil.Arch{testutil.X86_64, testutil.I386} {
		t.Run(string(a), func(t *testing.T) {
			cmd, _, _ := startFixture(t, a, "spin")
			time.Sleep(20 * time.Millisecond) // well into its loop
			p, err := debugger.Attach(cmd.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Detach()
			if p.Arch.Name != string(a) {
				t.Errorf("attached as %s, want %s", p.Arch.Name, a)
			}
			main, err := p.Symbol("main")
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.GetRegs(cmd.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			if pc := r.PC(); pc < main || pc > main+256 {
				t.Errorf("pc %#x, want inside main at %#x", pc, main)
			}
		})
	}
}
