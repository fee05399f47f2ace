//! Small reports read end to end, one per convention: grades in a row of year columns under a
//! headed legend, a goal and its result as sentences, yearly amounts under a unit note with
//! sections' sums and a grand total, and departments named by their part.

use super::build::{build, Built};
use crate::fields::lexicon::Lexicon;
use crate::model::ValueKind;
use crate::source::SourceLine;

fn built(text: &str, year: i32) -> Built {
    let raw: Vec<SourceLine> = super::tab_lines(text);
    let (raw, ls) = super::explode(&raw);
    build(Lexicon::builtin(), &ls, &raw, Some(year), None)
}

/// Each item's (id, rating text, rating meaning).
fn grades(b: &Built) -> Vec<(String, Option<String>, Option<String>)> {
    b.items
        .iter()
        .map(|it| {
            (
                it.id.clone(),
                it.rating.as_ref().map(|r| r.text.clone()),
                it.rating.as_ref().and_then(|r| r.meaning.clone()),
            )
        })
        .collect()
}

#[test]
fn grade_of_the_report_year_under_a_headed_legend() {
    let text = "架空市改革計画　令和3年度評価\n\n評価の記号　◎：達成　△：未達成\n\n\
                No.\t取組項目\t担当課\t内容\t令和2年度\t令和3年度\n\
                1-1\t窓口の改善\t市民課\t受付を一本化する。\t△\t◎\n\
                1-2\t様式の削減\t総務課\t様式を減らす。\t◎\t△\n";
    let b = built(text, 2021);
    assert_eq!(
        grades(&b),
        [
            ("1-1".into(), Some("◎".into()), Some("達成".into())),
            ("1-2".into(), Some("△".into()), Some("未達成".into())),
        ]
    );
    assert_eq!(b.rating_scale.as_ref().map(Vec::len), Some(2));
    // The year columns stay the schedule too.
    assert_eq!(b.items[0].schedule.len(), 2);
}

#[test]
fn a_plan_of_steps_under_a_legend_is_no_grade() {
    // Columns past the report's year, a legend headed 区分: steps of a plan.
    let text =
        "架空町実施計画　令和3年度版\n\n区分　実施：取組を実施する　検討：実施に向けて検討する\n\n\
                番号\t実施項目\t担当課\t令和3年度\t令和4年度\n\
                1\t窓口の改善\t町民課\t検討\t実施\n\
                2\t様式の削減\t総務課\t実施\t実施\n";
    let b = built(text, 2021);
    assert!(
        b.items.iter().all(|it| it.rating.is_none()),
        "{:?}",
        grades(&b)
    );
    assert!(b.rating_scale.is_none());
}

#[test]
fn goal_and_result_sentences_make_a_target() {
    let text = "架空市改革計画　令和3年度評価\n\n\
                No.\t取組項目\t担当課\t目標\t実績\n\
                1\t電子申請の拡大\t情報課\t電子申請できる手続を３０件とする。\t電子申請できる手続は２６件であった。\n\
                2\t窓口の改善\t市民課\t待ち時間を減らす。\t待ち時間は１５分であった。\n";
    let b = built(text, 2021);
    let t = &b.items[0].targets;
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(
        (t[0].name.as_str(), t[0].unit.as_deref()),
        ("電子申請できる手続", Some("件"))
    );
    let values: Vec<(ValueKind, Option<i32>, Option<f64>)> = t[0]
        .values
        .iter()
        .map(|v| (v.kind, v.fiscal_year, v.number))
        .collect();
    assert_eq!(
        values,
        [
            (ValueKind::Goal, Some(2021), Some(30.0)),
            (ValueKind::Actual, Some(2021), Some(26.0)),
        ]
    );
    // A result sentence with no goal sentence stays text.
    assert!(b.items[1].targets.is_empty());
    assert_eq!(b.items[0].fields.len(), 2);
}

#[test]
fn yearly_amounts_under_a_unit_note_with_sums_and_a_grand_total() {
    let text = "架空市集中改革プラン　令和3年度\n\n効果額の単位　千円\n\n１　歳出の削減\n\n\
                番号\t取組事項\t担当課\t令和2年度\t令和3年度\n\
                1\t補助金の見直し\t財政課\t1,000\t2,000\n\
                2\t事務の委託\t総務課\t0\t500\n\
                \t合計\t\t1,000\t2,500\n\n\
                ２　歳入の確保\n\n\
                番号\t取組事項\t担当課\t令和2年度\t令和3年度\n\
                3\t使用料の改定\t管財課\t300\t300\n\
                \t合計\t\t300\t300\n\n\
                総合計\t\t\t1,300\t2,800\n";
    let b = built(text, 2021);
    assert_eq!(b.items.len(), 3);
    for it in &b.items {
        assert!(it.schedule.is_empty(), "{}: {:?}", it.id, it.schedule);
        assert!(it.fields.is_empty(), "{}: {:?}", it.id, it.fields);
        let t = it.targets.first().expect("target");
        assert_eq!(
            (t.name.as_str(), t.unit.as_deref()),
            ("効果額", Some("千円"))
        );
    }
    let second: Vec<(ValueKind, Option<i32>, Option<f64>)> = b.items[1].targets[0]
        .values
        .iter()
        .map(|v| (v.kind, v.fiscal_year, v.number))
        .collect();
    assert_eq!(
        second,
        [
            (ValueKind::Actual, Some(2020), Some(0.0)),
            (ValueKind::Actual, Some(2021), Some(500.0)),
        ]
    );
    let totals: Vec<(String, Option<String>, Vec<Option<f64>>)> = b
        .totals
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.unit.clone(),
                t.values.iter().map(|v| v.number).collect(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        [(
            "総合計".to_string(),
            Some("千円".to_string()),
            vec![Some(1300.0), Some(2800.0)]
        )]
    );
}

#[test]
fn the_lead_of_departments_named_by_part() {
    let text = "架空町実施計画　令和3年度版\n\n\
                番号\t実施項目\t担当課\t内容\n\
                1\t窓口の改善\t主：町民課　副：総務課\t受付を一本化する。\n\
                2\t様式の削減\t主：総務課\t様式を減らす。\n";
    let b = built(text, 2021);
    let depts: Vec<Option<&str>> = b.items.iter().map(|it| it.department.as_deref()).collect();
    assert_eq!(depts, [Some("町民課"), Some("総務課")]);
    assert!(b
        .diagnostics
        .iter()
        .any(|d| d.code == "other-department" && d.message.contains("総務課")));
}

/// The patterns built ahead on another thread (built, not run there) read ids and year labels as
/// ever on this one.
#[test]
fn patterns_built_ahead_read_the_same() {
    std::thread::spawn(super::warm_up).join().expect("warm up");
    let years: [(&str, Option<i32>); 6] = [
        ("R1", Some(2019)),
        ("令和3年度", Some(2021)),
        ("H30", Some(2018)),
        ("2022年度", Some(2022)),
        ("平成31年度（令和元年度）", Some(2019)),
        ("R1 目標", None),
    ];
    for (cell, want) in years {
        assert_eq!(super::year_label(cell), want, "{cell}");
    }
    let ids: [(&str, Option<(&str, &str)>); 3] = [
        ("1 題", Some(("1", "題"))),
        ("2-3　窓口の一本化", Some(("2-3", "窓口の一本化"))),
        ("題だけ", None),
    ];
    for (cell, want) in ids {
        let got = super::ids::id_at_start(cell).map(|t| (t.text, t.rest));
        let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
        assert_eq!(got, want, "{cell}");
    }
}
