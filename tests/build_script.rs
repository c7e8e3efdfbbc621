//! The build-script consumer (`examples/build-script`): its `build.rs` renders the `rust`
//! target with the limitkb library into `OUT_DIR` and its crate `include!`s the result.
//! Built and run with cargo, it prints values equal to the JSON bundle's; and on a copy of
//! the repository, a change of a data value or a template rebuilds it while a change of any
//! other file does not.
//!
//! Each test runs cargo itself, with its own target directory under `target/tmp`, so it never
//! waits for the cargo that runs the tests. The first run compiles limitkb's dependencies
//! for that directory (a few minutes); later runs reuse them.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

const CONSUMER: &str = "build-script-consumer";
/// What cargo prints when it runs the consumer's build script or compiles the consumer.
const COMPILING_CONSUMER: &str = "Compiling build-script-consumer";

/// Both tests build into one target directory (to share the compiled dependencies); one at a
/// time, so that one never runs the binary the other is rebuilding.
static CARGO_LOCK: Mutex<()> = Mutex::new(());

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-script")
}

/// Runs cargo with `args` in `workspace`, building into the tests' own target directory.
fn cargo(workspace: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "--color", "never"])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", scratch().join("target"))
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo {args:?}: {e}"));
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed ({}):\n{}",
        workspace.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn bundle(repo: &Path) -> Value {
    let path = repo.join("generated/aurora-serverless-v2-preview/json/limitations.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo run --release -- generate`",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("the bundle is JSON")
}

/// A value of the bundle as Rust's `{:?}` prints the same value of the generated constants.
fn rust_debug(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => format!("{f:?}"),
            _ => panic!("no Rust value for the number {n}"),
        },
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(rust_debug).collect();
            format!("[{}]", items.join(", "))
        }
        other => panic!("no Rust constant holds {other}"),
    }
}

/// What the consumer printed: `constant NAME = VALUE`, `limitation ID = TITLE` and
/// `unsupported-feature ID = NAME` lines.
#[derive(Debug, Default)]
struct Printed {
    constants: BTreeMap<String, String>,
    limitations: Vec<(String, String)>,
    unsupported_features: Vec<(String, String)>,
}

fn parse(stdout: &str) -> Printed {
    let mut printed = Printed::default();
    for line in stdout.lines() {
        let (head, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("unexpected line from the consumer: {line:?}"));
        let (kind, name) = head
            .split_once(' ')
            .unwrap_or_else(|| panic!("unexpected line from the consumer: {line:?}"));
        let entry = (name.to_string(), value.to_string());
        match kind {
            "constant" => {
                printed.constants.insert(entry.0, entry.1);
            }
            "limitation" => printed.limitations.push(entry),
            "unsupported-feature" => printed.unsupported_features.push(entry),
            _ => panic!("unexpected line from the consumer: {line:?}"),
        }
    }
    printed
}

/// Checks everything the consumer printed against the bundle.
fn assert_printed_equals_bundle(printed: &Printed, bundle: &Value) {
    let constants: BTreeMap<String, &Value> = bundle["constants"]
        .as_array()
        .expect("constants is a list")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_ascii_uppercase(),
                &c["value"],
            )
        })
        .collect();
    // The consumer prints a chosen set: at least these, covering every type of constant.
    for name in [
        "PORT",
        "CAPACITY_MIN",
        "CAPACITY_MAX",
        "ALLOWED_AVAILABILITY_ZONE_IDS",
        "ENGINE",
        "ENGINE_VERSION",
        "REGION",
        "PUBLICLY_ACCESSIBLE",
        "VPC",
    ] {
        assert!(
            printed.constants.contains_key(name),
            "the consumer does not print {name}: {printed:?}"
        );
    }
    for (name, value) in &printed.constants {
        let expected = constants
            .get(name)
            .unwrap_or_else(|| panic!("the consumer printed {name}, which the bundle lacks"));
        assert_eq!(value, &rust_debug(expected), "constant {name}");
    }

    let limitations: Vec<(String, String)> = bundle["limitations"]
        .as_array()
        .expect("limitations is a list")
        .iter()
        .map(|l| (l["id"].as_str().unwrap().into(), rust_debug(&l["title"])))
        .collect();
    assert!(limitations.len() >= 20, "the bundle lists the limitations");
    assert_eq!(
        printed.limitations, limitations,
        "limitation ids and titles"
    );

    let unsupported: Vec<(String, String)> = bundle["features"]
        .as_array()
        .expect("features is a list")
        .iter()
        .filter(|f| !f["unsupported_by"].is_null())
        .map(|f| (f["id"].as_str().unwrap().into(), rust_debug(&f["name"])))
        .collect();
    assert!(
        !unsupported.is_empty(),
        "the bundle has unsupported features"
    );
    assert_eq!(
        printed.unsupported_features, unsupported,
        "unsupported features"
    );
}

#[test]
fn consumer_built_by_cargo_prints_the_bundle_values() {
    let _lock = CARGO_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let output = cargo(repo(), &["run", "--quiet", "-p", CONSUMER]);
    let printed = parse(&String::from_utf8(output.stdout).expect("UTF-8 output"));
    assert_printed_equals_bundle(&printed, &bundle(repo()));
}

#[test]
fn data_and_template_changes_rebuild_the_consumer_and_nothing_else_does() {
    let _lock = CARGO_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let workspace = scratch().join("workspace");
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace).unwrap();
    }
    copy_repository(repo(), &workspace);
    let build = || {
        let output = cargo(&workspace, &["build", "-p", CONSUMER]);
        String::from_utf8_lossy(&output.stderr).into_owned()
    };

    let stderr = build();
    assert!(
        stderr.contains(COMPILING_CONSUMER),
        "first build:\n{stderr}"
    );
    let stderr = build();
    assert!(
        !stderr.contains(COMPILING_CONSUMER),
        "a build without changes rebuilt the consumer:\n{stderr}"
    );

    // Files outside the data and templates/, in the repository and in the consumer's own
    // folder.
    for unrelated in [
        "README.md",
        "examples/build-script/README.md",
        "tests/tools/package.json",
    ] {
        append(&workspace.join(unrelated), "\n");
    }
    let stderr = build();
    assert!(
        !stderr.contains(COMPILING_CONSUMER),
        "changing files outside data/ and templates/ rebuilt the consumer:\n{stderr}"
    );

    // A value in the data: the consumer is rebuilt and prints the new value.
    let capacity = workspace.join("data/aurora-serverless-v2-preview/limitations/capacity.toml");
    let text = std::fs::read_to_string(&capacity).unwrap();
    assert!(text.contains("max = 32"), "capacity.toml sets max = 32");
    std::fs::write(&capacity, text.replace("max = 32", "max = 48")).unwrap();
    let stderr = build();
    assert!(
        stderr.contains(COMPILING_CONSUMER),
        "changing a data value did not rebuild the consumer:\n{stderr}"
    );
    let output = cargo(&workspace, &["run", "--quiet", "-p", CONSUMER]);
    let printed = parse(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(printed.constants["CAPACITY_MAX"], "48");

    // A template the rust target uses.
    append(
        &workspace.join("templates/rust/src/lib.rs.tera"),
        "\n/// Added by the rebuild test.\npub const REBUILD_TEST: bool = true;\n",
    );
    let stderr = build();
    assert!(
        stderr.contains(COMPILING_CONSUMER),
        "changing a template did not rebuild the consumer:\n{stderr}"
    );
}

fn append(path: &Path, text: &str) {
    let mut contents =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    contents.push_str(text);
    std::fs::write(path, contents).unwrap();
}

/// Copies the repository's files, without build output, VCS data, installed Node packages or
/// the fuzz crate (outside the workspace).
fn copy_repository(from: &Path, to: &Path) {
    const SKIP: &[&str] = &["target", ".git", "node_modules", "fuzz"];
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if SKIP.iter().any(|skip| name == *skip) {
            continue;
        }
        let target = to.join(&name);
        let file_type = entry.file_type().unwrap();
        if file_type.is_dir() {
            copy_repository(&entry.path(), &target);
        } else if file_type.is_file() {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| {
                panic!("cannot copy {}: {e}", entry.path().display());
            });
        }
    }
}
