//! The tables every tabular output writes (CSV, Parquet, xlsx, the Python frames): their columns,
//! each with a type, a unit column where one applies and a meaning, and the typed rows one report
//! contributes. The CSV writer prints these cells as text; Parquet and xlsx keep their types.

use crate::error::Result;
use crate::model::{FindingKind, Report};
use std::borrow::Cow;

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (ids as printed, labels, bullets joined by line breaks).
    Text,
    /// A whole number (positions, years, pages, lines, ranks).
    Integer,
    /// A number that may have a fraction (target values).
    Number,
    /// `true` or `false`.
    Boolean,
}

impl ColumnType {
    /// The Frictionless Table Schema type name.
    pub fn table_schema_type(self) -> &'static str {
        match self {
            ColumnType::Text => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// The column that holds this column's unit, when it has one.
    pub unit: Option<&'static str>,
    /// What the column holds.
    pub description: &'static str,
}

/// One table: its name (`items`), what one row stands for, and its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    pub name: &'static str,
    pub row: &'static str,
    pub columns: &'static [Column],
}

impl TableDef {
    /// Column names in order (the CSV header).
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }
}

const fn col(name: &'static str, ty: ColumnType, description: &'static str) -> Column {
    Column {
        name,
        ty,
        unit: None,
        description,
    }
}

use ColumnType::{Boolean as B, Integer as I, Number as N, Text as T};

const FILE: Column = col(
    "file",
    T,
    "The report's source.path: the input path as given.",
);
const ITEM: Column = col(
    "item",
    T,
    "The item's id exactly as printed (`1`, `2-(1)`, `Ⅱ`); text, not a number.",
);
const ITEM_INDEX: Column = col(
    "item_index",
    I,
    "1-based position of the item in its report; with file, the key every table joins on.",
);

const ITEMS: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col(
        "number",
        I,
        "The id as an integer when it is a plain number.",
    ),
    col("parent", T, "The enclosing item's id, for nested items."),
    col("municipality", T, "The report's municipality."),
    col(
        "report_fiscal_year",
        I,
        "Western fiscal year the report covers.",
    ),
    col("report_title", T, "The report's title as printed."),
    col(
        "layout",
        T,
        "Layout profile the report was read with (`card`, `table`, `inferred`, a profile id).",
    ),
    col("section_id", T, "The innermost section's id as printed."),
    col("section", T, "The section heading as printed."),
    col("title", T, "The item's title."),
    col("is_new", B, "The item is marked as new (新規)."),
    col("department", T, "Responsible department(s) (担当課)."),
    col(
        "lead_department",
        T,
        "Lead department when the report names one (主管課).",
    ),
    col("current_state", T, "現状と課題: one bullet per line."),
    col("plan", T, "取組内容: one bullet per line."),
    col(
        "rating",
        T,
        "The item's rating as printed (`◎`, `A`, `順調`).",
    ),
    col(
        "rating_meaning",
        T,
        "The rating's meaning from the report's legend.",
    ),
    col(
        "rating_rank",
        I,
        "Position of the rating in the report's scale, 1 = best.",
    ),
    col(
        "rating_code",
        T,
        "Normalised rating category (`achieved`, `on_track`, `behind`, …).",
    ),
    col("page", I, "PDF page or sheet where the item starts."),
    col("line", I, "Line where the item starts."),
];

const PROGRESS: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col(
        "progress",
        I,
        "1-based position of the progress block in its item.",
    ),
    col("fiscal_year", I, "Western fiscal year of the block."),
    col("goal", T, "That year's goal as printed."),
    col("status", T, "That year's status as printed."),
    col("status_code", T, "Normalised status code."),
    col(
        "activities",
        T,
        "Activities of the year: one bullet per line.",
    ),
    col("next_steps", T, "Next steps: one bullet per line."),
];

const TARGETS: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col(
        "target",
        I,
        "1-based position of the target (数値目標) in its item.",
    ),
    col("name", T, "The target's name."),
    col(
        "unit",
        T,
        "The target's unit as printed (`件`, `%`, `千円`); never multiplied into number.",
    ),
    col(
        "value",
        I,
        "1-based position of the value in its target; empty for a target without values.",
    ),
    col("kind", T, "`baseline`, `goal`, `plan`, `actual` or `rate`."),
    col(
        "fiscal_year",
        I,
        "Western fiscal year the value belongs to.",
    ),
    col(
        "label",
        T,
        "The value's column or row label as printed (`目標(R7)`).",
    ),
    col(
        "text",
        T,
        "The value as printed (`1,200`, `18.0%`, `5%増`).",
    ),
    Column {
        name: "number",
        ty: N,
        unit: Some("unit"),
        description:
            "The value as a number, in the unit of the unit column; empty when the text holds none.",
    },
];

const FINDINGS: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col("finding", I, "1-based position of the finding in its item."),
    col("mark", T, "The bullet mark as printed (`○`, `▲`)."),
    col(
        "kind",
        T,
        "`achievement`, `issue` or `note`, from the mark.",
    ),
    col("text", T, "The finding's text."),
];

const SCHEDULE: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col(
        "fiscal_year",
        I,
        "Western fiscal year of the schedule column.",
    ),
    col("label", T, "The column's header as printed (`令和3年度`)."),
    col("text", T, "The cell as printed."),
    col("milestones", T, "Milestones (■ marks): one per line."),
    col(
        "continues",
        B,
        "An arrow carries the work on into the next year.",
    ),
    col("notes", T, "Notes in brackets: one per line."),
];

const FIELDS: &[Column] = &[
    FILE,
    ITEM,
    ITEM_INDEX,
    col(
        "field",
        I,
        "1-based position of the labelled field in its item.",
    ),
    col("label", T, "The label as printed (without 【】)."),
    col(
        "role",
        T,
        "What the label means (`plan`, `activities`, `rating`, …); empty when unknown.",
    ),
    col("text", T, "The field's text; line breaks between lines."),
    col("page", I, "PDF page or sheet where the field starts."),
    col("line", I, "Line where the field starts."),
];

/// The six tables, in the order they are written.
pub const TABLE_DEFS: [TableDef; 6] = [
    TableDef {
        name: "items",
        row: "item",
        columns: ITEMS,
    },
    TableDef {
        name: "progress",
        row: "progress block (per fiscal year)",
        columns: PROGRESS,
    },
    TableDef {
        name: "targets",
        row: "target value (a target without values keeps one row)",
        columns: TARGETS,
    },
    TableDef {
        name: "findings",
        row: "item-level finding",
        columns: FINDINGS,
    },
    TableDef {
        name: "schedule",
        row: "schedule column",
        columns: SCHEDULE,
    },
    TableDef {
        name: "fields",
        row: "labelled field",
        columns: FIELDS,
    },
];

/// One typed cell. `None` is an empty CSV cell and a null in Parquet and xlsx.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Option<Cow<'a, str>>),
    Integer(Option<i64>),
    Number(Option<f64>),
    Boolean(Option<bool>),
}

impl Cell<'_> {
    /// The cell as CSV text: integers without a decimal point, numbers in shortest round-trip form.
    pub fn csv_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => Cow::Borrowed(t.as_deref().unwrap_or("")),
            Cell::Integer(n) => Cow::Owned(n.map(|n| n.to_string()).unwrap_or_default()),
            Cell::Number(n) => Cow::Owned(n.map(super::number_text).unwrap_or_default()),
            Cell::Boolean(b) => Cow::Borrowed(match b {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            }),
        }
    }
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(Some(Cow::Borrowed(s)))
}
fn opt_text(s: Option<&str>) -> Cell<'_> {
    Cell::Text(s.map(Cow::Borrowed))
}
fn int<T: TryInto<i64>>(n: T) -> Cell<'static> {
    Cell::Integer(n.try_into().ok())
}
fn opt_int<T: TryInto<i64>>(n: Option<T>) -> Cell<'static> {
    Cell::Integer(n.and_then(|n| n.try_into().ok()))
}
/// Bullets of one list as one cell, one bullet per line; no bullets is an empty cell.
fn lines(v: &[String]) -> Cell<'_> {
    Cell::Text(match v {
        [] => None,
        [one] => Some(Cow::Borrowed(one.as_str())),
        many => Some(Cow::Owned(many.join("\n"))),
    })
}

/// Call `row(table, cells)` for every row `report` contributes, table by table within each item
/// (`table` indexes [`TABLE_DEFS`]); stops at the first error `row` returns.
pub fn report_rows(
    report: &Report,
    row: impl FnMut(usize, &[Cell<'_>]) -> Result<()>,
) -> Result<()> {
    report_rows_from(report, 0, row)
}

/// As [`report_rows`], for a report holding a run of its items of which the first is at 0-based
/// position `first` in the whole report (the `item_index` column counts from there).
pub fn report_rows_from(
    report: &Report,
    first: usize,
    mut row: impl FnMut(usize, &[Cell<'_>]) -> Result<()>,
) -> Result<()> {
    let file = report.source.path.as_str();
    for (pos, item) in report.items.iter().enumerate() {
        let pos = first + pos + 1;
        let id = || text(item.id.as_str());
        let rating = item.rating.as_ref();
        row(
            0,
            &[
                text(file),
                id(),
                int(pos),
                opt_int(item.number),
                opt_text(item.parent.as_deref()),
                opt_text(report.municipality.as_deref()),
                opt_int(report.fiscal_year),
                opt_text(report.title.as_deref()),
                text(&report.layout),
                opt_text(item.section_id.as_deref()),
                opt_text(item.section.as_deref()),
                text(&item.title),
                Cell::Boolean(Some(item.is_new)),
                opt_text(item.department.as_deref()),
                opt_text(item.lead_department.as_deref()),
                lines(&item.current_state),
                lines(&item.plan),
                opt_text(rating.map(|r| r.text.as_str())),
                opt_text(rating.and_then(|r| r.meaning.as_deref())),
                opt_int(rating.and_then(|r| r.rank)),
                opt_text(rating.and_then(|r| r.code.as_deref())),
                opt_int(item.source.page),
                int(item.source.line),
            ],
        )?;
        for (i, p) in item.progress.iter().enumerate() {
            row(
                1,
                &[
                    text(file),
                    id(),
                    int(pos),
                    int(i + 1),
                    opt_int(p.fiscal_year),
                    opt_text(p.goal.as_deref()),
                    opt_text(p.status.as_ref().map(|s| s.text.as_str())),
                    opt_text(p.status.as_ref().map(|s| s.code.as_str())),
                    lines(&p.activities),
                    lines(&p.next_steps),
                ],
            )?;
        }
        for (i, t) in item.targets.iter().enumerate() {
            let head = [
                text(file),
                id(),
                int(pos),
                int(i + 1),
                text(&t.name),
                opt_text(t.unit.as_deref()),
            ];
            if t.values.is_empty() {
                // A target without values keeps one row, its value columns empty.
                let blank = [
                    Cell::Integer(None),
                    Cell::Text(None),
                    Cell::Integer(None),
                    Cell::Text(None),
                    Cell::Text(None),
                    Cell::Number(None),
                ];
                let cells: Vec<Cell<'_>> = head.iter().cloned().chain(blank).collect();
                row(2, &cells)?;
            }
            for (j, v) in t.values.iter().enumerate() {
                let value = [
                    int(j + 1),
                    text(v.kind.as_str()),
                    opt_int(v.fiscal_year),
                    text(&v.label),
                    opt_text(v.text.as_deref()),
                    Cell::Number(v.number.filter(|n| n.is_finite())),
                ];
                let cells: Vec<Cell<'_>> = head.iter().cloned().chain(value).collect();
                row(2, &cells)?;
            }
        }
        for (k, f) in item.findings.iter().enumerate() {
            let kind = match f.kind {
                FindingKind::Achievement => "achievement",
                FindingKind::Issue => "issue",
                FindingKind::Note => "note",
            };
            row(
                3,
                &[
                    text(file),
                    id(),
                    int(pos),
                    int(k + 1),
                    opt_text(f.mark.as_deref()),
                    text(kind),
                    text(&f.text),
                ],
            )?;
        }
        for s in &item.schedule {
            row(
                4,
                &[
                    text(file),
                    id(),
                    int(pos),
                    opt_int(s.fiscal_year),
                    text(&s.label),
                    text(&s.text),
                    lines(&s.milestones),
                    Cell::Boolean(Some(s.continues)),
                    lines(&s.notes),
                ],
            )?;
        }
        for (k, f) in item.fields.iter().enumerate() {
            row(
                5,
                &[
                    text(file),
                    id(),
                    int(pos),
                    int(k + 1),
                    text(&f.label),
                    opt_text(f.role.as_deref()),
                    text(&f.text),
                    opt_int(f.source.page),
                    int(f.source.line),
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_matches_its_columns_types() {
        let report = crate::tabular::tests::sample_report();
        let mut counts = [0usize; 6];
        report_rows(&report, |t, cells| {
            let def = &TABLE_DEFS[t];
            assert_eq!(cells.len(), def.columns.len(), "{}", def.name);
            for (c, col) in cells.iter().zip(def.columns) {
                let ok = matches!(
                    (c, col.ty),
                    (Cell::Text(_), ColumnType::Text)
                        | (Cell::Integer(_), ColumnType::Integer)
                        | (Cell::Number(_), ColumnType::Number)
                        | (Cell::Boolean(_), ColumnType::Boolean)
                );
                assert!(ok, "{}.{}: {c:?}", def.name, col.name);
            }
            counts[t] += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(counts, [3, 1, 3, 2, 1, 1]);
    }

    #[test]
    fn csv_text_of_cells() {
        let cases = [
            (Cell::Text(None), ""),
            (text("18.0%"), "18.0%"),
            (Cell::Integer(Some(2021)), "2021"),
            (Cell::Integer(None), ""),
            (Cell::Number(Some(1200.0)), "1200"),
            (Cell::Number(Some(2500.5)), "2500.5"),
            (Cell::Boolean(Some(true)), "true"),
            (Cell::Boolean(Some(false)), "false"),
            (Cell::Boolean(None), ""),
        ];
        for (cell, want) in cases {
            assert_eq!(cell.csv_text(), want, "{cell:?}");
        }
    }

    #[test]
    fn unit_columns_name_a_column_of_the_same_table() {
        for def in TABLE_DEFS {
            for c in def.columns {
                assert!(!c.description.is_empty(), "{}.{}", def.name, c.name);
                if let Some(u) = c.unit {
                    assert!(def.names().any(|n| n == u), "{}.{} → {u}", def.name, c.name);
                }
            }
            let mut names: Vec<_> = def.names().collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                def.columns.len(),
                "{}: duplicate column",
                def.name
            );
        }
    }
}
