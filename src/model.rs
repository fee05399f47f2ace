//! The output contract: `gyokaku/report/v1`.
//!
//! These types are serialised as the JSON document and read back by tests; the JSON Schema in
//! `schemas/report.schema.json` is generated from them (`gyokaku schema`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identifier of the document schema written into every report.
pub const REPORT_SCHEMA: &str = "gyokaku/report/v1";

/// One parsed report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always `gyokaku/report/v1`.
    pub schema: String,
    /// Version of gyokaku that wrote the document.
    pub generator: String,
    pub source: SourceInfo,
    /// Id of the layout profile used (`card`, `table`, or a custom profile's id).
    pub layout: String,
    /// Title of the report as printed on its first page.
    pub title: Option<String>,
    /// Municipality, best effort from the text (null when unsure) or from `--municipality`.
    pub municipality: Option<String>,
    /// Western fiscal year the report covers (`R3期末報告` → 2021, `令和2年度` → 2020).
    pub fiscal_year: Option<i32>,
    /// 重点項目: the sections items are grouped under.
    pub sections: Vec<Section>,
    /// The status summary the report declares about itself, if it has one.
    pub declared_status_counts: Option<Vec<StatusCount>>,
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
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
}

/// A 重点項目.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub number: u32,
    pub title: String,
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
            StatusCode::Other => "other",
        }
    }
}

/// One 改革項目 / table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub number: u32,
    /// Title without the 新規 flag.
    pub title: String,
    /// True when the title carried the 新規 (new) flag.
    pub is_new: bool,
    /// 重点項目 number, or null.
    pub section: Option<u32>,
    /// 担当課 as written, without the lead department in parentheses.
    pub department: Option<String>,
    /// The lead department given in parentheses (`全庁 (市民課)` → `市民課`).
    pub lead_department: Option<String>,
    /// 現状: one entry per bullet.
    pub current_state: Vec<String>,
    /// 実施内容・効果 / 取組内容: one entry per bullet.
    pub plan: Vec<String>,
    /// 数値目標.
    pub targets: Vec<Target>,
    /// 取組の工程: one entry per fiscal-year column.
    pub schedule: Vec<ScheduleEntry>,
    /// Progress reports (one per reported fiscal year).
    pub progress: Vec<Progress>,
    pub source: Provenance,
}

/// One numeric target (数値目標 row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// 目標名.
    pub name: String,
    /// 単位, null when the report gives `—`.
    pub unit: Option<String>,
    /// The 実績 column.
    pub baseline: Option<TargetValue>,
    /// The 目標 column.
    pub goal: Option<TargetValue>,
}

/// A value in a target column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetValue {
    /// Column label as written (`実績（R2）`).
    pub label: String,
    /// Western fiscal year from the label (`R2` → 2020), null when unreadable.
    pub fiscal_year: Option<i32>,
    /// Cell text as written (`949,451,676 (R2.6.1現在)`); null when the cell is a dash.
    pub text: Option<String>,
    /// The quantity when the text holds exactly one number, else null.
    pub number: Option<f64>,
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
}

/// One progress block (`<R3期末報告>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub fiscal_year: Option<i32>,
    /// R3目標.
    pub goal: Option<String>,
    /// R3進捗状況.
    pub status: Option<Status>,
    /// R3取組内容: one entry per bullet.
    pub activities: Vec<String>,
    /// Findings (達成状況について・課題, これまでの取組状況と今後の見通し).
    pub findings: Vec<Finding>,
    /// 次年度に向けて: one entry per bullet.
    pub next_steps: Vec<String>,
}

/// A progress status as written and as a code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub text: String,
    pub code: StatusCode,
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
}

/// What a finding mark means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Achievement,
    Issue,
    Note,
}

/// Where a record starts in the input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// 1-based page number (PDF input); null for text.
    pub page: Option<u32>,
    /// 1-based line in the input text (for PDF: in the text `gyokaku text` prints).
    pub line: u32,
}

/// Something the parser noticed and could not (fully) resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case code (`unassigned-text`, `status-count-mismatch`, …).
    pub code: String,
    pub message: String,
    /// Number of the item concerned, if any.
    pub item: Option<u32>,
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
    pub fn item(mut self, item: Option<u32>) -> Self {
        self.item = item;
        self
    }
}
