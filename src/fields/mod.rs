//! The `fields` stage's vocabulary and value parsing: what a printed label, rating word, mark or
//! cell value means. Code here knows the shape of labels and values; the words themselves are data
//! (`lexicon/default.toml`, extendable by a user's file).
//!
//! | module | what it reads | entry points |
//! |---|---|---|
//! | [`lexicon`] | labels → roles, rating words → codes, finding marks → kinds, known units | [`Lexicon::builtin`], [`Lexicon::classify`], [`Lexicon::rating_code`], [`Lexicon::mark_kind`] |
//! | [`values`] | quantities in cell text: number, unit as printed, qualifier | [`parse_quantity`], [`unit_in_label`] |
//! | [`legend`] | rating legends printed in a report (a line or a small table) | [`legend_in_line`], [`legend_in_rows`] |
//! | [`share_legend`] | grades by ranges of percentages (`80%以上：A`) and progress printed as a percentage | [`share_legend::share_legend`], [`share_legend::progress_share`] |

pub mod legend;
pub mod lexicon;
pub mod share_legend;
pub mod values;

pub use legend::{legend_in_line, legend_in_rows, Legend, LegendEntry};
pub use lexicon::{Canonical, LabelMatch, Lexicon, Role, ValueKind};
pub use values::{parse_quantity, unit_in_label, Quantity};
