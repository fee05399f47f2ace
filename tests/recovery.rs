//! Damaged variants of the fixture PDFs and texts (tests/damage: flips, truncations, deep
//! nesting under unused keys, broken cross-reference data, wrong lengths, invalid bytes): no
//! variant crashes, none loses items without saying so, and damage to one line of a text costs
//! at most the item on that line. A few variants also go through the real binary for the exit
//! status of a partial result.

mod common;
mod damage;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::Command;
use std::time::Instant;

use damage::Variant;
use gyokaku::model::Severity;

/// An item as compared: id, title, department, rating and its fields' text.
fn items(r: &gyokaku::Report) -> Vec<String> {
    r.items
        .iter()
        .map(|i| {
            let fields: Vec<&str> = i.fields.iter().map(|f| f.text.as_str()).collect();
            format!(
                "{}|{:?}|{:?}|{:?}|{}",
                i.id,
                i.title,
                i.department,
                i.rating.as_ref().map(|r| &r.text),
                fields.join("¦")
            )
        })
        .collect()
}

fn codes(r: &gyokaku::Report) -> BTreeSet<String> {
    r.diagnostics.iter().map(|d| d.code.clone()).collect()
}

/// What one variant gave.
enum Outcome {
    Report(Box<gyokaku::Report>),
    Error(gyokaku::Error),
}

fn parse(v: &Variant) -> Result<Outcome, String> {
    let opts = gyokaku::Options::default();
    let name = v.name.clone();
    catch_unwind(AssertUnwindSafe(|| {
        match gyokaku::parse_bytes(&v.bytes, &v.source.display().to_string(), &opts) {
            Ok(r) => Outcome::Report(Box::new(r)),
            Err(e) => Outcome::Error(e),
        }
    }))
    .map_err(|_| format!("{name}: panicked"))
}

/// Fixture PDFs and texts and their variants: `per_pdf` and `per_text` of each random kind.
pub fn variants(per_pdf: usize, per_text: usize) -> Vec<Variant> {
    let root = common::root();
    let mut variants = Vec::new();
    for (i, name) in [
        "table-basic.calc.pdf",
        "card-basic.calc.pdf",
        "table-basic.chromium.pdf",
        "card-basic.chromium.pdf",
    ]
    .iter()
    .enumerate()
    {
        let per_kind = if name.contains("chromium") {
            per_pdf / 2
        } else {
            per_pdf
        };
        variants.extend(damage::pdf_variants(
            &root.join("fixtures/pdf").join(name),
            per_kind,
            0x9E37_79B9 + i as u64,
        ));
    }
    for (i, name) in ["card-basic.txt", "table-basic.txt", "card-oddities.txt"]
        .iter()
        .enumerate()
    {
        variants.extend(damage::text_variants(
            &root.join("fixtures/text").join(name),
            per_text,
            0x51ED_2701 + i as u64,
        ));
    }
    variants
}

/// Failures, reports, partial reports and refusals over some variants.
fn check(variants: &[&Variant]) -> (Vec<String>, usize, usize, usize) {
    let mut failures = Vec::new();
    let (mut reports, mut partial, mut errors) = (0, 0, 0);
    let mut baseline: std::collections::HashMap<*const Vec<u8>, gyokaku::Report> =
        Default::default();
    for &v in variants {
        let base = baseline
            .entry(std::sync::Arc::as_ptr(&v.original))
            .or_insert_with(|| {
                gyokaku::parse_bytes(
                    &v.original,
                    &v.source.display().to_string(),
                    &Default::default(),
                )
                .unwrap_or_else(|e| panic!("{}: {e}", v.name))
            });
        let mut want = items(base);
        if v.kind == "truncate" && v.line.is_some() {
            // items after the cut are gone with it; those wholly before it must stay
            let line = v.line.unwrap_or(0);
            let before = base
                .items
                .iter()
                .skip(1)
                .take_while(|i| i.source.line < line)
                .count();
            want.truncate(before);
        }
        let base_codes = codes(base);
        if let Some(dir) = std::env::var_os("RECOVERY_DUMP") {
            let name = v.name.replace(':', "_");
            std::fs::write(std::path::Path::new(&dir).join(name), &v.bytes).expect("dump");
        }
        let got = match parse(v) {
            Err(e) => {
                failures.push(e);
                continue;
            }
            Ok(Outcome::Error(e)) => {
                errors += 1;
                if std::env::var_os("RECOVERY_VERBOSE").is_some() {
                    eprintln!("{}: refused: {e}", v.name);
                }
                // a refusal is one clear line naming a kind
                if e.message.is_empty() || e.message.contains('\n') {
                    failures.push(format!("{}: unclear error {e:?}", v.name));
                }
                continue;
            }
            Ok(Outcome::Report(r)) => r,
        };
        reports += 1;
        if got.is_partial() {
            partial += 1;
        }
        let have = items(&got);
        let lost: Vec<&String> = want.iter().filter(|w| !have.contains(w)).collect();
        let new_codes: Vec<String> = codes(&got).difference(&base_codes).cloned().collect();
        if std::env::var_os("RECOVERY_VERBOSE").is_some() {
            eprintln!(
                "{}: {} of {} items lost, new diagnostics {new_codes:?}, partial {}",
                v.name,
                lost.len(),
                want.len(),
                got.is_partial()
            );
        }
        if !lost.is_empty() && new_codes.is_empty() {
            failures.push(format!(
                "{}: {} of {} items lost or changed without a diagnostic",
                v.name,
                lost.len(),
                want.len()
            ));
        }
        // damage that costs an item makes the result partial (exit status 3), never exit 0
        if !lost.is_empty() && !got.is_partial() {
            failures.push(format!(
                "{}: {} of {} items lost, but the result is not partial",
                v.name,
                lost.len(),
                want.len()
            ));
        }
        if v.kind == "objstm" && (have != items(base) || got.is_partial()) {
            failures.push(format!(
                "{}: the file rewritten with object streams reads otherwise",
                v.name
            ));
        }
        // (Flate data damaged part way loses what follows the damage: said, as any loss is,
        // by the check above)
        if v.kind.starts_with("objstm-") && v.kind != "objstm-flate-flip" {
            // a damaged object stream is said, with what it cost
            let said = got
                .diagnostics
                .iter()
                .find(|d| d.code == "pdf-object-stream");
            match said {
                None if v.kind != "objstm-flip" || !lost.is_empty() => failures.push(format!(
                    "{}: no pdf-object-stream diagnostic ({} items lost)",
                    v.name,
                    lost.len()
                )),
                Some(d) if !d.message.starts_with("object stream ") => {
                    failures.push(format!("{}: unclear {}", v.name, d.message))
                }
                _ => {}
            }
            // a wrong /N or /First costs nothing
            if matches!(v.kind, "objstm-n" | "objstm-first")
                && (!lost.is_empty() || got.is_partial())
            {
                failures.push(format!(
                    "{}: {} items lost to a wrong /N or /First",
                    v.name,
                    lost.len()
                ));
            }
        }
        if v.kind.starts_with("xrefstm-") {
            // a damaged cross-reference stream costs nothing: the objects are found by scanning
            // the file and the object streams' own tables, and that is said
            if !lost.is_empty() || got.is_partial() {
                failures.push(format!(
                    "{}: {} items lost to a damaged cross-reference stream",
                    v.name,
                    lost.len()
                ));
            }
            let said = got.diagnostics.iter().any(|d| {
                matches!(
                    d.code.as_str(),
                    "pdf-object-streams-unpacked" | "pdf-xref-rebuilt" | "pdf-missing-object"
                )
            });
            if !said && have != items(base) {
                failures.push(format!("{}: read otherwise without a word", v.name));
            }
        }
        if v.kind.starts_with("length") {
            // a wrong /Length costs nothing: the data is read to `endstream`, and said so
            if !lost.is_empty() {
                failures.push(format!(
                    "{}: {} items lost to a wrong /Length",
                    v.name,
                    lost.len()
                ));
            }
            if !got.diagnostics.iter().any(|d| {
                d.code == "pdf-stream-length"
                    && d.message.starts_with("stream ")
                    && d.message.contains(" R")
            }) {
                failures.push(format!("{}: no pdf-stream-length diagnostic", v.name));
            }
        }
        if got
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
            != got.is_partial()
        {
            failures.push(format!(
                "{}: is_partial disagrees with the diagnostics",
                v.name
            ));
        }
        if let Some(line) = v.line {
            // damage to one line of a text touches at most the item holding that line
            // (a cut may also change the enclosing item of the one it falls in)
            let allowed = if v.kind == "truncate" { 2 } else { 1 };
            if lost.len() > allowed {
                failures.push(format!(
                    "{}: {} items changed by damage on line {line}",
                    v.name,
                    lost.len()
                ));
            }
            let named = got
                .diagnostics
                .iter()
                .any(|d| d.code == "invalid-bytes" && d.line == Some(line));
            if !named {
                failures.push(format!(
                    "{}: no invalid-bytes diagnostic for line {line}",
                    v.name
                ));
            }
        }
    }
    (failures, reports, partial, errors)
}

#[test]
fn damaged_variants_are_recovered_or_say_what_they_lost() {
    let variants = variants(14, 8);
    assert!(variants.len() >= 300, "{} variants", variants.len());
    let started = Instant::now();
    // two threads, each every other variant (PDFs and texts, slow and quick, alike)
    let a: Vec<&Variant> = variants.iter().step_by(2).collect();
    let b: Vec<&Variant> = variants.iter().skip(1).step_by(2).collect();
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| check(&a));
        let rb = check(&b);
        (ta.join().expect("worker"), rb)
    });
    let mut failures = ra.0;
    failures.extend(rb.0);
    let (reports, partial, errors) = (ra.1 + rb.1, ra.2 + rb.2, ra.3 + rb.3);
    eprintln!(
        "{} variants in {:.1} s: {reports} reports ({partial} partial), {errors} refused",
        variants.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // every text variant and most PDF variants give a report
    assert!(
        reports * 10 >= variants.len() * 8,
        "{reports} of {}",
        variants.len()
    );
}

/// One generated variant of a fixture PDF: `per_kind` of each kind from `seed`, by name.
fn pdf_variant(fixture: &str, per_kind: usize, seed: u64, name: &str) -> Variant {
    let path = common::root().join("fixtures/pdf").join(fixture);
    damage::pdf_variants(&path, per_kind, seed)
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
}

/// Variants once refused (pdftotext read them) or misread: each now reads as the undamaged
/// file, with the diagnostic that says what was repaired.
#[test]
fn variants_once_refused_or_misread_read_as_the_undamaged_file() {
    // (fixture, variants per kind, seed, variant, diagnostic)
    let cases: &[(&str, usize, u64, &str, Option<&str>)] = &[
        // a flipped byte made `1000` in a font's /Widths `l000`: the font dictionary was lost
        // and every glyph of the file unmapped
        (
            "table-basic.calc.pdf",
            20,
            0xB5AD_4ECE,
            "table-basic.calc.pdf:flip:14",
            Some("pdf-object-repaired"),
        ),
        // the same in an object stream (`1000q1000`)
        (
            "card-basic.calc.pdf",
            20,
            0xB5AD_4ECF,
            "card-basic.calc.pdf:objstm-flip:5",
            Some("pdf-object-repaired"),
        ),
        // a stray byte between two objects of an object stream was taken for an object
        (
            "card-basic.calc.pdf",
            20,
            0xB5AD_4ECF,
            "card-basic.calc.pdf:objstm-flip:9",
            Some("pdf-object-stream"),
        ),
        // a tagged cell's `/K` damaged: its content is given back by the parent tree
        (
            "table-basic.chromium.pdf",
            7,
            0x9E37_79BB,
            "table-basic.chromium.pdf:objstm-flip:5",
            None,
        ),
    ];
    let opts = gyokaku::Options::default();
    for &(fixture, per_kind, seed, name, code) in cases {
        let v = pdf_variant(fixture, per_kind, seed, name);
        let base = gyokaku::parse_bytes(&v.original, fixture, &opts).expect("undamaged");
        let got = gyokaku::parse_bytes(&v.bytes, name, &opts)
            .unwrap_or_else(|e| panic!("{name}: refused: {e}"));
        assert_eq!(items(&got), items(&base), "{name}");
        assert!(!got.is_partial(), "{name}");
        if let Some(code) = code {
            let d = got
                .diagnostics
                .iter()
                .find(|d| d.code == code)
                .unwrap_or_else(|| panic!("{name}: no {code}"));
            assert_eq!(d.severity, Severity::Warning, "{name}");
            assert!(d.page.is_some(), "{name}: {}", d.message);
        }
    }
}

/// A flipped byte in an object stream's Flate data that the data still inflates past (only its
/// Adler-32 checksum fails): the strict decoder stopped there and the font dictionary after it
/// was lost, every glyph unmapped and the file refused (pdftotext reads it). Inflated past the
/// damage, as poppler does, with a warning naming the object stream and where its data is
/// damaged; the garbled dictionaries after it go through the usual checks (errors: partial).
#[test]
fn flate_data_damaged_past_its_checksum_is_read_on_with_a_warning() {
    let name = "card-basic.calc.pdf:objstm-flate-flip:35";
    let v = pdf_variant("card-basic.calc.pdf", 20, 0xB5AD_4ECF, name);
    let opts = gyokaku::Options::default();
    let base = gyokaku::parse_bytes(&v.original, "card-basic.calc.pdf", &opts).expect("undamaged");
    let got = gyokaku::parse_bytes(&v.bytes, name, &opts)
        .unwrap_or_else(|e| panic!("{name}: refused: {e}"));
    assert_eq!(items(&got), items(&base));
    let d = got
        .diagnostics
        .iter()
        .find(|d| d.code == "pdf-damaged-flate")
        .expect("a pdf-damaged-flate diagnostic");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.page, Some(1));
    assert_eq!(
        d.message,
        "object stream 48 0 R (page 1): its Flate data is damaged: the Adler-32 checksum does not \
         match the inflated bytes (byte 320 of 324, after 1617 inflated bytes); inflated past the \
         damage to 1617 bytes, as poppler does; 5 object(s) read from what follows the damage are \
         uncertain: 21 0 R, 24 0 R, 27 0 R, 28 0 R, 30 0 R"
    );
    // the garbled font dictionary is read from the pairs that still read, and said so
    assert!(got.is_partial());
    assert!(got
        .diagnostics
        .iter()
        .any(|d| d.code == "pdf-object-repaired" && d.message.starts_with("object 28 0 R")));
}

/// A file cut short that loses the fonts some glyphs are shown in: the result is partial and
/// says which fonts, on which page (the text of those glyphs was dropped silently before).
#[test]
fn glyphs_of_a_lost_font_make_the_result_partial() {
    let name = "table-basic.chromium.pdf:truncate:0";
    let v = pdf_variant("table-basic.chromium.pdf", 7, 0x9E37_79BB, name);
    let got = gyokaku::parse_bytes(&v.bytes, name, &Default::default()).expect("a report");
    assert!(got.is_partial());
    let d = got
        .diagnostics
        .iter()
        .find(|d| d.code == "pdf-missing-object" && d.severity == Severity::Error)
        .expect("an error naming the fonts");
    assert_eq!(d.page, Some(1));
    assert!(
        d.message.starts_with("font 12 0 R (2 glyphs), font 13 0 R"),
        "{}",
        d.message
    );
}

fn gyokaku(args: &[&str], input: &std::path::Path) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .args(args)
        .arg(input)
        .output()
        .expect("run gyokaku");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Through the real binary: deep nesting under an unused key reads as the undamaged file (exit
/// 0, a `pdf-deep-object` warning); a cut-short content stream and invalid text bytes give a
/// partial report (exit 3) whose error diagnostic names the page or line; `--encoding-errors
/// strict` refuses the text.
#[test]
fn partial_results_have_their_own_exit_status() {
    let root = common::root();
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = root.join("fixtures/pdf/table-basic.calc.pdf");
    let all = damage::pdf_variants(&pdf, 0, 1);
    let deep = all
        .iter()
        .find(|v| v.kind == "deep-unused")
        .expect("deep variant");
    let p = dir.path().join("deep.pdf");
    std::fs::write(&p, &deep.bytes).expect("write");
    let (code, out, err) = gyokaku(&["parse"], &p);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let base: serde_json::Value = serde_json::from_str(&gyokaku(&["parse"], &pdf).1).expect("json");
    assert_eq!(v["items"], base["items"]);
    assert!(v["diagnostics"]
        .as_array()
        .expect("diags")
        .iter()
        .any(|d| d["code"] == "pdf-deep-object"));

    // a content stream cut short: the bytes in the middle of the first stream's data dropped
    let bytes = std::fs::read(&pdf).expect("pdf");
    let ranges = damage::stream_ranges(&bytes);
    let content = ranges
        .iter()
        .copied()
        .find(|&(s, e)| {
            let dict = &bytes[s.saturating_sub(200)..s];
            e - s > 400
                && !dict.windows(6).any(|w| w == b"Length1" || w == b"/Font")
                && !dict.windows(8).any(|w| w == b"FontFile")
        })
        .expect("a content stream");
    let mut cut = bytes.clone();
    let mid = content.0 + (content.1 - content.0) / 2;
    for b in &mut cut[mid..mid + 8] {
        *b ^= 0x5A;
    }
    let p = dir.path().join("cut.pdf");
    std::fs::write(&p, &cut).expect("write");
    let (code, out, err) = gyokaku(&["parse"], &p);
    if code == Some(3) {
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        let d = v["diagnostics"].as_array().expect("diags");
        assert!(
            d.iter()
                .any(|d| d["severity"] == "error" && d["page"].is_u64()),
            "{out}"
        );
    } else {
        // the stream was not a page's: then nothing may be lost silently
        assert_eq!(code, Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["items"], base["items"], "{err}");
    }

    let text = damage::text_variants(&root.join("fixtures/text/card-basic.txt"), 1, 7);
    let bad = text
        .iter()
        .find(|v| v.kind == "invalid-byte")
        .expect("text variant");
    let p = dir.path().join("bad.txt");
    std::fs::write(&p, &bad.bytes).expect("write");
    let (code, out, err) = gyokaku(&["parse"], &p);
    assert_eq!(code, Some(3), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let line = bad.line.expect("line");
    assert!(
        v["diagnostics"]
            .as_array()
            .expect("diags")
            .iter()
            .any(|d| d["code"] == "invalid-bytes" && d["severity"] == "error" && d["line"] == line),
        "{out}"
    );
    let (code, _, err) = gyokaku(&["parse", "--encoding-errors", "strict"], &p);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(&format!("line {line}: encoding: invalid")),
        "{err}"
    );
}
