//! Ranges with fractional bounds and a step (`multiple-of`), the first model features of the
//! generally available Aurora Serverless v2 ("from 0.5 to 128 ACU in increments of 0.5 ACU"),
//! added to a copy of the data with no code change: `limitkb check` and ajv agree on specs
//! against them, the constants are floats, and the lint rejects steps that cannot work.

mod support;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::files::copy_dir;
use support::tools;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The parameters and limitation added to a copy of `data/`.
const PARAMETERS: &str = r#"
[[parameter]]
id = "scaled_capacity"
title = "Scaled capacity"
type = "range"
bounds = "number"
unit = "ACU"
min_key = "min_acu"
max_key = "max_acu"
example = [0.5, 128]

[[parameter]]
id = "ratio"
title = "Ratio"
type = "number"
"#;

fn limitation(id: &str, constraints: &str, source: &str) -> String {
    format!(
        "\n[[limitation]]\nid = \"{id}\"\ntitle = \"A test limitation\"\n\
         summary = \"Added by a test.\"\nconstraint = [{constraints}]\nsource = {source}\n"
    )
}

/// The `source` of `capacity-range`, as an inline table, so that the quote is in the copy.
fn capacity_source(capacity: &str) -> String {
    let at = capacity
        .find("id = \"capacity-range\"")
        .expect("capacity-range");
    let line = capacity[at..]
        .lines()
        .find(|l| l.starts_with("source = "))
        .expect("capacity-range has a one-line source");
    line["source = ".len()..].to_string()
}

/// A copy of `data/` at `<dir>/data` with the parameters and the limitations
/// `constraints` (one limitation per entry) added; returns its path.
fn data_with(dir: &Path, constraints: &[&str]) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&Path::new(ROOT).join("data"), &data);
    let kb = data.join("kb.toml");
    let text = fs::read_to_string(&kb).unwrap();
    fs::write(&kb, text + PARAMETERS).unwrap();
    let file = data.join("limitations/capacity.toml");
    let mut capacity = fs::read_to_string(&file).unwrap();
    let source = capacity_source(&capacity);
    for (i, c) in constraints.iter().enumerate() {
        capacity.push_str(&limitation(&format!("added-{i}"), c, &source));
    }
    fs::write(&file, capacity).unwrap();
    data
}

fn limitkb(args: &[&str], data: &Path, dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .current_dir(dir)
        .output()
        .expect("limitkb runs")
}

fn streams(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const ACU_RULES: &[&str] = &[
    r#"{ kind = "range", parameter = "scaled_capacity", min = 0.5, max = 128 }"#,
    r#"{ kind = "multiple-of", parameter = "scaled_capacity", step = 0.5 }"#,
    r#"{ kind = "multiple-of", parameter = "ratio", step = 0.25 }"#,
];

/// A problem `check` must report: the value's pointer, and the limitation (none for a type
/// error).
type Problem = (&'static str, Option<&'static str>);

/// Specs (name, text) and every problem `check` must report on each, no more.
const SPECS: &[(&str, &str, &[Problem])] = &[
    (
        "valid.toml",
        "[scaled_capacity]\nmin_acu = 0.5\nmax_acu = 128\n",
        &[],
    ),
    (
        "valid-steps.toml",
        "ratio = 2.75\n[scaled_capacity]\nmin_acu = 1.5\nmax_acu = 64.0\n",
        &[],
    ),
    (
        "off-step.toml",
        "[scaled_capacity]\nmin_acu = 0.75\nmax_acu = 8\n",
        &[("/scaled_capacity/min_acu", Some("added-1"))],
    ),
    (
        "below-and-off-step.toml",
        "[scaled_capacity]\nmin_acu = 0.25\nmax_acu = 8\n",
        &[
            ("/scaled_capacity/min_acu", Some("added-0")),
            ("/scaled_capacity/min_acu", Some("added-1")),
        ],
    ),
    (
        "above.toml",
        "[scaled_capacity]\nmin_acu = 1\nmax_acu = 128.5\n",
        &[("/scaled_capacity/max_acu", Some("added-0"))],
    ),
    (
        "ratio-off-step.toml",
        "ratio = 0.3\n",
        &[("/ratio", Some("added-2"))],
    ),
    (
        "wrong-type.toml",
        "[scaled_capacity]\nmin_acu = \"half\"\n",
        &[("/scaled_capacity/min_acu", None)],
    ),
];

#[test]
fn fractional_bounds_and_steps_are_checked_and_ajv_agrees() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), ACU_RULES);
    let validated = limitkb(&["validate"], &data, temp.path());
    assert_eq!(validated.status.code(), Some(0), "{}", streams(&validated));

    let names: Vec<&str> = SPECS.iter().map(|(name, _, _)| *name).collect();
    for (name, text, _) in SPECS {
        fs::write(temp.path().join(name), text).unwrap();
    }
    let mut args = vec!["check", "--format", "json"];
    args.extend(&names);
    let output = limitkb(&args, &data, temp.path());
    let reported: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", streams(&output)));
    for (name, _, expected) in SPECS {
        let mut got: Vec<(String, Option<String>)> = reported
            .iter()
            .filter(|d| d["file"] == *name)
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["limitation"].as_str().map(str::to_string),
                )
            })
            .collect();
        got.sort();
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(p, l)| (p.to_string(), l.map(str::to_string)))
            .collect();
        assert_eq!(got, expected, "{name}: {}", streams(&output));
    }
    let off_step = reported
        .iter()
        .find(|d| d["file"] == "off-step.toml")
        .unwrap();
    assert!(
        off_step["message"].as_str().unwrap().starts_with(
            "scaled_capacity.min_acu = 0.75 is not allowed: it must be a multiple of 0.5 ACU"
        ),
        "{off_step}"
    );

    // ajv, given the generated cluster schema, gives every spec the same verdict.
    let generated = temp.path().join("generated");
    let out = generated.to_str().unwrap();
    let written = limitkb(&["generate", "--out", out], &data, temp.path());
    assert_eq!(written.status.code(), Some(0), "{}", streams(&written));
    let ajv = tools::run(
        Command::new("node")
            .arg(Path::new(ROOT).join("tests/tools/ajv-validate.mjs"))
            .arg(tools::node_modules())
            .arg(generated.join("schema/cluster.schema.json"))
            .args(&names)
            .current_dir(temp.path()),
    );
    let verdicts: Vec<Value> = serde_json::from_slice(&ajv.stdout).expect("ajv prints JSON");
    assert_eq!(
        verdicts.len(),
        SPECS.len(),
        "a verdict per spec: {verdicts:?}"
    );
    for ((name, _, expected), verdict) in SPECS.iter().zip(&verdicts) {
        assert_eq!(
            verdict["valid"],
            Value::Bool(expected.is_empty()),
            "{name}: ajv says {verdict}"
        );
    }

    // The constants of a fractional range and of the steps are floats, in the bundle and in
    // the Rust crate.
    let bundle: Value =
        serde_json::from_str(&fs::read_to_string(generated.join("json/limitations.json")).unwrap())
            .unwrap();
    let constant = |name: &str| {
        bundle["constants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no constant {name}"))
            .clone()
    };
    for (name, value) in [
        ("scaled_capacity_min", 0.5),
        ("scaled_capacity_max", 128.0),
        ("scaled_capacity_step", 0.5),
        ("ratio_step", 0.25),
    ] {
        let c = constant(name);
        assert_eq!(
            (c["type"].as_str(), c["value"].as_f64()),
            (Some("number"), Some(value))
        );
    }
    let lib = fs::read_to_string(generated.join("rust/src/lib.rs")).unwrap();
    for line in [
        "pub const SCALED_CAPACITY_MAX: f64 = 128.0;",
        "pub const SCALED_CAPACITY_STEP: f64 = 0.5;",
    ] {
        assert!(lib.contains(line), "rust/src/lib.rs lacks `{line}`");
    }
}

#[test]
fn steps_and_bounds_that_cannot_work_are_data_errors() {
    for (constraint, kb_addition, expected) in [
        (
            r#"{ kind = "multiple-of", parameter = "ratio", step = 0 }"#,
            "",
            "the step must be above zero",
        ),
        (
            r#"{ kind = "multiple-of", parameter = "capacity", step = 0.5 }"#,
            "",
            "`capacity` takes integers; write a whole number",
        ),
        (
            r#"{ kind = "multiple-of", parameter = "region", step = 2 }"#,
            "",
            "multiple-of needs a numeric or range parameter",
        ),
        (
            r#"{ kind = "range", parameter = "capacity", min = 0.5, max = 32 }"#,
            "",
            "`capacity` takes integers; write a whole number",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0 }"#,
            "\n[[parameter]]\nid = \"flag\"\ntitle = \"Flag\"\ntype = \"boolean\"\nbounds = \"number\"\n",
            "bounds are only for parameters of type \"range\"",
        ),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let data = data_with(temp.path(), &[constraint]);
        if !kb_addition.is_empty() {
            let kb = data.join("kb.toml");
            let text = fs::read_to_string(&kb).unwrap();
            fs::write(&kb, text + kb_addition).unwrap();
        }
        let output = limitkb(&["validate", "--format", "short"], &data, temp.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{constraint}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{constraint}: expected {expected:?} in:\n{stderr}"
        );
    }
}
