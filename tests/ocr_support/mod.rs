//! Helpers of the OCR tests: is Tesseract there, run the binary, compare a scanned report with
//! its born-digital twin, wrap page images as an image-only PDF.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The names in the environment variable `var` (comma separated, empty ones left out), and
/// whether `name` holds one of them: every name passes when the variable is unset or empty.
pub fn named_in(var: &str, name: &str) -> bool {
    let Ok(only) = std::env::var(var) else {
        return true;
    };
    let keys: Vec<&str> = only.split(',').filter(|k| !k.is_empty()).collect();
    keys.is_empty() || keys.iter().any(|k| name.contains(k))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when Tesseract with Japanese data is installed; otherwise prints why the test is skipped.
pub fn tesseract_ready(test: &str) -> bool {
    let ok = Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .map(|o| {
            let t = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            t.lines().any(|l| l.trim() == "jpn")
        })
        .unwrap_or(false);
    if !ok {
        eprintln!("skipped: {test}: Tesseract with Japanese data (tesseract-ocr, tesseract-ocr-jpn) is not installed");
    }
    ok
}

/// `gyokaku ARGS…` → (exit code, stdout, stderr).
pub fn gyokaku(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gyokaku"));
    cmd.args(args).current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run gyokaku");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The report JSON of `gyokaku parse PATH EXTRA…`; panics on failure.
pub fn parse(path: &Path, extra: &[&str]) -> Value {
    let p = path.to_string_lossy();
    let mut args = vec!["parse", p.as_ref()];
    args.extend_from_slice(extra);
    let (code, out, err) = gyokaku(&args, &[]);
    assert_eq!(code, 0, "{}: {err}", path.display());
    serde_json::from_str(&out).expect("report JSON")
}

/// As [`parse`], but a scan that does not read as a report gives None (with its error printed).
pub fn try_parse(path: &Path, extra: &[&str]) -> Option<Value> {
    let p = path.to_string_lossy();
    let mut args = vec!["parse", p.as_ref()];
    args.extend_from_slice(extra);
    let (code, out, err) = gyokaku(&args, &[]);
    if code != 0 {
        eprintln!("  {}", err.trim());
        return None;
    }
    Some(serde_json::from_str(&out).expect("report JSON"))
}

/// An item as compared: id, title, rating text, page, and all field texts joined.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    pub id: String,
    pub title: String,
    pub rating: String,
    pub page: u64,
    pub fields: String,
    /// The texts of its target values, in order.
    pub values: Vec<String>,
}

pub fn items(report: &Value) -> Vec<ItemView> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    report["items"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|it| ItemView {
            id: s(&it["id"]),
            title: s(&it["title"]),
            rating: s(&it["rating"]["text"]),
            page: it["source"]["page"].as_u64().unwrap_or(0),
            fields: it["fields"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|f| s(&f["text"]))
                .collect::<Vec<_>>()
                .join("\n"),
            values: it["targets"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or_default()
                .iter()
                .flat_map(|t| {
                    t["values"]
                        .as_array()
                        .map(|a| a.as_slice())
                        .unwrap_or_default()
                        .iter()
                        .map(|v| s(&v["text"]))
                })
                .collect(),
        })
        .collect()
}

/// Character agreement of two texts: 1 − edit distance / longer length (whitespace ignored).
pub fn agreement(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = b.chars().filter(|c| !c.is_whitespace()).collect();
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / longer as f64
}

/// How a scanned report compares with its born-digital twin.
#[derive(Debug)]
pub struct Comparison {
    pub twin_items: usize,
    /// Twin items found in the scan with the same id.
    pub found: usize,
    pub same_title: usize,
    pub same_rating: usize,
    /// Character agreement of all field text of the matched items.
    pub field_agreement: f64,
    /// Target values of the twin's items, and those the scan gives the same (in order).
    pub twin_values: usize,
    pub same_values: usize,
    /// Items whose title or rating differ: (id, twin, scan).
    pub differences: Vec<(String, String, String)>,
}

/// Compare the items of `twin` (those on pages ≤ `max_page`, 0 for all) with those of `scan`.
pub fn compare(twin: &[ItemView], scan: &[ItemView], max_page: u64) -> Comparison {
    let twin: Vec<&ItemView> = twin
        .iter()
        .filter(|i| max_page == 0 || i.page <= max_page)
        .collect();
    let mut used = vec![false; scan.len()];
    let (mut found, mut same_title, mut same_rating) = (0, 0, 0);
    let (mut all_twin, mut all_scan) = (String::new(), String::new());
    let mut differences = Vec::new();
    let (mut twin_values, mut same_values) = (0, 0);
    for t in &twin {
        twin_values += t.values.len();
        let Some(k) = (0..scan.len()).find(|&k| !used[k] && scan[k].id == t.id) else {
            differences.push((t.id.clone(), t.title.clone(), "(not found)".into()));
            all_twin.push_str(&t.fields);
            continue;
        };
        used[k] = true;
        let s = &scan[k];
        found += 1;
        same_title += usize::from(s.title == t.title);
        same_rating += usize::from(s.rating == t.rating);
        same_values += t
            .values
            .iter()
            .zip(&s.values)
            .filter(|(a, b)| a == b)
            .count();
        if s.title != t.title || s.rating != t.rating {
            differences.push((
                t.id.clone(),
                format!("{} [{}]", t.title, t.rating),
                format!("{} [{}]", s.title, s.rating),
            ));
        }
        all_twin.push_str(&t.fields);
        all_scan.push_str(&s.fields);
    }
    Comparison {
        twin_items: twin.len(),
        found,
        same_title,
        same_rating,
        field_agreement: agreement(&all_twin, &all_scan),
        twin_values,
        same_values,
        differences,
    }
}

/// Width and height of a baseline or progressive JPEG, from its SOF marker.
pub fn jpeg_size(j: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 9 < j.len() {
        if j[i] != 0xFF {
            i += 1;
            continue;
        }
        let m = j[i + 1];
        let len = usize::from(u16::from_be_bytes([j[i + 2], j[i + 3]]));
        if matches!(m, 0xC0..=0xC3) {
            let h = u16::from_be_bytes([j[i + 5], j[i + 6]]);
            let w = u16::from_be_bytes([j[i + 7], j[i + 8]]);
            return Some((u32::from(w), u32::from(h)));
        }
        i += 2 + len;
    }
    None
}

/// An image-only PDF: one page per grayscale JPEG, sized for `dpi`.
pub fn image_pdf(jpegs: &[Vec<u8>], dpi: f32) -> Vec<u8> {
    let mut objs: Vec<Vec<u8>> = Vec::new();
    let n = jpegs.len();
    // 1 catalog, 2 pages, then per page: page, content, image.
    objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    objs.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for (i, j) in jpegs.iter().enumerate() {
        let (w, h) = jpeg_size(j).expect("JPEG size");
        let (pw, ph) = (w as f32 * 72.0 / dpi, h as f32 * 72.0 / dpi);
        let id = 3 + 3 * i;
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Contents {} 0 R /Resources << /XObject << /Im0 {} 0 R >> >> >>",
                id + 1,
                id + 2
            )
            .into_bytes(),
        );
        let content = format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q");
        objs.push(
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            )
            .into_bytes(),
        );
        let mut img = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            j.len()
        )
        .into_bytes();
        img.extend_from_slice(j);
        img.extend_from_slice(b"\nendstream");
        objs.push(img);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn agreement_table() {
    let cases = [
        ("行政改革", "行政改革", 1.0),
        ("行政改革", "行攻改革", 0.75),
        ("", "", 1.0),
        ("abcd", "", 0.0),
        ("行 政", "行政", 1.0),
    ];
    for (a, b, want) in cases {
        assert!((agreement(a, b) - want).abs() < 1e-9, "{a} {b}");
    }
}
