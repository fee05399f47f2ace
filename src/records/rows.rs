//! Rows into an item: table rows by their header's columns, card rows by their labels, narrative
//! paragraphs, target tables, and the findings and v1 lists derived from the fields.

pub(super) use super::header::{header_columns, table_below};
use super::ids::{self, IdToken};
pub(super) use super::targets::*;
use super::text::*;
use super::{year_label, Candidate};
use crate::fields::lexicon::{self as lexmod, Canonical, Lexicon, Role};
use crate::fields::values::{parse_quantity_with, Quantity};
use crate::model::*;
use crate::records::line::Line;

/// A column of a header row.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// The label as printed; two-row headers join with ` › `.
    pub(super) label: String,
    /// The column's own label (the lower row of a two-row header).
    pub(super) own: String,
    pub(super) roles: Vec<Role>,
    pub(super) year: Option<i32>,
}

pub(super) fn role_key(r: Role) -> String {
    r.key().to_string()
}

/// The roles of a label; a year-only label (`H29`) has none but its year.
pub(super) fn label_info(lex: &Lexicon, label: &str) -> (Vec<Role>, Option<i32>) {
    if let Some(y) = year_label(label) {
        return (vec![], Some(y));
    }
    match lex.classify(label) {
        Some(m) => (m.roles, m.fiscal_year),
        None => (vec![], None),
    }
}

/// A header cell that is itself one of the ratings (`達成 | 概ね達成 | 未達成` over rows marking one of
/// them with `●`): short, no label the lexicon knows, and a rating word.
pub(super) fn is_choice(lex: &Lexicon, cell: &str) -> bool {
    let c = cell.trim();
    (1..=8).contains(&c.chars().count())
        && c.starts_with(|ch: char| ch.is_alphanumeric())
        && year_label(c).is_none()
        && lex.classify(c).is_none()
        && lex.rating_code(c, None).is_some()
}

/// A cell that marks the column it stands in (`●`, `○`, `✓`): the row's choice among rating
/// columns.
pub(super) fn is_choice_mark(cell: &str) -> bool {
    let mut chars = cell.trim().chars();
    matches!(
        (chars.next(), chars.next()),
        (
            Some('●' | '○' | '◎' | '〇' | '◯' | '✓' | '✔' | 'レ' | '■' | '☑'),
            None
        )
    )
}

/// Boxes that mark an option as chosen, and boxes left empty.
const CHECKED: &[char] = &['☑', '☒', '✅', '■', '◼', '●', '◉', '✓', '✔'];
const UNCHECKED: &[char] = &['☐', '□', '◻', '○', '〇', '◯'];

/// A value that is a row of check boxes, one before each option (`☑順調 ☐やや遅れ ☐遅れ`,
/// `■継続 □拡充 □縮小`): the option checked, when exactly one is and another is left empty.
pub(super) fn checked_option(value: &str) -> Option<String> {
    let t = value.trim();
    if !t.starts_with(|c| CHECKED.contains(&c) || UNCHECKED.contains(&c)) {
        return None;
    }
    let mut options: Vec<(bool, String)> = vec![];
    for c in t.chars() {
        if CHECKED.contains(&c) || UNCHECKED.contains(&c) {
            options.push((CHECKED.contains(&c), String::new()));
        } else if let Some((_, text)) = options.last_mut() {
            text.push(c);
        }
    }
    let plain = |s: &str| {
        let s = s.trim();
        !s.is_empty() && s.chars().count() <= 12 && !s.contains(['。', '、', '.'])
    };
    let checked: Vec<&String> = options.iter().filter(|o| o.0).map(|o| &o.1).collect();
    let ok = options.len() >= 2
        && options.iter().all(|(_, s)| plain(s))
        && checked.len() == 1
        && options.iter().any(|o| !o.0);
    ok.then(|| checked.first().map(|s| s.trim().to_string()))
        .flatten()
}

/// What an item is being built from.
pub(super) struct Building {
    pub(super) item: Item,
    /// A target's name printed on the row before its table (`成果指標 | 窓口予約の利用件数`),
    /// and the field it is kept as when no table follows.
    pub(super) pending_target: Option<(String, Option<String>, FieldText)>,
    /// The line indices the item's content came from (for the confidence figure).
    pub(super) open_field: Option<usize>,
    /// A label printed at the end of the title cell whose text is the next sub-row's.
    pub(super) pending_label: Option<String>,
    /// The label of the last labelled sub-row and the columns its text stood in: a next sub-row
    /// filled in those columns only is that text wrapped (a PDF cell's further lines).
    pub(super) label_row: Option<(String, Vec<usize>)>,
    /// The department of the group heading the item stands under (`＜総務課＞`), for an item
    /// that names none of its own.
    pub(super) group_department: Option<String>,
    /// The target begun by a labelled line (`目標：寄附件数 3,000件`): its line and index, for
    /// the values labelled after it on that line.
    pub(super) line_target: Option<(u32, usize)>,
    /// The column the title starts at on the item's first line, while the lines after it may
    /// continue the title.
    pub(super) title_col: Option<usize>,
    /// The line of a department label standing alone (`担当部署`), its value on the next line
    /// (a PDF block's lines share their block's line number).
    pub(super) department_label: Option<u32>,
}

pub(super) use super::groups::group_department;

/// A field label written at the end of a title cell (`題 これまでの取組状況と今後の見通し`, its text
/// on the sub-row below): the title without it, and the label. Only labels of six characters or
/// more, so that a title ending in a short word (`…の概要`) keeps it.
pub(super) fn trailing_label(lex: &Lexicon, title: &str) -> Option<(String, String)> {
    let t = title.trim();
    if lex.classify(t).is_some_and(|m| m.exact) {
        return None;
    }
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for n in (6..=chars.len().saturating_sub(2).min(24)).rev() {
        let k = chars.len() - n;
        let at = chars.get(k).map(|(b, _)| *b)?;
        let (head, label) = t.split_at(at);
        let is_field = lex
            .classify(label)
            .is_some_and(|m| m.exact && m.roles.iter().any(|r| matches!(r, Role::Field(_))));
        if is_field && !head.trim().is_empty() {
            return Some((head.trim().to_string(), label.to_string()));
        }
    }
    None
}

pub(super) fn prov(l: &Line) -> Provenance {
    Provenance {
        page: l.page,
        line: l.line,
        bbox: None,
        cell: None,
    }
}

pub(super) fn new_item(
    tok: &IdToken,
    l: &Line,
    parent: Option<String>,
    section: &[Section],
) -> Item {
    Item {
        id: tok.text.clone(),
        number: if tok.scheme == ids::Scheme::Number {
            Some(tok.ordinal)
        } else {
            None
        },
        parent,
        title: String::new(),
        is_new: false,
        section: if section.is_empty() {
            None
        } else {
            Some(
                section
                    .iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" › "),
            )
        },
        section_id: section.last().and_then(|s| s.id.clone()),
        department: None,
        lead_department: None,
        rating: None,
        fields: vec![],
        findings: vec![],
        current_state: vec![],
        plan: vec![],
        current_state_sources: vec![],
        plan_sources: vec![],
        targets: vec![],
        schedule: vec![],
        progress: vec![],
        source: prov(l),
    }
}

pub(super) struct Ctx<'a> {
    pub(super) lex: &'a Lexicon,
    pub(super) report_year: Option<i32>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) roles_used: Vec<String>,
    /// `▲`/`△` before a number is a minus sign.
    pub(super) minus_marks: bool,
}

impl Ctx<'_> {
    /// An info diagnostic for a column or label no rule maps, once per report.
    pub(super) fn note_unmapped(&mut self, code: &str, message: String, l: &Line, item: &str) {
        if self
            .diags
            .iter()
            .any(|d| d.code == code && d.message == message)
        {
            return;
        }
        self.diags.push(
            Diagnostic::new(Severity::Info, code, message)
                .at(Some(l.line), l.page)
                .item(Some(item)),
        );
    }

    /// A cell's quantity, with the units of the lexicon in force.
    pub(super) fn quantity(&self, cell: &str) -> Quantity {
        parse_quantity_with(cell, self.minus_marks, self.lex.units())
    }

    pub(super) fn note_role(&mut self, r: &[Role]) {
        for x in r {
            let k = role_key(*x);
            if !self.roles_used.contains(&k) {
                self.roles_used.push(k);
            }
        }
    }
}

/// Add a field (or extend the last one of the same label: sub-rows, continuation lines).
pub(super) fn add_field(
    b: &mut Building,
    label: &str,
    text: &str,
    roles: &[Role],
    l: &Line,
    merge: bool,
) {
    let text = text.trim();
    // A decorative mark before a label (`◇取組内容`, `■実績`) is not part of it.
    let label = label.trim_start_matches(['◇', '◆', '□', '■', '●', '・', '▼', '▽']);
    if merge {
        if let Some(f) = b.item.fields.iter_mut().rev().find(|f| f.label == label) {
            if !text.is_empty() {
                if !f.text.is_empty() {
                    f.text.push('\n');
                }
                f.text.push_str(text);
            }
            return;
        }
    }
    b.item.fields.push(FieldText {
        label: label.to_string(),
        text: text.to_string(),
        role: roles.first().map(|r| role_key(*r)),
        source: prov(l),
    });
    b.open_field = Some(b.item.fields.len() - 1);
}

impl Building {
    /// A target's name that no table followed is kept as the labelled field it was printed as.
    pub(super) fn keep_pending_target(&mut self) {
        if let Some((_, _, field)) = self.pending_target.take() {
            // In printed order among the fields read after it.
            let at = self
                .item
                .fields
                .iter()
                .position(|f| f.source.line > field.source.line)
                .unwrap_or(self.item.fields.len());
            self.item.fields.insert(at, field);
            if let Some(open) = self.open_field.as_mut().filter(|k| **k >= at) {
                *open += 1;
            }
        }
    }

    /// The item, with a target's name that no table followed kept as a field.
    pub(super) fn into_item(mut self) -> Item {
        self.keep_pending_target();
        if self.item.department.is_none() {
            self.item.department = self.group_department.take();
        }
        self.item
    }
}

/// A target named by its label, its value nothing but labelled amounts (`効果額（千円）` over
/// `計画 1,200　実績 1,350`): the label is no value kind of its own.
fn named_by_label(ctx: &Ctx, roles: &[Role], label: &str, value: &str, l: &Line) -> Option<Target> {
    if value_kind_of(roles).is_some_and(|_| !roles.contains(&Role::Target)) {
        return None;
    }
    let (name, amounts) = labelled_amounts(ctx, &format!("{} {}", label.trim(), value.trim()))?;
    let (name, unit) = target_name(&name);
    if name != target_name(label).0 {
        return None;
    }
    Some(amounts_target(ctx, name, unit, amounts, l))
}

/// A target of the amounts labelled on a line, its unit the one given or else the amounts'.
fn amounts_target(
    ctx: &Ctx,
    name: String,
    unit: Option<String>,
    amounts: Vec<LabelledAmount>,
    l: &Line,
) -> Target {
    let unit = unit.or_else(|| amounts.iter().find_map(|(_, _, _, q)| q.unit.clone()));
    let values = amounts
        .into_iter()
        .map(|(kind, lb, amount, q)| line_value(kind, &lb, &amount, q.number, ctx, l))
        .collect();
    Target { name, unit, values }
}

/// A value printed after a label on a line (`実績：3,412件`), of the report's year.
fn line_value(
    kind: ValueKind,
    label: &str,
    text: &str,
    number: Option<f64>,
    ctx: &Ctx,
    l: &Line,
) -> TargetValue {
    TargetValue {
        kind,
        label: label.trim().to_string(),
        fiscal_year: ctx.report_year,
        text: Some(text.trim().to_string()),
        number,
        source: Some(prov(l)),
    }
}

/// Apply a labelled value to the item: department, rating, or a field.
pub(super) fn apply_label(
    ctx: &mut Ctx,
    b: &mut Building,
    label: &str,
    value: &str,
    l: &Line,
    merge: bool,
) {
    let (mut roles, year) = label_info(ctx.lex, label);
    // `☑順調 ☐やや遅れ ☐遅れ`: the option checked is the value.
    let chosen = checked_option(value);
    let value = chosen.as_deref().unwrap_or(value);
    let numeric = ctx.quantity(value).number.is_some();
    let text = !value.trim().is_empty() && !numeric;
    // Text under a label that also names a value (`現状`: a baseline value or the current state)
    // is the field.
    if text && matches!(roles.first(), Some(Role::Value(_))) {
        if let Some(p) = roles.iter().position(|r| matches!(r, Role::Field(_))) {
            let r = roles.remove(p);
            roles.insert(0, r);
        }
    }
    // A plan label of a fiscal year (`R3取組内容`, `令和3年度の取組内容`) says what was done that year.
    if year.is_some() && roles.first() == Some(&Role::Field(Canonical::Plan)) {
        roles.insert(0, Role::Field(Canonical::Activities));
    }
    ctx.note_role(&roles);
    // A target label of a fiscal year with text (`R3目標 | 研究し試行する`) is that year's goal.
    if year.is_some() && text && roles.first() == Some(&Role::Target) {
        add_field(b, label, value, &roles, l, merge);
        return;
    }
    // A target label over its table (`成果指標` alone): the table that follows holds the values.
    if roles.first() == Some(&Role::Target) && value.trim().is_empty() {
        b.open_field = None;
        return;
    }
    // `スケジュール　R5 選定 → R6 導入`: a step per year.
    if roles.first() == Some(&Role::Schedule) {
        if let Some(steps) = year_steps(value) {
            for (year, label, text) in steps {
                b.item.schedule.push(ScheduleEntry {
                    fiscal_year: Some(year),
                    label,
                    text,
                    milestones: vec![],
                    continues: true,
                    notes: vec![],
                    source: Some(prov(l)),
                });
            }
            b.open_field = None;
            return;
        }
    }
    // `効果額（千円）　計画 1,200　実績 1,350`: the label names the amounts labelled after it.
    if let Some(target) = named_by_label(ctx, &roles, label, value, l) {
        b.item.targets.push(target);
        b.line_target = Some((l.line, b.item.targets.len() - 1));
        b.open_field = None;
        return;
    }
    // `目標：寄附件数 3,000件`: an indicator and its goal on one labelled line; values of other
    // kinds on the same line (`実績：3,412件`) join it.
    if roles.first() == Some(&Role::Target) && !numeric {
        // `KPI：申請件数　目標 1,000件　実績 1,284件`: the amounts labelled after the name.
        if let Some((name, amounts)) = labelled_amounts(ctx, value.trim()) {
            let target = amounts_target(ctx, name, None, amounts, l);
            b.item.targets.push(target);
            b.line_target = Some((l.line, b.item.targets.len() - 1));
            b.open_field = None;
            return;
        }
        if let Some((name, amount)) = value.trim().rsplit_once(char::is_whitespace) {
            let q = ctx.quantity(amount);
            let name = name.trim();
            if q.number.is_some() && !name.is_empty() && ctx.quantity(name).number.is_none() {
                b.item.targets.push(Target {
                    name: name.to_string(),
                    unit: q.unit.clone(),
                    values: vec![line_value(ValueKind::Goal, label, amount, q.number, ctx, l)],
                });
                b.line_target = Some((l.line, b.item.targets.len() - 1));
                b.open_field = None;
                return;
            }
        }
    }
    if let (Some(Role::Value(kind)), true) = (roles.first(), numeric) {
        let at = b
            .line_target
            .filter(|(line, _)| *line == l.line)
            .map(|(_, k)| k);
        if let Some(t) = at.and_then(|k| b.item.targets.get_mut(k)) {
            let q = ctx.quantity(value);
            t.values
                .push(line_value(*kind, label, value.trim(), q.number, ctx, l));
            b.open_field = None;
            return;
        }
    }
    if roles.first() == Some(&Role::Target) && !value.trim().is_empty() && !numeric {
        let (name, unit) = target_name(value);
        let field = FieldText {
            label: label.trim().to_string(),
            text: value.trim().to_string(),
            role: roles.first().map(|r| role_key(*r)),
            source: prov(l),
        };
        b.keep_pending_target();
        b.pending_target = Some((name, unit, field));
        b.open_field = None;
        return;
    }
    b.department_label = None;
    if roles.first() == Some(&Role::Department) {
        if !value.trim().is_empty() {
            b.item.department = Some(value.trim().to_string());
        } else {
            b.department_label = Some(l.line);
        }
        b.open_field = None;
        return;
    }
    if roles.contains(&Role::Title) && b.item.title.is_empty() {
        b.item.title = value.trim().to_string();
        return;
    }
    // The first of several ratings (`自己評価：Ａ　外部評価：Ｂ`) is the item's.
    if roles.first() == Some(&Role::Rating) && !value.trim().is_empty() && b.item.rating.is_none() {
        b.item.rating = Some(Rating {
            text: value.trim().to_string(),
            meaning: None,
            rank: None,
            code: None,
            source: None,
        });
    }
    if roles.is_empty() && !label.trim().is_empty() {
        ctx.note_unmapped(
            "unmapped-label",
            format!(
                "label {:?} has no role; kept in fields under it",
                label.trim()
            ),
            l,
            &b.item.id.clone(),
        );
    }
    add_field(b, label, value, &roles, l, merge);
}

/// A section line that is not numbered by a level: a band in a table (one cell, the rest empty),
/// a heading starting with a section word (`基本方針１ …`), or a `戦略 | 戦略1 …` label row.
/// `spaced` is the first cell as printed, spaces kept (`第二　財政の健全化`, whose cleaned cell has
/// lost the space after the ordinal).
pub(super) fn section_line(
    lex: &Lexicon,
    l: &Line,
    spaced: &str,
    table: Option<&[Column]>,
) -> Option<Section> {
    // `第1 効率的な行政運営`, `第2章 …`: an ordinal heading.
    if let [(0, one)] = l.filled().collect::<Vec<_>>().as_slice() {
        if ordinal_heading(one) || ordinal_heading(spaced) {
            return Some(Section {
                id: None,
                number: None,
                title: one.to_string(),
                text: one.to_string(),
                level: 1,
            });
        }
    }
    // `【重点分野1】 題`: a bracketed section word.
    if let [(0, one)] = l.filled().collect::<Vec<_>>().as_slice() {
        if let Some((label, _)) = bracket_label(one) {
            if lex.is_section_prefix(&label).is_some() {
                return Some(Section {
                    id: None,
                    number: None,
                    title: one.to_string(),
                    text: one.to_string(),
                    level: 1,
                });
            }
        }
    }
    let filled: Vec<(usize, &str)> = l.filled().collect();
    let text = filled.iter().map(|(_, c)| *c).collect::<Vec<_>>().join(" ");
    let mk = |text: String| Section {
        id: None,
        number: None,
        title: text.clone(),
        text,
        level: 1,
    };
    match filled.as_slice() {
        [(0, one)] => {
            if let Some(sec) = numbered_section(lex, one) {
                return Some(sec);
            }
            if lex.is_section_prefix(one).is_some() {
                return Some(mk(one.to_string()));
            }
            let band =
                bracket_label(one).is_none() || super::band_headings::bracketed_band(lex, one);
            if table.is_some_and(|c| c.len() >= 3) && band {
                return Some(numbered_band(one).unwrap_or_else(|| mk(one.to_string())));
            }
            None
        }
        [(_, label), (_, value)] => {
            let m = lex.classify(label)?;
            (m.roles.first() == Some(&Role::Section)).then(|| mk(value.to_string()))
        }
        _ => {
            let _ = text;
            None
        }
    }
}

/// A band numbered by itself (`１　継続中の取組`, `(2) 歳入の確保`): the section with its number as
/// its id and the rest as its title, as a section level of the same heading would give.
fn numbered_band(text: &str) -> Option<Section> {
    let tok = ids::id_at_start(text)?;
    let title = crate::normalize::normalize(&tok.rest).trim().to_string();
    if matches!(tok.scheme, ids::Scheme::Kana) || !title.chars().any(char::is_alphabetic) {
        return None;
    }
    Some(Section {
        id: Some(tok.text.clone()),
        number: (tok.scheme == ids::Scheme::Number).then_some(tok.ordinal),
        title,
        text: text.to_string(),
        level: 1,
    })
}

/// A heading of a section word and its number, a heading mark allowed before it
/// (`●重点項目1 題`, `■基本方針２　題`): the section with its id, number and title.
pub(super) fn numbered_section(lex: &Lexicon, text: &str) -> Option<Section> {
    let body = text.trim_start_matches(super::HEADING_MARKS).trim_start();
    let word = lex.is_section_prefix(body)?;
    let rest = body.get(word..)?.trim_start_matches([' ', '\u{3000}']);
    let tok = ids::id_at_start(rest)?;
    Some(Section {
        id: Some(tok.text.clone()),
        number: (tok.scheme == ids::Scheme::Number).then_some(tok.ordinal),
        title: crate::normalize::normalize(&tok.rest).trim().to_string(),
        text: text.to_string(),
        level: 1,
    })
}

mod cells;
pub(super) use cells::*;

#[cfg(test)]
mod tests;
