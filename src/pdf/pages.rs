//! Reading a document's pages: content streams interpreted, scanned pages read by OCR, lines and
//! cells laid out, and what each page costs said as diagnostics.
//!
//! Pages are read in order on the calling thread ([`read_in_order`]), or in runs of consecutive
//! pages on the current rayon pool ([`read_parallel`]), each run with its own font cache. The
//! runs are put back together in page order, so both give the same pages and diagnostics. A
//! run that meets damage (anything noted while reading, or an error) gives the reading up: the
//! caller reads the document in order instead, since what a damaged font costs is said once, on
//! the first page that uses it.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::doc::Pdf;
use super::layout::{self, Row};
use super::{geometry, interp, page_contents, scan, structure, UNMAPPED_WARN};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Diagnostic, OcrPageInfo, Severity};

/// What every page is read with.
pub(super) struct Job<'j, 'd> {
    pub limits: &'j Limits,
    /// When reading began (for the time budget).
    pub started: Instant,
    pub ocr: crate::ocr::OcrMode,
    pub tables: &'j structure::Tables,
    pub pages: &'j [(lopdf::ObjectId, &'d lopdf::Dictionary)],
}

/// One page read.
pub(super) struct PageRead {
    pub rows: Vec<Row>,
    pub height: f32,
    pub geometry: crate::source::PageGeometry,
    /// The page's diagnostics, in the order they were made.
    pub diagnostics: Vec<Diagnostic>,
    pub ocr: Option<OcrPageInfo>,
    /// Scanned pages not read, with the reason.
    pub unread: Vec<(u32, String)>,
    pub shown: u32,
    pub unmapped: u32,
    /// Whether the page shows any text.
    pub readable: bool,
}

/// The pages read, in order, with the time spent (summed over threads).
pub(super) struct Read {
    pub pages: Vec<PageRead>,
    /// Fonts: (name, glyphs checked against the font's own cmap, glyphs that differ).
    pub fonts: Vec<(String, u32, u32)>,
    pub font_time: Duration,
    /// Content streams decoded and interpreted, fonts included.
    pub interpret_time: Duration,
    pub layout_time: Duration,
}

/// Read every page in order with one font cache.
pub(super) fn read_in_order(pdf: &Pdf, job: &Job) -> Result<Read> {
    let mut fonts = interp::FontCache::default();
    let (pages, interpret_time, layout_time, _) = read_run(pdf, job, 0, job.pages, &mut fonts)?;
    Ok(Read {
        pages,
        fonts: fonts
            .summaries()
            .into_iter()
            .map(|(_, name, checked, differ)| (name, checked, differ))
            .collect(),
        font_time: fonts.load_time,
        interpret_time,
        layout_time,
    })
}

/// Fewest pages a parallel run is given. Each run loads the fonts it meets again and starting
/// the page threads has a cost of its own: on a Chromium file (Type0 fonts, whose font program
/// is inflated to check the ToUnicode map) that is 1–2 ms of CPU, about what two pages take to
/// read, with no gain in wall time on a file of a few pages.
pub(crate) const MIN_PAGES_PER_RUN: usize = 4;

/// How the pages may be split: up to `threads` runs of at least `min_run` pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split {
    pub threads: usize,
    pub min_run: usize,
}

impl Split {
    /// Every page in order on the calling thread.
    pub const ONE: Split = Split {
        threads: 1,
        min_run: 1,
    };
}

/// The runs of `n` pages (start, end), as many as `split.threads` allows with at least
/// `split.min_run` pages each (the pages spread evenly over them); one run when no split pays.
pub(crate) fn runs(n: usize, split: Split) -> Vec<(usize, usize)> {
    let most = (n / split.min_run.max(1)).max(1);
    let runs = split.threads.clamp(1, most);
    let per = n.div_ceil(runs).max(1);
    (0..runs)
        .map(|r| (r * per, ((r + 1) * per).min(n)))
        .filter(|(a, b)| a < b)
        .collect()
}

/// Read the pages in the given runs of consecutive pages in parallel. `None` when a run meets
/// damage or an error (read in order instead).
pub(super) fn read_parallel(pdf: &Pdf, job: &Job, bounds: &[(usize, usize)]) -> Option<Read> {
    let n = job.pages.len();
    let (doc, limits, budget) = (pdf.doc, pdf.limits, pdf.budget());
    let pool = page_pool()?;
    // OCR on a page thread is credited to the parse that asked for it (its time budget).
    let credit = crate::ocr::time_credit();
    let parts: Vec<Option<RunRead>> = pool.install(|| {
        bounds
            .par_iter()
            .map(|&(a, b)| {
                crate::ocr::credit_time_to(credit.clone());
                let pdf = Pdf::sharing(doc, limits, budget.clone());
                let mut fonts = interp::FontCache::default();
                let pages = job.pages.get(a..b)?;
                let (pages, interpret_time, layout_time, noted) =
                    read_run(&pdf, job, a, pages, &mut fonts).ok()?;
                if noted {
                    return None;
                }
                Some(RunRead {
                    pages,
                    fonts: fonts.summaries(),
                    font_time: fonts.load_time,
                    interpret_time,
                    layout_time,
                })
            })
            .collect()
    });
    let mut out = Read {
        pages: Vec::with_capacity(n),
        fonts: Vec::new(),
        font_time: Duration::ZERO,
        interpret_time: Duration::ZERO,
        layout_time: Duration::ZERO,
    };
    // A font used by several runs was loaded by each: its counts are added up under its key,
    // in the order a reading in order would have loaded the fonts.
    let mut fonts: Vec<(u64, String, u32, u32)> = Vec::new();
    for part in parts {
        let part = part?;
        out.pages.extend(part.pages);
        out.font_time += part.font_time;
        out.interpret_time += part.interpret_time;
        out.layout_time += part.layout_time;
        for (key, name, checked, differ) in part.fonts {
            match fonts.iter_mut().find(|f| f.0 == key) {
                Some(f) => {
                    f.2 += checked;
                    f.3 += differ;
                }
                None => fonts.push((key, name, checked, differ)),
            }
        }
    }
    out.fonts = fonts
        .into_iter()
        .map(|(_, name, checked, differ)| (name, checked, differ))
        .collect();
    Some(out)
}

/// Stack size of the page threads: as the parse threads', since content streams are read
/// recursively (Form XObjects) and a stack overflow cannot be caught.
const PAGE_STACK: usize = 64 * 1024 * 1024;

/// The threads pages are read on (one per core), started when first needed; `None` when they
/// cannot be started (the pages are then read in order).
fn page_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(std::thread::available_parallelism().map_or(2, |n| n.get()))
            .stack_size(PAGE_STACK)
            .thread_name(|i| format!("gyokaku-pages-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// A run of pages read on one thread.
struct RunRead {
    pages: Vec<PageRead>,
    fonts: Vec<(u64, String, u32, u32)>,
    font_time: Duration,
    interpret_time: Duration,
    layout_time: Duration,
}

/// Read `pages` (the first being page `first + 1`): the pages, the time spent interpreting and
/// laying out, and whether anything was noted (damage).
fn read_run(
    pdf: &Pdf,
    job: &Job,
    first: usize,
    pages: &[(lopdf::ObjectId, &lopdf::Dictionary)],
    fonts: &mut interp::FontCache,
) -> Result<(Vec<PageRead>, Duration, Duration, bool)> {
    let limits = job.limits;
    let mut out = Vec::with_capacity(pages.len());
    let mut interpret_time = Duration::ZERO;
    let mut layout_time = Duration::ZERO;
    let mut noted = false;
    for (i, (page_id, page)) in pages.iter().enumerate() {
        let page_no = u32::try_from(first + i + 1).unwrap_or(u32::MAX);
        if let Some(budget) = limits.time_budget {
            if job.started.elapsed() > budget {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!(
                        "reading took longer than the time budget of {} s",
                        budget.as_secs_f32()
                    ),
                )
                .at_page(page_no));
            }
        }
        pdf.page.set(page_no);
        let interpret_started = Instant::now();
        let contents = page_contents(pdf, page, page_no).map_err(|e| e.at_page(page_no))?;
        let mut pc = interp::run_page(pdf, fonts, page_no, page, &contents)?;
        drop(contents);
        interpret_time += interpret_started.elapsed();
        let mut diagnostics = pdf.take_notes();
        noted |= !diagnostics.is_empty();
        let mut scan_notes = scan::ScanNotes::default();
        let ocr = scan::read_scanned_page(
            pdf,
            &mut pc,
            page_no,
            job.ocr,
            &mut diagnostics,
            &mut scan_notes,
        );
        page_diagnostics(&pc, page_no, &mut diagnostics);
        let layout_started = Instant::now();
        let tables = job.tables;
        let rows = if tables.is_empty() {
            layout::layout_page(&pc, &|_| None)
        } else {
            layout::layout_page(&pc, &|mcid| tables.cell(*page_id, mcid))
        };
        let readable = rows.iter().any(|r| {
            r.cells
                .iter()
                .any(|c| c.chars().any(|ch| !ch.is_whitespace()))
        });
        out.push(PageRead {
            height: pc.height,
            geometry: geometry::page(&pc, page_no),
            rows,
            diagnostics,
            ocr,
            unread: scan_notes.unread,
            shown: pc.shown,
            unmapped: pc.unmapped,
            readable,
        });
        layout_time += layout_started.elapsed();
    }
    Ok((out, interpret_time, layout_time, noted))
}

/// What a page's content says about its text: glyphs left out past the limit, Form XObjects not
/// drawn, glyphs that cannot be mapped to Unicode, fonts whose text does not read like Japanese.
fn page_diagnostics(pc: &interp::PageContent, page_no: u32, diagnostics: &mut Vec<Diagnostic>) {
    if pc.dropped_glyphs > 0 {
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "glyph-limit",
                format!(
                    "the page shows more than {} glyphs; {} more are left out",
                    interp::MAX_GLYPHS_PER_PAGE,
                    pc.dropped_glyphs
                ),
            )
            .at(None, Some(page_no)),
        );
    }
    let mut seen_codes = std::collections::HashSet::new();
    for (code, message) in &pc.refused_forms {
        if seen_codes.insert(*code) {
            diagnostics.push(
                Diagnostic::new(Severity::Warning, code, message.clone()).at(None, Some(page_no)),
            );
        }
    }
    // glyphs shown in a font whose dictionary is gone are text lost to damage
    if !pc.lost_fonts.is_empty() {
        let fonts: Vec<String> = pc
            .lost_fonts
            .iter()
            .map(|(r, c)| format!("font {r} ({c} glyphs)"))
            .collect();
        diagnostics.push(
            Diagnostic::new(
                Severity::Error,
                "pdf-missing-object",
                format!(
                    "{} missing or damaged beyond reading; the text shown in it is lost",
                    fonts.join(", ")
                ),
            )
            .at(None, Some(page_no)),
        );
    }
    if pc.shown > 0 && f64::from(pc.unmapped) / f64::from(pc.shown) > UNMAPPED_WARN {
        let share = f64::from(pc.unmapped) / f64::from(pc.shown) * 100.0;
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "unmapped-text",
                format!(
                    "{} of {} glyphs ({share:.0} %) cannot be mapped to Unicode (font without ToUnicode or usable cmap{}); they are left out",
                    pc.unmapped,
                    pc.shown,
                    if pc.unmapped_fonts.is_empty() {
                        String::new()
                    } else {
                        let names: Vec<String> = pc
                            .unmapped_fonts
                            .iter()
                            .map(|(n, c)| format!("{n}: {c}"))
                            .collect();
                        format!(": {}", names.join(", "))
                    }
                ),
            )
            .at(None, Some(page_no)),
        );
    }
    if !pc.implausible.is_empty() {
        let fonts: Vec<String> = pc
            .implausible
            .iter()
            .map(|(n, g)| format!("{n} ({g} glyphs)"))
            .collect();
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "low-confidence-text",
                format!(
                    "text in font(s) {} does not read like Japanese (mostly rare kanji, hardly any kana): the font's Unicode mapping is probably wrong",
                    fonts.join(", ")
                ),
            )
            .at(None, Some(page_no)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_have_a_fewest_number_of_pages() {
        let split = |threads, min_run| Split { threads, min_run };
        type Case = (usize, Split, Vec<(usize, usize)>);
        let cases: Vec<Case> = vec![
            (3, split(2, 4), vec![(0, 3)]),
            (7, split(2, 4), vec![(0, 7)]),
            (8, split(2, 4), vec![(0, 4), (4, 8)]),
            (9, split(2, 4), vec![(0, 5), (5, 9)]),
            (12, split(4, 4), vec![(0, 4), (4, 8), (8, 12)]),
            (60, split(2, 4), vec![(0, 30), (30, 60)]),
            (3, split(3, 1), vec![(0, 1), (1, 2), (2, 3)]),
            (3, split(8, 1), vec![(0, 1), (1, 2), (2, 3)]),
            (5, split(1, 1), vec![(0, 5)]),
            (5, split(0, 0), vec![(0, 5)]),
            (1, Split::ONE, vec![(0, 1)]),
            (0, split(2, 4), vec![]),
        ];
        for (n, s, want) in cases {
            assert_eq!(runs(n, s), want, "{n} pages, {s:?}");
        }
    }

    /// Every fixture PDF read in runs of any length (down to one page a run) gives what a
    /// reading in order gives.
    #[test]
    fn short_runs_read_as_in_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["fixtures/pdf", "fixtures/layouts"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                let limits = Limits::default();
                let ocr = crate::ocr::OcrMode::Auto;
                let one = super::super::extract_runs(&bytes, &limits, ocr, Split::ONE);
                let split = Split {
                    threads: 3,
                    min_run: 1,
                };
                let many = super::super::extract_runs(&bytes, &limits, ocr, split);
                assert_eq!(
                    many.as_ref().map_err(ToString::to_string),
                    one.as_ref().map_err(ToString::to_string),
                    "{}",
                    f.display()
                );
                read += usize::from(one.is_ok());
            }
        }
        assert!(read >= 8, "{read}");
    }
}
