//! Generates the limitation constants at build time with the limitkb library: loads the
//! preview knowledge base from the repository's `data/aurora-serverless-v2-preview/`, renders
//! only the `rust` target with the templates of `templates/`, writes it under `OUT_DIR`, and
//! writes `OUT_DIR/limits.rs`, the generated `lib.rs` without its inner attributes, for
//! `src/lib.rs` to `include!`.
//!
//! Cargo reruns this script only when a file under that directory or `templates/` changes,
//! appears or disappears (or this script itself changes): any other change leaves the crate as
//! it is.

use limitkb::{DataSource, Templates, render};
use std::error::Error;
use std::path::{Path, PathBuf};

fn main() {
    if let Err(error) = generate() {
        // Cargo shows a failing build script's stderr; the loader's errors name file:line:col.
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn generate() -> Result<(), Box<dyn Error>> {
    let manifest_dir = env_path("CARGO_MANIFEST_DIR")?;
    let out_dir = env_path("OUT_DIR")?;
    // This crate is `<repository>/examples/build-script`.
    let repository = manifest_dir
        .ancestors()
        .nth(2)
        .ok_or("the crate is not two levels below the repository root")?;
    // The preview knowledge base of the repository's data (data/ holds one directory per
    // knowledge base).
    let data = repository.join("data").join("aurora-serverless-v2-preview");
    let templates = repository.join("templates");

    // Every directory and file below data/ and templates/, so that adding or removing a file
    // reruns the script too. Printing any rerun-if-changed line also stops cargo from rerunning
    // the script whenever any file of this crate changes.
    for dir in [&data, &templates] {
        for path in limitkb::files::walk(dir)? {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }

    let kb = limitkb::load(&DataSource::Dir(data))?;
    let templates = Templates::from_dir(&templates)?;
    let artifacts = limitkb::render_targets(&kb, &templates, &["rust"])?;
    // The whole rust target (Cargo.toml, README.md, src/lib.rs), as `limitkb generate` would
    // write it, under OUT_DIR/rust/.
    limitkb::write(&out_dir, &artifacts)?;

    // The generated crate root starts with `#![no_std]` and `//!` docs, which an `include!`d
    // file may not contain: write a copy without them for src/lib.rs.
    let lib = artifacts
        .get("rust/src/lib.rs")
        .ok_or("the rust target rendered no rust/src/lib.rs")?;
    write_if_changed(
        &out_dir.join("limits.rs"),
        &render::strip_inner_attributes(lib),
    )?;
    Ok(())
}

fn env_path(name: &str) -> Result<PathBuf, String> {
    std::env::var_os(name)
        .map(PathBuf::from)
        .ok_or_else(|| format!("{name} is not set: build this crate with cargo"))
}

/// Writes `text` unless the file already holds it, so its modification time only moves when
/// the constants change.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, text)
}
