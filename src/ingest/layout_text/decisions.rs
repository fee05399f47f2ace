//! What a space-aligned text's cells depend on over the whole text, gathered as one small value
//! ([`Decisions`]) in passes over its lines, so that the text is then laid out a page at a time
//! ([`Decisions::lay_out`]) with those decisions fixed: the same rows whether the pages come from
//! a whole document or one after the other from a large text read in windows.
//!
//! The decisions, each taken over every line of the text:
//! - whether columns are counted by display width ([`WidthVotes`]);
//! - the texts opening lines, and how many ([`centred::openers`]), by which a centred row's
//!   number is told from a form's row label;
//! - whether a column of numbers is split from the text after it ([`centred::Marks`]);
//! - the wrapped row labels the form repeats ([`tall::Counts`]);
//! - the row and cell labels of a form repeated through the text ([`Labels`]);
//! - whether cells are set one space apart on table lines ([`super::narrow`]).
//!
//! A table's columns are carried from page to page ([`Grid`]), and rows are numbered on from the
//! page before ([`RowNumbers`]), so the pages must be laid out in order.

use super::narrow::{widen_lines, NarrowVotes};
use super::runs::Labels;
use super::{centred, headings, spans, tall, Grid, Span, NEAR};
use crate::ingest::RowNumbers;
use crate::source::{Origin, SourceLine};
use std::collections::{HashMap, VecDeque};

/// The whole-text decisions of a space-aligned text.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    /// Columns counted by display width (else one per character).
    wide: bool,
    /// First runs of lines (white space removed) and how many lines each opens.
    openers: HashMap<String, usize>,
    /// Every line moved right, a row number kept in the first column.
    indent: bool,
    /// Row and cell labels of the form.
    labels: Labels,
    /// Pages: one more than the form feeds.
    pages: usize,
    /// The stacked pieces of tall rows' labels, counted over the text.
    tall: tall::Counts,
    /// Cells set one space apart on table lines ([`narrow`]).
    narrow: bool,
}

/// A text's lines, (line number, text), in order: what the passes read.
pub(crate) type TextLine = (u32, String);

impl Decisions {
    /// Gather the decisions from the text's lines, read four times (`lines` gives them afresh
    /// each time), holding no more than a page of them at once.
    pub(crate) fn gather<I, F>(lines: F) -> Decisions
    where
        F: Fn() -> I,
        I: Iterator<Item = TextLine>,
    {
        let mut d = Decisions::default();
        let mut votes = WidthVotes::default();
        let mut narrow = NarrowVotes::default();
        for page in Pages::new(lines()) {
            d.pages += 1;
            for (_, t) in &page {
                votes.add(t);
                narrow.add(t);
            }
        }
        d.wide = votes.wide();
        d.narrow = narrow.cut();
        let cut = d.narrow;
        let pages = || Pages::new(lines()).map(move |p| widen_page(p, cut));
        d.openers = centred::openers(pages().flatten().map(|(_, t)| t), d.wide);
        let mut marks = centred::Marks::default();
        for mut page in pages() {
            centred::lift_page(&mut page, &d.openers, d.wide);
            marks.add(&page, d.wide);
        }
        d.indent = marks.indent();
        let mut tall = tall::Counts::default();
        for mut page in pages() {
            d.lift(&mut page);
            tall.add_page(&page, d.wide);
        }
        d.tall = tall;
        let mut labels = Labels::default();
        for mut page in pages() {
            d.prepare(&mut page);
            labels.add(&page, d.wide);
        }
        d.labels = labels;
        d
    }

    /// Pages in the text (one more than its form feeds).
    pub(crate) fn pages(&self) -> usize {
        self.pages
    }

    /// A page's lines as they are laid out: centred rows lifted, numbers split from the text after
    /// them, numbered headings joined.
    fn prepare(&self, page: &mut Vec<TextLine>) {
        self.lift(page);
        // a row label wrapped over a tall row, its pieces among the lines of the row's text
        tall::rebuild_page(page, &self.tall, self.wide);
        headings::join_headings(std::slice::from_mut(page), self.wide);
    }

    /// A page's centred rows lifted and, when every line is moved right, its numbers split.
    fn lift(&self, page: &mut [TextLine]) {
        centred::lift_page(page, &self.openers, self.wide);
        if self.indent {
            for (_, t) in page.iter_mut() {
                *t = centred::indent(t);
            }
        }
    }

    /// The text laid out page by page: each page's numbered lines and their origins (the text
    /// line each row starts on), in order.
    pub(crate) fn lay_out<I: Iterator<Item = TextLine>>(&self, lines: I) -> LaidOut<'_, I> {
        LaidOut {
            decisions: self,
            pages: Pages::new(lines),
            grid: None,
            narrow: Default::default(),
            numbers: RowNumbers::default(),
            page: 0,
        }
    }
}

/// See [`Decisions::lay_out`].
pub(crate) struct LaidOut<'a, I: Iterator<Item = TextLine>> {
    decisions: &'a Decisions,
    pages: Pages<I>,
    /// A table's columns, carried over to the next page (its first rows may be the rest of a row).
    grid: Option<Grid>,
    /// A table whose cells are set one space apart, carried over to the next page.
    narrow: super::NarrowTable,
    numbers: RowNumbers,
    page: usize,
}

impl<I: Iterator<Item = TextLine>> Iterator for LaidOut<'_, I> {
    type Item = (Vec<SourceLine>, Vec<Origin>);

    fn next(&mut self) -> Option<Self::Item> {
        let d = self.decisions;
        let page = self.pages.next()?;
        // the lines as the converter set them, for where cells one space apart start
        let original = d.narrow.then(|| page.clone());
        let mut lines = widen_page(page, d.narrow);
        self.page += 1;
        d.prepare(&mut lines);
        let rows = super::layout_lines(
            &lines,
            (d.wide, &d.labels),
            &mut self.grid,
            original.as_deref().map(|o| (o, &mut self.narrow)),
        );
        // a text of one page has no page numbers
        let page = (d.pages > 1).then(|| u32::try_from(self.page).unwrap_or(u32::MAX));
        let (mut out, mut origins) = (Vec::new(), Vec::new());
        self.numbers.page(page, rows, &mut out, &mut origins);
        Some((out, origins))
    }
}

/// A page's table lines with their narrow gaps widened, when the text sets its cells one space
/// apart ([`super::narrow`]).
fn widen_page(mut page: Vec<TextLine>, cut: bool) -> Vec<TextLine> {
    if cut {
        widen_lines(&mut page);
    }
    page
}

/// A text's lines grouped into pages at form feeds (a line holding one ends a page and starts
/// the next with its rest); the last page is given even when empty.
pub(crate) struct Pages<I> {
    lines: I,
    page: Vec<TextLine>,
    ready: VecDeque<Vec<TextLine>>,
    done: bool,
}

impl<I: Iterator<Item = TextLine>> Pages<I> {
    pub(crate) fn new(lines: I) -> Self {
        Pages {
            lines,
            page: Vec::new(),
            ready: VecDeque::new(),
            done: false,
        }
    }
}

impl<I: Iterator<Item = TextLine>> Iterator for Pages<I> {
    type Item = Vec<TextLine>;

    fn next(&mut self) -> Option<Vec<TextLine>> {
        loop {
            if let Some(p) = self.ready.pop_front() {
                return Some(p);
            }
            if self.done {
                return None;
            }
            match self.lines.next() {
                Some((n, text)) if text.contains('\u{c}') => {
                    let mut parts = text.split('\u{c}');
                    if let Some(first) = parts.next() {
                        self.page.push((n, first.to_string()));
                    }
                    for p in parts {
                        let full = std::mem::replace(&mut self.page, vec![(n, p.to_string())]);
                        self.ready.push_back(full);
                    }
                }
                Some(line) => self.page.push(line),
                None => {
                    self.done = true;
                    self.ready.push_back(std::mem::take(&mut self.page));
                }
            }
        }
    }
}

/// The votes behind the choice of column count, gathered line by line over the whole text: how
/// many runs start within a column of a run of the lines around (up to [`NEAR`] either side;
/// more after a line near the start), and how many box sides join the line below, under each
/// count. A box table decides when its sides join up under one count only; otherwise the count
/// lining up more runs, display width on a tie.
#[derive(Debug, Default)]
pub(crate) struct WidthVotes {
    /// The runs (one per character, display width) of the lines from `base` on.
    near: VecDeque<[Vec<Span>; 2]>,
    base: usize,
    /// Lines seen, and lines whose runs have been counted.
    seen: usize,
    scored: usize,
    aligned: [usize; 2],
    sides: [usize; 2],
    boxed: bool,
    last: Option<String>,
}

impl WidthVotes {
    /// Count one more line.
    pub(crate) fn add(&mut self, text: &str) {
        if super::boxes::draws_box(text) {
            self.boxed = true;
        }
        if let Some(above) = &self.last {
            for (k, wide) in [false, true].into_iter().enumerate() {
                if let Some(n) = self.sides.get_mut(k) {
                    *n += super::boxes::sides_joined(above, text, &|c| super::width(c, wide));
                }
            }
        }
        self.last = Some(text.to_string());
        self.near.push_back([spans(text, false), spans(text, true)]);
        self.seen += 1;
        // a line is counted once every line it is compared with has been seen
        while self.scored < self.seen && self.scored.saturating_sub(NEAR) + 2 * NEAR < self.seen {
            self.score();
        }
    }

    /// Count the runs of line `scored` against the lines around it.
    fn score(&mut self) {
        let i = self.scored;
        let lo = i.saturating_sub(NEAR);
        for k in 0..2 {
            let at = |j: usize| {
                j.checked_sub(self.base)
                    .and_then(|j| self.near.get(j))
                    .and_then(|l| l.get(k))
            };
            let starts: Vec<usize> = (lo..=lo + 2 * NEAR)
                .filter(|&j| j != i)
                .filter_map(at)
                .flat_map(|l| l.iter().map(|s| s.start))
                .collect();
            let n = at(i).map_or(0, |here| {
                here.iter()
                    .filter(|s| s.start > 0 && starts.iter().any(|&c| c.abs_diff(s.start) <= 1))
                    .count()
            });
            if let Some(a) = self.aligned.get_mut(k) {
                *a += n;
            }
        }
        self.scored += 1;
        // lines before the next line's first neighbour are no longer needed
        while self.base < self.scored.saturating_sub(NEAR) {
            self.near.pop_front();
            self.base += 1;
        }
    }

    /// Whether columns are counted by display width.
    pub(crate) fn wide(mut self) -> bool {
        while self.scored < self.seen {
            self.score();
        }
        let [narrow, wide] = self.sides;
        if self.boxed && wide != narrow {
            return wide > narrow;
        }
        let [narrow, wide] = self.aligned;
        wide >= narrow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<TextLine> {
        text.split('\n')
            .enumerate()
            .map(|(i, t)| (i as u32 + 1, t.to_string()))
            .collect()
    }

    /// A text and its pages, each a list of (line number, text).
    type PagesCase<'a> = (&'a str, &'a [&'a [(u32, &'a str)]]);

    #[test]
    fn pages_split_at_form_feeds() {
        let cases: &[PagesCase] = &[
            ("a\nb", &[&[(1, "a"), (2, "b")]]),
            (
                "a\n\u{c}b\nc",
                &[&[(1, "a"), (2, "")], &[(2, "b"), (3, "c")]],
            ),
            ("a\u{c}\u{c}b", &[&[(1, "a")], &[(1, "")], &[(1, "b")]]),
            ("a\u{c}", &[&[(1, "a")], &[(1, "")]]),
        ];
        for (text, want) in cases {
            let got: Vec<Vec<TextLine>> = Pages::new(lines(text).into_iter()).collect();
            let want: Vec<Vec<TextLine>> = want
                .iter()
                .map(|p| p.iter().map(|&(n, t)| (n, t.to_string())).collect())
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The votes counted line by line are those of every line against its neighbours.
    #[test]
    fn width_votes_count_each_line_against_its_neighbours() {
        let text = "項目   担当課   状況\n窓口の改善   住民課   順調\n公用車   管財課   遅れ\n\
                    ｱｲｳ   abc   def\n照明の更新をする   財政課   順調\n   続き   もう一つ\n";
        for repeat in [1usize, 2, 5] {
            let all = lines(&text.repeat(repeat));
            for wide in [false, true] {
                let spans_of: Vec<Vec<Span>> = all.iter().map(|(_, t)| spans(t, wide)).collect();
                let mut want = 0usize;
                for (i, here) in spans_of.iter().enumerate() {
                    let starts: Vec<usize> = spans_of
                        .iter()
                        .enumerate()
                        .skip(i.saturating_sub(NEAR))
                        .take(2 * NEAR + 1)
                        .filter(|(j, _)| *j != i)
                        .flat_map(|(_, l)| l.iter().map(|s| s.start))
                        .collect();
                    want += here
                        .iter()
                        .filter(|s| s.start > 0 && starts.iter().any(|&c| c.abs_diff(s.start) <= 1))
                        .count();
                }
                let mut votes = WidthVotes::default();
                for (_, t) in &all {
                    votes.add(t);
                }
                while votes.scored < votes.seen {
                    votes.score();
                }
                assert_eq!(votes.aligned[usize::from(wide)], want, "{repeat} {wide}");
                assert!(votes.near.len() <= 2 * NEAR + 1, "{}", votes.near.len());
            }
        }
    }
}
