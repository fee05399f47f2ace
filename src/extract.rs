//! Typed fields from segmented records: the report document.

use crate::error::{Error, ErrorKind, Result};
use crate::model::*;
use crate::profile::{Field, Profile};
use crate::records::why;
use crate::segment::{self, Line, Part, Record, Segmented};
use crate::source::SourceDoc;
use crate::{validate, wareki, Options};
use std::collections::HashMap;

/// Join two pieces of one logical text: Latin words keep a space, Japanese joins directly.
pub fn join_text(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    if a.is_empty() {
        return b.to_string();
    }
    if b.is_empty() {
        return a.to_string();
    }
    let last = a.chars().next_back().unwrap_or(' ');
    let first = b.chars().next().unwrap_or(' ');
    let latin = |c: char| c.is_ascii_alphanumeric() || matches!(c, '%' | ')' | '.' | ',');
    if latin(last) && (first.is_ascii_alphanumeric() || first == '(') {
        format!("{a} {b}")
    } else {
        format!("{a}{b}")
    }
}

/// All paragraphs of the cells joined into one text.
pub fn single_text<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = String::new();
    for c in cells {
        for p in c.as_ref().split('\n') {
            out = join_text(&out, p);
        }
    }
    out
}

/// Split cell text into pieces that each start at a bullet mark (a mark at the start of a
/// paragraph or after a space), keeping unmarked pieces as they are.
pub fn pieces<'a>(profile: &Profile, text: &'a str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut start = 0;
        let mut prev: Option<char> = None;
        for (i, c) in para.char_indices() {
            let boundary =
                (prev.is_none() || prev == Some(' ')) && profile.mark_of(&para[i..]).is_some();
            if boundary && i > start {
                let p = para[start..i].trim();
                if !p.is_empty() {
                    out.push(p);
                }
                start = i;
            }
            prev = Some(c);
        }
        let p = para[start..].trim();
        if !p.is_empty() {
            out.push(p);
        }
    }
    out
}

/// One list entry: its mark (if any) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub mark: Option<String>,
    pub text: String,
}

/// Bullet entries of a list cell. A piece that starts with a mark starts an entry; an unmarked
/// piece continues the entry before it. In a list without any marks, sentences (`。`) are entries.
pub fn entries(profile: &Profile, cells: &[String]) -> Vec<Entry> {
    let mut all: Vec<&str> = Vec::new();
    for c in cells {
        all.extend(pieces(profile, c));
    }
    let marked = all.iter().any(|p| profile.mark_of(p).is_some());
    let mut out: Vec<Entry> = Vec::new();
    if marked {
        for p in all {
            if let Some(m) = profile.mark_of(p) {
                let text = p[m.mark.len()..].trim().to_string();
                out.push(Entry {
                    mark: Some(m.mark.clone()),
                    text,
                });
            } else if let Some(last) = out.last_mut() {
                last.text = join_text(&last.text, p);
            } else {
                out.push(Entry {
                    mark: None,
                    text: p.to_string(),
                });
            }
        }
    } else {
        // Without marks, a paragraph that ends a sentence ends an entry; others were wrapped.
        let mut open = false;
        for p in all {
            match out.last_mut() {
                Some(last) if open => last.text = join_text(&last.text, p),
                _ => out.push(Entry {
                    mark: None,
                    text: p.to_string(),
                }),
            }
            open = !p.ends_with('。');
        }
    }
    out.retain(|e| !e.text.is_empty() || e.mark.is_some());
    out
}

/// List entries as plain strings: note-kind bullet marks (・ ■) are formatting and dropped; marks
/// that carry meaning (○ ▲ …) stay in the text.
pub fn list(profile: &Profile, cells: &[String]) -> Vec<String> {
    entries(profile, cells)
        .into_iter()
        .map(|e| match e.mark {
            Some(m)
                if profile
                    .file
                    .marks
                    .iter()
                    .any(|s| s.mark == m && s.kind != FindingKind::Note) =>
            {
                format!("{m}{}", e.text)
            }
            _ => e.text,
        })
        .collect()
}

/// Findings of a findings cell, each with its mark and kind.
pub fn findings(profile: &Profile, cells: &[String]) -> Vec<Finding> {
    entries(profile, cells)
        .into_iter()
        .map(|e| {
            let kind = e
                .mark
                .as_deref()
                .and_then(|m| profile.file.marks.iter().find(|s| s.mark == m))
                .map(|s| s.kind)
                .unwrap_or(FindingKind::Note);
            Finding {
                mark: e.mark,
                kind,
                text: e.text,
                source: None,
            }
        })
        .collect()
}

/// A cell that only says "nothing" (a dash).
pub fn is_dash(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '—' | '-' | '－' | '―' | 'ー' | '‐' | '–' | '−'))
}

fn target_value(kind: ValueKind, label: &str, cell: Option<&String>) -> Option<TargetValue> {
    let cell = cell?;
    let text = single_text(&[cell]);
    let text = if is_dash(&text) || text.is_empty() {
        None
    } else {
        Some(text)
    };
    Some(TargetValue {
        kind,
        label: label.to_string(),
        fiscal_year: wareki::year_in_label(label),
        number: text.as_deref().and_then(wareki::single_quantity),
        text,
        source: None,
    })
}

/// Parse one schedule cell.
pub fn schedule_entry(profile: &Profile, label: &str, text: &str) -> ScheduleEntry {
    let mut milestones = Vec::new();
    let mut notes = Vec::new();
    let mut continues = false;
    // Wrapped lines join; a line that starts with a mark or an arrow stays apart.
    let mut joined = String::new();
    for para in text.split('\n') {
        if para.starts_with('→') || profile.mark_of(para).is_some() {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(para);
        } else {
            joined = join_text(&joined, para);
        }
    }
    let text = joined.as_str();
    let milestone_marks = profile
        .file
        .table
        .as_ref()
        .map(|t| t.milestone_marks.as_slice())
        .unwrap_or(&[]);
    for p in pieces(profile, text) {
        if p.contains('→') {
            continues = true;
        }
        let mut p = p;
        if let Some(m) = profile.mark_of(p) {
            let body = &p[m.mark.len()..];
            if !milestone_marks.is_empty() && !milestone_marks.contains(&m.mark) {
                // A remark (`※…`): a note, up to an arrow.
                let note = body.split('→').next().unwrap_or("").trim();
                if !note.is_empty() {
                    notes.push(note.to_string());
                }
                if let Some(i) = body.find('→') {
                    p = &body[i..];
                } else {
                    continue;
                }
            } else {
                let (milestone, rest) = match body.find('→') {
                    Some(i) => (&body[..i], &body[i..]),
                    None => (body, ""),
                };
                let t = milestone.trim().to_string();
                if !t.is_empty() {
                    milestones.push(t);
                }
                if rest.is_empty() {
                    continue;
                }
                p = rest;
            }
        }
        // Arrows with notes: `→(利用促進等)→`, `→ (毎年度) → → (随時) →`.
        let mut rest = String::new();
        let mut depth = 0;
        let mut note = String::new();
        for c in p.chars() {
            match c {
                '(' | '（' => {
                    if depth > 0 {
                        note.push(c);
                    }
                    depth += 1;
                }
                ')' | '）' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        let n = note.trim().to_string();
                        if !n.is_empty() {
                            notes.push(n);
                        }
                        note.clear();
                    } else {
                        note.push(c);
                    }
                }
                _ if depth > 0 => note.push(c),
                '→' => rest.push(' '),
                _ => rest.push(c),
            }
        }
        if !note.trim().is_empty() {
            notes.push(note.trim().to_string());
        }
        let r = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        if !r.is_empty() {
            notes.push(r);
        }
    }
    ScheduleEntry {
        fiscal_year: wareki::year_in_label(label),
        label: label.to_string(),
        text: text.to_string(),
        milestones,
        continues,
        notes,
        source: None,
    }
}

/// Split `全庁 (市民課)` into the department and its lead department.
pub fn split_department(profile: &Profile, s: &str) -> (Option<String>, Option<String>) {
    let s = s.replace('\n', "");
    let s = s.trim();
    if s.is_empty() {
        return (None, None);
    }
    let (open, close) = (
        profile.file.record.lead_open.as_str(),
        profile.file.record.lead_close.as_str(),
    );
    if s.ends_with(close) {
        if let Some(i) = s.rfind(open) {
            let lead = s[i + open.len()..s.len() - close.len()].trim();
            let dept = s[..i].trim();
            if !lead.is_empty() && !dept.is_empty() {
                return (Some(dept.to_string()), Some(lead.to_string()));
            }
        }
    }
    (Some(s.to_string()), None)
}

/// Strip the 新規 flag from a title.
pub fn split_new_flag(profile: &Profile, title: &str) -> (String, bool) {
    let title = title.trim();
    let Some(flag) = profile.file.record.new_flag.as_deref() else {
        return (title.to_string(), false);
    };
    for (pre, post) in [("【", "】"), ("[", "]"), ("(", ")"), ("", "")] {
        let f = format!("{pre}{flag}{post}");
        if let Some(t) = title.strip_suffix(&f) {
            if !t.trim().is_empty() {
                return (t.trim().to_string(), true);
            }
        }
        if !pre.is_empty() {
            if let Some(t) = title.strip_prefix(&f) {
                return (t.trim().to_string(), true);
            }
        }
    }
    (title.to_string(), false)
}

fn progress_for(progress: &mut Vec<Progress>, year: Option<i32>) -> &mut Progress {
    let idx = match progress.iter().position(|p| p.fiscal_year == year) {
        Some(i) => i,
        None => {
            progress.push(Progress {
                fiscal_year: year,
                goal: None,
                goal_source: None,
                activities_sources: vec![],
                next_steps_sources: vec![],
                status: None,
                activities: vec![],
                findings: vec![],
                next_steps: vec![],
            });
            progress.len() - 1
        }
    };
    #[allow(clippy::indexing_slicing)] // idx was found in `progress` or is its last element
    &mut progress[idx]
}

/// Turn one record into an item; parts no field takes become diagnostics.
pub fn item(
    profile: &Profile,
    rec: &Record,
    schedule_columns: &[String],
    report_year: Option<i32>,
    diags: &mut Vec<Diagnostic>,
) -> Item {
    let (title, is_new) = split_new_flag(profile, &single_text(&[&rec.title]));
    let (department, lead_department) = match &rec.department {
        Some(d) => split_department(profile, d),
        None => (None, None),
    };
    let id = if rec.number_text.trim().is_empty() {
        rec.number.map(|n| n.to_string()).unwrap_or_default()
    } else {
        rec.number_text.trim().to_string()
    };
    let mut it = Item {
        id,
        number: rec.number,
        parent: None,
        title,
        is_new,
        section: None,
        section_id: rec.section.map(|n| n.to_string()),
        department,
        lead_department,
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
        source: Provenance {
            page: rec.page,
            line: rec.line,
            bbox: None,
            cell: None,
        },
    };
    // Gather list parts per field so that continuation rows extend the same list.
    let mut block_year: Option<i32> = None;
    let mut target_header: Option<Vec<String>> = None;
    let mut sched: Vec<String> = vec![String::new(); schedule_columns.len()];
    let mut lists: Vec<(Field, Option<i32>, Vec<String>)> = Vec::new();
    let mut push_list =
        |field: Field, year: Option<i32>, cells: &[String], continuation: bool| match lists
            .last_mut()
        {
            Some((f, y, c)) if continuation && *f == field && *y == year => {
                c.extend(cells.iter().cloned())
            }
            _ => lists.push((field, year, cells.to_vec())),
        };
    let unplaced = |p: &Part, why: &str, diags: &mut Vec<Diagnostic>| {
        diags.push(
            Diagnostic::new(
                Severity::Warning,
                "unassigned-text",
                format!("{why}: {}", p.cells.join(" / ")),
            )
            .at(Some(p.line), p.page)
            .item(rec.number.map(|n| n.to_string())),
        );
    };
    for p in &rec.parts {
        record_field(&mut it.fields, p);
        let year = p.year.or(block_year).or(report_year);
        match p.field {
            Field::ProgressBlock => {
                block_year = p.year;
                if !p.cells.is_empty() {
                    unplaced(p, "text beside a progress-block marker", diags);
                }
            }
            Field::Title => {
                for c in &p.cells {
                    it.title = join_text(&it.title, c);
                }
            }
            Field::Department => {
                let d = join_text(
                    it.department.as_deref().unwrap_or(""),
                    &single_text(&p.cells),
                );
                let (d, l) = split_department(profile, &d);
                it.department = d;
                if l.is_some() {
                    it.lead_department = l;
                }
            }
            Field::CurrentState
            | Field::Plan
            | Field::Activities
            | Field::NextSteps
            | Field::Findings => push_list(p.field, year, &p.cells, p.continuation),
            Field::Targets => {
                if !p.continuation {
                    // The header row (a later one starts a new table).
                    target_header = Some(p.cells.clone());
                    continue;
                }
                let header: &[String] = target_header.as_deref().unwrap_or(&[]);
                let cols = profile.target_columns.as_ref();
                let find = |k: usize| -> Option<usize> {
                    cols.and_then(|c| {
                        header
                            .iter()
                            .position(|h| c.get(k).is_some_and(|re| re.is_match(h)))
                    })
                };
                let (ni, ui, bi, gi) = if cols.is_none() && header.len() == 4 {
                    // No header patterns in the profile: name, unit, baseline, goal in order.
                    (Some(0), Some(1), Some(2), Some(3))
                } else {
                    (find(0), find(1), find(2), find(3))
                };
                let cells = &p.cells;
                if cells.len() != header.len() || ni.is_none() || gi.is_none() {
                    if cells.len() == 1 && !it.targets.is_empty() {
                        // A wrapped name or value: extend the last target's goal text.
                        unplaced(p, "target row with one cell", diags);
                        continue;
                    }
                    diags.push(
                        Diagnostic::new(
                            Severity::Warning,
                            "target-row-shape",
                            format!(
                                "target row has {} cells, the header {}: {}",
                                cells.len(),
                                header.len(),
                                cells.join(" / ")
                            ),
                        )
                        .at(Some(p.line), p.page)
                        .item(rec.number.map(|n| n.to_string())),
                    );
                }
                let at = |i: Option<usize>| i.and_then(|i| cells.get(i));
                let label =
                    |i: Option<usize>| i.and_then(|i| header.get(i)).cloned().unwrap_or_default();
                let unit = at(ui)
                    .map(|u| single_text(&[u]))
                    .filter(|u| !is_dash(u) && !u.is_empty());
                let t = Target {
                    name: at(ni)
                        .or(cells.first())
                        .map(|n| single_text(&[n]))
                        .unwrap_or_default(),
                    unit,
                    values: [
                        target_value(ValueKind::Baseline, &label(bi), at(bi)),
                        target_value(ValueKind::Goal, &label(gi), at(gi)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                };
                if t.goal().is_some_and(|g| g.fiscal_year.is_none()) {
                    diags.push(
                        Diagnostic::new(
                            Severity::Warning,
                            "target-goal-year-unreadable",
                            format!(
                                "no fiscal year in the goal label {:?} of target {:?}",
                                label(gi),
                                t.name
                            ),
                        )
                        .at(Some(p.line), p.page)
                        .item(rec.number.map(|n| n.to_string())),
                    );
                }
                it.targets.push(t);
            }
            Field::Schedule => {
                if sched.is_empty() {
                    sched = vec![String::new(); p.cells.len()];
                }
                for (k, c) in p.cells.iter().enumerate() {
                    if c.is_empty() {
                        continue;
                    }
                    if let Some(s) = sched.get_mut(k) {
                        if !s.is_empty() {
                            s.push('\n');
                        }
                        s.push_str(c);
                    }
                }
            }
            Field::ProgressGoal => {
                let g = single_text(&p.cells);
                let pr = progress_for(&mut it.progress, year);
                pr.goal = Some(match pr.goal.take() {
                    Some(prev) if p.continuation => join_text(&prev, &g),
                    _ => g,
                });
            }
            Field::ProgressStatus => {
                let s = single_text(&p.cells);
                if s.is_empty() {
                    progress_for(&mut it.progress, year);
                    continue;
                }
                let pr = progress_for(&mut it.progress, year);
                if pr.status.is_some() {
                    unplaced(p, "second status for one progress block", diags);
                    continue;
                }
                let code = profile.status_code(&s);
                if code == StatusCode::Other {
                    diags.push(
                        Diagnostic::new(
                            Severity::Info,
                            "unknown-status",
                            format!(
                                "status {s:?} is not in the {} profile's vocabulary",
                                profile.id()
                            ),
                        )
                        .at(Some(p.line), p.page)
                        .item(rec.number.map(|n| n.to_string())),
                    );
                }
                pr.status = Some(Status {
                    text: s,
                    code,
                    source: None,
                });
            }
        }
    }
    for (field, year, cells) in lists {
        match field {
            Field::CurrentState => it.current_state.extend(list(profile, &cells)),
            Field::Plan => it.plan.extend(list(profile, &cells)),
            Field::Activities => progress_for(&mut it.progress, year)
                .activities
                .extend(list(profile, &cells)),
            Field::NextSteps => progress_for(&mut it.progress, year)
                .next_steps
                .extend(list(profile, &cells)),
            Field::Findings => progress_for(&mut it.progress, year)
                .findings
                .extend(findings(profile, &cells)),
            _ => {}
        }
    }
    if !schedule_columns.is_empty() && sched.iter().any(|s| !s.is_empty()) {
        it.schedule = schedule_columns
            .iter()
            .zip(sched.iter())
            .map(|(label, text)| schedule_entry(profile, label, text))
            .collect();
    }
    it.findings = it
        .progress
        .iter()
        .flat_map(|p| p.findings.iter().cloned())
        .collect();
    it.rating = it
        .progress
        .iter()
        .rev()
        .find_map(|p| p.status.as_ref())
        .map(|s| Rating {
            text: s.text.clone(),
            meaning: None,
            rank: None,
            code: (s.code != StatusCode::Other).then(|| s.code.as_str().to_string()),
            source: None,
        });
    it
}

/// Keep a labelled part as a printed field (label as written, cells joined by line breaks); a
/// continuation row extends the field before it.
fn record_field(fields: &mut Vec<FieldText>, p: &Part) {
    let text = p
        .cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    match (&p.label, fields.last_mut()) {
        (Some(label), _) if !p.continuation => {
            let label = label.trim_matches(|c| c == '【' || c == '】').to_string();
            fields.push(FieldText {
                label,
                text,
                role: Some(p.field.as_str().to_string()),
                source: Provenance {
                    page: p.page,
                    line: p.line,
                    bbox: None,
                    cell: None,
                },
            });
        }
        (_, Some(last)) if !text.is_empty() => {
            if !last.text.is_empty() {
                last.text.push('\n');
            }
            last.text.push_str(&text);
        }
        _ => {}
    }
}

/// Choose the profile: forced by id, else the best-scoring one (custom profiles win ties).
pub fn choose_profile<'a>(
    profiles: &[&'a Profile],
    lines: &[Line],
    forced: Option<&str>,
) -> Result<&'a Profile> {
    if let Some(id) = forced {
        return profiles
            .iter()
            .copied()
            .find(|p| p.id() == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = profiles.iter().map(|p| p.id()).collect();
                Error::new(
                    ErrorKind::Profile,
                    format!("unknown layout {id:?} (known: {})", ids.join(", ")),
                )
            });
    }
    let mut best: Option<(&'a Profile, usize)> = None;
    for &p in profiles {
        let s = segment::score(p, lines);
        if s > 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((p, s));
        }
    }
    best.map(|(p, _)| p).ok_or_else(|| {
        Error::new(
            ErrorKind::NotAReport,
            format!(
                "no report structure found (no record rows for any layout profile: {})",
                profiles
                    .iter()
                    .map(|p| p.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// Most frequent municipality name, if it clearly dominates.
pub(crate) fn guess_municipality(profile: &Profile, lines: &[Line]) -> Option<String> {
    const SUFFIXES: [char; 3] = ['市', '町', '村'];
    const NOT_NAMES: &[&str] = &[
        "他", "各", "本", "当", "全", "同", "近隣", "県内", "市", "他市", "都", "区", "町", "村",
        "中核", "政令", "指定", "県", "府",
    ];
    // One search over all candidate cells (a line break between cells) costs far less than a
    // search per cell.
    let mut all = String::new();
    for c in lines
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| c.contains(SUFFIXES))
    {
        all.push_str(c);
        all.push('\n');
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for name in municipality_names(profile, &all) {
        let stem = name.trim_end_matches(SUFFIXES);
        if stem.is_empty() || NOT_NAMES.iter().any(|n| stem.ends_with(n) || stem == *n) {
            continue;
        }
        let e = counts.entry(name).or_insert(0);
        if *e == 0 {
            order.push(name);
        }
        *e += 1;
    }
    let mut ranked: Vec<(&str, usize)> = order
        .iter()
        .map(|n| (*n, counts.get(n).copied().unwrap_or(0)))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    match ranked.as_slice() {
        [(n, c), rest @ ..] if *c >= 2 && rest.first().is_none_or(|(_, r)| *c >= 2 * r) => {
            Some((*n).to_string())
        }
        _ => None,
    }
}

/// Municipality names the profile's patterns find in `text`, pattern by pattern, skipping a match
/// right after a kanji (the tail of a longer word).
pub(crate) fn municipality_names<'t>(
    profile: &'t Profile,
    text: &'t str,
) -> impl Iterator<Item = &'t str> {
    profile.municipality.iter().flat_map(move |re| {
        re.captures_iter(text).filter_map(move |c| {
            let m = c.name("name")?;
            let before = text.get(..m.start()).and_then(|t| t.chars().next_back());
            if before.is_some_and(|b| ('\u{4E00}'..='\u{9FFF}').contains(&b)) {
                return None;
            }
            Some(m.as_str())
        })
    })
}

/// Document-level fields from the front matter; returns the lines it did not use.
struct Front {
    title: Option<String>,
    /// A municipality named in the front matter (title lines).
    municipality: Option<String>,
    fiscal_year: Option<i32>,
    declared: Option<Vec<StatusCount>>,
    unused: Vec<Line>,
}

fn read_front(profile: &Profile, front: &[Line], all: &[Line]) -> Front {
    let municipality_in = |text: &str| municipality_names(profile, text).next().map(str::to_string);
    let mut f = Front {
        municipality: None,
        title: None,
        fiscal_year: None,
        declared: None,
        unused: vec![],
    };
    let summary = profile.status_summary.as_ref();
    let year_of = |text: &str| -> Option<i32> {
        profile.fiscal_year.iter().find_map(|re| {
            let c = re.captures(text)?;
            wareki::western_year(
                c.name("era").map(|m| m.as_str()).unwrap_or("R"),
                c.name("year")?.as_str(),
            )
        })
    };
    let mut in_summary = false;
    for l in front {
        let text = l.joined();
        if f.municipality.is_none() && l.filled().count() == 1 {
            f.municipality = municipality_in(&text);
        }
        if f.title.is_none() {
            f.title = Some(single_text(
                &l.cells
                    .iter()
                    .filter(|c| !c.is_empty())
                    .cloned()
                    .collect::<Vec<_>>(),
            ));
            if f.fiscal_year.is_none() {
                f.fiscal_year = year_of(&text);
            }
            continue;
        }
        if f.title.as_deref() == Some(text.as_str()) {
            continue;
        }
        if summary.as_ref().is_some_and(|re| re.is_match(l.first())) && l.filled().count() == 2 {
            in_summary = true;
            f.declared.get_or_insert_with(Vec::new);
            continue;
        }
        if in_summary {
            let filled: Vec<&str> = l.filled().map(|(_, c)| c).collect();
            if let [status, count] = filled.as_slice() {
                if let Ok(n) = count.trim_end_matches('件').trim().parse::<u32>() {
                    if let Some(d) = f.declared.as_mut() {
                        d.push(StatusCount {
                            status: status.to_string(),
                            code: profile.status_code(status),
                            count: n,
                        });
                    }
                    continue;
                }
            }
            in_summary = false;
        }
        if let Some(y) = year_of(&text) {
            if f.fiscal_year.is_none() {
                f.fiscal_year = Some(y);
            }
            continue;
        }
        // A title line naming the municipality (a repeated or variant title).
        if l.filled().count() == 1
            && f.municipality.is_some()
            && municipality_in(&text) == f.municipality
        {
            continue;
        }
        f.unused.push(l.clone());
    }
    if f.fiscal_year.is_none() {
        f.fiscal_year = all.iter().take(50).find_map(|l| year_of(&l.joined()));
    }
    f
}

/// Build the report from ingested lines.
pub fn build_report(
    doc: &mut SourceDoc,
    path: &str,
    sha256: &str,
    opts: &Options,
) -> Result<Report> {
    let lines: Vec<Line> = doc.lines.iter().map(segment::clean_line).collect();
    if lines.iter().all(Line::is_blank) {
        return Err(Error::new(
            ErrorKind::NotAReport,
            "no text content (empty input)",
        ));
    }
    let mut profiles: Vec<&Profile> = opts.profiles.iter().collect();
    for b in Profile::builtin() {
        if !profiles.iter().any(|p| p.id() == b.id()) {
            profiles.push(b);
        }
    }
    let lex = opts.lexicon();
    let forced = opts.layout.as_deref();
    let spec = match forced {
        Some(id) => opts.specs.iter().find(|s| s.id == id),
        None => opts.specs.first(),
    };
    if forced == Some(crate::records::INFERRED) || spec.is_some() {
        return crate::records::report::read(doc, path, sha256, opts, &lex, spec).map_err(
            |e| match e.kind {
                ErrorKind::NotAReport => Error::new(e.kind, why::join(&[e.message])),
                _ => e,
            },
        );
    }
    let chosen = choose_profile(&profiles, &lines, forced);
    let profile = match chosen {
        Ok(p) => p,
        Err(_) if forced.is_none() => {
            // Why each layout tried reads nothing: the profiles, then inference.
            return crate::records::report::read(doc, path, sha256, opts, &lex, None).map_err(
                |inf| {
                    if inf.kind != ErrorKind::NotAReport {
                        return inf;
                    }
                    let mut reasons: Vec<String> = profiles
                        .iter()
                        .map(|p| why::profile_reason(p, &lines))
                        .collect();
                    reasons.push(inf.message);
                    Error::new(ErrorKind::NotAReport, why::join(&reasons))
                },
            );
        }
        Err(e) => return Err(e),
    };
    let seg: Segmented = segment::segment(profile, &lines);
    if seg.records.is_empty() {
        return Err(Error::new(
            ErrorKind::NotAReport,
            format!("no records found with the {} layout profile", profile.id()),
        ));
    }
    if forced.is_none() {
        // The built-in profile competes with inference: the reading that explains more lines wins.
        let placed = lines.iter().filter(|l| !l.is_blank()).count();
        let unplaced = seg.unassigned.len();
        let v1_share = if placed == 0 {
            0.0
        } else {
            1.0 - unplaced as f64 / placed as f64
        };
        // A profile that explains (nearly) every line cannot be beaten: inference is skipped.
        let contest = v1_share + 0.05 < 1.0;
        if let Some(Ok(r)) =
            contest.then(|| crate::records::report::read(doc, path, sha256, opts, &lex, None))
        {
            if r.layout_confidence.unwrap_or(0.0) > v1_share + 0.05
                && r.items.len() + 1 >= seg.records.len()
            {
                return Ok(r);
            }
        }
    }
    let front = read_front(profile, &seg.front, &lines);
    let mut diagnostics = std::mem::take(&mut doc.diagnostics);
    let items: Vec<Item> = seg
        .records
        .iter()
        .map(|r| {
            item(
                profile,
                r,
                &seg.schedule_columns,
                front.fiscal_year,
                &mut diagnostics,
            )
        })
        .collect();
    for l in &front.unused {
        diagnostics.push(
            Diagnostic::new(
                Severity::Info,
                "unassigned-text",
                format!("front matter not used: {}", l.joined()),
            )
            .at(Some(l.line), l.page),
        );
    }
    for u in &seg.unassigned {
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "unassigned-text",
                format!("line not in any field: {}", u.text),
            )
            .at(Some(u.line), u.page)
            .item(u.item),
        );
    }
    let municipality = opts
        .municipality
        .clone()
        .or(front.municipality)
        .or_else(|| guess_municipality(profile, &lines));
    let mut report = Report {
        schema: REPORT_SCHEMA.to_string(),
        generator: format!("gyokaku {}", env!("CARGO_PKG_VERSION")),
        source: SourceInfo {
            path: path.to_string(),
            sha256: sha256.to_string(),
            media_type: std::mem::take(&mut doc.media_type),
            encoding: doc.encoding.take(),
            pages: doc.pages,
            ocr_pages: std::mem::take(&mut doc.ocr_pages),
        },
        layout: profile.id().to_string(),
        layout_confidence: None,
        title: front.title,
        municipality,
        fiscal_year: front.fiscal_year,
        sections: seg.sections.clone(),
        rating_scale: None,
        declared_status_counts: front.declared,
        items,
        totals: vec![],
        diagnostics,
    };
    for it in &mut report.items {
        it.section = it.section_id.as_ref().and_then(|id| {
            report
                .sections
                .iter()
                .find(|s| s.id.as_ref() == Some(id))
                .map(|s| s.text.clone())
        });
    }
    validate::validate(profile, &mut report);
    report
        .diagnostics
        .sort_by_key(|d| (d.line.unwrap_or(0), d.page.unwrap_or(0)));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> &'static Profile {
        Profile::builtin()
            .iter()
            .find(|p| p.id() == "card")
            .expect("card profile")
    }
    fn table() -> &'static Profile {
        Profile::builtin()
            .iter()
            .find(|p| p.id() == "table")
            .expect("table profile")
    }
    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn joins_japanese_without_space_and_latin_with() {
        let cases = [
            ("検討を", "進める。", "検討を進める。"),
            ("Open", "Data", "Open Data"),
            ("令和3年", "4月", "令和3年4月"),
            ("", "x", "x"),
            ("x", "", "x"),
            ("50", "(職員)", "50 (職員)"),
        ];
        for (a, b, want) in cases {
            assert_eq!(join_text(a, b), want, "{a:?}+{b:?}");
        }
    }

    #[test]
    fn list_entries_follow_marks_and_paragraphs() {
        let cases: &[(&[&str], &[&str])] = &[
            (&["・一つ目 ・二つ目"], &["一つ目", "二つ目"]),
            (&["・一つ目\n・二つ目"], &["一つ目", "二つ目"]),
            // An unmarked paragraph continues the entry before it.
            (&["・始まり\n続き"], &["始まり続き"]),
            // A ・ inside a word is not a bullet.
            (&["・各課・各部の状況"], &["各課・各部の状況"]),
            // Without marks, sentence-ending paragraphs are entries, wrapped lines join.
            (
                &["一文目。\n二文目の前半\n後半。"],
                &["一文目。", "二文目の前半後半。"],
            ),
            // Meaningful marks stay in plain lists.
            (&["○できた ・注記"], &["○できた", "注記"]),
            (&["■A ■B"], &["A", "B"]),
            (&[""], &[]),
        ];
        for (input, want) in cases {
            assert_eq!(list(card(), &cells(input)), cells(want), "{input:?}");
        }
    }

    #[test]
    fn findings_carry_mark_and_kind() {
        let got = findings(card(), &cells(&["○成果\n▲課題\n補足\n・注記", "※備考"]));
        let want = [
            (Some("○"), FindingKind::Achievement, "成果"),
            (Some("▲"), FindingKind::Issue, "課題補足"),
            (Some("・"), FindingKind::Note, "注記"),
            (Some("※"), FindingKind::Note, "備考"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, (m, k, t)) in got.iter().zip(want) {
            assert_eq!((g.mark.as_deref(), g.kind, g.text.as_str()), (m, k, t));
        }
        let unmarked = findings(card(), &cells(&["前置きの文。"]));
        assert_eq!(unmarked[0].mark, None);
        assert_eq!(unmarked[0].kind, FindingKind::Note);
    }

    #[test]
    fn schedule_cells() {
        let cases: &[(&str, &[&str], bool, &[&str])] = &[
            ("■課題整理 ■導入", &["課題整理", "導入"], false, &[]),
            ("→(利用促進等)→", &[], true, &["利用促進等"]),
            ("→ → → →", &[], true, &[]),
            ("→ (毎年度) → → (随時) →", &[], true, &["毎年度", "随時"]),
            ("■見直し →(毎年度)→", &["見直し"], true, &["毎年度"]),
            (
                "→ → ※結果を踏まえて判断",
                &[],
                true,
                &["結果を踏まえて判断"],
            ),
            ("", &[], false, &[]),
        ];
        for (text, ms, cont, notes) in cases {
            let e = schedule_entry(table(), "令和3年度", text);
            assert_eq!(e.fiscal_year, Some(2021));
            assert_eq!(e.milestones, cells(ms), "{text}");
            assert_eq!(e.continues, *cont, "{text}");
            assert_eq!(e.notes, cells(notes), "{text}");
        }
    }

    #[test]
    fn departments_and_new_flags() {
        let cases = [
            ("全庁 (市民課)", Some("全庁"), Some("市民課")),
            ("全庁(市民課)", Some("全庁"), Some("市民課")),
            ("秘書課", Some("秘書課"), None),
            ("", None, None),
            ("(市民課)", Some("(市民課)"), None),
        ];
        for (s, d, l) in cases {
            let (gd, gl) = split_department(card(), s);
            assert_eq!((gd.as_deref(), gl.as_deref()), (d, l), "{s}");
        }
        let flags = [
            ("AIの導入 新規", "AIの導入", true),
            ("AIの導入新規", "AIの導入", true),
            ("【新規】AIの導入", "AIの導入", true),
            ("AIの導入", "AIの導入", false),
            ("新規", "新規", false),
        ];
        for (t, want, new) in flags {
            assert_eq!(split_new_flag(table(), t), (want.to_string(), new), "{t}");
        }
    }

    #[test]
    fn target_values() {
        let cases = [
            ("実績（R2）", "—", None, None, Some(2020)),
            (
                "目標（R5）",
                "1,234",
                Some("1,234"),
                Some(1234.0),
                Some(2023),
            ),
            ("目標（最終）", "5", Some("5"), Some(5.0), None),
            (
                "実績 (R2)",
                "60万人",
                Some("60万人"),
                Some(600000.0),
                Some(2020),
            ),
        ];
        for (label, cell, text, number, year) in cases {
            let kind = if label.starts_with('実') {
                ValueKind::Baseline
            } else {
                ValueKind::Goal
            };
            let v = target_value(kind, label, Some(&cell.to_string())).expect("value");
            assert_eq!(v.kind, kind, "{label}");
            assert_eq!(v.label, label);
            assert_eq!(v.text.as_deref(), text, "{cell}");
            assert_eq!(v.number, number, "{cell}");
            assert_eq!(v.fiscal_year, year, "{label}");
        }
        assert!(target_value(ValueKind::Goal, "x", None).is_none());
        assert!(is_dash("—") && is_dash("-") && is_dash("－") && !is_dash("") && !is_dash("-5"));
    }
}
