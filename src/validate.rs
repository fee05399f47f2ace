//! Validation: cross-checks that turn inconsistencies into diagnostics.

use crate::model::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Add diagnostics for numbering, missing ratings and declared-vs-counted statuses: `has_rating`
/// says whether every item is expected to carry a rating.
pub fn validate_items(has_rating: bool, report: &mut Report) {
    let mut checks = ItemChecks::new(report.fiscal_year);
    for it in &report.items {
        checks.add(it);
    }
    let diags = checks.finish(has_rating, report.declared_status_counts.as_deref());
    report.diagnostics.extend(diags);
}

/// The checks of [`validate_items`], fed one item at a time in document order (a report read in
/// windows never holds all its items), keeping only what the checks need of each.
#[derive(Debug, Default)]
pub struct ItemChecks {
    year: Option<i32>,
    /// Scopes (parent, section) by number.
    scopes: HashMap<(Option<String>, Option<String>), usize>,
    /// First line of each id within its scope.
    seen: HashMap<(usize, String), u32>,
    /// Last plain number within each scope.
    prev: HashMap<usize, u32>,
    numbering: Vec<Diagnostic>,
    /// Items without a rating: (id, line, page).
    unrated: Vec<(String, u32, Option<u32>)>,
    parents: HashSet<String>,
    counted: BTreeMap<String, u32>,
    goals: Vec<Diagnostic>,
}

impl ItemChecks {
    /// Checks of a report whose fiscal year is `year`.
    pub fn new(year: Option<i32>) -> Self {
        ItemChecks {
            year,
            ..ItemChecks::default()
        }
    }

    /// Check the next item.
    pub fn add(&mut self, it: &Item) {
        numbering(self, it);
        if it.rating.is_none() {
            self.unrated
                .push((it.id.clone(), it.source.line, it.source.page));
        }
        if let Some(p) = &it.parent {
            if !self.parents.contains(p) {
                self.parents.insert(p.clone());
            }
        }
        if let Some(s) = counted_status(it, self.year) {
            *self.counted.entry(s.text.clone()).or_insert(0) += 1;
        }
        goal_years(std::slice::from_ref(it), &mut self.goals);
    }

    /// The diagnostics, in the order [`validate_items`] gives them: numbering, missing ratings
    /// (when `has_rating`; a parent item is rated through its children), status counts against
    /// the `declared` ones, goal years.
    pub fn finish(self, has_rating: bool, declared: Option<&[StatusCount]>) -> Vec<Diagnostic> {
        let mut diags = self.numbering;
        if has_rating {
            for (id, line, page) in &self.unrated {
                if self.parents.contains(id) {
                    continue;
                }
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "missing-status",
                        format!("item {id} has no rating or progress status"),
                    )
                    .at(Some(*line), *page)
                    .item(Some(id)),
                );
            }
        }
        if let Some(declared) = declared {
            status_counts(declared, &self.counted, &mut diags);
        }
        diags.extend(self.goals);
        diags
    }
}

/// A goal whose label qualifies it in brackets with no readable fiscal year (`目標(最終)`): when
/// the goal is due is unknown.
fn goal_years(items: &[Item], diags: &mut Vec<Diagnostic>) {
    for it in items {
        for t in &it.targets {
            let Some(g) = t.goal() else { continue };
            if g.fiscal_year.is_some() || !g.label.contains(['(', '（']) {
                continue;
            }
            let line = g.source.as_ref().map_or(it.source.line, |s| s.line);
            let page = g.source.as_ref().map_or(it.source.page, |s| s.page);
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    "target-goal-year-unreadable",
                    format!(
                        "no fiscal year in the goal label {:?} of target {:?}",
                        g.label, t.name
                    ),
                )
                .at(Some(line), page)
                .item(Some(&it.id)),
            );
        }
    }
}

/// Numbering checks within each scope (same parent and section): an id seen twice, and a gap in
/// a run of plain numbers.
fn numbering(c: &mut ItemChecks, it: &Item) {
    let key = (it.parent.clone(), it.section.clone());
    let n_scopes = c.scopes.len();
    let scope = *c.scopes.entry(key).or_insert(n_scopes);
    if let Some(first_line) = c.seen.get(&(scope, it.id.clone())) {
        c.numbering.push(
            Diagnostic::new(
                Severity::Warning,
                "duplicate-item-number",
                format!(
                    "item number {} appears again (first at line {first_line})",
                    it.id
                ),
            )
            .at(Some(it.source.line), it.source.page)
            .item(Some(&it.id)),
        );
    } else {
        c.seen.insert((scope, it.id.clone()), it.source.line);
    }
    let Some(n) = it.number else { return };
    if let Some(&p) = c.prev.get(&scope) {
        if n > p + 1 {
            let missing: Vec<String> = (p + 1..n).take(20).map(|n| n.to_string()).collect();
            c.numbering.push(
                Diagnostic::new(
                    Severity::Warning,
                    "skipped-item-number",
                    format!(
                        "item numbers jump from {p} to {n} (missing {})",
                        missing.join(", ")
                    ),
                )
                .at(Some(it.source.line), it.source.page)
                .item(Some(&it.id)),
            );
        }
    }
    c.prev.insert(scope, n);
}

/// The status an item counts with: its progress for the report year, else its last one.
pub fn counted_status(it: &Item, year: Option<i32>) -> Option<&Status> {
    it.progress
        .iter()
        .rev()
        .find(|p| p.fiscal_year == year && p.status.is_some())
        .or_else(|| it.progress.iter().rev().find(|p| p.status.is_some()))
        .and_then(|p| p.status.as_ref())
}

fn status_counts(
    declared: &[StatusCount],
    counted: &BTreeMap<String, u32>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut parts = Vec::new();
    for d in declared {
        let c = counted.get(&d.status).copied().unwrap_or(0);
        if c != d.count {
            parts.push(format!("{} declared {} counted {}", d.status, d.count, c));
        }
    }
    for (s, c) in counted {
        if !declared.iter().any(|d| &d.status == s) {
            parts.push(format!("{s} declared 0 counted {c}"));
        }
    }
    if !parts.is_empty() {
        diags.push(Diagnostic::new(
            Severity::Warning,
            "status-count-mismatch",
            format!(
                "declared status counts differ from the items: {}",
                parts.join("; ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item_with_goal(label: &str, year: Option<i32>) -> Item {
        let mut it: Item = serde_json::from_str(
            r#"{"id":"1","number":1,"parent":null,"title":"t","is_new":false,"section":null,
                "section_id":null,"department":null,"lead_department":null,"rating":null,
                "fields":[],"findings":[],"current_state":[],"plan":[],"targets":[],
                "schedule":[],"progress":[],"source":{"page":null,"line":5}}"#,
        )
        .expect("item");
        it.targets.push(Target {
            name: "削減率".into(),
            unit: None,
            values: vec![TargetValue {
                kind: ValueKind::Goal,
                label: label.into(),
                fiscal_year: year,
                text: Some("50".into()),
                number: Some(50.0),
                source: None,
            }],
        });
        it
    }

    #[test]
    fn goals_qualified_without_a_year_are_noted() {
        let cases = [
            ("目標(最終)", None, true),
            ("目標（最終）", None, true),
            ("目標(R7)", Some(2025), false),
            ("目標値", None, false),
        ];
        for (label, year, noted) in cases {
            let mut diags = vec![];
            goal_years(&[item_with_goal(label, year)], &mut diags);
            let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
            let want: &[&str] = if noted {
                &["target-goal-year-unreadable"]
            } else {
                &[]
            };
            assert_eq!(codes, want, "{label}");
            if noted {
                assert_eq!(diags[0].line, Some(5));
                assert_eq!(diags[0].item.as_deref(), Some("1"));
            }
        }
    }
}
