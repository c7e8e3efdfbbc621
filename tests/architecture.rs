//! The layers of `src/` (ARCHITECTURE.md): each top-level module imports only modules of lower
//! layers, so the imports run one way and there is no cycle. A new module must be given its
//! layer here.

use std::collections::BTreeMap;
use std::path::Path;

/// The layers, bottom-up; a module may import the modules of the layers before its own.
const LAYERS: &[&[&str]] = &[
    &[
        "fast_hash",
        "parallel",
        "pointer",
        "ident",
        "escape",
        "version",
    ],
    &["model", "diagnostic"],
    &["text", "files"],
    &["document"],
    &["schema"],
    &["load"],
    &["view"],
    &["render"],
    &["output"],
    &["generate", "check"],
    &["diff"],
];

/// The modules of the binary, not of the library: nothing in the library may use them.
const BINARY: &[&str] = &["main", "cli"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The crate's own modules that `source` names (`crate::x`, `crate::{x, y}`), outside comments
/// and unit tests.
fn imports(source: &str) -> Vec<String> {
    let code = match source.find("#[cfg(test)]") {
        Some(at) => &source[..at],
        None => source,
    };
    let code: String = code
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                names.extend(group.split(',').map(|item| ident(item.trim())));
            }
            None => names.push(ident(rest)),
        }
    }
    names
}

/// Every top-level module of `src/` (a file `x.rs` or a folder `x/`) with the modules its
/// files import.
fn module_imports() -> BTreeMap<String, Vec<(String, String)>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let top = relative.split('/').next().unwrap().trim_end_matches(".rs");
            if top == "lib" {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let entry = modules.entry(top.to_string()).or_default();
            entry.extend(imports(&source).into_iter().map(|m| (relative.clone(), m)));
        }
    }
    modules
}

#[test]
fn every_module_imports_only_modules_of_lower_layers() {
    let modules = module_imports();
    let mut problems = Vec::new();
    for (module, imports) in &modules {
        if BINARY.contains(&module.as_str()) {
            continue;
        }
        let Some(own) = layer_of(module) else {
            problems.push(format!(
                "src/{module} has no layer: add it to LAYERS in tests/architecture.rs and to ARCHITECTURE.md"
            ));
            continue;
        };
        for (file, imported) in imports {
            if !modules.contains_key(imported) || imported == module {
                continue;
            }
            match layer_of(imported) {
                Some(layer) if layer < own => {}
                _ => problems.push(format!(
                    "src/{file} (layer {own}) imports crate::{imported}, which is not below it"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_sees_the_imports_it_judges() {
    assert_eq!(
        imports("use crate::model::Kb;\nuse crate::{files, text}; // crate::render\n"),
        ["model", "files", "text"]
    );
    assert!(imports("#[cfg(test)]\nmod tests { use crate::render; }").is_empty());
    let modules = module_imports();
    // Known edges, so a scan that found nothing would fail here.
    for (module, imported) in [
        ("render", "view"),
        ("load", "schema"),
        ("check", "document"),
    ] {
        assert!(
            modules[module].iter().any(|(_, m)| m == imported),
            "src/{module} imports crate::{imported}"
        );
    }
    for layer in LAYERS {
        for module in *layer {
            assert!(
                modules.contains_key(*module),
                "LAYERS names src/{module}, which is gone"
            );
        }
    }
}
