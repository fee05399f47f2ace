//! The third, invented layout (`fixtures/text/third-layout.txt`) read with a profile file
//! (`fixtures/profiles/third.toml`, kind `inferred`): the file reads, ties its item level to the
//! layout's record label, gives the grades their meanings, and the built-in profiles do not take
//! the fixture for theirs.

use gyokaku::model::{FindingKind, StatusCode};
use gyokaku::records::LayoutSpec;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn third() -> LayoutSpec {
    let path = fixture("profiles/third.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    LayoutSpec::from_toml("third.toml", &text)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()))
}

#[test]
fn third_profile_loads_with_its_levels_label_and_scale() {
    let p = third();
    assert_eq!((p.id.as_str(), p.kind.as_str()), ("third", "inferred"));
    type Level<'a> = (&'a str, Option<&'a str>, &'a str, &'a str, Option<&'a str>);
    let levels: Vec<Level> = p
        .levels
        .iter()
        .map(|l| {
            (
                l.scheme.as_str(),
                l.pattern.as_deref(),
                l.form.as_str(),
                l.kind.as_str(),
                l.label.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("", Some("【重点分野\\d+】"), "prefix", "section", None),
            ("number", None, "after_label", "item", Some("取組番号")),
        ]
    );
    let scale: Vec<(&str, &str)> = p
        .rating_scale
        .iter()
        .map(|r| (r.text.as_str(), r.meaning.as_str()))
        .collect();
    assert_eq!(
        scale,
        [
            ("S", "達成"),
            ("A", "順調"),
            ("B", "やや遅れている"),
            ("C", "遅れている")
        ]
    );
    let pins = p.pins("third.toml").expect("pins");
    assert_eq!(pins.level_labels.len(), 1);
    let re = &pins.level_labels[0].1;
    for (label, fits) in [("取組番号", true), ("改革項目", false), ("No.", false)] {
        assert_eq!(re.is_match(label), fits, "{label}");
    }
}

/// The built-in profiles must not take the third layout for theirs: forced, each says why.
#[test]
fn builtin_profiles_do_not_recognise_the_third_layout() {
    let path = fixture("text/third-layout.txt");
    let bytes = std::fs::read(&path).expect("fixture");
    for (layout, why) in [
        (
            "card",
            "card: no line starts with the record marker /改革項目/",
        ),
        ("table", "table: "),
    ] {
        let opts = gyokaku::Options {
            layout: Some(layout.into()),
            ..Default::default()
        };
        let e = gyokaku::parse_bytes(&bytes, "third-layout.txt", &opts).expect_err(layout);
        assert_eq!(e.kind, gyokaku::ErrorKind::NotAReport, "{layout}");
        let reasons = gyokaku::records::why::split(&e.message);
        assert_eq!(reasons.len(), 1, "{}", e.message);
        assert!(
            format!("{}: {}", reasons[0].0, reasons[0].1).starts_with(why),
            "{layout}: {}",
            e.message
        );
    }
}

/// A profile in the first form (`kind = "card"`) is refused with one line naming the file and
/// saying how to convert it.
#[test]
fn a_first_form_profile_is_refused() {
    let mut opts = gyokaku::Options::default();
    let old = "id = \"old\"\nkind = \"card\"\n\n[record]\nmarker = '取組番号'\n";
    let e = opts.add_profile("old.toml", old).expect_err("first form");
    assert_eq!(e.kind, gyokaku::ErrorKind::Profile);
    assert!(
        e.message.starts_with(
            "old.toml: kind = \"card\" is the first profile form, which is no longer read"
        ),
        "{}",
        e.message
    );
    assert!(e.message.contains("kind = \"inferred\""), "{}", e.message);
    assert!(!e.message.contains('\n'));
    assert!(opts.specs.is_empty());
}

fn parse_third(specs: Vec<LayoutSpec>) -> gyokaku::Result<gyokaku::Report> {
    let path = fixture("text/third-layout.txt");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = gyokaku::Options {
        specs,
        ..Default::default()
    };
    gyokaku::parse_bytes(&bytes, "third-layout.txt", &opts)
}

#[test]
fn third_layout_without_its_profile_is_inferred_not_taken_for_a_builtin() {
    // Neither built-in profile reads it; inference does (its own figures are in tests/golden.rs).
    let r = parse_third(Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.layout, "inferred");
    assert_eq!(r.items.len(), 4);
    let ids: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4"]);
}

#[test]
fn third_layout_parses_through_the_profile_file_alone() {
    let r = parse_third(vec![third()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.layout, "third");
    assert_eq!(r.fiscal_year, Some(2022));
    type SectionRow<'a> = (Option<&'a str>, Option<u32>, &'a str, &'a str, u32);
    let sections: Vec<SectionRow> = r
        .sections
        .iter()
        .map(|s| {
            (
                s.id.as_deref(),
                s.number,
                s.title.as_str(),
                s.text.as_str(),
                s.level,
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            (
                Some("【重点分野1】"),
                Some(1),
                "事務の見直しと効率化",
                "【重点分野1】事務の見直しと効率化",
                1
            ),
            (
                Some("【重点分野2】"),
                Some(2),
                "持続可能な財政基盤の確立",
                "【重点分野2】持続可能な財政基盤の確立",
                1
            )
        ]
    );

    let declared: Vec<(&str, StatusCode, u32)> = r
        .declared_status_counts
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|c| (c.status.as_str(), c.code, c.count))
        .collect();
    assert_eq!(
        declared,
        [
            ("S", StatusCode::Achieved, 1),
            ("A", StatusCode::OnTrack, 1),
            ("B", StatusCode::SlightlyBehind, 1),
            ("C", StatusCode::Behind, 1),
        ]
    );
    // Every line lands in a field, and the declared counts agree with the items.
    assert_eq!(r.diagnostics, []);

    struct Want {
        number: u32,
        title: &'static str,
        is_new: bool,
        section: u32,
        department: &'static str,
        lead: Option<&'static str>,
        line: u32,
        status: (&'static str, StatusCode),
        marks: &'static [(&'static str, FindingKind)],
    }
    use FindingKind::{Achievement as Ach, Issue, Note};
    let want = [
        Want {
            number: 1,
            title: "窓口手続のオンライン化",
            is_new: true,
            section: 1,
            department: "住民課",
            lead: Some("情報政策係"),
            line: 12,
            status: ("S", StatusCode::Achieved),
            marks: &[("◎", Ach), ("◎", Ach), ("※", Note)],
        },
        Want {
            number: 2,
            title: "庁内照明のLED化",
            is_new: false,
            section: 1,
            department: "財産管理課",
            lead: None,
            line: 24,
            status: ("A", StatusCode::OnTrack),
            marks: &[("◎", Ach), ("△", Issue)],
        },
        Want {
            number: 3,
            title: "未利用地の売却と貸付",
            is_new: false,
            section: 2,
            department: "財産管理課",
            lead: Some("企画財政課"),
            line: 38,
            status: ("B", StatusCode::SlightlyBehind),
            marks: &[("◎", Ach), ("△", Issue)],
        },
        Want {
            number: 4,
            title: "町税の口座振替の推進",
            is_new: false,
            section: 2,
            department: "税務課",
            lead: None,
            line: 50,
            status: ("C", StatusCode::Behind),
            marks: &[("△", Issue), ("△", Issue)],
        },
    ];
    assert_eq!(r.items.len(), want.len());
    for (it, w) in r.items.iter().zip(&want) {
        let n = w.number;
        assert_eq!(it.id, n.to_string());
        assert_eq!(it.number, Some(n));
        assert_eq!(it.parent, None, "item {n}");
        assert_eq!(it.title, w.title, "item {n}");
        assert_eq!(it.is_new, w.is_new, "item {n}");
        let section = r.sections.iter().find(|s| s.number == Some(w.section));
        let section_text = section.map(|s| s.text.clone());
        assert_eq!(
            it.section_id,
            section.and_then(|s| s.id.clone()),
            "item {n}"
        );
        assert!(section_text.is_some(), "item {n}");
        assert_eq!(it.section, section_text, "item {n}");
        assert_eq!(it.department.as_deref(), Some(w.department), "item {n}");
        assert_eq!(it.lead_department.as_deref(), w.lead, "item {n}");
        assert_eq!(it.source.line, w.line, "item {n}");
        assert_eq!(it.source.page, None, "item {n}");
        assert!(!it.current_state.is_empty(), "item {n}: 現況");
        assert!(!it.plan.is_empty(), "item {n}: 取組内容");
        assert_eq!(it.progress.len(), 1, "item {n}");
        let p = &it.progress[0];
        assert_eq!(p.fiscal_year, Some(2022), "item {n}");
        // The year's plan (年度計画, a label without a year) is kept as a field, not as the goal.
        assert!(
            it.fields
                .iter()
                .any(|f| f.label == "年度計画" && !f.text.is_empty()),
            "item {n}: 年度計画"
        );
        let status = p.status.as_ref().map(|s| (s.text.as_str(), s.code));
        assert_eq!(status, Some(w.status), "item {n}");
        let rating = it
            .rating
            .as_ref()
            .map(|r| (r.text.as_str(), r.code.as_deref()));
        assert_eq!(
            rating,
            Some((w.status.0, Some(w.status.1.as_str()))),
            "item {n}"
        );
        assert_eq!(it.findings, p.findings, "item {n}");
        let marks: Vec<(&str, FindingKind)> = p
            .findings
            .iter()
            .map(|f| (f.mark.as_deref().unwrap_or(""), f.kind))
            .collect();
        assert_eq!(marks, w.marks, "item {n}");
        assert_eq!(p.next_steps.len(), 1, "item {n}: 今後の方針");
        assert_eq!(it.targets.len(), 1, "item {n}");
        let t = &it.targets[0];
        assert_eq!(
            t.baseline().map(|v| v.fiscal_year),
            Some(Some(2021)),
            "item {n}"
        );
        assert_eq!(
            t.goal().map(|v| v.fiscal_year),
            Some(Some(2025)),
            "item {n}"
        );
    }

    // Values as written: item 1's plan and 成果指標, item 3's dash baseline.
    let first = &r.items[0];
    assert_eq!(
        first.plan,
        [
            "転出届をオンラインで受け付ける。",
            "来庁が必要な手続は事前に予約できるようにする。"
        ]
    );
    let t = &first.targets[0];
    assert_eq!(t.name, "オンラインで受け付けた届出の割合");
    assert_eq!(t.unit.as_deref(), Some("%"));
    let goal = t.goal().expect("goal");
    assert_eq!(
        (goal.label.as_str(), goal.text.as_deref(), goal.number),
        ("目標値(R7)", Some("40"), Some(40.0))
    );
    let dash = r.items[2].targets[0].baseline().expect("baseline");
    assert_eq!((dash.text.as_deref(), dash.number), (Some("—"), None));
    assert_eq!(
        r.items[3].targets[0].baseline().and_then(|v| v.number),
        Some(38.5)
    );
}
