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
