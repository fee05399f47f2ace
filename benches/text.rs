//! Text → JSON throughput, single-threaded: `cargo bench --bench text`.
//!
//! Parses each corpus text (from ../shared when present, else the project's fixtures) repeatedly
//! through the whole pipeline (ingest, normalise, segment, extract, validate, JSON) and prints MB/s.
//! Then a large report (the first input repeated to about 6 MB, in a temp file): MB/s in-process
//! and as a whole `gyokaku parse` process (start, read, parse, JSON to /dev/null), best of 3.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn inputs() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus");
    if shared.is_dir() {
        vec![shared.join("seki-r3.txt"), shared.join("kiyosu-r2.txt")]
    } else {
        eprintln!("note: ../shared absent; measuring the fixtures instead");
        vec![
            root.join("fixtures/text/card-basic.txt"),
            root.join("fixtures/text/table-basic.txt"),
        ]
    }
}

fn main() {
    let opts = gyokaku::Options::default();
    println!(
        "{:<20} {:>10} {:>8} {:>10} {:>10}",
        "input", "bytes", "runs", "ms/run", "MB/s"
    );
    let (mut total_bytes, mut total_time) = (0usize, Duration::ZERO);
    for path in inputs() {
        let bytes = std::fs::read(&path).expect("input");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Warm up, then run for about two seconds.
        for _ in 0..20 {
            let r = gyokaku::parse_bytes(&bytes, &name, &opts).expect("parse");
            std::hint::black_box(gyokaku::emit::to_json(&r));
        }
        let mut runs = 0usize;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            let r = gyokaku::parse_bytes(&bytes, &name, &opts).expect("parse");
            std::hint::black_box(gyokaku::emit::to_json(&r));
            runs += 1;
        }
        let t = start.elapsed();
        total_bytes += bytes.len() * runs;
        total_time += t;
        println!(
            "{:<20} {:>10} {:>8} {:>10.3} {:>10.1}",
            name,
            bytes.len(),
            runs,
            t.as_secs_f64() * 1e3 / runs as f64,
            (bytes.len() * runs) as f64 / t.as_secs_f64() / 1e6
        );
    }
    println!(
        "overall: {:.1} MB/s text → JSON, one thread",
        total_bytes as f64 / total_time.as_secs_f64() / 1e6
    );
    large(&inputs()[0]);
}

/// In-process and whole-process throughput on a large report.
fn large(seed: &std::path::Path) {
    let one = std::fs::read(seed).expect("input");
    let mut big = Vec::with_capacity(6_200_000);
    while big.len() < 6_000_000 {
        big.extend_from_slice(&one);
        big.push(b'\n');
    }
    let path = std::env::temp_dir().join(format!("gyokaku-bench-text-{}.txt", std::process::id()));
    std::fs::write(&path, &big).expect("temp file");
    let mb = big.len() as f64 / 1e6;
    let opts = gyokaku::Options::default();
    let name = path.display().to_string();
    let mut best_in = Duration::MAX;
    let mut best_proc = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let r = gyokaku::parse_bytes(&big, &name, &opts).expect("parse");
        std::hint::black_box(gyokaku::emit::to_json(&r));
        best_in = best_in.min(t.elapsed());
        let t = Instant::now();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_gyokaku"))
            .arg("parse")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("gyokaku");
        assert!(matches!(status.code(), Some(0) | Some(3)), "{status}");
        best_proc = best_proc.min(t.elapsed());
    }
    let _ = std::fs::remove_file(&path);
    println!(
        "large report ({mb:.1} MB): {:.1} MB/s in-process, {:.1} MB/s as a whole process (best of 3)",
        mb / best_in.as_secs_f64(),
        mb / best_proc.as_secs_f64()
    );
}
