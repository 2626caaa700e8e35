package monitor

import (
	"github.com/cilium/ebpf/asm"
)

// The record the enter program fills and the exit program completes and
// sends through the ring buffer. Every field is in the host's byte order.
const (
	recTime     = 0   // u64 bpf_ktime_get_ns at entry (CLOCK_MONOTONIC)
	recPidTgid  = 8   // u64 tgid<<32 | tid
	recUIDGid   = 16  // u64 gid<<32 | uid
	recCgroupID = 24  // u64 cgroup v2 id
	recNr       = 32  // u32 syscall number in its ABI
	recABI      = 36  // u32 abiNative or abiCompat
	recCall     = 40  // u32 Call
	recArgs     = 48  // u64[6]
	recRet      = 96  // s64 return value
	recComm     = 104 // char[16]
	recPath     = 120 // char[pathLen], open calls only
	recAux      = 120 // u64 in the path's place for pidfd_getfd: the pidfd's pid (init namespace), 0 if unknown
	// In the path's place for ptrace, filled at the exit when the target
	// is among the caller's tracees (current->ptraced): its comm, tgid,
	// real uid, and 1 in recTgtKnown.
	recTgtComm  = 120 // char[16]
	recTgtTgid  = 136 // u32
	recTgtUID   = 140 // u32
	recTgtKnown = 144 // u32
	pathLen     = 64
	recSize     = recPath + pathLen // 184
)

// The indexes of the per-CPU drop counters.
const (
	dropRingbuf = 0 // the ring buffer was full: bpf_ringbuf_output failed
	dropPending = 1 // the entry could not be kept until the exit (map update failed)
	numDrops    = 2
)

// ctxLayout says where a program finds the syscall number, the arguments
// and the return value.
type ctxLayout int

const (
	// ctxRaw: raw_tracepoint and tp_btf sys_enter/sys_exit: ctx[0] is the
	// struct pt_regs pointer, ctx[1] the syscall number (enter) or the
	// return value (exit).
	ctxRaw ctxLayout = iota
	// ctxTracepoint: syscalls/sys_enter_NAME: int __syscall_nr at 8, unsigned
	// long args[6] at 16; sys_exit_NAME: long ret at 16.
	ctxTracepoint
	// ctxFentry: fentry/fexit on one syscall function (__x64_sys_ptrace):
	// ctx[0] is its struct pt_regs pointer, the number and ABI are the
	// function's (fixedNr, fixedABI); fexit's ctx[1] is the return value.
	ctxFentry
)

// progParams is what the generated programs need besides the layout.
type progParams struct {
	layout ctxLayout
	// Byte offsets in struct pt_regs of arguments 0-5, per ABI (ctxRaw).
	nativeOffs, compatOffs [6]int32
	// compat: read TS_COMPAT from the task at statusOff to choose the ABI.
	compat    bool
	statusOff int32
	// pidfd: resolve pidfd_getfd's pidfd to the pid it refers to,
	// following task_struct.files->fdt->fd[pidfd]->private_data (a struct
	// pid) to numbers[0].nr, with these offsets from BTF.
	pidfd                                 bool
	taskFiles, filesFdt, fdtFd, fdtMaxFds int32
	filePrivate, pidNumbers               int32
	// tracees: find a ptrace target among current->ptraced (its
	// ptrace_entry links) at the exit, with these task_struct and cred
	// offsets from BTF.
	tracees                                   bool
	taskPtraced, taskPtraceEntry, taskPid     int32
	taskTgid, taskComm, taskRealCred, credUID int32
	// pidfs (Linux 6.9): the struct pid is the file's inode's i_private,
	// not the file's private_data.
	pidfs                   bool
	fileInode, inodePrivate int32
	// fixedNr and fixedABI: the call a ctxFentry program is attached to.
	fixedNr, fixedABI uint32
	// nargs: how many argument words the tracepoint's format has
	// (ctxTracepoint: reading past them fails the attach with EACCES).
	nargs int
	// candidates: every watched number of any ABI; the enter program
	// leaves at once for any other (ctxRaw: it runs for every system call).
	candidates []uint32
	// Map descriptors. inflight is a one-element array counting the
	// pending entries, so that the exit program, which also runs for
	// every system call, skips the hash lookup while there are none.
	watched, pending, events, drops, inflight int
}

// Stack layout of the enter program (offsets from r10).
const (
	stkTmp = -8  // u64 scratch (thread_info.status, open_how.flags, the drop index)
	stkKey = -16 // u64 watched key, then the pending key (pid_tgid)
	stkRec = stkKey - recSize
)

// countDrop emits the increment of drop counter idx, then a jump to out.
func countDrop(p progParams, idx int32, out string) asm.Instructions {
	return asm.Instructions{
		asm.StoreImm(asm.RFP, -4, int64(idx), asm.Word),
		asm.LoadMapPtr(asm.R1, p.drops),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, out),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.Add.Imm(asm.R1, 1),
		asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord),
		asm.Ja.Label(out),
	}
}

// enterProgram returns the sys_enter program: keep a watched call's record in
// the pending map until its exit. Registers: r6 ctx, r7 number (later the
// path pointer), r8 ABI, r9 struct pt_regs pointer.
func enterProgram(p progParams) asm.Instructions {
	const out = "out"
	in := asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}
	switch p.layout {
	case ctxRaw:
		in = append(in,
			asm.LoadMem(asm.R7, asm.R6, 8, asm.DWord),
			asm.LoadMem(asm.R9, asm.R6, 0, asm.DWord),
		)
	case ctxFentry:
		in = append(in,
			asm.Mov.Imm(asm.R7, int32(p.fixedNr)),
			asm.LoadMem(asm.R9, asm.R6, 0, asm.DWord),
		)
	default:
		in = append(in, asm.LoadMem(asm.R7, asm.R6, 8, asm.Word))
	}
	if p.layout == ctxRaw && len(p.candidates) > 0 {
		for _, n := range p.candidates {
			in = append(in, asm.JEq.Imm(asm.R7, int32(n), "candidate"))
		}
		in = append(in, asm.Ja.Label(out))
	}
	in = append(in, asm.Mov.Imm(asm.R8, int32(p.fixedABI)).WithSymbol("candidate"))
	if p.compat && p.layout != ctxFentry {
		in = append(in,
			asm.Mov.Imm(asm.R1, 0),
			asm.StoreMem(asm.RFP, stkTmp, asm.R1, asm.DWord),
			asm.FnGetCurrentTask.Call(),
			asm.Mov.Reg(asm.R3, asm.R0),
			asm.Add.Imm(asm.R3, p.statusOff),
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, stkTmp),
			asm.Mov.Imm(asm.R2, 4),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(asm.R8, asm.RFP, stkTmp, asm.Word),
			asm.And.Imm(asm.R8, tsCompat),
			asm.RSh.Imm(asm.R8, 1),
		)
	}
	// key = abi<<32 | (u32)nr
	in = append(in,
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.LSh.Imm(asm.R1, 32),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.LSh.Imm(asm.R2, 32),
		asm.RSh.Imm(asm.R2, 32),
		asm.Or.Reg(asm.R1, asm.R2),
		asm.StoreMem(asm.RFP, stkKey, asm.R1, asm.DWord),
		asm.LoadMapPtr(asm.R1, p.watched),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stkKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, out),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
		asm.Mov.Imm(asm.R2, 0),
	)
	for off := int16(0); off < recSize; off += 8 {
		in = append(in, asm.StoreMem(asm.RFP, stkRec+off, asm.R2, asm.DWord))
	}
	in = append(in,
		asm.StoreMem(asm.RFP, stkRec+recCall, asm.R1, asm.Word),
		asm.StoreMem(asm.RFP, stkRec+recNr, asm.R7, asm.Word),
		asm.StoreMem(asm.RFP, stkRec+recABI, asm.R8, asm.Word),
	)
	// The arguments.
	readArgs := func(offs [6]int32) asm.Instructions {
		var r asm.Instructions
		for i, o := range offs {
			r = append(r,
				asm.Mov.Reg(asm.R1, asm.RFP),
				asm.Add.Imm(asm.R1, int32(stkRec+recArgs+8*i)),
				asm.Mov.Imm(asm.R2, 8),
				asm.Mov.Reg(asm.R3, asm.R9),
				asm.Add.Imm(asm.R3, o),
				asm.FnProbeReadKernel.Call(),
			)
		}
		return r
	}
	switch {
	case p.layout == ctxFentry && p.fixedABI == abiCompat:
		in = append(in, readArgs(p.compatOffs)...)
	case p.layout == ctxFentry:
		in = append(in, readArgs(p.nativeOffs)...)
	case p.layout == ctxTracepoint:
		for i := 0; i < p.nargs; i++ {
			in = append(in,
				asm.LoadMem(asm.R1, asm.R6, int16(16+8*i), asm.DWord),
				asm.StoreMem(asm.RFP, int16(stkRec+recArgs+8*i), asm.R1, asm.DWord),
			)
		}
	case p.compat:
		in = append(in, asm.JNE.Imm(asm.R8, 0, "compat_args"))
		in = append(in, readArgs(p.nativeOffs)...)
		in = append(in, asm.Ja.Label("args_done"))
		c := readArgs(p.compatOffs)
		c[0] = c[0].WithSymbol("compat_args")
		in = append(in, c...)
		in = append(in, asm.Mov.Imm(asm.R0, 0).WithSymbol("args_done"))
	default:
		in = append(in, readArgs(p.nativeOffs)...)
	}
	arg := func(i int) int16 { return int16(stkRec + recArgs + 8*i) }
	in = append(in, asm.LoadMem(asm.R1, asm.RFP, stkRec+recCall, asm.Word))
	if p.pidfd {
		in = append(in, pidfdTarget(p, arg(0))...)
	}
	// The open calls: only a path under /proc/ opened for writing.
	in = append(in,
		asm.JLT.Imm(asm.R1, int32(firstOpenCall), "common").WithSymbol("not_pidfd"),
		asm.JNE.Imm(asm.R1, int32(CallOpen), "not_open"),
		asm.LoadMem(asm.R7, asm.RFP, arg(0), asm.DWord),
		asm.LoadMem(asm.R1, asm.RFP, arg(1), asm.DWord),
		asm.Ja.Label("check_flags"),
		asm.JNE.Imm(asm.R1, int32(CallOpenat), "openat2").WithSymbol("not_open"),
		asm.LoadMem(asm.R7, asm.RFP, arg(1), asm.DWord),
		asm.LoadMem(asm.R1, asm.RFP, arg(2), asm.DWord),
		asm.Ja.Label("check_flags"),
		asm.LoadMem(asm.R7, asm.RFP, arg(1), asm.DWord).WithSymbol("openat2"),
		asm.Mov.Imm(asm.R1, 0),
		asm.StoreMem(asm.RFP, stkTmp, asm.R1, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, stkTmp),
		asm.Mov.Imm(asm.R2, 8),
		asm.LoadMem(asm.R3, asm.RFP, arg(2), asm.DWord),
		asm.FnProbeReadUser.Call(),
		asm.LoadMem(asm.R1, asm.RFP, stkTmp, asm.DWord),
		// O_WRONLY (1) or O_RDWR (2), the same on every architecture.
		asm.And.Imm(asm.R1, 3).WithSymbol("check_flags"),
		asm.JEq.Imm(asm.R1, 0, out),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, stkRec+recPath),
		asm.Mov.Imm(asm.R2, pathLen),
		asm.Mov.Reg(asm.R3, asm.R7),
		asm.FnProbeReadUserStr.Call(),
		// "/pro" and "c/", little-endian (x86 and arm64 both are).
		asm.LoadMem(asm.R1, asm.RFP, stkRec+recPath, asm.Word),
		asm.JNE.Imm(asm.R1, 0x6f72702f, out),
		asm.LoadMem(asm.R1, asm.RFP, stkRec+recPath+4, asm.Half),
		asm.JNE.Imm(asm.R1, 0x2f63, out),
	)
	// What every record has.
	in = append(in,
		asm.FnKtimeGetNs.Call().WithSymbol("common"),
		asm.StoreMem(asm.RFP, stkRec+recTime, asm.R0, asm.DWord),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, stkRec+recPidTgid, asm.R0, asm.DWord),
		asm.StoreMem(asm.RFP, stkKey, asm.R0, asm.DWord),
		asm.FnGetCurrentUidGid.Call(),
		asm.StoreMem(asm.RFP, stkRec+recUIDGid, asm.R0, asm.DWord),
		asm.FnGetCurrentCgroupId.Call(),
		asm.StoreMem(asm.RFP, stkRec+recCgroupID, asm.R0, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, stkRec+recComm),
		asm.Mov.Imm(asm.R2, 16),
		asm.FnGetCurrentComm.Call(),
		asm.LoadMapPtr(asm.R1, p.pending),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stkKey),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, stkRec),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
		asm.JNE.Imm(asm.R0, 0, "pending_full"),
	)
	in = append(in, addInflight(p, 1, out)...)
	in = append(in, asm.Ja.Label(out))
	d := countDrop(p, dropPending, out)
	d[0] = d[0].WithSymbol("pending_full")
	in = append(in, d...)
	in = append(in,
		asm.Mov.Imm(asm.R0, 0).WithSymbol(out),
		asm.Return(),
	)
	return in
}

// kernelRead loads size bytes (a Word or a DWord) of kernel memory at
// r3+off into r3 through the stack slot at slot; 0 when unreadable.
func kernelRead(slot int16, off int32, size asm.Size) asm.Instructions {
	n := int32(8)
	if size == asm.Word {
		n = 4
	}
	return asm.Instructions{
		asm.Mov.Imm(asm.R1, 0),
		asm.StoreMem(asm.RFP, slot, asm.R1, asm.DWord),
		asm.Add.Imm(asm.R3, off),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, int32(slot)),
		asm.Mov.Imm(asm.R2, n),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R3, asm.RFP, slot, size),
	}
}

// pidfdTarget emits, for pidfd_getfd (r1 holds the call), the walk from the
// current task to the pid its pidfd argument refers to, stored at recAux;
// any unreadable link leaves 0. Other calls jump to not_pidfd; this one
// ends at common.
func pidfdTarget(p progParams, pidfdArg int16) asm.Instructions {
	const done = "common"
	read := func(off int32, size asm.Size) asm.Instructions { return kernelRead(stkTmp, off, size) }
	in := asm.Instructions{
		asm.JNE.Imm(asm.R1, int32(CallPidfdGetfd), "not_pidfd"),
		asm.FnGetCurrentTask.Call(),
		asm.Mov.Reg(asm.R3, asm.R0),
	}
	in = append(in, read(p.taskFiles, asm.DWord)...)
	in = append(in, asm.JEq.Imm(asm.R3, 0, done))
	in = append(in, read(p.filesFdt, asm.DWord)...)
	in = append(in,
		asm.JEq.Imm(asm.R3, 0, done),
		asm.Mov.Reg(asm.R7, asm.R3), // the fdtable
	)
	in = append(in, read(p.fdtMaxFds, asm.Word)...)
	in = append(in,
		asm.LoadMem(asm.R4, asm.RFP, pidfdArg, asm.Word),
		asm.JGE.Reg(asm.R4, asm.R3, done), // fd >= max_fds
		asm.Mov.Reg(asm.R3, asm.R7),
	)
	in = append(in, read(p.fdtFd, asm.DWord)...)
	in = append(in,
		asm.JEq.Imm(asm.R3, 0, done),
		asm.LoadMem(asm.R4, asm.RFP, pidfdArg, asm.Word),
		asm.LSh.Imm(asm.R4, 3),
		asm.Add.Reg(asm.R3, asm.R4),
	)
	in = append(in, read(0, asm.DWord)...) // the struct file
	in = append(in, asm.JEq.Imm(asm.R3, 0, done))
	if p.pidfs {
		in = append(in, read(p.fileInode, asm.DWord)...)
		in = append(in, asm.JEq.Imm(asm.R3, 0, done))
		in = append(in, read(p.inodePrivate, asm.DWord)...) // the struct pid
	} else {
		in = append(in, read(p.filePrivate, asm.DWord)...) // the struct pid
	}
	in = append(in, asm.JEq.Imm(asm.R3, 0, done))
	in = append(in, read(p.pidNumbers, asm.Word)...) // numbers[0].nr
	in = append(in,
		asm.StoreMem(asm.RFP, stkRec+recAux, asm.R3, asm.DWord),
		asm.Ja.Label(done),
	)
	return in
}

// addInflight emits the atomic addition of v to the in-flight counter.
func addInflight(p progParams, v int32, out string) asm.Instructions {
	return asm.Instructions{
		asm.StoreImm(asm.RFP, -4, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, p.inflight),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, out),
		asm.Mov.Imm(asm.R1, v),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
	}
}

// maxTracees bounds the walk of current->ptraced (newest first).
const maxTracees = 16

// findTracee emits, in the exit program (r7 the record in the pending map),
// the search of a successful ptrace call's target among the caller's
// tracees, and copies its comm, tgid and uid into the record: the target
// may be gone by the time userspace reads /proc. It ends at "send".
func findTracee(p progParams) asm.Instructions {
	const send, slot = "send", -16
	read := func(off int32, size asm.Size) asm.Instructions { return kernelRead(slot, off, size) }
	in := asm.Instructions{
		asm.LoadMem(asm.R1, asm.R7, recCall, asm.Word),
		asm.JNE.Imm(asm.R1, int32(CallPtrace), send),
		asm.LoadMem(asm.R1, asm.R7, recArgs, asm.DWord), // the request
		asm.JEq.Imm(asm.R1, reqTraceMe, send),
		asm.LoadMem(asm.R1, asm.R7, recRet, asm.DWord),
		asm.JSLT.Imm(asm.R1, 0, send),
		asm.FnGetCurrentTask.Call(),
		asm.Mov.Reg(asm.R9, asm.R0),
		asm.Add.Imm(asm.R9, p.taskPtraced), // &current->ptraced, the list head
		asm.Mov.Reg(asm.R3, asm.R9),
	}
	in = append(in, read(0, asm.DWord)...) // head.next
	for i := 0; i < maxTracees; i++ {
		in = append(in,
			asm.JEq.Reg(asm.R3, asm.R9, send),
			asm.JEq.Imm(asm.R3, 0, send),
			asm.Mov.Reg(asm.R8, asm.R3),
			asm.Add.Imm(asm.R8, -p.taskPtraceEntry), // the tracee's task_struct
			asm.Mov.Reg(asm.R3, asm.R8),
		)
		in = append(in, read(p.taskPid, asm.Word)...)
		in = append(in,
			asm.LoadMem(asm.R2, asm.R7, recArgs+8, asm.Word), // the target tid
			asm.JEq.Reg(asm.R3, asm.R2, "tracee_found"),
			asm.Mov.Reg(asm.R3, asm.R8),
		)
		in = append(in, read(p.taskPtraceEntry, asm.DWord)...) // next
	}
	in = append(in, asm.Ja.Label(send))
	found := asm.Instructions{
		asm.Mov.Reg(asm.R1, asm.R7),
		asm.Add.Imm(asm.R1, recTgtComm),
		asm.Mov.Imm(asm.R2, 16),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.Add.Imm(asm.R3, p.taskComm),
		asm.FnProbeReadKernel.Call(),
		asm.Mov.Reg(asm.R3, asm.R8),
	}
	found[0] = found[0].WithSymbol("tracee_found")
	found = append(found, read(p.taskTgid, asm.Word)...)
	found = append(found,
		asm.StoreMem(asm.R7, recTgtTgid, asm.R3, asm.Word),
		asm.Mov.Reg(asm.R3, asm.R8),
	)
	found = append(found, read(p.taskRealCred, asm.DWord)...)
	found = append(found, asm.JEq.Imm(asm.R3, 0, send))
	found = append(found, read(p.credUID, asm.Word)...)
	found = append(found,
		asm.StoreMem(asm.R7, recTgtUID, asm.R3, asm.Word),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreMem(asm.R7, recTgtKnown, asm.R1, asm.Word),
	)
	return append(in, found...)
}

// exitProgram returns the sys_exit program: complete the pending record of
// this thread, if any, with the return value and send it.
func exitProgram(p progParams) asm.Instructions {
	const out = "out"
	retOff := int16(8)
	if p.layout == ctxTracepoint {
		retOff = 16
	}
	in := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		// Nothing in flight (the usual case): nothing to look up.
		asm.StoreImm(asm.RFP, -4, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, p.inflight),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, out),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, out),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, p.pending),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -8),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, out),
		asm.Mov.Reg(asm.R7, asm.R0),
		asm.LoadMem(asm.R1, asm.R6, retOff, asm.DWord),
		asm.StoreMem(asm.R7, recRet, asm.R1, asm.DWord),
	}
	if p.tracees {
		in = append(in, findTracee(p)...)
	}
	in = append(in,
		asm.LoadMapPtr(asm.R1, p.events).WithSymbol("send"),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.Mov.Imm(asm.R3, recSize),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.LoadMapPtr(asm.R1, p.pending),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -8),
		asm.FnMapDeleteElem.Call(),
	)
	in = append(in, addInflight(p, -1, out)...)
	in = append(in,
		asm.JEq.Imm(asm.R8, 0, out),
	)
	in = append(in, countDrop(p, dropRingbuf, out)...)
	in = append(in,
		asm.Mov.Imm(asm.R0, 0).WithSymbol(out),
		asm.Return(),
	)
	return in
}
