//! HTML pages (a report page or a bare table), parsed with `scraper` (html5ever).
//!
//! Headings, paragraphs, list items and other blocks are lines of one cell (`<br>` is `\n`
//! inside the cell; an ordered list item starts with its number, `1. `). A description list's
//! term and its descriptions are one line of two cells (`担当課` | `総務課`). Each table row is a
//! line with one cell per grid column: `colspan` is followed by empty cells, cells covered by a
//! `rowspan` from a row above are empty unless the rows it spans are rows of their own (a
//! department cell over its items: repeated, see [`super::repeat_group_merges`]); a table
//! caption is a line before the table. Scripts, styles, `hidden` elements, `display:none`, and
//! the site's navigation, banner and page footer are left out. The encoding is the one forced,
//! else the one the page declares (`<meta charset>`), else detected as for text. Provenance:
//! `p12` (12th block), `t1.r3` (table 1, row 3), cells `t1.r3.c2`.

use super::{clean_cell, doc, Row};
use crate::error::Result;
use crate::source::SourceDoc;
use crate::text::EncodingErrors;
use scraper::{ElementRef, Html, Node};

const MAX_DEPTH: usize = 256;

/// Whether bytes look like an HTML page or fragment (checked on the first 4 KB).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let start = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let body = lower.get(start..).unwrap_or_default();
    let has = |pat: &[u8]| body.windows(pat.len()).any(|w| w == pat);
    body.starts_with(b"<!doctype html")
        || body.starts_with(b"<html")
        || (body.starts_with(b"<") && (has(b"<html") || has(b"<table") || has(b"<body")))
}

/// The charset a page declares in its first 2 KB (`<meta charset=…>` or `content="…charset=…"`).
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(2048)).unwrap_or(bytes);
    let lower: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                char::from(b.to_ascii_lowercase())
            } else {
                ' '
            }
        })
        .collect();
    let i = lower.find("charset=")? + "charset=".len();
    let rest = lower.get(i..)?.trim_start_matches(['"', '\'', ' ']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    (!label.is_empty()).then_some(label)
}

/// Read an HTML page.
pub fn ingest(bytes: &[u8], forced: Option<&str>) -> Result<SourceDoc> {
    ingest_with(bytes, forced, EncodingErrors::Replace)
}

/// Read an HTML page; invalid bytes are replaced (with `invalid-bytes` diagnostics naming the
/// file line) or refused.
pub fn ingest_with(bytes: &[u8], forced: Option<&str>, mode: EncodingErrors) -> Result<SourceDoc> {
    let declared = declared_charset(bytes);
    let label = forced
        .map(str::to_string)
        .or_else(|| declared.filter(|l| crate::text::encoding_for_label(l).is_ok()));
    let decode = |label: Option<&str>| crate::text::decode_with(bytes, label, mode);
    let (text, enc, diags) = match decode(label.as_deref()) {
        Ok(t) => t,
        // a wrong declaration: fall back to detection
        Err(_) if forced.is_none() && label.is_some() => decode(None)?,
        Err(e) => return Err(e),
    };
    let html = Html::parse_document(&text);
    let mut w = Walker::default();
    w.element(html.root_element(), 0);
    w.flush();
    let mut d = doc(super::HTML, None, vec![(None, w.rows)])?;
    d.encoding = Some(enc.name().to_string());
    d.diagnostics = crate::text::as_file_lines(diags);
    Ok(d)
}

#[derive(Default)]
struct Walker {
    rows: Vec<Row>,
    cur: String,
    blocks: usize,
    tables: usize,
    /// Inside a table cell: nested tables become lines of joined cells.
    nested: bool,
    /// Counters of the open ordered lists (None: unordered).
    lists: Vec<Option<u32>>,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dt"
            | "dd"
            | "dl"
            | "ul"
            | "ol"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "pre"
            | "address"
            | "figure"
            | "figcaption"
            | "hr"
            | "form"
            | "fieldset"
            | "center"
            | "caption"
            | "body"
            | "html"
            | "tr"
            | "td"
            | "th"
            | "legend"
            | "summary"
            | "details"
    )
}

/// The site around the document, not part of it: `<nav>` and elements of the navigation or
/// content-information role; the page's own `<footer>` (a child of `<body>`; a footer inside an
/// article is kept); and the site's banner (a `<header>` child of `<body>` or an element of the
/// banner role) unless it holds the page's `<h1>`.
fn site_chrome(e: &ElementRef<'_>) -> bool {
    let v = e.value();
    if v.name() == "nav" || matches!(v.attr("role"), Some("navigation" | "contentinfo")) {
        return true;
    }
    let of_body = || {
        e.parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| p.value().name() == "body")
    };
    let banner = v.attr("role") == Some("banner") || v.name() == "header" && of_body();
    if banner {
        let holds_h1 = e
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(|d| d.value().name() == "h1");
        return !holds_h1;
    }
    v.name() == "footer" && of_body()
}

fn hidden(e: &ElementRef<'_>) -> bool {
    let v = e.value();
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") && v.name() != "span" {
        return true;
    }
    v.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

impl Walker {
    fn flush(&mut self) {
        let text = clean_cell(&self.cur);
        self.cur.clear();
        if text.is_empty() {
            return;
        }
        self.blocks += 1;
        self.rows.push(Row {
            cells: vec![text],
            origin: Some(format!("p{}", self.blocks)),
            cell_origins: Vec::new(),
        });
    }

    fn text(&mut self, t: &str, pre: bool) {
        if pre {
            self.cur.push_str(t);
            return;
        }
        for (i, part) in t.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 && !self.cur.ends_with([' ', '\n']) && !self.cur.is_empty() {
                self.cur.push(' ');
            }
            self.cur.push_str(part);
        }
    }

    fn children(&mut self, e: ElementRef<'_>, depth: usize, pre: bool) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => self.text(t, pre),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element_in(el, depth + 1, pre);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, e: ElementRef<'_>, depth: usize) {
        self.element_in(e, depth, false)
    }

    fn element_in(&mut self, e: ElementRef<'_>, depth: usize, pre: bool) {
        let name = e.value().name().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "script"
                | "style"
                | "head"
                | "template"
                | "noscript"
                | "title"
                | "svg"
                | "math"
                | "iframe"
                | "object"
        ) || hidden(&e)
            || site_chrome(&e)
        {
            return;
        }
        if depth > MAX_DEPTH {
            let t: String = e.text().collect::<Vec<_>>().join(" ");
            self.text(&t, pre);
            return;
        }
        match name.as_str() {
            "br" => self.cur.push('\n'),
            "table" => {
                self.flush();
                self.table(e, depth);
            }
            "dl" if !self.nested => {
                self.flush();
                self.description_list(e, depth);
            }
            "ol" | "ul" => {
                self.flush();
                let start = e
                    .value()
                    .attr("start")
                    .and_then(|s| s.trim().parse::<u32>().ok());
                self.lists.push((name == "ol").then(|| start.unwrap_or(1)));
                self.children(e, depth, pre);
                self.lists.pop();
                self.flush();
            }
            "li" => {
                self.flush();
                if let Some(Some(n)) = self.lists.last_mut() {
                    let v = e
                        .value()
                        .attr("value")
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    let k = v.unwrap_or(*n);
                    self.cur.push_str(&format!("{k}. "));
                    *n = k.saturating_add(1);
                }
                self.children(e, depth, pre);
                self.flush();
            }
            n if is_block(n) => {
                self.flush();
                self.children(e, depth, pre || n == "pre");
                self.flush();
            }
            _ => self.children(e, depth, pre),
        }
    }

    /// A description list: each term (`<dt>`) is a line whose second cell holds its descriptions
    /// (`<dd>`, several joined with `\n`), as a label and its value; a description with no term
    /// before it is a line of its own. Terms and descriptions wrapped in a `<div>` count too.
    fn description_list(&mut self, dl: ElementRef<'_>, depth: usize) {
        let is_entry = |c: &ElementRef<'_>| matches!(c.value().name(), "dt" | "dd") && !hidden(c);
        let mut entries: Vec<ElementRef<'_>> = Vec::new();
        for c in dl.child_elements().filter(|c| !hidden(c)) {
            if c.value().name() == "div" {
                entries.extend(c.child_elements().filter(is_entry));
            } else if is_entry(&c) {
                entries.push(c);
            }
        }
        let mut lines: Vec<Vec<String>> = Vec::new();
        let mut open_term = false;
        for el in entries {
            let text = clean_cell(&self.cell_text(el, depth + 1));
            if el.value().name() == "dt" {
                lines.push(vec![text]);
                open_term = true;
                continue;
            }
            match lines.last_mut() {
                Some(line) if open_term && line.len() == 1 => line.push(text),
                Some(line) if open_term => {
                    if let Some(v) = line.last_mut() {
                        if !v.is_empty() && !text.is_empty() {
                            v.push('\n');
                        }
                        v.push_str(&text);
                    }
                }
                _ => lines.push(vec![text]),
            }
        }
        for cells in lines {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            self.blocks += 1;
            self.rows.push(Row {
                cells,
                origin: Some(format!("p{}", self.blocks)),
                cell_origins: Vec::new(),
            });
        }
    }

    /// The text of a table cell, blocks joined with `\n`.
    fn cell_text(&self, e: ElementRef<'_>, depth: usize) -> String {
        let mut w = Walker {
            nested: true,
            ..Walker::default()
        };
        w.children(e, depth, false);
        w.flush();
        w.rows
            .iter()
            .map(|r| r.cells.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn table(&mut self, t: ElementRef<'_>, depth: usize) {
        // rows of this table (through thead/tbody/tfoot, not into nested tables)
        let mut trs: Vec<ElementRef<'_>> = Vec::new();
        let mut caption: Option<String> = None;
        for c in t.child_elements() {
            match c.value().name() {
                "tr" => trs.push(c),
                "thead" | "tbody" | "tfoot" => {
                    trs.extend(c.child_elements().filter(|r| r.value().name() == "tr"))
                }
                "caption" => caption = Some(self.cell_text(c, depth + 1)),
                _ => {}
            }
        }
        let mut grid: Vec<Vec<String>> = Vec::new();
        let mut covered_cells: Vec<Vec<bool>> = Vec::new();
        let mut pending: Vec<u32> = Vec::new(); // rows still covered, per column
        for tr in trs.iter().filter(|r| !hidden(r)) {
            let mut row: Vec<String> = Vec::new();
            let mut row_covered: Vec<bool> = Vec::new();
            let mut col = 0usize;
            let covered = |pending: &mut Vec<u32>, col: usize| -> bool {
                match pending.get_mut(col) {
                    Some(p) if *p > 0 => {
                        *p -= 1;
                        true
                    }
                    _ => false,
                }
            };
            for cell in tr
                .child_elements()
                .filter(|c| matches!(c.value().name(), "td" | "th"))
            {
                while covered(&mut pending, col) {
                    row.push(String::new());
                    row_covered.push(true);
                    col += 1;
                }
                let span = |a: &str, max: u32| {
                    cell.value()
                        .attr(a)
                        .and_then(|s| s.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .clamp(1, max)
                };
                let (colspan, rowspan) = (span("colspan", 256), span("rowspan", 10_000));
                row.push(if hidden(&cell) {
                    String::new()
                } else {
                    self.cell_text(cell, depth + 1)
                });
                row_covered.push(false);
                for k in 0..colspan as usize {
                    if k > 0 {
                        row.push(String::new());
                        row_covered.push(false);
                    }
                    if rowspan > 1 {
                        if pending.len() <= col + k {
                            pending.resize(col + k + 1, 0);
                        }
                        if let Some(p) = pending.get_mut(col + k) {
                            *p = rowspan - 1;
                        }
                    }
                }
                col += colspan as usize;
            }
            while col < pending.len() {
                let c = covered(&mut pending, col);
                row.push(String::new());
                row_covered.push(c);
                col += 1;
            }
            grid.push(row);
            covered_cells.push(row_covered);
        }
        super::repeat_group_merges(&mut grid, &covered_cells);
        if self.nested {
            if let Some(c) = caption {
                self.cur.push_str(&c);
                self.flush();
            }
            for r in grid {
                let line: Vec<String> = r.into_iter().filter(|c| !c.is_empty()).collect();
                self.cur.push_str(&line.join(" "));
                self.flush();
            }
            return;
        }
        if let Some(c) = caption {
            self.cur.push_str(&c);
            self.flush();
        }
        self.tables += 1;
        let t = self.tables;
        for (i, r) in grid.into_iter().enumerate() {
            let n = r.len();
            self.rows.push(Row {
                cells: r,
                origin: Some(format!("t{t}.r{}", i + 1)),
                cell_origins: (1..=n).map(|c| format!("t{t}.r{}.c{c}", i + 1)).collect(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        ingest(html.as_bytes(), None)
            .map(|d| d.to_text())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn detects_html() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<table><tr><td>1</td></tr></table>"));
        assert!(!looks_like_html("令和4年度 <table>".as_bytes()));
    }

    #[test]
    fn tables_with_spans() {
        let t = text(
            "<table><tr><th rowspan=2>No</th><th colspan=2>R4</th></tr>\
             <tr><td>計画</td><td>実績</td></tr><tr><td>1</td><td>a<br>b</td><td></td></tr></table>",
        );
        assert_eq!(t, "No\tR4\n\t計画\t実績\n1\ta\nb\n");
    }

    #[test]
    fn blocks_and_lists() {
        let t = text(
            "<html><head><title>x</title><script>var a</script></head><body><h1>報告</h1>\
             <p>一行目 <b>太字</b></p><ol><li>甲</li><li>乙</li></ol><ul><li>丙</li></ul>\
             <p style='display: none'>隠し</p></body></html>",
        );
        assert_eq!(t, "報告\n一行目 太字\n1. 甲\n2. 乙\n丙\n");
    }

    #[test]
    fn description_lists_rowspans_and_site_chrome() {
        // (page, text read)
        let cases = [
            (
                "<dl><dt>担当課</dt><dd>総務課</dd><dt>内容</dt><dd>一</dd><dd>二</dd></dl>",
                "担当課\t総務課\n内容\t一\n二\n",
            ),
            (
                "<dl><div><dt>評価</dt><dd>Ａ</dd></div><dd>注記</dd></dl>",
                "評価\tＡ\n注記\n",
            ),
            (
                "<table><tr><th>課</th><th>番号</th><th>取組</th></tr>\
                 <tr><td rowspan=2>課</td><td>1</td><td>甲</td></tr>\
                 <tr><td>2</td><td>乙</td></tr></table>",
                "課\t番号\t取組\n課\t1\t甲\n課\t2\t乙\n",
            ),
            (
                "<table><tr><th>番号</th><th>内容</th></tr>\
                 <tr><td rowspan=2>1</td><td>一</td></tr><tr><td>二</td></tr></table>",
                "番号\t内容\n1\t一\n\t二\n",
            ),
            (
                "<body><nav>トップ &gt; 行政</nav><h1>報告</h1><div role=navigation>目次</div>\
                 <article><p>本文</p><footer>担当：総務課</footer></article>\
                 <footer>お問い合わせ</footer></body>",
                "報告\n本文\n担当：総務課\n",
            ),
            (
                "<body><header><p>架空市公式サイト</p></header><main><h1>報告</h1>\
                 <article><header><p>更新日</p></header></article></main></body>",
                "報告\n更新日\n",
            ),
            (
                "<body><header><h1>報告</h1></header><p>本文</p></body>",
                "報告\n本文\n",
            ),
        ];
        for (page, want) in cases {
            assert_eq!(text(page), want, "{page}");
        }
    }

    #[test]
    fn shift_jis_declared() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<html><meta charset=\"Shift_JIS\"><p>行財政改革</p></html>");
        let d = ingest(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.to_text(), "行財政改革\n");
        assert_eq!(d.encoding.as_deref(), Some("Shift_JIS"));
    }
}
