//! The lexicon: labels printed in reports (cell labels, column headers, `【label】` paragraphs) →
//! [`Role`]s; rating words → rating codes; finding marks → [`FindingKind`]s; known units.
//!
//! The words are data: `lexicon/default.toml` is embedded in the binary ([`Lexicon::builtin`]) and
//! a user's file of the same shape is parsed by [`Lexicon::from_toml`] and merged by
//! [`Lexicon::extend`]. This module only knows how a label is written around its word.
//!
//! # Label rules ([`Lexicon::classify`])
//!
//! A label is reduced to its *base* by these rules, in this order, then looked up.
//!
//! | rule | function | examples |
//! |---|---|---|
//! | character normalisation: full-width ASCII → ASCII, half-width kana → full-width, whitespace collapsed | [`crate::normalize::normalize_chars`] | `Ｎｏ．` → `No.`, `ＫＰＩ` → `KPI` |
//! | brackets dropped (their content kept): `【】［］[]〈〉<>《》〔〕≪≫` | [`strip_brackets`] | `【現状と課題】` → `現状と課題`, `<R3実績>` → `R3実績` |
//! | spaces removed | [`remove_spaces`] | `担 当 課` → `担当課` |
//! | trailing colons removed | [`strip_trailing_colons`] | `担当課：` → `担当課` |
//! | leading bullet marks removed | [`strip_leading_marks`] | `■現状` → `現状`, `◆課題` → `課題` |
//! | a trailing parenthesised group removed (a unit or a year; a year in it is kept as the label's year) | [`strip_paren_suffix`] | `効果額（千円）` → `効果額`, `目標値(R7)` → `目標値` + 2025 |
//! | a leading fiscal-year prefix removed and its year kept | [`strip_year_prefix`] | `令和4年度の取組状況` → `取組状況` + 2022, `R4計画` → `計画` + 2022, `H29実績` → `実績` + 2017, `2022年度実績` → `実績` + 2022, `(R3)実績` → `実績` + 2021 |
//!
//! The base is then matched, ASCII case ignored and a trailing `.` ignored ([`match_key`]):
//!
//! | match | `exact` | examples |
//! |---|---|---|
//! | the base is a listed label | true | `担当課`, `【現状と課題】`, `R4計画` (→ `計画`, 2022) |
//! | else the longest listed label that is a **suffix** of the base | false | `主な課題` → issues, `令和4年度の主な取組状況` → activities + 2022 |
//! | never a prefix or infix match | — | `評価理由` is remarks (listed), never rating; `評価方法` → None |
//!
//! A label may carry several roles (`取組項目` → record, title; `数値目標` → target, target name;
//! `目標` → target, goal value; `実績` → actual value, activities). They are listed in the order of
//! the `[[roles]]` tables of the lexicon file, so the caller picks the one its context allows.
//!
//! # Rating rules ([`Lexicon::rating_code`])
//!
//! | rule | examples |
//! |---|---|
//! | the legend meaning is searched first, then the printed text | `◎` with meaning `達成` → `achieved` |
//! | a rating word matches anywhere in the (normalised) text | `やや遅れている` → `slightly_behind` |
//! | the longest word found wins | `一部未達成` → `partly_achieved` (not `behind`), `未達成` → `behind` (not `achieved`) |
//! | on equal length, the word ending last wins (Japanese puts the predicate last) | `実施に向けて検討` → `under_study` |
//! | marks and letters have no code of their own | `A`, `◎`, `S` alone → None |
//!
//! # Merging ([`Lexicon::extend`])
//!
//! A user's file adds labels, rating words, marks and units. A label (or rating word, or mark) the
//! user's file lists takes the user's roles (code, kind) instead of the built-in ones, so a user can
//! both add synonyms and correct meanings.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::model::FindingKind;
use crate::normalize::{normalize, normalize_chars};
use crate::wareki;

/// The built-in lexicon file.
pub const BUILTIN_TOML: &str = include_str!("../../lexicon/default.toml");

/// [`BUILTIN_TOML`] as JSON, written by the build (`build.rs`).
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-default.json"));

/// What a label means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The record's id column or cell: 番号, No., 取組No., 項目番号, 整理番号.
    Id,
    /// A label printed before the id of every record: 改革項目, 取組項目, 実施項目, 重点取組.
    Record,
    /// The record's title: 取組項目, 項目名, 取組名, 事業名.
    Title,
    /// 担当課, 所管課, 担当部署.
    Department,
    /// The printed rating: 進捗状況, 達成度, 評価.
    Rating,
    /// A section heading word: 基本方針, 戦略, 重点項目.
    Section,
    /// A numeric-target block label: 数値目標, 成果指標, KPI, 目標.
    Target,
    /// The column holding the indicator name inside a target block: 指標, 指標名.
    TargetName,
    /// A column whose cells say the value kind: 区分, 種別.
    ValueKindColumn,
    /// 単位.
    Unit,
    /// A value column or cell: 現状値, 目標値, 計画額, 実績値, 達成率.
    Value(ValueKind),
    /// 取組の工程, スケジュール, 実施年度.
    Schedule,
    /// Ordinary labelled text.
    Field(Canonical),
}

/// Which value a value label holds (the output contract's kinds: 現状値 → baseline, 目標値 → goal,
/// 計画額 → plan, 実績値 → actual, 達成率 → rate).
pub use crate::model::ValueKind;

/// Which text field an ordinary label fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Canonical {
    /// 現状, 現況, 現状と課題.
    CurrentState,
    /// 取組内容, 実施内容, 取組の方向性.
    Plan,
    /// 取組実績, 取組状況, 実施状況.
    Activities,
    /// 課題, 問題点.
    Issues,
    /// 今後の方針, 次年度に向けて.
    NextSteps,
    /// 備考, 評価理由, 特記事項.
    Remarks,
    /// Known labels with no field of their own (その他, 効果額).
    Other,
}

/// Role keys as written in lexicon files (`role = "…"`).
const ROLE_KEYS: &[(&str, Role)] = &[
    ("id", Role::Id),
    ("record", Role::Record),
    ("title", Role::Title),
    ("department", Role::Department),
    ("rating", Role::Rating),
    ("section", Role::Section),
    ("target", Role::Target),
    ("target_name", Role::TargetName),
    ("value_kind_column", Role::ValueKindColumn),
    ("unit", Role::Unit),
    ("value.baseline", Role::Value(ValueKind::Baseline)),
    ("value.goal", Role::Value(ValueKind::Goal)),
    ("value.plan", Role::Value(ValueKind::Plan)),
    ("value.actual", Role::Value(ValueKind::Actual)),
    ("value.rate", Role::Value(ValueKind::Rate)),
    ("schedule", Role::Schedule),
    ("field.current_state", Role::Field(Canonical::CurrentState)),
    ("field.plan", Role::Field(Canonical::Plan)),
    ("field.activities", Role::Field(Canonical::Activities)),
    ("field.issues", Role::Field(Canonical::Issues)),
    ("field.next_steps", Role::Field(Canonical::NextSteps)),
    ("field.remarks", Role::Field(Canonical::Remarks)),
    ("field.other", Role::Field(Canonical::Other)),
];

/// Finding kinds as written in lexicon files (`kind = "…"`).
const KIND_KEYS: &[(&str, FindingKind)] = &[
    ("achievement", FindingKind::Achievement),
    ("issue", FindingKind::Issue),
    ("note", FindingKind::Note),
];

impl Role {
    /// The role's key in lexicon files (`value.goal`, `field.next_steps`, `department`).
    pub fn key(self) -> &'static str {
        ROLE_KEYS
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("", |(k, _)| k)
    }

    /// The role for a lexicon-file key, or None.
    pub fn from_key(key: &str) -> Option<Role> {
        ROLE_KEYS.iter().find(|(k, _)| *k == key).map(|(_, r)| *r)
    }
}

/// What [`Lexicon::classify`] found for a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMatch {
    /// The label's roles, in lexicon order (never empty).
    pub roles: Vec<Role>,
    /// The fiscal year written in the label (`令和4年度の取組状況` → 2022), if any.
    pub fiscal_year: Option<i32>,
    /// The label with brackets, marks, spaces, the year prefix and the bracketed suffix removed.
    pub base: String,
    /// True when the base is a listed label; false for a suffix match.
    pub exact: bool,
}

/// The lexicon file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    department_suffixes: Vec<String>,
    #[serde(default)]
    new_flags: Vec<String>,
    #[serde(default)]
    continued_marks: Vec<String>,
    #[serde(default)]
    derived_rows: Vec<String>,
    #[serde(default)]
    name_trailers: Vec<String>,
    #[serde(default)]
    roles: Vec<RoleSpec>,
    #[serde(default)]
    ratings: Vec<RatingSpec>,
    #[serde(default)]
    marks: Vec<MarkSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSpec {
    role: String,
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RatingSpec {
    code: String,
    #[serde(default)]
    words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkSpec {
    mark: String,
    kind: String,
}

/// Labels, rating words, finding marks and units (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Match key ([`match_key`]) → roles in lexicon order.
    labels: HashMap<String, Vec<Role>>,
    /// The label keys, longest first (ties in byte order), for suffix matching.
    labels_by_len: Vec<String>,
    /// Section words as listed (normalised), longest first, for [`Lexicon::is_section_prefix`].
    section_words: Vec<String>,
    /// Normalised rating word → code.
    ratings: HashMap<String, String>,
    /// Finding marks in file order.
    marks: Vec<(String, FindingKind)>,
    /// The one-character marks, and the range of characters they span (for a quick no).
    mark_chars: Vec<(char, FindingKind)>,
    mark_span: (char, char),
    /// Units, longest first.
    units: Vec<String>,
    /// Endings of department names (課, 室, 係 …), for a department cell without a label.
    department_suffixes: Vec<String>,
    /// Marks of a new item written beside its title (【新】, 新規 …).
    new_flags: Vec<String>,
    /// Marks closing a heading printed again over the rest of its table (（続き）, 続 …).
    continued_marks: Vec<String>,
    /// Labels of a target table's rows derived from its other rows (差引, 増減 …).
    derived_rows: Vec<String>,
    /// Words closing a table's heading that are no part of the quantity it names (の推移, 一覧 …),
    /// longest first.
    name_trailers: Vec<String>,
    /// Which contents these are: a new stamp at every change ([`Lexicon::reindex`]), so that
    /// classified labels are remembered per contents (a copy keeps its original's stamp).
    stamp: u64,
}

/// Words of a list as the lexicon compares them: normalised, none empty, longest first.
fn word_list(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words
        .iter()
        .map(|x| normalize_chars(x.trim()))
        .filter(|x| !x.is_empty())
        .collect();
    out.sort_by_key(|f| std::cmp::Reverse(f.len()));
    out.dedup();
    out
}

/// Labels up to this many bytes are remembered once classified: a report repeats its labels in
/// every item.
const REMEMBERED_LABEL_BYTES: usize = 64;

/// Labels remembered per thread, for the lexicon of one stamp at a time.
const REMEMBERED_LABELS: usize = 4096;

/// The labels [`Lexicon::classify`] remembers on this thread: the lexicon's stamp and each
/// label's match.
type Remembered = (u64, HashMap<String, Option<LabelMatch>>);

thread_local! {
    static REMEMBERED: std::cell::RefCell<Remembered> =
        std::cell::RefCell::new((0, HashMap::default()));
}

/// A stamp no lexicon has had yet.
fn next_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Lexicon {
    /// The built-in lexicon (`lexicon/default.toml`), parsed once.
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
        // The embedded file is tested to parse; an empty lexicon is the harmless fallback.
        // Read from the JSON the build writes of `lexicon/default.toml` (faster to parse).
        BUILTIN.get_or_init(|| {
            serde_json::from_str(BUILTIN_JSON)
                .ok()
                .and_then(|file| Lexicon::from_file("lexicon/default.toml", file).ok())
                .unwrap_or_default()
        })
    }

    /// Parse a lexicon file; `origin` names it in errors, which also name the bad key.
    pub fn from_toml(origin: &str, text: &str) -> Result<Lexicon> {
        let file: LexiconFile = toml::from_str(text).map_err(|e| {
            let mut err = Error::new(ErrorKind::Lexicon, e.message().replace('\n', " "));
            if let Some(span) = e.span() {
                let line = text
                    .get(..span.start)
                    .map_or(0, |t| t.matches('\n').count())
                    + 1;
                err = err.at_line(u32::try_from(line).unwrap_or(u32::MAX));
            }
            err.in_file(origin)
        })?;
        Lexicon::from_file(origin, file)
    }

    /// A lexicon file as parsed.
    fn from_file(origin: &str, file: LexiconFile) -> Result<Lexicon> {
        let bad = |msg: String| Error::new(ErrorKind::Lexicon, msg).in_file(origin);
        let mut lex = Lexicon::default();
        for (i, spec) in file.roles.iter().enumerate() {
            let role = Role::from_key(spec.role.trim()).ok_or_else(|| {
                let known: Vec<&str> = ROLE_KEYS.iter().map(|(k, _)| *k).collect();
                bad(format!(
                    "roles[{i}].role: unknown role {:?} (known: {})",
                    spec.role,
                    known.join(", ")
                ))
            })?;
            for (j, label) in spec.labels.iter().enumerate() {
                let key = match_key(&label_base(label).1);
                if key.is_empty() {
                    return Err(bad(format!(
                        "roles[{i}].labels[{j}]: empty label {label:?}"
                    )));
                }
                let roles = lex.labels.entry(key).or_default();
                if !roles.contains(&role) {
                    roles.push(role);
                }
                if role == Role::Section {
                    lex.section_words
                        .push(normalize_chars(label).replace(' ', ""));
                }
            }
        }
        for (i, spec) in file.ratings.iter().enumerate() {
            let code = spec.code.trim();
            if code.is_empty() {
                return Err(bad(format!("ratings[{i}].code: empty code")));
            }
            for (j, word) in spec.words.iter().enumerate() {
                let w = rating_key(word);
                if w.is_empty() {
                    return Err(bad(format!("ratings[{i}].words[{j}]: empty word")));
                }
                lex.ratings.insert(w, code.to_string());
            }
        }
        for (i, spec) in file.marks.iter().enumerate() {
            let kind = KIND_KEYS
                .iter()
                .find(|(k, _)| *k == spec.kind.trim())
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    bad(format!(
                        "marks[{i}].kind: unknown kind {:?} (known: achievement, issue, note)",
                        spec.kind
                    ))
                })?;
            let mark = spec.mark.trim();
            if mark.is_empty() {
                return Err(bad(format!("marks[{i}].mark: empty mark")));
            }
            lex.set_mark(mark, kind);
        }
        lex.department_suffixes = file
            .department_suffixes
            .iter()
            .map(|x| normalize_chars(x.trim()))
            .filter(|x| !x.is_empty())
            .collect();
        lex.new_flags = file
            .new_flags
            .iter()
            .map(|x| normalize_chars(x.trim()))
            .filter(|x| !x.is_empty())
            .collect();
        lex.new_flags.sort_by_key(|f| std::cmp::Reverse(f.len()));
        lex.continued_marks = file
            .continued_marks
            .iter()
            .map(|x| normalize_chars(x.trim()))
            .filter(|x| !x.is_empty())
            .collect();
        lex.continued_marks
            .sort_by_key(|f| std::cmp::Reverse(f.len()));
        lex.derived_rows = word_list(&file.derived_rows);
        lex.name_trailers = word_list(&file.name_trailers);
        for (i, unit) in file.units.iter().enumerate() {
            let u = unit.trim();
            if u.is_empty() {
                return Err(bad(format!("units[{i}]: empty unit")));
            }
            if !lex.units.iter().any(|x| x == u) {
                lex.units.push(u.to_string());
            }
        }
        lex.reindex();
        Ok(lex)
    }

    /// Merge a user's lexicon into this one: new labels, rating words, marks and units are added;
    /// a label, rating word or mark that `other` lists takes `other`'s meaning.
    pub fn extend(&mut self, other: &Lexicon) {
        for (key, roles) in &other.labels {
            self.labels.insert(key.clone(), roles.clone());
        }
        for w in &other.section_words {
            if !self.section_words.contains(w) {
                self.section_words.push(w.clone());
            }
        }
        // A label the user moved away from section is no longer a section word.
        let labels = &self.labels;
        self.section_words.retain(|w| {
            labels
                .get(&match_key(w))
                .is_some_and(|r| r.contains(&Role::Section))
        });
        for (word, code) in &other.ratings {
            self.ratings.insert(word.clone(), code.clone());
        }
        for (mark, kind) in &other.marks {
            self.set_mark(mark, *kind);
        }
        for u in &other.units {
            if !self.units.contains(u) {
                self.units.push(u.clone());
            }
        }
        for d in &other.department_suffixes {
            if !self.department_suffixes.contains(d) {
                self.department_suffixes.push(d.clone());
            }
        }
        for f in &other.new_flags {
            if !self.new_flags.contains(f) {
                self.new_flags.push(f.clone());
            }
        }
        self.new_flags.sort_by_key(|f| std::cmp::Reverse(f.len()));
        for f in &other.continued_marks {
            if !self.continued_marks.contains(f) {
                self.continued_marks.push(f.clone());
            }
        }
        self.continued_marks
            .sort_by_key(|f| std::cmp::Reverse(f.len()));
        for (mine, theirs) in [
            (&mut self.derived_rows, &other.derived_rows),
            (&mut self.name_trailers, &other.name_trailers),
        ] {
            for f in theirs {
                if !mine.contains(f) {
                    mine.push(f.clone());
                }
            }
            mine.sort_by_key(|f| std::cmp::Reverse(f.len()));
        }
        self.reindex();
    }

    fn set_mark(&mut self, mark: &str, kind: FindingKind) {
        match self.marks.iter_mut().find(|(m, _)| m == mark) {
            Some(slot) => slot.1 = kind,
            None => self.marks.push((mark.to_string(), kind)),
        }
    }

    /// Does a cell look like a department name (`住民課`, `財産管理課（企画財政課）`, `企画室`)?
    /// A short text ending in a listed suffix, a parenthesised lead department allowed.
    pub fn looks_like_department(&self, cell: &str) -> bool {
        let t = cell.trim();
        let head = match t.find(['(', '（']) {
            Some(k) if t.ends_with([')', '）']) => t.get(..k).unwrap_or(t),
            _ => t,
        };
        let n = head.chars().count();
        (2..=16).contains(&n)
            && !head.contains(['、', '。', ' '])
            && self
                .department_suffixes
                .iter()
                .any(|s| head.ends_with(s.as_str()))
    }

    /// A heading without the mark saying it is continued from the page before
    /// (`１　取組の内容（続き）` → `１　取組の内容`); `None` when it has none. Text is matched
    /// normalised; the heading keeps its own characters.
    pub fn strip_continued<'a>(&self, heading: &'a str) -> Option<&'a str> {
        let t = heading.trim_end();
        let norm = normalize_chars(t);
        let mark = self
            .continued_marks
            .iter()
            .find(|m| norm.ends_with(m.as_str()) && norm.len() > m.len())?;
        let n = t.chars().count().checked_sub(mark.chars().count())?;
        let end = t.char_indices().nth(n).map(|(b, _)| b)?;
        let head = t.get(..end)?.trim_end();
        (!head.is_empty()).then_some(head)
    }

    /// Whether a row label names values derived from a table's other rows (`差引`, `増減`): the
    /// row belongs to the table and brings no values of its own.
    pub fn is_derived_row(&self, label: &str) -> bool {
        let t = normalize_chars(label.trim());
        self.derived_rows.contains(&t)
    }

    /// A table's heading without the word closing it that is no part of the quantity it names
    /// (`職員数の推移` → `職員数`, `効果額一覧` → `効果額`); the heading itself when it has none.
    pub fn strip_name_trailer<'a>(&self, heading: &'a str) -> &'a str {
        let t = heading.trim();
        let norm = normalize_chars(t);
        let Some(w) = self
            .name_trailers
            .iter()
            .find(|w| norm.ends_with(w.as_str()) && norm.len() > w.len())
        else {
            return t;
        };
        let n = t.chars().count().saturating_sub(w.chars().count());
        t.char_indices()
            .nth(n)
            .and_then(|(b, _)| t.get(..b))
            .map_or(t, str::trim_end)
    }

    /// The title without a new-item flag, and whether it had one (`題【新】` → `題`, true).
    /// Whether a cell is a new-item mark and nothing else (`新規` in a 区分 column).
    pub fn is_new_flag(&self, cell: &str) -> bool {
        let t = cell.trim();
        self.new_flags.iter().any(|f| f == t)
    }

    pub fn split_new_flag(&self, title: &str) -> (String, bool) {
        let t = title.trim();
        for f in &self.new_flags {
            if let Some(rest) = t.strip_suffix(f.as_str()) {
                if !rest.trim().is_empty() {
                    return (rest.trim().to_string(), true);
                }
            }
            if let Some(rest) = t.strip_prefix(f.as_str()) {
                if !rest.trim().is_empty()
                    && (f.starts_with(['【', '(', '[', '<', '〔']) || rest.starts_with(' '))
                {
                    return (rest.trim().to_string(), true);
                }
            }
        }
        (t.to_string(), false)
    }

    /// Which contents these are: equal stamps, equal contents (a copy keeps its original's).
    pub fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Rebuild the longest-first orders after a change.
    fn reindex(&mut self) {
        self.stamp = next_stamp();
        let mut keys: Vec<String> = self.labels.keys().cloned().collect();
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.labels_by_len = keys;
        self.section_words
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.section_words.dedup();
        self.mark_chars = self
            .marks
            .iter()
            .filter_map(|(m, k)| {
                let mut cs = m.chars();
                let c = cs.next()?;
                cs.next().is_none().then_some((c, *k))
            })
            .collect();
        self.mark_span = self
            .mark_chars
            .iter()
            .fold(('\u{10FFFF}', '\0'), |(lo, hi), &(c, _)| {
                (lo.min(c), hi.max(c))
            });
        // Stable: equal lengths keep file order.
        self.units
            .sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    }

    /// The roles of a printed label (see the module documentation for the rules), or None when
    /// no listed label matches.
    pub fn classify(&self, label: &str) -> Option<LabelMatch> {
        if label.len() > REMEMBERED_LABEL_BYTES {
            return self.classify_anew(label);
        }
        let known = REMEMBERED.with(|r| {
            let r = r.try_borrow().ok()?;
            (r.0 == self.stamp).then(|| r.1.get(label).cloned())?
        });
        if let Some(m) = known {
            return m;
        }
        let m = self.classify_anew(label);
        REMEMBERED.with(|r| {
            if let Ok(mut r) = r.try_borrow_mut() {
                if r.0 != self.stamp || r.1.len() >= REMEMBERED_LABELS {
                    r.0 = self.stamp;
                    r.1.clear();
                }
                r.1.insert(label.to_string(), m.clone());
            }
        });
        m
    }

    /// [`Lexicon::classify`] without remembering.
    fn classify_anew(&self, label: &str) -> Option<LabelMatch> {
        let (fiscal_year, base) = label_base(label);
        let key = match_key(&base);
        if key.is_empty() {
            return None;
        }
        if let Some(roles) = self.labels.get(&key) {
            return Some(LabelMatch {
                roles: roles.clone(),
                fiscal_year,
                base,
                exact: true,
            });
        }
        let roles = self.labels.get(self.longest_suffix(&key)?)?.clone();
        Some(LabelMatch {
            roles,
            fiscal_year,
            base,
            exact: false,
        })
    }

    /// The longest listed label that ends `key` as a word ([`is_word_suffix`]): the first such
    /// label in `labels_by_len` order. Found by looking up `key`'s own shorter endings (no longer
    /// than the longest label) instead of trying every label.
    fn longest_suffix<'k>(&self, key: &'k str) -> Option<&'k str> {
        let longest = self.labels_by_len.first().map_or(0, String::len);
        let from = key.len().saturating_sub(longest).max(1);
        key.char_indices()
            .map(|(i, _)| i)
            .filter(|&i| i >= from)
            .filter_map(|i| key.get(i..))
            .find(|suffix| self.labels.contains_key(*suffix) && is_word_suffix(key, suffix))
    }

    /// The rating code for a printed rating `text` and its legend `meaning` (see the module
    /// documentation): the meaning is searched first, then the text.
    pub fn rating_code(&self, text: &str, meaning: Option<&str>) -> Option<String> {
        meaning
            .and_then(|m| self.rating_in(m))
            .or_else(|| self.rating_in(text))
            .map(str::to_string)
    }

    /// The code of the longest rating word in `text` (ties: the one ending last).
    fn rating_in(&self, text: &str) -> Option<&str> {
        let text = rating_key(text);
        if text.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize, &str)> = None;
        for (word, code) in &self.ratings {
            // A word whose first character the text lacks is not searched for (most are not).
            if word.chars().next().is_some_and(|c| !text.contains(c)) {
                continue;
            }
            let Some(pos) = text.rfind(word.as_str()) else {
                continue;
            };
            let rank = (word.chars().count(), pos + word.len());
            if best.is_none_or(|(n, end, _)| rank > (n, end)) {
                best = Some((rank.0, rank.1, code.as_str()));
            }
        }
        best.map(|(_, _, code)| code)
    }

    /// What a finding mark means (`○` → achievement, `▲` → issue, `※` → note), or None.
    pub fn mark_kind(&self, mark: &str) -> Option<FindingKind> {
        let mark = mark.trim();
        self.marks.iter().find(|(m, _)| m == mark).map(|(_, k)| *k)
    }

    /// [`Lexicon::mark_kind`] of one character, without encoding it: what list readers ask of
    /// every character of a field.
    pub fn mark_kind_of(&self, c: char) -> Option<FindingKind> {
        if c < self.mark_span.0 || c > self.mark_span.1 || c.is_whitespace() {
            return None;
        }
        self.mark_chars
            .iter()
            .find(|(m, _)| *m == c)
            .map(|(_, k)| *k)
    }

    /// The finding marks, in lexicon order.
    pub fn finding_marks(&self) -> impl Iterator<Item = &str> {
        self.marks.iter().map(|(m, _)| m.as_str())
    }

    /// True when the label is exactly a record label (printed before every record's id:
    /// `改革項目`, `【取組項目】`).
    pub fn is_record_label(&self, label: &str) -> bool {
        self.classify(label)
            .is_some_and(|m| m.exact && m.roles.contains(&Role::Record))
    }

    /// When `text` starts with a section word followed by a number (`基本方針１`, `戦略 2`,
    /// `重点項目Ⅲ`, `施策の柱(1)`), the byte length of the section word; else None.
    pub fn is_section_prefix(&self, text: &str) -> Option<usize> {
        self.section_words.iter().find_map(|w| {
            let rest = text.strip_prefix(w.as_str())?;
            let rest = rest.trim_start_matches([' ', '\u{3000}']);
            let rest = rest.strip_prefix(['(', '（']).unwrap_or(rest);
            rest.chars().next().filter(|c| is_numeral(*c))?;
            Some(w.len())
        })
    }

    /// Known units, longest first.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Every listed label key with its roles, longest first (for diagnostics and documentation).
    pub fn labels(&self) -> impl Iterator<Item = (&str, &[Role])> {
        self.labels_by_len
            .iter()
            .filter_map(|k| self.labels.get(k).map(|r| (k.as_str(), r.as_slice())))
    }
}

/// True when `suffix` ends `key`, is shorter, and does not cut a Latin word (`casino` does not
/// end with the label `no`).
fn is_word_suffix(key: &str, suffix: &str) -> bool {
    let Some(head) = key.strip_suffix(suffix) else {
        return false;
    };
    let cuts_word = suffix.starts_with(|c: char| c.is_ascii_alphanumeric())
        && head.ends_with(|c: char| c.is_ascii_alphanumeric());
    !head.is_empty() && !cuts_word
}

/// A character that starts a section number: digits, circled numbers, Roman numerals, kanji numerals.
fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || ('①'..='⑳').contains(&c)
        || ('Ⅰ'..='ⅿ').contains(&c)
        || "一二三四五六七八九十".contains(c)
}

// ---------------------------------------------------------------------------------------------
// Label rules
// ---------------------------------------------------------------------------------------------

/// The fiscal year and base of a label: all label rules of the module documentation, in order.
pub fn label_base(label: &str) -> (Option<i32>, String) {
    let s = crate::normalize::normalize_chars_cow(label);
    // strip_brackets and remove_spaces in one pass.
    let mut bare = String::with_capacity(s.len());
    bare.extend(
        s.chars()
            .filter(|&c| !is_frame_bracket(c) && !c.is_whitespace()),
    );
    let s = strip_trailing_colons(&bare);
    let s = strip_leading_marks(s);
    let (suffix_year, s) = strip_paren_suffix(s);
    let (prefix_year, s) = strip_year_prefix(s);
    let s = strip_trailing_colons(s);
    (prefix_year.or(suffix_year), s.to_string())
}

/// Brackets that frame a word of its own: a label (`【取組内容】`), a rating closing a title
/// (`題【順調】`, `題〔順調〕`), a legend's grade (`［Ａ］計画どおり`). Opening and closing pairs.
pub const FRAME_BRACKETS: [(char, char); 9] = [
    ('【', '】'),
    ('〔', '〕'),
    ('［', '］'),
    ('[', ']'),
    ('〈', '〉'),
    ('<', '>'),
    ('《', '》'),
    ('≪', '≫'),
    ('＜', '＞'),
];

/// The brackets that only frame a label ([`FRAME_BRACKETS`]) are dropped, content kept.
pub fn strip_brackets(s: &str) -> String {
    s.chars().filter(|&c| !is_frame_bracket(c)).collect()
}

/// One of the brackets [`strip_brackets`] drops.
fn is_frame_bracket(c: char) -> bool {
    FRAME_BRACKETS.iter().any(|&(o, e)| c == o || c == e)
}

/// The closing bracket of a frame bracket opening with `open`.
pub fn frame_close(open: char) -> Option<char> {
    FRAME_BRACKETS
        .iter()
        .find(|(o, _)| *o == open)
        .map(|&(_, c)| c)
}

/// Every space removed (labels are compared without spaces).
pub fn remove_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Trailing `:` / `：` removed.
pub fn strip_trailing_colons(s: &str) -> &str {
    s.trim_end_matches([':', '：'])
}

/// Leading bullet marks removed (`■現状` → `現状`).
pub fn strip_leading_marks(s: &str) -> &str {
    s.trim_start_matches(|c| "■□◆◇●○◎・▼▽★☆※◯▪".contains(c))
}

/// A trailing parenthesised group removed: a unit (`効果額(千円)` → `効果額`), a year
/// (`目標値(R7)` → `目標値` and 2025) or a remark. The year, if the group holds one, is returned.
/// A label that is only a parenthesised group is kept whole.
pub fn strip_paren_suffix(s: &str) -> (Option<i32>, &str) {
    let Some(body) = s.strip_suffix([')', '）']) else {
        return (None, s);
    };
    let mut depth = 0usize;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' if depth > 0 => depth -= 1,
            '(' | '（' => {
                let (head, inner) = (
                    body.get(..i).unwrap_or(""),
                    body.get(i + c.len_utf8()..).unwrap_or(""),
                );
                if head.is_empty() {
                    return (None, s);
                }
                return (year_in_text(inner), head);
            }
            _ => {}
        }
    }
    (None, s)
}

/// A fiscal year written anywhere in `s`: an era year (`R7`, `令和7年度`) or `2025年度`.
fn year_in_text(s: &str) -> Option<i32> {
    wareki::year_in_label(s).or_else(|| western_year_prefix(s).map(|(y, _)| y))
}

/// A leading fiscal-year prefix removed and its year returned: `令和4年度の…`, `令和3年度…`,
/// `R4…`, `H29…`, `2022年度…`, `R7年度末…`, `(R3)…`. Nothing is removed when nothing would remain.
pub fn strip_year_prefix(s: &str) -> (Option<i32>, &str) {
    // `(R3)実績`
    if let Some(inner) = s.strip_prefix(['(', '（']) {
        if let Some(close) = inner.find([')', '）']) {
            let (year_part, rest) = (
                inner.get(..close).unwrap_or(""),
                inner.get(close..).unwrap_or(""),
            );
            let rest = rest
                .get(rest.chars().next().map_or(0, char::len_utf8)..)
                .unwrap_or("");
            if let (Some(y), true) = (year_in_text(year_part), !rest.is_empty()) {
                return (Some(y), rest);
            }
        }
    }
    let parsed = era_year_prefix(s).or_else(|| western_year_prefix(s));
    match parsed {
        Some((year, rest)) if !rest.is_empty() => (Some(year), rest),
        _ => (None, s),
    }
}

/// `令和4年度の` / `R4` / `H29年度末` at the start of `s`: the year and the rest.
fn era_year_prefix(s: &str) -> Option<(i32, &str)> {
    const ERAS: &[(&str, &str)] = &[
        ("令和", "令和"),
        ("平成", "平成"),
        ("昭和", "昭和"),
        ("R", "R"),
        ("H", "H"),
    ];
    let (era, rest) = ERAS
        .iter()
        .find_map(|(p, era)| s.strip_prefix(p).map(|r| (*era, r)))?;
    let digits_len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit())
        .count();
    let (year, rest) = if let Some(r) = rest.strip_prefix('元') {
        (wareki::western_year(era, "元")?, r)
    } else if (1..=2).contains(&digits_len) {
        let (d, r) = rest.split_at_checked(digits_len)?;
        (wareki::western_year(era, d)?, r)
    } else {
        return None;
    };
    // `R4.3.31` is a date, not a label prefix.
    if rest.starts_with('.') {
        return None;
    }
    Some((year, strip_year_tail(rest, false)?))
}

/// `2022年度の` at the start of `s`: the year and the rest (年度 or 年 required).
fn western_year_prefix(s: &str) -> Option<(i32, &str)> {
    let (digits, rest) = s.split_at_checked(4)?;
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || !(digits.starts_with("19") || digits.starts_with("20"))
    {
        return None;
    }
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    Some((year, strip_year_tail(rest, true)?))
}

/// After the year number: `年度末` / `年度` / `年` (required when `need_suffix`), then `の`.
fn strip_year_tail(rest: &str, need_suffix: bool) -> Option<&str> {
    let after = ["年度末", "年度", "年"]
        .iter()
        .find_map(|t| rest.strip_prefix(t));
    let rest = match after {
        Some(r) => r,
        None if need_suffix => return None,
        None => rest,
    };
    Some(rest.strip_prefix('の').unwrap_or(rest))
}

/// The lookup key of a base: ASCII lowercased, a trailing `.` dropped (`No.` = `NO` = `no`).
pub fn match_key(base: &str) -> String {
    base.trim_end_matches('.').to_ascii_lowercase()
}

/// The lookup form of rating text and words: fully normalised, spaces removed.
fn rating_key(s: &str) -> String {
    remove_spaces(&normalize(s))
}

#[cfg(test)]
mod tests;
