#!/usr/bin/env python3
"""Check that independent consumers read gyokaku's batch outputs.

Runs `gyokaku parse INPUT... -o OUT --format json,jsonl,csv` (and once more with
`--csv-encoding cp932`), then:

- validates every per-file JSON document against the report schema and every line of
  items.jsonl against the item-line schema (JSON Schema 2020-12, Python `jsonschema`);
- loads items.jsonl and the six CSV tables into DuckDB (Python `duckdb`, item ids read as text),
  counts rows and checks them against the JSON documents and summary.json (targets.csv: one row
  per value), checks that (file, item_index) is a key of items.csv that every other table joins to,
  that item ids and plain item numbers survive, and that numbers are read as numbers;
- checks that the CP932 CSV files decode (Python's cp932 codec) to the same text as the UTF-8 ones.

Usage: scripts/check-consumers.py [--bin PATH] [--schemas DIR] [--keep DIR] [INPUT...]
Default inputs: fixtures/ and, when present, ../shared/corpus beside the project.
Needs the Python packages jsonschema and duckdb; when they are missing, the script installs them
from PyPI into a venv at target/consumers-venv and runs itself there (--no-install to fail instead).
Exit 0 when every check passes, 1 otherwise.
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = ["items.csv", "progress.csv", "targets.csv", "findings.csv", "schedule.csv", "fields.csv"]
# Columns holding ids as printed (`1`, `2-(1)`, `Ⅱ`): read as text, never guessed as numbers.
ID_COLUMNS = {"item": "VARCHAR", "parent": "VARCHAR", "section_id": "VARCHAR"}
# JIS forms that gyokaku writes as CP932's code for the same character (src/tabular.rs CP932_VARIANTS).
CP932_VARIANTS = str.maketrans({"\u2014": "\u2015", "\u301c": "\uff5e", "\u2016": "\u2225", "\u00a2": "\uffe0",
                                "\u00a3": "\uffe1", "\u00ac": "\uffe2", "\u00a6": "\uffe4",
                                "\u203a": ">"})
RUN_OUTPUTS = {"items.jsonl", "errors.jsonl", "summary.json", "datapackage.json", *TABLES}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")
    return cond


def run(binary, args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def load_schema(binary, schemas_dir, name, flag):
    path = os.path.join(schemas_dir, name)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f), path
    out = run(binary, ["schema", *flag])
    if out.returncode != 0:
        sys.exit(f"check-consumers: `gyokaku schema {' '.join(flag)}` failed: {out.stderr.strip()}")
    return json.loads(out.stdout), f"gyokaku schema {' '.join(flag)}".strip()


def batch(binary, inputs, outdir, extra):
    out = run(binary, ["parse", *inputs, "-o", outdir, "--format", "json,jsonl,csv", "--quiet", "--force", *extra])
    if out.returncode not in (0, 1):
        sys.exit(f"check-consumers: gyokaku exited {out.returncode}: {out.stderr.strip()}")
    return out


def documents(outdir):
    docs = {}
    for dirpath, _, files in os.walk(outdir):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), outdir).replace(os.sep, "/")
            if name.endswith(".json") and rel not in RUN_OUTPUTS:
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    docs[rel] = json.load(f)
    return docs


def reexec_in_venv(why):
    """Install jsonschema and duckdb from PyPI into a venv under target/ and run this script there."""
    venv = os.path.join(ROOT, "target", "consumers-venv")
    python = os.path.join(venv, "bin", "python")
    print(f"note: {why}; installing jsonschema and duckdb into {os.path.relpath(venv, ROOT)}")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "jsonschema", "duckdb"], check=True)
    env = dict(os.environ, GYOKAKU_CONSUMERS_VENV="1")
    os.execve(python, [python, os.path.abspath(__file__), *sys.argv[1:]], env)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "gyokaku"))
    ap.add_argument("--schemas", default=os.path.join(ROOT, "schemas"))
    ap.add_argument("--keep", help="write the outputs here instead of a temp folder")
    ap.add_argument("--no-install", action="store_true",
                    help="fail instead of installing jsonschema and duckdb into target/consumers-venv")
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()
    try:
        import duckdb
        import jsonschema
    except ImportError as e:
        if a.no_install or os.environ.get("GYOKAKU_CONSUMERS_VENV"):
            sys.exit(f"check-consumers: {e}; install with `pip install jsonschema duckdb`")
        reexec_in_venv(e)
    if not os.path.exists(a.bin):
        debug = os.path.join(ROOT, "target", "debug", "gyokaku")
        if a.bin.endswith(os.path.join("release", "gyokaku")) and os.path.exists(debug):
            a.bin = debug
        else:
            sys.exit(f"check-consumers: no binary at {a.bin} (build it, or pass --bin)")
    inputs = a.inputs or [
        p for p in (os.path.join(ROOT, "fixtures"), os.path.join(ROOT, "..", "shared", "corpus")) if os.path.isdir(p)
    ]
    if not inputs:
        sys.exit("check-consumers: no inputs (fixtures/ missing and no ../shared/corpus)")
    if not os.path.isdir(os.path.join(ROOT, "..", "shared", "corpus")) and not a.inputs:
        print("note: ../shared is absent; checking the project's fixtures only")

    report_schema, report_src = load_schema(a.bin, a.schemas, "report.schema.json", [])
    line_schema, line_src = load_schema(a.bin, a.schemas, "item-line.schema.json", ["--item-line"])
    V = jsonschema.Draft202012Validator
    V.check_schema(report_schema)
    V.check_schema(line_schema)
    report_v, line_v = V(report_schema), V(line_schema)

    tmp = tempfile.mkdtemp(prefix="gyokaku-consumers-")
    try:
        out = a.keep or os.path.join(tmp, "utf8")
        sj = os.path.join(tmp, "cp932")
        r = batch(a.bin, inputs, out, [])
        summary = json.load(open(os.path.join(out, "summary.json"), encoding="utf-8"))
        print(f"gyokaku: {summary['files']} inputs, {summary['parsed']} parsed, {summary['failed']} failed "
              f"(exit {r.returncode}), {summary['items']} items")
        check(summary["parsed"] > 0, "at least one input parsed")
        check((r.returncode == 0) == (summary["failed"] == 0), "exit code agrees with summary.failed")

        # 1. JSON Schema validation.
        docs = documents(out)
        check(len(docs) == summary["parsed"] + summary["skipped"], "one JSON document per good input")
        bad = 0
        for rel, doc in sorted(docs.items()):
            for err in report_v.iter_errors(doc):
                bad += 1
                check(False, f"{rel}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        lines = []
        with open(os.path.join(out, "items.jsonl"), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                obj = json.loads(line)
                lines.append(obj)
                for err in line_v.iter_errors(obj):
                    bad += 1
                    check(False, f"items.jsonl line {n}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        print(f"jsonschema: {len(docs)} documents against {report_src}, {len(lines)} lines against {line_src}: "
              f"{bad} errors")
        with open(os.path.join(out, "errors.jsonl"), encoding="utf-8") as f:
            errors = [json.loads(l) for l in f]
        check(len(errors) == len(summary["errors"]), "errors.jsonl has the summary's errors")
        for e in errors:
            check(set(e) >= {"file", "stage", "kind", "message"}, f"error record fields: {e}")

        # 2. DuckDB.
        all_items = [i for d in docs.values() for i in d["items"]]
        items = len(all_items)
        want = {
            "items.jsonl": items,
            "items.csv": items,
            "progress.csv": sum(len(i["progress"]) for i in all_items),
            # One row per value; a target without values keeps one row with empty value columns.
            "targets.csv": sum(max(1, len(t["values"])) for i in all_items for t in i["targets"]),
            "findings.csv": sum(len(i["findings"]) for i in all_items),
            "schedule.csv": sum(len(i["schedule"]) for i in all_items),
            "fields.csv": sum(len(i["fields"]) for i in all_items),
        }
        con = duckdb.connect()
        con.execute(
            "create table items_jsonl as select * from read_json(?, format='newline_delimited')",
            [os.path.join(out, "items.jsonl")],
        )
        for t in TABLES:
            with open(os.path.join(out, t), encoding="utf-8-sig", newline="") as f:
                header = next(csv.reader(f))
            types = {c: ty for c, ty in ID_COLUMNS.items() if c in header}
            con.execute(
                f"create table {t[:-4]} as select * from read_csv(?, header=true, all_varchar=false, types=?)",
                [os.path.join(out, t), types],
            )
        print(f"{'table':<14}{'rows':>8}{'expected':>10}")
        for name, n_want in want.items():
            table = "items_jsonl" if name == "items.jsonl" else name[:-4]
            (n,) = con.execute(f"select count(*) from {table}").fetchone()
            print(f"{name:<14}{n:>8}{n_want:>10}")
            check(n == n_want, f"{name}: {n} rows, expected {n_want}")
            if name.endswith(".csv"):
                check(summary["outputs"]["csv_rows"].get(name) == n, f"summary.outputs.csv_rows[{name}]")
        check(summary["items"] == items, "summary.items = items in the documents")
        check(summary["outputs"]["jsonl_lines"] == items, "summary.outputs.jsonl_lines")
        (dups,) = con.execute(
            "select count(*) from (select file, item_index from items group by all having count(*) > 1)").fetchone()
        check(dups == 0, "(file, item_index) is a key of items.csv")
        # (file, item) is a key too, except in reports that repeat an item id (they carry a diagnostic).
        repeated = {d["source"]["path"] for d in docs.values()
                    if len({i["id"] for i in d["items"]}) < len(d["items"])}
        keep = "file not in (select unnest(?))" if repeated else "?::varchar[] is null"
        (dups,) = con.execute(f"select count(*) from (select file, item from items where {keep} "
                              "group by all having count(*) > 1)", [sorted(repeated) or None]).fetchone()
        check(dups == 0, "(file, item) is a key of items.csv in reports with unique item ids")
        if repeated:
            print(f"note: {len(repeated)} report(s) repeat an item id; join those on (file, item_index): "
                  + ", ".join(sorted(repeated)))
        for t in ["progress", "targets", "findings", "schedule", "fields"]:
            (orphans,) = con.execute(
                f"select count(*) from {t} t left join items i on t.file = i.file and t.item = i.item "
                f"and t.item_index = i.item_index where i.file is null").fetchone()
            check(orphans == 0, f"every {t}.csv row joins items.csv on (file, item, item_index)")
        (joined,) = con.execute(
            "select count(*) from items_jsonl j join items i on i.file = j.source_path "
            "and i.item_index = j.item_index and i.item = j.item.id"
        ).fetchone()
        check(joined == items, "items.jsonl joins items.csv on (source_path, item_index, item.id)")
        (parents,) = con.execute(
            "select count(*) from items_jsonl j join items i on i.file = j.source_path "
            "and i.item_index = j.item_index and i.parent is not distinct from j.item.parent"
        ).fetchone()
        check(parents == items, "items.csv parent = items.jsonl item.parent")
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_name = 'items'").fetchall())
        ints = ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")
        check(types.get("item") == "VARCHAR", f"items.item (the id as printed) is text: {types.get('item')}")
        check(types.get("item_index") in ints, f"items.item_index is a number: {types.get('item_index')}")
        check(types.get("is_new") == "BOOLEAN", f"items.is_new is a boolean: {types.get('is_new')}")
        numbered = [i["number"] for i in all_items if i["number"] is not None]
        if numbered:
            check(types.get("number") in ints, f"items.number is a number: {types.get('number')}")
            (sum_items, n_numbered) = con.execute("select sum(number), count(number) from items").fetchone()
            check((sum_items, n_numbered) == (sum(numbered), len(numbered)), "plain item numbers survive")
        ids = sorted((d["source"]["path"], k, i["id"]) for d in docs.values() for k, i in enumerate(d["items"], 1))
        got = sorted(con.execute("select file, item_index, item from items").fetchall())
        check(got == ids, "items.csv item = the item id as printed")
        rated = [i["rating"]["code"] for i in all_items if i["rating"] and i["rating"]["code"]]
        (n_rated,) = con.execute("select count(rating_code) from items").fetchone()
        check(n_rated == len(rated), f"items.rating_code: {n_rated} codes, expected {len(rated)}")
        ttypes = dict(con.execute("select column_name, data_type from information_schema.columns "
                                  "where table_name = 'targets'").fetchall())
        for kind in ["baseline", "goal", "plan", "actual", "rate"]:
            vals = [v["number"] for i in all_items for t in i["targets"] for v in t["values"]
                    if v["kind"] == kind and v["number"] is not None]
            (n, s) = con.execute("select count(number), sum(number) from targets where kind = ?", [kind]).fetchone()
            check(n == len(vals), f"targets.csv {kind} numbers: {n}, expected {len(vals)}")
            if vals:
                check(ttypes.get("number") in ("DOUBLE", "FLOAT", "DECIMAL", *ints),
                      f"targets.number is a number: {ttypes.get('number')}")
                check(abs(s - sum(vals)) <= 1e-6 * max(1.0, abs(sum(vals))),
                      f"targets.csv {kind} numbers sum {s} vs {sum(vals)}")
        (n_targets,) = con.execute("select count(*) from (select distinct file, item_index, target from targets)"
                                   ).fetchone()
        check(n_targets == sum(len(i["targets"]) for i in all_items), "targets.csv: one target per (file, item_index, target)")

        # 3. CP932.
        r2 = batch(a.bin, inputs, sj, ["--csv-encoding", "cp932"])
        if os.path.exists(os.path.join(sj, "items.csv")):
            for t in TABLES:
                u = open(os.path.join(out, t), encoding="utf-8-sig", newline="").read().translate(CP932_VARIANTS)
                s = open(os.path.join(sj, t), encoding="cp932", newline="").read()
                check(u == s, f"{t}: cp932 decodes to the UTF-8 text")
                check(list(csv.reader(io.StringIO(s))) == list(csv.reader(io.StringIO(u))), f"{t}: same cells")
            print("cp932: all tables decode to the same cells as UTF-8")
        else:
            msgs = [l for l in r2.stderr.splitlines() if "cannot be encoded in cp932" in l]
            check(len(msgs) == 1, f"cp932 run without CSVs must say which cell: {r2.stderr.strip()}")
            print(f"cp932: refused as expected: {msgs[0] if msgs else '?'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if failures:
        print(f"check-consumers: {len(failures)} checks failed")
        return 1
    print("check-consumers: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
