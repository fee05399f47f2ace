//! Scanned reports (fixtures/scanned, made by scripts/make-scanned-fixtures from the project's
//! born-digital fixture PDFs) read by OCR and compared with their born-digital twins.
//! Skipped with a note when Tesseract with Japanese data is not installed.

mod ocr_support;

use ocr_support::{compare, gyokaku, items, named_in, parse, root, tesseract_ready, try_parse};

/// (scan, twin, least items found, least title matches, least rating matches, least field
/// agreement, least target values read as the twin's): the floors are the figures measured on
/// these scans, so a regression fails.
const CASES: [(&str, &str, usize, usize, usize, f64, usize); 5] = [
    (
        "scanned/table-basic.jpeg.pdf",
        "pdf/table-basic.chromium.pdf",
        8,
        7,
        8,
        0.98,
        0,
    ),
    // Agreement and target values a little below the figures before word gaps were measured
    // (97.6 %, 12): a heading Tesseract misreads (`■点項目1`) is no longer cut off the field
    // before it, and a gap before a digit is read as a space (`R5までに 10`); the titles went
    // up (6 -> 7) and the shared scans gained an item and 30 points of agreement on two reports.
    (
        "scanned/card-basic.g4.pdf",
        "pdf/card-basic.chromium.pdf",
        7,
        7,
        7,
        0.96,
        11,
    ),
    (
        "scanned/hagimiya-r3.g4.pdf",
        "layouts/hagimiya-r3.pdf",
        12,
        12,
        12,
        0.99,
        43,
    ),
    (
        "scanned/shiomino-r4.jpeg.pdf",
        "layouts/shiomino-r4.pdf",
        8,
        8,
        8,
        0.96,
        33,
    ),
    // the same page rasterised at 300 dpi
    (
        "scanned/shiomino-r4.300.jpeg.pdf",
        "layouts/shiomino-r4.pdf",
        8,
        8,
        8,
        0.95,
        30,
    ),
];

#[test]
fn scanned_fixtures_read_like_their_twins() {
    if !tesseract_ready("scanned_fixtures_read_like_their_twins") {
        return;
    }
    // GYOKAKU_OCR_SCANNED_ONLY=name,… limits the run to scans whose file name holds one of the
    // names; every scan is measured before any floor fails, so one run shows all figures.
    let mut failures = Vec::new();
    for (scan, twin, min_found, min_titles, min_ratings, min_agreement, min_values) in CASES {
        if !named_in("GYOKAKU_OCR_SCANNED_ONLY", scan) {
            eprintln!("{scan}: skipped (GYOKAKU_OCR_SCANNED_ONLY)");
            continue;
        }
        let scan_path = root().join("fixtures").join(scan);
        let started = std::time::Instant::now();
        // Image work in a debug build on a busy machine can outlast the default budget.
        let report = try_parse(&scan_path, &["--time-budget", "600"]);
        let secs = started.elapsed().as_secs_f64();
        let twin_report = parse(&root().join("fixtures").join(twin), &[]);
        let pages = twin_report["source"]["pages"].as_u64().expect("pages");
        if let Some(report) = &report {
            // Every page was read by OCR, with its confidence.
            let ocr: Vec<u64> = report["source"]["ocr_pages"]
                .as_array()
                .expect("ocr_pages")
                .iter()
                .map(|p| {
                    let c = p["mean_confidence"].as_f64().expect("confidence");
                    assert!((0.0..=100.0).contains(&c), "{scan}: {c}");
                    p["page"].as_u64().expect("page")
                })
                .collect();
            assert_eq!(ocr, (1..=pages).collect::<Vec<_>>(), "{scan}");
        }
        let scanned = report.as_ref().map(items).unwrap_or_default();
        let c = compare(&items(&twin_report), &scanned, 0);
        eprintln!(
            "{scan}: {} pages in {secs:.1} s; items {}/{}, titles {}/{}, ratings {}/{}, field agreement {:.1} %, target values {}/{}",
            pages,
            c.found,
            c.twin_items,
            c.same_title,
            c.twin_items,
            c.same_rating,
            c.twin_items,
            c.field_agreement * 100.0,
            c.same_values,
            c.twin_values
        );
        for (id, want, got) in &c.differences {
            eprintln!("  {id}: {want} | {got}");
        }
        let floors = [
            ("items", c.found >= min_found),
            ("titles", c.same_title >= min_titles),
            ("ratings", c.same_rating >= min_ratings),
            ("field agreement", c.field_agreement >= min_agreement),
            ("target values", c.same_values >= min_values),
        ];
        for (what, met) in floors {
            if !met {
                failures.push(format!("{scan}: {what} below its floor: {c:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_tesseract_a_scan_says_what_to_install() {
    let scan = "fixtures/scanned/hagimiya-r3.g4.pdf";
    let (code, out, err) = gyokaku(
        &["parse", scan],
        &[("GYOKAKU_TESSERACT", "/nonexistent/tesseract")],
    );
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("unreadable"), "{err}");
    assert!(err.contains("2 of its 2 pages are scanned images"), "{err}");
    assert!(
        err.contains("apt-get install tesseract-ocr tesseract-ocr-jpn"),
        "{err}"
    );
}

#[test]
fn ocr_never_leaves_scans_unread() {
    let scan = "fixtures/scanned/table-basic.jpeg.pdf";
    let (code, _, err) = gyokaku(&["parse", "--ocr", "never", scan], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("not read (--ocr never)"), "{err}");
    let (code, _, err) = gyokaku(&["parse", "--ocr", "sometimes", scan], &[]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn born_digital_pdfs_are_not_read_by_ocr() {
    let report = parse(
        &root().join("fixtures/pdf/table-basic.chromium.pdf"),
        &["--ocr", "always"],
    );
    assert!(
        report["source"].get("ocr_pages").is_none(),
        "{}",
        report["source"]
    );
}
