//! The keys of a profile of kind `inferred`, run through the binary on invented fixtures
//! (`fixtures/profiles/keys-table.*`, written by `scripts/make-profile-fixtures.py`): each key
//! changes what inference alone decides, and the tests assert the values it changes. Then the
//! `not-a-report` reasons, one per layout tried, with their line numbers.

use gyokaku::model::{Item, Report, ValueKind};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gyokaku")
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("run gyokaku")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `gyokaku parse [--profile P] INPUT` as a report, or the error line.
fn parse(input: &Path, profile: Option<&Path>) -> Result<Report, String> {
    let mut args = vec!["parse".to_string()];
    if let Some(p) = profile {
        args.push("--profile".into());
        args.push(p.display().to_string());
    }
    args.push(input.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args);
    if !out.status.success() {
        return Err(stderr(&out));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("not a report: {e}"))
}

fn keys_report() -> Report {
    parse(
        &fixture("profiles/keys-table.txt"),
        Some(&fixture("profiles/keys-table.toml")),
    )
    .unwrap_or_else(|e| panic!("keys-table does not parse: {e}"))
}

fn item<'a>(r: &'a Report, id: &str) -> &'a Item {
    r.items
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// A profile file written for one test, removed afterwards.
struct TempProfile(PathBuf);

impl TempProfile {
    fn new(name: &str, text: &str) -> TempProfile {
        let p =
            std::env::temp_dir().join(format!("gyokaku-keys-{}-{name}.toml", std::process::id()));
        std::fs::write(&p, text).expect("write profile");
        TempProfile(p)
    }
}

impl Drop for TempProfile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn without_the_profile_the_fixture_is_no_report_and_says_why() {
    let err = parse(&fixture("profiles/keys-table.txt"), None).expect_err("G01 is no built-in id");
    assert!(err.contains("not-a-report"), "{err}");
    assert!(
        err.contains("inferred: header row on line 3 ")
            && err.contains("the 整理番号 column holds G01, G02, G03, … (lines 7, 8, 10, …)"),
        "{err}"
    );
}

#[test]
fn pattern_levels_and_nested_sections() {
    let r = keys_report();
    assert_eq!(r.layout, "keys-table");
    let ids: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["G01", "G02", "G03", "G04"]);
    let sections: Vec<(Option<&str>, &str, u32)> = r
        .sections
        .iter()
        .map(|s| (s.id.as_deref(), s.title.as_str(), s.level))
        .collect();
    assert_eq!(
        sections,
        [
            (Some("基本方針1"), "行政運営の効率化", 1),
            (Some("推進項目(1)"), "窓口業務の見直し", 2),
            (Some("推進項目(2)"), "事務の電子化", 2),
            (Some("基本方針2"), "財政基盤の強化", 1),
            (Some("推進項目(1)"), "歳入の確保", 2),
        ]
    );
    let g03 = item(&r, "G03");
    assert_eq!(
        g03.section.as_deref(),
        Some("基本方針1 行政運営の効率化 › 推進項目(2)事務の電子化")
    );
    assert_eq!(g03.section_id.as_deref(), Some("推進項目(2)"));
    assert_eq!(item(&r, "G04").section_id.as_deref(), Some("推進項目(1)"));
    assert_eq!(item(&r, "G01").title, "窓口予約の導入");
    assert_eq!(item(&r, "G01").department.as_deref(), Some("市民課"));
}

#[test]
fn columns_bound_by_header_path_give_actual_values_per_year() {
    let r = keys_report();
    let t = item(&r, "G01").targets.first().expect("a target");
    assert_eq!(t.name, "予約件数");
    let values: Vec<(ValueKind, Option<i32>, Option<f64>)> = t
        .values
        .iter()
        .map(|v| (v.kind, v.fiscal_year, v.number))
        .collect();
    assert_eq!(
        values,
        [
            (ValueKind::Goal, Some(2020), Some(4.0)),
            (ValueKind::Actual, Some(2020), Some(4.2)),
            (ValueKind::Goal, Some(2021), Some(4.5)),
            (ValueKind::Actual, Some(2021), Some(4.6)),
        ]
    );
    // Without the [[columns]] keys, 到達 is no header the lexicon knows: the second header row is
    // not read, the year columns are a schedule and the 到達 cells fields without a header.
    let head = std::fs::read_to_string(fixture("profiles/keys-table.toml"))
        .expect("profile")
        .split("[[columns]]")
        .next()
        .expect("head")
        .to_string();
    let plain = TempProfile::new("no-columns", &head);
    let r = parse(&fixture("profiles/keys-table.txt"), Some(&plain.0)).expect("parses");
    let g01 = item(&r, "G01");
    let values: usize = g01.targets.iter().map(|t| t.values.len()).sum();
    assert_eq!(values, 0);
    let unlabelled: Vec<&str> = g01
        .fields
        .iter()
        .filter(|f| f.label.is_empty())
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(unlabelled, ["4.2万件", "4.6万件"]);
}

#[test]
fn units_and_minus_marks() {
    let r = keys_report();
    // `[[units]] unit = "万件"`: the unit inside 4.2万件 is read.
    assert_eq!(item(&r, "G01").targets[0].unit.as_deref(), Some("万件"));
    assert_eq!(item(&r, "G02").targets[0].unit.as_deref(), Some("%"));
    // `[[units]] target = "改定施設数" unit = "施設"`: a fixed unit for a target.
    assert_eq!(item(&r, "G04").targets[0].unit.as_deref(), Some("施設"));
    // `minus_marks = false`: ▲2,300 is no number (kept as text under its column).
    let g03 = item(&r, "G03");
    let actual_2021 = g03.targets[0]
        .values
        .iter()
        .find(|v| v.kind == ValueKind::Actual && v.fiscal_year == Some(2021));
    assert!(actual_2021.is_none(), "{actual_2021:?}");
    assert!(g03
        .fields
        .iter()
        .any(|f| f.label == "到達" && f.text == "▲2,300"));
    // With minus marks (the default) the same cell is -2300.
    let text = std::fs::read_to_string(fixture("profiles/keys-table.toml"))
        .expect("profile")
        .replace("minus_marks = false", "minus_marks = true");
    let minus = TempProfile::new("minus", &text);
    let r = parse(&fixture("profiles/keys-table.txt"), Some(&minus.0)).expect("parses");
    let v = item(&r, "G03").targets[0]
        .values
        .iter()
        .find(|v| v.kind == ValueKind::Actual && v.fiscal_year == Some(2021))
        .map(|v| v.number);
    assert_eq!(v, Some(Some(-2300.0)));
}

#[test]
fn profile_scale_comes_first_and_the_printed_legend_fills_in() {
    let r = keys_report();
    let scale: Vec<(&str, &str, u32)> = r
        .rating_scale
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|l| (l.text.as_str(), l.meaning.as_str(), l.rank))
        .collect();
    assert_eq!(
        scale,
        [
            ("A", "順調", 1),
            ("B", "概ね順調", 2),
            ("C", "遅れている", 3)
        ]
    );
    let rating = |id: &str| {
        item(&r, id)
            .rating
            .as_ref()
            .map(|x| (x.text.clone(), x.meaning.clone(), x.rank))
    };
    assert_eq!(
        rating("G02"),
        Some(("B".into(), Some("概ね順調".into()), Some(2)))
    );
    assert_eq!(
        rating("G04"),
        Some(("C".into(), Some("遅れている".into()), Some(3)))
    );
    let notes: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "rating-scale-profile")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("\"計画どおり進んでいる\""), "{notes:?}");
}

#[test]
fn an_unmapped_column_goes_to_fields_with_an_info_diagnostic() {
    let r = keys_report();
    let g01 = item(&r, "G01");
    let f = g01
        .fields
        .iter()
        .find(|f| f.label == "備考欄")
        .expect("備考欄 field");
    assert_eq!(
        (f.text.as_str(), f.role.as_deref()),
        ("土曜窓口も対象", None)
    );
    // Its text is not glued to another field.
    assert!(g01
        .fields
        .iter()
        .all(|f| f.label == "備考欄" || !f.text.contains("土曜窓口")));
    let d: Vec<(&str, Option<u32>)> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "unmapped-column")
        .map(|d| (d.message.as_str(), d.line))
        .collect();
    assert_eq!(
        d,
        [(
            "column 10 (備考欄) has no role; kept in fields under its header",
            Some(7)
        )]
    );
}

#[test]
fn profile_errors_name_the_file_the_key_and_the_line() {
    let base = "id = \"x\"\nkind = \"inferred\"\n\n[[levels]]\n";
    let cases = [
        (
            "unknown-key",
            format!("{base}scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\nstep = 2\n"),
            "(line 8): unknown field `step`",
        ),
        (
            "bad-pattern",
            format!("{base}pattern = 'G(\\d'\nform = \"cell\"\nkind = \"item\"\n"),
            "(line 5): levels.pattern = \"G(\\\\d\" is not a regular expression",
        ),
        (
            "bad-role",
            format!(
                "{base}scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n\n[[columns]]\nheader = \"到達\"\nrole = \"actual\"\n"
            ),
            "(line 11): columns.role = \"actual\" (for header \"到達\") is not a role",
        ),
        (
            "bad-scheme",
            format!("{base}scheme = \"letters\"\nform = \"cell\"\nkind = \"item\"\n"),
            "(line 5): levels.scheme = \"letters\" is not one of",
        ),
        (
            "unknown-top-key",
            format!("{base}scheme = \"number\"\nform = \"cell\"\nkind = \"item\"\n")
                .replace("kind = \"inferred\"\n", "kind = \"inferred\"\nminus = true\n"),
            "(line 3): unknown field `minus`",
        ),
    ];
    for (name, text, want) in cases {
        let p = TempProfile::new(name, &text);
        let out = run(&["parse", "--profile", &p.0.display().to_string(), "-"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&p.0.display().to_string()),
            "{name}: names the file: {err}"
        );
        assert!(err.contains(want), "{name}: want {want:?} in {err}");
    }
}

#[test]
fn a_profile_whose_pattern_misses_says_which_ids_it_saw() {
    let text = std::fs::read_to_string(fixture("profiles/keys-table.toml"))
        .expect("profile")
        .replace("pattern = 'G\\d{2}'", "pattern = 'H\\d{2}'");
    assert!(text.contains("H\\d{2}"));
    let p = TempProfile::new("miss", &text);
    let err = parse(&fixture("profiles/keys-table.txt"), Some(&p.0)).expect_err("no H ids");
    assert!(
        err.contains(
            "not-a-report: no layout reads it as a report: keys-table: header row on line 3 "
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "the 整理番号 column holds G01, G02, G03, … (lines 7, 8, 10, …), which the pattern"
        ),
        "{err}"
    );
    assert!(
        err.contains("which the pattern 'H\\d{2}' does not match"),
        "{err}"
    );
}

/// Reasons per layout tried, one line, with line numbers.
#[test]
fn not_a_report_reasons_per_layout() {
    let cases = [
        (
            "layouts/not-report-near-table.txt",
            [
                "card: no line starts with the record marker /改革項目/",
                "table: line 3 names columns (整理番号, 取組項目, 担当課, …) but its first cell \"整理番号\" is not a number column",
                "inferred: header row on line 3 (整理番号, 取組項目, 担当課, …) and 4 rows, but the 整理番号 column holds G01, G02, G03, … (lines 4–7), which no numbering scheme",
            ],
        ),
        (
            "layouts/not-report-near-list.txt",
            [
                "card: no line starts with the record marker /改革項目/",
                "table: no header row",
                "inferred: numbered lines on lines 4–6 (1, 2, 3) (number ids), but no run of them has content of its own",
            ],
        ),
        (
            "layouts/not-report-budget.txt",
            [
                "card: no line starts with the record marker",
                "table: no header row",
                "inferred: 12 numbered rows (lines 4–19), but only 0 carry what a reform item has",
            ],
        ),
        (
            "layouts/not-report-minutes.txt",
            [
                "card: no line starts with the record marker",
                "table: no header row",
                "inferred: 2 numbered rows (lines 7–8), but only 0 carry what a reform item has",
            ],
        ),
        (
            "text/not-a-report.txt",
            [
                "card: no line starts with the record marker",
                "table: no header row",
                "inferred: no line starts with an item number",
            ],
        ),
    ];
    for (rel, wants) in cases {
        let err = parse(&fixture(rel), None).expect_err(rel);
        assert_eq!(err.trim().lines().count(), 1, "{rel}: one line: {err}");
        let msg = err
            .split_once("not-a-report: no layout reads it as a report: ")
            .map(|(_, m)| m.trim().to_string())
            .unwrap_or_else(|| panic!("{rel}: {err}"));
        let parts: Vec<&str> = msg.split("; ").collect();
        assert_eq!(parts.len(), 3, "{rel}: {msg}");
        for (part, want) in parts.iter().zip(wants) {
            assert!(part.starts_with(want), "{rel}: want {want:?}, got {part:?}");
        }
    }
}

#[test]
fn not_a_report_reasons_are_diagnostics_in_json_errors() {
    let input = fixture("layouts/not-report-near-list.txt");
    let out = run(&[
        "--error-format",
        "json",
        "parse",
        &input.display().to_string(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    let v: Value = serde_json::from_str(err.trim()).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(v["kind"], "not-a-report");
    let layouts: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["layout"].as_str())
        .collect();
    assert_eq!(layouts, ["card", "table", "inferred"]);
    assert!(v["diagnostics"][2]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("numbered lines on lines 4–6 (1, 2, 3)")));
}

#[test]
fn columns_can_be_ignored_or_read_as_department_or_field() {
    let base = std::fs::read_to_string(fixture("profiles/keys-table.toml")).expect("profile");
    let text = format!(
        "{base}\n[[columns]]\nheader = \"備考欄\"\nrole = \"ignore\"\n\n[[columns]]\nheader = \"担当課\"\nrole = \"field\"\n\n[[columns]]\nheader = \"指標\"\nrole = \"department\"\n"
    );
    let p = TempProfile::new("roles", &text);
    let r = parse(&fixture("profiles/keys-table.txt"), Some(&p.0)).expect("parses");
    let g01 = item(&r, "G01");
    // ignore: no 備考欄 field, no unmapped-column note.
    assert!(
        g01.fields.iter().all(|f| f.label != "備考欄"),
        "{:?}",
        g01.fields
    );
    assert!(r.diagnostics.iter().all(|d| d.code != "unmapped-column"));
    // field: 担当課 is text under its header, not the department; department: the 指標 column is.
    let f = g01
        .fields
        .iter()
        .find(|f| f.label == "担当課")
        .expect("担当課 field");
    assert_eq!(
        (f.text.as_str(), f.role.as_deref()),
        ("市民課", Some("field.other"))
    );
    assert_eq!(g01.department.as_deref(), Some("予約件数"));
}
