"""The Dask example: a folder in, one Parquet dataset per table out, the same rows as the API."""

import os
import subprocess
import sys

import pandas as pd

import gyokaku
from conftest import ROOT

EXAMPLE = os.path.join(ROOT, "python", "examples", "dask_parquet.py")


def rows(df, key):
    df = df.sort_values(key, kind="stable").reset_index(drop=True)
    return [[None if pd.isna(v) else v for v in rec] for rec in df.astype(object).itertuples(index=False)]


def test_dask_example_writes_every_table(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, EXAMPLE, "fixtures/layouts", str(out), "--chunk", "3"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    results = list(gyokaku.parse_many("fixtures/layouts"))
    assert r.stdout.startswith(f"{len(results)} files → ")
    for table in gyokaku.TABLES:
        got = pd.read_parquet(out / table)
        want = gyokaku.frame(results, table)
        assert list(got.columns) == list(want.columns), table
        assert len(got) == len(want), table
        key = [c for c in ("file", "item_index") if c in got.columns]
        assert rows(got, key) == rows(want, key), table
    errors = pd.read_parquet(out / "errors.parquet")
    # the documents that are not reports, each an error record (the folder's README.md is not walked)
    not_reports = sorted(n for n in os.listdir("fixtures/layouts") if n.startswith("not-report"))
    assert len(not_reports) == 6
    assert sorted(errors["file"].map(os.path.basename)) == not_reports
    assert set(errors["kind"]) == {"not-a-report"}
    items = pd.read_parquet(out / "items")
    assert items["item_index"].dtype.name in ("Int64", "int64")
