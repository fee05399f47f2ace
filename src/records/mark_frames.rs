//! A label and id framed by a heading mark on both sides (`◆取組１◆　題`, `■No.3■ 題`,
//! `┌ 取組 3 ┐ 題`): the frame is the heading's, as `【取組1】題`'s brackets are.

/// Pairs of marks that open and close a frame; a mark of [`super::HEADING_MARKS`] closes itself.
const CORNERS: &[(char, char)] = &[('┌', '┐'), ('╔', '╗'), ('┏', '┓')];

/// The text inside a frame of heading marks at the start of `text` and the text after it, both
/// trimmed; `None` when the text opens with no mark, the mark is not closed, or the inside is
/// empty, long (over 20 characters) or a `label：value` pair.
pub(super) fn mark_framed(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let open = t.chars().next()?;
    let close = if super::HEADING_MARKS.contains(&open) && open != '・' {
        open
    } else {
        CORNERS.iter().find(|(o, _)| *o == open)?.1
    };
    let rest = t.get(open.len_utf8()..)?;
    let end = rest.find(close)?;
    let inner = rest.get(..end)?.trim();
    let after = rest.get(end + close.len_utf8()..)?.trim();
    let short = (1..=20).contains(&inner.chars().count());
    (short && !inner.contains(['：', ':'])).then(|| (inner.to_string(), after.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_of_heading_marks() {
        let cases = [
            ("◆取組１◆　窓口の改善", Some(("取組１", "窓口の改善"))),
            ("■No.3■ 題", Some(("No.3", "題"))),
            ("┌ 取組 3 ┐ 題", Some(("取組 3", "題"))),
            ("◆取組１◆", Some(("取組１", ""))),
            // one mark, not closed: a heading mark before a title
            ("◆取組１　窓口の改善", None),
            // the middle dot is a bullet, never a frame
            ("・担当課・住民課", None),
            ("◆◆ 題", None),
            ("◆担当：総務課◆", None),
            ("取組１◆題", None),
        ];
        for (text, want) in cases {
            let got = mark_framed(text);
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{text}");
        }
    }
}
