//! Headings over a group of items that name the department in charge of every item in the group.

use super::line::Line;
use super::text::bracket_label;
use crate::fields::lexicon::Lexicon;

/// A line holding only a department's name in brackets (`＜総務課＞`, `【企画財政課】`, `〔税務課〕`)
/// or after a heading mark at the start of the line (`■総務部`, `◆市民生活部`): the heading of a
/// group of items, each of which that department is in charge of. A label the lexicon knows is
/// no department (`【評価】`).
pub(super) fn group_department(lex: &Lexicon, l: &Line) -> Option<String> {
    let [(col, one)] = l.filled().collect::<Vec<_>>()[..] else {
        return None;
    };
    let bare = one.trim_start_matches(super::HEADING_MARKS).trim();
    let (name, after) = match bracket_label(bare) {
        Some(found) => found,
        // A name after a mark only as the line's first cell: a lone cell further right is a
        // table row's department, no heading.
        None if col == 0 && bare.len() < one.trim().len() => (bare.to_string(), String::new()),
        None => return None,
    };
    let is_label = lex.classify(&name).is_some_and(|m| m.exact);
    // `・担当課：住民課` is a bullet's label and value, no heading.
    let pair = name.contains([':', '：']);
    (after.is_empty() && !is_label && !pair && lex.looks_like_department(&name)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_heading_groups() {
        let lex = Lexicon::builtin();
        let cases = [
            ("<総務課>", Some("総務課")),
            ("【企画財政課】", Some("企画財政課")),
            ("■〔税務課〕", Some("税務課")),
            ("■総務部", Some("総務部")),
            ("◆市民生活部", Some("市民生活部")),
            // a bullet before a label and its value names no group
            ("・担当課：住民課", None),
            // A bracketed label, a bracketed title with text after it, a section word.
            ("【評価】", None),
            ("【取組1】窓口の改善", None),
            ("<令和4年度>", None),
            // No mark, a title after a mark, a lone cell right of the first column.
            ("総務部", None),
            ("■窓口の改善", None),
            ("■総務部の取組", None),
            ("\t\t総務課", None),
        ];
        for (text, want) in cases {
            let (_, lines) = crate::records::tab_doc(text);
            assert_eq!(group_department(lex, &lines[0]).as_deref(), want, "{text}");
        }
    }
}
