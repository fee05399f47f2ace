//! Pages read in parallel give the same report as pages read in order: on the fixture PDFs, on
//! their damaged variants, and through the binary (`-j 1` against more jobs); and `--timings`
//! names every stage without changing the output.

mod common;
#[path = "damage/mod.rs"]
mod damage;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::root;

fn fixture_pdfs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["fixtures/pdf", "fixtures/layouts"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        v.sort();
        out.extend(v);
    }
    out
}

/// The report as JSON (or the error as text) with pages read on `threads` threads.
fn parse(bytes: &[u8], name: &str, threads: usize) -> Result<String, String> {
    let opts = gyokaku::Options {
        page_threads: threads,
        ..gyokaku::Options::default()
    };
    gyokaku::parse_bytes(bytes, name, &opts)
        .map(|r| gyokaku::emit::to_json(&r))
        .map_err(|e| e.to_string())
}

#[test]
fn fixtures_read_the_same_in_parallel() {
    let files = fixture_pdfs();
    assert!(files.len() >= 8, "{files:?}");
    let mut reports = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let one = parse(&bytes, &name, 1);
        assert_eq!(parse(&bytes, &name, 3), one, "{name} on 3 threads");
        if let Ok(json) = &one {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            assert!(v["source"]["pages"].as_u64().unwrap() >= 1, "{name}");
            reports += 1;
        }
    }
    // The two not-report inputs are refused, every other fixture gives a report.
    assert_eq!(reports, files.len() - 2);
}

#[test]
fn damaged_variants_read_the_same_in_parallel() {
    let mut checked = 0;
    for name in ["card-basic.calc.pdf", "table-basic.chromium.pdf"] {
        let path = root().join("fixtures/pdf").join(name);
        for v in damage::pdf_variants(&path, 1, 7) {
            let one = parse(&v.bytes, &v.name, 1);
            let two = parse(&v.bytes, &v.name, 2);
            assert_eq!(two, one, "{}", v.name);
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked}");
}

fn gyokaku(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn jobs_do_not_change_the_output() {
    for f in [
        "fixtures/pdf/card-basic.calc.pdf",
        "fixtures/pdf/card-basic.chromium.pdf",
    ] {
        assert!(Path::new(&root().join(f)).is_file());
        let (code, one, err) = gyokaku(&["parse", f, "-j", "1"]);
        assert_eq!(code, 0, "{f}: {err}");
        assert!(one.contains("\"items\""), "{f}");
        for jobs in ["2", "4"] {
            let (code, many, _) = gyokaku(&["parse", f, "-j", jobs]);
            assert_eq!(code, 0);
            assert_eq!(many, one, "{f} -j {jobs}");
        }
    }
}

#[test]
fn timings_name_every_stage() {
    let f = "fixtures/pdf/table-basic.chromium.pdf";
    let (_, plain, _) = gyokaku(&["parse", f]);
    let (code, timed, err) = gyokaku(&["parse", f, "--timings"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(timed, plain);
    let line = err
        .lines()
        .find(|l| l.starts_with("gyokaku: timings (ms) for "))
        .unwrap_or_else(|| panic!("{err}"));
    let stages = line.split_once(": ").unwrap().1;
    let stages = stages.split_once(": ").unwrap().1;
    let names: Vec<&str> = stages
        .split(", ")
        .map(|p| {
            let (name, ms) = p.split_once(' ').unwrap();
            let ms: f64 = ms.parse().unwrap();
            assert!(ms >= 0.0);
            name
        })
        .collect();
    assert_eq!(
        names,
        [
            "read",
            "parse",
            "fonts",
            "interpret",
            "layout",
            "records",
            "emit",
            "total"
        ]
    );
    let total: f64 = stages.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(total > 0.0, "{line}");
    // A text input: no PDF stages, its decoding under parse.
    let (code, _, err) = gyokaku(&["parse", "fixtures/text/card-basic.txt", "--timings"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("fonts 0.00, interpret 0.00, layout 0.00"),
        "{err}"
    );
    // A batch is refused.
    let (code, _, err) = gyokaku(&["parse", "fixtures/pdf", "--format", "jsonl", "--timings"]);
    assert_eq!(code, 2);
    assert!(err.contains("--timings times one input"), "{err}");
}
