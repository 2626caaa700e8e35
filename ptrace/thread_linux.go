//go:build linux

package ptrace

import (
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// Thread is a tracer thread: one goroutine locked to its OS thread for its
// whole life, running the functions given to [Thread.Do] one at a time. Every
// ptrace request for a tracee must come from the thread that attached it, so
// attach and then drive each tracee through the same Thread.
//
// The goroutine never unlocks its thread, so when [Thread.Close] ends it the
// runtime terminates the OS thread too, and the kernel detaches every tracee
// that thread still holds (killing those seized with OptExitKill).
type Thread struct {
	tid    int
	mu     sync.Mutex    // one Do at a time: held from send to reply
	fns    chan func()   // to the thread
	reply  chan any      // from the thread: nil, or the value fn panicked with
	closed chan struct{} // closed by Close
	exited chan struct{} // closed when the goroutine ends
	once   sync.Once
}

// NewThread starts a tracer thread and returns once it runs.
func NewThread() *Thread {
	t := &Thread{
		fns:    make(chan func()),
		reply:  make(chan any),
		closed: make(chan struct{}),
		exited: make(chan struct{}),
	}
	tid := make(chan int)
	go t.loop(tid)
	t.tid = <-tid
	return t
}

func (t *Thread) loop(tid chan<- int) {
	runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
	defer close(t.exited)
	tid <- unix.Gettid()
	for {
		select {
		case fn := <-t.fns:
			t.reply <- t.run(fn)
		case <-t.closed:
			return
		}
	}
}

// run calls fn and returns what it panicked with, if anything. If fn calls
// runtime.Goexit the goroutine ends here and Do sees exited.
func (t *Thread) run(fn func()) (panicked any) {
	normal := false
	defer func() {
		if !normal {
			if panicked = recover(); panicked == nil {
				panicked = nilPanic{}
			}
		}
	}()
	fn()
	normal = true
	return nil
}

// nilPanic stands for panic(nil) (which recover reports as *runtime.PanicNilError
// since Go 1.21; kept for GODEBUG=panicnil=1).
type nilPanic struct{}

// Tid returns the OS thread id of the tracer thread: the tracer that
// /proc/<tracee>/status shows as TracerPid.
func (t *Thread) Tid() int { return t.tid }

// Do runs fn on the tracer thread and returns when it has. Any number of
// goroutines may call Do; calls run one at a time. A panic in fn is re-raised
// in the caller of Do, and the thread lives on. Called from inside fn itself
// (on the thread), Do runs the new function directly rather than deadlock.
//
// After Close, Do returns without running fn; use [Thread.DoErr] where that
// can happen and must be noticed.
func (t *Thread) Do(fn func()) {
	_ = t.DoErr(func() error { fn(); return nil })
}

// DoErr runs fn on the tracer thread like [Thread.Do] and returns its error,
// or [ErrThreadClosed] without running fn once the thread has been closed or
// its goroutine has ended.
func (t *Thread) DoErr(fn func() error) error {
	select {
	case <-t.exited:
		// Checked first: once the thread is gone its tid may be reused.
		return ErrThreadClosed
	default:
	}
	if unix.Gettid() == t.tid {
		// Only the locked goroutine runs on this OS thread: we are inside fn.
		return fn()
	}
	var err error
	wrapped := func() { err = fn() }
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.closed:
		return ErrThreadClosed
	case <-t.exited:
		return ErrThreadClosed
	default:
	}
	select {
	case t.fns <- wrapped:
	case <-t.closed:
		return ErrThreadClosed
	case <-t.exited:
		return ErrThreadClosed
	}
	select {
	case p := <-t.reply:
		if p != nil {
			if _, ok := p.(nilPanic); ok {
				p = nil
			}
			panic(p)
		}
		return err
	case <-t.exited: // fn called runtime.Goexit
		return ErrThreadClosed
	}
}

// Close ends the thread's goroutine, and with it the OS thread, after the
// function it is running (if any) returns; then it waits for the goroutine to
// end, unless called from the thread itself. Close is idempotent and safe from
// any goroutine.
func (t *Thread) Close() {
	t.once.Do(func() { close(t.closed) })
	if unix.Gettid() != t.tid {
		<-t.exited
	}
}
