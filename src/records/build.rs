//! Cut the lines into records along the chosen levels and describe each record: table rows by
//! their header's columns, card rows by their labels, narrative paragraphs by the 【label】 before
//! them, target tables by their header's value kinds and years.

use super::ids::{self, IdToken};
use super::{
    candidates, classify, furniture, levels, strip_ws, year_label, Candidate, GroupKey, Level,
    LevelKind, LineRole,
};
use crate::fields::legend::{self, Legend};
use crate::fields::lexicon::{self as lexmod, Canonical, Lexicon, Role};
use crate::fields::values::{parse_quantity, unit_in_label};
use crate::model::*;
use crate::segment::Line;
use crate::source::SourceLine;
use std::collections::HashMap;

/// The result of reading a document with an inferred (or pinned) layout.
#[derive(Debug, Clone)]
pub struct Built {
    pub levels: Vec<(GroupKey, LevelKind)>,
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    pub rating_scale: Option<Vec<RatingLevel>>,
    pub totals: Vec<Target>,
    pub diagnostics: Vec<Diagnostic>,
    /// Share of non-blank lines explained (0–1).
    pub confidence: f64,
    /// Distinct lexicon roles used by the records' labels and columns.
    pub roles_used: usize,
}

/// A column of a header row.
#[derive(Debug, Clone)]
struct Column {
    /// The label as printed; two-row headers join with ` › `.
    label: String,
    /// The column's own label (the lower row of a two-row header).
    own: String,
    roles: Vec<Role>,
    year: Option<i32>,
}

fn role_key(r: Role) -> String {
    r.key().to_string()
}

/// The roles of a label; a year-only label (`H29`) has none but its year.
fn label_info(lex: &Lexicon, label: &str) -> (Vec<Role>, Option<i32>) {
    if let Some(y) = year_label(label) {
        return (vec![], Some(y));
    }
    match lex.classify(label) {
        Some(m) => (m.roles, m.fiscal_year),
        None => (vec![], None),
    }
}

fn header_columns(lex: &Lexicon, first: &Line, second: Option<&Line>) -> Vec<Column> {
    let n = first.cells.len().max(second.map_or(0, |s| s.cells.len()));
    let mut out = Vec::with_capacity(n);
    let mut span_label = String::new();
    for j in 0..n {
        let top = first.cells.get(j).map(|s| s.trim()).unwrap_or("");
        let below = second
            .and_then(|s| s.cells.get(j))
            .map(|s| s.trim())
            .unwrap_or("");
        if !top.is_empty() {
            span_label = top.to_string();
        }
        let (label, own) = if below.is_empty() {
            (top.to_string(), top)
        } else if span_label.is_empty() {
            (below.to_string(), below)
        } else {
            (format!("{span_label} › {below}"), below)
        };
        let (mut roles, mut year) = label_info(lex, own);
        if !below.is_empty() && !span_label.is_empty() {
            let (parent_roles, parent_year) = label_info(lex, &span_label);
            for r in parent_roles {
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
            year = year.or(parent_year);
        }
        out.push(Column {
            label,
            own: own.to_string(),
            roles,
            year,
        });
    }
    out
}

/// What an item is being built from.
struct Building {
    item: Item,
    /// A target's name printed on the row before its table (`成果指標 | 窓口予約の利用件数`).
    pending_target: Option<(String, Option<String>)>,
    /// The line indices the item's content came from (for the confidence figure).
    open_field: Option<usize>,
}

fn prov(l: &Line) -> Provenance {
    Provenance {
        page: l.page,
        line: l.line,
    }
}

fn new_item(tok: &IdToken, l: &Line, parent: Option<String>, section: &[Section]) -> Item {
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
        targets: vec![],
        schedule: vec![],
        progress: vec![],
        source: prov(l),
    }
}

/// Split a department written inside a title (`題【担当：総務課】`, `題（所管課：財政課）`).
fn department_in_title(lex: &Lexicon, title: &str) -> (String, Option<String>) {
    for (open, close) in [
        ('【', '】'),
        ('(', ')'),
        ('（', '）'),
        ('[', ']'),
        ('〔', '〕'),
    ] {
        let Some(a) = title.rfind(open) else { continue };
        let Some(inner) = title.get(a + open.len_utf8()..) else {
            continue;
        };
        let Some(b) = inner.find(close) else { continue };
        let Some(body) = inner.get(..b) else { continue };
        let Some((label, value)) = body.split_once(['：', ':']) else {
            continue;
        };
        let is_dept = lex
            .classify(label)
            .is_some_and(|m| m.roles.contains(&Role::Department));
        if is_dept && !value.trim().is_empty() {
            let mut t = title.get(..a).unwrap_or("").to_string();
            t.push_str(inner.get(b + close.len_utf8()..).unwrap_or(""));
            return (t.trim().to_string(), Some(value.trim().to_string()));
        }
    }
    (title.trim().to_string(), None)
}

/// Brackets that set off a paragraph label.
const LABEL_BRACKETS: [(char, char); 6] = [
    ('【', '】'),
    ('<', '>'),
    ('〈', '〉'),
    ('《', '》'),
    ('[', ']'),
    ('〔', '〕'),
];

/// A `【label】 value` or `【label】` line (also `<label>`, `〈label〉`, `[label]` …).
fn bracket_label(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let (open, close) = LABEL_BRACKETS
        .iter()
        .copied()
        .find(|(o, _)| t.starts_with(*o))?;
    let rest = t.get(open.len_utf8()..)?;
    let end = rest.find(close)?;
    let label = rest.get(..end)?.trim().to_string();
    if label.chars().count() > 20 {
        return None;
    }
    let value = rest.get(end + close.len_utf8()..)?.trim().to_string();
    if label.is_empty() || label.contains(['：', ':']) {
        return None;
    }
    Some((label, value))
}

struct Ctx<'a> {
    lex: &'a Lexicon,
    report_year: Option<i32>,
    diags: Vec<Diagnostic>,
    roles_used: Vec<String>,
}

impl Ctx<'_> {
    fn note_role(&mut self, r: &[Role]) {
        for x in r {
            let k = role_key(*x);
            if !self.roles_used.contains(&k) {
                self.roles_used.push(k);
            }
        }
    }
}

/// Add a field (or extend the last one of the same label: sub-rows, continuation lines).
fn add_field(b: &mut Building, label: &str, text: &str, roles: &[Role], l: &Line, merge: bool) {
    let text = text.trim();
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

/// Apply a labelled value to the item: department, rating, or a field.
fn apply_label(ctx: &mut Ctx, b: &mut Building, label: &str, value: &str, l: &Line, merge: bool) {
    let (roles, _) = label_info(ctx.lex, label);
    ctx.note_role(&roles);
    let numeric = parse_quantity(value, true).number.is_some();
    // A target label over its table (`成果指標` alone): the table that follows holds the values.
    if roles.first() == Some(&Role::Target) && value.trim().is_empty() {
        b.open_field = None;
        return;
    }
    if roles.first() == Some(&Role::Target) && !value.trim().is_empty() && !numeric {
        b.pending_target = Some(target_name(value));
        b.open_field = None;
        return;
    }
    if roles.first() == Some(&Role::Department) {
        if !value.trim().is_empty() {
            b.item.department = Some(value.trim().to_string());
        }
        b.open_field = None;
        return;
    }
    if roles.contains(&Role::Title) && b.item.title.is_empty() {
        b.item.title = value.trim().to_string();
        return;
    }
    if roles.first() == Some(&Role::Rating) && !value.trim().is_empty() {
        b.item.rating = Some(Rating {
            text: value.trim().to_string(),
            meaning: None,
            rank: None,
            code: None,
        });
    }
    add_field(b, label, value, &roles, l, merge);
}

/// The state of a target table being read.
struct TargetTable {
    columns: Vec<Column>,
    totals: bool,
    /// Name and unit carried down to rows that leave the name cell empty.
    name: Option<(String, Option<String>)>,
}

fn target_name(raw: &str) -> (String, Option<String>) {
    let unit = unit_in_label(raw);
    let mut name = raw.trim().to_string();
    if let Some(u) = &unit {
        for (o, c) in [('（', '）'), ('(', ')')] {
            if let Some(a) = name.rfind(o) {
                if name
                    .get(a..)
                    .is_some_and(|t| t.contains(u.as_str()) && t.ends_with(c))
                {
                    name = name.get(..a).unwrap_or("").trim().to_string();
                }
            }
        }
    }
    (name, unit)
}

/// Read one row of a target table into `targets`; returns stamps (unlabelled cells).
fn target_row(ctx: &Ctx, tt: &mut TargetTable, l: &Line, targets: &mut Vec<Target>) -> Vec<String> {
    let mut stamps = vec![];
    let name_col = tt
        .columns
        .iter()
        .position(|c| c.roles.contains(&Role::TargetName));
    let kind_col = tt
        .columns
        .iter()
        .position(|c| c.roles.contains(&Role::ValueKindColumn));
    let unit_col = tt
        .columns
        .iter()
        .position(|c| c.roles.first() == Some(&Role::Unit));
    if let Some(raw) = name_col
        .and_then(|j| l.cells.get(j))
        .filter(|c| !c.is_empty())
    {
        let (name, unit) = target_name(raw);
        tt.name = Some((name, unit));
        if !tt.totals {
            targets.push(Target {
                name: tt.name.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
                unit: tt.name.as_ref().and_then(|n| n.1.clone()),
                values: vec![],
            });
        }
    }
    if tt.totals && targets.is_empty() {
        targets.push(Target {
            name: tt.name.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
            unit: tt.name.as_ref().and_then(|n| n.1.clone()),
            values: vec![],
        });
    }
    if targets.is_empty() {
        targets.push(Target {
            name: String::new(),
            unit: None,
            values: vec![],
        });
    }
    let row_kind = kind_col
        .and_then(|j| l.cells.get(j))
        .and_then(|c| ctx.lex.classify(c).map(|m| (c.clone(), m.roles)))
        .and_then(|(label, roles)| {
            roles.iter().find_map(|r| match r {
                Role::Value(k) => Some((label.clone(), *k)),
                _ => None,
            })
        });
    let row_year = l
        .cells
        .iter()
        .enumerate()
        .filter(|(j, _)| {
            tt.columns
                .get(*j)
                .is_none_or(|c| !c.roles.iter().any(|r| matches!(r, Role::Value(_))))
        })
        .find_map(|(_, c)| year_label(c));
    let Some(t) = targets.last_mut() else {
        return stamps;
    };
    if let Some(u) = unit_col
        .and_then(|j| l.cells.get(j))
        .filter(|c| !c.is_empty())
    {
        t.unit = Some(u.trim().to_string());
    }
    for (j, cell) in l.cells.iter().enumerate() {
        let cell = cell.trim();
        if cell.is_empty()
            || (j == 0 && name_col != Some(0))
            || Some(j) == name_col
            || Some(j) == kind_col
            || Some(j) == unit_col
            || (row_year.is_some() && year_label(cell) == row_year)
        {
            continue;
        }
        let col = tt.columns.get(j);
        let col_kind = col.and_then(|c| {
            c.roles.iter().find_map(|r| match r {
                Role::Value(k) => Some(*k),
                _ => None,
            })
        });
        let year = col.and_then(|c| c.year).or(row_year);
        let kind = match (row_kind.as_ref(), col_kind) {
            (Some((_, k)), _) => Some(*k),
            (None, Some(k)) => Some(k),
            _ => None,
        };
        let Some(kind) = kind else {
            if col.is_none_or(|c| c.label.is_empty()) {
                stamps.push(cell.to_string());
            }
            continue;
        };
        let q = parse_quantity(cell, true);
        let label = match (&row_kind, col) {
            (Some((rk, _)), Some(c)) => format!("{} › {rk}", c.label),
            (_, Some(c)) => c.label.clone(),
            (Some((rk, _)), None) => rk.clone(),
            (None, None) => String::new(),
        };
        let text = Some(cell.to_string());
        if t.unit.is_none() && kind != ValueKind::Rate {
            t.unit = q.unit.clone();
        }
        t.values.push(TargetValue {
            kind,
            label,
            fiscal_year: year.or(ctx.report_year),
            text,
            number: q.number,
        });
    }
    stamps
}

/// Findings from the lines of the item's fields that start with a mark.
fn findings_of(lex: &Lexicon, it: &mut Item) {
    for f in &it.fields {
        if f.role.as_deref() == Some(Role::Rating.key()) {
            continue;
        }
        for line in f.text.lines() {
            let t = line.trim_start();
            let Some(c) = t.chars().next() else { continue };
            let mark = c.to_string();
            // A mark alone (a 重点 ◎ flag) is no finding.
            if t.get(c.len_utf8()..).unwrap_or("").trim().is_empty() {
                continue;
            }
            if let Some(kind @ (FindingKind::Achievement | FindingKind::Issue)) =
                lex.mark_kind(&mark)
            {
                it.findings.push(Finding {
                    mark: Some(mark.clone()),
                    kind,
                    text: t.get(c.len_utf8()..).unwrap_or("").trim().to_string(),
                });
            }
        }
    }
}

/// Fill the v1 canonical lists from the labelled fields.
fn canonical_lists(lex: &Lexicon, it: &mut Item, report_year: Option<i32>) {
    let mut progress = Progress {
        fiscal_year: report_year,
        goal: None,
        status: None,
        activities: vec![],
        findings: it.findings.clone(),
        next_steps: vec![],
    };
    for f in &it.fields {
        let entries = || {
            f.text
                .lines()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let roles = lex.classify(&f.label).map(|m| m.roles).unwrap_or_default();
        let has = |c: Canonical| roles.contains(&Role::Field(c));
        if has(Canonical::CurrentState) && roles.first() != Some(&Role::Value(ValueKind::Baseline))
        {
            it.current_state.extend(entries());
        } else if has(Canonical::Plan) {
            it.plan.extend(entries());
        } else if has(Canonical::Activities) {
            progress.activities.extend(entries());
        } else if has(Canonical::NextSteps) {
            progress.next_steps.extend(entries());
        }
    }
    if let Some(r) = &it.rating {
        let code = match r.code.as_deref() {
            Some("achieved") => StatusCode::Achieved,
            Some("on_track") => StatusCode::OnTrack,
            Some("slightly_behind") => StatusCode::SlightlyBehind,
            Some("behind") => StatusCode::Behind,
            Some("not_started") => StatusCode::NotStarted,
            Some("completed") => StatusCode::Completed,
            _ => StatusCode::Other,
        };
        progress.status = Some(Status {
            text: r.text.clone(),
            code,
        });
    }
    if progress.status.is_some()
        || !progress.activities.is_empty()
        || !progress.next_steps.is_empty()
        || !progress.findings.is_empty()
    {
        it.progress.push(progress);
    }
}

/// Read the document with the given levels (inferred when `pinned` is None).
pub fn build(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    report_year: Option<i32>,
    pinned: Option<&[(GroupKey, LevelKind)]>,
) -> Built {
    let furn = furniture(lines);
    let roles = classify(lex, lines, &furn);
    let cands = candidates(lex, lines, raw, &roles);
    let lvls: Vec<Level> = levels(lines, &roles, &cands, pinned);
    let mut ctx = Ctx {
        lex,
        report_year,
        diags: vec![],
        roles_used: vec![],
    };
    let by_line: HashMap<usize, &Candidate> = cands.iter().map(|c| (c.line, c)).collect();
    let mut start_level: HashMap<usize, usize> = HashMap::new();
    for (k, lv) in lvls.iter().enumerate() {
        for &i in &lv.lines {
            start_level.insert(i, k);
        }
    }
    let item_levels: Vec<usize> = lvls
        .iter()
        .enumerate()
        .filter(|(_, l)| l.kind == LevelKind::Item)
        .map(|(k, _)| k)
        .collect();
    let mut items: Vec<Item> = vec![];
    let mut cur: Option<Building> = None;
    // Open parent items by level index: (level, id).
    let mut parents: Vec<(usize, String)> = vec![];
    let mut section_stack: Vec<(u32, Section)> = vec![];
    let mut sections: Vec<Section> = vec![];
    let mut table: Option<Vec<Column>> = None;
    let mut target_table: Option<TargetTable> = None;
    let mut totals: Vec<Target> = vec![];
    let mut front: Vec<usize> = vec![];
    let mut explained = 0usize;
    let mut content = 0usize;
    let first_start = lvls.iter().flat_map(|l| l.lines.iter().copied()).min();
    // Legends printed after the last record (a footnote explaining the ratings).
    let mut legends: Vec<Legend> = vec![];
    let mut roles = roles;
    if let Some(last_start) = lvls.iter().flat_map(|l| l.lines.iter().copied()).max() {
        let tail: Vec<usize> = (last_start + 1..lines.len())
            .filter(|&k| matches!(roles.get(k), Some(LineRole::Other)))
            .collect();
        let (tail_legends, used) = scan_legends(lex, lines, raw, &tail);
        for (&k, u) in tail.iter().zip(&used) {
            if *u {
                if let Some(r) = roles.get_mut(k) {
                    *r = LineRole::Legend;
                }
            }
        }
        legends.extend(tail_legends);
    }
    let title_line = choose_title(lex, lines, &furn, first_start.unwrap_or(lines.len()));
    let title: Option<String> = title_line
        .and_then(|k| lines.get(k))
        .map(|l| l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" "));
    let mut seen_record = false;

    let finish = |b: Option<Building>, items: &mut Vec<Item>| {
        if let Some(b) = b {
            items.push(b.item);
        }
    };

    let mut i = 0usize;
    while i < lines.len() {
        let Some(l) = lines.get(i) else { break };
        let role = roles.get(i).copied().unwrap_or(LineRole::Other);
        i += 1;
        if role == LineRole::Blank {
            continue;
        }
        content += 1;
        if matches!(role, LineRole::Furniture | LineRole::Legend) {
            explained += 1;
            continue;
        }
        // A header row, joined with its second row when it has one.
        let mut read_header = |i: &mut usize| {
            let second = (roles.get(*i) == Some(&LineRole::HeaderCont))
                .then(|| lines.get(*i))
                .flatten();
            if second.is_some() {
                *i += 1;
                content += 1;
                explained += 1;
            }
            let cols = header_columns(lex, l, second);
            for c in &cols {
                ctx.note_role(&c.roles);
            }
            cols
        };
        if role == LineRole::Header {
            let cols = read_header(&mut i);
            table = Some(cols);
            target_table = None;
            explained += 1;
            continue;
        }
        if role == LineRole::HeaderCont {
            explained += 1;
            continue;
        }
        if role == LineRole::TargetHeader {
            let cols = read_header(&mut i);
            let first = l.cells.first().map(String::as_str).unwrap_or("");
            let is_totals = first.contains("合計") || first.contains("総計");
            let mut tt = TargetTable {
                columns: cols,
                totals: is_totals,
                name: None,
            };
            if is_totals {
                tt.name = Some(target_name(first));
                finish(cur.take(), &mut items);
            } else if let Some(b) = cur.as_mut() {
                if let Some((name, unit)) = b.pending_target.take() {
                    tt.name = Some((name.clone(), unit.clone()));
                    b.item.targets.push(Target {
                        name,
                        unit,
                        values: vec![],
                    });
                }
            }
            target_table = Some(tt);
            explained += 1;
            continue;
        }
        // Rows of a target table: the first cell empty (or 合計 in a totals block).
        if let Some(tt) = target_table.as_mut() {
            let first = l.cells.first().map(|c| c.trim()).unwrap_or("");
            // A table whose first column holds the indicator names continues while rows are
            // not labelled rows or record starts.
            let named_rows = tt
                .columns
                .first()
                .is_some_and(|c| c.roles.contains(&Role::TargetName))
                && l.filled().count() >= 2
                && !start_level.contains_key(&(i - 1))
                && lex.classify(first).is_none();
            if first.is_empty()
                || named_rows
                || (tt.totals && (first.contains("合計") || first.contains("総計")))
            {
                explained += 1;
                if tt.totals {
                    target_row(&ctx, tt, l, &mut totals);
                } else if let Some(b) = cur.as_mut() {
                    let stamps = target_row(&ctx, tt, l, &mut b.item.targets);
                    for s in stamps {
                        let kind = match lex.rating_code(&s, None).as_deref() {
                            Some(
                                "behind" | "slightly_behind" | "not_started" | "partly_achieved",
                            ) => FindingKind::Issue,
                            _ => FindingKind::Note,
                        };
                        b.item.findings.push(Finding {
                            mark: None,
                            kind,
                            text: s,
                        });
                    }
                }
                continue;
            }
            target_table = None;
        }
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        // A 合計 row of a table: report-level totals, by the value columns.
        if let Some(cols) = table.as_deref() {
            if is_total_label(first_cell) {
                explained += 1;
                let mut t = Target {
                    name: first_cell.to_string(),
                    unit: None,
                    values: vec![],
                };
                for (j, cell) in l.cells.iter().enumerate().skip(1) {
                    let Some(col) = cols.get(j) else { continue };
                    let kind = col.roles.iter().find_map(|r| match r {
                        Role::Value(k) => Some(*k),
                        _ => None,
                    });
                    let (Some(kind), false) = (kind, cell.trim().is_empty()) else {
                        continue;
                    };
                    let q = parse_quantity(cell, true);
                    if t.unit.is_none() && kind != ValueKind::Rate {
                        t.unit = q.unit.clone();
                    }
                    t.values.push(TargetValue {
                        kind,
                        label: col.label.clone(),
                        fiscal_year: col.year.or(report_year),
                        text: Some(cell.trim().to_string()),
                        number: q.number,
                    });
                }
                finish(cur.take(), &mut items);
                totals.push(t);
                continue;
            }
        }
        // Record starts.
        if let Some(&k) = start_level.get(&(i - 1)) {
            let Some(c) = by_line.get(&(i - 1)) else {
                continue;
            };
            let lv = lvls.get(k);
            if lv.is_some_and(|lv| lv.kind == LevelKind::Section) {
                explained += 1;
                let depth = item_levels.iter().filter(|&&x| x < k).count() as u32 + 1;
                let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
                let sec = Section {
                    id: Some(c.tok.text.clone()),
                    number: (c.tok.scheme == ids::Scheme::Number).then_some(c.tok.ordinal),
                    title: c.tok.rest.clone(),
                    text,
                    level: depth,
                };
                section_stack.retain(|(lvl, _)| *lvl < depth);
                section_stack.push((depth, sec.clone()));
                sections.push(sec);
                finish(cur.take(), &mut items);
                parents.retain(|(pk, _)| *pk < k);
                continue;
            }
            finish(cur.take(), &mut items);
            // A category column left of the number (`歳出の削減 | 1 | 題`), filled on a group's
            // first row: a section.
            if c.cell > 0 && c.form == super::Form::Cell && table.is_some() {
                let cat = l.cells.first().map(|x| x.trim()).unwrap_or("");
                let is_kind = lex
                    .classify(cat)
                    .is_some_and(|m| m.roles.iter().any(|r| matches!(r, Role::Value(_))));
                if !cat.is_empty() && !is_kind {
                    let sec = Section {
                        id: None,
                        number: None,
                        title: cat.to_string(),
                        text: cat.to_string(),
                        level: 1,
                    };
                    section_stack.retain(|(lvl, _)| *lvl < 1);
                    section_stack.push((1, sec.clone()));
                    if !sections.iter().any(|s| s.text == sec.text) {
                        sections.push(sec);
                    }
                }
            }
            seen_record = true;
            explained += 1;
            parents.retain(|(pk, _)| *pk < k);
            let parent = parents.last().map(|(_, id)| id.clone());
            let secs: Vec<Section> = section_stack.iter().map(|(_, s)| s.clone()).collect();
            let mut b = Building {
                item: new_item(&c.tok, l, parent, &secs),
                pending_target: None,
                open_field: None,
            };
            let is_parent_level = item_levels.last().is_some_and(|&last| k < last);
            if is_parent_level {
                parents.push((k, c.tok.text.clone()));
                if c.form == super::Form::AfterLabel {
                    table = None;
                }
            }
            fill_start_row(&mut ctx, &mut b, c, l, table.as_deref());
            cur = Some(b);
            continue;
        }
        // The value of a label that stood alone on the line before (`取組の概要` / text).
        if let Some(b) = cur.as_mut() {
            let waiting = b
                .open_field
                .and_then(|k| b.item.fields.get(k))
                .is_some_and(|f| f.text.is_empty() && f.source.line != l.line);
            let single = l.filled().count() == 1;
            let is_label = lex.classify(first_cell).is_some_and(|m| m.exact);
            if waiting && single && !is_label && bracket_label(first_cell).is_none() {
                if let Some(f) = b.open_field.and_then(|k| b.item.fields.get_mut(k)) {
                    explained += 1;
                    f.text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
                    continue;
                }
            }
        }
        // A label alone on its line (its value on the lines after it): `取組の概要` / text.
        if let Some(b) = cur.as_mut() {
            let filled: Vec<(usize, &str)> = l.filled().collect();
            if let [(_, one)] = filled.as_slice() {
                let t = lexmod::strip_brackets(one);
                let is_label = t.chars().count() <= 20
                    && !t.ends_with(['。', '.'])
                    && lex.classify(&t).is_some_and(|m| {
                        m.exact
                            && !m
                                .roles
                                .iter()
                                .any(|r| matches!(r, Role::Section | Role::Id | Role::Record))
                    });
                if is_label {
                    explained += 1;
                    apply_label(&mut ctx, b, &t, "", l, false);
                    continue;
                }
            }
        }
        // 小計 rows: sums of the rows above, neither an item's content nor the report's totals.
        if is_subtotal_label(first_cell)
            || l.filled().next().is_some_and(|(_, c)| is_subtotal_label(c))
        {
            explained += 1;
            ctx.diags.push(
                Diagnostic::new(
                    Severity::Info,
                    "subtotal-row",
                    format!("subtotal row not kept: {}", l.joined()),
                )
                .at(Some(l.line), l.page),
            );
            continue;
        }
        // Section bands and labelled sections.
        if let Some(sec) = section_line(lex, l, table.as_deref()) {
            explained += 1;
            let depth = 1;
            section_stack.retain(|(lvl, _)| *lvl < depth);
            section_stack.push((depth, sec.clone()));
            if !sections.iter().any(|s| s.text == sec.text) {
                sections.push(sec);
            }
            continue;
        }
        // Content.
        let Some(b) = cur.as_mut() else {
            front.push(i - 1);
            continue;
        };
        // A continuation row of a table record (sub-rows share the number cell).
        if let Some(cols) = table.as_deref() {
            if first_cell.is_empty() && l.filled().count() >= 1 && cols.len() >= 3 {
                explained += 1;
                for (j, cell) in l.cells.iter().enumerate() {
                    if cell.trim().is_empty() {
                        continue;
                    }
                    table_cell(&mut ctx, b, cols, j, cell, l, true);
                }
                continue;
            }
        }
        // `【label】 value` paragraphs.
        if l.filled().count() == 1 {
            if let Some((label, value)) = bracket_label(first_cell) {
                explained += 1;
                apply_label(&mut ctx, b, &label, &value, l, false);
                continue;
            }
            // `担当：総務課`: a label the lexicon knows, a colon, the value.
            if let Some((label, value)) = first_cell.split_once([':', '：']) {
                let known = label.chars().count() <= 12
                    && lex.classify(label).is_some_and(|m| m.exact)
                    && !value.trim().is_empty();
                if known {
                    explained += 1;
                    apply_label(&mut ctx, b, label.trim(), value.trim(), l, false);
                    continue;
                }
            }
        }
        // `label | value …` rows.
        let filled: Vec<(usize, &str)> = l.filled().collect();
        if filled.len() >= 2 {
            if let Some((_, label)) = filled.first() {
                let known = lex.classify(label).is_some() || label.chars().count() <= 12;
                if known {
                    explained += 1;
                    read_pairs(&mut ctx, b, &filled, l);
                    continue;
                }
            }
        }
        // A paragraph continuing the open field.
        if let Some(k) = b.open_field {
            if let Some(f) = b.item.fields.get_mut(k) {
                explained += 1;
                let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
                if !f.text.is_empty() {
                    f.text.push('\n');
                }
                f.text.push_str(&text);
                continue;
            }
        }
        ctx.diags.push(
            Diagnostic::new(
                Severity::Warning,
                "unassigned-text",
                format!("line not in any field: {}", l.joined()),
            )
            .at(Some(l.line), l.page)
            .item(Some(&b.item.id)),
        );
    }
    finish(cur.take(), &mut items);
    let _ = seen_record;

    // Front matter: legends, the title, and everything else noted.
    let (front_legends, consumed) = scan_legends(lex, lines, raw, &front);
    legends.extend(front_legends);
    for (&li, used) in front.iter().zip(&consumed) {
        let Some(l) = lines.get(li) else { break };
        explained += 1;
        if *used || Some(li) == title_line {
            continue;
        }
        ctx.diags.push(
            Diagnostic::new(
                Severity::Info,
                "unassigned-text",
                format!("front matter not used: {}", l.joined()),
            )
            .at(Some(l.line), l.page),
        );
    }

    // Ratings against the legend that lists them.
    let rating_texts: Vec<String> = items
        .iter()
        .filter_map(|it| it.rating.as_ref().map(|r| strip_ws(&r.text)))
        .collect();
    let best = legends
        .iter()
        .map(|lg| {
            let hits = lg
                .entries
                .iter()
                .filter(|e| rating_texts.contains(&strip_ws(&e.text)))
                .count();
            (hits, lg)
        })
        .filter(|(h, _)| *h > 0)
        // The legend listing most of the ratings; the first such on a tie.
        .fold(None::<(usize, &Legend)>, |best, (h, lg)| match best {
            Some((bh, _)) if bh >= h => best,
            _ => Some((h, lg)),
        })
        .map(|(_, lg)| lg);
    let rating_scale = best.map(|lg| {
        lg.entries
            .iter()
            .enumerate()
            .map(|(n, e)| RatingLevel {
                text: e.text.clone(),
                meaning: e.meaning.clone(),
                rank: n as u32 + 1,
                code: rating_code(lex, &e.text, Some(&e.meaning)),
            })
            .collect::<Vec<_>>()
    });
    // A note naming the quantity and unit of unnamed value columns (`※計画・実績は効果額（単位：千円）`).
    let note = front
        .iter()
        .filter_map(|&x| lines.get(x))
        .find_map(|l| unit_note(&l.joined()));
    if let Some((name, unit)) = &note {
        for t in items
            .iter_mut()
            .flat_map(|it| it.targets.iter_mut())
            .chain(totals.iter_mut())
        {
            if t.name.is_empty() {
                if let Some(n) = name {
                    t.name = n.clone();
                }
            }
            // The unit of the amounts; a target of rates alone keeps none.
            if t.unit.is_none() && t.values.iter().any(|v| v.kind != ValueKind::Rate) {
                t.unit = Some(unit.clone());
            }
        }
    }
    rate(lex, &mut items, rating_scale.as_deref().unwrap_or(&[]));
    for it in &mut items {
        // `住民課（情報政策係）`: the department and, in brackets, the lead department.
        if let Some(d) = it.department.clone() {
            let (head, lead) = split_lead(&d);
            it.department = Some(head);
            it.lead_department = lead;
        }
        let (t, new) = lex.split_new_flag(&it.title);
        it.title = t;
        it.is_new = new;
        // A label whose value never came (a heading over a table, an empty cell) is no field.
        it.fields.retain(|f| !f.text.trim().is_empty());
        findings_of(lex, it);
        canonical_lists(lex, it, report_year);
        if it.title.is_empty() {
            ctx.diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    "missing-title",
                    format!("item {} has no title", it.id),
                )
                .at(Some(it.source.line), it.source.page)
                .item(Some(&it.id)),
            );
        }
    }
    let confidence = if content == 0 {
        0.0
    } else {
        (explained.min(content) as f64 / content as f64 * 1000.0).round() / 1000.0
    };
    Built {
        levels: lvls.iter().map(|l| (l.key, l.kind)).collect(),
        title,
        items,
        sections,
        rating_scale,
        totals,
        diagnostics: ctx.diags,
        confidence,
        roles_used: ctx.roles_used.len(),
    }
}

/// Legends among the given lines (indices in order): one line with several entries, a run of
/// lines with one entry each, a `「A」…` line continued by more such lines, or a small table of two
/// cells per row. Returns the legends and, per index, whether a legend took the line.
fn scan_legends(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    idxs: &[usize],
) -> (Vec<Legend>, Vec<bool>) {
    let mut legends: Vec<Legend> = vec![];
    let mut used = vec![false; idxs.len()];
    let spaced_line = |x: usize| -> String {
        let Some(l) = lines.get(x) else {
            return String::new();
        };
        (0..l.cells.len())
            .map(|j| super::spaced_cell(raw, x, j, l.cells.get(j).map_or("", |c| c.as_str())))
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let single = |x: usize| lines.get(x).is_some_and(|r| r.filled().count() == 1);
    let mark = |from: usize, to: usize, used: &mut Vec<bool>| {
        for u in used.iter_mut().take(to).skip(from) {
            *u = true;
        }
    };
    let mut k = 0usize;
    let mut last_legend_line = usize::MAX - 1;
    while k < idxs.len() {
        let Some(&li) = idxs.get(k) else { break };
        if let Some(lg) = legend::legend_in_line_with(&spaced_line(li), lex) {
            // One legend written over several lines (`「A」…` on each line) is one scale.
            match legends.last_mut() {
                Some(prev) if lg.heading.is_none() && last_legend_line + 1 == k => {
                    prev.entries.extend(lg.entries)
                }
                _ => legends.push(lg),
            }
            last_legend_line = k;
            mark(k, k + 1, &mut used);
            k += 1;
            continue;
        }
        // A legend written one entry per line (`4：計画を上回って進んだ` …): the longest run.
        let mut best: Option<(usize, Legend)> = None;
        let mut run: Vec<String> = vec![];
        let mut m = k;
        while let Some(&x) = idxs.get(m) {
            if !single(x) || m - k >= 12 {
                break;
            }
            run.push(spaced_line(x));
            m += 1;
            if run.len() < 2 {
                continue;
            }
            match legend::legend_in_line_with(&run.join(" "), lex) {
                Some(lg) if lg.entries.len() == run.len() && lg.heading.is_none() => {
                    best = Some((run.len(), lg));
                }
                _ if best.is_some() => break,
                _ => {}
            }
        }
        if let Some((n, lg)) = best {
            legends.push(lg);
            mark(k, k + n, &mut used);
            // A heading line just before (`※進捗状況の区分`, `凡例`) belongs to the legend.
            if let Some(prev) = k.checked_sub(1) {
                let heading = idxs
                    .get(prev)
                    .and_then(|&x| lines.get(x))
                    .filter(|l| l.filled().count() == 1)
                    .map(|l| l.joined())
                    .is_some_and(|t| {
                        t.chars().count() <= 20
                            && (t.starts_with('※')
                                || ["凡例", "区分", "基準"].iter().any(|w| t.contains(w)))
                    });
                if heading {
                    mark(prev, k, &mut used);
                }
            }
            k += n;
            continue;
        }
        // A legend laid across two rows: `評価 | A | B | C` over `内容 | m1 | m2 | m3`.
        if let (Some(r1), Some(r2)) = (lines.get(li), idxs.get(k + 1).and_then(|&x| lines.get(x))) {
            let a: Vec<&str> = r1.filled().map(|(_, c)| c).collect();
            let b: Vec<&str> = r2.filled().map(|(_, c)| c).collect();
            let head_is_rating = a.first().is_some_and(|h| {
                lex.classify(h)
                    .is_some_and(|m| m.roles.first() == Some(&Role::Rating))
                    || h.contains("凡例")
            });
            if head_is_rating
                && a.len() >= 3
                && a.len() == b.len()
                && a.iter().skip(1).all(|t| t.chars().count() <= 4)
                && b.iter().skip(1).all(|m| !m.is_empty())
                // A count table (`件数 | 2 | 3 | 2 | 1`) is no legend.
                && !b.iter().skip(1).all(|m| m.chars().all(|c| c.is_ascii_digit()))
            {
                legends.push(Legend {
                    heading: a.first().map(|h| h.to_string()),
                    entries: a
                        .iter()
                        .zip(&b)
                        .skip(1)
                        .map(|(t, m)| legend::LegendEntry {
                            text: t.to_string(),
                            meaning: m.to_string(),
                        })
                        .collect(),
                });
                mark(k, k + 2, &mut used);
                k += 2;
                continue;
            }
        }
        // A legend table: consecutive rows of two cells.
        let mut rows: Vec<Vec<String>> = vec![];
        let mut m = k;
        while let Some(r) = idxs.get(m).and_then(|&x| lines.get(x)) {
            let cells: Vec<String> = r.filled().map(|(_, c)| c.to_string()).collect();
            if cells.len() != 2 {
                break;
            }
            rows.push(cells);
            m += 1;
        }
        if rows.len() >= 3 {
            // A header row naming the rating column (`達成状況 | 区分の考え方`) is no entry.
            let header_is_label = rows.first().and_then(|r| r.first()).is_some_and(|c| {
                lex.classify(c)
                    .is_some_and(|m| m.roles.first() == Some(&Role::Rating))
            });
            let body: Vec<Vec<String>> = if header_is_label {
                rows.iter().skip(1).cloned().collect()
            } else {
                rows.clone()
            };
            let counts = body.iter().all(|r| {
                r.last()
                    .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()))
            });
            if let Some(lg) = legend::legend_in_rows_with(&body, lex).filter(|_| !counts) {
                legends.push(lg);
                mark(k, m, &mut used);
                k = m;
                continue;
            }
        }
        k += 1;
    }
    (legends, used)
}

/// A note giving a unit (`（単位：千円）`) and the quantity it measures (`効果額（単位：千円）`).
fn unit_note(text: &str) -> Option<(Option<String>, String)> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = RE
        .get_or_init(|| {
            regex::Regex::new(r"(?:(?P<name>[^\s、。,は・:：()（）]{1,12}))?[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)\s]{1,6})\s*[）)]").ok()
        })
        .as_ref()?;
    let c = re.captures(text)?;
    let unit = c.name("unit")?.as_str().to_string();
    let name = c.name("name").map(|m| m.as_str().to_string());
    Some((name, unit))
}

/// `全庁（市民課）` → (`全庁`, `市民課`); a text without a closing bracket stays whole.
fn split_lead(d: &str) -> (String, Option<String>) {
    let t = d.trim();
    if let Some(k) = t.find(['(', '（']) {
        if t.ends_with([')', '）']) && k > 0 {
            let head = t.get(..k).unwrap_or(t).trim();
            let inner = t
                .get(k..)
                .unwrap_or("")
                .trim_start_matches(['(', '（'])
                .trim_end_matches([')', '）'])
                .trim();
            if !inner.is_empty() && !head.is_empty() {
                return (head.to_string(), Some(inner.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// A rating's code: from its own words when they say one (`概ね達成`, `やや遅れ`), else from the
/// legend's meaning (`◎` → `達成`); a meaning like `8割以上を達成した` must not make `概ね達成`
/// an achievement.
pub fn rating_code(lex: &Lexicon, text: &str, meaning: Option<&str>) -> Option<String> {
    lex.rating_code(text, None)
        .or_else(|| meaning.and_then(|m| lex.rating_code(text, Some(m))))
}

/// Each item's rating with its meaning and rank from the scale, and its code.
pub fn rate(lex: &Lexicon, items: &mut [Item], scale: &[RatingLevel]) {
    for it in items {
        if let Some(r) = it.rating.as_mut() {
            let level = scale
                .iter()
                .find(|x| strip_ws(&x.text) == strip_ws(&r.text));
            r.meaning = level.map(|x| x.meaning.clone());
            r.rank = level.map(|x| x.rank);
            r.code = rating_code(lex, &r.text, r.meaning.as_deref());
        }
    }
}

/// The report's title line: the first line of the document; when that line is a page header
/// printed on every page, the first later line before the records that names a municipality and
/// is no date, note or legend (`湊橋市…取組項目別シート（令和2年度）`).
fn choose_title(lex: &Lexicon, lines: &[Line], furn: &[bool], before: usize) -> Option<usize> {
    let first = lines.iter().position(|l| !l.is_blank())?;
    if !furn.get(first).copied().unwrap_or(false) {
        return Some(first);
    }
    let looks_like_title = |l: &Line| {
        let t = l.joined();
        l.filled().count() == 1
            && t.contains(['市', '町', '村'])
            && !t.starts_with(['※', '*', '・'])
            && !starts_with_date(&t)
            && legend::legend_in_line_with(&t, lex).is_none()
    };
    lines
        .iter()
        .enumerate()
        .take(before)
        .skip(first + 1)
        .find(|(k, l)| {
            !l.is_blank() && !furn.get(*k).copied().unwrap_or(false) && looks_like_title(l)
        })
        .map(|(k, _)| k)
        .or(Some(first))
}

/// `令和4年6月 …`, `2022年6月 …`: a date line (of publication, not a title).
fn starts_with_date(t: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^\s*(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)|(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月",
        )
        .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(t))
}

/// `第1 題`, `第2章 題`, `第三節 題`: an ordinal heading (no sentence).
fn ordinal_heading(t: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^第\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:章|節|部|編)?\s+\S")
            .ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(t))
        && !t.ends_with(['。', '.'])
        && t.chars().count() <= 40
}

/// `小計`: a subtotal row.
fn is_subtotal_label(cell: &str) -> bool {
    matches!(strip_ws(cell).as_str(), "小計" | "計(小計)" | "小計額")
}

/// `合計`, `総計`, `計` alone: a totals row.
fn is_total_label(cell: &str) -> bool {
    matches!(
        strip_ws(cell).as_str(),
        "合計" | "総計" | "計" | "総合計" | "合計額"
    )
}

/// A section line that is not numbered by a level: a band in a table (one cell, the rest empty),
/// a heading starting with a section word (`基本方針１ …`), or a `戦略 | 戦略1 …` label row.
fn section_line(lex: &Lexicon, l: &Line, table: Option<&[Column]>) -> Option<Section> {
    // `第1 効率的な行政運営`, `第2章 …`: an ordinal heading.
    if let [(0, one)] = l.filled().collect::<Vec<_>>().as_slice() {
        if ordinal_heading(one) {
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
            if lex.is_section_prefix(one).is_some() {
                return Some(mk(one.to_string()));
            }
            if table.is_some_and(|c| c.len() >= 3) && bracket_label(one).is_none() {
                return Some(mk(one.to_string()));
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

/// A cell of a table row, by its column.
fn table_cell(
    ctx: &mut Ctx,
    b: &mut Building,
    cols: &[Column],
    j: usize,
    cell: &str,
    l: &Line,
    continuation: bool,
) {
    let Some(col) = cols.get(j) else {
        let label = format!("列{}", j + 1);
        ctx.diags.push(
            Diagnostic::new(
                Severity::Info,
                "unmapped-column",
                format!("column {} has no header; kept in fields as {label}", j + 1),
            )
            .at(Some(l.line), l.page)
            .item(Some(&b.item.id)),
        );
        add_field(b, &label, cell, &[], l, true);
        return;
    };
    if col.roles.first() == Some(&Role::ValueKindColumn) {
        return;
    }
    // A row whose 区分 cell names a value kind (計画 / 実績): its year columns are values.
    let row_kind = cols
        .iter()
        .position(|c| c.roles.first() == Some(&Role::ValueKindColumn))
        .and_then(|k| l.cells.get(k))
        .and_then(|c| ctx.lex.classify(c))
        .and_then(|m| {
            m.roles.iter().find_map(|r| match r {
                Role::Value(k) => Some(*k),
                _ => None,
            })
        });
    if let (Some(kind), Some(year)) = (row_kind, col.year) {
        if col.roles.is_empty() || col.roles.contains(&Role::Schedule) {
            let q = parse_quantity(cell, true);
            if b.item.targets.is_empty() {
                b.item.targets.push(Target {
                    name: String::new(),
                    unit: None,
                    values: vec![],
                });
            }
            if let Some(t) = b.item.targets.last_mut() {
                if t.unit.is_none() && kind != ValueKind::Rate {
                    t.unit = q.unit.clone();
                }
                t.values.push(TargetValue {
                    kind,
                    label: col.label.clone(),
                    fiscal_year: Some(year),
                    text: Some(cell.trim().to_string()),
                    number: q.number,
                });
            }
            return;
        }
    }
    let is_schedule =
        col.roles.contains(&Role::Schedule) || (col.roles.is_empty() && col.year.is_some());
    if is_schedule {
        let text = cell.trim().to_string();
        let continues = text.contains('→');
        let milestones: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '■' || c == '→')
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.starts_with(['(', '（', '※']))
            .map(str::to_string)
            .collect();
        b.item.schedule.push(ScheduleEntry {
            fiscal_year: col.year,
            label: col.label.clone(),
            text,
            milestones,
            continues,
            notes: vec![],
        });
        return;
    }
    let value_kind_of = col.roles.iter().find_map(|r| match r {
        Role::Value(k) => Some(*k),
        _ => None,
    });
    let q = parse_quantity(cell, true);
    let is_quantity = q.number.is_some() || crate::fields::values::is_dash(cell);
    // A target's name in a table column (成果指標, 指標名).
    if !continuation
        && col
            .roles
            .iter()
            .any(|r| matches!(r, Role::TargetName | Role::Target))
        && !is_quantity
    {
        let (name, unit) = target_name(cell);
        b.item.targets.push(Target {
            name,
            unit,
            values: vec![],
        });
        return;
    }
    // A value column holding a quantity: a target value (計画 / 実績 / 目標値 per year).
    if let (Some(kind), true, false) = (value_kind_of, is_quantity, continuation) {
        if b.item.targets.is_empty() {
            b.item.targets.push(Target {
                name: String::new(),
                unit: None,
                values: vec![],
            });
        }
        if let Some(t) = b.item.targets.last_mut() {
            if t.unit.is_none() && kind != ValueKind::Rate {
                t.unit = q.unit.clone();
            }
            t.values.push(TargetValue {
                kind,
                label: col.label.clone(),
                fiscal_year: col.year.or(ctx.report_year),
                text: Some(cell.trim().to_string()),
                number: q.number,
            });
        }
        return;
    }
    match col.roles.first() {
        Some(Role::Id) => {}
        Some(Role::Department) if !continuation => {
            b.item.department = Some(cell.trim().to_string());
        }
        Some(Role::Title | Role::Record) if !continuation && b.item.title.is_empty() => {
            let (t, d) = department_in_title(ctx.lex, cell);
            b.item.title = t;
            if d.is_some() {
                b.item.department = d;
            }
        }
        _ => {
            if col.label.is_empty() {
                ctx.diags.push(
                    Diagnostic::new(
                        Severity::Info,
                        "unmapped-column",
                        format!("column {} has no header; kept in fields", j + 1),
                    )
                    .at(Some(l.line), l.page)
                    .item(Some(&b.item.id)),
                );
            }
            let label = if col.own.is_empty() {
                col.label.clone()
            } else {
                col.own.clone()
            };
            if col.roles.first() == Some(&Role::Rating) && !continuation {
                b.item.rating = Some(Rating {
                    text: cell.trim().to_string(),
                    meaning: None,
                    rank: None,
                    code: None,
                });
            }
            add_field(b, &label, cell, &col.roles, l, continuation);
        }
    }
}

/// The record's first row: id, title, and what else the row holds.
fn fill_start_row(
    ctx: &mut Ctx,
    b: &mut Building,
    c: &Candidate,
    l: &Line,
    table: Option<&[Column]>,
) {
    if let Some(cols) = table {
        if c.form != super::Form::AfterLabel && cols.len() >= 3 {
            for (j, cell) in l.cells.iter().enumerate() {
                if cell.trim().is_empty() {
                    continue;
                }
                if j == c.cell {
                    // The id cell: its rest is the title when the column is the title column.
                    if !c.tok.rest.is_empty() {
                        let (t, d) = department_in_title(ctx.lex, &c.tok.rest);
                        b.item.title = t;
                        if d.is_some() {
                            b.item.department = d;
                        }
                    }
                    continue;
                }
                table_cell(ctx, b, cols, j, cell, l, false);
            }
            return;
        }
    }
    let filled: Vec<(usize, &str)> = l.filled().filter(|(j, _)| *j > c.cell).collect();
    let mut rest: &[(usize, &str)] = &filled;
    if c.tok.rest.is_empty() {
        if let Some(((_, t), tail)) = rest.split_first() {
            if !super::is_label_cell(ctx.lex, t) {
                let (t, d) = department_in_title(ctx.lex, t);
                b.item.title = t;
                if d.is_some() {
                    b.item.department = d;
                }
                rest = tail;
            }
        }
    } else {
        let (t, d) = department_in_title(ctx.lex, &c.tok.rest);
        b.item.title = t;
        if d.is_some() {
            b.item.department = d;
        }
    }
    // An unlabelled department cell beside the title (`取組番号 | 1 | 題 | 住民課`).
    if let Some(((_, d), tail)) = rest.split_first() {
        if b.item.department.is_none()
            && !super::is_label_cell(ctx.lex, d)
            && ctx.lex.looks_like_department(d)
        {
            b.item.department = Some(d.trim().to_string());
            rest = tail;
        }
    }
    if !rest.is_empty() {
        read_pairs(ctx, b, rest, l);
    }
}

/// `label | value | label | value …` cells: each label the lexicon knows (or the first cell)
/// takes the cells up to the next known label.
fn read_pairs(ctx: &mut Ctx, b: &mut Building, cells: &[(usize, &str)], l: &Line) {
    let mut k = 0usize;
    while k < cells.len() {
        let Some((_, label)) = cells.get(k) else {
            break;
        };
        let mut values: Vec<&str> = vec![];
        let mut m = k + 1;
        while let Some((_, c)) = cells.get(m) {
            if ctx.lex.classify(c).is_some_and(|x| x.exact) && c.chars().count() <= 12 {
                break;
            }
            values.push(c);
            m += 1;
        }
        if values.is_empty() && m < cells.len() {
            // Two labels in a row: the first has no value.
            k = m;
            continue;
        }
        let value = values.join(" ");
        let label = lexmod::strip_brackets(label);
        apply_label(ctx, b, &label, &value, l, false);
        k = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_in_titles() {
        let lex = Lexicon::builtin();
        let cases = [
            (
                "業務の見直し【担当：総務課】",
                "業務の見直し",
                Some("総務課"),
            ),
            ("窓口の改善（所管課：市民課）", "窓口の改善", Some("市民課")),
            ("題(参考)", "題(参考)", None),
            ("題", "題", None),
        ];
        for (t, title, dept) in cases {
            let (g, d) = department_in_title(lex, t);
            assert_eq!((g.as_str(), d.as_deref()), (title, dept), "{t}");
        }
    }

    #[test]
    fn bracket_labels() {
        let cases = [
            ("【取組内容】", Some(("取組内容", ""))),
            ("【進捗状況】 順調", Some(("進捗状況", "順調"))),
            ("<現状>", Some(("現状", ""))),
            ("〔評価〕A", Some(("評価", "A"))),
            ("【担当:総務課】", None),
            ("本文【注】", None),
        ];
        for (t, want) in cases {
            let got = bracket_label(t);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn lead_departments() {
        let cases = [
            ("住民課(情報政策係)", "住民課", Some("情報政策係")),
            ("全庁（市民課）", "全庁", Some("市民課")),
            ("財政課", "財政課", None),
            ("(市民課)", "(市民課)", None),
        ];
        for (d, head, lead) in cases {
            let (h, l) = split_lead(d);
            assert_eq!((h.as_str(), l.as_deref()), (head, lead), "{d}");
        }
    }

    #[test]
    fn unit_notes_dates_headings_and_totals() {
        assert_eq!(
            unit_note("※計画・実績は効果額(単位:千円)。"),
            Some((Some("効果額".to_string()), "千円".to_string()))
        );
        assert_eq!(
            unit_note("(単位:百万円)"),
            Some((None, "百万円".to_string()))
        );
        assert_eq!(unit_note("単位なし"), None);
        for (t, want) in [
            ("令和4年6月 総務課", true),
            ("2022年6月", true),
            ("令和4年度 報告", false),
        ] {
            assert_eq!(starts_with_date(t), want, "{t}");
        }
        for (t, want) in [
            ("第1 効率的な行政運営", true),
            ("第2章 財政", true),
            ("第三者評価を行った。", false),
            ("第1回会議", false),
        ] {
            assert_eq!(ordinal_heading(t), want, "{t}");
        }
        for (t, total, sub) in [
            ("合計", true, false),
            ("小計", false, true),
            ("計画", false, false),
        ] {
            assert_eq!(
                (is_total_label(t), is_subtotal_label(t)),
                (total, sub),
                "{t}"
            );
        }
    }

    #[test]
    fn rating_codes_prefer_the_rating_words() {
        let lex = Lexicon::builtin();
        // 概ね達成's own words say mostly achieved, whatever the legend adds.
        assert_eq!(
            rating_code(lex, "概ね達成", Some("8割以上を達成した")).as_deref(),
            Some("mostly_achieved")
        );
        // A mark has no words of its own: its meaning decides.
        assert_eq!(
            rating_code(lex, "◎", Some("達成")).as_deref(),
            Some("achieved")
        );
        assert_eq!(rating_code(lex, "A", None), None);
    }

    #[test]
    fn reads_a_small_card_report() {
        let lex = Lexicon::builtin();
        let text = "架空市改革報告書(令和4年度)\n評価 ◎:達成 ○:概ね達成 △:未達成\n改革項目\t1\t窓口の改善\t担当課\t市民課\n取組内容\t窓口を一本化する。\n実績\t○待ち時間が減った。\n評価\t◎\n改革項目\t2\t事務の削減\t担当課\t総務課\n取組内容\t様式を減らす。\n評価\t△";
        let raw: Vec<SourceLine> = text
            .lines()
            .enumerate()
            .map(|(i, l)| SourceLine {
                page: None,
                line: i as u32 + 1,
                cells: l.split('\t').map(str::to_string).collect(),
            })
            .collect();
        let (raw, ls) = super::super::explode(&raw);
        let b = build(lex, &ls, &raw, Some(2022), None);
        assert_eq!(b.items.len(), 2);
        let it = &b.items[0];
        assert_eq!(
            (it.id.as_str(), it.title.as_str(), it.department.as_deref()),
            ("1", "窓口の改善", Some("市民課"))
        );
        let r = it.rating.as_ref().expect("rating");
        assert_eq!(
            (
                r.text.as_str(),
                r.meaning.as_deref(),
                r.rank,
                r.code.as_deref()
            ),
            ("◎", Some("達成"), Some(1), Some("achieved"))
        );
        assert_eq!(it.findings.len(), 1);
        assert_eq!(it.findings[0].text, "待ち時間が減った。");
        assert_eq!(it.plan, ["窓口を一本化する。"]);
        assert_eq!(b.title.as_deref(), Some("架空市改革報告書(令和4年度)"));
        assert_eq!(b.rating_scale.as_ref().map(Vec::len), Some(3));
        assert_eq!(b.confidence, 1.0);
    }
}
