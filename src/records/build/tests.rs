use super::*;

#[test]
fn reads_a_small_card_report() {
    let lex = Lexicon::builtin();
    let text = "架空市改革報告書(令和4年度)\n評価 ◎:達成 ○:概ね達成 △:未達成\n改革項目\t1\t窓口の改善\t担当課\t市民課\n取組内容\t窓口を一本化する。\n実績\t○待ち時間が減った。\n評価\t◎\n改革項目\t2\t事務の削減\t担当課\t総務課\n取組内容\t様式を減らす。\n評価\t△";
    let raw: Vec<SourceLine> = crate::records::tab_lines(text);
    let (raw, ls) = super::super::explode(&raw);
    let b = build(lex, &ls, &raw, Some(2022), None);
    assert_eq!(b.items.len(), 2);
    let it = &b.items[0];
    assert_eq!(
        (it.id.as_str(), it.title.as_str(), it.department.as_deref()),
        ("1", "窓口の改善", Some("市民課"))
    );
    let r = it.rating.as_ref().expect("rating");
    assert_eq!(
        (
            r.text.as_str(),
            r.meaning.as_deref(),
            r.rank,
            r.code.as_deref()
        ),
        ("◎", Some("達成"), Some(1), Some("achieved"))
    );
    assert_eq!(it.findings.len(), 1);
    assert_eq!(it.findings[0].text, "待ち時間が減った。");
    assert_eq!(it.plan, ["窓口を一本化する。"]);
    assert_eq!(b.title.as_deref(), Some("架空市改革報告書(令和4年度)"));
    assert_eq!(b.rating_scale.as_ref().map(Vec::len), Some(3));
    assert_eq!(b.confidence, 1.0);
}

/// A target's values as (kind, fiscal year, number).
fn kinds_years_numbers(t: &Target) -> Vec<(ValueKind, Option<i32>, Option<f64>)> {
    t.values
        .iter()
        .map(|v| (v.kind, v.fiscal_year, v.number))
        .collect()
}

/// An item's fields as (label, text).
fn labels_and_texts(it: &Item) -> Vec<(&str, &str)> {
    it.fields
        .iter()
        .map(|f| (f.label.as_str(), f.text.as_str()))
        .collect()
}

fn built(text: &str) -> Built {
    let raw: Vec<SourceLine> = crate::records::tab_lines(text);
    let (raw, ls) = super::super::explode(&raw);
    build(Lexicon::builtin(), &ls, &raw, None, None)
}

/// A card report with yearly blocks: section headings printed again before every record, a
/// rating under its label, a year's goal as text, rule lines, a summary of counts.
const CARD: &str = "架空町改革プラン\n\n達成状況\t件数\n順調\t1\n遅れている\t1\n\n\
●重点項目1 窓口の改善\n\n改革項目\t1\t受付の一本化\t\t住民課\n------\t---\t-----\n\
現状\t・窓口が分かれている。\n数値目標\t目標名\t単位\t実績（R2）\t目標（R5）\n\
\t来庁者数\t人\t60万人\t65\n\n<R3期末報告>\n\n\
R3目標\t案内の統一\tR3進捗状況\n\t\t順調\n\
R3取組内容\t・案内板を更新した。\n\n\
●重点項目1 窓口の改善\n\n改革項目\t2\t様式の削減\t\t総務課\n\
現状\t・様式が多い。\n\n<R3期末報告>\n\n\
R3目標\t様式の見直し、統合\tR3進捗状況\n\t\t遅れている\n\
R3取組内容\t・様式を数えた。\n";

#[test]
fn card_with_yearly_blocks() {
    let b = built(CARD);
    assert_eq!(b.items.len(), 2);
    let secs: Vec<(Option<&str>, Option<u32>, &str)> = b
        .sections
        .iter()
        .map(|s| (s.id.as_deref(), s.number, s.title.as_str()))
        .collect();
    assert_eq!(secs, [(Some("1"), Some(1), "窓口の改善")]);
    let want = [
        ("1", "順調", "案内の統一", "案内板を更新した。"),
        ("2", "遅れている", "様式の見直し、統合", "様式を数えた。"),
    ];
    for (it, (id, rating, goal, done)) in b.items.iter().zip(want) {
        assert_eq!(it.id, id);
        assert_eq!(it.section_id.as_deref(), Some("1"), "{id}");
        assert_eq!(it.rating.as_ref().map(|r| r.text.as_str()), Some(rating));
        assert_eq!(it.progress.len(), 1, "{id}");
        let p = &it.progress[0];
        assert_eq!(p.fiscal_year, Some(2021), "{id}");
        assert_eq!(p.goal.as_deref(), Some(goal), "{id}");
        assert_eq!(p.activities, [done], "{id}");
        assert_eq!(it.current_state.len(), 1, "{id}");
        assert!(it.plan.is_empty(), "{id}");
        assert!(!it.fields.iter().any(|f| f.label.starts_with('-')), "{id}");
    }
    let t = &b.items[0].targets;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].name.as_str(), t[0].unit.as_deref()),
        ("来庁者数", Some("人"))
    );
    let vals = kinds_years_numbers(&t[0]);
    assert_eq!(
        vals,
        [
            (ValueKind::Baseline, Some(2020), Some(600_000.0)),
            (ValueKind::Goal, Some(2023), Some(65.0))
        ]
    );
    let declared: Vec<(&str, StatusCode, u32)> = b
        .declared
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|d| (d.status.as_str(), d.code, d.count))
        .collect();
    assert_eq!(
        declared,
        [
            ("順調", StatusCode::OnTrack, 1),
            ("遅れている", StatusCode::Behind, 1)
        ]
    );
    assert!(
        b.diagnostics
            .iter()
            .all(|d| d.code != "unassigned-text" || d.message.contains("架空町")),
        "{:#?}",
        b.diagnostics
    );
}

/// A table report: a two-row header with a spanning schedule column, a findings label written
/// at the end of the title cell or leading a sub-row in the title column.
const TABLE: &str = "架空市改革の進捗状況(令和2年度)\n\
No.\t項目名\t担当課\t取組内容\t取組の工程\t\n\
\t\t\t\t令和2年度\t令和3年度\n\
1\t窓口の統合 新規\t市民課\t■統合 ■案内\t■準備 ■開始\t→(運用)→\n\
\tこれまでの取組状況と今後の見通し\t\t○統合した。 ○案内を改めた。\t\t\n\
2\t様式の削減 これまでの取組状況と今後の見通し\t総務課\t■削減\t■検討\t→ → ※結果を踏まえ判断\n\
\t\t\t○様式を数えた。\t\t\n";

#[test]
fn table_with_schedule_and_findings_rows() {
    let b = built(TABLE);
    assert_eq!(b.items.len(), 2);
    /// (title, new, plan, findings, notes per year)
    type Want<'a> = (
        &'a str,
        bool,
        &'a [&'a str],
        &'a [&'a str],
        [&'a [&'a str]; 2],
    );
    let want: [Want; 2] = [
        (
            "窓口の統合",
            true,
            &["統合", "案内"],
            &["統合した。", "案内を改めた。"],
            [&[], &["運用"]],
        ),
        (
            "様式の削減",
            false,
            &["削減"],
            &["様式を数えた。"],
            [&[], &["結果を踏まえ判断"]],
        ),
    ];
    for (it, (title, new, plan, findings, notes)) in b.items.iter().zip(want) {
        assert_eq!((it.title.as_str(), it.is_new), (title, new));
        assert_eq!(it.plan, plan, "{title}");
        let f: Vec<&str> = it.findings.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(f, findings, "{title}");
        let labels: Vec<&str> = it.schedule.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["令和2年度", "令和3年度"], "{title}");
        let got: Vec<Vec<String>> = it.schedule.iter().map(|s| s.notes.clone()).collect();
        assert_eq!(
            got,
            notes.map(|n| n.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        );
    }
    assert_eq!(b.items[0].schedule[0].milestones, ["準備", "開始"]);
    assert!(b.items[1].schedule[1].continues);
}

#[test]
fn findings_sub_rows_read_alike_however_the_cells_fall() {
    // The second item's findings as a text prints them, and as PDFs do: the cell's two lines
    // as rows of their own, the label again in a cell of its own before the text.
    let head = "架空市改革の進捗状況(令和2年度)\n\
No.\t項目名\t担当課\t取組内容\t取組の工程\t\n\
\t\t\t\t令和2年度\t令和3年度\n\
1\t窓口の統合\t市民課\t■統合\t■準備\t→\n\
2\t様式の削減 これまでの取組状況と今後の見通し\t総務課\t■削減\t■検討\t→\n";
    let rows = [
        "\t\t\t○様式を数えた。 ○電子化を進める。\t\t\n",
        "\t\t\t○様式を数えた。\t\t\n\t\t\t○電子化を進める。\t\t\n",
        "\tこれまでの取組状況と今後の見通し\t○様式を数えた。 ○電子化を進める。\t\t\t\n",
        "\tこれまでの取組状況と今後の見通し\t○様式を数えた。\t\t\t\n\t\t○電子化を進める。\t\t\t\n",
    ];
    for row in rows {
        let b = built(&format!("{head}{row}"));
        assert_eq!(b.items.len(), 2, "{row}");
        let it = &b.items[1];
        assert_eq!(it.plan, ["削減"], "{row}");
        let f: Vec<&str> = it.findings.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(f, ["様式を数えた。", "電子化を進める。"], "{row}");
        let label = it.fields.iter().find(|f| f.text.contains("様式を数えた"));
        assert_eq!(
            label.map(|f| f.label.as_str()),
            Some("これまでの取組状況と今後の見通し"),
            "{row}"
        );
    }
}

#[test]
fn four_digit_ids_and_year_like_values() {
    // Items past 999, target values reaching 2000: an id of four digits is an item's, a
    // value like a year is a value.
    let card = |id: u32| {
        format!(
            "改革項目\t{id}\t手続きの見直し\t\t情報課\n\
実施内容・効果\t・手続きを見直す。\n\
数値目標\t目標名\t単位\t実績（R2）\t目標（R5）\n\
\t申請件数\t件\t{b}\t{g}\n",
            b = 1000 + id,
            g = 3000 + id
        )
    };
    let text = format!(
        "架空市の改革(令和3年度)\n{}{}{}",
        card(999),
        card(1000),
        card(1001)
    );
    let b =
        crate::parse_bytes(text.as_bytes(), "card.txt", &crate::Options::default()).expect("parse");
    let got: Vec<(&str, Vec<Option<f64>>)> = b
        .items
        .iter()
        .map(|it| {
            let v = it
                .targets
                .iter()
                .flat_map(|t| t.values.iter().map(|v| v.number));
            (it.id.as_str(), v.collect())
        })
        .collect();
    let want: Vec<(&str, Vec<Option<f64>>)> = vec![
        ("999", vec![Some(1999.0), Some(3999.0)]),
        ("1000", vec![Some(2000.0), Some(4000.0)]),
        ("1001", vec![Some(2001.0), Some(4001.0)]),
    ];
    assert_eq!(got, want);
    let years: Vec<Option<i32>> = b.items[1].targets[0]
        .values
        .iter()
        .map(|v| v.fiscal_year)
        .collect();
    assert_eq!(years, [Some(2020), Some(2023)]);
}

/// Plain-text cards whose labels end at a full-width space: each label its own field, the next
/// label never glued onto the field before it.
#[test]
fn labels_ended_by_a_full_width_space() {
    let b = built(
        "架空市の報告\n評価基準 Ａ:順調 Ｂ:遅れ\n(1) 題一\n\u{3000}担当部署\u{3000}財政課\n\
         \u{3000}取組内容\u{3000}基準を見直す。\n\u{3000}評価\u{3000}Ｂ\n\
         \u{3000}今後の方針\u{3000}続ける。\n(2) 題二\n\u{3000}担当部署\u{3000}企画課\n\
         \u{3000}評価\u{3000}Ａ",
    );
    assert_eq!(b.items.len(), 2);
    let it = &b.items[0];
    assert_eq!(it.department.as_deref(), Some("財政課"));
    assert_eq!(it.rating.as_ref().map(|r| r.text.as_str()), Some("B"));
    let fields = labels_and_texts(it);
    assert_eq!(
        fields,
        [
            ("取組内容", "基準を見直す。"),
            ("評価", "B"),
            ("今後の方針", "続ける。")
        ]
    );
}

/// A column of one year's goal holding text is a field (and the year's goal), not a target.
#[test]
fn text_in_a_year_goal_column_is_a_field() {
    let b = built(
        "番号\t取組項目\t所管課\t令和5年度目標\t令和5年度実績\n\
         1\t委託\t住民課\t範囲の拡大\t受付を委託した\n\
         2\t削減\t総務課\t5台\t3台",
    );
    assert_eq!(b.items.len(), 2);
    let it = &b.items[0];
    assert!(it.targets.is_empty(), "{:?}", it.targets);
    let fields = labels_and_texts(it);
    assert_eq!(
        fields,
        [
            ("令和5年度目標", "範囲の拡大"),
            ("令和5年度実績", "受付を委託した")
        ]
    );
    // A quantity in the same column is still a target value.
    assert_eq!(b.items[1].targets.first().map(|t| t.values.len()), Some(2));
}

/// A target table with its years across and its value kinds down (`目標 | …`, `実績 | …`): the
/// corner names the target and its unit; a 合計 column is of no one year. Items numbered from 3.
#[test]
fn value_kinds_down_the_first_column() {
    let b = built(
        "架空村報告 令和4年度\nNo.3\t題一\t担当\t総務課\n効果額(千円)\tR3\tR4\t合計\n\
         目標\t1,000\t2,000\t3,000\n実績\t800\t▲200\t600\nNo.4\t題二\t担当\t財政課\n概要\t本文。",
    );
    assert_eq!(b.items.len(), 2);
    let t = &b.items[0].targets;
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(
        (t[0].name.as_str(), t[0].unit.as_deref()),
        ("効果額", Some("千円"))
    );
    let got = kinds_years_numbers(&t[0]);
    assert_eq!(
        got,
        [
            (ValueKind::Goal, Some(2021), Some(1000.0)),
            (ValueKind::Goal, Some(2022), Some(2000.0)),
            (ValueKind::Goal, None, Some(3000.0)),
            (ValueKind::Actual, Some(2021), Some(800.0)),
            (ValueKind::Actual, Some(2022), Some(-200.0)),
            (ValueKind::Actual, None, Some(600.0)),
        ]
    );
    assert!(b.items[0].fields.is_empty(), "{:?}", b.items[0].fields);
}

/// A target label with text and no table after it keeps its text as a field, in printed order.
#[test]
fn a_target_name_without_its_table_is_kept() {
    let b = built(
        "No.1\t題一\t担当\t総務課\n概要\t本文。\n目標\t1,000 2,000\n実績\t800 2,300\n\
         No.2\t題二\t担当\t財政課\n概要\t本文。",
    );
    let labels = labels_and_texts(&b.items[0]);
    assert_eq!(
        labels,
        [
            ("概要", "本文。"),
            ("目標", "1,000 2,000"),
            ("実績", "800 2,300")
        ]
    );
}

/// Kanji-numeral ids with titles wrapped under their first character, labels in round brackets,
/// departments heading groups of items, and pairs of labels on one line making a target.
#[test]
fn wrapped_titles_bracketed_labels_and_group_departments() {
    let b = built(
        "架空町の報告\n<総務課>\n一\u{3000}補助金の基準の明確化と\n\u{3000}\u{3000}整理合理化\n\
         \u{3000}（評価）○\n\u{3000}（成果）十件を廃止した。\n\
         二\u{3000}公用車の集中管理\n\u{3000}（評価）◎\n<税務課>\n\
         三\u{3000}収納率の向上\n\u{3000}目標：収納率 98％\u{3000}\u{3000}実績：98.5％\u{3000}\u{3000}評価：○",
    );
    let got: Vec<(&str, &str, Option<&str>)> = b
        .items
        .iter()
        .map(|it| (it.id.as_str(), it.title.as_str(), it.department.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("一", "補助金の基準の明確化と整理合理化", Some("総務課")),
            ("二", "公用車の集中管理", Some("総務課")),
            ("三", "収納率の向上", Some("税務課")),
        ]
    );
    assert_eq!(
        labels_and_texts(&b.items[0]),
        [("評価", "○"), ("成果", "十件を廃止した。")]
    );
    let t = &b.items[2].targets;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].name.as_str(), t[0].unit.as_deref()),
        ("収納率", Some("%"))
    );
    let kinds: Vec<(ValueKind, Option<f64>)> =
        t[0].values.iter().map(|v| (v.kind, v.number)).collect();
    assert_eq!(
        kinds,
        [
            (ValueKind::Goal, Some(98.0)),
            (ValueKind::Actual, Some(98.5))
        ]
    );
    assert_eq!(
        b.items[2].rating.as_ref().map(|r| r.text.as_str()),
        Some("○")
    );
}

#[test]
fn title_columns() {
    assert_eq!(title_column("一\u{3000}題", "一"), Some(4));
    assert_eq!(title_column("\u{3000}十一 題", "十一"), Some(7));
    assert_eq!(title_column("①題", "①"), None);
    let lex = Lexicon::builtin();
    assert!(title_continues(
        lex,
        "\u{3000}\u{3000}整理合理化",
        4,
        "明確化と"
    ));
    assert!(!title_continues(
        lex,
        "\u{3000}（担当）総務課",
        4,
        "明確化と"
    ));
    assert!(!title_continues(lex, "\u{3000}整理合理化", 4, "明確化と"));
    assert!(!title_continues(
        lex,
        "\u{3000}\u{3000}本文を書いた。",
        4,
        "題"
    ));
}

/// Built from a tab-separated text in the report year 2022.
fn built_2022(text: &str) -> Built {
    let raw: Vec<SourceLine> = crate::records::tab_lines(text);
    let (raw, ls) = super::super::explode(&raw);
    build(Lexicon::builtin(), &ls, &raw, Some(2022), None)
}

/// An item as (id, department, rating text, rating meaning).
type ItemSummary = (String, Option<String>, Option<String>, Option<String>);

/// Each item as (id, department, rating text, rating meaning).
fn summary(b: &Built) -> Vec<ItemSummary> {
    b.items
        .iter()
        .map(|it| {
            (
                it.id.clone(),
                it.department.clone(),
                it.rating.as_ref().map(|r| r.text.clone()),
                it.rating.as_ref().and_then(|r| r.meaning.clone()),
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

/// Shapes first met in reports of layouts not seen before: a legend of numbered grades under its
/// heading (no run of items), codes whose hundreds are the section, a legend table after the last
/// record, two grades on one line under a bracketed label, and a department label alone on its
/// line with a value that closes two cards alike.
#[test]
fn legends_under_headings_codes_and_labels_alone() {
    type Want = Vec<ItemSummary>;
    let row = |id: &str, dept: Option<&str>, r: &str, m: &str| {
        (id.to_string(), dept.map(str::to_string), s(r), s(m))
    };
    let cases: [(&str, Want); 4] = [
        (
            "架空市改革報告\n【評価の区分】\n　５　計画を上回る\n　３　計画どおり\n　１　未着手\n\n101　窓口の改善\n　評価：５\n102　様式の削減\n　評価：３\n201　施設の統合\n　評価：１",
            vec![
                row("101", None, "5", "計画を上回る"),
                row("102", None, "3", "計画どおり"),
                row("201", None, "1", "未着手"),
            ],
        ),
        (
            "架空町報告\n番号\t取組項目\t担当課\t評価\n1-1\t窓口の改善\t市民課\tⅠ\n1-2\t様式の削減\t総務課\tⅡ\n\n評価区分\nⅠ\t実施した\nⅡ\t一部実施した\nⅢ\t未着手",
            vec![
                row("1-1", Some("市民課"), "Ⅰ", "実施した"),
                row("1-2", Some("総務課"), "Ⅱ", "一部実施した"),
            ],
        ),
        (
            "架空村報告\n１．窓口の改善【総務課】\n〔評価〕\n自己評価：Ａ　　外部評価：Ｂ\n２．様式の削減【企画課】\n〔評価〕\n自己評価：Ｂ　　外部評価：Ｂ\n\n評価の基準\nＡ：実施　Ｂ：一部実施",
            vec![
                row("1", Some("総務課"), "A", "実施"),
                row("2", Some("企画課"), "B", "一部実施"),
            ],
        ),
        (
            "架空市報告\n\n取組項目　No.１　窓口の改善\n担当部署\n　市民部市民課\n進捗状況\n　Ａ（順調）\n\n取組項目　No.２　様式の削減\n担当部署\n　総務部総務課\n進捗状況\n　Ａ（順調）",
            vec![
                row("1", Some("市民部市民課"), "A", "順調"),
                row("2", Some("総務部総務課"), "A", "順調"),
            ],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(summary(&built_2022(text)), want, "{text}");
    }
}

/// `KPI：name　目標 amount　実績 amount`: one target, its values labelled after its name.
#[test]
fn an_indicator_with_labelled_amounts_on_one_line() {
    let b = built_2022("架空市報告\n１　窓口の改善\n　KPI：申請件数　目標 1,000件　実績 1,284件\n２　様式の削減\n　KPI：様式数　目標値 ▲20件　実績値 ▲25件");
    type Named = (
        String,
        Option<String>,
        Vec<(ValueKind, Option<i32>, Option<f64>)>,
    );
    let got: Vec<Named> = b
        .items
        .iter()
        .flat_map(|it| &it.targets)
        .map(|t| (t.name.clone(), t.unit.clone(), kinds_years_numbers(t)))
        .collect();
    assert_eq!(
        got,
        [
            (
                "申請件数".to_string(),
                s("件"),
                vec![
                    (ValueKind::Goal, Some(2022), Some(1000.0)),
                    (ValueKind::Actual, Some(2022), Some(1284.0))
                ]
            ),
            (
                "様式数".to_string(),
                s("件"),
                vec![
                    (ValueKind::Goal, Some(2022), Some(-20.0)),
                    (ValueKind::Actual, Some(2022), Some(-25.0))
                ]
            )
        ]
    );
}

/// An amount named by its label (`効果額（千円）　計画 1,200　実績 1,350`), a schedule of years
/// on one line, a `目標` column of text beside `実績` (fields, not a target's name), and the
/// lines after a legend that follows the last record (back matter, not its content).
#[test]
fn labels_naming_amounts_schedules_and_back_matter() {
    let b = built_2022("架空町報告\n\nNo.01　窓口の改善\n　担当課　　総務課\n　スケジュール　R4 選定 → R5 導入\n　効果額（千円）　計画 1,200　実績 1,350\n　評価　Ａ\n\nNo.02　様式の削減\n　担当課　　企画課\n　評価　Ｂ\n\n評価の区分　Ａ：達成　Ｂ：未達成\n\n令和５年３月\n架空町総務課");
    let it = &b.items[0];
    let t = &it.targets[0];
    assert_eq!(
        (t.name.as_str(), t.unit.as_deref(), kinds_years_numbers(t)),
        (
            "効果額",
            Some("千円"),
            vec![
                (ValueKind::Plan, Some(2022), Some(1200.0)),
                (ValueKind::Actual, Some(2022), Some(1350.0))
            ]
        )
    );
    let steps: Vec<(Option<i32>, &str)> = it
        .schedule
        .iter()
        .map(|s| (s.fiscal_year, s.text.as_str()))
        .collect();
    assert_eq!(steps, [(Some(2022), "選定"), (Some(2023), "導入")]);
    // The date and the office after the legend are in no field of the last record.
    let last = b.items.last().map(|it| {
        it.fields
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
    });
    assert_eq!(last, Some(vec!["B"]));
    let b = built_2022("架空市報告\nNo.\t取組名\t所管課\t目標\t実績\n1\t窓口の改善\t市民課\t全窓口で実施\t本庁で実施\n2\t様式の削減\t総務課\t様式の半減\t3割を削減");
    let it = &b.items[0];
    assert!(it.targets.is_empty(), "{:?}", it.targets);
    assert_eq!(
        it.fields
            .iter()
            .map(|f| (f.label.as_str(), f.text.as_str()))
            .collect::<Vec<_>>(),
        [("目標", "全窓口で実施"), ("実績", "本庁で実施")]
    );
}

/// A column left of the number: a category over its rows is a section; a column headed as the
/// department is each item's department, not a section.
#[test]
fn column_left_of_the_number() {
    let lex = Lexicon::builtin();
    // (header's first cell, first cell of each row, want (section, department) per item)
    type Case = (
        &'static str,
        [&'static str; 2],
        [(Option<&'static str>, Option<&'static str>); 2],
    );
    let cases: [Case; 2] = [
        (
            "区分",
            ["歳出の削減", ""],
            [
                (Some("歳出の削減"), Some("総務課")),
                (Some("歳出の削減"), Some("財政課")),
            ],
        ),
        (
            "担当課",
            ["総務課", "財政課"],
            [(None, Some("総務課")), (None, Some("財政課"))],
        ),
    ];
    for (head, firsts, want) in cases {
        let dept_col = if head == "担当課" {
            ""
        } else {
            "\t担当課"
        };
        let row = |first: &str, no: &str, title: &str, dept: &str| {
            if head == "担当課" {
                format!("{first}\t{no}\t{title}\t実施中")
            } else {
                format!("{first}\t{no}\t{title}\t{dept}\t実施中")
            }
        };
        let text = format!(
            "架空町改革報告\n{head}\t番号\t取組項目{dept_col}\t進捗\n{}\n{}",
            row(firsts[0], "1", "窓口の改善", "総務課"),
            row(firsts[1], "2", "使用料の見直し", "財政課"),
        );
        let raw: Vec<SourceLine> = crate::records::tab_lines(&text);
        let (raw, ls) = super::super::explode(&raw);
        let b = build(lex, &ls, &raw, Some(2022), None);
        let got: Vec<(Option<&str>, Option<&str>)> = b
            .items
            .iter()
            .map(|i| (i.section.as_deref(), i.department.as_deref()))
            .collect();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn ratings_in_brackets_closing_a_title() {
    let lex = Lexicon::builtin();
    let cases = [
        (
            "地区懇談会の開催【順調】",
            Some(("地区懇談会の開催", "順調")),
        ),
        (
            "地区懇談会の開催〔順調〕",
            Some(("地区懇談会の開催", "順調")),
        ),
        ("窓口の混雑緩和［A］", Some(("窓口の混雑緩和", "A"))),
        ("窓口の混雑緩和≪遅れ≫", Some(("窓口の混雑緩和", "遅れ"))),
        // Not a rating: a department, or brackets that open nothing.
        ("窓口の混雑緩和【市民課】", None),
        ("窓口の混雑緩和】", None),
    ];
    for (title, want) in cases {
        let got = trailing_rating(lex, title);
        assert_eq!(
            got.as_ref().map(|(h, w)| (h.as_str(), w.as_str())),
            want,
            "{title}"
        );
    }
}

/// A list of grades by number after the list of items, its legend between the two: the legend
/// is the report's and each grade joins the item of its number.
#[test]
fn grades_listed_apart_join_their_items() {
    let lex = Lexicon::builtin();
    let text = "架空市改革報告(令和2年度)\n\n番号\t取組項目\t担当課\t取組の概要\n1\t窓口の改善\t市民課\t窓口を一本化する。\n2\t様式の削減\t総務課\t様式を減らす。\n\n2 評価一覧\n\n評価の区分 ◎:達成 ○:概ね達成 △:未達成\n\n番号\t評価\t評価の理由\n1\t◎\t一本化を終えた。\n2\t△\t一部にとどまった。";
    let raw: Vec<SourceLine> = crate::records::tab_lines(text);
    let (raw, ls) = super::super::explode(&raw);
    let b = build(lex, &ls, &raw, Some(2020), None);
    let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = b
        .items
        .iter()
        .map(|it| {
            let r = it.rating.as_ref();
            (
                it.id.as_str(),
                it.title.as_str(),
                r.map(|r| r.text.as_str()),
                r.and_then(|r| r.meaning.as_deref()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("1", "窓口の改善", Some("◎"), Some("達成")),
            ("2", "様式の削減", Some("△"), Some("未達成")),
        ]
    );
    assert_eq!(b.rating_scale.as_ref().map(Vec::len), Some(3));
    assert!(b.sections.iter().all(|s| !s.title.contains('◎')));
}

/// A progress word in brackets closing the item's unlabelled paragraph is its rating, taken out of
/// the text; a labelled field, a bracket that is no rating word, or a word inside the text is not.
#[test]
fn ratings_in_brackets_closing_a_paragraph() {
    let lex = Lexicon::builtin();
    let field = |label: &str, text: &str| FieldText {
        label: label.into(),
        text: text.into(),
        role: None,
        source: Provenance::default(),
    };
    let cases: [(Vec<FieldText>, Option<&str>, &str); 5] = [
        (
            vec![field("", "収納率は98.6%となった。【順調】")],
            Some("順調"),
            "収納率は98.6%となった。",
        ),
        (
            vec![field("", "改定は令和5年度に\n持ち越した。【やや遅れ】")],
            Some("やや遅れ"),
            "改定は令和5年度に\n持ち越した。",
        ),
        (
            vec![field("実施状況", "点検した。【完了】")],
            None,
            "点検した。【完了】",
        ),
        (
            vec![field("", "点検した。【総務課】")],
            None,
            "点検した。【総務課】",
        ),
        (
            vec![field("", "【完了】の取組を点検した。")],
            None,
            "【完了】の取組を点検した。",
        ),
    ];
    for (mut fields, want, text) in cases {
        let got = closing_rating(lex, &mut fields);
        assert_eq!(got.as_deref(), want, "{text}");
        assert_eq!(fields[0].text, text);
    }
}

/// A target as compared in tests: its name, unit and values (kind, year, text).
type TargetShape<'a> = (&'a str, Option<&'a str>, Vec<(&'a str, i32, &'a str)>);
/// [`TargetShape`] written as a table case.
type TargetCase<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, i32, &'a str)]);

/// Years running down a target table under an empty corner or `年度` (`令和４年度 | 2 | 2` under
/// `　| 目標 | 実績`), the target named by the `指標名` line above it: a goal and an actual per year.
#[test]
fn target_tables_with_years_running_down() {
    let lex = Lexicon::builtin();
    let head = "架空村改革報告(令和5年度)\n\n取組1 窓口の委託\n担当課:住民課\n";
    let cases: [(&str, &[TargetCase]); 3] = [
        (
            "指標名:委託した業務の数(業務)\n\t目標\t実績\n令和4年度\t2\t2\n令和5年度\t4\t-\n評価:B",
            &[(
                "委託した業務の数",
                Some("業務"),
                &[("goal", 2022, "2"), ("actual", 2022, "2"), ("goal", 2023, "4"), ("actual", 2023, "-")],
            )],
        ),
        (
            "指標名:寄附額(千円)\n年度\t目標\t実績\n令和4年度\t100\t120\n評価:B",
            &[("寄附額", Some("千円"), &[("goal", 2022, "100"), ("actual", 2022, "120")])],
        ),
        // Two indicators, each over its own table.
        (
            "指標名:利用者数(人)\n\t目標\t実績\n令和5年度\t10\t9\n指標名:経費(千円)\n\t目標\t実績\n令和5年度\t30\t31\n評価:B",
            &[
                ("利用者数", Some("人"), &[("goal", 2023, "10"), ("actual", 2023, "9")]),
                ("経費", Some("千円"), &[("goal", 2023, "30"), ("actual", 2023, "31")]),
            ],
        ),
    ];
    for (body, want) in cases {
        let text = format!("{head}{body}\n取組2 様式の削減\n担当課:総務課\n評価:A");
        let raw: Vec<SourceLine> = crate::records::tab_lines(&text);
        let (raw, ls) = super::super::explode(&raw);
        let b = build(lex, &ls, &raw, Some(2023), None);
        let it = b.items.first().expect("item");
        let got: Vec<TargetShape> = it
            .targets
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.unit.as_deref(),
                    t.values
                        .iter()
                        .map(|v| {
                            (
                                v.kind.as_str(),
                                v.fiscal_year.unwrap_or(0),
                                v.text.as_deref().unwrap_or(""),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        let want: Vec<TargetShape> = want.iter().map(|(n, u, v)| (*n, *u, v.to_vec())).collect();
        assert_eq!(got, want, "{body}");
        assert!(it.fields.iter().all(|f| f.label != "指標名"), "{body}");
    }
}
