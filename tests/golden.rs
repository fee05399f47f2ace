//! Golden JSON for the project's own fixtures: every fixture's report is compared with
//! `fixtures/golden/<name>.json`, read back as typed values. `UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites the files after an intended change (review the diff).

mod common;

use gyokaku::model::Report;
use gyokaku::Options;

fn check(name: &str, input: &str, opts: &Options) -> Report {
    let root = common::root();
    let bytes = std::fs::read(root.join(input)).expect("fixture");
    let report = gyokaku::parse_bytes(&bytes, input, opts).unwrap_or_else(|e| panic!("{e}"));
    let json = gyokaku::emit::to_json(&report);
    let golden_path = root.join("fixtures/golden").join(format!("{name}.json"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden_path, &json).expect("write golden");
    }
    let golden = std::fs::read_to_string(&golden_path)
        .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
    let want: Report = serde_json::from_str(&golden).expect("golden file is a valid report");
    assert_eq!(
        report,
        want,
        "{name}: output differs from {}",
        golden_path.display()
    );
    assert_eq!(json, golden, "{name}: JSON text differs");
    report
}

#[test]
fn card_basic() {
    let r = check(
        "card-basic",
        "fixtures/text/card-basic.txt",
        &Options::default(),
    );
    assert_eq!(r.layout, "card");
    assert_eq!(r.municipality.as_deref(), Some("桜淵市"));
    assert_eq!(r.fiscal_year, Some(2022));
    assert_eq!(r.items.len(), 7);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == "status-count-mismatch"));
}

#[test]
fn card_oddities() {
    let r = check(
        "card-oddities",
        "fixtures/text/card-oddities.txt",
        &Options::default(),
    );
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    for want in [
        "target-goal-year-unreadable",
        "duplicate-item-number",
        "skipped-item-number",
        "missing-status",
    ] {
        assert!(codes.contains(&want), "missing {want} in {codes:?}");
    }
    // 概ね順調 is a rating word of the lexicon; the unlabelled note under 実施内容・効果 is read as
    // the plan's last entry.
    let second = &r.items[1];
    let rating = second
        .rating
        .as_ref()
        .map(|x| (x.text.as_str(), x.code.as_deref()));
    assert_eq!(rating, Some(("概ね順調", Some("mostly_achieved"))));
    assert_eq!(
        r.items[0].plan.last().map(String::as_str),
        Some("本項目の数値は見込み値で記載しています。")
    );
}

#[test]
fn table_basic() {
    let r = check(
        "table-basic",
        "fixtures/text/table-basic.txt",
        &Options::default(),
    );
    assert_eq!(r.layout, "table");
    assert_eq!(r.municipality.as_deref(), Some("霞野市"));
    assert_eq!(r.fiscal_year, Some(2021));
    assert_eq!(r.items.len(), 8);
    assert!(
        r.diagnostics.iter().all(|d| d.code != "unassigned-text"),
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn third_layout_through_a_profile_file_alone() {
    let text = std::fs::read_to_string(common::root().join("fixtures/profiles/third.toml"))
        .expect("profile");
    let profile = gyokaku::records::LayoutSpec::from_toml("third.toml", &text).expect("profile");
    // Without the profile, neither built-in layout reads it …
    let bytes =
        std::fs::read(common::root().join("fixtures/text/third-layout.txt")).expect("fixture");
    for layout in ["card", "table"] {
        let forced = Options {
            layout: Some(layout.into()),
            ..Options::default()
        };
        let err = gyokaku::parse_bytes(&bytes, "third-layout.txt", &forced).unwrap_err();
        assert_eq!(err.kind, gyokaku::ErrorKind::NotAReport, "{layout}");
    }
    // … but inference does, to the same items as the profile.
    let inferred =
        gyokaku::parse_bytes(&bytes, "third-layout.txt", &Options::default()).expect("inferred");
    assert_eq!(inferred.layout, "inferred");
    let opts = Options {
        specs: vec![profile],
        ..Options::default()
    };
    let r = check("third-layout", "fixtures/text/third-layout.txt", &opts);
    assert_eq!(r.layout, "third");
    assert_eq!(r.items.len(), 4);
    type Key = (String, String, bool, Option<String>, Option<String>);
    let key = |r: &gyokaku::Report| -> Vec<Key> {
        r.items
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.title.clone(),
                    i.is_new,
                    i.department.clone(),
                    i.rating.as_ref().map(|x| x.text.clone()),
                )
            })
            .collect()
    };
    assert_eq!(key(&inferred), key(&r));
    assert!(r
        .items
        .iter()
        .all(|i| i.progress.iter().any(|p| p.status.is_some())));
}

/// A table whose cells are set apart by two full-width spaces (a Word or plain-text export, no
/// tabs) reads as its tab-separated twin: the same items, a single space kept inside its cell,
/// empty cells in their columns.
#[test]
fn table_fullwidth_gaps() {
    let input = "fixtures/text/table-fullwidth-gaps.txt";
    let r = check("table-fullwidth-gaps", input, &Options::default());
    assert_eq!(r.layout, "table");
    assert_eq!(r.municipality.as_deref(), Some("雁ノ巣町"));
    assert_eq!(r.fiscal_year, Some(2023));
    let rows: Vec<(&str, &str, Option<&str>, Option<&str>)> = r
        .items
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.title.as_str(),
                i.department.as_deref(),
                i.rating.as_ref().map(|x| x.text.as_str()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1", "証明書のコンビニ交付", Some("住民課"), Some("A")),
            ("2", "電子申請の対象拡大", Some("デジタル推進課"), Some("B")),
            ("3", "窓口の土曜開庁", Some("住民課"), Some("A")),
            ("4", "使用料の見直し", Some("財政課"), Some("C")),
            ("5", "公用車の削減", Some("管財課"), Some("A")),
        ]
    );
    let state = |k: usize| {
        r.items[k]
            .fields
            .iter()
            .find(|f| f.label == "取組状況")
            .map(|f| f.text.clone())
    };
    assert_eq!(state(1).as_deref(), Some("子育て関係 12手続を追加した。"));
    // row 3 leaves 指標, 目標 and 実績 empty: its 取組状況 stays in its column, no target
    assert_eq!(state(2).as_deref(), Some("毎月第2土曜日に開庁した。"));
    assert!(r.items[2].targets.is_empty());
    let target = &r.items[3].targets[0];
    let values: Vec<Option<&str>> = target.values.iter().map(|v| v.text.as_deref()).collect();
    assert_eq!(
        (target.name.as_str(), target.unit.as_deref(), values),
        ("効果額", Some("千円"), vec![Some("3,000"), Some("1,150")])
    );
    // the single space between words is kept in the cell the reader sees
    let bytes = std::fs::read(common::root().join(input)).expect("fixture");
    let doc = gyokaku::ingest(&bytes, &Options::default()).expect("ingest");
    let cells = &doc.lines[6].cells;
    assert_eq!(cells.len(), 8, "{cells:?}");
    assert_eq!(cells[6], "7月に戸籍証明書を追加 利用は前年の1.4倍");
    // the same report with tabs
    let tabbed = String::from_utf8(bytes)
        .expect("utf-8")
        .replace("\u{3000}\u{3000}", "\t");
    let twin = gyokaku::parse_bytes(tabbed.as_bytes(), "twin.txt", &Options::default())
        .expect("tab-separated twin");
    assert_eq!(twin.items, r.items);
}
