//! Seconds per page of scanned reports: OCR (Tesseract) and the rest of the pipeline.
//!
//! `cargo bench --bench ocr` reads each scanned fixture (fixtures/scanned) once; prints a note
//! and nothing else when Tesseract with Japanese data is not installed.

use std::path::Path;
use std::time::Instant;

fn main() {
    if let gyokaku::ocr::Engine::Missing(why) = gyokaku::ocr::engine() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scanned");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/scanned")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    names.sort();
    let opts = gyokaku::Options::default();
    let (mut all_pages, mut all_ocr, mut all_rest) = (0u32, 0.0f64, 0.0f64);
    println!(
        "{:<28} {:>5} {:>12} {:>12}",
        "scan", "pages", "OCR s/page", "rest s/page"
    );
    for path in names {
        let bytes = std::fs::read(&path).expect("read");
        let before = gyokaku::ocr::time_spent();
        let started = Instant::now();
        let doc = gyokaku::ingest(&bytes, &opts);
        let pages = doc.as_ref().ok().and_then(|d| d.pages).unwrap_or(0).max(1);
        if let Ok(doc) = doc {
            let _ = gyokaku::parse_source(doc, "scan", "", &opts);
        }
        let total = started.elapsed().as_secs_f64();
        let ocr = (gyokaku::ocr::time_spent() - before).as_secs_f64();
        let rest = total - ocr;
        println!(
            "{:<28} {:>5} {:>12.2} {:>12.3}",
            path.file_name().unwrap_or_default().to_string_lossy(),
            pages,
            ocr / f64::from(pages),
            rest / f64::from(pages)
        );
        all_pages += pages;
        all_ocr += ocr;
        all_rest += rest;
    }
    println!(
        "{:<28} {:>5} {:>12.2} {:>12.3}",
        "all",
        all_pages,
        all_ocr / f64::from(all_pages.max(1)),
        all_rest / f64::from(all_pages.max(1))
    );
}
