//! The walk over a document's lines: one state carried from line to line (the open record, the
//! open sections and parents, the table header in force), and the lines that change it —
//! headings, table headers, target tables, totals rows and record starts. The lines inside a
//! record are read by `content.rs`; what is left to do once every line is read, by `finish.rs`.

use super::*;

/// Everything the walk carries from one line to the next.
pub(super) struct Walk<'a> {
    pub(super) lex: &'a Lexicon,
    pub(super) lines: &'a [Line],
    pub(super) raw: &'a crate::records::RawLines<'a>,
    pub(super) report_year: Option<i32>,
    pub(super) pins: Option<&'a Pins>,
    pub(super) column_rules: &'a [ColumnRule],
    pub(super) roles: Vec<LineRole>,
    pub(super) lvls: Vec<Level>,
    pub(super) ctx: Ctx<'a>,
    /// The candidate starting a record on each line.
    pub(super) by_line: HashMap<usize, Candidate>,
    /// The level each record start opens.
    pub(super) start_level: HashMap<usize, usize>,
    pub(super) item_levels: Vec<usize>,
    pub(super) items: Vec<Item>,
    /// The record being read.
    pub(super) cur: Option<Building>,
    /// Open parent items by level index: (level, id).
    pub(super) parents: Vec<(usize, String)>,
    pub(super) section_stack: Vec<(u32, Section)>,
    pub(super) sections: Vec<Section>,
    pub(super) section_once: Vec<bool>,
    /// The lines behind the open sections, open parents and the table header (see `contexts`).
    pub(super) open_secs: Vec<(u32, u32)>,
    pub(super) open_parents: Vec<(usize, u32)>,
    pub(super) table_lines: Vec<u32>,
    pub(super) contexts: Vec<(u32, Vec<u32>)>,
    pub(super) tally: Vec<Tally>,
    /// The header of the table being read.
    pub(super) table: Option<Vec<Column>>,
    pub(super) target_table: Option<TargetTable>,
    /// A table after the items of amounts by item number and year (`効果額一覧`), and the
    /// quantity named over it (see `keyed_amounts.rs`).
    pub(super) keyed: Option<TargetTable>,
    pub(super) keyed_name: Option<(String, Option<String>)>,
    pub(super) totals: Vec<Target>,
    /// Lines before the first record (and between records when none is open).
    pub(super) front: Vec<usize>,
    /// `＜総務課＞`: the department of the items under it.
    pub(super) group_dept: Option<String>,
    pub(super) explained: usize,
    pub(super) content: usize,
    /// Lines after a legend printed after the last record (the date and the issuing office) are
    /// the report's back matter, no record's content.
    pub(super) back_from: Option<usize>,
    /// Legends under their own heading and legends printed after the last record.
    pub(super) legends: Vec<Legend>,
    pub(super) title_line: Option<usize>,
    pub(super) title: Option<String>,
    /// The next line to read.
    pub(super) next: usize,
}

impl<'a> Walk<'a> {
    /// Classify the lines, choose the levels, find the legends and the title: everything known
    /// before the first line is read as content.
    pub(super) fn new(
        lex: &'a Lexicon,
        lines: &'a [Line],
        raw: &'a crate::records::RawLines<'a>,
        report_year: Option<i32>,
        pins: Option<&'a Pins>,
        repeated: Option<&crate::records::RepeatedEdges>,
    ) -> Self {
        let mut furn = crate::records::furniture_with(lines, repeated);
        crate::records::furniture::keep_label_values(lex, lines, &mut furn);
        let mut roles = classify(lex, lines, &furn);
        // A legend under its own heading is no run of records, whatever its grades look like.
        let headed = headed_legends(lex, lines, raw, &mut roles);
        let mut cands = candidates(lex, lines, raw, &roles);
        if let Some(p) = pins {
            pattern_candidates(&p.patterns, lines, raw, &roles, &mut cands);
            crate::records::profile_keys::label_candidates(
                &p.level_labels,
                lines,
                &roles,
                &mut cands,
            );
        }
        let pinned = pins.map(|p| p.levels.as_slice());
        let pin_labels = pins.map_or(&[][..], |p| p.level_labels.as_slice());
        let lvls: Vec<Level> = levels(lines, &roles, &cands, pinned, pin_labels);
        let column_rules: &[ColumnRule] = pins.map_or(&[], |p| p.columns.as_slice());
        let ctx = Ctx {
            lex,
            report_year,
            diags: vec![],
            roles_used: vec![],
            minus_marks: pins.is_none_or(|p| p.minus_marks),
        };
        let by_line: HashMap<usize, Candidate> = cands.into_iter().map(|c| (c.line, c)).collect();
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
        let first_start = lvls.iter().flat_map(|l| l.lines.iter().copied()).min();
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
        Walk {
            lex,
            lines,
            raw,
            report_year,
            pins,
            column_rules,
            roles,
            lvls,
            ctx,
            by_line,
            start_level,
            item_levels,
            items: vec![],
            cur: None,
            parents: vec![],
            section_stack: vec![],
            sections: vec![],
            section_once: vec![],
            open_secs: vec![],
            open_parents: vec![],
            table_lines: vec![],
            contexts: vec![],
            tally: Vec::with_capacity(lines.len() + 1),
            table: None,
            target_table: None,
            keyed: None,
            keyed_name: None,
            totals: vec![],
            front: vec![],
            group_dept: None,
            explained: 0,
            content: 0,
            back_from,
            legends,
            title_line,
            title,
            next: 0,
        }
    }

    /// Read every line in order.
    pub(super) fn run(&mut self) {
        while self.next < self.lines.len() {
            let at = self.next;
            self.record_tally(at);
            self.next += 1;
            self.line(at);
        }
        self.close();
        self.record_tally(self.lines.len());
    }

    /// The running counts before each line up to `upto` (and one more after the last).
    fn record_tally(&mut self, upto: usize) {
        while self.tally.len() <= upto {
            self.tally.push(Tally {
                line: self
                    .lines
                    .get(self.tally.len())
                    .map_or(u32::MAX, |x| x.line),
                explained: self.explained,
                content: self.content,
                totals: self.totals.len(),
                sections: self.sections.len(),
            });
        }
    }

    /// The record being read is complete.
    pub(super) fn close(&mut self) {
        if let Some(b) = self.cur.take() {
            self.items.push(b.into_item());
        }
    }

    /// One line, by the first reading that takes it.
    fn line(&mut self, at: usize) {
        let Some(l) = self.lines.get(at) else { return };
        let role = self.roles.get(at).copied().unwrap_or(LineRole::Other);
        if role == LineRole::Blank {
            return;
        }
        self.content += 1;
        let _ = self.repeated_heading(role, l)
            || self.keyed_header(role, at, l)
            || self.structure(role, at, l)
            || self.keyed_row(l)
            || self.target_row(at, l)
            || self.totals_row(l)
            || self.target_name_line(at, l)
            || self.record_start(at, l)
            || self.record_line(at, l)
            || self.between_records(at, l)
            || self.content_line(at, l);
    }

    /// Open a section at `depth`, noting it once by its text (headings printed again).
    pub(super) fn open_section_once(&mut self, depth: u32, mut sec: Section, line: u32) {
        // `１　取組の内容（続き）`: the heading before, printed again over the rest of its table.
        if let Some(head) = self.lex.strip_continued(&sec.text) {
            sec.text = head.to_string();
            if let Some(title) = self.lex.strip_continued(&sec.title) {
                sec.title = title.to_string();
            }
        }
        self.section_stack.retain(|(lvl, _)| *lvl < depth);
        self.section_stack.push((depth, sec.clone()));
        self.open_secs.retain(|(lvl, _)| *lvl < depth);
        self.open_secs.push((depth, line));
        if !self.sections.iter().any(|s| s.text == sec.text) {
            self.sections.push(sec);
            self.section_once.push(true);
        }
    }

    /// A numbered section heading printed again at the top of every page (`●重点項目1 題`) still
    /// opens its section for the records after it.
    fn repeated_heading(&mut self, role: LineRole, l: &Line) -> bool {
        let sec = match (role, l.filled().collect::<Vec<_>>().as_slice()) {
            (LineRole::Furniture, [(0, one)]) => numbered_section(self.lex, one),
            _ => None,
        };
        let Some(sec) = sec else { return false };
        self.explained += 1;
        self.open_section_once(1, sec, l.line);
        true
    }

    /// Page furniture, legends and table headers.
    fn structure(&mut self, role: LineRole, at: usize, l: &Line) -> bool {
        match role {
            LineRole::Furniture | LineRole::Legend | LineRole::HeaderCont => {
                self.explained += 1;
                true
            }
            LineRole::Header => {
                let cols = self.read_header(l);
                self.table_lines = (at..self.next)
                    .filter_map(|k| self.lines.get(k))
                    .map(|x| x.line)
                    .collect();
                self.table = Some(cols);
                self.target_table = None;
                self.explained += 1;
                true
            }
            LineRole::TargetHeader => {
                self.target_header(l);
                true
            }
            _ => false,
        }
    }

    /// A header row, joined with its second row when it has one.
    pub(super) fn read_header(&mut self, l: &Line) -> Vec<Column> {
        let second = (self.roles.get(self.next) == Some(&LineRole::HeaderCont))
            .then(|| self.lines.get(self.next))
            .flatten();
        if second.is_some() {
            self.next += 1;
            self.content += 1;
            self.explained += 1;
        }
        let mut cols = header_columns(self.lex, l, second);
        apply_columns(self.column_rules, &mut cols);
        for c in &cols {
            self.ctx.note_role(&c.roles);
        }
        cols
    }

    /// The header of a target table: its value columns, and the target it names.
    fn target_header(&mut self, l: &Line) {
        let mut cols = self.read_header(l);
        // The header's last line (its second row when it has one).
        let at = self.next - 1;
        past_actual_is_baseline(&mut cols);
        let first = l.cells.first().map(String::as_str).unwrap_or("");
        let is_totals = first.contains("合計") || first.contains("総計");
        // Value kinds down the first column (`目標 | …` rows): the corner names the target.
        let kind_rows = !is_totals
            && crate::records::kind_row_follows(self.lex, self.lines, at)
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
        // A name in the corner over years, one row of amounts naming no kind under them.
        let amount_rows = !is_totals
            && !kind_rows
            && crate::records::amount_rows::amount_row_follows(self.lines, at);
        if amount_rows {
            crate::records::amount_rows::years_as_actuals(&mut cols);
        }
        let mut tt = TargetTable {
            columns: cols,
            totals: is_totals,
            name: None,
        };
        if (kind_rows || amount_rows) && !first.trim().is_empty() {
            if let Some(b) = self.cur.as_mut() {
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
            self.close();
        } else if let Some(b) = self.cur.as_mut() {
            if let Some((name, unit, _)) = b.pending_target.take() {
                tt.name = Some((name.clone(), unit.clone()));
                b.item.targets.push(Target {
                    name,
                    unit,
                    values: vec![],
                });
            }
        }
        self.target_table = Some(tt);
        self.explained += 1;
    }

    /// Rows of a target table: the first cell empty (or 合計 in a totals block). Any other line
    /// ends the target table.
    fn target_row(&mut self, at: usize, l: &Line) -> bool {
        let lex = self.lex;
        let Some(tt) = self.target_table.as_mut() else {
            return false;
        };
        let first = l.cells.first().map(|c| c.trim()).unwrap_or("");
        // A table whose first column holds the indicator names continues while rows are not
        // labelled rows or record starts.
        let named_rows = tt
            .columns
            .first()
            .is_some_and(|c| c.roles.contains(&Role::TargetName))
            && l.filled().count() >= 2
            && !self.start_level.contains_key(&at)
            && lex.classify(first).is_none();
        let kind_rows = tt
            .columns
            .first()
            .is_some_and(|c| c.roles == [Role::ValueKindColumn])
            && crate::records::is_kind_row(lex, l);
        // A row worked out from the others (`差引`) belongs to the table and brings no values.
        let derived = tt
            .columns
            .first()
            .is_some_and(|c| c.roles == [Role::ValueKindColumn])
            && l.filled().count() >= 2
            && lex.is_derived_row(first);
        if derived {
            self.explained += 1;
            return true;
        }
        if !(first.is_empty()
            || named_rows
            || kind_rows
            || year_row(tt, first)
            || (full_row(&self.ctx, tt, l) && !self.start_level.contains_key(&at))
            || (tt.totals && (first.contains("合計") || first.contains("総計"))))
        {
            self.target_table = None;
            return false;
        }
        self.explained += 1;
        if tt.totals {
            target_row(&self.ctx, tt, l, &mut self.totals);
        } else if let Some(b) = self.cur.as_mut() {
            let stamps = target_row(&self.ctx, tt, l, &mut b.item.targets);
            for s in stamps {
                let kind = match lex.rating_code(&s, None).as_deref() {
                    Some("behind" | "slightly_behind" | "not_started" | "partly_achieved") => {
                        FindingKind::Issue
                    }
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
        true
    }

    /// A 合計 row of a table: report-level totals, by the value columns.
    fn totals_row(&mut self, l: &Line) -> bool {
        // The label in the first cell, or in the first filled one under an empty number cell
        // (`　| 合計 | 5,350 | …`).
        let first_cell = l.filled().next().map(|(_, c)| c.trim()).unwrap_or("");
        let Some(cols) = self.table.as_deref() else {
            return false;
        };
        if !is_total_label(first_cell) {
            return false;
        }
        self.explained += 1;
        let mut t = Target {
            name: first_cell.to_string(),
            unit: None,
            values: vec![],
        };
        for (j, cell) in l.cells.iter().enumerate().skip(1) {
            let Some(col) = cols.get(j) else { continue };
            // A year column of no kind holding an amount: a result, or a plan after the report's year.
            let year_amount = (col.roles.is_empty() && col.year.is_some())
                .then(|| super::super::amount_columns::year_kind(col.year, self.report_year))
                .filter(|_| self.ctx.quantity(cell).number.is_some());
            let kind = value_kind_of(&col.roles).or(year_amount);
            let (Some(kind), false) = (kind, cell.trim().is_empty()) else {
                continue;
            };
            let q = self.ctx.quantity(cell);
            push_value(
                &mut t,
                kind,
                col.label.clone(),
                col.year.or(self.report_year),
                cell,
                q,
            );
        }
        self.close();
        self.totals.push(t);
        true
    }

    /// A line that starts a record of one of the chosen levels: a section, a parent item or an
    /// item.
    fn record_start(&mut self, at: usize, l: &Line) -> bool {
        let Some(&k) = self.start_level.get(&at) else {
            return false;
        };
        let Some(c) = self.by_line.get(&at).cloned() else {
            return true;
        };
        if self
            .lvls
            .get(k)
            .is_some_and(|lv| lv.kind == LevelKind::Section)
        {
            self.section_start(k, &c, l);
            return true;
        }
        self.close();
        let lex = self.lex;
        let raw = self.raw;
        // A category column left of the number (`歳出の削減 | 1 | 題`), filled on a group's first
        // row: a section; not a column headed as the department (`担当課 | 番号 | 題`), which is
        // the item's department.
        let dept_column = self
            .table
            .as_deref()
            .and_then(|t| t.first())
            .is_some_and(|col| col.roles.first() == Some(&Role::Department));
        if c.cell > 0
            && c.form == crate::records::Form::Cell
            && self.table.is_some()
            && !dept_column
        {
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
                self.open_section_once(1, sec, l.line);
            }
        }
        self.explained += 1;
        self.parents.retain(|(pk, _)| *pk < k);
        self.open_parents.retain(|(pk, _)| *pk < k);
        let mut context: Vec<u32> = self
            .open_secs
            .iter()
            .map(|(_, x)| *x)
            .chain(self.open_parents.iter().map(|(_, x)| *x))
            .chain(self.table_lines.iter().copied())
            .filter(|&x| x < l.line)
            .collect();
        context.sort_unstable();
        context.dedup();
        self.contexts.push((l.line, context));
        let parent = self.parents.last().map(|(_, id)| id.clone());
        let secs: Vec<Section> = self.section_stack.iter().map(|(_, s)| s.clone()).collect();
        let mut b = Building {
            item: new_item(&c.tok, l, parent, &secs),
            pending_target: None,
            open_field: None,
            pending_label: None,
            label_row: None,
            group_department: self.group_dept.clone(),
            line_target: None,
            department_label: None,
            title_col: None,
        };
        let is_parent_level = self.item_levels.last().is_some_and(|&last| k < last);
        if is_parent_level {
            self.parents.push((k, c.tok.text.clone()));
            self.open_parents.push((k, l.line));
            if c.form == crate::records::Form::AfterLabel {
                self.table = None;
                self.table_lines.clear();
            }
        }
        fill_start_row(&mut self.ctx, &mut b, &c, l, self.table.as_deref());
        // `番号　１ | 取組名　題`: the title's own label in the title's cell is no part of it.
        if let Some((j, cell)) = l.filled().find(|(j, _)| *j > c.cell) {
            if b.item.title == cell.trim() {
                if let Some(t) =
                    after_title_label(lex, &crate::records::spaced_cell(raw, at, j, cell))
                {
                    b.item.title = t;
                }
            }
        }
        if self.table.is_none()
            && matches!(
                c.form,
                crate::records::Form::Prefix | crate::records::Form::LabelPrefix
            )
        {
            b.title_col = raw
                .get(at)
                .and_then(|r| r.cells.get(c.cell))
                .and_then(|cell| title_column(cell, &c.tok.text));
        }
        if self.table.is_some() {
            if let Some((head, label)) = trailing_label(lex, &b.item.title) {
                b.item.title = head;
                b.pending_label = Some(label);
            }
        }
        self.cur = Some(b);
        true
    }

    /// The start of a section level: below the levels before it — nested sections (基本方針1 ›
    /// 推進項目(1)) and sections inside parent items.
    fn section_start(&mut self, k: usize, c: &Candidate, l: &Line) {
        self.explained += 1;
        let depth = k as u32 + 1;
        let text = l.filled().map(|(_, c)| c).collect::<Vec<_>>().join(" ");
        // `１　取組の内容（続き）`: the section before, printed again over the rest of its table.
        let continued = self.lex.strip_continued(&text).map(str::to_string);
        let title = self.lex.strip_continued(&c.tok.rest).unwrap_or(&c.tok.rest);
        let sec = Section {
            id: Some(c.tok.text.clone()),
            // A profile's pattern (`【重点分野\d+】`) numbers by its last number.
            number: matches!(c.tok.scheme, ids::Scheme::Number | ids::Scheme::Pattern(_))
                .then_some(c.tok.ordinal),
            title: title.to_string(),
            text: continued.clone().unwrap_or(text),
            level: depth,
        };
        self.section_stack.retain(|(lvl, _)| *lvl < depth);
        self.section_stack.push((depth, sec.clone()));
        self.group_dept = None;
        self.open_secs.retain(|(lvl, _)| *lvl < depth);
        self.open_secs.push((depth, l.line));
        if continued.is_none() || !self.sections.iter().any(|s| s.text == sec.text) {
            self.sections.push(sec);
            self.section_once.push(continued.is_some());
        }
        self.close();
        self.parents.retain(|(pk, _)| *pk < k);
        self.open_parents.retain(|(pk, _)| *pk < k);
    }

    /// Lines between records or over a group of them: 小計 rows, department groups and section
    /// bands. The lines after the back matter starts close the last record.
    fn between_records(&mut self, at: usize, l: &Line) -> bool {
        let lex = self.lex;
        let first_cell = l.cells.first().map(|c| c.trim()).unwrap_or("");
        // 小計 rows: sums of the rows above, neither an item's content nor the report's totals.
        if is_subtotal_label(first_cell)
            || l.filled().next().is_some_and(|(_, c)| is_subtotal_label(c))
        {
            self.explained += 1;
            self.ctx.diags.push(
                Diagnostic::new(
                    Severity::Info,
                    "subtotal-row",
                    format!("subtotal row not kept: {}", l.joined()),
                )
                .at(Some(l.line), l.page),
            );
            return true;
        }
        // `＜総務課＞`: the department of the items under it, up to the next such line or section.
        if let Some(dept) = group_department(lex, l) {
            self.explained += 1;
            self.close();
            self.group_dept = Some(dept);
            return true;
        }
        // A legend line between two tables (`評価の区分　◎：… ○：…`, two grades or more on the
        // one line, each a grade: `R3：420人` is none) is the report's legend. No record's line took it, so it ends the record
        // before it. A legend printed over several lines is read with the lines around it, not
        // here: the line stands alone, neither line beside it a legend's.
        let legend_alone = |x: usize| scan_legends(lex, self.lines, self.raw, &[x]);
        let (found, used) = legend_alone(at);
        let beside = || {
            [at.checked_sub(1), Some(at + 1)]
                .into_iter()
                .flatten()
                .any(|x| legend_alone(x).1.first() == Some(&true))
        };
        let grades = |lg: &Legend| {
            lg.entries.len() >= 2 && lg.entries.iter().all(|e| is_bare_grade(lex, &e.text))
        };
        // The lines beside are read only for a legend line (most lines are none).
        if used.first() == Some(&true) && found.iter().any(grades) && !beside() {
            self.explained += 1;
            self.close();
            self.legends.extend(found);
            return true;
        }
        // Section bands and labelled sections.
        let spaced_first = crate::records::spaced_cell(self.raw, at, 0, first_cell);
        // A numbered heading over a table of its own, as the heading numbered next is.
        let over = self
            .table
            .is_none()
            .then(|| table_below(lex, self.lines, &self.roles, at + 1))
            .flatten();
        let table = self.table.as_deref().or(over.as_deref());
        if let Some(sec) = section_line(lex, l, &spaced_first, table) {
            self.explained += 1;
            self.open_section_once(1, sec, l.line);
            return true;
        }
        if self.back_from.is_some_and(|k| at + 1 > k) {
            self.close();
        }
        if self.cur.is_none() {
            self.front.push(at);
            return true;
        }
        false
    }
}
