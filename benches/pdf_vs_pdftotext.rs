//! PDF benchmark: the whole gyokaku pipeline (PDF → report → JSON) against poppler's
//! `pdftotext -layout` (text extraction only) on the same files, in one run.
//!
//! `cargo bench --bench pdf_vs_pdftotext [-- FILE.pdf …]`
//!
//! Without arguments it uses the project's fixture PDFs and, when present, the real reports in
//! ../shared/corpus/pdf. Each file is processed `GYOKAKU_BENCH_RUNS` times (default 5) by both;
//! the best wall time of each is reported, with the ratio gyokaku / pdftotext (below 1: faster).
//! pdftotext runs as a subprocess (that is how it is used); gyokaku runs in-process and is
//! timed from reading the file to the finished JSON string.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn files() -> Vec<PathBuf> {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if !args.is_empty() {
        return args;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("fixtures/pdf"),
        root.join("fixtures/layouts"),
        root.join("../shared/corpus/pdf"),
        root.join("../shared/layouts"),
    ] {
        if let Ok(rd) = std::fs::read_dir(&dir) {
            let mut v: Vec<PathBuf> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                // Inputs that are meant to be refused (not reports) are not timed.
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("not-report"))
                })
                .collect();
            v.sort();
            out.extend(v);
        } else {
            eprintln!("note: {} not present, skipped", dir.display());
        }
    }
    out
}

fn best<F: FnMut() -> bool>(runs: usize, mut f: F) -> Option<Duration> {
    let mut best: Option<Duration> = None;
    for _ in 0..runs {
        let t = Instant::now();
        if !f() {
            return None;
        }
        let d = t.elapsed();
        best = Some(best.map_or(d, |b| b.min(d)));
    }
    best
}

fn pdftotext(path: &Path) -> bool {
    Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("/dev/null")
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn gyokaku_json(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let name = path.display().to_string();
    match gyokaku::parse_bytes(&bytes, &name, &gyokaku::Options::default()) {
        Ok(report) => {
            std::hint::black_box(gyokaku::emit::to_json(&report));
            true
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runs: usize = std::env::var("GYOKAKU_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let have_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    if !have_pdftotext {
        eprintln!("note: pdftotext not found (apt-get install poppler-utils); timing gyokaku only");
    }
    println!(
        "{:<40} {:>8} {:>14} {:>14} {:>8}",
        "file", "KiB", "pdftotext ms", "gyokaku ms", "ratio"
    );
    let (mut tp, mut tg) = (Duration::ZERO, Duration::ZERO);
    for path in files() {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let g = best(runs, || gyokaku_json(&path));
        let p = if have_pdftotext {
            best(runs, || pdftotext(&path))
        } else {
            None
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let fmt = |d: Option<Duration>| d.map_or("failed".to_string(), |d| format!("{:.1}", ms(d)));
        let ratio = match (g, p) {
            (Some(g), Some(p)) => {
                tg += g;
                tp += p;
                format!("{:.2}", g.as_secs_f64() / p.as_secs_f64())
            }
            _ => "-".into(),
        };
        println!(
            "{name:<40} {:>8} {:>14} {:>14} {ratio:>8}",
            size / 1024,
            fmt(p),
            fmt(g)
        );
    }
    if tp > Duration::ZERO {
        println!(
            "{:<40} {:>8} {:>14.1} {:>14.1} {:>8.2}",
            "total",
            "",
            ms(tp),
            ms(tg),
            tg.as_secs_f64() / tp.as_secs_f64()
        );
    }
}
