package xlat

// Files: open(2) flags, *at(2) flags, access modes, fcntl, lseek, file
// modes, statx and xattr flags, as strace 6.1 prints them.

// OpenAccessModes is the O_ACCMODE field of open(2) flags (strace's
// open_access_modes); every value 0-3 has a name.
var OpenAccessModes = &Set{
	Name:  "open_access_modes",
	Style: Enum,
	Pairs: []Pair{
		{0, "O_RDONLY"},
		{1, "O_WRONLY"},
		{2, "O_RDWR"},
		{3, "O_ACCMODE"},
	},
	Unknown: "O_???",
}

// OpenFlags is strace's open_mode_flags for x86 tracees (x86_64 and i386,
// asm-generic/fcntl.h values), without the access mode: print with
// AppendOpenFlags. O_SYNC precedes __O_SYNC and O_DSYNC, O_TMPFILE precedes
// __O_TMPFILE and O_DIRECTORY, as in strace, so the composite names win.
// strace prints O_LARGEFILE (0100000) for x86_64 tracees too, where the
// kernel sets it on every open. Unknown is empty: strace prints leftover
// open flags as bare hex (O_RDONLY|0x80000000), never with a comment.
var OpenFlags = &Set{
	Name:  "open_mode_flags",
	Style: Flags,
	Pairs: []Pair{
		{0o100, "O_CREAT"},
		{0o200, "O_EXCL"},
		{0o400, "O_NOCTTY"},
		{0o1000, "O_TRUNC"},
		{0o2000, "O_APPEND"},
		{0o4000, "O_NONBLOCK"},
		{0o4010000, "O_SYNC"},
		{0o4000000, "__O_SYNC"},
		{0o10000, "O_DSYNC"},
		{0o40000, "O_DIRECT"},
		{0o100000, "O_LARGEFILE"},
		{0o400000, "O_NOFOLLOW"},
		{0o1000000, "O_NOATIME"},
		{0o2000000, "O_CLOEXEC"},
		{0o10000000, "O_PATH"},
		{0o20200000, "O_TMPFILE"},
		{0o20000000, "__O_TMPFILE"},
		{0o200000, "O_DIRECTORY"},
		{0o20000, "FASYNC"},
	},
}

// OpenFlagsGeneric is OpenFlags for aarch64 tracees: arm64's uapi fcntl.h
// overrides asm-generic with O_DIRECTORY 040000, O_NOFOLLOW 0100000,
// O_DIRECT 0200000 and O_LARGEFILE 0400000 (so O_TMPFILE is 020040000).
var OpenFlagsGeneric = &Set{
	Name:  "open_mode_flags",
	Style: Flags,
	Pairs: []Pair{
		{0o100, "O_CREAT"},
		{0o200, "O_EXCL"},
		{0o400, "O_NOCTTY"},
		{0o1000, "O_TRUNC"},
		{0o2000, "O_APPEND"},
		{0o4000, "O_NONBLOCK"},
		{0o4010000, "O_SYNC"},
		{0o4000000, "__O_SYNC"},
		{0o10000, "O_DSYNC"},
		{0o200000, "O_DIRECT"},
		{0o400000, "O_LARGEFILE"},
		{0o100000, "O_NOFOLLOW"},
		{0o1000000, "O_NOATIME"},
		{0o2000000, "O_CLOEXEC"},
		{0o10000000, "O_PATH"},
		{0o20040000, "O_TMPFILE"},
		{0o20000000, "__O_TMPFILE"},
		{0o40000, "O_DIRECTORY"},
		{0o20000, "FASYNC"},
	},
}

// OpenCreatMask is the flags that make open/openat print a mode argument
// (O_CREAT|__O_TMPFILE, the same on every arch).
const OpenCreatMask = 0o100 | 0o20000000

// AppendOpenFlags appends open(2) flags as strace's tprint_open_modes does:
// the access mode first (always named), then the other flags of OpenFlags
// (generic false: x86) or OpenFlagsGeneric (generic true: aarch64), then
// leftover bits in hex: O_RDONLY|O_CLOEXEC, O_WRONLY|O_CREAT|O_TRUNC,
// O_RDONLY|0x80000000. Only the low 32 bits count (the argument is an int).
func AppendOpenFlags(dst []byte, v uint64, generic bool) []byte {
	v &= 0xffffffff
	set := OpenFlags
	if generic {
		set = OpenFlagsGeneric
	}
	dst = OpenAccessModes.AppendEnum(dst, v&3)
	if rest := v &^ 3; rest != 0 {
		dst = append(dst, '|')
		dst = set.appendFlags(dst, rest, "")
	}
	return dst
}

// AtFdcwd is the dirfd value strace prints as AT_FDCWD (compare the
// sign-extended int argument).
const AtFdcwd int64 = -100

// AtFdcwdName is how strace prints AtFdcwd.
const AtFdcwdName = "AT_FDCWD"

// AtFlags is strace's at_flags, printed for the flags of newfstatat,
// unlinkat, linkat, fchownat, utimensat, execveat and the like (all share
// one table in strace 6.1, whatever the call accepts).
var AtFlags = &Set{
	Name:  "at_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x100, "AT_SYMLINK_NOFOLLOW"},
		{0x200, "AT_REMOVEDIR"},
		{0x400, "AT_SYMLINK_FOLLOW"},
		{0x800, "AT_NO_AUTOMOUNT"},
		{0x1000, "AT_EMPTY_PATH"},
		{0x8000, "AT_RECURSIVE"},
	},
	Unknown: "AT_???",
}

// FaccessatFlags is strace's faccessat_flags, the flags of faccessat2:
// 0x200 is AT_EACCESS there, not AT_REMOVEDIR.
var FaccessatFlags = &Set{
	Name:  "faccessat_flags",
	Style: Flags,
	Pairs: []Pair{
		{0x100, "AT_SYMLINK_NOFOLLOW"},
		{0x200, "AT_EACCESS"},
		{0x1000, "AT_EMPTY_PATH"},
	},
	Unknown: "AT_???",
}

// StatxSyncTypes is strace's at_statx_sync_types, the AT_STATX_SYNC_TYPE
// field (0x6000) of statx flags; zero is AT_STATX_SYNC_AS_STAT.
var StatxSyncTypes = &Set{
	Name:  "at_statx_sync_types",
	Style: Flags,
	Pairs: []Pair{
		{0, "AT_STATX_SYNC_AS_STAT"},
		{0x2000, "AT_STATX_FORCE_SYNC"},
		{0x4000, "AT_STATX_DONT_SYNC"},
	},
	Unknown: "AT_STATX_???",
}

// statxSyncType is AT_STATX_SYNC_TYPE.
const statxSyncType = 0x6000

// AppendStatxFlags appends statx's flags argument as strace does: the sync
// type first (AT_STATX_SYNC_AS_STAT when zero), then the AtFlags bits and
// leftover hex with no comment: AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW,
// AT_STATX_SYNC_AS_STAT|0x1.
func AppendStatxFlags(dst []byte, v uint64) []byte {
	v &= 0xffffffff
	dst = StatxSyncTypes.AppendFlags(dst, v&statxSyncType)
	if rest := v &^ statxSyncType; rest != 0 {
		dst = append(dst, '|')
		dst = AtFlags.appendFlags(dst, rest, "")
	}
	return dst
}

// AccessModes is strace's access_modes, the mode of access/faccessat:
// F_OK for zero, else R_OK|W_OK|X_OK.
var AccessModes = &Set{
	Name:  "access_modes",
	Style: Flags,
	Pairs: []Pair{
		{0, "F_OK"},
		{4, "R_OK"},
		{2, "W_OK"},
		{1, "X_OK"},
	},
	Unknown: "?_OK",
}

// FcntlCmds is strace's fcntlcmds (same values on x86 and aarch64; strace
// names 12-14 F_GETLK64/F_SETLK64/F_SETLKW64 on 64-bit tracees too). strace
// 6.1 does not know F_GET_RW_HINT and later (1035+): they print as
// 0x40b /* F_??? */.
var FcntlCmds = &Set{
	Name:  "fcntlcmds",
	Style: Enum,
	Pairs: []Pair{
		{0, "F_DUPFD"},
		{1, "F_GETFD"},
		{2, "F_SETFD"},
		{3, "F_GETFL"},
		{4, "F_SETFL"},
		{5, "F_GETLK"},
		{6, "F_SETLK"},
		{7, "F_SETLKW"},
		{8, "F_SETOWN"},
		{9, "F_GETOWN"},
		{10, "F_SETSIG"},
		{11, "F_GETSIG"},
		{12, "F_GETLK64"},
		{13, "F_SETLK64"},
		{14, "F_SETLKW64"},
		{15, "F_SETOWN_EX"},
		{16, "F_GETOWN_EX"},
		{17, "F_GETOWNER_UIDS"},
		{36, "F_OFD_GETLK"},
		{37, "F_OFD_SETLK"},
		{38, "F_OFD_SETLKW"},
		{1024, "F_SETLEASE"},
		{1025, "F_GETLEASE"},
		{1026, "F_NOTIFY"},
		{1029, "F_CANCELLK"},
		{1030, "F_DUPFD_CLOEXEC"},
		{1031, "F_SETPIPE_SZ"},
		{1032, "F_GETPIPE_SZ"},
		{1033, "F_ADD_SEALS"},
		{1034, "F_GET_SEALS"},
	},
	Unknown: "F_???",
}

// FdFlags is strace's fdflags, the F_SETFD argument and F_GETFD result.
var FdFlags = &Set{
	Name:    "fdflags",
	Style:   Flags,
	Pairs:   []Pair{{1, "FD_CLOEXEC"}},
	Unknown: "FD_???",
}

// SeekWhence is strace's whence_codes, lseek's whence.
var SeekWhence = &Set{
	Name:  "whence_codes",
	Style: Enum,
	Pairs: []Pair{
		{0, "SEEK_SET"},
		{1, "SEEK_CUR"},
		{2, "SEEK_END"},
		{3, "SEEK_DATA"},
		{4, "SEEK_HOLE"},
	},
	Unknown: "SEEK_???",
}

// FileTypes is strace's modetypes, the S_IFMT field of a mode.
var FileTypes = &Set{
	Name:  "modetypes",
	Style: Enum,
	Pairs: []Pair{
		{0o100000, "S_IFREG"},
		{0o140000, "S_IFSOCK"},
		{0o010000, "S_IFIFO"},
		{0o120000, "S_IFLNK"},
		{0o040000, "S_IFDIR"},
		{0o060000, "S_IFBLK"},
		{0o020000, "S_IFCHR"},
	},
	Unknown: "S_IF???",
}

const (
	modeIFMT  = 0o170000
	modeISUID = 0o4000
	modeISGID = 0o2000
	modeISVTX = 0o1000
)

// AppendFileMode appends a mode as strace's print_symbolic_mode_t (stat's
// st_mode, mknod's mode): the file type, then S_ISUID|S_ISGID|S_ISVTX, then
// the permission bits in octal with at least three digits: S_IFREG|0644,
// S_IFDIR|S_ISVTX|0777, S_IFCHR|0666, S_ISUID|0755, 0644, 000. A file type
// strace does not know makes the whole mode numeric (0170000). The mode is
// a umode_t: bits above 16 are dropped, as strace does.
func AppendFileMode(dst []byte, mode uint64) []byte {
	mode &= 0xffff
	if t := mode & modeIFMT; t != 0 {
		name, ok := FileTypes.Lookup(t)
		if !ok {
			return appendOctal3(dst, mode)
		}
		dst = append(dst, name...)
		dst = append(dst, '|')
	}
	if mode&modeISUID != 0 {
		dst = append(dst, "S_ISUID|"...)
	}
	if mode&modeISGID != 0 {
		dst = append(dst, "S_ISGID|"...)
	}
	if mode&modeISVTX != 0 {
		dst = append(dst, "S_ISVTX|"...)
	}
	return appendOctal3(dst, mode&0o777)
}

// AppendNumericMode appends a mode as strace's print_numeric_umode_t, the
// form of open/openat/creat/mkdir/chmod/umask modes: octal with a leading 0
// and at least three digits, no names even for file-type or set-id bits:
// 0644, 000, 04755, 0100644. Bits above 16 are dropped (umode_t).
func AppendNumericMode(dst []byte, mode uint64) []byte {
	return appendOctal3(dst, mode&0xffff)
}

// appendOctal3 appends v as C's "%#03o": a 0 prefix, zero-padded to three
// characters (0 → 000, 7 → 007, 0644 → 0644).
func appendOctal3(dst []byte, v uint64) []byte {
	var buf [24]byte
	i := len(buf)
	for v != 0 {
		i--
		buf[i] = byte('0' + v&7)
		v >>= 3
	}
	i--
	buf[i] = '0'
	for len(buf)-i < 3 {
		i--
		buf[i] = '0'
	}
	return append(dst, buf[i:]...)
}

// StatxMask is strace's statx_masks (statx's mask argument, stx_mask).
// STATX_ALL and STATX_BASIC_STATS come first so they win. strace 6.1 ends
// at STATX_DIOALIGN: STATX_MNT_ID_UNIQUE (0x4000) and later print as hex.
var StatxMask = &Set{
	Name:  "statx_masks",
	Style: Flags,
	Pairs: []Pair{
		{0xfff, "STATX_ALL"},
		{0x7ff, "STATX_BASIC_STATS"},
		{0x1, "STATX_TYPE"},
		{0x2, "STATX_MODE"},
		{0x4, "STATX_NLINK"},
		{0x8, "STATX_UID"},
		{0x10, "STATX_GID"},
		{0x20, "STATX_ATIME"},
		{0x40, "STATX_MTIME"},
		{0x80, "STATX_CTIME"},
		{0x100, "STATX_INO"},
		{0x200, "STATX_SIZE"},
		{0x400, "STATX_BLOCKS"},
		{0x800, "STATX_BTIME"},
		{0x1000, "STATX_MNT_ID"},
		{0x2000, "STATX_DIOALIGN"},
	},
	Unknown: "STATX_???",
}

// StatxAttrs is strace's statx_attrs (stx_attributes and
// stx_attributes_mask). strace 6.1 has no STATX_ATTR_WRITE_ATOMIC.
var StatxAttrs = &Set{
	Name:  "statx_attrs",
	Style: Flags,
	Pairs: []Pair{
		{0x4, "STATX_ATTR_COMPRESSED"},
		{0x10, "STATX_ATTR_IMMUTABLE"},
		{0x20, "STATX_ATTR_APPEND"},
		{0x40, "STATX_ATTR_NODUMP"},
		{0x800, "STATX_ATTR_ENCRYPTED"},
		{0x1000, "STATX_ATTR_AUTOMOUNT"},
		{0x2000, "STATX_ATTR_MOUNT_ROOT"},
		{0x100000, "STATX_ATTR_VERITY"},
		{0x200000, "STATX_ATTR_DAX"},
	},
	Unknown: "STATX_ATTR_???",
}

// XattrFlags is strace's xattrflags, the flags of setxattr and friends.
var XattrFlags = &Set{
	Name:  "xattrflags",
	Style: Flags,
	Pairs: []Pair{
		{1, "XATTR_CREATE"},
		{2, "XATTR_REPLACE"},
	},
	Unknown: "XATTR_???",
}

// AppendOpenFlags64 appends struct open_how's 64-bit flags as strace's
// sprint_open_modes64: the access mode, then OpenFlags (or
// OpenFlagsGeneric), then every other bit, high ones included, in one hex
// number: O_RDONLY|O_CLOEXEC, O_WRONLY|0x100000000.
func AppendOpenFlags64(dst []byte, v uint64, generic bool) []byte {
	set := OpenFlags
	if generic {
		set = OpenFlagsGeneric
	}
	dst = OpenAccessModes.AppendEnum(dst, v&3)
	if rest := v &^ 3; rest != 0 {
		dst = append(dst, '|')
		dst = set.appendFlags(dst, rest, "")
	}
	return dst
}

// AppendOFlags appends open flags that have no access mode (dup3's,
// pipe2's) as strace's printflags(open_mode_flags, v, "O_???"): O_CLOEXEC,
// 0, 0x40000000 /* O_??? */, O_CLOEXEC|0x40000000.
func AppendOFlags(dst []byte, v uint64, generic bool) []byte {
	set := OpenFlags
	if generic {
		set = OpenFlagsGeneric
	}
	return set.appendFlags(dst, v, "O_???")
}

// AppendNumericMode64 appends a 64-bit mode (struct open_how's) as
// strace's print_numeric_ll_umode_t: %#03llo with every bit kept.
func AppendNumericMode64(dst []byte, mode uint64) []byte {
	return appendOctal3(dst, mode)
}

// AppendFlagsBare appends v through s as strace's sprintflags does after a
// prefix: the names, then leftover bits in hex, with no unknown comment
// even when nothing is named.
func AppendFlagsBare(dst []byte, s *Set, v uint64) []byte {
	return s.appendFlags(dst, v, "")
}
