package xlat

import "testing"

func TestMmapProt(t *testing.T) {
	checkSet(t, MmapProt, []strCase{
		{0, "PROT_NONE"},
		{3, "PROT_READ|PROT_WRITE"},
		{5, "PROT_READ|PROT_EXEC"},
		{0x10, "0x10 /* PROT_??? */"},
		{0x01000000, "PROT_GROWSDOWN"},
		{0xffffffff, "PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM|PROT_GROWSDOWN|PROT_GROWSUP|0xfcfffff0"},
		{0x100000000, "0x100000000 /* PROT_??? */"},
	})
}

func TestAppendMmapFlags(t *testing.T) {
	x86 := func(dst []byte, v uint64) []byte { return AppendMmapFlags(dst, v, false) }
	checkAppend(t, "AppendMmapFlags(x86)", x86, []strCase{
		{0x22, "MAP_PRIVATE|MAP_ANONYMOUS"},
		{0x2, "MAP_PRIVATE"},
		{0x802, "MAP_PRIVATE|MAP_DENYWRITE"},
		{0x812, "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE"},
		{0, "MAP_FILE"},
		{1, "MAP_SHARED"},
		{3, "MAP_SHARED_VALIDATE"},
		{4, "0x4 /* MAP_??? */"},
		{0xf, "0xf /* MAP_??? */"},
		{0x10, "MAP_FILE|MAP_FIXED"},
		{0x40, "MAP_FILE|MAP_32BIT"},
		{0x80, "MAP_FILE|0x80"},
		{0x4000000, "MAP_FILE|1<<MAP_HUGE_SHIFT"},
		{0x7c000000, "MAP_FILE|31<<MAP_HUGE_SHIFT"},
		{0x100000000, "MAP_FILE"},
		{0x54040022, "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT"},
		{0x1fffff0, "MAP_FILE|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0x1e00680"},
		{0xffffffff, "0xf /* MAP_??? */|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|0x3e00680|63<<MAP_HUGE_SHIFT"},
	})
	arm := func(dst []byte, v uint64) []byte { return AppendMmapFlags(dst, v, true) }
	checkAppend(t, "AppendMmapFlags(aarch64)", arm, []strCase{
		{0x22, "MAP_PRIVATE|MAP_ANONYMOUS"},
		{0x42, "MAP_PRIVATE|0x40"},
	})
}

func TestMemSets(t *testing.T) {
	checkSet(t, MadviseAdvice, []strCase{
		{0, "MADV_NORMAL"},
		{4, "MADV_DONTNEED"},
		{5, "0x5 /* MADV_??? */"},
		{8, "MADV_FREE"},
		{25, "MADV_COLLAPSE"},
		{26, "0x1a /* MADV_??? */"},
		{100, "MADV_HWPOISON"},
		{101, "MADV_SOFT_OFFLINE"},
	})
	checkSet(t, MremapFlags, []strCase{
		{0, "0"},
		{1, "MREMAP_MAYMOVE"},
		{8, "0x8 /* MREMAP_??? */"},
		{0xf, "MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP|0x8"},
	})
	checkSet(t, MsyncFlags, []strCase{
		{0, "0"},
		{1, "MS_ASYNC"},
		{4, "MS_SYNC"},
		{7, "MS_SYNC|MS_ASYNC|MS_INVALIDATE"},
		{8, "0x8 /* MS_??? */"},
	})
	checkSet(t, MlockFlags, []strCase{{0, "0"}, {1, "MLOCK_ONFAULT"}, {2, "0x2 /* MLOCK_??? */"}, {0xff, "MLOCK_ONFAULT|0xfe"}})
	checkSet(t, MlockallFlags, []strCase{
		{1, "MCL_CURRENT"},
		{8, "0x8 /* MCL_??? */"},
		{0x80000007, "MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT|0x80000000"},
	})
	checkSet(t, MembarrierCmds, []strCase{
		{0, "MEMBARRIER_CMD_QUERY"},
		{8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"},
		{256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
		{0x200, "0x200 /* MEMBARRIER_CMD_??? */"},
	})
	checkSet(t, MembarrierCmdFlags, []strCase{{0xff, "MEMBARRIER_CMD_FLAG_CPU|0xfe"}})
}
