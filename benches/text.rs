//! Text → JSON throughput, single-threaded: `cargo bench --bench text`.
//!
//! Parses each corpus text (from ../shared when present, else the project's fixtures) repeatedly
//! through the whole pipeline (ingest, normalise, segment, extract, validate, JSON) and prints MB/s.
//! Then a large report (the first input repeated to about 6 MB, in a temp file): MB/s in-process
//! and as a whole `gyokaku parse` process (start, read, parse, JSON to /dev/null), best of 3.
//! Every figure is given for wall time and for the CPU time of the thread (in-process) or of the
//! process (user + system): on a busy machine only the CPU figures compare across runs.

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

/// CPU time of the calling thread.
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill in.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    Duration::ZERO
}

/// CPU time (user + system) of the finished child processes so far.
#[cfg(unix)]
fn children_cpu() -> Duration {
    // SAFETY: an all-zero rusage is a valid value for getrusage to fill in.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid rusage for the call to fill in.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_usec).unwrap_or(0) * 1000,
        )
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

#[cfg(not(unix))]
fn children_cpu() -> Duration {
    Duration::ZERO
}

fn main() {
    let opts = gyokaku::Options::default();
    println!(
        "{:<20} {:>10} {:>8} {:>10} {:>10} {:>10} {:>10}",
        "input", "bytes", "runs", "ms/run", "MB/s", "cpu ms/run", "cpu MB/s"
    );
    let (mut total_bytes, mut total_time, mut total_cpu) = (0usize, Duration::ZERO, Duration::ZERO);
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
        let cpu_start = thread_cpu();
        while start.elapsed() < Duration::from_secs(2) {
            let r = gyokaku::parse_bytes(&bytes, &name, &opts).expect("parse");
            std::hint::black_box(gyokaku::emit::to_json(&r));
            runs += 1;
        }
        let t = start.elapsed();
        let cpu = thread_cpu().saturating_sub(cpu_start);
        total_bytes += bytes.len() * runs;
        total_time += t;
        total_cpu += cpu;
        println!(
            "{:<20} {:>10} {:>8} {:>10.3} {:>10.1} {:>10.3} {:>10.1}",
            name,
            bytes.len(),
            runs,
            t.as_secs_f64() * 1e3 / runs as f64,
            (bytes.len() * runs) as f64 / t.as_secs_f64() / 1e6,
            cpu.as_secs_f64() * 1e3 / runs as f64,
            (bytes.len() * runs) as f64 / cpu.as_secs_f64().max(1e-9) / 1e6
        );
    }
    println!(
        "overall: {:.1} MB/s text → JSON, one thread ({:.1} MB/s of CPU time)",
        total_bytes as f64 / total_time.as_secs_f64() / 1e6,
        total_bytes as f64 / total_cpu.as_secs_f64().max(1e-9) / 1e6
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
    let (mut best_in, mut best_in_cpu) = (Duration::MAX, Duration::MAX);
    let (mut best_proc, mut best_proc_cpu) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        let c = thread_cpu();
        let r = gyokaku::parse_bytes(&big, &name, &opts).expect("parse");
        std::hint::black_box(gyokaku::emit::to_json(&r));
        best_in = best_in.min(t.elapsed());
        best_in_cpu = best_in_cpu.min(thread_cpu().saturating_sub(c));
        let c = children_cpu();
        let t = Instant::now();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_gyokaku"))
            .arg("parse")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("gyokaku");
        assert!(matches!(status.code(), Some(0) | Some(3)), "{status}");
        best_proc = best_proc.min(t.elapsed());
        best_proc_cpu = best_proc_cpu.min(children_cpu().saturating_sub(c));
    }
    let _ = std::fs::remove_file(&path);
    let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
    println!(
        "large report ({mb:.1} MB): {:.1} MB/s in-process, {:.1} MB/s as a whole process (best of 3); \
         of CPU time: {:.1} MB/s in-process, {:.1} MB/s as a whole process",
        rate(best_in),
        rate(best_proc),
        rate(best_in_cpu),
        rate(best_proc_cpu)
    );
}
