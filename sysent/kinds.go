package sysent

// The argument and return kinds a syscall row may name. Each says what strace
// prints for such a value; the decode package registers one decoder per kind.
//
// internal/gen/sysent reads this file: a kind used in syscalls.txt must be
// declared here, as a constant of type Arg with a string literal value.
// Keep Kinds (below) in step; a test checks that it lists exactly these.
//
// Layout words: "native" is the tracee architecture's own C layout (long is
// 32 bits on i386, 64 on x86_64 and aarch64); a "64" kind is the layout with
// 64-bit fields every architecture shares (__kernel_timespec, stat64, ...).
const (
	// Plain numbers.

	ArgInt   Arg = "int"   // C int: signed decimal
	ArgUint  Arg = "uint"  // C unsigned int: unsigned decimal
	ArgLong  Arg = "long"  // C long (word size): signed decimal
	ArgUlong Arg = "ulong" // C unsigned long (word size): unsigned decimal
	ArgSize  Arg = "size"  // size_t: unsigned decimal
	ArgSsize Arg = "ssize" // ssize_t: signed decimal
	ArgOff   Arg = "off"   // off_t in one word (loff_t on 64-bit arches): signed decimal

	// A 64-bit value that a 32-bit ABI splits over two adjacent argument
	// words (i386 pread64, ftruncate64, _llseek; preadv2's pos_l, pos_h on
	// every arch) is an off_lo, off_hi pair, in either order as the words
	// come. The pair prints as one signed decimal where it starts; on a 64-bit
	// tracee the off_lo word holds the whole value and off_hi is ignored.

	ArgOffLo Arg = "off_lo" // low word of a split 64-bit value
	ArgOffHi Arg = "off_hi" // high word of a split 64-bit value: prints nothing of its own

	ArgPgoff   Arg = "pgoff"   // offset in 4096-byte pages (mmap2): printed as the byte offset, decimal
	ArgHex     Arg = "hex"     // printed 0x…, 0 as "0"; flags with no decoder of their own yet
	ArgPtr     Arg = "ptr"     // address of input data not decoded yet: NULL or 0x…, at entry
	ArgUnknown Arg = "unknown" // no signature known: strace's printargs, hex with 0 as "0"

	// Descriptors, paths and strings.

	ArgFD    Arg = "fd"    // file descriptor: decimal, decorated with its path under -y
	ArgDirFD Arg = "dirfd" // directory fd of an *at call: AT_FDCWD or as fd
	ArgPath  Arg = "path"  // NUL-terminated path, input: quoted string, not cut by -s
	ArgStr   Arg = "str"   // NUL-terminated string, input: quoted, cut at -s; NULL for 0

	// Buffers and output pointers.

	ArgBufIn    Arg = "buf_in"    // input buffer whose length is the next argument (write's): quoted, cut at -s
	ArgBufOut   Arg = "buf_out"   // output buffer printed at exit with the return value as its length (read's)
	ArgOutPtr   Arg = "out_ptr"   // pointer to an output struct not decoded yet: printed as an address at exit
	ArgIovecIn  Arg = "iovec_in"  // input struct iovec array whose count is the next argument: [{iov_base="…", iov_len=N}, …]
	ArgIovecOut Arg = "iovec_out" // output struct iovec array, count next, printed at exit up to the return value

	// Files.

	ArgOpenFlags    Arg = "openflags"     // open(2) flags: O_RDONLY|O_CLOEXEC…
	ArgMode         Arg = "mode"          // mode_t: S_IF* type bits by name when set, permissions in octal (0644)
	ArgAtFlags      Arg = "atflags"       // AT_* flags of the *at calls: AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH…
	ArgAccessMode   Arg = "accessmode"    // access(2) mode: F_OK, R_OK|W_OK…
	ArgWhence       Arg = "whence"        // lseek whence: SEEK_SET…
	ArgFcntlCmd     Arg = "fcntl_cmd"     // fcntl command F_*; its decoder prints (or leaves out) the argument after it
	ArgIoctlReq     Arg = "ioctl_req"     // ioctl request (TCGETS, _IOC(…)); its decoder prints the argument after it
	ArgStatOut      Arg = "stat_out"      // output native struct stat: {st_mode=S_IFREG|0644, st_size=N, …}
	ArgStat64Out    Arg = "stat64_out"    // output struct stat64 (i386 *stat64 calls), printed like stat_out
	ArgStatxOut     Arg = "statx_out"     // output struct statx: {stx_mask=…, stx_attributes=…, …}
	ArgStatfsOut    Arg = "statfs_out"    // output native struct statfs: {f_type=EXT2_SUPER_MAGIC, …}
	ArgStatfs64Out  Arg = "statfs64_out"  // output struct statfs64 (i386 statfs64, fstatfs64), printed like statfs_out
	ArgDirentsOut   Arg = "dirents_out"   // output linux_dirent array (getdents) at exit: [{d_ino=…, d_name="…"}, …]
	ArgDirents64Out Arg = "dirents64_out" // output linux_dirent64 array (getdents64) at exit
	ArgFDPairOut    Arg = "fdpair_out"    // int[2] the kernel fills (pipe, socketpair): [3, 4]

	// Memory.

	ArgProt        Arg = "prot"          // mmap protection: PROT_READ|PROT_WRITE, PROT_NONE
	ArgMapFlags    Arg = "mapflags"      // mmap flags: MAP_PRIVATE|MAP_ANONYMOUS…
	ArgOldMmapArgs Arg = "old_mmap_args" // i386 old_mmap's pointer to its six arguments: printed as mmap's arguments

	// Signals.

	ArgSigno          Arg = "signo"           // signal number: SIGTERM…, 0 as "0"
	ArgSigsetIn       Arg = "sigset_in"       // input sigset_t: [INT TERM], ~[…] when most are set
	ArgSigsetOut      Arg = "sigset_out"      // output sigset_t, printed at exit
	ArgSigprocmaskHow Arg = "sigprocmask_how" // SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK
	ArgSigactionIn    Arg = "sigaction_in"    // input struct sigaction: {sa_handler=…, sa_mask=[…], sa_flags=…}
	ArgSigactionOut   Arg = "sigaction_out"   // output struct sigaction, printed at exit

	// Time.

	ArgClockid       Arg = "clockid"        // clockid_t: CLOCK_MONOTONIC…
	ArgTimespecIn    Arg = "timespec_in"    // input native struct timespec: {tv_sec=N, tv_nsec=N}
	ArgTimespecOut   Arg = "timespec_out"   // output native struct timespec, printed at exit
	ArgTimespec64In  Arg = "timespec64_in"  // input struct __kernel_timespec (64-bit fields; the *_time64 calls)
	ArgTimespec64Out Arg = "timespec64_out" // output struct __kernel_timespec, printed at exit

	// Resources.

	ArgRlimitResource Arg = "rlimit_resource" // RLIMIT_NOFILE…
	ArgRlimitIn       Arg = "rlimit_in"       // input native struct rlimit: {rlim_cur=RLIM_INFINITY, rlim_max=…}
	ArgRlimitOut      Arg = "rlimit_out"      // output native struct rlimit, printed at exit
	ArgRlimit64In     Arg = "rlimit64_in"     // input struct rlimit64 (prlimit64), printed like rlimit_in
	ArgRlimit64Out    Arg = "rlimit64_out"    // output struct rlimit64, printed at exit
	ArgRusageOut      Arg = "rusage_out"      // output native struct rusage: {ru_utime=…, …}

	// Processes and credentials.

	ArgPid           Arg = "pid"             // pid_t: signed decimal (-1 and 0 are common)
	ArgUID           Arg = "uid"             // uid_t: decimal, -1 for "unchanged"
	ArgGID           Arg = "gid"             // gid_t: decimal, -1 for "unchanged"
	ArgWaitStatusOut Arg = "wait_status_out" // int* wait status at exit: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]
	ArgWaitOptions   Arg = "wait_options"    // WNOHANG|__WALL…, 0 as "0"
	ArgCloneFlags    Arg = "clone_flags"     // CLONE_* flags, the exit signal in the low byte (clone, unshare, setns)
	ArgTidPtr        Arg = "tid_ptr"         // pid_t* the kernel writes a thread id to (clone, set_tid_address): address
	ArgTLS           Arg = "tls"             // clone's thread pointer: address, struct user_desc* on i386
	ArgArgv          Arg = "argv"            // execve's NULL-terminated string array: ["ls", "-l"]
	ArgEnvp          Arg = "envp"            // execve's environment: 0x… /* N vars */
	ArgFutexOp       Arg = "futex_op"        // FUTEX_WAIT_PRIVATE…; its decoder decides which of the arguments after it print
	ArgArchPrctlCode Arg = "arch_prctl_code" // ARCH_SET_FS…; its decoder prints the address after it
	ArgPrctlOption   Arg = "prctl_option"    // PR_SET_NAME…; its decoder prints the arguments after it
	ArgGrndFlags     Arg = "grnd_flags"      // getrandom flags: GRND_NONBLOCK|GRND_RANDOM
	ArgFadvice       Arg = "fadvice"         // posix_fadvise advice: POSIX_FADV_SEQUENTIAL…
	ArgMadvice       Arg = "madvice"         // madvise advice: MADV_DONTNEED…
	ArgStatxFlags    Arg = "statx_flags"     // statx flags: AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH
	ArgStatxMask     Arg = "statx_mask"      // statx mask: STATX_BASIC_STATS
	ArgEpollFlags    Arg = "epoll_flags"     // epoll_create1 flags: EPOLL_CLOEXEC
	ArgStackIn       Arg = "stack_t_in"      // input stack_t (sigaltstack): {ss_sp=0x…, ss_flags=0, ss_size=65536}
	ArgStackOut      Arg = "stack_t_out"     // output stack_t, printed at exit

	// Files and descriptors (issue #4).

	ArgOFlags          Arg = "oflags"            // open flags without an access mode: O_CLOEXEC|O_NONBLOCK (dup3, pipe2)
	ArgRenameFlags     Arg = "rename_flags"      // renameat2 flags: RENAME_NOREPLACE…
	ArgUtimesIn        Arg = "utimes_in"         // utimensat's struct timespec[2]: [{tv_sec=…, tv_nsec=…}, UTIME_NOW]
	ArgFallocateMode   Arg = "fallocate_mode"    // FALLOC_FL_KEEP_SIZE|…, 0 as "0"
	ArgFlockOp         Arg = "flock_op"          // LOCK_SH|LOCK_NB…
	ArgCloseRangeFlags Arg = "close_range_flags" // CLOSE_RANGE_UNSHARE|CLOSE_RANGE_CLOEXEC
	ArgInotifyFlags    Arg = "inotify_flags"     // inotify_init1 flags: IN_CLOEXEC|IN_NONBLOCK
	ArgInotifyMask     Arg = "inotify_mask"      // inotify event mask: IN_MODIFY|IN_CREATE…
	ArgMemfdFlags      Arg = "memfd_flags"       // MFD_CLOEXEC|MFD_ALLOW_SEALING…
	ArgEventfdFlags    Arg = "eventfd_flags"     // EFD_CLOEXEC|EFD_NONBLOCK…
	ArgSpliceFlags     Arg = "splice_flags"      // SPLICE_F_MOVE|…
	ArgLoffInOut       Arg = "loff_inout"        // loff_t* the kernel advances: NULL, [0] at entry, [0] => [5] at exit

	// Processes, credentials and memory (issue #4).

	ArgIdtype        Arg = "idtype"         // waitid's idtype: P_PID, P_ALL…
	ArgSiginfoOut    Arg = "siginfo_out"    // output siginfo_t: {si_signo=SIGCHLD, si_code=CLD_EXITED, …}
	ArgUIDOut        Arg = "uid_out"        // uid_t* written by the call: [0]
	ArgGIDOut        Arg = "gid_out"        // gid_t* written by the call: [0]
	ArgGIDArrayIn    Arg = "gid_array_in"   // gid_t[] whose length is the argument before: [0, 4]
	ArgGIDArrayOut   Arg = "gid_array_out"  // gid_t[] filled by getgroups, as many as it returns
	ArgCPUSetIn      Arg = "cpuset_in"      // cpu_set_t* whose size is the argument before: [0 1]
	ArgCPUSetOut     Arg = "cpuset_out"     // cpu_set_t* filled by sched_getaffinity, ret bytes: [0 1]
	ArgTmsOut        Arg = "tms_out"        // struct tms*: {tms_utime=0, tms_stime=0, tms_cutime=0, tms_cstime=0}
	ArgSysinfoOut    Arg = "sysinfo_out"    // struct sysinfo*: {uptime=…, loads=[…], …}
	ArgUtsnameOut    Arg = "utsname_out"    // struct utsname*: {sysname="Linux", nodename="…", ...}
	ArgCapHeader     Arg = "cap_header"     // capget/capset header: {version=_LINUX_CAPABILITY_VERSION_3, pid=0}
	ArgCapDataIn     Arg = "cap_data_in"    // capset data: {effective=1<<CAP_CHOWN|…, permitted=…, inheritable=…}
	ArgCapDataOut    Arg = "cap_data_out"   // capget data, printed at exit
	ArgPersonality   Arg = "personality"    // personality(2) persona: PER_LINUX, 0xffffffff (query)…
	ArgMremapFlags   Arg = "mremap_flags"   // MREMAP_MAYMOVE|MREMAP_FIXED…
	ArgMlockFlags    Arg = "mlock_flags"    // mlock2 flags: MLOCK_ONFAULT
	ArgMlockallFlags Arg = "mlockall_flags" // MCL_CURRENT|MCL_FUTURE…
	ArgMsyncFlags    Arg = "msync_flags"    // MS_ASYNC|MS_INVALIDATE…
	ArgMincoreOut    Arg = "mincore_out"    // mincore's byte vector, one per page of the length before: [1, 1, 0]
	ArgSfdFlags      Arg = "sfd_flags"      // signalfd4 flags: SFD_CLOEXEC|SFD_NONBLOCK

	// Network.

	ArgSockaddrIn     Arg = "sockaddr_in"     // input socket address whose length is the next argument: {sa_family=AF_INET, …}
	ArgSockaddrOut    Arg = "sockaddr_out"    // output socket address whose length is the socklen pointer after it
	ArgSocklen        Arg = "socklen"         // socklen_t* the kernel updates: [N] at entry, [N => M] at exit when changed
	ArgSocketDomain   Arg = "socket_domain"   // AF_INET…
	ArgSocketType     Arg = "socket_type"     // SOCK_STREAM|SOCK_CLOEXEC…
	ArgSocketProto    Arg = "socket_proto"    // IPPROTO_TCP…, by the domain before it
	ArgMsghdrIn       Arg = "msghdr_in"       // input struct msghdr: {msg_name=…, msg_iov=[…], …}
	ArgMsghdrOut      Arg = "msghdr_out"      // output struct msghdr, printed at exit
	ArgSocketcallCall Arg = "socketcall_call" // i386 socketcall's SYS_* number: the call prints as that subcall, its arguments read from the array after it

	// System V IPC.

	ArgIPCCall Arg = "ipc_call" // i386 ipc's call number: the call prints as that subcall (semop, shmat…) with the arguments after it

	// select.

	ArgOldSelectArgs Arg = "old_select_args" // i386 old select's pointer to its five arguments: printed as select's arguments

	// Return values only. Ret "" is a signed decimal; a return may also be
	// hex, fd or pid, declared above.

	ArgOct  Arg = "oct"  // octal (umask)
	ArgNone Arg = "none" // the call does not return (exit, exit_group): "= ?"
)

// returnKinds are the kinds a row's Ret may name besides "".
var returnKinds = [...]Arg{ArgHex, ArgOct, ArgFD, ArgNone, ArgPid}

// returnOnlyKinds may name a Ret but no argument.
var returnOnlyKinds = [...]Arg{ArgOct, ArgNone}

// kinds lists every kind declared above, in declaration order.
var kinds = [...]Arg{
	ArgInt, ArgUint, ArgLong, ArgUlong, ArgSize, ArgSsize, ArgOff, ArgOffLo, ArgOffHi,
	ArgPgoff, ArgHex, ArgPtr, ArgUnknown,
	ArgFD, ArgDirFD, ArgPath, ArgStr,
	ArgBufIn, ArgBufOut, ArgOutPtr, ArgIovecIn, ArgIovecOut,
	ArgOpenFlags, ArgMode, ArgAtFlags, ArgAccessMode, ArgWhence, ArgFcntlCmd, ArgIoctlReq,
	ArgStatOut, ArgStat64Out, ArgStatxOut, ArgStatfsOut, ArgStatfs64Out, ArgDirentsOut,
	ArgDirents64Out, ArgFDPairOut,
	ArgProt, ArgMapFlags, ArgOldMmapArgs,
	ArgSigno, ArgSigsetIn, ArgSigsetOut, ArgSigprocmaskHow, ArgSigactionIn, ArgSigactionOut,
	ArgClockid, ArgTimespecIn, ArgTimespecOut, ArgTimespec64In, ArgTimespec64Out,
	ArgRlimitResource, ArgRlimitIn, ArgRlimitOut, ArgRlimit64In, ArgRlimit64Out, ArgRusageOut,
	ArgPid, ArgUID, ArgGID, ArgWaitStatusOut, ArgWaitOptions, ArgCloneFlags, ArgTidPtr, ArgTLS,
	ArgArgv, ArgEnvp, ArgFutexOp, ArgArchPrctlCode, ArgPrctlOption, ArgGrndFlags,
	ArgFadvice, ArgMadvice, ArgStatxFlags, ArgStatxMask, ArgEpollFlags, ArgStackIn, ArgStackOut,
	ArgOFlags, ArgRenameFlags, ArgUtimesIn, ArgFallocateMode, ArgFlockOp, ArgCloseRangeFlags,
	ArgInotifyFlags, ArgInotifyMask, ArgMemfdFlags, ArgEventfdFlags, ArgSpliceFlags, ArgLoffInOut,
	ArgIdtype, ArgSiginfoOut, ArgUIDOut, ArgGIDOut, ArgGIDArrayIn, ArgGIDArrayOut, ArgCPUSetIn,
	ArgCPUSetOut, ArgTmsOut, ArgSysinfoOut, ArgUtsnameOut, ArgCapHeader, ArgCapDataIn, ArgCapDataOut,
	ArgPersonality, ArgMremapFlags, ArgMlockFlags, ArgMlockallFlags, ArgMsyncFlags, ArgMincoreOut,
	ArgSfdFlags,
	ArgSockaddrIn, ArgSockaddrOut, ArgSocklen, ArgSocketDomain, ArgSocketType, ArgSocketProto,
	ArgMsghdrIn, ArgMsghdrOut, ArgSocketcallCall,
	ArgIPCCall,
	ArgOldSelectArgs,
	ArgOct, ArgNone,
}

// Kinds returns every declared kind, in declaration order, so a decoder
// registry can check that it covers them all.
func Kinds() []Arg { return append([]Arg(nil), kinds[:]...) }

// IsReturnKind reports whether k may be a row's Ret: "" (signed decimal),
// hex, oct, fd, none or pid.
func IsReturnKind(k Arg) bool {
	if k == "" {
		return true
	}
	for _, r := range returnKinds {
		if r == k {
			return true
		}
	}
	return false
}

// IsArgKind reports whether k may name an argument: a declared kind that is
// not return-only (oct, none).
func IsArgKind(k Arg) bool {
	for _, r := range returnOnlyKinds {
		if r == k {
			return false
		}
	}
	for _, d := range kinds {
		if d == k {
			return true
		}
	}
	return false
}
