"""The Python API: parse, parse_many, errors, options."""

import json
import os
import threading

import pytest

import gyokaku


def golden(name):
    with open(os.path.join("fixtures", "golden", name), encoding="utf-8") as f:
        return json.load(f)


def test_parse_text_gives_the_golden_document():
    got = gyokaku.parse("fixtures/text/card-basic.txt")
    assert got == golden("card-basic.json")
    assert got["schema"] == "gyokaku/report/v2"
    assert got["layout"] == "card"
    first = got["items"][0]
    assert (first["id"], first["number"], first["rating"]["code"]) == ("1", 1, "on_track")
    values = [v["text"] for t in first["targets"] for v in t["values"]] + [
        v["text"] for i in got["items"] for t in i["targets"] for v in t["values"]]
    assert "1,234" in values


def test_parse_pdf_gives_the_golden_document():
    got = gyokaku.parse("fixtures/layouts/shimotsukidai-r5.pdf")
    assert got == golden("layouts/shimotsukidai-r5.pdf.json")
    assert got["source"]["media_type"] == "application/pdf"
    assert got["layout"] == "inferred"
    texts = [v["text"] for i in got["items"] for t in i["targets"] for v in t["values"]]
    assert "18.0%" in texts


def test_parse_bytes_records_the_name_given():
    with open("fixtures/text/card-basic.txt", "rb") as f:
        data = f.read()
    got = gyokaku.parse(data, name="uploads/card.txt")
    want = golden("card-basic.json")
    assert got["source"]["path"] == "uploads/card.txt"
    got["source"]["path"] = want["source"]["path"]
    assert got == want
    assert gyokaku.parse(bytearray(data))["source"]["path"] == "-"


def test_profile_and_options():
    got = gyokaku.parse("fixtures/text/third-layout.txt", profile="fixtures/profiles/third.toml")
    assert got == golden("third-layout.json")
    named = gyokaku.parse("fixtures/text/card-basic.txt", municipality="架空町")
    assert named["municipality"] == "架空町"


def test_errors_carry_kind_and_location():
    with pytest.raises(gyokaku.GyokakuError) as e:
        gyokaku.parse("fixtures/text/not-a-report.txt")
    assert e.value.kind == "not-a-report"
    assert e.value.file == "fixtures/text/not-a-report.txt"
    assert str(e.value).startswith("fixtures/text/not-a-report.txt: not-a-report: no layout reads it as a report: card: ")
    with pytest.raises(gyokaku.GyokakuError) as e:
        gyokaku.parse("fixtures/text/no-such-file.txt")
    assert (e.value.kind, e.value.file) == ("io", "fixtures/text/no-such-file.txt")
    with pytest.raises(gyokaku.GyokakuError) as e:
        gyokaku.parse("fixtures/text/card-basic.txt", profile="fixtures/profiles/no-such.toml")
    assert (e.value.kind, e.value.file) == ("profile", "fixtures/profiles/no-such.toml")
    with pytest.raises(gyokaku.GyokakuError) as e:
        gyokaku.parse("fixtures/text/card-basic.txt", encoding="klingon")
    assert e.value.kind == "usage"
    assert isinstance(e.value, Exception)


def test_parse_many_yields_errors_as_values_in_order():
    paths = ["fixtures/text/card-basic.txt", "fixtures/text/not-a-report.txt", "fixtures/text/missing.txt",
             "fixtures/layouts/shimotsukidai-r5.pdf", "fixtures/text/table-basic.txt"]
    results = list(gyokaku.parse_many(paths, jobs=2, chunk=2))
    assert [r.path for r in results] == paths
    assert [r.ok for r in results] == [True, False, False, True, True]
    assert [r.error.kind for r in results if not r.ok] == ["not-a-report", "io"]
    assert results[1].report is None
    assert results[0].report == golden("card-basic.json")
    assert results[3].report == golden("layouts/shimotsukidai-r5.pdf.json")
    assert results[4].report == golden("table-basic.json")


def test_parse_many_walks_folders_and_jobs_do_not_change_results():
    want = sorted(f for f in os.listdir("fixtures/text") if f.endswith(".txt"))
    one = list(gyokaku.parse_many("fixtures/text", jobs=1))
    two = list(gyokaku.parse_many(["fixtures/text"], jobs=2, chunk=3))
    assert [os.path.basename(r.path) for r in one] == want
    def view(results):
        return [(r.path, r.report, r.error and (r.error.kind, str(r.error))) for r in results]

    assert view(one) == view(two)
    assert {os.path.basename(r.path) for r in one if not r.ok} == {"empty.txt", "not-a-report.txt"}


def test_parsing_releases_the_gil():
    # While one thread parses a long batch in Rust, another Python thread keeps running.
    paths = ["fixtures/layouts/shimotsukidai-r5.pdf"] * 40
    done = threading.Event()
    ticks = []

    def other():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    t = threading.Thread(target=other)
    t.start()
    before = len(ticks)
    results = list(gyokaku.parse_many(paths, jobs=1, chunk=40))
    during = len(ticks) - before
    done.set()
    t.join()
    assert all(r.ok for r in results) and len(results) == 40
    assert during >= 5, f"the other thread ran {during} times during the parse"
