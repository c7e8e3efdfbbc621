//! The generated packages of every knowledge base (`generated/<kb>/`) are publishable as they
//! are: the Rust crate's manifest has the metadata a registry needs and `cargo package` ships
//! only its sources; the npm package (`generated/<kb>/ts`) is an ES module whose `npm pack`
//! holds `index.js`, its types `index.d.ts` and `index.ts`; packed and installed into scratch
//! projects, it imports in TypeScript (`tsc --strict`, then node) and in plain JavaScript with
//! the bundle's values; and `index.d.ts` declares exactly the types of `index.ts`, whose
//! compiled JavaScript equals `index.js`.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{KBS, generated_of, repo, tools};

/// The crate of knowledge base `kb`.
fn crate_name(kb: &str) -> String {
    format!("limitkb-{kb}")
}

/// The npm package of knowledge base `kb`.
fn npm_package(kb: &str) -> String {
    format!("@limitkb/{kb}")
}

/// The npm package directory of knowledge base `kb`: `generated/<kb>/ts`.
fn ts_dir(kb: &str) -> PathBuf {
    generated_of(kb).join("ts")
}

/// The JSON bundle of knowledge base `kb`.
fn bundle(kb: &str) -> Value {
    let bundle = support::bundle_of(kb);
    assert_eq!(bundle["kb"]["id"], kb, "{kb}: the bundle's kb.id");
    bundle
}

/// Runs `check` for every knowledge base, each to its end, then fails with the message of
/// every knowledge base whose check failed: one knowledge base's failure hides no other's.
fn for_each_kb(check: impl Fn(&str)) {
    let failed: Vec<String> = KBS
        .iter()
        .filter_map(|kb| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(kb)))
                .err()
                .map(|e| {
                    let message = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    format!("--- {kb} ---\n{message}")
                })
        })
        .collect();
    assert!(
        failed.is_empty(),
        "failed for {} of {} knowledge bases:\n{}",
        failed.len(),
        KBS.len(),
        failed.join("\n")
    );
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
    for_each_kb(|kb| {
        let path = generated_of(kb).join("rust/Cargo.toml");
        let manifest: toml::Table = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{kb}: {}: {e}", path.display()))
            .parse()
            .unwrap_or_else(|e| panic!("{kb}: {} is not TOML: {e}", path.display()));
        let package = manifest["package"]
            .as_table()
            .unwrap_or_else(|| panic!("{kb}: no [package]"));
        let bundle = bundle(kb);
        let name = crate_name(kb);
        assert_eq!(
            package["name"].as_str(),
            Some(name.as_str()),
            "{kb}: crate name"
        );
        assert_eq!(
            package["version"].as_str(),
            bundle["kb"]["version"].as_str(),
            "{kb}: the crate's version is the knowledge base's"
        );
        for key in ["description", "license", "readme"] {
            assert!(
                package
                    .get(key)
                    .and_then(|v| v.as_str())
                    .is_some_and(|v| !v.is_empty()),
                "{kb}: [package] has no {key}"
            );
        }
        for key in ["keywords", "categories"] {
            let list = package
                .get(key)
                .and_then(|v| v.as_array())
                .unwrap_or_else(|| panic!("{kb}: [package] has no {key}"));
            assert!(
                !list.is_empty() && list.len() <= 5,
                "{kb}: {key}: one to five entries"
            );
        }

        let output = succeed(
            Command::new(env!("CARGO"))
                .args(["package", "--list", "--no-verify", "--allow-dirty"])
                .args(["--offline", "-p", &name])
                .current_dir(repo()),
        );
        let listed: BTreeSet<&str> = std::str::from_utf8(&output.stdout)
            .unwrap()
            .lines()
            .collect();
        let sources = BTreeSet::from(["Cargo.toml", "README.md", "src/lib.rs"]);
        // What cargo adds to every package by itself.
        let added_by_cargo =
            BTreeSet::from(["Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"]);
        assert!(
            sources.is_subset(&listed),
            "{kb}: cargo package misses sources: {listed:?}"
        );
        let others: Vec<&&str> = listed
            .difference(&sources)
            .filter(|f| !added_by_cargo.contains(*f))
            .collect();
        assert!(
            others.is_empty(),
            "{kb}: cargo package ships {others:?} too"
        );
    });
}

#[test]
fn npm_pack_lists_the_module_its_types_and_readme() {
    for_each_kb(|kb| {
        let ts = ts_dir(kb);
        let output = succeed(npm().args(["pack", "--dry-run", "--json"]).current_dir(&ts));
        let packed = stdout_json(&output, &format!("{kb}: npm pack --dry-run --json"));
        let packed = &packed[0];
        assert_eq!(packed["name"], npm_package(kb), "{kb}: package name");
        assert_eq!(
            packed["version"],
            bundle(kb)["kb"]["version"],
            "{kb}: the package's version is the knowledge base's"
        );
        let files: BTreeSet<&str> = packed["files"]
            .as_array()
            .unwrap_or_else(|| panic!("{kb}: npm pack lists no files"))
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
            ]),
            "{kb}: the packed files"
        );

        let text = std::fs::read_to_string(ts.join("package.json")).unwrap();
        let manifest: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(manifest["type"], "module", "{kb}: an ES module package");
        assert_eq!(manifest["types"], "./index.d.ts", "{kb}: types");
        let export = &manifest["exports"]["."];
        assert_eq!(export["types"], "./index.d.ts", "{kb}: exports types");
        assert_eq!(export["import"], "./index.js", "{kb}: exports import");
        // Conditions match in the order written (serde_json's map here sorts keys: use the
        // text).
        let conditions = &text[text
            .find("\"exports\"")
            .unwrap_or_else(|| panic!("{kb}: package.json has no exports"))..];
        let position = |key: &str| conditions.find(&format!("\"{key}\":")).unwrap();
        assert!(
            position("types") < position("import"),
            "{kb}: `types` comes before `import` in the export conditions, or TypeScript does \
             not see it"
        );
    });
}

/// Packs `generated/<kb>/ts` into `project` and installs the tarball there, as a user of the
/// published package would.
fn install_packed_package(kb: &str, project: &Path) {
    std::fs::write(
        project.join("package.json"),
        r#"{"name": "consumer", "private": true, "type": "module"}"#,
    )
    .unwrap();
    let output = succeed(
        npm()
            .args(["pack", "--json", "--pack-destination"])
            .arg(project)
            .current_dir(ts_dir(kb)),
    );
    let tarball = stdout_json(&output, &format!("{kb}: npm pack --json"))[0]["filename"]
        .as_str()
        .unwrap_or_else(|| panic!("{kb}: npm pack names no tarball"))
        .to_string();
    succeed(
        npm()
            .args(["install", "--offline", "--no-save"])
            .arg(format!("./{tarball}"))
            .current_dir(project),
    );
}

/// `value` as JavaScript sees it: every number a double, as `JSON.stringify` writes `128.0`
/// as `128`.
fn as_javascript(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => items.iter().map(as_javascript).collect(),
        other => other.clone(),
    }
}

/// Checks the exports of the module (as JSON) against the bundle of `kb`.
fn assert_module_equals_bundle(kb: &str, exported: &Value, who: &str) {
    let who = format!("{kb}: {who}");
    let bundle = bundle(kb);
    let constants = bundle["constants"].as_array().unwrap();
    // Besides the six of the knowledge base and its source, the typed values.
    assert!(
        constants.len() > 6,
        "{who}: the bundle lists the constants: {constants:?}"
    );
    for c in constants {
        let name = c["name"].as_str().unwrap().to_ascii_uppercase();
        assert_eq!(
            as_javascript(&exported[&name]),
            as_javascript(&c["value"]),
            "{who}: constant {name}"
        );
    }
    let limitations = bundle["limitations"].as_array().unwrap();
    let ids: Vec<&Value> = limitations.iter().map(|l| &l["id"]).collect();
    let exported_ids: Vec<&Value> = exported["LIMITATION_IDS"]
        .as_array()
        .unwrap_or_else(|| panic!("{who}: no LIMITATION_IDS"))
        .iter()
        .collect();
    assert_eq!(exported_ids, ids, "{who}: LIMITATION_IDS");
    let exported_limitations = exported["LIMITATIONS"]
        .as_array()
        .unwrap_or_else(|| panic!("{who}: no LIMITATIONS"));
    assert_eq!(
        exported_limitations.len(),
        limitations.len(),
        "{who}: as many LIMITATIONS as the bundle"
    );
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
        .unwrap_or_else(|| panic!("{who}: no FEATURES"))
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
            .unwrap_or_else(|| panic!("{who}: no UNSUPPORTED_FEATURES"))
            .iter()
            .collect::<Vec<_>>(),
        unsupported,
        "{who}: UNSUPPORTED_FEATURES"
    );
}

/// The TypeScript type of exactly `value`: a literal type, or a readonly tuple of them.
fn literal_type(value: &Value) -> String {
    match value {
        Value::Array(items) => format!(
            "readonly [{}]",
            items
                .iter()
                .map(literal_type)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // A JSON string, number or boolean is a TypeScript literal type as written.
        scalar => scalar.to_string(),
    }
}

/// A TypeScript program that imports the package of `kb` (described by `bundle`), type-checks
/// only if its types (index.d.ts) keep the literal type of every constant and a limitation id
/// type, and prints every export as JSON.
fn ts_consumer(kb: &str, bundle: &Value) -> String {
    let package = npm_package(kb);
    let mut program = format!(
        "import * as kb from \"{package}\";\n\
         import {{ type LimitationId, type Limitation }} from \"{package}\";\n\n"
    );
    let constants = bundle["constants"].as_array().unwrap();
    for (i, c) in constants.iter().enumerate() {
        let name = c["name"].as_str().unwrap().to_ascii_uppercase();
        let ty = literal_type(&c["value"]);
        program.push_str(&format!("const c{i}: {ty} = kb.{name};\n"));
        if let Some(kind) = c["type"].as_str().unwrap().strip_suffix("-list") {
            // A literal tuple is still usable as a plain list.
            let item = match kind {
                "integer" | "number" => "number",
                other => other,
            };
            program.push_str(&format!("const l{i}: readonly {item}[] = kb.{name};\n"));
        }
    }
    let first_id = &bundle["limitations"][0]["id"];
    assert!(first_id.is_string(), "{kb}: the bundle has limitations");
    program.push_str(&format!(
        "const id: LimitationId = {first_id};\n\
         // @ts-expect-error: not a limitation id\n\
         const wrong: LimitationId = \"no-such-limitation\";\n\
         const first: Limitation | undefined = kb.LIMITATIONS[0];\n\
         void [id, wrong, first];\n\n\
         console.log(JSON.stringify(kb));\n"
    ));
    program
}

/// Runs `tsc --strict` (ES2022 target, node modules) with `args` in `dir`.
fn tsc(dir: &Path, args: &[&str]) -> Output {
    succeed(
        Command::new(tools::node_bin("tsc"))
            .args(["--strict", "--target", "es2022"])
            .args(["--module", "nodenext", "--moduleResolution", "nodenext"])
            .args(args)
            .current_dir(dir),
    )
}

#[test]
fn typescript_and_javascript_projects_import_the_packed_package() {
    for_each_kb(|kb| {
        let project = scratch(&format!("consumer-{kb}"));
        install_packed_package(kb, &project);
        let installed = project.join("node_modules").join(npm_package(kb));
        assert!(
            installed.join("index.d.ts").is_file() && installed.join("index.js").is_file(),
            "{kb}: the installed package has index.js and index.d.ts"
        );

        std::fs::write(project.join("consumer.ts"), ts_consumer(kb, &bundle(kb))).unwrap();
        tsc(&project, &["--outDir", "out", "consumer.ts"]);
        let output = succeed(
            Command::new("node")
                .arg("out/consumer.js")
                .current_dir(&project),
        );
        assert_module_equals_bundle(
            kb,
            &stdout_json(&output, &format!("{kb}: the TypeScript consumer")),
            "TypeScript",
        );

        std::fs::write(
            project.join("consumer.mjs"),
            format!(
                "import * as kb from \"{}\";\nconsole.log(JSON.stringify(kb));\n",
                npm_package(kb)
            ),
        )
        .unwrap();
        let output = succeed(
            Command::new("node")
                .arg("consumer.mjs")
                .current_dir(&project),
        );
        assert_module_equals_bundle(
            kb,
            &stdout_json(&output, &format!("{kb}: the JavaScript consumer")),
            "JavaScript",
        );
    });
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
    for_each_kb(|kb| {
        let dir = scratch(&format!("declarations-{kb}"));
        let ts = ts_dir(kb);
        for (from, to) in [
            ("index.ts", "source/index.ts"),
            ("index.js", "shipped/index.js"),
            ("index.d.ts", "shipped/index.d.ts"),
        ] {
            let to = dir.join(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(ts.join(from), &to)
                .unwrap_or_else(|e| panic!("{kb}: cannot copy {from}: {e}"));
        }
        std::fs::write(dir.join("package.json"), r#"{"type": "module"}"#).unwrap();
        std::fs::write(dir.join("check.ts"), DECLARATIONS_CHECK).unwrap();
        // index.d.ts is checked too (no skipLibCheck): it must be valid on its own.
        tsc(&dir, &["--noEmit", "check.ts"]);

        tsc(&dir, &["--outDir", "compiled", "source/index.ts"]);
        std::fs::write(dir.join("compare.mjs"), COMPARE).unwrap();
        let output = succeed(Command::new("node").arg("compare.mjs").current_dir(&dir));
        let both = stdout_json(&output, &format!("{kb}: compare.mjs"));
        let constants = bundle(kb)["constants"].as_array().unwrap().len();
        assert!(
            both["shipped"]
                .as_object()
                .is_some_and(|o| o.len() > constants),
            "{kb}: index.js exports the constants and the lists: {both}"
        );
        assert_eq!(
            both["compiled"], both["shipped"],
            "{kb}: index.js differs from index.ts compiled by tsc"
        );
    });
}
