use super::*;
use crate::pdf::interp::Rule;

fn page(glyphs: &[(&str, f32, f32, f32)], rules: &[Rule]) -> PageContent {
    // (text, x, baseline y, size); each char advances by size.
    let mut pc = PageContent {
        height: 800.0,
        ..PageContent::default()
    };
    for (text, x, y, size) in glyphs {
        let mut cx = *x;
        for ch in text.chars() {
            let t0 = pc.text.len() as u32;
            pc.text.push(ch);
            let t1 = pc.text.len() as u32;
            let w = if ch.is_ascii() { size * 0.5 } else { *size };
            pc.glyphs.push(Glyph {
                x: cx,
                y: *y,
                w,
                size: *size,
                vertical: false,
                t0,
                t1,
                space: ch == ' ',
                mcid: -1,
                upward: false,
            });
            cx += w;
        }
    }
    pc.rules = rules.to_vec();
    pc
}

fn hline(y: f32, x0: f32, x1: f32) -> Rule {
    Rule {
        x0,
        y0: y - 0.2,
        x1,
        y1: y + 0.2,
    }
}
fn vline(x: f32, y0: f32, y1: f32) -> Rule {
    Rule {
        x0: x - 0.2,
        y0,
        x1: x + 0.2,
        y1,
    }
}

fn cells(rows: &[Row]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.cells.clone()).collect()
}

#[test]
fn line_clustering_and_gaps() {
    type Case<'a> = (Vec<(&'a str, f32, f32, f32)>, Vec<Vec<&'a str>>);
    let cases: Vec<Case> = vec![
        // one line, small baseline jitter, two columns
        (
            vec![
                ("改革項目", 10.0, 100.0, 10.0),
                ("秘書課", 200.0, 100.8, 10.0),
            ],
            vec![vec!["改革項目", "秘書課"]],
        ),
        // two lines
        (
            vec![
                ("一行目", 10.0, 100.0, 10.0),
                ("別の段落", 10.0, 140.0, 10.0),
            ],
            vec![vec!["一行目"], vec!["別の段落"]],
        ),
        // latin words with a space glyph stay one cell
        (vec![("AI chat", 10.0, 50.0, 10.0)], vec![vec!["AI chat"]]),
    ];
    for (glyphs, want) in cases {
        let pc = page(&glyphs, &[]);
        let rows = layout_page(&pc, &|_| None);
        let want: Vec<Vec<String>> = want
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(cells(&rows), want, "{glyphs:?}");
    }
}

#[test]
fn wrapped_cell_lines_join_without_rules() {
    // Label on the left; a cell on the right whose second line is a soft wrap (the first runs
    // to the block's right edge), then a new entry and a short paragraph after a hard break.
    let pc = page(
        &[
            ("次年度に向けて", 10.0, 100.0, 10.0),
            ("・各課の状況に応じて", 120.0, 100.0, 10.0),
            ("対応します。", 120.0, 112.0, 10.0),
            ("・次の項目", 120.0, 124.0, 10.0),
            ("短い行。", 120.0, 136.0, 10.0),
            ("次の段落", 120.0, 148.0, 10.0),
            ("次の見出し", 10.0, 190.0, 10.0),
        ],
        &[],
    );
    let rows = layout_page(&pc, &|_| None);
    assert_eq!(
        cells(&rows),
        vec![
            vec![
                "次年度に向けて".to_string(),
                "・各課の状況に応じて対応します。\n・次の項目\n短い行。\n次の段落".to_string()
            ],
            vec!["次の見出し".to_string()]
        ]
    );
}

#[test]
fn hanging_indent_stays_in_its_block() {
    let pc = page(
        &[
            ("・項目の説明が長く続", 10.0, 100.0, 10.0),
            ("く行です。", 20.0, 112.0, 10.0),
            ("・次の項目", 10.0, 124.0, 10.0),
        ],
        &[],
    );
    let rows = layout_page(&pc, &|_| None);
    assert_eq!(
        cells(&rows),
        vec![vec![
            "・項目の説明が長く続く行です。\n・次の項目".to_string()
        ]]
    );
}

#[test]
fn join_lines_soft_and_hard_breaks() {
    let l = |t: &str, x1: f32| (t.to_string(), x1, 10.0);
    type Case<'a> = (Vec<(String, f32, f32)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![l("これまでの取", 100.0), l("組状況", 60.0)],
            "これまでの取組状況",
        ),
        (vec![l("short", 40.0), l("next", 100.0)], "short\nnext"),
        (
            vec![l("running to the", 100.0), l("edge", 30.0)],
            "running to the edge",
        ),
        (
            vec![l("○一つ目の成果", 100.0), l("▲課題", 50.0)],
            "○一つ目の成果\n▲課題",
        ),
        (vec![l("単独", 50.0)], "単独"),
        // The longest of short lines set one under the other is no wrap: a sentence ends its
        // line, and a line opening with a short head and a space is a line of its own.
        (
            vec![l("実績 事後評価を行った。", 100.0), l("次の文が続く", 60.0)],
            "実績 事後評価を行った。\n次の文が続く",
        ),
        (
            vec![l("Ｂ おおむね計画どおり", 100.0), l("Ｃ 遅れている", 60.0)],
            "Ｂ おおむね計画どおり\nＣ 遅れている",
        ),
        (
            vec![l("１ 行政評価制度の", 100.0), l("No.2 次の題", 60.0)],
            "１ 行政評価制度の\nNo.2 次の題",
        ),
        // A rule drawn in characters is a border between lines, not text wrapped.
        (
            vec![l("━━━━━━━━", 100.0), l("項目番号 Ａ－１", 60.0)],
            "━━━━━━━━\n項目番号 Ａ－１",
        ),
    ];
    for (lines, want) in cases {
        assert_eq!(join_lines(&lines), want);
    }
}

#[test]
fn split_cell_continues() {
    let cases = [
        (
            "これまでの取組状況と今後",
            "の見通し",
            "これまでの取組状況と今後の見通し",
        ),
        ("○前半", "○後半", "○前半\n○後半"),
        ("", "続き", "続き"),
        ("A1", "B2", "A1 B2"),
    ];
    for (a, b, want) in cases {
        let mut s = a.to_string();
        continue_cell(&mut s, b);
        assert_eq!(s, want);
    }
}

#[test]
fn ruled_grid_with_merged_cells() {
    // 3 columns x 3 rows; row 0: cell spanning columns 1-2; column 0 spanning rows 1-2.
    let xs = [0.0, 100.0, 200.0, 300.0];
    let ys = [0.0, 20.0, 40.0, 60.0];
    let mut rules = vec![];
    for y in ys {
        rules.push(hline(y, 0.0, 300.0));
    }
    rules.retain(|r| !((r.y0 + r.y1) / 2.0 == 40.0));
    rules.push(hline(40.0, 100.0, 300.0));
    rules.push(vline(0.0, 0.0, 60.0));
    rules.push(vline(100.0, 0.0, 60.0));
    rules.push(vline(200.0, 20.0, 60.0));
    rules.push(vline(300.0, 0.0, 60.0));
    let _ = xs;
    let pc = page(
        &[
            ("改革項目", 2.0, 15.0, 8.0),
            ("一時的な業務の", 102.0, 15.0, 8.0),
            ("協力体制", 202.0, 15.0, 8.0),
            ("数値目標", 2.0, 35.0, 8.0),
            ("目標名", 102.0, 35.0, 8.0),
            ("単位", 202.0, 35.0, 8.0),
            ("希望者", 102.0, 55.0, 8.0),
            ("人", 202.0, 55.0, 8.0),
        ],
        &rules,
    );
    let rows = layout_page(&pc, &|_| None);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        cells(&rows),
        vec![
            s(&["改革項目", "一時的な業務の 協力体制", ""]),
            s(&["数値目標", "目標名", "単位"]),
            s(&["", "希望者", "人"])
        ]
    );
}

#[test]
fn ruled_cell_wraps_join_with_newline() {
    let rules = vec![
        hline(0.0, 0.0, 200.0),
        hline(50.0, 0.0, 200.0),
        vline(0.0, 0.0, 50.0),
        vline(60.0, 0.0, 50.0),
        vline(200.0, 0.0, 50.0),
    ];
    let pc = page(
        &[
            ("現状", 2.0, 12.0, 8.0),
            ("○一行目", 62.0, 12.0, 8.0),
            ("▲二行目", 62.0, 22.0, 8.0),
        ],
        &rules,
    );
    let rows = layout_page(&pc, &|_| None);
    assert_eq!(
        cells(&rows),
        vec![vec!["現状".to_string(), "○一行目\n▲二行目".to_string()]]
    );
}

/// Lines of a label and its value, some set apart by a wide gap and some by a space: each line a
/// row of its own, the values beside their labels (they were stacked into one row of tall cells).
/// And the rows of an unruled table: one row per line.
#[test]
fn label_lines_and_unruled_rows_stay_rows() {
    let pc = page(
        &[
            ("担当課", 10.0, 100.0, 10.0),
            ("総務課", 100.0, 100.0, 10.0),
            ("取組内容 点検する。", 10.0, 112.0, 10.0),
            ("進捗", 10.0, 124.0, 10.0),
            ("順調", 100.0, 124.0, 10.0),
        ],
        &[],
    );
    let rows = layout_page(&pc, &|_| None);
    assert_eq!(
        cells(&rows),
        vec![
            vec!["担当課".to_string(), "総務課".to_string()],
            vec!["取組内容 点検する。".to_string()],
            vec!["進捗".to_string(), "順調".to_string()],
        ]
    );
    let pc = page(
        &[
            ("1", 10.0, 100.0, 10.0),
            ("会議の削減", 40.0, 100.0, 10.0),
            ("総務課", 160.0, 100.0, 10.0),
            ("2", 10.0, 112.0, 10.0),
            ("公用車の削減", 40.0, 112.0, 10.0),
            ("管財課", 160.0, 112.0, 10.0),
        ],
        &[],
    );
    let rows = layout_page(&pc, &|_| None);
    assert_eq!(
        cells(&rows),
        vec![
            vec![
                "1".to_string(),
                "会議の削減".to_string(),
                "総務課".to_string()
            ],
            vec![
                "2".to_string(),
                "公用車の削減".to_string(),
                "管財課".to_string()
            ],
        ]
    );
}

/// Lines that step back out to the left are not continuations: a line under a row of several
/// pieces starting left of that row's first piece, and a line starting left of a block whose left
/// edge its first two lines have set.
#[test]
fn lines_stepping_left_start_blocks_of_their_own() {
    type Case<'a> = (&'a str, Vec<(&'a str, f32, f32, f32)>, Vec<Vec<&'a str>>);
    let cases: Vec<Case> = vec![
        (
            "a label line under a row of a small table of values",
            vec![
                ("実績", 30.0, 100.0, 10.0),
                ("５２，３００", 80.0, 100.0, 10.0),
                ("５８，１００", 160.0, 100.0, 10.0),
                ("評価：◎", 20.0, 113.0, 10.0),
            ],
            vec![
                vec!["実績", "５２，３００", "５８，１００"],
                vec!["評価：◎"],
            ],
        ),
        (
            "indented lines of a heading stepping back out",
            vec![
                ("担当：総務課", 30.0, 100.0, 10.0),
                ("指標：寄附額の件数", 20.0, 113.0, 10.0),
                ("No.2 次の題", 10.0, 126.0, 10.0),
            ],
            vec![
                vec!["担当：総務課\n指標：寄附額の件数"],
                vec!["No.2 次の題"],
            ],
        ),
        (
            "a first-line indent and the lines under it stay one paragraph",
            vec![
                ("本書は行政改革の", 20.0, 100.0, 10.0),
                ("取組の状況を示すものである", 10.0, 113.0, 10.0),
                ("とともに課題を示す", 10.0, 126.0, 10.0),
            ],
            vec![vec![
                "本書は行政改革の\n取組の状況を示すものであるとともに課題を示す",
            ]],
        ),
    ];
    for (what, glyphs, want) in cases {
        let pc = page(&glyphs, &[]);
        let rows = layout_page(&pc, &|_| None);
        let want: Vec<Vec<String>> = want
            .into_iter()
            .map(|r| r.into_iter().map(String::from).collect())
            .collect();
        assert_eq!(cells(&rows), want, "{what}");
    }
}

/// Single letters set one under the other at the start of rows (a legend's grades, each with its
/// meaning on its baseline) stay the rows' first cells: they are not a column of vertical writing.
#[test]
fn row_labels_stacked_in_a_column_are_not_vertical_writing() {
    type Case<'a> = (&'a str, Vec<(&'a str, f32, f32, f32)>, Vec<Vec<&'a str>>);
    let cases: Vec<Case> = vec![
        (
            "grades over each other, meanings beside them",
            vec![
                ("Ａ", 20.0, 100.0, 10.0),
                ("計画を上回った", 60.0, 100.0, 10.0),
                ("Ｂ", 20.0, 112.8, 10.0),
                ("計画どおり", 60.0, 112.8, 10.0),
                ("Ｃ", 20.0, 125.5, 10.0),
                ("遅れている", 60.0, 125.5, 10.0),
            ],
            vec![
                vec!["Ａ", "計画を上回った"],
                vec!["Ｂ", "計画どおり"],
                vec!["Ｃ", "遅れている"],
            ],
        ),
        (
            "a column of characters beside no text is read top to bottom",
            vec![
                ("進", 20.0, 100.0, 10.0),
                ("捗", 20.0, 110.5, 10.0),
                ("状", 20.0, 121.0, 10.0),
                ("況", 20.0, 131.5, 10.0),
            ],
            vec![vec!["進捗状況"]],
        ),
    ];
    for (what, glyphs, want) in cases {
        let pc = page(&glyphs, &[]);
        let rows = layout_page(&pc, &|_| None);
        let want: Vec<Vec<String>> = want
            .into_iter()
            .map(|r| r.into_iter().map(String::from).collect())
            .collect();
        assert_eq!(cells(&rows), want, "{what}");
    }
}

#[test]
fn box_glyphs_draw_the_table_they_print() {
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<Vec<&'a str>>);
    let cases: Vec<Case> = vec![
        (
            "a table of box glyphs: one row between two rules, a cell's lines joined",
            vec![
                "┌──┬────┐",
                "│番号│取組項目│",
                "├──┼────┤",
                "│１  │窓口手続│",
                "│    │の改善  │",
                "└──┴────┘",
            ],
            vec![vec!["番号", "取組項目"], vec!["１", "窓口手続の改善"]],
        ),
        (
            "a heading between two rules is text",
            vec!["──　題　──", "本文の行は見出しより長い行です"],
            vec![vec!["──　題　──\n本文の行は見出しより長い行です"]],
        ),
        (
            "one line of sides draws no table",
            vec!["│番号│題│"],
            vec![vec!["│番号│題│"]],
        ),
    ];
    for (what, lines, want) in cases {
        let glyphs: Vec<(&str, f32, f32, f32)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (*l, 20.0, 30.0 + 13.0 * i as f32, 10.0))
            .collect();
        let pc = page(&glyphs, &[]);
        let rows = layout_page(&pc, &|_| None);
        let want: Vec<Vec<String>> = want
            .into_iter()
            .map(|r| r.into_iter().map(String::from).collect())
            .collect();
        assert_eq!(cells(&rows), want, "{what}");
    }
}
