package xlat

import "testing"

// The sets of files_fd.go and files_fsmagic.go, checked against what
// strace 6.1 printed for the cov_files_* fixtures and small programs.

var filesFdSets = map[string]*Set{
	"OpenResolveFlags": OpenResolveFlags,
	"RenameFlags":      RenameFlags,
	"FallocFlags":      FallocFlags,
	"FlockOps":         FlockOps,
	"CloseRangeFlags":  CloseRangeFlags,
	"InotifyInitFlags": InotifyInitFlags,
	"InotifyMask":      InotifyMask,
	"MemfdFlags":       MemfdFlags,
	"EventfdFlags":     EventfdFlags,
	"SpliceFlags":      SpliceFlags,
	"RWFFlags":         RWFFlags,
	"FOwnerTypes":      FOwnerTypes,
	"LockTypes":        LockTypes,
	"FSeals":           FSeals,
	"NotifyFlags":      NotifyFlags,
	"StatfsFlags":      StatfsFlags,
	"DirentTypes":      DirentTypes,
	"FSMagic":          FSMagic,
}

// TestFilesFdSetInvariants applies the invariants of TestSetInvariants to
// these sets: a name, unique names, unique enum values, no zero flag.
func TestFilesFdSetInvariants(t *testing.T) {
	for name, s := range filesFdSets {
		if s.Name == "" || len(s.Pairs) == 0 {
			t.Errorf("%s: empty set or missing xlat name", name)
			continue
		}
		names := map[string]bool{}
		vals := map[uint64]bool{}
		for _, p := range s.Pairs {
			if names[p.Name] {
				t.Errorf("%s: duplicate name %s", name, p.Name)
			}
			names[p.Name] = true
			if vals[p.Val] && s.Style == Enum {
				t.Errorf("%s: duplicate value %#x", name, p.Val)
			}
			vals[p.Val] = true
			if s.Style == Flags && p.Val == 0 {
				t.Errorf("%s: zero flag %s", name, p.Name)
			}
		}
	}
}

func TestFilesFdSets(t *testing.T) {
	checkSet(t, OpenResolveFlags, []strCase{
		{0, "0"},
		{0x0c, "RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH"},
		{0x08, "RESOLVE_BENEATH"},
		{0x40, "0x40 /* RESOLVE_??? */"},
	})
	checkSet(t, RenameFlags, []strCase{
		{1, "RENAME_NOREPLACE"},
		{2, "RENAME_EXCHANGE"},
		{3, "RENAME_NOREPLACE|RENAME_EXCHANGE"},
		{4, "RENAME_WHITEOUT"},
		{0x100, "0x100 /* RENAME_?? */"},
	})
	checkSet(t, FallocFlags, []strCase{
		{0, "0"},
		{1, "FALLOC_FL_KEEP_SIZE"},
		{3, "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE"},
		{0x10, "FALLOC_FL_ZERO_RANGE"},
		{0x7f, "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE|FALLOC_FL_NO_HIDE_STALE|FALLOC_FL_COLLAPSE_RANGE|FALLOC_FL_ZERO_RANGE|FALLOC_FL_INSERT_RANGE|FALLOC_FL_UNSHARE_RANGE"},
		{0x4000, "0x4000 /* FALLOC_FL_??? */"},
	})
	checkSet(t, FlockOps, []strCase{
		{0, "0"},
		{1, "LOCK_SH"},
		{6, "LOCK_EX|LOCK_NB"},
		{8, "LOCK_UN"},
		{0x101, "LOCK_SH|0x100"},
		{0xe0, "LOCK_MAND|LOCK_RW"},
		{0x60, "LOCK_MAND|LOCK_READ"},
		{0x1000, "0x1000 /* LOCK_??? */"},
	})
	checkSet(t, CloseRangeFlags, []strCase{
		{0, "0"},
		{2, "CLOSE_RANGE_UNSHARE"},
		{4, "CLOSE_RANGE_CLOEXEC"},
		{1, "0x1 /* CLOSE_RANGE_??? */"},
	})
	checkSet(t, InotifyInitFlags, []strCase{
		{0, "0"},
		{0o2004000, "IN_NONBLOCK|IN_CLOEXEC"},
		{1, "0x1 /* IN_??? */"},
		{0x40000000, "0x40000000 /* IN_??? */"},
	})
	checkSet(t, InotifyMask, []strCase{
		{0x302, "IN_MODIFY|IN_CREATE|IN_DELETE"},
		{0xfff, "IN_ACCESS|IN_MODIFY|IN_ATTRIB|IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_OPEN|IN_MOVED_FROM|IN_MOVED_TO|IN_CREATE|IN_DELETE|IN_DELETE_SELF|IN_MOVE_SELF"},
		{0x27000004, "IN_ATTRIB|IN_ONLYDIR|IN_DONT_FOLLOW|IN_EXCL_UNLINK|IN_MASK_ADD"},
		{0x80000018, "IN_CLOSE_WRITE|IN_CLOSE_NOWRITE|IN_ONESHOT"},
	})
	checkSet(t, EventfdFlags, []strCase{
		{0, "0"},
		{0o2004000, "EFD_CLOEXEC|EFD_NONBLOCK"},
		{1, "EFD_SEMAPHORE"},
		{2, "0x2 /* EFD_??? */"},
	})
	checkSet(t, SpliceFlags, []strCase{
		{0, "0"},
		{5, "SPLICE_F_MOVE|SPLICE_F_MORE"},
		{2, "SPLICE_F_NONBLOCK"},
		{0x10, "0x10 /* SPLICE_F_??? */"},
	})
	checkSet(t, RWFFlags, []strCase{
		{0, "0"},
		{3, "RWF_HIPRI|RWF_DSYNC"},
		{8, "RWF_NOWAIT"},
		{0x10, "RWF_APPEND"},
		{0x40000, "0x40000 /* RWF_??? */"},
	})
	checkSet(t, FOwnerTypes, []strCase{
		{0, "F_OWNER_TID"},
		{1, "F_OWNER_PID"},
		{2, "F_OWNER_PGRP"},
		{9, "0x9 /* F_OWNER_??? */"},
	})
	checkSet(t, LockTypes, []strCase{
		{0, "F_RDLCK"},
		{1, "F_WRLCK"},
		{2, "F_UNLCK"},
		{7, "0x7 /* F_??? */"},
		{9, "0x9 /* F_??? */"},
	})
	checkSet(t, FSeals, []strCase{
		{6, "F_SEAL_SHRINK|F_SEAL_GROW"},
		{9, "F_SEAL_SEAL|F_SEAL_WRITE"},
		{0x40, "0x40 /* F_SEAL_??? */"},
	})
	checkSet(t, NotifyFlags, []strCase{
		{0, "0"},
		{0x8000000c, "DN_CREATE|DN_DELETE|DN_MULTISHOT"},
		{0x40, "0x40 /* DN_??? */"},
	})
	checkSet(t, StatfsFlags, []strCase{
		{0x1020, "ST_VALID|ST_RELATIME"},
		{0x102e, "ST_VALID|ST_NOSUID|ST_NODEV|ST_NOEXEC|ST_RELATIME"},
	})
	checkSet(t, DirentTypes, []strCase{
		{4, "DT_DIR"},
		{8, "DT_REG"},
		{1, "DT_FIFO"},
		{10, "DT_LNK"},
		{3, "0x3 /* DT_??? */"},
	})
	checkSet(t, FSMagic, []strCase{
		{0x9fa0, "PROC_SUPER_MAGIC"},
		{0xef53, "EXT2_SUPER_MAGIC"},
		{0x01021994, "TMPFS_MAGIC"},
		{0x62656572, "SYSFS_MAGIC"},
		{0x63677270, "CGROUP2_SUPER_MAGIC"},
		{0x58465342, "XFS_SUPER_MAGIC"},
		{0x9123683e, "BTRFS_SUPER_MAGIC"},
		{0x12345678, "0x12345678"}, // strace gives no comment for f_type
	})
}

func TestFilesFdAppenders(t *testing.T) {
	checkAppend(t, "AppendMemfdFlags", AppendMemfdFlags, []strCase{
		{0, "0"},
		{3, "MFD_CLOEXEC|MFD_ALLOW_SEALING"},
		{4, "MFD_HUGETLB"},
		{4 | 21<<26, "MFD_HUGETLB|21<<MFD_HUGE_SHIFT"},
		{21 << 26, "21<<MFD_HUGE_SHIFT"},
		{1 | 0x100 | 30<<26, "MFD_CLOEXEC|0x100|30<<MFD_HUGE_SHIFT"},
		{0x100, "0x100 /* MFD_??? */"},
	})
	oflags := func(dst []byte, v uint64) []byte { return AppendOFlags(dst, v, false) }
	checkAppend(t, "AppendOFlags(x86)", oflags, []strCase{
		{0, "0"},
		{0o2000000, "O_CLOEXEC"},
		{0o2004000, "O_NONBLOCK|O_CLOEXEC"},
		{0o40000, "O_DIRECT"},
		{0o2000, "O_APPEND"},
		{0o2000000 | 0x40000000, "O_CLOEXEC|0x40000000"},
		{0x40000000, "0x40000000 /* O_??? */"},
	})
	oflagsArm := func(dst []byte, v uint64) []byte { return AppendOFlags(dst, v, true) }
	checkAppend(t, "AppendOFlags(aarch64)", oflagsArm, []strCase{
		{0o200000, "O_DIRECT"},
	})
	how := func(dst []byte, v uint64) []byte { return AppendOpenFlags64(dst, v, false) }
	checkAppend(t, "AppendOpenFlags64", how, []strCase{
		{0o2000000, "O_RDONLY|O_CLOEXEC"},
		{0o101, "O_WRONLY|O_CREAT"},
		{1 << 40, "O_RDONLY|0x10000000000"},
	})
	checkAppend(t, "AppendNumericMode64", AppendNumericMode64, []strCase{
		{0, "000"},
		{0o600, "0600"},
		{0o1000000, "01000000"},
	})
}
