#!/usr/bin/env python3
"""Python API throughput against the command-line tool on the corpus.

Both read the same inputs on one thread and produce the report documents:
- CLI: `gyokaku parse DIR -o OUT --format json -j 1 --force --quiet` (one process, every file,
  pretty JSON written to disk);
- Python: `gyokaku.parse_many(DIR, jobs=1)` (every report as a Python dict via json.loads).

Inputs: the corpus texts and PDFs of ../shared/corpus when present (else the project's fixture
reports), copied --copies times into a temp folder so a run lasts long enough to time. Prints the
best of --runs runs for each (runs interleaved), files/s and MB/s, and the Python/CLI ratio.

Usage: python benches/python_api.py [--bin target/release/gyokaku] [--runs 5] [--copies 20]
Needs the gyokaku Python package installed (pip install .) and a release build of the CLI.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

import gyokaku

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def inputs():
    shared = os.path.join(ROOT, "..", "shared", "corpus")
    if os.path.isdir(shared):
        base = [shared]
    else:
        print("note: ../shared is absent; using the project's fixture reports")
        base = [os.path.join(ROOT, "fixtures", "text"), os.path.join(ROOT, "fixtures", "pdf")]
    return [r.path for r in gyokaku.parse_many(base, jobs=1) if r.ok]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "gyokaku"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=20)
    a = ap.parse_args()
    files = inputs()
    tmp = tempfile.mkdtemp(prefix="gyokaku-pybench-")
    try:
        tree = os.path.join(tmp, "in")
        for k in range(a.copies):
            d = os.path.join(tree, f"c{k:03}")
            os.makedirs(d)
            for f in files:
                shutil.copy(f, d)
        n = len(files) * a.copies
        size = sum(os.path.getsize(f) for f in files) * a.copies
        cli, py = [], []
        for _ in range(a.runs):
            out = os.path.join(tmp, "out")
            t = time.perf_counter()
            r = subprocess.run([a.bin, "parse", tree, "-o", out, "--format", "json", "-j", "1", "--force",
                                "--quiet"], capture_output=True, text=True)
            cli.append(time.perf_counter() - t)
            if r.returncode != 0:
                sys.exit(f"python_api: gyokaku exited {r.returncode}: {r.stderr.strip()}")
            shutil.rmtree(out)
            t = time.perf_counter()
            results = list(gyokaku.parse_many(tree, jobs=1))
            py.append(time.perf_counter() - t)
            assert len(results) == n and all(r.ok for r in results)
        print(f"{n} files ({len(files)} corpus files × {a.copies}), {size / 1e6:.1f} MB, one thread, "
              f"best of {a.runs}")
        for name, times in [("CLI (gyokaku parse -j 1)", cli), ("Python (parse_many, jobs=1)", py)]:
            best = min(times)
            print(f"  {name:<28} {best:7.3f} s  {n / best:7.1f} files/s  {size / 1e6 / best:6.2f} MB/s")
        ratio = min(cli) / min(py)
        print(f"  Python throughput / CLI throughput: {ratio:.2f} ({(ratio - 1) * 100:+.0f} %)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
