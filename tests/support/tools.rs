//! Pinned Node, Python and cargo-installed tools for the integration tests.
//!
//! The versions are pinned in `tests/tools/` (`package.json` with
//! `package-lock.json`, `requirements.txt`, and `cargo-tools.txt`, whose crates
//! install with `cargo install --locked`, that is, from each crate's own
//! published lock file). The first test that asks for
//! a tool installs them under `<target>/test-tools/`; later calls and later
//! runs reuse that install until the pinned files change.
//!
//! Installs are serialized across threads by a `OnceLock` and across test
//! binaries running at the same time by an exclusive lock on a file.
//!
//! A missing `npm` or `python3`, or a failed install, panics with the command,
//! its output and what to do: these tools are part of the test suite, so a
//! test never skips silently without them.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The directory in the repository holding the pinned tool lists.
const PINNED_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools");

const NODE_PINS: &[&str] = &["package.json", "package-lock.json"];
const PYTHON_PINS: &[&str] = &["requirements.txt"];
const CARGO_PINS: &[&str] = &["cargo-tools.txt"];

/// What to tell the reader when an install step cannot start, or fails.
struct Hint {
    missing: &'static str,
    failed: &'static str,
}

const NODE_HINT: Hint = Hint {
    missing: "install Node.js 20+ with npm on PATH, then rerun cargo test",
    failed: "fix the cause shown in stderr (a pin in tests/tools/package.json or \
             package-lock.json that cannot be installed, or no access to the npm \
             registry), then rerun cargo test",
};
const PYTHON_HINT: Hint = Hint {
    missing: "install Python 3.11+ on PATH as python3, then rerun cargo test",
    failed: "fix the cause shown in stderr (no venv module or ensurepip: on Debian \
             apt-get install python3-venv; a pin in tests/tools/requirements.txt that \
             cannot be installed; or no access to PyPI), then rerun cargo test",
};

/// Path of an executable from the pinned Node packages, e.g. `node_bin("tsc")`.
pub fn node_bin(name: &str) -> PathBuf {
    existing_tool(node_modules().join(".bin").join(name), "package.json")
}

/// The `node_modules` directory of the pinned Node packages, installing them if needed.
pub fn node_modules() -> PathBuf {
    static NODE_DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = NODE_DIR.get_or_init(|| {
        let dir = tools_dir("node");
        ensure_installed(
            &dir,
            NODE_PINS,
            &dir.join("node_modules"),
            install_node_tools,
        );
        dir
    });
    dir.join("node_modules")
}

/// Path of an executable from the pinned Python packages, e.g. `python_bin("check-jsonschema")`.
pub fn python_bin(name: &str) -> PathBuf {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    let venv = VENV.get_or_init(|| {
        let dir = tools_dir("python");
        ensure_installed(
            &dir,
            PYTHON_PINS,
            &venv_bin(&dir, "python"),
            install_python_tools,
        );
        dir.join("venv")
    });
    existing_tool(venv.join("bin").join(name), "requirements.txt")
}

const CARGO_HINT: Hint = Hint {
    missing: "cargo is on PATH when cargo runs the tests; run them with cargo test",
    failed: "fix the cause shown in stderr (a pin in tests/tools/cargo-tools.txt that \
             cannot be installed with this toolchain, or no access to the crate \
             registry), then rerun cargo test",
};

/// Path of an executable from the pinned cargo-installed crates, e.g. `cargo_bin("mdbook")`.
/// The first call compiles them (a few minutes); later runs reuse the install.
pub fn cargo_bin(name: &str) -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    let root = ROOT.get_or_init(|| {
        let dir = tools_dir("cargo");
        ensure_installed(&dir, CARGO_PINS, &dir.join("bin"), install_cargo_tools);
        dir
    });
    existing_tool(root.join("bin").join(name), "cargo-tools.txt")
}

/// Runs `cmd` to completion and returns its output, whatever its exit status,
/// so that callers can assert on failures too. Panics only if it cannot start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|err| panic!("could not start {cmd:?}: {err}"))
}

/// Installs the tools pinned by `pins` into `dir` with `install`, unless
/// `installed` exists and the stamp shows the same pins were installed before.
fn ensure_installed(dir: &Path, pins: &[&str], installed: &Path, install: fn(&Path)) {
    fs::create_dir_all(dir).unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    // Another test binary may be installing right now: wait for it, then
    // re-check, so that only one of them runs the install.
    let _lock = lock_exclusive(&dir.join("install.lock"));
    let pinned = read_pins(pins);
    let stamp = dir.join("installed-pins.stamp");
    if installed.exists() && fs::read(&stamp).is_ok_and(|done| done == pinned) {
        return;
    }
    // Without the stamp, an install that fails halfway is redone next time.
    remove_if_present(&stamp);
    for name in pins {
        copy_file(&Path::new(PINNED_DIR).join(name), &dir.join(name));
    }
    install(dir);
    fs::write(&stamp, &pinned)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", stamp.display()));
}

fn install_node_tools(dir: &Path) {
    // `npm ci` installs exactly the lock file, removing any old node_modules.
    run_install(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
        &NODE_HINT,
    );
}

/// `cargo install --locked` of each `name version` line of `cargo-tools.txt`, into `dir/bin`.
fn install_cargo_tools(dir: &Path) {
    let pins = fs::read_to_string(dir.join("cargo-tools.txt")).expect("copied just now");
    for line in pins
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (name, version) = line.split_once(' ').unwrap_or_else(|| {
            panic!("tests/tools/cargo-tools.txt: `{line}` is not `name version`")
        });
        run_install(
            Command::new(env!("CARGO"))
                .args(["install", "--locked", "--force", name, "--version"])
                .arg(format!("={}", version.trim()))
                .arg("--root")
                .arg(dir)
                // Its own target directory: the tests' cargo holds the lock of theirs.
                .env("CARGO_TARGET_DIR", dir.join("build")),
            &CARGO_HINT,
        );
    }
}

fn install_python_tools(dir: &Path) {
    // `--clear` starts from an empty venv, so no package of older pins stays.
    run_install(
        Command::new("python3")
            .args(["-m", "venv", "--clear", "venv"])
            .current_dir(dir),
        &PYTHON_HINT,
    );
    run_install(
        Command::new(venv_bin(dir, "pip"))
            .args(["install", "--disable-pip-version-check"])
            .args(["-r", "requirements.txt"])
            .current_dir(dir),
        &PYTHON_HINT,
    );
}

/// Runs one install step, panicking with everything needed to fix it if it fails.
fn run_install(cmd: &mut Command, hint: &Hint) {
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|err| panic!("could not start {cmd:?}: {err}\nTo fix: {}", hint.missing));
    assert!(
        output.status.success(),
        "installing the pinned test tools failed: {cmd:?} exited with {}\n\
         --- stdout ---\n{}\n--- stderr ---\n{}\nTo fix: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        hint.failed,
    );
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set (a relative one is
/// taken from the package root, where cargo runs tests), else `<root>/target`.
fn target_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

fn tools_dir(kind: &str) -> PathBuf {
    target_dir().join("test-tools").join(kind)
}

fn venv_bin(dir: &Path, name: &str) -> PathBuf {
    dir.join("venv").join("bin").join(name)
}

/// The contents of the pinned files, in order: what the stamp must equal.
/// Comparing whole contents needs no hashing crate, and the files are small.
fn read_pins(pins: &[&str]) -> Vec<u8> {
    pins.iter()
        .flat_map(|name| {
            let path = Path::new(PINNED_DIR).join(name);
            fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
        })
        .collect()
}

/// Blocks until this process holds the exclusive lock on `path`; it is
/// released when the returned file is dropped or the process exits.
fn lock_exclusive(path: &Path) -> File {
    let file =
        File::create(path).unwrap_or_else(|err| panic!("cannot create {}: {err}", path.display()));
    file.lock()
        .unwrap_or_else(|err| panic!("cannot lock {}: {err}", path.display()));
    file
}

fn copy_file(from: &Path, to: &Path) {
    fs::copy(from, to)
        .unwrap_or_else(|err| panic!("cannot copy {} to {}: {err}", from.display(), to.display()));
}

fn remove_if_present(path: &Path) {
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            panic!("cannot remove {}: {err}", path.display())
        }
        _ => {}
    }
}

fn existing_tool(path: PathBuf, pin_file: &str) -> PathBuf {
    assert!(
        path.is_file(),
        "{} is missing after installing the pinned test tools; \
         is the package that provides it listed in tests/tools/{pin_file}?",
        path.display()
    );
    path
}

/// What a run printed, standard output then standard error, for failure messages.
pub fn streams(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// ajv's verdict on each of `files` (relative to `dir`) against `schema`, in order, as
/// `tests/tools/ajv-validate.mjs` prints them (`{file, parsed, valid, limitations, errors}`).
pub fn ajv_verdicts(schema: &Path, files: &[&str], dir: &Path) -> Vec<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/ajv-validate.mjs");
    let ajv = run(Command::new("node")
        .arg(script)
        .arg(node_modules())
        .arg(schema)
        .args(files)
        .current_dir(dir));
    let verdicts: Vec<serde_json::Value> = serde_json::from_slice(&ajv.stdout)
        .unwrap_or_else(|e| panic!("ajv printed no JSON ({e}): {}", streams(&ajv)));
    assert_eq!(
        verdicts.len(),
        files.len(),
        "a verdict per file: {verdicts:?}"
    );
    verdicts
}

/// check-jsonschema's verdict on each of `files` (relative to `dir`) against `schema`, in order,
/// in the shape of [`ajv_verdicts`]: `{file, parsed, valid, errors}`, `valid` null where it
/// could not parse the file, `errors` its messages on the file (`$.path: message`). Like
/// `tests/tools/ajv-validate.mjs`, it parses `.json` files as JSON and `.toml` ones as TOML
/// itself (with Python's `tomllib`).
pub fn check_jsonschema_verdicts(
    schema: &Path,
    files: &[&str],
    dir: &Path,
) -> Vec<serde_json::Value> {
    let output = run(Command::new(python_bin("check-jsonschema"))
        .args(["--output-format", "json", "--schemafile"])
        .arg(schema)
        .args(files)
        .current_dir(dir));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema printed no JSON report ({e}): {}",
            streams(&output)
        )
    });
    // Its messages on each file, from one of the report's lists.
    let messages = |key: &str| {
        let mut by_file = std::collections::BTreeMap::<String, Vec<String>>::new();
        let list = report[key]
            .as_array()
            .unwrap_or_else(|| panic!("check-jsonschema's report has no `{key}` list: {report}"));
        for entry in list {
            let file = entry["filename"].as_str().expect("a filename");
            assert!(
                files.contains(&file),
                "check-jsonschema names a file it was not given: {entry}"
            );
            let message = entry["message"].as_str().expect("a message");
            let message = match entry["path"].as_str() {
                Some(path) => format!("{path}: {message}"),
                None => message.to_string(),
            };
            by_file.entry(file.to_string()).or_default().push(message);
        }
        by_file
    };
    let (invalid, unparsed) = (messages("errors"), messages("parse_errors"));
    let status = if invalid.is_empty() && unparsed.is_empty() {
        "ok"
    } else {
        "fail"
    };
    assert_eq!(
        report["status"], status,
        "check-jsonschema's report: {report}"
    );
    files
        .iter()
        .map(|&file| {
            let parsed = !unparsed.contains_key(file);
            let errors = unparsed.get(file).or(invalid.get(file));
            let valid = parsed.then_some(errors.is_none());
            let errors = errors.cloned().unwrap_or_default();
            serde_json::json!({ "file": file, "parsed": parsed, "valid": valid, "errors": errors })
        })
        .collect()
}

/// The official SARIF 2.1.0 JSON Schema (draft-04), as the pinned `@microsoft/jest-sarif`
/// package ships it: `lib/schemas/sarif-2.1.0-rtm.5.json`.
pub fn sarif_schema() -> PathBuf {
    let path = node_modules().join("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    assert!(
        path.is_file(),
        "{} is missing after installing the pinned test tools; \
         is @microsoft/jest-sarif listed in tests/tools/package.json?",
        path.display()
    );
    path
}
