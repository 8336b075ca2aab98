#!/usr/bin/env python3
"""mmdb_write.py OUT CIDR=CC... - writes a tiny MaxMind DB (format 2.0, IPv4,
24-bit records) mapping each IPv4 network to {"country": {"iso_code": CC}},
for tests. Written from the public MMDB spec (maxmind.github.io/MaxMind-DB)."""
import ipaddress
import struct
import sys
import time


def ctrl(typ, size):
    assert size < 29
    if typ <= 7:
        return bytes([(typ << 5) | size])
    return bytes([size, typ - 7])  # extended type: type bits 0, next byte


def string(s):
    b = s.encode()
    return ctrl(2, len(b)) + b


def uint(typ, n):
    b = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return ctrl(typ, len(b)) + b


def mapping(pairs):
    out = ctrl(7, len(pairs))
    for k, v in pairs:
        out += string(k) + v
    return out


def main():
    out, nets = sys.argv[1], sys.argv[2:]
    data, where = b"", {}
    tree = [[None, None]]  # records: None (empty), ("n", i) or ("d", offset)
    for item in nets:
        cidr, cc = item.split("=")
        if cc not in where:
            where[cc] = len(data)
            data += mapping([("country", mapping([("iso_code", string(cc))]))])
        net = ipaddress.IPv4Network(cidr)
        bits = int(net.network_address)
        node = 0
        for i in range(net.prefixlen):
            bit = (bits >> (31 - i)) & 1
            if i == net.prefixlen - 1:
                tree[node][bit] = ("d", where[cc])
            else:
                if not tree[node][bit] or tree[node][bit][0] != "n":
                    tree.append([None, None])
                    tree[node][bit] = ("n", len(tree) - 1)
                node = tree[node][bit][1]
    n = len(tree)

    def rec(r):
        if r is None:
            return n
        return r[1] if r[0] == "n" else n + 16 + r[1]

    body = b"".join(rec(a).to_bytes(3, "big") + rec(b).to_bytes(3, "big") for a, b in tree)
    meta = mapping([
        ("binary_format_major_version", uint(5, 2)),
        ("binary_format_minor_version", uint(5, 0)),
        ("build_epoch", uint(9, int(time.time()))),
        ("database_type", string("mamori-test-country")),
        ("description", mapping([("en", string("mamori test data"))])),
        ("ip_version", uint(5, 4)),
        ("languages", ctrl(11, 1) + string("en")),
        ("node_count", uint(6, n)),
        ("record_size", uint(5, 24)),
    ])
    with open(out, "wb") as f:
        f.write(body + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + meta)


if __name__ == "__main__":
    main()
