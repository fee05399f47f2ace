//! The output contract: `gyokaku/report/v2`.
//!
//! These types are serialised as the JSON document and read back by tests; the JSON Schema in
//! `schemas/report.schema.json` is generated from them (`gyokaku schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identifier of the document schema written into every report.
pub const REPORT_SCHEMA: &str = "gyokaku/report/v2";

/// One parsed report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always `gyokaku/report/v2`.
    pub schema: String,
    /// Version of gyokaku that wrote the document.
    pub generator: String,
    pub source: SourceInfo,
    /// Id of the layout profile used (`card`, `table`, a loaded profile's id), or `inferred`.
    pub layout: String,
    /// How much of the document the layout accounts for, 0–1 (content lines placed in items or
    /// recognised as front matter, page furniture or legends).
    pub layout_confidence: Option<f64>,
    /// Title of the report as printed on its first page.
    pub title: Option<String>,
    /// Municipality, best effort from the text (null when unsure) or from `--municipality`.
    pub municipality: Option<String>,
    /// Western fiscal year the report covers (`R3期末報告` → 2021, `令和2年度` → 2020).
    pub fiscal_year: Option<i32>,
    /// Sections (重点項目, 基本方針 bands, headings) the items are grouped under, in order.
    pub sections: Vec<Section>,
    /// The report's own rating legend (`◎：達成 ○：概ね達成 …`), best first; null without one.
    pub rating_scale: Option<Vec<RatingLevel>>,
    /// The status summary the report declares about itself, if it has one.
    pub declared_status_counts: Option<Vec<StatusCount>>,
    pub items: Vec<Item>,
    /// Report-level total rows (合計), shaped like targets; empty when the report has none.
    pub totals: Vec<Target>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One level of the report's rating legend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingLevel {
    /// The rating as printed (`◎`, `A`, `順調に達成`).
    pub text: String,
    /// What the legend says it means.
    pub meaning: String,
    /// Position in the scale, 1 = best.
    pub rank: u32,
    /// Normalised category, when the meaning allows one (see [`Rating::code`]).
    pub code: Option<String>,
}

/// An item's rating as printed, with the legend's meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// As printed (`S`, `◎`, `順調`, `部分実施`).
    pub text: String,
    /// From the report's legend, null when the legend does not list the text.
    pub meaning: Option<String>,
    /// Position within the report's scale, 1 = best; null without a legend entry.
    pub rank: Option<u32>,
    /// Normalised category: one of `ahead`, `achieved`, `completed`, `mostly_achieved`, `on_track`,
    /// `partly_achieved`, `slightly_behind`, `behind`, `not_started`, `in_progress`, `under_study`,
    /// `changed`, `discontinued`; null when neither the text nor its meaning says.
    pub code: Option<String>,
    /// Where this was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
}

/// One labelled cell, labelled paragraph or column of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldText {
    /// The label as printed (without 【】).
    pub label: String,
    /// The text, line breaks between cell lines, paragraphs and sub-rows as `\n`.
    pub text: String,
    /// What the lexicon says the label means (`plan`, `activities`, `next_steps`, `rating`, …),
    /// or null when the label is not in it.
    pub role: Option<String>,
    pub source: Provenance,
}

/// Where the document came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Path as given on the command line (`-` for stdin).
    pub path: String,
    /// SHA-256 of the input bytes, lowercase hex.
    pub sha256: String,
    /// `text/plain` or `application/pdf`.
    pub media_type: String,
    /// Detected or forced text encoding (`UTF-8`, `Shift_JIS`, `UTF-16LE`, …); null for PDF.
    pub encoding: Option<String>,
    /// Number of pages for PDF input; null for text.
    pub pages: Option<u32>,
    /// PDF pages read by OCR (scans with no text layer), in page order; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_pages: Vec<OcrPageInfo>,
}

/// A PDF page read by OCR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OcrPageInfo {
    /// 1-based page.
    pub page: u32,
    /// Words recognised.
    pub words: u32,
    /// Mean word confidence reported by the OCR engine, 0–100 (weighted by characters).
    pub mean_confidence: f32,
}

/// A section (重点項目, 基本方針 band, heading).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The section's number as printed (`1`, `Ⅱ`, `(2)`), or null.
    pub id: Option<String>,
    /// The number as an integer when it is one.
    pub number: Option<u32>,
    /// Title without the number.
    pub title: String,
    /// The whole heading as printed (`基本方針１ 効率的な行政運営の推進`).
    pub text: String,
    /// Nesting level, 1 = outermost.
    pub level: u32,
}

/// One row of the report's own status summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusCount {
    pub status: String,
    pub code: StatusCode,
    pub count: u32,
}

/// Normalised progress status.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StatusCode {
    /// 達成
    Achieved,
    /// 順調
    OnTrack,
    /// やや遅れている
    SlightlyBehind,
    /// 遅れている
    Behind,
    /// 未着手
    NotStarted,
    /// 完了
    Completed,
    /// 計画以上, 目標を上回った
    Ahead,
    /// 概ね達成, おおむね順調
    MostlyAchieved,
    /// 一部達成
    PartlyAchieved,
    /// 実施中, 継続
    InProgress,
    /// 検討中
    UnderStudy,
    /// 見直し, 計画変更
    Changed,
    /// 中止, 休止
    Discontinued,
    /// Anything else; the text is kept.
    Other,
}

impl StatusCode {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusCode::Achieved => "achieved",
            StatusCode::OnTrack => "on_track",
            StatusCode::SlightlyBehind => "slightly_behind",
            StatusCode::Behind => "behind",
            StatusCode::NotStarted => "not_started",
            StatusCode::Completed => "completed",
            StatusCode::Ahead => "ahead",
            StatusCode::MostlyAchieved => "mostly_achieved",
            StatusCode::PartlyAchieved => "partly_achieved",
            StatusCode::InProgress => "in_progress",
            StatusCode::UnderStudy => "under_study",
            StatusCode::Changed => "changed",
            StatusCode::Discontinued => "discontinued",
            StatusCode::Other => "other",
        }
    }
}

/// One record: 改革項目, 取組項目, table row, nested 具体的な取組 …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item's number exactly as printed (`R2-1`, `1-(1)-①`, `①`, `(3)`, `ア`, `5-2`, `11`).
    pub id: String,
    /// The id as an integer when it is a plain number.
    pub number: Option<u32>,
    /// Id of the enclosing item for nested items, else null.
    pub parent: Option<String>,
    /// Title without the id, the 新規 flag and a department written inside it.
    pub title: String,
    /// True when the title carried the 新規 (new) flag, or the item's 区分 cell was 新規.
    pub is_new: bool,
    /// The section text as printed; nested levels joined with ` › `.
    pub section: Option<String>,
    /// The innermost section's id as printed (`1`, `Ⅱ`), or null.
    pub section_id: Option<String>,
    /// 担当課 as written, without the lead department in parentheses.
    pub department: Option<String>,
    /// The lead department given in parentheses (`全庁 (市民課)` → `市民課`).
    pub lead_department: Option<String>,
    /// The item's rating (status, grade or mark) with the legend's meaning.
    pub rating: Option<Rating>,
    /// Every labelled cell, paragraph or column of the item, in document order.
    pub fields: Vec<FieldText>,
    /// Marked findings (○ achievement, ▲ problem …) and stamps such as 目標未達成.
    pub findings: Vec<Finding>,
    /// 現状: one entry per bullet.
    pub current_state: Vec<String>,
    /// Where each `current_state` entry was read, in the same order (see [`Provenance`]); absent
    /// when none could be placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub current_state_sources: Vec<Option<Provenance>>,
    /// 実施内容・効果 / 取組内容: one entry per bullet.
    pub plan: Vec<String>,
    /// Where each `plan` entry was read, in the same order (see [`Provenance`]); absent when none
    /// could be placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan_sources: Vec<Option<Provenance>>,
    /// 数値目標.
    pub targets: Vec<Target>,
    /// 取組の工程: one entry per fiscal-year column.
    pub schedule: Vec<ScheduleEntry>,
    /// Progress reports (one per reported fiscal year).
    pub progress: Vec<Progress>,
    pub source: Provenance,
}

/// One numeric target (数値目標 / 目標指標 row group) or total row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Indicator name without a bracketed unit.
    pub name: String,
    /// Unit as printed (千円, 人, ％); from a unit column, the name's bracket or the values.
    pub unit: Option<String>,
    /// Every value of the indicator, in document order.
    pub values: Vec<TargetValue>,
}

impl Target {
    /// The first value of a kind.
    pub fn value(&self, kind: ValueKind) -> Option<&TargetValue> {
        self.values.iter().find(|v| v.kind == kind)
    }
    /// The first baseline value (現状値, 実績 before the plan period).
    pub fn baseline(&self) -> Option<&TargetValue> {
        self.value(ValueKind::Baseline)
    }
    /// The first goal value (目標値).
    pub fn goal(&self) -> Option<&TargetValue> {
        self.value(ValueKind::Goal)
    }
}

/// What a target value is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// 現状値, 基準値.
    Baseline,
    /// 目標値.
    Goal,
    /// 計画額, 計画値.
    Plan,
    /// 実績額, 実績値.
    Actual,
    /// 達成率, 進捗率 (a percentage whatever the target's unit).
    Rate,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Baseline => "baseline",
            ValueKind::Goal => "goal",
            ValueKind::Plan => "plan",
            ValueKind::Actual => "actual",
            ValueKind::Rate => "rate",
        }
    }
}

/// One value of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetValue {
    pub kind: ValueKind,
    /// Column or row label as written (`実績（R2）`, `令和2年度 › 計画額`).
    pub label: String,
    /// Western fiscal year from the label (`R2` → 2020), null when unreadable.
    pub fiscal_year: Option<i32>,
    /// Cell text as written (`949,451,676 (R2.6.1現在)`); null when the cell is a dash.
    pub text: Option<String>,
    /// The quantity when the text holds exactly one number, else null.
    pub number: Option<f64>,
    /// Where this was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
}

/// One fiscal-year column of 取組の工程.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEntry {
    pub fiscal_year: Option<i32>,
    /// Column label as written (`令和2年度`).
    pub label: String,
    /// Cell text as written (normalised), empty when the cell is empty.
    pub text: String,
    /// ■ entries.
    pub milestones: Vec<String>,
    /// True when the cell carries → continuation arrows.
    pub continues: bool,
    /// Other text in the cell (parenthesised notes between arrows, …).
    pub notes: Vec<String>,
    /// Where this was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
}

/// One progress block (`<R3期末報告>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub fiscal_year: Option<i32>,
    /// R3目標.
    pub goal: Option<String>,
    /// Where `goal` was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_source: Option<Provenance>,
    /// R3進捗状況.
    pub status: Option<Status>,
    /// R3取組内容: one entry per bullet.
    pub activities: Vec<String>,
    /// Where each `activities` entry was read, in the same order; absent when none could be
    /// placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities_sources: Vec<Option<Provenance>>,
    /// Findings (達成状況について・課題, これまでの取組状況と今後の見通し).
    pub findings: Vec<Finding>,
    /// 次年度に向けて: one entry per bullet.
    pub next_steps: Vec<String>,
    /// Where each `next_steps` entry was read, in the same order; absent when none could be
    /// placed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_steps_sources: Vec<Option<Provenance>>,
}

/// A progress status as written and as a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub text: String,
    pub code: StatusCode,
    /// Where this was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
}

/// One marked finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The mark as written (○ ▲ ・ …); null for an unmarked paragraph that starts a list.
    pub mark: Option<String>,
    pub kind: FindingKind,
    /// Text without the mark.
    pub text: String,
    /// Where this was read (see [`Provenance`]); absent when it could not be placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Provenance>,
}

/// What a finding mark means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Achievement,
    Issue,
    Note,
}

/// Where a record, field or value is in the input.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// 1-based page number (PDF input); null for text.
    pub page: Option<u32>,
    /// 1-based line in the input text (for PDF: in the text `gyokaku text` prints).
    pub line: u32,
    /// PDF only: the box around the glyphs, `[x0, y0, x1, y1]` in PDF points, origin at the
    /// top-left corner of the page (as displayed, after `/Rotate`), y growing downward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// Structured originals: the cell or block (`報告!C7` for a spreadsheet, `t2.r3.c1` or `p12`
    /// for Word, `t1.r3` or `p4` for HTML, `line 7` for CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Provenance {
    /// A place given by page and line only.
    pub fn at(page: Option<u32>, line: u32) -> Self {
        Provenance {
            page,
            line,
            bbox: None,
            cell: None,
        }
    }
}

/// Something the parser noticed and could not (fully) resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case code (`unassigned-text`, `status-count-mismatch`, …).
    pub code: String,
    pub message: String,
    /// Id of the item concerned, if any.
    pub item: Option<String>,
    /// 1-based input line, if any.
    pub line: Option<u32>,
    /// 1-based page, if any.
    pub page: Option<u32>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A diagnostic of severity `error` says that damage in the input cost content (bytes replaced,
/// a stream, an object or a page lost): the report is partial, and the CLI exits with
/// [`PARTIAL_EXIT`].
pub const PARTIAL_EXIT: u8 = 3;

impl Report {
    /// Whether damage in the input cost content (any diagnostic of severity `error`).
    pub fn is_partial(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            item: None,
            line: None,
            page: None,
        }
    }
    pub fn at(mut self, line: Option<u32>, page: Option<u32>) -> Self {
        self.line = line;
        self.page = page;
        self
    }
    pub fn item<S: ToString>(mut self, item: Option<S>) -> Self {
        self.item = item.map(|s| s.to_string());
        self
    }
}
