//! The fixtures keep covering what fixtures/README.md says they cover: the rendered PDFs have the
//! font structure of the two ways reports are published, and the fixture texts still hold the
//! characters the normalisation rules are tested on. (Parsing them is tested elsewhere.)

use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    let path = fixture(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Page objects (`/Type /Page`, not `/Pages`), written with or without the space.
fn pages(pdf: &[u8]) -> usize {
    [&b"/Type/Page"[..], &b"/Type /Page"[..]]
        .iter()
        .map(|needle| {
            pdf.windows(needle.len() + 1)
                .filter(|w| w.starts_with(needle) && !w[needle.len()].is_ascii_alphabetic())
                .count()
        })
        .sum()
}

#[test]
fn rendered_pdfs_have_the_structure_of_their_producer() {
    // (file, byte strings that must occur: the font programs and maps the PDF tests rely on)
    let cases: [(&str, &[&str]); 4] = [
        (
            "pdf/card-basic.calc.pdf",
            &["/Subtype/TrueType", "/ToUnicode", "/Subtype/Type1"],
        ),
        (
            "pdf/table-basic.calc.pdf",
            &["/Subtype/TrueType", "/ToUnicode"],
        ),
        (
            "pdf/card-basic.chromium.pdf",
            &[
                "/Subtype /Type0",
                "/Encoding /Identity-H",
                "/Subtype /CIDFontType2",
                "/Subtype /Type3",
                "/ToUnicode",
                "/Producer (Skia/PDF",
            ],
        ),
        (
            "pdf/table-basic.chromium.pdf",
            &[
                "/Subtype /Type0",
                "/Encoding /Identity-H",
                "/Subtype /Type3",
                "/ToUnicode",
                "/Producer (Skia/PDF",
            ],
        ),
    ];
    for (file, needles) in cases {
        let pdf = read(file);
        assert!(pdf.starts_with(b"%PDF-1."), "{file}: not a PDF");
        assert!(
            pages(&pdf) >= 2,
            "{file}: {} page(s), want several",
            pages(&pdf)
        );
        for needle in needles {
            assert!(count(&pdf, needle.as_bytes()) > 0, "{file}: no {needle}");
        }
        // Each PDF stays small enough to live in the repository.
        assert!(pdf.len() < 300_000, "{file}: {} bytes", pdf.len());
    }
}

#[test]
fn card_basic_holds_every_normalisation_case() {
    let text = String::from_utf8(read("text/card-basic.txt")).expect("UTF-8");
    let cases = [
        ("\u{2F08}", "Kangxi radical ⼈ for 人"),
        ("\u{3000}", "ideographic space"),
        ("1～2名", "wave-dash range"),
        ("①", "circled digit"),
        ("㎡", "square metre sign"),
        ("１２", "full-width digits"),
        ("ＲＰＡ", "full-width letters"),
        ("ｼｽﾃﾑ", "half-width katakana"),
        ("A I を活用", "letter-spaced acronym"),
        ("導入や 共通窓口", "space inside a Japanese run"),
        ("<br>", "line break tag"),
        ("<参考>", "angle brackets that are text, not a tag"),
        ("実績 (R3)", "target header variant"),
        ("実績（R3）", "target header"),
        ("進捗状況について・課題", "findings label variant"),
        ("達成状況について・課題", "findings label"),
        ("R4進捗状況\t順調", "status on the label's line"),
        ("R4進捗状況\n\t\t順調", "status on the next line"),
        ("------\t---", "markdown separator row"),
    ];
    for (needle, what) in cases {
        assert!(
            text.contains(needle),
            "card-basic.txt lost its {what}: {needle:?}"
        );
    }
}

#[test]
fn non_reports_are_what_they_claim() {
    assert!(read("text/empty.txt").is_empty());
    let prose = String::from_utf8(read("text/not-a-report.txt")).expect("UTF-8");
    assert!(prose.chars().count() > 200);
    assert!(!prose.contains('\t'), "prose has no cells");
    for marker in ["改革項目", "No.", "取組番号", "重点項目"] {
        assert!(!prose.contains(marker), "prose mentions {marker}");
    }
}
