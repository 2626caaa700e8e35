package output

import "testing"

// TestAppendQuoted checks strings against what strace 6.1 printed for the
// same bytes passed to write(2) (default, -x and -xx runs) and getrandom(2).
func TestAppendQuoted(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		trunc bool
		style QuoteStyle
		want  string
	}{
		{"nul and high bytes", "nul\x00 hi\xff\x01 ", false, QuoteDefault, `"nul\0 hi\377\1 "`},
		{"octal before digit", "a\x001b", false, QuoteDefault, `"a\0001b"`},
		{"c escapes", "t\tn\nv\vf\fr\r\"q\\\x00", false, QuoteDefault, `"t\tn\nv\vf\fr\r\"q\\\0"`},
		{"del and controls", "\x7f\x80 \x1f\x08\x07\x1b", false, QuoteDefault, `"\177\200 \37\10\7\33"`},
		{"utf-8 is octal", "h\xc3\xa9llo \xe2\x82\xac", false, QuoteDefault, `"h\303\251llo \342\202\254"`},
		{"plain", "plain text", false, QuoteDefault, `"plain text"`},
		{"digits after escapes", "\x010\x020\x030\x078\x079\x00\x00\x00\x00\x00", false, QuoteDefault, `"\0010\0020\0030\78\79\0\0\0\0\0"`},
		{"truncated", "01234567890123456789012345678901", true, QuoteDefault, `"01234567890123456789012345678901"...`},
		{"last shown escape stays short", "abcdefghijklmnopqrstuvwxyz01234\x01", true, QuoteDefault, `"abcdefghijklmnopqrstuvwxyz01234\1"...`},
		{"empty", "", false, QuoteDefault, `""`},
		{"empty truncated", "", true, QuoteDefault, `""...`},
		{"space and tilde", " ~", false, QuoteDefault, `" ~"`},
		{"two-digit octal", "\x08x", false, QuoteDefault, `"\10x"`},
		{"three-digit octal", "\xc8x", false, QuoteDefault, `"\310x"`},
		{"digit 8 does not force", "\x018", false, QuoteDefault, `"\18"`},

		{"-x non-printable", "nul\x00 hi\xff\x01 ", false, QuoteHexNonASCII, `"\x6e\x75\x6c\x00\x20\x68\x69\xff\x01\x20"`},
		{"-x whitespace only", "t\tn\nv\vf\fr\r\"q\\", false, QuoteHexNonASCII, `"t\tn\nv\vf\fr\r\"q\\"`},
		{"-x nul", "t\tn\nv\vf\fr\r\"q\\\x00", false, QuoteHexNonASCII, `"\x74\x09\x6e\x0a\x76\x0b\x66\x0c\x72\x0d\x22\x71\x5c\x00"`},
		{"-x del", "\x7f", false, QuoteHexNonASCII, `"\x7f"`},
		{"-x utf-8", "h\xc3\xa9", false, QuoteHexNonASCII, `"\x68\xc3\xa9"`},
		{"-x plain", "plain text", false, QuoteHexNonASCII, `"plain text"`},
		{"-x truncated plain", "abcdefghijklmnopqrstuvwxyz012345", true, QuoteHexNonASCII, `"abcdefghijklmnopqrstuvwxyz012345"...`},
		{"-x truncated hex", "abcdefghijklmnopqrstuvwxyz01234\x01", true, QuoteHexNonASCII, `"\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74\x75\x76\x77\x78\x79\x7a\x30\x31\x32\x33\x34\x01"...`},

		{"-xx plain", "plain text", false, QuoteHexAll, `"\x70\x6c\x61\x69\x6e\x20\x74\x65\x78\x74"`},
		{"-xx empty", "", false, QuoteHexAll, `""`},

		{"getrandom", "\xd8\x54\xc0\xa2\xfa\xfd\x56\x23", false, QuoteForceHex, `"\xd8\x54\xc0\xa2\xfa\xfd\x56\x23"`},
		{"getrandom printable", "AB", false, QuoteForceHex, `"\x41\x42"`},
		{"getrandom empty", "", false, QuoteForceHex, `""`},
		{"getrandom truncated", "\xb3\x8a", true, QuoteForceHex, `"\xb3\x8a"...`},
	}
	for _, c := range cases {
		got := string(AppendQuoted([]byte("x="), []byte(c.in), c.trunc, c.style))
		if got != "x="+c.want {
			t.Errorf("%s: AppendQuoted(%q, %v, %d) = %s, want x=%s", c.name, c.in, c.trunc, c.style, got, c.want)
		}
	}
}

// TestAppendQuotedAllBytes pins the default escape of every single byte.
func TestAppendQuotedAllBytes(t *testing.T) {
	esc := map[byte]string{'"': `\"`, '\\': `\\`, '\t': `\t`, '\n': `\n`, '\v': `\v`, '\f': `\f`, '\r': `\r`}
	for i := 0; i < 256; i++ {
		c := byte(i)
		var want string
		switch {
		case esc[c] != "":
			want = esc[c]
		case c >= 0x20 && c < 0x7f:
			want = string(c)
		case c < 010:
			want = `\` + string('0'+c)
		case c < 0100:
			want = `\` + string('0'+c>>3) + string('0'+c&7)
		default:
			want = `\` + string('0'+c>>6) + string('0'+(c>>3)&7) + string('0'+c&7)
		}
		if got := string(AppendQuoted(nil, []byte{c}, false, QuoteDefault)); got != `"`+want+`"` {
			t.Errorf("byte %#x: got %s, want %q", c, got, want)
		}
	}
}
