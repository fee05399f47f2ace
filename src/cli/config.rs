//! From the parsed command line to a validated [`Config`]: options checked and combined, usage
//! errors as messages.

use super::*;

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
        follow: bool,
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
            repeated_edges: None,
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

pub(super) fn names_folder(p: &Path) -> bool {
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
                    follow: a.follow,
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

pub(super) fn parse_config(a: ParseArgs) -> Result<Config, String> {
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
