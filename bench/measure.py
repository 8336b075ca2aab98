#!/usr/bin/env python3
"""measure.py --runs N "label=command" ... : median wall time and peak RSS.

Each command runs N times (after one warm-up run), with stdout and stderr
discarded, under GNU time: wall time is measured around it, peak memory is
the %M (maximum resident set) GNU time reports for the command alone (a
Python child's own ru_maxrss would include the forked interpreter).
Prints a table and each anchor's ratio to the first command. CPU time is
user+sys of the command (steadier than wall time on a shared machine); with
MEASURE_BYTES set to the input size, throughput is printed too. The paths
in MEASURE_CLEAN (separated by spaces) are removed before each run, outside
the timing: deleting the previous run's output is not the command's work.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time


def clean():
    for path in os.environ.get("MEASURE_CLEAN", "").split():
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def run_once(argv):
    clean()
    with tempfile.NamedTemporaryFile("r") as out:
        start = time.monotonic()
        rc = subprocess.call(["/usr/bin/time", "-f", "%M %U %S", "-o", out.name] + argv,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.monotonic() - start
        lines = [l.split() for l in out.read().split("\n")]
        lines = [l for l in lines if len(l) == 3 and l[0].isdigit()]
        peak_kb = int(lines[-1][0]) if lines else 0
        cpu = float(lines[-1][1]) + float(lines[-1][2]) if lines else 0.0
    return elapsed, peak_kb / 1024.0, rc, cpu


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
        times, mems, codes, cpus = [], [], set(), []
        for _ in range(args.runs):
            t, m, rc, cpu = run_once(argv)
            times.append(t)
            mems.append(m)
            codes.add(rc)
            cpus.append(cpu)
        rows.append((label, statistics.median(times), statistics.median(mems), sorted(codes),
                     statistics.median(cpus)))
    base_t, base_m, base_c = rows[0][1], rows[0][2], rows[0][4]
    nbytes = int(os.environ.get("MEASURE_BYTES", "0"))
    print(f"runs per command: {args.runs} (median), machine: {os.cpu_count()} cores")
    print(f"{'command':34} {'wall ms':>10} {'cpu ms':>9} {'peak MB':>9} {'time ratio':>11} {'exit':>6}"
          + (f" {'GB/s wall':>10} {'GB/s cpu':>9}" if nbytes else ""))
    for label, t, m, codes, c in rows:
        ratio = t / base_t if base_t else float("nan")
        line = (f"{label:34} {t * 1000:10.1f} {c * 1000:9.1f} {m:9.1f} {ratio:10.2f}x "
                f"{','.join(map(str, codes)):>6}")
        if nbytes:
            line += f" {nbytes / 1e9 / t:10.2f} {nbytes / 1e9 / c if c else 0:9.2f}"
        print(line)
    print()
    for label, t, m, _, c in rows[1:]:
        print(f"{label}: takes {t / base_t:.2f}x the time, "
              f"{c / base_c if base_c else float('nan'):.2f}x the CPU time and "
              f"{m / base_m:.2f}x the memory of {rows[0][0]}")


if __name__ == "__main__":
    main()
