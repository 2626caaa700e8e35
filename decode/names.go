package decode

import (
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// signalName returns SIGTERM, SIGRTMIN, SIGRT_3..., or "" for a number no
// signal has.
func signalName(n int) string { return xlat.SignalName(n) }

// siCodeName names a si_code: the generic codes first, then the codes of
// the signal's own class, as strace's print_si_code does.
func siCodeName(code int32, signo int) (string, bool) { return xlat.SiCodeName(signo, code) }

// errnoFormatter prints an errno number by name (ENOENT), or as a number.
type errnoFormatter struct{}

func (errnoFormatter) Append(dst []byte, v uint64) []byte {
	if name, ok := xlat.ErrnoName(v); ok {
		return append(dst, name...)
	}
	return strconv.AppendUint(dst, v, 10)
}

// AppendRaw prints the number, as strace's -X raw prints an errno field.
func (errnoFormatter) AppendRaw(dst []byte, v uint64) []byte { return strconv.AppendUint(dst, v, 10) }
