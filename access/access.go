package access

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Check names one of the kernel's checks on an attach.
type Check string

// The checks, in the order the kernel makes them for PTRACE_ATTACH and
// PTRACE_SEIZE (kernel/ptrace.c ptrace_attach and __ptrace_may_access, then
// security_ptrace_access_check's modules in their boot order, then the
// attach itself).
const (
	CheckSeccomp      Check = "seccomp"           // a filter on the caller stops ptrace(2) at entry
	CheckProcess      Check = "process"           // ESRCH: no such process
	CheckKernelThread Check = "kernel-thread"     // PF_KTHREAD
	CheckSelf         Check = "same-thread-group" // a thread of the caller itself
	CheckCredentials  Check = "credentials"       // uid/gid triple, else CAP_SYS_PTRACE in the target's user ns
	CheckDumpable     Check = "dumpable"          // a non-dumpable target needs CAP_SYS_PTRACE
	CheckCapabilities Check = "capabilities"      // commoncap: the target's permitted set within the caller's
	CheckYama         Check = "yama"              // Yama's ptrace_scope and relationship
	CheckLandlock     Check = "landlock"          // the target must be in the caller's Landlock domain
	CheckLSM          Check = "lsm"               // another module with a ptrace hook (Step.Module)
	CheckExiting      Check = "exiting"           // a zombie or dying target
	CheckTraced       Check = "already-traced"    // one tracer at a time
)

// Verdict is the outcome of one check.
type Verdict string

// The verdicts. Unknown is a check /proc cannot answer (another LSM's
// policy, a Landlock domain, a PR_SET_PTRACER exception).
const (
	Pass    Verdict = "pass"
	Fail    Verdict = "fail"
	Unknown Verdict = "unknown"
)

// Step is one check and what it found.
type Step struct {
	Check    Check    `json:"check"`
	Module   string   `json:"module,omitempty"` // for CheckLSM: "selinux", "apparmor", "bpf", ...
	Verdict  Verdict  `json:"verdict"`
	Reason   string   `json:"reason"`
	Evidence []string `json:"evidence,omitempty"`
}

// Party is the caller or the target of an attach.
type Party struct {
	Pid    int       `json:"pid"`
	Tid    int       `json:"tid,omitempty"` // the thread asked about, when not the process
	Comm   string    `json:"comm"`
	Exe    string    `json:"exe,omitempty"`
	Uid    [4]uint32 `json:"uid"` // real, effective, saved, file system
	Gid    [4]uint32 `json:"gid"`
	CapPrm []string  `json:"cap_permitted"`
	CapEff []string  `json:"cap_effective"`
}

// KernelCheck is the kernel's own answer to a closely related question,
// asked without side effects: may the caller open /proc/PID/mem? The open
// runs __ptrace_may_access (with the caller's file-system ids and effective
// capabilities instead of its real ids and permitted ones) and every LSM's
// ptrace hook, behind the file's permission bits; it does not check
// seccomp, kernel threads, exiting or traced targets.
type KernelCheck struct {
	Path    string `json:"path"`
	Allowed bool   `json:"allowed"`
	Errno   string `json:"errno,omitempty"`
}

// Outcome is the overall answer.
type Outcome string

// The outcomes. Undetermined: no check failed but some could not be
// answered and the kernel check could not settle them.
const (
	Allowed      Outcome = "allowed"
	Refused      Outcome = "refused"
	Undetermined Outcome = "undetermined"
)

// Result says whether the caller could attach to a process, and if not,
// which check refuses it.
type Result struct {
	Pid     int     `json:"pid"`
	Outcome Outcome `json:"outcome"`
	// RefusedBy is the first check that fails, as the kernel would stop at
	// it; Cause is its reason in one line ("" when allowed).
	RefusedBy Check  `json:"refused_by,omitempty"`
	Cause     string `json:"cause,omitempty"`
	Caller    Party  `json:"caller"`
	Target    Party  `json:"target"`
	Steps     []Step `json:"checks"`
	// TracerPid, TracerTid and TracerComm name the tracer already attached,
	// if any: its process, the thread that attached, its comm.
	TracerPid  int          `json:"tracer_pid,omitempty"`
	TracerTid  int          `json:"tracer_tid,omitempty"`
	TracerComm string       `json:"tracer_comm,omitempty"`
	Kernel     *KernelCheck `json:"kernel_check,omitempty"`
	// LSMs lists the active security modules when they could be read.
	LSMs  []string `json:"lsms,omitempty"`
	Notes []string `json:"notes,omitempty"`
}

// Options adjust Evaluate.
type Options struct {
	// Caller names the calling program in reasons; "" is "sonde".
	Caller string
	// NoKernelCheck skips the /proc/PID/mem open (KernelCheck).
	NoKernelCheck bool
	// AttachFailed says the caller's attach to the process has just failed
	// with EPERM: when no check fails, the checks /proc cannot answer are
	// then the refusal, whatever the kernel check says.
	AttachFailed bool
}

// nsCap is the caller's standing in the target's user namespace.
type nsCap struct {
	has      bool // CAP_SYS_PTRACE there (ns_capable)
	sameNS   bool // the caller's own user namespace
	evidence []string
}

// env is everything Evaluate reads, so tests can fake it.
type env struct {
	proc    Proc
	selfPid int
	// seccompProbe is ptrace(PTRACE_ATTACH, 0)'s error.
	seccompProbe func() error
	landlockABI  func() (int, error)
	// lsmFile is securityfs's lsm file.
	lsmFile string
	// userNSCap says whether the caller holds CAP_SYS_PTRACE over pid's
	// user namespace.
	userNSCap func(pid int, caller *Status) nsCap
	// memOpen opens /proc/PID/mem for reading and closes it.
	memOpen func(path string) error
	// owner is the uid owning /proc/PID (Proc.Owner).
	owner func(pid int) (uint32, error)
}

// Evaluate says whether this process could attach to pid (a process or a
// thread id in its pid namespace) with PTRACE_ATTACH or PTRACE_SEIZE, and if
// not which check refuses it, going through every check in the kernel's
// order. It attaches to nothing. A pid that does not exist is an error
// matching ErrNoProcess.
func Evaluate(pid int, opt Options) (*Result, error) {
	return hostEnv().evaluate(pid, opt)
}

func (e *env) evaluate(pid int, opt Options) (*Result, error) {
	who := opt.Caller
	if who == "" {
		who = "sonde"
	}
	self, err := e.proc.Status(e.selfPid)
	if err != nil {
		return nil, fmt.Errorf("read the caller's status: %w", err)
	}
	r := &Result{Pid: pid, Caller: party(e.proc, e.selfPid, self)}
	r.Caller.Exe = e.proc.Exe(e.selfPid)

	// Seccomp runs at the system call's entry, before anything else.
	r.Steps = append(r.Steps, e.checkSeccomp(who, self))

	st, err := e.proc.Status(pid)
	if err != nil {
		if errors.Is(err, ErrNoProcess) {
			return nil, fmt.Errorf("process %d: %w", pid, ErrNoProcess)
		}
		return nil, err
	}
	r.Target = party(e.proc, pid, st)
	r.Steps = append(r.Steps, Step{Check: CheckProcess, Verdict: Pass,
		Reason:   fmt.Sprintf("process %d exists (%s)", pid, describe(r.Target)),
		Evidence: []string{fmt.Sprintf("%s: State %s, Tgid %d, PPid %d", e.proc.Path(strconv.Itoa(pid), "status"), st.State, st.Tgid, st.PPid)},
	})
	r.Steps = append(r.Steps, e.checkKernelThread(pid, st))
	r.Steps = append(r.Steps, checkSelf(who, e.selfPid, st))

	nc := e.userNSCap(pid, self)
	capOK := nc.has
	r.Steps = append(r.Steps, checkCredentials(who, self, st, nc))
	r.Steps = append(r.Steps, e.checkDumpable(who, pid, st, capOK))

	lsms, lsmErr := e.activeLSMs()
	r.LSMs = lsms
	for _, m := range lsms {
		switch m {
		case "capability":
			r.Steps = append(r.Steps, checkCapabilities(who, self, st, nc))
		case "yama":
			r.Steps = append(r.Steps, e.checkYama(who, pid, self, capOK))
		case "landlock":
			r.Steps = append(r.Steps, e.checkLandlock(who, self))
		default:
			if s, ok := otherLSM(m); ok {
				r.Steps = append(r.Steps, s)
			}
		}
	}
	if lsmErr != nil {
		r.Notes = append(r.Notes, lsmErr.Error())
	}

	r.Steps = append(r.Steps, checkExiting(st))
	r.Steps = append(r.Steps, e.checkTraced(r, st))

	if !opt.NoKernelCheck {
		path := e.proc.Path(strconv.Itoa(pid), "mem")
		k := &KernelCheck{Path: path, Allowed: true}
		if err := e.memOpen(path); err != nil {
			k.Allowed = false
			k.Errno = errText(err)
		}
		r.Kernel = k
	}
	r.conclude(opt.AttachFailed)
	return r, nil
}

// conclude sets the outcome from the steps and the kernel check; refused
// says the kernel refused an attach.
func (r *Result) conclude(refused bool) {
	lsmStep := func(s Step) bool {
		return s.Check == CheckCapabilities || s.Check == CheckYama || s.Check == CheckLandlock ||
			s.Check == CheckLSM || s.Check == CheckDumpable || s.Check == CheckCredentials
	}
	if k := r.Kernel; k != nil && k.Allowed && !refused {
		// The kernel ran __ptrace_may_access and every LSM hook and said
		// yes: the checks /proc could not answer passed.
		for i := range r.Steps {
			s := &r.Steps[i]
			if lsmStep(*s) && s.Verdict == Unknown {
				s.Verdict = Pass
				s.Evidence = append(s.Evidence, "undecided from /proc: "+s.Reason)
				s.Reason = "the kernel allowed open(" + k.Path + "), which runs this check"
			}
		}
	}
	for _, s := range r.Steps {
		if s.Verdict == Fail {
			r.Outcome, r.RefusedBy, r.Cause = Refused, s.Check, s.Reason
			return
		}
	}
	var unknown []string
	for _, s := range r.Steps {
		if s.Verdict == Unknown {
			name := string(s.Check)
			if s.Module != "" {
				name = s.Module
			}
			unknown = append(unknown, name)
		}
	}
	switch {
	case len(unknown) == 0:
		r.Outcome = Allowed
	case refused || (r.Kernel != nil && !r.Kernel.Allowed):
		r.Outcome = Refused
		for _, s := range r.Steps {
			if s.Verdict == Unknown {
				r.RefusedBy = s.Check
				break
			}
		}
		allLSM := true
		for _, s := range r.Steps {
			allLSM = allLSM && (s.Verdict != Unknown || s.Module != "")
		}
		if allLSM {
			r.Cause = "refused by a security module (" + strings.Join(unknown, " or ")
			if len(r.LSMs) > 0 {
				r.Cause += "; active: " + strings.Join(r.LSMs, ",")
			}
		} else {
			r.Cause = "refused by a check /proc cannot answer (" + strings.Join(unknown, " or ")
			if len(r.LSMs) > 0 {
				r.Cause += "; active LSMs: " + strings.Join(r.LSMs, ",")
			}
		}
		r.Cause += ")"
		if r.Kernel != nil && !r.Kernel.Allowed {
			r.Notes = append(r.Notes, fmt.Sprintf("the kernel refuses %s too (%s); /proc cannot tell which of %s refuses",
				r.Kernel.Path, r.Kernel.Errno, strings.Join(unknown, ", ")))
		}
	default:
		r.Outcome = Undetermined
		r.Notes = append(r.Notes, "not determined from /proc: "+strings.Join(unknown, ", "))
	}
}

func party(p Proc, pid int, st *Status) Party {
	pt := Party{Pid: st.Tgid, Comm: st.Name, Uid: st.Uid, Gid: st.Gid,
		CapPrm: CapNames(st.CapPrm), CapEff: CapNames(st.CapEff)}
	if pt.Pid == 0 {
		pt.Pid = pid
	}
	if pid != pt.Pid {
		pt.Tid = pid
	}
	pt.Exe = p.Exe(pt.Pid)
	return pt
}

func describe(p Party) string {
	s := p.Comm
	if p.Exe != "" {
		s += ", " + p.Exe
	}
	s += ", uid " + ids(p.Uid)
	if p.Tid != 0 {
		s += fmt.Sprintf(", a thread of process %d", p.Pid)
	}
	return s
}

// ids formats the real, effective and saved ids: "0/0/0".
func ids(v [4]uint32) string {
	return fmt.Sprintf("%d/%d/%d", v[0], v[1], v[2])
}

func (e *env) checkSeccomp(who string, self *Status) Step {
	s := Step{Check: CheckSeccomp}
	ev := fmt.Sprintf("%s's Seccomp %d, Seccomp_filters %d", who, self.Seccomp, self.SeccompFilters)
	err := e.seccompProbe()
	switch {
	case errors.Is(err, syscall.ESRCH):
		s.Verdict, s.Reason = Pass, "no seccomp filter denies ptrace to "+who
		s.Evidence = []string{"ptrace(PTRACE_ATTACH, 0) reached the kernel: " + errText(err), ev}
	case err == nil:
		s.Verdict, s.Reason = Unknown, "the seccomp probe ptrace(PTRACE_ATTACH, 0) succeeded, which the kernel never does"
		s.Evidence = []string{ev}
	default:
		s.Verdict, s.Reason = Fail, "a seccomp filter denies ptrace to "+who
		s.Evidence = []string{"ptrace(PTRACE_ATTACH, 0) returned " + errText(err) + " instead of ESRCH: a filter answered before the kernel's ptrace code", ev}
	}
	return s
}

func (e *env) checkKernelThread(pid int, st *Status) Step {
	s := Step{Check: CheckKernelThread, Verdict: Pass, Reason: "not a kernel thread"}
	switch {
	case st.Kthread == 1:
		s.Verdict, s.Reason = Fail, "it is a kernel thread"
		s.Evidence = []string{"Kthread: 1"}
	case st.Kthread == -1 && (st.Tgid == 2 || st.PPid == 2) && e.proc.Exe(pid) == "":
		// Before Linux 6.3 there is no Kthread field: kthreadd (2) and its
		// children, with no executable, are the kernel's.
		s.Verdict, s.Reason = Fail, "it is a kernel thread"
		s.Evidence = []string{fmt.Sprintf("PPid %d and no /proc/%d/exe", st.PPid, pid)}
	case st.Kthread == 0:
		s.Evidence = []string{"Kthread: 0"}
	}
	return s
}

func checkSelf(who string, selfPid int, st *Status) Step {
	if st.Tgid == selfPid {
		return Step{Check: CheckSelf, Verdict: Fail, Reason: "it is " + who + " itself",
			Evidence: []string{fmt.Sprintf("Tgid %d is %s's pid", st.Tgid, who)}}
	}
	return Step{Check: CheckSelf, Verdict: Pass, Reason: "not a thread of " + who}
}

func checkCredentials(who string, self, st *Status, nc nsCap) Step {
	s := Step{Check: CheckCredentials}
	ruid, rgid := self.Uid[0], self.Gid[0]
	same := true
	for i := 0; i < 3; i++ {
		same = same && st.Uid[i] == ruid && st.Gid[i] == rgid
	}
	ev := fmt.Sprintf("target uids %s, gids %s (real/effective/saved); %s's real uid %d, gid %d",
		ids(st.Uid), ids(st.Gid), who, ruid, rgid)
	s.Evidence = append([]string{ev}, nc.evidence...)
	switch {
	case same:
		s.Verdict, s.Reason = Pass, fmt.Sprintf("its uids and gids all match %s's real uid %d and gid %d", who, ruid, rgid)
	case nc.has:
		s.Verdict, s.Reason = Pass, fmt.Sprintf("its ids differ from %s's but %s holds CAP_SYS_PTRACE in its user namespace", who, who)
	default:
		s.Verdict = Fail
		s.Reason = fmt.Sprintf("it runs as uid %s (gid %s) and %s (uid %d, gid %d) lacks CAP_SYS_PTRACE",
			ids(st.Uid), ids(st.Gid), who, ruid, rgid)
	}
	return s
}

func (e *env) checkDumpable(who string, pid int, st *Status, capOK bool) Step {
	s := Step{Check: CheckDumpable}
	uid, err := e.owner(pid)
	switch {
	case err != nil:
		s.Verdict, s.Reason = Unknown, "cannot tell whether it is dumpable"
		s.Evidence = []string{err.Error()}
		if capOK {
			s.Verdict, s.Reason = Pass, who+" holds CAP_SYS_PTRACE, which overrides dumpability"
		}
		return s
	case uid == st.Uid[1] && uid != 0:
		s.Verdict, s.Reason = Pass, "it is dumpable"
		s.Evidence = []string{fmt.Sprintf("%s belongs to its effective uid %d", e.proc.Path(strconv.Itoa(pid), "status"), uid)}
		return s
	case uid != st.Uid[1]:
		s.Evidence = []string{fmt.Sprintf("%s belongs to uid %d, not its effective uid %d: the kernel hands a non-dumpable process's /proc files to root",
			e.proc.Path(strconv.Itoa(pid), "status"), uid, st.Uid[1])}
		if capOK {
			s.Verdict, s.Reason = Pass, "it is not dumpable, but "+who+" holds CAP_SYS_PTRACE"
		} else {
			s.Verdict, s.Reason = Fail, "it is not dumpable (setuid, or PR_SET_DUMPABLE 0) and "+who+" lacks CAP_SYS_PTRACE"
		}
		return s
	}
	// Effective uid 0: /proc belongs to root either way.
	s.Evidence = []string{fmt.Sprintf("%s belongs to root, as does any root process's: dumpability does not show", e.proc.Path(strconv.Itoa(pid), "status"))}
	if capOK {
		s.Verdict, s.Reason = Pass, who+" holds CAP_SYS_PTRACE, which overrides dumpability"
	} else {
		s.Verdict, s.Reason = Unknown, "it runs as root, so /proc does not show whether it is dumpable; if it is not, "+who+" (without CAP_SYS_PTRACE) is refused"
	}
	return s
}

func checkCapabilities(who string, self, st *Status, nc nsCap) Step {
	s := Step{Check: CheckCapabilities, Module: "capability"}
	extra := st.CapPrm &^ self.CapPrm
	s.Evidence = []string{fmt.Sprintf("target CapPrm %016x, %s's CapPrm %016x", st.CapPrm, who, self.CapPrm)}
	switch {
	case extra == 0 && nc.sameNS:
		s.Verdict, s.Reason = Pass, "its permitted capabilities are within "+who+"'s"
	case nc.has:
		s.Verdict, s.Reason = Pass, who+" holds CAP_SYS_PTRACE in its user namespace"
	case extra != 0:
		s.Verdict = Fail
		names := CapNames(extra)
		list := strings.Join(names, ", ")
		if len(names) > 4 {
			list = fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
		}
		s.Reason = fmt.Sprintf("it holds capabilities %s does not (%s) and %s lacks CAP_SYS_PTRACE", who, list, who)
		s.Evidence = append(s.Evidence, "capabilities only the target holds: "+strings.Join(names, ", "))
	default:
		s.Verdict = Fail
		s.Reason = "it runs in another user namespace, where " + who + " lacks CAP_SYS_PTRACE"
		s.Evidence = append(s.Evidence, nc.evidence...)
	}
	return s
}

func (e *env) checkYama(who string, pid int, self *Status, capOK bool) Step {
	s := Step{Check: CheckYama, Module: "yama"}
	path := e.proc.Path("sys", "kernel", "yama", "ptrace_scope")
	data, err := os.ReadFile(path)
	if err != nil {
		s.Verdict, s.Reason = Unknown, "Yama is active but its scope is unreadable"
		s.Evidence = []string{err.Error()}
		return s
	}
	scope := strings.TrimSpace(string(data))
	s.Evidence = []string{path + ": " + scope}
	switch scope {
	case "0":
		s.Verdict, s.Reason = Pass, "Yama ptrace_scope 0 (classic) adds no restriction"
	case "1":
		switch {
		case e.proc.IsAncestor(e.selfPid, pid):
			s.Verdict, s.Reason = Pass, fmt.Sprintf("Yama ptrace_scope 1 allows it: %s is an ancestor of %d", who, pid)
		case capOK:
			s.Verdict, s.Reason = Pass, "Yama ptrace_scope 1 allows it: "+who+" holds CAP_SYS_PTRACE"
		default:
			s.Verdict = Fail
			s.Reason = "Yama ptrace_scope 1 allows tracing only descendants (or a process that named " + who +
				" with PR_SET_PTRACER, which /proc does not show)"
			s.Evidence = append(s.Evidence, fmt.Sprintf("%s (%d) is not an ancestor of %d", who, e.selfPid, pid),
				"a PR_SET_PTRACER exception is not visible from /proc")
		}
	case "2":
		if capOK {
			s.Verdict, s.Reason = Pass, "Yama ptrace_scope 2 allows it: "+who+" holds CAP_SYS_PTRACE"
		} else {
			s.Verdict, s.Reason = Fail, "Yama ptrace_scope 2 requires CAP_SYS_PTRACE"
		}
	case "3":
		s.Verdict, s.Reason = Fail, "Yama ptrace_scope 3 forbids attaching"
	default:
		s.Verdict, s.Reason = Unknown, "Yama ptrace_scope "+scope+" is not one sonde knows"
	}
	return s
}

func (e *env) checkLandlock(who string, self *Status) Step {
	s := Step{Check: CheckLandlock, Module: "landlock", Verdict: Unknown,
		Reason: "refused if " + who + " runs in a Landlock domain the target is not inside"}
	if abi, err := e.landlockABI(); err == nil {
		s.Evidence = []string{fmt.Sprintf("Landlock ABI %d", abi)}
	}
	// Not even NoNewPrivs tells: a domain entered by a privileged ancestor
	// is inherited by processes that never set it.
	s.Evidence = append(s.Evidence, "a process's Landlock domain is not visible from /proc")
	return s
}

// otherLSM returns the step of a module with a ptrace_access_check hook
// sonde cannot evaluate; false for modules without one.
func otherLSM(m string) (Step, bool) {
	var why string
	switch m {
	case "selinux":
		why = "SELinux policy decides (the process class's ptrace permission between the two domains)"
	case "apparmor":
		why = "AppArmor profiles decide (their ptrace rules)"
	case "smack":
		why = "Smack decides from the two processes' labels"
	case "bpf":
		why = "a BPF LSM program attached to ptrace_access_check could refuse"
	default:
		return Step{}, false
	}
	return Step{Check: CheckLSM, Module: m, Verdict: Unknown, Reason: why + "; not evaluated"}, true
}

func checkExiting(st *Status) Step {
	if st.Exiting() {
		return Step{Check: CheckExiting, Verdict: Fail, Reason: "it is exiting", Evidence: []string{"State " + st.State}}
	}
	return Step{Check: CheckExiting, Verdict: Pass, Reason: "it is not exiting", Evidence: []string{"State " + st.State}}
}

func (e *env) checkTraced(r *Result, st *Status) Step {
	s := Step{Check: CheckTraced}
	if st.TracerPid == 0 {
		s.Verdict, s.Reason = Pass, "no tracer"
		s.Evidence = []string{"TracerPid 0"}
		if ns, err := e.proc.Namespace("self", "pid"); err == nil && ns != initialPidNSInode {
			s.Evidence = append(s.Evidence, "this pid namespace is not the initial one: a tracer outside it also reads as TracerPid 0")
		}
		return s
	}
	r.TracerTid = st.TracerPid
	r.TracerPid = st.TracerPid
	if ts, err := e.proc.Status(st.TracerPid); err == nil && ts.Tgid != 0 {
		r.TracerPid = ts.Tgid
	}
	r.TracerComm = e.proc.Comm(r.TracerPid)
	s.Verdict = Fail
	s.Reason = fmt.Sprintf("already traced by process %d (%s)", r.TracerPid, r.TracerComm)
	if r.TracerTid != r.TracerPid {
		s.Reason += fmt.Sprintf(", thread %d", r.TracerTid)
	}
	s.Evidence = []string{fmt.Sprintf("TracerPid %d (the id of the tracer thread)", st.TracerPid)}
	return s
}

// initialPidNSInode is PROC_PID_INIT_INO, the initial pid namespace's
// inode, fixed since Linux 3.8.
const initialPidNSInode = 0xEFFFFFFC

// activeLSMs reads securityfs's lsm file; when it cannot, it infers the
// modules it can see (capability always; Yama from its sysctl; Landlock
// from its ABI probe) and says so in the error.
func (e *env) activeLSMs() ([]string, error) {
	data, err := os.ReadFile(e.lsmFile)
	if err == nil {
		var out []string
		for _, m := range strings.Split(strings.TrimSpace(string(data)), ",") {
			if m != "" {
				out = append(out, m)
			}
		}
		if !slices.Contains(out, "capability") {
			out = append([]string{"capability"}, out...)
		}
		return out, nil
	}
	out := []string{"capability"}
	if _, err := os.Stat(e.proc.Path("sys", "kernel", "yama")); err == nil {
		out = append(out, "yama")
	}
	if _, err := e.landlockABI(); err == nil {
		out = append(out, "landlock")
	}
	return out, fmt.Errorf("active LSMs inferred (%s): %s unreadable (securityfs not mounted?), so SELinux, AppArmor, Smack and BPF LSM were not considered",
		strings.Join(out, ","), e.lsmFile)
}

// errText is the errno's name and text: "ESRCH (no such process)".
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if name := errnoName(errno); name != "" {
			return name + " (" + errno.Error() + ")"
		}
		return errno.Error()
	}
	return err.Error()
}

func errnoName(e syscall.Errno) string {
	switch e {
	case syscall.EPERM:
		return "EPERM"
	case syscall.ESRCH:
		return "ESRCH"
	case syscall.EACCES:
		return "EACCES"
	case syscall.ENOSYS:
		return "ENOSYS"
	case syscall.EINVAL:
		return "EINVAL"
	case syscall.EIO:
		return "EIO"
	case syscall.ENOENT:
		return "ENOENT"
	}
	return ""
}
