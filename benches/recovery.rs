//! Recovery benchmark: damaged variants of the fixture PDFs and texts (tests/damage), read by
//! gyokaku and, for the PDFs, by poppler's `pdftotext` in the same run; then peak memory of
//! `gyokaku parse` against input size for texts of 1, 10 and 100 MiB.
//!
//! `cargo bench --bench recovery` (`-- --variants-only` or `-- --memory-only` for one part)
//!
//! - A variant's text layer survives for pdftotext when it exits 0 and prints at least 90 % of
//!   the characters (multiset of non-space characters) it prints for the undamaged file.
//! - gyokaku gives a result when it returns a report (a partial one included); a result is
//!   intact when it holds every item of the undamaged file unchanged.
//! - Memory: the release binary under `/usr/bin/time -v` (maximum resident set size) on a
//!   text made by repeating `fixtures/text/card-basic.txt`; skipped with a note when
//!   `/usr/bin/time` is missing. Beside each peak: the floor, the same command's peak on one
//!   copy of the repeated report (the process's fixed part), and the peak above it, which is
//!   what grows with the input, with whether it meets the aim of at most three times the input
//!   (`<=3x`). `-- --max-mib N` measures only the inputs of at most N MiB.

#[path = "../tests/damage/mod.rs"]
mod damage;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chars(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_default() += 1;
    }
    m
}

/// Share of the characters of `base` also in `got` (as multisets).
fn kept(base: &HashMap<char, usize>, got: &HashMap<char, usize>) -> f64 {
    let total: usize = base.values().sum();
    let common: usize = base
        .iter()
        .map(|(c, n)| (*n).min(got.get(c).copied().unwrap_or(0)))
        .sum();
    if total == 0 {
        1.0
    } else {
        common as f64 / total as f64
    }
}

fn pdftotext(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext")
        .args(["-layout", "-q"])
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn items(r: &gyokaku::Report) -> Vec<String> {
    r.items
        .iter()
        .map(|i| format!("{}|{:?}|{:?}", i.id, i.title, i.department))
        .collect()
}

fn recovery() {
    let dir = std::env::temp_dir().join(format!("gyokaku-recovery-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let have_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
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
        variants.extend(damage::pdf_variants(
            &root().join("fixtures/pdf").join(name),
            20,
            0xB5AD_4ECE + i as u64,
        ));
    }
    for (i, name) in ["card-basic.txt", "table-basic.txt", "card-oddities.txt"]
        .iter()
        .enumerate()
    {
        variants.extend(damage::text_variants(
            &root().join("fixtures/text").join(name),
            12,
            0x1234_5678 + i as u64,
        ));
    }
    let opts = gyokaku::Options::default();
    type Base = (Vec<String>, Option<HashMap<char, usize>>);
    let mut base: HashMap<*const Vec<u8>, Base> = HashMap::new();
    // per kind: variants, gyokaku results, intact, pdftotext survives, gyokaku result where it does
    let mut rows: std::collections::BTreeMap<String, [usize; 5]> = Default::default();
    let mut refused: Vec<String> = Vec::new();
    for v in &variants {
        let is_pdf = v.source.extension().is_some_and(|e| e == "pdf");
        let (want, base_chars) = base
            .entry(std::sync::Arc::as_ptr(&v.original))
            .or_insert_with(|| {
                let r = gyokaku::parse_bytes(&v.original, "base", &opts).expect("undamaged");
                let chars = if is_pdf && have_pdftotext {
                    let p = dir.join("base.pdf");
                    std::fs::write(&p, v.original.as_slice()).expect("write");
                    pdftotext(&p).map(|t| chars(&t))
                } else {
                    None
                };
                (items(&r), chars)
            })
            .clone();
        let form = if is_pdf { "pdf" } else { "text" };
        let row = rows.entry(format!("{form} {}", v.kind)).or_default();
        row[0] += 1;
        let parsed = gyokaku::parse_bytes(&v.bytes, "variant", &opts);
        let refusal = parsed.as_ref().err().map(|e| e.to_string());
        let got = parsed.ok();
        if let Some(r) = &got {
            row[1] += 1;
            let have = items(r);
            if want.iter().all(|w| have.contains(w)) {
                row[2] += 1;
            }
        }
        if let Some(bc) = &base_chars {
            let p = dir.join("variant.pdf");
            std::fs::write(&p, &v.bytes).expect("write");
            if pdftotext(&p).is_some_and(|t| kept(bc, &chars(&t)) >= 0.9) {
                row[3] += 1;
                if got.is_some() {
                    row[4] += 1;
                } else if let Some(e) = &refusal {
                    // what pdftotext reads and gyokaku does not, named
                    refused.push(format!("{}: {e}", v.name));
                    if let Some(d) = std::env::var_os("RECOVERY_DUMP") {
                        let name = v.name.replace(':', "_");
                        let _ = std::fs::write(Path::new(&d).join(name), &v.bytes);
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("recovery on {} damaged variants", variants.len());
    println!(
        "{:<22} {:>8} {:>10} {:>8} {:>18} {:>22}",
        "kind", "variants", "gyokaku", "intact", "pdftotext >=90%", "gyokaku where it is"
    );
    let mut total = [0usize; 5];
    for (kind, r) in &rows {
        println!(
            "{kind:<22} {:>8} {:>10} {:>8} {:>18} {:>22}",
            r[0], r[1], r[2], r[3], r[4]
        );
        for (t, x) in total.iter_mut().zip(r) {
            *t += x;
        }
    }
    println!(
        "{:<22} {:>8} {:>10} {:>8} {:>18} {:>22}",
        "all", total[0], total[1], total[2], total[3], total[4]
    );
    for r in &refused {
        println!("refused where pdftotext reads: {r}");
    }
    if !have_pdftotext {
        println!("note: pdftotext not found; its columns are empty");
    }
}

/// A memory measurement: MiB of text, the text repeated to make it, `GYOKAKU_WINDOW_LINES`, the
/// arguments of `parse`, what is measured.
type Case<'a> = (usize, &'a [u8], Option<&'a str>, &'a [&'a str], &'a str);

/// Peak resident memory of `gyokaku parse` on texts of 1, 10 and 100 MiB, tab-separated and
/// space-aligned; a 10 MiB text through the batch outputs (JSONL and CSV, and the xlsx workbook,
/// into a folder). The machine's load average is printed with each, as it sways the seconds.
fn memory(max_mib: Option<usize>) {
    if !Path::new("/usr/bin/time").exists() {
        println!("memory: skipped (/usr/bin/time not found; apt-get install time)");
        return;
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_gyokaku"));
    let tabbed = std::fs::read(root().join("fixtures/text/card-basic.txt")).expect("fixture");
    let spaced =
        std::fs::read(root().join("fixtures/layout-text/shiomino-r4.layout.txt")).expect("fixture");
    let dir = std::env::temp_dir().join(format!("gyokaku-memory-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    println!("peak memory of `gyokaku parse` (release) against input size");
    println!(
        "{:>8} {:>12} {:>8} {:>8} {:>22} {:>8} {:>6}  how",
        "input", "peak RSS", "ratio", "floor", "above floor", "seconds", "load"
    );
    // Texts above 512 KiB are read in windows (up to 600 lines or 96 KiB of text each); the
    // 1 MiB texts are also read whole (`GYOKAKU_WINDOW_LINES=0`) to show what windows save.
    let out_json = dir.join("out.json");
    let out_dir = format!("{}/", dir.join("out").display());
    let json: Vec<&str> = vec!["-o", out_json.to_str().unwrap_or_default()];
    let tables: Vec<&str> = vec!["--format", "jsonl,csv", "-q", "-o", &out_dir];
    let workbook: Vec<&str> = vec!["--format", "xlsx", "-q", "-o", &out_dir];
    let cases: [Case; 9] = [
        (1, &tabbed, None, &json, "JSON, in windows (the default)"),
        (
            1,
            &tabbed,
            Some("0"),
            &json,
            "JSON, whole (GYOKAKU_WINDOW_LINES=0)",
        ),
        (10, &tabbed, None, &json, "JSON, in windows"),
        (10, &tabbed, None, &tables, "JSONL + CSV, in windows"),
        (10, &tabbed, None, &workbook, "xlsx workbook, in windows"),
        (
            1,
            &spaced,
            None,
            &json,
            "JSON, space-aligned text, in windows",
        ),
        (
            10,
            &spaced,
            None,
            &json,
            "JSON, space-aligned text, in windows",
        ),
        (100, &tabbed, None, &json, "JSON, in windows"),
        (
            100,
            &spaced,
            None,
            &json,
            "JSON, space-aligned text, in windows",
        ),
    ];
    // the same command on one copy of the repeated report: the process's floor
    let floors: Vec<Option<u64>> = cases
        .iter()
        .map(|(_, unit, window, args, _)| {
            let tiny = dir.join("tiny.txt");
            std::fs::write(&tiny, unit).expect("write");
            let _ = std::fs::remove_dir_all(dir.join("out"));
            peak_kb(&bin, *window, args, &tiny).0
        })
        .collect();
    for ((mib, unit, window, args, how), floor) in cases.iter().zip(floors) {
        if max_mib.is_some_and(|m| *mib > m) {
            continue;
        }
        let size = mib << 20;
        let mut text = Vec::with_capacity(size + unit.len());
        while text.len() + unit.len() <= size {
            text.extend_from_slice(unit);
        }
        let input = dir.join(format!("{mib}mib.txt"));
        std::fs::write(&input, &text).expect("write");
        let _ = std::fs::remove_dir_all(dir.join("out"));
        let started = std::time::Instant::now();
        let (kb, code) = peak_kb(&bin, *window, args, &input);
        let secs = started.elapsed().as_secs_f64();
        match kb {
            Some(kb) => {
                // what grows with the input: the peak above the same command's on one copy
                // and whether that meets the aim of at most three times the input
                let above = floor.map_or_else(
                    || "?".to_string(),
                    |f| {
                        let a = kb.saturating_sub(f);
                        let x = (a * 1024) as f64 / text.len() as f64;
                        let aim = if x <= 3.0 { "<=3x" } else { ">3x!" };
                        format!("{:.1} MiB {x:.2}x {aim}", a as f64 / 1024.0)
                    },
                );
                println!(
                    "{:>6}Mi {:>9} MiB {:>7.2}x {:>8} {:>22} {:>8.1} {:>6}  {how}",
                    mib,
                    kb / 1024,
                    (kb * 1024) as f64 / text.len() as f64,
                    floor.map_or_else(|| "?".to_string(), |f| format!("{} MiB", f / 1024)),
                    above,
                    secs,
                    load(),
                )
            }
            None => println!("{mib:>6}Mi: no measurement (exit {code:?})"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Peak resident memory (KiB) of `gyokaku parse` on `input` under `/usr/bin/time -v`, and its
/// exit status.
fn peak_kb(
    bin: &Path,
    window: Option<&str>,
    args: &[&str],
    input: &Path,
) -> (Option<u64>, Option<i32>) {
    let mut cmd = Command::new("/usr/bin/time");
    match window {
        Some(n) => cmd.env("GYOKAKU_WINDOW_LINES", n),
        None => cmd.env_remove("GYOKAKU_WINDOW_LINES"),
    };
    let out = cmd
        .arg("-v")
        .arg(bin)
        .args(["parse", "--time-budget", "0"])
        .args(args)
        .arg(input)
        .output()
        .expect("run /usr/bin/time");
    let err = String::from_utf8_lossy(&out.stderr);
    let kb = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok());
    (kb, out.status.code())
}

/// The load average over the last minute.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--memory-only") {
        recovery();
    }
    if !args.iter().any(|a| a == "--variants-only") {
        // `--max-mib N`: only the inputs of at most N MiB
        let max_mib = args
            .iter()
            .position(|a| a == "--max-mib")
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse().ok());
        memory(max_mib);
    }
}
