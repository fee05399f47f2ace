//! A bracketed heading over the rows of a table (`【集会施設】`, `[子育て支援施設]`): a band naming
//! the group of rows under it, as an unbracketed band does, when the words in the brackets are no
//! label the lexicon knows (`【評価】` is a label, `【総務課】` a department heading).

use super::text::bracket_label;
use crate::fields::lexicon::Lexicon;

/// Whether `one`, the only cell of a line inside or right over a table, is a bracketed band.
pub(super) fn bracketed_band(lex: &Lexicon, one: &str) -> bool {
    let Some((label, after)) = bracket_label(one) else {
        return false;
    };
    if !after.is_empty() || label.is_empty() || label.chars().count() > 20 {
        return false;
    }
    let known = lex.classify(&label).is_some_and(|m| m.exact);
    let year = crate::wareki::year_in_label(&label).is_some();
    let has_digit = label
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    !known && !year && !has_digit && !lex.looks_like_department(&label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_bands_over_table_rows() {
        let lex = Lexicon::builtin();
        let cases = [
            ("【集会施設】", true),
            ("[子育て支援施設]", true),
            ("〔スポーツ施設〕", true),
            // A known label, a department, a year, a numbered word, text after the brackets.
            ("【評価】", false),
            ("【実施結果】", false),
            ("【総務課】", false),
            ("【令和５年度】", false),
            ("【取組1】", false),
            ("【集会施設】公民館など", false),
            ("集会施設", false),
        ];
        for (cell, want) in cases {
            assert_eq!(bracketed_band(lex, cell), want, "{cell}");
        }
    }
}
