//! The two real reports that started the project, checked item by item. The expectations below
//! were derived from the source texts independently of the parser. Skipped when ../shared is absent.

mod common;

use gyokaku::model::{FindingKind, StatusCode};
use gyokaku::Report;

/// The 重点項目 headings of seki-r3.txt as printed (after normalisation: ASCII parentheses).
const SEKI_SECTIONS: [&str; 5] = [
    "●重点項目1 経営の視点に立った行政運営の推進(行政組織及び事務の見直し)",
    "●重点項目2 将来を見据えた健全な財政運営",
    "●重点項目3 改革意識を持った職員の育成",
    "●重点項目4 効果的なアセットマネジメントの充実(公共施設等の適正管理)",
    "●重点項目5 効率を高めるICTの高度利用の推進",
];

/// (number, section, department, status code, unit, baseline number, goal number, finding marks)
#[allow(clippy::type_complexity)]
const SEKI: &[(
    u32,
    u32,
    &str,
    &str,
    Option<&str>,
    Option<f64>,
    Option<f64>,
    &str,
)] = &[
    (
        1,
        1,
        "秘書課",
        "on_track",
        Some("人"),
        None,
        Some(20.0),
        "○○▲・",
    ),
    (
        2,
        1,
        "秘書課",
        "on_track",
        Some("人"),
        Some(3.0),
        Some(5.0),
        "○▲",
    ),
    (3, 1, "秘書課", "on_track", Some("件"), None, Some(2.0), "○"),
    (
        4,
        1,
        "会計課",
        "on_track",
        Some("時間"),
        None,
        Some(100.0),
        "○○",
    ),
    (
        5,
        1,
        "秘書課",
        "slightly_behind",
        Some("事業"),
        None,
        Some(2.0),
        "○▲▲",
    ),
    (
        6,
        1,
        "企画広報課",
        "behind",
        Some("件"),
        None,
        Some(5.0),
        "○▲▲",
    ),
    (
        7,
        1,
        "行政情報課",
        "on_track",
        Some("箇所"),
        None,
        Some(1.0),
        "○○○",
    ),
    (
        8,
        1,
        "市民協働課",
        "slightly_behind",
        None,
        None,
        None,
        "○▲▲▲",
    ),
    (
        9,
        1,
        "危機管理課",
        "slightly_behind",
        Some("%"),
        None,
        Some(100.0),
        "▲▲",
    ),
    (
        10,
        1,
        "危機管理課",
        "slightly_behind",
        Some("隊"),
        None,
        Some(6.0),
        "○▲・",
    ),
    (
        11,
        1,
        "スポーツ推進課",
        "slightly_behind",
        Some("人"),
        None,
        None,
        "○▲▲",
    ),
    (
        12,
        1,
        "生涯学習課",
        "slightly_behind",
        Some("人"),
        Some(600000.0),
        None,
        "▲▲・",
    ),
    (
        13,
        2,
        "財政課",
        "on_track",
        Some("%"),
        None,
        Some(100.0),
        "○○▲",
    ),
    (14, 2, "水道課", "on_track", None, None, None, "○・・"),
    (15, 2, "観光課", "slightly_behind", None, None, None, "○▲○▲"),
    (
        16,
        2,
        "税務課",
        "slightly_behind",
        Some("円"),
        Some(949451676.0),
        Some(854506508.0),
        "○○・・",
    ),
    (
        17,
        2,
        "企画広報課",
        "on_track",
        Some("数"),
        Some(1.0),
        Some(3.0),
        "○○▲",
    ),
    (
        18,
        2,
        "企画広報課",
        "slightly_behind",
        Some("品"),
        None,
        Some(10.0),
        "○▲",
    ),
    (19, 3, "秘書課", "on_track", None, None, None, "○▲▲"),
    (20, 3, "秘書課", "on_track", None, None, None, "○▲"),
    (
        21,
        3,
        "秘書課",
        "on_track",
        Some("人/日"),
        Some(8.0),
        Some(50.0),
        "○▲",
    ),
    (
        22,
        4,
        "管財課",
        "slightly_behind",
        Some("施設"),
        None,
        Some(5.0),
        "○○",
    ),
    (
        23,
        4,
        "教育総務課",
        "on_track",
        Some("校"),
        None,
        None,
        "○・",
    ),
    (
        24,
        4,
        "管財課",
        "slightly_behind",
        Some("台"),
        None,
        Some(1.0),
        "○▲",
    ),
    (
        25,
        5,
        "行政情報課",
        "slightly_behind",
        Some("%"),
        None,
        Some(10.0),
        "○○▲・",
    ),
    (
        26,
        5,
        "行政情報課",
        "on_track",
        Some("件"),
        Some(4.0),
        Some(8.0),
        "○▲",
    ),
    (
        27,
        5,
        "下水道課",
        "achieved",
        Some("箇所"),
        Some(2.0),
        Some(5.0),
        "○▲○",
    ),
    (28, 5, "行政情報課", "behind", None, None, Some(3.0), "○▲・"),
    (
        29,
        5,
        "行政情報課",
        "on_track",
        Some("件"),
        None,
        Some(800.0),
        "○▲・",
    ),
    (
        30,
        5,
        "市民課",
        "on_track",
        Some("%"),
        Some(18.0),
        Some(33.0),
        "○○・",
    ),
    (
        31,
        5,
        "市民課",
        "on_track",
        Some("分"),
        None,
        Some(3.0),
        "○・",
    ),
];

/// (number, is_new, department, lead department, findings, milestones per year, continues per year)
#[allow(clippy::type_complexity)]
const KIYOSU: &[(u32, bool, &str, Option<&str>, usize, [usize; 3], [bool; 3])] = &[
    (
        1,
        true,
        "人事秘書課",
        None,
        4,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        2,
        true,
        "子育て支援課",
        None,
        3,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        3,
        false,
        "全庁",
        Some("市民課"),
        3,
        [3, 0, 0],
        [false, true, true],
    ),
    (
        4,
        true,
        "人事秘書課",
        None,
        4,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        5,
        false,
        "施設所管課",
        Some("企画政策課"),
        1,
        [1, 0, 0],
        [false, true, true],
    ),
    (
        6,
        false,
        "全庁",
        Some("企画政策課"),
        3,
        [1, 0, 0],
        [false, true, true],
    ),
    (
        7,
        false,
        "市民課",
        Some("窓口業務所管課"),
        2,
        [1, 0, 0],
        [false, true, true],
    ),
    (
        8,
        false,
        "人事秘書課",
        None,
        4,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        9,
        false,
        "人事秘書課",
        None,
        3,
        [3, 0, 0],
        [false, true, true],
    ),
    (
        10,
        false,
        "人事秘書課",
        None,
        2,
        [1, 0, 0],
        [false, true, true],
    ),
    (
        11,
        false,
        "企画政策課",
        None,
        1,
        [1, 0, 1],
        [false, true, false],
    ),
    (
        12,
        true,
        "全庁",
        Some("企画政策課"),
        5,
        [3, 1, 0],
        [false, true, true],
    ),
    (
        13,
        false,
        "全庁",
        Some("企画政策課"),
        3,
        [4, 0, 0],
        [false, true, true],
    ),
    (
        14,
        false,
        "企画政策課",
        None,
        3,
        [1, 0, 0],
        [false, true, true],
    ),
    (15, false, "財政課", None, 3, [1, 0, 0], [false, true, true]),
    (
        16,
        false,
        "全庁",
        Some("財産管理課"),
        2,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        17,
        false,
        "保険年金課",
        None,
        3,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        18,
        false,
        "上下水道課",
        None,
        2,
        [3, 0, 0],
        [false, true, true],
    ),
    (
        19,
        false,
        "全庁",
        Some("財産管理課"),
        2,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        20,
        false,
        "全庁",
        Some("企画政策課"),
        1,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        21,
        false,
        "全庁",
        Some("企画政策課"),
        3,
        [3, 0, 0],
        [false, true, true],
    ),
    (
        22,
        false,
        "全庁",
        Some("企画政策課"),
        4,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        23,
        false,
        "全庁",
        Some("企画政策課"),
        2,
        [2, 0, 0],
        [false, true, true],
    ),
    (
        24,
        false,
        "全庁",
        Some("企画政策課"),
        2,
        [1, 0, 0],
        [false, true, true],
    ),
];

fn code(c: StatusCode) -> &'static str {
    c.as_str()
}

#[test]
fn seki_card_layout_every_item() {
    let Some(shared) = common::shared("seki_card_layout_every_item") else {
        return;
    };
    let r = common::parse_file(&shared.join("corpus/seki-r3.txt"));
    assert_eq!(r.layout, "card");
    check_seki(&r);
}

/// The same checks with the layout inferred (no profile): the one engine reads the card layout.
#[test]
fn seki_inferred_every_item() {
    let Some(shared) = common::shared("seki_inferred_every_item") else {
        return;
    };
    let r = parse_inferred(&shared.join("corpus/seki-r3.txt"));
    assert_eq!(r.layout, "inferred");
    check_seki(&r);
}

/// Parse a file with the layout inferred.
fn parse_inferred(path: &std::path::Path) -> Report {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opts = gyokaku::Options {
        layout: Some("inferred".into()),
        ..Default::default()
    };
    gyokaku::parse_bytes(&bytes, &path.display().to_string(), &opts)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn check_seki(r: &Report) {
    assert_eq!(r.schema, "gyokaku/report/v2");
    assert_eq!(r.fiscal_year, Some(2021));
    assert_eq!(r.municipality.as_deref(), Some("関市"));
    assert_eq!(r.source.media_type, "text/plain");
    assert_eq!(r.source.pages, None);
    assert_eq!(r.sections.len(), 5);
    assert_eq!(
        r.sections.iter().map(|s| s.number).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3), Some(4), Some(5)]
    );
    assert_eq!(
        r.sections
            .iter()
            .map(|s| s.id.as_deref())
            .collect::<Vec<_>>(),
        vec![Some("1"), Some("2"), Some("3"), Some("4"), Some("5")]
    );
    assert_eq!(
        r.sections
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>(),
        SEKI_SECTIONS
    );
    assert!(r.sections.iter().all(|s| s.level == 1));
    let declared: Vec<(&str, u32)> = r
        .declared_status_counts
        .as_ref()
        .expect("declared counts")
        .iter()
        .map(|d| (d.status.as_str(), d.count))
        .collect();
    assert_eq!(
        declared,
        vec![("順調", 17), ("やや遅れている", 12), ("遅れている", 2)]
    );
    assert_eq!(r.items.len(), 31);
    assert_eq!(r.items.len(), SEKI.len());
    for (it, &(n, sec, dept, status, unit, base, goal, marks)) in r.items.iter().zip(SEKI) {
        let ctx = format!("item {n}");
        assert_eq!(it.id, n.to_string(), "{ctx}");
        assert_eq!(it.number, Some(n), "{ctx}");
        assert_eq!(it.parent, None, "{ctx}");
        assert!(
            !it.title.is_empty() && !it.title.contains('\t'),
            "{ctx}: title {:?}",
            it.title
        );
        assert_eq!(it.section_id, Some(sec.to_string()), "{ctx}");
        assert_eq!(
            it.section.as_deref(),
            SEKI_SECTIONS.get(sec as usize - 1).copied(),
            "{ctx}"
        );
        assert_eq!(it.department.as_deref(), Some(dept), "{ctx}");
        assert_eq!(it.progress.len(), 1, "{ctx}");
        let p = &it.progress[0];
        assert_eq!(p.fiscal_year, Some(2021), "{ctx}");
        assert!(
            p.goal.as_deref().is_some_and(|g| !g.is_empty()),
            "{ctx}: goal"
        );
        assert_eq!(
            p.status.as_ref().map(|s| code(s.code)),
            Some(status),
            "{ctx}"
        );
        assert_eq!(
            it.rating.as_ref().and_then(|r| r.code.as_deref()),
            Some(status),
            "{ctx}: rating"
        );
        assert_eq!(
            it.rating.as_ref().map(|r| r.text.as_str()),
            p.status.as_ref().map(|s| s.text.as_str()),
            "{ctx}: rating text"
        );
        assert_eq!(it.findings, p.findings, "{ctx}: item findings");
        assert!(
            !p.activities.is_empty() && !p.next_steps.is_empty(),
            "{ctx}"
        );
        assert!(!it.current_state.is_empty() && !it.plan.is_empty(), "{ctx}");
        let got_marks: String = p.findings.iter().filter_map(|f| f.mark.clone()).collect();
        assert_eq!(got_marks, marks, "{ctx}: finding marks");
        for f in &p.findings {
            let want = match f.mark.as_deref() {
                Some("○") => FindingKind::Achievement,
                Some("▲") => FindingKind::Issue,
                _ => FindingKind::Note,
            };
            assert_eq!(f.kind, want, "{ctx}");
            assert!(
                !f.text.is_empty() && !f.text.starts_with(['○', '▲', '・']),
                "{ctx}: {:?}",
                f.text
            );
        }
        assert_eq!(it.targets.len(), 1, "{ctx}");
        let t = &it.targets[0];
        assert!(!t.name.is_empty(), "{ctx}");
        assert_eq!(t.unit.as_deref(), unit, "{ctx}");
        let b = t.baseline().expect("baseline");
        let g = t.goal().expect("goal");
        assert_eq!(t.values.len(), 2, "{ctx}: values");
        assert_eq!(
            (b.fiscal_year, g.fiscal_year),
            (Some(2020), Some(2023)),
            "{ctx}"
        );
        assert_eq!(b.number, base, "{ctx}: baseline {:?}", b.text);
        assert_eq!(g.number, goal, "{ctx}: goal {:?}", g.text);
        assert!(it.schedule.is_empty(), "{ctx}");
        assert_eq!(it.source.page, None);
    }
    // Spot checks of values as written.
    let t16 = &r.items[15].targets[0];
    assert_eq!(
        t16.baseline().and_then(|b| b.text.as_deref()),
        Some("949,451,676 (R2.6.1現在)")
    );
    assert_eq!(t16.baseline().and_then(|b| b.number), Some(949_451_676.0));
    assert_eq!(r.items[0].source.line, 19);
    // Item 7's title had a space inside a Japanese run; item 10's list had no marks.
    assert!(!r.items[6].title.contains(' '));
    assert_eq!(r.items[9].current_state.len(), 2);
    // The report declares 順調 17; the items hold 16 順調 and 1 達成.
    let counts = |c: StatusCode| {
        r.items
            .iter()
            .filter(|i| i.progress[0].status.as_ref().map(|s| s.code) == Some(c))
            .count()
    };
    assert_eq!(
        (
            counts(StatusCode::OnTrack),
            counts(StatusCode::Achieved),
            counts(StatusCode::SlightlyBehind),
            counts(StatusCode::Behind)
        ),
        (16, 1, 12, 2)
    );
    let mismatch: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "status-count-mismatch")
        .collect();
    assert_eq!(mismatch.len(), 1);
    assert!(
        mismatch[0].message.contains("順調 declared 17 counted 16"),
        "{}",
        mismatch[0].message
    );
    assert!(
        mismatch[0].message.contains("達成 declared 0 counted 1"),
        "{}",
        mismatch[0].message
    );
    // Nothing inside the items went unassigned.
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code != "unassigned-text" || d.item.is_none()),
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn kiyosu_table_layout_every_item() {
    let Some(shared) = common::shared("kiyosu_table_layout_every_item") else {
        return;
    };
    let r = common::parse_file(&shared.join("corpus/kiyosu-r2.txt"));
    assert_eq!(r.layout, "table");
    check_kiyosu(&r);
}

/// The same checks with the layout inferred (no profile): the one engine reads the table layout.
#[test]
fn kiyosu_inferred_every_item() {
    let Some(shared) = common::shared("kiyosu_inferred_every_item") else {
        return;
    };
    let r = parse_inferred(&shared.join("corpus/kiyosu-r2.txt"));
    assert_eq!(r.layout, "inferred");
    check_kiyosu(&r);
}

fn check_kiyosu(r: &Report) {
    assert_eq!(r.fiscal_year, Some(2020));
    assert_eq!(r.municipality.as_deref(), Some("清須市"));
    assert!(r.title.as_deref().is_some_and(|t| t.contains("進捗状況")));
    assert_eq!(r.declared_status_counts, None);
    assert_eq!(r.items.len(), 24);
    assert_eq!(r.items.len(), KIYOSU.len());
    for (it, &(n, new, dept, lead, nf, ms, co)) in r.items.iter().zip(KIYOSU) {
        let ctx = format!("item {n}");
        assert_eq!(it.id, n.to_string(), "{ctx}");
        assert_eq!(it.number, Some(n), "{ctx}");
        assert_eq!(it.parent, None, "{ctx}");
        assert_eq!(it.is_new, new, "{ctx}");
        assert!(
            !it.title.is_empty()
                && !it.title.contains("新規")
                && !it.title.contains("これまでの取組状況"),
            "{ctx}: {:?}",
            it.title
        );
        assert_eq!(it.department.as_deref(), Some(dept), "{ctx}");
        assert_eq!(it.lead_department.as_deref(), lead, "{ctx}");
        assert!(!it.plan.is_empty(), "{ctx}");
        assert_eq!(it.progress.len(), 1, "{ctx}");
        assert_eq!(it.progress[0].fiscal_year, Some(2020), "{ctx}");
        assert_eq!(it.progress[0].status, None, "{ctx}");
        assert_eq!(it.rating, None, "{ctx}");
        assert_eq!(it.progress[0].findings.len(), nf, "{ctx}");
        assert!(
            it.progress[0]
                .findings
                .iter()
                .all(|f| f.mark.as_deref() == Some("○")),
            "{ctx}"
        );
        let labels: Vec<&str> = it.schedule.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, vec!["令和2年度", "令和3年度", "令和4年度"], "{ctx}");
        let years: Vec<Option<i32>> = it.schedule.iter().map(|s| s.fiscal_year).collect();
        assert_eq!(years, vec![Some(2020), Some(2021), Some(2022)], "{ctx}");
        let got_ms: Vec<usize> = it.schedule.iter().map(|s| s.milestones.len()).collect();
        assert_eq!(got_ms, ms.to_vec(), "{ctx}");
        let got_co: Vec<bool> = it.schedule.iter().map(|s| s.continues).collect();
        assert_eq!(got_co, co.to_vec(), "{ctx}");
        assert!(it.targets.is_empty());
    }
    // The letter-spaced acronym before Japanese is joined.
    assert!(r.items[0].title.starts_with("AIを"), "{}", r.items[0].title);
    assert_eq!(r.items[0].schedule[1].notes, vec!["利用促進等".to_string()]);
    assert!(
        r.diagnostics.iter().all(|d| d.code != "unassigned-text"),
        "{:#?}",
        r.diagnostics
    );
}

/// What the PDF read through `pdftotext -layout` must share with its text twin: per item the id,
/// title, department, rating and its meaning and code, section, findings, target names and
/// numbers, schedule, progress and the labelled fields (white space ignored, provenance not
/// compared). Returns (agreeing, total).
fn agreement(want: &Report, got: &Report) -> (usize, usize) {
    fn ws(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }
    let mut checks: Vec<bool> = vec![want.items.len() == got.items.len()];
    checks.push(want.fiscal_year == got.fiscal_year);
    checks.push(want.municipality == got.municipality);
    for (a, b) in want.items.iter().zip(&got.items) {
        let findings = |i: &gyokaku::model::Item| -> Vec<(Option<String>, String)> {
            i.findings
                .iter()
                .map(|f| (f.mark.clone(), ws(&f.text)))
                .collect()
        };
        let targets = |i: &gyokaku::model::Item| -> Vec<(String, Vec<Option<f64>>)> {
            i.targets
                .iter()
                .map(|t| (ws(&t.name), t.values.iter().map(|v| v.number).collect()))
                .collect()
        };
        let schedule = |i: &gyokaku::model::Item| -> Vec<(Option<i32>, Vec<String>, bool)> {
            i.schedule
                .iter()
                .map(|s| {
                    (
                        s.fiscal_year,
                        s.milestones.iter().map(|m| ws(m)).collect(),
                        s.continues,
                    )
                })
                .collect()
        };
        let progress =
            |i: &gyokaku::model::Item| -> Vec<(Option<i32>, Option<String>, Option<StatusCode>)> {
                i.progress
                    .iter()
                    .map(|p| {
                        (
                            p.fiscal_year,
                            p.goal.as_deref().map(ws),
                            p.status.as_ref().map(|s| s.code),
                        )
                    })
                    .collect()
            };
        let fields = |i: &gyokaku::model::Item| -> Vec<(String, String)> {
            i.fields
                .iter()
                .map(|f| (ws(&f.label), ws(&f.text)))
                .collect()
        };
        let meaning = |i: &gyokaku::model::Item| {
            i.rating
                .as_ref()
                .map(|r| (r.meaning.clone(), r.code.clone()))
        };
        checks.extend([
            a.id == b.id,
            fields(a) == fields(b),
            meaning(a) == meaning(b),
            ws(&a.title) == ws(&b.title),
            a.department.as_deref().map(ws) == b.department.as_deref().map(ws),
            a.rating.as_ref().map(|r| ws(&r.text)) == b.rating.as_ref().map(|r| ws(&r.text)),
            a.section_id == b.section_id,
            findings(a) == findings(b),
            targets(a) == targets(b),
            schedule(a) == schedule(b),
            progress(a) == progress(b),
        ]);
    }
    (checks.iter().filter(|&&c| c).count(), checks.len())
}

/// The seed PDFs turned into text by `pdftotext -layout` read like their `.txt` twins. Figures
/// are printed; seki-r3.calc.pdf agrees in every check, the others are held to what they reach
/// so that a change that loses ground fails. What kiyosu-r2.calc.pdf still misses (7 checks) comes
/// from the way `pdftotext -layout` sets its table: the row label of the cell below
/// (これまでの取組状況と今後の見通し) set into the title column one space from the title and the
/// department (item 11: title, department), schedule cells of several lines split by a line of
/// arrows that belongs to the column next to them (18, 19), and a note spanning two year columns
/// set in one or a year early (4, 20, 22). kiyosu-r2.chromium.pdf sets each cell centred in the height of its row, the
/// number on the middle line and the title above and below it: with the numbers lifted to their
/// rows' first lines all 24 items are found, in order, and with the row label wrapped over the
/// findings rebuilt (136 checks before) most findings agree. What it still misses: the item rows
/// (title, department, 取組内容 and the schedule, about 90 checks), whose title column wraps
/// centred and whose cells are set one space apart and off their header's columns; findings
/// whose row goes on over a page break (items 4, 9, 14, 16, 21 in part) or lies between the
/// title's lines (11 to 15). Its one-space gaps are not parted as a tab-typed table's are
/// (`layout_text::narrow`): most of its lines with them open right of the left edge, where a
/// wrapped cell centred in a tall row goes on, and parting them there lost checks (157 / 267).
#[test]
fn seed_pdfs_through_pdftotext_read_like_their_text() {
    let Some(shared) = common::shared("seed_pdfs_through_pdftotext_read_like_their_text") else {
        return;
    };
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        common::skip(
            "seed_pdfs_through_pdftotext_read_like_their_text: pdftotext is not installed",
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("gyokaku-pdftotext-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // (pdf, text twin, lowest share of checks agreeing, items and ids must match)
    let cases = [
        ("seki-r3.calc.pdf", "seki-r3.txt", 1.0, true),
        ("kiyosu-r2.calc.pdf", "kiyosu-r2.txt", 0.97, true),
        ("kiyosu-r2.chromium.pdf", "kiyosu-r2.txt", 0.6, true),
    ];
    for (pdf, twin, floor, same_ids) in cases {
        let out = dir.join(pdf.replace(".pdf", ".layout.txt"));
        let status = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(shared.join("corpus/pdf").join(pdf))
            .arg(&out)
            .status()
            .expect("pdftotext runs");
        assert!(status.success(), "{pdf}: pdftotext failed");
        let want = parse_inferred(&shared.join("corpus").join(twin));
        let got = parse_inferred(&out);
        let (ok, n) = agreement(&want, &got);
        {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "{pdf} via pdftotext -layout: {ok}/{n} checks agree with {twin}, {} of {} items",
                got.items.len(),
                want.items.len()
            );
        }
        assert!(
            ok as f64 >= floor * n as f64,
            "{pdf}: {ok}/{n} checks agree, below {floor}"
        );
        assert!(!got.items.is_empty(), "{pdf}: no items");
        if same_ids {
            let ids = |r: &Report| r.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&got), ids(&want), "{pdf}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
