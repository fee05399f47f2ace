//! Targets written as sentences in a field of a value kind (a 目標 cell `…を２０件とする。`, a
//! 実績 cell `…は１８件であった。`): one quantity in a short sentence, the words before the
//! particle in front of it (`を`, `は`, `が`) naming what is counted. The field's role says the
//! kind of the value; the goal names the target and the actual joins it. Only a pair of values
//! of two kinds in one unit makes a target: one sentence with a number alone stays text.

use crate::fields::lexicon::Lexicon;
use crate::model::{Item, Target, TargetValue, ValueKind};

/// Particles that end the name before the quantity.
const PARTICLES: [char; 3] = ['を', 'は', 'が'];
/// Words allowed between the particle and the number (`年１２０回`, `約３割`), in characters.
const MAX_LEAD_CHARS: usize = 2;
/// The longest name, and the longest text after the unit (`以内とする`, `であった`).
const MAX_NAME_CHARS: usize = 40;
const MAX_TAIL_CHARS: usize = 10;

/// One sentence's quantity: (name, number as printed, number, unit).
pub(super) type SentenceValue = (String, String, f64, String);

/// The quantity of a one-sentence text (see the module documentation), or None.
pub(super) fn sentence_value(lex: &Lexicon, text: &str) -> Option<SentenceValue> {
    let t = text.trim().trim_end_matches(['。', '.']).trim();
    if t.contains(['。', '\n']) {
        return None;
    }
    let chars: Vec<char> = t.chars().collect();
    let is_num = |c: char| c.is_ascii_digit();
    let start = chars.iter().position(|&c| is_num(c))?;
    let mut end = start;
    while chars.get(end).is_some_and(|&c| {
        is_num(c) || ((c == ',' || c == '.') && chars.get(end + 1).is_some_and(|&d| is_num(d)))
    }) {
        end += 1;
    }
    let rest: String = chars.get(end..)?.iter().collect();
    if rest.chars().any(is_num) {
        return None;
    }
    let unit = lex
        .units()
        .iter()
        .filter(|u| rest.starts_with(u.as_str()))
        .max_by_key(|u| u.chars().count())?
        .clone();
    if rest.chars().count() - unit.chars().count() > MAX_TAIL_CHARS {
        return None;
    }
    // The particle nearest before the number, at most a couple of words between them.
    let p = (start.saturating_sub(MAX_LEAD_CHARS + 1)..start)
        .rev()
        .find(|&k| chars.get(k).is_some_and(|c| PARTICLES.contains(c)))?;
    let name: String = chars.get(..p)?.iter().collect();
    let name = name.trim().to_string();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return None;
    }
    let printed: String = chars.get(start..end)?.iter().collect();
    let number: f64 = printed.replace(',', "").parse().ok()?;
    Some((name, printed, number, unit))
}

/// The kind of value a field of this role holds (`target`, `value.goal` …), if any.
fn kind_of_role(role: Option<&str>) -> Option<ValueKind> {
    match role? {
        "target" | "value.goal" => Some(ValueKind::Goal),
        "value.plan" => Some(ValueKind::Plan),
        "value.actual" => Some(ValueKind::Actual),
        _ => None,
    }
}

/// Targets from the sentences of an item with none (see the module documentation).
pub(super) fn sentence_targets(lex: &Lexicon, it: &mut Item, report_year: Option<i32>) {
    if !it.targets.is_empty() {
        return;
    }
    let mut targets: Vec<Target> = vec![];
    for f in &it.fields {
        let Some(kind) = kind_of_role(f.role.as_deref()) else {
            continue;
        };
        let Some((name, printed, number, unit)) = sentence_value(lex, &f.text) else {
            continue;
        };
        let value = TargetValue {
            kind,
            label: f.label.clone(),
            fiscal_year: report_year,
            text: Some(printed),
            number: Some(number),
            source: Some(f.source.clone()),
        };
        // A value of another kind in the same unit joins the target before it.
        match targets.last_mut() {
            Some(t)
                if t.unit.as_deref() == Some(unit.as_str())
                    && !t.values.iter().any(|v| v.kind == kind) =>
            {
                t.values.push(value)
            }
            _ => targets.push(Target {
                name,
                unit: Some(unit),
                values: vec![value],
            }),
        }
    }
    // A goal and its result, both as sentences: a lone sentence with a number is text.
    targets.retain(|t| t.values.len() >= 2);
    it.targets = targets;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_of_sentences() {
        let lex = Lexicon::builtin();
        let cases = [
            (
                "オンラインで受け付ける手続を20件とする。",
                Some(("オンラインで受け付ける手続", "20", 20.0, "件")),
            ),
            (
                "オンラインで受け付ける手続は18件であった。",
                Some(("オンラインで受け付ける手続", "18", 18.0, "件")),
            ),
            (
                "繁忙期の平均待ち時間を30分以内とする。",
                Some(("繁忙期の平均待ち時間", "30", 30.0, "分")),
            ),
            (
                "タブレットで行う会議を年120回とする。",
                Some(("タブレットで行う会議", "120", 120.0, "回")),
            ),
            (
                "口座振替の利用率は46%であった。",
                Some(("口座振替の利用率", "46", 46.0, "%")),
            ),
            (
                "寄附額が1,250千円となった。",
                Some(("寄附額", "1,250", 1250.0, "千円")),
            ),
            // Two numbers, no particle, a long tail, two sentences, no unit.
            ("令和3年度から20件を受け付ける。", None),
            ("20件を受け付ける。", None),
            ("手続を20件とし、窓口での受付を段階的に縮小していく。", None),
            ("手続を20件とする。窓口は残す。", None),
            ("手続を20とする。", None),
        ];
        for (text, want) in cases {
            let got = sentence_value(lex, text);
            assert_eq!(
                got.as_ref()
                    .map(|(n, p, x, u)| (n.as_str(), p.as_str(), *x, u.as_str())),
                want,
                "{text}"
            );
        }
    }

    /// A target's name, unit and (kind, year, number) of each value.
    type TargetSummary = (
        String,
        Option<String>,
        Vec<(ValueKind, Option<i32>, Option<f64>)>,
    );

    #[test]
    fn a_lone_sentence_makes_no_target() {
        let mut it: Item = serde_json::from_value(serde_json::json!({
            "id":"1","number":null,"parent":null,"title":"題","is_new":false,"section":null,
            "section_id":null,"department":null,"lead_department":null,"rating":null,
            "fields":[
                {"label":"実績","text":"寄附額は5,230万円であった。","role":"value.actual",
                 "source":{"page":null,"line":3}}
            ],
            "findings":[],"current_state":[],"plan":[],"targets":[],"schedule":[],
            "progress":[],"source":{"page":null,"line":3}
        }))
        .expect("item");
        sentence_targets(Lexicon::builtin(), &mut it, Some(2022));
        assert!(it.targets.is_empty());
    }

    #[test]
    fn goal_and_actual_sentences_make_one_target() {
        let mut it: Item = serde_json::from_value(serde_json::json!({
            "id":"1","number":null,"parent":null,"title":"題","is_new":false,"section":null,
            "section_id":null,"department":null,"lead_department":null,"rating":null,
            "fields":[
                {"label":"目標","text":"見直しの対象とする補助金を15件とする。","role":"target",
                 "source":{"page":null,"line":3}},
                {"label":"実績","text":"見直した補助金は9件であった。","role":"value.actual",
                 "source":{"page":null,"line":3}},
                {"label":"備考","text":"補助金は12件であった。","role":"field.remarks",
                 "source":{"page":null,"line":3}}
            ],
            "findings":[],"current_state":[],"plan":[],"targets":[],"schedule":[],
            "progress":[],"source":{"page":null,"line":3}
        }))
        .expect("item");
        sentence_targets(Lexicon::builtin(), &mut it, Some(2022));
        let got: Vec<TargetSummary> = it
            .targets
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.unit.clone(),
                    t.values
                        .iter()
                        .map(|v| (v.kind, v.fiscal_year, v.number))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![(
                "見直しの対象とする補助金".to_string(),
                Some("件".to_string()),
                vec![
                    (ValueKind::Goal, Some(2022), Some(15.0)),
                    (ValueKind::Actual, Some(2022), Some(9.0))
                ]
            )]
        );
    }
}
