//go:build linux

package ptrace

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "mem" {
		os.Exit(memHelper())
	}
	os.Exit(m.Run())
}

// skipOrFail skips the test with the reason, or fails it under CI=true, where
// a missing precondition means the CI setup rotted.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true, precondition missing: "+format, args...)
	}
	t.Skipf("skipped: "+format, args...)
}

// requirePtrace skips (or fails under CI) unless this process may trace its
// own children.
func requirePtrace(t testing.TB) {
	t.Helper()
	// PTRACE_ATTACH of pid 0 reaches the kernel's ESRCH unless a seccomp
	// filter denies ptrace first (EPERM, or ENOSYS).
	if err := Attach(0); !errors.Is(err, unix.ESRCH) {
		skipOrFail(t, "ptrace is not available (PTRACE_ATTACH 0: %v)", err)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope"); err == nil {
		scope := strings.TrimSpace(string(b))
		if scope == "3" || (scope == "2" && os.Geteuid() != 0) {
			skipOrFail(t, "Yama ptrace_scope is %s", scope)
		}
	}
}

// tracee describes a tracee's architecture as this package's calls see it.
type traceeArch struct {
	audit          uint32 // SyscallInfo.Arch
	prstatus       int    // NT_PRSTATUS bytes
	restartSyscall uint64 // restart_syscall's number
}

// exeArch returns the architecture of a tracee running the executable at
// path, whatever GOARCH the tracer (this test) was built for.
func exeArch(t testing.TB, path string) traceeArch {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	switch f.Machine {
	case elf.EM_X86_64:
		return traceeArch{unix.AUDIT_ARCH_X86_64, 216, 219}
	case elf.EM_AARCH64:
		return traceeArch{unix.AUDIT_ARCH_AARCH64, 272, 128}
	case elf.EM_386:
		return traceeArch{unix.AUDIT_ARCH_I386, 68, 0}
	}
	t.Skipf("skipped: no expectations for a %v tracee", f.Machine)
	return traceeArch{}
}

// start starts cmd and registers a cleanup that kills and reaps it, whether
// or not it is traced (cmd.Wait is never called: the tracer reaps).
func start(t testing.TB, cmd *exec.Cmd) int {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		_ = unix.Kill(pid, unix.SIGKILL)
		var ws WaitStatus
		for {
			if _, err := Wait4(pid, &ws, WALL); err != nil || ws.Exited() || ws.Signaled() {
				return
			}
		}
	})
	return pid
}

// sleepPath returns the path of sleep(1).
func sleepPath(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("sleep")
	if err != nil {
		skipOrFail(t, "no sleep binary: %v", err)
	}
	return path
}

// startSleep starts sleep(1) and returns once it sleeps in its nanosleep.
func startSleep(t testing.TB) int {
	t.Helper()
	pid := start(t, exec.Command(sleepPath(t), "30"))
	waitSleeping(t, pid)
	return pid
}

// waitSleeping waits until pid is in state S. os/exec's Start returns after
// the exec, so for a program whose only blocking call is the one it is
// started for, that call is where it sleeps.
func waitSleeping(t testing.TB, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.LastIndexByte(b, ')'); i > 0 && len(b) > i+2 && b[i+2] == 'S' {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d did not go to sleep: %s", pid, b)
		}
		time.Sleep(time.Millisecond)
	}
}

// newThread returns a tracer thread closed at the end of the test.
func newThread(t testing.TB) *Thread {
	th := NewThread()
	t.Cleanup(th.Close)
	return th
}

// waitStop waits (blocking, from this goroutine) for the next state change of
// pid, failing the test after 10 s.
func waitStop(t testing.TB, pid int) WaitStatus {
	t.Helper()
	type result struct {
		ws  WaitStatus
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var ws WaitStatus
		_, err := Wait4(pid, &ws, WALL)
		ch <- result{ws, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("wait4 %d: %v", pid, r.err)
		}
		return r.ws
	case <-time.After(10 * time.Second):
		t.Fatalf("wait4 %d: no state change in 10s", pid)
	}
	return 0
}

// seizeStopped seizes pid on th, interrupts it and returns the stop status.
func seizeStopped(t testing.TB, th *Thread, pid int, opts Options) WaitStatus {
	t.Helper()
	if err := th.DoErr(func() error {
		if err := Seize(pid, opts); err != nil {
			return err
		}
		return Interrupt(pid)
	}); err != nil {
		t.Fatalf("seize and interrupt: %v", err)
	}
	return waitStop(t, pid)
}

func TestRequestString(t *testing.T) {
	for r, want := range map[Request]string{
		ReqTraceMe: "PTRACE_TRACEME", ReqPeekText: "PTRACE_PEEKTEXT", ReqPeekData: "PTRACE_PEEKDATA",
		ReqPeekUser: "PTRACE_PEEKUSER", ReqPokeText: "PTRACE_POKETEXT", ReqPokeData: "PTRACE_POKEDATA",
		ReqPokeUser: "PTRACE_POKEUSER", ReqCont: "PTRACE_CONT", ReqKill: "PTRACE_KILL",
		ReqSingleStep: "PTRACE_SINGLESTEP", ReqAttach: "PTRACE_ATTACH", ReqDetach: "PTRACE_DETACH",
		ReqSyscall: "PTRACE_SYSCALL", ReqSetOptions: "PTRACE_SETOPTIONS",
		ReqGetEventMsg: "PTRACE_GETEVENTMSG", ReqGetSiginfo: "PTRACE_GETSIGINFO",
		ReqSetSiginfo: "PTRACE_SETSIGINFO", ReqGetRegSet: "PTRACE_GETREGSET",
		ReqSetRegSet: "PTRACE_SETREGSET", ReqSeize: "PTRACE_SEIZE", ReqInterrupt: "PTRACE_INTERRUPT",
		ReqListen: "PTRACE_LISTEN", ReqPeekSiginfo: "PTRACE_PEEKSIGINFO",
		ReqGetSigmask: "PTRACE_GETSIGMASK", ReqSetSigmask: "PTRACE_SETSIGMASK",
		ReqSeccompGetFilter: "PTRACE_SECCOMP_GET_FILTER", ReqSeccompGetMetadata: "PTRACE_SECCOMP_GET_METADATA",
		ReqGetSyscallInfo:               "PTRACE_GET_SYSCALL_INFO",
		ReqGetRseqConfiguration:         "PTRACE_GET_RSEQ_CONFIGURATION",
		ReqSetSyscallUserDispatchConfig: "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG",
		ReqGetSyscallUserDispatchConfig: "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG",
		ReqSetSyscallInfo:               "PTRACE_SET_SYSCALL_INFO",
		ReqProcessVMReadv:               "process_vm_readv", ReqProcessVMWritev: "process_vm_writev",
		ReqWait4: "wait4",
		0x4213:   "PTRACE_0x4213", 12: "PTRACE_0xc", -9: "PTRACE_-0x9",
	} {
		if got := r.String(); got != want {
			t.Errorf("Request(%d).String() = %q, want %q", int(r), got, want)
		}
	}
	// The numbers agree with x/sys's copy of the kernel headers.
	for r, n := range map[Request]int{
		ReqSeize: unix.PTRACE_SEIZE, ReqListen: unix.PTRACE_LISTEN, ReqInterrupt: unix.PTRACE_INTERRUPT,
		ReqGetSyscallInfo: unix.PTRACE_GET_SYSCALL_INFO, ReqGetRegSet: unix.PTRACE_GETREGSET,
		ReqSetSyscallInfo: unix.PTRACE_SET_SYSCALL_INFO, ReqSyscall: unix.PTRACE_SYSCALL,
		ReqDetach: unix.PTRACE_DETACH, ReqGetSiginfo: unix.PTRACE_GETSIGINFO,
	} {
		if int(r) != n {
			t.Errorf("%v = %#x, x/sys says %#x", r, int(r), n)
		}
	}
}

func TestOptions(t *testing.T) {
	for o, want := range map[Options]string{
		0:                               "0",
		OptTraceSysGood:                 "PTRACE_O_TRACESYSGOOD",
		OptTraceSysGood | OptTraceExec:  "PTRACE_O_TRACESYSGOOD|PTRACE_O_TRACEEXEC",
		OptExitKill | OptSuspendSeccomp: "PTRACE_O_EXITKILL|PTRACE_O_SUSPEND_SECCOMP",
		OptTraceSeccomp | 1<<30 | 1<<12: "PTRACE_O_TRACESECCOMP|0x40001000",
	} {
		if got := o.String(); got != want {
			t.Errorf("Options(%#x).String() = %q, want %q", uint32(o), got, want)
		}
	}
	for o, n := range map[Options]int{
		OptTraceSysGood: unix.PTRACE_O_TRACESYSGOOD, OptTraceFork: unix.PTRACE_O_TRACEFORK,
		OptTraceVfork: unix.PTRACE_O_TRACEVFORK, OptTraceClone: unix.PTRACE_O_TRACECLONE,
		OptTraceExec: unix.PTRACE_O_TRACEEXEC, OptTraceVforkDone: unix.PTRACE_O_TRACEVFORKDONE,
		OptTraceExit: unix.PTRACE_O_TRACEEXIT, OptTraceSeccomp: unix.PTRACE_O_TRACESECCOMP,
		OptExitKill: unix.PTRACE_O_EXITKILL, OptSuspendSeccomp: unix.PTRACE_O_SUSPEND_SECCOMP,
	} {
		if int(o) != n {
			t.Errorf("%v = %#x, x/sys says %#x", o, uint32(o), n)
		}
	}
	for ev, n := range map[int]int{
		EventFork: unix.PTRACE_EVENT_FORK, EventVfork: unix.PTRACE_EVENT_VFORK,
		EventClone: unix.PTRACE_EVENT_CLONE, EventExec: unix.PTRACE_EVENT_EXEC,
		EventVforkDone: unix.PTRACE_EVENT_VFORK_DONE, EventExit: unix.PTRACE_EVENT_EXIT,
		EventSeccomp: unix.PTRACE_EVENT_SECCOMP, EventStop: unix.PTRACE_EVENT_STOP,
	} {
		if ev != n {
			t.Errorf("event %d, x/sys says %d", ev, n)
		}
	}
}

func TestWaitStatus(t *testing.T) {
	type want struct {
		exited      bool
		exitStatus  int
		signaled    bool
		signal      unix.Signal
		core        bool
		stopped     bool
		stopSig     unix.Signal
		trapCause   int
		syscallStop bool
		groupStop   bool
		str         string
	}
	for _, tc := range []struct {
		ws   WaitStatus
		want want
	}{
		{0x80057f, want{stopped: true, stopSig: unix.SIGTRAP, trapCause: EventStop, exitStatus: -1, signal: -1,
			str: "stopped SIGTRAP event 0x80"}},
		{0x857f, want{stopped: true, stopSig: unix.SIGTRAP | 0x80, syscallStop: true, exitStatus: -1, signal: -1,
			str: "stopped SIGTRAP|0x80"}},
		{0x80137f, want{stopped: true, stopSig: unix.SIGSTOP, trapCause: EventStop, groupStop: true, exitStatus: -1,
			signal: -1, str: "stopped SIGSTOP event 0x80"}},
		{0x80147f, want{stopped: true, stopSig: unix.SIGTSTP, trapCause: EventStop, groupStop: true, exitStatus: -1,
			signal: -1, str: "stopped SIGTSTP event 0x80"}},
		{0x137f, want{stopped: true, stopSig: unix.SIGSTOP, exitStatus: -1, signal: -1, str: "stopped SIGSTOP"}},
		{0x4057f, want{stopped: true, stopSig: unix.SIGTRAP, trapCause: EventExec, exitStatus: -1, signal: -1,
			str: "stopped SIGTRAP event 0x4"}},
		{0x0700, want{exited: true, exitStatus: 7, signal: -1, stopSig: -1, str: "exited 7"}},
		{0x0000, want{exited: true, exitStatus: 0, signal: -1, stopSig: -1, str: "exited 0"}},
		{0x000f, want{signaled: true, signal: unix.SIGTERM, exitStatus: -1, stopSig: -1, str: "killed by SIGTERM"}},
		{0x008b, want{signaled: true, signal: unix.SIGSEGV, core: true, exitStatus: -1, stopSig: -1,
			str: "killed by SIGSEGV (core dumped)"}},
	} {
		w := tc.ws
		got := want{w.Exited(), w.ExitStatus(), w.Signaled(), w.Signal(), w.CoreDump(), w.Stopped(),
			w.StopSignal(), w.TrapCause(), w.IsSyscallStop(), w.IsGroupStop(), w.String()}
		if got != tc.want {
			t.Errorf("WaitStatus(%#x):\n got %+v\nwant %+v", uint32(w), got, tc.want)
		}
	}
	if c := WaitStatus(0xffff); !c.Continued() || c.Stopped() || c.Exited() || c.Signaled() || c.String() != "continued" {
		t.Errorf("WaitStatus(0xffff): continued %v stopped %v exited %v signaled %v %q",
			c.Continued(), c.Stopped(), c.Exited(), c.Signaled(), c)
	}
}

func TestErrorFormat(t *testing.T) {
	var err error = &Error{Request: ReqGetRegSet, Pid: 123, Err: unix.ESRCH}
	if got, want := err.Error(), "ptrace PTRACE_GETREGSET pid 123: no such process"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, unix.ESRCH) {
		t.Errorf("errors.Is(%v, ESRCH) = false", err)
	}
	wrapped := fmt.Errorf("read registers: %w", err)
	var pe *Error
	if !errors.As(wrapped, &pe) || pe.Pid != 123 || pe.Request != ReqGetRegSet {
		t.Errorf("errors.As(%v) = %+v", wrapped, pe)
	}
	err = &Error{Request: ReqProcessVMReadv, Pid: 9, Err: unix.EFAULT}
	if got, want := err.Error(), "process_vm_readv pid 9: bad address"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestSyscallInfoDecode(t *testing.T) {
	ne := binary.NativeEndian
	var b [syscallInfoSize]byte
	b[0] = SyscallInfoSeccomp
	ne.PutUint32(b[4:], unix.AUDIT_ARCH_I386)
	ne.PutUint64(b[8:], 0x1111)
	ne.PutUint64(b[16:], 0x2222)
	ne.PutUint64(b[24:], 26)
	for i := 0; i < 6; i++ {
		ne.PutUint64(b[32+8*i:], uint64(100+i))
	}
	ne.PutUint32(b[80:], 0xbeef)
	info := SyscallInfo{Rval: -1, IsError: true} // stale fields must be cleared
	info.decode(&b)
	want := SyscallInfo{Op: SyscallInfoSeccomp, Arch: unix.AUDIT_ARCH_I386, InstructionPointer: 0x1111,
		StackPointer: 0x2222, Nr: 26, Args: [6]uint64{100, 101, 102, 103, 104, 105}, RetData: 0xbeef}
	if info != want {
		t.Errorf("seccomp: got %+v\nwant %+v", info, want)
	}
	b[0] = SyscallInfoEntry
	info.decode(&b)
	want.Op, want.RetData = SyscallInfoEntry, 0
	if info != want {
		t.Errorf("entry: got %+v\nwant %+v", info, want)
	}
	var e [syscallInfoSize]byte
	e[0] = SyscallInfoExit
	ne.PutUint32(e[4:], unix.AUDIT_ARCH_X86_64)
	ne.PutUint64(e[24:], uint64(0xfffffffffffffffe)) // -ENOENT
	e[32] = 1
	info.decode(&e)
	if want := (SyscallInfo{Op: SyscallInfoExit, Arch: unix.AUDIT_ARCH_X86_64, Rval: -2, IsError: true}); info != want {
		t.Errorf("exit: got %+v\nwant %+v", info, want)
	}
}

func TestSiginfoAccessors(t *testing.T) {
	var si Siginfo
	raw := si.Raw()
	if len(raw) != SiginfoSize {
		t.Fatalf("len(Raw()) = %d", len(raw))
	}
	ne := binary.NativeEndian
	ne.PutUint32(raw[0:], uint32(unix.SIGSEGV))
	ne.PutUint32(raw[4:], 5)
	ne.PutUint32(raw[8:], uint32(0xfffffffa)) // SI_TKILL
	ne.PutUint32(raw[siginfoUnion:], 4242)
	ne.PutUint32(raw[siginfoUnion+4:], 1000)
	if si.Signo() != int32(unix.SIGSEGV) || si.Errno() != 5 || si.Code() != -6 || si.Pid() != 4242 || si.Uid() != 1000 {
		t.Errorf("signo %d errno %d code %d pid %d uid %d", si.Signo(), si.Errno(), si.Code(), si.Pid(), si.Uid())
	}
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" {
		ne.PutUint64(raw[16:], 0xdead0000beef)
		if si.Addr() != 0xdead0000beef {
			t.Errorf("Addr() = %#x", si.Addr())
		}
	}
}

func TestThread(t *testing.T) {
	th := NewThread()
	var inside int
	th.Do(func() { inside = unix.Gettid() })
	if inside != th.Tid() || inside == 0 {
		t.Errorf("Do ran on tid %d, Tid() = %d", inside, th.Tid())
	}

	// Many goroutines, one thread.
	var wg sync.WaitGroup
	var wrong, ran atomic.Int32
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				th.Do(func() {
					if unix.Gettid() != th.Tid() {
						wrong.Add(1)
					}
					ran.Add(1)
				})
			}
		}()
	}
	wg.Wait()
	if wrong.Load() != 0 || ran.Load() != 16*50 {
		t.Errorf("%d of %d calls off the thread", wrong.Load(), ran.Load())
	}

	// Nested Do runs inline instead of deadlocking.
	nested := false
	th.Do(func() { th.Do(func() { nested = unix.Gettid() == th.Tid() }) })
	if !nested {
		t.Errorf("nested Do did not run on the thread")
	}

	// A panic reaches the caller, and the thread lives on.
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		th.Do(func() { panic("boom") })
	}()
	sentinel := errors.New("fn failed")
	if err := th.DoErr(func() error { return sentinel }); !errors.Is(err, sentinel) {
		t.Errorf("DoErr = %v, want %v", err, sentinel)
	}

	th.Close()
	th.Close() // idempotent
	called := false
	if err := th.DoErr(func() error { called = true; return nil }); !errors.Is(err, ErrThreadClosed) || called {
		t.Errorf("DoErr after Close = %v (called %v), want ErrThreadClosed", err, called)
	}
	th.Do(func() { called = true })
	if called {
		t.Errorf("Do after Close ran fn")
	}

	// runtime.Goexit in fn ends the thread; callers see ErrThreadClosed.
	th2 := NewThread()
	if err := th2.DoErr(func() error { runtime.Goexit(); return nil }); !errors.Is(err, ErrThreadClosed) {
		t.Errorf("DoErr with Goexit = %v, want ErrThreadClosed", err)
	}
	if err := th2.DoErr(func() error { return nil }); !errors.Is(err, ErrThreadClosed) {
		t.Errorf("DoErr after Goexit = %v, want ErrThreadClosed", err)
	}
	th2.Close()

	// Close from inside fn does not deadlock.
	th3 := NewThread()
	th3.Do(th3.Close)
	if err := th3.DoErr(func() error { return nil }); !errors.Is(err, ErrThreadClosed) {
		t.Errorf("DoErr after Close from inside = %v", err)
	}
}

func TestErrorFromUntracedPid(t *testing.T) {
	requirePtrace(t)
	pid := startSleep(t)
	th := newThread(t)
	var err error
	th.Do(func() { _, err = GetRegSet(pid, NTPrStatus, make([]byte, 512)) })
	var pe *Error
	if !errors.As(err, &pe) || pe.Request != ReqGetRegSet || pe.Pid != pid || !errors.Is(err, unix.ESRCH) {
		t.Fatalf("GetRegSet on an untraced pid: %v, want *Error{PTRACE_GETREGSET, %d, ESRCH}", err, pid)
	}
	if want := fmt.Sprintf("ptrace PTRACE_GETREGSET pid %d: no such process", pid); err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	var info SyscallInfo
	if err := GetSyscallInfo(pid, &info); !errors.Is(err, unix.ESRCH) {
		t.Errorf("GetSyscallInfo on an untraced pid: %v", err)
	}
	if err := Syscall(pid, 0); !errors.Is(err, unix.ESRCH) {
		t.Errorf("Syscall on an untraced pid: %v", err)
	}
	var ws WaitStatus
	if n, err := Wait4NoHang(pid, &ws, WALL); n != 0 || err != nil {
		t.Errorf("Wait4NoHang on a sleeping child = %d, %v; want 0, nil", n, err)
	}
	if _, err := Wait4NoHang(os.Getpid(), &ws, WALL); !errors.Is(err, unix.ECHILD) {
		t.Errorf("Wait4NoHang on a non-child = %v, want ECHILD", err)
	}
}

func procStatus(t testing.TB, pid int, field string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read status: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return ""
}

// TestSeizeSyscallDetach walks a sleeping process through the stops a tracer
// sees first: the interrupt stop, a syscall entry and its exit, then detach.
func TestSeizeSyscallDetach(t *testing.T) {
	requirePtrace(t)
	arch := exeArch(t, sleepPath(t))
	pid := startSleep(t)
	th := newThread(t)

	ws := seizeStopped(t, th, pid, OptTraceSysGood|OptExitKill)
	if ws != 0x80057f || !ws.Stopped() || ws.TrapCause() != EventStop || ws.IsGroupStop() {
		t.Fatalf("interrupt stop: status %#x (%v), want 0x80057f", uint32(ws), ws)
	}
	if got := procStatus(t, pid, "TracerPid"); got != fmt.Sprint(th.Tid()) {
		t.Errorf("TracerPid = %s, want the thread's tid %d", got, th.Tid())
	}

	var (
		n    int
		err  error
		info SyscallInfo
		si   Siginfo
		regs = make([]byte, 1024)
	)
	th.Do(func() {
		if n, err = GetRegSet(pid, NTPrStatus, regs); err != nil {
			return
		}
		if err = GetSyscallInfo(pid, &info); err != nil {
			return
		}
		err = GetSiginfo(pid, &si)
	})
	if err != nil {
		t.Fatalf("at the interrupt stop: %v", err)
	}
	if n != arch.prstatus {
		t.Errorf("GetRegSet NT_PRSTATUS filled %d bytes, want %d", n, arch.prstatus)
	}
	if info.Op != SyscallInfoNone || info.Arch != arch.audit || info.InstructionPointer == 0 || info.StackPointer == 0 {
		t.Errorf("GetSyscallInfo at the interrupt stop = %+v, want op none, arch %#x", info, arch.audit)
	}
	if si.Signo() != int32(unix.SIGTRAP) || si.Code() != int32(unix.SIGTRAP)|EventStop<<8 {
		t.Errorf("siginfo at the interrupt stop: signo %d code %#x", si.Signo(), si.Code())
	}

	// The thread rule: the same request from another thread is ESRCH.
	errc := make(chan error)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		_, err := GetRegSet(pid, NTPrStatus, regs)
		errc <- err
	}()
	if err := <-errc; !errors.Is(err, unix.ESRCH) {
		t.Errorf("GetRegSet off the tracer thread = %v, want ESRCH", err)
	}

	// Entry, then exit. sleep's restart_syscall would sleep on after its
	// entry; PTRACE_INTERRUPT cuts it short with a syscall-exit-stop.
	for _, want := range []uint8{SyscallInfoEntry, SyscallInfoExit} {
		if err := th.DoErr(func() error {
			if err := Syscall(pid, 0); err != nil || want != SyscallInfoExit {
				return err
			}
			return Interrupt(pid)
		}); err != nil {
			t.Fatalf("PTRACE_SYSCALL: %v", err)
		}
		ws := waitStop(t, pid)
		if !ws.IsSyscallStop() {
			t.Fatalf("after PTRACE_SYSCALL: status %#x (%v), want a syscall stop", uint32(ws), ws)
		}
		if err := th.DoErr(func() error { return GetSyscallInfo(pid, &info) }); err != nil {
			t.Fatal(err)
		}
		if info.Op != want || info.Arch != arch.audit {
			t.Errorf("syscall stop: %+v, want op %d arch %#x", info, want, arch.audit)
		}
		if want == SyscallInfoEntry && info.Nr != arch.restartSyscall {
			t.Errorf("first syscall after interrupting a sleep is %d, want restart_syscall (%d)",
				info.Nr, arch.restartSyscall)
		}
		if want == SyscallInfoExit && (!info.IsError || info.Rval != -516) {
			t.Errorf("restart_syscall cut short: %+v, want -ERESTART_RESTARTBLOCK (-516)", info)
		}
		t.Logf("stop %v: %+v", ws, info)
	}

	if err := th.DoErr(func() error { return Detach(pid, 0) }); err != nil {
		t.Fatalf("detach: %v", err)
	}
	if got := procStatus(t, pid, "TracerPid"); got != "0" {
		t.Errorf("TracerPid after detach = %s, want 0", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		st := procStatus(t, pid, "State")
		if strings.HasPrefix(st, "S") || strings.HasPrefix(st, "R") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("state after detach = %q, want running or sleeping", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := th.DoErr(func() error { return Interrupt(pid) }); !errors.Is(err, unix.ESRCH) {
		t.Errorf("interrupt after detach = %v, want ESRCH", err)
	}
}

// TestGroupStopListen checks the signal-delivery-stop, group-stop and LISTEN
// sequence of a seized tracee.
func TestGroupStopListen(t *testing.T) {
	requirePtrace(t)
	pid := startSleep(t)
	th := newThread(t)
	if err := th.DoErr(func() error { return Seize(pid, OptTraceSysGood|OptExitKill) }); err != nil {
		t.Fatal(err)
	}
	if err := unix.Kill(pid, unix.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	ws := waitStop(t, pid)
	if ws != 0x137f || ws.IsGroupStop() {
		t.Fatalf("signal-delivery-stop: status %#x (%v), want 0x137f", uint32(ws), ws)
	}
	var si Siginfo
	if err := th.DoErr(func() error { return GetSiginfo(pid, &si) }); err != nil {
		t.Fatal(err)
	}
	if si.Signo() != int32(unix.SIGSTOP) || si.Code() != 0 || si.Pid() != int32(os.Getpid()) || si.Uid() != uint32(os.Getuid()) {
		t.Errorf("siginfo: signo %d code %d pid %d uid %d, want SIGSTOP SI_USER from %d",
			si.Signo(), si.Code(), si.Pid(), si.Uid(), os.Getpid())
	}
	if err := th.DoErr(func() error { return Cont(pid, int(unix.SIGSTOP)) }); err != nil {
		t.Fatal(err)
	}
	ws = waitStop(t, pid)
	if ws != 0x80137f || !ws.IsGroupStop() {
		t.Fatalf("group-stop: status %#x (%v), want 0x80137f", uint32(ws), ws)
	}
	// ptrace(2) says GETSIGINFO fails with EINVAL at a group-stop; that is
	// PTRACE_ATTACH's. A seized tracee's group-stop is an event stop with a
	// siginfo of its own.
	if err := th.DoErr(func() error { return GetSiginfo(pid, &si) }); err != nil {
		t.Errorf("GETSIGINFO at a seized group-stop: %v", err)
	} else if si.Signo() != int32(unix.SIGSTOP) || si.Code() != int32(unix.SIGSTOP)|EventStop<<8 {
		t.Errorf("siginfo at a group-stop: signo %d code %#x, want SIGSTOP, SIGSTOP|PTRACE_EVENT_STOP<<8",
			si.Signo(), si.Code())
	}
	if err := th.DoErr(func() error { return Listen(pid) }); err != nil {
		t.Fatalf("listen: %v", err)
	}
	if err := th.DoErr(func() error { return Interrupt(pid) }); err != nil {
		t.Fatalf("interrupt: %v", err)
	}
	if ws = waitStop(t, pid); !ws.IsGroupStop() {
		t.Errorf("interrupt of a listening tracee: status %#x (%v), want a group-stop", uint32(ws), ws)
	}
}

// startMemHelper starts this test binary as memHelper and returns its pid and
// the addresses of its pages 0 and 2.
func startMemHelper(t testing.TB) (pid int, page0, page2 uint64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=mem")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	pid = start(t, cmd)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("helper: %v", err)
	}
	if _, err := fmt.Sscan(line, &page0, &page2); err != nil {
		t.Fatalf("helper said %q: %v", line, err)
	}
	return pid, page0, page2
}

func TestMemory(t *testing.T) {
	requirePtrace(t)
	pid, page0, page2 := startMemHelper(t)
	th := newThread(t)
	if ws := seizeStopped(t, th, pid, OptExitKill); ws.TrapCause() != EventStop {
		t.Fatalf("interrupt stop: %v", ws)
	}
	ps := uint64(os.Getpagesize())
	marker := page0 + helperMarkAt
	edge := page0 + ps - uint64(len(helperEdge)) - 1

	// Run the same checks through process_vm_* and, forced, through PEEK/POKE.
	for _, mode := range []string{"process_vm", "peekpoke"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "peekpoke" {
				was := noProcessVM.Load()
				noProcessVM.Store(true)
				t.Cleanup(func() { noProcessVM.Store(was) })
			}
			th.Do(func() { memoryChecks(t, pid, marker, edge, page0, page2, ps) })
		})
	}

	// process_vm_readv works off the tracer thread; PEEK does not.
	buf := make([]byte, len(helperMarker))
	if n, err := ReadMem(pid, marker, buf); err != nil || string(buf[:n]) != helperMarker {
		t.Errorf("ReadMem off the tracer thread = %q, %v", buf[:n], err)
	}
	errc := make(chan error)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		_, err := PeekData(pid, page0)
		errc <- err
	}()
	if err := <-errc; !errors.Is(err, unix.ESRCH) {
		t.Errorf("PeekData off the tracer thread = %v, want ESRCH", err)
	}
}

// errFault stands for the error of a read from an unmapped address: EFAULT
// from process_vm_*, EIO from PEEK/POKE.
var errFault = errors.New("EFAULT or EIO")

func isFault(err error) bool { return errors.Is(err, unix.EFAULT) || errors.Is(err, unix.EIO) }

func memoryChecks(t *testing.T, pid int, marker, edge, page0, page2, ps uint64) {
	// ReadMem against PEEKDATA of the same words.
	buf := make([]byte, 32)
	n, err := ReadMem(pid, page0, buf)
	if err != nil || n != len(buf) {
		t.Fatalf("ReadMem = %d, %v", n, err)
	}
	for off := 0; off < len(buf); off += wordSize {
		w, err := PeekData(pid, page0+uint64(off))
		if err != nil {
			t.Fatalf("PeekData: %v", err)
		}
		var b [8]byte
		putWord(&b, w)
		if !bytes.Equal(b[:wordSize], buf[off:off+wordSize]) {
			t.Errorf("word at +%d: PEEK %x, ReadMem %x", off, b[:wordSize], buf[off:off+wordSize])
		}
	}
	if got := string(buf[helperMarkAt : helperMarkAt+10]); got != helperMarker[:10] {
		t.Errorf("ReadMem at the marker = %q", got)
	}

	// Strings.
	for _, tc := range []struct {
		addr uint64
		max  int
		want string
		term bool
		err  error
	}{
		{marker, 1 << 16, helperMarker, true, nil},
		{marker, len(helperMarker) + 1, helperMarker, true, nil},
		{marker, len(helperMarker), helperMarker, false, nil},
		{marker, 5, helperMarker[:5], false, nil},
		{marker, 0, "", false, nil},
		{edge, 1 << 16, helperEdge, true, nil}, // ends on the last byte before an unmapped page
		{page2 + ps - 64, 1 << 16, strings.Repeat("x", 64), false, errFault},
		{page0 + ps, 100, "", false, errFault},
	} {
		s, term, err := ReadString(pid, tc.addr, tc.max, []byte("pre:"))
		if string(s) != "pre:"+tc.want || term != tc.term || (err == nil) != (tc.err == nil) || err != nil && !isFault(err) {
			t.Errorf("ReadString(%#x, %d) = %q, %v, %v; want %q, %v, %v",
				tc.addr, tc.max, s, term, err, "pre:"+tc.want, tc.term, tc.err)
		}
	}
	var pe *Error
	if _, _, err := ReadString(pid, page0+ps, 8, nil); !errors.As(err, &pe) || pe.Pid != pid {
		t.Errorf("ReadString of an unmapped page: %v, want an *Error for pid %d", err, pid)
	}

	// A read across the end of the mapping stops there.
	buf = make([]byte, 32)
	n, err = ReadMem(pid, page0+ps-16, buf)
	if n != 16 || !isFault(err) || string(buf[15:16]) != "\x00" {
		t.Errorf("ReadMem across the mapping's end = %d, %v, want 16, EFAULT or EIO", n, err)
	}
	if n, err := ReadMem(pid, page0, nil); n != 0 || err != nil {
		t.Errorf("ReadMem of nothing = %d, %v", n, err)
	}

	// Writes, odd lengths at odd offsets, read back.
	for i, tc := range []struct{ off, n int }{{0, 8}, {1, 1}, {3, 6}, {7, 13}, {16, 3}, {5, 40}} {
		addr := page0 + helperWrite + uint64(tc.off)
		before := make([]byte, tc.n+16)
		if _, err := ReadMem(pid, addr-8, before); err != nil {
			t.Fatal(err)
		}
		data := bytes.Repeat([]byte{byte('a' + i)}, tc.n)
		if n, err := WriteMem(pid, addr, data); n != tc.n || err != nil {
			t.Fatalf("WriteMem(+%d, %d bytes) = %d, %v", tc.off, tc.n, n, err)
		}
		after := make([]byte, tc.n+16)
		if _, err := ReadMem(pid, addr-8, after); err != nil {
			t.Fatal(err)
		}
		want := append(append(append([]byte{}, before[:8]...), data...), before[8+tc.n:]...)
		if !bytes.Equal(after, want) {
			t.Errorf("after WriteMem(+%d, %d bytes):\n got %q\nwant %q", tc.off, tc.n, after, want)
		}
	}
	if n, err := WriteMem(pid, page0+ps, []byte("no")); n != 0 || !isFault(err) {
		t.Errorf("WriteMem to an unmapped page = %d, %v, want EFAULT or EIO", n, err)
	}
}

// TestHotPathAllocs counts allocations of the per-stop loop (PTRACE_SYSCALL,
// wait4, GET_SYSCALL_INFO) on a busy tracee.
func TestHotPathAllocs(t *testing.T) {
	requirePtrace(t)
	path, err := exec.LookPath("yes")
	if err != nil {
		skipOrFail(t, "no yes binary: %v", err)
	}
	pid := start(t, exec.Command(path)) // writes to /dev/null forever
	th := newThread(t)
	seizeStopped(t, th, pid, OptTraceSysGood|OptExitKill)

	var (
		info  SyscallInfo
		ws    WaitStatus
		bad   error
		stops int
	)
	step := func(noHang bool) {
		if err := Syscall(pid, 0); err != nil {
			bad = err
			return
		}
		if noHang {
			for {
				n, err := Wait4NoHang(pid, &ws, WALL)
				if err != nil {
					bad = err
					return
				}
				if n != 0 {
					break
				}
			}
		} else if _, err := Wait4(pid, &ws, WALL); err != nil {
			bad = err
			return
		}
		if !ws.IsSyscallStop() {
			bad = fmt.Errorf("status %v", ws)
			return
		}
		if err := GetSyscallInfo(pid, &info); err != nil {
			bad = err
			return
		}
		if info.Op == SyscallInfoEntry || info.Op == SyscallInfoExit {
			stops++
		}
	}
	var blocking, spinning float64
	th.Do(func() {
		step(false)
		blocking = testing.AllocsPerRun(500, func() { step(false) })
		spinning = testing.AllocsPerRun(500, func() { step(true) })
	})
	if bad != nil {
		t.Fatal(bad)
	}
	t.Logf("allocations per stop: %v with Wait4, %v with Wait4NoHang (%d syscall stops)", blocking, spinning, stops)
	if blocking != 0 || spinning != 0 {
		t.Errorf("hot path allocates: %v with Wait4, %v with Wait4NoHang per stop", blocking, spinning)
	}

	// The failure path allocates only the error.
	var ginfo SyscallInfo
	errAllocs := testing.AllocsPerRun(100, func() { _ = GetSyscallInfo(os.Getpid(), &ginfo) })
	t.Logf("allocations of a failed GetSyscallInfo: %v", errAllocs)
}

// i386Elf returns a static i386 executable that calls pause(2) (int 0x80,
// eax 29) in a loop: a 32-bit tracee that needs no 32-bit toolchain.
func i386Elf() []byte {
	const base = 0x08048000
	code := []byte{
		0xb8, 29, 0, 0, 0, // mov eax, 29 (pause)
		0xcd, 0x80, // int 0x80
		0xeb, 0xf7, // jmp back to mov
	}
	hdrSize, phSize := binary.Size(elf.Header32{}), binary.Size(elf.Prog32{})
	total := uint32(hdrSize + phSize + len(code))
	h := elf.Header32{
		Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_386), Version: uint32(elf.EV_CURRENT),
		Entry: base + uint32(hdrSize+phSize), Phoff: uint32(hdrSize),
		Ehsize: uint16(hdrSize), Phentsize: uint16(phSize), Phnum: 1,
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	p := elf.Prog32{
		Type: uint32(elf.PT_LOAD), Vaddr: base, Paddr: base, Filesz: total, Memsz: total,
		Flags: uint32(elf.PF_R | elf.PF_X), Align: 0x1000,
	}
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, h)
	_ = binary.Write(&b, binary.LittleEndian, p)
	b.Write(code)
	return b.Bytes()
}

// TestI386Tracee traces a 32-bit x86 process from the 64-bit tracer: the
// regset is the i386 one and GET_SYSCALL_INFO reports AUDIT_ARCH_I386.
func TestI386Tracee(t *testing.T) {
	requirePtrace(t)
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "386" {
		t.Skipf("skipped: i386 tracees need an x86 tracer, this is %s", runtime.GOARCH)
	}
	dir := t.TempDir()
	check := func(t *testing.T, path string, wantNr uint64) {
		cmd := exec.Command(path)
		if err := cmd.Start(); err != nil {
			if errors.Is(err, unix.ENOEXEC) {
				t.Skipf("skipped: this kernel does not run i386 programs (no IA32 emulation): %v", err)
			}
			t.Fatal(err)
		}
		pid := cmd.Process.Pid
		t.Cleanup(func() {
			_ = unix.Kill(pid, unix.SIGKILL)
			var ws WaitStatus
			for {
				if _, err := Wait4(pid, &ws, WALL); err != nil || ws.Exited() || ws.Signaled() {
					return
				}
			}
		})
		th := newThread(t)
		waitSleeping(t, pid) // in pause
		seizeStopped(t, th, pid, OptTraceSysGood|OptExitKill)
		var (
			n    int
			err  error
			info SyscallInfo
		)
		th.Do(func() {
			if n, err = GetRegSet(pid, NTPrStatus, make([]byte, 1024)); err != nil {
				return
			}
			if err = GetSyscallInfo(pid, &info); err != nil {
				return
			}
			for i := 0; i < 10 && err == nil; i++ { // to the next syscall entry
				if err = Syscall(pid, 0); err != nil {
					return
				}
				var ws WaitStatus
				if _, err = Wait4(pid, &ws, WALL); err != nil {
					return
				}
				if err = GetSyscallInfo(pid, &info); info.Op == SyscallInfoEntry {
					return
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 68 {
			t.Errorf("NT_PRSTATUS of an i386 tracee: %d bytes, want 68", n)
		}
		if info.Op != SyscallInfoEntry || info.Arch != unix.AUDIT_ARCH_I386 {
			t.Errorf("syscall entry of an i386 tracee: %+v, want arch %#x", info, unix.AUDIT_ARCH_I386)
		}
		if wantNr != 0 && info.Nr != wantNr {
			t.Errorf("syscall nr %d, want %d (i386 pause)", info.Nr, wantNr)
		}
	}

	t.Run("handmade-elf", func(t *testing.T) {
		path := filepath.Join(dir, "pause32")
		if err := os.WriteFile(path, i386Elf(), 0o755); err != nil {
			t.Fatal(err)
		}
		check(t, path, 29)
	})
	t.Run("gcc-m32", func(t *testing.T) {
		src := filepath.Join(dir, "pause.c")
		if err := os.WriteFile(src, []byte("#include <unistd.h>\nint main(void) { for (;;) pause(); }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, "pause-gcc32")
		if out, err := exec.Command("gcc", "-m32", "-o", bin, src).CombinedOutput(); err != nil {
			// Not a CI failure: gcc-multilib is optional, handmade-elf covers the check.
			t.Skipf("skipped: gcc -m32 does not work here (install gcc-multilib): %v: %s",
				err, firstLine(out))
		}
		check(t, bin, 0)
	})
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

// BenchmarkSyscallStop measures one syscall stop of a busy tracee as a tracer
// loop sees it: PTRACE_SYSCALL, wait, PTRACE_GET_SYSCALL_INFO.
func BenchmarkSyscallStop(b *testing.B) {
	requirePtrace(b)
	path, err := exec.LookPath("yes")
	if err != nil {
		skipOrFail(b, "no yes binary: %v", err)
	}
	for _, mode := range []string{"Wait4", "Wait4NoHang"} {
		b.Run(mode, func(b *testing.B) {
			pid := start(b, exec.Command(path))
			th := newThread(b)
			seizeStopped(b, th, pid, OptTraceSysGood|OptExitKill)
			var (
				info SyscallInfo
				ws   WaitStatus
			)
			err := th.DoErr(func() error {
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := Syscall(pid, 0); err != nil {
						return err
					}
					if mode == "Wait4" {
						if _, err := Wait4(pid, &ws, WALL); err != nil {
							return err
						}
					} else {
						for {
							n, err := Wait4NoHang(pid, &ws, WALL)
							if err != nil {
								return err
							}
							if n != 0 {
								break
							}
						}
					}
					if err := GetSyscallInfo(pid, &info); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}
