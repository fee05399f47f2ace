//! Vertical writing through the binary: columns right to left, blocks (段) top to bottom.
//!
//! `fixtures/vertical/vertical-dan.chromium.pdf` (scripts/render-vertical) is Chromium's print of
//! `writing-mode: vertical-rl`: upright glyphs of a horizontal font stacked in columns, two blocks
//! of several columns one above the other, half-width digits turned sideways, paragraphs that
//! wrap onto a second column. The Japanese PDFs of ../shared/pdf-cjk with vertical fonts are
//! checked for block order when present.

mod common;

use std::process::Command;

fn gyokaku_text(path: &std::path::Path) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .arg("text")
        .arg(path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run gyokaku");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn browser_vertical_rl_reads_block_by_block_right_to_left() {
    let path = common::root().join("fixtures/vertical/vertical-dan.chromium.pdf");
    let (code, out, err) = gyokaku_text(&path);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out
        .split(['\n', '\u{c}'])
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        lines,
        vec![
            // Upper block: the heading column, then the paragraphs right to left.
            "鷺森町行財政改革の取組状況",
            "一 窓口の番号札を電子化しました。",
            // Wrapped onto a second column and joined; 5 and 120 are printed sideways.
            "二 令和5年度は、転入と転出の届出を一つの窓口で受け付ける仕組みを整え、年間120件の申請を待ち時間なく受け付けることができました。来年度は出張所にも広げます。",
            "三 公用車を八台減らしました。",
            // Lower block, after every column of the upper one.
            "四 町営プールの運営を民間に委ねました。",
            "五 使用料の見直しについては、町民の意見を聴く会を三回開き、寄せられた四十二件の意見を踏まえて、改定の時期を一年遅らせることとしました。",
            "六 以上、担当は総務課です。",
        ]
    );
    assert!(err.is_empty(), "{err}");
}

/// Position of a phrase in a text, for order checks.
fn at(text: &str, phrase: &str) -> usize {
    text.find(phrase)
        .unwrap_or_else(|| panic!("{phrase} missing in\n{text}"))
}

#[test]
fn vertical_font_pages_read_block_by_block() {
    let Some(shared) = common::shared("vertical_font_pages_read_block_by_block") else {
        return;
    };
    // jo.pdf: a landscape page of two blocks of vertical columns (Identity-V). The last column
    // of the upper block comes before the first column of the lower block, whose columns stand
    // at nearly the same x as the upper block's first columns.
    let (code, out, err) = gyokaku_text(&shared.join("pdf-cjk/jo.pdf"));
    assert_eq!(code, 0, "{err}");
    let first_page = out.split('\u{c}').next().unwrap_or_default();
    let upper_first = at(first_page, "現象は");
    let upper_second = at(first_page, "有機交流電燈の");
    let upper_last = at(first_page, "すべてですから");
    let lower_first = at(first_page, "新世代沖積世の");
    assert!(
        upper_first < upper_second && upper_second < upper_last && upper_last < lower_first,
        "{first_page}"
    );
    // vertical.pdf: two short columns are two lines, not one wrapped paragraph.
    let (code, out, err) = gyokaku_text(&shared.join("pdf-cjk/vertical.pdf"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.split(['\n', '\u{c}'])
            .filter(|l| !l.trim().is_empty())
            .take(2)
            .collect::<Vec<_>>(),
        vec!["あいうえお", "日本語"]
    );
}
