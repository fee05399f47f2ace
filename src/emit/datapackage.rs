//! `datapackage.json`: the data dictionary written beside the tables (Frictionless Data Package
//! with a Table Schema per table): every column's name, type and meaning, the column holding its
//! unit where it has one (`unitColumn`), the key (`file`, `item_index`) and the joins to `items`.

use crate::tabular::{ColumnType, CsvEncoding, TableDef, TABLE_DEFS};
use serde_json::{json, Map, Value};

/// The file name of the data dictionary.
pub const DATAPACKAGE_JSON: &str = "datapackage.json";

/// Which table files a run wrote, for [`datapackage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Described {
    /// CSV tables, in this encoding.
    pub csv: Option<CsvEncoding>,
    /// Parquet tables.
    pub parquet: bool,
}

/// The Table Schema of one table; `items` is the resource its keys refer to.
pub fn table_schema(def: &TableDef, items: &str) -> Value {
    let fields: Vec<Value> = def
        .columns
        .iter()
        .map(|c| {
            let mut f = Map::new();
            f.insert("name".into(), json!(c.name));
            f.insert("type".into(), json!(c.ty.table_schema_type()));
            f.insert("description".into(), json!(c.description));
            if c.ty == ColumnType::Boolean {
                f.insert("trueValues".into(), json!(["true"]));
                f.insert("falseValues".into(), json!(["false"]));
            }
            if let Some(unit) = c.unit {
                f.insert("unitColumn".into(), json!(unit));
            }
            Value::Object(f)
        })
        .collect();
    let mut schema = Map::new();
    schema.insert("fields".into(), Value::Array(fields));
    schema.insert("missingValues".into(), json!([""]));
    if def.name == "items" {
        schema.insert("primaryKey".into(), json!(["file", "item_index"]));
    } else {
        schema.insert(
            "foreignKeys".into(),
            json!([{
                "fields": ["file", "item_index"],
                "reference": { "resource": items, "fields": ["file", "item_index"] }
            }]),
        );
    }
    Value::Object(schema)
}

/// The data package describing the tables of one run, pretty, with a trailing newline. CSV
/// resources are named after their table (`items`); Parquet ones add `-parquet`
/// (`items-parquet`), and their keys refer to each other.
pub fn datapackage(described: Described) -> String {
    let mut resources = Vec::new();
    let mut add = |suffix: &str, ext: &str, format: &str, media: &str, enc: Option<&str>| {
        for def in &TABLE_DEFS {
            let mut r = Map::new();
            r.insert("name".into(), json!(format!("{}{suffix}", def.name)));
            r.insert("path".into(), json!(format!("{}.{ext}", def.name)));
            r.insert("profile".into(), json!("tabular-data-resource"));
            r.insert("format".into(), json!(format));
            r.insert("mediatype".into(), json!(media));
            if let Some(enc) = enc {
                r.insert("encoding".into(), json!(enc));
            }
            r.insert(
                "description".into(),
                json!(format!("One row per {}.", def.row)),
            );
            r.insert(
                "schema".into(),
                table_schema(def, &format!("items{suffix}")),
            );
            resources.push(Value::Object(r));
        }
    };
    if let Some(enc) = described.csv {
        let enc = match enc {
            CsvEncoding::Utf8Bom => "utf-8-sig",
            CsvEncoding::Cp932 => "cp932",
        };
        add("", "csv", "csv", "text/csv", Some(enc));
    }
    if described.parquet {
        add(
            "-parquet",
            "parquet",
            "parquet",
            "application/vnd.apache.parquet",
            None,
        );
    }
    let doc = json!({
        "profile": "tabular-data-package",
        "name": "gyokaku-tables",
        "title": "Reform progress report items (gyokaku tables)",
        "description": "Items of municipal reform progress reports read by gyokaku, one table per kind of \
                        row; every table joins items on (file, item_index). Years are Western fiscal years; \
                        units are never multiplied into numbers.",
        "generator": format!("gyokaku {}", env!("CARGO_PKG_VERSION")),
        "resources": resources,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_column_of_every_table() {
        let v: Value = serde_json::from_str(&datapackage(Described {
            csv: Some(CsvEncoding::Utf8Bom),
            parquet: true,
        }))
        .unwrap();
        let res = v["resources"].as_array().unwrap();
        assert_eq!(res.len(), 12);
        let names: Vec<&str> = res.iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(&names[..2], ["items", "progress"]);
        assert_eq!(names[6], "items-parquet");
        let targets = &res[2];
        assert_eq!(targets["path"], "targets.csv");
        assert_eq!(targets["encoding"], "utf-8-sig");
        let number = targets["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "number")
            .unwrap();
        assert_eq!(number["type"], "number");
        assert_eq!(number["unitColumn"], "unit");
        assert_eq!(
            targets["schema"]["foreignKeys"][0]["reference"]["resource"],
            "items"
        );
        assert_eq!(
            res[8]["schema"]["foreignKeys"][0]["reference"]["resource"],
            "items-parquet"
        );
        assert_eq!(
            res[0]["schema"]["primaryKey"],
            json!(["file", "item_index"])
        );
        for (r, def) in res.iter().zip(TABLE_DEFS.iter().chain(&TABLE_DEFS)) {
            let fields = r["schema"]["fields"].as_array().unwrap();
            assert_eq!(fields.len(), def.columns.len());
            for (f, c) in fields.iter().zip(def.columns) {
                assert_eq!(f["name"], c.name);
                assert_eq!(f["type"], c.ty.table_schema_type());
            }
        }
    }

    #[test]
    fn only_what_was_written() {
        let cases = [
            (Some(CsvEncoding::Cp932), false, 6, Some("cp932")),
            (None, true, 6, None),
            (None, false, 0, None),
        ];
        for (csv, parquet, n, enc) in cases {
            let v: Value = serde_json::from_str(&datapackage(Described { csv, parquet })).unwrap();
            let res = v["resources"].as_array().unwrap();
            assert_eq!(res.len(), n);
            if let Some(r) = res.first() {
                assert_eq!(r["encoding"].as_str(), enc);
            }
        }
    }
}
