//! The batch "done means" test: a temp tree with both layouts, texts (and PDFs when there are
//! fixture or corpus PDFs), nested folders, a damaged PDF, a text that is not a report and an empty
//! file. Every good file's output is present and complete (byte-identical to what `gyokaku parse
//! FILE` prints for it), each bad file has exactly one error record, the exit code is 1, no temp
//! files are left, and `-j 1` and `-j 4` write identical outputs.

mod batch_common;

use batch_common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const NOVEL: &str =
    "昔々、山あいの村に一匹の猫が住んでいました。\n猫は毎朝、川へ魚を見に行きました。\n\
                     ある日、川の水が澄んでいて、猫は自分の顔を初めて見ました。\n";

#[test]
fn batch_tree_mixed_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // Good texts: (relative path, items).
    let texts: Vec<(&str, String, usize)> = vec![
        ("2021/mihon-shi/card.txt", card_report("見本市", 3, 4), 4),
        ("2021/mihon-cho/table.txt", table_report("見本町", 3, 3), 3),
        ("2022/mihon-shi/card.txt", card_report("見本市", 4, 5), 5),
        (
            "2022/mihon-cho/nested/deeper/table.text",
            table_report("見本町", 4, 2),
            2,
        ),
        ("2022/sample-mura/Card.TXT", card_report("見本村", 4, 1), 1),
    ];
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("broken/damaged.pdf", damaged_pdf()),
        ("broken/novel.txt", NOVEL.as_bytes().to_vec()),
        ("2021/empty.txt", Vec::new()),
    ];
    let mut files: Vec<(&str, Vec<u8>)> = texts
        .iter()
        .map(|(p, t, _)| (*p, t.as_bytes().to_vec()))
        .collect();
    files.extend(bad.iter().cloned());
    files.push(("2021/notes.zip", b"PK\x03\x04 not a report".to_vec()));
    write_tree(&root.join("archive"), &files);
    // The project's fixture PDFs and texts (both layouts), when present, in folders of their own.
    let copies: Vec<PathBuf> = good_pdfs().into_iter().chain(fixture_texts()).collect();
    let copy_names: Vec<String> = copies
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let folder = if name.ends_with(".pdf") {
                "pdf"
            } else {
                "fixtures/text"
            };
            format!("{folder}/{name}")
        })
        .collect();
    let pdf_names: Vec<String> = copy_names
        .iter()
        .filter(|n| n.ends_with(".pdf"))
        .cloned()
        .collect();
    for (src, rel) in copies.iter().zip(&copy_names) {
        let dest = root.join("archive").join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(src, dest).unwrap();
    }

    // What `gyokaku parse FILE` says about each input decides what the batch must say about it.
    let mut expect_ok: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut expect_err: BTreeMap<String, String> = BTreeMap::new();
    let all: Vec<String> = files
        .iter()
        .map(|(p, _)| p.to_string())
        .filter(|p| !p.ends_with(".zip"))
        .chain(copy_names.iter().cloned())
        .collect();
    for rel in &all {
        let shown = format!("archive/{rel}");
        let o = run_in(root, &["parse", &shown], None);
        if o.status.success() {
            expect_ok.insert(rel.clone(), o.stdout);
        } else {
            assert_eq!(o.status.code(), Some(1), "{shown}: {}", stderr(&o));
            assert!(
                o.stdout.is_empty(),
                "{shown}: a failure prints nothing on stdout"
            );
            expect_err.insert(rel.clone(), stderr(&o).trim_end().to_string());
        }
    }
    for (p, _, _) in &texts {
        assert!(
            expect_ok.contains_key(*p),
            "{p} should parse: {:?}",
            expect_err.get(*p)
        );
    }
    for (p, _) in &bad {
        assert!(expect_err.contains_key(*p), "{p} should fail");
    }
    // The fixture PDFs and texts are good reports, in both layouts.
    for p in &copy_names {
        assert!(
            expect_ok.contains_key(p),
            "{p} should parse: {:?}",
            expect_err.get(p)
        );
    }
    let layouts: BTreeSet<String> = expect_ok
        .values()
        .map(|j| json(j)["layout"].as_str().unwrap().to_string())
        .collect();
    assert!(
        layouts.contains("card") && layouts.contains("table"),
        "{layouts:?}"
    );
    let pdfs_ok = expect_ok.keys().filter(|k| k.ends_with(".pdf")).count();
    assert_eq!(pdfs_ok, pdf_names.len());

    let mut trees = Vec::new();
    for jobs in ["1", "4"] {
        let out = format!("out-j{jobs}");
        let o = run_in(
            root,
            &[
                "parse",
                "archive",
                "-o",
                &out,
                "-j",
                jobs,
                "--format",
                "json,jsonl,csv",
            ],
            None,
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "some files failed → exit 1; stderr: {}",
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(
            !err.contains('\u{1b}'),
            "no escape codes when stderr is not a terminal"
        );
        // One stderr line per bad file, as `gyokaku parse FILE` prints it.
        for (rel, line) in &expect_err {
            assert_eq!(
                err.lines()
                    .filter(|l| l.starts_with(&format!("gyokaku: archive/{rel}: ")))
                    .count(),
                1,
                "{err}"
            );
            assert!(
                err.lines().any(|l| l == line),
                "batch and single runs differ for {rel}:\n{line}\n{err}"
            );
        }
        let tree = read_tree(&root.join(&out));
        assert!(temp_files(&root.join(&out)).is_empty());
        assert!(read_tree(&root.join("archive"))
            .keys()
            .all(|k| !k.ends_with(TMP_SUFFIX)));

        // Every good input's JSON, complete.
        for (rel, want) in &expect_ok {
            let got = tree
                .get(&format!("{rel}.json"))
                .unwrap_or_else(|| panic!("no output for {rel}"));
            assert_eq!(
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(want),
                "{rel}"
            );
        }
        for (rel, _, n) in &texts {
            let doc = json(&tree[&format!("{rel}.json")]);
            assert_eq!(doc["items"].as_array().unwrap().len(), *n, "{rel}");
            assert_eq!(doc["source"]["path"], format!("archive/{rel}"));
        }
        // No output for bad inputs, and one error record each.
        for rel in expect_err.keys() {
            assert!(
                !tree.contains_key(&format!("{rel}.json")),
                "{rel} failed but has an output"
            );
        }
        let errors: Vec<serde_json::Value> = String::from_utf8(tree["errors.jsonl"].clone())
            .unwrap()
            .lines()
            .map(|l| json(l.as_bytes()))
            .collect();
        let error_files: Vec<String> = errors
            .iter()
            .map(|e| e["file"].as_str().unwrap().to_string())
            .collect();
        let want_files: BTreeSet<String> =
            expect_err.keys().map(|r| format!("archive/{r}")).collect();
        assert_eq!(error_files.len(), want_files.len(), "{error_files:?}");
        assert_eq!(
            error_files.iter().cloned().collect::<BTreeSet<_>>(),
            want_files
        );
        for e in &errors {
            for k in ["stage", "kind", "message"] {
                assert!(!e[k].as_str().unwrap().is_empty(), "{e}");
            }
            let line = &expect_err[e["file"].as_str().unwrap().trim_start_matches("archive/")];
            assert!(
                line.ends_with(e["message"].as_str().unwrap()),
                "{line} / {e}"
            );
        }
        let empty = errors
            .iter()
            .find(|e| e["file"] == "archive/2021/empty.txt")
            .unwrap();
        assert_eq!(empty["stage"], "parse");
        assert_eq!(empty["kind"], "not-a-report");

        // Summary.
        let s = json(&tree["summary.json"]);
        let items: usize = expect_ok
            .values()
            .map(|j| json(j)["items"].as_array().unwrap().len())
            .sum();
        assert_eq!(s["schema"], "gyokaku/summary/v1");
        assert_eq!(s["files"], all.len());
        assert_eq!(s["parsed"], expect_ok.len());
        assert_eq!(s["skipped"], 0);
        assert_eq!(s["failed"], expect_err.len());
        assert_eq!(s["ignored"], 1);
        assert_eq!(s["ignored_files"][0]["file"], "archive/2021/notes.zip");
        assert_eq!(s["items"], items);
        assert_eq!(s["errors"].as_array().unwrap().len(), expect_err.len());
        assert_eq!(s["outputs"]["json_files"], expect_ok.len());
        assert_eq!(s["outputs"]["jsonl_lines"], items);
        assert_eq!(s["outputs"]["csv_rows"]["items.csv"], items);
        let grouped: u64 = s["status_counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["items"].as_u64().unwrap())
            .sum();
        assert_eq!(grouped as usize, items);
        // The card reports' statuses: 順調, 遅れている, 達成 in turn → 4+5+1 items.
        let on_track: u64 = s["status_counts"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|g| g["statuses"]["on_track"].as_u64())
            .sum();
        // The summary's on_track count is the sum over the per-file outputs.
        let from_outputs: u64 = tree
            .iter()
            .filter(|(k, _)| k.ends_with(".json") && k.as_str() != "summary.json")
            .map(|(_, v)| {
                let doc = json(v);
                doc["items"]
                    .as_array()
                    .map(|items| {
                        items
                            .iter()
                            .filter(|i| {
                                i["progress"].as_array().is_some_and(|p| {
                                    p.iter().any(|b| b["status"]["code"] == "on_track")
                                })
                            })
                            .count() as u64
                    })
                    .unwrap_or(0)
            })
            .sum();
        assert!(on_track > 2 + 2, "{s}");
        assert_eq!(on_track, from_outputs, "{s}");

        // JSONL: one line per item, in input order.
        let jsonl = String::from_utf8(tree["items.jsonl"].clone()).unwrap();
        let lines: Vec<serde_json::Value> = jsonl.lines().map(|l| json(l.as_bytes())).collect();
        assert_eq!(lines.len(), items);
        let mut order: Vec<String> = Vec::new();
        for l in &lines {
            assert_eq!(l["schema"], "gyokaku/item-line/v2");
            let p = l["source_path"].as_str().unwrap().to_string();
            if order.last() != Some(&p) {
                order.push(p);
            }
        }
        let mut sorted_paths: Vec<String> =
            expect_ok.keys().map(|r| format!("archive/{r}")).collect();
        sorted_paths.sort();
        assert_eq!(
            order.len(),
            sorted_paths.len(),
            "items of one file are contiguous"
        );

        // CSV: BOM, header, one row per item.
        let items_csv = &tree["items.csv"];
        assert!(items_csv.starts_with(b"\xEF\xBB\xBF"));
        let mut r = csv::Reader::from_reader(&items_csv[3..]);
        assert_eq!(r.records().count(), items);
        trees.push(tree);
    }
    assert_eq!(
        trees[0].keys().collect::<Vec<_>>(),
        trees[1].keys().collect::<Vec<_>>()
    );
    for (k, v) in &trees[0] {
        assert!(trees[1][k] == *v, "{k} differs between -j 1 and -j 4");
    }
}
