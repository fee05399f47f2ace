//! The command line: clap arguments ([`Cli`]) → a validated [`Config`] ([`Cli::into_config`]) →
//! [`run`] → exit code (0 success, 1 an input could not be read as a report or an output could
//! not be written, 2 usage error, 3 a report was written but damage in the input cost content).
//!
//! The parts: `args` (the clap definition), `config` (options → [`Config`]), `messages` (how
//! errors are written); this file runs each subcommand.

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

mod args;
mod config;
mod messages;

pub use args::*;
pub use config::*;
pub use messages::*;

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
fn print_report_stdout(mut r: crate::window::Parsed) -> Result<(), String> {
    let out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match r.write_json(out) {
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
            follow,
            options,
        } => match review_pages(&inputs, &output, &filter, follow, &options) {
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
            // The lexicon, profiles and patterns are built on a spare thread while the input is read.
            let _ = std::thread::Builder::new()
                .name("gyokaku-warm-up".into())
                .spawn(crate::records::warm_up);
            let reading = std::time::Instant::now();
            let result = batch::read_then(&input, &Arc::new(options), move |bytes, path, o| {
                if !timings {
                    return crate::window::parse(bytes, path, o).map(|r| (r, None));
                }
                crate::timings::start();
                crate::timings::add(crate::timings::Stage::Read, reading.elapsed());
                let r = crate::window::parse(bytes, path, o);
                let spent = crate::timings::finish();
                r.map(|r| (r, spent))
            });
            let (mut r, mut spent) = match result {
                Ok(r) => r,
                Err(e) => {
                    print_error(&e);
                    return 1;
                }
            };
            let emitting = std::time::Instant::now();
            let (items, diagnostics, partial) = (r.items(), r.diagnostics(), r.is_partial());
            let windows = r
                .windows()
                .map(|n| format!(", read in {n} windows"))
                .unwrap_or_default();
            let written = match &output {
                None => print_report_stdout(r),
                Some(path) => batch::write_atomic_with(path, |w| r.write_json(w)).map_err(|e| {
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
                    "gyokaku: parsed {}: {} items, {} diagnostics{windows}{}",
                    escape_controls(&path_text(input.as_os_str())),
                    items,
                    diagnostics,
                    output
                        .map(|p| format!(" → {}", escape_controls(&path_text(p.as_os_str()))))
                        .unwrap_or_default()
                );
            }
            match report(written) {
                0 if partial => crate::model::PARTIAL_EXIT,
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
    follow: bool,
    options: &Options,
) -> crate::error::Result<crate::review::Written> {
    start_writing(None);
    crate::review::write(inputs, output, filter, follow, options)
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
