//! Font programs embedded in the sample PDFs of `../shared/pdf-cjk` (skipped when absent).
use super::*;
use std::path::Path;

/// `(font name, FontFile key, decoded program)` for every embedded font of a PDF.
fn embedded_fonts(path: &Path) -> Vec<(String, String, Vec<u8>)> {
    let Ok(doc) = lopdf::Document::load(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(&b"FontDescriptor"[..]) {
            continue;
        }
        let name = dict
            .get(b"FontName")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        for key in ["FontFile", "FontFile2", "FontFile3"] {
            let Ok(r) = dict.get(key.as_bytes()).and_then(|o| o.as_reference()) else {
                continue;
            };
            let Ok(stream) = doc.get_object(r).and_then(|o| o.as_stream()) else {
                continue;
            };
            let data = stream
                .decompressed_content()
                .unwrap_or_else(|_| stream.content.clone());
            out.push((name.clone(), key.to_string(), data));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn corpus() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-cjk");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not present", dir.display());
        None
    }
}

#[test]
fn every_embedded_font_parses_without_panic() {
    let Some(dir) = corpus() else { return };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut programs = 0;
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
    {
        for (name, key, data) in embedded_fonts(path) {
            let t = std::time::Instant::now();
            let program = FontProgram::parse(&data);
            let elapsed = t.elapsed();
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy())
                .unwrap_or_default();
            match &program {
                Some(p) => eprintln!(
                    "{file} {name} {key}: {:?} glyphs={} mapped={} cid_keyed={} ros={:?} builtin={} in {elapsed:?}",
                    p.kind(),
                    p.num_glyphs(),
                    p.mapped_glyphs(),
                    p.is_cid_keyed(),
                    p.cff_ros(),
                    p.builtin_encoding().is_some(),
                ),
                None => eprintln!("{file} {name} {key}: not readable"),
            }
            programs += usize::from(program.is_some());
        }
    }
    assert!(programs > 30, "{programs}");
}

/// The characters of a reference text that the embedded fonts' glyph → Unicode maps can
/// produce, as a share of the reference's distinct non-space characters.
fn coverage(dir: &Path, file: &str) -> Option<(f64, Vec<char>, Vec<char>)> {
    let fonts = embedded_fonts(&dir.join(format!("{file}.pdf")));
    let reference = std::fs::read_to_string(dir.join(format!("reference/{file}.txt"))).ok()?;
    let mut produced = std::collections::BTreeSet::new();
    for (_, _, data) in &fonts {
        let Some(p) = FontProgram::parse(data) else {
            continue;
        };
        for gid in 0..p.num_glyphs() {
            if let Some(t) = p.gid_to_unicode(gid) {
                produced.extend(t.chars());
            }
        }
    }
    let wanted: std::collections::BTreeSet<char> = reference
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{FFFD}')
        .collect();
    let missing: Vec<char> = wanted
        .iter()
        .copied()
        .filter(|c| !produced.contains(c))
        .collect();
    let share = 1.0 - missing.len() as f64 / wanted.len().max(1) as f64;
    let extra: Vec<char> = produced
        .iter()
        .copied()
        .filter(|c| !wanted.contains(c))
        .collect();
    Some((share, missing, extra))
}

#[test]
fn embedded_fonts_cover_reference_text() {
    let Some(dir) = corpus() else { return };
    // (file, minimum share of the reference's characters the fonts can produce, whether
    // the fonts are subsets that must produce nothing beyond the reference but spaces)
    let cases: &[(&str, f64, bool)] = &[
        ("synthetic-report_grid_type0_noToUnicode", 1.0, true),
        ("javauninstall-7r", 1.0, false),
        ("issue16538", 1.0, true),
        ("issue-625-identity-cmap", 1.0, true),
        ("issue13147", 1.0, false), // damaged: the reference holds part of the text
        ("nlp2004slides", 0.9, false), // the rest is in fonts without cmap or names
    ];
    for &(file, min, exact) in cases {
        let Some((share, missing, extra)) = coverage(&dir, file) else {
            eprintln!("skipped {file}: not readable");
            continue;
        };
        let shown: String = missing.iter().take(40).collect();
        if exact {
            assert!(
                extra.iter().all(|c| c.is_whitespace()),
                "{file}: extra {extra:?}"
            );
        }
        let extra: String = extra.iter().take(60).collect();
        eprintln!("{file}: {:.1} % of reference characters; missing {shown:?}; not in reference {extra:?}", share * 100.0);
        assert!(share >= min, "{file}: {share}");
    }
}
