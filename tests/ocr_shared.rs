//! The real sample reports of `../shared` (layouts and corpus PDFs) rasterised at test time
//! (pdftoppm, 200 dpi grayscale JPEG), wrapped as image-only PDFs and read by OCR; the items found
//! and the field agreement with the born-digital PDF are printed.
//!
//! OCR takes seconds per page, so only the first pages of each PDF are read:
//! `GYOKAKU_OCR_SHARED_PAGES` (default 2; 0 for all); `GYOKAKU_OCR_SHARED_ONLY` (names, comma
//! separated) reads only the PDFs whose names hold one. Skipped with a note when ../shared,
//! pdftoppm or Tesseract is absent.

mod common;
mod ocr_support;

use std::path::Path;
use std::process::Command;

use ocr_support::{compare, image_pdf, items, named_in, parse, root, tesseract_ready, try_parse};

fn rasterise(pdf: &Path, pages: u32, dir: &Path) -> Vec<Vec<u8>> {
    let prefix = dir.join("page");
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", "200", "-gray", "-jpeg", "-jpegopt", "quality=75"]);
    if pages > 0 {
        cmd.args(["-l", &pages.to_string()]);
    }
    let status = cmd.arg(pdf).arg(&prefix).status().expect("pdftoppm");
    assert!(status.success(), "pdftoppm {}", pdf.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .collect();
    files.sort();
    let out = files
        .iter()
        .map(|f| std::fs::read(f).expect("jpg"))
        .collect();
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    out
}

#[test]
fn shared_pdfs_rasterised_read_by_ocr() {
    let shared = root().join("..").join("shared");
    if !shared.is_dir() {
        common::skip("../shared not found");
        return;
    }
    if Command::new("pdftoppm").arg("-v").output().is_err() {
        common::skip("pdftoppm (poppler-utils) is not installed");
        return;
    }
    if !tesseract_ready("shared_pdfs_rasterised_read_by_ocr") {
        return;
    }
    let pages: u32 = std::env::var("GYOKAKU_OCR_SHARED_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let mut pdfs = Vec::new();
    for sub in ["layouts", "corpus/pdf"] {
        if let Ok(rd) = std::fs::read_dir(shared.join(sub)) {
            pdfs.extend(
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "pdf")),
            );
        }
    }
    // `GYOKAKU_OCR_SHARED_ONLY=kawagiri,kiyosu`: only the PDFs whose names hold one of these.
    pdfs.retain(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        named_in("GYOKAKU_OCR_SHARED_ONLY", &name)
    });
    pdfs.sort();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut total_found, mut total_items) = (0, 0);
    for pdf in &pdfs {
        let name = pdf
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let jpegs = rasterise(pdf, pages, tmp.path());
        assert!(!jpegs.is_empty(), "{name}: no pages rasterised");
        let scan = tmp.path().join(format!("{name}.scan.pdf"));
        std::fs::write(&scan, image_pdf(&jpegs, 200.0)).expect("write scan");
        let twin = parse(pdf, &[]);
        // Image work in a debug build on a busy machine can outlast the default budget.
        let report = try_parse(&scan, &["--time-budget", "600"]);
        if let Some(r) = &report {
            // Every page was read by OCR.
            let read = r["source"]["ocr_pages"].as_array().map_or(0, Vec::len);
            assert_eq!(read, jpegs.len(), "{name}: {}", r["source"]);
        }
        let scanned = report.as_ref().map(items).unwrap_or_default();
        let max_page = if pages == 0 { 0 } else { u64::from(pages) };
        let c = compare(&items(&twin), &scanned, max_page);
        total_found += c.found;
        total_items += c.twin_items;
        eprintln!(
            "{name} (first {} pages): items {}/{}, titles {}, ratings {}, field agreement {:.1} %",
            jpegs.len(),
            c.found,
            c.twin_items,
            c.same_title,
            c.same_rating,
            c.field_agreement * 100.0
        );
    }
    eprintln!("all: items found {total_found}/{total_items}");
}
