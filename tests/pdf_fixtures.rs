//! The project's own fixture PDFs (rendered from fixtures/text by scripts/render-fixtures with
//! LibreOffice Calc — ruled tables, simple TrueType fonts — and Chromium — tagged borderless
//! tables, Type0/Identity-H and Type3 fonts): the rows and cells the PDF layer reads.

mod common;

use gyokaku::source::SourceDoc;

fn read(name: &str) -> SourceDoc {
    let path = common::root().join("fixtures/pdf").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    gyokaku::ingest(&bytes, &gyokaku::Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Cells without white space other than line breaks (a PDF does not say whether a wrap stood for
/// a space), the two wave
/// dashes as one, trailing empty cells dropped.
fn squashed(doc: &SourceDoc) -> Vec<Vec<String>> {
    doc.lines
        .iter()
        .map(|l| {
            let mut cells: Vec<String> = l
                .cells
                .iter()
                .map(|c| {
                    c.chars()
                        .filter(|c| *c == '\n' || !c.is_whitespace())
                        .map(|c| if c == '〜' { '～' } else { c })
                        .collect()
                })
                .collect();
            while cells.last().is_some_and(|c: &String| c.is_empty()) {
                cells.pop();
            }
            cells
        })
        .filter(|c| !c.is_empty())
        .collect()
}

fn find<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(first))
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("no row starting with {first}"))
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn both_renderings_read_the_same_rows() {
    for name in ["card-basic", "table-basic"] {
        let calc = squashed(&read(&format!("{name}.calc.pdf")));
        let chromium = squashed(&read(&format!("{name}.chromium.pdf")));
        assert!(calc.len() > 20, "{name}: {} rows", calc.len());
        assert_eq!(calc, chromium, "{name}");
    }
}

#[test]
fn card_rows_come_out_as_cells() {
    for renderer in ["calc", "chromium"] {
        let doc = read(&format!("card-basic.{renderer}.pdf"));
        let rows = squashed(&doc);
        assert_eq!(
            strs(find(&rows, "改革項目")),
            vec![
                "改革項目",
                "1",
                "窓口受付時間の柔軟な運用",
                "",
                "市民窓口課"
            ],
            "{renderer}"
        );
        assert_eq!(
            strs(find(&rows, "R4目標")),
            vec!["R4目標", "夜間窓口の試行と利用状況の分析", "R4進捗状況"],
            "{renderer}"
        );
        // The status sits under its label, as in the text.
        assert!(
            rows.iter().any(|r| strs(r) == vec!["", "", "順調"]),
            "{renderer}"
        );
        // A cell's wrapped lines stay in the cell, one list entry per line.
        let findings = find(&rows, "進捗状況について・課題");
        let entries: Vec<char> = findings[1]
            .lines()
            .filter_map(|l| l.chars().next())
            .collect();
        assert_eq!(entries, vec!['○', '○', '▲', '・'], "{renderer}");
        // Page-number footers are not content.
        assert!(
            rows.iter()
                .all(|r| !r.iter().any(|c| c.starts_with('-') && c.ends_with('-'))),
            "{renderer}"
        );
        assert!(
            rows.iter().all(|r| !(r.len() == 1
                && r[0].contains('/')
                && r[0].chars().all(|c| c.is_ascii_digit() || c == '/'))),
            "{renderer}"
        );
    }
}

#[test]
fn table_rows_keep_their_columns() {
    for renderer in ["calc", "chromium"] {
        let rows = squashed(&read(&format!("table-basic.{renderer}.pdf")));
        assert_eq!(
            strs(find(&rows, "No.")),
            vec!["No.", "項目名", "担当課", "取組内容", "取組の工程"],
            "{renderer}"
        );
        assert!(
            rows.iter()
                .any(|r| strs(r) == vec!["", "", "", "", "令和3年度", "令和4年度", "令和5年度"]),
            "{renderer}"
        );
        let first = find(&rows, "1");
        assert_eq!(first.len(), 7, "{renderer}: {first:?}");
        assert!(
            first[1].starts_with("AIチャットボットによる問合せ対応"),
            "{renderer}: {first:?}"
        );
        assert_eq!(first[2], "広報課", "{renderer}");
        assert_eq!(
            first[3].lines().count(),
            2,
            "{renderer}: one line per ■ entry: {:?}",
            first[3]
        );
        let findings = rows
            .iter()
            .find(|r| {
                r.get(1)
                    .is_some_and(|c| c == "これまでの取組状況と今後の見通し")
            })
            .unwrap_or_else(|| panic!("{renderer}: no findings row"));
        assert_eq!(findings[0], "", "{renderer}");
        assert!(
            findings.iter().skip(2).any(|c| c.starts_with('○')),
            "{renderer}: {findings:?}"
        );
    }
}

#[test]
fn provenance_matches_the_printed_text() {
    for name in [
        "card-basic.calc.pdf",
        "card-basic.chromium.pdf",
        "table-basic.calc.pdf",
        "table-basic.chromium.pdf",
    ] {
        let doc = read(name);
        assert_eq!(doc.media_type, "application/pdf");
        assert_eq!(doc.encoding, None);
        let pages = doc.pages.unwrap_or(0);
        assert!(pages >= 2, "{name}: {pages} pages");
        let text = doc.to_text();
        let printed: Vec<&str> = text.lines().collect();
        let mut last = (0u32, 0u32);
        for l in &doc.lines {
            let page = l.page.unwrap_or(0);
            assert!(page >= 1 && page <= pages, "{name}: page {page}");
            assert!((page, l.line) > last, "{name}: order at line {}", l.line);
            last = (page, l.line);
            let first = l.cells.join("\t");
            let first = first.split('\n').next().unwrap_or_default();
            assert_eq!(
                printed.get(l.line as usize - 1).copied(),
                Some(first),
                "{name}: line {}",
                l.line
            );
        }
        assert!(doc.diagnostics.is_empty(), "{name}: {:?}", doc.diagnostics);
    }
}
