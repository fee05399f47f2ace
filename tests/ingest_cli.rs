//! `gyokaku text` and `gyokaku parse` on the ingestion fixtures, through the binary.

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn text_of_an_unmapped_pdf_shows_the_diagnostic_and_no_garbage() {
    let (code, out, err) = run(&["text", "fixtures/unmapped/unmapped-cid.pdf"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "Shirasagidai progress report FY2023\n");
    assert!(
        err.contains("page 1: unmapped-text: 120 of 155 glyphs (77 %)")
            && err.contains("NoMapGothic: 120"),
        "{err}"
    );
}

#[test]
fn parse_of_an_unmapped_pdf_says_why() {
    let (code, out, err) = run(&["parse", "fixtures/unmapped/unmapped-cid.pdf"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unmapped-cid.pdf: unreadable:"), "{err}");
    assert!(err.contains("120 of 155 glyphs (77 %)"), "{err}");
    assert!(!err.contains(": not-a-report:"), "{err}");
}

#[test]
fn text_detects_csv_by_its_extension() {
    let (code, out, err) = run(&["text", "fixtures/office/shirasagidai-r5.csv"]);
    assert_eq!(code, 0, "{err}");
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/office/shirasagidai-r5.csv.golden"),
    )
    .unwrap();
    assert_eq!(out, golden);
}

#[test]
fn a_damaged_workbook_is_one_line_naming_file_and_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/office/shirasagidai-r5.xlsx"),
    )
    .unwrap();
    let path = tmp.path().join("broken.xlsx");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let p = path.to_string_lossy().to_string();
    let (code, _, err) = run(&["text", &p]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("broken.xlsx") && err.contains("xlsx workbook"),
        "{err}"
    );
}
