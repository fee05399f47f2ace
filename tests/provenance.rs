//! Provenance: every target value, finding, rating, schedule cell, progress status and goal and
//! every bullet-list entry says where it was read, and in a PDF its box holds the glyphs of its
//! text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn parse(path: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .arg("parse")
        .arg(path)
        .output()
        .expect("run gyokaku");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn fixture_pdfs() -> Vec<PathBuf> {
    let root = common::root().join("fixtures");
    let mut out = Vec::new();
    for dir in ["pdf", "layouts"] {
        for e in std::fs::read_dir(root.join(dir)).expect("fixture folder") {
            let p = e.expect("entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.ends_with(".pdf") && !name.starts_with("not-report") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn inside(inner: [f32; 4], outer: &[f64]) -> bool {
    let e = 0.2;
    f64::from(inner[0]) >= outer[0] - e
        && f64::from(inner[1]) >= outer[1] - e
        && f64::from(inner[2]) <= outer[2] + e
        && f64::from(inner[3]) <= outer[3] + e
}

#[test]
fn target_value_boxes_hold_the_glyphs_of_their_text() {
    let pdfs = fixture_pdfs();
    assert!(pdfs.len() >= 8, "{pdfs:?}");
    let mut checked = 0;
    for path in pdfs {
        let report = parse(&path);
        let bytes = std::fs::read(&path).expect("read");
        let doc = gyokaku::ingest(&bytes, &gyokaku::Options::default()).expect("ingest");
        let geo = doc.geometry.as_ref().expect("a PDF has geometry");
        for item in report["items"].as_array().expect("items") {
            for t in item["targets"].as_array().expect("targets") {
                for v in t["values"].as_array().expect("values") {
                    let Some(text) = v["text"].as_str() else {
                        assert!(v.get("source").is_none(), "{v}");
                        continue;
                    };
                    let src = &v["source"];
                    let page = src["page"].as_u64().unwrap_or_else(|| {
                        panic!("{}: {} {v}: no page", path.display(), item["id"])
                    }) as u32;
                    let bbox: Vec<f64> = src["bbox"]
                        .as_array()
                        .unwrap_or_else(|| panic!("{}: {v}: no bbox", path.display()))
                        .iter()
                        .map(|n| n.as_f64().expect("number"))
                        .collect();
                    assert_eq!(bbox.len(), 4);
                    assert!(bbox[0] < bbox[2] && bbox[1] < bbox[3], "{bbox:?}");
                    let pg = geo.page(page).expect("page geometry");
                    for ch in text.chars().filter(|c| !c.is_whitespace()) {
                        let ch = gyokaku::normalize::normalize(&ch.to_string());
                        assert!(
                            pg.glyphs.iter().any(|g| {
                                gyokaku::normalize::normalize(&g.text) == ch
                                    && inside(g.bbox, &bbox)
                            }),
                            "{}: item {} value {text:?}: no glyph {ch:?} inside {bbox:?}",
                            path.display(),
                            item["id"]
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    eprintln!("target values checked against their glyphs: {checked}");
    assert!(checked >= 40, "only {checked} target values checked");
}

#[test]
fn total_value_boxes_hold_the_glyphs_of_their_text() {
    let mut checked = 0;
    for path in fixture_pdfs() {
        let report = parse(&path);
        let totals = report["totals"].as_array().expect("totals");
        if totals.is_empty() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let doc = gyokaku::ingest(&bytes, &gyokaku::Options::default()).expect("ingest");
        let geo = doc.geometry.as_ref().expect("a PDF has geometry");
        for t in totals {
            for v in t["values"].as_array().expect("values") {
                let Some(text) = v["text"].as_str() else {
                    continue;
                };
                let what = format!("{}: total {} {}", path.display(), t["name"], v["label"]);
                assert_box_holds(geo, &what, text, &v["source"]);
                checked += 1;
            }
        }
    }
    eprintln!("total values checked against their glyphs: {checked}");
    assert!(checked >= 4, "only {checked} total values checked");
}

/// Panics unless each character of `text` is a glyph of page `src.page` inside `src.bbox`;
/// gives the box.
fn assert_box_holds(
    geo: &gyokaku::source::Geometry,
    what: &str,
    text: &str,
    src: &Value,
) -> Vec<f64> {
    let page = src["page"]
        .as_u64()
        .unwrap_or_else(|| panic!("{what}: no page in {src}")) as u32;
    let bbox: Vec<f64> = src["bbox"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no bbox in {src}"))
        .iter()
        .map(|n| n.as_f64().expect("number"))
        .collect();
    assert_eq!(bbox.len(), 4, "{what}");
    assert!(bbox[0] < bbox[2] && bbox[1] < bbox[3], "{what}: {bbox:?}");
    let pg = geo.page(page).expect("page geometry");
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        let ch = gyokaku::normalize::normalize(&ch.to_string());
        assert!(
            pg.glyphs
                .iter()
                .any(|g| gyokaku::normalize::normalize(&g.text) == ch && inside(g.bbox, &bbox)),
            "{what} {text:?}: no glyph {ch:?} inside {bbox:?}"
        );
    }
    bbox
}

/// Entries of a list with their places (`plan` with `plan_sources`, …).
fn entries<'a>(owner: &'a Value, list: &str) -> Vec<(&'a str, &'a Value)> {
    let texts = owner[list].as_array().expect("list");
    let sources = owner[format!("{list}_sources").as_str()].as_array();
    if let Some(s) = sources {
        assert_eq!(s.len(), texts.len(), "{list}: one source per entry");
    }
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let src = sources.and_then(|s| s.get(i)).unwrap_or(&Value::Null);
            (t.as_str().expect("entry"), src)
        })
        .collect()
}

#[test]
fn status_goal_and_list_entry_boxes_hold_the_glyphs_of_their_text() {
    let mut statuses = 0;
    let mut goals = 0;
    let (mut entries_placed, mut entries_all) = (0, 0);
    for path in fixture_pdfs() {
        let report = parse(&path);
        let bytes = std::fs::read(&path).expect("read");
        let doc = gyokaku::ingest(&bytes, &gyokaku::Options::default()).expect("ingest");
        let geo = doc.geometry.as_ref().expect("a PDF has geometry");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        for item in report["items"].as_array().expect("items") {
            let id = &item["id"];
            let mut lists = vec![
                ("current_state", entries(item, "current_state")),
                ("plan", entries(item, "plan")),
            ];
            for p in item["progress"].as_array().expect("progress") {
                if let Some(text) = p["status"]["text"].as_str() {
                    let what = format!("{name}: item {id} status");
                    assert_box_holds(geo, &what, text, &p["status"]["source"]);
                    statuses += 1;
                }
                if let Some(text) = p["goal"].as_str() {
                    let what = format!("{name}: item {id} goal");
                    assert_box_holds(geo, &what, text, &p["goal_source"]);
                    goals += 1;
                }
                lists.push(("activities", entries(p, "activities")));
                lists.push(("next_steps", entries(p, "next_steps")));
            }
            for (list, es) in lists {
                for (i, (text, src)) in es.into_iter().enumerate() {
                    entries_all += 1;
                    if src.is_null() {
                        continue;
                    }
                    let what = format!("{name}: item {id} {list}[{i}]");
                    assert_box_holds(geo, &what, text, src);
                    entries_placed += 1;
                }
            }
        }
    }
    eprintln!(
        "checked against their glyphs: {statuses} statuses, {goals} goals, \
         {entries_placed} of {entries_all} list entries placed"
    );
    assert!(statuses >= 20, "{statuses} statuses");
    assert!(goals >= 5, "{goals} goals");
    assert!(
        entries_placed * 10 >= entries_all * 9 && entries_placed >= 50,
        "{entries_placed} of {entries_all} list entries placed"
    );
}

#[test]
fn a_finding_on_one_line_of_a_cell_gets_the_box_of_that_line() {
    // Item 1 of card-basic: four findings in one cell of four printed lines.
    let path = common::root().join("fixtures/pdf/card-basic.calc.pdf");
    let report = parse(&path);
    let bytes = std::fs::read(&path).expect("read");
    let doc = gyokaku::ingest(&bytes, &gyokaku::Options::default()).expect("ingest");
    let geo = doc.geometry.as_ref().expect("a PDF has geometry");
    let findings = report["items"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 4);
    let mut boxes = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let text = f["text"].as_str().expect("text");
        let b = assert_box_holds(geo, &format!("finding {i}"), text, &f["source"]);
        // One printed line of 8-point text: not the 4-line cell.
        let h = b[3] - b[1];
        assert!(h > 4.0 && h < 12.0, "finding {i}: height {h} of {b:?}");
        boxes.push(b);
    }
    // Consecutive lines in order, one below the other, and consecutive line numbers.
    for (i, w) in boxes.windows(2).enumerate() {
        assert!(w[0][3] <= w[1][1] + 0.2, "findings {i}, {}: {w:?}", i + 1);
        let (a, b) = (
            &findings[i]["source"]["line"],
            &findings[i + 1]["source"]["line"],
        );
        assert_eq!(
            b.as_u64(),
            a.as_u64().map(|l| l + 1),
            "lines of findings {i}, {}",
            i + 1
        );
    }
}

#[test]
fn every_value_kind_is_placed_in_a_pdf() {
    let report = parse(&common::root().join("fixtures/pdf/card-basic.calc.pdf"));
    let item = &report["items"][0];
    let cases: Vec<(&str, &Value)> = vec![
        ("item", &item["source"]),
        ("field", &item["fields"][0]["source"]),
        ("rating", &item["rating"]["source"]),
        ("finding", &item["findings"][0]["source"]),
        ("target value", &item["targets"][0]["values"][0]["source"]),
        ("status", &item["progress"][0]["status"]["source"]),
        ("goal", &item["progress"][0]["goal_source"]),
        ("current_state", &item["current_state_sources"][0]),
        ("plan", &item["plan_sources"][0]),
        ("activities", &item["progress"][0]["activities_sources"][0]),
        ("next_steps", &item["progress"][0]["next_steps_sources"][0]),
    ];
    for (what, src) in cases {
        assert_eq!(src["page"], 1, "{what}: {src}");
        assert!(src["line"].as_u64().is_some_and(|l| l > 0), "{what}: {src}");
        assert_eq!(
            src["bbox"].as_array().map(Vec::len),
            Some(4),
            "{what}: {src}"
        );
    }
    // The rating 順調 is the only text inside its box: a small box on one line.
    let b = &item["rating"]["source"]["bbox"];
    let h = b[3].as_f64().expect("y1") - b[1].as_f64().expect("y0");
    assert!(h > 4.0 && h < 14.0, "{b}");
}

#[test]
fn text_lines_of_findings_and_values_hold_their_text() {
    let path = common::root().join("fixtures/text/card-basic.txt");
    let text = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let report = parse(&path);
    let mut checked = 0;
    for item in report["items"].as_array().expect("items") {
        let mut places: Vec<(String, &Value)> = Vec::new();
        for f in item["findings"].as_array().expect("findings") {
            places.push((f["text"].as_str().expect("text").into(), &f["source"]));
        }
        for t in item["targets"].as_array().expect("targets") {
            for v in t["values"].as_array().expect("values") {
                if let Some(s) = v["text"].as_str() {
                    places.push((s.into(), &v["source"]));
                }
            }
        }
        if let Some(r) = item["rating"].as_object() {
            places.push((r["text"].as_str().expect("text").into(), &r["source"]));
        }
        for (want, src) in places {
            assert!(src["page"].is_null(), "{src}");
            assert!(src.get("bbox").is_none(), "{src}");
            let n = src["line"].as_u64().expect("line") as usize;
            let line: String = lines[n - 1].split_whitespace().collect();
            let head: String = want
                .split_whitespace()
                .collect::<String>()
                .chars()
                .take(8)
                .collect();
            let line = gyokaku::normalize::normalize(&line);
            assert!(line.contains(&head), "line {n} {line:?} lacks {head:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn spreadsheet_and_word_values_name_their_cell() {
    // (file, the rating's place, a field's label and its place, the first plan entry's place)
    let cases = [
        (
            "shirasagidai-r5.xlsx",
            "取組状況!H5",
            "取組内容",
            "取組状況!",
            "取組状況!D5",
        ),
        ("shirasagidai-r5.docx", "p7", "計画", "t1.r2.c3", "p6"),
    ];
    for (name, rating, label, field, plan) in cases {
        let report = parse(&common::root().join("fixtures/office").join(name));
        let item = &report["items"][0];
        assert_eq!(item["rating"]["source"]["cell"], rating, "{name}");
        // The status is read from the rating: the same cell.
        assert_eq!(
            item["progress"][0]["status"]["source"]["cell"], rating,
            "{name}"
        );
        assert_eq!(item["plan_sources"][0]["cell"], plan, "{name}");
        assert!(item["plan_sources"][0].get("bbox").is_none(), "{name}");
        let f = item["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["label"] == label)
            .unwrap_or_else(|| panic!("{name}: no field {label}"));
        let cell = f["source"]["cell"].as_str().expect("cell");
        assert!(cell.starts_with(field), "{name}: {cell}");
        assert!(
            item["source"]["cell"]
                .as_str()
                .is_some_and(|c| !c.is_empty()),
            "{name}"
        );
    }
}
