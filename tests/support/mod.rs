//! Helpers shared by the integration tests: include with `mod support;`.
// Each test file uses some of them.
#![allow(dead_code)]

pub mod cluster_fixtures;
pub mod files;
pub mod tools;

use std::path::{Path, PathBuf};

/// The knowledge bases of the repository's `data/`, by id (each `data/<id>/`, and
/// `generated/<id>/` its output tree).
pub const KBS: [&str; 2] = [PREVIEW, GA];
/// The preview knowledge base, whose specs `tests/fixtures/cluster/` holds.
pub const PREVIEW: &str = "aurora-serverless-v2-preview";
/// The generally available one, whose specs `tests/fixtures/ga-cluster/` holds.
pub const GA: &str = "aurora-serverless-v2";

/// The repository's root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The data directory of knowledge base `kb`: `data/<kb>`.
pub fn data_of(kb: &str) -> PathBuf {
    repo().join("data").join(kb)
}

/// The generated tree of knowledge base `kb` below an output directory: `<out>/<kb>`.
pub fn tree_of(out: &Path, kb: &str) -> PathBuf {
    out.join(kb)
}

/// The repository's generated tree of knowledge base `kb`: `generated/<kb>`.
pub fn generated_of(kb: &str) -> PathBuf {
    tree_of(&repo().join("generated"), kb)
}

/// The repository's JSON bundle of knowledge base `kb`, `generated/<kb>/json/limitations.json`.
pub fn bundle_of(kb: &str) -> serde_json::Value {
    let path = generated_of(kb).join("json/limitations.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{kb}: {}: {e}; run `cargo run --release -- generate`",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{kb}: the bundle is not JSON: {e}"))
}
