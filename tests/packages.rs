//! The generated packages are publishable as they are: the Rust crate's manifest has the
//! metadata a registry needs and `cargo package` ships only its sources; the npm package
//! (`generated/ts`) is an ES module whose `npm pack` holds `index.js`, its types `index.d.ts`
//! and `index.ts`; packed and installed into scratch projects, it imports in TypeScript
//! (`tsc --strict`, then node) and in plain JavaScript with the bundle's values; and
//! `index.d.ts` declares exactly the types of `index.ts`, whose compiled JavaScript equals
//! `index.js`.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::tools;

const CRATE: &str = "limitkb-aurora-serverless-v2-preview";
const NPM_PACKAGE: &str = "@limitkb/aurora-serverless-v2-preview";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bundle() -> Value {
    let path = repo().join("generated/json/limitations.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo run --release -- generate`",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the bundle is JSON")
}

/// A fresh scratch directory under `target/tmp`.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("packages")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `cmd`, panicking with its output unless it succeeds.
fn succeed(cmd: &mut Command) -> Output {
    let output = cmd.output().unwrap_or_else(|e| {
        panic!(
            "could not start {cmd:?}: {e}\nTo fix: these tests need cargo and Node.js 20+ with \
             npm on PATH"
        )
    });
    assert!(
        output.status.success(),
        "{cmd:?} failed ({}):\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn npm() -> Command {
    let mut cmd = Command::new("npm");
    cmd.args(["--no-audit", "--no-fund", "--loglevel", "error"]);
    cmd
}

fn stdout_json(output: &Output, what: &str) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} did not print JSON ({e}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn rust_crate_has_registry_metadata_and_packages_only_its_sources() {
    let manifest: toml::Table = std::fs::read_to_string(repo().join("generated/rust/Cargo.toml"))
        .unwrap()
        .parse()
        .expect("generated/rust/Cargo.toml is TOML");
    let package = manifest["package"].as_table().expect("[package]");
    let bundle = bundle();
    assert_eq!(package["name"].as_str(), Some(CRATE));
    assert_eq!(
        package["version"].as_str(),
        bundle["kb"]["version"].as_str(),
        "the crate's version is the knowledge base's"
    );
    for key in ["description", "license", "readme"] {
        assert!(
            package
                .get(key)
                .and_then(|v| v.as_str())
                .is_some_and(|v| !v.is_empty()),
            "[package] has no {key}"
        );
    }
    for key in ["keywords", "categories"] {
        let list = package
            .get(key)
            .and_then(|v| v.as_array())
            .unwrap_or_else(|| panic!("[package] has no {key}"));
        assert!(
            !list.is_empty() && list.len() <= 5,
            "{key}: one to five entries"
        );
    }

    let output = succeed(
        Command::new(env!("CARGO"))
            .args(["package", "--list", "--no-verify", "--allow-dirty"])
            .args(["--offline", "-p", CRATE])
            .current_dir(repo()),
    );
    let listed: BTreeSet<&str> = std::str::from_utf8(&output.stdout)
        .unwrap()
        .lines()
        .collect();
    let sources = BTreeSet::from(["Cargo.toml", "README.md", "src/lib.rs"]);
    // What cargo adds to every package by itself.
    let added_by_cargo = BTreeSet::from(["Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"]);
    assert!(
        sources.is_subset(&listed),
        "cargo package misses sources: {listed:?}"
    );
    let others: Vec<&&str> = listed
        .difference(&sources)
        .filter(|f| !added_by_cargo.contains(*f))
        .collect();
    assert!(others.is_empty(), "cargo package ships {others:?} too");
}

#[test]
fn npm_pack_lists_the_module_its_types_and_readme() {
    let ts = repo().join("generated/ts");
    let output = succeed(npm().args(["pack", "--dry-run", "--json"]).current_dir(&ts));
    let packed = stdout_json(&output, "npm pack --dry-run --json");
    let packed = &packed[0];
    assert_eq!(packed["name"], NPM_PACKAGE);
    assert_eq!(packed["version"], bundle()["kb"]["version"]);
    let files: BTreeSet<&str> = packed["files"]
        .as_array()
        .expect("npm pack lists files")
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        BTreeSet::from([
            "README.md",
            "index.d.ts",
            "index.js",
            "index.ts",
            "package.json"
        ])
    );

    let text = std::fs::read_to_string(ts.join("package.json")).unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest["type"], "module", "an ES module package");
    assert_eq!(manifest["types"], "./index.d.ts");
    let export = &manifest["exports"]["."];
    assert_eq!(export["types"], "./index.d.ts");
    assert_eq!(export["import"], "./index.js");
    // Conditions match in the order written (serde_json's map here sorts keys: use the text).
    let conditions = &text[text.find("\"exports\"").expect("package.json has exports")..];
    let position = |key: &str| conditions.find(&format!("\"{key}\":")).unwrap();
    assert!(
        position("types") < position("import"),
        "`types` comes before `import` in the export conditions, or TypeScript does not see it"
    );
}

/// Packs `generated/ts` into `project` and installs the tarball there, as a user of the
/// published package would.
fn install_packed_package(project: &Path) {
    std::fs::write(
        project.join("package.json"),
        r#"{"name": "consumer", "private": true, "type": "module"}"#,
    )
    .unwrap();
    let output = succeed(
        npm()
            .args(["pack", "--json", "--pack-destination"])
            .arg(project)
            .current_dir(repo().join("generated/ts")),
    );
    let tarball = stdout_json(&output, "npm pack --json")[0]["filename"]
        .as_str()
        .expect("npm pack names the tarball")
        .to_string();
    succeed(
        npm()
            .args(["install", "--offline", "--no-save"])
            .arg(format!("./{tarball}"))
            .current_dir(project),
    );
}

/// Checks the exports of the module (as JSON) against the bundle.
fn assert_module_equals_bundle(exported: &Value, who: &str) {
    let bundle = bundle();
    let constants = bundle["constants"].as_array().unwrap();
    assert!(constants.len() >= 20, "the bundle lists the constants");
    for c in constants {
        let name = c["name"].as_str().unwrap().to_ascii_uppercase();
        assert_eq!(exported[&name], c["value"], "{who}: constant {name}");
    }
    let limitations = bundle["limitations"].as_array().unwrap();
    let ids: Vec<&Value> = limitations.iter().map(|l| &l["id"]).collect();
    let exported_ids: Vec<&Value> = exported["LIMITATION_IDS"]
        .as_array()
        .unwrap_or_else(|| panic!("{who}: no LIMITATION_IDS"))
        .iter()
        .collect();
    assert_eq!(exported_ids, ids, "{who}: LIMITATION_IDS");
    let exported_limitations = exported["LIMITATIONS"].as_array().unwrap();
    assert_eq!(exported_limitations.len(), limitations.len());
    for (l, bl) in exported_limitations.iter().zip(limitations) {
        let anchor = format!(
            "{}#{}",
            bl["page"].as_str().unwrap(),
            bl["id"].as_str().unwrap()
        );
        for (key, expected) in [
            ("id", &bl["id"]),
            ("category", &bl["category"]),
            ("title", &bl["title"]),
            ("summary", &bl["summary"]),
            ("docAnchor", &Value::from(anchor)),
            ("sourceQuote", &bl["source"]["quote"]),
        ] {
            assert_eq!(&l[key], expected, "{who}: LIMITATIONS[{}].{key}", bl["id"]);
        }
    }
    let features: Vec<(&Value, &Value, &Value)> = bundle["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (&f["id"], &f["name"], &f["unsupported_by"]))
        .collect();
    let exported_features: Vec<(&Value, &Value, &Value)> = exported["FEATURES"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (&f["id"], &f["name"], &f["unsupportedBy"]))
        .collect();
    assert_eq!(exported_features, features, "{who}: FEATURES");
    let unsupported: Vec<&Value> = features
        .iter()
        .filter(|(_, _, by)| !by.is_null())
        .map(|(id, _, _)| *id)
        .collect();
    assert_eq!(
        exported["UNSUPPORTED_FEATURES"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        unsupported,
        "{who}: UNSUPPORTED_FEATURES"
    );
}

const TS_CONSUMER: &str = r#"
import * as kb from "@limitkb/aurora-serverless-v2-preview";
import { PORT, type LimitationId, type Limitation } from "@limitkb/aurora-serverless-v2-preview";

// These only type-check if the package's types (index.d.ts) keep literal types.
const port: 3306 = PORT;
const zones: readonly string[] = kb.ALLOWED_AVAILABILITY_ZONE_IDS;
const id: LimitationId = "port-3306-only";
// @ts-expect-error: not a limitation id
const wrong: LimitationId = "no-such-limitation";
const first: Limitation | undefined = kb.LIMITATIONS[0];
void [port, zones, id, wrong, first];

console.log(JSON.stringify(kb));
"#;

const JS_CONSUMER: &str = r#"
import * as kb from "@limitkb/aurora-serverless-v2-preview";
console.log(JSON.stringify(kb));
"#;

#[test]
fn typescript_and_javascript_projects_import_the_packed_package() {
    let project = scratch("consumer");
    install_packed_package(&project);
    let installed = project.join("node_modules/@limitkb/aurora-serverless-v2-preview");
    assert!(
        installed.join("index.d.ts").is_file() && installed.join("index.js").is_file(),
        "the installed package has index.js and index.d.ts"
    );

    std::fs::write(project.join("consumer.ts"), TS_CONSUMER).unwrap();
    succeed(
        Command::new(tools::node_bin("tsc"))
            .args(["--strict", "--target", "es2022"])
            .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
            .args(["--outDir", "out", "consumer.ts"])
            .current_dir(&project),
    );
    let output = succeed(
        Command::new("node")
            .arg("out/consumer.js")
            .current_dir(&project),
    );
    assert_module_equals_bundle(
        &stdout_json(&output, "the TypeScript consumer"),
        "TypeScript",
    );

    std::fs::write(project.join("consumer.mjs"), JS_CONSUMER).unwrap();
    let output = succeed(
        Command::new("node")
            .arg("consumer.mjs")
            .current_dir(&project),
    );
    assert_module_equals_bundle(
        &stdout_json(&output, "the JavaScript consumer"),
        "JavaScript",
    );
}

/// Type-level check: the module `index.ts` and the module `index.js` typed by `index.d.ts`
/// export the same names with identical types, and the same type declarations.
const DECLARATIONS_CHECK: &str = r#"
import * as source from "./source/index.js";
import * as shipped from "./shipped/index.js";

// Identical types (not merely assignable either way).
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Source = typeof source;
type Shipped = typeof shipped;
// The exports whose types differ, or that only one module has.
type Mismatched = {
  [K in keyof Source | keyof Shipped]: K extends keyof Source
    ? K extends keyof Shipped
      ? Equal<Source[K], Shipped[K]> extends true
        ? never
        : K
      : K
    : K;
}[keyof Source | keyof Shipped];
const mismatched: [Mismatched] extends [never] ? "none" : Mismatched = "none";
const types: [
  Equal<source.LimitationId, shipped.LimitationId>,
  Equal<source.FeatureId, shipped.FeatureId>,
  Equal<source.Feature, shipped.Feature>,
  Equal<source.Limitation, shipped.Limitation>,
] = [true, true, true, true];
void [mismatched, types];
"#;

/// Prints the exports of the JavaScript tsc compiled from index.ts and of the shipped index.js.
const COMPARE: &str = r#"
const compiled = await import("./compiled/index.js");
const shipped = await import("./shipped/index.js");
console.log(JSON.stringify({ compiled: { ...compiled }, shipped: { ...shipped } }));
"#;

#[test]
fn index_d_ts_declares_index_ts_and_index_js_equals_compiled_index_ts() {
    let dir = scratch("declarations");
    let ts = repo().join("generated/ts");
    for (from, to) in [
        ("index.ts", "source/index.ts"),
        ("index.js", "shipped/index.js"),
        ("index.d.ts", "shipped/index.d.ts"),
    ] {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(ts.join(from), &to).unwrap();
    }
    std::fs::write(dir.join("package.json"), r#"{"type": "module"}"#).unwrap();
    std::fs::write(dir.join("check.ts"), DECLARATIONS_CHECK).unwrap();
    let tsc = || {
        let mut cmd = Command::new(tools::node_bin("tsc"));
        cmd.args(["--strict", "--target", "es2022"])
            .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
            .current_dir(&dir);
        cmd
    };
    // index.d.ts is checked too (no skipLibCheck): it must be valid on its own.
    succeed(tsc().args(["--noEmit", "check.ts"]));

    succeed(tsc().args(["--outDir", "compiled", "source/index.ts"]));
    std::fs::write(dir.join("compare.mjs"), COMPARE).unwrap();
    let output = succeed(Command::new("node").arg("compare.mjs").current_dir(&dir));
    let both = stdout_json(&output, "compare.mjs");
    assert!(
        both["shipped"].as_object().is_some_and(|o| o.len() >= 20),
        "index.js exports the constants: {both}"
    );
    assert_eq!(
        both["compiled"], both["shipped"],
        "index.js differs from index.ts compiled by tsc"
    );
}
