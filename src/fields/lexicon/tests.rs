use super::*;
use Canonical as C;
use Role::*;
use ValueKind as V;

fn lex() -> &'static Lexicon {
    Lexicon::builtin()
}

#[test]
fn builtin_parses() {
    let l = Lexicon::from_toml("lexicon/default.toml", BUILTIN_TOML).unwrap();
    assert!(l.labels.len() > 300, "{}", l.labels.len());
    assert!(l.ratings.len() > 80);
    assert_eq!(lex().labels.len(), l.labels.len());
    let listed: Vec<(&str, &[Role])> = l.labels().collect();
    assert_eq!(listed.len(), l.labels.len());
    assert!(listed.contains(&("取組項目", &[Record, Title][..])));
    // The built-in lexicon is read from the JSON the build writes: the same as its TOML.
    let b = lex();
    assert_eq!(b.labels, l.labels);
    assert_eq!(b.labels_by_len, l.labels_by_len);
    assert_eq!(b.section_words, l.section_words);
    assert_eq!(b.ratings, l.ratings);
    assert_eq!(b.marks, l.marks);
    assert_eq!(b.mark_chars, l.mark_chars);
    assert_eq!(b.mark_span, l.mark_span);
    assert_eq!(b.units, l.units);
    assert_eq!(b.department_suffixes, l.department_suffixes);
    assert_eq!(b.new_flags, l.new_flags);
    assert_eq!(b.continued_marks, l.continued_marks);
    assert_eq!(b.derived_rows, l.derived_rows);
    assert_eq!(b.name_trailers, l.name_trailers);
}

#[test]
fn role_keys_round_trip() {
    for (k, r) in ROLE_KEYS {
        assert_eq!(Role::from_key(k), Some(*r));
        assert_eq!(r.key(), *k);
    }
    assert_eq!(Role::from_key("nope"), None);
}

#[test]
fn rule_strip_brackets() {
    let cases = [
        ("【現状と課題】", "現状と課題"),
        ("[担当課]", "担当課"),
        ("〈備考〉", "備考"),
        ("<R3実績>", "R3実績"),
        ("《課題》", "課題"),
        ("〔今後の方針〕", "今後の方針"),
        ("効果額(千円)", "効果額(千円)"),
    ];
    for (s, want) in cases {
        assert_eq!(strip_brackets(s), want, "{s}");
    }
}

#[test]
fn rule_remove_spaces_and_colons() {
    assert_eq!(remove_spaces("担 当　課 "), "担当課");
    let cases = [
        ("担当課：", "担当課"),
        ("担当課:", "担当課"),
        ("担当課::", "担当課"),
        ("担当課", "担当課"),
    ];
    for (s, want) in cases {
        assert_eq!(strip_trailing_colons(s), want, "{s}");
    }
}

#[test]
fn rule_strip_leading_marks() {
    let cases = [
        ("■現状", "現状"),
        ("◆課題", "課題"),
        ("○備考", "備考"),
        ("現状", "現状"),
    ];
    for (s, want) in cases {
        assert_eq!(strip_leading_marks(s), want, "{s}");
    }
}

#[test]
fn rule_strip_paren_suffix() {
    let cases = [
        ("効果額(千円)", None, "効果額"),
        ("効果額（千円）", None, "効果額"),
        ("職員数削減(人)", None, "職員数削減"),
        ("目標値(R7)", Some(2025), "目標値"),
        ("実績(令和3年度)", Some(2021), "実績"),
        ("目標(2025年度)", Some(2025), "目標"),
        ("目標(最終)", None, "目標"),
        ("(千円)", None, "(千円)"),
        ("現状", None, "現状"),
        ("目標(a(b))", None, "目標"),
    ];
    for (s, y, base) in cases {
        assert_eq!(strip_paren_suffix(s), (y, base), "{s}");
    }
}

#[test]
fn rule_strip_year_prefix() {
    let cases = [
        ("令和4年度の取組状況", Some(2022), "取組状況"),
        ("令和3年度取組状況", Some(2021), "取組状況"),
        ("令和元年度実績", Some(2019), "実績"),
        ("R4計画", Some(2022), "計画"),
        ("R4年度実績", Some(2022), "実績"),
        ("H29実績", Some(2017), "実績"),
        ("平成30年度の実績", Some(2018), "実績"),
        ("2022年度実績", Some(2022), "実績"),
        ("2022年度の目標", Some(2022), "目標"),
        ("R7年度末目標値", Some(2025), "目標値"),
        ("(R3)実績", Some(2021), "実績"),
        ("令和4年度", None, "令和4年度"),
        ("R4", None, "R4"),
        ("RPA導入", None, "RPA導入"),
        ("R4.3.31現在", None, "R4.3.31現在"),
        ("2022実績", None, "2022実績"),
        ("20220実績", None, "20220実績"),
        ("実績", None, "実績"),
    ];
    for (s, y, base) in cases {
        assert_eq!(strip_year_prefix(s), (y, base), "{s}");
    }
}

#[test]
fn rule_match_key() {
    let cases = [
        ("No.", "no"),
        ("NO", "no"),
        ("取組No.", "取組no"),
        ("KPI", "kpi"),
    ];
    for (s, want) in cases {
        assert_eq!(match_key(s), want, "{s}");
    }
}

#[test]
fn classify_exact() {
    let cases: &[(&str, &[Role], Option<i32>, &str)] = &[
        ("番号", &[Id], None, "番号"),
        ("Ｎｏ．", &[Id], None, "No."),
        ("NO", &[Id], None, "NO"),
        ("取組No.", &[Id], None, "取組No."),
        ("取組項目", &[Record, Title], None, "取組項目"),
        ("改革項目", &[Record, Title], None, "改革項目"),
        ("改革・改善項目", &[Record], None, "改革・改善項目"),
        ("取組番号", &[Id, Record], None, "取組番号"),
        ("項目名", &[Title], None, "項目名"),
        ("【担当課】", &[Department], None, "担当課"),
        ("担 当 課：", &[Department], None, "担当課"),
        ("所管部局", &[Department], None, "所管部局"),
        ("進捗状況", &[Rating], None, "進捗状況"),
        ("自己評価", &[Rating], None, "自己評価"),
        ("基本方針", &[Section], None, "基本方針"),
        ("数値目標", &[Target, TargetName], None, "数値目標"),
        ("指標", &[Target, TargetName], None, "指標"),
        ("ＫＰＩ", &[Target], None, "KPI"),
        ("目標", &[Target, Value(V::Goal)], None, "目標"),
        ("区分", &[ValueKindColumn], None, "区分"),
        ("単位", &[Unit], None, "単位"),
        ("現状値", &[Value(V::Baseline)], None, "現状値"),
        ("基準値", &[Value(V::Baseline)], None, "基準値"),
        ("目標値", &[Value(V::Goal)], None, "目標値"),
        ("計画額", &[Value(V::Plan)], None, "計画額"),
        ("実績値", &[Value(V::Actual)], None, "実績値"),
        ("達成率", &[Value(V::Rate)], None, "達成率"),
        ("取組の工程", &[Schedule], None, "取組の工程"),
        ("スケジュール", &[Schedule], None, "スケジュール"),
        (
            "現状",
            &[Value(V::Baseline), Field(C::CurrentState)],
            None,
            "現状",
        ),
        ("現状と課題", &[Field(C::CurrentState)], None, "現状と課題"),
        ("実施内容・効果", &[Field(C::Plan)], None, "実施内容・効果"),
        (
            "実績",
            &[Value(V::Actual), Field(C::Activities)],
            None,
            "実績",
        ),
        ("取組実績", &[Field(C::Activities)], None, "取組実績"),
        ("問題点", &[Field(C::Issues)], None, "問題点"),
        (
            "次年度に向けて",
            &[Field(C::NextSteps)],
            None,
            "次年度に向けて",
        ),
        (
            "課題と今後の方針",
            &[Field(C::NextSteps)],
            None,
            "課題と今後の方針",
        ),
        ("評価理由", &[Field(C::Remarks)], None, "評価理由"),
        ("備考", &[Field(C::Remarks)], None, "備考"),
        (
            "■現状",
            &[Value(V::Baseline), Field(C::CurrentState)],
            None,
            "現状",
        ),
        ("効果額（千円）", &[Field(C::Other)], None, "効果額"),
        ("R4計画", &[Value(V::Plan)], Some(2022), "計画"),
        (
            "R4実績",
            &[Value(V::Actual), Field(C::Activities)],
            Some(2022),
            "実績",
        ),
        (
            "令和4年度の取組状況",
            &[Field(C::Activities)],
            Some(2022),
            "取組状況",
        ),
        (
            "令和3年度　取組状況",
            &[Field(C::Activities)],
            Some(2021),
            "取組状況",
        ),
        ("目標値（R7）", &[Value(V::Goal)], Some(2025), "目標値"),
        (
            "【R3実績】",
            &[Value(V::Actual), Field(C::Activities)],
            Some(2021),
            "実績",
        ),
    ];
    for (label, roles, year, base) in cases {
        let m = lex()
            .classify(label)
            .unwrap_or_else(|| panic!("{label}: no match"));
        assert_eq!(m.roles, *roles, "{label}");
        assert_eq!(m.fiscal_year, *year, "{label}");
        assert_eq!(m.base, *base, "{label}");
        assert!(m.exact, "{label}");
    }
}

#[test]
fn classify_suffix() {
    let cases: &[(&str, &[Role], Option<i32>)] = &[
        ("主な課題", &[Field(C::Issues)], None),
        (
            "令和4年度の主な取組状況",
            &[Field(C::Activities)],
            Some(2022),
        ),
        ("これまでの取組実績", &[Field(C::Activities)], None),
        ("市の今後の方針", &[Field(C::NextSteps)], None),
        ("課題と今後の方向性", &[Field(C::NextSteps)], None),
        ("R5取組予定の内容", &[Field(C::Plan)], Some(2023)),
        (
            "人件費削減額実績",
            &[Value(V::Actual), Field(C::Activities)],
            None,
        ),
        ("事業費の計画額", &[Value(V::Plan)], None),
        ("事業No", &[Id], None),
        ("改革項目No.", &[Id], None),
    ];
    for (label, roles, year) in cases {
        let m = lex()
            .classify(label)
            .unwrap_or_else(|| panic!("{label}: no match"));
        assert_eq!(m.roles, *roles, "{label}");
        assert_eq!(m.fiscal_year, *year, "{label}");
        assert!(!m.exact, "{label}");
    }
}

#[test]
fn classify_none() {
    for label in [
        "評価方法",
        "課題解決に向けて検討する事項の一覧表",
        "",
        "【】",
        "：",
        "令和4年度",
        "担当者名簿の整備方針案",
    ] {
        assert_eq!(lex().classify(label), None, "{label}");
    }
}

#[test]
fn never_a_prefix_match() {
    // 評価理由 starts with the rating label 評価 but is remarks.
    let m = lex().classify("評価理由").unwrap();
    assert_eq!(m.roles, vec![Field(C::Remarks)]);
    // 担当課長 starts with 担当課 but is no listed label and no suffix of one.
    assert_eq!(lex().classify("担当課長印"), None);
}

#[test]
fn rating_codes() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        ("達成", None, Some("achieved")),
        ("目標達成", None, Some("achieved")),
        ("順調に達成", None, Some("achieved")),
        ("完了", None, Some("completed")),
        ("終了", None, Some("completed")),
        ("概ね達成", None, Some("mostly_achieved")),
        ("概ね順調", None, Some("mostly_achieved")),
        ("順調", None, Some("on_track")),
        ("計画どおり", None, Some("on_track")),
        ("着実に推移", None, Some("on_track")),
        ("実施", None, Some("on_track")),
        ("一部達成", None, Some("partly_achieved")),
        ("一部未達成", None, Some("partly_achieved")),
        ("一部実施", None, Some("partly_achieved")),
        ("部分実施", None, Some("partly_achieved")),
        ("やや遅れ", None, Some("slightly_behind")),
        ("やや遅れている", None, Some("slightly_behind")),
        ("遅れ", None, Some("behind")),
        ("未達成", None, Some("behind")),
        ("遅れがみられる", None, Some("behind")),
        ("未着手", None, Some("not_started")),
        ("未実施", None, Some("not_started")),
        ("検討", None, Some("under_study")),
        ("検討中", None, Some("under_study")),
        ("見直し", None, Some("changed")),
        ("変更", None, Some("changed")),
        ("実施中", None, Some("in_progress")),
        ("取組中", None, Some("in_progress")),
        ("計画以上", None, Some("ahead")),
        ("前倒し", None, Some("ahead")),
        ("前倒しで実施", None, Some("ahead")),
        // Marks and letters: only through their meaning.
        ("◎", None, None),
        ("A", None, None),
        ("S", None, None),
        ("◎", Some("達成"), Some("achieved")),
        ("○", Some("概ね達成"), Some("mostly_achieved")),
        ("△", Some("一部未達成"), Some("partly_achieved")),
        ("×", Some("未達成"), Some("behind")),
        ("S", Some("計画以上に進んでいる"), Some("ahead")),
        ("A", Some("計画どおり"), Some("on_track")),
        ("B", Some("やや遅れ"), Some("slightly_behind")),
        ("C", Some("遅れ"), Some("behind")),
        ("A", Some("大きな成果あり"), None),
        // The meaning wins over the text.
        (
            "達成",
            Some("数値目標を達成できなかったもの"),
            Some("behind"),
        ),
        ("達成", Some("数値目標を達成したもの"), Some("achieved")),
        (
            "順調に達成",
            Some("令和3年度の目標を達成したもの"),
            Some("achieved"),
        ),
        // Meaning without a code: the text decides.
        ("完了", Some("xのもの"), Some("completed")),
        // Legend meanings from 凡例 lines.
        ("実施", Some("計画どおり実施"), Some("on_track")),
        (
            "一部実施",
            Some("計画の一部を実施"),
            Some("partly_achieved"),
        ),
        (
            "未実施",
            Some("計画どおり実施できなかった"),
            Some("not_started"),
        ),
        ("完了", Some("取組を終了"), Some("completed")),
        ("検討", Some("実施に向けて検討"), Some("under_study")),
        ("→", Some("前年度の取組を継続"), Some("in_progress")),
        ("", None, None),
        ("総務課", None, None),
    ];
    for (text, meaning, want) in cases {
        assert_eq!(
            lex().rating_code(text, *meaning).as_deref(),
            *want,
            "{text} / {meaning:?}"
        );
    }
}

#[test]
fn marks() {
    let cases = [
        ("○", Some(FindingKind::Achievement)),
        ("◎", Some(FindingKind::Achievement)),
        ("▲", Some(FindingKind::Issue)),
        ("△", Some(FindingKind::Issue)),
        ("・", Some(FindingKind::Note)),
        ("■", Some(FindingKind::Note)),
        ("※", Some(FindingKind::Note)),
        ("★", None),
        ("", None),
    ];
    for (m, want) in cases {
        assert_eq!(lex().mark_kind(m), want, "{m}");
        if let Some(c) = m.chars().next() {
            assert_eq!(lex().mark_kind_of(c), want, "{m}");
        }
    }
    // One character at a time, as the list readers ask: the same answers as the text form.
    for c in ['○', '▲', '・', '※', '★', ' ', '\u{3000}', 'A', '題', '\n'] {
        let mut b = [0u8; 4];
        assert_eq!(
            lex().mark_kind_of(c),
            lex().mark_kind(c.encode_utf8(&mut b)),
            "{c:?}"
        );
    }
    // A lexicon adding marks outside the built-in ones' range (ASCII, an ideograph), a mark of
    // two characters (never one character's) and a new meaning of a built-in mark.
    let mut ext = lex().clone();
    ext.extend(
        &Lexicon::from_toml(
            "t",
            "[[marks]]\nmark = \"*\"\nkind = \"note\"\n\n[[marks]]\nmark = \"済\"\nkind = \"achievement\"\n\n\
             [[marks]]\nmark = \"◇◇\"\nkind = \"issue\"\n\n[[marks]]\nmark = \"※\"\nkind = \"issue\"\n",
        )
        .unwrap(),
    );
    let cases = [
        ('*', Some(FindingKind::Note)),
        ('済', Some(FindingKind::Achievement)),
        ('◇', None),
        ('※', Some(FindingKind::Issue)),
        ('○', Some(FindingKind::Achievement)),
        ('A', None),
        ('題', None),
        (' ', None),
    ];
    for (c, want) in cases {
        assert_eq!(ext.mark_kind_of(c), want, "{c:?}");
        let mut b = [0u8; 4];
        assert_eq!(ext.mark_kind(c.encode_utf8(&mut b)), want, "{c:?}");
    }
    assert_eq!(Lexicon::default().mark_kind_of('○'), None);
    let marks: Vec<&str> = lex().finding_marks().collect();
    assert_eq!(marks.first(), Some(&"○"));
    assert!(marks.contains(&"※"));
}

#[test]
fn record_labels() {
    let cases = [
        ("改革項目", true),
        ("【取組項目】", true),
        ("改革・改善項目", true),
        ("実施項目", true),
        ("取組事項", true),
        ("取組番号", true),
        ("重点取組", true),
        ("担当課", false),
        ("主な改革項目", false),
        ("項目名", false),
    ];
    for (l, want) in cases {
        assert_eq!(lex().is_record_label(l), want, "{l}");
    }
}

#[test]
fn section_prefixes() {
    let cases = [
        ("基本方針１ 持続可能な行財政運営", Some("基本方針".len())),
        ("基本方針1", Some("基本方針".len())),
        ("戦略1 人材育成", Some("戦略".len())),
        ("戦略 2", Some("戦略".len())),
        ("重点項目Ⅲ", Some("重点項目".len())),
        ("施策の柱(1)", Some("施策の柱".len())),
        ("重点改革項目① 財政", Some("重点改革項目".len())),
        ("基本目標二", Some("基本目標".len())),
        ("基本方針に基づき", None),
        ("戦略的な", None),
        ("担当課1", None),
        ("", None),
    ];
    for (t, want) in cases {
        assert_eq!(lex().is_section_prefix(t), want, "{t}");
    }
}

#[test]
fn units_longest_first() {
    let u = lex().units();
    assert!(u.len() > 40);
    for w in u.windows(2) {
        assert!(w[0].chars().count() >= w[1].chars().count(), "{w:?}");
    }
    assert!(u.iter().any(|x| x == "百万円"));
}

#[test]
fn bad_files_name_origin_and_key() {
    let cases = [
        (
            "[[roles]]\nrole = \"dept\"\nlabels = [\"係\"]\n",
            "my.toml: lexicon: roles[0].role: unknown role \"dept\"",
        ),
        (
            "[[roles]]\nrole = \"unit\"\nlabels = [\"【】\"]\n",
            "my.toml: lexicon: roles[0].labels[0]: empty label",
        ),
        (
            "[[marks]]\nmark = \"◆\"\nkind = \"good\"\n",
            "my.toml: lexicon: marks[0].kind: unknown kind \"good\"",
        ),
        (
            "[[ratings]]\ncode = \"\"\nwords = [\"x\"]\n",
            "my.toml: lexicon: ratings[0].code: empty code",
        ),
        (
            "unit = [\"円\"]\n",
            "my.toml: line 1: lexicon: unknown field `unit`",
        ),
        (
            "units = [\"円\"]\n\n[[roles]]\nrole = \"id\"\nlabel = []\n",
            "my.toml: line 5: lexicon: unknown field `label`",
        ),
        ("units = 3\n", "my.toml: line 1: lexicon: invalid type"),
    ];
    for (text, want) in cases {
        let e = Lexicon::from_toml("my.toml", text).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Lexicon);
        assert!(e.to_string().starts_with(want), "{e}");
    }
}

#[test]
fn extend_adds_and_overrides() {
    let user = Lexicon::from_toml(
        "user.toml",
        r#"
units = ["人日"]

[[roles]]
role = "department"
labels = ["担当セクション"]

[[roles]]
role = "title"
labels = ["取組項目"]

[[roles]]
role = "field.issues"
labels = ["重点項目"]

[[ratings]]
code = "on_track"
words = ["進行中"]

[[ratings]]
code = "excellent"
words = ["特に優れている"]

[[marks]]
mark = "◆"
kind = "note"

[[marks]]
mark = "●"
kind = "achievement"
"#,
    )
    .unwrap();
    let mut l = lex().clone();
    l.extend(&user);
    let roles = |s: &str| l.classify(s).map(|m| m.roles);
    assert_eq!(roles("担当セクション"), Some(vec![Department]));
    assert_eq!(roles("担当課"), Some(vec![Department]));
    assert_eq!(roles("取組項目"), Some(vec![Title]));
    assert!(!l.is_record_label("取組項目"));
    assert!(l.is_record_label("改革項目"));
    assert_eq!(roles("重点項目"), Some(vec![Field(C::Issues)]));
    assert_eq!(l.is_section_prefix("重点項目1"), None);
    assert_eq!(l.is_section_prefix("基本方針1"), Some("基本方針".len()));
    assert_eq!(l.rating_code("進行中", None).as_deref(), Some("on_track"));
    assert_eq!(
        l.rating_code("特に優れている", None).as_deref(),
        Some("excellent")
    );
    assert_eq!(l.rating_code("順調", None).as_deref(), Some("on_track"));
    assert_eq!(l.mark_kind("◆"), Some(FindingKind::Note));
    assert_eq!(l.mark_kind("●"), Some(FindingKind::Achievement));
    assert_eq!(l.mark_kind("○"), Some(FindingKind::Achievement));
    assert!(l.units().iter().any(|u| u == "人日"));
    // The built-in lexicon is untouched.
    assert_eq!(
        lex().classify("取組項目").unwrap().roles,
        vec![Record, Title]
    );
}

#[test]
fn every_builtin_label_classifies_exactly() {
    let toml: toml::Value = toml::from_str(BUILTIN_TOML).unwrap();
    for spec in toml["roles"].as_array().unwrap() {
        let role = Role::from_key(spec["role"].as_str().unwrap()).unwrap();
        for label in spec["labels"].as_array().unwrap() {
            let label = label.as_str().unwrap();
            let m = lex().classify(label).unwrap_or_else(|| panic!("{label}"));
            assert!(m.exact, "{label}");
            assert!(m.roles.contains(&role), "{label}: {:?}", m.roles);
        }
    }
}

/// The suffix lookup by `key`'s endings finds what trying every label longest first finds.
#[test]
fn longest_suffix_agrees_with_trying_every_label() {
    let l = lex();
    let linear = |key: &str| -> Option<String> {
        l.labels_by_len
            .iter()
            .find(|k| is_word_suffix(key, k))
            .cloned()
    };
    let mut keys: Vec<String> = vec![
        "casino".into(),
        "事業の目標値".into(),
        "令和4年度の取組内容".into(),
        "担当課名".into(),
        "x".into(),
        "".into(),
        "取組".into(),
        "abcno".into(),
        "ab no".into(),
        "項目no".into(),
        "a".repeat(400) + "担当課",
    ];
    for (k, _) in l.labels() {
        keys.push(format!("新{k}"));
        keys.push(format!("a{k}"));
        keys.push(k.to_string());
    }
    for key in &keys {
        assert_eq!(
            l.longest_suffix(key).map(str::to_string),
            linear(key),
            "{key:?}"
        );
    }
    assert_eq!(l.longest_suffix("casino"), None);
}

#[test]
fn remembered_labels_follow_the_lexicon() {
    let user = Lexicon::from_toml(
        "user.toml",
        r#"
[[roles]]
role = "title"
labels = ["取組項目"]
"#,
    )
    .unwrap();
    let mut extended = lex().clone();
    extended.extend(&user);
    let copy = lex().clone();
    // The same label, asked in turn of lexicons of other contents, and again (then remembered).
    let cases: Vec<(&Lexicon, &str, Option<Vec<Role>>)> = vec![
        (lex(), "取組項目", Some(vec![Record, Title])),
        (&extended, "取組項目", Some(vec![Title])),
        (lex(), "取組項目", Some(vec![Record, Title])),
        (&copy, "取組項目", Some(vec![Record, Title])),
        (&extended, "取組項目", Some(vec![Title])),
        (&extended, "【取組項目】", Some(vec![Title])),
        (lex(), "ない見出しです", None),
        (lex(), "ない見出しです", None),
    ];
    for (l, label, want) in cases {
        assert_eq!(l.classify(label).map(|m| m.roles), want, "{label}");
        assert_eq!(l.classify(label), l.classify_anew(label), "{label}");
    }
    // A label longer than those remembered is classified as any other.
    let long = format!("{}担当課", "長い説明の文".repeat(12));
    assert!(long.len() > REMEMBERED_LABEL_BYTES);
    assert_eq!(
        lex().classify(&long).map(|m| (m.roles, m.exact)),
        Some((vec![Department], false))
    );
}

#[test]
fn label_base_in_one_pass() {
    let cases = [
        ("【 担当課 】：", (None, "担当課")),
        ("＜R3実績＞", (Some(2021), "実績")),
        ("■ 効果額（千円）", (None, "効果額")),
        ("令和4年度の 取組状況", (Some(2022), "取組状況")),
        ("≪課題≫", (None, "課題")),
    ];
    for (label, (year, base)) in cases {
        assert_eq!(label_base(label), (year, base.to_string()), "{label}");
        // The same as the rules one after the other.
        let stepwise = remove_spaces(&strip_brackets(&normalize_chars(label)));
        let stepwise = strip_trailing_colons(&stepwise);
        assert_eq!(
            label_base(label).1.is_empty(),
            stepwise.is_empty(),
            "{label}"
        );
    }
}

#[test]
fn continued_headings() {
    let cases = [
        ("１　取組の内容（続き）", Some("１　取組の内容")),
        ("1 取組の内容(続き)", Some("1 取組の内容")),
        ("２　財政の健全化【続き】", Some("２　財政の健全化")),
        ("(続き)", None),
        // a word ending in the same characters is no mark
        ("２　行政手続き", None),
        ("１　取組の内容", None),
    ];
    for (text, want) in cases {
        assert_eq!(lex().strip_continued(text), want, "{text}");
    }
}
