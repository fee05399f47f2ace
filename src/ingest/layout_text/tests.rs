use super::*;

fn rebuilt(text: &str) -> Option<String> {
    let doc = crate::text::ingest(text.as_bytes(), None).ok()?;
    let d = rebuild(doc);
    (d.media_type == super::super::LAYOUT_TEXT).then(|| d.to_text())
}

fn rows_of(text: &str) -> Vec<Vec<String>> {
    let doc = crate::text::ingest(text.as_bytes(), None).expect("text");
    rebuild(doc).lines.into_iter().map(|l| l.cells).collect()
}

/// Each text's rows as rebuilt, against the rows wanted.
fn assert_rows(cases: &[(&str, &[&[&str]])]) {
    for (text, want) in cases {
        let want: Vec<Vec<String>> = want
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows_of(text), want, "{text}");
    }
}

/// A row above a row of four or more cells, with as many words one space apart as that row has
/// cells: its header, a cell per word.
#[test]
fn header_one_space_apart_split_over_its_row() {
    // (rows as (line, cells), the first row's cells after)
    type Case<'a> = (&'a [(usize, &'a [&'a str])], &'a [&'a str]);
    let cases: &[Case] = &[
        (
            &[
                (0, &["指標名 単位", "基準値（R元） R3目標 R3実績 R5目標"]),
                (1, &["公用車の保有台数", "台", "58", "52", "53", "48"]),
            ],
            &[
                "指標名",
                "単位",
                "基準値（R元）",
                "R3目標",
                "R3実績",
                "R5目標",
            ],
        ),
        // as many words, but a line between
        (
            &[
                (0, &["指標名 単位", "基準値 R3目標 R3実績 R5目標"]),
                (2, &["公用車の保有台数", "台", "58", "52", "53", "48"]),
            ],
            &["指標名 単位", "基準値 R3目標 R3実績 R5目標"],
        ),
        // fewer words than the row below has cells
        (
            &[
                (0, &["指標名 単位", "目標 実績"]),
                (1, &["公用車", "台", "58", "52", "53"]),
            ],
            &["指標名 単位", "目標 実績"],
        ),
        // a row of three cells below: too few to tell a header
        (
            &[(0, &["指標名 単位", "目標"]), (1, &["公用車", "台", "58"])],
            &["指標名 単位", "目標"],
        ),
    ];
    for (rows, want) in cases {
        let mut rows: Vec<(usize, Vec<String>)> = rows
            .iter()
            .map(|(i, c)| (*i, c.iter().map(|c| c.to_string()).collect()))
            .collect();
        runs::split_header_over(&mut rows);
        assert_eq!(
            rows.first().map(|(_, c)| c.clone()),
            Some(want.iter().map(|c| c.to_string()).collect()),
            "{rows:?}"
        );
    }
    // two figures across a gap of three spaces are two cells, where words would be joined
    let rows = rows_of(
        "取組内容     各課で管理する。\n公用車の保有台数     台      58   52   53\n令和3年度の取組状況   予約を始めた。\n評価    Ⅱ\n",
    );
    assert_eq!(
        rows.get(1).cloned(),
        Some(
            vec!["公用車の保有台数", "台", "58", "52", "53"]
                .into_iter()
                .map(String::from)
                .collect()
        )
    );
}

/// Forms repeated through a document: their labels set the rows.
#[test]
fn repeated_labels_set_rows() {
    let cases: &[(&str, &[&[&str]])] = &[
            // a label set one space after a cell that ran to it is a cell of its own, as it is on
            // the other lines opening with the same row label
            (
"目標    窓口の混雑を減らすため予約制度を導入 進捗状況   順調\n      する\n目標    申請書を見直す            進捗状況   遅れ\n目標    公用車を減らす            進捗状況   順調\n目標    照明を替える             進捗状況   順調\n",
                &[
                    &["目標", "窓口の混雑を減らすため予約制度を導入する", "進捗状況", "順調"],
                    &["目標", "申請書を見直す", "進捗状況", "遅れ"],
                    &["目標", "公用車を減らす", "進捗状況", "順調"],
                    &["目標", "照明を替える", "進捗状況", "順調"],
                ],
            ),
            // a line opening with a row label of the form starts a row, even with the first
            // column empty under a row it could continue
            (
                "1   窓口の改善        住民課    ■予約制\n    これまでの状況    ○予約を始めた。\n                      ○待ち時間が減った。\n2   公用車の削減      管財課    ■台数減\n    これまでの状況    ○二台減らした。\n3   照明の更新        財政課    ■器具交換\n    これまでの状況    ○半数を替えた。\n",
                &[
                    &["1", "窓口の改善", "住民課", "■予約制"],
                    &["", "これまでの状況", "○予約を始めた。\n○待ち時間が減った。"],
                    &["2", "公用車の削減", "管財課", "■台数減"],
                    &["", "これまでの状況", "○二台減らした。"],
                    &["3", "照明の更新", "財政課", "■器具交換"],
                    &["", "これまでの状況", "○半数を替えた。"],
                ],
            ),
            // a row label opening the line is a cell of its own across a narrow gap no other
            // line shares
            (
                "これまでの状況   ○予約を始めた。\nこれまでの状況     ○二台減らした。\nこれまでの状況       ○半数を替えた。\n",
                &[
                    &["これまでの状況", "○予約を始めた。"],
                    &["これまでの状況", "○二台減らした。"],
                    &["これまでの状況", "○半数を替えた。"],
                ],
            ),
            // a label opening a run one space before its value, the same label in that place
            // on the other lines opening with the same row label and the values differing: a
            // cell of its own
            (
                "備考    特になし\n評価    Ａ   担当課 企画課\n備考    特になし\n評価    Ｃ   担当課 税務課\n備考    特になし\n評価    Ｂ   担当課 管財課\n備考    特になし\n",
                &[
                    &["備考", "特になし"],
                    &["評価", "Ａ", "担当課", "企画課"],
                    &["備考", "特になし"],
                    &["評価", "Ｃ", "担当課", "税務課"],
                    &["備考", "特になし"],
                    &["評価", "Ｂ", "担当課", "管財課"],
                    &["備考", "特になし"],
                ],
            ),
            // the same opening word before only two different words: one cell
            (
                "備考    特になし\n評価    Ａ   担当課 企画課\n備考    特になし\n評価    Ｃ   担当課 企画課\n備考    特になし\n評価    Ｂ   担当課 管財課\n備考    特になし\n",
                &[
                    &["備考", "特になし"],
                    &["評価", "Ａ", "担当課 企画課"],
                    &["備考", "特になし"],
                    &["評価", "Ｃ", "担当課 企画課"],
                    &["備考", "特になし"],
                    &["評価", "Ｂ", "担当課 管財課"],
                    &["備考", "特になし"],
                ],
            ),
        ];
    assert_rows(cases);
    // a label and its value one space apart, by the words after the label on lines opening with
    // the same row label: three different ones, the label worded and without figures
    let heads = Labels::new(
        &[
            (1, "評価   Ａ   担当課 企画課   R4 実施".to_string()),
            (2, "評価   Ｃ   担当課 税務課   R4 完了".to_string()),
            (3, "評価   Ｂ   担当課 管財課   R4 検討".to_string()),
            (4, "目標   Ｂ   担当課 人事課".to_string()),
        ],
        false,
    );
    let cases: &[(&str, &str, bool)] = &[
        ("評価", "担当課", true),
        ("目標", "担当課", false), // one line opening with 目標
        ("評価", "R4", false),     // a figure: a value, not a label
        ("評価", "企画課", false),
    ];
    for &(row, word, want) in cases {
        assert_eq!(heads.is_cell_head(row, word), want, "{row} {word}");
    }
    // a page header repeated whole is no row label
    let header: Vec<(u32, String)> = (1..=3)
        .map(|n| (n, "汐見野町行政改革   進捗管理表".to_string()))
        .collect();
    assert!(!Labels::new(&header, false).is_row_label("汐見野町行政改革"));
    let labels = Labels::new(
        &[
            (1, "目標   甲   進捗状況   順調".to_string()),
            (2, "目標   乙   進捗状況   順調".to_string()),
            (3, "目標   丙   進捗状況   遅れ".to_string()),
            (4, "→→→→   実施".to_string()),
        ],
        false,
    );
    assert!(labels.is_cell_label("目標", "進捗状況"));
    assert!(!labels.is_cell_label("目標", "順調")); // two letters: a value, not a label
    assert!(!labels.is_row_label("目標")); // two letters
    assert!(!labels.is_row_label("→→→→"));
}

/// Rows of a table set on the character grid: figures under a word awaiting them, long cells
/// under a centred header, narrow gaps at the table's columns.
#[test]
fn table_cells_by_their_columns() {
    let cases: &[(&str, &[&[&str]])] = &[
            // a figure under a cell ending in the word it is the value of continues that cell
            (
                "数値目標   目標名        単位    実績             目標\n           利用者数      人      件数 120 人数    件数 150 人数\n                                 2,400            3,000\n",
                &[
                    &["数値目標", "目標名", "単位", "実績", "目標"],
                    &["", "利用者数", "人", "件数 120 人数 2,400", "件数 150 人数 3,000"],
                ],
            ),
            // figures under plain headers are a row of their own
            (
                "数値目標   目標名        単位    実績             目標\n           利用者数      人      件数             件数\n                                 2,400            3,000\n",
                &[
                    &["数値目標", "目標名", "単位", "実績", "目標"],
                    &["", "利用者数", "人", "件数", "件数"],
                    &["", "", "", "2,400", "3,000"],
                ],
            ),
            // a gap of three spaces before a run that starts at a column of the table is a
            // column, even set a few characters off it
            (
                "番号   項目            担当課    R4          R5          R6\n1      窓口の改善      住民課    検討        実施        完了\n2      公用車の削減    管財課    実施    完了            完了\n",
                &[
                    &["番号", "項目", "担当課", "R4", "R5", "R6"],
                    &["1", "窓口の改善", "住民課", "検討", "実施", "完了"],
                    &["2", "公用車の削減", "管財課", "実施", "完了", "完了"],
                ],
            ),
            // a sentence running on past the next column of the table lines around is one cell,
            // though a line has cells starting on either side of its single space
            (
                "区分    内容                                 担当      時期\n1       窓口の改善                           住民課    R4\n方針    来年度から全ての窓口で受付を始める。 状況を調べて順に広げていく。\n",
                &[
                    &["区分", "内容", "担当", "時期"],
                    &["1", "窓口の改善", "住民課", "R4"],
                    &["方針", "来年度から全ての窓口で受付を始める。 状況を調べて順に広げていく。"],
                ],
            ),
            // a cell filled to one space before the start of a header cell is split there; a
            // sentence running over a header cell's start is not
            (
                "番号       取組名            指標       基準値      計画      実績\n1-1   窓口の予約制の導入      予約で受け付ける手続数 40件      60件     72件\n1-2   申請書の簡素化        様式を減らした申請の数 12種      20種     18種\n1-3   公用車の削減         保有する公用車の台数 45台       40台     41台\n備考    窓口と申請の見直しを続けて全庁で進めていく予定である 来年度は件数を目安に広げる。\n",
                &[
                    &["番号", "取組名", "指標", "基準値", "計画", "実績"],
                    &["1-1", "窓口の予約制の導入", "予約で受け付ける手続数", "40件", "60件", "72件"],
                    &["1-2", "申請書の簡素化", "様式を減らした申請の数", "12種", "20種", "18種"],
                    &["1-3", "公用車の削減", "保有する公用車の台数", "45台", "40台", "41台"],
                    &["備考", "窓口と申請の見直しを続けて全庁で進めていく予定である 来年度は件数を目安に広げる。"],
                ],
            ),
            // a header centred over the columns of the rows below it takes their columns, though
            // a card line of the same block has a column starting near its last cell
            (
                "番号     7      名称    公用車の削減          所管     管財課\n指標     保有台数\n           年度     目標値       実績値             達成率\n       令和5年度   40台   38台            105.0%\n       令和6年度   36台   37台            97.2%\n",
                &[
                    &["番号", "7", "名称", "公用車の削減", "所管", "管財課"],
                    &["指標", "保有台数"],
                    &["", "年度", "目標値", "実績値", "達成率"],
                    &["", "令和5年度", "40台", "38台", "105.0%"],
                    &["", "令和6年度", "36台", "37台", "97.2%"],
                ],
            ),
        ];
    assert_rows(cases);
    assert!(awaits_figure("件数 7,004 人数"));
    assert!(!awaits_figure("件数 7,004"));
    assert!(!awaits_figure("実績（R2）"));
}

#[test]
fn detects_aligned_text() {
    assert!(is_layout_text(
        ["番号   項目", "1      甲", "2      乙"].into_iter()
    ));
    assert!(!is_layout_text(
        ["番号\t項目", "1      甲", "2      乙", "3   丙"].into_iter()
    ));
    assert!(!is_layout_text(
        ["本文です。", "次の行。", "改革   の推進"].into_iter()
    ));
}

#[test]
fn wrapped_cells_join_their_row() {
    let cases: &[(&str, &str)] = &[
            // a wrapped title under its own column, the first column empty
            (
                "番号    取組項目            担当課\n 1      窓口業務の          住民課\n        効率化\n 2      公用車の削減        管財課\n",
                "番号\t取組項目\t担当課\n1\t窓口業務の\n効率化\t住民課\n2\t公用車の削減\t管財課\n",
            ),
            // a line that filled its column continues directly
            (
                "1   業務の見直しを進める   総務課   甲\n    ための体制整備\n2   次の項目               人事課   丁\n3   三つ目                 財政課   戊\n",
                "1\t業務の見直しを進めるための体制整備\t総務課\t甲\n2\t次の項目\t人事課\t丁\n3\t三つ目\t財政課\t戊\n",
            ),
            // list entries of one cell
            (
                "現状      ・一つ目の状況\n          ・二つ目の状況\n課題      ▲残る課題\n方針      ・次の方針\n",
                "現状\t・一つ目の状況\n・二つ目の状況\n課題\t▲残る課題\n方針\t・次の方針\n",
            ),
            // a data row under a header row is a row of its own
            (
                "数値目標   目標名        単位    目標\n           利用者数      人      200\n           窓口件数      件      80\n",
                "数値目標\t目標名\t単位\t目標\n\t利用者数\t人\t200\n\t窓口件数\t件\t80\n",
            ),
            // a blank line ends a row
            (
                "1      窓口業務の          住民課\n\n       効率化\n2      公用車の削減        管財課\n3      庁舎の管理          財政課\n",
                "1\t窓口業務の\t住民課\n効率化\n2\t公用車の削減\t管財課\n3\t庁舎の管理\t財政課\n",
            ),
        ];
    for (text, want) in cases {
        assert_eq!(rebuilt(text).as_deref(), Some(*want), "{text}");
    }
}

/// Text as `pdftotext -layout` sets it: one column per character, whatever its width.
#[test]
fn converter_grid_rebuilt_like_a_ruled_table() {
    let cases: &[(&str, &str)] = &[
            // a row skipping columns gets empty cells
            (
                "番号   取組項目          担当課     R4     R5     R6     備考\n1      窓口の改善        住民課     検討   実施   完了   前倒し\n2      公用車の削減      管財課     実施   完了          三台減\n3      庁舎の省エネ      財政課     検討                 延期\n",
                "番号\t取組項目\t担当課\tR4\tR5\tR6\t備考\n1\t窓口の改善\t住民課\t検討\t実施\t完了\t前倒し\n2\t公用車の削減\t管財課\t実施\t完了\t\t三台減\n3\t庁舎の省エネ\t財政課\t検討\t\t\t延期\n",
            ),
            // a heading over the columns a header row leaves empty is its spanning cell
            (
                "                                         年度別の状況\n番号   取組項目          担当課                             備考\n                                   R4     R5     R6\n1      窓口の改善        住民課    検討   実施   完了   前倒し\n2      公用車の削減      管財課    実施   完了   完了   三台減\n",
                "番号\t取組項目\t担当課\t年度別の状況\t\t\t備考\n\t\t\tR4\tR5\tR6\n1\t窓口の改善\t住民課\t検討\t実施\t完了\t前倒し\n2\t公用車の削減\t管財課\t実施\t完了\t完了\t三台減\n",
            ),
            // a wrapped first column with the row's other wrapped cells; short cells one line
            (
                "具体的な取組        担当課      取組実績                       評価   評価理由\nア 窓口予約システ   市民課      予約をインターネットで受け付   A      予定した全窓口で稼働\nムの導入                        ける仕組みを整えた。                  したため。\n\nイ 押印の見直し     総務課      様式を点検し押印を廃止した。   B      一部が残ったため。\n",
                "具体的な取組\t担当課\t取組実績\t評価\t評価理由\nア 窓口予約システムの導入\t市民課\t予約をインターネットで受け付ける仕組みを整えた。\tA\t予定した全窓口で稼働したため。\nイ 押印の見直し\t総務課\t様式を点検し押印を廃止した。\tB\t一部が残ったため。\n",
            ),
            // a cell one space from the next is split where a nearby row's cells start
            (
                "1    窓口の改善     住民課   申請書の記載項目を見直し、職員 様式の統一   実施\n2    公用車の削減    管財課   台数を見直す          車両の売却   完了\n3    庁舎の省エネ    財政課   照明を替える          器具の更新   実施\n",
                "1\t窓口の改善\t住民課\t申請書の記載項目を見直し、職員\t様式の統一\t実施\n2\t公用車の削減\t管財課\t台数を見直す\t車両の売却\t完了\n3\t庁舎の省エネ\t財政課\t照明を替える\t器具の更新\t実施\n",
            ),
            // on the converter's grid a line filled its column when it reaches, by display width,
            // as far as the widest line around (half-width figures make a line longer in
            // characters, not in print)
            (
                "番号    内容                          担当\n1     ○2020年4月1日から120件を受付         住民課\n2     ○窓口の待ち時間を短縮するため案            総務課\n      内を掲示した。\n3     ○照明を替えた。                    財政課\n",
                "番号\t内容\t担当\n1\t○2020年4月1日から120件を受付\t住民課\n2\t○窓口の待ち時間を短縮するため案内を掲示した。\t総務課\n3\t○照明を替えた。\t財政課\n",
            ),
        ];
    for (text, want) in cases {
        assert_eq!(rebuilt(text).as_deref(), Some(*want), "{text}");
    }
    // lined up per character, not per display width, and the other way round
    let lines: Vec<(u32, String)> = [
        "番号    項目      担当",
        "1     甲乙      総務課",
        "2     丙丁戊     財政課",
    ]
    .iter()
    .map(|l| (1, l.to_string()))
    .collect();
    assert!(!counts_display_width(&lines));
    let lines: Vec<(u32, String)> = [
        "番号    項目      担当",
        "1       甲乙      総務課",
        "2       丙丁戊    財政課",
    ]
    .iter()
    .map(|l| (1, l.to_string()))
    .collect();
    assert!(counts_display_width(&lines));
}

#[test]
fn spans_split_at_three_columns() {
    let got: Vec<(usize, usize)> = spans("  甲乙   R4  計画", true)
        .iter()
        .map(|s| (s.start, s.end))
        .collect();
    assert_eq!(got, vec![(2, 6), (9, 17)]);
}

#[test]
fn half_and_full_width_columns_line_up() {
    // "R4" (2 half-width columns) and "計画" (4 columns): the next column starts at 12 either way
    let text = "R4          計画値\n計画        1,200\n実績        ▲300\n";
    let got = rebuilt(text).unwrap_or_default();
    assert_eq!(got, "R4\t計画値\n計画\t1,200\n実績\t▲300\n");
}

#[test]
fn page_numbers_found() {
    let cases: &[(&str, bool)] = &[
        ("2 / 3", true),
        ("P.1", true),
        ("- 1 -", true),
        ("12", true),
        ("1,200", false),
        ("P.12345", false),
        ("2 / 3ページ", false),
        ("令和3", false),
    ];
    for (cell, want) in cases {
        assert_eq!(is_folio(cell), *want, "{cell}");
    }
    // a page number under a row's last cell is no line of that cell
    let text = "番号    取組項目        評価\n1       窓口の改善      A\n2       公用車の削減    B\n3       庁舎の省エネ    C\n                        2 / 3\n";
    assert_eq!(
        rebuilt(text).as_deref(),
        Some("番号\t取組項目\t評価\n1\t窓口の改善\tA\n2\t公用車の削減\tB\n3\t庁舎の省エネ\tC\n2 / 3\n")
    );
}

/// A heading over a header row's columns moves to the first of them, when it is the only cell
/// over them; headings each over their own pair of columns stay.
#[test]
fn heading_spread_over_the_header_below() {
    let row = |r: &[&str]| r.iter().map(|c| c.to_string()).collect::<Vec<String>>();
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["番号", "指標", "基準値", "", "", "令和6年度", "", "目標値"],
            &["", "", "", "計画", "実績", "評価", "状況"],
            &["番号", "指標", "基準値", "令和6年度", "", "", "", "目標値"],
        ),
        // each year over its own plan and actual: already at the first of its columns
        (
            &["番号", "項目", "令和5年度", "", "令和6年度", ""],
            &["", "", "計画", "実績", "計画", "実績"],
            &["番号", "項目", "令和5年度", "", "令和6年度", ""],
        ),
        // figures below: a data row, not a header
        (
            &["番号", "項目", "", "", "目標"],
            &["", "", "120", "131", "A"],
            &["番号", "項目", "", "", "目標"],
        ),
    ];
    for (upper, lower, want) in cases {
        let mut got = row(upper);
        spread_over(&mut got, &row(lower));
        assert_eq!(got, row(want), "{upper:?} over {lower:?}");
    }
}

/// A block's columns: a cell set right of a label column whose text runs over the whole of a
/// header cell centred above it is that header's column, not the label's; a header spanning two
/// columns below it (`令和元年度` over `計画 | 実績`) does not move.
#[test]
fn block_columns_follow_cells_under_centred_headers() {
    // (block, grid of column starts)
    let cases: &[(&[&str], &[usize])] = &[
        (
            &[
                "     目標         数値目標       目標値   実績値",
                "         職員の年間時間外勤務の時間数    150時間以下   173時間   未達成",
            ],
            &[5, 9, 27, 33, 45],
        ),
        (
            &[
                "番号   取組項目      令和元年度        令和2年度",
                "                  計画    実績    計画    実績",
            ],
            &[0, 5, 15, 24, 30, 36],
        ),
    ];
    for (block, want) in cases {
        let all: Vec<Vec<Span>> = block.iter().map(|l| spans(l, false)).collect();
        let grids = block_grids(&all);
        assert_eq!(
            grids.first().cloned().flatten().as_deref(),
            Some(*want),
            "{block:?}"
        );
    }
}

/// A table line's gaps between words widened to five spaces at least; other lines as they are.
#[test]
fn narrow_gaps_widened_on_table_lines() {
    let cases: &[(&str, &str)] = &[
        // cells one and two spaces apart on a line with a wide gap
        (
            "1   継続  窓口の導入 会計課 本庁に導入する",
            "1     継続     窓口の導入     会計課     本庁に導入する",
        ),
        // Latin words and figures too
        (
            "No.1 ★   申請 R5 3,200",
            "No.1     ★     申請     R5     3,200",
        ),
        // entries of one listing cell stay one piece; a mark standing alone is a cell of its own
        (
            "No.1   ○追加した。 ○件数は増えた。 ●  継続",
            "No.1     ○追加した。 ○件数は増えた。     ●     継続",
        ),
        // a sentence not opening with a mark is a cell, the entry after it another
        (
            "No.2   追加した。 ○件数は増えた。  継続",
            "No.2     追加した。     ○件数は増えた。     継続",
        ),
        // no gap of three spaces: not a table line
        (
            "視点１ 行政サービスの質の向上",
            "視点１ 行政サービスの質の向上",
        ),
        // indentation and trailing spaces are not gaps between cells
        ("  R4  R5   R6 ", "  R4     R5     R6 "),
    ];
    for (line, want) in cases {
        assert_eq!(narrow::widen(line), *want, "{line}");
    }
}

/// Rows of a narrow text indented directly under a row at the left edge with one cell more: an
/// empty first cell.
#[test]
fn narrow_indented_rows_under_a_wider_row() {
    // (lines, rows as (line, cells), the rows' cells after)
    type Case<'a> = (
        &'a [&'a str],
        &'a [(usize, &'a [&'a str])],
        &'a [&'a [&'a str]],
    );
    let cases: &[Case] = &[
        (
            &[
                "事業費（千円） 令和３年度   令和４年度",
                "    ８，４２０   ８，９１０",
            ],
            &[
                (0, &["事業費（千円）", "令和３年度", "令和４年度"]),
                (1, &["８，４２０", "８，９１０"]),
            ],
            &[
                &["事業費（千円）", "令和３年度", "令和４年度"],
                &["", "８，４２０", "８，９１０"],
            ],
        ),
        // under a row placed so itself: rows of a group under its first
        (
            &[
                "歳出 1 給与の見直し   人事課",
                "    2 用品の購入   契約課",
                "    3 祝金の見直し   福祉課",
            ],
            &[
                (0, &["歳出", "1", "給与の見直し", "人事課"]),
                (1, &["2", "用品の購入", "契約課"]),
                (2, &["3", "祝金の見直し", "福祉課"]),
            ],
            &[
                &["歳出", "1", "給与の見直し", "人事課"],
                &["", "2", "用品の購入", "契約課"],
                &["", "3", "祝金の見直し", "福祉課"],
            ],
        ),
        // shorter rows go where their cells' kinds match the row above's, once
        (
            &[
                "R2-1 定数の適正化 総務課 職員数（人） 計画 142 140 138",
                "   実績 142 139",
            ],
            &[
                (
                    0,
                    &[
                        "R2-1",
                        "定数の適正化",
                        "総務課",
                        "職員数（人）",
                        "計画",
                        "142",
                        "140",
                        "138",
                    ],
                ),
                (1, &["", "実績", "142", "139"]),
            ],
            &[
                &[
                    "R2-1",
                    "定数の適正化",
                    "総務課",
                    "職員数（人）",
                    "計画",
                    "142",
                    "140",
                    "138",
                ],
                &["", "", "", "", "実績", "142", "139"],
            ],
        ),
        // more than one place fits: left as it is
        (
            &["R2-1 総務課 計画 142 見直し 140", "   実績 139"],
            &[
                (0, &["R2-1", "総務課", "計画", "142", "見直し", "140"]),
                (1, &["実績", "139"]),
            ],
            &[
                &["R2-1", "総務課", "計画", "142", "見直し", "140"],
                &["実績", "139"],
            ],
        ),
        // not indented: a row of its own
        (
            &["事業費 令和３年度   令和４年度", "合計   ８，４２０"],
            &[
                (0, &["事業費", "令和３年度", "令和４年度"]),
                (1, &["合計", "８，４２０"]),
            ],
            &[
                &["事業費", "令和３年度", "令和４年度"],
                &["合計", "８，４２０"],
            ],
        ),
        // two cells fewer, or a line between: left as they are
        (
            &["番号 取組名   所管課 評価", "    実績   導入した。"],
            &[
                (0, &["番号", "取組名", "所管課", "評価"]),
                (1, &["実績", "導入した。"]),
            ],
            &[
                &["番号", "取組名", "所管課", "評価"],
                &["実績", "導入した。"],
            ],
        ),
        (
            &[
                "事業費 令和３年度   令和４年度",
                "",
                "    ８，４２０   ８，９１０",
            ],
            &[
                (0, &["事業費", "令和３年度", "令和４年度"]),
                (2, &["８，４２０", "８，９１０"]),
            ],
            &[
                &["事業費", "令和３年度", "令和４年度"],
                &["８，４２０", "８，９１０"],
            ],
        ),
    ];
    for (lines, rows, want) in cases {
        let lines: Vec<(u32, String)> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32 + 1, t.to_string()))
            .collect();
        let mut rows: Vec<(usize, Vec<String>)> = rows
            .iter()
            .map(|(i, c)| (*i, c.iter().map(|c| c.to_string()).collect()))
            .collect();
        narrow::indented_under_wider(&mut rows, &lines);
        let got: Vec<Vec<String>> = rows.into_iter().map(|(_, c)| c).collect();
        assert_eq!(got, *want, "{lines:?}");
    }
}

/// A line with no wide gap, opening at the left edge directly under a table line with as many
/// words (four or more), is a row of that table: its gaps widened too.
#[test]
fn narrow_rows_with_no_wide_gap_widened_under_their_table() {
    // (page, the widened line at index 1)
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "R5-1 窓口の委託 住民課 委託の拡大   達成",
                "R5-2 公用車の削減  総務課 5台削減 一部達成",
            ],
            "R5-2     公用車の削減     総務課     5台削減     一部達成",
        ),
        // as many words, but no table line directly above (a blank line between)
        (
            &[
                "R5-1 窓口の委託 住民課 委託の拡大   達成",
                "",
                "R5-2 公用車の削減 総務課 5台削減 一部達成",
            ],
            "",
        ),
        // fewer words than the table line above: a heading, left as it is
        (
            &[
                "R5-1 窓口の委託 住民課 委託の拡大   達成",
                "基本方針2 健全な財政運営",
            ],
            "基本方針2 健全な財政運営",
        ),
        // a table line of three words: too few to tell a row from a folio (`2 / 2`)
        (&["１ 取組   順調", "2 / 2"], "2 / 2"),
        // indented, a figure beside each space: a row of figures
        (
            &[
                "R2-2 委託拡大 環境課   計画 3,600 7,200",
                "       実績  2,950 5,880",
            ],
            "       実績     2,950     5,880",
        ),
        // indented, words without figures between: a wrapped cell's line, left as it is
        (
            &[
                "R2-2 委託拡大 環境課   計画 3,600 7,200",
                "       実績  見直し 5,880",
            ],
            "       実績  見直し 5,880",
        ),
        // indented: a wrapped cell's line, left as it is
        (
            &[
                "R5-1 窓口の委託 住民課 委託の拡大   達成",
                "  公用車の 削減 総務課 5台削減 一部達成",
            ],
            "  公用車の 削減 総務課 5台削減 一部達成",
        ),
    ];
    for (page, want) in cases {
        let mut lines: Vec<(u32, String)> = page
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32 + 1, t.to_string()))
            .collect();
        narrow::widen_lines(&mut lines);
        assert_eq!(
            lines.get(1).map(|(_, t)| t.as_str()),
            Some(*want),
            "{page:?}"
        );
    }
}

/// A text sets its cells one space apart when at least half its table lines open at the left
/// edge with a one-space gap between wide characters.
#[test]
fn narrow_cells_told_from_the_text() {
    let cases: &[(&str, bool)] = &[
        // a tab-typed table printed and turned back into text
        (
            "番号   重点 取組項目   所管部署\nNo.1 ★  電子申請の拡大     デジタル推進課 ○追加した。\nNo.2    窓口の短縮   市民課 ○更新した。\nNo.3 ★  予約の統合    生涯学習課   ○作成した。\n",
            true,
        ),
        // cells set apart by wide gaps, one wrapped cell joined with a space
        (
            "番号   取組項目       所管部署\n1      電子申請の拡大   デジタル推進課\n2      窓口の短縮       市民課\n3      予約の統合 仕様   生涯学習課\n",
            false,
        ),
        // narrow gaps on lines opening further right: cells centred in tall rows
        (
            "No.   項目名    担当課\n      AIの 活用   人事 秘書\n1     案内の 導入   課\n      新規 事業   総務課\n",
            false,
        ),
        // too few table lines to tell
        ("番号   重点 取組項目\nNo.1 ★  電子申請 拡大\n", false),
        // an item number one space before its title, on most table lines
        (
            "取組番号      取組項目    担当課\nR4-03 制度の導入拡大    行政経営課   直営の施設に導入する。\nR5-01 電子申請の拡充   情報政策課   手続を増やす。\nR6-01 施設の長寿命化   施設管理課   順序を定める。\n",
            true,
        ),
        // cells two spaces apart between wide characters, the first one space from the next
        (
            "番号      取組名 所管課 区分    令和５年度の内容\n1       窓口の改善   学校教育課   計画  給食費の徴収を移す。\n2       下水道の見直し    下水道課    計画  経営戦略を改定する。\n3       会館の指定管理   文化振興課   計画  指定管理者を選ぶ。\n",
            true,
        ),
        // figures one space apart
        (
            "区分  番号  取組項目     目標額 実績額\n歳出の削減   1   職員給与の見直し     45,000 45,000\n小計                68,600 54,560\n合計                120,100 81,140\n",
            true,
        ),
        // a figure one space after a word (`R4 3,200`): not two figures
        (
            "番号   取組項目   効果\n1   窓口の改善   R4 3,200\n2   公用車の削減   R5 1,200\n3   照明の更新   R6 4,000\n",
            false,
        ),
        // two spaces between a box's rulings: no gap between cells
        (
            "番号   取組項目   担当課\n│１ │窓口手続の │市民課  │\n│  │        │     │\n│  │        │     │\n│  │        │     │\n",
            false,
        ),
        // a one-character number before a title is a list entry's: not counted
        (
            "番号      取組項目    担当課\n1 制度の導入拡大    行政経営課   直営の施設に導入する。\n2 電子申請の拡充   情報政策課   手続を増やす。\n3 施設の長寿命化   施設管理課   順序を定める。\n",
            false,
        ),
        // a code of letters alone (no figure) is a word, not an item number
        (
            "番号      取組項目    担当課\nDX 制度の導入拡大    行政経営課   直営の施設に導入する。\nICT 電子申請の拡充   情報政策課   手続を増やす。\nAI 施設の長寿命化   施設管理課   順序を定める。\n",
            false,
        ),
    ];
    for (text, want) in cases {
        let mut votes = narrow::NarrowVotes::default();
        for l in text.lines() {
            votes.add(l);
        }
        assert_eq!(votes.cut(), *want, "{text}");
    }
}

/// Cells one space apart on the rows of a tab-typed table are parted as cells, placed in order
/// (not by where they start: the converter sets them off their header's columns).
#[test]
fn narrow_cells_parted() {
    let cases: &[(&str, &[&[&str]])] = &[
        (
            "番号   重点 取組項目     所管部署    進捗\nNo.1 ★  電子申請の拡大     デジタル推進課 ▲\nNo.2 ◎  窓口の短縮   市民課 ●\nNo.3 ★  予約の統合    生涯学習課   ▲\n",
            &[
                &["番号", "重点", "取組項目", "所管部署", "進捗"],
                &["No.1", "★", "電子申請の拡大", "デジタル推進課", "▲"],
                &["No.2", "◎", "窓口の短縮", "市民課", "●"],
                &["No.3", "★", "予約の統合", "生涯学習課", "▲"],
            ],
        ),
        (
            "No. 区分  取組項目    担当課 進捗率\n1   継続  窓口の導入 会計課 ７５％\n2   新規  相談の開始  市民相談課   ４０％\n3   完了  証明書の交付  市民課 １００％\n",
            &[
                &["No.", "区分", "取組項目", "担当課", "進捗率"],
                &["1", "継続", "窓口の導入", "会計課", "７５％"],
                &["2", "新規", "相談の開始", "市民相談課", "４０％"],
                &["3", "完了", "証明書の交付", "市民課", "１００％"],
            ],
        ),
    ];
    assert_rows(cases);
}

/// Rows of a table with cells one space apart that skip a column (an empty mark cell, a header
/// row under a spanning one) are placed in the columns of the full rows: by the columns whose
/// start the full rows share, and where a column is skipped only there.
#[test]
fn narrow_rows_short_of_a_cell_placed_in_their_columns() {
    let cases: &[(&str, &[&[&str]])] = &[
        (
            "番号 重点 概要     今年度\n        取組項目   担当課 実施内容     評価  理由\n1-1 ◎   電子申請の拡大 推進課 申請の受付を始めた。   Ａ  予定どおり進んだため。\n1-2     窓口の待ち時間の短縮 市民課 待ち時間を測った。 Ｂ   一部が遅れたため。\n1-3 ◎   予約の仕組みの統合 生涯学習課 予約を一つにまとめた。   Ａ 計画どおりのため。\n",
            &[
                &["番号", "重点", "概要", "今年度"],
                &["", "", "取組項目", "担当課", "実施内容", "評価", "理由"],
                &["1-1", "◎", "電子申請の拡大", "推進課", "申請の受付を始めた。", "Ａ", "予定どおり進んだため。"],
                &["1-2", "", "窓口の待ち時間の短縮", "市民課", "待ち時間を測った。", "Ｂ", "一部が遅れたため。"],
                &["1-3", "◎", "予約の仕組みの統合", "生涯学習課", "予約を一つにまとめた。", "Ａ", "計画どおりのため。"],
            ],
        ),
        // A row over-split into more cells than the others (two sentences of one cell) sets no
        // columns for them: the rows keep their cells in order.
        (
            "番号 取組項目     担当課 実績     評価\n1 窓口の待ち時間の短縮   市民課 待ち時間を測った。 順調\n2 予約の仕組みの統合 生涯学習課   予約をまとめた。 残りは来年度とした。 遅れ\n3 電子申請の拡大 推進課 受付を始めた。   順調\n4 公用車の削減   総務課 二台を減らした。 順調\n",
            &[
                &["番号", "取組項目", "担当課", "実績", "評価"],
                &["1", "窓口の待ち時間の短縮", "市民課", "待ち時間を測った。", "順調"],
                &["2", "予約の仕組みの統合", "生涯学習課", "予約をまとめた。", "残りは来年度とした。", "遅れ"],
                &["3", "電子申請の拡大", "推進課", "受付を始めた。", "順調"],
                &["4", "公用車の削減", "総務課", "二台を減らした。", "順調"],
            ],
        ),
    ];
    assert_rows(cases);
}
