//! The cells of a table row read into a record: a cell by its column, the record's first row
//! (id, title and the cells beside them), notes written along a schedule's arrows, and
//! `label | value` pairs across a row.

use super::*;

/// A cell of a 区分 column that names no value kind (`計画`, `実績`) but a class of its own
/// (`新規`, `継続`, `完了`): text of the item, not a row kind.
pub(in crate::records) fn is_other_class(lex: &Lexicon, cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && !crate::fields::values::is_dash(t)
        && lex
            .classify(t)
            .is_none_or(|m| value_kind_of(&m.roles).is_none())
}

/// A cell of a table row, by its column.
pub(in crate::records) fn table_cell(
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
    // A 区分 cell naming a value kind (計画 / 実績) says what the row's values are; one naming
    // anything else (新規 / 継続 / 完了) is the item's own field, unless the column stands before
    // the number column or repeats the item's section (a group the items are in, 歳出の削減).
    if col.roles.first() == Some(&Role::ValueKindColumn) {
        let before_id = cols
            .iter()
            .position(|c| c.roles.first() == Some(&Role::Id))
            .is_some_and(|k| j < k);
        let section = b.item.section.as_deref().map(str::trim) == Some(cell.trim());
        if before_id || section || !is_other_class(ctx.lex, cell) {
            return;
        }
        // `新規` there marks the item new, as beside its title.
        if ctx.lex.is_new_flag(cell) {
            b.item.is_new = true;
        }
    }
    // A row whose 区分 cell names a value kind (計画 / 実績): its year columns are values.
    let row_kind = cols
        .iter()
        .position(|c| c.roles.first() == Some(&Role::ValueKindColumn))
        .and_then(|k| l.cells.get(k))
        .and_then(|c| ctx.lex.classify(c))
        .and_then(|m| value_kind_of(&m.roles));
    if let (Some(kind), Some(year)) = (row_kind, col.year) {
        if col.roles.is_empty() || col.roles.contains(&Role::Schedule) {
            let q = ctx.quantity(cell);
            if let Some(t) = last_target(&mut b.item.targets) {
                push_value(t, kind, col.label.clone(), Some(year), cell, q);
            }
            return;
        }
    }
    let is_schedule =
        col.roles.contains(&Role::Schedule) || (col.roles.is_empty() && col.year.is_some());
    if is_schedule {
        // A column named by its label (`実施年度`): a cell of one year is that year's, a dash none.
        let year = match col.year {
            Some(_) if crate::records::schedule_cells::nothing_that_year(cell.trim()) => return,
            Some(y) => Some(y),
            None => match crate::records::schedule_cells::schedule_cell(cell.trim()) {
                crate::records::schedule_cells::ScheduleCell::Nothing => return,
                crate::records::schedule_cells::ScheduleCell::Year(y) => Some(y),
                crate::records::schedule_cells::ScheduleCell::Text => None,
            },
        };
        let text = rejoin_wrapped_brackets(cell.trim());
        let continues = text.contains('→');
        let milestones: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '■' || c == '→')
            .map(str::trim)
            .filter(|s| !s.is_empty() && !s.starts_with(['(', '（', '※']))
            .map(str::to_string)
            .collect();
        // A year column under a spanning 取組の工程 is labelled by its year alone.
        let label = if col.year.is_some() && !col.own.is_empty() {
            col.own.clone()
        } else {
            col.label.clone()
        };
        b.item.schedule.push(ScheduleEntry {
            fiscal_year: year,
            label,
            notes: arrow_notes(&text),
            text,
            milestones,
            continues,
            source: None,
        });
        return;
    }
    let col_kind = value_kind_of(&col.roles);
    let q = ctx.quantity(cell);
    // A quantity: a number with no unit or a known one (`2件売却` is text, not 2 of `件売却`).
    let known_unit = q
        .unit
        .as_ref()
        .is_none_or(|u| ctx.lex.units().iter().any(|k| k == u));
    let is_quantity = (q.number.is_some() && known_unit) || crate::fields::values::is_dash(cell);
    // A target's name in a table column (成果指標, 指標名). A column of one year's values
    // (`令和5年度目標`), or one whose label also names a kind of value (`目標` beside `実績`),
    // holding text is a field, not the name of a target.
    if !continuation
        && col.roles.iter().any(|r| match r {
            Role::TargetName => true,
            Role::Target => col_kind.is_none(),
            _ => false,
        })
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
    if let (Some(kind), true, false) = (col_kind, is_quantity, continuation) {
        if let Some(t) = last_target(&mut b.item.targets) {
            push_value(
                t,
                kind,
                col.label.clone(),
                col.year
                    .or(ctx.report_year.filter(|_| !of_no_one_year(&col.label))),
                cell,
                q,
            );
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
            } else if col.roles.is_empty() {
                ctx.note_unmapped(
                    "unmapped-column",
                    format!(
                        "column {} ({}) has no role; kept in fields under its header",
                        j + 1,
                        col.label
                    ),
                    l,
                    &b.item.id,
                );
            }
            let label = if col.own.is_empty() {
                col.label.clone()
            } else {
                col.own.clone()
            };
            // A row named by its 区分 cell (a 計画 row, then a 実績 row): its text is that kind's.
            let kind_cell = cols
                .iter()
                .position(|c| c.roles.first() == Some(&Role::ValueKindColumn))
                .and_then(|k| l.cells.get(k))
                .filter(|_| row_kind.is_some() && !is_quantity);
            let label = match kind_cell {
                Some(kind) if col.roles.first() != Some(&Role::Rating) => {
                    kind_row_label(&label, kind, text_columns(cols))
                }
                _ => label,
            };
            // a mark under a column that is one of the ratings chooses that rating
            let chosen = col.roles.first() == Some(&Role::Rating)
                && is_choice_mark(cell)
                && is_choice(ctx.lex, &col.own);
            let text = || if chosen { &col.own } else { cell }.trim().to_string();
            if col.roles.first() == Some(&Role::Rating) && !continuation {
                b.item.rating = Some(Rating {
                    text: text(),
                    meaning: None,
                    rank: None,
                    code: None,
                    source: None,
                });
            } else if let Some(r) = b.item.rating.as_mut().filter(|_| chosen) {
                // a sub-row's mark chooses again
                r.text = text();
            }
            add_field(b, &label, cell, &col.roles, l, continuation);
        }
    }
}

/// The columns of a table holding an item's text: no id, title, department, rating or value.
fn text_columns(cols: &[Column]) -> usize {
    cols.iter()
        .filter(|c| match c.roles.first() {
            None => !c.label.is_empty(),
            Some(r) => matches!(r, Role::Field(_)),
        })
        .count()
}

/// The label of a text cell in a row whose 区分 cell names the row (`計画`, `実績`): the row's
/// name when the table has one text column, else the column's label with the row's name after it.
pub(in crate::records) fn kind_row_label(column: &str, kind: &str, text_columns: usize) -> String {
    let kind = kind.trim();
    if text_columns <= 1 {
        kind.to_string()
    } else {
        format!("{column}（{kind}）")
    }
}

/// A schedule cell's bracket wrapped onto a line of its own right after a milestone
/// (`■見直し検討` / `(随時)`) is that milestone's, as printed on one line: the line break goes.
/// After an arrow, the bracket stays a note.
pub(in crate::records) fn rejoin_wrapped_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            let before = out.trim_end().chars().last();
            let after = chars.peek().copied();
            if matches!(after, Some('(' | '（'))
                && before.is_some_and(|b| b != '→' && !b.is_whitespace())
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Notes between a schedule cell's arrows (`→(利用促進等)→`, `→ (毎年度) →`): bracketed text
/// that opens after an arrow or a space, not the bracket of a milestone (`見直し検討(随時)`).
pub(in crate::records) fn arrow_notes(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut prev: Option<char> = None;
    let mut note: Option<String> = None;
    // A remark (`※検討結果を踏まえて判断`) runs to the next arrow or the end.
    let mut remark: Option<String> = None;
    for c in text.chars() {
        if let Some(r) = remark.as_mut() {
            if c == '→' {
                out.extend(
                    remark
                        .take()
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty()),
                );
            } else {
                r.push(c);
            }
            prev = Some(c);
            continue;
        }
        if note.is_none() && c == '※' {
            remark = Some(String::new());
            prev = Some(c);
            continue;
        }
        match (&mut note, c) {
            (None, '(' | '（') if prev.is_none_or(|p| p == '→' || p.is_whitespace()) => {
                note = Some(String::new());
            }
            (Some(n), ')' | '）') => {
                let t = n.trim().to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                note = None;
            }
            (Some(n), _) => n.push(c),
            _ => {}
        }
        prev = Some(c);
    }
    out.extend(
        remark
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty()),
    );
    out
}

/// The record's first row: id, title, and what else the row holds.
pub(in crate::records) fn fill_start_row(
    ctx: &mut Ctx,
    b: &mut Building,
    c: &Candidate,
    l: &Line,
    table: Option<&[Column]>,
) {
    if let Some(cols) = table {
        if c.form != crate::records::Form::AfterLabel && cols.len() >= 3 {
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
                            ctx.note_role(&[Role::Department]);
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
            if !crate::records::is_label_cell(ctx.lex, t) {
                let (t, d) = department_in_title(ctx.lex, t);
                b.item.title = t;
                if d.is_some() {
                    ctx.note_role(&[Role::Department]);
                    b.item.department = d;
                }
                rest = tail;
            }
        }
    } else {
        let (t, d) = department_in_title(ctx.lex, &c.tok.rest);
        b.item.title = t;
        if d.is_some() {
            ctx.note_role(&[Role::Department]);
            b.item.department = d;
        }
    }
    // An unlabelled department cell beside the title (`取組番号 | 1 | 題 | 住民課`).
    if let Some(((_, d), tail)) = rest.split_first() {
        if b.item.department.is_none()
            && !crate::records::is_label_cell(ctx.lex, d)
            && ctx.lex.looks_like_department(d)
        {
            b.item.department = Some(d.trim().to_string());
            rest = tail;
        }
    }
    // `① 題（市民課）……Ａ`: a grade alone at the end of the line, with no label, is the rating.
    if let [(_, g)] = rest {
        if b.item.rating.is_none() && is_bare_grade(ctx.lex, g) {
            ctx.note_role(&[Role::Rating]);
            b.item.rating = Some(Rating {
                text: g.trim().to_string(),
                meaning: None,
                rank: None,
                code: None,
                source: None,
            });
            return;
        }
    }
    if !rest.is_empty() {
        read_pairs(ctx, b, rest, l);
    }
}

/// A cell that can only be a grade: one letter (`Ａ`, `S`), one mark (`◎`, `△`), or a rating
/// word the lexicon knows (`順調`), and no label.
pub(in crate::records) fn is_bare_grade(lex: &Lexicon, cell: &str) -> bool {
    let t = cell.trim();
    let mut cs = t.chars();
    let one = match (cs.next(), cs.next()) {
        (Some(c), None) => c.is_ascii_uppercase() || "◎○〇△▲×✕●".contains(c),
        _ => false,
    };
    let word =
        t.chars().count() <= 8 && lex.classify(t).is_none() && lex.rating_code(t, None).is_some();
    one || word
}

/// `label | value | label | value …` cells: each label the lexicon knows (or the first cell)
/// takes the cells up to the next known label.
pub(in crate::records) fn read_pairs(
    ctx: &mut Ctx,
    b: &mut Building,
    cells: &[(usize, &str)],
    l: &Line,
) {
    let mut k = 0usize;
    while k < cells.len() {
        let Some((_, label)) = cells.get(k) else {
            break;
        };
        let mut values: Vec<&str> = vec![];
        let mut m = k + 1;
        while let Some((_, c)) = cells.get(m) {
            // The length first: a long cell is never looked up.
            if c.chars().count() <= 12 && ctx.lex.classify(c).is_some_and(|x| x.exact) {
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
