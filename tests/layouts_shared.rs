//! The office originals in `../shared/layouts/` (`NAME.xlsx`, `NAME.docx`) read into the same rows
//! and cells as `NAME.txt`, what a table-aware converter prints from the PDF of the same document.
//! Cells are compared with whitespace removed; page furniture of the PDF (repeated header rows,
//! page headers, page numbers `- n -`) may appear in `NAME.txt` only. Skipped, with a note, when
//! `../shared` is absent.

mod common;

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
        common::skip("../shared not found");
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

/// Share of the converter's cells (whitespace removed, furniture included) found among ours.
fn cell_recall(ours: &[Vec<String>], theirs: &[Vec<String>]) -> (usize, usize) {
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for c in ours.iter().flatten().filter(|c| !c.is_empty()) {
        *pool.entry(c.as_str()).or_default() += 1;
    }
    let (mut found, mut total) = (0, 0);
    for c in theirs.iter().flatten().filter(|c| !c.is_empty()) {
        total += 1;
        if let Some(n) = pool.get_mut(c.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            found += 1;
        }
    }
    (found, total)
}

/// `pdftotext -layout` texts are recognised as space-aligned and rebuilt into cells by the PDF
/// layout engine; how many of the table text's cells come out exactly is printed (measured, not
/// required: a column gap of one space or a header row directly above a row cannot be told
/// from a wrapped cell by positions alone). The text itself must survive whole.
#[test]
fn layout_texts_are_rebuilt_into_cells() {
    let Some(dir) = shared() else {
        common::skip("../shared not found");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".layout.txt"))
        .collect();
    names.sort();
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
        let stem = name.trim_end_matches(".layout.txt");
        let txt = std::fs::read_to_string(format!("{stem}.txt")).unwrap();
        let theirs: Vec<Vec<String>> = txt
            .lines()
            .map(|l| norm(&l.split('\t').map(str::to_string).collect::<Vec<_>>()))
            .filter(|r| !r.is_empty())
            .collect();
        let (found, total) = cell_recall(&ours, &theirs);
        let rows_same = theirs.iter().filter(|t| ours.contains(t)).count();
        eprintln!(
            "{}: {} ({}), cells found {found}/{total} ({:.0}%), rows identical {rows_same}/{} ({:.0}%)",
            path.file_name().unwrap().to_string_lossy(),
            doc.media_type,
            doc.lines.len(),
            100.0 * found as f64 / total.max(1) as f64,
            theirs.len(),
            100.0 * rows_same as f64 / theirs.len().max(1) as f64
        );
        if doc.media_type.contains("layout=aligned") {
            assert!(found * 100 >= total * 65, "{name}: {found}/{total} cells");
        }
        // no text lost or invented: the same characters, whitespace aside
        let chars = |s: &str| {
            let mut v: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
            v.sort_unstable();
            v
        };
        let src = String::from_utf8_lossy(&bytes).to_string();
        assert_eq!(chars(&doc.to_text()), chars(&src), "{name}: text changed");
    }
}
