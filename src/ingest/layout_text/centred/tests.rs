use super::*;

#[test]
fn row_numbers_found() {
    let cases: &[(&str, Option<Number>)] = &[
        ("1     仕組みづくり", Some((0, 1, None))),
        ("12", Some((0, 2, None))),
        (" 14 情報の共有", Some((1, 3, Some(4)))),
        ("3 庁舎の省エネ      財政課", Some((0, 1, Some(2)))),
        ("  2   削減", None),
        ("1234  四桁", None),
        ("1-1   枝番", Some((0, 3, None))),
        ("2-1-1 事務事業の点検", Some((0, 5, Some(6)))),
        ("1-", None),
        ("1-1-1-1-1", None),
        ("R4    計画", None),
    ];
    for (line, want) in cases {
        assert_eq!(number(line), *want, "{line}");
    }
}

#[test]
fn indent_keeps_row_numbers_in_the_first_column() {
    let cases: &[(&str, &str)] = &[
        ("3 庁舎の省エネ", "3     庁舎の省エネ"),
        (" 14 情報", "14      情報"),
        ("2-1-1 事務", "2-1-1     事務"),
        ("No. 項目名", "No.     項目名"),
        ("  庁舎の", "      庁舎の"),
        ("令和 2年度", "    令和 2年度"),
        ("", ""),
    ];
    for (line, want) in cases {
        assert_eq!(indent(line), *want, "{line}");
    }
}

fn lifted(text: &str) -> Vec<String> {
    let mut pages: Vec<Vec<(u32, String)>> = text
        .split('\u{c}')
        .map(|p| p.lines().map(|l| (1, l.to_string())).collect())
        .collect();
    lift_centred(&mut pages, false);
    pages
        .into_iter()
        .map(|p| {
            p.into_iter()
                .map(|(_, t)| t.trim_end().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[test]
fn centred_row_numbers_lifted_to_the_rows_first_line() {
    let cases: &[(&str, &[&str])] = &[
        // the number on the middle line of its row, alone on its line or before the title's
        // second line; a form's row label below ends the row
        (
            "番号    取組項目        担当課     取組内容\n      窓口予約の       住民課     ■予約制の導入\n1     仕組みづくり              ■案内表示の改善\n      新規                  ■待合の拡張\n      これまでの状況             ○予約を始めた。\n      公用車の        管財課     ■共用の徹底\n2\n      削減                  ■売却の検討\n      これまでの状況             ○二台減らした。\n      庁舎の         財政課     ■照明の交換\n3     省エネ                 ■空調の更新\n      これまでの状況             ○半数を替えた。",
            &["番号    取組項目        担当課     取組内容\n1     窓口予約の       住民課     ■予約制の導入\n      仕組みづくり              ■案内表示の改善\n      新規                  ■待合の拡張\n      これまでの状況             ○予約を始めた。\n2     公用車の        管財課     ■共用の徹底\n\n      削減                  ■売却の検討\n      これまでの状況             ○二台減らした。\n3     庁舎の         財政課     ■照明の交換\n      省エネ                 ■空調の更新\n      これまでの状況             ○半数を替えた。"],
        ),
        // rows set from their first line are left as they are
        (
            "番号    取組項目        担当課\n1     窓口予約の       住民課\n      仕組みづくり\n2     公用車の削減      管財課\n3     庁舎の省エネ      財政課",
            &["番号    取組項目        担当課\n1     窓口予約の       住民課\n      仕組みづくり\n2     公用車の削減      管財課\n3     庁舎の省エネ      財政課"],
        ),
        // a number one space before its title, the title's lines starting there: split off,
        // every line moved right so that the gap is one between columns
        (
            "番号    取組項目        担当課\n1     窓口予約の       住民課\u{c}番号 取組項目    担当課\n  庁舎の         財政課\n3 省エネ\n  これまでの状況",
            &["    番号    取組項目        担当課\n1         窓口予約の       住民課", "    番号 取組項目    担当課\n3     庁舎の         財政課\n      省エネ\n      これまでの状況"],
        ),
        // a wrapped title under a row set from its first line is not the top of the next row
        (
            "番号    内容          担当\n1     窓口予約の     住民課\n      仕組みづくり\n2     公用車の削減    管財課",
            &["番号    内容          担当\n1     窓口予約の     住民課\n      仕組みづくり\n2     公用車の削減    管財課"],
        ),
        // nor are the last lines of a long one
        (
            "番号    内容           担当\n1-1     行政手続の       住民課\n        オンライン化\n        の推進と\n        窓口の改善\n1-2     待ち時間の短縮   市民課",
            &["番号    内容           担当\n1-1     行政手続の       住民課\n        オンライン化\n        の推進と\n        窓口の改善\n1-2     待ち時間の短縮   市民課"],
        ),
        // a numbered heading with no column of numbers in the text stays as it is
        (
            "1 事務事業の再構築\n  取組内容      事業を見直す\n  取組状況      九事業を廃止した",
            &["1 事務事業の再構築\n  取組内容      事業を見直す\n  取組状況      九事業を廃止した"],
        ),
    ];
    for (text, want) in cases {
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(lifted(text), want, "{text}");
    }
}
