//! Golden tests: `gyokaku text` of the office fixtures (made by scripts/make-office-fixtures.py)
//! is exactly `fixtures/office/NAME.EXT.golden`. `UPDATE_GOLDEN=1` rewrites the golden files.

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/office")
}

fn ingest(name: &str) -> gyokaku::source::SourceDoc {
    let path = dir().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    gyokaku::ingest_named(
        &bytes,
        Some(&path.to_string_lossy()),
        &gyokaku::Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn golden_texts() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "golden" && e != "md"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "{inputs:?}");
    let mut failed = Vec::new();
    for p in inputs {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = ingest(&name).to_text();
        let golden = dir().join(format!("{name}.golden"));
        if update {
            std::fs::write(&golden, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", golden.display()));
        if text != want {
            failed.push(format!("{name}:\n--- got\n{text}--- want\n{want}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The same report in every form gives the same table rows (the Word form is a narrative).
#[test]
fn tabular_forms_agree() {
    let rows = |name: &str| -> Vec<Vec<String>> {
        ingest(name)
            .lines
            .iter()
            .filter(|l| l.page.is_none_or(|p| p == 1))
            .map(|l| l.cells.clone())
            .collect()
    };
    let xlsx = rows("shirasagidai-r5.xlsx");
    assert_eq!(rows("shirasagidai-r5.xls"), xlsx);
    assert_eq!(rows("shirasagidai-r5.html"), xlsx);
    assert_eq!(rows("shirasagidai-r5.ods"), xlsx);
    let mut csv = rows("shirasagidai-r5.csv");
    // the CSV spells out the empty rate of the sub-row as "―"
    for r in &mut csv {
        if r.last().is_some_and(|c| c == "―") {
            r.pop();
        }
    }
    assert_eq!(csv, xlsx);
}

/// The `.xlsx` and the `.xls` saved from it (BIFF8: hidden rows and columns and number formats
/// read from its records) give the same values, provenance and hidden parts.
#[test]
fn spreadsheet_values_provenance_and_hidden_parts() {
    for (name, media) in [
        (
            "shirasagidai-r5.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("shirasagidai-r5.xls", "application/vnd.ms-excel"),
    ] {
        spreadsheet_case(name, media);
    }
}

fn spreadsheet_case(name: &str, media: &str) {
    let d = ingest(name);
    assert_eq!(d.media_type, media, "{name}");
    let text = d.to_text();
    assert!(text.contains("800\t▲300\t▲37.5%\tC"), "{text}");
    assert!(text.contains("2024/6/28"), "{text}");
    for hidden in ["作業用メモ", "X-1", "非表示シート"] {
        assert!(!text.contains(hidden), "{hidden} shown:\n{text}");
    }
    // the second sheet is page 2; provenance names sheet and cell
    let last = d.lines.last().unwrap();
    assert_eq!(last.page, Some(2));
    let o = d.origin(last.line).unwrap();
    assert_eq!(o.origin, "公表!A1");
    assert_eq!(o.cells, vec!["A1", "B1"]);
    let band = d
        .lines
        .iter()
        .find(|l| l.cells[0].starts_with("基本方針1"))
        .unwrap();
    assert_eq!(d.origin(band.line).unwrap().origin, "取組状況!A4");
    assert_eq!(
        band.cells.len(),
        1,
        "merged band given once: {:?}",
        band.cells
    );
    // a wrapped cell keeps its line break
    assert!(d.lines.iter().any(|l| l
        .cells
        .get(3)
        .is_some_and(|c| c == "申請手続を電子化する。\n対象は30手続とする。")));
}

#[test]
fn word_tables_lists_and_hidden_text() {
    let d = ingest("shirasagidai-r5.docx");
    let text = d.to_text();
    assert!(text.contains("区分\t令和5年度\n"), "gridSpan: {text}");
    assert!(
        text.contains("効果額（千円）\t計画\t1,200\n効果額（千円）\t実績\t1,350\n"),
        "vMerge (a label over rows with labels of their own, repeated in each): {text}"
    );
    assert!(
        text.contains("1. 効果額の内訳\n2. 計画と実績\n"),
        "numbering: {text}"
    );
    assert!(!text.contains("非表示の文字"), "{text}");
    let row = d.lines.iter().find(|l| l.cells[0] == "区分").unwrap();
    assert_eq!(d.origin(row.line).unwrap().origin, "t1.r1");
    let first = &d.lines[0];
    assert_eq!(d.origin(first.line).unwrap().origin, "p1");
}

#[test]
fn csv_is_cp932() {
    let d = ingest("shirasagidai-r5.csv");
    assert_eq!(d.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(d.media_type, "text/csv");
}

/// Damaged office files give an error (or a document), never a panic.
#[test]
fn damaged_files_do_not_panic() {
    for name in [
        "shirasagidai-r5.xlsx",
        "shirasagidai-r5.xls",
        "shirasagidai-r5.ods",
        "shirasagidai-r5.docx",
        "shirasagidai-r5.html",
        "shirasagidai-r5.csv",
    ] {
        let bytes = std::fs::read(dir().join(name)).unwrap();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..60 {
            let mut b = bytes.clone();
            if round % 3 == 0 {
                b.truncate(bytes.len() * (round + 1) / 61);
            } else {
                for _ in 0..(1 + round % 7) {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let i = (seed % b.len() as u64) as usize;
                    b[i] = (seed >> 32) as u8;
                }
            }
            let r = std::panic::catch_unwind(|| {
                gyokaku::ingest_named(&b, Some(name), &gyokaku::Options::default()).map(|_| ())
            });
            assert!(r.is_ok(), "{name} round {round}: panicked");
            if let Ok(Err(e)) = r {
                assert!(!e.to_string().contains('\n'), "{name}: {e}");
            }
        }
    }
}

#[test]
fn ods_display_text_and_hidden_parts() {
    let d = ingest("shirasagidai-r5.ods");
    assert_eq!(
        d.media_type,
        "application/vnd.oasis.opendocument.spreadsheet"
    );
    let text = d.to_text();
    assert!(text.contains("800\t▲300\t▲37.5%\tC"), "{text}");
    for hidden in ["作業用メモ", "内部コード", "非表示シート"] {
        assert!(!text.contains(hidden), "{hidden} shown:\n{text}");
    }
}
