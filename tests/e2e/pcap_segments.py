#!/usr/bin/env python3
"""pcap_segments.py - rewrites the TCP segments of a classic pcap (Ethernet,
IPv4) so the sensor's reassembly can be tested on real traffic.

  pcap_segments.py IN OUT --port P --split N [--drop K]
      every payload of a TCP segment to or from port P longer than N bytes
      becomes segments of N bytes (sequence numbers and IP lengths right);
      with --drop K, every K-th new segment is left out (a gap).
  pcap_segments.py IN OUT --port P --swap-first-client N
      the first client payload of each connection to port P (the
      ClientHello) is cut after N bytes and its second part is written
      before its first (out of order), with the same timestamps.

Prints what it did as one line: segments written, cut, dropped, swapped.
Other packets are copied unchanged. Checksums are left as they were (the
sensor does not verify them)."""
import argparse
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            sys.exit("pcap_segments.py: only little-endian classic pcap is read")
        if struct.unpack("<I", hdr[20:24])[0] != 1:
            sys.exit("pcap_segments.py: only Ethernet captures are read")
        recs = []
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                break
            sec, frac, incl, orig = struct.unpack("<IIII", rh)
            recs.append([sec, frac, f.read(incl), orig])
        return hdr, recs


def tcp_parts(frame):
    """(l2 header, ip header, tcp header, payload) or None."""
    off = 14
    etype = struct.unpack("!H", frame[12:14])[0]
    while etype in (0x8100, 0x88A8) and len(frame) >= off + 4:
        etype = struct.unpack("!H", frame[off + 2:off + 4])[0]
        off += 4
    if etype != 0x0800 or len(frame) < off + 20:
        return None
    ihl = (frame[off] & 0x0F) * 4
    total = struct.unpack("!H", frame[off + 2:off + 4])[0]
    if frame[off + 9] != 6 or struct.unpack("!H", frame[off + 6:off + 8])[0] & 0x3FFF:
        return None
    t = off + ihl
    if len(frame) < t + 20:
        return None
    doff = (frame[t + 12] >> 4) * 4
    end = min(len(frame), off + total)
    return frame[:off], frame[off:t], frame[t:t + doff], frame[t + doff:end]


def build(l2, ip, tcp, payload, seq):
    ip = bytearray(ip)
    ip[2:4] = struct.pack("!H", len(ip) + len(tcp) + len(payload))
    tcp = bytearray(tcp)
    tcp[4:8] = struct.pack("!I", seq & 0xFFFFFFFF)
    return bytes(l2) + bytes(ip) + bytes(tcp) + payload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--split", type=int)
    ap.add_argument("--drop", type=int, default=0)
    ap.add_argument("--swap-first-client", type=int)
    a = ap.parse_args()
    hdr, recs = read_pcap(a.inp)
    out, cut, dropped, swapped, k = [], 0, 0, 0, 0
    seen = set()
    for sec, frac, frame, orig in recs:
        parts = tcp_parts(frame)
        if not parts or not parts[3]:
            out.append((sec, frac, frame))
            continue
        l2, ip, tcp, payload = parts
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        if a.port not in (sport, dport):
            out.append((sec, frac, frame))
            continue
        if a.split and len(payload) > a.split:
            cut += 1
            for i in range(0, len(payload), a.split):
                k += 1
                if a.drop and k % a.drop == 0:
                    dropped += 1
                    continue
                out.append((sec, frac, build(l2, ip, tcp, payload[i:i + a.split], seq + i)))
            continue
        conn = (ip[12:16], sport, ip[16:20], dport)
        n = a.swap_first_client
        if n and dport == a.port and conn not in seen:
            seen.add(conn)
            if len(payload) > n:
                swapped += 1
                out.append((sec, frac, build(l2, ip, tcp, payload[n:], seq + n)))
                out.append((sec, frac, build(l2, ip, tcp, payload[:n], seq)))
                continue
        out.append((sec, frac, frame))
    with open(a.out, "wb") as f:
        f.write(hdr)
        for sec, frac, frame in out:
            f.write(struct.pack("<IIII", sec, frac, len(frame), len(frame)) + frame)
    print("written %d cut %d dropped %d swapped %d" % (len(out), cut, dropped, swapped))


main()
