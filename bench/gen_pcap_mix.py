#!/usr/bin/env python3
"""gen_pcap_mix.py OUT SIZE_MB [--attack-share F] PCAP... [--attacks PCAP...] :
a large office-mix capture for bench/sensor.sh.

Reads the given classic-pcap Ethernet captures (convert pcapng first with
editcap -F pcap), and writes them again and again into one pcap of about
SIZE_MB, each copy with its IPv4 addresses moved into another /16 pair
(second octet = copy number) so every copy is a distinct set of hosts and
flows, and with timestamps shifted so copies follow each other in time.
IPv4, TCP and UDP checksums are updated (RFC 1624), so tools that verify
checksums see valid packets. Non-IPv4 frames are copied unchanged.

The captures after --attacks are the attack samples. An office's traffic
is ordinary work with a few attacks in it, so a copy carries them only
while their bytes stay within --attack-share of all bytes written (default
0.05); --attack-share 1 puts every capture in every copy, which makes an
attack-heavy mix (about 40% attack bytes with the shared samples: scans
and DNS tunnels are many small packets, the worst case per byte).
"""
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    else:
        e = ">"
    nsec = magic == 0xA1B23C4D or struct.unpack(">I", data[:4])[0] == 0xA1B23C4D
    link = struct.unpack(e + "I", data[20:24])[0]
    if link != 1:
        return []
    off, out = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        frame = data[off:off + incl]
        off += incl
        us = frac // 1000 if nsec else frac
        out.append((sec * 1000000 + us, orig, frame))
    return out


def csum_adjust(csum, old, new):
    # RFC 1624: HC' = ~(~HC + ~m + m'), over 16-bit words
    s = (~csum & 0xFFFF)
    for i in range(0, len(old), 2):
        s += (~((old[i] << 8) | old[i + 1]) & 0xFFFF) + ((new[i] << 8) | new[i + 1])
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def rewrite(frame, copy):
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return frame
    b = bytearray(frame)
    ip = 14
    ihl = (b[ip] & 0x0F) * 4
    old = bytes(b[ip + 12:ip + 20])
    new = bytearray(old)
    new[1] = (new[1] + copy) & 0xFF
    new[5] = (new[5] + copy) & 0xFF
    new = bytes(new)
    b[ip + 12:ip + 20] = new
    hc = struct.unpack(">H", b[ip + 10:ip + 12])[0]
    b[ip + 10:ip + 12] = struct.pack(">H", csum_adjust(hc, old, new))
    proto, frag = b[ip + 9], struct.unpack(">H", b[ip + 6:ip + 8])[0] & 0x1FFF
    l4 = ip + ihl
    if frag == 0:
        pos = {6: 16, 17: 6}.get(proto)
        if pos is not None and l4 + pos + 2 <= len(b):
            c = struct.unpack(">H", b[l4 + pos:l4 + pos + 2])[0]
            if not (proto == 17 and c == 0):
                c = csum_adjust(c, old, new)
                if proto == 17 and c == 0:
                    c = 0xFFFF
                b[l4 + pos:l4 + pos + 2] = struct.pack(">H", c)
    return bytes(b)


def main():
    out, size_mb, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    share, paths, is_attack, attack = 0.05, [], [], False
    while args:
        a = args.pop(0)
        if a == "--attack-share":
            share = float(args.pop(0))
        elif a == "--attacks":
            attack = True
        else:
            paths.append(a)
            is_attack.append(attack)
    packets, kinds = [], []
    for p, atk in zip(paths, is_attack):
        pk = read_pcap(p)
        if pk:
            # some samples are merges of captures months apart: squeeze each
            # into at most an hour, keeping the packet order
            base = min(r[0] for r in pk)
            span = max(r[0] for r in pk) - base
            k = min(1.0, 3600e6 / span) if span else 1.0
            packets.append([(int((ts - base) * k), orig, fr) for ts, orig, fr in pk])
            kinds.append(atk)
    attack_bytes = sum(16 + len(fr) for pk, atk in zip(packets, kinds) if atk for _, _, fr in pk)
    want = size_mb * 1024 * 1024
    written, copy, t0, written_attack, rounds_with_attacks = 24, 0, 1700000000 * 1000000, 0, 0
    with open(out, "wb") as o:
        o.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        while written < want:
            # interleave the captures of one copy by time, as one office would
            merged = []
            with_attacks = share >= 1 or written_attack + attack_bytes <= share * (written + attack_bytes)
            if with_attacks:
                written_attack += attack_bytes
                rounds_with_attacks += 1
            for i, pk in enumerate(packets):
                if kinds[i] and not with_attacks:
                    continue
                merged.extend((ts + i * 1000, orig, fr) for ts, orig, fr in pk)
            merged.sort(key=lambda r: r[0])
            span = merged[-1][0] + 1000000
            for ts, orig, fr in merged:
                fr = rewrite(fr, copy + 1)
                t = t0 + ts
                o.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), orig))
                o.write(fr)
                written += 16 + len(fr)
            t0 += span
            copy += 1
    print(f"{out}: {written / 1048576:.0f} MB, {copy} copies, {rounds_with_attacks} with the attacks "
          f"({written_attack / written:.1%} of the bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
