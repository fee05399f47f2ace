//! An item's lists from its labelled fields: findings from the lines that start with a mark
//! (○ achievement, ▲ issue), list entries per bullet, and the v1 canonical lists (current state,
//! plan, progress with activities, findings and next steps).

use crate::fields::lexicon::{Canonical, Lexicon, Role};
use crate::model::*;

/// Findings from the lines of the item's fields that start with a mark.
pub(super) fn findings_of(lex: &Lexicon, it: &mut Item) {
    for f in &it.fields {
        if f.role.as_deref() == Some(Role::Rating.key()) {
            continue;
        }
        // In a field of findings (課題, 進捗状況について), a note (`・…`) after marked findings is
        // one of them, and an unmarked line continues the finding above it; in other fields it
        // continues a finding without a full stop (wrapped in the source).
        let findings_field = f.role.as_deref() == Some(Role::Field(Canonical::Issues).key());
        let mut last: Option<usize> = None;
        let pieces: Vec<&str> = if findings_field {
            f.text.lines().flat_map(|x| split_bullets(lex, x)).collect()
        } else {
            f.text
                .lines()
                .flat_map(|x| split_after_stops(lex, x))
                .collect()
        };
        for line in &pieces {
            let t = line.trim_start();
            let Some(c) = t.chars().next() else { continue };
            // A mark alone (a 重点 ◎ flag) is no finding, nor is a minus sign before an amount
            // (`▲300`, `△1,200千円` in an 効果額 cell).
            if t.get(c.len_utf8()..).unwrap_or("").trim().is_empty()
                || crate::fields::values::parse_quantity_with(t, true, lex.units())
                    .number
                    .is_some_and(|n| n < 0.0)
            {
                continue;
            }
            let kind = match lex.mark_kind_of(c) {
                Some(k @ (FindingKind::Achievement | FindingKind::Issue)) => Some(k),
                Some(FindingKind::Note) if findings_field && last.is_some() => {
                    Some(FindingKind::Note)
                }
                Some(_) => None,
                None => {
                    // elsewhere, only a finding cut short (no full stop: a line wrapped in the
                    // source) takes the unmarked line after it
                    if let Some(prev) = last.and_then(|k| it.findings.get_mut(k)).filter(|p| {
                        findings_field || !p.text.trim_end().ends_with(['。', '．', '.'])
                    }) {
                        prev.text.push_str(t.trim());
                    }
                    continue;
                }
            };
            match kind {
                Some(kind) => {
                    it.findings.push(Finding {
                        mark: Some(c.to_string()),
                        kind,
                        text: t.get(c.len_utf8()..).unwrap_or("").trim().to_string(),
                        source: None,
                    });
                    last = Some(it.findings.len() - 1);
                }
                None => last = None,
            }
        }
    }
}

/// The entries of a list field: one per line and per bullet (`■A ■B` is two), without the bullet
/// mark. A mark opens a bullet at the start of a line or after a space (`必要性・妥当性` is one).
/// A line without a mark under an entry not ended by a full stop is that entry wrapped
/// (`■利用者登録の` / `オンライン化`) and joins it.
pub(super) fn bullet_entries(lex: &Lexicon, text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    // Does the last entry continue on the next line (no full stop)?
    let mut open = false;
    for line in text.lines() {
        for (k, b) in split_bullets(lex, line).into_iter().enumerate() {
            let t = b.trim();
            let mut cs = t.chars();
            let (marked, body) = match cs.next() {
                Some(c) if is_mark(lex, c) => (true, cs.as_str().trim().to_string()),
                _ => (false, t.to_string()),
            };
            if body.is_empty() {
                continue;
            }
            match out.last_mut() {
                Some(last) if k == 0 && !marked && open => last.push_str(&body),
                _ => out.push(body),
            }
            open = !ends_sentence(out.last().map_or("", String::as_str));
        }
    }
    out
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['。', '.', '．'])
}

fn is_mark(lex: &Lexicon, c: char) -> bool {
    lex.mark_kind_of(c).is_some()
}

/// One line cut before each bullet mark that opens it or follows a space (`○A ○B ・C` is three;
/// `必要性・妥当性` is one); marks kept.
pub(super) fn split_bullets<'a>(lex: &Lexicon, line: &'a str) -> Vec<&'a str> {
    let mut out = vec![];
    // Where the piece being read starts.
    let mut start = 0usize;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if prev_space && is_mark(lex, c) {
            let cur = line.get(start..i).unwrap_or("").trim();
            if !cur.is_empty() {
                out.push(cur);
                start = i;
            }
        }
        // A sentence's end opens a bullet as a space does (`…した。▲…`).
        prev_space = c.is_whitespace() || c == '。';
    }
    let cur = line.get(start..).unwrap_or("").trim();
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A line cut where a sentence ends and a finding mark opens the next one (`○…した。▲…`): two
/// findings written on one line. Other marks after a full stop stay in the text.
fn split_after_stops<'a>(lex: &Lexicon, line: &'a str) -> Vec<&'a str> {
    let mut out = vec![];
    // Where the piece being read starts.
    let mut start = 0usize;
    let mut after_stop = false;
    for (i, c) in line.char_indices() {
        if after_stop
            && matches!(
                lex.mark_kind_of(c),
                Some(FindingKind::Achievement | FindingKind::Issue)
            )
        {
            let cur = line.get(start..i).unwrap_or("").trim();
            if !cur.is_empty() {
                out.push(cur);
                start = i;
            }
        }
        if !c.is_whitespace() {
            after_stop = c == '。';
        }
    }
    let cur = line.get(start..).unwrap_or("").trim();
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Fill the v1 canonical lists from the labelled fields.
pub(super) fn canonical_lists(lex: &Lexicon, it: &mut Item, report_year: Option<i32>) {
    let mut progress = Progress {
        fiscal_year: report_year,
        goal: None,
        goal_source: None,
        activities_sources: vec![],
        next_steps_sources: vec![],
        status: None,
        activities: vec![],
        findings: it.findings.clone(),
        next_steps: vec![],
    };
    let mut year: Option<i32> = None;
    for f in &it.fields {
        let entries = || bullet_entries(lex, &f.text).into_iter();
        let (roles, label_year) = lex
            .classify(&f.label)
            .map(|m| (m.roles, m.fiscal_year))
            .unwrap_or_default();
        let has = |c: Canonical| roles.contains(&Role::Field(c));
        let role = f.role.as_deref();
        let yearly = [
            Some(Role::Rating.key()),
            Some(Role::Target.key()),
            Some(Role::Field(Canonical::Activities).key()),
            Some(Role::Field(Canonical::NextSteps).key()),
        ];
        if label_year.is_some() && yearly.contains(&role) {
            year = year.or(label_year);
        }
        if role == Some(Role::Target.key()) && label_year.is_some() {
            // A year's goal written as text (`R3目標`).
            progress
                .goal
                .get_or_insert_with(|| f.text.trim().to_string());
        } else if role == Some(Role::Field(Canonical::CurrentState).key()) {
            it.current_state.extend(entries());
        } else if role == Some(Role::Field(Canonical::Activities).key()) {
            progress.activities.extend(entries());
        } else if has(Canonical::CurrentState)
            && roles.first() != Some(&Role::Value(ValueKind::Baseline))
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
        let code = super::build::status_code(r.code.as_deref());
        progress.status = Some(Status {
            text: r.text.clone(),
            code,
            source: None,
        });
    }
    progress.fiscal_year = year.or(report_year);
    if progress.status.is_some()
        || progress.goal.is_some()
        || !progress.activities.is_empty()
        || !progress.next_steps.is_empty()
        || !progress.findings.is_empty()
    {
        it.progress.push(progress);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::ids;
    use crate::records::line::Line;
    use crate::records::rows::new_item;

    #[test]
    fn bullets_split_at_marks_that_open_them() {
        let lex = Lexicon::builtin();
        let cases: [(&str, &[&str]); 10] = [
            ("■A ■B", &["A", "B"]),
            // A wrapped entry joins its line; after a full stop, a new line is a new entry.
            (
                "■導入 ■利用者登録の\nオンライン化 ■納付",
                &["導入", "利用者登録のオンライン化", "納付"],
            ),
            ("・一文目。\n補足の段落", &["一文目。", "補足の段落"]),
            ("段落一\n段落二", &["段落一段落二"]),
            (
                "文一。\n文二の前半\n後半。",
                &["文一。", "文二の前半後半。"],
            ),
            ("▲課題\n補足\n・注記", &["課題補足", "注記"]),
            ("・必要性・妥当性を検討", &["必要性・妥当性を検討"]),
            (
                "・一行目\n・二行目 ・三行目",
                &["一行目", "二行目", "三行目"],
            ),
            ("印のない文", &["印のない文"]),
            ("○成果 ▲課題", &["成果", "課題"]),
        ];
        for (text, want) in cases {
            assert_eq!(bullet_entries(lex, text), want, "{text}");
        }
        assert_eq!(split_bullets(lex, "○成果 ▲課題"), ["○成果", "▲課題"]);
    }

    #[test]
    fn two_findings_on_one_line_split_at_the_full_stop() {
        let lex = Lexicon::builtin();
        let cases: [(&str, &[&str]); 5] = [
            ("○減った。▲残った。", &["○減った。", "▲残った。"]),
            ("○減った。 ▲残った。", &["○減った。", "▲残った。"]),
            // Only finding marks open a new one; a bullet after a full stop stays.
            ("○減った。・内訳は別表", &["○減った。・内訳は別表"]),
            ("○一つ目▲二つ目", &["○一つ目▲二つ目"]),
            ("", &[]),
        ];
        for (line, want) in cases {
            assert_eq!(split_after_stops(lex, line), want, "{line}");
        }
    }

    #[test]
    fn a_minus_amount_is_no_finding() {
        let lex = Lexicon::builtin();
        let field = |text: &str| FieldText {
            label: "効果額".into(),
            text: text.into(),
            role: Some(Role::Field(Canonical::Other).key().into()),
            source: Provenance::default(),
        };
        let tok = ids::id_at_start("1").expect("id");
        let line = Line::of(&["1"]);
        let mut it = new_item(&tok, &line, None, &[]);
        it.fields = vec![
            field("▲300"),
            field("△1,200千円"),
            field("▲調整が長引いた。"),
        ];
        findings_of(lex, &mut it);
        let got: Vec<(&str, &str)> = it
            .findings
            .iter()
            .map(|f| (f.mark.as_deref().unwrap_or(""), f.text.as_str()))
            .collect();
        assert_eq!(got, [("▲", "調整が長引いた。")]);
    }

    #[test]
    fn a_finding_without_a_full_stop_continues_on_the_next_line() {
        let lex = Lexicon::builtin();
        let tok = ids::id_at_start("1").expect("id");
        let line = Line::of(&["1"]);
        let cases: [(&str, &[&str]); 3] = [
            // wrapped in the source: the unmarked line ends the finding
            (
                "▲説明会を開けず、実施を\n見送った。\n○登録を確認し\nた。",
                &["説明会を開けず、実施を見送った。", "登録を確認した。"],
            ),
            // after a full stop an unmarked line is none of the finding's
            ("○窓口を開いた。\n参考資料あり", &["窓口を開いた。"]),
            ("前置きの文\n○予約を始めた。", &["予約を始めた。"]),
        ];
        for (text, want) in cases {
            let mut it = new_item(&tok, &line, None, &[]);
            it.fields = vec![FieldText {
                label: "令和3年度の実績".into(),
                text: text.into(),
                role: Some(Role::Field(Canonical::Other).key().into()),
                source: Provenance::default(),
            }];
            findings_of(lex, &mut it);
            let got: Vec<&str> = it.findings.iter().map(|f| f.text.as_str()).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
