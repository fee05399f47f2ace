#!/usr/bin/env python3
"""Batch benchmark: `gyokaku parse TREE -o OUT` over 50 and 200 inputs with -j 1 and -j 2.

Inputs are copies of the corpus texts and PDFs beside the project (../shared/corpus, when present)
and of the project's fixture reports (fixtures/text, fixtures/pdf); only files that `gyokaku parse
FILE` accepts are used, so every run measures parsing, not error paths. Copies sit in nested folders, 10 per folder.

Reports per (files, jobs): best and median wall time of --runs runs (the -j settings interleaved),
files/s, input MB/s, CPU time, peak resident memory of the gyokaku process (from wait4), and the
speed-up over the first -j setting.

Usage: benches/batch.py [--bin target/release/gyokaku] [--runs 5] [--sizes 50,200] [--jobs 1,2]
       [--formats json,jsonl,csv]
Build first: cargo build --release
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTS = (".pdf", ".txt", ".text", ".htm", ".html", ".md")


def candidates():
    """Corpus texts and PDFs (../shared/corpus, when present) and the project's fixture reports."""
    bases = [os.path.join(ROOT, "fixtures", "text"), os.path.join(ROOT, "fixtures", "pdf")]
    shared = os.path.join(ROOT, "..", "shared", "corpus")
    if os.path.isdir(shared):
        bases.insert(0, shared)
    else:
        print("note: ../shared is absent; using the project's fixtures only")
    found = []
    for base in bases:
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if f.lower().endswith(EXTS):
                    found.append(os.path.join(dirpath, f))
    return found


def run(cmd):
    """Run cmd; return (wall seconds, CPU seconds (user + sys), peak RSS in KiB)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode("utf-8", "replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {code}: {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "gyokaku"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="50,200")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--formats", default="json,jsonl,csv")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"bench: no binary at {a.bin}; run `cargo build --release` first")
    sizes = [int(x) for x in a.sizes.split(",")]
    jobs = [int(x) for x in a.jobs.split(",")]

    usable = []
    for path in candidates():
        p = subprocess.run([a.bin, "parse", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode == 0:
            usable.append(path)
        else:
            print(f"note: left out {os.path.relpath(path, ROOT)}: {p.stderr.decode().strip()}")
    if not usable:
        sys.exit("bench: no usable inputs")
    print("inputs: " + ", ".join(f"{os.path.basename(p)} ({os.path.getsize(p) // 1024} KiB)" for p in usable))
    print(f"machine: {os.cpu_count()} logical CPUs, load average {os.getloadavg()[0]:.2f} at start")

    tmp = tempfile.mkdtemp(prefix="gyokaku-bench-")
    rows = []
    try:
        for n in sizes:
            tree = os.path.join(tmp, f"in{n}")
            total = 0
            for i in range(n):
                src = usable[i % len(usable)]
                dest = os.path.join(tree, f"d{i // 10:03d}", f"{i:04d}-{os.path.basename(src)}")
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copyfile(src, dest)
                total += os.path.getsize(src)
            # Interleave the -j settings run by run, so a change in machine load hits them alike.
            walls = {j: [] for j in jobs}
            cpus = {j: [] for j in jobs}
            rss = {j: [] for j in jobs}
            for r in range(a.runs):
                for j in jobs:
                    out = os.path.join(tmp, f"out{n}-{j}-{r}")
                    cmd = [a.bin, "parse", tree, "-o", out, "-j", str(j), "--quiet", "--format", a.formats]
                    w, c, m = run(cmd)
                    walls[j].append(w)
                    cpus[j].append(c)
                    rss[j].append(m)
                    shutil.rmtree(out)
            for j in jobs:
                best, med = min(walls[j]), statistics.median(walls[j])
                rows.append((n, j, best, med, n / best, total / best / 1e6, min(cpus[j]), max(rss[j]) / 1024))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'files':>5} {'-j':>3} {'best s':>8} {'median s':>9} {'files/s':>9} {'MB/s':>7} {'CPU s':>7} "
          f"{'peak RSS MiB':>13} {'speed-up':>9}")
    base = {}
    for n, j, best, med, fps, mbs, cpu, rss in rows:
        if j == jobs[0]:
            base[n] = best
        speed = base[n] / best if n in base else float("nan")
        print(f"{n:>5} {j:>3} {best:>8.3f} {med:>9.3f} {fps:>9.1f} {mbs:>7.1f} {cpu:>7.2f} {rss:>13.1f} {speed:>8.2f}x")
    print(f"\nload average {os.getloadavg()[0]:.2f} at end; formats: {a.formats}; best of {a.runs} runs "
          "(speed-up from best wall times; CPU s is the least user+sys time of a run)")

if __name__ == "__main__":
    main()
