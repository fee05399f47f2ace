//! The lines inside a record: its title on the line after a bare id or wrapped under it, a
//! label's value on the line after the label, table sub-rows, `【label】` paragraphs, `label：value`
//! pairs and paragraphs continuing the field above. A line no reading takes is reported.

use super::*;

impl Walk<'_> {
    /// Lines read by where they stand in the open record (right after its start or a label).
    pub(super) fn record_line(&mut self, at: usize, l: &Line) -> bool {
        self.cur.is_some()
            && (self.title_after_id(at, l)
                || self.wrapped_title(at, l)
                || self.value_after_label(at, l)
                || self.label_alone(l))
    }

    /// An id alone on its line (`■No.1`): the plain line after it is the title.
    fn title_after_id(&mut self, at: usize, l: &Line) -> bool {
        let (lex, raw) = (self.lex, self.raw);
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        let plain = l.filled().count() == 1
            && b.item.title.is_empty()
            && b.item.fields.is_empty()
            && any_bracket_label(lex, first_cell).is_none()
            && !first_cell.contains([':', '：'])
            && !first_cell.ends_with('。')
            && first_cell.chars().count() <= 60
            && lex.classify(first_cell).is_none()
            && !first_cell.starts_with(crate::records::HEADING_MARKS)
            && !first_cell.starts_with(['▲', '△', '※'])
            && lex
                .classify(
                    crate::records::spaced_cell(raw, at, 0, first_cell)
                        .split_whitespace()
                        .next()
                        .unwrap_or(""),
                )
                .is_none();
        if plain {
            self.explained += 1;
            b.item.title = first_cell.to_string();
        }
        plain
    }

    /// A title wrapped onto the next line, set under its first character (`一　…の明確化と` /
    /// `　　既存補助金の整理合理化`).
    fn wrapped_title(&mut self, at: usize, l: &Line) -> bool {
        let (lex, raw) = (self.lex, self.raw);
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        let Some(col) = b.title_col else {
            return false;
        };
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        let cell = raw.get(at).and_then(|r| r.cells.first());
        let continues = l.filled().count() == 1
            && cell.is_some_and(|c| title_continues(lex, c, col, &b.item.title));
        if continues {
            self.explained += 1;
            b.item.title.push_str(first_cell);
        } else {
            b.title_col = None;
        }
        continues
    }

    /// The value of a label that stood alone on the line before (`取組の概要` / text), and the
    /// department under its label (`担当部署` / `総務部管財課`).
    fn value_after_label(&mut self, at: usize, l: &Line) -> bool {
        let (lex, raw) = (self.lex, self.raw);
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        let waiting = b
            .open_field
            .and_then(|k| b.item.fields.get(k))
            .is_some_and(|f| f.text.is_empty());
        let single = l.filled().count() == 1;
        let is_label = lex.classify(first_cell).is_some_and(|m| m.exact);
        // `自己評価：Ａ　外部評価：Ｂ` under `〔評価〕` is pairs of their own, not its value.
        let pairs =
            || label_pairs(lex, &crate::records::spaced_cell(raw, at, 0, first_cell)).is_some();
        let dept_waiting = b.department_label.is_some();
        b.department_label = None;
        if dept_waiting && single && !is_label && any_bracket_label(lex, first_cell).is_none() {
            self.explained += 1;
            b.item.department = Some(first_cell.to_string());
            return true;
        }
        if !(waiting
            && single
            && !is_label
            && any_bracket_label(lex, first_cell).is_none()
            && !pairs())
        {
            return false;
        }
        let Some(f) = b.open_field.and_then(|k| b.item.fields.get_mut(k)) else {
            return false;
        };
        self.explained += 1;
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
        true
    }

    /// A label alone on its line (its value on the lines after it): `取組の概要` / text.
    fn label_alone(&mut self, l: &Line) -> bool {
        let lex = self.lex;
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        let filled: Vec<(usize, &str)> = l.filled().collect();
        let [(_, one)] = filled.as_slice() else {
            return false;
        };
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
            self.explained += 1;
            apply_label(&mut self.ctx, b, &t, "", l, false);
        }
        is_label
    }

    /// A content line of the open record (the caller has made sure one is open).
    pub(super) fn content_line(&mut self, at: usize, l: &Line) -> bool {
        if self.table_sub_row(l) || self.single_cell_pair(at, l) || self.pair_row(at, l) {
            return true;
        }
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        // A paragraph continuing the open field.
        if let Some(f) = b.open_field.and_then(|k| b.item.fields.get_mut(k)) {
            self.explained += 1;
            let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
            if !f.text.is_empty() {
                f.text.push('\n');
            }
            f.text.push_str(&text);
            return true;
        }
        // Text of the item's own under no label (`ア）題【Ａ】` / `（担当：市民課）` / a paragraph):
        // a field with an empty label, which the lines after it continue.
        if l.filled().count() == 1 && !b.item.title.is_empty() {
            self.explained += 1;
            let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
            add_field(
                b,
                "",
                &text,
                &[Role::Field(lexmod::Canonical::Other)],
                l,
                false,
            );
            return true;
        }
        self.ctx.diags.push(
            Diagnostic::new(
                Severity::Warning,
                "unassigned-text",
                format!("line not in any field: {}", l.joined()),
            )
            .at(Some(l.line), l.page)
            .item(Some(&b.item.id)),
        );
        true
    }

    /// A continuation row of a table record (sub-rows share the number cell).
    fn table_sub_row(&mut self, l: &Line) -> bool {
        let lex = self.lex;
        let (Some(cols), Some(b)) = (self.table.as_deref(), self.cur.as_mut()) else {
            return false;
        };
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        if !(first_cell.is_empty() && l.filled().count() >= 1 && cols.len() >= 3) {
            return false;
        }
        self.explained += 1;
        let ctx = &mut self.ctx;
        let filled_cols: Vec<usize> = l.filled().map(|(j, _)| j).collect();
        // A wrapped line of the labelled sub-row above (its cell's next line, which a PDF may
        // print as a row of its own): it joins that label's text.
        if let Some((label, cols_of)) = b.label_row.clone() {
            if filled_cols.iter().all(|j| cols_of.contains(j)) {
                let value = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join("\n");
                apply_label(ctx, b, &label, &value, l, true);
                return true;
            }
            b.label_row = None;
        }
        // The text of a label printed at the end of the title cell.
        if let Some(mut label) = b.pending_label.take() {
            let mut filled: Vec<(usize, &str)> = l.filled().collect();
            // The label printed again in a cell of its own before its text (`| これまでの
            // 取組状況と今後の見通し | text`): a cell holding only a field label starts that
            // label's text wherever its column.
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
            apply_label(ctx, b, &label, &value, l, false);
            b.label_row = Some((label, filled.iter().map(|(j, _)| *j).collect()));
            return true;
        }
        // A sub-row led by a label in another column's place (`| これまでの取組状況と今後の見通し
        // | | text`): the label and its text.
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
                apply_label(ctx, b, label, &value, l, false);
                b.label_row = Some((label.to_string(), rest.iter().map(|(k, _)| *k).collect()));
                return true;
            }
        }
        for (j, cell) in l.cells.iter().enumerate() {
            if cell.trim().is_empty() {
                continue;
            }
            table_cell(ctx, b, cols, j, cell, l, true);
        }
        true
    }

    /// A line of one cell: `【label】 value`, `担当：総務課` (a label the lexicon knows, a colon,
    /// the value) or `担当 総務課`, `取組内容　…` (a label the lexicon knows exactly, a space,
    /// the value).
    fn single_cell_pair(&mut self, at: usize, l: &Line) -> bool {
        let (lex, raw) = (self.lex, self.raw);
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        if l.filled().count() != 1 {
            return false;
        }
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        // `・担当課：住民課`: the bullet is the list's mark.
        let first_cell =
            crate::records::bullet_labels::after_bullet(lex, first_cell).unwrap_or(first_cell);
        if let Some((label, value)) = any_bracket_label(lex, first_cell) {
            self.explained += 1;
            apply_label(&mut self.ctx, b, &label, &value, l, false);
            return true;
        }
        let spaced = crate::records::spaced_cell(raw, at, 0, first_cell);
        if let Some(pairs) = label_pairs(lex, &spaced) {
            self.explained += 1;
            for (label, value) in pairs {
                let value = crate::normalize::normalize(&value);
                apply_label(&mut self.ctx, b, &label, value.trim(), l, false);
            }
            return true;
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
        let Some((label, value)) = pair else {
            return false;
        };
        let known = label.chars().count() <= 12
            && lex.classify(&label).is_some_and(|m| m.exact)
            && !value.trim().is_empty();
        if known {
            self.explained += 1;
            apply_label(&mut self.ctx, b, label.trim(), value.trim(), l, false);
        }
        known
    }

    /// `label | value …` rows, and cells that are each a label and its value
    /// (`自己評価：Ａ | 外部評価：Ｂ`, `所管課　市民課 | 進捗　順調`).
    fn pair_row(&mut self, at: usize, l: &Line) -> bool {
        let (lex, raw) = (self.lex, self.raw);
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        let filled: Vec<(usize, &str)> = l.filled().collect();
        // Two to four cells, each (as printed) holding a colon, or each holding a space; each
        // cell is read as printed only while one of the two may still hold.
        let mut spaced: Vec<String> = Vec::with_capacity(filled.len());
        let pair_cells = filled.is_empty()
            || (filled.len() <= 4 && filled.len() >= 2 && {
                let (mut colons, mut spaces) = (true, true);
                for &(j, c) in &filled {
                    let s = crate::records::spaced_cell(raw, at, j, c);
                    colons &= s.contains([':', '：']);
                    spaces &= s.trim().contains(char::is_whitespace);
                    if !colons && !spaces {
                        break;
                    }
                    spaced.push(s);
                }
                colons || spaces
            });
        if pair_cells {
            if let Some(pairs) = label_pairs(lex, &spaced.join("\u{3000}\u{3000}")) {
                self.explained += 1;
                for (label, value) in pairs {
                    apply_label(&mut self.ctx, b, &label, value.trim(), l, false);
                }
                return true;
            }
        }
        // `見直し前 | 見直し後` over their values: each label takes the cell under it.
        let below: Vec<(usize, &str)> = self
            .lines
            .get(at + 1)
            .map_or(vec![], |n| n.filled().collect());
        if self.table.is_none() {
            if let Some(pairs) =
                crate::records::label_rows::labels_over_values(lex, &filled, &below)
            {
                self.explained += 2;
                self.next = self.next.max(at + 2);
                for (label, value) in pairs {
                    apply_label(&mut self.ctx, b, &label, &value, l, false);
                }
                return true;
            }
        }
        if filled.len() >= 2 {
            if let Some((_, label)) = filled.first() {
                let known = lex.classify(label).is_some() || label.chars().count() <= 12;
                if known {
                    self.explained += 1;
                    read_pairs(&mut self.ctx, b, &filled, l);
                    return true;
                }
            }
        }
        false
    }
}
