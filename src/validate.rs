//! Validation: cross-checks that turn inconsistencies into diagnostics.

use crate::model::*;
use crate::profile::{Field, Profile};
use std::collections::BTreeMap;

/// Add diagnostics for numbering, missing statuses and declared-vs-counted statuses.
pub fn validate(profile: &Profile, report: &mut Report) {
    let has_status = profile
        .fields
        .iter()
        .any(|(_, f)| *f == Field::ProgressStatus);
    validate_items(has_status, report);
}

/// The checks of [`validate`] for a layout described by its parts: `has_rating` says whether every
/// item is expected to carry a rating.
pub fn validate_items(has_rating: bool, report: &mut Report) {
    let mut diags = Vec::new();
    numbering(&report.items, &mut diags);
    if has_rating {
        // A parent item (取組事項 above its 具体的な取組) is rated through its children.
        let parents: Vec<&str> = report
            .items
            .iter()
            .filter_map(|i| i.parent.as_deref())
            .collect();
        for it in &report.items {
            if it.rating.is_none() && !parents.contains(&it.id.as_str()) {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "missing-status",
                        format!("item {} has no rating or progress status", it.id),
                    )
                    .at(Some(it.source.line), it.source.page)
                    .item(Some(&it.id)),
                );
            }
        }
    }
    if let Some(declared) = &report.declared_status_counts {
        status_counts(declared, &report.items, report.fiscal_year, &mut diags);
    }
    report.diagnostics.extend(diags);
}

/// Numbering checks within each scope (same parent and section): an id seen twice, and a gap in
/// a run of plain numbers.
fn numbering(items: &[Item], diags: &mut Vec<Diagnostic>) {
    type Scope<'a> = (Option<&'a str>, Option<&'a str>);
    let mut seen: BTreeMap<(Scope, &str), u32> = BTreeMap::new();
    let mut prev: BTreeMap<Scope, u32> = BTreeMap::new();
    for it in items {
        let scope = (it.parent.as_deref(), it.section.as_deref());
        if let Some(first_line) = seen.get(&(scope, it.id.as_str())) {
            diags.push(
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
            seen.insert((scope, it.id.as_str()), it.source.line);
        }
        let Some(n) = it.number else { continue };
        if let Some(&p) = prev.get(&scope) {
            if n > p + 1 {
                let missing: Vec<String> = (p + 1..n).take(20).map(|n| n.to_string()).collect();
                diags.push(
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
        prev.insert(scope, n);
    }
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
    items: &[Item],
    year: Option<i32>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut counted: BTreeMap<String, u32> = BTreeMap::new();
    for it in items {
        if let Some(s) = counted_status(it, year) {
            *counted.entry(s.text.clone()).or_insert(0) += 1;
        }
    }
    let mut parts = Vec::new();
    for d in declared {
        let c = counted.get(&d.status).copied().unwrap_or(0);
        if c != d.count {
            parts.push(format!("{} declared {} counted {}", d.status, d.count, c));
        }
    }
    for (s, c) in &counted {
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
