package access

import (
	"strconv"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// CapSysPtrace is CAP_SYS_PTRACE's bit number.
const CapSysPtrace = 19

// CapName returns the name of capability bit, or "cap_N" for a bit newer
// than this table.
func CapName(bit int) string {
	if name, ok := xlat.CapabilityName(bit); ok {
		return name
	}
	return "cap_" + strconv.Itoa(bit)
}

// CapNames returns the names of the capabilities set in mask, lowest bit
// first.
func CapNames(mask uint64) []string {
	var out []string
	for bit := 0; bit < 64; bit++ {
		if mask&(1<<bit) != 0 {
			out = append(out, CapName(bit))
		}
	}
	return out
}

// HasCap reports whether bit is set in mask.
func HasCap(mask uint64, bit int) bool { return mask&(1<<bit) != 0 }
