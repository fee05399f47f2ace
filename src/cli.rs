//! The command line: clap arguments ([`Cli`]) → a validated [`Config`] ([`Cli::into_config`]) →
//! [`run`] → exit code (0 success, 1 an input could not be read as a report or an output could
//! not be written, 2 usage error, 3 a report was written but damage in the input cost content).

use crate::batch::{self, BatchConfig, Formats, Verbosity};
use crate::error::{escape_controls, ErrorKind};
use crate::input::path_text;
use crate::limits::Limits;
use crate::tabular::CsvEncoding;
use crate::Options;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

const EXAMPLES: &str = "\
Examples:
  gyokaku parse report.txt                        JSON on stdout
  gyokaku parse report.pdf -o report.json         JSON into a file (written atomically)
  cat report.txt | gyokaku parse -                read stdin
  gyokaku parse archive/ -o out/                  every report under archive/ → out/<path>.json,
                                                  plus out/errors.jsonl and out/summary.json
  gyokaku parse archive/ -o out/ --format json --format jsonl --format csv
  gyokaku parse archive/ --format jsonl > items.jsonl     one line per item on stdout
  gyokaku parse other.txt --profile my-layout.toml        a layout described in a profile file
  gyokaku schema > report.schema.json
  gyokaku text report.pdf                         the text the parser sees

Exit status: 0 success; 1 an input could not be read as a report (in a batch: some inputs failed),
an output could not be written, or another run holds the output folder; 2 usage error (including an
output that is or would overwrite an input); 130 interrupted by Ctrl-C (temp files removed).";

const PARSE_HELP: &str = "\
Modes:
  One input (file or -), JSON only: the JSON document goes to stdout, or with -o FILE into FILE.
  A folder, several inputs, --format jsonl/csv/parquet/xlsx, or -o naming a folder (existing, or ending in /):
  a batch into the folder given by -o. Folders are walked recursively for .pdf .txt .text .htm
  .html .md .xlsx .xlsm .xls .ods .docx .csv .tsv; other files are noted and skipped. Outputs:
    OUTDIR/<path relative to the input folder>.json   one per input (json)
    OUTDIR/items.jsonl                                 one line per item (jsonl)
    OUTDIR/items.csv progress.csv targets.csv findings.csv schedule.csv     (csv)
    OUTDIR/items.parquet … fields.parquet   the same tables, typed columns (parquet)
    OUTDIR/tables.xlsx   one sheet per table, text cells kept as text      (xlsx)
    OUTDIR/datapackage.json   the tables' data dictionary (with csv or parquet)
    OUTDIR/errors.jsonl  OUTDIR/summary.json
  With several inputs, each folder's files go under the folder's name, loose files under their
  file name. --format jsonl alone without -o streams the item lines to stdout.
  Only regular files are read: named pipes, sockets and devices are noted and skipped (refused
  when named). Symbolic links leading outside a folder, and links to folders, are followed only
  with --follow; loops are noted. An output folder inside an input folder is not walked. One run
  per output folder (a lock, OUTDIR/.gyokaku.lock): a second run fails at once, naming the first.
  Outputs are written atomically; a re-run skips inputs whose output is up to date (same sha256,
  same gyokaku version, same path, same --layout/--municipality) unless --force (use it after
  changing a --profile file). Inputs are processed in a fixed order (each folder's files by name,
  then its subfolders), so the outputs do not depend on -j.

Examples:
  gyokaku parse report.txt
  gyokaku parse report.pdf -o report.json
  gyokaku parse 2020/ 2021/ -o out/ --format json --format csv --csv-encoding cp932 -j 4
  gyokaku parse archive/ --format jsonl --quiet | duckdb -c \"select count(*) from read_json('/dev/stdin')\"

Exit status: 0 success; 1 an input could not be read as a report (in a batch: some inputs failed),
an output could not be written, or another run holds the output folder; 2 usage error (including an
output that is or would overwrite an input); 130 interrupted by Ctrl-C (temp files removed).";

/// Turn municipal administrative/fiscal reform progress reports (text or PDF) into structured data.
#[derive(Debug, Parser)]
#[command(name = "gyokaku", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour in messages: auto (when stderr is a terminal and NO_COLOR is unset), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Errors on stderr as one line of text, or as one JSON object per error
    #[arg(long, global = true, value_enum, value_name = "FORMAT", default_value_t = ErrorFormat::Text)]
    pub error_format: ErrorFormat,
}

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How errors are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// `gyokaku: FILE: KIND: message`
    Text,
    /// `{"kind": …, "file": …, "page": …, "line": …, "message": …}`
    Json,
}

/// How messages are written, decided once from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Messages {
    pub color: bool,
    pub json: bool,
}

static MESSAGES: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();

impl Messages {
    /// Colour for `when`, given whether stderr is a terminal and the value of NO_COLOR.
    pub fn decide(when: ColorWhen, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
    fn get() -> Messages {
        MESSAGES.get().copied().unwrap_or(Messages {
            color: false,
            json: false,
        })
    }
}

/// One error as a JSON object (`--error-format json`).
pub fn error_json(
    kind: &str,
    file: Option<&str>,
    page: Option<u32>,
    line: Option<u32>,
    message: &str,
) -> String {
    serde_json::json!({
        "kind": kind,
        "file": file,
        "page": page,
        "line": line,
        "message": message,
    })
    .to_string()
}

/// An error object with the reasons of a `not-a-report` error listed as `diagnostics`, one per
/// layout tried (`{"layout": …, "message": …}`).
fn with_reasons(json: String, message: &str) -> String {
    let reasons = crate::records::why::split(message);
    if reasons.is_empty() {
        return json;
    }
    let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str(&json) else {
        return json;
    };
    let list: Vec<serde_json::Value> = reasons
        .into_iter()
        .map(|(layout, message)| serde_json::json!({"layout": layout, "message": message}))
        .collect();
    obj.insert("diagnostics".into(), serde_json::Value::Array(list));
    serde_json::Value::Object(obj).to_string()
}

/// Print a usage error (exit status 2) as the command line asked.
pub fn usage_error(message: &str) {
    print_message("usage", None, message);
}

fn print_message(kind: &str, error: Option<&crate::Error>, text: &str) {
    let m = Messages::get();
    if m.json {
        let line = match error {
            Some(e) => with_reasons(
                error_json(
                    e.kind.as_str(),
                    e.location.file.as_deref(),
                    e.location.page,
                    e.location.line,
                    &e.message,
                ),
                &e.message,
            ),
            None => error_json(kind, None, None, None, text),
        };
        eprintln!("{line}");
    } else if m.color {
        eprintln!("\x1b[1;31mgyokaku:\x1b[0m {text}");
    } else {
        eprintln!("gyokaku: {text}");
    }
}

/// Print a library error.
fn print_error(e: &crate::Error) {
    print_message(e.kind.as_str(), Some(e), &e.to_string());
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse reports into JSON: one file to stdout or a file, many into an output folder
    #[command(after_help = PARSE_HELP)]
    Parse(ParseArgs),
    /// Print the JSON Schema (2020-12) of the report document, or of one items.jsonl line
    Schema(SchemaArgs),
    /// Print the text the parser sees: cells separated by tabs, pages by form feeds
    Text(TextArgs),
    /// Layout profiles: `profile infer FILE > city.toml` writes the layout inferred from a report
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from the command-line definition
    Man,
    /// Write an HTML review page per report (items beside their source, PDF pages drawn with the
    /// regions of the selected item) and an index with rating charts
    Review(ReviewArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Report files or folders (walked recursively)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder: one NAME.html per report and index.html
    #[arg(short, long, value_name = "DIR", required = true)]
    pub output: PathBuf,
    /// Municipality to record, overriding what the text says
    #[arg(long, value_name = "NAME")]
    pub municipality: Option<String>,
    /// Read only files matching PATTERN (as for parse; repeatable)
    #[arg(long = "glob", value_name = "PATTERN")]
    pub globs: Vec<String>,
    /// Skip files matching PATTERN (as for parse; repeatable)
    #[arg(long = "exclude", value_name = "PATTERN")]
    pub excludes: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Infer the layout of a report and print it as a commented profile file (TOML); parsing with
    /// `--profile` that file gives the same JSON as inference
    Infer(InferArgs),
}

#[derive(Debug, Args)]
pub struct InferArgs {
    /// A report file, or - for stdin
    #[arg(value_name = "FILE")]
    pub input: String,
    /// The profile's id [default: the file name's stem]
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON document per input
    Json,
    /// One line per item (items.jsonl, or stdout without -o)
    Jsonl,
    /// CSV tables joinable on (file, item)
    Csv,
    /// The CSV tables as typed Parquet files (items.parquet, …)
    Parquet,
    /// The CSV tables as sheets of one workbook (tables.xlsx), text kept as text
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Report files, folders (walked recursively) or - for stdin
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output file (one input, JSON) or output folder (batch)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Output format; repeat or separate with commas for several
    #[arg(long = "format", value_enum, value_name = "FORMAT", value_delimiter = ',', default_values_t = [Format::Json])]
    pub formats: Vec<Format>,
    /// Encoding of the CSV files: utf-8 (with BOM, for Excel) or cp932 (older Excel; JIS forms of
    /// — 〜 ‖ ¢ £ ¬ ¦ are written as CP932's codes; fails naming the cell on a character CP932 lacks)
    #[arg(long, value_name = "ENCODING", default_value = "utf-8", value_parser = parse_csv_encoding)]
    pub csv_encoding: CsvEncoding,
    /// Parallel jobs: files of a batch, or pages of a PDF when there are fewer files than jobs
    /// [default: all cores]
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Print errors only (no progress bar, no summary line)
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print one line per file
    #[arg(short, long)]
    pub verbose: bool,
    /// Parse inputs again even when their output is up to date
    #[arg(long)]
    pub force: bool,
    /// Municipality to record, overriding what the text says
    #[arg(long, value_name = "NAME")]
    pub municipality: Option<String>,
    /// In folders, follow symbolic links to folders and links leading outside the input folder
    /// (a folder reached twice is noted and not walked again)
    #[arg(long)]
    pub follow: bool,
    /// In batches, read only files matching PATTERN (repeatable; `*` within a name, `**` across
    /// folders, `?` one character; a pattern without / matches the file name)
    #[arg(long = "glob", value_name = "PATTERN")]
    pub globs: Vec<String>,
    /// In batches, skip files matching PATTERN (repeatable; as --glob; e.g. --exclude '*.md')
    #[arg(long = "exclude", value_name = "PATTERN")]
    pub excludes: Vec<String>,
    /// Print the wall time of each stage (read, parse, fonts, interpret, layout, records, emit)
    /// to stderr; one input only
    #[arg(long)]
    pub timings: bool,
    /// Testing aid: writes fail as on a full disk after this many bytes
    #[arg(long, value_name = "SIZE", hide = true)]
    pub test_full_disk_after: Option<ByteSize>,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The schema of one items.jsonl line instead of the report document
    #[arg(long)]
    pub item_line: bool,
}

#[derive(Debug, Args)]
pub struct TextArgs {
    /// A report file, or - for stdin
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    #[command(flatten)]
    pub decode: DecodeArgs,
}

/// How inputs are read (shared by `parse`, `review` and `profile infer`).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Layout: card, table (the built-in profiles), inferred, or the id of a profile loaded with
    /// --profile [default: the best reading of the built-in profiles and inference]
    #[arg(long, value_name = "LAYOUT")]
    pub layout: Option<String>,
    /// Load a layout profile (TOML, kind = "inferred"; `profile infer` writes one); repeatable
    #[arg(long = "profile", value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// Add a lexicon file (labels, rating words, marks; same shape as lexicon/default.toml)
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    #[command(flatten)]
    pub decode: DecodeArgs,
}

/// How input bytes are decoded (all that `text` needs).
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Text encoding of the inputs (utf-8, shift_jis/cp932, euc-jp, utf-16le, …) [default: detected]
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Invalid bytes in a text: replace them with U+FFFD and report each line (replace), or
    /// refuse the input (strict)
    #[arg(long, value_name = "MODE", default_value = "replace", value_parser = parse_encoding_errors)]
    pub encoding_errors: crate::text::EncodingErrors,
    /// OCR of scanned PDF pages (Tesseract): never, auto (pages with no text layer, when
    /// Tesseract is installed) or always (also pages whose image hides a text layer)
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["never", "auto", "always"])]
    pub ocr: String,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl DecodeArgs {
    fn encoding(&self) -> Result<Option<String>, String> {
        match &self.encoding {
            None => Ok(None),
            Some(label) => Ok(Some(
                encoding_name(label)
                    .ok_or_else(|| {
                        format!("--encoding {label}: unknown encoding (e.g. utf-8, shift_jis, cp932, euc-jp, utf-16le)")
                    })?
                    .to_string(),
            )),
        }
    }
    /// Options with the encoding and limits only.
    fn options(&self) -> Result<Options, String> {
        Ok(Options {
            encoding: self.encoding()?,
            encoding_errors: self.encoding_errors,
            ocr: self.ocr.parse()?,
            limits: self.limits.limits()?,
            ..Options::default()
        })
    }
}

/// Resource limits; sizes take K, M, G suffixes (powers of 1024).
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Largest input file
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(Limits::default().max_input_bytes))]
    pub max_input_bytes: ByteSize,
    /// Largest decompressed PDF stream
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(Limits::default().max_stream_bytes))]
    pub max_stream_bytes: ByteSize,
    /// Largest total of decompressed streams of one PDF
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(Limits::default().max_document_bytes))]
    pub max_document_bytes: ByteSize,
    /// Most objects in one PDF
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_objects)]
    pub max_objects: usize,
    /// Most pages in one PDF
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_pages)]
    pub max_pages: usize,
    /// Most content operators interpreted on one page
    #[arg(long, visible_alias = "max-operators-per-page", value_name = "N", default_value_t = Limits::default().max_operators_per_page)]
    pub max_operators: usize,
    /// Deepest nesting of PDF arrays/dictionaries, Form XObjects and reference chains
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,
    /// Time budget per file in seconds; 0 = none
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().time_budget.map_or(0.0, |d| d.as_secs_f64()))]
    pub time_budget: f64,
}

/// A size in bytes, written with an optional K/M/G suffix (powers of 1024).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 3] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")];
        for (size, unit) in UNITS {
            if self.0 >= size && self.0.is_multiple_of(size) {
                return write!(f, "{}{unit}", self.0 / size);
            }
        }
        write!(f, "{}", self.0)
    }
}

impl FromStr for ByteSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (digits, unit) = t.split_at(split);
        let n: u64 = digits
            .parse()
            .map_err(|_| format!("{s:?} is not a size (e.g. 64M, 1G, 1048576)"))?;
        let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "k" | "kb" | "kib" => 1 << 10,
            "m" | "mb" | "mib" => 1 << 20,
            "g" | "gb" | "gib" => 1 << 30,
            "t" | "tb" | "tib" => 1 << 40,
            _ => return Err(format!("{s:?}: unknown size unit (use K, M or G)")),
        };
        n.checked_mul(mult)
            .map(ByteSize)
            .ok_or_else(|| format!("{s:?} is too large"))
    }
}

fn parse_encoding_errors(s: &str) -> Result<crate::text::EncodingErrors, String> {
    match s {
        "replace" => Ok(crate::text::EncodingErrors::Replace),
        "strict" => Ok(crate::text::EncodingErrors::Strict),
        _ => Err(format!("{s}: give replace or strict")),
    }
}

fn parse_csv_encoding(s: &str) -> Result<CsvEncoding, String> {
    CsvEncoding::from_label(s).ok_or_else(|| format!("{s:?}: use utf-8 or cp932"))
}

/// A validated command.
#[derive(Debug)]
pub enum Config {
    /// One input to stdout or one file.
    Single {
        input: PathBuf,
        output: Option<PathBuf>,
        options: Options,
        verbosity: Verbosity,
        /// Print per-stage wall times to stderr (`--timings`).
        timings: bool,
        /// Testing aid: simulate a full disk after this many bytes.
        full_disk_after: Option<u64>,
    },
    Batch(BatchConfig, Option<u64>),
    Schema {
        item_line: bool,
    },
    Text {
        input: PathBuf,
        options: Options,
    },
    /// `completions SHELL`: print a completion script.
    Completions(clap_complete::Shell),
    /// `man`: print the manual page.
    Man,
    /// `review`: HTML pages into a folder.
    Review {
        inputs: Vec<PathBuf>,
        output: PathBuf,
        filter: batch::filter::Filter,
        options: Options,
    },
    /// `profile infer`: print the inferred layout as a profile file.
    Infer {
        input: PathBuf,
        id: String,
        options: Options,
    },
}

/// Canonical encoding name for a label, accepting the WHATWG labels and a few common aliases.
pub fn encoding_name(label: &str) -> Option<&'static str> {
    let l = label.trim().to_ascii_lowercase();
    let l = match l.as_str() {
        "cp932" | "windows-932" | "ms-932" | "sjis-win" => "shift_jis",
        "utf-16" => "utf-16le",
        "cp20932" | "eucjp" => "euc-jp",
        "jis" => "iso-2022-jp",
        other => other,
    };
    encoding_rs::Encoding::for_label(l.as_bytes()).map(|e| e.name())
}

impl ReadArgs {
    fn options(&self, municipality: Option<&str>) -> Result<Options, String> {
        let mut specs = Vec::new();
        for p in &self.profiles {
            let origin = p.display().to_string();
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("{origin}: profile: cannot read profile: {e}"))?;
            specs.push(
                crate::records::LayoutSpec::from_toml(&origin, &text).map_err(|e| e.to_string())?,
            );
        }
        let lexicon = match &self.lexicon {
            None => None,
            Some(p) => {
                let origin = p.display().to_string();
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("{origin}: lexicon: cannot read: {e}"))?;
                Some(
                    crate::fields::lexicon::Lexicon::from_toml(&origin, &text)
                        .map_err(|e| e.to_string())?,
                )
            }
        };
        if let Some(layout) = &self.layout {
            let ids = crate::records::builtin::layout_ids(&specs);
            if !ids.iter().any(|id| id == layout) {
                return Err(format!(
                    "--layout {layout}: no such layout (known: {}; load others with --profile FILE)",
                    ids.join(", ")
                ));
            }
        }
        let encoding = self.decode.encoding()?;
        let municipality = match municipality.map(str::trim) {
            Some("") => return Err("--municipality: empty name".into()),
            m => m.map(str::to_string),
        };
        Ok(Options {
            layout: self.layout.clone(),
            encoding,
            municipality,
            specs,
            lexicon,
            limits: self.decode.limits.limits()?,
            encoding_errors: self.decode.encoding_errors,
            ocr: self.decode.ocr.parse()?,
            page_threads: 1,
        })
    }
}

impl LimitArgs {
    fn limits(&self) -> Result<Limits, String> {
        let time_budget = if self.time_budget == 0.0 {
            None
        } else {
            Some(Duration::try_from_secs_f64(self.time_budget).map_err(|_| {
                format!(
                    "--time-budget {}: give a number of seconds ≥ 0 (0 = none)",
                    self.time_budget
                )
            })?)
        };
        Ok(Limits {
            max_input_bytes: self.max_input_bytes.0,
            max_stream_bytes: self.max_stream_bytes.0,
            max_document_bytes: self.max_document_bytes.0,
            max_objects: self.max_objects,
            max_pages: self.max_pages,
            max_operators_per_page: self.max_operators,
            max_depth: self.max_depth,
            time_budget,
        })
    }
}

fn names_folder(p: &Path) -> bool {
    p.is_dir()
        || p.as_os_str()
            .to_string_lossy()
            .ends_with(std::path::MAIN_SEPARATOR)
        || p.as_os_str().to_string_lossy().ends_with('/')
}

impl Cli {
    /// Validate the arguments. `Err` is a usage error message (exit 2).
    pub fn into_config(self) -> Result<Config, String> {
        let color = Messages::decide(
            self.color,
            std::io::IsTerminal::is_terminal(&std::io::stderr()),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        let _ = MESSAGES.set(Messages {
            color,
            json: self.error_format == ErrorFormat::Json,
        });
        match self.command {
            Command::Completions(a) => Ok(Config::Completions(a.shell)),
            Command::Man => Ok(Config::Man),
            Command::Schema(a) => Ok(Config::Schema {
                item_line: a.item_line,
            }),
            Command::Text(a) => Ok(Config::Text {
                options: a.decode.options()?,
                input: a.input,
            }),
            Command::Parse(a) => parse_config(a),
            Command::Review(a) => {
                if a.output.is_file() {
                    return Err(format!(
                        "-o {} is a file: review writes a folder of pages",
                        escape_controls(&path_text(a.output.as_os_str()))
                    ));
                }
                Ok(Config::Review {
                    options: a.read.options(a.municipality.as_deref())?,
                    inputs: a.inputs,
                    output: a.output,
                    filter: batch::filter::Filter {
                        include: a.globs,
                        exclude: a.excludes,
                    },
                })
            }
            Command::Profile(ProfileCommand::Infer(a)) => {
                let id = a.id.clone().unwrap_or_else(|| {
                    Path::new(&a.input)
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .filter(|s| s != "-")
                        .unwrap_or_else(|| "inferred-layout".into())
                });
                Ok(Config::Infer {
                    options: a.read.options(None)?,
                    input: PathBuf::from(a.input),
                    id,
                })
            }
        }
    }
}

fn parse_config(a: ParseArgs) -> Result<Config, String> {
    let mut options = a.read.options(a.municipality.as_deref())?;
    let jobs = match a.jobs {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let verbosity = if a.quiet {
        Verbosity::Quiet
    } else if a.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let mut formats = Formats::default();
    for f in &a.formats {
        match f {
            Format::Json => formats.json = true,
            Format::Jsonl => formats.jsonl = true,
            Format::Csv => formats.csv = true,
            Format::Parquet => formats.parquet = true,
            Format::Xlsx => formats.xlsx = true,
        }
    }
    let stdin_count = a.inputs.iter().filter(|i| i.as_os_str() == "-").count();
    if stdin_count > 1 {
        return Err("- (stdin) can be given only once".into());
    }
    let has_dir = a.inputs.iter().any(|i| i.as_os_str() != "-" && i.is_dir());
    let full_disk_after = a.test_full_disk_after.map(|b| b.0);
    let json_only = formats
        == Formats {
            json: true,
            jsonl: false,
            ..Formats::default()
        };
    let jsonl_only = formats
        == Formats {
            json: false,
            jsonl: true,
            ..Formats::default()
        };
    let one_file = a.inputs.len() == 1 && !has_dir;
    let out_folder = a.output.as_deref().is_some_and(names_folder);
    if one_file && json_only && !out_folder {
        let input = a.inputs.into_iter().next().unwrap_or_default();
        if let Some(out) = &a.output {
            if input.as_os_str() != "-" && crate::input::same_file(&input, out) {
                return Err(format!(
                    "-o {} is the input {}: writing it would replace the report; choose another output file",
                    escape_controls(&path_text(out.as_os_str())),
                    escape_controls(&path_text(input.as_os_str()))
                ));
            }
        }
        // One input: its pages are read on the jobs' threads.
        options.page_threads = jobs;
        return Ok(Config::Single {
            input,
            output: a.output,
            options,
            verbosity,
            timings: a.timings,
            full_disk_after,
        });
    }
    if a.timings {
        return Err(
            "--timings times one input written as JSON (a file, or - for stdin, without -o OUTDIR)"
                .into(),
        );
    }
    let outdir = match a.output {
        None if jsonl_only => None,
        None => {
            let why = if !one_file {
                "a folder or several inputs need -o OUTDIR"
            } else {
                "--format csv, parquet, xlsx or several formats need -o OUTDIR"
            };
            return Err(format!(
                "{why} (or --format jsonl alone to stream items to stdout)"
            ));
        }
        Some(o) => {
            let file_like = o.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["json", "jsonl", "csv", "tsv", "txt"].contains(&e.to_ascii_lowercase().as_str())
            });
            if !o.exists() && !names_folder(&o) && file_like {
                let why = if !one_file {
                    "a folder or several inputs"
                } else {
                    "--format csv or several formats"
                };
                return Err(format!(
                    "-o {} looks like a file name, but {why} write into an output folder: give -o OUTDIR (or -o {}/ to make a folder of that name)",
                    escape_controls(&path_text(o.as_os_str())),
                    escape_controls(&path_text(o.as_os_str()))
                ));
            }
            if o.exists() && !o.is_dir() {
                return Err(format!(
                    "-o {}: exists and is not a folder (a batch, --format jsonl or csv write into an output folder)",
                    escape_controls(&path_text(o.as_os_str()))
                ));
            }
            if stdin_count > 0 {
                return Err(
                    "- (stdin) cannot go into an output folder: give a file name with -o FILE"
                        .into(),
                );
            }
            Some(o)
        }
    };
    Ok(Config::Batch(
        BatchConfig {
            inputs: a.inputs,
            outdir,
            formats,
            csv_encoding: a.csv_encoding,
            jobs,
            verbosity,
            force: a.force,
            progress: true,
            follow: a.follow,
            filter: batch::filter::Filter {
                include: a.globs,
                exclude: a.excludes,
            },
            options,
        },
        full_disk_after,
    ))
}

/// Write to stdout; a closed pipe is not an error worth reporting.
fn print_stdout(s: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

/// The report's JSON on stdout, streamed as it is serialised.
fn print_report_stdout(r: &crate::Report) -> Result<(), String> {
    let out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match crate::emit::write_json(r, out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

/// Run a validated command; returns the exit code.
pub fn run(config: Config) -> u8 {
    match config {
        Config::Schema { item_line } => {
            let s = if item_line {
                crate::tabular::item_line_schema()
            } else {
                crate::emit::report_schema()
            };
            report(print_stdout(&s))
        }
        Config::Infer { input, id, options } => {
            let spec = batch::read_then(&input, &Arc::new(options), move |bytes, path, o| {
                crate::infer_profile(&bytes, path, &id, o)
            });
            match spec {
                Ok(spec) => report(print_stdout(&spec.to_toml())),
                Err(e) => report(Err(e.to_string())),
            }
        }
        Config::Completions(shell) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "gyokaku", &mut buf);
            report(print_stdout(&String::from_utf8_lossy(&buf)))
        }
        Config::Man => {
            let mut buf = Vec::new();
            match man_page(&mut buf) {
                Ok(()) => report(print_stdout(&String::from_utf8_lossy(&buf))),
                Err(e) => report(Err(format!("man page: {e}"))),
            }
        }
        Config::Review {
            inputs,
            output,
            filter,
            options,
        } => match review_pages(&inputs, &output, &filter, &options) {
            Ok(w) => {
                for (_, e) in &w.failed {
                    eprintln!("gyokaku: {e}");
                }
                println!(
                    "{} ({} report pages, {} inputs not read)",
                    path_text(w.index.as_os_str()),
                    w.pages.len(),
                    w.failed.len()
                );
                u8::from(!w.failed.is_empty())
            }
            Err(e) => report(Err(e.to_string())),
        },
        Config::Text { input, options } => {
            let doc = batch::read_then(&input, &Arc::new(options), |bytes, path, o| {
                crate::ingest_named(&bytes, Some(path), o)
            });
            match doc {
                Ok(doc) => {
                    for d in &doc.diagnostics {
                        let page = d.page.map(|p| format!(" page {p}:")).unwrap_or_default();
                        eprintln!(
                            "gyokaku: {}:{page} {}: {}",
                            escape_controls(&path_text(input.as_os_str())),
                            d.code,
                            d.message
                        );
                    }
                    report(print_stdout(&doc.to_text()))
                }
                Err(e) => report(Err(e.to_string())),
            }
        }
        Config::Single {
            input,
            output,
            options,
            verbosity,
            timings,
            full_disk_after,
        } => {
            if output.is_some() {
                start_writing(full_disk_after);
            }
            let reading = std::time::Instant::now();
            let result = batch::read_then(&input, &Arc::new(options), move |bytes, path, o| {
                if !timings {
                    return crate::parse_owned(bytes, path, o).map(|r| (r, None));
                }
                crate::timings::start();
                crate::timings::add(crate::timings::Stage::Read, reading.elapsed());
                let r = crate::parse_owned(bytes, path, o);
                let spent = crate::timings::finish();
                r.map(|r| (r, spent))
            });
            let (r, mut spent) = match result {
                Ok(r) => r,
                Err(e) => {
                    print_error(&e);
                    return 1;
                }
            };
            let emitting = std::time::Instant::now();
            let written = match &output {
                None => print_report_stdout(&r),
                Some(path) => batch::write_report_json(path, &r).map_err(|e| {
                    format!(
                        "{}: output: cannot write: {e}",
                        escape_controls(&path_text(path.as_os_str()))
                    )
                }),
            };
            if let Some(t) = spent.as_mut() {
                t.add(crate::timings::Stage::Emit, emitting.elapsed());
                eprintln!(
                    "gyokaku: timings (ms) for {}: {}",
                    escape_controls(&path_text(input.as_os_str())),
                    t.line()
                );
            }
            if written.is_ok() && verbosity >= Verbosity::Verbose {
                eprintln!(
                    "gyokaku: parsed {}: {} items, {} diagnostics{}",
                    escape_controls(&path_text(input.as_os_str())),
                    r.items.len(),
                    r.diagnostics.len(),
                    output
                        .map(|p| format!(" → {}", escape_controls(&path_text(p.as_os_str()))))
                        .unwrap_or_default()
                );
            }
            match report(written) {
                0 if r.is_partial() => crate::model::PARTIAL_EXIT,
                code => code,
            }
        }
        Config::Batch(cfg, full_disk_after) => {
            if cfg.outdir.is_some() {
                start_writing(full_disk_after);
            }
            match batch::run(&cfg) {
                Ok(outcome) => u8::try_from(outcome.exit_code).unwrap_or(1),
                Err(e) if e.kind == ErrorKind::Usage => {
                    eprintln!("gyokaku: {e}");
                    2
                }
                Err(e) => report(Err(e.to_string())),
            }
        }
    }
}

/// `review`: the pages, with Ctrl-C removing the temp file being written.
fn review_pages(
    inputs: &[PathBuf],
    output: &Path,
    filter: &batch::filter::Filter,
    options: &Options,
) -> crate::error::Result<crate::review::Written> {
    start_writing(None);
    crate::review::write(inputs, output, filter, options)
}

/// Before writing files: remove temp files on Ctrl-C, SIGTERM and SIGHUP; apply the testing aid.
fn start_writing(full_disk_after: Option<u64>) {
    if let Err(e) = batch::install_interrupt_handler() {
        eprintln!("gyokaku: warning: cannot catch Ctrl-C ({e}); an interrupted run leaves temp files for the next run to remove");
    }
    if let Some(n) = full_disk_after {
        batch::cleanup::simulate_full_disk_after(n);
    }
}

fn report(r: Result<(), String>) -> u8 {
    match r {
        Ok(()) => 0,
        Err(msg) => {
            print_message("error", None, &msg);
            1
        }
    }
}

/// The manual page of `gyokaku` (roff), generated from the clap definition.
pub fn man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &[&str]) -> Result<Config, String> {
        let mut v = vec!["gyokaku"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v)
            .map_err(|e| e.to_string())?
            .into_config()
    }

    #[test]
    fn byte_sizes() {
        let cases = [
            ("1024", Some(1024)),
            ("64M", Some(64 << 20)),
            ("64MiB", Some(64 << 20)),
            ("1g", Some(1 << 30)),
            ("2 K", Some(2048)),
            ("x", None),
            ("5Q", None),
            ("99999999999999T", None),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<ByteSize>().ok().map(|b| b.0), want, "{s}");
        }
        let shown = [
            (256u64 << 20, "256M"),
            (1 << 30, "1G"),
            (1000, "1000"),
            (3 << 10, "3K"),
        ];
        for (n, want) in shown {
            assert_eq!(ByteSize(n).to_string(), want);
            assert_eq!(want.parse::<ByteSize>().unwrap().0, n, "round trip {want}");
        }
    }

    #[test]
    fn encoding_labels() {
        let cases = [
            ("utf-8", Some("UTF-8")),
            ("Shift_JIS", Some("Shift_JIS")),
            ("cp932", Some("Shift_JIS")),
            ("sjis", Some("Shift_JIS")),
            ("euc-jp", Some("EUC-JP")),
            ("utf-16", Some("UTF-16LE")),
            ("klingon", None),
        ];
        for (label, want) in cases {
            assert_eq!(encoding_name(label), want, "{label}");
        }
    }

    #[test]
    fn timings_time_one_input() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "x").unwrap();
        let f = f.to_string_lossy().into_owned();
        let d = dir.path().to_string_lossy().into_owned();
        let cases: &[(&[&str], Option<bool>)] = &[
            (&["parse", &f], Some(false)),
            (&["parse", &f, "--timings"], Some(true)),
            (&["parse", "-", "--timings"], Some(true)),
            (&["parse", &d, "-o", "out/", "--timings"], None),
            (&["parse", &f, "--format", "jsonl", "--timings"], None),
        ];
        for (args, want) in cases {
            match (config(args), want) {
                (Ok(Config::Single { timings, .. }), Some(w)) => {
                    assert_eq!(timings, *w, "{args:?}")
                }
                (Err(e), None) => assert!(e.contains("--timings times one input"), "{e}"),
                (other, _) => panic!("{args:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn modes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "x").unwrap();
        let f = f.to_string_lossy().into_owned();
        let d = dir.path().to_string_lossy().into_owned();
        let out_dir = format!("{d}/out/");

        assert!(matches!(
            config(&["parse", &f]),
            Ok(Config::Single { output: None, .. })
        ));
        assert!(matches!(
            config(&["parse", "-"]),
            Ok(Config::Single { output: None, .. })
        ));
        assert!(matches!(
            config(&["parse", &f, "-o", "x.json"]),
            Ok(Config::Single {
                output: Some(_),
                ..
            })
        ));
        // -o naming a folder → batch into it.
        match config(&["parse", &f, "-o", &out_dir]) {
            Ok(Config::Batch(b, _)) => assert_eq!(b.outdir.as_deref(), Some(Path::new(&out_dir))),
            other => panic!("{other:?}"),
        }
        match config(&["parse", &f, "-o", &d]) {
            Ok(Config::Batch(b, _)) => assert_eq!(b.outdir.as_deref(), Some(Path::new(&d))),
            other => panic!("{other:?}"),
        }
        // A folder needs -o, unless streaming JSONL.
        assert!(config(&["parse", &d])
            .unwrap_err()
            .contains("need -o OUTDIR"));
        assert!(config(&["parse", &f, &f])
            .unwrap_err()
            .contains("need -o OUTDIR"));
        match config(&["parse", &d, "--format", "jsonl", "-j", "3", "-q"]) {
            Ok(Config::Batch(b, _)) => {
                assert_eq!(b.outdir, None);
                assert_eq!(
                    b.formats,
                    Formats {
                        json: false,
                        jsonl: true,
                        ..Formats::default()
                    }
                );
                assert_eq!(b.jobs, 3);
                assert_eq!(b.verbosity, Verbosity::Quiet);
            }
            other => panic!("{other:?}"),
        }
        assert!(config(&["parse", &f, "--format", "csv"])
            .unwrap_err()
            .contains("need -o OUTDIR"));
        match config(&[
            "parse",
            &f,
            "--format",
            "json,csv",
            "--format",
            "jsonl",
            "-o",
            "o",
            "--csv-encoding",
            "cp932",
        ]) {
            Ok(Config::Batch(b, _)) => {
                assert_eq!(
                    b.formats,
                    Formats {
                        json: true,
                        jsonl: true,
                        csv: true,
                        ..Formats::default()
                    }
                );
                assert_eq!(b.csv_encoding, CsvEncoding::Cp932);
            }
            other => panic!("{other:?}"),
        }
        // -o naming an existing file in a batch.
        assert!(config(&["parse", &d, "-o", &f])
            .unwrap_err()
            .contains("exists and is not a folder"));
        // stdin into a folder, stdin twice.
        assert!(config(&["parse", "-", &f, "-o", &out_dir])
            .unwrap_err()
            .contains("stdin"));
        assert!(config(&["parse", "-", "-", "--format", "jsonl"])
            .unwrap_err()
            .contains("only once"));
    }

    #[test]
    fn options_are_validated() {
        let c = config(&[
            "parse",
            "-",
            "--layout",
            "table",
            "--encoding",
            "cp932",
            "--municipality",
            " 見本市 ",
            "--max-input-bytes",
            "1M",
            "--max-depth",
            "9",
            "--time-budget",
            "0",
        ])
        .unwrap();
        let Config::Single { options, .. } = c else {
            panic!()
        };
        assert_eq!(options.layout.as_deref(), Some("table"));
        assert_eq!(options.encoding.as_deref(), Some("Shift_JIS"));
        assert_eq!(options.municipality.as_deref(), Some("見本市"));
        assert_eq!(options.limits.max_input_bytes, 1 << 20);
        assert_eq!(options.limits.max_depth, 9);
        assert_eq!(options.limits.time_budget, None);
        assert_eq!(options.limits.max_pages, Limits::default().max_pages);

        let Config::Single { options, .. } =
            config(&["parse", "-", "--time-budget", "2.5"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            options.limits.time_budget,
            Some(Duration::from_millis(2500))
        );
        let Config::Single { options, .. } = config(&["parse", "-"]).unwrap() else {
            panic!()
        };
        assert_eq!(options.limits, Limits::default());

        assert!(config(&["parse", "-", "--layout", "zigzag"])
            .unwrap_err()
            .contains("no such layout"));
        assert!(config(&["parse", "-", "--encoding", "klingon"])
            .unwrap_err()
            .contains("unknown encoding"));
        assert!(config(&["parse", "-", "--time-budget=-1"])
            .unwrap_err()
            .contains("--time-budget"));
        assert!(config(&["parse", "-", "--municipality", " "])
            .unwrap_err()
            .contains("empty"));
        assert!(config(&["parse", "-", "-j", "0"]).is_err());
        let e = config(&["parse", "-", "--profile", "/nonexistent/p.toml"]).unwrap_err();
        assert!(
            e.starts_with("/nonexistent/p.toml: profile: cannot read profile"),
            "{e}"
        );
    }
}
