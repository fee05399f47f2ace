//! A dash in a value column whose other cells hold text (`計画（当初）` over `本庁の窓口に導入する`
//! and, where nothing was planned, `－`): the dash is that column's text for the item, a field,
//! not a target value. A column that holds a number in any item keeps its dashes as values.

use crate::fields::values::is_dash;
use crate::model::*;

/// Whether a target value is a dash as printed (no number, a dash for text).
fn dash_value(v: &TargetValue) -> bool {
    v.number.is_none() && v.text.as_deref().is_some_and(is_dash)
}

/// Move the dashes of text columns into fields (see the module documentation).
pub(super) fn dashes_of_text_columns(items: &mut [Item]) {
    // Labels of the fields read from text cells, in the order of the first item holding each.
    let mut text_labels: Vec<(String, Option<String>)> = vec![];
    for f in items.iter().flat_map(|it| &it.fields) {
        if !f.label.trim().is_empty() && !text_labels.iter().any(|(l, _)| *l == f.label) {
            text_labels.push((f.label.clone(), f.role.clone()));
        }
    }
    let numeric = |label: &str| {
        items
            .iter()
            .flat_map(|it| &it.targets)
            .flat_map(|t| &t.values)
            .any(|v| v.label == label && v.number.is_some())
    };
    let labels: Vec<(String, Option<String>)> = text_labels
        .into_iter()
        .filter(|(l, _)| !numeric(l))
        .collect();
    if labels.is_empty() {
        return;
    }
    for it in items.iter_mut() {
        let mut moved: Vec<FieldText> = vec![];
        for t in &mut it.targets {
            t.values.retain(|v| {
                let Some((label, role)) = labels.iter().find(|(l, _)| *l == v.label) else {
                    return true;
                };
                if !dash_value(v) || it.fields.iter().any(|f| f.label == *label) {
                    return true;
                }
                moved.push(FieldText {
                    label: label.clone(),
                    text: v.text.clone().unwrap_or_default(),
                    role: role.clone(),
                    source: v.source.clone().unwrap_or_default(),
                });
                false
            });
        }
        if moved.is_empty() {
            continue;
        }
        it.targets
            .retain(|t| !(t.values.is_empty() && t.name.is_empty() && t.unit.is_none()));
        for f in moved {
            // Among the item's fields in the order the columns come.
            let rank = |l: &str| labels.iter().position(|(x, _)| x == l);
            let at = it
                .fields
                .iter()
                .position(|g| rank(&g.label).is_some_and(|r| Some(r) > rank(&f.label)))
                .unwrap_or(it.fields.len());
            it.fields.insert(at, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(fields: &[(&str, &str)], values: &[(&str, &str, Option<f64>)]) -> Item {
        let mut it = Item {
            id: "1".into(),
            number: Some(1),
            parent: None,
            title: "題".into(),
            is_new: false,
            section: None,
            section_id: None,
            department: None,
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
            source: Provenance::default(),
        };
        it.fields = fields
            .iter()
            .map(|(l, t)| FieldText {
                label: l.to_string(),
                text: t.to_string(),
                role: None,
                source: Provenance::default(),
            })
            .collect();
        if !values.is_empty() {
            it.targets = vec![Target {
                name: String::new(),
                unit: None,
                values: values
                    .iter()
                    .map(|(l, t, n)| TargetValue {
                        kind: ValueKind::Plan,
                        label: l.to_string(),
                        fiscal_year: Some(2024),
                        text: Some(t.to_string()),
                        number: *n,
                        source: None,
                    })
                    .collect(),
            }];
        }
        it
    }

    #[test]
    fn dashes_in_text_columns_are_fields() {
        // (items, per item: fields, value texts left)
        type Shape<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);
        type Case<'a> = (Vec<Item>, Vec<Shape<'a>>);
        let cases: [Case; 3] = [
            // A dash where the column holds text elsewhere: the field.
            (
                vec![
                    item(
                        &[("計画(当初)", "窓口に導入する")],
                        &[("進捗率", "75%", Some(75.0))],
                    ),
                    item(
                        &[],
                        &[("計画(当初)", "－", None), ("進捗率", "40%", Some(40.0))],
                    ),
                ],
                vec![
                    (vec![("計画(当初)", "窓口に導入する")], vec!["75%"]),
                    (vec![("計画(当初)", "－")], vec!["40%"]),
                ],
            ),
            // A column of numbers keeps its dashes as values.
            (
                vec![
                    item(&[("実績", "未集計")], &[("実績", "12", Some(12.0))]),
                    item(&[], &[("実績", "－", None)]),
                ],
                vec![(vec![("実績", "未集計")], vec!["12"]), (vec![], vec!["－"])],
            ),
            // No column of text by that label: the dash stays.
            (
                vec![item(&[], &[("計画", "－", None)])],
                vec![(vec![], vec!["－"])],
            ),
        ];
        for (mut items, want) in cases {
            dashes_of_text_columns(&mut items);
            let got: Vec<Shape> = items
                .iter()
                .map(|it| {
                    (
                        it.fields
                            .iter()
                            .map(|f| (f.label.as_str(), f.text.as_str()))
                            .collect(),
                        it.targets
                            .iter()
                            .flat_map(|t| &t.values)
                            .filter_map(|v| v.text.as_deref())
                            .collect(),
                    )
                })
                .collect();
            assert_eq!(got, want);
        }
    }
}
