package decode

import (
	"encoding/binary"

	"github.com/sonde-dev/sonde/decode/xlat"
)

// maxCmsgBytes bounds how much of a control buffer is read.
const maxCmsgBytes = 64 << 10

// cmsgs appends msg_control's messages as strace's decode_msg_control:
// [{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
// cmsg_data=[5]}, ...]; SCM_RIGHTS as descriptors, SCM_CREDENTIALS as
// {pid=, uid=, gid=}. An unreadable buffer prints its address.
func (c *Ctx) cmsgs(addr, length uint64) {
	o := c.Out
	if addr == 0 || c.Opt.NoDeref {
		o.Addr(addr)
		return
	}
	n := min(length, maxCmsgBytes)
	buf := make([]byte, n)
	if got, err := c.Mem.ReadAt(buf, addr); err != nil || uint64(got) != n {
		o.Addr(addr)
		return
	}
	ws := uint64(c.Call.Arch.WordSize)
	hdr := ws + 8 // cmsg_len (size_t), cmsg_level, cmsg_type
	le := binary.LittleEndian
	o.Array()
	for off := uint64(0); off+hdr <= n; {
		var clen uint64
		if ws == 8 {
			clen = le.Uint64(buf[off:])
		} else {
			clen = uint64(le.Uint32(buf[off:]))
		}
		level := le.Uint32(buf[off+ws:])
		typ := le.Uint32(buf[off+ws+4:])
		o.Struct()
		o.Field("cmsg_len")
		o.Uint(clen)
		o.Field("cmsg_level")
		o.Set(xlat.SocketLayers, uint64(level))
		o.Field("cmsg_type")
		if level == 1 {
			o.Set(xlat.SCMTypes, uint64(typ))
		} else {
			o.Uint(uint64(typ))
		}
		if clen < hdr {
			o.End()
			break
		}
		end := min(off+clen, n)
		data := buf[off+hdr : end]
		if len(data) > 0 {
			o.Field("cmsg_data")
			switch {
			case level == 1 && typ == 1: // SCM_RIGHTS
				o.Array()
				for i := 0; i+4 <= len(data); i += 4 {
					c.FD(int64(int32(le.Uint32(data[i:]))))
				}
				o.End()
			case level == 1 && typ == 2 && len(data) >= 12: // SCM_CREDENTIALS
				o.Struct()
				o.Field("pid")
				o.Int(int64(int32(le.Uint32(data[0:]))))
				o.Field("uid")
				c.ID(le.Uint32(data[4:]))
				o.Field("gid")
				c.ID(le.Uint32(data[8:]))
				o.End()
			default:
				o.Bytes(data, false)
			}
		}
		o.End()
		// The next header starts at the aligned end of this message.
		off += (clen + ws - 1) &^ (ws - 1)
	}
	o.End()
}
