package xlat

// System V IPC flag and command sets (linux/ipc.h, sem.h, msg.h, shm.h),
// in strace 6.1's order (checked against the installed binary).

import "strconv"

// IPC_64, or-ed into a *ctl command by 32-bit callers.
const IPC64 = 0x100

// IPCResourceFlags is strace's resource_flags: the non-mode bits of
// semget's and msgget's flags.
var IPCResourceFlags = &Set{
	Name:  "resource_flags",
	Style: Flags,
	Pairs: []Pair{{0o1000, "IPC_CREAT"}, {0o2000, "IPC_EXCL"}, {0o4000, "IPC_NOWAIT"}},
}

// ShmResourceFlags is strace's shm_resource_flags: shmget's.
var ShmResourceFlags = &Set{
	Name:  "shm_resource_flags",
	Style: Flags,
	Pairs: []Pair{{0o1000, "IPC_CREAT"}, {0o2000, "IPC_EXCL"}, {0o4000, "SHM_HUGETLB"}, {0o10000, "SHM_NORESERVE"}},
}

// SemopFlags is strace's semop_flags: sem_flg.
var SemopFlags = &Set{
	Name:    "semop_flags",
	Style:   Flags,
	Pairs:   []Pair{{0x1000, "SEM_UNDO"}, {0o4000, "IPC_NOWAIT"}},
	Unknown: "SEM_???",
}

// IPCMsgFlags is strace's ipc_msg_flags: msgsnd's and msgrcv's msgflg.
var IPCMsgFlags = &Set{
	Name:    "ipc_msg_flags",
	Style:   Flags,
	Pairs:   []Pair{{0o10000, "MSG_NOERROR"}, {0o20000, "MSG_EXCEPT"}, {0o40000, "MSG_COPY"}, {0o4000, "IPC_NOWAIT"}},
	Unknown: "MSG_???",
}

// ShmFlags is strace's shm_flags: shmat's shmflg.
var ShmFlags = &Set{
	Name:    "shm_flags",
	Style:   Flags,
	Pairs:   []Pair{{0o10000, "SHM_RDONLY"}, {0o20000, "SHM_RND"}, {0o40000, "SHM_REMAP"}, {0o100000, "SHM_EXEC"}},
	Unknown: "SHM_???",
}

// The *ctl commands: strace's semctl_flags, msgctl_flags, shmctl_flags.
var (
	SemctlCmds = &Set{
		Name:  "semctl_flags",
		Style: Enum,
		Pairs: []Pair{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "GETPID"},
			{12, "GETVAL"}, {13, "GETALL"}, {14, "GETNCNT"}, {15, "GETZCNT"}, {16, "SETVAL"}, {17, "SETALL"},
			{18, "SEM_STAT"}, {19, "SEM_INFO"}, {20, "SEM_STAT_ANY"}},
		Unknown: "SEM_???",
	}
	MsgctlCmds = &Set{
		Name:  "msgctl_flags",
		Style: Enum,
		Pairs: []Pair{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "MSG_STAT"},
			{12, "MSG_INFO"}, {13, "MSG_STAT_ANY"}},
		Unknown: "MSG_???",
	}
	ShmctlCmds = &Set{
		Name:  "shmctl_flags",
		Style: Enum,
		Pairs: []Pair{{0, "IPC_RMID"}, {1, "IPC_SET"}, {2, "IPC_STAT"}, {3, "IPC_INFO"}, {11, "SHM_LOCK"},
			{12, "SHM_UNLOCK"}, {13, "SHM_STAT"}, {14, "SHM_INFO"}, {15, "SHM_STAT_ANY"}},
		Unknown: "SHM_???",
	}
)

// IPCCalls is strace's ipccalls: the CALL of i386's ipc multiplexer.
var IPCCalls = &Set{
	Name:  "ipccalls",
	Style: Enum,
	Pairs: []Pair{{1, "SEMOP"}, {2, "SEMGET"}, {3, "SEMCTL"}, {4, "SEMTIMEDOP"}, {11, "MSGSND"}, {12, "MSGRCV"},
		{13, "MSGGET"}, {14, "MSGCTL"}, {21, "SHMAT"}, {22, "SHMDT"}, {23, "SHMGET"}, {24, "SHMCTL"}},
}

// AppendIPCCtl appends a *ctl command as strace's PRINTCTL: IPC_64| when
// set, then the command's name from set.
func AppendIPCCtl(dst []byte, set *Set, cmd uint64) []byte {
	if cmd&IPC64 != 0 {
		dst = append(dst, "IPC_64|"...)
		cmd &^= IPC64
	}
	return set.AppendEnum(dst, cmd)
}

// AppendIPCGetFlags appends semget's or msgget's flags as strace prints
// them: the resource flags (set), "|" and the mode (IPC_CREAT|0600, 000).
func AppendIPCGetFlags(dst []byte, set *Set, v uint64) []byte {
	if f := v &^ 0o777; f != 0 {
		dst = set.AppendFlags(dst, f)
		dst = append(dst, '|')
	}
	return appendOctal3(dst, v&0o777)
}

// AppendShmgetFlags appends shmget's flags: the resource flags, the huge
// page size as N<<SHM_HUGE_SHIFT, the mode.
func AppendShmgetFlags(dst []byte, v uint64) []byte {
	const shift, mask = 26, 0x3f << 26
	f := v & 0xffffffff &^ 0o777
	huge := f & mask
	f &^= mask
	if f != 0 {
		dst = ShmResourceFlags.AppendFlags(dst, f)
	}
	if huge != 0 {
		if f != 0 {
			dst = append(dst, '|')
		}
		dst = strconv.AppendUint(dst, huge>>shift, 10)
		dst = append(dst, "<<SHM_HUGE_SHIFT"...)
	}
	if f != 0 || huge != 0 {
		dst = append(dst, '|')
	}
	return appendOctal3(dst, v&0o777)
}
