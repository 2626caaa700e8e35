package xlat

// Per-architecture naming convention.
//
// sonde decodes x86_64, i386 and aarch64 tracees whatever the host is, so
// every value here is a literal, never a host constant. Where the three
// tracee ABIs agree a set has one plain name (AtFlags, SignalName). Where they
// differ there are two sets:
//
//   - the plain name (OpenFlags, MmapFlags, SigactionFlags, PtraceRequests)
//     is the x86 one, used for both x86_64 and i386 tracees (strace decodes
//     i386 tracees with its x86_64 tables, and so does sonde);
//   - the name with the Generic suffix (OpenFlagsGeneric, MmapFlagsGeneric,
//     SigactionFlagsGeneric, PtraceRequestsGeneric) is the aarch64 one: the
//     kernel's asm-generic headers plus the overrides of
//     arch/arm64/include/uapi/asm (which for open(2) flags are the arm32
//     values: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000,
//     O_LARGEFILE 0400000).
//
// Funcs that print an arch-dependent value take generic bool: false for x86
// tracees, true for aarch64 tracees.
