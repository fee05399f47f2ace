//! A table printed after the items that lists an amount per item number and year (`効果額一覧`:
//! `取組 | 取組項目 | 令和４年度 | 令和５年度 | 令和６年度` over `１ | 下水道使用料の改定 | ― |
//! 18,400 | 19,100`): its rows are no new items; each row's amounts are a target of the item with
//! that number (and title, when the row repeats it), read up to the report's year as actual
//! values and after it as planned ones. The quantity and unit come from the line naming the table
//! (`効果額一覧（単位：千円）`, see `table_names.rs`).

use super::*;
use crate::fields::values::{is_dash, parse_quantity};
use crate::normalize::normalize_chars;
use crate::records::year_label;

/// An item number as compared with a row's first cell.
fn id_key(id: &str) -> String {
    strip_ws(&normalize_chars(id))
}

/// Whether a header has columns of two fiscal years or more and no column of a department or
/// rating (a list of amounts by year, not a table of items).
fn years_across(lex: &Lexicon, l: &Line) -> bool {
    let years = l.filled().filter(|(_, c)| year_label(c).is_some()).count();
    years >= 2
        && !l.filled().any(|(_, c)| {
            lex.classify(c).is_some_and(|m| {
                m.exact
                    && m.roles
                        .iter()
                        .any(|r| matches!(r, Role::Department | Role::Rating))
            })
        })
}

/// The year columns of a keyed table hold actual values up to the report's year, planned after.
fn years_as_values(cols: &mut [Column], report_year: Option<i32>) {
    for c in cols.iter_mut() {
        let Some(y) = c.year else { continue };
        if c.roles.iter().any(|r| matches!(r, Role::Value(_))) {
            continue;
        }
        let kind = match report_year {
            Some(r) if y > r => ValueKind::Plan,
            _ => ValueKind::Actual,
        };
        c.roles = vec![Role::Value(kind)];
    }
}

impl Walk<'_> {
    /// The index of the item read so far whose number is `cell`.
    fn item_numbered(&self, cell: &str) -> Option<usize> {
        let key = id_key(cell);
        if key.is_empty() {
            return None;
        }
        self.items
            .iter()
            .chain(self.cur.as_ref().map(|b| &b.item))
            .position(|it| id_key(&it.id) == key)
    }

    /// Whether the header at `at` opens a keyed table: years across, and the first row under it
    /// opening with the number of an item already read.
    pub(super) fn is_keyed_header(&self, at: usize) -> bool {
        let Some(l) = self.lines.get(at) else {
            return false;
        };
        if self.roles.get(at) != Some(&LineRole::Header) || !years_across(self.lex, l) {
            return false;
        }
        // The first row: an item's number, and amounts (or dashes) under the years.
        let amounts = |x: &Line| {
            l.filled()
                .filter(|(_, c)| year_label(c).is_some())
                .filter_map(|(j, _)| x.cells.get(j).map(|c| c.trim()))
                .filter(|c| !c.is_empty())
                .all(|c| is_dash(c) || parse_quantity(c, true).number.is_some())
        };
        (at + 1..self.lines.len())
            .filter_map(|k| self.lines.get(k))
            .find(|x| !x.is_blank())
            .is_some_and(|x| {
                x.filled().count() >= 2 && self.item_numbered(x.first()).is_some() && amounts(x)
            })
    }

    /// A keyed table's header: the items before it are complete, its rows are read by
    /// [`Walk::keyed_row`].
    pub(super) fn keyed_header(&mut self, role: LineRole, at: usize, l: &Line) -> bool {
        if role != LineRole::Header || !self.is_keyed_header(at) {
            return false;
        }
        let mut cols = self.read_header(l);
        years_as_values(&mut cols, self.report_year);
        self.close();
        self.table = None;
        self.target_table = None;
        self.keyed = Some(TargetTable {
            columns: cols,
            totals: false,
            name: self.keyed_name.take(),
        });
        self.explained += 1;
        true
    }

    /// A row of a keyed table: its amounts join the item of its number as one target. Any other
    /// row ends the table.
    pub(super) fn keyed_row(&mut self, l: &Line) -> bool {
        let Some(tt) = self.keyed.as_mut() else {
            return false;
        };
        // `合計 | | 19,600 | 26,550 | 27,820`: the report's total of the amounts listed.
        let first_cell = l.filled().next().map(|(_, c)| c.trim()).unwrap_or("");
        if is_total_label(first_cell) {
            let unit = tt.name.as_ref().and_then(|(_, u)| u.clone());
            let mut targets = vec![Target {
                name: first_cell.to_string(),
                unit,
                values: vec![],
            }];
            let _ = target_row(&self.ctx, tt, l, &mut targets);
            self.totals
                .extend(targets.into_iter().filter(|t| !t.values.is_empty()));
            self.keyed = None;
            self.explained += 1;
            return true;
        }
        let at = self
            .items
            .iter()
            .position(|it| id_key(&it.id) == id_key(l.first()));
        // A title in the row is the item's own.
        let title_col = tt
            .columns
            .iter()
            .position(|c| c.roles.contains(&Role::Title));
        let same_title = |it: &Item| {
            title_col
                .and_then(|j| l.cells.get(j))
                .filter(|c| !c.trim().is_empty())
                .is_none_or(|c| strip_ws(c) == strip_ws(&it.title))
        };
        let Some(k) = at.filter(|&k| self.items.get(k).is_some_and(same_title)) else {
            self.keyed = None;
            return false;
        };
        let (name, unit) = tt.name.clone().unwrap_or_default();
        let mut targets = vec![Target {
            name,
            unit,
            values: vec![],
        }];
        let _ = target_row(&self.ctx, tt, l, &mut targets);
        if let Some(it) = self.items.get_mut(k) {
            it.targets
                .extend(targets.into_iter().filter(|t| !t.values.is_empty()));
        }
        self.explained += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_by_item_number_join_their_items() {
        let lex = Lexicon::builtin();
        let head = "架空市改革報告(令和6年度)\n\n取組1 使用料の改定\n所管課:上下水道課\n評価:A\n\n取組2 様式の削減\n所管課:総務課\n評価:B\n\n";
        type Want<'a> = [(&'a str, Option<&'a str>, &'a [(&'a str, i32, &'a str)]); 2];
        let cases: [(&str, Want); 5] = [
            (
                "効果額一覧(単位:千円)\n取組\t取組項目\t令和5年度\t令和6年度\t令和7年度\n1\t使用料の改定\t100\t120\t150\n合計\t\t100\t120\t150\n",
                [
                    ("効果額", Some("千円"), &[("actual", 2023, "100"), ("actual", 2024, "120"), ("plan", 2025, "150")]),
                    ("", None, &[]),
                ],
            ),
            // Both items, no title column, no name line.
            (
                "番号\t令和5年度\t令和6年度\n1\t10\t20\n2\t-\t5\n",
                [
                    ("", None, &[("actual", 2023, "10"), ("actual", 2024, "20")]),
                    ("", None, &[("actual", 2023, "-"), ("actual", 2024, "5")]),
                ],
            ),
            // A row whose title is another item's joins nothing and ends the table.
            (
                "効果額一覧(単位:千円)\n取組\t取組項目\t令和5年度\t令和6年度\n1\t別の取組\t100\t120\n",
                [("", None, &[]), ("", None, &[])],
            ),
            // Words under the years (a schedule printed again): not a keyed table.
            (
                "取組\t取組項目\t令和5年度\t令和6年度\n1\t使用料の改定\t検討\t実施\n",
                [("", None, &[]), ("", None, &[])],
            ),
            // A number no item has: not a keyed table.
            (
                "番号\t令和5年度\t令和6年度\n7\t10\t20\n",
                [("", None, &[]), ("", None, &[])],
            ),
        ];
        for (tail, want) in cases {
            let text = format!("{head}{tail}");
            let raw: Vec<SourceLine> = crate::records::tab_lines(&text);
            let (raw, ls) = super::super::super::explode(&raw);
            let b = build(lex, &ls, &raw, Some(2024), None);
            assert_eq!(b.items.len(), 2, "{tail}");
            let totals: Vec<(&str, Option<&str>, usize)> = b
                .totals
                .iter()
                .map(|t| (t.name.as_str(), t.unit.as_deref(), t.values.len()))
                .collect();
            let want_totals: &[(&str, Option<&str>, usize)] = if tail.contains("合計") {
                &[("合計", Some("千円"), 3)]
            } else {
                &[]
            };
            assert_eq!(totals, want_totals, "{tail}");
            for (it, (name, unit, values)) in b.items.iter().zip(want) {
                let got: Vec<(&str, i32, &str)> = it
                    .targets
                    .iter()
                    .flat_map(|t| &t.values)
                    .map(|v| {
                        (
                            v.kind.as_str(),
                            v.fiscal_year.unwrap_or(0),
                            v.text.as_deref().unwrap_or(""),
                        )
                    })
                    .collect();
                assert_eq!(got, values.to_vec(), "{tail}");
                if let Some(t) = it.targets.first() {
                    assert_eq!((t.name.as_str(), t.unit.as_deref()), (name, unit), "{tail}");
                }
            }
        }
    }
}
