//! `gyokaku review`: a self-contained HTML page per report, showing each item as a card beside
//! the source it came from, and an index page for a batch with rating counts as charts.
//!
//! PDF pages are drawn as inline SVG from the glyphs and ruling lines the PDF layer read; the
//! regions of the selected item are highlighted. Other inputs show their lines, the item's lines
//! highlighted. No network, no script framework: a few lines of plain JavaScript select an item.

mod html;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::input::path_text;
use crate::model::Report;
use crate::source::SourceDoc;
use crate::Options;

pub use html::{index_page, report_page};

/// One region of an item in the source: a PDF box, or a line of a text-like input.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Index of the item in the report.
    pub item: usize,
    /// What the region is (`item`, `field`, `finding`, `value`, `rating`, `schedule`, `goal`,
    /// `status`).
    pub kind: &'static str,
    pub page: Option<u32>,
    pub line: u32,
    pub bbox: Option<[f64; 4]>,
}

/// Every region of every item, in item order.
pub fn regions(report: &Report) -> Vec<Region> {
    let mut out = Vec::new();
    for (i, item) in report.items.iter().enumerate() {
        let mut push = |kind: &'static str, p: &crate::model::Provenance| {
            out.push(Region {
                item: i,
                kind,
                page: p.page,
                line: p.line,
                bbox: p.bbox,
            });
        };
        push("item", &item.source);
        for f in &item.fields {
            push("field", &f.source);
        }
        if let Some(p) = item.rating.as_ref().and_then(|r| r.source.as_ref()) {
            push("rating", p);
        }
        for p in item.findings.iter().filter_map(|f| f.source.as_ref()) {
            push("finding", p);
        }
        for t in &item.targets {
            for p in t.values.iter().filter_map(|v| v.source.as_ref()) {
                push("value", p);
            }
        }
        for p in item.schedule.iter().filter_map(|s| s.source.as_ref()) {
            push("schedule", p);
        }
        for pr in &item.progress {
            if let Some(p) = &pr.goal_source {
                push("goal", p);
            }
            if let Some(p) = pr.status.as_ref().and_then(|s| s.source.as_ref()) {
                push("status", p);
            }
        }
    }
    out
}

/// What a review run wrote.
#[derive(Debug, Default)]
pub struct Written {
    /// Report pages, with the input they show.
    pub pages: Vec<(PathBuf, PathBuf)>,
    /// Inputs that could not be read as reports, with the error.
    pub failed: Vec<(PathBuf, Error)>,
    /// Files the walk passed over (as for `parse`: `--glob`/`--exclude`, special files, links).
    pub ignored: Vec<crate::batch::IgnoredFile>,
    pub index: PathBuf,
}

/// Read one input into its source document and report, as `parse` reads a file of a batch:
/// with its panic guard and its time budget ([`crate::batch::read_then`]).
pub fn read(path: &Path, opts: &Options) -> Result<(SourceDoc, Report)> {
    let name = path_text(path.as_os_str());
    crate::batch::read_then(path, &Arc::new(opts.clone()), |bytes, name, opts| {
        let doc = crate::ingest_named(&bytes, Some(name), opts)?;
        let report = crate::parse_source(doc.clone(), name, &crate::sha256_hex(&bytes), opts)?;
        Ok((doc, report))
    })
    .map_err(|e| e.in_file(&name))
}

/// Write a page per report and `index.html` into `out`. Folders are walked and files chosen
/// exactly as `parse` does ([`crate::batch::plan`] and [`crate::batch::filter::Filter::apply`]):
/// report extensions, or what a `--glob` pattern admits; the output folder left out; links
/// followed only with `follow`.
pub fn write(
    inputs: &[PathBuf],
    out: &Path,
    filter: &crate::batch::filter::Filter,
    follow: bool,
    opts: &Options,
) -> Result<Written> {
    std::fs::create_dir_all(out).map_err(|e| io_error(out, &e))?;
    let mut plan = crate::batch::plan(inputs, Some(out), follow, &filter.include);
    filter.apply(&mut plan);
    // temp files an interrupted run left behind
    crate::batch::remove_stale_temps(out);
    let mut written = Written {
        ignored: plan.ignored,
        ..Written::default()
    };
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    let mut reports: Vec<(String, Report)> = Vec::new();
    for job in plan.jobs {
        let f = match job.source {
            crate::batch::JobSource::File(f) => f,
            crate::batch::JobSource::Stdin => PathBuf::from("-"),
            crate::batch::JobSource::Broken(e) => {
                written.failed.push((PathBuf::from(&job.path), e));
                continue;
            }
        };
        match read(&f, opts) {
            Ok((doc, report)) => {
                let stem = f
                    .file_name()
                    .map(|s| s.to_string_lossy().replace(['/', '\\', '#', '?', '%'], "_"))
                    .unwrap_or_else(|| "stdin".into());
                let n = used.entry(stem.clone()).or_insert(0);
                *n += 1;
                let name = if *n == 1 {
                    format!("{stem}.html")
                } else {
                    format!("{stem}~{n}.html")
                };
                let page = out.join(&name);
                write_file(&page, &report_page(&report, &doc))?;
                written.pages.push((f.clone(), page));
                reports.push((name, report));
            }
            Err(e) => written.failed.push((f, e)),
        }
    }
    let index = out.join("index.html");
    let failed: Vec<(String, String)> = written
        .failed
        .iter()
        .map(|(p, e)| (path_text(p.as_os_str()), e.to_string()))
        .collect();
    write_file(&index, &index_page(&reports, &failed))?;
    written.index = index;
    Ok(written)
}

fn io_error(p: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::Output,
        format!("{}: {e}", path_text(p.as_os_str())),
    )
}

/// Write through a temp file and a rename, so a page is complete or absent; the temp file is
/// registered with the run's cleanup, so Ctrl-C removes it (as for `parse` outputs).
fn write_file(p: &Path, text: &str) -> Result<()> {
    crate::batch::write_atomic(p, text.as_bytes()).map_err(|e| io_error(p, &e))
}
