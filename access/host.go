package access

import (
	"fmt"
	"os"
	"strconv"

	"github.com/sonde-dev/sonde/internal/sys"
	"github.com/sonde-dev/sonde/ptrace"
)

// hostEnv is the running system, seen by this process.
func hostEnv() *env {
	p := Proc{}
	return &env{
		proc:         p,
		selfPid:      os.Getpid(),
		seccompProbe: ProbeSeccomp,
		landlockABI:  sys.LandlockABI,
		lsmFile:      sys.SecurityFSDir + "/lsm",
		userNSCap:    func(pid int, caller *Status) nsCap { return userNSCap(p, pid, caller) },
		owner: func(pid int) (uint32, error) {
			uid, _, err := p.Owner(pid)
			return uid, err
		},
		memOpen: func(path string) error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			return f.Close()
		},
	}
}

// ProbeSeccomp asks, without side effects, whether a seccomp filter stands
// between this thread and ptrace: it returns the error of
// ptrace(PTRACE_ATTACH, 0), which matches ESRCH when the call reached the
// kernel's ptrace code (no process 0 can be attached) and anything else,
// usually EPERM, when a filter answered first. Filters are per thread but a
// Go process installs them on all threads (TSYNC), as runtimes do.
func ProbeSeccomp() error { return ptrace.Attach(0) }

// userNSCap decides ns_capable(target's user namespace, CAP_SYS_PTRACE) for
// the caller as the kernel's cap_capable does: in its own namespace, from
// its effective set; in a namespace below its own, all capabilities if its
// euid owns the namespace (or an ancestor of it) whose parent is the
// caller's, else its own CAP_SYS_PTRACE; in any other, none.
func userNSCap(p Proc, pid int, caller *Status) nsCap {
	eff := HasCap(caller.CapEff, CapSysPtrace)
	mine, err := p.Namespace("self", "user")
	if err != nil {
		return nsCap{has: eff, sameNS: true, evidence: []string{"own user namespace unreadable (" + err.Error() + "): assumed the target's"}}
	}
	theirs, err := p.Namespace(strconv.Itoa(pid), "user")
	if err != nil {
		// Reading another process's ns links takes ptrace read access: a
		// caller refused that cannot see the target's namespace.
		return nsCap{has: eff, sameNS: true, evidence: []string{fmt.Sprintf(
			"the target's user namespace is unreadable (%v): taken to be the caller's, user:[%d]", err, mine)}}
	}
	if mine == theirs {
		return nsCap{has: eff, sameNS: true, evidence: []string{fmt.Sprintf(
			"same user namespace user:[%d]; CAP_SYS_PTRACE in the caller's effective set: %v", mine, eff)}}
	}
	chain, err := sys.UserNSAncestry(p.Path(strconv.Itoa(pid), "ns", "user"))
	for i, ns := range chain {
		if ns.Inode != mine {
			continue
		}
		if i > 0 && chain[i-1].Owner == caller.Uid[1] {
			return nsCap{has: true, evidence: []string{fmt.Sprintf(
				"the target's user namespace user:[%d] is below the caller's user:[%d], inside user:[%d] which the caller's euid %d created: all capabilities there",
				theirs, mine, chain[i-1].Inode, caller.Uid[1])}}
		}
		return nsCap{has: eff, evidence: []string{fmt.Sprintf(
			"the target's user namespace user:[%d] is below the caller's user:[%d]; CAP_SYS_PTRACE in the caller's effective set: %v",
			theirs, mine, eff)}}
	}
	ev := fmt.Sprintf("the target runs in another user namespace, user:[%d], not below the caller's user:[%d]: no capability there", theirs, mine)
	if err != nil {
		ev += " (" + err.Error() + ")"
	}
	return nsCap{evidence: []string{ev}}
}
