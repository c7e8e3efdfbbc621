//! The Python target (`templates/python`, templates only): for every knowledge base, `python3`
//! imports the generated module (`generated/<kb>/python`), and every constant (value and type),
//! every limitation and every feature equals the JSON bundle's; strings of any content survive
//! the `json` filter as Python literals; and `pyproject.toml` describes the package.

mod support;

use support::files::copy_dir;
use support::{KBS, PREVIEW, data_of, generated_of, repo, tree_of};

use limitkb::{DataSource, Templates};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The module of knowledge base `kb`: `limitkb-<kb id>` in snake case.
fn module(kb: &str) -> String {
    format!("limitkb_{kb}").replace('-', "_")
}

/// The JSON bundle of knowledge base `kb` in the repository: `generated/<kb>/json/...`.
fn bundle_path(kb: &str) -> PathBuf {
    generated_of(kb).join("json/limitations.json")
}

/// Compares the module with the bundle; prints what it compared as JSON, or every difference
/// to stderr and exits 1.
const COMPARE: &str = r##"
import importlib, json, sys, typing

module_name, package_dir, bundle_path = sys.argv[1:4]
sys.path.insert(0, package_dir)
module = importlib.import_module(module_name)
with open(bundle_path, encoding="utf-8") as f:
    bundle = json.load(f)
errors = []

def check(condition, message):
    if not condition:
        errors.append(message)

PY_TYPES = {"integer": int, "number": float, "string": str, "boolean": bool}
hints = typing.get_type_hints(module)

for constant in bundle["constants"]:
    name = constant["name"].upper()
    if not hasattr(module, name):
        errors.append(f"no constant {name}")
        continue
    value = getattr(module, name)
    kind = constant["type"]
    expected = constant["value"]
    item_type = PY_TYPES[kind.removesuffix("-list")]
    if kind.endswith("-list"):
        check(type(value) is tuple, f"{name}: a tuple, not {type(value).__name__}")
        check(list(value) == expected, f"{name} = {value!r}, the bundle has {expected!r}")
        check(all(type(v) is item_type for v in value), f"{name}: items of type {item_type.__name__}")
        annotation = typing.Tuple[item_type, ...]
    else:
        check(type(value) is item_type, f"{name}: {type(value).__name__}, not {item_type.__name__}")
        check(value == expected, f"{name} = {value!r}, the bundle has {expected!r}")
        annotation = item_type
    check(name in module.__all__, f"{name} is not in __all__")
    check(hints.get(name) == typing.Final[annotation], f"{name} is annotated {hints.get(name)}, not Final[{annotation}]")

limitations = bundle["limitations"]
check(list(module.LIMITATION_IDS) == [l["id"] for l in limitations], "LIMITATION_IDS")
check(len(module.LIMITATIONS) == len(limitations), "as many LIMITATIONS as the bundle")
for ours, theirs in zip(module.LIMITATIONS, limitations):
    expected = {
        "id": theirs["id"],
        "category": theirs["category"],
        "title": theirs["title"],
        "summary": theirs["summary"],
        "doc_anchor": theirs["page"] + "#" + theirs["id"],
        "source_quote": theirs["source"]["quote"],
    }
    check(ours._asdict() == expected, f"LIMITATIONS: {ours!r} != {expected!r}")
    check(module.LIMITATIONS_BY_ID.get(theirs["id"]) is ours, f"LIMITATIONS_BY_ID[{theirs['id']!r}]")
check(len(module.LIMITATIONS_BY_ID) == len(limitations), "LIMITATIONS_BY_ID has every limitation")

features = bundle["features"]
check([tuple(f) for f in module.FEATURES] == [(f["id"], f["name"], f["unsupported_by"]) for f in features], "FEATURES")
check(list(module.FEATURE_IDS) == [f["id"] for f in features], "FEATURE_IDS")
check(list(module.UNSUPPORTED_FEATURES) == [f["id"] for f in features if f["unsupported_by"]], "UNSUPPORTED_FEATURES")
check(module.__version__ == bundle["kb"]["version"], "__version__ is the knowledge base's version")
check(bundle["kb"]["name"] in module.__doc__, "the module docstring names the product")
check(all(hasattr(module, name) for name in module.__all__), "__all__ names only what the module has")

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(json.dumps({"constants": len(bundle["constants"]), "limitations": len(module.LIMITATIONS), "features": len(module.FEATURES)}))
"##;

/// Imports the module of `kb` under `package_dir` with python3 and compares it with the bundle
/// at `bundle`; returns the counts it compared.
fn compare_with_bundle(kb: &str, package_dir: &Path, bundle: &Path) -> Value {
    // -B: no __pycache__ in generated/, so the tests leave the work tree as they found it.
    let output = Command::new("python3")
        .args(["-I", "-B", "-c", COMPARE, &module(kb)])
        .arg(package_dir)
        .arg(bundle)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 ({e}); install Python 3.9+ on PATH as python3")
        });
    assert!(
        output.status.success(),
        "{kb}: the Python module differs from the bundle ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{kb}: the comparison does not print JSON: {e}"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo run --release -- generate`",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn python_module_equals_the_bundle() {
    for kb in KBS {
        let bundle_path = bundle_path(kb);
        let bundle = read_json(&bundle_path);
        let counts = compare_with_bundle(kb, &generated_of(kb).join("python"), &bundle_path);
        for list in ["constants", "limitations", "features"] {
            assert_eq!(
                counts[list],
                bundle[list].as_array().unwrap().len(),
                "{kb}: the module's {list}"
            );
        }
        // Besides the six of the knowledge base and its source, the typed values.
        assert!(counts["constants"].as_u64() > Some(6), "{kb}: {counts}");
    }
}

#[test]
fn python_module_path_and_pyproject_follow_the_knowledge_base() {
    for kb in KBS {
        let bundle = read_json(&bundle_path(kb));
        let kb_id = bundle["kb"]["id"].as_str().unwrap();
        assert_eq!(kb_id, kb, "{kb}: the bundle's kb.id");
        let module = module(kb_id);
        let python = generated_of(kb).join("python");
        // The module directory (`limitkb_[kb_module]` in templates/python) is named after the
        // kb id.
        assert!(
            python.join(&module).join("__init__.py").is_file(),
            "{kb}: no {module}/__init__.py"
        );
        assert!(
            python.join(&module).join("py.typed").is_file(),
            "{kb}: no {module}/py.typed"
        );

        let pyproject: toml::Table = std::fs::read_to_string(python.join("pyproject.toml"))
            .unwrap_or_else(|e| panic!("{kb}: pyproject.toml: {e}"))
            .parse()
            .unwrap_or_else(|e| panic!("{kb}: pyproject.toml is not TOML: {e}"));
        let project = pyproject["project"]
            .as_table()
            .unwrap_or_else(|| panic!("{kb}: no [project]"));
        assert_eq!(
            project["name"].as_str(),
            Some(format!("limitkb-{kb_id}").as_str()),
            "{kb}: project name"
        );
        assert_eq!(
            project["version"].as_str(),
            bundle["kb"]["version"].as_str(),
            "{kb}: the project's version is the knowledge base's"
        );
        assert_eq!(
            project["readme"].as_str(),
            Some("README.md"),
            "{kb}: readme"
        );
        assert!(python.join("README.md").is_file(), "{kb}: no README.md");
        assert_eq!(
            pyproject["tool"]["setuptools"]["packages"]
                .as_array()
                .map(|p| p.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>()),
            Some(vec![module.as_str()]),
            "{kb}: [tool.setuptools] packages"
        );
    }
}

/// Text that ends or changes a Python literal if escaped wrongly.
const TRICKY: &str = "quotes \" ' \"\"\" ''' backslash \\ \\n \\u0041 newline\nreturn\r tab\t \
                      nul\0 del\u{7f} ls\u{2028} ps\u{2029} rtl\u{202e} bom\u{feff} \
                      emoji 🙂 é {{ x }} {% y %} # not a comment";

#[test]
fn python_literals_keep_any_string() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&data_of(PREVIEW), &data);
    let capacity = data.join("limitations/capacity.toml");
    let text = std::fs::read_to_string(&capacity).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title = "))
        .expect("capacity.toml has a title line")
        .to_string();
    let tricky = limitkb::escape::toml_string(TRICKY);
    std::fs::write(
        &capacity,
        text.replacen(&title, &format!("title = {tricky}"), 1),
    )
    .unwrap();

    let kb = limitkb::load(&DataSource::Dir(data)).unwrap_or_else(|e| panic!("{e}"));
    let templates = Templates::from_dir(&repo().join("templates")).unwrap();
    let artifacts = limitkb::render_targets(&kb, &templates, &["python", "json"])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        artifacts
            .keys()
            .all(|p| p.starts_with("python/") || p.starts_with("json/")),
        "only the targets asked for: {:?}",
        artifacts.keys()
    );
    // Written where `generate --out` puts the knowledge base's tree.
    let out = tree_of(&tmp.path().join("generated"), PREVIEW);
    limitkb::write(&out, &artifacts).unwrap();
    let bundle_path = out.join("json/limitations.json");
    let bundle = read_json(&bundle_path);
    assert!(
        bundle["limitations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["title"] == TRICKY),
        "the tricky title reached the bundle"
    );
    compare_with_bundle(PREVIEW, &out.join("python"), &bundle_path);
}
