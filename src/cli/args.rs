//! The clap definition of the command line: subcommands, their options and the help texts.

use super::*;

pub(super) const EXAMPLES: &str = "\
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

pub(super) const PARSE_HELP: &str = "\
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
    /// In folders, follow symbolic links to folders and links leading outside the input folder
    /// (as for parse)
    #[arg(long)]
    pub follow: bool,
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

pub(super) fn parse_encoding_errors(s: &str) -> Result<crate::text::EncodingErrors, String> {
    match s {
        "replace" => Ok(crate::text::EncodingErrors::Replace),
        "strict" => Ok(crate::text::EncodingErrors::Strict),
        _ => Err(format!("{s}: give replace or strict")),
    }
}

pub(super) fn parse_csv_encoding(s: &str) -> Result<CsvEncoding, String> {
    CsvEncoding::from_label(s).ok_or_else(|| format!("{s:?}: use utf-8 or cp932"))
}
