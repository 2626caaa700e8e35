package ptrace

import "strconv"

// Options are the PTRACE_O_* flags given to [Seize] or [SetOptions].
type Options uint32

// The PTRACE_O_* flags of include/uapi/linux/ptrace.h.
const (
	OptTraceSysGood   Options = 1 << 0  // syscall stops report SIGTRAP|0x80
	OptTraceFork      Options = 1 << 1  // PTRACE_EVENT_FORK, and trace the child
	OptTraceVfork     Options = 1 << 2  // PTRACE_EVENT_VFORK, and trace the child
	OptTraceClone     Options = 1 << 3  // PTRACE_EVENT_CLONE, and trace the child
	OptTraceExec      Options = 1 << 4  // PTRACE_EVENT_EXEC instead of a plain SIGTRAP after execve
	OptTraceVforkDone Options = 1 << 5  // PTRACE_EVENT_VFORK_DONE
	OptTraceExit      Options = 1 << 6  // PTRACE_EVENT_EXIT before the tracee exits
	OptTraceSeccomp   Options = 1 << 7  // PTRACE_EVENT_SECCOMP on SECCOMP_RET_TRACE
	OptExitKill       Options = 1 << 20 // SIGKILL the tracee when the tracer thread exits
	OptSuspendSeccomp Options = 1 << 21 // suspend the tracee's seccomp filters (needs CAP_SYS_ADMIN)
)

// The PTRACE_EVENT_* values: [WaitStatus.TrapCause] of an event stop, whose
// status is SIGTRAP | event<<8 in the stop signal's place (status>>8).
const (
	EventFork      = 1
	EventVfork     = 2
	EventClone     = 3
	EventExec      = 4
	EventVforkDone = 5
	EventExit      = 6
	EventSeccomp   = 7
	EventStop      = 0x80 // group-stop or PTRACE_INTERRUPT stop of a seized tracee
)

var optionNames = [...]struct {
	opt  Options
	name string
}{
	{OptTraceSysGood, "PTRACE_O_TRACESYSGOOD"},
	{OptTraceFork, "PTRACE_O_TRACEFORK"},
	{OptTraceVfork, "PTRACE_O_TRACEVFORK"},
	{OptTraceClone, "PTRACE_O_TRACECLONE"},
	{OptTraceExec, "PTRACE_O_TRACEEXEC"},
	{OptTraceVforkDone, "PTRACE_O_TRACEVFORKDONE"},
	{OptTraceExit, "PTRACE_O_TRACEEXIT"},
	{OptTraceSeccomp, "PTRACE_O_TRACESECCOMP"},
	{OptExitKill, "PTRACE_O_EXITKILL"},
	{OptSuspendSeccomp, "PTRACE_O_SUSPEND_SECCOMP"},
}

// String returns the set flags joined by "|" in bit order, unknown bits as
// one trailing 0x... value, and "0" for none.
func (o Options) String() string {
	if o == 0 {
		return "0"
	}
	var b []byte
	for _, n := range optionNames {
		if o&n.opt != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, n.name...)
			o &^= n.opt
		}
	}
	if o != 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(o), 16)
	}
	return string(b)
}
