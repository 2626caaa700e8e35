package xlat

// Time: the flag sets and enums of the itimer, timerfd and POSIX timer
// calls, as strace 6.1 prints them (src/xlat/itimer_which.in,
// timerfdflags.in, clockflags.in, sigev_value.in, in their order).

// ItimerWhich is strace's itimer_which: getitimer's and setitimer's which.
var ItimerWhich = &Set{
	Name:  "itimer_which",
	Style: Enum,
	Pairs: []Pair{
		{0, "ITIMER_REAL"},
		{1, "ITIMER_VIRTUAL"},
		{2, "ITIMER_PROF"},
	},
	Unknown: "ITIMER_???",
}

// TimerfdFlags is strace's timerfdflags: timerfd_create's and
// timerfd_settime's flags (TFD_CLOEXEC and TFD_NONBLOCK are O_CLOEXEC and
// O_NONBLOCK of x86 and asm-generic).
var TimerfdFlags = &Set{
	Name:  "timerfdflags",
	Style: Flags,
	Pairs: []Pair{
		{0x1, "TFD_TIMER_ABSTIME"},
		{0x2, "TFD_TIMER_CANCEL_ON_SET"},
		{0x80000, "TFD_CLOEXEC"},
		{0x800, "TFD_NONBLOCK"},
	},
	Unknown: "TFD_???",
}

// ClockFlags is strace's clockflags: clock_nanosleep's and
// timer_settime's flags.
var ClockFlags = &Set{
	Name:    "clockflags",
	Style:   Flags,
	Pairs:   []Pair{{0x1, "TIMER_ABSTIME"}},
	Unknown: "TIMER_???",
}

// SigevNotify is strace's sigev_value: struct sigevent's sigev_notify.
var SigevNotify = &Set{
	Name:  "sigev_value",
	Style: Enum,
	Pairs: []Pair{
		{0, "SIGEV_SIGNAL"},
		{1, "SIGEV_NONE"},
		{2, "SIGEV_THREAD"},
		{4, "SIGEV_THREAD_ID"},
	},
	Unknown: "SIGEV_???",
}
