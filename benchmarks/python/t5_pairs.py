#!/usr/bin/python3
"""Interleaved engine-vs-PyTorch pairs for one T5Benchmark measurement.

The VM this project is measured on drifts by 20-30 % within minutes, for both sides, so one engine
run and one PyTorch run minutes apart say little about their ratio. This script alternates them
(round r runs the engine first when r is even, PyTorch first when r is odd, so neither side always
gets the first slot), prints each pair's ratio and then the median, lowest and highest ratio.

Run from the repository root:
    /usr/bin/python3 benchmarks/python/t5_pairs.py --measure greedy32 --rounds 6

Engine: `./bench '^clp4j.bench.T5Benchmark.<measure>$'` (JMH as configured in T5Benchmark), its mean.
PyTorch: t5_torch_bench.py --only <measure> at 1 and 2 threads, the faster thread count's mean.
greedy32's ratio is PyTorch's time over the engine's (the tokens/s ratio, bar >= 3); train_step's is
the engine's over PyTorch's (bar <= 0.8).
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def run(cmd):
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-4000:])
        raise SystemExit("%s failed with exit status %d" % (" ".join(cmd), proc.returncode))
    return proc.stdout


def engine_ms(measure):
    """JMH mean and error (ms/op) of T5Benchmark.<measure>."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "jmh.csv")
        run(["./bench", "^clp4j.bench.T5Benchmark.%s$" % measure, "-rf", "csv", "-rff", out])
        with open(out, newline="") as f:
            rows = list(csv.DictReader(f))
    if len(rows) != 1:
        raise SystemExit("expected one JMH result for %s, got %d" % (measure, len(rows)))
    error = rows[0]["Score Error (99.9%)"]
    return float(rows[0]["Score"]), float(error) if error not in ("", "NaN") else float("nan")


def torch_ms(measure, iters, warmup, threads):
    """t5_torch_bench.py's best mean (ms) over the given thread counts, and that thread count."""
    out = run([sys.executable, "benchmarks/python/t5_torch_bench.py", "--only", measure,
               "--iters", str(iters), "--warmup", str(warmup), "--threads", threads])
    m = re.search(r"^best %s\s+([0-9.]+) ms at (\d+) thread" % re.escape(measure), out, re.M)
    if m is None:
        sys.stdout.write(out[-4000:])
        raise SystemExit("t5_torch_bench.py printed no 'best %s' line" % measure)
    return float(m.group(1)), int(m.group(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measure", choices=("greedy32", "train_step"), default="greedy32")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--iters", type=int, default=3, help="PyTorch timed iterations per thread count")
    ap.add_argument("--warmup", type=int, default=1, help="PyTorch warm-up iterations per thread count")
    ap.add_argument("--threads", default="1,2", help="PyTorch thread counts to try")
    args = ap.parse_args()
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1")
    jmh_name = {"greedy32": "greedy32", "train_step": "trainStep"}[args.measure]
    greedy = args.measure == "greedy32"
    print("%s pairs, %d rounds (engine: JMH T5Benchmark.%s; PyTorch: best of threads %s)"
          % (args.measure, args.rounds, jmh_name, args.threads))
    ratios = []
    for r in range(args.rounds):
        order = ("engine", "torch") if r % 2 == 0 else ("torch", "engine")
        got = {}
        for side in order:
            if side == "engine":
                got["engine"] = engine_ms(jmh_name)
            else:
                got["torch"] = torch_ms(args.measure, args.iters, args.warmup, args.threads)
        (e, err), (t, th) = got["engine"], got["torch"]
        ratio = t / e if greedy else e / t
        ratios.append(ratio)
        print("round %d %s UTC (%s first): engine %.1f ± %.1f ms, PyTorch %.1f ms (%d thread%s) -> %.2fx"
              % (r + 1, time.strftime("%H:%M", time.gmtime()), order[0], e, err, t, th, "" if th == 1 else "s", ratio),
              flush=True)
    print("%s ratio (%s): median %.2fx, lowest %.2fx, highest %.2fx over %d pairs"
          % (args.measure, "PyTorch time / engine time, bar >= 3" if greedy else "engine time / PyTorch time, bar <= 0.8",
             statistics.median(ratios), min(ratios), max(ratios), len(ratios)))


if __name__ == "__main__":
    main()
