//! Embeds `data/` and `templates/` into the binary, so an installed `limitkb` works anywhere
//! and `--data`/`--templates` are needed only to use another set.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut out = String::new();
    for (name, dir) in [("DATA", "data"), ("TEMPLATES", "templates")] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect_files(&dir, &mut files);
        files.sort();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for file in &files {
            let relative = file
                .strip_prefix(&dir)
                .unwrap()
                .to_str()
                .expect("UTF-8 path");
            let relative = relative.replace(std::path::MAIN_SEPARATOR, "/");
            println!("cargo:rerun-if-changed={}", file.display());
            writeln!(
                out,
                "    ({relative:?}, include_str!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(out_dir.join("embedded.rs"), out).expect("write embedded.rs");
}

/// Every file below `dir`, recursively; directories are re-scanned when they change.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("readable directory entry").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}
