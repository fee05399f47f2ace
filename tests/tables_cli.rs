//! `--format parquet` and `--format xlsx` through the real binary: the same tables and row counts
//! as the CSV output, typed cells, text kept as text, and `datapackage.json` beside them.

mod common;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::Command;

const TABLES: [&str; 6] = [
    "items", "progress", "targets", "findings", "schedule", "fields",
];

fn run(out: &Path, formats: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .current_dir(common::root())
        .args(["parse", "fixtures/text", "fixtures/layouts", "-o"])
        .arg(out)
        .args(["--format", formats, "--quiet"])
        .output()
        .unwrap()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn parquet_rows(path: &Path) -> Vec<Vec<(String, Field)>> {
    let r = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    r.get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(n, f)| (n.clone(), f.clone()))
                .collect()
        })
        .collect()
}

/// A Parquet value as the CSV output writes it.
fn as_csv(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Long(n) => n.to_string(),
        Field::Double(n) => gyokaku::tabular::number_text(*n),
        Field::Bool(b) => b.to_string(),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn parquet_and_xlsx_hold_the_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = run(&out, "csv,parquet,xlsx");
    assert_eq!(
        r.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["outputs"]["not_written"], serde_json::json!([]));

    let mut book =
        zip::ZipArchive::new(std::fs::File::open(out.join("tables.xlsx")).unwrap()).unwrap();
    // Strings are written in the sheets' cells (inline), the sheets being written in
    // constant-memory mode.
    let mut strings = String::new();
    for (k, t) in TABLES.iter().enumerate() {
        let csv = csv_rows(&out.join(format!("{t}.csv")));
        let pq = parquet_rows(&out.join(format!("{t}.parquet")));
        let n = (csv.len() - 1) as u64;
        assert!(n > 0, "{t}");
        assert_eq!(pq.len() as u64, n, "{t}.parquet rows");
        assert_eq!(summary["outputs"]["csv_rows"][format!("{t}.csv")], n);
        assert_eq!(
            summary["outputs"]["parquet_rows"][format!("{t}.parquet")],
            n
        );
        assert_eq!(summary["outputs"]["xlsx_rows"][t], n, "{t} sheet rows");
        // Same header, same cells.
        let names: Vec<&str> = pq[0].iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, csv[0], "{t} columns");
        for (i, (row, want)) in pq.iter().zip(&csv[1..]).enumerate() {
            let got: Vec<String> = row.iter().map(|(_, f)| as_csv(f)).collect();
            assert_eq!(&got, want, "{t} row {}", i + 1);
        }
        // The sheet's filter covers the header and every row.
        let mut sheet = String::new();
        book.by_name(&format!("xl/worksheets/sheet{}.xml", k + 1))
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        strings.push_str(&sheet);
        assert!(sheet.contains("<pane ySplit=\"1\""), "{t}: frozen header");
        let filter = sheet
            .split("<autoFilter ref=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        let last = filter.rsplit(':').next().unwrap_or_default();
        assert_eq!(
            last.trim_start_matches(|c: char| c.is_ascii_uppercase()),
            (n + 1).to_string(),
            "{t}: autofilter {filter}"
        );
    }
    // Text cells stay text: `18.0%` and `1,234` are strings, not numbers.
    assert!(strings.contains("<t>18.0%</t>"));
    assert!(strings.contains("<t>1,234</t>"));

    let dp: Value =
        serde_json::from_slice(&std::fs::read(out.join("datapackage.json")).unwrap()).unwrap();
    let names: Vec<&str> = dp["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 12);
    assert_eq!(names[0], "items.csv");
    assert_eq!(names[6], "items.parquet");
}

#[test]
fn typed_formats_need_an_output_folder_and_reserve_their_names() {
    let r = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .current_dir(common::root())
        .args([
            "parse",
            "fixtures/text/card-basic.txt",
            "--format",
            "parquet",
        ])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("need -o OUTDIR"));

    // An input in the output folder that a table output would replace is refused up front.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let input = out.join("tables.xlsx");
    std::fs::copy(
        common::root().join("fixtures/office/shirasagidai-r5.xlsx"),
        &input,
    )
    .unwrap();
    let r = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .arg("parse")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--format", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(
        r.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(String::from_utf8_lossy(&r.stderr).contains("tables.xlsx"));
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        1,
        "nothing written"
    );
}
