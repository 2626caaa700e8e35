package xlat

// Terminals: struct termios's flag words and the arguments of the tty
// ioctls, as strace 6.1 prints them (src/term.c and its xlat/term_*.in,
// with the values of Linux's asm-generic termbits.h, which x86 and arm64
// use). Sets are in strace's order, which is not always the values' order.

// TermIflags is strace's term_iflags.
var TermIflags = &Set{Name: "term_iflags", Style: Flags, Pairs: []Pair{
	{0x1, "IGNBRK"}, {0x2, "BRKINT"}, {0x4, "IGNPAR"}, {0x8, "PARMRK"}, {0x10, "INPCK"},
	{0x20, "ISTRIP"}, {0x40, "INLCR"}, {0x80, "IGNCR"}, {0x100, "ICRNL"}, {0x200, "IUCLC"},
	{0x400, "IXON"}, {0x800, "IXANY"}, {0x1000, "IXOFF"}, {0x2000, "IMAXBEL"}, {0x4000, "IUTF8"},
}}

// TermOflags is strace's term_oflags: the c_oflag bits left once the delay
// fields (TermOflagDelays) are printed.
var TermOflags = &Set{Name: "term_oflags", Style: Flags, Pairs: []Pair{
	{0x1, "OPOST"}, {0x2, "OLCUC"}, {0x4, "ONLCR"}, {0x8, "OCRNL"}, {0x10, "ONOCR"},
	{0x20, "ONLRET"}, {0x40, "OFILL"}, {0x80, "OFDEL"},
}}

// TermDelay is one of c_oflag's delay fields: its mask, its values, and the
// name printed for a value the set lacks.
type TermDelay struct {
	Mask uint64
	Set  *Set
	Dfl  string
}

// TermOflagDelays are c_oflag's delay fields in the order strace prints
// them, each always printed (NL0 for none), before the other flags.
var TermOflagDelays = []TermDelay{
	{0x100, &Set{Name: "term_oflags_nldly", Style: Enum, Pairs: []Pair{{0, "NL0"}, {0x100, "NL1"}}}, "NL?"},
	{0x600, &Set{Name: "term_oflags_crdly", Style: Enum, Pairs: []Pair{{0, "CR0"}, {0x200, "CR1"}, {0x400, "CR2"}, {0x600, "CR3"}}}, "CR?"},
	{0x1800, &Set{Name: "term_oflags_tabdly", Style: Enum, Pairs: []Pair{{0x1800, "XTABS"}, {0, "TAB0"}, {0x800, "TAB1"}, {0x1000, "TAB2"}}}, "TAB?"}, // TAB3 is XTABS
	{0x2000, &Set{Name: "term_oflags_bsdly", Style: Enum, Pairs: []Pair{{0, "BS0"}, {0x2000, "BS1"}}}, "BS?"},
	{0x4000, &Set{Name: "term_oflags_vtdly", Style: Enum, Pairs: []Pair{{0, "VT0"}, {0x4000, "VT1"}}}, "VT?"},
	{0x8000, &Set{Name: "term_oflags_ffdly", Style: Enum, Pairs: []Pair{{0, "FF0"}, {0x8000, "FF1"}}}, "FF?"},
}

// c_cflag's fields.
const (
	TermCBAUD   = 0x100f
	TermCIBAUD  = 0x100f0000
	TermIBSHIFT = 16
	TermCSIZE   = 0x30
)

// BaudOptions is strace's baud_options (the CBAUD field's values; the
// sparc-only rates are absent on Linux's generic termbits, and EXTA and
// EXTB, B19200's and B38400's other names, never print).
var BaudOptions = &Set{Name: "baud_options", Style: Enum, Pairs: []Pair{
	{0x0, "B0"}, {0x1, "B50"}, {0x2, "B75"}, {0x3, "B110"}, {0x4, "B134"}, {0x5, "B150"},
	{0x6, "B200"}, {0x7, "B300"}, {0x8, "B600"}, {0x9, "B1200"}, {0xa, "B1800"}, {0xb, "B2400"},
	{0xc, "B4800"}, {0xd, "B9600"}, {0xe, "B19200"}, {0xf, "B38400"}, {0x1001, "B57600"},
	{0x1002, "B115200"}, {0x1003, "B230400"}, {0x1004, "B460800"}, {0x1005, "B500000"},
	{0x1006, "B576000"}, {0x1007, "B921600"}, {0x1008, "B1000000"}, {0x1009, "B1152000"},
	{0x100a, "B1500000"}, {0x100b, "B2000000"}, {0x100c, "B2500000"}, {0x100d, "B3000000"},
	{0x100e, "B3500000"}, {0x100f, "B4000000"}, {0x1000, "BOTHER"},
}}

// TermCflagsCsize is strace's term_cflags_csize.
var TermCflagsCsize = &Set{Name: "term_cflags_csize", Style: Enum, Pairs: []Pair{
	{0x0, "CS5"}, {0x10, "CS6"}, {0x20, "CS7"}, {0x30, "CS8"},
}}

// TermCflags is strace's term_cflags: c_cflag without its baud and size
// fields.
var TermCflags = &Set{Name: "term_cflags", Style: Flags, Pairs: []Pair{
	{0x40, "CSTOPB"}, {0x80, "CREAD"}, {0x100, "PARENB"}, {0x200, "PARODD"}, {0x400, "HUPCL"},
	{0x800, "CLOCAL"}, {0x40000000, "CMSPAR"}, {0x80000000, "CRTSCTS"},
}}

// TermLflags is strace's term_lflags.
var TermLflags = &Set{Name: "term_lflags", Style: Flags, Pairs: []Pair{
	{0x1, "ISIG"}, {0x2, "ICANON"}, {0x4, "XCASE"}, {0x8, "ECHO"}, {0x10, "ECHOE"},
	{0x20, "ECHOK"}, {0x40, "ECHONL"}, {0x80, "NOFLSH"}, {0x8000, "IEXTEN"}, {0x200, "ECHOCTL"},
	{0x400, "ECHOPRT"}, {0x800, "ECHOKE"}, {0x1000, "FLUSHO"}, {0x4000, "PENDIN"}, {0x100, "TOSTOP"},
	{0x10000, "EXTPROC"},
}}

// TermLineDiscs is strace's term_line_discs (c_line).
var TermLineDiscs = &Set{Name: "term_line_discs", Style: Enum, Unknown: "N_???", Pairs: []Pair{
	{0, "N_TTY"}, {1, "N_SLIP"}, {2, "N_MOUSE"}, {3, "N_PPP"}, {4, "N_STRIP"}, {5, "N_AX25"},
	{6, "N_X25"}, {7, "N_6PACK"}, {8, "N_MASC"}, {9, "N_R3964"}, {10, "N_PROFIBUS_FDL"},
	{11, "N_IRDA"}, {12, "N_SMSBLOCK"}, {13, "N_HDLC"}, {14, "N_SYNC_PPP"}, {15, "N_HCI"},
	{16, "N_GIGASET_M101"}, {17, "N_SLCAN"}, {18, "N_PPS"}, {19, "N_V253"}, {20, "N_CAIF"},
	{21, "N_GSM0710"}, {22, "N_TI_WL"}, {23, "N_TRACESINK"}, {24, "N_TRACEROUTER"}, {25, "N_NCI"},
	{26, "N_SPEAKUP"}, {27, "N_NULL"},
}}

// TermiosCC names c_cc's indices (strace's termios_cc); the others print as
// numbers.
var TermiosCC = &Set{Name: "termios_cc", Style: Enum, Pairs: []Pair{
	{0, "VINTR"}, {1, "VQUIT"}, {2, "VERASE"}, {3, "VKILL"}, {4, "VEOF"}, {5, "VTIME"},
	{6, "VMIN"}, {7, "VSWTC"}, {8, "VSTART"}, {9, "VSTOP"}, {10, "VSUSP"}, {11, "VEOL"},
	{12, "VREPRINT"}, {13, "VDISCARD"}, {14, "VWERASE"}, {15, "VLNEXT"}, {16, "VEOL2"},
}}

// TcxoncOptions is strace's tcxonc_options (TCXONC's argument).
var TcxoncOptions = &Set{Name: "tcxonc_options", Style: Enum, Unknown: "TC???", Pairs: []Pair{
	{0, "TCOOFF"}, {1, "TCOON"}, {2, "TCIOFF"}, {3, "TCION"},
}}

// TcflshOptions is strace's tcflsh_options (TCFLSH's argument).
var TcflshOptions = &Set{Name: "tcflsh_options", Style: Enum, Unknown: "TC???", Pairs: []Pair{
	{0, "TCIFLUSH"}, {1, "TCOFLUSH"}, {2, "TCIOFLUSH"},
}}

// ModemFlags is strace's modem_flags (TIOCMGET and friends).
var ModemFlags = &Set{Name: "modem_flags", Style: Flags, Unknown: "TIOCM_???", Pairs: []Pair{
	{0x1, "TIOCM_LE"}, {0x2, "TIOCM_DTR"}, {0x4, "TIOCM_RTS"}, {0x8, "TIOCM_ST"}, {0x10, "TIOCM_SR"},
	{0x20, "TIOCM_CTS"}, {0x40, "TIOCM_CAR"}, {0x80, "TIOCM_RNG"}, {0x100, "TIOCM_DSR"},
	{0x2000, "TIOCM_OUT1"}, {0x4000, "TIOCM_OUT2"}, {0x8000, "TIOCM_LOOP"},
}}
