"""DataFrames and Arrow tables: the CSV tables' rows and columns, typed."""

import csv
import math
import os
import subprocess

import pandas as pd
import pyarrow as pa

import gyokaku
from conftest import gyokaku_bin, skip

INPUTS = ["fixtures/text", "fixtures/layouts"]


def csv_text(v):
    """A frame value as the CSV output writes it."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def test_columns_and_types():
    reports = [gyokaku.parse("fixtures/text/card-basic.txt")]
    items = gyokaku.items_frame(reports)
    assert list(items.columns)[:5] == ["file", "item", "item_index", "number", "parent"]
    assert len(items) == len(reports[0]["items"])
    assert str(items["item"].dtype) == "string"
    assert str(items["item_index"].dtype) == "Int64"
    assert str(items["is_new"].dtype) == "boolean"
    assert items["item_index"].tolist() == list(range(1, len(items) + 1))
    targets = gyokaku.targets_frame(reports)
    assert str(targets["number"].dtype) == "Float64"
    row = targets[targets["text"] == "1,234"].iloc[0]
    assert (row["number"], row["unit"], row["kind"]) == (1234.0, "人", "baseline")
    cols = {c["name"]: c for c in gyokaku.columns("targets")}
    assert cols["number"]["unit"] == "unit" and cols["number"]["type"] == "number"
    assert gyokaku.TABLES == ["items", "progress", "targets", "findings", "schedule", "fields"]


def test_failed_results_are_left_out_and_arrow_has_the_same_rows():
    results = list(gyokaku.parse_many(["fixtures/text/not-a-report.txt", "fixtures/layouts/shimotsukidai-r5.pdf"]))
    items = gyokaku.items_frame(results)
    assert set(items["file"]) == {"fixtures/layouts/shimotsukidai-r5.pdf"}
    table = gyokaku.arrow_table(results, "targets")
    assert table.schema.field("number").type == pa.float64()
    assert table.schema.field("item_index").type == pa.int64()
    assert table.num_rows == len(gyokaku.targets_frame(results))
    assert "18.0%" in table.column("text").to_pylist()


def test_frames_equal_the_cli_csv_tables(tmp_path):
    binary = gyokaku_bin()
    if binary is None:
        skip("no gyokaku binary (build it, or set GYOKAKU_BIN)")
    out = tmp_path / "out"
    r = subprocess.run([binary, "parse", *INPUTS, "-o", str(out), "--format", "csv", "--quiet"],
                       capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    results = list(gyokaku.parse_many(INPUTS, jobs=2))
    assert sum(r.ok for r in results) > 5
    for table in gyokaku.TABLES:
        with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        df = gyokaku.frame(results, table)
        assert list(df.columns) == rows[0], table
        assert len(df) == len(rows) - 1, table
        got = sorted(tuple(csv_text(v) for v in rec) for rec in df.astype(object).itertuples(index=False))
        assert got == sorted(tuple(r) for r in rows[1:]), table
