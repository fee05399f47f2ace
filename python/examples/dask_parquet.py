#!/usr/bin/env python3
"""Parse a folder of reports with Dask and write the six tables as Parquet datasets.

    python python/examples/dask_parquet.py REPORTS/ OUT/                  # local processes
    python python/examples/dask_parquet.py REPORTS/ OUT/ --scheduler tcp://host:8786   # a cluster

The files are split into chunks; each chunk is parsed once by one Dask task (``gyokaku.parse_many``
on that worker), and every table of the CSV output is written from those parsed chunks as a
Parquet dataset ``OUT/<table>/`` (one part per chunk), plus ``OUT/errors.parquet`` naming the
files that failed. With ``--scheduler ADDRESS`` the same graph runs on a Dask cluster (needs the
``distributed`` package and the inputs and OUT on storage every worker sees).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Dict, List

import dask
import pandas as pd
from dask import delayed
import dask.dataframe as dd

import gyokaku


def parse_chunk(paths: List[str]) -> Dict[str, object]:
    """Parse one chunk of files on one worker: the reports and a frame of the failures."""
    reports, errors = [], []
    for r in gyokaku.parse_many(paths, jobs=1):
        if r.ok:
            reports.append(r.report)
        else:
            errors.append({"file": r.path, "kind": r.error.kind, "message": str(r.error)})
    return {"reports": reports, "errors": errors}


def table_of(parsed: Dict[str, object], table: str) -> pd.DataFrame:
    return gyokaku.frame(parsed["reports"], table)


def errors_of(parsed: Dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(parsed["errors"], columns=["file", "kind", "message"]).astype("string")


def build(paths: List[str], out: str, chunk: int):
    """The Dask graph: one parse task per chunk, one Parquet dataset per table."""
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)] or [[]]
    parsed = [delayed(parse_chunk)(c, dask_key_name=f"parse-{k}") for k, c in enumerate(chunks)]
    writes = []
    for table in gyokaku.TABLES:
        meta = gyokaku.frame([], table)
        df = dd.from_delayed([delayed(table_of)(p, table) for p in parsed], meta=meta, verify_meta=False)
        writes.append(df.to_parquet(os.path.join(out, table), write_index=False, compute=False))
    errors = dd.from_delayed([delayed(errors_of)(p) for p in parsed], meta=errors_of({"errors": []}))
    writes.append(errors.to_parquet(os.path.join(out, "errors.parquet"), write_index=False, compute=False))
    return writes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", help="a folder of reports (walked recursively) or one file")
    ap.add_argument("out", help="output folder for the Parquet datasets")
    ap.add_argument("--chunk", type=int, default=8, help="files per Dask task (default 8)")
    ap.add_argument("--scheduler", default="processes",
                    help="processes (default), threads, synchronous, or a cluster address tcp://HOST:PORT")
    a = ap.parse_args(argv)
    paths = list(gyokaku.report_files([a.inputs]))
    writes = build(paths, a.out, max(1, a.chunk))
    if "://" in a.scheduler:
        from distributed import Client  # the cluster's client; same graph as locally

        with Client(a.scheduler):
            dask.compute(*writes)
    else:
        dask.compute(*writes, scheduler=a.scheduler)
    print(f"{len(paths)} files → {a.out} ({', '.join(gyokaku.TABLES)}, errors.parquet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
