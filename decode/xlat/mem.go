package xlat

import "strconv"

// Memory: mmap, mprotect, madvise, mremap, msync, mlock, membarrier.

// MmapProt is strace's mmap_prot (mmap, mprotect, pkey_mprotect). The same
// on x86 and aarch64: strace 6.1 has no PROT_BTI or PROT_MTE.
var MmapProt = &Set{
	Name:  "mmap_prot",
	Style: Flags,
	Pairs: []Pair{
		{0, "PROT_NONE"},
		{0x1, "PROT_READ"},
		{0x2, "PROT_WRITE"},
		{0x4, "PROT_EXEC"},
		{0x8, "PROT_SEM"},
		{0x01000000, "PROT_GROWSDOWN"},
		{0x02000000, "PROT_GROWSUP"},
	},
	Unknown: "PROT_???",
}

// MmapFlags is strace's mmap_flags for x86 tracees. The first four entries
// are the MAP_TYPE values (MAP_FILE is the zero type); print a whole mmap
// flags word with AppendMmapFlags. MAP_UNINITIALIZED lies inside the
// MAP_HUGE_* field and never prints. strace 6.1 has no MAP_ABOVE4G (0x80).
var MmapFlags = &Set{
	Name:  "mmap_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x1, "MAP_SHARED"},
		{0x2, "MAP_PRIVATE"},
		{0x3, "MAP_SHARED_VALIDATE"},
		{0x10, "MAP_FIXED"},
		{0x20, "MAP_ANONYMOUS"},
		{0x40, "MAP_32BIT"},
		{0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"},
		{0x10000, "MAP_NONBLOCK"},
		{0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"},
		{0x1000, "MAP_EXECUTABLE"},
		{0, "MAP_FILE"},
		{0x2000, "MAP_LOCKED"},
		{0x20000, "MAP_STACK"},
		{0x40000, "MAP_HUGETLB"},
		{0x80000, "MAP_SYNC"},
		{0x4000000, "MAP_UNINITIALIZED"},
		{0x100000, "MAP_FIXED_NOREPLACE"},
	},
	Unknown: "MAP_???",
}

// MmapFlagsGeneric is MmapFlags for aarch64 tracees: no MAP_32BIT.
var MmapFlagsGeneric = &Set{
	Name:  "mmap_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x1, "MAP_SHARED"},
		{0x2, "MAP_PRIVATE"},
		{0x3, "MAP_SHARED_VALIDATE"},
		{0x10, "MAP_FIXED"},
		{0x20, "MAP_ANONYMOUS"},
		{0x4000, "MAP_NORESERVE"},
		{0x8000, "MAP_POPULATE"},
		{0x10000, "MAP_NONBLOCK"},
		{0x100, "MAP_GROWSDOWN"},
		{0x800, "MAP_DENYWRITE"},
		{0x1000, "MAP_EXECUTABLE"},
		{0, "MAP_FILE"},
		{0x2000, "MAP_LOCKED"},
		{0x20000, "MAP_STACK"},
		{0x40000, "MAP_HUGETLB"},
		{0x80000, "MAP_SYNC"},
		{0x4000000, "MAP_UNINITIALIZED"},
		{0x100000, "MAP_FIXED_NOREPLACE"},
	},
	Unknown: "MAP_???",
}

const (
	mapType      = 0xf
	mapHugeShift = 26
	mapHugeMask  = 0x3f
)

// AppendMmapFlags appends mmap's flags as strace's print_mmap_flags: the
// MAP_TYPE field as an enum (MAP_FILE for 0, 0x4 /* MAP_??? */ when
// unknown), then '|' and the other flags (leftover bits in hex, no
// comment), then |N<<MAP_HUGE_SHIFT for a nonzero MAP_HUGE_* field
// (printed whether or not MAP_HUGETLB is set):
// MAP_PRIVATE|MAP_ANONYMOUS, MAP_SHARED|MAP_FIXED,
// MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT. As in strace,
// bits 32-63 are dropped silently. generic selects the aarch64 set.
func AppendMmapFlags(dst []byte, v uint64, generic bool) []byte {
	set := MmapFlags
	if generic {
		set = MmapFlagsGeneric
	}
	dst = set.AppendEnum(dst, v&mapType)
	const hugeBits = mapHugeMask << mapHugeShift
	huge := (v & hugeBits) >> mapHugeShift
	if rest := v & 0xffffffff &^ (mapType | hugeBits); rest != 0 {
		dst = append(dst, '|')
		dst = set.appendFlags(dst, rest, "")
	}
	if huge != 0 {
		dst = append(dst, '|')
		dst = strconv.AppendUint(dst, huge, 10)
		dst = append(dst, "<<MAP_HUGE_SHIFT"...)
	}
	return dst
}

// MadviseAdvice is strace's madvise_cmds (madvise, process_madvise).
var MadviseAdvice = &Set{
	Name:  "madvise_cmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "MADV_NORMAL"},
		{1, "MADV_RANDOM"},
		{2, "MADV_SEQUENTIAL"},
		{3, "MADV_WILLNEED"},
		{4, "MADV_DONTNEED"},
		{8, "MADV_FREE"},
		{9, "MADV_REMOVE"},
		{10, "MADV_DONTFORK"},
		{11, "MADV_DOFORK"},
		{12, "MADV_MERGEABLE"},
		{13, "MADV_UNMERGEABLE"},
		{14, "MADV_HUGEPAGE"},
		{15, "MADV_NOHUGEPAGE"},
		{16, "MADV_DONTDUMP"},
		{17, "MADV_DODUMP"},
		{18, "MADV_WIPEONFORK"},
		{19, "MADV_KEEPONFORK"},
		{20, "MADV_COLD"},
		{21, "MADV_PAGEOUT"},
		{22, "MADV_POPULATE_READ"},
		{23, "MADV_POPULATE_WRITE"},
		{24, "MADV_DONTNEED_LOCKED"},
		{25, "MADV_COLLAPSE"},
		{100, "MADV_HWPOISON"},
		{101, "MADV_SOFT_OFFLINE"},
	},
	Unknown: "MADV_???",
}

// MremapFlags is strace's mremap_flags.
var MremapFlags = &Set{
	Name:  "mremap_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "MREMAP_MAYMOVE"},
		{2, "MREMAP_FIXED"},
		{4, "MREMAP_DONTUNMAP"},
	},
	Unknown: "MREMAP_???",
}

// MsyncFlags is strace's mctl_sync, msync's flags (MS_SYNC printed first).
var MsyncFlags = &Set{
	Name:  "mctl_sync",
	Style: Flags,
	Pairs: []Pair{
		{4, "MS_SYNC"},
		{1, "MS_ASYNC"},
		{2, "MS_INVALIDATE"},
	},
	Unknown: "MS_???",
}

// MlockFlags is strace's mlock_flags (mlock2).
var MlockFlags = &Set{
	Name:    "mlock_flags",
	Style:   Flags,
	Pairs:   []Pair{{1, "MLOCK_ONFAULT"}},
	Unknown: "MLOCK_???",
}

// MlockallFlags is strace's mlockall_flags.
var MlockallFlags = &Set{
	Name:  "mlockall_flags",
	Style: Flags,
	Pairs: []Pair{
		{1, "MCL_CURRENT"},
		{2, "MCL_FUTURE"},
		{4, "MCL_ONFAULT"},
	},
	Unknown: "MCL_???",
}

// MembarrierCmds is strace's membarrier_cmds. The commands are bits but
// strace prints the cmd argument as an enum.
var MembarrierCmds = &Set{
	Name:  "membarrier_cmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "MEMBARRIER_CMD_QUERY"},
		{1, "MEMBARRIER_CMD_GLOBAL"},
		{2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"},
		{4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
		{8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
		{16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
		{32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
		{64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
		{128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
		{256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
	},
	Unknown: "MEMBARRIER_CMD_???",
}

// MembarrierCmdFlags is strace's membarrier_cmd_flags, membarrier's flags.
var MembarrierCmdFlags = &Set{
	Name:    "membarrier_cmd_flags",
	Style:   Flags,
	Pairs:   []Pair{{1, "MEMBARRIER_CMD_FLAG_CPU"}},
	Unknown: "MEMBARRIER_CMD_FLAG_???",
}
