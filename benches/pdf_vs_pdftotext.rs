//! PDF benchmark: the whole `gyokaku parse` run (PDF → report → JSON, as a process) against
//! poppler's `pdftotext -layout` and MuPDF's `mutool draw -F txt` (text extraction only) on the
//! same files, in one run.
//!
//! `cargo bench --bench pdf_vs_pdftotext [-- FILE.pdf …]`
//!
//! Without arguments it uses the project's fixture PDFs, a 60-page PDF made from them by
//! `scripts/make-long-pdf`, and, when present, the real reports in ../shared/corpus/pdf and the
//! layouts in ../shared/layouts. Runs are paired: each round runs every program once on a file,
//! in an order that turns from round to round, so that a busy moment of the machine costs all of
//! them; the best of `GYOKAKU_BENCH_RUNS` rounds (default 5) is reported, with the ratios of
//! gyokaku to each peer (below 1: faster). The aims are at most 0.5 of pdftotext and 1.0 of
//! mutool on every file.
//!
//! Then: the 60-page file with its pages read in parallel (the default) against `-j 1`, and a
//! batch of the PDFs with `-j 2` against `-j 1`.
//!
//! A peer that is not installed is left out with a note (`apt-get install poppler-utils
//! mupdf-tools`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gyokaku() -> &'static str {
    env!("CARGO_BIN_EXE_gyokaku")
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        eprintln!("note: {} not present, skipped", dir.display());
        return Vec::new();
    };
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
    v
}

/// The 60-page PDF, made from the Chromium fixtures (Type0 fonts) into `dir`.
fn long_pdf(dir: &Path) -> Option<PathBuf> {
    let out = dir.join("long-60.pdf");
    let r = root();
    let status = Command::new(r.join("scripts/make-long-pdf"))
        .arg(&out)
        .arg("60")
        .arg(r.join("fixtures/pdf/card-basic.chromium.pdf"))
        .arg(r.join("fixtures/pdf/table-basic.chromium.pdf"))
        .stdout(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some(out),
        _ => {
            eprintln!(
                "note: no 60-page PDF (scripts/make-long-pdf needs pdfunite or mutool), skipped"
            );
            None
        }
    }
}

fn files(tmp: &Path) -> Vec<PathBuf> {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if !args.is_empty() {
        return args;
    }
    let r = root();
    let mut out = Vec::new();
    out.extend(pdfs_in(&r.join("fixtures/pdf")));
    out.extend(pdfs_in(&r.join("fixtures/layouts")));
    out.extend(long_pdf(tmp));
    out.extend(pdfs_in(&r.join("../shared/corpus/pdf")));
    out.extend(pdfs_in(&r.join("../shared/layouts")));
    out
}

/// A program run on one file: its wall time, or `None` when it failed.
fn run(mut cmd: Command) -> Option<Duration> {
    let t = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let d = t.elapsed();
    // gyokaku: 0 is a report, 3 a partial one.
    matches!(status.code(), Some(0) | Some(3)).then_some(d)
}

#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Gyokaku,
    Pdftotext,
    Mutool,
}

fn command(tool: Tool, path: &Path) -> Command {
    match tool {
        Tool::Gyokaku => {
            let mut c = Command::new(gyokaku());
            c.arg("parse").arg(path);
            c
        }
        Tool::Pdftotext => {
            let mut c = Command::new("pdftotext");
            c.arg("-layout").arg(path).arg("/dev/null");
            c
        }
        Tool::Mutool => {
            let mut c = Command::new("mutool");
            c.args(["draw", "-q", "-F", "txt", "-o", "/dev/null"])
                .arg(path);
            c
        }
    }
}

fn installed(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Best of `runs` paired rounds for each tool (`None`: the tool failed on the file).
fn paired(tools: &[Tool], runs: usize, mk: impl Fn(Tool) -> Command) -> Vec<Option<Duration>> {
    let mut best: Vec<Option<Duration>> = vec![None; tools.len()];
    let mut failed = vec![false; tools.len()];
    for round in 0..runs {
        for k in 0..tools.len() {
            let i = (k + round) % tools.len();
            if failed[i] {
                continue;
            }
            match run(mk(tools[i])) {
                Some(d) => best[i] = Some(best[i].map_or(d, |b| b.min(d))),
                None => {
                    failed[i] = true;
                    best[i] = None;
                }
            }
        }
    }
    best
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
    let mut tools = vec![Tool::Gyokaku];
    if installed("pdftotext", "-v") {
        tools.push(Tool::Pdftotext);
    } else {
        eprintln!("note: pdftotext not found (apt-get install poppler-utils); left out");
    }
    if installed("mutool", "-v") {
        tools.push(Tool::Mutool);
    } else {
        eprintln!("note: mutool not found (apt-get install mupdf-tools); left out");
    }
    let tmp = std::env::temp_dir().join(format!("gyokaku-bench-pdf-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&tmp);
    let files = files(&tmp);
    println!("best of {runs} paired rounds; gyokaku: `gyokaku parse FILE` (JSON to /dev/null)");
    println!(
        "{:<32} {:>6} {:>12} {:>10} {:>11} {:>10} {:>10}",
        "file", "KiB", "pdftotext ms", "mutool ms", "gyokaku ms", "g/pdftotext", "g/mutool"
    );
    let pos = |t: Tool| tools.iter().position(|x| *x == t);
    let (mut worst_p, mut worst_m) = (0.0f64, 0.0f64);
    let mut totals = [Duration::ZERO; 3];
    for path in &files {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let best = paired(&tools, runs, |t| command(t, path));
        let get = |t: Tool| pos(t).and_then(|i| best.get(i).copied().flatten());
        let (g, p, m) = (get(Tool::Gyokaku), get(Tool::Pdftotext), get(Tool::Mutool));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let fmt = |d: Option<Duration>| d.map_or("-".to_string(), |d| format!("{:.1}", ms(d)));
        let ratio = |peer: Option<Duration>, worst: &mut f64| match (g, peer) {
            (Some(g), Some(p)) => {
                let r = g.as_secs_f64() / p.as_secs_f64();
                *worst = worst.max(r);
                format!("{r:.2}")
            }
            _ => "-".into(),
        };
        let rp = ratio(p, &mut worst_p);
        let rm = ratio(m, &mut worst_m);
        if let (Some(g), Some(p), Some(m)) = (g, p, m) {
            totals[0] += g;
            totals[1] += p;
            totals[2] += m;
        }
        println!(
            "{name:<32} {:>6} {:>12} {:>10} {:>11} {rp:>10} {rm:>10}",
            size / 1024,
            fmt(p),
            fmt(m),
            fmt(g)
        );
    }
    if totals[1] > Duration::ZERO {
        println!(
            "{:<32} {:>6} {:>12.1} {:>10.1} {:>11.1} {:>10.2} {:>10.2}",
            "total (files all three read)",
            "",
            ms(totals[1]),
            ms(totals[2]),
            ms(totals[0]),
            totals[0].as_secs_f64() / totals[1].as_secs_f64(),
            totals[0].as_secs_f64() / totals[2].as_secs_f64(),
        );
        println!(
            "worst file: {worst_p:.2} of pdftotext (aim ≤ 0.5), {worst_m:.2} of mutool (aim ≤ 1.0)"
        );
    }

    // Page parallelism: one long file, pages on all cores against -j 1.
    if let Some(long) = files.iter().find(|p| p.ends_with("long-60.pdf")) {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Paired: -j 1 and the default (pages on every core) in turn, in each round.
        let mut best: [Option<Duration>; 2] = [None, None];
        for round in 0..runs {
            for k in 0..2 {
                let i = (k + round) % 2;
                let mut c = command(Tool::Gyokaku, long);
                if i == 0 {
                    c.args(["-j", "1"]);
                }
                if let Some(d) = run(c) {
                    best[i] = Some(best[i].map_or(d, |b: Duration| b.min(d)));
                }
            }
        }
        if let [Some(one), Some(all)] = best.as_slice() {
            println!(
                "60 pages: -j 1 {:.1} ms, pages on {cores} threads {:.1} ms: speed-up {:.2}×",
                ms(*one),
                ms(*all),
                one.as_secs_f64() / all.as_secs_f64()
            );
        }
    }

    // Batch: every PDF into an output folder, -j 2 against -j 1.
    let batch_in = tmp.join("in");
    let _ = std::fs::create_dir_all(&batch_in);
    for (i, f) in files.iter().enumerate() {
        let _ = std::fs::copy(f, batch_in.join(format!("{i:02}.pdf")));
    }
    let mut times = Vec::new();
    for jobs in ["1", "2"] {
        let mut best: Option<Duration> = None;
        for _ in 0..runs {
            let out = tmp.join(format!("out-{jobs}"));
            let _ = std::fs::remove_dir_all(&out);
            let mut c = Command::new(gyokaku());
            c.arg("parse")
                .arg(&batch_in)
                .arg("-o")
                .arg(&out)
                .args(["-q", "--force", "-j", jobs]);
            let t = Instant::now();
            let ok = c
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| matches!(s.code(), Some(0) | Some(3)));
            let d = t.elapsed();
            if ok {
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        times.push(best);
    }
    if let [Some(one), Some(two)] = times.as_slice() {
        println!(
            "batch of {} PDFs: -j 1 {:.1} ms, -j 2 {:.1} ms: speed-up {:.2}×",
            files.len(),
            ms(*one),
            ms(*two),
            one.as_secs_f64() / two.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
