//! Cut the lines into records along the chosen levels and describe each record: table rows by
//! their header's columns, card rows by their labels, narrative paragraphs by the 【label】 before
//! them, target tables by their header's value kinds and years.

/// The status code of a rating code (kept here for the modules that take it from `build`).
pub(super) use super::front::status_code;
use super::front::{choose_title, declared_counts};
use super::ids;
use super::legends::*;
use super::lists::{canonical_lists, findings_of};
use super::profile_keys::{apply_columns, pattern_candidates, ColumnRule, Pins};
use super::rows::*;
use super::text::*;
use super::{
    candidates, classify, levels, strip_ws, Candidate, GroupKey, Level, LevelKind, LineRole,
};
use crate::fields::legend::Legend;
use crate::fields::lexicon::{self as lexmod, Lexicon, Role};
use crate::model::*;
use crate::records::line::Line;
use crate::source::SourceLine;
use std::collections::HashMap;

/// The result of reading a document with an inferred (or pinned) layout.
#[derive(Debug, Clone)]
pub struct Built {
    /// The levels chosen, outermost first, with the label that sets a level apart (see
    /// [`Level::label`]).
    pub levels: Vec<(GroupKey, LevelKind, Option<String>)>,
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
    /// The status summary the front matter declares (`達成状況 | 件数` with `順調 | 17` …).
    pub declared: Option<Vec<StatusCount>>,
    /// For reading a document in windows of lines: the running counts before each line (one
    /// entry per line read, and one more after the last).
    pub tally: Vec<Tally>,
    /// Whether each of `sections` was added only because no section of the same text was there
    /// before (headings and bands), not in every case (numbered section levels).
    pub section_once: Vec<bool>,
    /// For each record start, the earlier lines its reading depends on: the headings of its
    /// open sections, the first lines of its open parent items and the header of its table.
    pub contexts: Vec<(u32, Vec<u32>)>,
    /// Lines explained in all (the front matter included) and content lines.
    pub explained: usize,
    pub content: usize,
}

/// Running counts of a reading before one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// The line (`u32::MAX` after the last).
    pub line: u32,
    /// Lines explained so far (front matter is counted after the loop, not here).
    pub explained: usize,
    /// Content (non-blank) lines so far.
    pub content: usize,
    /// Report-level totals so far.
    pub totals: usize,
    /// Sections so far.
    pub sections: usize,
}

/// Read the document with the given levels (inferred when `pinned` is None).
pub fn build(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    report_year: Option<i32>,
    pinned: Option<&[(GroupKey, LevelKind)]>,
) -> Built {
    let pins = pinned.map(Pins::levels);
    build_pinned(lex, lines, raw, report_year, pins.as_ref(), None)
}

/// [`build`] with everything a profile pins: levels (by scheme or pattern), columns, units.
pub fn build_pinned(
    lex: &Lexicon,
    lines: &[Line],
    raw: &[SourceLine],
    report_year: Option<i32>,
    pins: Option<&Pins>,
    repeated: Option<&super::RepeatedEdges>,
) -> Built {
    let mut furn = super::furniture_with(lines, repeated);
    super::furniture::keep_label_values(lex, lines, &mut furn);
    let mut roles = classify(lex, lines, &furn);
    // A legend under its own heading is no run of records, whatever its grades look like.
    let headed = headed_legends(lex, lines, raw, &mut roles);
    let mut cands = candidates(lex, lines, raw, &roles);
    if let Some(p) = pins {
        pattern_candidates(&p.patterns, lines, raw, &roles, &mut cands);
        super::profile_keys::label_candidates(&p.level_labels, lines, &roles, &mut cands);
    }
    let pinned = pins.map(|p| p.levels.as_slice());
    let pin_labels = pins.map_or(&[][..], |p| p.level_labels.as_slice());
    let lvls: Vec<Level> = levels(lines, &roles, &cands, pinned, pin_labels);
    let column_rules: &[ColumnRule] = pins.map_or(&[], |p| p.columns.as_slice());
    let mut ctx = Ctx {
        lex,
        report_year,
        diags: vec![],
        roles_used: vec![],
        minus_marks: pins.is_none_or(|p| p.minus_marks),
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
    let mut section_once: Vec<bool> = vec![];
    // The lines behind the open sections, open parents and the table header (see `contexts`).
    let mut open_secs: Vec<(u32, u32)> = vec![];
    let mut open_parents: Vec<(usize, u32)> = vec![];
    let mut table_lines: Vec<u32> = vec![];
    let mut contexts: Vec<(u32, Vec<u32>)> = vec![];
    let mut tally: Vec<Tally> = Vec::with_capacity(lines.len() + 1);
    let mut table: Option<Vec<Column>> = None;
    let mut target_table: Option<TargetTable> = None;
    let mut totals: Vec<Target> = vec![];
    let mut front: Vec<usize> = vec![];
    let mut group_dept: Option<String> = None;
    let mut explained = 0usize;
    let mut content = 0usize;
    let first_start = lvls.iter().flat_map(|l| l.lines.iter().copied()).min();
    // Lines after a legend printed after the last record (the date and the issuing office) are
    // the report's back matter, no record's content.
    let mut back_from: Option<usize> = None;
    // Legends printed after the last record (a footnote explaining the ratings).
    let mut legends: Vec<Legend> = headed;
    if let Some(last_start) = lvls.iter().flat_map(|l| l.lines.iter().copied()).max() {
        back_from = tail_legends(lex, lines, raw, &mut roles, last_start, &mut legends);
    }
    let title_line = choose_title(lex, lines, &furn, first_start.unwrap_or(lines.len()));
    let title: Option<String> = title_line
        .and_then(|k| lines.get(k))
        .map(|l| l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" "));
    let mut seen_record = false;

    let finish = |b: Option<Building>, items: &mut Vec<Item>| {
        if let Some(b) = b {
            items.push(b.into_item());
        }
    };

    let mut i = 0usize;
    while i < lines.len() {
        let Some(l) = lines.get(i) else { break };
        while tally.len() <= i {
            tally.push(Tally {
                line: lines.get(tally.len()).map_or(u32::MAX, |x| x.line),
                explained,
                content,
                totals: totals.len(),
                sections: sections.len(),
            });
        }
        let role = roles.get(i).copied().unwrap_or(LineRole::Other);
        i += 1;
        if role == LineRole::Blank {
            continue;
        }
        content += 1;
        // A numbered section heading printed again at the top of every page (`●重点項目1 題`) still
        // opens its section for the records after it.
        let repeated_heading = match (role, l.filled().collect::<Vec<_>>().as_slice()) {
            (LineRole::Furniture, [(0, one)]) => numbered_section(lex, one),
            _ => None,
        };
        if let Some(sec) = repeated_heading {
            explained += 1;
            section_stack.retain(|(lvl, _)| *lvl < 1);
            section_stack.push((1, sec.clone()));
            open_secs.retain(|(lvl, _)| *lvl < 1);
            open_secs.push((1, l.line));
            if !sections.iter().any(|s| s.text == sec.text) {
                sections.push(sec);
                section_once.push(true);
            }
            continue;
        }
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
            let mut cols = header_columns(lex, l, second);
            apply_columns(column_rules, &mut cols);
            for c in &cols {
                ctx.note_role(&c.roles);
            }
            cols
        };
        if role == LineRole::Header {
            let at = i - 1;
            let cols = read_header(&mut i);
            table_lines = (at..i)
                .filter_map(|k| lines.get(k))
                .map(|x| x.line)
                .collect();
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
            let mut cols = read_header(&mut i);
            past_actual_is_baseline(&mut cols);
            let first = l.cells.first().map(String::as_str).unwrap_or("");
            let is_totals = first.contains("合計") || first.contains("総計");
            // Value kinds down the first column (`目標 | …` rows): the corner names the target.
            let kind_rows = !is_totals
                && super::kind_row_follows(lex, lines, i - 1)
                && cols.first().is_some_and(|c| {
                    !c.roles
                        .iter()
                        .any(|r| matches!(r, Role::TargetName | Role::ValueKindColumn))
                });
            if kind_rows {
                if let Some(c) = cols.first_mut() {
                    c.roles = vec![Role::ValueKindColumn];
                }
            }
            let mut tt = TargetTable {
                columns: cols,
                totals: is_totals,
                name: None,
            };
            if kind_rows && !first.trim().is_empty() {
                if let Some(b) = cur.as_mut() {
                    let (name, unit) = target_name(first);
                    tt.name = Some((name.clone(), unit.clone()));
                    b.keep_pending_target();
                    b.item.targets.push(Target {
                        name,
                        unit,
                        values: vec![],
                    });
                }
            } else if is_totals {
                tt.name = Some(target_name(first));
                finish(cur.take(), &mut items);
            } else if let Some(b) = cur.as_mut() {
                if let Some((name, unit, _)) = b.pending_target.take() {
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
            let kind_rows = tt
                .columns
                .first()
                .is_some_and(|c| c.roles == [Role::ValueKindColumn])
                && super::is_kind_row(lex, l);
            if first.is_empty()
                || named_rows
                || kind_rows
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
                            source: None,
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
                    let (Some(kind), false) = (value_kind_of(&col.roles), cell.trim().is_empty())
                    else {
                        continue;
                    };
                    let q = ctx.quantity(cell);
                    push_value(
                        &mut t,
                        kind,
                        col.label.clone(),
                        col.year.or(report_year),
                        cell,
                        q,
                    );
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
                // Below the levels before it: nested sections (基本方針1 › 推進項目(1)) and
                // sections inside parent items.
                let depth = k as u32 + 1;
                let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
                let sec = Section {
                    id: Some(c.tok.text.clone()),
                    // A profile's pattern (`【重点分野\d+】`) numbers by its last number.
                    number: matches!(c.tok.scheme, ids::Scheme::Number | ids::Scheme::Pattern(_))
                        .then_some(c.tok.ordinal),
                    title: c.tok.rest.clone(),
                    text,
                    level: depth,
                };
                section_stack.retain(|(lvl, _)| *lvl < depth);
                section_stack.push((depth, sec.clone()));
                group_dept = None;
                open_secs.retain(|(lvl, _)| *lvl < depth);
                open_secs.push((depth, l.line));
                sections.push(sec);
                section_once.push(false);
                finish(cur.take(), &mut items);
                parents.retain(|(pk, _)| *pk < k);
                open_parents.retain(|(pk, _)| *pk < k);
                continue;
            }
            finish(cur.take(), &mut items);
            // A category column left of the number (`歳出の削減 | 1 | 題`), filled on a group's
            // first row: a section; not a column headed as the department (`担当課 | 番号 | 題`),
            // which is the item's department.
            let dept_column = table
                .as_deref()
                .and_then(|t| t.first())
                .is_some_and(|col| col.roles.first() == Some(&Role::Department));
            if c.cell > 0 && c.form == super::Form::Cell && table.is_some() && !dept_column {
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
                    open_secs.retain(|(lvl, _)| *lvl < 1);
                    open_secs.push((1, l.line));
                    if !sections.iter().any(|s| s.text == sec.text) {
                        sections.push(sec);
                        section_once.push(true);
                    }
                }
            }
            seen_record = true;
            explained += 1;
            parents.retain(|(pk, _)| *pk < k);
            open_parents.retain(|(pk, _)| *pk < k);
            let mut context: Vec<u32> = open_secs
                .iter()
                .map(|(_, x)| *x)
                .chain(open_parents.iter().map(|(_, x)| *x))
                .chain(table_lines.iter().copied())
                .filter(|&x| x < l.line)
                .collect();
            context.sort_unstable();
            context.dedup();
            contexts.push((l.line, context));
            let parent = parents.last().map(|(_, id)| id.clone());
            let secs: Vec<Section> = section_stack.iter().map(|(_, s)| s.clone()).collect();
            let mut b = Building {
                item: new_item(&c.tok, l, parent, &secs),
                pending_target: None,
                open_field: None,
                pending_label: None,
                label_row: None,
                group_department: group_dept.clone(),
                line_target: None,
                department_label: None,
                title_col: None,
            };
            let is_parent_level = item_levels.last().is_some_and(|&last| k < last);
            if is_parent_level {
                parents.push((k, c.tok.text.clone()));
                open_parents.push((k, l.line));
                if c.form == super::Form::AfterLabel {
                    table = None;
                    table_lines.clear();
                }
            }
            fill_start_row(&mut ctx, &mut b, c, l, table.as_deref());
            // `番号　１ | 取組名　題`: the title's own label in the title's cell is no part of it.
            if let Some((j, cell)) = l.filled().find(|(j, _)| *j > c.cell) {
                if b.item.title == cell.trim() {
                    if let Some(t) =
                        after_title_label(lex, &super::spaced_cell(raw, i - 1, j, cell))
                    {
                        b.item.title = t;
                    }
                }
            }
            if table.is_none() && matches!(c.form, super::Form::Prefix | super::Form::LabelPrefix) {
                b.title_col = raw
                    .get(i - 1)
                    .and_then(|r| r.cells.get(c.cell))
                    .and_then(|cell| title_column(cell, &c.tok.text));
            }
            if table.is_some() {
                if let Some((head, label)) = trailing_label(lex, &b.item.title) {
                    b.item.title = head;
                    b.pending_label = Some(label);
                }
            }
            cur = Some(b);
            continue;
        }
        // An id alone on its line (`■No.1`): the plain line after it is the title.
        if let Some(b) = cur.as_mut() {
            let plain = l.filled().count() == 1
                && b.item.title.is_empty()
                && b.item.fields.is_empty()
                && any_bracket_label(lex, first_cell).is_none()
                && !first_cell.contains([':', '：'])
                && !first_cell.ends_with('。')
                && first_cell.chars().count() <= 60
                && lex.classify(first_cell).is_none()
                && !first_cell.starts_with(super::HEADING_MARKS)
                && !first_cell.starts_with(['▲', '△', '※'])
                && lex
                    .classify(
                        super::spaced_cell(raw, i - 1, 0, first_cell)
                            .split_whitespace()
                            .next()
                            .unwrap_or(""),
                    )
                    .is_none();
            if plain {
                explained += 1;
                b.item.title = first_cell.to_string();
                continue;
            }
        }
        // A title wrapped onto the next line, set under its first character (`一　…の明確化と` /
        // `　　既存補助金の整理合理化`).
        if let Some(b) = cur.as_mut() {
            if let Some(col) = b.title_col {
                let cell = raw.get(i - 1).and_then(|r| r.cells.first());
                let continues = l.filled().count() == 1
                    && cell.is_some_and(|c| title_continues(lex, c, col, &b.item.title));
                if continues {
                    explained += 1;
                    b.item.title.push_str(first_cell);
                    continue;
                }
                b.title_col = None;
            }
        }
        // The value of a label that stood alone on the line before (`取組の概要` / text).
        if let Some(b) = cur.as_mut() {
            let waiting = b
                .open_field
                .and_then(|k| b.item.fields.get(k))
                .is_some_and(|f| f.text.is_empty());
            let single = l.filled().count() == 1;
            let is_label = lex.classify(first_cell).is_some_and(|m| m.exact);
            // `自己評価：Ａ　外部評価：Ｂ` under `〔評価〕` is pairs of their own, not its value.
            let pairs =
                || label_pairs(lex, &super::spaced_cell(raw, i - 1, 0, first_cell)).is_some();
            // `担当部署` / `総務部管財課`: the department under its label.
            let dept_waiting = b.department_label.is_some();
            b.department_label = None;
            if dept_waiting && single && !is_label && any_bracket_label(lex, first_cell).is_none() {
                explained += 1;
                b.item.department = Some(first_cell.to_string());
                continue;
            }
            if waiting
                && single
                && !is_label
                && any_bracket_label(lex, first_cell).is_none()
                && !pairs()
            {
                if let Some(f) = b.open_field.and_then(|k| b.item.fields.get_mut(k)) {
                    explained += 1;
                    f.text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
                    // A rating label over its cell (`R3進捗状況` / `順調` on the row below).
                    if f.role.as_deref() == Some(Role::Rating.key()) && b.item.rating.is_none() {
                        b.item.rating = Some(Rating {
                            text: f.text.trim().to_string(),
                            meaning: None,
                            rank: None,
                            code: None,
                            source: Some(prov(l)),
                        });
                    }
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
        // `＜総務課＞`: the department of the items under it, up to the next such line or section.
        if let Some(dept) = group_department(lex, l) {
            explained += 1;
            finish(cur.take(), &mut items);
            group_dept = Some(dept);
            continue;
        }
        let spaced_first = super::spaced_cell(raw, i - 1, 0, first_cell);
        let over = table
            .is_none()
            .then(|| table_below(lex, lines, &roles, i))
            .flatten();
        if let Some(sec) = section_line(lex, l, &spaced_first, table.as_deref().or(over.as_deref()))
        {
            explained += 1;
            let depth = 1;
            section_stack.retain(|(lvl, _)| *lvl < depth);
            section_stack.push((depth, sec.clone()));
            open_secs.retain(|(lvl, _)| *lvl < depth);
            open_secs.push((depth, l.line));
            if !sections.iter().any(|s| s.text == sec.text) {
                sections.push(sec);
                section_once.push(true);
            }
            continue;
        }
        // Content.
        if back_from.is_some_and(|k| i > k) {
            finish(cur.take(), &mut items);
        }
        let Some(b) = cur.as_mut() else {
            front.push(i - 1);
            continue;
        };
        // A continuation row of a table record (sub-rows share the number cell).
        if let Some(cols) = table.as_deref() {
            if first_cell.is_empty() && l.filled().count() >= 1 && cols.len() >= 3 {
                explained += 1;
                let filled_cols: Vec<usize> = l.filled().map(|(j, _)| j).collect();
                // A wrapped line of the labelled sub-row above (its cell's next line, which a PDF
                // may print as a row of its own): it joins that label's text.
                if let Some((label, cols_of)) = b.label_row.clone() {
                    if filled_cols.iter().all(|j| cols_of.contains(j)) {
                        let value = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join("\n");
                        apply_label(&mut ctx, b, &label, &value, l, true);
                        continue;
                    }
                    b.label_row = None;
                }
                // The text of a label printed at the end of the title cell.
                if let Some(mut label) = b.pending_label.take() {
                    let mut filled: Vec<(usize, &str)> = l.filled().collect();
                    // The label printed again in a cell of its own before its text (`| これまでの
                    // 取組状況と今後の見通し | text`): a cell holding only a field label starts
                    // that label's text wherever its column.
                    if let [(_, first), _, ..] = filled.as_slice() {
                        if field_label_cell(lex, first) {
                            label = first.trim().to_string();
                            filled.remove(0);
                        }
                    }
                    let value = filled
                        .iter()
                        .map(|(_, c)| *c)
                        .collect::<Vec<_>>()
                        .join("\n");
                    apply_label(&mut ctx, b, &label, &value, l, false);
                    b.label_row = Some((label, filled.iter().map(|(j, _)| *j).collect()));
                    continue;
                }
                // A sub-row led by a label in another column's place (`| これまでの取組状況と今後
                // の見通し | | text`): the label and its text.
                let filled: Vec<(usize, &str)> = l.filled().collect();
                if let [(j, label), rest @ ..] = filled.as_slice() {
                    let roles = lex
                        .classify(label)
                        .filter(|m| m.exact)
                        .map(|m| m.roles)
                        .unwrap_or_default();
                    let field_role = roles.first().filter(|r| matches!(r, Role::Field(_)));
                    let own_column = cols
                        .get(*j)
                        .is_some_and(|c| field_role.is_some_and(|r| c.roles.contains(r)));
                    if field_role.is_some() && !own_column && !rest.is_empty() {
                        let value = rest.iter().map(|(_, c)| *c).collect::<Vec<_>>().join("\n");
                        apply_label(&mut ctx, b, label, &value, l, false);
                        b.label_row =
                            Some((label.to_string(), rest.iter().map(|(k, _)| *k).collect()));
                        continue;
                    }
                }
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
            if let Some((label, value)) = any_bracket_label(lex, first_cell) {
                explained += 1;
                apply_label(&mut ctx, b, &label, &value, l, false);
                continue;
            }
            // `担当：総務課`: a label the lexicon knows, a colon, the value; `担当 総務課`,
            // `取組内容　…`: a label the lexicon knows exactly, a space, the value.
            let spaced = &spaced_first;
            if let Some(pairs) = label_pairs(lex, spaced) {
                explained += 1;
                for (label, value) in pairs {
                    let value = crate::normalize::normalize(&value);
                    apply_label(&mut ctx, b, &label, value.trim(), l, false);
                }
                continue;
            }
            let pair = first_cell
                .split_once([':', '：'])
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .or_else(|| {
                    spaced
                        .split_once(' ')
                        .map(|(a, b)| (a.to_string(), b.to_string()))
                        .filter(|(a, _)| lex.classify(a).is_some_and(|m| m.exact))
                });
            if let Some((label, value)) = pair {
                let (label, value) = (label.as_str(), value.as_str());
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
        // `自己評価：Ａ | 外部評価：Ｂ`, `所管課　市民課 | 進捗　順調`: cells that are each a label
        // and its value.
        let spaced: Vec<String> = filled
            .iter()
            .take(if filled.len() >= 2 { 4 } else { 0 })
            .map(|&(j, c)| super::spaced_cell(raw, i - 1, j, c))
            .collect();
        let pair_cells = spaced.len() == filled.len()
            && (spaced.iter().all(|c| c.contains([':', '：']))
                || spaced
                    .iter()
                    .all(|c| c.trim().contains(char::is_whitespace)));
        if pair_cells {
            if let Some(pairs) = label_pairs(lex, &spaced.join("\u{3000}\u{3000}")) {
                explained += 1;
                for (label, value) in pairs {
                    apply_label(&mut ctx, b, &label, value.trim(), l, false);
                }
                continue;
            }
        }
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
        // Text of the item's own under no label (`ア）題【Ａ】` / `（担当：市民課）` / a paragraph):
        // a field with an empty label, which the lines after it continue.
        let unlabelled = l.filled().count() == 1 && !b.item.title.is_empty();
        if unlabelled {
            explained += 1;
            let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
            add_field(
                b,
                "",
                &text,
                &[Role::Field(lexmod::Canonical::Other)],
                l,
                false,
            );
            continue;
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
    while tally.len() <= lines.len() {
        tally.push(Tally {
            line: lines.get(tally.len()).map_or(u32::MAX, |x| x.line),
            explained,
            content,
            totals: totals.len(),
            sections: sections.len(),
        });
    }

    // Front matter: legends, the title, the declared status counts, and everything else noted.
    let (front_legends, consumed) = scan_legends(lex, lines, raw, &front);
    legends.extend(front_legends);
    // Letters and marks in a count table get their codes from a legend or the profile's scale.
    let scale: Vec<(String, String)> = legends
        .iter()
        .flat_map(|lg| {
            lg.entries
                .iter()
                .map(|e| (e.text.clone(), e.meaning.clone()))
        })
        .chain(pins.iter().flat_map(|p| p.rating_scale.iter().cloned()))
        .collect();
    let (declared, counted) = declared_counts(lex, lines, &front, &scale);
    for ((&li, used), count_line) in front.iter().zip(&consumed).zip(&counted) {
        let Some(l) = lines.get(li) else { break };
        explained += 1;
        if *used || *count_line || Some(li) == title_line {
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

    for it in &mut items {
        // `住民課（情報政策係）`: the department and, in brackets, the lead department.
        if let Some(d) = it.department.clone() {
            let (head, lead) = split_lead(&d);
            it.department = Some(head);
            it.lead_department = lead;
        }
        let (t, new) = lex.split_new_flag(&it.title);
        it.title = unquote(&t);
        it.is_new = new;
        // A rating in brackets after the title (`地区懇談会の開催【順調】`).
        if it.rating.is_none() {
            if let Some((head, word)) = trailing_rating(lex, &it.title) {
                ctx.note_role(&[Role::Rating]);
                it.title = head;
                it.rating = Some(Rating {
                    text: word,
                    meaning: None,
                    rank: None,
                    code: None,
                    source: None,
                });
            }
        }
    }
    // Ratings against the legend that lists them.
    let rating_texts: Vec<String> = items
        .iter()
        .filter_map(|it| it.rating.as_ref())
        .flat_map(|r| std::iter::once(strip_ws(&r.text)).chain(rating_head(&r.text)))
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
        levels: lvls
            .iter()
            .map(|l| (l.key, l.kind, l.label.clone()))
            .collect(),
        title,
        items,
        sections,
        rating_scale,
        totals,
        diagnostics: ctx.diags,
        confidence,
        roles_used: ctx.roles_used.len(),
        declared,
        tally,
        section_once,
        contexts,
        explained,
        content,
    }
}

mod columns;
use columns::*;
mod titles;
use titles::*;

#[cfg(test)]
mod tests;
