#!/usr/bin/env python3
"""sensor_oracle.py MAMORI PCAP... - compares what tshark and mamori extract
from each capture: DNS query names, HTTP hosts, TLS SNIs and JA3 hashes, DHCP
host names and vendor classes, and the server's leaf certificate (SHA-1,
subject, issuer as openssl prints them from the DER tshark extracts), as sets;
and every connection in which tshark, reassembling out-of-order segments too,
finds a server's leaf certificate has the same certificate in mamori's
events. Prints one TAP line per capture and field; exits 0 when all agree."""
import hashlib
import json
import re
import subprocess
import sys

FIELDS = {
    # tshark field, mamori extractor
    "dns": ("dns.qry.name", lambda e: ([q["rrname"] for q in e["dns"].get("queries", [])]
                                       + [e["dns"]["rrname"]]) if e["event_type"] == "dns" else None),
    "http_host": ("http.host", lambda e: e["http"].get("hostname") if e["event_type"] == "http" else None),
    "sni": ("tls.handshake.extensions_server_name",
            lambda e: e["tls"].get("sni") if e["event_type"] == "tls" else None),
    "ja3": ("tls.handshake.ja3", lambda e: e["tls"].get("ja3", {}).get("hash") if e["event_type"] == "tls" else None),
    "dhcp_hostname": ("dhcp.option.hostname",
                      lambda e: e["dhcp"].get("hostname") if e["event_type"] == "dhcp" else None),
    "dhcp_vendor_class": ("dhcp.option.vendor_class_id",
                          lambda e: e["dhcp"].get("vendor_class_identifier") if e["event_type"] == "dhcp" else None),
}


def lossy(s):
    """Binary labels: tshark and Python replace invalid UTF-8 differently,
    so any run of non-ASCII compares as one '?'; ASCII stays exact."""
    return re.sub(r"[^\x00-\x7f]+", "?", s)


def tshark(pcap):
    """All fields in one tshark run: {field: set of values}."""
    # RDP hands its TLS to no dissector in tshark 4.0: ask for TLS on 3389.
    cmd = ["tshark", "-n", "-d", "tcp.port==3389,tls", "-r", pcap, "-T", "fields",
           "-E", "occurrence=a", "-E", "separator=/t", "-E", "aggregator=\x1f"]
    for tf, _ in FIELDS.values():
        cmd += ["-e", tf]
    out = subprocess.run(cmd, capture_output=True, check=False).stdout.decode("utf-8", "replace")
    vals = {tf: set() for tf, _ in FIELDS.values()}
    names = [tf for tf, _ in FIELDS.values()]
    for line in out.splitlines():
        for tf, col in zip(names, line.split("\t")):
            for v in col.split("\x1f"):
                v = v.strip()
                if v and v != "<Root>":
                    vals[tf].add(lossy(v))
    return vals


def conn(a, ap, b, bp, sha1):
    """A connection's certificate, the same whichever end is named first."""
    return "%s|%s" % ("-".join(sorted([f"{a}:{ap}", f"{b}:{bp}"])), sha1)


def tshark_certs(pcap):
    """{"sha1|subject|issuer"} of the first certificate of each Certificate
    message a server sent (TCP reassembly with out-of-order segments, as
    mamori's bounded reordering reads them); names by openssl in
    certificate order. And {conn(...)}: the same per connection."""
    certs, conns, seen = set(), set(), set()
    for ooo in ("TRUE",):
        cmd = ["tshark", "-n", "-d", "tcp.port==3389,tls", "-o", "tcp.reassemble_out_of_order:" + ooo,
               "-r", pcap, "-Y", "tls.handshake.type==2 || tls.handshake.certificate", "-T", "fields",
               "-E", "occurrence=f", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tls.handshake.type",
               "-e", "tls.handshake.certificate", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst",
               "-e", "ipv6.dst", "-e", "tcp.dstport"]
        out = subprocess.run(cmd, capture_output=True, check=False).stdout.decode()
        servers, leaves = set(), []
        for line in out.splitlines():
            stream, sport, htype, cert, src4, src6, dst4, dst6, dport = (line.split("\t") + [""] * 9)[:9]
            if htype == "2":
                servers.add((stream, sport))
            if cert:
                leaves.append((stream, sport, cert, src4 or src6, dst4 or dst6, dport))
        for stream, sport, cert, src, dst, dport in leaves:
            der = bytes.fromhex(cert.strip().replace(":", ""))
            if (stream, sport) not in servers:
                continue  # a client certificate (mutual TLS): not read by mamori
            conns.add(conn(src, sport, dst, dport, hashlib.sha1(der).hexdigest()))
            if der in seen:
                continue
            seen.add(der)
            o = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject", "-issuer",
                                "-nameopt", "sep_comma_plus_space,sname,utf8"], input=der,
                               capture_output=True, check=False).stdout.decode("utf-8", "replace")
            f = dict(l.split("=", 1) for l in o.splitlines() if "=" in l)
            certs.add(f"{hashlib.sha1(der).hexdigest()}|{f.get('subject', '')}|{f.get('issuer', '')}")
    return certs, conns


def mamori_certs(events):
    tls = [e for e in events if e["event_type"] == "tls" and "fingerprint" in e["tls"]]
    return ({f"{e['tls']['fingerprint'].replace(':', '')}|{e['tls']['subject']}|{e['tls']['issuerdn']}" for e in tls},
            {conn(e["src_ip"], e["src_port"], e["dest_ip"], e["dest_port"], e["tls"]["fingerprint"].replace(":", ""))
             for e in tls})


def main():
    mamori, pcaps = sys.argv[1], sys.argv[2:]
    n = fail = 0
    for pcap in pcaps:
        out = subprocess.run([mamori, "sensor", "-r", pcap, "--eve", "-"], capture_output=True,
                             text=True, check=False).stdout
        events = [json.loads(l) for l in out.splitlines() if l.strip()]
        ts = tshark(pcap)
        for name, (tf, get) in FIELDS.items():
            want = ts[tf]
            got = set()
            for e in events:
                try:
                    v = get(e)
                except KeyError:
                    v = None
                for x in (v if isinstance(v, list) else [v]):
                    if x:
                        # mamori writes odd bytes as \xNN; tshark prints them
                        # raw, invalid UTF-8 as U+FFFD: compare in that form
                        raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                                     x.encode("utf-8"))
                        got.add(lossy(raw.decode("utf-8", "replace")))
            # answers-only names (a response whose query was not captured) count too
            if name == "dns":
                got.discard("")
            n += 1
            ok = want == got
            if not ok:
                fail += 1
            short = pcap.rsplit("/", 1)[-1]
            print(f"{'ok' if ok else 'not ok'} {n} - {short} {name}: tshark {len(want)}, mamori {len(got)}")
            if not ok:
                for v in sorted(want - got)[:5]:
                    print(f"#   only tshark: {v!r}")
                for v in sorted(got - want)[:5]:
                    print(f"#   only mamori: {v!r}")
        # mamori may read more: tshark 4.0 loses a handshake whose segments
        # were captured twice (ndpi_imaps.pcap); every tshark one must be
        # there
        (want, want_conns), (got, got_conns) = tshark_certs(pcap), mamori_certs(events)
        n += 1
        ok = want <= got
        fail += not ok
        short = pcap.rsplit("/", 1)[-1]
        print(f"{'ok' if ok else 'not ok'} {n} - {short} certificate: tshark {len(want)}, mamori {len(got)}")
        for v in sorted(want - got)[:5]:
            print(f"#   only tshark: {v!r}")
        for v in sorted(got - want)[:5]:
            print(f"#   only mamori (tshark did not reassemble it): {v!r}")
        # per connection, against tshark's out-of-order reassembly: mamori's
        # bounded reordering must find each one (it may find more: tshark
        # 4.0 loses some handshakes captured twice)
        n += 1
        ok = want_conns <= got_conns
        fail += not ok
        print(f"{'ok' if ok else 'not ok'} {n} - {short} certificate per connection (out of order too): "
              f"tshark {len(want_conns)}, mamori {len(got_conns)}")
        for v in sorted(want_conns - got_conns)[:5]:
            print(f"#   only tshark: {v!r}")
    print(f"1..{n}")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
