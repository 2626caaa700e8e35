package decode_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/sonde-dev/sonde/arch"
	"github.com/sonde-dev/sonde/decode"
	"github.com/sonde-dev/sonde/sysent"
)

// File and descriptor decoders against a fake memory, with the text strace
// 6.1 printed for the same values in the cov_files_* fixtures.

type fileCase struct {
	name        string
	opt         decode.Options
	rval        int64
	args        []uint64
	enter, exit string
	note        string // the result's note, when the decoder sets one
}

func runFileCases(t *testing.T, a *arch.Arch, tab *sysent.Table, mem fakeMem, cases []fileCase) {
	t.Helper()
	for _, tt := range cases {
		enter, exit, call := run(t, a, tab, tt.name, mem, tt.opt, tt.rval, tt.args...)
		if enter != tt.enter || exit != tt.exit {
			t.Errorf("%s %s%v:\n got  enter %s\n      exit %s\n want enter %s\n      exit %s", a.Name, tt.name, tt.args, enter, exit, tt.enter, tt.exit)
		}
		note := ""
		if call.Note != nil && !call.IsError {
			note = string(call.Note.Append(nil, call.NoteVal))
		}
		if note != tt.note {
			t.Errorf("%s %s%v: note %q, want %q", a.Name, tt.name, tt.args, note, tt.note)
		}
	}
}

func le32(v ...uint32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return b
}

func le64s(v ...uint64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], x)
	}
	return b
}

func TestFileDecodersX86_64(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	defer func() { time.Local = old }()

	// struct stat of x86_64: a regular file of 10 bytes.
	st := make([]byte, 144)
	binary.LittleEndian.PutUint64(st[0:], 0xfe00)  // st_dev
	binary.LittleEndian.PutUint64(st[8:], 9979585) // st_ino
	binary.LittleEndian.PutUint64(st[16:], 1)      // st_nlink
	binary.LittleEndian.PutUint32(st[24:], 0o100644)
	binary.LittleEndian.PutUint64(st[48:], 10)
	binary.LittleEndian.PutUint64(st[56:], 4096)
	binary.LittleEndian.PutUint64(st[64:], 8)
	for _, off := range []int{72, 88, 104} {
		binary.LittleEndian.PutUint64(st[off:], 1700000000)
		binary.LittleEndian.PutUint64(st[off+8:], 123456789)
	}
	// struct statfs of /proc.
	sfs := make([]byte, 120)
	binary.LittleEndian.PutUint64(sfs[0:], 0x9fa0)
	binary.LittleEndian.PutUint64(sfs[8:], 4096)
	binary.LittleEndian.PutUint32(sfs[56:], 0x15)
	binary.LittleEndian.PutUint64(sfs[64:], 255)
	binary.LittleEndian.PutUint64(sfs[72:], 4096)
	binary.LittleEndian.PutUint64(sfs[80:], 0x1020)
	// two linux_dirent64: "." and "f".
	dents := make([]byte, 48)
	binary.LittleEndian.PutUint64(dents[0:], 7)
	binary.LittleEndian.PutUint64(dents[8:], 100)
	binary.LittleEndian.PutUint16(dents[16:], 24)
	dents[18], dents[19] = 4, '.'
	binary.LittleEndian.PutUint64(dents[24:], 8)
	binary.LittleEndian.PutUint64(dents[32:], 200)
	binary.LittleEndian.PutUint16(dents[40:], 24)
	dents[42], dents[43] = 8, 'f'
	// struct open_how, then 16 more bytes with a 7 in them.
	how := append(le64s(0o101, 0o600, 0), le64s(0, 7)...)
	// iovecs {0x2000, 4}, {0x2010, 8}.
	iov := le64s(0x2000, 4, 0x2100, 8)
	// struct flock: F_WRLCK, SEEK_SET, 0, 5.
	fl := make([]byte, 32)
	binary.LittleEndian.PutUint16(fl[0:], 1)
	binary.LittleEndian.PutUint64(fl[16:], 5)
	// utimensat times: {1, 2}, UTIME_OMIT.
	ts := le64s(1, 2, 0, 1<<30-2)
	mem := fakeMem{
		0x1000: cstr("cov_files_path.d/a"),
		0x2000: []byte("The quick brown fox"),
		0x2100: []byte("jumps over"),
		0x3000: st,
		0x4000: sfs,
		0x5000: dents,
		0x6000: how,
		0x7000: iov,
		0x8000: fl,
		0x9000: ts,
		0xa000: le64s(4),
		0xb000: cstr("a"),
	}
	opt := decode.DefaultOptions
	v := decode.Options{StrLimit: 32, Verbose: true}
	neg := func(x int64) uint64 { return uint64(x) }
	runFileCases(t, arch.X86_64, sysent.X86_64, mem, []fileCase{
		{name: "openat", opt: opt, rval: 5, args: []uint64{neg(-100), 0x1000, 0o20200002, 0o600}, enter: `AT_FDCWD, "cov_files_path.d/a", O_RDWR|O_TMPFILE, 0600`},
		{name: "openat", opt: opt, rval: -22, args: []uint64{neg(-100), 0x1000, 0o20000002, 0}, enter: `AT_FDCWD, "cov_files_path.d/a", O_RDWR|__O_TMPFILE, 000`},
		{name: "openat2", opt: opt, rval: 5, args: []uint64{4, 0xb000, 0x6000, 24}, enter: `4, "a", {flags=O_WRONLY|O_CREAT, mode=0600, resolve=0}, 24`},
		{name: "openat2", opt: opt, rval: -7, args: []uint64{4, 0xb000, 0x6000, 40}, enter: `4, "a", {flags=O_WRONLY|O_CREAT, mode=0600, resolve=0, /* bytes 24..39 */ "\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00"}, 40`},
		{name: "openat2", opt: opt, rval: -22, args: []uint64{4, 0xb000, 0x6000, 16}, enter: `4, "a", 0x6000, 16`},
		{name: "mkdir", opt: opt, rval: 0, args: []uint64{0x1000, 0}, enter: `"cov_files_path.d/a", 000`},
		{name: "umask", opt: opt, rval: 0o22, args: []uint64{0o77}, enter: `077`},
		{name: "faccessat2", opt: opt, rval: 0, args: []uint64{neg(-100), 0x1000, 4, 0x200}, enter: `AT_FDCWD, "cov_files_path.d/a", R_OK, AT_EACCESS`},
		{name: "readlink", opt: opt, rval: 1, args: []uint64{0x1000, 0xb000, 256}, enter: `"cov_files_path.d/a"`, exit: `"a", 256`},
		{name: "readlink", opt: opt, rval: -22, args: []uint64{0x1000, 0xb000, 256}, enter: `"cov_files_path.d/a"`, exit: `0xb000, 256`},
		{name: "truncate", opt: opt, rval: -22, args: []uint64{0x1000, neg(-1)}, enter: `"cov_files_path.d/a", 18446744073709551615`},
		{name: "renameat2", opt: opt, rval: -22, args: []uint64{4, 0xb000, 4, 0xb000, 0x100}, enter: `4, "a", 4, "a", 0x100 /* RENAME_?? */`},
		{name: "utimensat", opt: opt, rval: 0, args: []uint64{4, 0xb000, 0x9000, 0}, enter: `4, "a", [{tv_sec=1, tv_nsec=2} /* 1970-01-01T00:00:01.000000002+0000 */, UTIME_OMIT], 0`},
		{name: "newfstatat", opt: v, rval: 0, args: []uint64{4, 0xb000, 0x3000, 0}, enter: `4, "a"`, exit: `{st_dev=makedev(0xfe, 0), st_ino=9979585, st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=10, st_atime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, st_atime_nsec=123456789, st_mtime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, st_mtime_nsec=123456789, st_ctime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, st_ctime_nsec=123456789}, 0`},
		{name: "statfs", opt: opt, rval: 0, args: []uint64{0x1000, 0x4000}, enter: `"cov_files_path.d/a"`, exit: `{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}`},
		{name: "statfs", opt: opt, rval: -2, args: []uint64{0x1000, 0x4000}, enter: `"cov_files_path.d/a"`, exit: `0x4000`},
		{name: "getdents64", opt: opt, rval: 48, args: []uint64{4, 0x5000, 4096}, enter: `4`, exit: `0x5000 /* 2 entries */, 4096`},
		{name: "getdents64", opt: opt, rval: 0, args: []uint64{4, 0x5000, 4096}, enter: `4`, exit: `0x5000 /* 0 entries */, 4096`},
		{name: "getdents64", opt: opt, rval: 30, args: []uint64{4, 0x5000, 4096}, enter: `4`, exit: `0x5000 /* 1+ entries */, 4096`},
		{name: "getdents64", opt: v, rval: 48, args: []uint64{4, 0x5000, 4096}, enter: `4`, exit: `[{d_ino=7, d_off=100, d_reclen=24, d_type=DT_DIR, d_name="."}, {d_ino=8, d_off=200, d_reclen=24, d_type=DT_REG, d_name="f"}], 4096`},
		{name: "getdents64", opt: v, rval: 0, args: []uint64{4, 0x5000, 4096}, enter: `4`, exit: `[], 4096`},
		{name: "readv", opt: opt, rval: 5, args: []uint64{3, 0x7000, 2}, enter: `3`, exit: `[{iov_base="The ", iov_len=4}, {iov_base="j", iov_len=8}], 2`},
		{name: "readv", opt: opt, rval: -9, args: []uint64{3, 0x7000, 2}, enter: `3`, exit: `[{iov_base=0x2000, iov_len=4}, {iov_base=0x2100, iov_len=8}], 2`},
		{name: "readv", opt: opt, rval: 0, args: []uint64{3, 0, 0}, enter: `3`, exit: `NULL, 0`},
		{name: "writev", opt: opt, rval: 12, args: []uint64{3, 0x7000, 2}, enter: `3, [{iov_base="The ", iov_len=4}, {iov_base="jumps ov", iov_len=8}], 2`},
		{name: "writev", opt: opt, rval: -14, args: []uint64{3, 0x7008, 2}, enter: `3, [{iov_base=0x4, iov_len=8448}, ... /* 0x7018 */], 2`},
		{name: "pwritev2", opt: opt, rval: 4, args: []uint64{3, 0x7000, 1, 3, 0, 3}, enter: `3, [{iov_base="The ", iov_len=4}], 1, 3, RWF_HIPRI|RWF_DSYNC`},
		{name: "write", opt: opt, rval: 0, args: []uint64{3, 0, 0}, enter: `3, NULL, 0`},
		{name: "pread64", opt: opt, rval: 3, args: []uint64{3, 0x2000, 9, 4}, enter: `3`, exit: `"The", 9, 4`},
		{name: "sendfile", opt: opt, rval: 6, args: []uint64{4, 3, 0xa000, 6}, enter: `4, 3, [4]`, exit: ` => [4], 6`},
		{name: "sendfile", opt: opt, rval: -9, args: []uint64{4, 3, 0xa000, 6}, enter: `4, 3, [4]`, exit: `6`},
		{name: "sendfile", opt: opt, rval: 8, args: []uint64{4, 3, 0, 8}, enter: `4, 3, NULL, 8`},
		{name: "splice", opt: opt, rval: 6, args: []uint64{5, 0, 4, 0xa000, 6, 5}, enter: `5, NULL, 4, [4], 6, SPLICE_F_MOVE|SPLICE_F_MORE`},
		{name: "fcntl", opt: opt, rval: 0, args: []uint64{3, 6, 0x8000}, enter: `3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=5}`},
		{name: "fcntl", opt: opt, rval: 0, args: []uint64{3, 5, 0x8000}, enter: `3, F_GETLK`, exit: `{l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=5, l_pid=0}`},
		{name: "fcntl", opt: opt, rval: -14, args: []uint64{3, 5, 0x8000}, enter: `3, F_GETLK`, exit: `0x8000`},
		{name: "fcntl", opt: opt, rval: 0x8002, args: []uint64{3, 3}, enter: `3, F_GETFL`, note: `flags O_RDWR|O_LARGEFILE`},
		{name: "fcntl", opt: opt, rval: 2, args: []uint64{3, 1025}, enter: `3, F_GETLEASE`, note: `F_UNLCK`},
		{name: "fcntl", opt: opt, rval: 0xf, args: []uint64{6, 1034}, enter: `6, F_GET_SEALS`, note: `seals F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE`},
		{name: "fcntl", opt: opt, rval: 10, args: []uint64{3, 11}, enter: `3, F_GETSIG`, note: `SIGUSR1`},
		{name: "fcntl", opt: opt, rval: 0, args: []uint64{3, 1026, 0x8000000c}, enter: `3, F_NOTIFY, DN_CREATE|DN_DELETE|DN_MULTISHOT`},
		{name: "fcntl", opt: opt, rval: -22, args: []uint64{3, 0x7777, 0x1234}, enter: `3, 0x7777 /* F_??? */, 0x1234`},
		{name: "dup3", opt: opt, rval: 12, args: []uint64{3, 12, 0o2000000}, enter: `3, 12, O_CLOEXEC`},
		{name: "pipe2", opt: opt, rval: -22, args: []uint64{0x7000, 0o2000}, exit: `0x7000, O_APPEND`},
		{name: "memfd_create", opt: opt, rval: 6, args: []uint64{0xb000, 4 | 21<<26}, enter: `"a", MFD_HUGETLB|21<<MFD_HUGE_SHIFT`},
		{name: "inotify_add_watch", opt: opt, rval: 1, args: []uint64{7, 0xb000, 0x302}, enter: `7, "a", IN_MODIFY|IN_CREATE|IN_DELETE`},
		{name: "close_range", opt: opt, rval: 0, args: []uint64{3, 0xffffffff, 4}, enter: `3, 4294967295, CLOSE_RANGE_CLOEXEC`},
		{name: "fallocate", opt: opt, rval: 0, args: []uint64{3, 3, 0, 4096}, enter: `3, FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE, 0, 4096`},
		{name: "flock", opt: opt, rval: 0, args: []uint64{3, 6}, enter: `3, LOCK_EX|LOCK_NB`},
		{name: "eventfd2", opt: opt, rval: 6, args: []uint64{0, 0o2004000}, enter: `0, EFD_CLOEXEC|EFD_NONBLOCK`},
	})
}

func TestFileDecodersI386(t *testing.T) {
	old := time.Local
	time.Local = time.UTC
	defer func() { time.Local = old }()

	// the old struct stat of i386: /dev/null.
	st := make([]byte, 64)
	binary.LittleEndian.PutUint16(st[8:], 0o20666)
	binary.LittleEndian.PutUint32(st[16:], 0x103)
	// struct stat64 of i386: a 10-byte file.
	st64 := make([]byte, 96)
	binary.LittleEndian.PutUint32(st64[16:], 0o100644)
	binary.LittleEndian.PutUint64(st64[44:], 10)
	// struct flock64 of i386 (packed): F_RDLCK, SEEK_END, -1, 1.
	fl64 := make([]byte, 24)
	binary.LittleEndian.PutUint16(fl64[2:], 2)
	binary.LittleEndian.PutUint64(fl64[4:], ^uint64(0))
	binary.LittleEndian.PutUint64(fl64[12:], 1)
	// struct statfs64 of i386.
	sfs := make([]byte, 84)
	binary.LittleEndian.PutUint32(sfs[0:], 0x9fa0)
	binary.LittleEndian.PutUint32(sfs[4:], 4096)
	binary.LittleEndian.PutUint32(sfs[56:], 255)
	binary.LittleEndian.PutUint32(sfs[60:], 4096)
	binary.LittleEndian.PutUint32(sfs[64:], 0x1020)
	mem := fakeMem{
		0x1000: cstr("f"),
		0x2000: st,
		0x3000: st64,
		0x4000: fl64,
		0x5000: sfs,
		0x6000: le64s(4294967298),
		0x7000: le32(2),
		0x8000: le32(0x2100, 3, 0x2100, 0),
		0x2100: []byte("abc"),
		0x9000: le32(86400, 5, 0, 1<<30-1),
	}
	opt := decode.DefaultOptions
	runFileCases(t, arch.I386, sysent.I386, mem, []fileCase{
		{name: "stat", opt: opt, rval: 0, args: []uint64{0x1000, 0x2000}, enter: `"f"`, exit: `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}`},
		{name: "stat64", opt: opt, rval: 0, args: []uint64{0x1000, 0x3000}, enter: `"f"`, exit: `{st_mode=S_IFREG|0644, st_size=10, ...}`},
		{name: "fcntl64", opt: opt, rval: 0, args: []uint64{3, 13, 0x4000}, enter: `3, F_SETLK64, {l_type=F_RDLCK, l_whence=SEEK_END, l_start=-1, l_len=1}`},
		{name: "fcntl", opt: opt, rval: -22, args: []uint64{3, 12, 0x4000}, enter: `3, F_GETLK64, 0x4000`},
		{name: "statfs64", opt: opt, rval: 0, args: []uint64{0x1000, 84, 0x5000}, enter: `"f", 84`, exit: `{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}`},
		{name: "_llseek", opt: opt, rval: 0, args: []uint64{3, 1, 2, 0x6000, 0}, enter: `3, 4294967298`, exit: `[4294967298], SEEK_SET`},
		{name: "_llseek", opt: opt, rval: -22, args: []uint64{3, 0xffffffff, 0xffffffff, 0x6000, 0}, enter: `3, -1`, exit: `0x6000, SEEK_SET`},
		{name: "sendfile", opt: opt, rval: 5, args: []uint64{4, 3, 0x7000, 5}, enter: `4, 3, [2]`, exit: ` => [2], 5`},
		{name: "sendfile", opt: opt, rval: 0, args: []uint64{4, 3, 0x7000, 0}, enter: `4, 3, [2], 0`},
		{name: "readv", opt: opt, rval: 2, args: []uint64{3, 0x8000, 2}, enter: `3`, exit: `[{iov_base="ab", iov_len=3}, {iov_base="", iov_len=0}], 2`},
		{name: "truncate64", opt: opt, rval: 0, args: []uint64{0x1000, 0x10, 1}, enter: `"f", 4294967312`},
		{name: "chown", opt: opt, rval: 0, args: []uint64{0x1000, 0, 0xffff}, enter: `"f", 0, -1`},
		{name: "chown32", opt: opt, rval: 0, args: []uint64{0x1000, 0xffff, 0xffffffff}, enter: `"f", 65535, -1`},
		{name: "utimensat", opt: opt, rval: 0, args: []uint64{4, 0x1000, 0x9000, 0}, enter: `4, "f", [{tv_sec=86400, tv_nsec=5} /* 1970-01-02T00:00:00.000000005+0000 */, UTIME_NOW], 0`},
		{name: "ftruncate", opt: opt, rval: -22, args: []uint64{3, 0xfffffffb}, enter: `3, 4294967291`},
	})
}

// aarch64 layouts come from the kernel headers (asm-generic stat, statfs,
// flock; arm64's open flags); there is no aarch64 strace here to compare.
func TestFileDecodersAArch64(t *testing.T) {
	st := make([]byte, 128)
	binary.LittleEndian.PutUint32(st[16:], 0o100600)
	binary.LittleEndian.PutUint64(st[48:], 42)
	chr := make([]byte, 128)
	binary.LittleEndian.PutUint32(chr[16:], 0o20666)
	binary.LittleEndian.PutUint64(chr[32:], 0x103)
	fl := make([]byte, 32)
	binary.LittleEndian.PutUint16(fl[0:], 2)
	binary.LittleEndian.PutUint64(fl[8:], 7)
	binary.LittleEndian.PutUint64(fl[16:], 9)
	binary.LittleEndian.PutUint32(fl[24:], 1234)
	mem := fakeMem{
		0x1000: cstr("f"),
		0x2000: st,
		0x3000: chr,
		0x4000: fl,
		0x5000: le32(3, 4),
	}
	opt := decode.DefaultOptions
	runFileCases(t, arch.AArch64, sysent.AArch64, mem, []fileCase{
		{name: "newfstatat", opt: opt, rval: 0, args: []uint64{3, 0x1000, 0x2000, 0}, enter: `3, "f"`, exit: `{st_mode=S_IFREG|0600, st_size=42, ...}, 0`},
		{name: "fstat", opt: opt, rval: 0, args: []uint64{3, 0x3000}, enter: `3`, exit: `{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}`},
		{name: "fcntl", opt: opt, rval: 0, args: []uint64{3, 5, 0x4000}, enter: `3, F_GETLK`, exit: `{l_type=F_UNLCK, l_whence=SEEK_SET, l_start=7, l_len=9, l_pid=1234}`},
		{name: "pipe2", opt: opt, rval: 0, args: []uint64{0x5000, 0o200000}, exit: `[3, 4], O_DIRECT`},
		{name: "openat", opt: opt, rval: 3, args: []uint64{uint64(1<<64 - 100), 0x1000, 0o40000}, enter: `AT_FDCWD, "f", O_RDONLY|O_DIRECTORY`},
	})
}
