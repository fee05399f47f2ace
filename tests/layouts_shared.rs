//! The office originals in `../shared/layouts/` (`NAME.xlsx`, `NAME.docx`) read into the same rows
//! and cells as `NAME.txt`, what a table-aware converter prints from the PDF of the same document.
//! Cells are compared with whitespace removed; page furniture of the PDF (repeated header rows,
//! page headers, page numbers `- n -`) may appear in `NAME.txt` only. Skipped, with a note, when
//! `../shared` is absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/layouts");
    dir.is_dir().then_some(dir)
}

/// A row as compared: cells without whitespace, trailing empty cells dropped.
fn norm(cells: &[String]) -> Vec<String> {
    let mut v: Vec<String> = cells
        .iter()
        .map(|c| c.chars().filter(|ch| !ch.is_whitespace()).collect())
        .collect();
    while v.last().is_some_and(String::is_empty) {
        v.pop();
    }
    v
}

fn is_page_number(row: &[String]) -> bool {
    let [only] = row else { return false };
    let t = only.trim_matches('-');
    only.starts_with('-')
        && only.ends_with('-')
        && !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit())
}

/// Compare our rows with the converter's; returns the differences.
fn compare(ours: &[Vec<String>], theirs: &[Vec<String>]) -> Vec<String> {
    let mut count: HashMap<&Vec<String>, usize> = HashMap::new();
    for t in theirs {
        *count.entry(t).or_default() += 1;
    }
    let mut diffs = Vec::new();
    let mut i = 0;
    for t in theirs {
        if ours.get(i) == Some(t) {
            i += 1;
        } else if is_page_number(t)
            || count.get(t).copied().unwrap_or(0) > 1
            || ours[..i].contains(t)
        {
            // page furniture or a repeated header
        } else if ours.get(i + 1) == Some(t) {
            diffs.push(format!("only in ours: {:?}", ours[i]));
            i += 2;
        } else {
            diffs.push(format!(
                "their row {:?}\n    our row {:?}",
                t,
                ours.get(i).cloned().unwrap_or_default()
            ));
            if !theirs.contains(ours.get(i).unwrap_or(&Vec::new())) {
                i += 1;
            }
        }
    }
    for o in ours.iter().skip(i) {
        diffs.push(format!("only in ours (at the end): {o:?}"));
    }
    diffs
}

#[test]
fn office_originals_match_the_table_text() {
    let Some(dir) = shared() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xlsx" | "docx")
            )
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no .xlsx/.docx in {}", dir.display());
    let mut failures = Vec::new();
    for path in &names {
        let bytes = std::fs::read(path).unwrap();
        let name = path.to_string_lossy().to_string();
        let doc = gyokaku::ingest_named(&bytes, Some(&name), &gyokaku::Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let ours: Vec<Vec<String>> = doc
            .lines
            .iter()
            .map(|l| norm(&l.cells))
            .filter(|r| !r.is_empty())
            .collect();
        let txt = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        let theirs: Vec<Vec<String>> = txt
            .lines()
            .map(|l| norm(&l.split('\t').map(str::to_string).collect::<Vec<_>>()))
            .filter(|r| !r.is_empty())
            .collect();
        let diffs = compare(&ours, &theirs);
        eprintln!(
            "{}: {} rows, {} rows in the .txt, {} differences",
            path.file_name().unwrap().to_string_lossy(),
            ours.len(),
            theirs.len(),
            diffs.len()
        );
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", name, diffs.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
