package xlat

// SCMTypes names the SOL_SOCKET control messages (asm-generic/socket.h), as
// strace 6.1's scmvals (which knows no SCM_PIDFD yet).
var SCMTypes = &Set{
	Name:    "scmvals",
	Style:   Enum,
	Unknown: "SCM_???",
	Pairs: []Pair{
		{1, "SCM_RIGHTS"}, {2, "SCM_CREDENTIALS"}, {3, "SCM_SECURITY"},
		{41, "SO_WIFI_STATUS"}, {61, "SO_TXTIME"},
		{29, "SO_TIMESTAMP_OLD"}, {35, "SO_TIMESTAMPNS_OLD"}, {37, "SO_TIMESTAMPING_OLD"},
		{63, "SO_TIMESTAMP_NEW"}, {64, "SO_TIMESTAMPNS_NEW"}, {65, "SO_TIMESTAMPING_NEW"},
		{0x36, "SCM_TIMESTAMPING_OPT_STATS"}, {0x3a, "SCM_TIMESTAMPING_PKTINFO"},
	},
}

// IPCmsgTypes names the SOL_IP control messages (linux/in.h), as strace
// 6.1's ip_cmsg_types.
var IPCmsgTypes = &Set{
	Name:    "ip_cmsg_types",
	Style:   Enum,
	Unknown: "IP_???",
	Pairs: []Pair{
		{1, "IP_TOS"}, {2, "IP_TTL"}, {6, "IP_RECVOPTS"}, {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"},
		{11, "IP_RECVERR"}, {20, "IP_ORIGDSTADDR"}, {23, "IP_CHECKSUM"}, {3, "SCM_SECURITY"},
	},
}
