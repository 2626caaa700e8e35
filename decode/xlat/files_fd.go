package xlat

import "strconv"

// Files and descriptors: the flag sets and enums of openat2, renameat2,
// fallocate, flock, fcntl's arguments and results, close_range, inotify,
// memfd_create, eventfd2, splice, the vector I/O calls, statfs and
// getdents, as strace 6.1 prints them (src/xlat/*.in, in their order).

// OpenResolveFlags is strace's open_resolve_flags, struct open_how's
// resolve field (openat2).
var OpenResolveFlags = &Set{
	Name:  "open_resolve_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x01, "RESOLVE_NO_XDEV"},
		{0x02, "RESOLVE_NO_MAGICLINKS"},
		{0x04, "RESOLVE_NO_SYMLINKS"},
		{0x08, "RESOLVE_BENEATH"},
		{0x10, "RESOLVE_IN_ROOT"},
		{0x20, "RESOLVE_CACHED"},
	},
	Unknown: "RESOLVE_???",
}

// RenameFlags is strace's rename_flags (renameat2). Its unknown comment
// has two question marks, as strace 6.1 prints it: 0x100 /* RENAME_?? */.
var RenameFlags = &Set{
	Name:  "rename_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "RENAME_NOREPLACE"},
		{2, "RENAME_EXCHANGE"},
		{4, "RENAME_WHITEOUT"},
	},
	Unknown: "RENAME_??",
}

// FallocFlags is strace's falloc_flags, fallocate's mode.
var FallocFlags = &Set{
	Name:  "falloc_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x01, "FALLOC_FL_KEEP_SIZE"},
		{0x02, "FALLOC_FL_PUNCH_HOLE"},
		{0x04, "FALLOC_FL_NO_HIDE_STALE"},
		{0x08, "FALLOC_FL_COLLAPSE_RANGE"},
		{0x10, "FALLOC_FL_ZERO_RANGE"},
		{0x20, "FALLOC_FL_INSERT_RANGE"},
		{0x40, "FALLOC_FL_UNSHARE_RANGE"},
	},
	Unknown: "FALLOC_FL_???",
}

// FlockOps is strace's flockcmds, flock's operation. LOCK_RW (0xc0)
// precedes LOCK_READ and LOCK_WRITE so the composite name wins.
var FlockOps = &Set{
	Name:  "flockcmds",
	Style: Flags,
	Pairs: []Pair{
		{1, "LOCK_SH"},
		{2, "LOCK_EX"},
		{4, "LOCK_NB"},
		{8, "LOCK_UN"},
		{32, "LOCK_MAND"},
		{192, "LOCK_RW"},
		{64, "LOCK_READ"},
		{128, "LOCK_WRITE"},
	},
	Unknown: "LOCK_???",
}

// CloseRangeFlags is strace's close_range_flags.
var CloseRangeFlags = &Set{
	Name:  "close_range_flags",
	Style: Flags,
	Pairs: []Pair{
		{2, "CLOSE_RANGE_UNSHARE"},
		{4, "CLOSE_RANGE_CLOEXEC"},
	},
	Unknown: "CLOSE_RANGE_???",
}

// InotifyInitFlags is strace's inotify_init_flags (inotify_init1). The
// values are O_NONBLOCK and O_CLOEXEC, the same on x86 and asm-generic.
var InotifyInitFlags = &Set{
	Name:  "inotify_init_flags",
	Style: Flags,
	Pairs: []Pair{
		{0o4000, "IN_NONBLOCK"},
		{0o2000000, "IN_CLOEXEC"},
	},
	Unknown: "IN_???",
}

// InotifyMask is strace's inotify_flags, inotify_add_watch's mask (and an
// event's mask).
var InotifyMask = &Set{
	Name:  "inotify_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x00000001, "IN_ACCESS"},
		{0x00000002, "IN_MODIFY"},
		{0x00000004, "IN_ATTRIB"},
		{0x00000008, "IN_CLOSE_WRITE"},
		{0x00000010, "IN_CLOSE_NOWRITE"},
		{0x00000020, "IN_OPEN"},
		{0x00000040, "IN_MOVED_FROM"},
		{0x00000080, "IN_MOVED_TO"},
		{0x00000100, "IN_CREATE"},
		{0x00000200, "IN_DELETE"},
		{0x00000400, "IN_DELETE_SELF"},
		{0x00000800, "IN_MOVE_SELF"},
		{0x00002000, "IN_UNMOUNT"},
		{0x00004000, "IN_Q_OVERFLOW"},
		{0x00008000, "IN_IGNORED"},
		{0x01000000, "IN_ONLYDIR"},
		{0x02000000, "IN_DONT_FOLLOW"},
		{0x04000000, "IN_EXCL_UNLINK"},
		{0x10000000, "IN_MASK_CREATE"},
		{0x20000000, "IN_MASK_ADD"},
		{0x40000000, "IN_ISDIR"},
		{0x80000000, "IN_ONESHOT"},
	},
	Unknown: "IN_???",
}

// MemfdFlags is strace's memfd_create_flags, without the hugetlb size
// field: print with AppendMemfdFlags. strace 6.1 has no MFD_NOEXEC_SEAL
// or MFD_EXEC.
var MemfdFlags = &Set{
	Name:  "memfd_create_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "MFD_CLOEXEC"},
		{2, "MFD_ALLOW_SEALING"},
		{4, "MFD_HUGETLB"},
	},
	Unknown: "MFD_???",
}

const (
	mfdHugeShift = 26
	mfdHugeMask  = 0x3f << mfdHugeShift
)

// AppendMemfdFlags appends memfd_create's flags as strace does: 0 for
// none, the MemfdFlags names, then the hugetlb page size field as
// N<<MFD_HUGE_SHIFT: MFD_CLOEXEC|MFD_HUGETLB|21<<MFD_HUGE_SHIFT. Only the
// low 32 bits count.
func AppendMemfdFlags(dst []byte, v uint64) []byte {
	v &= 0xffffffff
	if v == 0 {
		return append(dst, '0')
	}
	huge := v & mfdHugeMask
	rest := v &^ mfdHugeMask
	if rest != 0 || huge == 0 {
		dst = MemfdFlags.AppendFlags(dst, rest)
	}
	if huge != 0 {
		if rest != 0 {
			dst = append(dst, '|')
		}
		dst = strconv.AppendUint(dst, huge>>mfdHugeShift, 10)
		dst = append(dst, "<<MFD_HUGE_SHIFT"...)
	}
	return dst
}

// EventfdFlags is strace's efd_flags (eventfd2): the values are 1,
// O_CLOEXEC and O_NONBLOCK, the same on x86 and asm-generic.
var EventfdFlags = &Set{
	Name:  "efd_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "EFD_SEMAPHORE"},
		{0o2000000, "EFD_CLOEXEC"},
		{0o4000, "EFD_NONBLOCK"},
	},
	Unknown: "EFD_???",
}

// SpliceFlags is strace's splice_flags (splice, tee, vmsplice).
var SpliceFlags = &Set{
	Name:  "splice_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "SPLICE_F_MOVE"},
		{2, "SPLICE_F_NONBLOCK"},
		{4, "SPLICE_F_MORE"},
		{8, "SPLICE_F_GIFT"},
	},
	Unknown: "SPLICE_F_???",
}

// RWFFlags is strace's rwf_flags (preadv2, pwritev2). strace 6.1 ends at
// RWF_APPEND: RWF_NOAPPEND (0x20) and later print as hex.
var RWFFlags = &Set{
	Name:  "rwf_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x01, "RWF_HIPRI"},
		{0x02, "RWF_DSYNC"},
		{0x04, "RWF_SYNC"},
		{0x08, "RWF_NOWAIT"},
		{0x10, "RWF_APPEND"},
	},
	Unknown: "RWF_???",
}

// FOwnerTypes is strace's f_owner_types, struct f_owner_ex's type.
var FOwnerTypes = &Set{
	Name:  "f_owner_types",
	Style: Enum,
	Pairs: []Pair{
		{0, "F_OWNER_TID"},
		{1, "F_OWNER_PID"},
		{2, "F_OWNER_PGRP"},
	},
	Unknown: "F_OWNER_???",
}

// LockTypes is strace's lockfcmds: struct flock's l_type, F_SETLEASE's
// argument and F_GETLEASE's result.
var LockTypes = &Set{
	Name:  "lockfcmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "F_RDLCK"},
		{1, "F_WRLCK"},
		{2, "F_UNLCK"},
		{4, "F_EXLCK"},
		{8, "F_SHLCK"},
	},
	Unknown: "F_???",
}

// FSeals is strace's f_seals (F_ADD_SEALS, F_GET_SEALS). strace 6.1 has
// no F_SEAL_EXEC.
var FSeals = &Set{
	Name:  "f_seals",
	Style: Flags,
	Pairs: []Pair{
		{0x01, "F_SEAL_SEAL"},
		{0x02, "F_SEAL_SHRINK"},
		{0x04, "F_SEAL_GROW"},
		{0x08, "F_SEAL_WRITE"},
		{0x10, "F_SEAL_FUTURE_WRITE"},
	},
	Unknown: "F_SEAL_???",
}

// NotifyFlags is strace's notifyflags, F_NOTIFY's argument.
var NotifyFlags = &Set{
	Name:  "notifyflags",
	Style: Flags,
	Pairs: []Pair{
		{0x01, "DN_ACCESS"},
		{0x02, "DN_MODIFY"},
		{0x04, "DN_CREATE"},
		{0x08, "DN_DELETE"},
		{0x10, "DN_RENAME"},
		{0x20, "DN_ATTRIB"},
		{0x80000000, "DN_MULTISHOT"},
	},
	Unknown: "DN_???",
}

// StatfsFlags is strace's statfs_flags, struct statfs's f_flags (printed
// only when ST_VALID is set). ST_VALID comes first, as in strace.
var StatfsFlags = &Set{
	Name:  "statfs_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x0020, "ST_VALID"},
		{0x0001, "ST_RDONLY"},
		{0x0002, "ST_NOSUID"},
		{0x0004, "ST_NODEV"},
		{0x0008, "ST_NOEXEC"},
		{0x0010, "ST_SYNCHRONOUS"},
		{0x0040, "ST_MANDLOCK"},
		{0x0400, "ST_NOATIME"},
		{0x0800, "ST_NODIRATIME"},
		{0x1000, "ST_RELATIME"},
		{0x2000, "ST_NOSYMFOLLOW"},
	},
	Unknown: "ST_???",
}

// DirentTypes is strace's dirent_types, a directory entry's d_type.
var DirentTypes = &Set{
	Name:  "dirent_types",
	Style: Enum,
	Pairs: []Pair{
		{0, "DT_UNKNOWN"},
		{1, "DT_FIFO"},
		{2, "DT_CHR"},
		{4, "DT_DIR"},
		{6, "DT_BLK"},
		{8, "DT_REG"},
		{10, "DT_LNK"},
		{12, "DT_SOCK"},
		{14, "DT_WHT"},
	},
	Unknown: "DT_???",
}
