//! Layout profiles: everything a layout needs to be read (record markers, field labels and their
//! variants, status vocabulary, finding marks) as data. Built-in profiles are TOML files embedded in
//! the binary (`profiles/*.toml`); `--profile FILE` loads more.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{FindingKind, StatusCode};
use regex::Regex;
use serde::Deserialize;

/// Built-in profiles, in detection-priority order.
pub const BUILTIN: &[(&str, &str)] = &[
    ("card", include_str!("../profiles/card.toml")),
    ("table", include_str!("../profiles/table.toml")),
];

/// How records are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// A marker row starts each record; labelled rows (label in the first cell) follow.
    Card,
    /// A header row names columns; each record starts at a row whose first cell is its number.
    Table,
}

/// Which output field a label fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Department,
    CurrentState,
    Plan,
    Targets,
    Schedule,
    ProgressGoal,
    ProgressStatus,
    Activities,
    Findings,
    NextSteps,
    /// A structural row with no content of its own (e.g. `<R3期末報告>`), starting a progress block.
    ProgressBlock,
}

impl Field {
    /// The field's name as written in profiles and in `fields[].role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Department => "department",
            Field::CurrentState => "current_state",
            Field::Plan => "plan",
            Field::Targets => "targets",
            Field::Schedule => "schedule",
            Field::ProgressGoal => "progress_goal",
            Field::ProgressStatus => "progress_status",
            Field::Activities => "activities",
            Field::Findings => "findings",
            Field::NextSteps => "next_steps",
            Field::ProgressBlock => "progress_block",
        }
    }
}

/// The profile as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    pub id: String,
    pub description: String,
    pub kind: LayoutKind,
    pub document: DocumentSpec,
    #[serde(default)]
    pub section: Option<SectionSpec>,
    pub record: RecordSpec,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    #[serde(default)]
    pub table: Option<TableSpec>,
    #[serde(default)]
    pub targets: Option<TargetsSpec>,
    pub statuses: Vec<StatusSpec>,
    pub marks: Vec<MarkSpec>,
}

/// Column headers of the 数値目標 table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
    pub name: String,
    pub unit: String,
    pub baseline: String,
    pub goal: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// Regexes for the report's fiscal year; named groups `era` and `year`.
    pub fiscal_year: Vec<String>,
    /// Regexes for the municipality; named group `name`.
    #[serde(default)]
    pub municipality: Vec<String>,
    /// Lines (cells joined by tabs) that are structure, not content (page headers, separators).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// First cell of the header row of the declared status summary (`達成状況`).
    #[serde(default)]
    pub status_summary: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// Regex with named groups `number` and `title`, matched against the first cell.
    pub pattern: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// Card: regex the first cell of a marker row must match (`改革項目`).
    #[serde(default)]
    pub marker: Option<String>,
    /// The flag that marks a new item in its title (`新規`).
    #[serde(default)]
    pub new_flag: Option<String>,
    /// Parentheses around the lead department in the department cell.
    #[serde(default = "default_lead_open")]
    pub lead_open: String,
    #[serde(default = "default_lead_close")]
    pub lead_close: String,
}

fn default_lead_open() -> String {
    "(".into()
}
fn default_lead_close() -> String {
    ")".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Label regexes (whole normalised cell). A named group `year` gives the fiscal year
    /// (bare R-year) for progress labels.
    pub labels: Vec<String>,
    pub field: Field,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Regex for the first cell of the header row (`No.`).
    pub header: String,
    /// Column header regexes → fields.
    pub columns: Vec<ColumnSpec>,
    /// Regex for schedule column labels in the header rows (`令和2年度`).
    pub schedule_year: String,
    /// Labels of continuation rows (first cell empty) and the field their text fills.
    #[serde(default)]
    pub row_labels: Vec<FieldSpec>,
    /// Marks that start a milestone in a schedule cell (other marked entries are notes).
    #[serde(default)]
    pub milestone_marks: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub header: String,
    pub field: Field,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSpec {
    pub text: String,
    pub code: StatusCode,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkSpec {
    pub mark: String,
    pub kind: FindingKind,
}

/// A compiled profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub file: ProfileFile,
    pub fiscal_year: Vec<Regex>,
    pub municipality: Vec<Regex>,
    pub ignore: Vec<Regex>,
    pub section: Option<Regex>,
    pub marker: Option<Regex>,
    pub fields: Vec<(Regex, Field)>,
    /// All field labels at once, in the order of `fields`.
    pub field_set: regex::RegexSet,
    pub table_header: Option<Regex>,
    pub columns: Vec<(Regex, Field)>,
    pub schedule_year: Option<Regex>,
    pub row_labels: Vec<(Regex, Field)>,
    /// 数値目標 column headers: name, unit, baseline, goal.
    pub target_columns: Option<[Regex; 4]>,
    /// The declared status summary's header label.
    pub status_summary: Option<Regex>,
    /// Row labels as a suffix of a cell (a label that slipped into the cell before it).
    pub row_label_tails: Vec<(Regex, Field)>,
}

fn compile(origin: &str, pattern: &str, anchored: bool) -> Result<Regex> {
    let p = if anchored {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_string()
    };
    Regex::new(&p).map_err(|e| {
        Error::new(
            ErrorKind::Profile,
            format!(
                "bad regex {pattern:?}: {}",
                e.to_string().lines().last().unwrap_or("")
            ),
        )
        .in_file(origin)
    })
}

impl Profile {
    /// Parse and compile a profile from TOML text; `origin` names it in errors.
    pub fn from_toml(origin: &str, text: &str) -> Result<Profile> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Profile, e.message().replace('\n', " ")).in_file(origin)
        })?;
        let many = |v: &[String], anchored: bool| -> Result<Vec<Regex>> {
            v.iter().map(|p| compile(origin, p, anchored)).collect()
        };
        let labelled = |v: &[FieldSpec]| -> Result<Vec<(Regex, Field)>> {
            let mut out = Vec::new();
            for f in v {
                for l in &f.labels {
                    out.push((compile(origin, l, true)?, f.field));
                }
            }
            Ok(out)
        };
        match file.kind {
            LayoutKind::Card if file.record.marker.is_none() => {
                return Err(
                    Error::new(ErrorKind::Profile, "a card profile needs record.marker")
                        .in_file(origin),
                )
            }
            LayoutKind::Table if file.table.is_none() => {
                return Err(Error::new(
                    ErrorKind::Profile,
                    "a table profile needs a [table] section",
                )
                .in_file(origin))
            }
            _ => {}
        }
        let fields = labelled(&file.fields)?;
        let field_set =
            regex::RegexSet::new(fields.iter().map(|(re, _)| re.as_str())).map_err(|e| {
                Error::new(ErrorKind::Profile, format!("field labels: {e}")).in_file(origin)
            })?;
        Ok(Profile {
            fiscal_year: many(&file.document.fiscal_year, false)?,
            municipality: many(&file.document.municipality, false)?,
            ignore: many(&file.document.ignore, true)?,
            section: file
                .section
                .as_ref()
                .map(|s| compile(origin, &s.pattern, true))
                .transpose()?,
            marker: file
                .record
                .marker
                .as_deref()
                .map(|m| compile(origin, m, true))
                .transpose()?,
            fields,
            field_set,
            table_header: file
                .table
                .as_ref()
                .map(|t| compile(origin, &t.header, true))
                .transpose()?,
            columns: file
                .table
                .as_ref()
                .map(|t| {
                    t.columns
                        .iter()
                        .map(|c| Ok((compile(origin, &c.header, true)?, c.field)))
                        .collect::<Result<Vec<_>>>()
                })
                .transpose()?
                .unwrap_or_default(),
            schedule_year: file
                .table
                .as_ref()
                .map(|t| compile(origin, &t.schedule_year, true))
                .transpose()?,
            row_labels: file
                .table
                .as_ref()
                .map(|t| labelled(&t.row_labels))
                .transpose()?
                .unwrap_or_default(),
            status_summary: file
                .document
                .status_summary
                .as_deref()
                .map(|s| compile(origin, s, true))
                .transpose()?,
            target_columns: match &file.targets {
                Some(t) => Some([
                    compile(origin, &t.name, true)?,
                    compile(origin, &t.unit, true)?,
                    compile(origin, &t.baseline, true)?,
                    compile(origin, &t.goal, true)?,
                ]),
                None => None,
            },
            row_label_tails: file
                .table
                .as_ref()
                .map(|t| {
                    let mut out = Vec::new();
                    for f in &t.row_labels {
                        for l in &f.labels {
                            out.push((compile(origin, &format!(r"\s*(?:{l})$"), false)?, f.field));
                        }
                    }
                    Ok::<_, Error>(out)
                })
                .transpose()?
                .unwrap_or_default(),
            file,
        })
    }

    /// Load a profile file from disk.
    pub fn load(path: &std::path::Path) -> Result<Profile> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Profile, format!("cannot read profile: {e}")).in_file(&origin)
        })?;
        Profile::from_toml(&origin, &text)
    }

    /// The built-in profiles, compiled once per process.
    pub fn builtin() -> &'static [Profile] {
        static CACHE: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
        CACHE.get_or_init(|| {
            BUILTIN
                .iter()
                .filter_map(|(id, text)| Profile::from_toml(id, text).ok())
                .collect()
        })
    }

    pub fn id(&self) -> &str {
        &self.file.id
    }

    /// Status code for a status text; `other` when not in the vocabulary.
    pub fn status_code(&self, text: &str) -> StatusCode {
        self.file
            .statuses
            .iter()
            .find(|s| s.text == text)
            .map(|s| s.code)
            .unwrap_or(StatusCode::Other)
    }

    /// The finding mark a text starts with, if any, longest first.
    pub fn mark_of<'a>(&'a self, text: &str) -> Option<&'a MarkSpec> {
        self.file
            .marks
            .iter()
            .filter(|m| text.starts_with(m.mark.as_str()))
            .max_by_key(|m| m.mark.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_compile() {
        for (id, text) in BUILTIN {
            let p = Profile::from_toml(id, text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(p.id(), *id);
        }
        assert_eq!(Profile::builtin().len(), BUILTIN.len());
    }

    #[test]
    fn profile_errors_name_the_file_and_problem() {
        let cases = [
            ("id = 1", "p.toml: profile: "),
            ("", "p.toml: profile: missing field `id`"),
        ];
        for (text, want) in cases {
            let e = Profile::from_toml("p.toml", text).unwrap_err();
            assert!(e.to_string().starts_with(want), "{e}");
        }
        let bad_regex = BUILTIN[0]
            .1
            .replace("marker = '改革項目'", "marker = '改革項目('");
        let e = Profile::from_toml("x.toml", &bad_regex).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Profile);
        assert!(e.to_string().contains("bad regex \"改革項目(\""), "{e}");
    }

    #[test]
    fn status_codes_and_marks() {
        let p = &Profile::builtin()[0];
        let cases = [
            ("達成", StatusCode::Achieved),
            ("順調", StatusCode::OnTrack),
            ("やや遅れている", StatusCode::SlightlyBehind),
            ("遅れている", StatusCode::Behind),
            ("未着手", StatusCode::NotStarted),
            ("完了", StatusCode::Completed),
            ("概ね順調", StatusCode::Other),
        ];
        for (text, code) in cases {
            assert_eq!(p.status_code(text), code, "{text}");
        }
        assert_eq!(
            p.mark_of("○達成").map(|m| m.kind),
            Some(FindingKind::Achievement)
        );
        assert_eq!(p.mark_of("▲課題").map(|m| m.kind), Some(FindingKind::Issue));
        assert_eq!(p.mark_of("・注記").map(|m| m.kind), Some(FindingKind::Note));
        assert!(p.mark_of("課題").is_none());
    }
}
