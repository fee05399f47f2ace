//! What is left once every line is read: the front matter (legends, the title, the declared status
//! counts), the items' titles and departments tidied, ratings set against the legend that lists
//! them, units from a note, and the share of lines explained.

use super::*;

impl Walk<'_> {
    pub(super) fn finish(mut self) -> Built {
        let (lex, lines, raw) = (self.lex, self.lines, self.raw);
        let front = std::mem::take(&mut self.front);
        // Front matter: legends, the title, the declared status counts, and everything else noted.
        let (front_legends, consumed) = scan_legends(lex, lines, raw, &front);
        self.legends.extend(front_legends);
        // Letters and marks in a count table get their codes from a legend or the profile's scale.
        let scale: Vec<(String, String)> = self
            .legends
            .iter()
            .flat_map(|lg| {
                lg.entries
                    .iter()
                    .map(|e| (e.text.clone(), e.meaning.clone()))
            })
            .chain(
                self.pins
                    .iter()
                    .flat_map(|p| p.rating_scale.iter().cloned()),
            )
            .collect();
        let (declared, counted) = declared_counts(lex, lines, &front, &scale);
        for ((&li, used), count_line) in front.iter().zip(&consumed).zip(&counted) {
            let Some(l) = lines.get(li) else { break };
            self.explained += 1;
            if *used || *count_line || Some(li) == self.title_line {
                continue;
            }
            self.ctx.diags.push(
                Diagnostic::new(
                    Severity::Info,
                    "unassigned-text",
                    format!("front matter not used: {}", l.joined()),
                )
                .at(Some(l.line), l.page),
            );
        }
        self.tidy_items();
        super::super::grade_columns::grades_from_year_columns(
            lex,
            &mut self.items,
            &self.legends,
            self.report_year,
        );
        let rating_scale = self.rating_scale();
        // Year columns of plain amounts are a target's values; the sections' sums under a grand total
        // are not the report's totals.
        super::super::amount_columns::amounts_from_year_columns(
            &mut self.items,
            self.report_year,
            lex.units(),
        );
        for t in super::super::amount_columns::sums_under_a_grand_total(&mut self.totals) {
            self.ctx.diags.push(Diagnostic::new(
                Severity::Info,
                "subtotal-row",
                format!("subtotal row not kept: {} (a grand total follows)", t.name),
            ));
        }
        // A note naming the quantity and unit of unnamed value columns (`※計画・実績は効果額（単位：千円）`).
        let note = front
            .iter()
            .filter_map(|&x| lines.get(x))
            .find_map(|l| unit_note(&l.joined()));
        if let Some((name, unit)) = &note {
            for t in self
                .items
                .iter_mut()
                .flat_map(|it| it.targets.iter_mut())
                .chain(self.totals.iter_mut())
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
        super::super::joins::join_untitled_repeats(&mut self.items);
        for it in &mut self.items {
            super::super::step_results::gather_step_results(it);
        }
        rate(lex, &mut self.items, rating_scale.as_deref().unwrap_or(&[]));
        super::super::dash_cells::dashes_of_text_columns(&mut self.items);
        for it in &mut self.items {
            // A label whose value never came (a heading over a table, an empty cell) is no field.
            it.fields.retain(|f| !f.text.trim().is_empty());
            findings_of(lex, it);
            super::super::sentence_targets::sentence_targets(lex, it, self.report_year);
            canonical_lists(lex, it, self.report_year);
            if it.title.is_empty() {
                self.ctx.diags.push(
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
        let (explained, content) = (self.explained, self.content);
        let confidence = if content == 0 {
            0.0
        } else {
            (explained.min(content) as f64 / content as f64 * 1000.0).round() / 1000.0
        };
        Built {
            levels: self
                .lvls
                .iter()
                .map(|l| (l.key, l.kind, l.label.clone()))
                .collect(),
            title: self.title,
            items: self.items,
            sections: self.sections,
            rating_scale,
            totals: self.totals,
            diagnostics: self.ctx.diags,
            confidence,
            roles_used: self.ctx.roles_used.len(),
            declared,
            tally: self.tally,
            section_once: self.section_once,
            contexts: self.contexts,
            explained,
            content,
        }
    }

    /// Departments with their lead department, titles without their new flag, quotes or
    /// trailing rating.
    fn tidy_items(&mut self) {
        let lex = self.lex;
        for it in &mut self.items {
            // `住民課（情報政策係）`: the department and, in brackets, the lead department.
            // `主：総務課　副：財政課`: departments named by their part, the first the lead.
            if let Some(d) = it.department.clone() {
                if let Some(parts) = super::super::departments::labelled_parts(lex, &d) {
                    let mut parts = parts.into_iter();
                    it.department = parts.next().map(|(_, lead)| lead);
                    // The item holds one department: the others are named in a note.
                    for (label, other) in parts {
                        self.ctx.diags.push(
                            Diagnostic::new(
                                Severity::Info,
                                "other-department",
                                format!("{label}:{other} is not the lead department; not kept"),
                            )
                            .at(Some(it.source.line), it.source.page)
                            .item(Some(&it.id)),
                        );
                    }
                } else {
                    let (head, lead) = split_lead(&d);
                    it.department = Some(head);
                    it.lead_department = lead;
                }
            }
            let (t, new) = lex.split_new_flag(&it.title);
            it.title = unquote(&t);
            // A new mark beside the title, or in a 区分 cell read before.
            it.is_new = it.is_new || new;
            // A rating in brackets after the title (`地区懇談会の開催【順調】`).
            if it.rating.is_none() {
                let closing = match trailing_rating(lex, &it.title) {
                    Some((head, word)) => {
                        it.title = head;
                        Some(word)
                    }
                    // A progress word closing the paragraph under the title (`…。【順調】`).
                    None => closing_rating(lex, &mut it.fields),
                };
                if let Some(word) = closing {
                    self.ctx.note_role(&[Role::Rating]);
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
    }

    /// The rating scale: the legend listing most of the items' ratings (the first such on a tie).
    fn rating_scale(&self) -> Option<Vec<RatingLevel>> {
        let rating_texts: Vec<String> = self
            .items
            .iter()
            .filter_map(|it| it.rating.as_ref())
            .flat_map(|r| std::iter::once(strip_ws(&r.text)).chain(rating_head(&r.text)))
            .collect();
        let best = self
            .legends
            .iter()
            .map(|lg| {
                let hits = lg
                    .entries
                    .iter()
                    .filter(|e| rating_texts.contains(&strip_ws(&e.text)))
                    .count()
                    + super::super::share_grades::share_hits(
                        &self.items,
                        lg.entries.iter().map(|e| e.meaning.as_str()),
                    );
                (hits, lg)
            })
            .filter(|(h, _)| *h > 0)
            .fold(None::<(usize, &Legend)>, |best, (h, lg)| match best {
                Some((bh, _)) if bh >= h => best,
                _ => Some((h, lg)),
            })
            .map(|(_, lg)| lg)?;
        Some(
            best.entries
                .iter()
                .enumerate()
                .map(|(n, e)| RatingLevel {
                    text: e.text.clone(),
                    meaning: e.meaning.clone(),
                    rank: n as u32 + 1,
                    code: rating_code(self.lex, &e.text, Some(&e.meaning)),
                })
                .collect(),
        )
    }
}
