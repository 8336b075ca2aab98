#!/usr/bin/env python3
"""measure.py --runs N "label=command" ... : median wall time and peak RSS.

Each command runs N times (after one warm-up run), with stdout and stderr
discarded, under GNU time: wall time is measured around it, peak memory is
the %M (maximum resident set) GNU time reports for the command alone (a
Python child's own ru_maxrss would include the forked interpreter).
Prints a table and each anchor's ratio to the first command.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time


def run_once(argv):
    with tempfile.NamedTemporaryFile("r") as out:
        start = time.monotonic()
        rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.monotonic() - start
        lines = [l for l in out.read().split("\n") if l.strip().isdigit()]
        peak_kb = int(lines[-1]) if lines else 0
    return elapsed, peak_kb / 1024.0, rc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("commands", nargs="+")
    args = ap.parse_args()
    rows = []
    for spec in args.commands:
        label, cmd = spec.split("=", 1)
        argv = shlex.split(cmd)
        run_once(argv)  # warm-up: page cache, lazy binding
        times, mems, codes = [], [], set()
        for _ in range(args.runs):
            t, m, rc = run_once(argv)
            times.append(t)
            mems.append(m)
            codes.add(rc)
        rows.append((label, statistics.median(times), statistics.median(mems), sorted(codes)))
    base_t, base_m = rows[0][1], rows[0][2]
    print(f"runs per command: {args.runs} (median), machine: {os.cpu_count()} cores")
    print(f"{'command':34} {'wall ms':>10} {'peak MB':>9} {'time ratio':>11} {'exit':>6}")
    for label, t, m, codes in rows:
        ratio = t / base_t if base_t else float("nan")
        print(f"{label:34} {t * 1000:10.1f} {m:9.1f} {ratio:10.2f}x {','.join(map(str, codes)):>6}")
    print()
    for label, t, m, _ in rows[1:]:
        print(f"{label}: takes {t / base_t:.2f}x the time and {m / base_m:.2f}x the memory "
              f"of {rows[0][0]}")


if __name__ == "__main__":
    main()
