use super::*;

#[test]
fn options_checked_in_boxes() {
    let cases = [
        ("☑順調 ☐やや遅れ ☐遅れ", Some("順調")),
        ("□継続　■拡充　□縮小　□廃止", Some("拡充")),
        ("●達成 ○未達成", Some("達成")),
        // None checked, two checked, a finding, a list: no choice.
        ("☐順調 ☐遅れ", None),
        ("☑順調 ☑遅れ", None),
        ("○受講者の満足度が上がった。", None),
        ("■会議を開いた。■研修を行った。", None),
        ("順調", None),
    ];
    for (value, want) in cases {
        assert_eq!(checked_option(value).as_deref(), want, "{value}");
    }
}

#[test]
fn bare_grades() {
    let lex = Lexicon::builtin();
    for (cell, want) in [
        ("A", true),
        ("◎", true),
        ("順調", true),
        ("市民課", false),
        ("評価", false),
        ("12", false),
        ("あ", false),
    ] {
        assert_eq!(is_bare_grade(lex, cell), want, "{cell}");
    }
}

#[test]
fn rating_choice_columns_and_their_marks() {
    let lex = Lexicon::builtin();
    let headers = [
        ("達成", true),
        ("概ね達成", true),
        ("未達成", true),
        ("やや遅れ", true),
        // labels, years and other words are no choices
        ("評価", false),
        ("担当課", false),
        ("令和4年度", false),
        ("備考", false),
        ("■実施", false),
        ("", false),
        ("計画どおり進んでいるが一部で遅れが生じている", false),
    ];
    for (cell, want) in headers {
        assert_eq!(is_choice(lex, cell), want, "{cell}");
    }
    let marks = [
        ("●", true),
        (" ○ ", true),
        ("✓", true),
        ("レ", true),
        ("●●", false),
        ("3", false),
        ("達成", false),
        ("", false),
    ];
    for (cell, want) in marks {
        assert_eq!(is_choice_mark(cell), want, "{cell:?}");
    }
}

#[test]
fn notes_between_arrows() {
    let cases: [(&str, &[&str]); 5] = [
        ("→(利用促進等)→", &["利用促進等"]),
        ("→ (毎年度) → → (随時) →", &["毎年度", "随時"]),
        ("■見直し検討(随時)", &[]),
        ("→ → ※結果を踏まえ判断", &["結果を踏まえ判断"]),
        ("→ ※検討 → →", &["検討"]),
    ];
    for (text, want) in cases {
        assert_eq!(arrow_notes(text), want, "{text}");
    }
}

#[test]
fn wrapped_brackets_rejoin_their_milestone() {
    let cases = [
        ("■見直し検討\n(随時)", "■見直し検討(随時)"),
        ("■実施\n■見直し検討\n（随時）", "■実施\n■見直し検討（随時）"),
        ("→\n(毎年度) →", "→\n(毎年度) →"),
        ("■実施 (毎年度)", "■実施 (毎年度)"),
        ("■実施\n■導入", "■実施\n■導入"),
    ];
    for (text, want) in cases {
        assert_eq!(rejoin_wrapped_brackets(text), want, "{text}");
    }
}

#[test]
fn labels_at_the_end_of_a_title() {
    let lex = Lexicon::builtin();
    let cases = [
        (
            "制度の見直しこれまでの取組状況と今後の見通し",
            Some(("制度の見直し", "これまでの取組状況と今後の見通し")),
        ),
        ("事務事業の概要", None),
        ("これまでの取組状況と今後の見通し", None),
    ];
    for (title, want) in cases {
        let got = trailing_label(lex, title);
        assert_eq!(
            got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            want,
            "{title}"
        );
    }
}

#[test]
fn rows_named_by_their_kind_cell() {
    let cases = [
        ("令和５年度の内容", "計画", 1, "計画"),
        ("令和５年度の内容", " 実績 ", 1, "実績"),
        ("取組内容", "実績", 2, "取組内容（実績）"),
        ("備考", "計画", 3, "備考（計画）"),
    ];
    for (column, kind, n, want) in cases {
        assert_eq!(kind_row_label(column, kind, n), want, "{column} {kind} {n}");
    }
}

#[test]
fn bands_numbered_by_themselves() {
    // (band as printed, id, number, title)
    let cases = [
        ("1 継続中の取組", Some(("1", Some(1), "継続中の取組"))),
        (
            "2. 民間委託等の推進",
            Some(("2", Some(2), "民間委託等の推進")),
        ),
        ("(2) 歳入の確保", Some(("(2)", None, "歳入の確保"))),
        ("Ⅲ 組織の見直し", Some(("Ⅲ", None, "組織の見直し"))),
        // A year, a quantity, a kana letter or a number alone are no numbered band.
        ("2020年度の取組", None),
        ("3件の取組", None),
        ("ア 周知", None),
        ("12", None),
        ("継続中の取組", None),
    ];
    for (band, want) in cases {
        let got = numbered_band(band);
        let got = got
            .as_ref()
            .map(|s| (s.id.as_deref().unwrap_or(""), s.number, s.title.as_str()));
        assert_eq!(got, want, "{band}");
        if let Some(s) = numbered_band(band) {
            assert_eq!(s.text, band);
        }
    }
}

/// A 区分 column of a table: a cell naming a class of its own (`新規`, `完了`) is the item's field;
/// one naming a value kind (`計画`), one in a column before the number column, or one repeating
/// the item's section is not.
#[test]
fn class_columns_of_a_table() {
    let lex = Lexicon::builtin();
    let cases: [(&str, &[Option<&str>]); 2] = [
        (
            "架空市改革プラン(令和6年度)\n\nNo.\t区分\t取組項目\t担当課\t見直し後\t進捗率\n1\t新規\t窓口の改善\t市民課\t支所にも広げる\t40%\n2\t完了\t様式の削減\t総務課\t全課で行う\t100%",
            &[Some("新規"), Some("完了")],
        ),
        (
            "架空市改革プラン(令和6年度)\n\n区分\tNo.\t取組項目\t担当課\t目標額\t実績額\n歳出の削減\t1\t窓口の改善\t市民課\t100\t120\n\t2\t様式の削減\t総務課\t50\t40",
            &[None, None],
        ),
    ];
    for (text, want) in cases {
        let raw = crate::records::tab_lines(text);
        let (raw, ls) = crate::records::explode(&raw);
        let b = crate::records::build::build(lex, &ls, &raw, Some(2024), None);
        let got: Vec<Option<&str>> = b
            .items
            .iter()
            .map(|it| {
                it.fields
                    .iter()
                    .find(|f| f.label == "区分")
                    .map(|f| f.text.as_str())
            })
            .collect();
        assert_eq!(got, want, "{text}");
        // `新規` marks the item new.
        let new: Vec<bool> = b.items.iter().map(|it| it.is_new).collect();
        let want_new: Vec<bool> = want.iter().map(|w| *w == Some("新規")).collect();
        assert_eq!(new, want_new, "{text}");
    }
    assert!(is_other_class(lex, "継続"));
    assert!(!is_other_class(lex, "計画"));
    assert!(!is_other_class(lex, "－"));
}

/// Rows filling every column of a target table's header are its rows whatever their first cell
/// (a class of indicator that is also a label, `活動指標`); a row leaving a column empty, or whose
/// value cells hold text, ends the table.
#[test]
fn rows_filling_a_target_table() {
    let lex = Lexicon::builtin();
    let head = "架空市事業評価(令和5年度)\n\n事業番号\t1\n事業名\t配食サービス\n所管課\t福祉課\n指標区分\t指標名\t単位\t目標値\t実績値\t達成率\n";
    let tail = "\n評価\t継続\n事業番号\t2\n事業名\t相談窓口\n所管課\t福祉課\n評価\t継続";
    let cases: [(&str, &[(&str, usize)]); 3] = [
        (
            "活動指標\t配食回数\t回\t100\t95\t95.0%\n成果指標\t利用者数\t人\t50\t55\t110.0%",
            &[("配食回数", 3), ("利用者数", 3)],
        ),
        ("活動指標\t配食回数\t回\t100\t－\t－", &[("配食回数", 3)]),
        ("活動指標\t配食回数\t回\t多く\t少し\t半分", &[]),
    ];
    for (rows, want) in cases {
        let text = format!("{head}{rows}{tail}");
        let raw = crate::records::tab_lines(&text);
        let (raw, ls) = crate::records::explode(&raw);
        let b = crate::records::build::build(lex, &ls, &raw, Some(2023), None);
        let it = b.items.first().expect("item");
        let got: Vec<(&str, usize)> = it
            .targets
            .iter()
            .map(|t| (t.name.as_str(), t.values.len()))
            .collect();
        assert_eq!(got, want, "{rows}");
    }
}
