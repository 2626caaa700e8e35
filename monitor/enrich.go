package monitor

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// procInfo is what /proc says about one process or thread.
type procInfo struct {
	tgid   int
	comm   string
	exe    string
	uid    int
	cgroup string
	at     time.Time
	ok     bool
}

// enricher fills an event's process fields from /proc, caching each pid's
// answer briefly so that a burst of calls from one tracer costs one read.
// A process that has exited keeps what the BPF record had (the caller's
// comm and uid) and an empty exe.
type enricher struct {
	root  string // "/proc"
	ttl   time.Duration
	cache map[int]procInfo
}

func newEnricher() *enricher {
	return &enricher{root: "/proc", ttl: time.Second, cache: map[int]procInfo{}}
}

func (en *enricher) lookup(pid int, now time.Time) procInfo {
	if pid <= 0 {
		return procInfo{uid: -1}
	}
	if pi, ok := en.cache[pid]; ok && now.Sub(pi.at) < en.ttl {
		return pi
	}
	if len(en.cache) > 4096 {
		clear(en.cache)
	}
	pi := en.read(pid)
	pi.at = now
	en.cache[pid] = pi
	return pi
}

func (en *enricher) read(pid int) procInfo {
	dir := en.root + "/" + strconv.Itoa(pid)
	pi := procInfo{uid: -1}
	st, err := os.ReadFile(dir + "/status")
	if err != nil {
		return pi
	}
	pi.ok = true
	for _, line := range strings.Split(string(st), "\n") {
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch k {
		case "Name":
			pi.comm = v
		case "Tgid":
			pi.tgid, _ = strconv.Atoi(v)
		case "Uid":
			if f := strings.Fields(v); len(f) > 0 {
				pi.uid, _ = strconv.Atoi(f[0])
			}
		}
	}
	pi.exe, _ = os.Readlink(dir + "/exe")
	if cg, err := os.ReadFile(dir + "/cgroup"); err == nil {
		pi.cgroup = cgroupV2Path(string(cg))
	}
	return pi
}

// pidfdTarget returns the pid a pidfd of process pid refers to, from its
// fdinfo's "Pid:" line (Linux 5.4), or 0.
func (en *enricher) pidfdTarget(pid int, fd uint64) int {
	b, err := os.ReadFile(en.root + "/" + strconv.Itoa(pid) + "/fdinfo/" + strconv.FormatUint(fd, 10))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pid:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// fill completes e's tracer and target from /proc.
func (en *enricher) fill(e *Event) {
	now := time.Now()
	t := en.lookup(e.Tracer.Pid, now)
	if t.ok {
		e.Tracer.Exe = t.exe
		e.Cgroup = t.cgroup
		e.ContainerID = containerID(t.cgroup)
	}
	if e.call == CallPidfdGetfd && e.Target.Pid == 0 {
		e.Target.Pid = en.pidfdTarget(e.Tracer.Pid, e.Args[0])
	}
	id := e.Target.Pid
	if id == 0 {
		id = e.Target.Tid
	}
	if e.targetKnown {
		// The kernel's comm, tgid and uid at the call stand; /proc
		// adds the exe if the process is still there.
		if pi := en.lookup(id, now); pi.ok {
			e.Target.Exe = pi.exe
		}
		return
	}
	e.Target.UID = -1
	if id == 0 {
		return
	}
	pi := en.lookup(id, now)
	if !pi.ok {
		if e.Target.Pid == e.Tracer.Pid {
			e.Target.Comm, e.Target.UID = e.Tracer.Comm, e.Tracer.UID
		}
		return
	}
	if e.Target.Pid == 0 {
		e.Target.Pid = pi.tgid
	}
	e.Target.Comm, e.Target.Exe, e.Target.UID = pi.comm, pi.exe, pi.uid
}
