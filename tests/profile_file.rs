//! The third, invented layout (`fixtures/text/third-layout.txt`) is described by a profile file
//! alone (`fixtures/profiles/third.toml`). These tests check that the file compiles and that its
//! vocabulary covers the fixture, and that the built-in profiles do not recognise that fixture.

use gyokaku::model::{FindingKind, StatusCode};
use gyokaku::profile::{Field, LayoutKind, Profile};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn third() -> Profile {
    let path = fixture("profiles/third.toml");
    match Profile::load(&path) {
        Ok(p) => p,
        Err(e) => panic!("{} does not load: {e}", path.display()),
    }
}

/// Lines of the fixture as cells (the fixture is plain UTF-8 with LF, nothing to normalise in
/// the first cells).
fn third_lines() -> Vec<Vec<String>> {
    let path = fixture("text/third-layout.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn first_cells() -> Vec<String> {
    third_lines()
        .into_iter()
        .filter_map(|cells| cells.into_iter().next())
        .filter(|c| !c.trim().is_empty())
        .collect()
}

#[test]
fn third_profile_loads_with_its_id_and_kind() {
    let p = third();
    assert_eq!(p.id(), "third");
    assert_eq!(p.file.kind, LayoutKind::Card);
    assert!(p.marker.is_some());
    assert!(p.section.is_some());
    assert!(p.table_header.is_none());
    assert_eq!(p.file.record.new_flag.as_deref(), Some("【新】"));
    assert_eq!(p.file.document.status_summary.as_deref(), Some("評価区分"));
}

#[test]
fn third_profile_status_vocabulary() {
    let p = third();
    let cases = [
        ("S", StatusCode::Achieved),
        ("A", StatusCode::OnTrack),
        ("B", StatusCode::SlightlyBehind),
        ("C", StatusCode::Behind),
        ("順調", StatusCode::Other),
        ("D", StatusCode::Other),
    ];
    for (text, code) in cases {
        assert_eq!(p.status_code(text), code, "status {text:?}");
    }
}

#[test]
fn third_profile_finding_marks() {
    let p = third();
    let cases = [
        ("◎転出届の約3割", Some(FindingKind::Achievement)),
        ("△支所は建物の改修時期", Some(FindingKind::Issue)),
        ("※割合は3月末時点", Some(FindingKind::Note)),
        ("・転入届", Some(FindingKind::Note)),
        ("○ここでは印ではない", None),
        ("▲ここでも", None),
        ("印のない段落", None),
    ];
    for (text, kind) in cases {
        assert_eq!(p.mark_of(text).map(|m| m.kind), kind, "mark of {text:?}");
    }
}

#[test]
fn third_profile_labels_map_to_fields() {
    let p = third();
    let cases = [
        ("現況", Some(Field::CurrentState)),
        ("取組内容", Some(Field::Plan)),
        ("成果指標", Some(Field::Targets)),
        ("【R4実績】", Some(Field::ProgressBlock)),
        ("年度計画", Some(Field::ProgressGoal)),
        ("評価", Some(Field::ProgressStatus)),
        ("実施状況", Some(Field::Activities)),
        ("成果と課題", Some(Field::Findings)),
        ("今後の方針", Some(Field::NextSteps)),
        ("評価区分", None),
        ("現状", None),
        ("数値目標", None),
    ];
    for (label, field) in cases {
        let got = p
            .fields
            .iter()
            .find(|(re, _)| re.is_match(label))
            .map(|(_, f)| *f);
        assert_eq!(got, field, "label {label:?}");
    }
    let block = p
        .fields
        .iter()
        .find(|(_, f)| *f == Field::ProgressBlock)
        .map(|(re, _)| re)
        .expect("block label");
    let caps = block.captures("【R4実績】").expect("block label matches");
    assert_eq!(caps.name("year").map(|m| m.as_str()), Some("4"));
}

#[test]
fn third_profile_reads_the_document_facts() {
    let p = third();
    let text = std::fs::read_to_string(fixture("text/third-layout.txt")).expect("fixture");
    let fy = p
        .fiscal_year
        .iter()
        .find_map(|re| re.captures(&text))
        .expect("fiscal year found");
    assert_eq!(fy.name("era").map(|m| m.as_str()), Some("令和"));
    assert_eq!(fy.name("year").map(|m| m.as_str()), Some("4"));
    let title = text.lines().next().unwrap_or_default();
    let town = p
        .municipality
        .iter()
        .find_map(|re| re.captures(title))
        .expect("municipality found");
    assert_eq!(town.name("name").map(|m| m.as_str()), Some("鷺森町"));

    let section = p.section.as_ref().expect("section pattern");
    let sections: Vec<(String, String)> = first_cells()
        .iter()
        .filter_map(|c| section.captures(c))
        .map(|c| (c["number"].to_string(), c["title"].trim().to_string()))
        .collect();
    assert_eq!(
        sections,
        vec![
            ("1".to_string(), "事務の見直しと効率化".to_string()),
            ("2".to_string(), "持続可能な財政基盤の確立".to_string()),
        ]
    );
}

#[test]
fn third_profile_marker_finds_every_record() {
    let p = third();
    let marker = p.marker.as_ref().expect("marker");
    let numbers: Vec<String> = third_lines()
        .into_iter()
        .filter(|cells| cells.first().is_some_and(|c| marker.is_match(c)))
        .map(|cells| cells.get(1).cloned().unwrap_or_default())
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
}

/// Every labelled line after the first record is either a marker, a section or a field label
/// of the profile: the profile covers the layout's whole vocabulary.
#[test]
fn third_profile_covers_every_label_in_the_fixture() {
    let p = third();
    let marker = p.marker.as_ref().expect("marker");
    let section = p.section.as_ref().expect("section");
    let cells = first_cells();
    let start = cells
        .iter()
        .position(|c| marker.is_match(c))
        .expect("a record");
    for c in &cells[start..] {
        let known = marker.is_match(c)
            || section.is_match(c)
            || p.fields.iter().any(|(re, _)| re.is_match(c));
        assert!(known, "first cell {c:?} is not in the profile's vocabulary");
    }
}

/// The built-in profiles must not take the third layout for theirs: no card marker, section or
/// field label, and no table header occurs in it.
#[test]
fn builtin_profiles_do_not_recognise_the_third_layout() {
    let cells = first_cells();
    let builtin = Profile::builtin();
    assert_eq!(
        builtin.iter().map(|p| p.id()).collect::<Vec<_>>(),
        ["card", "table"]
    );
    for p in builtin {
        for c in &cells {
            assert!(
                !p.marker.as_ref().is_some_and(|re| re.is_match(c)),
                "{}: marker matches {c:?}",
                p.id()
            );
            assert!(
                !p.section.as_ref().is_some_and(|re| re.is_match(c)),
                "{}: section matches {c:?}",
                p.id()
            );
            assert!(
                !p.table_header.as_ref().is_some_and(|re| re.is_match(c)),
                "{}: header matches {c:?}",
                p.id()
            );
            assert!(
                !p.fields.iter().any(|(re, _)| re.is_match(c)),
                "{}: a field label matches {c:?}",
                p.id()
            );
            assert!(
                !p.row_labels.iter().any(|(re, _)| re.is_match(c)),
                "{}: a row label matches {c:?}",
                p.id()
            );
        }
    }
}

fn parse_third(profiles: Vec<Profile>) -> gyokaku::Result<gyokaku::Report> {
    let path = fixture("text/third-layout.txt");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = gyokaku::Options {
        profiles,
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
                Some("1"),
                Some(1),
                "事務の見直しと効率化",
                "【重点分野1】事務の見直しと効率化",
                1
            ),
            (
                Some("2"),
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
        let section_text = r
            .sections
            .iter()
            .find(|s| s.number == Some(w.section))
            .map(|s| s.text.clone());
        assert_eq!(it.section_id, Some(w.section.to_string()), "item {n}");
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
        assert!(p.goal.is_some(), "item {n}: 年度計画");
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
    assert_eq!((dash.text.as_deref(), dash.number), (None, None));
    assert_eq!(
        r.items[3].targets[0].baseline().and_then(|v| v.number),
        Some(38.5)
    );
}
