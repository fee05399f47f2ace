//! Validation: cross-checks that turn inconsistencies into diagnostics.

use crate::model::*;
use crate::profile::{Field, Profile};
use std::collections::BTreeMap;

/// Add diagnostics for numbering, missing statuses and declared-vs-counted statuses.
pub fn validate(profile: &Profile, report: &mut Report) {
    let mut diags = Vec::new();
    numbering(&report.items, &mut diags);
    let has_status = profile
        .fields
        .iter()
        .any(|(_, f)| *f == Field::ProgressStatus);
    if has_status {
        for it in &report.items {
            if !it.progress.iter().any(|p| p.status.is_some()) {
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "missing-status",
                        format!("item {} has no progress status", it.number),
                    )
                    .at(Some(it.source.line), it.source.page)
                    .item(Some(it.number)),
                );
            }
        }
    }
    if let Some(declared) = &report.declared_status_counts {
        status_counts(declared, &report.items, report.fiscal_year, &mut diags);
    }
    report.diagnostics.extend(diags);
}

fn numbering(items: &[Item], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<u32, u32> = BTreeMap::new();
    let mut prev: Option<u32> = None;
    for it in items {
        if let Some(first_line) = seen.get(&it.number) {
            diags.push(
                Diagnostic::new(
                    Severity::Warning,
                    "duplicate-item-number",
                    format!(
                        "item number {} appears again (first at line {first_line})",
                        it.number
                    ),
                )
                .at(Some(it.source.line), it.source.page)
                .item(Some(it.number)),
            );
        } else {
            seen.insert(it.number, it.source.line);
        }
        if let Some(p) = prev {
            if it.number > p + 1 {
                let missing: Vec<String> =
                    (p + 1..it.number).take(20).map(|n| n.to_string()).collect();
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "skipped-item-number",
                        format!(
                            "item numbers jump from {p} to {} (missing {})",
                            it.number,
                            missing.join(", ")
                        ),
                    )
                    .at(Some(it.source.line), it.source.page)
                    .item(Some(it.number)),
                );
            }
        }
        prev = Some(it.number);
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
