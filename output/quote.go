package output

// QuoteStyle selects strace's string style: QuoteDefault, QuoteHexNonASCII
// (-x), QuoteHexAll (-xx), and QuoteForceHex for the buffers strace always
// prints in hex.
type QuoteStyle uint8

const (
	// QuoteDefault is strace without -x: printable ASCII as is, C escapes
	// for \" \\ \t \n \v \f \r, octal for every other byte.
	QuoteDefault QuoteStyle = iota
	// QuoteHexNonASCII is -x: a string holding any byte that is neither
	// printable ASCII (0x20-0x7e) nor one of \t \n \v \f \r is printed
	// entirely as \xHH; other strings as QuoteDefault.
	QuoteHexNonASCII
	// QuoteHexAll is -xx: every string entirely as \xHH.
	QuoteHexAll
	// QuoteForceHex is strace's QUOTE_FORCE_HEX, whatever -x says: every
	// byte as \xHH, exactly like QuoteHexAll. strace 6.1 uses it for data
	// that is random or binary by nature:
	//   - getrandom's buffer: getrandom("\xd8\x54\xc0\xa2", 4, 0) (even
	//     without -x; the empty buffer prints as "");
	//   - the nonzero tail past the known part of an extensible struct
	//     (openat2's open_how, clone3's clone_args, and the like);
	//   - getdents/getdents64 leftover bytes shorter than a dirent header;
	//   - SG_IO data buffers, netlink payloads too short for their header;
	//   - byte-array struct fields printed with PRINT_FIELD_HEX_ARRAY
	//     (hardware addresses and similar), and AT_RANDOM's 16 bytes.
	// A decoder whose argument is one of these passes QuoteForceHex
	// instead of the user's style.
	QuoteForceHex
	// QuoteHexChars is --strings-in-hex=non-ascii-chars: like QuoteDefault,
	// with \xHH instead of octal for the bytes that need an escape.
	QuoteHexChars
)

// AppendQuoted appends s as strace prints a string: in double quotes, with
// \" \\ \t \n \v \f \r escapes, other bytes < 0x20 or >= 0x7f as octal (1-3 digits,
// 3 when the next byte is an octal digit) — exactly strace 6.1's string_quote — and
// "..." after the closing quote when truncated is true.
//
// s is the part strace shows (at most -s bytes); the octal look-ahead never
// reaches past it, so a string cut after "\1" ends in \1 even when the
// next, unshown byte is a digit. Bytes >= 0x80 (UTF-8 included) are octal:
// "h\303\251llo". With QuoteHexNonASCII only the shown bytes decide whether
// the whole string turns to \xHH.
func AppendQuoted(dst, s []byte, truncated bool, style QuoteStyle) []byte {
	dst = append(dst, '"')
	if quoteUseHex(s, style) {
		for _, c := range s {
			dst = append(dst, '\\', 'x', quoteHexDigits[c>>4], quoteHexDigits[c&0xf])
		}
	} else {
		for i, c := range s {
			if style == QuoteHexChars && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && (c < ' ' || c > 0x7e) {
				dst = append(dst, '\\', 'x', quoteHexDigits[c>>4], quoteHexDigits[c&0xf])
				continue
			}
			dst = quoteAppendByte(dst, c, i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7')
		}
	}
	dst = append(dst, '"')
	if truncated {
		dst = append(dst, "..."...)
	}
	return dst
}

const quoteHexDigits = "0123456789abcdef"

// quoteUseHex decides string_quote's usehex: always for -xx and forced
// hex; for -x when some byte is neither printable nor \t\n\v\f\r.
func quoteUseHex(s []byte, style QuoteStyle) bool {
	switch style {
	case QuoteHexAll, QuoteForceHex:
		return true
	case QuoteHexNonASCII:
		for _, c := range s {
			if c > 0x7e || (c < ' ' && (c < '\t' || c > '\r')) {
				return true
			}
		}
	}
	return false
}

// quoteAppendByte appends one byte in the default style; nextIsOctal says
// whether the following shown byte is '0'-'7', which forces three octal
// digits so the escape cannot absorb it.
func quoteAppendByte(dst []byte, c byte, nextIsOctal bool) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\v':
		return append(dst, '\\', 'v')
	}
	if c >= ' ' && c <= 0x7e {
		return append(dst, c)
	}
	dst = append(dst, '\\')
	switch {
	case nextIsOctal || c>>6 != 0:
		dst = append(dst, '0'+c>>6, '0'+(c>>3)&7)
	case c>>3 != 0:
		dst = append(dst, '0'+(c>>3)&7)
	}
	return append(dst, '0'+c&7)
}
