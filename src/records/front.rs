//! The front matter of a report: its title line and the status counts it declares
//! (`達成状況 | 件数`), and the status code of a rating.

use super::line::Line;
use super::strip_ws;
use super::text::starts_with_date;
use crate::fields::legend;
use crate::fields::lexicon::{Lexicon, Role};
use crate::model::*;

/// The status code of a rating code.
pub(super) fn status_code(code: Option<&str>) -> StatusCode {
    match code {
        Some("achieved") => StatusCode::Achieved,
        Some("on_track") => StatusCode::OnTrack,
        Some("slightly_behind") => StatusCode::SlightlyBehind,
        Some("behind") => StatusCode::Behind,
        Some("not_started") => StatusCode::NotStarted,
        Some("completed") => StatusCode::Completed,
        Some("ahead") => StatusCode::Ahead,
        Some("mostly_achieved") => StatusCode::MostlyAchieved,
        Some("partly_achieved") => StatusCode::PartlyAchieved,
        Some("in_progress") => StatusCode::InProgress,
        Some("under_study") => StatusCode::UnderStudy,
        Some("changed") => StatusCode::Changed,
        Some("discontinued") => StatusCode::Discontinued,
        _ => StatusCode::Other,
    }
}

/// A summary table of the front matter: a header whose first cell is a rating label
/// (`達成状況 | 件数`), then rows of a rating word and a count (`順調 | 17`). Returns the counts and
/// which front lines they used. A rating word that is a letter or a mark (`S | 1`) takes its code
/// from its meaning in `scale` (a legend's or the profile's: text, meaning).
pub(super) fn declared_counts(
    lex: &Lexicon,
    lines: &[Line],
    front: &[usize],
    scale: &[(String, String)],
) -> (Option<Vec<StatusCount>>, Vec<bool>) {
    let meaning = |word: &str| {
        scale
            .iter()
            .find(|(t, _)| strip_ws(t) == strip_ws(word))
            .map(|(_, m)| m.as_str())
    };
    let mut used = vec![false; front.len()];
    let cells = |k: usize| -> Vec<&str> {
        front
            .get(k)
            .and_then(|&li| lines.get(li))
            .map(|l| l.filled().map(|(_, c)| c).collect())
            .unwrap_or_default()
    };
    for k in 0..front.len() {
        let head = cells(k);
        let is_head = matches!(head.as_slice(), [label, other]
            if lex.classify(label).is_some_and(|m| m.exact && m.roles.contains(&Role::Rating))
                && other.parse::<u32>().is_err());
        if !is_head {
            continue;
        }
        let mut out = vec![];
        let mut m = k + 1;
        while let [word, count] = cells(m).as_slice() {
            let code = lex.rating_code(word, meaning(word));
            let (Some(code), Ok(n)) = (code, count.trim_end_matches('件').trim().parse::<u32>())
            else {
                break;
            };
            out.push(StatusCount {
                status: word.to_string(),
                code: status_code(Some(&code)),
                count: n,
            });
            m += 1;
        }
        if !out.is_empty() {
            for u in used.iter_mut().take(m).skip(k) {
                *u = true;
            }
            return (Some(out), used);
        }
    }
    (None, used)
}

/// The report's title line: the first line of the document; when that line is a page header
/// printed on every page, the first later line before the records that names a municipality and
/// is no date, note or legend (`湊橋市…取組項目別シート（令和2年度）`).
pub(super) fn choose_title(
    lex: &Lexicon,
    lines: &[Line],
    furn: &[bool],
    before: usize,
) -> Option<usize> {
    let first = lines.iter().position(|l| !l.is_blank())?;
    if !furn.get(first).copied().unwrap_or(false) {
        return Some(first);
    }
    // A line naming a municipality that is no sentence, issuing office, section heading, date,
    // note or legend.
    let looks_like_title = |l: &Line| {
        let t = l.joined();
        let t = t.trim();
        l.filled().count() == 1
            && super::municipality::names(t).any(super::municipality::is_name)
            && !t.starts_with(['※', '*', '・'])
            && !t.ends_with(['。', '.'])
            && super::municipality::office_name(t).is_none()
            && lex
                .is_section_prefix(t.trim_start_matches(super::HEADING_MARKS).trim_start())
                .is_none()
            && !starts_with_date(t)
            && legend::legend_in_line_with(t, lex).is_none()
    };
    lines
        .iter()
        .enumerate()
        .take(before)
        .skip(first + 1)
        .find(|(k, l)| {
            !l.is_blank() && !furn.get(*k).copied().unwrap_or(false) && looks_like_title(l)
        })
        .map(|(k, _)| k)
        .or(Some(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, l)| Line {
                line: i as u32 + 1,
                page: None,
                cells: l.split('\t').map(str::to_string).collect(),
            })
            .collect()
    }

    #[test]
    fn declared_counts_read_words_and_letters_through_a_scale() {
        let lex = Lexicon::builtin();
        let scale = [("S".to_string(), "達成".to_string())];
        type Row<'a> = (&'a str, StatusCode, u32);
        type Case<'a> = (
            &'a str,
            &'a [(String, String)],
            Option<&'a [Row<'a>]>,
            usize,
        );
        let cases: [Case; 4] = [
            (
                "題\n達成状況\t件数\n順調\t17\n遅れている\t2件",
                &[],
                Some(&[
                    ("順調", StatusCode::OnTrack, 17),
                    ("遅れている", StatusCode::Behind, 2),
                ]),
                3,
            ),
            (
                "題\n評価区分\t件数\nS\t1",
                &scale,
                Some(&[("S", StatusCode::Achieved, 1)]),
                2,
            ),
            // Without a legend or a scale, a letter has no code: no counts.
            ("題\n評価区分\t件数\nS\t1", &[], None, 0),
            ("題\n本文", &[], None, 0),
        ];
        for (text, scale, want, used) in cases {
            let ls = lines(text);
            let front: Vec<usize> = (0..ls.len()).collect();
            let (got, counted) = declared_counts(lex, &ls, &front, scale);
            let got: Option<Vec<Row>> = got.as_ref().map(|v| {
                v.iter()
                    .map(|c| (c.status.as_str(), c.code, c.count))
                    .collect()
            });
            assert_eq!(got.as_deref(), want, "{text}");
            assert_eq!(counted.iter().filter(|u| **u).count(), used, "{text}");
        }
    }

    #[test]
    fn the_title_is_the_first_line_unless_a_page_header() {
        let lex = Lexicon::builtin();
        // (text, page-furniture lines, the title line)
        let cases: [(&str, &[usize], Option<usize>); 6] = [
            ("架空市改革プラン\n取組1", &[], Some(0)),
            // A page header over the report's own title.
            (
                "架空市改革プラン　状況\n架空市改革プラン　取組シート\n取組1",
                &[0],
                Some(1),
            ),
            // The title printed again on every page: no later line is a title.
            ("架空市改革プラン\n架空市総務部企画課\n取組1", &[0], Some(0)),
            (
                "架空市改革プラン\n本報告書は、架空市の取組をまとめた。\n取組1",
                &[0],
                Some(0),
            ),
            (
                "架空市改革プラン\n基本方針1　市民サービスの向上\n取組1",
                &[0],
                Some(0),
            ),
            ("架空市改革プラン\n令和5年3月　架空市\n取組1", &[0], Some(0)),
        ];
        for (text, furniture, want) in cases {
            let ls = lines(text);
            let furn: Vec<bool> = (0..ls.len()).map(|k| furniture.contains(&k)).collect();
            assert_eq!(choose_title(lex, &ls, &furn, ls.len() - 1), want, "{text}");
        }
    }

    #[test]
    fn status_codes_of_rating_codes() {
        let cases = [
            (Some("achieved"), StatusCode::Achieved),
            (Some("on_track"), StatusCode::OnTrack),
            (Some("mostly_achieved"), StatusCode::MostlyAchieved),
            (Some("ahead"), StatusCode::Ahead),
            (Some("discontinued"), StatusCode::Discontinued),
            (Some("no_such_code"), StatusCode::Other),
            (None, StatusCode::Other),
        ];
        for (code, want) in cases {
            assert_eq!(status_code(code), want, "{code:?}");
        }
    }
}
