//! Numbering levels: which runs of item numbers are the records, which enclose them (parent
//! items or sections) and which are nested under them.

use super::ids::{self, IdToken};
use super::line::Line;
use super::{profile_keys, Candidate, Form, GroupKey, LineRole};
use regex::Regex;
use std::collections::HashMap;

/// Share of a group's ids that continue a run (the next number, or a restart at 1).
fn run_quality(c: &[&Candidate]) -> f64 {
    if c.is_empty() {
        return 0.0;
    }
    let mut good = 0usize;
    let mut prev: Option<&IdToken> = None;
    // A run may start past 1 when the next id continues it (a report of items 3 and 4 only).
    let continued = |x: &Candidate| {
        c.get(1).is_some_and(|n| {
            n.tok.ordinal == x.tok.ordinal + 1 && n.tok.parent_key == x.tok.parent_key
        })
    };
    for x in c {
        let ok = match prev {
            None => x.tok.ordinal <= 2 || continued(x),
            Some(p) => {
                x.tok.ordinal == p.ordinal + 1
                    || x.tok.ordinal == 1
                    || (x.tok.parent_key != p.parent_key && x.tok.ordinal <= 2)
                    // A sub-row repeating its item's number.
                    || x.tok.text == p.text
                    // Codes whose hundreds are the section: `103` then `201`.
                    || (p.ordinal >= 100 && x.tok.ordinal == (p.ordinal / 100 + 1) * 100 + 1)
            }
        };
        if ok {
            good += 1;
        }
        prev = Some(&x.tok);
    }
    good as f64 / c.len() as f64
}

/// What a level of numbering is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelKind {
    Item,
    Section,
}

/// One chosen level of numbering.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub key: GroupKey,
    pub kind: LevelKind,
    /// The label this level's ids follow in the same cell (`重点取組1 …` beside `取組項目1 …`),
    /// when that is what sets it apart from another level of the same scheme and form.
    pub label: Option<String>,
    /// Lines where this level's records start.
    pub lines: Vec<usize>,
}

/// Choose the numbering levels: the largest well-ordered run of ids with content is the item level;
/// runs that enclose it are parent items (when they have content of their own) or sections.
pub fn levels(
    lines: &[Line],
    roles: &[LineRole],
    cands: &[Candidate],
    pinned: Option<&[(GroupKey, LevelKind)]>,
    pin_labels: &[(GroupKey, Regex)],
) -> Vec<Level> {
    // Ids after a label in the same cell are grouped by that label too: `重点取組1` headings and
    // `取組項目1` records are two levels although both are numbers after a label.
    type Key = (GroupKey, Option<String>);
    let mut groups: HashMap<Key, Vec<&Candidate>> = HashMap::new();
    for c in cands {
        let key = GroupKey {
            scheme: c.tok.scheme,
            form: c.form,
        };
        let label = if pinned.is_none() && c.form == Form::LabelPrefix {
            c.label.clone()
        } else {
            None
        };
        groups.entry((key, label)).or_default().push(c);
    }
    if let Some(pins) = pinned {
        return pins
            .iter()
            .enumerate()
            .map(|(n, (k, kind))| {
                // Levels of one scheme and form told apart by their labels: the m-th such level
                // takes the m-th label pattern given for that key.
                let rules: Vec<&Regex> = pin_labels
                    .iter()
                    .filter(|(rk, _)| rk == k)
                    .map(|(_, re)| re)
                    .collect();
                let m = pins.iter().take(n).filter(|(pk, _)| pk == k).count();
                let rule = rules.get(m).copied().filter(|_| rules.len() >= 2);
                Level {
                    key: *k,
                    kind: *kind,
                    label: None,
                    lines: groups
                        .get(&(*k, None))
                        .map(|g| {
                            g.iter()
                                .filter(|c| {
                                    rule.is_none_or(|re| {
                                        profile_keys::label_of(c, lines, roles).is_some_and(|l| {
                                            profile_keys::label_fits(re, c.form, &l)
                                        })
                                    })
                                })
                                .map(|c| c.line)
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect();
    }
    let mut good: Vec<(Key, Vec<&Candidate>)> = groups
        .into_iter()
        .filter(|(_, g)| g.len() >= 2 && run_quality(g) >= 0.7)
        .collect();
    good.sort_by(|(ka, ga), (kb, gb)| gb.len().cmp(&ga.len()).then_with(|| ka.cmp(kb)));
    // Item level: the group with the most records that have content (at least half of its
    // records); on a tie the one that starts first (a numbered list inside items, or child items,
    // come after the item that holds them).
    let scored: Vec<(usize, usize, usize)> = good
        .iter()
        .enumerate()
        .map(|(k, (_, g))| {
            let with_content = g
                .iter()
                .filter(|c| has_content(lines, roles, c.line, &[]))
                .count();
            (k, with_content, g.first().map_or(usize::MAX, |c| c.line))
        })
        .filter(|&(k, w, _)| good.get(k).is_some_and(|(_, g)| w * 2 >= g.len()))
        .collect();
    let Some(pos) = scored
        .iter()
        .fold(
            None::<(usize, usize, usize)>,
            |best, &(k, w, first)| match best {
                Some((_, bw, bfirst)) if bw > w || (bw == w && bfirst <= first) => best,
                _ => Some((k, w, first)),
            },
        )
        .map(|(k, _, _)| k)
    else {
        return vec![];
    };
    let (item_key, item_c) = good.remove(pos);
    let item_lines: Vec<usize> = item_c.iter().map(|c| c.line).collect();
    let mut out = vec![];
    // Enclosing levels: groups with fewer ids, each followed by an item before its next one, and
    // never inside an item's table (their form differs from the item's).
    let mut enclosing: Vec<(Key, Vec<usize>)> = vec![];
    let remaining = good.clone();
    for (k, g) in good {
        let gl: Vec<usize> = g.iter().map(|c| c.line).collect();
        if gl.len() >= item_lines.len() || k == item_key {
            continue;
        }
        let encloses = gl.iter().enumerate().all(|(n, &at)| {
            let next = gl.get(n + 1).copied().unwrap_or(usize::MAX);
            item_lines.iter().any(|&il| il > at && il < next)
        });
        // An item's number restarts after each enclosing id, or the ids never interleave oddly.
        if encloses {
            enclosing.push((k, gl));
        }
    }
    // Nested levels: ids that restart at 1 after item ids and always follow one (children such as
    // (ア)(イ) under an item).
    let mut children: Vec<(Key, Vec<usize>)> = vec![];
    for (k, g) in remaining.iter() {
        if k.0.scheme == item_key.0.scheme || enclosing.iter().any(|(e, _)| e == k) {
            continue;
        }
        let Some(first) = g.first() else { continue };
        if first.line < item_lines.first().copied().unwrap_or(usize::MAX) {
            continue;
        }
        let restarts = g.iter().enumerate().all(|(n, c)| {
            let prev_item = item_lines.iter().rev().find(|&&il| il < c.line).copied();
            let prev_same = n.checked_sub(1).and_then(|m| g.get(m)).map(|p| p.line);
            match (prev_item, prev_same) {
                (Some(pi), Some(ps)) if ps > pi => c.tok.ordinal > 1,
                (Some(_), _) => c.tok.ordinal == 1,
                _ => false,
            }
        });
        if restarts {
            children.push((k.clone(), g.iter().map(|c| c.line).collect()));
        }
    }
    enclosing.sort_by_key(|(_, gl)| gl.len());
    let all_starts: Vec<usize> = enclosing
        .iter()
        .flat_map(|(_, gl)| gl.iter().copied())
        .chain(item_lines.iter().copied())
        .collect();
    for (k, gl) in enclosing {
        let own = gl
            .iter()
            .filter(|&&at| has_content(lines, roles, at, &all_starts))
            .count();
        // A table row of its own (`1 | 事務事業の見直し` above its children's rows) is a parent
        // item; a numbered heading without content is a section.
        let kind = if own * 2 > gl.len() || k.0.form == Form::Cell {
            LevelKind::Item
        } else {
            LevelKind::Section
        };
        out.push(Level {
            key: k.0,
            kind,
            label: k.1,
            lines: gl,
        });
    }
    out.push(Level {
        key: item_key.0,
        kind: LevelKind::Item,
        label: item_key.1,
        lines: item_lines,
    });
    for (k, gl) in children.into_iter().take(1) {
        out.push(Level {
            key: k.0,
            kind: LevelKind::Item,
            label: k.1,
            lines: gl,
        });
    }
    out
}

/// Does the record starting at `at` have content of its own: cells beside its id, or labelled or
/// text lines before the next record start (`stops`) or header?
fn has_content(lines: &[Line], roles: &[LineRole], at: usize, stops: &[usize]) -> bool {
    if lines.get(at).is_some_and(|l| l.filled().count() >= 3) {
        return true;
    }
    // `① 題 | Ａ`: the id and its title in one cell, something beside them.
    let titled = lines.get(at).is_some_and(|l| {
        l.filled().count() >= 2
            && l.filled()
                .next()
                .and_then(|(_, c)| ids::id_at_start(c))
                .is_some_and(|t| !t.rest.is_empty())
    });
    if titled {
        return true;
    }
    for j in at + 1..lines.len() {
        if stops.contains(&j) {
            return false;
        }
        match roles.get(j) {
            Some(LineRole::Blank | LineRole::Furniture) => continue,
            Some(LineRole::Header | LineRole::HeaderCont) => return false,
            Some(LineRole::TargetHeader) => return true,
            _ => {}
        }
        let Some(l) = lines.get(j) else { break };
        let first = l.filled().next().map(|(_, c)| c).unwrap_or("");
        if ids::id_at_start(first).is_some() {
            return false;
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::lexicon::Lexicon;
    use crate::records::ids::Scheme;
    use crate::records::{candidates, classify, furniture, tab_doc as lines};

    #[test]
    fn levels_items_parents_and_sections() {
        let lex = Lexicon::builtin();
        // Sections (1 2) without content of their own, items (1) (2) restarting under each.
        let text = "1 総務\n(1) 題\n【取組内容】\n本文\n(2) 題\n【取組内容】\n本文\n2 財政\n(1) 題\n【取組内容】\n本文";
        let (raw, ls) = lines(text);
        let roles = classify(lex, &ls, &furniture(&ls));
        let c = candidates(lex, &ls, &crate::records::RawLines::new(&raw), &roles);
        let lv = levels(&ls, &roles, &c, None, &[]);
        let kinds: Vec<(Scheme, LevelKind, usize)> = lv
            .iter()
            .map(|l| (l.key.scheme, l.kind, l.lines.len()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Scheme::Number, LevelKind::Section, 2),
                (Scheme::Paren, LevelKind::Item, 3)
            ]
        );
        // With content of their own, the enclosing ids are parent items.
        let text = "取組事項\t(1) 親\n方向性\t本文\nア 子\t課\n取組事項\t(2) 親\n方向性\t本文\nア 子\t課\nイ 子\t課";
        let (raw, ls) = lines(text);
        let roles = classify(lex, &ls, &furniture(&ls));
        let c = candidates(lex, &ls, &crate::records::RawLines::new(&raw), &roles);
        let lv = levels(&ls, &roles, &c, None, &[]);
        let kinds: Vec<(Scheme, LevelKind)> = lv.iter().map(|l| (l.key.scheme, l.kind)).collect();
        assert_eq!(
            kinds,
            [
                (Scheme::Paren, LevelKind::Item),
                (Scheme::Kana, LevelKind::Item)
            ]
        );
    }

    #[test]
    fn levels_of_one_scheme_told_apart_by_their_labels() {
        let lex = Lexicon::builtin();
        // Headings and records both a record label and a number: two levels, not one run
        // with every number twice.
        let text = "重点取組1 窓口\n取組項目1 題一\n【取組内容】\n本文\n取組項目2 題二\n【取組内容】\n本文\n\
                    重点取組2 財政\n取組項目3 題三\n【取組内容】\n本文";
        let (raw, ls) = lines(text);
        let roles = classify(lex, &ls, &furniture(&ls));
        let c = candidates(lex, &ls, &crate::records::RawLines::new(&raw), &roles);
        let lv = levels(&ls, &roles, &c, None, &[]);
        let got: Vec<(LevelKind, Option<&str>, &[usize])> = lv
            .iter()
            .map(|l| (l.kind, l.label.as_deref(), l.lines.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                (LevelKind::Section, Some("重点取組"), &[0, 7][..]),
                (LevelKind::Item, Some("取組項目"), &[1, 4, 8][..]),
            ]
        );
        // Pinned with a label pattern each, the same two levels come back.
        let key = GroupKey {
            scheme: Scheme::Number,
            form: Form::LabelPrefix,
        };
        let pins = [(key, LevelKind::Section), (key, LevelKind::Item)];
        let labels = [
            (key, Regex::new("^(?:重点取組)").unwrap()),
            (key, Regex::new("^(?:取組項目)").unwrap()),
        ];
        let lv = levels(&ls, &roles, &c, Some(&pins), &labels);
        let got: Vec<&[usize]> = lv.iter().map(|l| l.lines.as_slice()).collect();
        assert_eq!(got, [&[0, 7][..], &[1, 4, 8][..]]);
    }
}
