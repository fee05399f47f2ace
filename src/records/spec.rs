//! A layout written down: what inference decided, as a profile file a user can review and pin.
//!
//! `gyokaku profile infer FILE` writes this; `--profile FILE` reads it back (a profile with
//! `kind = "inferred"`), and parsing with it gives the same result as inference, because the
//! engine is the same and only the decisions are fixed.

use super::ids::Scheme;
use super::profile_keys::{ColumnRule, Pins};
use super::{Form, GroupKey, LevelKind};
use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// The profile file of an inferred layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    pub id: String,
    #[serde(default)]
    pub description: String,
    /// Always `inferred` for this kind of profile.
    pub kind: String,
    /// Numbering levels, outermost first.
    #[serde(default, rename = "levels")]
    pub levels: Vec<LevelSpec>,
    /// Extra labels and their roles (lexicon keys: `department`, `rating`, `field.plan`, …).
    #[serde(default)]
    pub labels: Vec<LabelSpec>,
    /// The rating scale, best first, for reports that use one without printing its legend (a
    /// printed legend is found by itself).
    #[serde(default)]
    pub rating_scale: Vec<ScaleSpec>,
    /// Columns bound by their header path (`令和2年度 › 実績` → an actual value for 2020).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnSpec>,
    /// Units: extra units values may carry (`万件`), or a fixed unit for a target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitSpec>,
    /// Is `▲`/`△` directly before a number a minus sign? (default true)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minus_marks: Option<bool>,
}

/// A column bound by its header path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// `"令和2年度 › 実績"` or `["令和2年度", "実績"]`; a path names the columns whose header
    /// ends with it.
    pub header: HeaderPath,
    /// A lexicon role (`value.actual`, `rating`, `department`, `field.plan` …), `target.<kind>`
    /// for `value.<kind>`, `field`, or `ignore`.
    pub role: String,
    /// The fiscal year of the column's values, when the path does not name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// A header path as a string or a list of its parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HeaderPath {
    One(String),
    Parts(Vec<String>),
}

impl HeaderPath {
    fn parts(&self) -> Vec<String> {
        match self {
            HeaderPath::One(s) => vec![s.clone()],
            HeaderPath::Parts(v) => v.clone(),
        }
    }
}

/// A unit: known to values from now on, or fixed for the targets whose name holds `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// One level of a rating scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    pub text: String,
    pub meaning: String,
}

/// One numbering level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// `number`, `hyphen`, `prefixed`, `paren`, `circled`, `kana`, `roman`, `compound`, or
    /// `pattern` (may be left out) with `pattern`.
    #[serde(default)]
    pub scheme: String,
    /// A regular expression the ids match at the start of their cell (`[A-Z]-\d+`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `cell` (alone in the first cell), `prefix` (before the title), `after_label` (after a label).
    pub form: String,
    /// `item` or `section`.
    pub kind: String,
    /// The label the ids follow, a regular expression matching it whole: the record label before
    /// the id (`after_label`, `label_prefix`: `改革項目`), or the header of the id column (`cell`:
    /// `No\.?|番号`). Ids of this level elsewhere are not ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A label the built-in lexicon does not know (or knows differently).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    pub label: String,
    pub role: String,
}

fn form_str(f: Form) -> &'static str {
    match f {
        Form::Cell => "cell",
        Form::Prefix => "prefix",
        Form::AfterLabel => "after_label",
        Form::LabelPrefix => "label_prefix",
    }
}

fn form_from(s: &str) -> Option<Form> {
    match s {
        "cell" => Some(Form::Cell),
        "prefix" => Some(Form::Prefix),
        "after_label" => Some(Form::AfterLabel),
        "label_prefix" => Some(Form::LabelPrefix),
        _ => None,
    }
}

impl LayoutSpec {
    /// The spec of chosen levels.
    pub fn from_levels(id: &str, levels: &[(GroupKey, LevelKind, Option<String>)]) -> LayoutSpec {
        // A label is written where it tells a level from another of the same scheme and form.
        let shared = |k: &GroupKey| levels.iter().filter(|(o, _, _)| o == k).count() >= 2;
        LayoutSpec {
            id: id.to_string(),
            description: String::new(),
            kind: "inferred".into(),
            levels: levels
                .iter()
                .map(|(k, kind, label)| LevelSpec {
                    scheme: k.scheme.as_str().into(),
                    pattern: None,
                    form: form_str(k.form).into(),
                    kind: match kind {
                        LevelKind::Item => "item".into(),
                        LevelKind::Section => "section".into(),
                    },
                    label: label.as_deref().filter(|_| shared(k)).map(regex::escape),
                })
                .collect(),
            labels: vec![],
            rating_scale: vec![],
            columns: vec![],
            units: vec![],
            minus_marks: None,
        }
    }

    /// The built-in lexicon with this profile's labels, column headers and units added.
    pub fn lexicon(
        &self,
        base: &crate::fields::lexicon::Lexicon,
    ) -> Result<crate::fields::lexicon::Lexicon> {
        let mut lex = base.clone();
        let units: Vec<&str> = self
            .units
            .iter()
            .filter(|u| u.target.is_none())
            .map(|u| u.unit.as_str())
            .collect();
        // A bound column's own header must read as a label for its header row to be found.
        let headers: Vec<(String, &str)> = self
            .columns
            .iter()
            .filter_map(|c| {
                let last = super::profile_keys::path_parts(&c.header.parts()).pop()?;
                if base.classify(&last).is_some() || super::year_label(&last).is_some() {
                    return None;
                }
                let role = match super::profile_keys::column_role(&c.role)? {
                    super::profile_keys::ColumnRole::Role(r) => r.key(),
                    super::profile_keys::ColumnRole::Ignore => "field.other",
                };
                Some((last, role))
            })
            .collect();
        if self.labels.is_empty() && units.is_empty() && headers.is_empty() {
            return Ok(lex);
        }
        let mut text = format!("units = {units:?}\n\n");
        let pairs = self
            .labels
            .iter()
            .map(|l| (l.label.as_str(), l.role.as_str()))
            .chain(headers.iter().map(|(l, r)| (l.as_str(), *r)));
        for (label, role) in pairs {
            text.push_str(&format!(
                "[[roles]]\nrole = {role:?}\nlabels = [{label:?}]\n\n"
            ));
        }
        let extra = crate::fields::lexicon::Lexicon::from_toml(&self.id, &text)?;
        lex.extend(&extra);
        Ok(lex)
    }

    /// The levels as the engine uses them; an unknown word is an error naming the key.
    pub fn pinned_levels(&self, origin: &str) -> Result<Vec<(GroupKey, LevelKind)>> {
        Ok(self.pins(origin)?.levels)
    }

    /// Everything the profile pins, as the engine applies it; an unknown word or a malformed
    /// pattern is an error naming the key, the value and the file.
    pub fn pins(&self, origin: &str) -> Result<Pins> {
        let bad = |key: &str, value: &str, allowed: &str| {
            Error::new(
                ErrorKind::Profile,
                format!("{origin}: levels.{key} = {value:?} is not one of {allowed}"),
            )
        };
        let mut pins = Pins::levels(&[]);
        pins.minus_marks = self.minus_marks.unwrap_or(true);
        pins.rating_scale = self
            .rating_scale
            .iter()
            .map(|r| (r.text.clone(), r.meaning.clone()))
            .collect();
        for (n, l) in self.levels.iter().enumerate() {
            let form = form_from(&l.form)
                .ok_or_else(|| bad("form", &l.form, "cell, prefix, after_label, label_prefix"))?;
            let scheme = match (&l.pattern, l.scheme.as_str()) {
                (Some(p), "" | "pattern") => {
                    let re =
                        regex::Regex::new(&format!("^(?:{p})")).map_err(|e| {
                            Error::new(
                                ErrorKind::Profile,
                                format!(
                                "{origin}: levels.pattern = {p:?} is not a regular expression: {}",
                                e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
                            ),
                            )
                        })?;
                    let scheme = Scheme::Pattern(u8::try_from(n).unwrap_or(u8::MAX));
                    pins.patterns.push((scheme, form, re));
                    scheme
                }
                (Some(_), other) => {
                    return Err(Error::new(
                        ErrorKind::Profile,
                        format!(
                            "{origin}: levels.scheme = {other:?} with levels.pattern: leave the \
                             scheme out (or write \"pattern\")"
                        ),
                    ))
                }
                (None, key) => Scheme::from_key(key).ok_or_else(|| {
                    bad(
                        "scheme",
                        key,
                        "number, hyphen, prefixed, paren, circled, kana, roman, compound \
                         (or give a pattern)",
                    )
                })?,
            };
            let kind = match l.kind.as_str() {
                "item" => LevelKind::Item,
                "section" => LevelKind::Section,
                other => return Err(bad("kind", other, "item, section")),
            };
            if let Some(label) = &l.label {
                let re =
                    regex::Regex::new(&format!("^(?:{label})")).map_err(|e| {
                        Error::new(
                            ErrorKind::Profile,
                            format!(
                            "{origin}: levels.label = {label:?} is not a regular expression: {}",
                            e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
                        ),
                        )
                    })?;
                if form == Form::Prefix {
                    return Err(bad(
                        "form",
                        &l.form,
                        "cell, after_label, label_prefix (with a label)",
                    ));
                }
                pins.level_labels.push((GroupKey { scheme, form }, re));
            }
            pins.levels.push((GroupKey { scheme, form }, kind));
        }
        if !pins.levels.iter().any(|(_, k)| *k == LevelKind::Item) {
            return Err(Error::new(
                ErrorKind::Profile,
                format!("{origin}: no level has kind = \"item\""),
            ));
        }
        for c in &self.columns {
            let path = super::profile_keys::path_parts(&c.header.parts());
            if path.is_empty() {
                return Err(Error::new(
                    ErrorKind::Profile,
                    format!("{origin}: columns.header is empty"),
                ));
            }
            let role = super::profile_keys::column_role(&c.role).ok_or_else(|| {
                Error::new(
                    ErrorKind::Profile,
                    format!(
                        "{origin}: columns.role = {:?} (for header {:?}) is not a role: use a \
                         lexicon role (department, rating, title, schedule, value.actual, \
                         field.plan …), target.<baseline|goal|plan|actual|rate>, field or ignore",
                        c.role,
                        path.join(" › ")
                    ),
                )
            })?;
            pins.columns.push(ColumnRule {
                path,
                role,
                year: c.year,
            });
        }
        for u in &self.units {
            if u.unit.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::Profile,
                    format!("{origin}: units.unit is empty"),
                ));
            }
            if let Some(t) = &u.target {
                pins.target_units.push((t.clone(), u.unit.clone()));
            }
        }
        Ok(pins)
    }

    /// Parse a profile file of kind `inferred`; errors name the file, the key and the line.
    pub fn from_toml(origin: &str, text: &str) -> Result<LayoutSpec> {
        if let Some(kind) = old_form_kind(text) {
            return Err(Error::new(
                ErrorKind::Profile,
                format!(
                    "{origin}: kind = {kind:?} is the first profile form, which is no longer read: \
                     write it as kind = \"inferred\" (its record marker becomes a [[levels]] label, \
                     see README \"Profiles\"), or let `gyokaku profile infer REPORT > FILE` write one"
                ),
            ));
        }
        let spec: LayoutSpec = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text.get(..s.start).unwrap_or("").matches('\n').count() + 1;
                    format!(" (line {line})")
                })
                .unwrap_or_default();
            Error::new(
                ErrorKind::Profile,
                format!("{origin}{at}: {}", e.message().replace('\n', " ")),
            )
        })?;
        LayoutSpec::checked(origin, text, spec)
    }

    /// A profile as parsed, checked: its kind, pins and label roles; errors name the line of
    /// `text` (the file as written) where the offending value is.
    pub(crate) fn checked(origin: &str, text: &str, spec: LayoutSpec) -> Result<LayoutSpec> {
        Self::checked_with_pins(origin, text, spec).map(|(spec, _)| spec)
    }

    /// [`LayoutSpec::checked`], with the pins made in checking it (its patterns compiled).
    pub(crate) fn checked_with_pins(
        origin: &str,
        text: &str,
        spec: LayoutSpec,
    ) -> Result<(LayoutSpec, Pins)> {
        if spec.kind != "inferred" {
            return Err(Error::new(
                ErrorKind::Profile,
                format!("{origin}: kind = {:?} is not \"inferred\"", spec.kind),
            ));
        }
        // Semantic errors name the line where the offending value is written.
        let located = |e: Error| {
            let value = e
                .message
                .split('"')
                .nth(1)
                .unwrap_or("")
                .replace("\\\\", "\\");
            let line = (!value.is_empty())
                .then(|| {
                    let quoted = [format!("\"{value}\""), format!("'{value}'")];
                    text.lines()
                        .position(|l| quoted.iter().any(|q| l.contains(q.as_str())))
                        .or_else(|| text.lines().position(|l| l.contains(value.as_str())))
                })
                .flatten();
            match line {
                Some(n) => Error::new(
                    e.kind,
                    e.message.replacen(
                        &format!("{origin}: "),
                        &format!("{origin} (line {}): ", n + 1),
                        1,
                    ),
                ),
                None => e,
            }
        };
        let pins = spec.pins(origin).map_err(located)?;
        for l in &spec.labels {
            if crate::fields::lexicon::Role::from_key(&l.role).is_none() {
                return Err(located(Error::new(
                    ErrorKind::Profile,
                    format!(
                        "{origin}: labels.role = {:?} (for {:?}) is not a lexicon role",
                        l.role, l.label
                    ),
                )));
            }
        }
        Ok((spec, pins))
    }

    /// The commented TOML text of this spec.
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        s.push_str("# Layout profile written by `gyokaku profile infer`.\n");
        s.push_str(
            "# Review it, then read this city's reports with `gyokaku parse --profile FILE`.\n",
        );
        s.push_str(
            "# levels: numbering levels, outermost first. scheme: number (1), hyphen (1-2),\n",
        );
        s.push_str("# prefixed (R2-1), paren ((1)), circled (①), kana (ア), roman (Ⅱ), compound (1-(1)-①).\n");
        s.push_str(
            "# form: cell (alone in the first cell), prefix (before the title), after_label\n",
        );
        s.push_str(
            "# (after a label such as 取組項目), label_prefix (label and id in one cell: 取組項目1 題).\n# kind: item, or section for numbered headings.\n",
        );
        s.push_str("# labels: extra labels and their roles (see lexicon/default.toml for the role keys).\n");
        s.push_str(
            "# rating_scale: the ratings best first (a printed legend adds the ones it lacks).\n",
        );
        s.push_str("# Also (README, \"Profiles\"): pattern = '…' in a level instead of its scheme; [[columns]]\n");
        s.push_str("# header = \"令和2年度 › 実績\", role = \"target.actual\"; [[units]] unit (and target);\n");
        s.push_str("# minus_marks = false when ▲/△ before a number is no minus sign.\n\n");
        s.push_str(&format!("id = {:?}\n", self.id));
        if !self.description.is_empty() {
            s.push_str(&format!("description = {:?}\n", self.description));
        }
        s.push_str("kind = \"inferred\"\n");
        if let Some(m) = self.minus_marks {
            s.push_str(&format!("minus_marks = {m}\n"));
        }
        for l in &self.levels {
            s.push_str("\n[[levels]]\n");
            if !l.scheme.is_empty() {
                s.push_str(&format!("scheme = {:?}\n", l.scheme));
            }
            if let Some(p) = &l.pattern {
                s.push_str(&format!("pattern = '{p}'\n"));
            }
            s.push_str(&format!("form = {:?}\nkind = {:?}\n", l.form, l.kind));
            if let Some(label) = &l.label {
                s.push_str(&format!("label = '{label}'\n"));
            }
        }
        for l in &self.labels {
            s.push_str(&format!(
                "\n[[labels]]\nlabel = {:?}\nrole = {:?}\n",
                l.label, l.role
            ));
        }
        for r in &self.rating_scale {
            s.push_str(&format!(
                "\n[[rating_scale]]\ntext = {:?}\nmeaning = {:?}\n",
                r.text, r.meaning
            ));
        }
        for c in &self.columns {
            let header = match &c.header {
                HeaderPath::One(h) => format!("{h:?}"),
                HeaderPath::Parts(p) => format!("{p:?}"),
            };
            s.push_str(&format!(
                "\n[[columns]]\nheader = {header}\nrole = {:?}\n",
                c.role
            ));
            if let Some(y) = c.year {
                s.push_str(&format!("year = {y}\n"));
            }
        }
        for u in &self.units {
            s.push_str(&format!("\n[[units]]\nunit = {:?}\n", u.unit));
            if let Some(t) = &u.target {
                s.push_str(&format!("target = {t:?}\n"));
            }
        }

        s
    }
}

/// The kind of a profile in the first form (`card`, `table`: a `[record]` or `[table]` table, field
/// label lists), if the text is one.
fn old_form_kind(text: &str) -> Option<String> {
    let t: toml::Table = toml::from_str(text).ok()?;
    let kind = t.get("kind")?.as_str()?;
    matches!(kind, "card" | "table").then(|| kind.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_form_profile_is_refused_with_how_to_convert() {
        let cases = [
            (
                "id = \"x\"\nkind = \"card\"\n[record]\nmarker = '改革項目'\n",
                Some("card"),
            ),
            (
                "id = \"x\"\nkind = \"table\"\n[table]\nheader = 'No'\n",
                Some("table"),
            ),
            ("id = \"x\"\nkind = \"inferred\"\n", None),
            ("not toml [", None),
        ];
        for (text, want) in cases {
            assert_eq!(old_form_kind(text).as_deref(), want, "{text}");
            if want.is_some() {
                let e = LayoutSpec::from_toml("old.toml", text).expect_err(text);
                assert_eq!(e.kind, ErrorKind::Profile);
                assert!(
                    e.message.starts_with(&format!(
                        "old.toml: kind = {:?} is the first profile form, which is no longer read",
                        want.unwrap_or_default()
                    )),
                    "{}",
                    e.message
                );
                assert!(e.message.contains("profile infer"), "{}", e.message);
                assert!(!e.message.contains('\n'));
            }
        }
    }

    const HEAD: &str = "id = \"t\"\nkind = \"inferred\"\n";

    fn level(body: &str) -> String {
        format!("{HEAD}\n[[levels]]\n{body}")
    }

    #[test]
    fn profile_errors_name_key_value_and_line() {
        let cases = [
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\nstep = 1\n"),
                "p.toml (line 8): unknown field `step`",
            ),
            (
                level("pattern = 'G(\\d'\nform = \"cell\"\nkind = \"item\"\n"),
                "p.toml (line 5): levels.pattern = \"G(\\\\d\" is not a regular expression",
            ),
            (
                level("scheme = \"hyphen\"\npattern = 'G\\d'\nform = \"cell\"\nkind = \"item\"\n"),
                "p.toml (line 5): levels.scheme = \"hyphen\" with levels.pattern",
            ),
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"section\"\n"),
                "p.toml: no level has kind = \"item\"",
            ),
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n\n[[columns]]\nheader = \"実績\"\nrole = \"target.done\"\n"),
                "p.toml (line 11): columns.role = \"target.done\" (for header \"実績\") is not a role",
            ),
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n\n[[columns]]\nheader = \" › \"\nrole = \"rating\"\n"),
                "p.toml: columns.header is empty",
            ),
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n\n[[units]]\nunit = \"\"\n"),
                "p.toml: units.unit is empty",
            ),
            (
                level("scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n\n[[labels]]\nlabel = \"主務課\"\nrole = \"dept\"\n"),
                "p.toml (line 11): labels.role = \"dept\" (for \"主務課\") is not a lexicon role",
            ),
        ];
        for (text, want) in cases {
            let e = LayoutSpec::from_toml("p.toml", &text).expect_err(want);
            assert_eq!(e.kind, ErrorKind::Profile, "{want}");
            assert!(
                e.message.starts_with(want),
                "want {want:?}, got {:?}",
                e.message
            );
        }
    }

    #[test]
    fn every_key_is_read_and_written_back() {
        let text = format!(
            "{HEAD}minus_marks = false\n\n[[levels]]\npattern = 'G\\d{{2}}'\nform = \"cell\"\nkind = \"item\"\n\n\
             [[columns]]\nheader = [\"令和2年度\", \"到達\"]\nrole = \"target.actual\"\n\n\
             [[columns]]\nheader = \"備考\"\nrole = \"ignore\"\nyear = 2021\n\n\
             [[units]]\nunit = \"万件\"\n\n[[units]]\nunit = \"施設\"\ntarget = \"施設数\"\n"
        );
        let spec = LayoutSpec::from_toml("p.toml", &text).expect("reads");
        let pins = spec.pins("p.toml").expect("pins");
        assert!(!pins.minus_marks);
        assert_eq!(pins.patterns.len(), 1);
        assert_eq!(
            pins.levels,
            [(
                GroupKey {
                    scheme: Scheme::Pattern(0),
                    form: Form::Cell
                },
                LevelKind::Item
            )]
        );
        let cols: Vec<(Vec<String>, Option<i32>)> = pins
            .columns
            .iter()
            .map(|c| (c.path.clone(), c.year))
            .collect();
        assert_eq!(
            cols,
            [
                (vec!["令和2年度".to_string(), "到達".to_string()], None),
                (vec!["備考".to_string()], Some(2021)),
            ]
        );
        assert_eq!(
            pins.target_units,
            [("施設数".to_string(), "施設".to_string())]
        );
        let lex = spec
            .lexicon(crate::fields::lexicon::Lexicon::builtin())
            .expect("lexicon");
        assert!(lex.units().iter().any(|u| u == "万件"));
        assert!(lex.classify("到達").is_some());
        // Written back, the same spec.
        let again = LayoutSpec::from_toml("p.toml", &spec.to_toml()).expect("reads again");
        assert_eq!(again, spec);
    }
}
