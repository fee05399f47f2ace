//! A line naming the target table printed under it: the quantity and its unit note alone on the
//! line (`職員数の推移（単位：人）` over `区分 | H28 | H29 …`), the heading's closing word that is no
//! part of the quantity taken off by the lexicon (`name_trailers`: の推移, 一覧 …); over a table
//! of amounts by item number after the items (`keyed_amounts.rs`) it names that table's quantity.

use super::*;

/// The target a line names when it holds nothing but a quantity and its unit note
/// (`職員数の推移（単位：人）` → `職員数`, `人`); None for any other line (a sentence, a bare
/// `（単位：千円）`, a line of several cells).
pub(super) fn table_name(lex: &Lexicon, l: &Line) -> Option<(String, Option<String>)> {
    let mut cells = l.filled();
    let (_, text) = cells.next()?;
    if cells.next().is_some() {
        return None;
    }
    let (name, unit) = unit_note(text)?;
    let name = name?;
    // Nothing but the name before the note and nothing after it.
    let t = text.trim();
    let rest = t.strip_prefix(name.as_str())?.trim_start();
    let closed = rest.starts_with(['（', '(']) && rest.ends_with(['）', ')']);
    if !closed || rest.contains(['。', '、']) {
        return None;
    }
    let name = lex.strip_name_trailer(&name).to_string();
    Some((name, Some(unit)))
}

impl Walk<'_> {
    /// A line naming the target table right under it, inside a record: the table's target.
    pub(super) fn target_name_line(&mut self, at: usize, l: &Line) -> bool {
        let Some(k) =
            (at + 1..self.lines.len()).find(|&k| self.lines.get(k).is_some_and(|x| !x.is_blank()))
        else {
            return false;
        };
        // Over a table of amounts by item number after the items (`効果額一覧（単位：千円）`).
        if self.is_keyed_header(k) {
            let Some(named) = table_name(self.lex, l) else {
                return false;
            };
            self.keyed_name = Some(named);
            self.explained += 1;
            return true;
        }
        if self.roles.get(k) != Some(&LineRole::TargetHeader) || self.cur.is_none() {
            return false;
        }
        let Some((name, unit)) = table_name(self.lex, l) else {
            return false;
        };
        let Some(b) = self.cur.as_mut() else {
            return false;
        };
        // Kept as a label with no text: when the table names its target in its corner, the
        // heading over it is no field.
        let field = FieldText {
            label: l.joined(),
            text: String::new(),
            role: None,
            source: prov(l),
        };
        b.keep_pending_target();
        b.pending_target = Some((name, unit, field));
        b.open_field = None;
        self.explained += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_naming_a_table() {
        let lex = Lexicon::builtin();
        let cases: [(&str, Option<(&str, &str)>); 8] = [
            ("職員数の推移（単位：人）", Some(("職員数", "人"))),
            ("人件費の推移(単位:百万円)", Some(("人件費", "百万円"))),
            ("効果額一覧（単位：千円）", Some(("効果額", "千円"))),
            ("寄附額（単位：千円）", Some(("寄附額", "千円"))),
            // A bare note names no quantity.
            ("（単位：千円）", None),
            // A sentence with a note in it is no heading.
            ("※計画・実績は効果額(単位:千円)。", None),
            ("職員数は３０３人となった（単位：人）。", None),
            ("推移（単位：人）", Some(("推移", "人"))),
        ];
        for (text, want) in cases {
            let l = Line {
                line: 1,
                page: None,
                cells: vec![text.to_string()],
            };
            let got = table_name(lex, &l);
            assert_eq!(
                got.as_ref()
                    .map(|(n, u)| (n.as_str(), u.as_deref().unwrap_or(""))),
                want,
                "{text}"
            );
        }
        // Two cells are a row, not a heading.
        let l = Line {
            line: 1,
            page: None,
            cells: vec!["職員数（単位：人）".into(), "312".into()],
        };
        assert_eq!(table_name(lex, &l), None);
    }

    #[test]
    fn derived_rows_and_name_trailers_in_the_lexicon() {
        let lex = Lexicon::builtin();
        for (label, want) in [
            ("差引", true),
            ("増減", true),
            ("差額", true),
            ("計画", false),
            ("差引額の説明", false),
        ] {
            assert_eq!(lex.is_derived_row(label), want, "{label}");
        }
        for (heading, want) in [
            ("職員数の推移", "職員数"),
            ("効果額一覧", "効果額"),
            ("一覧", "一覧"),
            ("寄附額", "寄附額"),
        ] {
            assert_eq!(lex.strip_name_trailer(heading), want, "{heading}");
        }
    }
}
