//! Tables drawn with box-drawing characters (`┌─┬─┐`, `│`, `├─┼─┤`, `└─┴─┘`), as word processors'
//! text exports and older text reports write them, and as a page shows them when such a text is
//! printed (each box character a glyph).
//!
//! Each box-drawing character becomes the ruling lines it draws (its arms: up, down, left, right,
//! from the middle of its character cell), not a glyph. The layout engine then reads such a table
//! as it reads a ruled PDF table: one row between two horizontal rules, one cell between two
//! vertical ones, the lines of a cell joined as a wrapped cell. A text report's reader places the
//! characters itself ([`rules_of_line`]); a page's glyphs are placed by [`box_glyph_rules`].

use crate::pdf::interp::{Glyph, PageContent, Rule};

/// The arms of a box-drawing character: which of up, down, left, right it draws.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Arms {
    pub up: bool,
    pub down: bool,
    pub left: bool,
    pub right: bool,
}

/// The arms of `c` when it is a box-drawing character that draws lines (light, heavy, double and
/// dashed lines, corners, tees and crosses); None for any other character.
pub(crate) fn arms(c: char) -> Option<Arms> {
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

/// Two box characters this close (points) touch: one rule runs on through both.
const JOIN: f32 = 0.5;

/// The ruling lines of one text line: `chars` as (character, left edge, right edge) in points, the
/// line's middle at `mid` and the distance to the next line's middle `pitch`. Horizontal arms of
/// neighbouring characters are one rule; vertical arms reach halfway to the lines above and below,
/// where the next line's arms continue them.
pub(crate) fn rules_of_line(chars: &[(char, f32, f32)], mid: f32, pitch: f32) -> Vec<Rule> {
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
                Some((s, e)) if a.left && (e - x0).abs() < JOIN => Some((s, to)),
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

/// A line of box glyphs with fewer sides than this draws no table (a heading between two rules,
/// `──　題　──`, is text).
const MIN_SIDES: usize = 2;

/// A line of box glyphs: its baseline, size and glyphs (index, character, glyph).
type BoxLine = (f32, f32, Vec<(usize, char, Glyph)>);

/// The ruling lines a page's box-drawing glyphs draw, and which glyphs they are (by index; empty
/// when the page draws no box table). Glyphs of one line share a baseline (within a fifth of their
/// size); a line's middle sits where a text line's does ([`rules_of_line`]), and its vertical arms
/// reach halfway to the next line of box glyphs above or below. Only a page with two lines of two
/// or more sides each draws a table; elsewhere box characters stay text.
pub(crate) fn box_glyph_rules(pc: &PageContent) -> (Vec<Rule>, Vec<bool>) {
    let mut boxed: Vec<(usize, char, Glyph)> = pc
        .glyphs
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.vertical && !g.space)
        .filter_map(|(i, g)| {
            let mut chars = pc.glyph_text(g).chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if arms(c).is_some() => Some((i, c, *g)),
                _ => None,
            }
        })
        .collect();
    if boxed.is_empty() {
        return (Vec::new(), Vec::new());
    }
    boxed.sort_by(|a, b| a.2.y.total_cmp(&b.2.y).then(a.2.x.total_cmp(&b.2.x)));
    // lines: (baseline, size, glyphs left to right)
    let mut lines: Vec<BoxLine> = Vec::new();
    for b in boxed {
        let g = b.2;
        match lines.last_mut() {
            Some((y, size, members)) if (g.y - *y).abs() <= 0.2 * size.max(g.size) => {
                members.push(b);
            }
            _ => lines.push((g.y, g.size, vec![b])),
        }
    }
    for (_, _, members) in &mut lines {
        members.sort_by(|a, b| a.2.x.total_cmp(&b.2.x));
    }
    let sides = |members: &[(usize, char, Glyph)]| {
        members
            .iter()
            .filter(|(_, c, _)| arms(*c).is_some_and(|a| a.up || a.down))
            .count()
    };
    if lines
        .iter()
        .filter(|(_, _, m)| sides(m) >= MIN_SIDES)
        .count()
        < 2
    {
        return (Vec::new(), Vec::new());
    }
    let mut rules = Vec::new();
    let mut drawn = vec![false; pc.glyphs.len()];
    for (k, (y, size, members)) in lines.iter().enumerate() {
        // the distance to a neighbouring line of box glyphs, when it is the next line of text
        let near = |other: Option<&BoxLine>| {
            other
                .map(|(oy, _, _)| (oy - y).abs())
                .filter(|&d| d <= 2.0 * size)
        };
        let pitch = near(k.checked_sub(1).and_then(|j| lines.get(j)))
            .into_iter()
            .chain(near(lines.get(k + 1)))
            .reduce(f32::max)
            .unwrap_or(1.3 * size);
        let chars: Vec<(char, f32, f32)> = members
            .iter()
            .map(|&(_, c, g)| (c, g.x, g.x + g.w))
            .collect();
        rules.extend(rules_of_line(&chars, y - size * 0.35, pitch));
        for &(i, _, _) in members {
            if let Some(d) = drawn.get_mut(i) {
                *d = true;
            }
        }
    }
    (rules, drawn)
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
