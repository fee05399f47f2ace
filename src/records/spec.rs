//! A layout written down: what inference decided, as a profile file a user can review and pin.
//!
//! `gyokaku profile infer FILE` writes this; `--profile FILE` reads it back (a profile with
//! `kind = "inferred"`), and parsing with it gives the same result as inference, because the
//! engine is the same and only the decisions are fixed.

use super::ids::Scheme;
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
    /// `number`, `hyphen`, `prefixed`, `paren`, `circled`, `kana`, `roman`, `compound`.
    pub scheme: String,
    /// `cell` (alone in the first cell), `prefix` (before the title), `after_label` (after a label).
    pub form: String,
    /// `item` or `section`.
    pub kind: String,
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
    pub fn from_levels(id: &str, levels: &[(GroupKey, LevelKind)]) -> LayoutSpec {
        LayoutSpec {
            id: id.to_string(),
            description: String::new(),
            kind: "inferred".into(),
            levels: levels
                .iter()
                .map(|(k, kind)| LevelSpec {
                    scheme: k.scheme.as_str().into(),
                    form: form_str(k.form).into(),
                    kind: match kind {
                        LevelKind::Item => "item".into(),
                        LevelKind::Section => "section".into(),
                    },
                })
                .collect(),
            labels: vec![],
            rating_scale: vec![],
        }
    }

    /// The built-in lexicon with this profile's labels added.
    pub fn lexicon(
        &self,
        base: &crate::fields::lexicon::Lexicon,
    ) -> Result<crate::fields::lexicon::Lexicon> {
        let mut lex = base.clone();
        if self.labels.is_empty() {
            return Ok(lex);
        }
        let mut text = String::new();
        for l in &self.labels {
            text.push_str(&format!(
                "[[roles]]\nrole = {:?}\nlabels = [{:?}]\n\n",
                l.role, l.label
            ));
        }
        let extra = crate::fields::lexicon::Lexicon::from_toml(&self.id, &text)?;
        lex.extend(&extra);
        Ok(lex)
    }

    /// The levels as the engine uses them; an unknown word is an error naming the key.
    pub fn pinned_levels(&self, origin: &str) -> Result<Vec<(GroupKey, LevelKind)>> {
        let bad = |key: &str, value: &str, allowed: &str| {
            Error::new(
                ErrorKind::Profile,
                format!("{origin}: levels.{key} = {value:?} is not one of {allowed}"),
            )
        };
        let mut out = vec![];
        for l in &self.levels {
            let scheme = Scheme::from_key(&l.scheme).ok_or_else(|| {
                bad(
                    "scheme",
                    &l.scheme,
                    "number, hyphen, prefixed, paren, circled, kana, roman, compound",
                )
            })?;
            let form = form_from(&l.form)
                .ok_or_else(|| bad("form", &l.form, "cell, prefix, after_label, label_prefix"))?;
            let kind = match l.kind.as_str() {
                "item" => LevelKind::Item,
                "section" => LevelKind::Section,
                other => return Err(bad("kind", other, "item, section")),
            };
            out.push((GroupKey { scheme, form }, kind));
        }
        if !out.iter().any(|(_, k)| *k == LevelKind::Item) {
            return Err(Error::new(
                ErrorKind::Profile,
                format!("{origin}: no level has kind = \"item\""),
            ));
        }
        Ok(out)
    }

    /// Parse a profile file of kind `inferred`.
    pub fn from_toml(origin: &str, text: &str) -> Result<LayoutSpec> {
        let spec: LayoutSpec = toml::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Profile,
                format!("{origin}: {}", e.message().replace('\n', " ")),
            )
        })?;
        if spec.kind != "inferred" {
            return Err(Error::new(
                ErrorKind::Profile,
                format!("{origin}: kind = {:?} is not \"inferred\"", spec.kind),
            ));
        }
        spec.pinned_levels(origin)?;
        for l in &spec.labels {
            if crate::fields::lexicon::Role::from_key(&l.role).is_none() {
                return Err(Error::new(
                    ErrorKind::Profile,
                    format!(
                        "{origin}: labels.role = {:?} (for {:?}) is not a lexicon role",
                        l.role, l.label
                    ),
                ));
            }
        }
        Ok(spec)
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
        s.push_str("# rating_scale: the ratings best first, when the report prints no legend.\n\n");
        s.push_str(&format!("id = {:?}\n", self.id));
        if !self.description.is_empty() {
            s.push_str(&format!("description = {:?}\n", self.description));
        }
        s.push_str("kind = \"inferred\"\n");
        for l in &self.levels {
            s.push_str(&format!(
                "\n[[levels]]\nscheme = {:?}\nform = {:?}\nkind = {:?}\n",
                l.scheme, l.form, l.kind
            ));
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
        s
    }
}
