//! A second list keyed by the items' numbers (`２　評価一覧`: `No. | 評価 | 評価の理由` after the
//! list of items) joined back to the items it grades; a wide table's rows printed again with its
//! remaining columns on a later page (`（続き）`), number and title repeated, joined to theirs.

use crate::model::Item;

/// Rows with no title and no department whose number an item before them already has are that
/// item's: their rating, fields, findings, targets and schedule join it, and the rows go. So are
/// rows repeating an earlier item's number and title with no other department (the rest of a wide
/// table's columns printed on a later page): every field they bring is a column that item lacks.
pub(super) fn join_untitled_repeats(items: &mut Vec<Item>) {
    let mut k = 0;
    while let Some(later) = items.get(k) {
        let untitled = later.title.trim().is_empty() && later.department.is_none();
        let first = items.get(..k).and_then(|before| {
            before.iter().position(|it| {
                let same = it.id == later.id && it.parent == later.parent;
                let titled = !it.title.trim().is_empty();
                let continued = it.title == later.title
                    && later
                        .department
                        .as_ref()
                        .is_none_or(|d| it.department.as_ref() == Some(d))
                    && later
                        .fields
                        .iter()
                        .all(|f| it.fields.iter().all(|g| g.label != f.label))
                    && !later.fields.is_empty();
                same && titled && (untitled || continued)
            })
        });
        let Some(i) = first else {
            k += 1;
            continue;
        };
        let row = items.remove(k);
        let Some(it) = items.get_mut(i) else { break };
        if it.rating.is_none() {
            it.rating = row.rating;
        }
        if it.department.is_none() {
            it.department = row.department;
        }
        it.fields.extend(row.fields);
        it.findings.extend(row.findings);
        it.targets.extend(row.targets);
        it.schedule.extend(row.schedule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str, dept: Option<&str>) -> Item {
        Item {
            id: id.into(),
            number: None,
            parent: None,
            title: title.into(),
            is_new: false,
            section: None,
            section_id: None,
            department: dept.map(str::to_string),
            lead_department: None,
            rating: None,
            fields: vec![],
            findings: vec![],
            current_state: vec![],
            current_state_sources: vec![],
            plan: vec![],
            plan_sources: vec![],
            targets: vec![],
            schedule: vec![],
            progress: vec![],
            source: Default::default(),
        }
    }

    /// Items as (id, title, department).
    type Rows<'a> = &'a [(&'a str, &'a str, Option<&'a str>)];

    #[test]
    fn untitled_repeats_join_their_items() {
        // (items, ids left, titles left)
        let cases: [(Rows, &[&str], &[&str]); 4] = [
            (
                &[
                    ("1", "題一", Some("総務課")),
                    ("2", "題二", None),
                    ("1", "", None),
                    ("2", "", None),
                ],
                &["1", "2"],
                &["題一", "題二"],
            ),
            // A repeated number with a title of its own is another item (numbers restarting).
            (
                &[("1", "題一", None), ("1", "題三", None)],
                &["1", "1"],
                &["題一", "題三"],
            ),
            // An untitled row whose number no item has stays.
            (
                &[("1", "題一", None), ("2", "", None)],
                &["1", "2"],
                &["題一", ""],
            ),
            // An untitled row with a department is a row of its own.
            (
                &[("1", "題一", None), ("1", "", Some("税務課"))],
                &["1", "1"],
                &["題一", ""],
            ),
        ];
        for (given, ids, titles) in cases {
            let mut items: Vec<Item> = given.iter().map(|(i, t, d)| item(i, t, *d)).collect();
            join_untitled_repeats(&mut items);
            let got_ids: Vec<&str> = items.iter().map(|it| it.id.as_str()).collect();
            let got_titles: Vec<&str> = items.iter().map(|it| it.title.as_str()).collect();
            assert_eq!(got_ids, ids, "{given:?}");
            assert_eq!(got_titles, titles, "{given:?}");
        }
    }

    /// Items as (id, title, department, field labels).
    type Wide<'a> = &'a [(&'a str, &'a str, Option<&'a str>, &'a [&'a str])];

    #[test]
    fn continued_rows_join_their_items() {
        // (items, ids left, field labels of the first item left)
        let cases: [(Wide, &[&str], &[&str]); 4] = [
            // The rest of a wide table's columns, number and title repeated on a later page.
            (
                &[
                    ("R5-01", "題一", Some("人事課"), &["取組内容"]),
                    ("R5-02", "題二", Some("総務課"), &["取組内容"]),
                    ("R5-01", "題一", None, &["実績", "評価"]),
                    ("R5-02", "題二", None, &["実績", "評価"]),
                ],
                &["R5-01", "R5-02"],
                &["取組内容", "実績", "評価"],
            ),
            // The same columns again are a row of their own (an item listed twice).
            (
                &[
                    ("1", "題一", None, &["実績"]),
                    ("1", "題一", None, &["実績"]),
                ],
                &["1", "1"],
                &["実績"],
            ),
            // Another department: another item.
            (
                &[
                    ("1", "題一", Some("人事課"), &["取組内容"]),
                    ("1", "題一", Some("税務課"), &["実績"]),
                ],
                &["1", "1"],
                &["取組内容"],
            ),
            // Another title under the same number: numbers restarting.
            (
                &[
                    ("1", "題一", None, &["取組内容"]),
                    ("1", "題三", None, &["実績"]),
                ],
                &["1", "1"],
                &["取組内容"],
            ),
        ];
        for (given, ids, labels) in cases {
            let mut items: Vec<Item> = given
                .iter()
                .map(|(i, t, d, fs)| {
                    let mut it = item(i, t, *d);
                    it.fields = fs
                        .iter()
                        .map(|f| crate::model::FieldText {
                            label: f.to_string(),
                            text: "本文".into(),
                            role: None,
                            source: Default::default(),
                        })
                        .collect();
                    it
                })
                .collect();
            join_untitled_repeats(&mut items);
            let got_ids: Vec<&str> = items.iter().map(|it| it.id.as_str()).collect();
            assert_eq!(got_ids, ids, "{given:?}");
            let got: Vec<&str> = items[0].fields.iter().map(|f| f.label.as_str()).collect();
            assert_eq!(got, labels, "{given:?}");
        }
    }
}
