use super::*;

fn joined(text: &str) -> String {
    let mut pages = vec![text
        .lines()
        .map(|l| (1, l.to_string()))
        .collect::<Vec<(u32, String)>>()];
    join_headings(&mut pages, false);
    pages
        .concat()
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn numbered_labels() {
    let cases: &[(&str, bool)] = &[
        ("基本方針1", true),
        ("施策の柱２", true),
        ("重点12", true),
        ("A", true),
        ("Ｂ", true),
        ("a", false),
        ("○", false),
        ("R4", false),
        ("12", false),
        ("1-1-1", false),
        ("令和5年度", false),
        ("基本 方針1", false),
    ];
    for (text, want) in cases {
        assert_eq!(numbered_label(text), *want, "{text}");
    }
}

#[test]
fn numbered_headings_joined() {
    let cases: &[(&str, &str)] = &[
        // a heading's full-width space set as four spaces, lines of a table below it
        (
            "基本方針1    村民とともに進める村づくり\n1-1     窓口の改善      住民課\n1-2     公用車の削減    管財課",
            "基本方針1 村民とともに進める村づくり\n1-1     窓口の改善      住民課\n1-2     公用車の削減    管財課",
        ),
        // three spaces, indented
        ("  施策の柱2   効率的な行政運営", "  施策の柱2 効率的な行政運営"),
        // a section letter before its title, under a header centred over the columns
        (
            "    番号      取組項目\nA   歳出の削減\nA-1      事務用品の一括調達",
            "    番号      取組項目\nA 歳出の削減\nA-1      事務用品の一括調達",
        ),
        // a wide gap is a gap between columns
        ("基本方針1        村民とともに進める", "基本方針1        村民とともに進める"),
        // a short text after the label is a value
        ("進捗度3    順調", "進捗度3    順調"),
        // labelled rows of a table stay in their columns
        (
            "地区1    上郷地区の集会所\n地区2    川端地区の集会所",
            "地区1    上郷地区の集会所\n地区2    川端地区の集会所",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(joined(text), *want, "{text}");
    }
}
