//! A profile made ready to read with: its pins (patterns compiled) and its lexicon (the base
//! lexicon with the profile's labels, column headers and units added). A built-in profile is
//! prepared once per process and base lexicon (told apart by the lexicon's stamp): every
//! document, and every layout tried on it, shares it.

use super::profile_keys::Pins;
use super::LayoutSpec;
use crate::error::Result;
use crate::fields::lexicon::Lexicon;
use std::sync::{Arc, Mutex};

/// A profile's pins and lexicon.
pub struct Prepared {
    pub pins: Pins,
    pub lex: Lexicon,
}

/// Prepared built-in profiles kept: a few base lexicons' worth (the built-in one, one extended by
/// `--lexicon`).
const KEPT: usize = 16;

/// (index of the built-in profile, base lexicon's stamp, the prepared profile), oldest first.
type Kept = Vec<(usize, u64, Arc<Prepared>)>;

static KEPT_PREPARED: Mutex<Kept> = Mutex::new(Vec::new());

/// Prepare `spec` over `base`: a built-in profile (the very one [`super::builtin::specs`]
/// holds) from what an earlier call kept, any other profile afresh.
pub fn prepare(spec: &LayoutSpec, base: &Lexicon) -> Result<Arc<Prepared>> {
    let fresh = || -> Result<Arc<Prepared>> {
        // A built-in's pins were made in checking it: cloned (the patterns shared), not
        // compiled again.
        let pins = match super::builtin::pins_of(spec) {
            Some(p) => p.clone(),
            None => spec.pins(&spec.id)?,
        };
        Ok(Arc::new(Prepared {
            pins,
            lex: spec.lexicon(base)?,
        }))
    };
    let Some(index) = super::builtin::specs()
        .iter()
        .position(|s| std::ptr::eq(s, spec))
    else {
        return fresh();
    };
    let key = (index, base.stamp());
    let found = |kept: &Kept| {
        kept.iter()
            .find(|(i, stamp, _)| (*i, *stamp) == key)
            .map(|(_, _, p)| Arc::clone(p))
    };
    if let Some(p) = KEPT_PREPARED.lock().ok().and_then(|k| found(&k)) {
        return Ok(p);
    }
    // Built outside the lock: another thread may build the same; the first kept wins.
    let made = fresh()?;
    let Ok(mut kept) = KEPT_PREPARED.lock() else {
        return Ok(made);
    };
    if let Some(p) = found(&kept) {
        return Ok(p);
    }
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push((key.0, key.1, Arc::clone(&made)));
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::builtin;

    /// Labels a profile adds, and labels of the built-in lexicon, classified alike by the kept
    /// and a fresh preparation.
    const PROBES: &[&str] = &[
        "改革項目",
        "No.",
        "担当課",
        "評価",
        "令和4年度の取組状況",
        "目標",
        "実績",
        "所管課",
        "取組内容",
        "効果額",
    ];

    #[test]
    fn builtin_profiles_prepared_once_per_lexicon_and_as_afresh() {
        let base = Lexicon::builtin();
        let mut extended = base.clone();
        extended.extend(
            &Lexicon::from_toml(
                "x",
                "[[roles]]\nrole = \"department\"\nlabels = [\"係名\"]\n",
            )
            .unwrap(),
        );
        assert_ne!(base.stamp(), extended.stamp());
        for spec in builtin::specs() {
            for lex in [base, &extended] {
                let a = prepare(spec, lex).unwrap();
                let b = prepare(spec, lex).unwrap();
                assert!(Arc::ptr_eq(&a, &b), "{}: kept", spec.id);
                let fresh_lex = spec.lexicon(lex).unwrap();
                let fresh_pins = spec.pins(&spec.id).unwrap();
                assert_eq!(
                    a.lex.stamp() == lex.stamp(),
                    fresh_lex.stamp() == lex.stamp()
                );
                for probe in PROBES.iter().chain(["係名"].iter()) {
                    assert_eq!(
                        a.lex.classify(probe),
                        fresh_lex.classify(probe),
                        "{}: {probe}",
                        spec.id
                    );
                }
                assert_eq!(a.pins.levels, fresh_pins.levels, "{}", spec.id);
                assert_eq!(
                    a.pins.patterns.len(),
                    fresh_pins.patterns.len(),
                    "{}",
                    spec.id
                );
                assert_eq!(
                    a.pins.level_labels.len(),
                    fresh_pins.level_labels.len(),
                    "{}",
                    spec.id
                );
                assert_eq!(a.pins.rating_scale, fresh_pins.rating_scale, "{}", spec.id);
            }
            let other_base = prepare(spec, &extended).unwrap();
            assert!(
                !Arc::ptr_eq(&prepare(spec, base).unwrap(), &other_base),
                "{}",
                spec.id
            );
        }
    }

    #[test]
    fn other_profiles_prepared_afresh() {
        let base = Lexicon::builtin();
        for spec in builtin::specs() {
            let copy = spec.clone();
            let a = prepare(&copy, base).unwrap();
            let b = prepare(&copy, base).unwrap();
            assert!(
                !Arc::ptr_eq(&a, &b),
                "{}: a profile not built in is not kept",
                spec.id
            );
        }
    }
}
