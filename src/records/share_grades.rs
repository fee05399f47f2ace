//! Grades read off a percentage: under a legend of ranges (`80%以上：A　60%以上80%未満：B`), an
//! item with no grade of its own whose progress is printed as a percentage (`進捗率　■■■■■■□□□□
//! 60%`) has the grade whose range holds it.

use crate::fields::share_legend::{progress_share, share_range, ShareRange};
use crate::model::{Item, Rating, RatingLevel};

/// The scale's ranges, when every level's meaning is a range of percentages.
fn ranges(scale: &[RatingLevel]) -> Option<Vec<(&RatingLevel, ShareRange)>> {
    if scale.len() < 2 {
        return None;
    }
    scale
        .iter()
        .map(|x| share_range(&x.meaning).map(|r| (x, r)))
        .collect()
}

/// How many items without a rating a legend would grade by their share: none unless every one
/// of its meanings is a range of percentages.
pub(super) fn share_hits<'a>(items: &[Item], mut meanings: impl Iterator<Item = &'a str>) -> usize {
    if !meanings.all(|m| share_range(m).is_some()) {
        return 0;
    }
    items
        .iter()
        .filter(|it| it.rating.is_none())
        .filter(|it| it.fields.iter().any(|f| progress_share(&f.text).is_some()))
        .count()
}

/// Each item without a rating gets the grade whose range holds its one field printed as a
/// percentage; items with none such, or with two, are left as they are.
pub(super) fn grade_by_share(items: &mut [Item], scale: &[RatingLevel]) {
    let Some(ranges) = ranges(scale) else { return };
    for it in items.iter_mut().filter(|it| it.rating.is_none()) {
        let mut shares = it
            .fields
            .iter()
            .filter_map(|f| progress_share(&f.text).map(|p| (p, f)));
        let (Some((p, field)), None) = (shares.next(), shares.next()) else {
            continue;
        };
        let Some((level, _)) = ranges.iter().find(|(_, r)| r.contains(p)) else {
            continue;
        };
        it.rating = Some(Rating {
            text: level.text.clone(),
            meaning: None,
            rank: None,
            code: None,
            source: Some(field.source.clone()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldText;

    fn level(text: &str, meaning: &str, rank: u32) -> RatingLevel {
        RatingLevel {
            text: text.into(),
            meaning: meaning.into(),
            rank,
            code: None,
        }
    }

    /// An item's fields (label, text), the scale and the grade it should get.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [RatingLevel], Option<&'a str>);

    #[test]
    fn grades_from_the_share_printed() {
        let scale = [
            level("A", "80%以上", 1),
            level("B", "60%以上80%未満", 2),
            level("C", "60%未満", 3),
        ];
        let words = [level("A", "計画どおり", 1), level("B", "遅れ", 2)];
        let cases: [Case; 6] = [
            (&[("進捗率", "■■■■■■■■■□　90%")], &scale, Some("A")),
            (&[("進捗率", "■■■■■■□□□□　60%")], &scale, Some("B")),
            (
                &[("実績", "協議を行った。"), ("進捗率", "30%")],
                &scale,
                Some("C"),
            ),
            // Two percentages: which one grades is not known.
            (&[("進捗率", "30%"), ("達成率", "90%")], &scale, None),
            // A legend of words has no ranges.
            (&[("進捗率", "90%")], &words, None),
            // A percentage inside a sentence is no progress figure.
            (&[("実績", "収納率は９０％となった。")], &scale, None),
        ];
        for (fields, scale, want) in cases {
            let mut items = vec![crate::records::scheduled_item(&[])];
            if let Some(it) = items.first_mut() {
                for (label, text) in fields {
                    it.fields.push(FieldText {
                        label: label.to_string(),
                        text: text.to_string(),
                        role: None,
                        source: Default::default(),
                    });
                }
            }
            let hits = share_hits(&items, scale.iter().map(|x| x.meaning.as_str()));
            let graded = fields.iter().any(|(_, t)| progress_share(t).is_some())
                && scale.iter().all(|x| share_range(&x.meaning).is_some());
            assert_eq!(hits, usize::from(graded), "{fields:?}");
            grade_by_share(&mut items, scale);
            let got = items
                .first()
                .and_then(|it| it.rating.as_ref())
                .map(|r| r.text.as_str());
            assert_eq!(got, want, "{fields:?}");
        }
    }
}
