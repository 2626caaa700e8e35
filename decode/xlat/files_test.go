package xlat

import "testing"

func TestAppendOpenFlags(t *testing.T) {
	x86 := func(dst []byte, v uint64) []byte { return AppendOpenFlags(dst, v, false) }
	checkAppend(t, "AppendOpenFlags(x86)", x86, []strCase{
		{0, "O_RDONLY"},
		{1, "O_WRONLY"},
		{2, "O_RDWR"},
		{3, "O_ACCMODE"},
		{0o2000000, "O_RDONLY|O_CLOEXEC"},
		{0o1101, "O_WRONLY|O_CREAT|O_TRUNC"},
		{0o3101, "O_WRONLY|O_CREAT|O_TRUNC|O_APPEND"},
		{0o2204000, "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY"},
		{0o20200000, "O_RDONLY|O_TMPFILE"},
		{0o20000000, "O_RDONLY|__O_TMPFILE"},
		{0o200000, "O_RDONLY|O_DIRECTORY"},
		{0o4010000, "O_RDONLY|O_SYNC"},
		{0o4000000, "O_RDONLY|__O_SYNC"},
		{0o10000, "O_RDONLY|O_DSYNC"},
		{0o100000, "O_RDONLY|O_LARGEFILE"},
		{0o10000000, "O_RDONLY|O_PATH"},
		{0o20000, "O_RDONLY|FASYNC"},
		{0x4, "O_RDONLY|0x4"},
		{0x80000000, "O_RDONLY|0x80000000"},
		{0xffffffff, "O_ACCMODE|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c"},
		{0x7ffffffc, "O_RDONLY|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0x7f80003c"},
	})
	// aarch64: from arm64's uapi fcntl.h (no aarch64 strace here to run).
	arm := func(dst []byte, v uint64) []byte { return AppendOpenFlags(dst, v, true) }
	checkAppend(t, "AppendOpenFlags(aarch64)", arm, []strCase{
		{0o2000000, "O_RDONLY|O_CLOEXEC"},
		{0o2044000, "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY"},
		{0o400000, "O_RDONLY|O_LARGEFILE"},
		{0o100000, "O_RDONLY|O_NOFOLLOW"},
		{0o200000, "O_RDONLY|O_DIRECT"},
		{0o20040000, "O_RDONLY|O_TMPFILE"},
		{0o20000000, "O_RDONLY|__O_TMPFILE"},
	})
}

func TestAtFlags(t *testing.T) {
	checkSet(t, AtFlags, []strCase{
		{0, "0"},
		{0x100, "AT_SYMLINK_NOFOLLOW"},
		{0x200, "AT_REMOVEDIR"},
		{0x1000, "AT_EMPTY_PATH"},
		{0x1, "0x1 /* AT_??? */"},
		{0x6100, "AT_SYMLINK_NOFOLLOW|0x6000"},
		{0xffffffff, "AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xffff60ff"},
	})
	checkSet(t, FaccessatFlags, []strCase{
		{0x200, "AT_EACCESS"},
		{0x400, "0x400 /* AT_??? */"},
		{0xffffffff, "AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH|0xffffecff"},
	})
	checkAppend(t, "AppendStatxFlags", AppendStatxFlags, []strCase{
		{0, "AT_STATX_SYNC_AS_STAT"},
		{0x100, "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW"},
		{0x1, "AT_STATX_SYNC_AS_STAT|0x1"},
		{0x2000, "AT_STATX_FORCE_SYNC"},
		{0x4000, "AT_STATX_DONT_SYNC"},
		{0x6000, "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC"},
		{0xffffffff, "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xffff00ff"},
	})
	if AtFdcwd != -100 || AtFdcwdName != "AT_FDCWD" {
		t.Errorf("AT_FDCWD = %d %q", AtFdcwd, AtFdcwdName)
	}
}

func TestAccessModes(t *testing.T) {
	checkSet(t, AccessModes, []strCase{
		{0, "F_OK"},
		{1, "X_OK"},
		{3, "W_OK|X_OK"},
		{7, "R_OK|W_OK|X_OK"},
		{8, "0x8 /* ?_OK */"},
		{0xf, "R_OK|W_OK|X_OK|0x8"},
	})
}

func TestFcntl(t *testing.T) {
	checkSet(t, FcntlCmds, []strCase{
		{0, "F_DUPFD"},
		{2, "F_SETFD"},
		{3, "F_GETFL"},
		{12, "F_GETLK64"},
		{18, "0x12 /* F_??? */"},
		{37, "F_OFD_SETLK"},
		{1030, "F_DUPFD_CLOEXEC"},
		{1034, "F_GET_SEALS"},
		{1035, "0x40b /* F_??? */"},
	})
	checkSet(t, FdFlags, []strCase{{0, "0"}, {1, "FD_CLOEXEC"}, {2, "0x2 /* FD_??? */"}, {3, "FD_CLOEXEC|0x2"}})
	checkSet(t, SeekWhence, []strCase{{0, "SEEK_SET"}, {4, "SEEK_HOLE"}, {5, "0x5 /* SEEK_??? */"}})
}

func TestAppendFileMode(t *testing.T) {
	checkAppend(t, "AppendFileMode", AppendFileMode, []strCase{
		{0o100644, "S_IFREG|0644"},
		{0o40755, "S_IFDIR|0755"},
		{0o41777, "S_IFDIR|S_ISVTX|0777"},
		{0o20666, "S_IFCHR|0666"},
		{0o60660, "S_IFBLK|0660"},
		{0o10600, "S_IFIFO|0600"},
		{0o140777, "S_IFSOCK|0777"},
		{0o120777, "S_IFLNK|0777"},
		{0, "000"},
		{0o644, "0644"},
		{0o7777, "S_ISUID|S_ISGID|S_ISVTX|0777"},
		{0o1000, "S_ISVTX|000"},
		{0o4755, "S_ISUID|0755"},
		{0o2755, "S_ISGID|0755"},
		{0o170000, "0170000"},
		{0o110000, "0110000"},
		{0x7fffffff, "0177777"},
	})
	checkAppend(t, "AppendNumericMode", AppendNumericMode, []strCase{
		{0, "000"},
		{0o644, "0644"},
		{0o100644, "0100644"},
		{0o7777, "07777"},
		{0o7, "007"},
		{0xffffffff, "0177777"},
	})
}

func TestStatx(t *testing.T) {
	checkSet(t, StatxMask, []strCase{
		{0, "0"},
		{1, "STATX_TYPE"},
		{0x7ff, "STATX_BASIC_STATS"},
		{0xfff, "STATX_ALL"},
		{0x1000, "STATX_MNT_ID"},
		{0x2000, "STATX_DIOALIGN"},
		{0x4000, "0x4000 /* STATX_??? */"},
		{0xffffffff, "STATX_ALL|STATX_MNT_ID|STATX_DIOALIGN|0xffffc000"},
	})
	checkSet(t, StatxAttrs, []strCase{
		{0x4, "STATX_ATTR_COMPRESSED"},
		{0xffffffffffffffff, "STATX_ATTR_COMPRESSED|STATX_ATTR_IMMUTABLE|STATX_ATTR_APPEND|STATX_ATTR_NODUMP|STATX_ATTR_ENCRYPTED|STATX_ATTR_AUTOMOUNT|STATX_ATTR_MOUNT_ROOT|STATX_ATTR_VERITY|STATX_ATTR_DAX|0xffffffffffcfc78b"},
	})
}

func TestXattrFlags(t *testing.T) {
	checkSet(t, XattrFlags, []strCase{
		{0, "0"},
		{1, "XATTR_CREATE"},
		{3, "XATTR_CREATE|XATTR_REPLACE"},
		{4, "0x4 /* XATTR_??? */"},
	})
}
