//! `limitkb check` and two independent JSON Schema validators, given the generated cluster
//! schema of the preview knowledge base, agree on every cluster spec of the fixture corpus:
//! ajv 8 (draft-07, strict mode, through `tests/tools/ajv-validate.mjs`) and check-jsonschema
//! (Python `jsonschema`). The only files where they may differ are the ones the manifest marks
//! `schema_decides = false` (a range's min > max, which draft-07 cannot express): there the
//! schema validators accept and `limitkb check` rejects.
//!
//! The tools are pinned in `tests/tools/` and installed by `tests/support/tools.rs`; a tool that
//! cannot be installed fails the test.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::cluster_fixtures::{Case, FIXTURES, manifest};
use support::tools;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The cluster schema of the preview knowledge base, whose specs the fixtures are.
fn schema_path() -> PathBuf {
    support::generated_of(support::PREVIEW).join("schema/cluster.schema.json")
}

/// A validator's judgement of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Valid,
    Invalid,
    Unparseable,
}

/// ajv's verdict on each file, with the limitation ids (`x-limitation`) of the failing
/// subschemas.
struct Ajv {
    verdicts: BTreeMap<String, Verdict>,
    limitations: BTreeMap<String, BTreeSet<String>>,
}

/// Runs ajv once on all `files` (relative to `dir`).
fn ajv(dir: &Path, files: &[&str]) -> Ajv {
    let script = Path::new(ROOT).join("tests/tools/ajv-validate.mjs");
    let output = tools::run(
        Command::new("node")
            .arg(&script)
            .arg(tools::node_modules())
            .arg(schema_path())
            .args(files)
            .current_dir(dir),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} failed ({}):\n{stdout}\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("ajv-validate.mjs printed no JSON array ({e}):\n{stdout}"));
    assert_eq!(
        results.len(),
        files.len(),
        "ajv-validate.mjs must report every file"
    );
    let mut verdicts = BTreeMap::new();
    let mut limitations = BTreeMap::new();
    for r in results {
        let file = r["file"].as_str().expect("file").to_string();
        let verdict = match (&r["parsed"], &r["valid"]) {
            (Value::Bool(false), _) => Verdict::Unparseable,
            (_, Value::Bool(true)) => Verdict::Valid,
            (_, Value::Bool(false)) => Verdict::Invalid,
            _ => panic!("ajv-validate.mjs gave no verdict for {file}: {r}"),
        };
        let ids = r["limitations"]
            .as_array()
            .expect("limitations")
            .iter()
            .map(|id| id.as_str().expect("a limitation id").to_string())
            .collect();
        verdicts.insert(file.clone(), verdict);
        limitations.insert(file, ids);
    }
    Ajv {
        verdicts,
        limitations,
    }
}

/// Runs check-jsonschema once on all `files` (relative to `dir`), with its JSON output, which
/// lists the files with errors and the files it could not parse.
fn check_jsonschema(dir: &Path, files: &[&str]) -> BTreeMap<String, Verdict> {
    let output = tools::run(
        Command::new(tools::python_bin("check-jsonschema"))
            .args(["--output-format", "json", "--schemafile"])
            .arg(schema_path())
            .args(files)
            .current_dir(dir),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema printed no JSON report ({e}), exit {}:\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let named = |key: &str| -> BTreeSet<String> {
        report[key]
            .as_array()
            .unwrap_or_else(|| panic!("check-jsonschema's report has no `{key}` list: {report}"))
            .iter()
            .map(|e| e["filename"].as_str().expect("filename").to_string())
            .collect()
    };
    let (invalid, unparseable) = (named("errors"), named("parse_errors"));
    let status = report["status"].as_str().expect("status");
    let expected_status = if invalid.is_empty() && unparseable.is_empty() {
        "ok"
    } else {
        "fail"
    };
    assert_eq!(
        status, expected_status,
        "check-jsonschema's report: {report}"
    );
    files
        .iter()
        .map(|f| {
            let verdict = if unparseable.contains(*f) {
                Verdict::Unparseable
            } else if invalid.contains(*f) {
                Verdict::Invalid
            } else {
                Verdict::Valid
            };
            (f.to_string(), verdict)
        })
        .collect()
}

/// What `limitkb check` said of each file (relative to `dir`): one run per file, so that its
/// exit code is the verdict (0 valid, 1 invalid, 2 unparseable).
struct Limitkb {
    verdicts: BTreeMap<String, Verdict>,
    limitations: BTreeMap<String, BTreeSet<String>>,
}

fn limitkb(dir: &Path, files: &[&str]) -> Limitkb {
    let mut verdicts = BTreeMap::new();
    let mut limitations = BTreeMap::new();
    for file in files {
        let output = Command::new(BIN)
            .args(["check", "--format", "json", "--data"])
            .arg(support::data_of(support::PREVIEW))
            .arg(file)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        let diagnostics: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "limitkb check {file} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        let verdict = match output.status.code() {
            Some(0) => Verdict::Valid,
            Some(1) => Verdict::Invalid,
            Some(2) => Verdict::Unparseable,
            other => panic!("limitkb check {file} exited with {other:?}: {diagnostics:?}"),
        };
        let ids: BTreeSet<String> = diagnostics
            .iter()
            .filter_map(|d| d["limitation"].as_str().map(str::to_string))
            .collect();
        verdicts.insert(file.to_string(), verdict);
        limitations.insert(file.to_string(), ids);
    }
    Limitkb {
        verdicts,
        limitations,
    }
}

/// Limitations that constrain a `range` parameter: their `min <= max` rule is checked in code,
/// so `limitkb check` may report them where a schema validator does not.
fn range_limitations() -> BTreeSet<String> {
    let path = support::generated_of(support::PREVIEW).join("json/limitations.json");
    let bundle: Value = serde_json::from_str(&fs::read_to_string(&path).expect("bundle"))
        .expect("the bundle is JSON");
    let ranges: BTreeSet<&str> = bundle["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter(|p| p["type"] == "range")
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    bundle["limitations"]
        .as_array()
        .expect("limitations")
        .iter()
        .filter(|l| {
            l["constraints"].as_array().is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["parameter"].as_str().is_some_and(|p| ranges.contains(p)))
            })
        })
        .map(|l| l["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn limitkb_ajv_and_check_jsonschema_agree_on_every_parseable_fixture() {
    let cases = manifest();
    let parseable: Vec<&Case> = cases.iter().filter(|c| !c.unparseable).collect();
    let files: Vec<&str> = parseable.iter().map(|c| c.file.as_str()).collect();
    let dir = Path::new(FIXTURES);
    let ajv = ajv(dir, &files);
    let python = check_jsonschema(dir, &files);
    let ours = limitkb(dir, &files);

    let mut disagreements = Vec::new();
    let mut schema_decided = 0;
    for case in &parseable {
        let file = case.file.as_str();
        let verdicts = (ours.verdicts[file], ajv.verdicts[file], python[file]);
        let expected = if case.schema_decides {
            schema_decided += 1;
            let verdict = if case.valid {
                Verdict::Valid
            } else {
                Verdict::Invalid
            };
            (verdict, verdict, verdict)
        } else {
            (Verdict::Invalid, Verdict::Valid, Verdict::Valid)
        };
        if verdicts != expected {
            disagreements.push(format!(
                "{file} (schema_decides = {}): limitkb {:?}, ajv {:?}, check-jsonschema {:?}; expected {:?}",
                case.schema_decides, verdicts.0, verdicts.1, verdicts.2, expected
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "the validators disagree on {} of {} parseable fixtures:\n{}",
        disagreements.len(),
        parseable.len(),
        disagreements.join("\n")
    );
    let valid = parseable.iter().filter(|c| c.valid).count();
    assert!(
        valid > 0 && valid < schema_decided,
        "the corpus must hold both valid and invalid schema-decided fixtures ({valid} valid of {schema_decided})"
    );
}

#[test]
fn ajv_names_the_limitations_limitkb_reports() {
    // Only for files without structural errors: under a wrong type, ajv also reports the
    // constraints of that value, which limitkb leaves out on purpose.
    let cases = manifest();
    let files: Vec<&str> = cases
        .iter()
        .filter(|c| !c.unparseable && c.structural.is_empty())
        .map(|c| c.file.as_str())
        .collect();
    let dir = Path::new(FIXTURES);
    let ajv = ajv(dir, &files);
    let ours = limitkb(dir, &files);
    let in_code = range_limitations();
    assert!(
        !in_code.is_empty(),
        "no limitation constrains a range parameter: is the bundle right?"
    );
    let mut differences = Vec::new();
    for file in &files {
        let theirs = &ajv.limitations[*file];
        let mine = &ours.limitations[*file];
        let only_ajv: Vec<_> = theirs.difference(mine).collect();
        let only_limitkb: Vec<_> = mine
            .difference(theirs)
            .filter(|id| !in_code.contains(*id))
            .collect();
        if !only_ajv.is_empty() || !only_limitkb.is_empty() {
            differences.push(format!(
                "{file}: only ajv names {only_ajv:?}; only limitkb names {only_limitkb:?}"
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "ajv (through x-limitation) and limitkb name different limitations:\n{}",
        differences.join("\n")
    );
}

#[test]
fn every_validator_fails_to_parse_the_unparseable_fixtures() {
    let cases = manifest();
    let files: Vec<&str> = cases
        .iter()
        .filter(|c| c.unparseable)
        .map(|c| c.file.as_str())
        .collect();
    assert!(!files.is_empty(), "the corpus has no unparseable fixture");
    let dir = Path::new(FIXTURES);
    let ajv = ajv(dir, &files);
    let python = check_jsonschema(dir, &files);
    let ours = limitkb(dir, &files);
    let parsed: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let verdicts = (ours.verdicts[*f], ajv.verdicts[*f], python[*f]);
            let all = (
                Verdict::Unparseable,
                Verdict::Unparseable,
                Verdict::Unparseable,
            );
            (verdicts != all).then(|| format!("{f}: limitkb, ajv, check-jsonschema: {verdicts:?}"))
        })
        .collect();
    assert!(
        parsed.is_empty(),
        "files labelled unparseable that some tool parsed:\n{}",
        parsed.join("\n")
    );
}

#[test]
fn the_examples_get_the_same_verdict_from_every_validator() {
    let dir = Path::new(ROOT).join("examples");
    let files = [
        "cluster-valid.toml",
        "cluster-valid.json",
        "cluster-broken.toml",
        "cluster-broken.json",
    ];
    let ajv = ajv(&dir, &files);
    let python = check_jsonschema(&dir, &files);
    let ours = limitkb(&dir, &files);
    for file in files {
        let expected = if file.contains("valid") {
            Verdict::Valid
        } else {
            Verdict::Invalid
        };
        assert_eq!(
            (ours.verdicts[file], ajv.verdicts[file], python[file]),
            (expected, expected, expected),
            "examples/{file}: limitkb, ajv, check-jsonschema"
        );
    }
}

#[test]
fn the_cluster_schema_is_valid_draft_07() {
    let output = tools::run(
        Command::new(tools::python_bin("check-jsonschema"))
            .arg("--check-metaschema")
            .arg(schema_path()),
    );
    assert!(
        output.status.success(),
        "check-jsonschema --check-metaschema rejects {}:\n{}{}",
        schema_path().display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(schema_path()).expect("schema")).expect("JSON");
    assert_eq!(
        schema["$schema"], "http://json-schema.org/draft-07/schema#",
        "the cluster schema declares draft-07"
    );
}
