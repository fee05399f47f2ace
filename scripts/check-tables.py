#!/usr/bin/env python3
"""Check that independent consumers read gyokaku's Parquet, xlsx and datapackage.json outputs.

Runs `gyokaku parse INPUT... -o OUT --format csv,parquet,xlsx`, then:

- DuckDB reads every Parquet table: the row counts equal the CSV tables' (read by DuckDB too) and
  summary.json's, the columns are typed (ids as VARCHAR, positions as BIGINT, target numbers as
  DOUBLE, flags as BOOLEAN), and every row equals its CSV row (EXCEPT ALL both ways);
- openpyxl reads tables.xlsx: one sheet per table with the CSV header, the CSV's row count, the
  header frozen and filtered, every text column's cells strings equal to the CSV text (`18.0%`,
  `1,234` and `2-(1)` unchanged), numbers as numbers;
- frictionless validates datapackage.json against the CSV tables (types, keys, joins).

Usage: scripts/check-tables.py [--bin PATH] [INPUT...]
Default inputs: fixtures/ and, when present, ../shared/corpus beside the project.
Needs duckdb, openpyxl and frictionless (`.ci/run` installs them into target/py-venv).
Exit 0 when every check passes, 1 otherwise.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = ["items", "progress", "targets", "findings", "schedule", "fields"]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "gyokaku"))
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()
    import duckdb
    import frictionless
    import openpyxl

    inputs = a.inputs or [p for p in (os.path.join(ROOT, "fixtures"), os.path.join(ROOT, "..", "shared", "corpus"))
                          if os.path.isdir(p)]
    if not os.path.isdir(os.path.join(ROOT, "..", "shared", "corpus")) and not a.inputs:
        print("note: ../shared is absent; checking the project's fixtures only")
    with tempfile.TemporaryDirectory(prefix="gyokaku-tables-") as tmp:
        out = os.path.join(tmp, "out")
        r = subprocess.run([a.bin, "parse", *inputs, "-o", out, "--format", "csv,parquet,xlsx", "--quiet"],
                           capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit(f"check-tables: gyokaku exited {r.returncode}: {r.stderr.strip()}")
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        check(summary["outputs"]["not_written"] == [], f"everything written: {summary['outputs']['not_written']}")

        # 1. DuckDB: Parquet against CSV.
        con = duckdb.connect()
        csv_counts = {}
        print(f"{'table':<10}{'csv':>8}{'parquet':>9}{'xlsx':>8}")
        for t in TABLES:
            c, p = os.path.join(out, f"{t}.csv"), os.path.join(out, f"{t}.parquet")
            con.execute(f"create table {t}_pq as select * from read_parquet(?)", [p])
            described = con.execute(f"describe {t}_pq").fetchall()
            cols = [row[0] for row in described]
            types = {c: "VARCHAR" for c in cols}
            con.execute(f"create table {t}_csv as select * from read_csv(?, header=true, all_varchar=true, "
                        "types=?)", [c, types])
            (nc,) = con.execute(f"select count(*) from {t}_csv").fetchone()
            (np_,) = con.execute(f"select count(*) from {t}_pq").fetchone()
            csv_counts[t] = nc
            print(f"{t:<10}{nc:>8}{np_:>9}{summary['outputs']['xlsx_rows'].get(t, -1):>8}")
            check(nc == np_, f"{t}: parquet has {np_} rows, csv {nc}")
            check(summary["outputs"]["parquet_rows"].get(f"{t}.parquet") == np_, f"summary parquet_rows[{t}]")
            check(summary["outputs"]["xlsx_rows"].get(t) == np_, f"summary xlsx_rows[{t}]")
            # Parquet values printed as the CSV prints them (whole doubles without a decimal point; an
            # empty text is an empty cell, which DuckDB reads as NULL).
            printed = ", ".join(
                f'case when "{n}" = trunc("{n}") then cast(cast("{n}" as bigint) as varchar) '
                f'else cast("{n}" as varchar) end as "{n}"' if ty == "DOUBLE"
                else f'nullif(cast("{n}" as varchar), \'\') as "{n}"'
                for n, ty, *_ in described)
            for x, y in [(f"{t}_pq", f"{t}_csv"), (f"{t}_csv", f"{t}_pq")]:
                sx = f"select {printed} from {x}" if x.endswith("_pq") else f"select * from {x}"
                sy = f"select {printed} from {y}" if y.endswith("_pq") else f"select * from {y}"
                (diff,) = con.execute(f"select count(*) from ({sx} except all {sy})").fetchone()
                check(diff == 0, f"{t}: {diff} rows of {x} not in {y}")
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_name = 'items_pq'").fetchall())
        check((types["item"], types["item_index"], types["is_new"]) == ("VARCHAR", "BIGINT", "BOOLEAN"),
              f"items.parquet types: {types}")
        ttypes = dict(con.execute("select column_name, data_type from information_schema.columns "
                                  "where table_name = 'targets_pq'").fetchall())
        check(ttypes["number"] == "DOUBLE", f"targets.parquet number: {ttypes['number']}")

        # 2. openpyxl: text stays text.
        book = openpyxl.load_workbook(os.path.join(out, "tables.xlsx"))
        check(book.sheetnames == TABLES, f"sheets: {book.sheetnames}")
        seen_text = set()
        for t in TABLES:
            ws = book[t]
            with open(os.path.join(out, f"{t}.csv"), encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
            got = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
            check(got[0] == rows[0], f"{t}: sheet header")
            check(len(got) - 1 == csv_counts[t], f"{t}: sheet has {len(got) - 1} rows, csv {csv_counts[t]}")
            check(ws.freeze_panes == "A2", f"{t}: header frozen ({ws.freeze_panes})")
            check(ws.auto_filter.ref == f"A1:{ws.cell(1, len(rows[0])).column_letter}{len(rows)}",
                  f"{t}: autofilter {ws.auto_filter.ref}")
            kinds = {c: json_type for c, json_type in column_types(out, t)}
            for r_no, (g, w) in enumerate(zip(got[1:], rows[1:]), 2):
                for name, gv, wv in zip(rows[0], g, w):
                    kind = kinds[name]
                    if kind == "string":
                        ok = gv == wv and (wv == "" or isinstance(gv, str))
                        seen_text.add(wv)
                    elif kind == "boolean":
                        ok = (wv == "" and gv == "") or (isinstance(gv, bool) and str(gv).lower() == wv)
                    else:
                        ok = (wv == "" and gv == "") or (isinstance(gv, (int, float)) and float(wv) == float(gv))
                    if not check(ok, f"{t} row {r_no} {name}: xlsx {gv!r}, csv {wv!r}"):
                        break
        for text in ["18.0%", "1,234"]:
            if text in seen_text:
                print(f"xlsx: {text!r} is a text cell, unchanged")
        check("1,234" in seen_text, "the fixtures hold the text value 1,234")

        # 3. frictionless: the data dictionary against the CSV tables.
        # The CSV resources (the Parquet ones name the same tables; frictionless reads CSV natively).
        with open(os.path.join(out, "datapackage.json"), encoding="utf-8") as f:
            dp = json.load(f)
        check(len(dp["resources"]) == 12, "datapackage.json describes the CSV and the Parquet tables")
        dp["resources"] = [r for r in dp["resources"] if r["format"] == "csv"]
        csv_only = os.path.join(out, "datapackage-csv.json")
        with open(csv_only, "w", encoding="utf-8") as f:
            json.dump(dp, f, ensure_ascii=False)
        report = frictionless.validate(csv_only)
        if not check(report.valid, "datapackage.json validates with frictionless"):
            for task in report.tasks:
                for e in task.errors[:5]:
                    print(f"  {task.name}: {e.message}")
        else:
            print(f"frictionless: datapackage.json valid ({len(report.tasks)} resources)")
    if failures:
        print(f"check-tables: {len(failures)} checks failed")
        return 1
    print("check-tables: all checks passed")
    return 0


def column_types(out, table):
    with open(os.path.join(out, "datapackage.json"), encoding="utf-8") as f:
        dp = json.load(f)
    res = next(r for r in dp["resources"] if r["name"] == table)
    return [(fl["name"], fl["type"]) for fl in res["schema"]["fields"]]


if __name__ == "__main__":
    sys.exit(main())
