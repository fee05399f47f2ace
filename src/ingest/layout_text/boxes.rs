//! Tables drawn with box-drawing characters (`┌─┬─┐`, `│`, `├─┼─┤`, `└─┴─┘`), as word processors'
//! text exports and older text reports write them.
//!
//! Each box-drawing character becomes the ruling lines it draws (its arms: up, down, left, right,
//! from the middle of its character cell), not a glyph. The layout engine then reads such a table
//! as it reads a ruled PDF table: one row between two horizontal rules, one cell between two
//! vertical ones, the lines of a cell joined as a wrapped cell. The characters' arms and the rules
//! of a line are the layout stage's ([`crate::pdf::layout::boxes`]), which reads the box glyphs of a
//! printed page the same way; here are what only a text's lines tell.

pub(super) use crate::pdf::layout::boxes::arms;
pub(super) use crate::pdf::layout::boxes::rules_of_line;

/// Whether a line draws part of a box table: it holds a box-drawing character with a vertical arm
/// (a table's side, or a rule's corner or tee).
pub(super) fn draws_box(line: &str) -> bool {
    line.chars()
        .any(|c| arms(c).is_some_and(|a| a.up || a.down))
}

/// How many vertical arms line up with a vertical arm in the same column of the line below, with
/// columns counted by `width`: the count under which a box table's sides join up.
#[cfg(test)]
pub(super) fn aligned_sides(lines: &[(u32, String)], width: &dyn Fn(char) -> usize) -> usize {
    lines
        .windows(2)
        .map(|w| match w {
            [(_, a), (_, b)] => sides_joined(a, b, width),
            _ => 0,
        })
        .sum()
}

/// How many vertical arms of a line line up with one in the same column of the line below
/// (the count of [`aligned_sides`], line by line).
pub(super) fn sides_joined(above: &str, below: &str, width: &dyn Fn(char) -> usize) -> usize {
    let sides = |text: &str, down: bool| -> Vec<usize> {
        let mut col = 0usize;
        let mut out = Vec::new();
        for c in text.chars() {
            if arms(c).is_some_and(|a| if down { a.down } else { a.up }) {
                out.push(col);
            }
            col += width(c);
        }
        out
    };
    let under = sides(below, false);
    sides(above, true)
        .iter()
        .filter(|c| under.contains(c))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_line_up_under_the_right_count() {
        // full-width text padded with half-width spaces: the sides meet only when a full-width
        // character (and a box character) counts two columns
        let lines: Vec<(u32, String)> = ["┌──┬──┐", "│題  │値  │", "└──┴──┘"]
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32, t.to_string()))
            .collect();
        let display = |c: char| if c.is_ascii() { 1 } else { 2 };
        let one = |_: char| 1;
        assert_eq!(aligned_sides(&lines, &display), 6);
        assert!(aligned_sides(&lines, &one) < 6);
    }

    #[test]
    fn lines_that_draw_boxes() {
        let cases = [
            ("┌──┬──┐", true),
            ("│番号│題│", true),
            ("────────", false),
            ("取組　─　題", false),
            ("普通の行", false),
        ];
        for (line, want) in cases {
            assert_eq!(draws_box(line), want, "{line}");
        }
    }
}
