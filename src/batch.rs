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

pub mod cleanup;
pub mod filter;
mod interrupt;
pub mod lock;
mod tables;

pub use interrupt::install_interrupt_handler;

use crate::error::{Error, ErrorKind, Result};
use crate::input::{file_id, path_text, FileId};
use crate::model::Report;
use crate::tabular::{CsvEncoding, CsvTables};
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

// ---------------------------------------------------------------------------------------------
// Panics and the time budget

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Install (once) a panic hook that records panics raised inside [`guarded`] instead of printing
/// them; other panics go to the previous hook.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_string()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "unknown panic".to_string()
                };
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`, turning a panic into an `internal` error.
pub fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    install_panic_hook();
    CAPTURING.with(|c| c.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    match r {
        Ok(r) => r,
        Err(_) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::new(
                ErrorKind::Internal,
                format!("panic: {msg} (a bug in gyokaku; please report it)"),
            ))
        }
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", d.as_secs())
    } else {
        format!("{s}")
    }
}

/// Run `f` (guarded) on a helper thread and wait at most `budget`; `None` runs it here.
pub fn with_budget<T: Send + 'static>(
    budget: Option<Duration>,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let Some(budget) = budget else {
        return guarded(f);
    };
    let (tx, rx) = mpsc::sync_channel(1);
    // Time the parse spends waiting for OCR is not held against it: scanned pages take seconds
    // each, and the budget is there to stop runaway parsing, not to refuse long scans.
    let credit = Arc::new(AtomicU64::new(0));
    let thread_credit = Arc::clone(&credit);
    let spawned = std::thread::Builder::new()
        .name("gyokaku-parse".into())
        .stack_size(PARSE_STACK)
        .spawn(move || {
            crate::ocr::credit_time_to(Some(thread_credit));
            let _ = tx.send(guarded(f));
        });
    if let Err(e) = spawned {
        return Err(Error::new(
            ErrorKind::Internal,
            format!("cannot start a parse thread: {e}"),
        ));
    }
    let started = Instant::now();
    let waited = loop {
        let allowed = budget + Duration::from_nanos(credit.load(Ordering::Relaxed));
        let left = allowed.saturating_sub(started.elapsed());
        match rx.recv_timeout(left) {
            Err(mpsc::RecvTimeoutError::Timeout)
                if budget + Duration::from_nanos(credit.load(Ordering::Relaxed))
                    > started.elapsed() =>
            {
                continue
            }
            other => break other,
        }
    };
    match waited {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::new(
            ErrorKind::Limit,
            format!(
                "time budget of {} s exceeded (--time-budget); parsing abandoned",
                seconds(budget)
            ),
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::new(
            ErrorKind::Internal,
            "the parse thread ended without a result",
        )),
    }
}

/// Read the file `input` (or stdin for `-`) and hand its bytes, its [`path_text`] and the options
/// to `f` (which may drop the bytes as soon as it no longer needs them), with the panic guard and the time budget of `opts.limits` covering reading (of a
/// file; stdin is waited for, as the writer of a pipe sets the pace) and `f`.
pub fn read_then<T: Send + 'static>(
    input: &Path,
    opts: &Arc<Options>,
    f: impl FnOnce(Vec<u8>, &str, &Options) -> Result<T> + Send + 'static,
) -> Result<T> {
    let path = path_text(input.as_os_str());
    let budget = opts.limits.time_budget.filter(|d| !d.is_zero());
    let (p, o) = (path.clone(), Arc::clone(opts));
    let r = if is_stdin(input) {
        let bytes = crate::read_input(input, &opts.limits)?;
        with_budget(budget, move || f(bytes, &p, &o))
    } else {
        let file = input.to_path_buf();
        with_budget(budget, move || {
            let bytes = crate::read_input(&file, &o.limits)?;
            f(bytes, &p, &o)
        })
    };
    r.map_err(|e| e.in_file(&path))
}

/// Parse bytes with the panic guard and the time budget of `opts.limits`.
pub fn parse_guarded(bytes: Vec<u8>, path: &str, opts: &Arc<Options>) -> Result<Report> {
    let budget = opts.limits.time_budget.filter(|d| !d.is_zero());
    let (p, o) = (path.to_string(), Arc::clone(opts));
    with_budget(budget, move || crate::parse_owned(bytes, &p, &o)).map_err(|e| e.in_file(path))
}

// ---------------------------------------------------------------------------------------------
// Reading and writing files

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn tmp_path(dest: &Path) -> PathBuf {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(".");
    name.push(dest.file_name().unwrap_or(OsStr::new("out")));
    name.push(format!(".{}-{n}{TMP_SUFFIX}", std::process::id()));
    dest.with_file_name(name)
}

/// A file being written under a temp name; [`TempFile::commit`] renames it into place. A temp
/// file that is not committed, or whose commit fails (a full disk while flushing, a failed
/// rename), is removed when dropped.
pub struct TempFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<cleanup::Disk>>,
    committed: bool,
}

impl TempFile {
    pub fn create(dest: &Path) -> io::Result<TempFile> {
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let tmp = tmp_path(dest);
        let file = cleanup::create(&tmp)?;
        Ok(TempFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(256 * 1024, cleanup::Disk(file))),
            committed: false,
        })
    }
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.file.take() {
            let disk = w.into_inner().map_err(|e| e.into_error())?;
            drop(disk);
        }
        cleanup::commit(&self.tmp, &self.dest)?;
        self.committed = true;
        Ok(())
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("temp file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            // Close before removing; a failed flush here is moot, the file goes.
            if let Some(w) = self.file.take() {
                let (_disk, _) = w.into_parts();
            }
            cleanup::discard(&self.tmp);
        }
    }
}

/// Write `bytes` to `dest` atomically (temp file in the same folder + rename).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(dest, |w| w.write_all(bytes))
}

/// Write to `dest` atomically what `fill` writes into a buffered temp file, without holding the
/// whole content in memory; the temp file goes when `fill` fails.
pub fn write_atomic_with(
    dest: &Path,
    fill: impl FnOnce(&mut TempFile) -> io::Result<()>,
) -> io::Result<()> {
    let mut t = TempFile::create(dest)?;
    fill(&mut t)?;
    t.commit()
}

/// Write a report's JSON document to `dest` atomically, streamed as it is serialised.
pub fn write_report_json(dest: &Path, report: &crate::Report) -> io::Result<()> {
    write_atomic_with(dest, |w| crate::emit::write_json(report, w))
}

/// Remove temp files left by an interrupted run under `dir`; returns how many.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().ends_with(TMP_SUFFIX)
                && fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

// ---------------------------------------------------------------------------------------------
// Planning

/// Where one job's input comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum JobSource {
    File(PathBuf),
    Stdin,
    /// The input could not even be listed; the error is reported in order.
    Broken(Error),
}

/// One input to process.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub source: JobSource,
    /// Path as recorded in `source.path` and in error records.
    pub path: String,
    /// Output JSON, relative to the output directory.
    pub output: PathBuf,
}

/// Inputs in processing order, and the files passed over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    pub ignored: Vec<IgnoredFile>,
}

fn has_report_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .map(|(stem, ext)| {
            !stem.is_empty() && REPORT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
        .unwrap_or(false)
}

/// Output names, made unique (case-insensitively) with `~2`, `~3`… before `.json`. Names keep the
/// input's bytes; uniqueness is decided on their [`path_text`] form.
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn reserve(&mut self) {
        for n in [ITEMS_JSONL, ERRORS_JSONL, SUMMARY_JSON, lock::LOCK_FILE]
            .into_iter()
            .chain(crate::tabular::TABLES)
            .chain(tables::RUN_FILES)
        {
            self.0.insert(n.to_lowercase());
        }
    }
    fn unique(&mut self, rel: &Path) -> PathBuf {
        let key = path_text(rel.as_os_str()).to_lowercase();
        let mut n = 1u32;
        loop {
            let suffix = if n == 1 {
                ".json".to_string()
            } else {
                format!("~{n}.json")
            };
            if self.0.insert(format!("{key}{suffix}")) {
                let mut out = rel.as_os_str().to_os_string();
                out.push(suffix);
                return PathBuf::from(out);
            }
            n += 1;
        }
    }
}

/// Text form of a path joined onto an input as given.
fn joined(input: &Path, rel: &Path) -> String {
    if rel.as_os_str().is_empty() {
        return path_text(input.as_os_str());
    }
    path_text(input.join(rel).as_os_str())
}

fn is_stdin(input: &Path) -> bool {
    input.as_os_str() == "-"
}

/// Plan a run: loose files in the order given, directories walked recursively in sorted order.
/// With one directory input, outputs mirror its tree; with several inputs, each directory's tree
/// goes under the directory's own name and loose files under their file name. `skip_dir` (the
/// output folder) is left out of the walk; `follow` follows folder links and links leading
/// outside an input folder. A file whose extension is not a report's is walked only when one of
/// `admit` (the `--glob` patterns) matches it.
pub fn plan(inputs: &[PathBuf], skip_dir: Option<&Path>, follow: bool, admit: &[String]) -> Plan {
    let mut plan = Plan::default();
    let mut names = Names::default();
    names.reserve();
    let skip = skip_dir
        .and_then(|d| fs::metadata(d).ok())
        .and_then(|m| file_id(&m));
    let single = inputs.len() == 1;
    for input in inputs {
        let shown = path_text(input.as_os_str());
        if is_stdin(input) {
            let output = names.unique(Path::new("stdin"));
            plan.jobs.push(Job {
                source: JobSource::Stdin,
                path: "-".into(),
                output,
            });
            continue;
        }
        let meta = match fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                let err = Error::new(ErrorKind::Io, format!("cannot open: {e}")).in_file(&shown);
                let output = names.unique(Path::new(&file_name_of(input)));
                plan.jobs.push(Job {
                    source: JobSource::Broken(err),
                    path: shown,
                    output,
                });
                continue;
            }
        };
        if !meta.is_dir() {
            // A special file named directly is refused when read, with its own error record.
            let output = names.unique(Path::new(&file_name_of(input)));
            plan.jobs.push(Job {
                source: JobSource::File(input.clone()),
                path: shown,
                output,
            });
            continue;
        }
        let prefix = if single {
            PathBuf::new()
        } else {
            PathBuf::from(dir_name_of(input))
        };
        let mut walk = Walk {
            input,
            prefix: &prefix,
            skip,
            follow,
            root: fs::canonicalize(input).unwrap_or_else(|_| input.clone()),
            seen: HashMap::new(),
            admit,
        };
        walk.run(&mut names, &mut plan);
    }
    plan
}

fn file_name_of(input: &Path) -> OsString {
    input
        .file_name()
        .map(OsStr::to_os_string)
        .unwrap_or_else(|| "input".into())
}

fn dir_name_of(input: &Path) -> OsString {
    input
        .file_name()
        .map(OsStr::to_os_string)
        .or_else(|| {
            fs::canonicalize(input)
                .ok()?
                .file_name()
                .map(OsStr::to_os_string)
        })
        .unwrap_or_else(|| "input".into())
}

/// Whether an I/O error says "too many levels of symbolic links".
fn is_link_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// One directory input being walked.
struct Walk<'a> {
    input: &'a Path,
    prefix: &'a Path,
    /// The output folder, left out.
    skip: Option<FileId>,
    follow: bool,
    /// The input folder, resolved: links leading outside it are not followed unless `follow`.
    root: PathBuf,
    /// Folders entered so far (by identity → shown path): a folder reached again is a loop.
    seen: HashMap<FileId, String>,
    /// `--glob` patterns: a file they match is read whatever its extension.
    admit: &'a [String],
}

impl Walk<'_> {
    fn ignore(plan: &mut Plan, file: String, reason: impl Into<String>) {
        plan.ignored.push(IgnoredFile {
            file,
            reason: reason.into(),
        });
    }

    /// Depth-first walk in sorted order (by name, bytewise).
    fn run(&mut self, names: &mut Names, plan: &mut Plan) {
        let input = self.input;
        if let Some(id) = fs::metadata(input).ok().and_then(|m| file_id(&m)) {
            self.seen.insert(id, path_text(input.as_os_str()));
        }
        // Stack of relative directories still to list, last = next.
        let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
        while let Some(rel_dir) = stack.pop() {
            let dir = input.join(&rel_dir);
            let mut entries: Vec<(OsString, fs::DirEntry)> = match fs::read_dir(&dir) {
                Ok(rd) => {
                    let mut v = Vec::new();
                    for e in rd {
                        match e {
                            Ok(e) => v.push((e.file_name(), e)),
                            Err(err) => push_broken(
                                plan,
                                names,
                                &joined(input, &rel_dir),
                                self.prefix,
                                &rel_dir,
                                err,
                            ),
                        }
                    }
                    v
                }
                Err(err) => {
                    push_broken(
                        plan,
                        names,
                        &joined(input, &rel_dir),
                        self.prefix,
                        &rel_dir,
                        err,
                    );
                    continue;
                }
            };
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut subdirs = Vec::new();
            for (name, entry) in entries {
                let rel = rel_dir.join(&name);
                let shown = joined(input, &rel);
                let text = name.to_string_lossy();
                if text.ends_with(TMP_SUFFIX) {
                    continue;
                }
                let Ok(ft) = entry.file_type() else {
                    Self::ignore(plan, shown, "cannot tell its file type");
                    continue;
                };
                let path = entry.path();
                let meta = if ft.is_symlink() {
                    match fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) if is_link_loop(&e) => {
                            Self::ignore(plan, shown, "symbolic link loop (not followed)");
                            continue;
                        }
                        Err(_) => {
                            Self::ignore(plan, shown, "broken symbolic link");
                            continue;
                        }
                    }
                } else {
                    match entry.metadata() {
                        Ok(m) => m,
                        Err(e) => {
                            Self::ignore(plan, shown, format!("cannot read its metadata: {e}"));
                            continue;
                        }
                    }
                };
                let outside = ft.is_symlink()
                    && !fs::canonicalize(&path).is_ok_and(|t| t.starts_with(&self.root));
                if meta.is_dir() {
                    let id = file_id(&meta);
                    if id.is_some() && id == self.skip {
                        // The output folder inside an input folder.
                        continue;
                    }
                    if ft.is_symlink() && !self.follow {
                        Self::ignore(
                            plan,
                            shown,
                            "symbolic link to a folder (not followed; --follow follows it)",
                        );
                        continue;
                    }
                    if let Some(id) = id {
                        if let Some(first) = self.seen.get(&id) {
                            Self::ignore(
                                plan,
                                shown,
                                format!(
                                    "symbolic link loop: leads to the folder {first}, already walked (not walked again)"
                                ),
                            );
                            continue;
                        }
                        self.seen.insert(id, shown);
                    }
                    subdirs.push(rel);
                    continue;
                }
                if let Some(kind) = crate::input::special_kind(&meta.file_type()) {
                    Self::ignore(
                        plan,
                        shown,
                        format!("{kind}, not a regular file (not read)"),
                    );
                    continue;
                }
                if outside && !self.follow {
                    Self::ignore(
                        plan,
                        shown,
                        "symbolic link leading outside the input folder (not followed; --follow reads it)",
                    );
                    continue;
                }
                if !has_report_extension(&text)
                    && !self.admit.iter().any(|p| filter::matches_path(p, &shown))
                {
                    Self::ignore(
                        plan,
                        shown,
                        format!(
                            "not a report file type (gyokaku reads .{})",
                            REPORT_EXTENSIONS.join(" .")
                        ),
                    );
                    continue;
                }
                let output = names.unique(&self.prefix.join(&rel));
                plan.jobs.push(Job {
                    source: JobSource::File(path),
                    path: shown,
                    output,
                });
            }
            // Visit subdirectories in order: push in reverse so the first is popped first.
            stack.extend(subdirs.into_iter().rev());
        }
    }
}

fn push_broken(
    plan: &mut Plan,
    names: &mut Names,
    shown: &str,
    prefix: &Path,
    rel: &Path,
    err: io::Error,
) {
    let e = Error::new(ErrorKind::Io, format!("cannot list folder: {err}")).in_file(shown);
    let output = names.unique(&prefix.join(rel));
    plan.jobs.push(Job {
        source: JobSource::Broken(e),
        path: shown.to_string(),
        output,
    });
}

/// Refuse a run whose outputs would replace one of its inputs, or whose output folder is an
/// input folder: a usage error, found before anything is written.
pub fn check_outputs(cfg: &BatchConfig, plan: &Plan) -> Result<()> {
    let Some(dir) = &cfg.outdir else {
        return Ok(());
    };
    let shown_dir = path_text(dir.as_os_str());
    for input in cfg.inputs.iter().filter(|i| !is_stdin(i)) {
        if fs::metadata(input).is_ok_and(|m| m.is_dir()) && crate::input::same_file(input, dir) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "-o {shown_dir} is the input folder {}: outputs would mix with the reports; choose another output folder",
                    path_text(input.as_os_str())
                ),
            ));
        }
    }
    let mut inputs: HashMap<FileId, &str> = HashMap::new();
    for job in &plan.jobs {
        if let JobSource::File(p) = &job.source {
            if let Some(id) = fs::metadata(p).ok().and_then(|m| file_id(&m)) {
                inputs.insert(id, &job.path);
            }
        }
    }
    let mut outputs: Vec<PathBuf> = [ITEMS_JSONL, ERRORS_JSONL, SUMMARY_JSON, lock::LOCK_FILE]
        .into_iter()
        .chain(crate::tabular::TABLES)
        .chain(tables::RUN_FILES)
        .map(PathBuf::from)
        .collect();
    if cfg.formats.json {
        outputs.extend(plan.jobs.iter().map(|j| j.output.clone()));
    }
    for rel in outputs {
        let out = dir.join(&rel);
        if let Some(input) = fs::metadata(&out)
            .ok()
            .and_then(|m| file_id(&m))
            .and_then(|id| inputs.get(&id))
        {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "writing {} would overwrite the input {input}; choose another output folder",
                    path_text(out.as_os_str())
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Processing one job

/// What became of one job.
#[derive(Debug)]
pub enum Outcome {
    /// Parsed in this run (and its JSON written, when JSON is an output).
    Parsed(Report),
    /// Not re-parsed: the existing output matches the input's sha256 and this gyokaku's version.
    UpToDate(Report),
    Failed(Stage, Error),
}

struct Ctx {
    outdir: Option<PathBuf>,
    formats: Formats,
    force: bool,
    options: Arc<Options>,
}

/// The existing output, when it was made from the same bytes by this version with the same
/// options that show in the output.
fn up_to_date(out: &Path, sha256: &str, path: &str, opts: &Options) -> Option<Report> {
    if !out.is_file() {
        return None;
    }
    let bytes = fs::read(out).ok()?;
    let r: Report = serde_json::from_slice(&bytes).ok()?;
    let same = r.source.sha256 == sha256
        && generator_matches(&r.generator)
        && r.source.path == path
        && opts.layout.as_ref().is_none_or(|l| *l == r.layout)
        && opts
            .municipality
            .as_ref()
            .is_none_or(|m| r.municipality.as_ref() == Some(m));
    same.then_some(r)
}

/// Read (unless `bytes` are given), check the existing output, parse: what runs under the
/// time budget.
fn read_and_parse(
    file: Option<PathBuf>,
    bytes: Vec<u8>,
    path: &str,
    up_to_date_at: Option<&Path>,
    opts: &Options,
) -> Result<Outcome> {
    let bytes = match file {
        Some(p) => crate::read_input(&p, &opts.limits)?,
        None => bytes,
    };
    if let Some(out) = up_to_date_at {
        if let Some(r) = up_to_date(out, &crate::sha256_hex(&bytes), path, opts) {
            return Ok(Outcome::UpToDate(r));
        }
    }
    crate::parse_owned(bytes, path, opts).map(Outcome::Parsed)
}

fn failed(e: Error, path: &str) -> Outcome {
    let stage = if e.message.contains("--time-budget") {
        Stage::Parse
    } else {
        Stage::of(e.kind)
    };
    Outcome::Failed(stage, e.in_file(path))
}

fn process(job: &Job, ctx: &Ctx) -> Outcome {
    let json_out = match (&ctx.outdir, ctx.formats.json) {
        (Some(dir), true) => Some(dir.join(&job.output)),
        _ => None,
    };
    let check = json_out.clone().filter(|_| !ctx.force);
    let (file, bytes) = match &job.source {
        JobSource::Broken(e) => return Outcome::Failed(Stage::Read, e.clone()),
        // Standard input is read outside the budget: the writer of a pipe sets the pace.
        JobSource::Stdin => match crate::read_input(Path::new("-"), &ctx.options.limits) {
            Ok(b) => (None, b),
            Err(e) => return failed(e, &job.path),
        },
        JobSource::File(p) => (Some(p.clone()), Vec::new()),
    };
    let budget = ctx.options.limits.time_budget.filter(|d| !d.is_zero());
    let (path, opts) = (job.path.clone(), Arc::clone(&ctx.options));
    let outcome = with_budget(budget, move || {
        read_and_parse(file, bytes, &path, check.as_deref(), &opts)
    });
    let report = match outcome {
        Ok(Outcome::Parsed(r)) => r,
        Ok(other) => return other,
        Err(e) => return failed(e, &job.path),
    };
    if let Some(out) = json_out {
        if let Err(e) = write_report_json(&out, &report) {
            let e = Error::new(
                ErrorKind::Output,
                format!("cannot write {}: {e}", path_text(out.as_os_str())),
            )
            .in_file(&job.path);
            return Outcome::Failed(Stage::Write, e);
        }
    }
    Outcome::Parsed(report)
}

// ---------------------------------------------------------------------------------------------
// Emitting results in order

struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    verbosity: Verbosity,
}

impl Reporter {
    fn new(total: u64, cfg: &BatchConfig) -> Self {
        let show = cfg.progress && cfg.verbosity > Verbosity::Quiet && io::stderr().is_terminal();
        let bar = show.then(|| {
            let style = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} files  {rate}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1} files/s", s.per_sec());
                },
            )
            .progress_chars("=> ");
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            )
            .with_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter {
            bar,
            verbosity: cfg.verbosity,
        }
    }
    fn line(&self, s: &str) {
        match &self.bar {
            Some(b) => b.println(s),
            None => eprintln!("{s}"),
        }
    }
    fn verbose(&self, s: impl FnOnce() -> String) {
        if self.verbosity >= Verbosity::Verbose {
            self.line(&s());
        }
    }
    fn tick(&self, failed: u64) {
        if let Some(b) = &self.bar {
            b.inc(1);
            if failed > 0 {
                b.set_message(format!("{failed} failed"));
            }
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The run-level outputs, fed one outcome at a time in plan order.
struct Emitter<'a> {
    cfg: &'a BatchConfig,
    jsonl: Option<Box<dyn Write + 'a>>,
    jsonl_file: Option<TempFile>,
    jsonl_lines: u64,
    csv: Option<CsvTables<TempFile>>,
    /// Parquet tables and the xlsx workbook.
    typed: Option<tables::TypedTables>,
    errors_file: Option<TempFile>,
    summary: Summary,
    groups: BTreeMap<(Option<String>, Option<i32>), StatusGroup>,
    /// Set when a report is partial (damage in its input cost content).
    partial: bool,
    /// Set when a streaming consumer went away (stdout closed): stop starting new jobs.
    stop: bool,
}

impl<'a> Emitter<'a> {
    fn new(cfg: &'a BatchConfig) -> Result<Self> {
        let out_err = |what: &str, e: &dyn std::fmt::Display| {
            Error::new(ErrorKind::Output, format!("cannot create {what}: {e}"))
        };
        let mut jsonl: Option<Box<dyn Write + 'a>> = None;
        let mut jsonl_file = None;
        let mut csv = None;
        let mut typed = None;
        let mut errors_file = None;
        match &cfg.outdir {
            None => {
                if cfg.formats.jsonl {
                    jsonl = Some(Box::new(BufWriter::new(io::stdout().lock())));
                }
            }
            Some(dir) => {
                if cfg.formats.jsonl {
                    let p = dir.join(ITEMS_JSONL);
                    jsonl_file = Some(
                        TempFile::create(&p).map_err(|e| out_err(&p.display().to_string(), &e))?,
                    );
                }
                if cfg.formats.csv {
                    csv = Some(CsvTables::new(cfg.csv_encoding, |name| {
                        TempFile::create(&dir.join(name))
                    })?);
                }
                if cfg.formats.parquet || cfg.formats.xlsx {
                    typed = Some(tables::TypedTables::new(
                        dir,
                        cfg.formats.parquet,
                        cfg.formats.xlsx,
                    )?);
                }
                let p = dir.join(ERRORS_JSONL);
                errors_file =
                    Some(TempFile::create(&p).map_err(|e| out_err(&p.display().to_string(), &e))?);
            }
        }
        Ok(Emitter {
            cfg,
            jsonl,
            jsonl_file,
            jsonl_lines: 0,
            csv,
            typed,
            errors_file,
            summary: Summary {
                schema: SUMMARY_SCHEMA.into(),
                generator: generator(),
                files: 0,
                parsed: 0,
                skipped: 0,
                failed: 0,
                ignored: 0,
                items: 0,
                ocr_pages: 0,
                status_counts: vec![],
                diagnostics: BTreeMap::new(),
                outputs: OutputCounts::default(),
                errors: vec![],
                ignored_files: vec![],
            },
            groups: BTreeMap::new(),
            partial: false,
            stop: false,
        })
    }

    fn record_error(&mut self, rep: &Reporter, rec: ErrorRecord, display: String) {
        rep.line(&format!("gyokaku: {display}"));
        if let Some(f) = &mut self.errors_file {
            let written = serde_json::to_writer(&mut *f, &rec)
                .map_err(io::Error::from)
                .and_then(|_| f.write_all(b"\n"));
            if let Err(e) = written {
                // Said once; the temp file goes, and the summary lists errors.jsonl as not written.
                self.errors_file = None;
                self.not_written(ERRORS_JSONL);
                rep.line(&format!("gyokaku: cannot write {ERRORS_JSONL}: {e}"));
            }
        }
        self.summary.errors.push(rec);
    }

    fn not_written(&mut self, rel: &str) {
        let list = &mut self.summary.outputs.not_written;
        if !list.iter().any(|n| n == rel) {
            list.push(rel.to_string());
        }
    }

    fn emit(&mut self, job: &Job, outcome: Outcome, rep: &Reporter) {
        self.summary.files += 1;
        cleanup::one_done();
        let report = match outcome {
            Outcome::Failed(stage, e) => {
                self.summary.failed += 1;
                if stage == Stage::Write && self.cfg.outdir.is_some() {
                    self.not_written(&path_text(job.output.as_os_str()));
                }
                let rec = ErrorRecord::new(&job.path, stage, &e);
                self.record_error(rep, rec, e.in_file(&job.path).to_string());
                return;
            }
            Outcome::UpToDate(r) => {
                self.summary.skipped += 1;
                rep.verbose(|| {
                    format!(
                        "skipped {} (up to date: {})",
                        job.path,
                        job.output.display()
                    )
                });
                r
            }
            Outcome::Parsed(r) => {
                self.summary.parsed += 1;
                rep.verbose(|| {
                    let to = match (&self.cfg.outdir, self.cfg.formats.json) {
                        (Some(_), true) => format!(" → {}", job.output.display()),
                        _ => String::new(),
                    };
                    format!(
                        "parsed  {}{to} ({} items, {} diagnostics)",
                        job.path,
                        r.items.len(),
                        r.diagnostics.len()
                    )
                });
                r
            }
        };
        if self.cfg.outdir.is_some() && self.cfg.formats.json {
            self.summary.outputs.json_files += 1;
        }
        self.summary.items += report.items.len() as u64;
        self.summary.ocr_pages += report.source.ocr_pages.len() as u64;
        for d in &report.diagnostics {
            *self.summary.diagnostics.entry(d.code.clone()).or_default() += 1;
        }
        self.partial |= report.is_partial();
        let g = self
            .groups
            .entry((report.municipality.clone(), report.fiscal_year))
            .or_default();
        g.files += 1;
        g.items += report.items.len() as u64;
        for item in &report.items {
            let mut any = false;
            for s in item.progress.iter().filter_map(|p| p.status.as_ref()) {
                *g.statuses.entry(s.code.as_str().to_string()).or_default() += 1;
                any = true;
            }
            if !any {
                g.without_status += 1;
            }
        }
        let mut jsonl_failed = None;
        if let Some(w) = &mut self.jsonl {
            match crate::tabular::write_item_lines(w, &report) {
                Ok(n) => self.jsonl_lines += n as u64,
                Err(e) => jsonl_failed = Some(e),
            }
        } else if let Some(w) = &mut self.jsonl_file {
            match crate::tabular::write_item_lines(w, &report) {
                Ok(n) => self.jsonl_lines += n as u64,
                Err(e) => jsonl_failed = Some(e),
            }
        }
        if let Some(e) = jsonl_failed {
            if self.jsonl.take().is_some() {
                // stdout closed (e.g. piped into `head`): stop quietly.
                self.stop = true;
                if e.kind() != io::ErrorKind::BrokenPipe {
                    rep.line(&format!("gyokaku: cannot write to stdout: {e}"));
                }
            } else {
                self.jsonl_file = None;
                self.not_written(ITEMS_JSONL);
                let err = Error::new(
                    ErrorKind::Output,
                    format!("cannot write {ITEMS_JSONL}: {e}"),
                );
                self.record_error(
                    rep,
                    ErrorRecord::new(&job.path, Stage::Write, &err),
                    err.to_string(),
                );
            }
        }
        if let Some(csv) = &mut self.csv {
            if let Err(e) = csv.write_report(&report) {
                // Drop all tables (temp files removed): a partial set would not be joinable.
                self.csv = None;
                for t in crate::tabular::TABLES {
                    self.not_written(t);
                }
                self.record_error(
                    rep,
                    ErrorRecord::new(&job.path, Stage::Csv, &e),
                    e.in_file(&job.path).to_string(),
                );
            }
        }
        let dropped = self.typed.as_mut().map(|t| t.write_report(&report));
        for (names, e) in dropped.unwrap_or_default() {
            for name in &names {
                self.not_written(name);
            }
            let rec = ErrorRecord::new(&job.path, Stage::Write, &e);
            self.record_error(rep, rec, e.in_file(&job.path).to_string());
        }
    }

    /// Commit the run-level outputs and return the summary.
    fn finish(mut self, plan: &Plan, rep: &Reporter) -> Summary {
        self.summary.ignored = plan.ignored.len() as u64;
        self.summary.ignored_files = plan.ignored.clone();
        self.summary.status_counts = std::mem::take(&mut self.groups)
            .into_iter()
            .map(|((m, y), mut g)| {
                g.municipality = m;
                g.fiscal_year = y;
                g
            })
            .collect();
        if let Some(mut w) = self.jsonl.take() {
            if let Err(e) = w.flush() {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    rep.line(&format!("gyokaku: cannot write to stdout: {e}"));
                }
            }
        }
        let Some(dir) = self.cfg.outdir.clone() else {
            return self.summary;
        };
        let mut late_errors = Vec::new();
        if let Some(f) = self.jsonl_file.take() {
            match f.commit() {
                Ok(()) => self.summary.outputs.jsonl_lines = Some(self.jsonl_lines),
                Err(e) => {
                    self.not_written(ITEMS_JSONL);
                    late_errors.push(format!("cannot write {ITEMS_JSONL}: {e}"));
                }
            }
        }
        if let Some(csv) = self.csv.take() {
            let counts = csv.row_counts();
            match csv.finish() {
                Ok(files) => {
                    let mut ok = true;
                    for (f, name) in files.into_iter().zip(crate::tabular::TABLES) {
                        if let Err(e) = f.commit() {
                            self.not_written(name);
                            late_errors.push(format!("cannot write {name}: {e}"));
                            ok = false;
                        }
                    }
                    if ok {
                        self.summary.outputs.csv_rows = counts
                            .into_iter()
                            .map(|(n, c)| (n.to_string(), c))
                            .collect();
                    }
                }
                Err(e) => {
                    for t in crate::tabular::TABLES {
                        self.not_written(t);
                    }
                    late_errors.push(e.message)
                }
            }
        }
        let csv_written = !self.summary.outputs.csv_rows.is_empty();
        let finished = self
            .typed
            .take()
            .map(|t| t.finish(&dir, csv_written.then_some(self.cfg.csv_encoding)));
        if let Some(f) = finished {
            self.summary.outputs.parquet_rows = f.parquet_rows;
            self.summary.outputs.xlsx_rows = f.xlsx_rows;
            for name in &f.not_written {
                self.not_written(name);
            }
            late_errors.extend(f.errors);
        } else if csv_written {
            let described = crate::emit::datapackage::Described {
                csv: Some(self.cfg.csv_encoding),
                parquet: false,
            };
            let dp = crate::emit::datapackage::DATAPACKAGE_JSON;
            let text = crate::emit::datapackage::datapackage(described);
            if let Err(e) = write_atomic(&dir.join(dp), text.as_bytes()) {
                self.not_written(dp);
                late_errors.push(format!("cannot write {dp}: {e}"));
            }
        }
        let shown_dir = path_text(dir.as_os_str());
        for msg in late_errors {
            let e = Error::new(ErrorKind::Output, msg);
            let rec = ErrorRecord::new(&shown_dir, Stage::Write, &e);
            self.record_error(rep, rec, e.in_file(&shown_dir).to_string());
        }
        if let Some(f) = self.errors_file.take() {
            if let Err(e) = f.commit() {
                self.not_written(ERRORS_JSONL);
                rep.line(&format!(
                    "gyokaku: cannot write {}: {e}",
                    path_text(dir.join(ERRORS_JSONL).as_os_str())
                ));
            }
        }
        let mut json = serde_json::to_string_pretty(&self.summary).unwrap_or_default();
        json.push('\n');
        if let Err(e) = write_atomic(&dir.join(SUMMARY_JSON), json.as_bytes()) {
            rep.line(&format!(
                "gyokaku: cannot write {}: {e}",
                path_text(dir.join(SUMMARY_JSON).as_os_str())
            ));
            self.not_written(SUMMARY_JSON);
            self.summary.errors.push(ErrorRecord::new(
                &shown_dir,
                Stage::Write,
                &Error::new(
                    ErrorKind::Output,
                    format!("cannot write {SUMMARY_JSON}: {e}"),
                ),
            ));
        }
        self.summary
    }
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
