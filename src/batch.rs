//! Batch runs: many inputs (files and directory trees) → one JSON per input, `items.jsonl`, CSV
//! tables, `errors.jsonl` and `summary.json` in an output directory.
//!
//! - Inputs are planned first (a sorted, recursive walk: each folder's files by name, then its
//!   subfolders by name), so output order and content never depend on the number of threads.
//!   Files are parsed on a rayon pool (`-j`); results are emitted in plan order through a bounded
//!   reorder window, so memory stays flat however many files there are.
//! - Every file is written atomically: a temp file named `….gyokaku-tmp` in the destination folder,
//!   renamed when complete. Every temp file is registered ([`cleanup`]) and removed on every way
//!   out: a failed write or rename, a full disk, and an interrupt ([`install_interrupt_handler`]).
//!   A run killed outright leaves only complete outputs and perhaps temp files, which the next run
//!   into the same folder removes.
//! - One run per output folder ([`lock`]): a second run fails at once, naming the first.
//! - Only regular files are read; named pipes, sockets and devices in a tree are noted and skipped.
//!   Symbolic links leading outside an input folder are not followed unless `follow`; folder
//!   links are followed only with `follow`, and a folder reached twice (a loop) is noted.
//! - An output that is, or would replace, an input is refused before anything is written.
//! - One file's failure never costs another file its output: read, parse and write errors, panics
//!   ([`guarded`]) and time-budget overruns become error records.
//! - The per-file time budget covers reading and parsing. It is enforced on a helper thread and no longer waiting for it
//!   once the budget is spent. Rust cannot stop a thread, so an abandoned parse keeps running (and
//!   holding its memory) in the background until it ends or the process exits.
//!
//! The parts: `planning` (the walk and the output names), `process` (one job), `emit`
//! (results in order and the run's files), `budget` (panics and the time budget), `atomic`
//! (temp file and rename), [`filter`], [`lock`], [`cleanup`] and `interrupt`; this file holds the
//! configuration, the summary's types and the run itself.

pub mod cleanup;
pub mod filter;
mod interrupt;
pub mod lock;
mod tables;

pub use interrupt::install_interrupt_handler;

mod atomic;
mod budget;
mod emit;
mod planning;
mod process;

pub use atomic::*;
pub use budget::*;
use emit::*;
pub use planning::*;
pub use process::*;

use crate::error::{Error, ErrorKind, Result};
use crate::input::{file_id, path_text, FileId};
use crate::model::Report;
use crate::tabular::{CsvEncoding, CsvTables};
use crate::window::Parsed;
use crate::Options;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Once};
use std::time::{Duration, Instant};

/// File name extensions (lowercase) that a directory walk picks up. Other files (a `README.md`,
/// a `.zip`) are passed over unless a `--glob` pattern names them.
pub const REPORT_EXTENSIONS: &[&str] = &[
    "pdf", "txt", "text", "htm", "html", "xlsx", "xlsm", "xls", "ods", "docx", "csv", "tsv",
];
/// Suffix of temp files; complete outputs never carry it.
pub const TMP_SUFFIX: &str = ".gyokaku-tmp";
/// Identifier written into `summary.json`.
pub const SUMMARY_SCHEMA: &str = "gyokaku/summary/v1";
/// Names of the run-level outputs in the output directory.
pub const ITEMS_JSONL: &str = "items.jsonl";
pub const ERRORS_JSONL: &str = "errors.jsonl";
pub const SUMMARY_JSON: &str = "summary.json";

/// Stack size of parse threads: generous, because a stack overflow cannot be caught.
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Which outputs to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formats {
    pub json: bool,
    pub jsonl: bool,
    pub csv: bool,
    pub parquet: bool,
    pub xlsx: bool,
}

/// How much to say on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors and a final summary line.
    #[default]
    Normal,
    /// Also one line per file.
    Verbose,
}

/// A validated batch run.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// Inputs as given: files, directories, `-` for stdin.
    pub inputs: Vec<PathBuf>,
    /// Output directory; `None` streams JSONL to stdout (formats must be JSONL only).
    pub outdir: Option<PathBuf>,
    pub formats: Formats,
    pub csv_encoding: CsvEncoding,
    /// Worker threads (≥ 1).
    pub jobs: usize,
    pub verbosity: Verbosity,
    /// Re-parse inputs whose output is up to date.
    pub force: bool,
    /// Draw a progress bar (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Follow symbolic links to folders, and links leading outside an input folder.
    pub follow: bool,
    /// `--glob` / `--exclude` patterns.
    pub filter: filter::Filter,
    pub options: Options,
}

/// One failure, as written to `errors.jsonl` and `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRecord {
    /// The input (path as recorded in `source.path`).
    pub file: String,
    /// `read`, `ingest`, `parse`, `write` or `csv`.
    pub stage: String,
    /// The error kind (`pdf`, `not-a-report`, `limit`, `internal`, …).
    pub kind: String,
    /// One line, without file and kind.
    pub message: String,
    pub page: Option<u32>,
    pub line: Option<u32>,
}

impl ErrorRecord {
    pub fn new(file: &str, stage: Stage, e: &Error) -> Self {
        ErrorRecord {
            file: e.location.file.clone().unwrap_or_else(|| file.to_string()),
            stage: stage.as_str().to_string(),
            kind: e.kind.as_str().to_string(),
            message: crate::error::one_line(&e.message),
            page: e.location.page,
            line: e.location.line,
        }
    }
}

/// Where in the pipeline a file failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Read,
    Ingest,
    Parse,
    Write,
    Csv,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Ingest => "ingest",
            Stage::Parse => "parse",
            Stage::Write => "write",
            Stage::Csv => "csv",
        }
    }
    /// The stage a library error comes from, by its kind.
    pub fn of(kind: ErrorKind) -> Stage {
        match kind {
            ErrorKind::Io | ErrorKind::Usage => Stage::Read,
            ErrorKind::Encoding | ErrorKind::Pdf | ErrorKind::Unreadable | ErrorKind::Limit => {
                Stage::Ingest
            }
            ErrorKind::NotAReport
            | ErrorKind::Profile
            | ErrorKind::Lexicon
            | ErrorKind::Internal => Stage::Parse,
            ErrorKind::Output => Stage::Write,
        }
    }
}

/// A file a directory walk passed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoredFile {
    pub file: String,
    pub reason: String,
}

/// Statuses of one (municipality, fiscal year).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusGroup {
    pub municipality: Option<String>,
    pub fiscal_year: Option<i32>,
    /// Reports in the group.
    pub files: u64,
    pub items: u64,
    /// Progress statuses by code (`on_track`, …), one per progress block with a status.
    pub statuses: BTreeMap<String, u64>,
    /// Items without any status.
    pub without_status: u64,
}

/// What the run wrote besides the per-file JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputCounts {
    /// Per-file JSON documents present for this run's good inputs.
    pub json_files: u64,
    /// Lines of `items.jsonl` (null when not written).
    pub jsonl_lines: Option<u64>,
    /// Data rows per CSV table (empty when not written).
    pub csv_rows: BTreeMap<String, u64>,
    /// Rows per Parquet table (absent when not written).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parquet_rows: BTreeMap<String, u64>,
    /// Data rows per sheet of `tables.xlsx` (absent when not written).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub xlsx_rows: BTreeMap<String, u64>,
    /// Outputs this run meant to write and could not (paths relative to the output folder, as in
    /// `source.path`); a previous version of such a file, if any, is left as it was.
    #[serde(default)]
    pub not_written: Vec<String>,
}

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Always `gyokaku/summary/v1`.
    pub schema: String,
    pub generator: String,
    /// Inputs considered (parsed + skipped + failed).
    pub files: u64,
    /// Inputs parsed in this run.
    pub parsed: u64,
    /// Inputs not re-parsed because their output was up to date.
    pub skipped: u64,
    /// Inputs that failed.
    pub failed: u64,
    /// Files in input folders passed over (see `ignored_files`): not reports by their extension,
    /// not regular files (named pipes, sockets, devices), or symbolic links not followed.
    pub ignored: u64,
    /// Items in the good inputs.
    pub items: u64,
    /// PDF pages of the good inputs read by OCR (scans).
    #[serde(default)]
    pub ocr_pages: u64,
    pub status_counts: Vec<StatusGroup>,
    /// Diagnostics of the good inputs by code.
    pub diagnostics: BTreeMap<String, u64>,
    pub outputs: OutputCounts,
    pub errors: Vec<ErrorRecord>,
    pub ignored_files: Vec<IgnoredFile>,
}

/// The version string gyokaku writes into `generator`, for up-to-date checks.
fn generator_matches(generator: &str) -> bool {
    let v = env!("CARGO_PKG_VERSION");
    generator == v
        || generator
            .strip_suffix(v)
            .is_some_and(|p| p.ends_with(' ') || p.ends_with('/'))
}

fn generator() -> String {
    format!("gyokaku {}", env!("CARGO_PKG_VERSION"))
}

/// The result of a batch run.
#[derive(Debug)]
pub struct BatchOutcome {
    pub summary: Summary,
    /// 0 when every input parsed (or was up to date) and every output was written, 1 when not,
    /// 3 ([`crate::model::PARTIAL_EXIT`]) when all were written but damage cost some content.
    pub exit_code: i32,
}

/// Run a batch.
///
/// Errors: [`ErrorKind::Usage`] when an output would replace an input (nothing is written);
/// [`ErrorKind::Output`] when the output folder cannot be created or another run holds it.
pub fn run(cfg: &BatchConfig) -> Result<BatchOutcome> {
    let started = Instant::now();
    let mut plan = plan(
        &cfg.inputs,
        cfg.outdir.as_deref(),
        cfg.follow,
        &cfg.filter.include,
    );
    cfg.filter.apply(&mut plan);
    check_outputs(cfg, &plan)?;
    let Some(dir) = &cfg.outdir else {
        return run_planned(cfg, &plan, started);
    };
    let shown = path_text(dir.as_os_str());
    fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Output,
            format!("cannot create the output folder: {e}"),
        )
        .in_file(&shown)
    })?;
    lock::with_lock(dir, || {
        // Safe now: no other run is writing here.
        remove_stale_temps(dir);
        // summary.json is there only when the last run into the folder finished.
        match fs::remove_file(dir.join(SUMMARY_JSON)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(Error::new(
                    ErrorKind::Output,
                    format!("cannot remove the previous {SUMMARY_JSON}: {e}"),
                )
                .in_file(&shown));
            }
            _ => {}
        }
        run_planned(cfg, &plan, started)
    })?
}

fn run_planned(cfg: &BatchConfig, plan: &Plan, started: Instant) -> Result<BatchOutcome> {
    cleanup::set_progress(0, plan.jobs.len() as u64);
    let rep = Reporter::new(plan.jobs.len() as u64, cfg);
    for i in &plan.ignored {
        rep.verbose(|| format!("ignored {}: {}", i.file, i.reason));
    }
    let ctx = Ctx {
        outdir: cfg.outdir.clone(),
        formats: cfg.formats,
        force: cfg.force,
        options: Arc::new(crate::Options {
            // Fewer files than jobs: the threads left over read pages of a file in parallel.
            page_threads: if plan.jobs.len() < cfg.jobs {
                cfg.jobs
            } else {
                1
            },
            ..cfg.options.clone()
        }),
    };
    let mut emitter = Emitter::new(cfg)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .stack_size(PARSE_STACK)
        .thread_name(|i| format!("gyokaku-worker-{i}"))
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start worker threads: {e}"),
            )
        })?;
    // At most `window` jobs between the next to emit and the next to start: memory stays bounded
    // even when one slow file holds up the emission of the ones after it.
    let window = (cfg.jobs.max(1) * 8).max(32);
    let jobs = &plan.jobs;
    let ctx = &ctx;
    pool.in_place_scope_fifo(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let (mut next_start, mut next_emit, mut end) = (0usize, 0usize, jobs.len());
        let mut failed = 0u64;
        while next_emit < end {
            while next_start < end && next_start - next_emit < window {
                let (i, tx) = (next_start, tx.clone());
                if let Some(job) = jobs.get(i) {
                    scope.spawn_fifo(move |_| {
                        let outcome = match guarded(|| Ok(process(job, ctx))) {
                            Ok(o) => o,
                            Err(e) => Outcome::Failed(Stage::Parse, e.in_file(&job.path)),
                        };
                        let _ = tx.send((i, outcome));
                    });
                }
                next_start += 1;
            }
            let Ok((i, outcome)) = rx.recv() else { break };
            if matches!(outcome, Outcome::Failed(..)) {
                failed += 1;
            }
            rep.tick(failed);
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&next_emit) {
                if let Some(job) = jobs.get(next_emit) {
                    emitter.emit(job, outcome, &rep);
                }
                next_emit += 1;
            }
            if emitter.stop {
                // Let the started jobs finish, start no more.
                end = next_start;
            }
        }
    });
    let partial = emitter.partial;
    let summary = emitter.finish(plan, &rep);
    rep.finish();
    if cfg.verbosity >= Verbosity::Normal {
        let secs = started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            summary.files as f64 / secs
        } else {
            0.0
        };
        let to = cfg
            .outdir
            .as_ref()
            .map(|d| {
                format!(
                    " → {}",
                    crate::error::escape_controls(&path_text(d.as_os_str()))
                )
            })
            .unwrap_or_default();
        let nw = &summary.outputs.not_written;
        let not_written = match nw.len() {
            0 => String::new(),
            n => {
                let shown: Vec<String> = nw
                    .iter()
                    .take(5)
                    .map(|p| crate::error::escape_controls(p))
                    .collect();
                let more = if n > 5 {
                    format!(" and {} more", n - 5)
                } else {
                    String::new()
                };
                format!(
                    "; NOT WRITTEN ({n}, listed in summary.json when it could be written): {}{more}",
                    shown.join(", ")
                )
            }
        };
        let ignored = if summary.ignored > 0 {
            format!(
                "; {} files passed over (other types, special files, links not followed; --verbose lists them)",
                summary.ignored
            )
        } else {
            String::new()
        };
        eprintln!(
            "gyokaku: {} file{}: {} parsed, {} up to date, {} failed; {} items{ignored}; {secs:.1} s ({rate:.1} files/s){to}{not_written}",
            summary.files,
            if summary.files == 1 { "" } else { "s" },
            summary.parsed,
            summary.skipped,
            summary.failed,
            summary.items
        );
    }
    let exit_code = match (summary.errors.is_empty(), partial) {
        (false, _) => 1,
        (true, true) => i32::from(crate::model::PARTIAL_EXIT),
        (true, false) => 0,
    };
    Ok(BatchOutcome { summary, exit_code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_extensions() {
        let cases = [
            ("a.pdf", true),
            ("A.PDF", true),
            ("r.txt", true),
            ("r.text", true),
            ("r.htm", true),
            ("r.HTML", true),
            ("r.md", false),
            ("r.xlsx", true),
            ("r.docx", true),
            ("r.csv", true),
            ("r.doc", false),
            ("README", false),
            (".txt", false),
            ("r.txt.bak", false),
        ];
        for (name, want) in cases {
            assert_eq!(has_report_extension(name), want, "{name}");
        }
    }

    #[test]
    fn stage_of_kind() {
        let cases = [
            (ErrorKind::Io, "read"),
            (ErrorKind::Encoding, "ingest"),
            (ErrorKind::Pdf, "ingest"),
            (ErrorKind::Unreadable, "ingest"),
            (ErrorKind::Limit, "ingest"),
            (ErrorKind::NotAReport, "parse"),
            (ErrorKind::Internal, "parse"),
            (ErrorKind::Output, "write"),
        ];
        for (k, want) in cases {
            assert_eq!(Stage::of(k).as_str(), want, "{k:?}");
        }
    }

    #[test]
    fn generator_versions() {
        let v = env!("CARGO_PKG_VERSION");
        let cases = [
            (v.to_string(), true),
            (format!("gyokaku {v}"), true),
            (format!("gyokaku/{v}"), true),
            (format!("gyokaku 1{v}"), false),
            ("gyokaku 0.0.0-other".to_string(), false),
        ];
        for (g, want) in cases {
            assert_eq!(generator_matches(&g), want, "{g}");
        }
    }

    #[test]
    fn guarded_turns_a_panic_into_an_internal_error() {
        let r: Result<()> = guarded(|| panic!("boom {}", 42));
        let e = r.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Internal);
        assert!(e.message.starts_with("panic: boom 42 at "), "{}", e.message);
        assert!(e.message.contains("batch.rs"), "{}", e.message);
        // And passes results through.
        assert_eq!(guarded(|| Ok(7)).unwrap(), 7);
    }

    #[test]
    fn budget_stops_waiting_and_says_so() {
        let t = Instant::now();
        let r: Result<()> = with_budget(Some(Duration::from_millis(100)), || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(())
        });
        let e = r.unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2));
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.message,
            "time budget of 0.1 s exceeded (--time-budget); parsing abandoned"
        );
        assert_eq!(
            with_budget(Some(Duration::from_secs(5)), || Ok(3)).unwrap(),
            3
        );
        let p: Result<()> = with_budget(Some(Duration::from_secs(5)), || panic!("inner"));
        assert_eq!(p.unwrap_err().kind, ErrorKind::Internal);
    }

    /// The budget runs from before the read: reading and what follows share it, and a read error
    /// names the file.
    #[test]
    fn read_then_puts_reading_under_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("r.txt");
        fs::write(&f, "abc").unwrap();
        let mut opts = Options::default();
        opts.limits.time_budget = Some(Duration::from_millis(200));
        let opts = Arc::new(opts);
        let got = read_then(&f, &opts, |b, p, _| Ok((b, p.to_string()))).unwrap();
        assert_eq!(got, (b"abc".to_vec(), path_text(f.as_os_str())));
        let t = Instant::now();
        let e = read_then(&f, &opts, |_, _, _| {
            std::thread::sleep(Duration::from_secs(3));
            Ok(())
        })
        .unwrap_err();
        assert!(t.elapsed() < Duration::from_secs(2));
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.file, Some(path_text(f.as_os_str())));
        let missing = dir.path().join("gone.txt");
        let e = read_then(&missing, &opts, |_, _, _| Ok(())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Io);
        assert_eq!(e.location.file, Some(path_text(missing.as_os_str())));
    }

    #[test]
    fn names_are_unique_case_insensitively_and_avoid_run_outputs() {
        let mut n = Names::default();
        n.reserve();
        assert_eq!(n.unique(Path::new("a.txt")), PathBuf::from("a.txt.json"));
        assert_eq!(n.unique(Path::new("A.TXT")), PathBuf::from("A.TXT~2.json"));
        assert_eq!(n.unique(Path::new("a.txt")), PathBuf::from("a.txt~3.json"));
        assert_eq!(
            n.unique(Path::new("summary")),
            PathBuf::from("summary~2.json")
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // Names keep their bytes; two names that differ only in a non-UTF-8 byte stay apart.
            let ff = n.unique(Path::new(OsStr::from_bytes(b"x\xff.txt")));
            let fe = n.unique(Path::new(OsStr::from_bytes(b"x\xfe.txt")));
            assert_eq!(ff.as_os_str().as_bytes(), b"x\xff.txt.json");
            assert_eq!(fe.as_os_str().as_bytes(), b"x\xfe.txt.json");
        }
        assert_eq!(
            n.unique(Path::new("d/a.txt")),
            PathBuf::from("d/a.txt.json")
        );
    }

    #[test]
    fn plan_walks_sorted_and_notes_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (p, body) in [
            ("b/z.txt", "x"),
            ("b/a.pdf", "x"),
            ("a.md", "x"),
            ("c.zip", "x"),
            ("b/c/d.html", "x"),
        ] {
            let path = root.join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, body).unwrap();
        }
        fs::write(root.join(format!(".x.json.1-1{TMP_SUFFIX}")), "tmp").unwrap();
        let input = root.to_string_lossy().into_owned();
        let p = plan(&[root.to_path_buf()], None, false, &[]);
        let outs: Vec<String> = p
            .jobs
            .iter()
            .map(|j| j.output.to_string_lossy().into_owned())
            .collect();
        assert_eq!(outs, ["b/a.pdf.json", "b/z.txt.json", "b/c/d.html.json"]);
        assert_eq!(p.jobs[0].path, format!("{input}/b/a.pdf"));
        let ignored: Vec<&str> = p.ignored.iter().map(|i| i.file.as_str()).collect();
        assert_eq!(ignored, [format!("{input}/a.md"), format!("{input}/c.zip")]);
        // A --glob pattern naming a file admits it whatever its extension.
        let p = plan(&[root.to_path_buf()], None, false, &["*.md".to_string()]);
        assert_eq!(p.jobs[0].output.to_string_lossy(), "a.md.json");
        assert_eq!(p.ignored.len(), 1);

        // Several inputs: directories under their own name, loose files by file name; a missing
        // input becomes a broken job in its place.
        let p = plan(
            &[
                root.join("b/z.txt"),
                root.join("nope.txt"),
                root.join("b/c"),
            ],
            None,
            false,
            &[],
        );
        let outs: Vec<String> = p
            .jobs
            .iter()
            .map(|j| j.output.to_string_lossy().into_owned())
            .collect();
        assert_eq!(outs, ["z.txt.json", "nope.txt.json", "c/d.html.json"]);
        assert!(matches!(&p.jobs[1].source, JobSource::Broken(e) if e.kind == ErrorKind::Io));
    }

    /// A device given as the output (`-o /dev/null`) is written to, never replaced by a file
    /// renamed over it nor removed when a write is abandoned.
    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        write_atomic(null, b"{}\n").unwrap();
        {
            let mut t = TempFile::create(null).unwrap();
            t.write_all(b"partial").unwrap();
        }
        let ft = fs::metadata(null).unwrap().file_type();
        assert!(ft.is_char_device(), "{ft:?}");
    }

    #[test]
    fn atomic_write_leaves_no_temp_and_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/out.json");
        write_atomic(&dest, b"{}\n").unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"{}\n");
        {
            let mut t = TempFile::create(&dir.path().join("never.json")).unwrap();
            t.write_all(b"partial").unwrap();
        }
        assert!(!dir.path().join("never.json").exists());
        let names: Vec<String> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .chain(fs::read_dir(dir.path()).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(TMP_SUFFIX)), "{names:?}");
        fs::write(dir.path().join(format!("sub/.a.json.9-9{TMP_SUFFIX}")), "x").unwrap();
        assert_eq!(remove_stale_temps(dir.path()), 1);
    }
}
