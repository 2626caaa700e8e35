package monitor

import (
	"bytes"
	"encoding/binary"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// Process is one side of a call: the tracer (the caller) or the target.
// Fields that could not be read (the process had exited) are empty, and UID
// is -1.
type Process struct {
	Pid  int    `json:"pid"`           // thread group id
	Tid  int    `json:"tid,omitempty"` // the thread: the caller's, or the one a ptrace request named
	Comm string `json:"comm"`
	Exe  string `json:"exe"`
	UID  int    `json:"uid"` // real uid
}

// Event is one watched call, completed at its exit. It is the "event"
// record of docs/watch.md's JSON schema.
type Event struct {
	Type    string    `json:"type"` // "event"
	Time    time.Time `json:"time"` // at entry
	Call    string    `json:"call"` // ptrace, process_vm_readv, process_vm_writev, pidfd_getfd, open, openat, openat2
	Request string    `json:"request"`
	ABI     string    `json:"abi"` // x86_64, i386, aarch64
	Nr      uint32    `json:"nr"`
	Tracer  Process   `json:"tracer"`
	Target  Process   `json:"target"`
	Addr    uint64    `json:"addr"`
	Data    uint64    `json:"data"`
	Args    [6]uint64 `json:"args"`
	Path    string    `json:"path,omitempty"`
	Result  int64     `json:"result"`
	Errno   string    `json:"errno,omitempty"`

	CgroupID    uint64 `json:"cgroup_id"`
	Cgroup      string `json:"cgroup,omitempty"`
	ContainerID string `json:"container_id,omitempty"`

	call          Call
	reqNr         uint64
	pidfdResolved bool // the kernel program found pidfd_getfd's target
	targetKnown   bool // the kernel program found the ptrace target's comm, tgid and uid
}

// Ptrace request numbers the detector and the decoder need
// (linux/ptrace.h; GETREGS and SETREGS are x86's and arm's).
const (
	reqTraceMe   = 0
	reqPokeText  = 4
	reqPokeData  = 5
	reqPokeUser  = 6
	reqCont      = 7
	reqGetRegs   = 12
	reqSetRegs   = 13
	reqAttach    = 16
	reqDetach    = 17
	reqGetRegSet = 0x4204
	reqSetRegSet = 0x4205
	reqSeize     = 0x4206
)

// memPath matches the mem file of a process or a thread.
var memPath = regexp.MustCompile(`^/proc/(\d+|self|thread-self)(?:/task/(\d+))?/mem$`)

// decodeRecord turns one ring-buffer record into an Event, without the
// /proc enrichment. ok is false for a record to drop: a short one, or an
// open of a /proc/ path other than a mem file.
func decodeRecord(raw []byte, h hostABI, monoWall int64) (e *Event, ok bool) {
	if len(raw) < recSize {
		return nil, false
	}
	ne := binary.NativeEndian
	u64 := func(off int) uint64 { return ne.Uint64(raw[off:]) }
	u32 := func(off int) uint32 { return ne.Uint32(raw[off:]) }
	abi := u32(recABI)
	table := h.table(abi)
	e = &Event{
		Type:     "event",
		Time:     time.Unix(0, monoWall+int64(u64(recTime))),
		Nr:       u32(recNr),
		ABI:      table.Arch,
		CgroupID: u64(recCgroupID),
		Result:   int64(u64(recRet)),
		call:     Call(u32(recCall)),
	}
	e.Call = e.call.String()
	compat := table.Arch == "i386"
	for i := range e.Args {
		v := u64(recArgs + 8*i)
		if compat {
			v &= 0xffffffff
		}
		e.Args[i] = v
	}
	if compat {
		e.Result = int64(int32(e.Result))
	}
	pidTgid := u64(recPidTgid)
	e.Tracer = Process{Pid: int(pidTgid >> 32), Tid: int(uint32(pidTgid)),
		Comm: cString(raw[recComm : recComm+16]), UID: int(uint32(u64(recUIDGid)))}
	pidArg := func(v uint64) int { return int(int32(uint32(v))) }
	switch e.call {
	case CallPtrace:
		e.reqNr = e.Args[0]
		e.Request = requestName(table.Arch, e.reqNr)
		e.Addr, e.Data = e.Args[2], e.Args[3]
		if e.reqNr == reqTraceMe {
			e.Target = Process{Pid: e.Tracer.Pid, Tid: e.Tracer.Tid}
		} else {
			e.Target = Process{Tid: pidArg(e.Args[1])}
			if u32(recTgtKnown) == 1 {
				// Found among the caller's tracees at the exit.
				e.Target.Pid = int(int32(u32(recTgtTgid)))
				e.Target.Comm = cString(raw[recTgtComm : recTgtComm+16])
				e.Target.UID = int(int32(u32(recTgtUID)))
				e.targetKnown = true
			}
		}
	case CallProcessVMReadv, CallProcessVMWritev:
		// addr: the remote iovec array, data: its count.
		e.Request = e.Call
		e.Target = Process{Pid: pidArg(e.Args[0])}
		e.Addr, e.Data = e.Args[3], e.Args[4]
	case CallPidfdGetfd:
		// The kernel program resolved the pidfd when it could; else
		// the enrichment reads the pidfd's fdinfo.
		e.Request = e.Call
		e.Data = e.Args[1]
		if e.Result >= 0 {
			e.Target.Pid = int(int32(u32(recAux)))
			e.pidfdResolved = e.Target.Pid != 0
		}
	case CallOpen, CallOpenat, CallOpenat2:
		e.Path = cString(raw[recPath : recPath+pathLen])
		mt := memPath.FindStringSubmatch(e.Path)
		if mt == nil {
			return nil, false
		}
		e.Request = e.Call
		switch mt[1] {
		case "self":
			e.Target = Process{Pid: e.Tracer.Pid}
		case "thread-self":
			e.Target = Process{Pid: e.Tracer.Pid, Tid: e.Tracer.Tid}
		default:
			e.Target = Process{Pid: atoi(mt[1])}
		}
		if mt[2] != "" {
			e.Target.Tid = atoi(mt[2])
		}
		e.Data = e.Args[1] // open's flags
		if e.call != CallOpen {
			e.Data = e.Args[2] // openat's flags, openat2's struct open_how pointer
		}
	default:
		return nil, false
	}
	if e.Result < 0 && e.Result > -4096 {
		if n, ok := xlat.ErrnoName(uint64(-e.Result)); ok {
			e.Errno = n
		}
	}
	return e, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// requestName names a ptrace request as strace does for the ABI.
func requestName(abi string, req uint64) string {
	set := xlat.PtraceRequests
	if abi == "aarch64" {
		set = xlat.PtraceRequestsGeneric
	}
	if n, ok := set.Lookup(req); ok {
		return n
	}
	return "PTRACE_0x" + strconv.FormatUint(req, 16)
}

// AppendText appends the event as one line for a person (no newline).
func (e *Event) AppendText(b []byte) []byte {
	b = e.Time.AppendFormat(b, "15:04:05.000000")
	b = append(b, ' ')
	b = appendProc(b, &e.Tracer, true)
	b = append(b, ' ')
	b = append(b, e.Request...)
	if e.call == CallPtrace && e.reqNr == reqTraceMe {
		b = append(b, " (anti-debug check, or a debugger's child before execve)"...)
	}
	if e.Path != "" {
		b = append(b, ' ')
		b = strconv.AppendQuote(b, e.Path)
	}
	if e.Target.Pid != 0 || e.Target.Tid != 0 {
		b = append(b, " pid="...)
		if e.Target.Tid != 0 {
			b = strconv.AppendInt(b, int64(e.Target.Tid), 10)
		} else {
			b = strconv.AppendInt(b, int64(e.Target.Pid), 10)
		}
		b = append(b, " ("...)
		b = appendProc(b, &e.Target, false)
		b = append(b, ')')
	}
	switch e.call {
	case CallPtrace, CallProcessVMReadv, CallProcessVMWritev:
		b = append(b, " addr=0x"...)
		b = strconv.AppendUint(b, e.Addr, 16)
		b = append(b, " data=0x"...)
		b = strconv.AppendUint(b, e.Data, 16)
	case CallPidfdGetfd:
		b = append(b, " pidfd="...)
		b = strconv.AppendUint(b, e.Args[0], 10)
		b = append(b, " fd="...)
		b = strconv.AppendUint(b, e.Data, 10)
	default:
		if e.call == CallOpenat2 {
			b = append(b, " how=0x"...)
			b = strconv.AppendUint(b, e.Data, 16)
		} else {
			b = append(b, " flags="...)
			b = xlat.AppendOpenFlags(b, e.Data, e.ABI == "aarch64")
		}
	}
	b = append(b, " = "...)
	if e.Errno != "" {
		b = append(b, "-1 "...)
		b = append(b, e.Errno...)
	} else {
		b = strconv.AppendInt(b, e.Result, 10)
	}
	b = append(b, " abi="...)
	b = append(b, e.ABI...)
	if e.Cgroup != "" {
		b = append(b, " cgroup="...)
		b = append(b, e.Cgroup...)
	}
	if e.ContainerID != "" {
		b = append(b, " container="...)
		b = append(b, e.ContainerID...)
	}
	return b
}

// appendProc appends "comm[pid/tid uid=U exe]" for the tracer, "comm exe
// uid=U" for a target.
func appendProc(b []byte, p *Process, tracer bool) []byte {
	comm := p.Comm
	if comm == "" {
		comm = "?"
	}
	b = append(b, comm...)
	if tracer {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.Pid), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(p.Tid), 10)
		b = append(b, ' ')
	} else {
		b = append(b, ' ')
	}
	if p.Exe != "" {
		b = append(b, p.Exe...)
		b = append(b, ' ')
	}
	b = append(b, "uid="...)
	if p.UID < 0 {
		b = append(b, '?')
	} else {
		b = strconv.AppendInt(b, int64(p.UID), 10)
	}
	if tracer {
		b = append(b, ']')
	}
	return b
}

// containerID finds a container runtime's id (64 hex digits: docker,
// containerd, CRI-O, podman) in a cgroup path.
var containerIDPattern = regexp.MustCompile(`[0-9a-f]{64}`)

func containerID(cgroup string) string {
	all := containerIDPattern.FindAllString(cgroup, -1)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// cgroupV2Path returns the cgroup v2 path ("0::PATH") of a /proc/PID/cgroup text.
func cgroupV2Path(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			return p
		}
	}
	return ""
}
