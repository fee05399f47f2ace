//! A report's PDF gives the same items and fields as its text twin. Provenance (page/line) and
//! diagnostics aside, every field must agree; text is compared without white space, since a PDF
//! does not record whether a line wrap stood for a space.

mod common;

use serde_json::Value;
use std::path::Path;

fn squash(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.chars().filter(|c| !c.is_whitespace()).collect()),
        Value::Array(a) => Value::Array(a.iter().map(squash).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                // Places differ between a text and a PDF by nature.
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "source" | "diagnostics" | "generator")
                        && !k.ends_with("_source")
                        && !k.ends_with("_sources")
                })
                .map(|(k, v)| (k.clone(), squash(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                diff(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: text {a} / pdf {b}")),
        _ => {}
    }
}

fn same_report(text: &Path, pdf: &Path) {
    let t = common::parse_file(text);
    let p = common::parse_file(pdf);
    assert_eq!(p.source.media_type, "application/pdf");
    assert!(
        p.source.pages.is_some_and(|n| n >= 1),
        "{}: pages",
        pdf.display()
    );
    assert_eq!(
        p.items.len(),
        t.items.len(),
        "{}: item count",
        pdf.display()
    );
    for it in &p.items {
        assert!(
            it.source.page.is_some(),
            "{}: item {} has no page",
            pdf.display(),
            it.id
        );
    }
    let mut pages: Vec<u32> = p.items.iter().filter_map(|i| i.source.page).collect();
    let sorted = {
        let mut s = pages.clone();
        s.sort();
        s
    };
    assert_eq!(pages, sorted, "{}: item pages go backwards", pdf.display());
    pages.dedup();
    let tv = squash(&serde_json::to_value(&t).expect("json"));
    let pv = squash(&serde_json::to_value(&p).expect("json"));
    let mut out = Vec::new();
    diff(&tv, &pv, "", &mut out);
    assert!(
        out.is_empty(),
        "{} differs from {} in {} fields:\n{}",
        pdf.display(),
        text.display(),
        out.len(),
        out.join("\n")
    );
}

#[test]
fn fixture_pdfs_match_their_texts() {
    let root = common::root();
    for name in ["card-basic", "table-basic"] {
        for renderer in ["calc", "chromium"] {
            same_report(
                &root.join(format!("fixtures/text/{name}.txt")),
                &root.join(format!("fixtures/pdf/{name}.{renderer}.pdf")),
            );
        }
    }
}

#[test]
fn corpus_pdfs_match_their_texts() {
    let Some(shared) = common::shared("corpus_pdfs_match_their_texts") else {
        return;
    };
    for (text, pdf) in [
        ("seki-r3.txt", "seki-r3.calc.pdf"),
        ("kiyosu-r2.txt", "kiyosu-r2.calc.pdf"),
        ("kiyosu-r2.txt", "kiyosu-r2.chromium.pdf"),
    ] {
        same_report(
            &shared.join("corpus").join(text),
            &shared.join("corpus/pdf").join(pdf),
        );
    }
}
