//! The built-in lexicon and profiles, read from their TOML files at build time and written as JSON
//! into the build's output folder: the program parses JSON at start several times faster than
//! TOML. The TOML files stay the ones to edit; a file that is not TOML fails the build.

use std::{env, fs, path::Path};

/// (TOML file, JSON file written).
const FILES: [(&str, &str); 3] = [
    ("lexicon/default.toml", "lexicon-default.json"),
    ("profiles/card.toml", "profile-card.json"),
    ("profiles/table.toml", "profile-table.json"),
];

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR is set by cargo");
    println!("cargo:rerun-if-changed=build.rs");
    for (toml_file, json_file) in FILES {
        println!("cargo:rerun-if-changed={toml_file}");
        let text = fs::read_to_string(toml_file).unwrap_or_else(|e| panic!("{toml_file}: {e}"));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{toml_file}: {e}"));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{toml_file}: {e}"));
        fs::write(Path::new(&out).join(json_file), json)
            .unwrap_or_else(|e| panic!("{json_file}: {e}"));
    }
}
