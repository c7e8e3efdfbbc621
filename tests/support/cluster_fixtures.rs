//! The cluster spec fixture corpus, `tests/fixtures/cluster/`, and its labels in
//! `manifest.toml` (the format is described in that folder's README).

// Each test binary that includes `support` uses only part of it.
#![allow(dead_code)]

use serde::Deserialize;
use std::path::Path;

/// The fixture folder.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cluster");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    case: Vec<Case>,
}

/// One `[[case]]` of the manifest: a fixture file and its expected verdict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The file, relative to the fixture folder.
    pub file: String,
    /// No violation at all.
    #[serde(default)]
    pub valid: bool,
    /// The distinct limitation ids broken, sorted.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// The JSON pointers of type errors and unknown keys, sorted.
    #[serde(default)]
    pub structural: Vec<String>,
    /// The file cannot be parsed.
    #[serde(default)]
    pub unparseable: bool,
    /// Whether the JSON Schema alone reaches the verdict (false where only min > max breaks).
    #[serde(default = "yes")]
    pub schema_decides: bool,
}

fn yes() -> bool {
    true
}

impl Case {
    /// The exit code `limitkb check` must give on this file alone.
    pub fn exit_code(&self) -> i32 {
        if self.unparseable {
            2
        } else if self.valid {
            0
        } else {
            1
        }
    }
}

/// Every case of the manifest.
pub fn manifest() -> Vec<Case> {
    let path = Path::new(FIXTURES).join("manifest.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let manifest: Manifest =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{} is malformed: {e}", path.display()));
    manifest.case
}
