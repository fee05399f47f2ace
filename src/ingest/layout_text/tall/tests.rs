use super::*;

fn lines(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (u32::try_from(i + 1).unwrap_or(0), l.to_string()))
        .collect()
}

fn rebuilt(text: &str) -> Vec<String> {
    let mut pages = vec![lines(text)];
    join_tall_rows(&mut pages, false);
    pages.concat().into_iter().map(|(_, t)| t).collect()
}

#[test]
fn pieces_of_a_label_found() {
    let p = |col: usize, end: usize, text: &str, rest: Option<(usize, &str)>| {
        Some(Piece {
            col,
            end,
            text: text.to_string(),
            rest: rest.map(|(c, t)| (c, t.to_string())),
        })
    };
    let cases: &[(&str, Option<Piece>)] = &[
        ("    振り返りと", p(4, 9, "振り返りと", None)),
        (
            "   次の手立て    ○会場を",
            p(3, 8, "次の手立て", Some((12, "○会場を"))),
        ),
        (
            "   次の手立て○会場を",
            p(3, 8, "次の手立て", Some((8, "○会場を"))),
        ),
        (
            "  振り返り ○会場を移す",
            p(2, 6, "振り返り", Some((7, "○会場を移す"))),
        ),
        ("  ○会場を移す", None),
        ("  令和5年度", None),
        ("  振り返り   会場   移す", None),
        ("", None),
    ];
    for (line, want) in cases {
        assert_eq!(piece(line, false), *want, "{line}");
    }
}

/// Three rows of a form whose label `振り返りと次の手立て` is wrapped in a narrow first column
/// and centred in each row's height.
const FORM: &str = "\
1  公民館の講座          生涯学習課
            ○講座の数を増やした。
    振り返りと
            ○会場を駅前に移し、参加者が
    次の手立て   増えた。
2  図書館の開館          図書館
    振り返りと ○開館日を増やした。
     次の手立て
            ○夜の開館を試す。
3  体育館の改修          スポーツ課
              ○屋根を直した。
    振り返りと次の手立て
              ○床を直す。
4  プールの改修          スポーツ課
    振り返りと ○水を替えた。
    次の手立て";

/// Rows 2 to 4 of the form, rebuilt.
const REBUILT: [&str; 8] = [
    "2  図書館の開館          図書館",
    "    振り返りと次の手立て    ○開館日を増やした。",
    "                  ○夜の開館を試す。",
    "3  体育館の改修          スポーツ課",
    "    振り返りと次の手立て    ○屋根を直した。",
    "                  ○床を直す。",
    "4  プールの改修          スポーツ課",
    "    振り返りと次の手立て    ○水を替えた。",
];

#[test]
fn a_wrapped_label_and_its_rows_text_rebuilt() {
    let mut want = vec![
        "1  公民館の講座          生涯学習課",
        "    振り返りと次の手立て    ○講座の数を増やした。",
        "                  ○会場を駅前に移し、参加者が増えた。",
    ];
    want.extend(REBUILT);
    assert_eq!(rebuilt(FORM), want);
}

#[test]
fn labels_of_a_top_aligned_form_left_alone() {
    // each label opens its row and its text follows it: nothing to rebuild
    let text = "\
1  公民館の講座
   取組の内容   ○講座の数を
                増やした。
   今後の課題   ○会場を移す。
2  図書館の開館
   取組の内容   ○開館日を
                増やした。
   今後の課題   ○夜の開館。
3  体育館の改修
   取組の内容   ○屋根を
                直した。
   今後の課題   ○床を直す。";
    let want: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(rebuilt(text), want);
}

#[test]
fn a_label_the_form_does_not_repeat_left_alone() {
    let text = "\
1  公民館の講座          生涯学習課
            ○講座の数を増やした。
    振り返りと
            ○会場を駅前に移した。
    次の手立て   増えた。";
    let want: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(rebuilt(text), want);
}
