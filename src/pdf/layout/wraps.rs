//! Whether a line of a block of free text (outside ruled tables) wraps onto the next one.
//!
//! A line wraps where it runs out of room: at the start of the next cell to its right on the same
//! line, else at the right end of the text on the lines around it. The longest of a few short lines
//! set one under the other (a title over a date line, a band over a heading) runs out of nothing
//! and is no wrap, though it is the block's widest. A title can also be wrapped on purpose onto a
//! line set under its first character, after the id that opens it (`一　題の前半` / `　　後半`):
//! that line continues the title however short the line above it is. A line opening with a short
//! Japanese head set apart by a space (`効果額（千円）　計画…`, `重点取組１　…`) is a line of its own,
//! whatever the line above it ran out of.

use super::{id_head, join_lines_with, starts_entry, Line};
use crate::pdf::interp::PageContent;

/// A visual line of a block: its text, right end and size, the x where it would have run out of
/// room, and whether it is set under the text after the id opening the line above.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BlockLine {
    pub text: String,
    pub x1: f32,
    pub size: f32,
    pub room: f32,
    /// The room ends at the next cell on the line (else at the right end of the text around).
    pub before_cell: bool,
    pub hangs: bool,
}

/// Lines around a line that tell where the text on the page runs to.
const NEAR_LINES: usize = 8;
/// A line ending this close (× size) to the right end of the text around it ran out of room...
const WRAP_SLACK: f32 = 4.0;
/// ... or closer than this share of the room's width from the block's left edge.
const WRAP_SHARE: f32 = 0.3;
/// A line ending this close (× size) to the next cell on its line ran out of room (a character that
/// did not fit and the gap between the columns).
const CELL_SLACK: f32 = 2.5;

/// Where the lines of a page could run to.
pub(super) struct Rooms<'a> {
    /// Per line, where its pieces start.
    starts: &'a [Vec<f32>],
    /// Per line, the right end of the text on the lines around it.
    right: Vec<f32>,
}

impl<'a> Rooms<'a> {
    pub fn new(lines: &[Line], starts: &'a [Vec<f32>]) -> Self {
        let right = (0..lines.len())
            .map(|i| {
                let hi = (i + NEAR_LINES).min(lines.len().saturating_sub(1));
                lines
                    .get(i.saturating_sub(NEAR_LINES)..=hi)
                    .unwrap_or_default()
                    .iter()
                    .map(|l| l.x1)
                    .fold(f32::MIN, f32::max)
            })
            .collect();
        Rooms { starts, right }
    }

    /// Where a piece of line `li` ending at `x1` runs out of room, and whether that is at the
    /// next cell on the line.
    pub fn room(&self, li: usize, x1: f32) -> (f32, bool) {
        let next = self
            .starts
            .get(li)
            .and_then(|s| s.iter().copied().filter(|&x| x > x1).reduce(f32::min));
        match next {
            Some(x) => (x, true),
            None => (self.right.get(li).copied().unwrap_or(x1).max(x1), false),
        }
    }
}

/// Where the text after the id or mark opening a line starts (`一　題`, `No.3 題`, `・題`): the
/// column a title wrapped on purpose continues in.
pub(super) fn hang_at(pc: &PageContent, line: &Line) -> Option<f32> {
    let mut head = String::new();
    let mut end: Option<(f32, f32)> = None;
    let mut set_off = false;
    for g in line.glyphs.iter().filter_map(|&i| pc.glyphs.get(i)) {
        if g.space {
            set_off = !head.is_empty();
            continue;
        }
        let open_gap = end.is_some_and(|(e, size)| g.x - e > 0.3 * size);
        if set_off || open_gap {
            return opening(&head).then_some(g.x);
        }
        head.push_str(pc.glyph_text(g));
        if head.chars().count() > 5 {
            return None;
        }
        end = Some((g.x + g.w, g.size.max(1.0)));
    }
    None
}

/// An id or a list mark opening a line: a number, grade or id ([`id_head`]), a number in kanji
/// (`一`, `十一`), a mark (`・`, `○`).
fn opening(head: &str) -> bool {
    let kanji = head.chars().all(|c| {
        matches!(
            c,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
    });
    !head.is_empty()
        && (id_head(head) || kanji || (head.chars().count() == 1 && starts_entry(head)))
}

/// Join a block's lines: a line continues the one above when that one ran out of room (it runs to
/// the block's right edge and ends near its room) or when it hangs under that one's title.
pub(super) fn join_block(lines: &[BlockLine], x0: f32) -> String {
    let right = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let texts: Vec<(String, f32, f32)> = lines
        .iter()
        .map(|l| (l.text.clone(), l.x1, l.size))
        .collect();
    join_lines_with(&texts, |k| {
        let Some(l) = lines.get(k) else { return false };
        let size = l.size.max(1.0);
        let slack = if l.before_cell {
            CELL_SLACK * size
        } else {
            (WRAP_SLACK * size).max(WRAP_SHARE * (l.room - x0))
        };
        let ran_out = l.x1 >= right - 1.5 * size && l.room - l.x1 <= slack;
        let next = lines.get(k + 1);
        (ran_out && !next.is_some_and(|n| head_set_apart(&n.text))) || next.is_some_and(|n| n.hangs)
    })
}

/// Most characters of a head set apart at a line's start ([`head_set_apart`]).
const MAX_HEAD: usize = 10;

/// A line opening with a short head set apart by a space or a colon, in Japanese (`効果額（千円）
/// 計画 1,200`, `重点取組１ 住民との協働`, `改革の方向性A 歳入の確保`, `実績：証明書…`): a label or
/// heading starting a line of its own, never the rest of a sentence wrapped from the line above
/// (Japanese sets no spaces between words; a head of ASCII letters alone, `ICT 機器`, `10:00`, may
/// be a word of the sentence).
fn head_set_apart(t: &str) -> bool {
    let Some((head, rest)) = t.split_once([' ', '\u{3000}', '：', ':']) else {
        return false;
    };
    let n = head.chars().count();
    (1..=MAX_HEAD).contains(&n) && !head.is_ascii() && !rest.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::{layout_page, Row};
    use crate::pdf::interp::{Glyph, PageContent};

    /// A page of pieces `(text, x, baseline)`, 10 pt: a full-width character is 10 wide, others
    /// 5; `_` is a space glyph 10 wide.
    fn page(pieces: &[(&str, f32, f32)]) -> PageContent {
        let mut pc = PageContent::default();
        for &(text, x0, y) in pieces {
            let mut x = x0;
            for ch in text.chars() {
                let w = if ch.is_ascii() && ch != '_' {
                    5.0
                } else {
                    10.0
                };
                let t0 = pc.text.len() as u32;
                pc.text.push(if ch == '_' { '\u{3000}' } else { ch });
                let mut g = Glyph::upright(x, y, w, 10.0, t0, pc.text.len() as u32);
                g.space = ch == '_';
                pc.glyphs.push(g);
                x += w;
            }
        }
        pc
    }

    fn cells(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn heads_set_apart() {
        let cases = [
            ("効果額（千円） 計画 1,200 実績 1,350", true),
            ("重点取組１ 住民との協働による村づくり", true),
            ("改革の方向性A 歳入の確保", true),
            ("対応します。", false),
            ("ICT 機器を導入した。", false),
            ("実績：証明書発行業務を委託した。", true),
            ("10:00から窓口を開けた。", false),
            ("評価：", false),
            ("取組の状況を示すものである ", false),
            (
                "子育て世帯の負担を軽くするため、保育料 の軽減を行った。",
                false,
            ),
        ];
        for (t, want) in cases {
            assert_eq!(super::head_set_apart(t), want, "{t}");
        }
    }

    #[test]
    fn lines_wrap_where_they_run_out_of_room() {
        type Case<'a> = (&'a str, Vec<(&'a str, f32, f32)>, Vec<Vec<&'a str>>);
        let cases: Vec<Case> = vec![
            (
                "a paragraph wrapped at the right end of the text around it",
                vec![
                    ("本市の行政改革の取組状況を", 20.0, 20.0),
                    ("報告します", 20.0, 33.0),
                    ("番号_題名_担当課_評価_備考", 20.0, 59.0),
                ],
                vec![
                    vec!["本市の行政改革の取組状況を報告します"],
                    vec!["番号 題名 担当課 評価 備考"],
                ],
            ),
            (
                "a line far from the next cell on its line",
                vec![
                    ("番号", 20.0, 20.0),
                    ("評価の区分", 60.0, 20.0),
                    ("計画を上回った", 200.0, 20.0),
                    ("の説明", 60.0, 33.0),
                ],
                vec![vec!["番号", "評価の区分\nの説明", "計画を上回った"]],
            ),
            (
                "a title over a shorter line, both far from the right end of the text around",
                vec![
                    ("計画_報告書", 20.0, 20.0),
                    ("令和５年７月", 20.0, 33.0),
                    ("番号_題名_担当課_評価_備考_今後の方向性", 20.0, 59.0),
                ],
                vec![
                    vec!["計画 報告書\n令和５年７月"],
                    vec!["番号 題名 担当課 評価 備考 今後の方向性"],
                ],
            ),
            (
                "a line indented under an id line that does not run out of room",
                vec![
                    ("No.1_納税の推進", 20.0, 20.0),
                    ("所管：企画課", 30.0, 33.0),
                    ("目標：寄附件数_3,000件_実績：3,412件", 30.0, 46.0),
                ],
                vec![vec!["No.1 納税の推進\n所管：企画課\n目標：寄附件数 3,000件 実績：3,412件"]],
            ),
            (
                "the widest line of a card over a line opening with a label set apart",
                vec![
                    ("担当課_総務課", 20.0, 20.0),
                    ("スケジュール_R5_対象手続の選定_→_R7_本格運用", 20.0, 33.0),
                    ("効果額（千円）_計画_1,200", 20.0, 46.0),
                ],
                vec![vec![
                    "担当課 総務課\nスケジュール R5 対象手続の選定 → R7 本格運用\n効果額（千円） 計画 1,200",
                ]],
            ),
            (
                "label lines, the widest over a shorter one",
                vec![
                    ("担当課：住民課", 20.0, 20.0),
                    ("目標：窓口業務の一部を委託する", 20.0, 33.0),
                    ("実績：発行業務を委託した。", 20.0, 46.0),
                ],
                vec![vec![
                    "担当課：住民課\n目標：窓口業務の一部を委託する\n実績：発行業務を委託した。",
                ]],
            ),
            (
                "a title wrapped on purpose under its first character",
                vec![
                    ("一_補助金の交付基準の明確化と", 20.0, 20.0),
                    ("既存補助金の整理", 40.0, 33.0),
                    ("（担当）企画財政課の職員が点検する", 30.0, 46.0),
                ],
                vec![vec![
                    "一 補助金の交付基準の明確化と既存補助金の整理\n（担当）企画財政課の職員が点検する",
                ]],
            ),
        ];
        for (what, pieces, want) in cases {
            let pc = page(&pieces);
            let rows = layout_page(&pc, &|_| None);
            let want: Vec<Vec<String>> = want
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect())
                .collect();
            assert_eq!(cells(&rows), want, "{what}");
        }
    }
}
