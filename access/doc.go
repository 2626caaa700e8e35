// Package access answers one question: could this process attach to
// process PID with ptrace, and if not, which of the kernel's checks refuses
// it? Evaluate goes through the checks in the order kernel/ptrace.c makes
// them for PTRACE_ATTACH and PTRACE_SEIZE, reading only /proc and probes
// with no side effects:
//
//   - seccomp: a filter on the caller (the ptrace(PTRACE_ATTACH, 0) probe:
//     ESRCH means the call reached the kernel, EPERM a filter);
//   - the process exists (ESRCH), is not a kernel thread, is not the caller;
//   - credentials: the target's real, effective and saved uids and gids all
//     equal the caller's real ones, else CAP_SYS_PTRACE in the target's user
//     namespace (decided as cap_capable does, through NS_GET_PARENT);
//   - dumpable: a non-dumpable target (setuid, PR_SET_DUMPABLE 0) needs
//     CAP_SYS_PTRACE; /proc shows it as entries owned by root instead of the
//     target's euid, which says nothing for a root target;
//   - the security modules, in boot order: capability (the target's permitted
//     set within the caller's), Yama (ptrace_scope, and for scope 1 whether
//     the caller is an ancestor; a PR_SET_PTRACER exception is not visible
//     from /proc), Landlock (domains are not visible either), and the
//     modules whose policy sonde cannot read (SELinux, AppArmor, Smack, BPF);
//   - exiting (a zombie), already traced (TracerPid names the tracer thread;
//     Result gives its process too).
//
// Each check is a Step with a Verdict (Pass, Fail, Unknown), a reason and
// its evidence. The first failing step is the refusal, as the kernel stops
// there. Checks /proc cannot answer are settled, when possible, by the
// kernel's own side-effect-free verdict on opening /proc/PID/mem
// (KernelCheck), which runs the same credential, dumpability and LSM checks.
//
// Proc and Status are the /proc reading this needs, shared with the audit
// package.
//
// # Errors
//
// Evaluate's error matches ErrNoProcess when PID has no /proc entry (the
// kernel would say ESRCH); any other error is a failure to read the caller's
// own /proc entry or the target's. A refused attach is not an error: it is a
// Result whose Outcome is Refused.
package access
