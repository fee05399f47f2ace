//! Batch runs: many inputs (files and directory trees) → one JSON per input, `items.jsonl`, CSV
//! tables, `errors.jsonl` and `summary.json` in an output directory.
//!
//! - Inputs are planned first (a sorted, recursive walk: each folder's files by name, then its
//!   subfolders by name), so output order and content never depend on the number of threads.
//!   Files are parsed on a rayon pool (`-j`); results are emitted in plan order through a bounded
//!   reorder window, so memory stays flat however many files there are.
//! - Every file is written atomically: a temp file named `….gyokaku-tmp` in the destination folder,
//!   renamed when complete. An interrupted run leaves only complete outputs and perhaps temp files,
//!   which the next run into the same folder removes.
//! - One file's failure never costs another file its output: read, parse and write errors, panics
//!   ([`guarded`]) and time-budget overruns become error records.
//! - The per-file time budget is enforced by parsing on a helper thread and no longer waiting for it
//!   once the budget is spent. Rust cannot stop a thread, so an abandoned parse keeps running (and
//!   holding its memory) in the background until it ends or the process exits.

use crate::error::{Error, ErrorKind, Result};
use crate::model::Report;
use crate::tabular::{CsvEncoding, CsvTables};
use crate::Options;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Once};
use std::time::{Duration, Instant};

/// File name extensions (lowercase) that a directory walk picks up.
pub const REPORT_EXTENSIONS: &[&str] = &["pdf", "txt", "text", "htm", "html", "md"];
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
    pub inputs: Vec<String>,
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
            message: e.message.replace(['\n', '\r'], " "),
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
            ErrorKind::Io => Stage::Read,
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
    /// Files in input folders that are not reports by their extension (see `ignored_files`).
    pub ignored: u64,
    /// Items in the good inputs.
    pub items: u64,
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
    let spawned = std::thread::Builder::new()
        .name("gyokaku-parse".into())
        .stack_size(PARSE_STACK)
        .spawn(move || {
            let _ = tx.send(guarded(f));
        });
    if let Err(e) = spawned {
        return Err(Error::new(
            ErrorKind::Internal,
            format!("cannot start a parse thread: {e}"),
        ));
    }
    match rx.recv_timeout(budget) {
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

/// Parse bytes with the panic guard and the time budget of `opts.limits`.
pub fn parse_guarded(bytes: Vec<u8>, path: &str, opts: &Arc<Options>) -> Result<Report> {
    let budget = opts.limits.time_budget.filter(|d| !d.is_zero());
    let (p, o) = (path.to_string(), Arc::clone(opts));
    with_budget(budget, move || crate::parse_bytes(&bytes, &p, &o)).map_err(|e| e.in_file(path))
}

// ---------------------------------------------------------------------------------------------
// Reading and writing files

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

fn tmp_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    dest.with_file_name(format!(".{name}.{}-{n}{TMP_SUFFIX}", std::process::id()))
}

/// A file being written under a temp name; [`TempFile::commit`] renames it into place, dropping it
/// uncommitted removes it.
pub struct TempFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<File>>,
}

impl TempFile {
    pub fn create(dest: &Path) -> io::Result<TempFile> {
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let tmp = tmp_path(dest);
        let file = File::create(&tmp)?;
        Ok(TempFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(256 * 1024, file)),
        })
    }
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.file.take() {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        fs::rename(&self.tmp, &self.dest)
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
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Write `bytes` to `dest` atomically (temp file in the same folder + rename).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut t = TempFile::create(dest)?;
    t.write_all(bytes)?;
    t.commit()
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

/// Output names, made unique (case-insensitively) with `~2`, `~3`… before `.json`.
#[derive(Default)]
struct Names(HashSet<String>);

impl Names {
    fn reserve(&mut self) {
        for n in [ITEMS_JSONL, ERRORS_JSONL, SUMMARY_JSON]
            .into_iter()
            .chain(crate::tabular::TABLES)
        {
            self.0.insert(n.to_lowercase());
        }
    }
    fn unique(&mut self, rel: &Path) -> PathBuf {
        let base = rel.to_string_lossy().into_owned();
        let mut n = 1u32;
        loop {
            let candidate = if n == 1 {
                format!("{base}.json")
            } else {
                format!("{base}~{n}.json")
            };
            if self.0.insert(candidate.to_lowercase()) {
                return PathBuf::from(candidate);
            }
            n += 1;
        }
    }
}

/// Display form of a path joined onto an input as given.
fn joined(input: &str, rel: &Path) -> String {
    Path::new(input).join(rel).to_string_lossy().into_owned()
}

/// Plan a run: loose files in the order given, directories walked recursively in sorted order.
/// With one directory input, outputs mirror its tree; with several inputs, each directory's tree
/// goes under the directory's own name and loose files under their file name.
pub fn plan(inputs: &[String], skip_dir: Option<&Path>) -> Plan {
    let mut plan = Plan::default();
    let mut names = Names::default();
    names.reserve();
    let skip = skip_dir.and_then(|d| fs::canonicalize(d).ok());
    let single = inputs.len() == 1;
    for input in inputs {
        if input == "-" {
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
                let err = Error::new(ErrorKind::Io, format!("cannot open: {e}")).in_file(input);
                let output = names.unique(Path::new(&file_name_of(input)));
                plan.jobs.push(Job {
                    source: JobSource::Broken(err),
                    path: input.clone(),
                    output,
                });
                continue;
            }
        };
        if !meta.is_dir() {
            let output = names.unique(Path::new(&file_name_of(input)));
            plan.jobs.push(Job {
                source: JobSource::File(PathBuf::from(input)),
                path: input.clone(),
                output,
            });
            continue;
        }
        let prefix = if single {
            PathBuf::new()
        } else {
            PathBuf::from(dir_name_of(input))
        };
        walk(input, &prefix, skip.as_deref(), &mut names, &mut plan);
    }
    plan
}

fn file_name_of(input: &str) -> String {
    Path::new(input)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "input".into())
}

fn dir_name_of(input: &str) -> String {
    Path::new(input)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            fs::canonicalize(input)
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "input".into())
}

/// Depth-first walk in sorted order (by name, bytewise), without following directory symlinks.
fn walk(input: &str, prefix: &Path, skip: Option<&Path>, names: &mut Names, plan: &mut Plan) {
    // Stack of relative directories still to list, last = next.
    let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
    while let Some(rel_dir) = stack.pop() {
        let dir = Path::new(input).join(&rel_dir);
        let mut entries: Vec<(std::ffi::OsString, fs::DirEntry)> = match fs::read_dir(&dir) {
            Ok(rd) => {
                let mut v = Vec::new();
                for e in rd {
                    match e {
                        Ok(e) => v.push((e.file_name(), e)),
                        Err(err) => push_broken(
                            plan,
                            names,
                            &joined(input, &rel_dir),
                            prefix,
                            &rel_dir,
                            err,
                        ),
                    }
                }
                v
            }
            Err(err) => {
                push_broken(plan, names, &joined(input, &rel_dir), prefix, &rel_dir, err);
                continue;
            }
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut subdirs = Vec::new();
        for (name, entry) in entries {
            let rel = rel_dir.join(&name);
            let shown = joined(input, &rel);
            let name = name.to_string_lossy();
            if name.ends_with(TMP_SUFFIX) {
                continue;
            }
            let Ok(ft) = entry.file_type() else {
                plan.ignored.push(IgnoredFile {
                    file: shown,
                    reason: "cannot tell its file type".into(),
                });
                continue;
            };
            let (is_dir, is_link) = if ft.is_symlink() {
                match fs::metadata(entry.path()) {
                    Ok(m) => (m.is_dir(), true),
                    Err(_) => {
                        plan.ignored.push(IgnoredFile {
                            file: shown,
                            reason: "broken symbolic link".into(),
                        });
                        continue;
                    }
                }
            } else {
                (ft.is_dir(), false)
            };
            if is_dir {
                if is_link {
                    plan.ignored.push(IgnoredFile {
                        file: shown,
                        reason: "symbolic link to a directory (not followed)".into(),
                    });
                } else if skip.is_some() && fs::canonicalize(entry.path()).ok().as_deref() == skip {
                    // The output directory inside an input directory.
                } else {
                    subdirs.push(rel);
                }
                continue;
            }
            if !has_report_extension(&name) {
                plan.ignored.push(IgnoredFile {
                    file: shown,
                    reason: format!(
                        "not a report file type (gyokaku reads .{})",
                        REPORT_EXTENSIONS.join(" .")
                    ),
                });
                continue;
            }
            let output = names.unique(&prefix.join(&rel));
            plan.jobs.push(Job {
                source: JobSource::File(entry.path()),
                path: shown,
                output,
            });
        }
        // Visit subdirectories in order: push in reverse so the first is popped first.
        stack.extend(subdirs.into_iter().rev());
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
fn up_to_date(out: &Path, sha256: &str, job: &Job, opts: &Options) -> Option<Report> {
    let bytes = fs::read(out).ok()?;
    let r: Report = serde_json::from_slice(&bytes).ok()?;
    let same = r.source.sha256 == sha256
        && generator_matches(&r.generator)
        && r.source.path == job.path
        && opts.layout.as_ref().is_none_or(|l| *l == r.layout)
        && opts
            .municipality
            .as_ref()
            .is_none_or(|m| r.municipality.as_ref() == Some(m));
    same.then_some(r)
}

fn process(job: &Job, ctx: &Ctx) -> Outcome {
    let bytes = match &job.source {
        JobSource::Broken(e) => return Outcome::Failed(Stage::Read, e.clone()),
        JobSource::Stdin => crate::read_input(Path::new("-"), &ctx.options.limits),
        JobSource::File(p) => crate::read_input(p, &ctx.options.limits),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(mut e) => {
            e.location.file = Some(job.path.clone());
            let stage = if e.kind == ErrorKind::Limit {
                Stage::Ingest
            } else {
                Stage::Read
            };
            return Outcome::Failed(stage, e);
        }
    };
    let json_out = match (&ctx.outdir, ctx.formats.json) {
        (Some(dir), true) => Some(dir.join(&job.output)),
        _ => None,
    };
    if let (Some(out), false) = (&json_out, ctx.force) {
        if out.is_file() {
            if let Some(r) = up_to_date(out, &crate::sha256_hex(&bytes), job, &ctx.options) {
                return Outcome::UpToDate(r);
            }
        }
    }
    let report = match parse_guarded(bytes, &job.path, &ctx.options) {
        Ok(r) => r,
        Err(e) => {
            let stage = if e.message.contains("--time-budget") {
                Stage::Parse
            } else {
                Stage::of(e.kind)
            };
            return Outcome::Failed(stage, e);
        }
    };
    if let Some(out) = json_out {
        if let Err(e) = write_atomic(&out, crate::emit::to_json(&report).as_bytes()) {
            let e = Error::new(
                ErrorKind::Output,
                format!("cannot write {}: {e}", out.display()),
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
    errors_file: Option<TempFile>,
    summary: Summary,
    groups: BTreeMap<(Option<String>, Option<i32>), StatusGroup>,
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
                status_counts: vec![],
                diagnostics: BTreeMap::new(),
                outputs: OutputCounts::default(),
                errors: vec![],
                ignored_files: vec![],
            },
            groups: BTreeMap::new(),
            stop: false,
        })
    }

    fn record_error(&mut self, rep: &Reporter, rec: ErrorRecord, display: String) {
        rep.line(&format!("gyokaku: {display}"));
        if let Some(f) = &mut self.errors_file {
            let ok = serde_json::to_writer(&mut *f, &rec).is_ok() && f.write_all(b"\n").is_ok();
            if !ok {
                rep.line("gyokaku: cannot write errors.jsonl");
            }
        }
        self.summary.errors.push(rec);
    }

    fn emit(&mut self, job: &Job, outcome: Outcome, rep: &Reporter) {
        self.summary.files += 1;
        let report = match outcome {
            Outcome::Failed(stage, e) => {
                self.summary.failed += 1;
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
        for d in &report.diagnostics {
            *self.summary.diagnostics.entry(d.code.clone()).or_default() += 1;
        }
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
                self.record_error(
                    rep,
                    ErrorRecord::new(&job.path, Stage::Csv, &e),
                    e.in_file(&job.path).to_string(),
                );
            }
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
                Err(e) => late_errors.push(format!("cannot write {ITEMS_JSONL}: {e}")),
            }
        }
        if let Some(csv) = self.csv.take() {
            let counts = csv.row_counts();
            match csv.finish() {
                Ok(files) => {
                    let mut ok = true;
                    for (f, name) in files.into_iter().zip(crate::tabular::TABLES) {
                        if let Err(e) = f.commit() {
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
                Err(e) => late_errors.push(e.message),
            }
        }
        for msg in late_errors {
            let e = Error::new(ErrorKind::Output, msg);
            let rec = ErrorRecord::new(&dir.display().to_string(), Stage::Write, &e);
            self.record_error(rep, rec, e.in_file(&dir.display().to_string()).to_string());
        }
        if let Some(f) = self.errors_file.take() {
            if let Err(e) = f.commit() {
                rep.line(&format!(
                    "gyokaku: cannot write {}: {e}",
                    dir.join(ERRORS_JSONL).display()
                ));
            }
        }
        let mut json = serde_json::to_string_pretty(&self.summary).unwrap_or_default();
        json.push('\n');
        if let Err(e) = write_atomic(&dir.join(SUMMARY_JSON), json.as_bytes()) {
            rep.line(&format!(
                "gyokaku: cannot write {}: {e}",
                dir.join(SUMMARY_JSON).display()
            ));
            self.summary.errors.push(ErrorRecord::new(
                &dir.display().to_string(),
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
    /// 0 when every input parsed (or was up to date) and every output was written, else 1.
    pub exit_code: i32,
}

/// Run a batch.
pub fn run(cfg: &BatchConfig) -> Result<BatchOutcome> {
    let started = Instant::now();
    if let Some(dir) = &cfg.outdir {
        fs::create_dir_all(dir).map_err(|e| {
            Error::new(
                ErrorKind::Output,
                format!("cannot create the output folder: {e}"),
            )
            .in_file(&dir.display().to_string())
        })?;
        remove_stale_temps(dir);
    }
    let plan = plan(&cfg.inputs, cfg.outdir.as_deref());
    let rep = Reporter::new(plan.jobs.len() as u64, cfg);
    for i in &plan.ignored {
        rep.verbose(|| format!("ignored {}: {}", i.file, i.reason));
    }
    let ctx = Ctx {
        outdir: cfg.outdir.clone(),
        formats: cfg.formats,
        force: cfg.force,
        options: Arc::new(cfg.options.clone()),
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
    let summary = emitter.finish(&plan, &rep);
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
            .map(|d| format!(" → {}", d.display()))
            .unwrap_or_default();
        let ignored = if summary.ignored > 0 {
            format!(
                "; {} files of other types ignored (--verbose lists them)",
                summary.ignored
            )
        } else {
            String::new()
        };
        eprintln!(
            "gyokaku: {} file{}: {} parsed, {} up to date, {} failed; {} items{ignored}; {secs:.1} s ({rate:.1} files/s){to}",
            summary.files,
            if summary.files == 1 { "" } else { "s" },
            summary.parsed,
            summary.skipped,
            summary.failed,
            summary.items
        );
    }
    let exit_code = if summary.errors.is_empty() { 0 } else { 1 };
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
            ("r.md", true),
            ("r.xlsx", false),
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
            ("c.xlsx", "x"),
            ("b/c/d.html", "x"),
        ] {
            let path = root.join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, body).unwrap();
        }
        fs::write(root.join(format!(".x.json.1-1{TMP_SUFFIX}")), "tmp").unwrap();
        let input = root.to_string_lossy().into_owned();
        let p = plan(std::slice::from_ref(&input), None);
        let outs: Vec<String> = p
            .jobs
            .iter()
            .map(|j| j.output.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            outs,
            [
                "a.md.json",
                "b/a.pdf.json",
                "b/z.txt.json",
                "b/c/d.html.json"
            ]
        );
        assert_eq!(p.jobs[1].path, format!("{input}/b/a.pdf"));
        assert_eq!(p.ignored.len(), 1);
        assert_eq!(p.ignored[0].file, format!("{input}/c.xlsx"));

        // Several inputs: directories under their own name, loose files by file name; a missing
        // input becomes a broken job in its place.
        let loose = root.join("b/z.txt").to_string_lossy().into_owned();
        let missing = root.join("nope.txt").to_string_lossy().into_owned();
        let sub = root.join("b/c").to_string_lossy().into_owned();
        let p = plan(&[loose, missing, sub], None);
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
