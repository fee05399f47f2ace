//! Batch runs beyond the main tree test: re-runs skip up-to-date inputs (unless --force), stale
//! temp files are cleaned, CP932 CSV refuses what it cannot encode, JSONL streams to stdout,
//! several inputs are named without collisions.

mod batch_common;

use batch_common::*;

fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(
        &tmp.path().join("in"),
        &[
            ("a/card.txt", card_report("見本市", 3, 3).into_bytes()),
            ("b/table.txt", table_report("見本町", 3, 2).into_bytes()),
        ],
    );
    tmp
}

#[test]
fn rerun_skips_up_to_date_inputs_unless_forced() {
    let tmp = tree();
    let root = tmp.path();
    let o = run_in(
        root,
        &["parse", "in", "-o", "out", "--format", "json,jsonl,csv"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 files: 2 parsed, 0 up to date, 0 failed; 5 items"),
        "{}",
        stderr(&o)
    );
    let first = read_tree(&root.join("out"));

    // A leftover temp file from an interrupted run is removed; up-to-date inputs are skipped and
    // the run-level outputs still cover them.
    std::fs::write(
        root.join("out/a/.card.txt.json.999-0.gyokaku-tmp"),
        "partial",
    )
    .unwrap();
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "--format",
            "json,jsonl,csv",
            "-v",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("skipped in/a/card.txt (up to date: a/card.txt.json)"),
        "{err}"
    );
    assert!(err.contains("skipped in/b/table.txt"), "{err}");
    assert!(err.contains("2 files: 0 parsed, 2 up to date"), "{err}");
    assert!(temp_files(&root.join("out")).is_empty());
    let second = read_tree(&root.join("out"));
    for (k, v) in &first {
        if k != "summary.json" {
            assert!(second[k] == *v, "{k} changed on a re-run");
        }
    }
    let s = json(&second["summary.json"]);
    assert_eq!(
        (
            s["parsed"].as_u64(),
            s["skipped"].as_u64(),
            s["items"].as_u64()
        ),
        (Some(0), Some(2), Some(5))
    );

    // A changed input is parsed again; the other is still skipped.
    std::fs::write(root.join("in/b/table.txt"), table_report("見本町", 3, 4)).unwrap();
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "--format",
            "json,jsonl,csv",
            "-v",
        ],
        None,
    );
    let err = stderr(&o);
    assert!(
        err.contains("parsed  in/b/table.txt → b/table.txt.json (4 items"),
        "{err}"
    );
    assert!(err.contains("skipped in/a/card.txt"), "{err}");
    assert_eq!(
        json(&std::fs::read(root.join("out/summary.json")).unwrap())["items"],
        7
    );

    // --force parses everything.
    let o = run_in(root, &["parse", "in", "-o", "out", "--force"], None);
    assert!(
        stderr(&o).contains("2 files: 2 parsed, 0 up to date"),
        "{}",
        stderr(&o)
    );
    // A different forced municipality makes the old output stale.
    let o = run_in(
        root,
        &["parse", "in", "-o", "out", "--municipality", "別名市"],
        None,
    );
    assert!(stderr(&o).contains("2 parsed"), "{}", stderr(&o));
    assert_eq!(
        json(&std::fs::read(root.join("out/a/card.txt.json")).unwrap())["municipality"],
        "別名市"
    );
}

#[test]
fn cp932_csv_names_the_cell_it_cannot_encode() {
    let tmp = tree();
    let root = tmp.path();
    let text = card_report("見本市", 3, 2).replace("手続きの見直し その2", "𠮟責の見直し");
    std::fs::write(root.join("in/a/card.txt"), text).unwrap();
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "--format",
            "json,csv",
            "--csv-encoding",
            "cp932",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "gyokaku: in/a/card.txt: output: items.csv row 3, column title, item 2: character '𠮟' (U+20B9F) \
             cannot be encoded in cp932; use --csv-encoding utf-8"
        ),
        "{err}"
    );
    let out = read_tree(&root.join("out"));
    // The JSON outputs are complete; no CSV at all (a partial set would not join); no temp files.
    assert!(out.contains_key("a/card.txt.json") && out.contains_key("b/table.txt.json"));
    assert!(out.keys().all(|k| !k.ends_with(".csv")), "{:?}", out.keys());
    assert!(temp_files(&root.join("out")).is_empty());
    let errors = String::from_utf8(out["errors.jsonl"].clone()).unwrap();
    let e = json(errors.lines().next().unwrap().as_bytes());
    assert_eq!(
        (e["stage"].as_str(), e["kind"].as_str()),
        (Some("csv"), Some("output"))
    );

    // Without the unencodable character, CP932 CSVs decode back to the same cells as UTF-8 ones.
    std::fs::write(root.join("in/a/card.txt"), card_report("見本市", 3, 2)).unwrap();
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "-o",
            "sj",
            "--format",
            "csv",
            "--csv-encoding",
            "cp932",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(root, &["parse", "in", "-o", "u8", "--format", "csv"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for t in [
        "items.csv",
        "targets.csv",
        "findings.csv",
        "schedule.csv",
        "progress.csv",
        "fields.csv",
    ] {
        let sj = std::fs::read(root.join("sj").join(t)).unwrap();
        let u8 = std::fs::read(root.join("u8").join(t)).unwrap();
        let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sj);
        assert!(!bad, "{t}");
        assert_eq!(decoded.as_bytes(), &u8[3..], "{t}");
    }
}

#[test]
fn jsonl_streams_to_stdout_in_order() {
    let tmp = tree();
    let root = tmp.path();
    let card = card_report("見本市", 3, 3);
    let o = run_in(
        root,
        &["parse", "in", "-", "--format", "jsonl", "-j", "2", "-q"],
        Some(card.as_bytes()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(lines.len(), 3 + 2 + 3);
    let paths: Vec<&str> = lines
        .iter()
        .map(|l| l["source_path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["in/a/card.txt"; 3]
            .iter()
            .chain(&["in/b/table.txt"; 2])
            .chain(&["-"; 3])
            .copied()
            .collect::<Vec<_>>()
    );
    let numbers: Vec<u64> = lines
        .iter()
        .map(|l| l["item"]["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 1, 2, 1, 2, 3]);
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["item"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "2", "3", "1", "2", "1", "2", "3"]);
    assert_eq!(lines[3]["layout"], "table");
    assert_eq!(lines[3]["fiscal_year"], 2021);
    assert!(!root.join("items.jsonl").exists());
}

#[test]
fn several_inputs_are_named_by_folder_and_file_name() {
    let tmp = tree();
    let root = tmp.path();
    write_tree(
        root,
        &[
            ("x/card.txt", card_report("見本市", 4, 1).into_bytes()),
            ("y/card.txt", card_report("見本市", 4, 2).into_bytes()),
            ("in2/a/card.txt", card_report("見本市", 4, 1).into_bytes()),
        ],
    );
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "x/card.txt",
            "y/card.txt",
            "in2",
            "-o",
            "out/",
            "-v",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = read_tree(&root.join("out"));
    let jsons: Vec<&str> = out
        .keys()
        .filter(|k| k.ends_with(".json") && *k != "summary.json")
        .map(String::as_str)
        .collect();
    assert_eq!(
        jsons,
        [
            "card.txt.json",
            "card.txt~2.json",
            "in/a/card.txt.json",
            "in/b/table.txt.json",
            "in2/a/card.txt.json"
        ]
    );
    assert_eq!(json(&out["card.txt.json"])["source"]["path"], "x/card.txt");
    assert_eq!(
        json(&out["card.txt~2.json"])["source"]["path"],
        "y/card.txt"
    );
    assert_eq!(
        json(&out["card.txt~2.json"])["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn one_file_into_a_folder_and_missing_inputs() {
    let tmp = tree();
    let root = tmp.path();
    let o = run_in(
        root,
        &["parse", "in/a/card.txt", "missing/x.txt", "-o", "out"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("gyokaku: missing/x.txt: io: cannot open: "),
        "{}",
        stderr(&o)
    );
    let out = read_tree(&root.join("out"));
    assert!(out.contains_key("card.txt.json"));
    let e = json(
        String::from_utf8(out["errors.jsonl"].clone())
            .unwrap()
            .trim()
            .as_bytes(),
    );
    assert_eq!(
        (e["file"].as_str(), e["stage"].as_str()),
        (Some("missing/x.txt"), Some("read"))
    );
    let o = run_in(root, &["parse", "in/b/table.txt", "-o", "one/"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(root.join("one/table.txt.json").is_file() && root.join("one/summary.json").is_file());
}

#[test]
fn time_budget_abandons_a_slow_file_and_keeps_going() {
    let tmp = tree();
    let root = tmp.path();
    // Thousands of items: far more than a second of parsing in a test build.
    std::fs::write(root.join("in/a/huge.txt"), card_report("見本市", 3, 20_000)).unwrap();
    let started = std::time::Instant::now();
    let o = run_in(
        root,
        &["parse", "in", "-o", "out", "--time-budget", "1", "-j", "2"],
        None,
    );
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("gyokaku: in/a/huge.txt: limit: time budget of 1 s exceeded (--time-budget); parsing abandoned"),
        "{}",
        stderr(&o)
    );
    assert!(
        took < std::time::Duration::from_secs(20),
        "the run waited for the abandoned parse: {took:?}"
    );
    let out = read_tree(&root.join("out"));
    assert!(out.contains_key("a/card.txt.json") && out.contains_key("b/table.txt.json"));
    assert!(!out.contains_key("a/huge.txt.json"));
    let e = json(
        String::from_utf8(out["errors.jsonl"].clone())
            .unwrap()
            .trim()
            .as_bytes(),
    );
    assert_eq!(
        (e["stage"].as_str(), e["kind"].as_str()),
        (Some("parse"), Some("limit"))
    );
    assert!(temp_files(&root.join("out")).is_empty());
}

#[test]
fn a_killed_run_leaves_only_complete_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            (
                format!("in/d{}/r{i:03}.txt", i / 10),
                card_report("見本市", 3, 25 + i % 7).into_bytes(),
            )
        })
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    write_tree(root, &refs);
    let mut child = std::process::Command::new(BIN)
        .args([
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
            "-q",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (harder than Ctrl-C) once some outputs exist.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let done = root
            .join("out/d0")
            .read_dir()
            .map(|d| d.count())
            .unwrap_or(0);
        if done >= 3 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let finished_already = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if finished_already {
        eprintln!("note: the run finished before it could be killed; checking its outputs anyway");
    }
    let out = read_tree(&root.join("out"));
    let mut complete = 0;
    for (k, v) in &out {
        if k.ends_with(TMP_SUFFIX) {
            continue;
        }
        if k.ends_with(".json") && k != "summary.json" {
            let doc = json(v);
            let n = doc["items"].as_array().unwrap().len();
            let i: usize = k
                .trim_end_matches(".txt.json")
                .rsplit('r')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(n, 25 + i % 7, "{k} is incomplete");
            complete += 1;
        }
    }
    assert!(complete >= 1, "{:?}", out.keys());
    if !finished_already {
        assert!(
            !out.contains_key("summary.json") && !out.contains_key("items.jsonl"),
            "{:?}",
            out.keys()
        );
    }
    // The next run cleans up and completes everything.
    let o = run_in(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(temp_files(&root.join("out")).is_empty());
    let s = json(&std::fs::read(root.join("out/summary.json")).unwrap());
    assert_eq!(s["files"], 40);
    assert_eq!(
        s["parsed"].as_u64().unwrap() + s["skipped"].as_u64().unwrap(),
        40
    );
    assert!(s["skipped"].as_u64().unwrap() >= complete as u64);
}
