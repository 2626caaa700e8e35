package tracer

import (
	"context"
	"syscall"

	"github.com/sonde-dev/sonde/ptrace"
)

// release ends the trace early: attached tasks are detached, left as they
// were (running, or stopped when they were in a group-stop, with any signal
// they were about to receive delivered), launched ones killed, or detached
// too with detachAll; with KillOnExit every task is killed. It returns
// when no task is left. Runs on the ptrace thread.
func (t *Tracer) release(detachAll bool) {
	t.resumeDue(true) // held tasks go on at once: they are being let go
	for pid, tk := range t.tasks {
		if t.cfg.KillOnExit {
			syscall.Kill(pid, syscall.SIGKILL)
			tk.attached = false
		} else if tk.attached || detachAll {
			tk.attached = true
			// Every traced task is running (or listening) here: stop it
			// so it can be detached.
			if err := ptrace.Interrupt(pid); err != nil {
				t.detached(tk)
			}
		} else {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	ready := t.ready[t.head:]
	t.ready, t.head = nil, 0
	for len(t.tasks) > 0 {
		var r waitResult
		if len(ready) > 0 {
			r, ready = ready[0], ready[1:]
		} else {
			r = t.wait(context.Background(), false)
		}
		if r.err != nil {
			return // ECHILD: nothing left to wait for
		}
		tk := t.tasks[r.pid]
		if tk == nil || !tk.attached || !r.ws.Stopped() {
			// Exits, and the stops of tasks being killed.
			t.handle(r.pid, r.ws)
			continue
		}
		sig := 0
		if r.ws.TrapCause() == 0 && !r.ws.IsSyscallStop() {
			sig = int(r.ws.StopSignal()) // a signal on its way: deliver it
		}
		ptrace.Detach(r.pid, sig)
		t.detached(tk)
	}
}

func (t *Tracer) detached(tk *task) {
	delete(t.tasks, tk.pid)
	if !tk.hidden {
		t.emit(tk, Event{Kind: Detached})
	}
}
