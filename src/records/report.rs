//! A report from an inferred (or pinned) layout: the document fields around [`super::build`].

use super::build::build_pinned;
use super::line::Line;
use super::municipality;
use super::{build, LayoutSpec, INFERRED};
use crate::error::{Error, ErrorKind, Result};
use crate::fields::lexicon::Lexicon;
use crate::model::*;
use crate::source::SourceDoc;
use crate::{validate, wareki, Options};

/// Fewest distinct lexicon roles the records must use before the document counts as a report.
const MIN_ROLES: usize = 2;

/// The fiscal year a title speaks of: the first era year, or the last of a range (`H29～R3`). A
/// year named after the range is the report's own (`計画(H28～H32) H29実施状況` → 2017): the
/// range is then the plan's period.
pub fn title_year(title: &str) -> Option<i32> {
    let year_in = |s: &str| wareki::year_in_label(s).or_else(|| wareki::western_year_in(s));
    let parts: Vec<&str> = title.split(['～', '〜', '~']).collect();
    if let [_, .., last] = parts.as_slice() {
        if let Some(y) = year_in(last) {
            // The text after the range's end year (its 年度, or the bracket closing the range).
            let after = last
                .find(['年', ')', '）'])
                .and_then(|k| last.get(k..))
                .and_then(|rest| {
                    rest.find(|c: char| !matches!(c, '年' | '度' | ')' | '）'))
                        .map(|j| &rest[j..])
                })
                .unwrap_or("");
            return Some(year_in(after).unwrap_or(y));
        }
    }
    year_in(title)
}

/// The municipality named in the title (`第5次磐野市…` → `磐野市`), else the dominant one.
fn municipality_of(title: Option<&str>, lines: &[Line]) -> Option<String> {
    if let Some(t) = title {
        // A plan's edition (`第5次`) is not part of the name.
        let t = match t.find('次') {
            Some(k) if t.starts_with('第') && k <= 8 => t.get(k + '次'.len_utf8()..).unwrap_or(t),
            _ => t,
        };
        if let Some(m) = municipality::names(t).next() {
            // A name may hold kana (`椎ノ木村`, `鶴ヶ島市`): extend it back over them.
            let start = t.find(m).unwrap_or(0);
            let head = t.get(..start).unwrap_or("");
            let ext: String = head
                .chars()
                .rev()
                .take_while(|c| {
                    matches!(c, 'ノ' | 'ヶ' | 'ケ' | 'が' | 'の' | '々')
                        || ('\u{4E00}'..='\u{9FFF}').contains(c)
                })
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if ext
                .chars()
                .any(|c| matches!(c, 'ノ' | 'ヶ' | 'ケ' | 'が' | 'の' | '々'))
                && start == ext.len()
            {
                return Some(format!("{ext}{m}"));
            }
            return Some(m.to_string());
        }
    }
    municipality::dominant(lines)
}

/// The fiscal year of a report whose title names none: a short line of the cover, before the first
/// record, naming an era year with 年度 or 報告 (`R3期末報告書`, `令和3年度 進捗状況`).
/// Returns the year and the line it was read from.
fn cover_year(lines: &[Line], before_line: u32) -> Option<(i32, u32)> {
    cover_lines(lines, before_line)
        .filter(|(t, _)| t.chars().count() <= 30 && (t.contains("報告") || t.contains("年度")))
        .find_map(|(t, at)| Some((title_year(&t)?, at)))
}

/// The short lines of the cover (one filled cell, before the first record): text and line number.
fn cover_lines(lines: &[Line], before_line: u32) -> impl Iterator<Item = (String, u32)> + '_ {
    lines
        .iter()
        .take_while(move |l| l.line < before_line)
        .filter(|l| l.filled().count() == 1)
        .map(|l| (l.joined(), l.line))
}

/// The municipality of the issuing office named on one of the last lines (`椎名町総務部企画課`,
/// `令和３年３月　椎名町`), and the line it was read from.
fn issuer_municipality(lines: &[Line]) -> Option<(String, u32)> {
    lines
        .iter()
        .rev()
        .filter(|l| !l.is_blank())
        .take(3)
        .filter(|l| l.filled().count() == 1)
        .find_map(|l| {
            let t = l.joined();
            municipality::office_name(&t).map(|name| (name.to_string(), l.line))
        })
}

/// The municipality a cover line names (`桜淵市行財政改革プランⅡ` under a title in kana), and the
/// line it was read from.
fn cover_municipality(lines: &[Line], before_line: u32) -> Option<(String, u32)> {
    cover_lines(lines, before_line)
        .filter(|(t, _)| t.chars().count() <= 40)
        .find_map(|(t, at)| {
            let name = municipality::names(&t).find(|n| municipality::is_name(n))?;
            Some((name.to_string(), at))
        })
}

/// Read a report with an inferred layout, or with the levels a spec pins.
pub fn read(
    doc: &SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
    lex: &Lexicon,
    spec: Option<&LayoutSpec>,
) -> Result<Report> {
    read_as(doc, path, sha256, opts, lex, spec, spec.is_none())
}

/// [`read`], saying whether the reading must show it is a report (`strict`: enough items with
/// report content, enough report roles), as inference and the built-in profiles must; a profile
/// the user gives is taken at its word.
pub fn read_as(
    doc: &SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
    lex: &Lexicon,
    spec: Option<&LayoutSpec>,
    strict: bool,
) -> Result<Report> {
    let reading = read_unchecked(doc, path, sha256, opts, lex, spec, strict)?;
    let mut report = reading.report;
    if reading.confidence < LOW_CONFIDENCE {
        report.diagnostics.push(low_confidence(reading.confidence));
    }
    validate::validate_items(reading.has_rating, &mut report);
    report
        .diagnostics
        .sort_by_key(|d| (d.line.unwrap_or(0), d.page.unwrap_or(0)));
    Ok(report)
}

/// The `low-layout-confidence` warning.
pub fn low_confidence(confidence: f64) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        "low-layout-confidence",
        format!(
            "the inferred layout explains {:.0}% of the lines; see the unassigned-text diagnostics",
            confidence * 100.0
        ),
    )
}

/// A report read but not yet checked as a whole (no validation, no low-confidence warning,
/// diagnostics in the order found), with what reading a document in windows needs.
pub struct Reading {
    pub report: Report,
    pub confidence: f64,
    /// More than half the items carry a rating.
    pub has_rating: bool,
    pub built: super::build::Built,
}

/// A layout ready to read with: the spec (None: inferred), its pins and its lexicon, prepared
/// once for the many windows of a large text (a built-in profile's once per process and lexicon).
pub struct Layout<'a> {
    spec: Option<&'a LayoutSpec>,
    prepared: Option<std::sync::Arc<super::prepared::Prepared>>,
    base: &'a Lexicon,
}

impl<'a> Layout<'a> {
    pub fn new(spec: Option<&'a LayoutSpec>, lex: &'a Lexicon) -> Result<Self> {
        let prepared = match spec {
            Some(s) => Some(super::prepared::prepare(s, lex)?),
            None => None,
        };
        Ok(Layout {
            spec,
            prepared,
            base: lex,
        })
    }

    fn pins(&self) -> Option<&super::profile_keys::Pins> {
        self.prepared.as_ref().map(|p| &p.pins)
    }

    fn lex(&self) -> &Lexicon {
        self.prepared.as_ref().map_or(self.base, |p| &p.lex)
    }
}

/// [`read_as`] up to the checks over all items.
#[allow(clippy::too_many_arguments)]
pub fn read_unchecked(
    doc: &SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
    lex: &Lexicon,
    spec: Option<&LayoutSpec>,
    strict: bool,
) -> Result<Reading> {
    read_prepared(doc, path, sha256, opts, &Layout::new(spec, lex)?, strict)
}

/// [`read_unchecked`] with the layout prepared.
pub fn read_prepared(
    doc: &SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
    layout: &Layout,
    strict: bool,
) -> Result<Reading> {
    let (raw, lines) = super::explode(&doc.lines);
    let lines = &lines[..];
    let spec = layout.spec;
    let pins = layout.pins();
    let lex: &Lexicon = layout.lex();
    // The report year from the title comes first: target values without a year column take it.
    let joined = |l: &Line| l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
    let mut heads = lines.iter().filter(|l| !l.is_blank()).map(joined);
    let pre_year = heads.next().as_deref().and_then(title_year);
    // The title may give it on its second or third line (`…プラン` over `令和５年度　取組状況報告書`).
    let values_year = pre_year.or_else(|| heads.take(2).find_map(|t| title_year(&t)));
    let mut built = build_pinned(
        lex,
        lines,
        &raw,
        values_year,
        pins,
        opts.repeated_edges.as_deref(),
    );
    if let Some(p) = pins {
        let notes = super::profile_keys::apply_units(&p.target_units, &mut built.items);
        built.diagnostics.extend(notes);
    }
    if let Some(s) = spec.filter(|s| !s.rating_scale.is_empty()) {
        let (scale, note) = profile_scale(lex, s, built.rating_scale.as_deref());
        super::legends::rate(lex, &mut built.items, &scale);
        // The progress status follows its rating's code from the profile's scale.
        for it in &mut built.items {
            let Some(code) = it.rating.as_ref().map(|r| r.code.clone()) else {
                continue;
            };
            for s in it.progress.iter_mut().filter_map(|p| p.status.as_mut()) {
                if it.rating.as_ref().is_some_and(|r| r.text == s.text) {
                    s.code = super::build::status_code(code.as_deref());
                }
            }
        }
        built.rating_scale = Some(scale);
        built.diagnostics.extend(note);
    }
    let layout = spec.map_or(INFERRED, |s| s.id.as_str());
    if built.items.is_empty() {
        return Err(Error::new(
            ErrorKind::NotAReport,
            super::why::inferred_reason(layout, lex, &raw, lines, pins),
        ));
    }
    let evidence = built
        .items
        .iter()
        .filter(|it| has_report_content(it))
        .count();
    if strict && evidence * 2 < built.items.len() {
        return Err(Error::new(
            ErrorKind::NotAReport,
            format!(
                "{layout}: {} numbered rows ({}), but only {evidence} carry what a reform item \
                 has (a department, a rating, plan or result text, targets or a schedule)",
                built.items.len(),
                super::why::item_lines(&built.items)
            ),
        ));
    }
    if strict && built.roles_used < MIN_ROLES {
        return Err(Error::new(
            ErrorKind::NotAReport,
            format!(
                "{layout}: {} numbered rows ({}), but their labels and columns name {} of the \
                 report roles (department, rating, plan, results, targets, schedule …)",
                built.items.len(),
                super::why::item_lines(&built.items),
                built.roles_used
            ),
        ));
    }
    let title = built.title.clone();
    let first_item = built.items.first().map_or(u32::MAX, |it| it.source.line);
    // Cover lines that give the year or the municipality are explained by them.
    let mut cover_used: Vec<u32> = vec![];
    let fiscal_year = title
        .as_deref()
        .and_then(title_year)
        .or(pre_year)
        .or_else(|| {
            let (y, at) = cover_year(lines, first_item)?;
            cover_used.push(at);
            Some(y)
        });
    for p in built.items.iter_mut().flat_map(|it| it.progress.iter_mut()) {
        p.fiscal_year = p.fiscal_year.or(fiscal_year);
    }
    let municipality = opts.municipality.clone().or_else(|| {
        municipality_of(title.as_deref(), lines).or_else(|| {
            let (m, at) =
                cover_municipality(lines, first_item).or_else(|| issuer_municipality(lines))?;
            cover_used.push(at);
            Some(m)
        })
    });
    let mut diagnostics = doc.diagnostics.clone();
    diagnostics.extend(
        built
            .diagnostics
            .iter()
            .filter(|d| {
                !(d.code == "unassigned-text"
                    && d.severity == Severity::Info
                    && d.line.is_some_and(|l| cover_used.contains(&l)))
            })
            .cloned(),
    );
    let has_rating =
        built.items.iter().filter(|i| i.rating.is_some()).count() * 2 > built.items.len();
    let confidence = built.confidence;
    let report = Report {
        schema: REPORT_SCHEMA.to_string(),
        generator: format!("gyokaku {}", env!("CARGO_PKG_VERSION")),
        source: SourceInfo {
            path: path.to_string(),
            sha256: sha256.to_string(),
            media_type: doc.media_type.clone(),
            encoding: doc.encoding.clone(),
            pages: doc.pages,
            ocr_pages: doc.ocr_pages.clone(),
        },
        layout: spec.map_or_else(|| INFERRED.to_string(), |s| s.id.clone()),
        layout_confidence: Some(built.confidence),
        title,
        municipality,
        fiscal_year,
        sections: std::mem::take(&mut built.sections),
        rating_scale: built.rating_scale.take(),
        declared_status_counts: built.declared.take(),
        items: std::mem::take(&mut built.items),
        totals: std::mem::take(&mut built.totals),
        diagnostics,
    };
    built.diagnostics.clear();
    Ok(Reading {
        report,
        confidence,
        has_rating,
        built,
    })
}

/// The rating scale of a profile, combined with the legend the report prints: the profile's levels
/// come first, in its order (it is the reader's statement of the scale); printed levels it does not
/// list follow, ranked after them. A printed meaning that differs from the profile's is noted.
fn profile_scale(
    lex: &Lexicon,
    spec: &LayoutSpec,
    printed: Option<&[RatingLevel]>,
) -> (Vec<RatingLevel>, Vec<Diagnostic>) {
    let key = |t: &str| super::strip_ws(t);
    let mut scale: Vec<RatingLevel> = spec
        .rating_scale
        .iter()
        .map(|r| RatingLevel {
            text: r.text.clone(),
            meaning: r.meaning.clone(),
            rank: 0,
            code: super::legends::rating_code(lex, &r.text, Some(&r.meaning)),
        })
        .collect();
    let mut notes = vec![];
    for p in printed.unwrap_or_default() {
        match scale.iter().find(|s| key(&s.text) == key(&p.text)) {
            Some(s) if key(&s.meaning) != key(&p.meaning) => notes.push(Diagnostic::new(
                Severity::Info,
                "rating-scale-profile",
                format!(
                    "rating {:?}: the printed legend says {:?}, the profile {:?} (the profile's is used)",
                    p.text, p.meaning, s.meaning
                ),
            )),
            Some(_) => {}
            None => scale.push(p.clone()),
        }
    }
    for (n, s) in scale.iter_mut().enumerate() {
        s.rank = n as u32 + 1;
    }
    (scale, notes)
}

/// Does an item carry what reform items carry: a department, a rating, text under a plan, result,
/// issue or next-step label, a target or a schedule?
fn has_report_content(it: &Item) -> bool {
    const ROLES: [&str; 6] = [
        "field.current_state",
        "field.plan",
        "field.activities",
        "field.issues",
        "field.next_steps",
        "rating",
    ];
    it.department.is_some()
        || it.rating.is_some()
        || !it.targets.is_empty()
        || !it.schedule.is_empty()
        || it
            .fields
            .iter()
            .any(|f| f.role.as_deref().is_some_and(|r| ROLES.contains(&r)))
}

/// Below this share of explained lines an inferred layout is reported as uncertain.
pub const LOW_CONFIDENCE: f64 = 0.9;

/// The layout inference decided for a document, as a profile file.
pub fn infer_spec(doc: &SourceDoc, lex: &Lexicon, id: &str) -> Result<LayoutSpec> {
    let (raw, lines) = super::explode(&doc.lines);
    let built = build(lex, &lines, &raw, None, None);
    if built.items.is_empty() {
        return Err(Error::new(
            ErrorKind::NotAReport,
            "inferred layout: no run of item numbers with content found",
        ));
    }
    let mut spec = LayoutSpec::from_levels(id, &built.levels);
    spec.description = format!(
        "inferred from a report with {} items ({:.0}% of its lines explained)",
        built.items.len(),
        built.confidence * 100.0
    );
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuing_office_on_the_last_lines() {
        let doc = |text: &str| -> Vec<Line> { crate::records::tab_doc(text).1 };
        let cases = [
            (
                "報告\n本文\n\n令和３年３月\n椎名町総務部企画課",
                Some(("椎名町", 5)),
            ),
            ("報告\n本文\n架空市", Some(("架空市", 3))),
            // A sentence naming a municipality is no issuer.
            ("報告\n本文\n架空市との協議を続ける。", None),
        ];
        for (text, want) in cases {
            let got = issuer_municipality(&doc(text));
            assert_eq!(
                got.as_ref().map(|(m, at)| (m.as_str(), *at)),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn title_years() {
        let cases = [
            ("架空市行政改革 令和3年度進捗状況", Some(2021)),
            ("集中改革プラン(H17～H21)", Some(2009)),
            ("H29～R3 行財政改革", Some(2021)),
            // A range in brackets is the plan's period; the year after it is the report's.
            (
                "推進計画(平成28年度～平成32年度) 平成29年度実施状況",
                Some(2017),
            ),
            (
                "実施計画（令和3年度〜令和7年度）令和4年度進捗状況",
                Some(2022),
            ),
            ("令和3年度～令和7年度 実施計画 令和5年度報告", Some(2023)),
            ("令和3年度～令和7年度 実施計画", Some(2025)),
            ("進捗状況報告", None),
            // Western years, when no era year is named.
            ("行財政改革推進計画 2024年度実績報告", Some(2024)),
            ("実施計画(2021年度～2025年度) 2023年度進捗状況", Some(2023)),
            ("改善件数1200件の報告", None),
            ("令和5年度(2023年度)報告", Some(2023)),
        ];
        for (title, want) in cases {
            assert_eq!(title_year(title), want, "{title}");
        }
    }
}
