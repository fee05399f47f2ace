//! Tables drawn with box-drawing characters (`┌─┬─┐`, `│`, `├─┼─┤`, `└─┴─┘`), as word processors'
//! text exports and older text reports write them.
//!
//! Each box-drawing character becomes the ruling lines it draws (its arms: up, down, left, right,
//! from the middle of its character cell), not a glyph. The layout engine then reads such a table
//! as it reads a ruled PDF table: one row between two horizontal rules, one cell between two
//! vertical ones, the lines of a cell joined as a wrapped cell.

use crate::pdf::interp::Rule;

/// The arms of a box-drawing character: which of up, down, left, right it draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Arms {
    pub up: bool,
    pub down: bool,
    pub left: bool,
    pub right: bool,
}

/// The arms of `c` when it is a box-drawing character that draws lines (light, heavy, double and
/// dashed lines, corners, tees and crosses); None for any other character.
pub(super) fn arms(c: char) -> Option<Arms> {
    let a = |up, down, left, right| {
        Some(Arms {
            up,
            down,
            left,
            right,
        })
    };
    match c {
        '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' => {
            a(false, false, true, true)
        }
        '│' | '┃' | '║' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' => {
            a(true, true, false, false)
        }
        '┌' | '┍' | '┎' | '┏' | '╒' | '╓' | '╔' | '╭' => {
            a(false, true, false, true)
        }
        '┐' | '┑' | '┒' | '┓' | '╕' | '╖' | '╗' | '╮' => {
            a(false, true, true, false)
        }
        '└' | '┕' | '┖' | '┗' | '╘' | '╙' | '╚' | '╰' => {
            a(true, false, false, true)
        }
        '┘' | '┙' | '┚' | '┛' | '╛' | '╜' | '╝' | '╯' => {
            a(true, false, true, false)
        }
        '├' | '┝' | '┞' | '┟' | '┠' | '┡' | '┢' | '┣' | '╞' | '╟' | '╠' => {
            a(true, true, false, true)
        }
        '┤' | '┥' | '┦' | '┧' | '┨' | '┩' | '┪' | '┫' | '╡' | '╢' | '╣' => {
            a(true, true, true, false)
        }
        '┬' | '┭' | '┮' | '┯' | '┰' | '┱' | '┲' | '┳' | '╤' | '╥' | '╦' => {
            a(false, true, true, true)
        }
        '┴' | '┵' | '┶' | '┷' | '┸' | '┹' | '┺' | '┻' | '╧' | '╨' | '╩' => {
            a(true, false, true, true)
        }
        '┼'..='╋' | '╪' | '╫' | '╬' => a(true, true, true, true),
        _ => None,
    }
}

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

/// The ruling lines of one text line: `chars` as (character, left edge, right edge) in points, the
/// line's middle at `mid` and the distance to the next line's middle `pitch`. Horizontal arms of
/// neighbouring characters are one rule; vertical arms reach halfway to the lines above and below,
/// where the next line's arms continue them.
pub(super) fn rules_of_line(chars: &[(char, f32, f32)], mid: f32, pitch: f32) -> Vec<Rule> {
    let flat = |(x0, x1): (f32, f32)| Rule {
        x0,
        y0: mid,
        x1,
        y1: mid,
    };
    let mut out: Vec<Rule> = Vec::new();
    // the horizontal rule being drawn: its left end and how far it reaches
    let mut run: Option<(f32, f32)> = None;
    for &(c, x0, x1) in chars {
        let xm = (x0 + x1) / 2.0;
        // any other character ends a rule being drawn
        let a = arms(c).unwrap_or_default();
        if a.left || a.right {
            let (from, to) = (if a.left { x0 } else { xm }, if a.right { x1 } else { xm });
            run = match run {
                // continues the rule when it reaches this character's left edge
                Some((s, e)) if a.left && (e - x0).abs() < 0.01 => Some((s, to)),
                Some(r) => {
                    out.push(flat(r));
                    Some((from, to))
                }
                None => Some((from, to)),
            };
        } else if let Some(r) = run.take() {
            out.push(flat(r));
        }
        if a.up || a.down {
            let top = if a.up { mid - pitch / 2.0 } else { mid };
            let bottom = if a.down { mid + pitch / 2.0 } else { mid };
            out.push(Rule {
                x0: xm,
                y0: top,
                x1: xm,
                y1: bottom,
            });
        }
    }
    out.extend(run.map(flat));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_of_characters() {
        let cases = [
            ('─', Some((false, false, true, true))),
            ('│', Some((true, true, false, false))),
            ('┌', Some((false, true, false, true))),
            ('┤', Some((true, true, true, false))),
            ('┴', Some((true, false, true, true))),
            ('┼', Some((true, true, true, true))),
            ('╋', Some((true, true, true, true))),
            ('═', Some((false, false, true, true))),
            ('╬', Some((true, true, true, true))),
            ('Ａ', None),
            ('ー', None),
            ('－', None),
        ];
        for (c, want) in cases {
            assert_eq!(
                arms(c).map(|a| (a.up, a.down, a.left, a.right)),
                want,
                "{c}"
            );
        }
    }

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

    /// Characters of one line, each `w` points wide.
    fn placed(line: &str, w: f32) -> Vec<(char, f32, f32)> {
        line.chars()
            .enumerate()
            .map(|(i, c)| (c, i as f32 * w, (i + 1) as f32 * w))
            .collect()
    }

    #[test]
    fn a_rule_line_is_one_horizontal_rule_and_its_tees() {
        let rules = rules_of_line(&placed("├──┼─┤", 10.0), 50.0, 30.0);
        let horizontal: Vec<(f32, f32)> = rules
            .iter()
            .filter(|r| r.horizontal())
            .map(|r| (r.x0, r.x1))
            .collect();
        // from the middle of ├ to the middle of ┤
        assert_eq!(horizontal, vec![(5.0, 55.0)]);
        let vertical: Vec<(f32, f32, f32)> = rules
            .iter()
            .filter(|r| !r.horizontal())
            .map(|r| (r.x0, r.y0, r.y1))
            .collect();
        assert_eq!(
            vertical,
            vec![(5.0, 35.0, 65.0), (35.0, 35.0, 65.0), (55.0, 35.0, 65.0)]
        );
    }

    #[test]
    fn a_text_line_gives_its_sides_only() {
        let rules = rules_of_line(&placed("│題　│値│", 10.0), 50.0, 30.0);
        assert!(rules.iter().all(|r| !r.horizontal()));
        let xs: Vec<f32> = rules.iter().map(|r| r.x0).collect();
        assert_eq!(xs, vec![5.0, 35.0, 55.0]);
    }

    #[test]
    fn corners_reach_one_way() {
        let rules = rules_of_line(&placed("┌─┐", 10.0), 50.0, 30.0);
        let vertical: Vec<(f32, f32)> = rules
            .iter()
            .filter(|r| !r.horizontal())
            .map(|r| (r.y0, r.y1))
            .collect();
        assert_eq!(vertical, vec![(50.0, 65.0), (50.0, 65.0)]);
        let rules = rules_of_line(&placed("└─┘", 10.0), 50.0, 30.0);
        let vertical: Vec<(f32, f32)> = rules
            .iter()
            .filter(|r| !r.horizontal())
            .map(|r| (r.y0, r.y1))
            .collect();
        assert_eq!(vertical, vec![(35.0, 50.0), (35.0, 50.0)]);
    }

    #[test]
    fn two_rules_on_one_line_stay_apart() {
        let rules = rules_of_line(&placed("─── 題 ───", 10.0), 50.0, 30.0);
        let horizontal: Vec<(f32, f32)> = rules.iter().map(|r| (r.x0, r.x1)).collect();
        assert_eq!(horizontal, vec![(0.0, 30.0), (60.0, 90.0)]);
    }
}
