//! Provenance of every extracted value: after a report is built, each finding, target value
//! (report-level totals too),
//! rating, schedule cell, progress status and goal, and each entry of the bullet lists
//! (`current_state`, `plan`, `activities`, `next_steps`) is found again among the source lines of
//! its item, and every place (items and fields too) gets the PDF box of its cell or the address
//! of its cell in a structured original. A value that is part of a cell of several printed lines
//! gets the box of its own glyphs. A separate pass, so that the record builders stay about
//! reading.

use crate::model::{Item, Provenance, Report};
use crate::source::{union_box, PlacedGlyph, SourceDoc, SourceLine};

/// Longest prefix of a value compared with cell text: long values may run over several cells.
const KEY_CHARS: usize = 16;

/// What the pass needs from the source document.
pub struct Index {
    lines: Vec<SourceLine>,
    /// Every cell folded once ([`fold`]), one after the other: a long report's values are looked
    /// up many times, its cells folded only here.
    folded: Vec<char>,
    /// Where each cell's folded text is in `folded` (start, end), line after line.
    cell_spans: Vec<(u32, u32)>,
    /// Index for index with `folded`: the word of its cell each character is part of ([`Words`]).
    words: Words,
    /// Where each line's cells start in `cell_spans`, index for index with `lines` (and one more).
    line_cells: Vec<usize>,
    doc: SourceDoc,
}

/// A cell holding a value: line index, cell index and the printed line within the cell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    line: usize,
    cell: usize,
    sub: u32,
}

/// Text as compared: no whitespace, full-width ASCII folded to ASCII, the wave dash and the
/// tilde one character (and half-width katakana, radicals, compatibility ideographs and variation
/// selectors through the full normalisation, when there are any).
fn fold(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    fold_into(s, &mut out, usize::MAX);
    out
}

/// The first [`KEY_CHARS`] characters of [`fold`]: what a value is looked up by.
fn fold_key(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(KEY_CHARS);
    fold_into(s, &mut out, KEY_CHARS);
    out
}

/// A character [`fold`] leaves to the full normalisation: half-width katakana, radicals,
/// compatibility ideographs and variation selectors.
fn needs_normalising(c: char) -> bool {
    // Most text is ASCII or kana and kanji: only a character from U+2E80 on can be one.
    c >= '\u{2E80}'
        && matches!(c, '\u{FF61}'..='\u{FF9F}' | '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// [`fold`] appended to `out`, at most `limit` characters.
fn fold_into(s: &str, out: &mut Vec<char>, limit: usize) {
    if s.chars().any(needs_normalising) {
        fold_plain_into(&crate::normalize::normalize_cow(s), out, limit);
    } else {
        fold_plain_into(s, out, limit);
    }
}

fn fold_plain_into(s: &str, out: &mut Vec<char>, limit: usize) {
    out.extend(
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(fold_char)
            .take(limit),
    );
}

fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{301C}' => '~',
        // One dash, written two ways (see `normalize::unify_dash`).
        '\u{2015}' => '\u{2014}',
        _ => c,
    }
}

/// Start of `needle` in `hay`, if there.
fn position(hay: &[char], needle: &[char]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last = hay.len().checked_sub(needle.len())?;
    // Compared where the first character matches.
    let mut from = 0;
    while from <= last {
        let i = from + hay.get(from..=last)?.iter().position(|&c| c == first)?;
        if hay.get(i + 1..i + needle.len()) == Some(rest) {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

impl Index {
    /// Keep what the pass needs: the lines, the origins and the geometry of a document the
    /// report was built from.
    pub fn new(doc: SourceDoc) -> Index {
        let mut folded = Vec::new();
        let mut words = Words::default();
        let mut cell_spans = Vec::new();
        let mut line_cells = Vec::with_capacity(doc.lines.len() + 1);
        for l in &doc.lines {
            line_cells.push(cell_spans.len());
            for c in &l.cells {
                let start = folded.len();
                words.fold_cell(c, &mut folded);
                let span = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                cell_spans.push((span(start), span(folded.len())));
            }
        }
        line_cells.push(cell_spans.len());
        Index {
            lines: doc.lines,
            folded,
            cell_spans,
            words,
            line_cells,
            doc: SourceDoc {
                origins: doc.origins,
                geometry: doc.geometry,
                ..SourceDoc::default()
            },
        }
    }

    /// Fill in the places of everything in the report.
    pub fn attach(&self, report: &mut Report) {
        let mut starts: Vec<(u32, usize)> = report
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.source.line, i))
            .collect();
        starts.sort();
        for (k, &(start, i)) in starts.iter().enumerate() {
            let end = starts
                .iter()
                .skip(k + 1)
                .map(|s| s.0)
                .find(|&l| l > start)
                .unwrap_or(u32::MAX);
            let from = self.lines.partition_point(|l| l.line < start);
            let to = self.lines.partition_point(|l| l.line < end).max(from);
            if let Some(item) = report.items.get_mut(i) {
                self.attach_item(item, from, to);
            }
        }
        // Report-level totals: each value after its row's name, anywhere in the document.
        let all = self.lines.len();
        let mut after = None;
        for t in &mut report.totals {
            let mut cursor = after;
            if self.place(&t.name, 0, all, &mut cursor, false).is_none() {
                continue;
            }
            let from = cursor.map_or(0, |c| c.0);
            for v in &mut t.values {
                if let Some(text) = v.text.clone() {
                    v.source = self.place(&text, from, all, &mut cursor, true);
                }
            }
            after = cursor;
        }
    }

    fn attach_item(&self, item: &mut Item, from: usize, to: usize) {
        self.refine(&mut item.source, None);
        for f in &mut item.fields {
            let first = f.text.lines().next().unwrap_or_default().to_string();
            self.refine(&mut f.source, Some(&first));
        }
        if let Some(r) = &mut item.rating {
            r.source = self.place(&r.text, from, to, &mut None, true);
        }
        let mut cursor = None;
        for f in &mut item.findings {
            f.source = self.place(&f.text, from, to, &mut cursor, false);
        }
        for p in &mut item.progress {
            let mut cursor = None;
            for f in &mut p.findings {
                f.source = self.place(&f.text, from, to, &mut cursor, false);
            }
        }
        let mut cursor = None;
        for t in &mut item.targets {
            for v in &mut t.values {
                if let Some(text) = v.text.clone() {
                    v.source = self.place(&text, from, to, &mut cursor, true);
                }
            }
        }
        let mut cursor = None;
        for s in &mut item.schedule {
            if !s.text.trim().is_empty() {
                s.source = self.place(&s.text, from, to, &mut cursor, false);
            }
        }
        item.current_state_sources = self.place_all(&item.current_state, from, to);
        item.plan_sources = self.place_all(&item.plan, from, to);
        for p in &mut item.progress {
            if let Some(s) = &mut p.status {
                // A status read from the rating is where the rating is.
                s.source = match &item.rating {
                    Some(r) if r.text == s.text && r.source.is_some() => r.source.clone(),
                    _ => self.place(&s.text, from, to, &mut None, true),
                };
            }
            p.goal_source = p
                .goal
                .as_deref()
                .and_then(|g| self.place(g, from, to, &mut None, false));
            p.activities_sources = self.place_all(&p.activities, from, to);
            p.next_steps_sources = self.place_all(&p.next_steps, from, to);
        }
    }

    /// The places of a list's entries, in order; empty when none is found.
    fn place_all(&self, entries: &[String], from: usize, to: usize) -> Vec<Option<Provenance>> {
        let mut cursor = None;
        let out: Vec<Option<Provenance>> = entries
            .iter()
            .map(|e| self.place(e, from, to, &mut cursor, false))
            .collect();
        if out.iter().all(Option::is_none) {
            return Vec::new();
        }
        out
    }

    /// Add the box (the cells holding `text`, else the whole line) and cell address to a place
    /// that has its line already.
    fn refine(&self, p: &mut Provenance, text: Option<&str>) {
        let Some(idx) = self
            .lines
            .binary_search_by_key(&p.line, |l| l.line)
            .ok()
            .or_else(|| self.containing(p.line))
        else {
            return;
        };
        let cell = text.and_then(|t| {
            let key = fold_key(t);
            let line = self.lines.get(idx)?;
            (0..line.cells.len()).position(|ci| {
                self.folded_cell(idx, ci)
                    .is_some_and(|f| position(f, &key).is_some())
            })
        });
        match cell {
            Some(c) => {
                p.bbox = self.cell_box(idx, c);
                p.cell = self.cell_address(idx, c);
            }
            None => {
                p.bbox = self.line_box(idx);
                p.cell = self.line_address(idx);
            }
        }
    }

    /// The line whose printed lines include `line` (a cell with line breaks spans several).
    fn containing(&self, line: u32) -> Option<usize> {
        let i = self.lines.partition_point(|l| l.line <= line);
        i.checked_sub(1)
    }

    /// Find `text` in lines `from..to`, after `cursor` when given (values in order), and make
    /// its place. `short_exact`: a short text (up to 3 characters) must be a whole cell.
    fn place(
        &self,
        text: &str,
        from: usize,
        to: usize,
        cursor: &mut Option<(usize, usize)>,
        short_exact: bool,
    ) -> Option<Provenance> {
        let key = fold_key(text);
        if key.is_empty() {
            return None;
        }
        let hit = cursor
            .and_then(|c| self.find(&key, c, to, short_exact))
            .or_else(|| self.find(&key, (from, 0), to, short_exact))?;
        *cursor = Some((hit.line, hit.cell + 1));
        let line = self.lines.get(hit.line)?;
        let mut bbox = self.cell_box(hit.line, hit.cell);
        // Part of a cell of several printed lines: the box of its own glyphs.
        if line.cells.get(hit.cell).is_some_and(|c| c.contains('\n')) {
            if let Some(b) = bbox.and_then(|b| self.text_box(line.page, b, text)) {
                bbox = Some(b);
            }
        }
        Some(Provenance {
            page: line.page,
            line: line.line.saturating_add(hit.sub),
            bbox,
            cell: self.cell_address(hit.line, hit.cell),
        })
    }

    /// The box of the glyphs of `text` among the glyphs inside `cell` (a cell's box on `page`),
    /// read line by line; None when they are not found there (or the text is vertical).
    fn text_box(&self, page: Option<u32>, cell: [f64; 4], text: &str) -> Option<[f64; 4]> {
        let pg = self.doc.geometry.as_ref()?.page(page?)?;
        glyph_text_box(&pg.glyphs, cell, text).map(rounded)
    }

    fn find(
        &self,
        key: &[char],
        (from, first_cell): (usize, usize),
        to: usize,
        short_exact: bool,
    ) -> Option<Hit> {
        let exact_only = short_exact && key.len() <= 3;
        self.lines.get(from..to)?;
        // The cells of lines `from..to` are folded one after the other in `folded`: the key is
        // searched for there, and only a cell holding it is looked at (neither a whole cell nor
        // one containing the text can be without). Whole cells first, then cells containing the
        // text: one scan finds the first of each, and ends at the first whole cell.
        let line_start = *self.line_cells.get(from)?;
        let mut cell_ix = (line_start + first_cell).min(*self.line_cells.get(from + 1)?);
        let end_cell = *self.line_cells.get(to)?;
        let span_start = |i: usize| self.cell_spans.get(i).map(|s| s.0 as usize);
        let mut pos = span_start(cell_ix).unwrap_or(usize::MAX);
        let end = match end_cell.checked_sub(1) {
            Some(last) if end_cell > cell_ix => self.cell_spans.get(last)?.1 as usize,
            _ => return None,
        };
        let mut line = from;
        let mut containing: Option<(usize, usize, u32)> = None;
        while pos < end {
            let Some(off) = position(self.folded.get(pos..end)?, key) else {
                break;
            };
            let at = pos + off;
            // The cell the match starts in (cells may be empty).
            while self
                .cell_spans
                .get(cell_ix)
                .is_some_and(|s| s.1 as usize <= at)
            {
                cell_ix += 1;
            }
            let &(a, b) = self.cell_spans.get(cell_ix)?;
            if at + key.len() > b as usize {
                // Across the end of the cell: not in it, but perhaps later in it.
                pos = at + 1;
                continue;
            }
            while self.line_cells.get(line + 1).is_some_and(|&s| s <= cell_ix) {
                line += 1;
            }
            let ci = cell_ix - *self.line_cells.get(line)?;
            let cell = self.lines.get(line)?.cells.get(ci)?;
            let f = self.folded.get(a as usize..b as usize);
            let w = self.words.of(a as usize..b as usize);
            if let Some(sub) = match_cell_folded(cell, f, w, key, true) {
                return Some(self.hit(line, ci, sub));
            }
            if containing.is_none() && !exact_only {
                if let Some(sub) = match_cell_folded(cell, f, None, key, false) {
                    containing = Some((line, ci, sub));
                }
            }
            pos = b as usize;
            cell_ix += 1;
        }
        containing.map(|(line, cell, sub)| self.hit(line, cell, sub))
    }

    /// A hit in a line's cell, at printed line `sub` of the cell: counted from the line's first
    /// printed line (the line breaks of the cells before it added).
    fn hit(&self, line: usize, cell: usize, sub: u32) -> Hit {
        let breaks: usize = self.lines.get(line).map_or(0, |l| {
            l.cells
                .iter()
                .take(cell)
                .map(|c| memchr::memchr_iter(b'\n', c.as_bytes()).count())
                .sum()
        });
        Hit {
            line,
            cell,
            sub: u32::try_from(breaks).unwrap_or(0) + sub,
        }
    }

    /// A cell's folded text ([`fold`]).
    fn folded_cell(&self, line: usize, cell: usize) -> Option<&[char]> {
        let first = *self.line_cells.get(line)?;
        let end = *self.line_cells.get(line + 1)?;
        if first + cell >= end {
            return None;
        }
        let &(a, b) = self.cell_spans.get(first + cell)?;
        self.folded.get(a as usize..b as usize)
    }

    fn cell_box(&self, line: usize, cell: usize) -> Option<[f64; 4]> {
        let l = self.lines.get(line)?;
        let b = self
            .doc
            .geometry
            .as_ref()?
            .line(l.line)?
            .cells
            .get(cell)?
            .as_ref()?;
        Some(rounded(*b))
    }

    fn line_box(&self, line: usize) -> Option<[f64; 4]> {
        let l = self.lines.get(line)?;
        let boxes = self.doc.geometry.as_ref()?.line(l.line)?;
        let mut acc = None;
        for b in boxes.cells.iter().flatten() {
            acc = Some(union_box(acc, *b));
        }
        acc.map(rounded)
    }

    fn cell_address(&self, line: usize, cell: usize) -> Option<String> {
        let l = self.lines.get(line)?;
        let o = self.doc.origin(l.line)?;
        match o.cells.get(cell) {
            Some(c) if !c.is_empty() => Some(match o.origin.split_once('!') {
                Some((sheet, _)) => format!("{sheet}!{c}"),
                None => c.clone(),
            }),
            _ => Some(o.origin.clone()),
        }
    }

    fn line_address(&self, line: usize) -> Option<String> {
        let l = self.lines.get(line)?;
        self.doc.origin(l.line).map(|o| o.origin.clone())
    }
}

/// Is [`fold`] of `s` the key? Compared as it is folded, without a copy, unless `s` needs the
/// full normalisation.
fn folds_to(s: &str, key: &[char]) -> bool {
    if s.chars().any(needs_normalising) {
        return fold(s) == key;
    }
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_char)
        .eq(key.iter().copied())
}

/// Does a word of `cell` (split at whitespace and at `】`, `：`, `:`, `」`) fold to the key
/// ([`folds_to`])? One pass over the cell, each word compared as it is read, unless the cell
/// needs the full normalisation (then word by word, as [`folds_to`] does).
fn has_word_folding_to(cell: &str, key: &[char]) -> bool {
    let is_break = |c: char| c.is_whitespace() || is_word_break(c);
    if cell.chars().any(needs_normalising) {
        return cell
            .split(is_break)
            .any(|w| !w.is_empty() && folds_to(w, key));
    }
    // The characters of the current word matched so far (None once one differs).
    let mut matched = Some(0usize);
    let mut in_word = false;
    for c in cell.chars() {
        if is_break(c) {
            if in_word && matched == Some(key.len()) {
                return true;
            }
            matched = Some(0);
            in_word = false;
            continue;
        }
        in_word = true;
        matched = matched
            .filter(|&n| key.get(n) == Some(&fold_char(c)))
            .map(|n| n + 1);
    }
    in_word && matched == Some(key.len())
}

/// The words of the cells of a document, kept beside their folded text: for each folded
/// character, the number of the word of its cell it is part of (a word as [`has_word_folding_to`]
/// splits a cell; 0 for a splitting mark), counted on and wrapping, 0 skipped: a run of characters
/// shorter than 65 535 words has the same number at both ends only when it is one word. A cell that
/// needs the full normalisation has no such numbers (its folded text is not its characters one for
/// one).
#[derive(Default)]
struct Words {
    of_char: Vec<u16>,
    /// Where the folded text of a cell that has no numbers starts (in order).
    unnumbered: Vec<u32>,
    next: u16,
}

impl Words {
    /// Add `cell` folded ([`fold`]) to `folded` (which these numbers go along with) and number
    /// its words, in one pass over the cell.
    fn fold_cell(&mut self, cell: &str, folded: &mut Vec<char>) {
        let start = folded.len();
        if cell.chars().any(needs_normalising) {
            fold_plain_into(&crate::normalize::normalize_cow(cell), folded, usize::MAX);
            self.unnumbered
                .push(u32::try_from(start).unwrap_or(u32::MAX));
            self.of_char.resize(folded.len(), 0);
            return;
        }
        let mut in_word = false;
        for c in cell.chars() {
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            if is_word_break(c) {
                in_word = false;
                self.of_char.push(0);
            } else {
                if !in_word {
                    self.next = self.next.checked_add(1).unwrap_or(1);
                    in_word = true;
                }
                self.of_char.push(self.next);
            }
            folded.push(fold_char(c));
        }
        // Kept index for index with the folded text whatever happens.
        self.of_char.resize(folded.len(), 0);
    }

    /// The numbers of the folded characters `range` (one cell's), if its words are numbered.
    fn of(&self, range: std::ops::Range<usize>) -> Option<&[u16]> {
        let start = u32::try_from(range.start).ok()?;
        if self.unnumbered.binary_search(&start).is_ok() {
            return None;
        }
        self.of_char.get(range)
    }
}

/// A mark that ends a word of a cell as whitespace does (`【評価】 A`, `評価：A`).
fn is_word_break(c: char) -> bool {
    matches!(c, '】' | '：' | ':' | '」')
}

/// Is one word of a cell the key? `folded` the cell folded, `words` its words numbered
/// ([`Words`]): some place of the key in the folded text is exactly one word. None for a key too
/// long for the numbers to tell its words apart.
fn numbered_word_is(folded: &[char], words: &[u16], key: &[char]) -> Option<bool> {
    let n = key.len();
    if n >= usize::from(u16::MAX) {
        return None;
    }
    if n == 0 {
        return Some(false);
    }
    let mut from = 0;
    while let Some(at) = folded
        .get(from..)
        .and_then(|f| position(f, key))
        .map(|i| from + i)
    {
        let id = words.get(at).copied().unwrap_or(0);
        let one_word = id != 0
            && words.get(at + n - 1) == Some(&id)
            && (at == 0 || words.get(at - 1) != Some(&id))
            && words.get(at + n) != Some(&id);
        if one_word {
            return Some(true);
        }
        from = at + 1;
    }
    Some(false)
}

/// Where in `cell` the key is: the printed line within the cell. `whole`: the cell must be the
/// key (or, for a key cut to [`KEY_CHARS`], start with it). `folded`: the cell already folded
/// ([`fold`]), when known; `words`: its words numbered ([`Words`]), when known.
fn match_cell_folded(
    cell: &str,
    folded: Option<&[char]>,
    words: Option<&[u16]>,
    key: &[char],
    whole: bool,
) -> Option<u32> {
    let own;
    let folded: &[char] = match folded {
        Some(f) => f,
        None => {
            own = fold(cell);
            &own
        }
    };
    if whole {
        // The whole cell, or one word of it (`【評価】 A`, `評価：A`).
        let same = folded == key
            || (key.len() == KEY_CHARS && folded.starts_with(key))
            // A word's folded text is a run of the cell's: only a cell holding the key can.
            || match words.and_then(|w| numbered_word_is(folded, w, key)) {
                Some(is) => is,
                None => position(folded, key).is_some() && has_word_folding_to(cell, key),
            };
        return same.then_some(0);
    }
    let at = position(folded, key)?;
    // Count the line breaks before the match.
    let mut seen = 0usize;
    let mut sub = 0u32;
    for ch in cell.chars() {
        if ch == '\n' {
            sub += 1;
        } else if !ch.is_whitespace() {
            if seen == at {
                break;
            }
            seen += 1;
        }
    }
    Some(sub)
}

/// The box of the glyphs spelling `text` among the glyphs whose centre lies in `cell`, taken in
/// reading order (visual lines top to bottom, each left to right). When the whole text is not
/// there (normalisation changed it), the glyphs from where its first [`KEY_CHARS`] characters
/// start, as many as it has characters.
fn glyph_text_box(glyphs: &[PlacedGlyph], cell: [f64; 4], text: &str) -> Option<[f32; 4]> {
    // The cell box is rounded to a tenth of a point.
    let slack = 0.1;
    let centre = |g: &PlacedGlyph| {
        (
            f64::from(g.bbox[0] + g.bbox[2]) / 2.0,
            f64::from(g.bbox[1] + g.bbox[3]) / 2.0,
        )
    };
    let mut inside: Vec<&PlacedGlyph> = glyphs
        .iter()
        .filter(|g| {
            let (cx, cy) = centre(g);
            cx >= cell[0] - slack
                && cx <= cell[2] + slack
                && cy >= cell[1] - slack
                && cy <= cell[3] + slack
        })
        .collect();
    if inside.is_empty() || inside.iter().any(|g| g.vertical) {
        return None;
    }
    inside.sort_by(|a, b| centre(a).1.total_cmp(&centre(b).1));
    let mut rows: Vec<Vec<&PlacedGlyph>> = Vec::new();
    for g in inside {
        match rows.last_mut() {
            Some(r)
                if r.first().is_some_and(|f| {
                    (centre(g).1 - centre(f).1).abs() <= f64::from(f.size.max(1.0)) * 0.5
                }) =>
            {
                r.push(g)
            }
            _ => rows.push(vec![g]),
        }
    }
    let mut seq: Vec<(char, [f32; 4])> = Vec::new();
    for mut r in rows {
        r.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
        for g in r {
            // Folded as `fold_plain_into` folds, without a string and a vector for every glyph.
            let text = crate::normalize::normalize_cow(&g.text);
            seq.extend(
                text.chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| (fold_char(c), g.bbox)),
            );
        }
    }
    let chars: Vec<char> = seq.iter().map(|s| s.0).collect();
    let want = fold(text);
    let start = match position(&chars, &want) {
        Some(at) => at,
        None => {
            let key: Vec<char> = want.iter().copied().take(KEY_CHARS).collect();
            position(&chars, &key)?
        }
    };
    let mut acc = None;
    for (_, b) in seq.iter().skip(start).take(want.len()) {
        acc = Some(union_box(acc, *b));
    }
    acc
}

/// Boxes to a tenth of a point (f32 noise kept out of the JSON).
fn rounded(b: [f32; 4]) -> [f64; 4] {
    b.map(|v| (f64::from(v) * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_matched_on_folded_text() {
        let cases: Vec<(&str, &str, bool, Option<u32>)> = vec![
            ("60万人", "60万人", true, Some(0)),
            ("６０万人", "60万人", true, Some(0)),
            ("実績 60万人", "60万人", true, Some(0)),
            ("実績60万人", "60万人", true, None),
            ("実績 60万人", "60万人", false, Some(0)),
            ("○一行目\n○二行目です", "二行目", false, Some(1)),
            ("a\n\nb c", "bc", false, Some(2)),
            ("順調", "A", false, None),
            ("【評価】 A", "A", true, Some(0)),
            ("AI活用", "A", true, None),
            ("ｼｽﾃﾑを使った", "システム", false, Some(0)),
            ("1～2名", "1〜2名", false, Some(0)),
            ("⽇程", "日程", true, Some(0)),
            // A dash as printed (U+2015) is the value read as U+2014.
            ("―", "—", true, Some(0)),
        ];
        for (cell, key, whole, want) in cases {
            assert_eq!(
                match_cell_folded(cell, None, None, &fold(key), whole),
                want,
                "{cell:?} {key:?} {whole}"
            );
        }
    }

    #[test]
    fn words_folding_to_a_key_in_one_pass() {
        let cases: Vec<(&str, &str, bool)> = vec![
            ("【評価】 A", "A", true),
            ("評価：A", "A", true),
            ("評価:A 順調", "A", true),
            ("AI活用", "A", false),
            ("A活用 B", "B", true),
            ("AB", "A", false),
            ("ＡＢ　Ｃ", "AB", true),
            ("「順調」", "「順調", true),
            ("「順調」", "順調", false),
            ("", "A", false),
            ("A", "", false),
            ("   ", "A", false),
            ("x ｼｽﾃﾑ", "システム", true),
            ("x ｼｽﾃﾑ化", "システム", false),
            ("1～2名 計", "1〜2名", true),
            ("―", "—", true),
            ("a:b", "a:b", false),
            // The key inside a word first, then a word of its own.
            ("AB A", "A", true),
            ("BAB:A", "A", true),
            ("AAA", "AA", false),
            ("AA A", "AA", true),
            ("順調化 順調", "順調", true),
            ("順調化　不調", "順調", false),
        ];
        for (cell, key, want) in cases {
            let key = fold(key);
            let by_words = cell
                .split(|c: char| c.is_whitespace() || matches!(c, '】' | '：' | ':' | '」'))
                .any(|w| !w.is_empty() && folds_to(w, &key));
            assert_eq!(by_words, want, "{cell:?} by words");
            assert_eq!(has_word_folding_to(cell, &key), want, "{cell:?}");
            let mut folded = vec![];
            let mut words = Words::default();
            words.fold_cell(cell, &mut folded);
            assert_eq!(folded, fold(cell), "{cell:?} folded");
            if let Some(w) = words.of(0..folded.len()) {
                assert_eq!(
                    numbered_word_is(&folded, w, &key),
                    Some(want),
                    "{cell:?} numbered"
                );
            }
        }
    }

    #[test]
    fn find_looks_only_at_cells_holding_the_key() {
        let line = |n: u32, cells: &[&str]| SourceLine {
            page: None,
            line: n,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        let doc = SourceDoc {
            lines: vec![
                line(1, &["", "実績", "60万"]),
                line(2, &["人", "実績 60万人", "A"]),
                line(3, &[]),
                line(4, &["60万人", "AB"]),
                line(5, &["評価", "A"]),
            ],
            ..SourceDoc::default()
        };
        let ix = Index::new(doc);
        // (key, from line and cell, to, short_exact) → (line index, cell, printed line)
        type Case<'a> = (
            &'a str,
            (usize, usize),
            usize,
            bool,
            Option<(usize, usize, u32)>,
        );
        let cases: Vec<Case> = vec![
            // `60万` + `人` across two cells is no match; a word of a cell is a whole match
            ("60万人", (0, 0), 5, false, Some((1, 1, 0))),
            // after that cell: the whole cell of line 4
            ("60万人", (1, 2), 5, false, Some((3, 0, 0))),
            // a containing cell when there is no whole one
            ("万人", (0, 0), 5, false, Some((1, 1, 0))),
            // a short key must be a whole cell, the first after the start
            ("A", (0, 0), 5, true, Some((1, 2, 0))),
            ("A", (1, 3), 5, true, Some((4, 1, 0))),
            ("B", (0, 0), 5, true, None),
            ("B", (0, 0), 5, false, Some((3, 1, 0))),
            // a start past the line's last cell goes on with the next line
            ("人", (0, 9), 5, false, Some((1, 0, 0))),
            // within the lines given only
            ("評価", (0, 0), 4, false, None),
            ("評価", (0, 0), 5, false, Some((4, 0, 0))),
            ("", (0, 0), 5, false, None),
        ];
        for (key, start, to, short_exact, want) in cases {
            let got = ix
                .find(&fold(key), start, to, short_exact)
                .map(|h| (h.line, h.cell, h.sub));
            assert_eq!(got, want, "{key} {start:?} {to}");
        }
    }

    #[test]
    fn positions_and_keys() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let cases: Vec<(&str, &str, Option<usize>)> = vec![
            ("実績60万人", "60万人", Some(2)),
            ("abab", "ab", Some(0)),
            ("aab", "ab", Some(1)),
            ("ab", "abc", None),
            ("ab", "", None),
            ("", "a", None),
            ("xyz", "z", Some(2)),
            ("axaxab", "ab", Some(4)),
            ("aaa", "aa", Some(0)),
            ("baa", "aa", Some(1)),
        ];
        for (hay, needle, want) in cases {
            assert_eq!(
                position(&chars(hay), &chars(needle)),
                want,
                "{hay} {needle}"
            );
        }
        let keys: Vec<(&str, &str)> = vec![
            ("６０ 万人", "60万人"),
            (
                "あいうえおかきくけこさしすせそたちつてと",
                "あいうえおかきくけこさしすせそた",
            ),
            ("ｼｽﾃﾑ", "システム"),
            ("1～2名", "1~2名"),
        ];
        for (text, want) in keys {
            assert!(folds_to(text, &fold(text)), "{text}");
            assert!(!folds_to(text, &fold(&format!("{text}x"))), "{text}");
            assert_eq!(fold_key(text), chars(want), "{text}");
            let whole: Vec<char> = fold(text).into_iter().take(KEY_CHARS).collect();
            assert_eq!(fold_key(text), whole, "{text}");
        }
    }

    #[test]
    fn a_line_of_a_cell_gets_the_box_of_its_glyphs() {
        // A cell of two printed lines (`○達成 / ▲課題`), a glyph of the next cell to the right,
        // and one below the cell.
        let glyphs = vec![
            PlacedGlyph::at("○", 10.0, 20.0),
            PlacedGlyph::at("達", 20.0, 20.0),
            PlacedGlyph::at("成", 30.0, 20.0),
            PlacedGlyph::at("▲", 10.0, 32.0),
            PlacedGlyph::at("課", 20.0, 32.0),
            PlacedGlyph::at("題", 30.0, 32.0),
            PlacedGlyph::at("Ａ", 200.0, 20.0),
            PlacedGlyph::at("外", 10.0, 80.0),
        ];
        let cell = [10.0, 11.2, 40.0, 33.2];
        let cases: Vec<(&str, Option<[f32; 4]>)> = vec![
            ("達成", Some([20.0, 11.2, 40.0, 21.2])),
            ("課題", Some([20.0, 23.2, 40.0, 33.2])),
            ("▲課題", Some([10.0, 23.2, 40.0, 33.2])),
            // Over the line break: both lines.
            ("成▲", Some([10.0, 11.2, 40.0, 33.2])),
            ("外", None),
            ("A", None),
        ];
        for (text, want) in cases {
            assert_eq!(glyph_text_box(&glyphs, cell, text), want, "{text:?}");
        }
    }
}
