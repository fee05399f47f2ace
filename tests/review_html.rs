//! `gyokaku review` pages opened in headless Chromium: every item, every diagnostic and every
//! page's highlighted regions are in the DOM, and a screenshot is written.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|n| Path::new("/usr/bin").join(n))
        .find(|p| p.is_file());
    if found.is_none() {
        common::skip(
            "review pages in Chromium: chromium is not installed (apt-get install chromium)",
        );
    }
    found
}

fn gyokaku(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .args(args)
        .output()
        .expect("run gyokaku")
}

fn headless(chrome: &Path, extra: &[String], url: &str) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=2000",
        ])
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The part of the DOM inside the element that starts with `start`.
fn element<'a>(dom: &'a str, start: &str, end: &str) -> &'a str {
    let i = dom.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &dom[i..];
    &rest[..rest.find(end).expect("end")]
}

#[test]
fn review_pages_show_every_item_diagnostic_and_region() {
    let Some(chrome) = chromium() else { return };
    let root = common::root();
    let out = tempfile::tempdir().expect("tempdir");
    let inputs = [
        root.join("fixtures/pdf/card-basic.calc.pdf"),
        root.join("fixtures/text/card-basic.txt"),
        root.join("fixtures/layouts/shiomino-r4.pdf"),
    ];
    let mut args: Vec<&std::ffi::OsStr> = vec!["review".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.push("-o".as_ref());
    args.push(out.path().as_os_str());
    let run = gyokaku(&args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("3 report pages"));

    let mut pdf_regions = 0;
    for input in &inputs {
        let report: Value =
            serde_json::from_slice(&gyokaku(&["parse".as_ref(), input.as_os_str()]).stdout)
                .expect("JSON");
        let page = out.path().join(format!(
            "{}.html",
            input.file_name().unwrap().to_string_lossy()
        ));
        let url = format!("file://{}", page.display());
        let dom = headless(&chrome, &["--dump-dom".into()], &url);
        let items = report["items"].as_array().expect("items");
        for (k, item) in items.iter().enumerate() {
            let card = element(&dom, "<section class=\"item", "</section>");
            assert!(card.contains("data-k=\"0\""), "first card first");
            let tag = format!("id=\"item-{k}\" data-k=\"{k}\"");
            assert!(
                dom.contains(&tag),
                "{}: no card for item {k}",
                page.display()
            );
            let title = item["title"].as_str().expect("title");
            assert!(dom.contains(&title.replace('&', "&amp;")), "{title}");
        }
        // The script ran: the first item is selected and the regions counted.
        assert!(
            dom.contains("class=\"item on\" id=\"item-0\""),
            "{}",
            page.display()
        );
        for (i, d) in report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .enumerate()
        {
            let tag = format!(
                "id=\"diag-{i}\" data-code=\"{}\"",
                d["code"].as_str().unwrap()
            );
            assert!(dom.contains(&tag), "{}: no diagnostic {i}", page.display());
        }
        if input.extension().is_some_and(|e| e == "pdf") {
            let pages = report["source"]["pages"].as_u64().expect("pages");
            for p in 1..=pages {
                let svg = element(&dom, &format!("id=\"page-{p}\""), "</svg>");
                assert!(svg.contains("<text"), "page {p} has no glyphs");
                // Every region with a box on this page is a highlight rectangle.
                let mut want = 0;
                for item in items {
                    let mut places: Vec<&Value> = vec![&item["source"], &item["rating"]["source"]];
                    places.extend(
                        item["fields"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|f| &f["source"]),
                    );
                    places.extend(
                        item["findings"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|f| &f["source"]),
                    );
                    for t in item["targets"].as_array().unwrap() {
                        places.extend(t["values"].as_array().unwrap().iter().map(|v| &v["source"]));
                    }
                    places.extend(
                        item["schedule"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|s| &s["source"]),
                    );
                    for pr in item["progress"].as_array().unwrap() {
                        places.push(&pr["goal_source"]);
                        places.push(&pr["status"]["source"]);
                    }
                    want += places
                        .iter()
                        .filter(|s| s["page"] == p && s["bbox"].is_array())
                        .count();
                }
                let got = svg.matches("<rect class=\"hl").count();
                assert_eq!(
                    got,
                    want,
                    "{}: page {p} highlighted regions",
                    page.display()
                );
                pdf_regions += got;
            }
        } else {
            let lines = element(&dom, "<ol class=\"lines\"", "</ol>");
            for item in items {
                let line = item["source"]["line"].as_u64().unwrap();
                assert!(
                    lines.contains(&format!("id=\"line-{line}\"")),
                    "line {line}"
                );
            }
            assert!(lines.contains("data-item=\"0\""));
        }
    }
    assert!(pdf_regions > 100, "{pdf_regions}");

    let index = headless(
        &chrome,
        &["--dump-dom".into()],
        &format!("file://{}", out.path().join("index.html").display()),
    );
    for id in ["by-municipality", "by-section", "by-year"] {
        assert!(index.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(index.contains("data-row=\"汐見野町\""), "municipality bar");
    assert_eq!(index.matches("<tr><td><a href=").count(), 3);

    // A screenshot of one page (for the README: docs/review.png).
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &chrome,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,800".into(),
        ],
        &format!(
            "file://{}",
            out.path().join("card-basic.calc.pdf.html").display()
        ),
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 10_000, "{} bytes", png.len());
    eprintln!("screenshot: {}", shot.display());
}
