//! Emitting results in plan order: the progress bar and per-file lines, `items.jsonl`, the CSV
//! tables, `errors.jsonl` and the counts that go into `summary.json`.

use super::*;

pub(super) struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    verbosity: Verbosity,
}

impl Reporter {
    pub(super) fn new(total: u64, cfg: &BatchConfig) -> Self {
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
    pub(super) fn verbose(&self, s: impl FnOnce() -> String) {
        if self.verbosity >= Verbosity::Verbose {
            self.line(&s());
        }
    }
    pub(super) fn tick(&self, failed: u64) {
        if let Some(b) = &self.bar {
            b.inc(1);
            if failed > 0 {
                b.set_message(format!("{failed} failed"));
            }
        }
    }
    pub(super) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Items of a report taken at a time from a large text's spill file into the run-level outputs.
const ITEMS_PER_RUN: usize = 256;

/// The run-level outputs, fed one outcome at a time in plan order.
pub(super) struct Emitter<'a> {
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
    pub(super) partial: bool,
    /// Set when a streaming consumer went away (stdout closed): stop starting new jobs.
    pub(super) stop: bool,
}

impl<'a> Emitter<'a> {
    pub(super) fn new(cfg: &'a BatchConfig) -> Result<Self> {
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

    pub(super) fn emit(&mut self, job: &Job, outcome: Outcome, rep: &Reporter) {
        self.summary.files += 1;
        cleanup::one_done();
        let mut parsed = match outcome {
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
                        r.items(),
                        r.diagnostics()
                    )
                });
                r
            }
        };
        if self.cfg.outdir.is_some() && self.cfg.formats.json {
            self.summary.outputs.json_files += 1;
        }
        let head = parsed.head();
        self.summary.items += parsed.items() as u64;
        self.summary.ocr_pages += head.source.ocr_pages.len() as u64;
        for d in &head.diagnostics {
            *self.summary.diagnostics.entry(d.code.clone()).or_default() += 1;
        }
        self.partial |= parsed.is_partial();
        let g = self
            .groups
            .entry((head.municipality.clone(), head.fiscal_year))
            .or_default();
        g.files += 1;
        g.items += parsed.items() as u64;
        // The items run by run (a large text's wait in a spill file): each output takes every
        // run until it fails.
        let mut jsonl_failed = None;
        let mut csv_failed = None;
        let mut dropped = Vec::new();
        let mut jsonl: Option<&mut dyn Write> = match (&mut self.jsonl, &mut self.jsonl_file) {
            (Some(w), _) => Some(w.as_mut()),
            (None, Some(f)) => Some(f),
            (None, None) => None,
        };
        let (csv, typed, jsonl_lines) = (&mut self.csv, &mut self.typed, &mut self.jsonl_lines);
        let read = parsed.for_each_chunk(ITEMS_PER_RUN, |report, first| {
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
            if let Some(w) = jsonl.as_mut() {
                match crate::tabular::write_item_lines_from(w, report, first) {
                    Ok(n) => *jsonl_lines += n as u64,
                    Err(e) => {
                        jsonl_failed = Some(e);
                        jsonl = None;
                    }
                }
            }
            if csv_failed.is_none() {
                if let Some(csv) = csv.as_mut() {
                    if let Err(e) = csv.write_report_from(report, first) {
                        csv_failed = Some(e);
                    }
                }
            }
            if let Some(t) = typed.as_mut() {
                dropped.extend(t.write_report_from(report, first));
            }
        });
        if let Err(e) = read {
            // The spill file could not be read back: every streamed output of the run lacks
            // this report's items.
            let err = Error::new(
                ErrorKind::Output,
                format!("cannot read back the items of a large text: {e}"),
            );
            jsonl_failed.get_or_insert(io::Error::other(err.message.clone()));
            csv_failed.get_or_insert(err.clone());
            if let Some(t) = self.typed.take() {
                dropped.push((t.names(), err));
            }
        }
        if let Some(e) = jsonl_failed {
            if self.jsonl.take().is_some() {
                // stdout closed (e.g. piped into `head`): stop quietly.
                self.stop = true;
                if e.kind() != io::ErrorKind::BrokenPipe {
                    rep.line(&format!("gyokaku: cannot write to stdout: {e}"));
                }
            } else if self.jsonl_file.take().is_some() {
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
        if let Some(e) = csv_failed {
            if self.csv.take().is_some() {
                // Drop all tables (temp files removed): a partial set would not be joinable.
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
        for (names, e) in dropped {
            for name in &names {
                self.not_written(name);
            }
            let rec = ErrorRecord::new(&job.path, Stage::Write, &e);
            self.record_error(rep, rec, e.in_file(&job.path).to_string());
        }
    }

    /// Commit the run-level outputs and return the summary.
    pub(super) fn finish(mut self, plan: &Plan, rep: &Reporter) -> Summary {
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
