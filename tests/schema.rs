//! The published schema is the one generated from the Rust types.

mod common;

#[test]
fn committed_report_schema_matches_the_types() {
    let committed = std::fs::read_to_string(common::root().join("schemas/report.schema.json"))
        .expect("schema file");
    let generated = gyokaku::emit::report_schema();
    assert!(
        committed == generated,
        "schemas/report.schema.json is stale: regenerate it with `gyokaku schema > schemas/report.schema.json`"
    );
    let v: serde_json::Value = serde_json::from_str(&committed).expect("schema is JSON");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for field in [
        "schema",
        "source",
        "layout",
        "layout_confidence",
        "title",
        "municipality",
        "fiscal_year",
        "sections",
        "rating_scale",
        "declared_status_counts",
        "items",
        "totals",
        "diagnostics",
    ] {
        assert!(v["properties"].get(field).is_some(), "schema lacks {field}");
    }
    for field in [
        "schema",
        "source",
        "layout",
        "sections",
        "items",
        "totals",
        "diagnostics",
    ] {
        assert!(
            v["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x == field)),
            "{field} not required"
        );
    }
    for def in [
        "Item",
        "Section",
        "Rating",
        "RatingLevel",
        "FieldText",
        "Target",
        "TargetValue",
        "ValueKind",
        "ScheduleEntry",
        "Progress",
        "Finding",
        "Diagnostic",
        "Provenance",
    ] {
        assert!(v["$defs"].get(def).is_some(), "schema lacks $defs/{def}");
    }
    assert_eq!(
        v["properties"]["schema"]["description"],
        "Always `gyokaku/report/v2`."
    );
    for field in [
        "id",
        "parent",
        "section",
        "section_id",
        "rating",
        "fields",
        "findings",
    ] {
        assert!(
            v["$defs"]["Item"]["properties"].get(field).is_some(),
            "Item lacks {field}"
        );
    }
}
