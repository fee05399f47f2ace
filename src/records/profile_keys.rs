//! What a profile of kind `inferred` pins beyond its numbering levels, in the form the engine
//! applies: ids matched by a regular expression, columns bound by their header path, units of
//! targets, and whether `▲`/`△` before a number is a minus sign.

use super::ids::{self, Scheme};
use super::rows::Column;
use super::{Candidate, Form, GroupKey, LevelKind, LineRole};
use crate::fields::lexicon::Role;
use crate::model::{Diagnostic, Item, Severity};
use crate::records::line::Line;
use regex::Regex;

/// The decisions a profile fixes, ready for [`super::build::build_pinned`].
#[derive(Debug, Clone, Default)]
pub struct Pins {
    /// Numbering levels, outermost first.
    pub levels: Vec<(GroupKey, LevelKind)>,
    /// Levels given by a pattern: the scheme they stand for, their form and the anchored pattern.
    pub patterns: Vec<(Scheme, Form, Regex)>,
    /// Columns bound by their header path.
    pub columns: Vec<ColumnRule>,
    /// `▲`/`△` directly before a number is a minus sign (the default).
    pub minus_marks: bool,
    /// Fixed units: (part of a target's name, unit).
    pub target_units: Vec<(String, String)>,
    /// Levels tied to a label (`改革項目`, a `No.` column): the level and the label's pattern,
    /// anchored at the start.
    pub level_labels: Vec<(GroupKey, Regex)>,
    /// The profile's rating scale (text, meaning), best first.
    pub rating_scale: Vec<(String, String)>,
}

impl Pins {
    /// Levels only (what inference decided, or a profile without other keys).
    pub fn levels(levels: &[(GroupKey, LevelKind)]) -> Pins {
        Pins {
            levels: levels.to_vec(),
            minus_marks: true,
            ..Pins::default()
        }
    }
}

/// What a column bound by a profile holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnRole {
    /// A lexicon role (`value.actual`, `rating`, `department`, `field.plan` …).
    Role(Role),
    /// Nothing to keep: the column's cells are skipped.
    Ignore,
}

/// A column bound by its header path (`令和2年度 › 実績`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRule {
    /// The header path's parts, outermost first, without white space.
    pub path: Vec<String>,
    pub role: ColumnRole,
    /// The fiscal year of its values (from the profile, else from the path).
    pub year: Option<i32>,
}

/// The role keys a column may be bound to, besides the lexicon's: `target.<kind>` for
/// `value.<kind>`, `field` for `field.other`, and `ignore`.
pub fn column_role(key: &str) -> Option<ColumnRole> {
    if key == "ignore" {
        return Some(ColumnRole::Ignore);
    }
    let key = match key {
        "field" => "field.other".to_string(),
        k => match k.strip_prefix("target.") {
            Some(kind) => format!("value.{kind}"),
            None => k.to_string(),
        },
    };
    Role::from_key(&key).map(ColumnRole::Role)
}

/// A header path's parts: split on `›` or `>` (a string) or given as a list.
pub fn path_parts(parts: &[String]) -> Vec<String> {
    parts
        .iter()
        .flat_map(|p| p.split(['›', '>']))
        .map(super::strip_ws)
        .map(|p| crate::normalize::normalize_chars(&p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The fiscal year a header path names (`令和2年度 › 実績` → 2020).
pub fn path_year(path: &[String]) -> Option<i32> {
    path.iter()
        .find_map(|p| super::year_label(p).or_else(|| crate::wareki::year_in_label(p)))
}

/// Does a rule's path name this column: equal to its path, or to the path's last parts
/// (`実績` names `令和2年度 › 実績` and `令和3年度 › 実績`)?
fn names(rule: &[String], col: &Column) -> bool {
    let have = path_parts(std::slice::from_ref(&col.label));
    !rule.is_empty() && have.len() >= rule.len() && have.ends_with(rule)
}

/// Bind the header's columns as the profile says.
pub(super) fn apply_columns(rules: &[ColumnRule], cols: &mut [Column]) {
    for col in cols.iter_mut() {
        // The longest matching path wins (`令和2年度 › 実績` over `実績`).
        let Some(rule) = rules
            .iter()
            .filter(|r| names(&r.path, col))
            .max_by_key(|r| r.path.len())
        else {
            continue;
        };
        match &rule.role {
            // Read as the id column is: not kept.
            ColumnRole::Ignore => col.roles = vec![Role::Id],
            ColumnRole::Role(r) => col.roles = vec![*r],
        }
        col.year = rule
            .year
            .or_else(|| path_year(&rule.path))
            .or(col.year)
            .or_else(|| path_year(&path_parts(std::slice::from_ref(&col.label))));
    }
}

/// Id candidates of the levels given by patterns; each replaces what the built-in schemes found
/// on its line.
pub(super) fn pattern_candidates(
    patterns: &[(Scheme, Form, Regex)],
    lines: &[Line],
    raw: &super::RawLines,
    roles: &[LineRole],
    found: &mut Vec<Candidate>,
) {
    if patterns.is_empty() {
        return;
    }
    let mut extra = vec![];
    for (i, l) in lines.iter().enumerate() {
        if roles.get(i) != Some(&LineRole::Other) {
            continue;
        }
        let filled: Vec<(usize, &str)> = l.filled().collect();
        for (scheme, form, re) in patterns {
            let Scheme::Pattern(level) = *scheme else {
                continue;
            };
            let at = match form {
                Form::AfterLabel => filled.get(1),
                _ => filled.first(),
            };
            let Some(&(j, cell)) = at else { continue };
            let spaced = super::spaced_cell(raw, i, j, cell);
            let Some(mut tok) = ids::pattern_at_start(re, level, &spaced) else {
                continue;
            };
            tok.rest = crate::normalize::normalize(&tok.rest).trim().to_string();
            let fits = match form {
                Form::Cell | Form::AfterLabel => tok.rest.is_empty(),
                Form::Prefix | Form::LabelPrefix => !tok.rest.is_empty(),
            };
            if !fits {
                continue;
            }
            extra.push(Candidate {
                line: i,
                form: *form,
                label: (*form == Form::AfterLabel)
                    .then(|| filled.first().map(|(_, c)| c.to_string()))
                    .flatten(),
                cell: j,
                tok,
            });
            break;
        }
    }
    found.retain(|c| !extra.iter().any(|e| e.line == c.line));
    found.extend(extra);
    found.sort_by_key(|c| c.line);
}

/// The label an id follows: the record label before it (`改革項目 | 1`, `改革項目1 題`, with
/// a heading mark before it dropped), or the header of its column in the header row above it.
pub(super) fn label_of(c: &Candidate, lines: &[Line], roles: &[LineRole]) -> Option<String> {
    match c.form {
        Form::AfterLabel => c.label.clone(),
        Form::LabelPrefix => lines.get(c.line).map(|l| {
            l.first()
                .trim_start_matches(super::HEADING_MARKS)
                .to_string()
        }),
        Form::Cell => {
            let header = (0..c.line)
                .rev()
                .find(|&k| roles.get(k) == Some(&LineRole::Header))?;
            lines.get(header)?.cells.get(c.cell).cloned()
        }
        Form::Prefix => None,
    }
}

/// Does a level's label pattern name this label: the whole label, or (an id in the same cell)
/// the start of it?
pub(super) fn label_fits(re: &Regex, form: Form, label: &str) -> bool {
    re.find(label)
        .is_some_and(|m| form == Form::LabelPrefix || m.end() == label.len())
}

/// Drop the ids of levels tied to a label that do not follow it.
pub(super) fn label_candidates(
    rules: &[(GroupKey, Regex)],
    lines: &[Line],
    roles: &[LineRole],
    found: &mut Vec<Candidate>,
) {
    if rules.is_empty() {
        return;
    }
    found.retain(|c| {
        let key = GroupKey {
            scheme: c.tok.scheme,
            form: c.form,
        };
        let mut of_key = rules.iter().filter(|(k, _)| *k == key).peekable();
        if of_key.peek().is_none() {
            return true;
        }
        // Several levels of one scheme and form, each tied to its label: any of them.
        let label = label_of(c, lines, roles);
        of_key.any(|(_, re)| label.as_deref().is_some_and(|l| label_fits(re, c.form, l)))
    });
}

/// Fixed units of targets named in the profile; a value's own unit that differs is noted.
pub(super) fn apply_units(rules: &[(String, String)], items: &mut [Item]) -> Vec<Diagnostic> {
    let mut diags = vec![];
    for it in items.iter_mut() {
        for t in &mut it.targets {
            let Some((_, unit)) = rules
                .iter()
                .find(|(name, _)| super::strip_ws(&t.name).contains(&super::strip_ws(name)))
            else {
                continue;
            };
            if let Some(own) = t.unit.as_ref().filter(|u| *u != unit) {
                diags.push(
                    Diagnostic::new(
                        Severity::Info,
                        "profile-unit",
                        format!(
                            "target {:?}: unit {own:?} as printed replaced by {unit:?} from the profile",
                            t.name
                        ),
                    )
                    .at(Some(it.source.line), it.source.page)
                    .item(Some(&it.id)),
                );
            }
            t.unit = Some(unit.clone());
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceLine;

    fn col(label: &str) -> Column {
        Column {
            label: label.into(),
            own: label.rsplit(" › ").next().unwrap_or("").into(),
            roles: vec![],
            year: None,
        }
    }

    #[test]
    fn column_roles_and_aliases() {
        let cases = [
            (
                "target.actual",
                Some(ColumnRole::Role(Role::Value(
                    crate::model::ValueKind::Actual,
                ))),
            ),
            (
                "value.goal",
                Some(ColumnRole::Role(Role::Value(crate::model::ValueKind::Goal))),
            ),
            ("rating", Some(ColumnRole::Role(Role::Rating))),
            ("department", Some(ColumnRole::Role(Role::Department))),
            (
                "field",
                Some(ColumnRole::Role(Role::Field(
                    crate::fields::lexicon::Canonical::Other,
                ))),
            ),
            (
                "field.plan",
                Some(ColumnRole::Role(Role::Field(
                    crate::fields::lexicon::Canonical::Plan,
                ))),
            ),
            ("ignore", Some(ColumnRole::Ignore)),
            ("target.bogus", None),
            ("actual", None),
        ];
        for (key, want) in cases {
            assert_eq!(column_role(key), want, "{key}");
        }
    }

    #[test]
    fn header_paths_bind_columns_with_their_year() {
        let rules = vec![
            ColumnRule {
                path: path_parts(&["令和2年度 › 実績".into()]),
                role: column_role("target.actual").unwrap(),
                year: None,
            },
            ColumnRule {
                path: path_parts(&["実績".into()]),
                role: ColumnRole::Ignore,
                year: None,
            },
            ColumnRule {
                path: path_parts(&["所見".into(), "評価".into()]),
                role: column_role("rating").unwrap(),
                year: None,
            },
        ];
        let mut cols = vec![
            col("令和2年度 › 実績"),
            col("令和3年度 › 実績"),
            col("所見 › 評価"),
            col("担当"),
        ];
        apply_columns(&rules, &mut cols);
        let got: Vec<(Vec<Role>, Option<i32>)> =
            cols.iter().map(|c| (c.roles.clone(), c.year)).collect();
        assert_eq!(
            got,
            [
                (
                    vec![Role::Value(crate::model::ValueKind::Actual)],
                    Some(2020)
                ),
                (vec![Role::Id], Some(2021)),
                (vec![Role::Rating], None),
                (vec![], None),
            ]
        );
    }

    #[test]
    fn pattern_tokens_ordinal_and_parent() {
        let re = Regex::new(r"^(?:[A-Z]-\d+)").unwrap();
        let cases = [
            ("K-12 題", Some(("K-12", 12, "K", "題"))),
            ("K-3", Some(("K-3", 3, "K", ""))),
            ("12 題", None),
        ];
        for (text, want) in cases {
            let got = ids::pattern_at_start(&re, 0, text);
            let got = got.as_ref().map(|t| {
                (
                    t.text.as_str(),
                    t.ordinal,
                    t.parent_key.as_str(),
                    t.rest.as_str(),
                )
            });
            assert_eq!(got, want, "{text}");
        }
    }

    /// Cards under two levels of headings: a pattern level and a scheme level, both sections.
    #[test]
    fn nested_card_headings_are_nested_sections() {
        let text = "第1章 行政運営\n1 窓口の見直し\n(1) 予約制の導入\n担当課\t市民課\n取組内容\t予約を受け付ける\n\
                    (2) 手続の電子化\n担当課\t総務課\n2 人材育成\n(1) 研修の充実\n担当課\t人事課\n\
                    第2章 財政運営\n1 歳入確保\n(1) 使用料の見直し\n担当課\t財政課";
        let raw: Vec<SourceLine> = crate::records::tab_lines(text);
        let (raw, lines) = super::super::explode(&raw);
        let chapter = Regex::new(r"^(?:第\d+章)").unwrap();
        let pins = Pins {
            levels: vec![
                (
                    GroupKey {
                        scheme: Scheme::Pattern(0),
                        form: Form::Prefix,
                    },
                    LevelKind::Section,
                ),
                (
                    GroupKey {
                        scheme: Scheme::Number,
                        form: Form::Prefix,
                    },
                    LevelKind::Section,
                ),
                (
                    GroupKey {
                        scheme: Scheme::Paren,
                        form: Form::Prefix,
                    },
                    LevelKind::Item,
                ),
            ],
            patterns: vec![(Scheme::Pattern(0), Form::Prefix, chapter)],
            minus_marks: true,
            ..Pins::default()
        };
        let lex = crate::fields::lexicon::Lexicon::builtin();
        let b = super::super::build::build_pinned(lex, &lines, &raw, None, Some(&pins), None);
        let secs: Vec<(Option<&str>, u32)> = b
            .sections
            .iter()
            .map(|s| (s.id.as_deref(), s.level))
            .collect();
        assert_eq!(
            secs,
            [
                (Some("第1章"), 1),
                (Some("1"), 2),
                (Some("2"), 2),
                (Some("第2章"), 1),
                (Some("1"), 2)
            ]
        );
        let items: Vec<(&str, Option<&str>, Option<&str>)> = b
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.section.as_deref(), i.department.as_deref()))
            .collect();
        assert_eq!(
            items,
            [
                (
                    "(1)",
                    Some("第1章行政運営 › 1 窓口の見直し"),
                    Some("市民課")
                ),
                (
                    "(2)",
                    Some("第1章行政運営 › 1 窓口の見直し"),
                    Some("総務課")
                ),
                ("(1)", Some("第1章行政運営 › 2 人材育成"), Some("人事課")),
                ("(1)", Some("第2章財政運営 › 1 歳入確保"), Some("財政課")),
            ]
        );
    }
}
