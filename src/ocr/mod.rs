//! OCR of scanned pages with Tesseract's command line.
//!
//! `page image file (JPEG, TIFF/G4, PNM) → tesseract IMG stdout -l jpn --psm 3 tsv → words with
//! boxes and confidences → deskewed, cleaned characters in image pixels`. The PDF reader turns
//! the characters into the same positioned glyphs as a born-digital page, so lines, cells,
//! records and fields need nothing OCR-specific.
//!
//! Tesseract is optional: [`engine`] finds it once per process (`tesseract` on the `PATH`, or
//! the program named by `GYOKAKU_TESSERACT`) and says what to install when it or its Japanese
//! data is missing.

mod bars;
mod blocks;
mod cells;
mod choose;
mod coverage;
mod dashes;
mod figures;
mod homoglyphs;
mod labels;
mod marks;
pub mod rules;

use rules::measure_knob;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::error::{Error, ErrorKind, Result};

/// When scanned pages are read by OCR (`--ocr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Never: scanned pages are only reported.
    Never,
    /// Pages with no usable text layer and a page-covering image, when Tesseract is installed.
    #[default]
    Auto,
    /// Every page with a page-covering image, even one with a text layer (which is replaced).
    Always,
}

impl std::str::FromStr for OcrMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "never" => Ok(OcrMode::Never),
            "auto" => Ok(OcrMode::Auto),
            "always" => Ok(OcrMode::Always),
            other => Err(format!(
                "unknown OCR mode '{other}' (expected never, auto or always)"
            )),
        }
    }
}

/// What to install, said in every message about missing OCR.
pub const INSTALL_HINT: &str =
    "install Tesseract with its Japanese data (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert)";

/// The Tesseract language used for horizontal Japanese pages.
const LANG: &str = "jpn";

/// Tesseract page segmentation mode (`GYOKAKU_OCR_PSM` overrides; 3: automatic).
fn psm() -> String {
    std::env::var("GYOKAKU_OCR_PSM").unwrap_or_else(|_| "3".into())
}

/// Mean word confidence (0–100) below which a page gets an `ocr-low-confidence` diagnostic.
pub const LOW_CONFIDENCE: f32 = 70.0;

/// An installed Tesseract with Japanese data, or why there is none.
#[derive(Debug, Clone)]
pub enum Engine {
    Ready {
        program: PathBuf,
        /// Languages for cut-out cells: `jpn+eng` when the English data is there (lone digits
        /// are read far better with it), else `jpn`.
        cell_langs: &'static str,
    },
    Missing(String),
}

/// The Tesseract of this process, looked up once.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let program = std::env::var_os("GYOKAKU_TESSERACT")
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("tesseract"), PathBuf::from);
        probe(&program)
    })
}

fn probe(program: &Path) -> Engine {
    let out = Command::new(program)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output();
    match out {
        Err(_) => Engine::Missing(format!(
            "Tesseract ({}) is not installed: {INSTALL_HINT}",
            program.display()
        )),
        Ok(o) => {
            // Tesseract 4 prints the list on stderr, 5 on stdout.
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            if text.lines().any(|l| l.trim() == LANG) {
                Engine::Ready {
                    program: program.to_path_buf(),
                    cell_langs: if text.lines().any(|l| l.trim() == "eng") {
                        "jpn+eng"
                    } else {
                        LANG
                    },
                }
            } else {
                Engine::Missing(format!(
                    "Tesseract has no Japanese data ({LANG}): {INSTALL_HINT}"
                ))
            }
        }
    }
}

/// A page image as a file Tesseract reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    /// File extension: `jpg`, `tif`, `pgm`, `ppm`, `pbm`.
    pub ext: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Resolution in pixels per inch, from the image's size on the page.
    pub dpi: u32,
}

/// One recognised character in image pixels (y down), after deskewing.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrChar {
    pub text: String,
    /// Left edge and advance.
    pub x: f32,
    pub w: f32,
    /// Baseline.
    pub y: f32,
    /// Font size (em height).
    pub size: f32,
}

/// What OCR read on one page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrPage {
    pub chars: Vec<OcrChar>,
    /// Words read.
    pub words: u32,
    /// Mean word confidence, 0–100, weighted by characters.
    pub confidence: f32,
    /// Rotation corrected, in degrees (positive: the scan's lines rise to the right).
    pub skew_degrees: f32,
    /// The skew as a slope (dy/dx, y down) and the point the correction turns about.
    pub slope: f32,
    pub centre: (f32, f32),
    /// Ruling lines found in the image (deskewed pixels).
    pub rules: Vec<rules::PixelRule>,
    /// How wide the gaps between the words of a text line run on this page (× the line's font
    /// size): the [`WORD_GAP_SHARE`] quantile of the gaps between neighbouring words of one
    /// text line narrower than a column gap; 0 when the page has none ([`word_gap`]).
    pub word_gap: f32,
}

/// Line keys of words read from an enlarged image start here.
const ENLARGED_LINE: u32 = 250_000;

/// (block, paragraph, line) of a TSV row.
type LineKey = (u32, u32, u32);
/// A word with its deskewed left edge, bottom and height.
type Placed<'a> = (f32, f32, f32, &'a Word);

/// A word of Tesseract's TSV output (level 5 rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// (block, paragraph, line): words of one text line share it.
    pub line: (u32, u32, u32),
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
    pub conf: f32,
    pub text: String,
}

static OCR_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Time spent running Tesseract in this process so far (all threads), for benchmarks.
pub fn time_spent() -> std::time::Duration {
    std::time::Duration::from_nanos(OCR_NANOS.load(std::sync::atomic::Ordering::Relaxed))
}

thread_local! {
    /// Where this thread adds the time it spends in OCR (see [`credit_time_to`]).
    static CREDIT: std::cell::RefCell<Option<std::sync::Arc<std::sync::atomic::AtomicU64>>> =
        const { std::cell::RefCell::new(None) };
}

/// Add the time OCR takes on this thread to `counter` (nanoseconds): a parse's time budget
/// does not count the time spent waiting for Tesseract.
pub fn credit_time_to(counter: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>) {
    CREDIT.with(|c| *c.borrow_mut() = counter);
}

/// The counter this thread credits its OCR time to, to hand to threads working for it.
pub fn time_credit() -> Option<std::sync::Arc<std::sync::atomic::AtomicU64>> {
    CREDIT.with(|c| c.borrow().clone())
}

/// The cells of a laid-out page read by OCR with misread labels set right from the built-in
/// label lexicon (see `labels`).
pub fn mend_label_cells<'a>(cells: impl Iterator<Item = &'a mut String>) {
    if !measure_knob("labels") {
        return;
    }
    let lex = crate::fields::lexicon::Lexicon::builtin();
    for cell in cells {
        if let Some(label) = labels::mended(cell, lex) {
            *cell = label;
        }
    }
}

/// Read a page image with the installed Tesseract.
pub fn recognize(image: &PageImage) -> Result<OcrPage> {
    let started = std::time::Instant::now();
    let r = run_tesseract(image);
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    OCR_NANOS.fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    CREDIT.with(|c| {
        if let Some(counter) = c.borrow().as_ref() {
            counter.fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        }
    });
    r
}

fn run_tesseract(image: &PageImage) -> Result<OcrPage> {
    let tsv = tesseract_tsv(image, LANG, &psm())?;
    let words = parse_tsv(&tsv);
    let Some(gray) = rules::decode_gray(image) else {
        return Ok(layout_words(words));
    };
    // The skew and the ruling lines come from the first reading; the words are then mended
    // where the image shows what Tesseract missed or misread (see `cells`), and laid out along
    // the same skew so that they meet the rules where the image has them.
    // Small print (words under 30 pixels tall: under 11 pt at 200 dpi) is read again from the
    // image enlarged twice: Tesseract then runs fewer rows together and misses fewer characters.
    let small = measure_knob("upscale") && !words.is_empty() && text_height(&words) < 30.0;
    let read_gray = |g: &rules::Gray, scale: usize| -> Result<Vec<Word>> {
        let big;
        let g = if scale > 1 {
            big = rules::upscale(g, scale);
            &big
        } else {
            g
        };
        let pgm = PageImage {
            ext: "pgm",
            bytes: rules::to_pgm(g),
            width: g.width as u32,
            height: g.height as u32,
            dpi: image.dpi * scale as u32,
        };
        let mut words = parse_tsv(&tesseract_tsv(&pgm, LANG, &psm())?);
        let k = scale as f32;
        for w in &mut words {
            w.left /= k;
            w.top /= k;
            w.width /= k;
            w.height /= k;
            // kept apart from the lines of the other readings
            w.line.0 += ENLARGED_LINE * u32::from(scale > 1);
        }
        Ok(words)
    };
    let slope = skew_slope(&words);
    let centre = centre(&words);
    let rules = rules::find_rules(&gray, slope, centre, image.dpi);
    // A ruled page of larger print is read again with its rules painted out: table lines confuse
    // Tesseract's page segmentation (words of neighbouring cells end up in one line). Each cell
    // of the grid then takes the better of the two readings (see `choose`).
    let skew = cells::Skew { slope, centre };
    let mut words = words;
    // The page with its rules painted out, for the second reading and for what the readings
    // leave unread (no rule is taken for text there).
    let clean =
        (rules.len() >= 4).then(|| rules::erase_rules(&gray, &rules, slope, centre, image.dpi));
    // Each cell of the grid takes the better of two readings (see `choose`), flat words of
    // either dropped first.
    let by_cell =
        |words: Vec<Word>, again: Vec<Word>, clean: &rules::Gray, grid: &[cells::Region]| {
            let text_h = text_height(&words);
            let again = coverage::drop_flat_words(again, text_h);
            let words = coverage::drop_flat_words(words, text_h);
            let ink = measure_knob("coverage").then_some((clean, text_h));
            choose::per_cell(&words, &again, grid, skew, ink)
        };
    // the cells of the ruled grid (none on an unruled page)
    let grid = choose::grid_cells(&rules);
    if let (Some(clean), true, false) = (&clean, measure_knob("second"), small) {
        if let Ok(again) = read_gray(clean, 1) {
            if measure_knob("percell") {
                words = by_cell(words, again, clean, &grid);
            } else if mean_confidence(&again) > mean_confidence(&words) {
                words = again;
            }
        }
    } else if small {
        // Small print, ruled or not: the enlarged reading is kept when Tesseract is surer of it
        // (measured on 200 dpi pages, it does better than the rules-painted-out readings).
        if let Ok(again) = read_gray(&gray, 2) {
            if mean_confidence(&again) > mean_confidence(&words) {
                words = again;
            }
        }
        // On a ruled page, the page with its rules painted out is read enlarged too, and each
        // cell takes the better of the two enlarged readings.
        if let (Some(clean), true) = (&clean, measure_knob("smallclean")) {
            if !grid.is_empty() {
                if let Ok(again) = read_gray(clean, 2) {
                    words = by_cell(words, again, clean, &grid);
                }
            }
        }
    }
    // Ruled cells whose reading leaves ink unread are read again, cut out row by row.
    if let (Some(clean), true) = (&clean, measure_knob("partly")) {
        let text_h = text_height(&words);
        words = coverage::reread_partly_read(words, clean, &rules, skew, image.dpi, text_h);
    }
    // With no ruled grid, blocks parted by white space stand in for its cells.
    if grid.is_empty() && measure_knob("blocks") {
        let text_h = text_height(&words);
        words = coverage::reread_blocks(words, &gray, skew, image.dpi, text_h);
    }
    if measure_knob("squares") {
        cells::mark_solid_squares(&mut words, &gray);
    }
    let reread = if measure_knob("reread") {
        cells::cells_to_reread(&words, &gray, &rules, slope, centre, image.dpi)
    } else {
        Vec::new()
    };
    // Cells where neither reading found anything are cut out and read again.
    let empty: Vec<cells::Region> = reread
        .iter()
        .filter(|(r, old)| old.is_empty() && cells::words_in(&words, *r, skew).is_empty())
        .map(|(r, _)| *r)
        .collect();
    if !empty.is_empty() {
        if let Some(again) = read_regions(&gray, &empty, skew, image.dpi, cell_langs()) {
            let groups: Vec<(Vec<usize>, Vec<usize>)> = cells::by_region(&again, empty.len())
                .into_iter()
                .map(|new| (Vec::new(), new))
                .collect();
            words = cells::take_better(words, &again, &groups);
        }
    }
    if measure_knob("figures") {
        words = figures::reread_figures(words, &gray, &rules, skew, image.dpi);
    }
    if measure_knob("cellmarks") && !empty.is_empty() {
        // A cell still empty after both readings may hold a mark Tesseract gave no word for.
        let text_h = text_height(&words);
        for (i, r) in empty.iter().enumerate() {
            if cells::words_in(&words, *r, skew).is_empty() {
                words.extend(marks::mark_in_cell(&gray, *r, skew, text_h, i));
            }
        }
    }
    if measure_knob("fragments") {
        words = drop_rule_fragments(words, &rules, skew, image.dpi);
    }
    if measure_knob("marks") {
        let text_h = text_height(&words);
        marks::mark_symbols(&mut words, &gray, text_h);
    }
    if measure_knob("bars") {
        bars::bars_beside_capitals(&mut words, &gray);
    }
    if measure_knob("inkless") {
        words = dashes::drop_inkless(words, &gray);
    }
    if measure_knob("lonemarks") {
        let text_h = text_height(&words);
        words = coverage::drop_lone_marks(words, text_h);
    }
    let mut words = join_digit_groups(words);
    if measure_knob("hyphens") {
        dashes::fix_hyphens(&mut words);
    }
    let mut page = layout_words_along(words, slope, centre);
    page.rules = rules;
    Ok(page)
}

/// Words that are a piece of a horizontal ruling line read as a dash (`ー`, `-`, `一` …): a word
/// of dashes, flatter than the page's text, lying on a rule found in the image or against it (the
/// rule within a few pixels of its box's top or bottom: Tesseract boxes a rule with the specks
/// beside it). A printed dash (a `―` for no value) stands in a cell's middle, clear of its rules
/// by half a line of text.
fn drop_rule_fragments(
    words: Vec<Word>,
    rules: &[rules::PixelRule],
    skew: cells::Skew,
    dpi: u32,
) -> Vec<Word> {
    let text_h = text_height(&words);
    let tol = (dpi as f32 / 50.0).max(3.0);
    let is_dash = |c: char| matches!(c, 'ー' | '-' | '一' | '—' | '―' | '‐' | '－' | '_' | '=');
    words
        .into_iter()
        .filter(|w| {
            if !w.text.chars().all(is_dash) || w.height > 0.6 * text_h {
                return true;
            }
            let (x0, y) = skew.to_straight(w.left, w.top + w.height / 2.0);
            let x1 = x0 + w.width;
            // On the rule: the rule passes through the box or touches its top or bottom.
            let reach = w.height / 2.0 + tol;
            !rules.iter().any(|r| {
                r.y0 == r.y1 && (r.y0 - y).abs() <= reach && r.x0 <= x1 + tol && r.x1 >= x0 - tol
            })
        })
        .collect()
}

/// Tesseract's TSV output for an image, in languages `langs`, with page segmentation mode `psm`.
/// The languages cut-out cells are read in: `jpn+eng` when the English data is installed (lone
/// digits are read far better with it), else `jpn`.
fn cell_langs() -> &'static str {
    match engine() {
        Engine::Ready { cell_langs, .. } => cell_langs,
        Engine::Missing(_) => LANG,
    }
}

/// `regions` of the page cut out, deskewed, enlarged to about 300 dpi (small print is read better
/// so) and stacked into one strip, read as a block of text in `langs`; the words come back placed
/// on the page. `None` when Tesseract fails on the strip.
fn read_regions(
    gray: &rules::Gray,
    regions: &[cells::Region],
    skew: cells::Skew,
    dpi: u32,
    langs: &str,
) -> Option<Vec<Word>> {
    let scale = 300u32.div_ceil(dpi.max(1)).clamp(1, 3) as usize;
    let (strip, places) = cells::stack_regions(gray, regions, skew, scale);
    let strip_image = PageImage {
        ext: "pgm",
        bytes: strip,
        width: 0,
        height: 0,
        dpi: dpi * scale as u32,
    };
    let tsv = tesseract_tsv(&strip_image, langs, "6").ok()?;
    Some(cells::place_words(parse_tsv(&tsv), &places))
}

fn tesseract_tsv(image: &PageImage, langs: &str, psm: &str) -> Result<String> {
    let program = match engine() {
        Engine::Ready { program, .. } => program,
        Engine::Missing(why) => return Err(Error::new(ErrorKind::Unreadable, why.clone())),
    };
    let file = TempImage::write(image)?;
    let out = Command::new(program)
        .arg(&file.path)
        .arg("stdout")
        .args(["-l", langs, "--psm", psm])
        .arg("--dpi")
        .arg(image.dpi.clamp(70, 1200).to_string())
        .arg("tsv")
        // One thread per Tesseract: batch runs already read several files at once.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot run Tesseract: {e}")))?;
    drop(file);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(Error::new(
            ErrorKind::Unreadable,
            format!("Tesseract failed ({}): {}", out.status, last.trim()),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A page image written to the temporary folder for Tesseract; removed when dropped.
struct TempImage {
    path: PathBuf,
}

impl TempImage {
    fn write(image: &PageImage) -> Result<TempImage> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        for _ in 0..16 {
            let n = SEQ.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                "gyokaku-ocr-{}-{n}.{}",
                std::process::id(),
                image.ext
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let t = TempImage { path };
                    f.write_all(&image.bytes).map_err(|e| {
                        Error::new(ErrorKind::Io, format!("cannot write a page image: {e}"))
                    })?;
                    return Ok(t);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!("cannot write a page image in {}: {e}", dir.display()),
                    ))
                }
            }
        }
        Err(Error::new(
            ErrorKind::Io,
            "cannot find a free temporary file name for a page image",
        ))
    }
}

impl Drop for TempImage {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Words (level 5 rows with text) of Tesseract's TSV output.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        let [level, _page, block, par, line, _word, left, top, width, height, conf, text] =
            f.as_slice()
        else {
            continue;
        };
        if *level != "5" {
            continue;
        }
        let text = clean_word(text);
        if text.is_empty() {
            continue;
        }
        let num = |s: &str| s.trim().parse::<f32>().ok();
        let int = |s: &str| s.trim().parse::<u32>().ok();
        let (Some(left), Some(top), Some(width), Some(height), Some(conf)) =
            (num(left), num(top), num(width), num(height), num(conf))
        else {
            continue;
        };
        let (text, left, width) = trim_rule_bars(&text, left, width, height);
        out.push(Word {
            line: (
                int(block).unwrap_or(0),
                int(par).unwrap_or(0),
                int(line).unwrap_or(0),
            ),
            left,
            top,
            width: width.max(1.0),
            height: height.max(1.0),
            conf,
            text,
        });
    }
    out
}

/// A vertical ruling line read as `|` at either end of a word (`|R4`) is taken off, with its
/// share of the box: otherwise the word's first character sits on the rule and the word reaches
/// into the cell before it. A bar is narrow: its share is what a bar of the word's height takes
/// (a quarter of it), not an even share of a box that may span several characters more than
/// were read (`|R4` over `R4進捗`).
fn trim_rule_bars(text: &str, left: f32, width: f32, height: f32) -> (String, f32, f32) {
    let chars: Vec<char> = text.chars().collect();
    let bar = |c: &char| matches!(c, '|' | '¦');
    let lead = chars.iter().take_while(|c| bar(c)).count();
    let trail = chars.iter().rev().take_while(|c| bar(c)).count();
    if lead + trail == 0 || lead + trail >= chars.len() {
        return (text.to_string(), left, width);
    }
    let cw = (width / chars.len() as f32).min(0.25 * height);
    let kept: String = chars
        .get(lead..chars.len() - trail)
        .unwrap_or_default()
        .iter()
        .collect();
    (
        kept,
        left + cw * lead as f32,
        (width - cw * (lead + trail) as f32).max(1.0),
    )
}

/// The one place where OCR text is cleaned: whitespace inside a word is dropped (Tesseract's
/// Japanese model separates kana and kanji), and a word that is only a rule or noise mark is
/// dropped. Full-width forms and spacing between words are then handled like any other text
/// (the layout's gap rules and [`crate::normalize`]). A capital `I` read as a small `l` among
/// capitals is given back ([`capital_i`]).
pub fn clean_word(text: &str) -> String {
    let t: String = capital_i(text.chars().filter(|c| !c.is_whitespace()).collect());
    if t.chars().all(|c| {
        matches!(
            c,
            '|' | '¦' | '_' | '~' | '`' | '\'' | '"' | ',' | '.' | '‘' | '’' | '“' | '”'
        )
    }) {
        return String::new();
    }
    t
}

/// Tesseract's Japanese model reads the capital `I` of an acronym as a small `l` (`Al` for
/// `AI`, `lCT` for `ICT`). In a report's text, Latin letters written in capitals are acronyms, and
/// a small `l` does not stand between capitals: an `l` after a capital or before one, with no
/// small letter on either side, is taken for `I`. A word with a small letter next to the `l`
/// (`Vol.`, `ml`, `IoT`'s neighbours) is left as read.
fn capital_i(word: String) -> String {
    if !word.contains('l') {
        return word;
    }
    let c: Vec<char> = word.chars().collect();
    let small = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_lowercase());
    let capital = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_uppercase());
    c.iter()
        .enumerate()
        .map(|(i, &ch)| {
            let before = i.checked_sub(1).and_then(|j| c.get(j));
            let after = c.get(i + 1);
            if ch == 'l' && !small(before) && !small(after) && (capital(before) || capital(after)) {
                'I'
            } else {
                ch
            }
        })
        .collect()
}

/// Numbers whose digit groups Tesseract read as words of their own (`3,` `000`) are joined into
/// one word (`3,000`): a word ending in a digit and a comma, followed on its line, within a
/// character's height, by a word that is three digits or starts with three digits and a comma or
/// a decimal point. Without it the gap between the two boxes reads as a space inside the number.
pub fn join_digit_groups(words: Vec<Word>) -> Vec<Word> {
    fn ends_group(t: &str) -> bool {
        let mut rev = t.chars().rev();
        matches!(rev.next(), Some(',' | '，')) && rev.next().is_some_and(|c| c.is_ascii_digit())
    }
    fn is_group(t: &str) -> bool {
        let c: Vec<char> = t.chars().collect();
        c.len() >= 3
            && c.iter().take(3).all(char::is_ascii_digit)
            && (c.len() == 3 || matches!(c.get(3), Some(',' | '.' | '，')))
    }
    // indices by line, in reading order
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_by(|&a, &b| match (words.get(a), words.get(b)) {
        (Some(wa), Some(wb)) => wa.line.cmp(&wb.line).then(wa.left.total_cmp(&wb.left)),
        _ => a.cmp(&b),
    });
    let mut joined: Vec<Option<Word>> = words.into_iter().map(Some).collect();
    let mut into: Option<usize> = None;
    for i in order {
        let Some(w) = joined.get(i).and_then(|w| w.clone()) else {
            continue;
        };
        if let Some(j) = into {
            if let Some(Some(prev)) = joined.get_mut(j) {
                let gap = w.left - (prev.left + prev.width);
                if prev.line == w.line
                    && ends_group(&prev.text)
                    && is_group(&w.text)
                    && gap < prev.height.max(w.height)
                {
                    let right = (w.left + w.width).max(prev.left + prev.width);
                    let bottom = (w.top + w.height).max(prev.top + prev.height);
                    prev.text.push_str(&w.text);
                    prev.top = prev.top.min(w.top);
                    prev.width = right - prev.left;
                    prev.height = bottom - prev.top;
                    prev.conf = prev.conf.min(w.conf);
                    if let Some(slot) = joined.get_mut(i) {
                        *slot = None;
                    }
                    continue;
                }
            }
        }
        into = Some(i);
    }
    joined.into_iter().flatten().collect()
}

/// Characters with positions from words: the page's skew (from the slope of each text line's
/// word bottoms) is corrected, words of one line share a baseline, and each word's box is shared
/// evenly among its characters.
pub fn layout_words(words: Vec<Word>) -> OcrPage {
    let slope = skew_slope(&words);
    let centre = centre(&words);
    layout_words_along(words, slope, centre)
}

/// [`layout_words`] with the skew and its centre given.
fn layout_words_along(words: Vec<Word>, slope: f32, (cx, cy): (f32, f32)) -> OcrPage {
    let confidence = mean_confidence(&words);
    // Rotate each box's corner back by the skew (small-angle form).
    let straight = |x: f32, y: f32| -> (f32, f32) { (x + slope * (y - cy), y - slope * (x - cx)) };
    let mut by_line: std::collections::BTreeMap<LineKey, Vec<Placed>> =
        std::collections::BTreeMap::new();
    for w in &words {
        let (x, bottom) = straight(w.left, w.top + w.height);
        by_line
            .entry(w.line)
            .or_default()
            .push((x, bottom, w.height, w));
    }
    let mut page = OcrPage {
        skew_degrees: -slope.atan().to_degrees(),
        slope,
        centre: (cx, cy),
        ..OcrPage::default()
    };
    let mut gaps: Vec<f32> = Vec::new();
    // The page's text height: the median of its lines' heights. Tesseract's boxes of one size of
    // print vary by a sixth from reading to reading (a row read again in a cut-out, enlarged,
    // comes back taller), so a line within [`SAME_PRINT`] of it is set at it, as one font size
    // is in a born-digital PDF, and the rows of a wrapped cell stay one size.
    let page_h = {
        let mut hs: Vec<f32> = by_line
            .values()
            .map(|ws| {
                let mut h: Vec<f32> = ws
                    .iter()
                    .filter(|w| !dashes::is_dash_word(&w.3.text))
                    .map(|w| w.2)
                    .collect();
                median(&mut h)
            })
            .filter(|h| *h > 0.0)
            .collect();
        median(&mut hs)
    };
    let snap = |h: f32| {
        if measure_knob("snap") && page_h > 0.0 && (h - page_h).abs() <= SAME_PRINT * page_h {
            page_h
        } else {
            h
        }
    };
    for ws in by_line.values_mut() {
        // Tesseract's boxes of neighbouring Japanese words overlap: a word ends where the next
        // one starts, so its characters keep their order.
        ws.sort_by(|a, b| a.0.total_cmp(&b.0));
        let ends: Vec<f32> = ws
            .iter()
            .enumerate()
            .map(|(i, (x, _, _, w))| {
                let x = *x;
                let end = x + w.width;
                match ws.get(i + 1) {
                    Some(next) if next.0 > x => end.min(next.0),
                    _ => end,
                }
            })
            .collect();
        // dashes say nothing of the line's height and baseline (see `dashes`)
        let text_words: Vec<&Placed> = ws
            .iter()
            .filter(|w| !dashes::is_dash_word(&w.3.text))
            .collect();
        let measured: Vec<&Placed> = if text_words.is_empty() {
            ws.iter().collect()
        } else {
            text_words
        };
        let mut heights: Vec<f32> = measured.iter().map(|w| w.2).collect();
        let line_h = median(&mut heights).max(1.0);
        let mut bottoms: Vec<f32> = measured.iter().map(|w| w.1).collect();
        let line_bottom = median(&mut bottoms);
        let line_size = (line_h / 0.9).max(1.0);
        // A line of boxes taller than the page's print whose text is no wider than it prints at
        // the page's height (`39` boxed 66 pixels tall and 35 wide, over two rows) is the page's
        // print in loose boxes, not a larger one: a heading's characters are wider too.
        let print_h = if measure_knob("snap")
            && page_h > 0.0
            && line_h > (1.0 + SAME_PRINT) * page_h
            && measured
                .iter()
                .all(|w| w.3.width <= coverage::widest(&w.3.text, page_h))
        {
            page_h
        } else {
            line_h
        };
        let mut prev_end: Option<f32> = None;
        let first = page.chars.len();
        for ((x, bottom, h, w), end) in ws.iter().zip(&ends) {
            // a word no wider than its text prints at the line's height, or of one or two
            // characters (boxed loosely both ways: `項目` 65 pixels wide and 46 tall on a line of
            // 20), cannot hold two rows of text
            let narrow = w.width <= coverage::widest(&w.text, line_h)
                || (measure_knob("narrowchars") && w.text.chars().count() <= 2);
            let (b, size) = if on_line(*bottom, *h, narrow, line_bottom, line_h) {
                (line_bottom, snap(print_h))
            } else {
                (*bottom, *h)
            };
            let size = size / 0.9;
            let n = w.text.chars().count().max(1);
            let cw = (end - x).max(1.0) / n as f32;
            for (i, c) in w.text.chars().enumerate() {
                page.chars.push(OcrChar {
                    text: c.to_string(),
                    x: x + cw * i as f32,
                    w: cw,
                    y: b - 0.12 * size,
                    size,
                });
            }
            // the gap from the line's word before, in font sizes
            if let Some(pe) = prev_end {
                let gap = (x - pe) / line_size;
                if gap < MEASURED_GAP {
                    gaps.push(gap);
                }
            }
            prev_end = Some(x + cw * n as f32);
            page.words += 1;
        }
        if let (true, Some(line)) = (
            rules::measure_knob("homoglyphs"),
            page.chars.get_mut(first..),
        ) {
            homoglyphs::set_line(line);
        }
    }
    page.confidence = confidence;
    page.word_gap = word_gap(&mut gaps);
    page
}

/// How far (× the page's text height) a text line's height may be from the page's and still be
/// taken for the same print (see [`layout_words_along`]).
const SAME_PRINT: f32 = 0.25;

/// Share of a page's gaps between the words of a text line that are taken as word spacing: the
/// widest of them sets [`OcrPage::word_gap`].
pub const WORD_GAP_SHARE: f32 = 0.95;

/// Gaps narrower than this (× the font size) are measured for [`OcrPage::word_gap`]: wider ones
/// part cells anywhere (the layout's column gap).
const MEASURED_GAP: f32 = 1.5;

/// The [`WORD_GAP_SHARE`] quantile of a page's word gaps (0 with none): how wide a gap between
/// words of one text line can be on this page and still be word spacing.
fn word_gap(gaps: &mut [f32]) -> f32 {
    if gaps.is_empty() {
        return 0.0;
    }
    gaps.sort_by(f32::total_cmp);
    let k = ((gaps.len() as f32 * WORD_GAP_SHARE) as usize).min(gaps.len() - 1);
    gaps.get(k).copied().unwrap_or(0.0)
}

/// Whether a word of a text line (its box's deskewed bottom and height) sits on the line's
/// baseline: its bottom is within half a line height of it, or its box starts where the line's
/// text starts and runs on below it (Tesseract sometimes draws one word's box over two rows of a
/// wrapped cell), or its box holds the line's whole band with some room above and below (a
/// loose box, `シス` boxed 8 pixels above and 20 below its row), at most twice the line's
/// height tall, or three times when the word is `narrow` (of one or two characters, or no wider
/// than its text prints at the line's height: `設` boxed 42 pixels tall on a line of 20; such a
/// word cannot span two rows).
/// A word far off the baseline otherwise (Tesseract joined two rows) keeps its own.
fn on_line(bottom: f32, height: f32, narrow: bool, line_bottom: f32, line_h: f32) -> bool {
    let top = bottom - height;
    let line_top = line_bottom - line_h;
    let loosest = if narrow && measure_knob("narrowloose") {
        3.0
    } else {
        2.0
    };
    (bottom - line_bottom).abs() <= 0.5 * line_h
        || height >= 1.5 * line_h && (top - line_top).abs() <= 0.3 * line_h
        || height <= loosest * line_h && top <= line_top && bottom >= line_bottom
}

/// The page's skew as a slope (dy/dx of text lines, y down): the median over lines of three or
/// more words of the least-squares slope of word bottoms, at most ±0.05 (about 3°).
fn skew_slope(words: &[Word]) -> f32 {
    let mut lines: std::collections::BTreeMap<(u32, u32, u32), Vec<(f32, f32)>> =
        std::collections::BTreeMap::new();
    for w in words {
        lines
            .entry(w.line)
            .or_default()
            .push((w.left + w.width / 2.0, w.top + w.height));
    }
    let mut slopes: Vec<f32> = lines
        .values()
        .filter(|pts| pts.len() >= 3)
        .filter_map(|pts| {
            let n = pts.len() as f32;
            let mx = pts.iter().map(|p| p.0).sum::<f32>() / n;
            let my = pts.iter().map(|p| p.1).sum::<f32>() / n;
            let sxx: f32 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
            let sxy: f32 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
            (sxx > 0.0).then(|| sxy / sxx)
        })
        .filter(|s| s.abs() <= 0.05)
        .collect();
    if slopes.is_empty() {
        return 0.0;
    }
    median(&mut slopes)
}

/// Mean word confidence weighted by characters (0 when nothing was read).
fn mean_confidence(words: &[Word]) -> f32 {
    let (sum, n) = words
        .iter()
        .filter(|w| w.conf >= 0.0)
        .fold((0.0f64, 0usize), |(s, n), w| {
            let k = w.text.chars().count();
            (s + f64::from(w.conf) * k as f64, n + k)
        });
    if n == 0 {
        0.0
    } else {
        (sum / n as f64) as f32
    }
}

fn centre(words: &[Word]) -> (f32, f32) {
    if words.is_empty() {
        return (0.0, 0.0);
    }
    let n = words.len() as f32;
    (
        words.iter().map(|w| w.left + w.width / 2.0).sum::<f32>() / n,
        words.iter().map(|w| w.top + w.height / 2.0).sum::<f32>() / n,
    )
}

/// The median height of the words' boxes: the text's height on the page (0 with no words).
fn text_height(words: &[Word]) -> f32 {
    let mut heights: Vec<f32> = words.iter().map(|w| w.height).collect();
    median(&mut heights)
}

fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests;
