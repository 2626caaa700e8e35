// Package audit reports a host's ptrace posture: could a process here be
// ptraced, by whom, is anyone doing it now. Run gathers Findings, each with
// a Severity (info, low, medium, high), the evidence it rests on (what was
// read, as read) and an action ("set kernel.yama.ptrace_scope=2"):
//
//   - Yama: present or not, and what its ptrace_scope allows;
//   - the active security modules (securityfs's lsm file; when securityfs is
//     not mounted, Run mounts it, reads the file, unmounts it, and says so)
//     and which of them have a ptrace hook;
//   - the Landlock ABI;
//   - the kernel settings that widen or narrow what one user can do to
//     another's processes: kernel.unprivileged_bpf_disabled,
//     kernel.perf_event_paranoid, kernel.dmesg_restrict, fs.suid_dumpable,
//     user.max_user_namespaces;
//   - whether sonde runs in a container, as a list of Signals each with its
//     evidence and Strength (a marker file such as /.dockerenv is weak, a
//     non-initial pid namespace strong) rather than a bare verdict;
//   - sonde's own capabilities, NoNewPrivs and seccomp state, and whether a
//     seccomp filter denies it ptrace (the side-effect-free
//     ptrace(PTRACE_ATTACH, 0) probe);
//   - who traces whom now (Traces, which `sonde ps` prints in full).
//
// Source says where Run looks; HostSource is the running system.
//
// # Errors
//
// Run has no error: what it cannot read becomes a finding that says so
// (lsm.unknown, a sysctl "not present on this kernel"). Traces fails only
// when /proc cannot be listed; tasks that vanish while it reads are skipped
// and counted in its notes.
package audit
