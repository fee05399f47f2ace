//! Flat outputs for other systems: JSON Lines (one line per item) and CSV tables.
//!
//! - [`ItemLine`]: one line of `items.jsonl` (`gyokaku/item-line/v2`): the item plus its document's
//!   municipality, fiscal year, title, layout and source path. Its JSON Schema is
//!   `schemas/item-line.schema.json` ([`item_line_schema`]).
//! - [`CsvTables`]: `items.csv`, `progress.csv`, `targets.csv` (one row per value; a target without
//!   values keeps one row with empty value columns), `findings.csv`, `schedule.csv`, `fields.csv`,
//!   joinable on (`file`, `item_index`); `item` is the id as printed. One value per cell, units in
//!   their own column, Western years, numbers as plain numbers, lists of bullets as one text with a
//!   line break between bullets.
//!   UTF-8 with BOM (Excel) or CP932, which refuses a character it cannot encode and names the cell
//!   (JIS forms with a CP932 twin, like `—` U+2014, are written as the twin's code: [`CP932_VARIANTS`]).

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Item, Report};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write;

/// Identifier written into every JSONL line.
pub const ITEM_LINE_SCHEMA: &str = "gyokaku/item-line/v2";

/// One line of `items.jsonl`: an item with the document fields needed to use it on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "gyokaku item line",
    description = "One line of items.jsonl (gyokaku/item-line/v2)"
)]
pub struct ItemLine<'a> {
    /// Always `gyokaku/item-line/v2`.
    #[schemars(extend("const" = "gyokaku/item-line/v2"))]
    pub schema: Cow<'a, str>,
    /// The document's municipality (null when unsure).
    pub municipality: Option<Cow<'a, str>>,
    /// The document's Western fiscal year.
    pub fiscal_year: Option<i32>,
    /// The document's title.
    pub title: Option<Cow<'a, str>>,
    /// Id of the layout profile the document was read with.
    pub layout: Cow<'a, str>,
    /// The document's `source.path` (also the `file` column of the CSV tables).
    pub source_path: Cow<'a, str>,
    /// 1-based position of the item in its document (the `item_index` column of the CSV tables):
    /// with `source_path` a key even when a report repeats an item number.
    pub item_index: u32,
    /// The item, exactly as in the report.
    pub item: Cow<'a, Item>,
}

impl<'a> ItemLine<'a> {
    /// The line for one item of a report (borrowing).
    pub fn new(report: &'a Report, item_index: u32, item: &'a Item) -> Self {
        ItemLine {
            schema: Cow::Borrowed(ITEM_LINE_SCHEMA),
            municipality: report.municipality.as_deref().map(Cow::Borrowed),
            fiscal_year: report.fiscal_year,
            title: report.title.as_deref().map(Cow::Borrowed),
            layout: Cow::Borrowed(&report.layout),
            source_path: Cow::Borrowed(&report.source.path),
            item_index,
            item: Cow::Borrowed(item),
        }
    }
}

/// JSON Schema (2020-12) of one `items.jsonl` line, pretty, with a trailing newline.
pub fn item_line_schema() -> String {
    let mut s =
        serde_json::to_string_pretty(&schemars::schema_for!(ItemLine<'static>)).unwrap_or_default();
    s.push('\n');
    s
}

/// Write one JSONL line per item of `report`; returns the number of lines.
pub fn write_item_lines<W: Write>(w: &mut W, report: &Report) -> std::io::Result<usize> {
    write_item_lines_from(w, report, 0)
}

/// As [`write_item_lines`], for a report holding a run of its items of which the first is at
/// 0-based position `first` in the whole report.
pub fn write_item_lines_from<W: Write>(
    w: &mut W,
    report: &Report,
    first: usize,
) -> std::io::Result<usize> {
    for (pos, item) in report.items.iter().enumerate() {
        let index = u32::try_from(first + pos + 1).unwrap_or(u32::MAX);
        serde_json::to_writer(&mut *w, &ItemLine::new(report, index, item))?;
        w.write_all(b"\n")?;
    }
    Ok(report.items.len())
}

/// Character encoding of the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 with a byte order mark, so Excel detects it.
    #[default]
    Utf8Bom,
    /// Windows-31J / CP932 (Shift_JIS as Windows writes it), for older Excel.
    Cp932,
}

impl CsvEncoding {
    /// From a command-line label.
    pub fn from_label(label: &str) -> Option<CsvEncoding> {
        match label.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" | "utf-8-bom" | "utf-8-sig" => Some(CsvEncoding::Utf8Bom),
            "cp932" | "ms932" | "windows-31j" | "shift-jis" | "sjis" | "windows-932" => {
                Some(CsvEncoding::Cp932)
            }
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "utf-8",
            CsvEncoding::Cp932 => "cp932",
        }
    }
}

/// The CSV tables, in the order they are opened.
pub const TABLES: [&str; 6] = [
    "items.csv",
    "progress.csv",
    "targets.csv",
    "findings.csv",
    "schedule.csv",
    "fields.csv",
];

pub mod columns;

pub use columns::{report_rows, report_rows_from, Cell, Column, ColumnType, TableDef, TABLE_DEFS};

fn header(table: usize) -> &'static [Column] {
    TABLE_DEFS.get(table).map_or(&[], |t| t.columns)
}

/// A number as CSV text: integers without a decimal point, others in shortest round-trip form.
pub fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else if n.is_finite() {
        format!("{n}")
    } else {
        String::new()
    }
}

/// Characters that JIS X 0208 text (and Unicode's JIS mapping) writes differently from CP932's
/// mapping of the same Shift_JIS code: each is written as the CP932 code of the same character
/// (`—` U+2014 → 0x815C, which CP932 reads back as `―` U+2015). Also the separator gyokaku itself
/// writes between header and section levels (`令和2年度 › 計画`), which CP932 lacks: written as `>`.
pub const CP932_VARIANTS: [(char, char); 8] = [
    ('\u{203A}', '>'), // SINGLE RIGHT-POINTING ANGLE QUOTATION MARK (gyokaku's level separator)
    ('\u{2014}', '\u{2015}'), // EM DASH → HORIZONTAL BAR
    ('\u{301C}', '\u{FF5E}'), // WAVE DASH → FULLWIDTH TILDE
    ('\u{2016}', '\u{2225}'), // DOUBLE VERTICAL LINE → PARALLEL TO
    ('\u{00A2}', '\u{FFE0}'), // CENT SIGN → FULLWIDTH CENT SIGN
    ('\u{00A3}', '\u{FFE1}'), // POUND SIGN → FULLWIDTH POUND SIGN
    ('\u{00AC}', '\u{FFE2}'), // NOT SIGN → FULLWIDTH NOT SIGN
    ('\u{00A6}', '\u{FFE4}'), // BROKEN BAR → FULLWIDTH BROKEN BAR
];

fn cp932_variant(c: char) -> char {
    CP932_VARIANTS
        .iter()
        .find(|(from, _)| *from == c)
        .map_or(c, |(_, to)| *to)
}

/// Encode one cell for CP932, or say exactly which character cannot be encoded.
fn encode_cp932(cell: &str) -> std::result::Result<Cow<'_, [u8]>, char> {
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(cell);
    if !had_errors {
        return Ok(bytes);
    }
    let mapped: String = cell.chars().map(cp932_variant).collect();
    let (bytes, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&mapped);
    if !had_errors {
        return Ok(Cow::Owned(bytes.into_owned()));
    }
    let mut buf = [0u8; 4];
    for c in cell.chars() {
        if encoding_rs::SHIFT_JIS
            .encode(cp932_variant(c).encode_utf8(&mut buf))
            .2
        {
            return Err(c);
        }
    }
    // The whole cell failed but no single character did: cannot happen for a stateless encoder.
    Err(char::REPLACEMENT_CHARACTER)
}

struct Table<W: Write> {
    name: &'static str,
    header: &'static [Column],
    writer: csv::Writer<W>,
    /// Rows written, header included (so the next row's number is `rows + 1`, as Excel counts).
    rows: u64,
}

/// The CSV tables, written row by row as reports arrive.
pub struct CsvTables<W: Write> {
    encoding: CsvEncoding,
    tables: Vec<Table<W>>,
}

impl<W: Write> CsvTables<W> {
    /// Open the tables: `open(name)` gives the sink for each of [`TABLES`]. Writes the BOM (UTF-8) and
    /// the header rows.
    pub fn new(
        encoding: CsvEncoding,
        mut open: impl FnMut(&'static str) -> std::io::Result<W>,
    ) -> Result<Self> {
        let mut tables = Vec::with_capacity(TABLES.len());
        for (i, name) in TABLES.iter().enumerate() {
            let mut sink = open(name).map_err(|e| output_err(name, e))?;
            if encoding == CsvEncoding::Utf8Bom {
                sink.write_all("\u{feff}".as_bytes())
                    .map_err(|e| output_err(name, e))?;
            }
            let writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(sink);
            let mut t = Table {
                name,
                header: header(i),
                writer,
                rows: 0,
            };
            t.writer
                .write_record(t.header.iter().map(|c| c.name))
                .map_err(|e| output_err(name, e))?;
            t.rows = 1;
            tables.push(t);
        }
        Ok(CsvTables { encoding, tables })
    }

    fn row(&mut self, table: usize, report: &Report, typed: &[Cell<'_>]) -> Result<()> {
        let cells: Vec<Cow<'_, str>> = typed.iter().map(Cell::csv_text).collect();
        let item = cells.get(1).map(|c| c.as_ref());
        let encoding = self.encoding;
        let Some(t) = self.tables.get_mut(table) else {
            return Err(Error::new(
                ErrorKind::Internal,
                format!("no CSV table #{table}"),
            ));
        };
        let row_no = t.rows + 1;
        let result = match encoding {
            CsvEncoding::Utf8Bom => t.writer.write_record(cells.iter().map(|c| c.as_bytes())),
            CsvEncoding::Cp932 => {
                let mut encoded = Vec::with_capacity(cells.len());
                for (col, cell) in cells.iter().enumerate() {
                    match encode_cp932(cell) {
                        Ok(b) => encoded.push(b),
                        Err(c) => {
                            let column = t.header.get(col).map_or("?", |c| c.name);
                            let item = item.map(|n| format!(", item {n}")).unwrap_or_default();
                            return Err(Error::new(
                                ErrorKind::Output,
                                format!(
                                    "{} row {row_no}, column {column}{item}: character '{c}' (U+{:04X}) cannot be \
                                     encoded in cp932; use --csv-encoding utf-8",
                                    t.name, c as u32
                                ),
                            )
                            .in_file(&report.source.path));
                        }
                    }
                }
                t.writer.write_record(encoded.iter().map(|b| b.as_ref()))
            }
        };
        result.map_err(|e| output_err(t.name, e))?;
        t.rows += 1;
        Ok(())
    }

    /// Write every row one report contributes.
    pub fn write_report(&mut self, report: &Report) -> Result<()> {
        self.write_report_from(report, 0)
    }

    /// Write the rows of a run of a report's items, the first at 0-based position `first`.
    pub fn write_report_from(&mut self, report: &Report, first: usize) -> Result<()> {
        report_rows_from(report, first, |table, cells| self.row(table, report, cells))
    }

    /// Rows written per table (header excluded), in [`TABLES`] order.
    pub fn row_counts(&self) -> Vec<(&'static str, u64)> {
        self.tables
            .iter()
            .map(|t| (t.name, t.rows.saturating_sub(1)))
            .collect()
    }

    /// Flush and hand back the sinks, in [`TABLES`] order.
    pub fn finish(self) -> Result<Vec<W>> {
        let mut out = Vec::with_capacity(self.tables.len());
        for t in self.tables {
            let name = t.name;
            out.push(
                t.writer
                    .into_inner()
                    .map_err(|e| output_err(name, e.error()))?,
            );
        }
        Ok(out)
    }
}

fn output_err(name: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Output, format!("cannot write {name}: {e}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::*;

    fn tv(
        kind: ValueKind,
        label: &str,
        year: Option<i32>,
        text: Option<&str>,
        number: Option<f64>,
    ) -> TargetValue {
        TargetValue {
            kind,
            label: label.into(),
            fiscal_year: year,
            text: text.map(Into::into),
            number,
            source: None,
        }
    }

    pub(crate) fn sample_report() -> Report {
        let findings = vec![
            Finding {
                mark: Some("○".into()),
                kind: FindingKind::Achievement,
                text: "件数が増えた, 2割".into(),
                source: None,
            },
            Finding {
                mark: Some("▲".into()),
                kind: FindingKind::Issue,
                text: "高齢者の利用が\"少ない\"".into(),
                source: None,
            },
        ];
        Report {
            schema: REPORT_SCHEMA.into(),
            generator: "gyokaku test".into(),
            source: SourceInfo {
                path: "dir/sample.txt".into(),
                sha256: "00".repeat(32),
                media_type: "text/plain".into(),
                encoding: Some("UTF-8".into()),
                pages: None,
                ocr_pages: Vec::new(),
            },
            layout: "card".into(),
            layout_confidence: Some(1.0),
            title: Some("見本市 改革 R3期末報告".into()),
            municipality: Some("見本市".into()),
            fiscal_year: Some(2021),
            sections: vec![Section {
                id: Some("1".into()),
                number: Some(1),
                title: "効率的な行政運営".into(),
                text: "重点項目1 効率的な行政運営".into(),
                level: 1,
            }],
            rating_scale: Some(vec![RatingLevel {
                text: "順調".into(),
                meaning: "計画どおり進んでいる".into(),
                rank: 1,
                code: Some("on_track".into()),
            }]),
            declared_status_counts: None,
            items: vec![
                Item {
                    id: "1".into(),
                    number: Some(1),
                    parent: None,
                    title: "窓口の電子化".into(),
                    is_new: true,
                    section: Some("重点項目1 効率的な行政運営".into()),
                    section_id: Some("1".into()),
                    department: Some("全庁".into()),
                    lead_department: Some("市民課".into()),
                    rating: Some(Rating {
                        text: "順調".into(),
                        meaning: Some("計画どおり進んでいる".into()),
                        rank: Some(1),
                        code: Some("on_track".into()),
                        source: None,
                    }),
                    fields: vec![FieldText {
                        label: "現状".into(),
                        text: "紙の申請が多い\n待ち時間が長い".into(),
                        role: Some("current_state".into()),
                        source: Provenance {
                            page: None,
                            line: 14,
                            bbox: None,
                            cell: None,
                        },
                    }],
                    findings: findings.clone(),
                    current_state: vec!["紙の申請が多い".into(), "待ち時間が長い".into()],
                    plan: vec!["電子申請を広げる".into()],
                    current_state_sources: vec![],
                    plan_sources: vec![],
                    targets: vec![Target {
                        name: "電子申請の件数".into(),
                        unit: Some("件".into()),
                        values: vec![
                            tv(
                                ValueKind::Baseline,
                                "実績（R2）",
                                Some(2020),
                                Some("1,200 (R2.6.1現在)"),
                                Some(1200.0),
                            ),
                            tv(
                                ValueKind::Goal,
                                "目標（R7）",
                                Some(2025),
                                Some("2,500.5"),
                                Some(2500.5),
                            ),
                        ],
                    }],
                    schedule: vec![ScheduleEntry {
                        fiscal_year: Some(2021),
                        label: "令和3年度".into(),
                        text: "■導入 → (検証)".into(),
                        milestones: vec!["導入".into(), "周知".into()],
                        continues: true,
                        notes: vec!["検証".into()],
                        source: None,
                    }],
                    progress: vec![Progress {
                        fiscal_year: Some(2021),
                        goal: Some("申請の半分を電子化".into()),
                        goal_source: None,
                        activities_sources: vec![],
                        next_steps_sources: vec![],
                        status: Some(Status {
                            text: "順調".into(),
                            code: StatusCode::OnTrack,
                            source: None,
                        }),
                        activities: vec!["案内を配った".into()],
                        findings,
                        next_steps: vec![],
                    }],
                    source: Provenance {
                        page: None,
                        line: 12,
                        bbox: None,
                        cell: None,
                    },
                },
                Item {
                    id: "2".into(),
                    number: Some(2),
                    parent: None,
                    title: "①施設の見直し".into(),
                    is_new: false,
                    section: None,
                    section_id: None,
                    department: None,
                    lead_department: None,
                    rating: None,
                    fields: vec![],
                    findings: vec![],
                    current_state: vec![],
                    plan: vec![],
                    current_state_sources: vec![],
                    plan_sources: vec![],
                    targets: vec![Target {
                        name: "施設数".into(),
                        unit: None,
                        values: vec![],
                    }],
                    schedule: vec![],
                    progress: vec![],
                    source: Provenance {
                        page: Some(3),
                        line: 40,
                        bbox: None,
                        cell: None,
                    },
                },
                Item {
                    id: "2-(1)".into(),
                    number: None,
                    parent: Some("2".into()),
                    title: "公民館の統合".into(),
                    is_new: false,
                    section: None,
                    section_id: None,
                    department: None,
                    lead_department: None,
                    rating: Some(Rating {
                        text: "検討中".into(),
                        meaning: None,
                        rank: None,
                        code: Some("under_study".into()),
                        source: None,
                    }),
                    fields: vec![],
                    findings: vec![],
                    current_state: vec![],
                    plan: vec![],
                    current_state_sources: vec![],
                    plan_sources: vec![],
                    targets: vec![],
                    schedule: vec![],
                    progress: vec![],
                    source: Provenance {
                        page: Some(3),
                        line: 45,
                        bbox: None,
                        cell: None,
                    },
                },
            ],
            totals: vec![],
            diagnostics: vec![],
        }
    }

    fn names(table: usize) -> Vec<&'static str> {
        TABLE_DEFS[table].names().collect()
    }

    fn tables(report: &Report, enc: CsvEncoding) -> Result<Vec<Vec<u8>>> {
        let mut t = CsvTables::new(enc, |_| Ok(Vec::new()))?;
        t.write_report(report)?;
        t.finish()
    }

    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes)
            .unwrap()
            .strip_prefix('\u{feff}')
            .unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        r.records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn number_text_cases() {
        let cases = [
            (1200.0, "1200"),
            (2500.5, "2500.5"),
            (-3.0, "-3"),
            (0.1, "0.1"),
            (949451676.0, "949451676"),
            (f64::NAN, ""),
        ];
        for (n, want) in cases {
            assert_eq!(number_text(n), want, "{n}");
        }
    }

    #[test]
    fn csv_encoding_labels() {
        let cases = [
            ("utf-8", Some(CsvEncoding::Utf8Bom)),
            ("UTF8", Some(CsvEncoding::Utf8Bom)),
            ("cp932", Some(CsvEncoding::Cp932)),
            ("Shift_JIS", Some(CsvEncoding::Cp932)),
            ("windows-31j", Some(CsvEncoding::Cp932)),
            ("latin1", None),
        ];
        for (label, want) in cases {
            assert_eq!(CsvEncoding::from_label(label), want, "{label}");
        }
    }

    #[test]
    fn utf8_tables_have_bom_header_and_rows() {
        let out = tables(&sample_report(), CsvEncoding::Utf8Bom).unwrap();
        assert_eq!(out.len(), 6);
        for (bytes, name) in out.iter().zip(TABLES) {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} lacks BOM");
            assert!(bytes.ends_with(b"\r\n"), "{name} lacks CRLF");
        }
        let items = read(&out[0]);
        assert_eq!(items[0], names(0));
        assert_eq!(items.len(), 4);
        assert_eq!(
            items[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "",
                "見本市",
                "2021",
                "見本市 改革 R3期末報告",
                "card",
                "1",
                "重点項目1 効率的な行政運営",
                "窓口の電子化",
                "true",
                "全庁",
                "市民課",
                "紙の申請が多い\n待ち時間が長い",
                "電子申請を広げる",
                "順調",
                "計画どおり進んでいる",
                "1",
                "on_track",
                "",
                "12"
            ]
        );
        let col = |name: &str| names(0).iter().position(|h| *h == name).unwrap();
        assert_eq!(items[2][col("item")], "2");
        assert_eq!(items[2][col("section_id")], "", "no section → empty cell");
        assert_eq!(items[2][col("section")], "", "no section → empty cell");
        assert_eq!(items[2][col("rating")], "", "no rating → empty cell");
        assert_eq!(items[2][col("page")], "3", "page");
        // A nested item: the id as printed, no number, the parent's id.
        assert_eq!(items[3][col("item")], "2-(1)");
        assert_eq!(items[3][col("item_index")], "3");
        assert_eq!(items[3][col("number")], "");
        assert_eq!(items[3][col("parent")], "2");
        assert_eq!(items[3][col("rating")], "検討中");
        assert_eq!(items[3][col("rating_meaning")], "");
        assert_eq!(items[3][col("rating_rank")], "");
        assert_eq!(items[3][col("rating_code")], "under_study");

        let progress = read(&out[1]);
        assert_eq!(progress[0], names(1));
        assert_eq!(progress.len(), 2);
        assert_eq!(
            progress[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "2021",
                "申請の半分を電子化",
                "順調",
                "on_track",
                "案内を配った",
                ""
            ]
        );

        // One row per value; a target without values keeps one row with empty value columns.
        let targets = read(&out[2]);
        assert_eq!(targets[0], names(2));
        assert_eq!(targets.len(), 4);
        assert_eq!(
            targets[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "電子申請の件数",
                "件",
                "1",
                "baseline",
                "2020",
                "実績（R2）",
                "1,200 (R2.6.1現在)",
                "1200"
            ]
        );
        assert_eq!(
            targets[2],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "電子申請の件数",
                "件",
                "2",
                "goal",
                "2025",
                "目標（R7）",
                "2,500.5",
                "2500.5"
            ]
        );
        assert_eq!(
            targets[3],
            [
                "dir/sample.txt",
                "2",
                "2",
                "1",
                "施設数",
                "",
                "",
                "",
                "",
                "",
                "",
                ""
            ]
        );

        let findings = read(&out[3]);
        assert_eq!(findings[0], names(3));
        assert_eq!(findings.len(), 3);
        assert_eq!(
            findings[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "○",
                "achievement",
                "件数が増えた, 2割"
            ]
        );
        assert_eq!(
            findings[2],
            [
                "dir/sample.txt",
                "1",
                "1",
                "2",
                "▲",
                "issue",
                "高齢者の利用が\"少ない\""
            ]
        );

        let schedule = read(&out[4]);
        assert_eq!(schedule[0], names(4));
        assert_eq!(schedule.len(), 2);
        assert_eq!(
            schedule[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "2021",
                "令和3年度",
                "■導入 → (検証)",
                "導入\n周知",
                "true",
                "検証"
            ]
        );

        let fields = read(&out[5]);
        assert_eq!(fields[0], names(5));
        assert_eq!(fields.len(), 2);
        assert_eq!(
            fields[1],
            [
                "dir/sample.txt",
                "1",
                "1",
                "1",
                "現状",
                "current_state",
                "紙の申請が多い\n待ち時間が長い",
                "",
                "14"
            ]
        );
    }

    #[test]
    fn cp932_tables_encode_without_bom() {
        let out = tables(&sample_report(), CsvEncoding::Cp932).unwrap();
        assert!(!out[0].starts_with(b"\xEF\xBB\xBF"));
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&out[0]);
        assert!(!bad);
        assert!(text.contains("窓口の電子化"));
        // ① is an NEC special character in CP932: 0x87 0x40.
        assert!(out[0].windows(2).any(|w| w == [0x87, 0x40]));
    }

    #[test]
    fn cp932_refuses_unencodable_and_names_the_cell() {
        let mut r = sample_report();
        r.items[1].title = "𠮟責の見直し".into();
        let err = tables(&r, CsvEncoding::Cp932).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Output);
        assert_eq!(
            err.to_string(),
            "dir/sample.txt: output: items.csv row 3, column title, item 2: character '𠮟' (U+20B9F) cannot be \
             encoded in cp932; use --csv-encoding utf-8"
        );
        // The same report is fine in UTF-8.
        assert!(tables(&r, CsvEncoding::Utf8Bom).is_ok());
    }

    #[test]
    fn cp932_cell_encoding_cases() {
        let cases: [(&str, std::result::Result<&[u8], char>); 8] = [
            ("abc", Ok(b"abc")),
            ("市", Ok(&[0x8E, 0x73])),
            ("—", Ok(&[0x81, 0x5C])),
            ("a〜b", Ok(&[0x61, 0x81, 0x60, 0x62])),
            (
                "‖¢£¬¦",
                Ok(&[0x81, 0x61, 0x81, 0x91, 0x81, 0x92, 0x81, 0xCA, 0xFA, 0x55]),
            ),
            ("—\u{2011}", Err('\u{2011}')),
            ("x\u{1F600}y", Err('\u{1F600}')),
            ("\u{20B9F}", Err('\u{20B9F}')),
        ];
        for (cell, want) in cases {
            let got = encode_cp932(cell);
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g.as_ref(), w, "{cell}"),
                (Err(g), Err(w)) => assert_eq!(g, w, "{cell}"),
                (g, w) => panic!("{cell}: got {g:?}, want {w:?}"),
            }
        }
    }

    #[test]
    fn item_lines_round_trip_and_carry_document_fields() {
        let r = sample_report();
        let mut out = Vec::new();
        assert_eq!(write_item_lines(&mut out, &r).unwrap(), 3);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        for (k, (line, item)) in lines.iter().zip(&r.items).enumerate() {
            let back: ItemLine<'static> = serde_json::from_str(line).unwrap();
            assert_eq!(back.item_index as usize, k + 1);
            assert_eq!(back.schema, ITEM_LINE_SCHEMA);
            assert_eq!(back.municipality.as_deref(), Some("見本市"));
            assert_eq!(back.fiscal_year, Some(2021));
            assert_eq!(back.title.as_deref(), Some("見本市 改革 R3期末報告"));
            assert_eq!(back.layout, "card");
            assert_eq!(back.source_path, "dir/sample.txt");
            assert_eq!(back.item.as_ref(), item);
        }
    }

    #[test]
    fn item_line_schema_has_const_and_item_definition() {
        let v: serde_json::Value = serde_json::from_str(&item_line_schema()).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(v["properties"]["schema"]["const"], ITEM_LINE_SCHEMA);
        assert!(v["$defs"]["Item"].is_object());
        let req: Vec<&str> = v["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        for f in ["schema", "layout", "source_path", "item"] {
            assert!(req.contains(&f), "{f} required");
        }
    }

    #[test]
    fn committed_item_line_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/item-line.schema.json");
        let want = item_line_schema();
        if std::env::var_os("GYOKAKU_UPDATE_SCHEMAS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "schemas/item-line.schema.json is stale: regenerate with `gyokaku schema --item-line > \
             schemas/item-line.schema.json` (or GYOKAKU_UPDATE_SCHEMAS=1 cargo test)"
        );
    }
}
