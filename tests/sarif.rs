//! `limitkb check --format sarif`: the log is valid against the official SARIF 2.1.0 schema
//! (`sarif-2.1.0-rtm.5.json` from the pinned `@microsoft/jest-sarif`, checked by the pinned
//! check-jsonschema, which does reject a log that is not SARIF), and says what `--format json` says for the same run: a result per
//! diagnostic, in the same order, with the same rule (limitation), level (severity), file,
//! line, column and message, and a rule per limitation described by its summary.
//!
//! `--strict` (warnings and notes fail too) is covered here only where nothing but errors
//! exists: no input produces warnings or notes through the command line yet, so the unit tests
//! of `src/cli/check.rs` (`exit_code`) cover a mixed list.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::cluster_fixtures::{FIXTURES, manifest};
use support::tools;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// Fixtures checked one per run: unknown keys, type errors, unparseable files (TOML and
/// JSON), limitations with and without a type error beside them, and a clean spec.
const ONE_BY_ONE: &[&str] = &[
    "unknown-field-prot.toml",
    "unknown-field-pointer-escaping.json",
    "unparseable-missing-quote.toml",
    "unparseable-empty-file.json",
    "wrong-type-port-string.toml",
    "structural-and-limitations.json",
    "combined-everything-broken.toml",
    "valid-full.toml",
];

/// One `limitkb check` run: a name for its SARIF file, the directory it runs in (file names
/// are relative to it) and its arguments after `check --format F`.
struct CheckRun {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
}

/// The runs: the repository's broken example, the fixtures of [`ONE_BY_ONE`], and the whole
/// corpus at once with a file that does not exist.
fn runs() -> Vec<CheckRun> {
    let data = support::data_of(support::PREVIEW)
        .to_string_lossy()
        .into_owned();
    let fixture_run = |name: String, files: Vec<String>| CheckRun {
        name,
        dir: PathBuf::from(FIXTURES),
        args: [vec!["--data".to_string(), data.clone()], files].concat(),
    };
    let mut runs = vec![CheckRun {
        name: "example".into(),
        dir: support::repo().to_path_buf(),
        args: vec!["examples/cluster-broken.toml".into()],
    }];
    for file in ONE_BY_ONE {
        runs.push(fixture_run(
            format!("fixture-{file}"),
            vec![file.to_string()],
        ));
    }
    let mut corpus: Vec<String> = manifest().into_iter().map(|case| case.file).collect();
    corpus.push("no-such-spec.toml".into());
    runs.push(fixture_run("corpus".into(), corpus));
    runs
}

/// Runs `limitkb check --format <format>` for `run`: its exit code and standard output.
fn check(run: &CheckRun, format: &str, extra: &[&str]) -> (i32, String) {
    let output = tools::run(
        Command::new(BIN)
            .args(["check", "--format", format])
            .args(extra)
            .args(&run.args)
            .current_dir(&run.dir),
    );
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("limitkb was killed: {}", tools::streams(&output)));
    (code, String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The summary of every limitation of the preview knowledge base, by id, from its bundle.
fn summaries() -> BTreeMap<String, String> {
    support::bundle_of(support::PREVIEW)["limitations"]
        .as_array()
        .expect("the bundle lists the limitations")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().expect("an id").to_string(),
                l["summary"].as_str().expect("a summary").to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_logs_are_valid_sarif_2_1_0_and_say_what_the_json_format_says() {
    let out = tempfile::tempdir().unwrap();
    let summaries = summaries();
    let mut logs = Vec::new();
    for run in runs() {
        let (sarif_code, sarif) = check(&run, "sarif", &[]);
        let (json_code, json) = check(&run, "json", &[]);
        assert_eq!(sarif_code, json_code, "{}: the exit code", run.name);
        let name = format!("{}.sarif.json", run.name);
        std::fs::write(out.path().join(&name), &sarif).unwrap();
        let sarif: Value = serde_json::from_str(&sarif).unwrap_or_else(|e| {
            panic!("{}: the SARIF output is not JSON ({e}): {sarif}", run.name)
        });
        let json: Vec<Value> = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{}: the JSON output is no array ({e}): {json}", run.name));
        assert_same(&run.name, &sarif, &json, &summaries);
        logs.push((name, sarif_code, json.len()));
    }

    // What the runs cover: exit codes 0, 1 and 2, a clean spec, and many results.
    let codes: BTreeSet<i32> = logs.iter().map(|(_, code, _)| *code).collect();
    assert_eq!(codes, BTreeSet::from([0, 1, 2]), "{logs:?}");
    assert!(logs.iter().any(|(_, _, n)| *n == 0), "{logs:?}");
    assert!(logs.iter().any(|(_, _, n)| *n > 100), "{logs:?}");

    let names: Vec<&str> = logs.iter().map(|(name, _, _)| name.as_str()).collect();
    let report = schema_report(&names, out.path());
    assert_eq!(report["status"], "ok", "not valid SARIF 2.1.0: {report:#}");
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
}

#[test]
fn the_schema_check_rejects_a_log_that_is_not_sarif() {
    let (_, sarif) = check(&runs()[0], "sarif", &[]);
    let mut log: Value = serde_json::from_str(&sarif).unwrap();
    let result = &mut log["runs"][0]["results"][0];
    result["level"] = "fatal".into();
    result["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0.into();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("broken.sarif.json"), log.to_string()).unwrap();
    let report = schema_report(&["broken.sarif.json"], out.path());
    assert_eq!(report["status"], "fail", "{report:#}");
    let paths: BTreeSet<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from([
            "$.runs[0].results[0].level",
            "$.runs[0].results[0].locations[0].physicalLocation.region.startColumn",
        ]),
        "{report:#}"
    );
}

/// check-jsonschema's JSON report (`{status, errors, parse_errors}`) on `files` (relative to
/// `dir`) against the official SARIF 2.1.0 schema. Its regular expressions are read as
/// ECMAScript's without the unicode flag, as the schema's authors wrote them: the pattern of
/// `toolComponent.language` has a stray `]`, an error in unicode mode (check-jsonschema's
/// default), a literal `]` otherwise.
fn schema_report(files: &[&str], dir: &Path) -> Value {
    let output = tools::run(
        Command::new(tools::python_bin("check-jsonschema"))
            .args(["--regex-variant", "nonunicode", "--output-format", "json"])
            .arg("--schemafile")
            .arg(tools::sarif_schema())
            .args(files)
            .current_dir(dir),
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "check-jsonschema printed no JSON report ({e}): {}",
            tools::streams(&output)
        )
    })
}

/// Holds the SARIF log of a run to the JSON diagnostics of the same run.
fn assert_same(name: &str, sarif: &Value, json: &[Value], summaries: &BTreeMap<String, String>) {
    assert_eq!(sarif["version"], "2.1.0", "{name}");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{name}: one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "limitkb", "{name}");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"), "{name}");
    assert_eq!(run["columnKind"], "unicodeCodePoints", "{name}");
    let rules = driver["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), json.len(), "{name}: a result per diagnostic");

    for (i, (result, d)) in results.iter().zip(json).enumerate() {
        let at = format!("{name}: result {i}");
        let rule_id = result["ruleId"].as_str().expect("a ruleId");
        let expected_rule = d["limitation"].as_str().unwrap_or("limitkb/spec");
        assert_eq!(rule_id, expected_rule, "{at}: {d}");
        let index = result["ruleIndex"].as_u64().expect("a ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "{at}: ruleIndex");
        assert_eq!(result["level"], d["severity"], "{at}: level");
        assert_eq!(result["message"]["text"], d["message"], "{at}: message");
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "{at}");
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], d["file"], "{at}: uri");
        let region = &physical["region"];
        if d["line"].is_null() {
            assert!(
                region.is_null(),
                "{at}: a region for a file-level problem: {result}"
            );
        } else {
            assert_eq!(region["startLine"], d["line"], "{at}: startLine");
            assert_eq!(region["startColumn"], d["column"], "{at}: startColumn");
            if let Some(end) = region["endColumn"].as_u64() {
                assert!(
                    end > region["startColumn"].as_u64().unwrap(),
                    "{at}: {region}"
                );
            }
        }
    }

    // A rule per rule used, once each; a limitation's described by its summary.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let used: BTreeSet<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), used.len(), "{name}: a rule once each: {ids:?}");
    assert_eq!(ids.iter().copied().collect::<BTreeSet<_>>(), used, "{name}");
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let description = rule["shortDescription"]["text"].as_str().unwrap();
        match summaries.get(id) {
            Some(summary) => assert_eq!(description, summary, "{name}: rule {id}"),
            None => {
                assert_eq!(id, "limitkb/spec", "{name}: a rule of no limitation");
                assert!(!description.is_empty(), "{name}");
            }
        }
    }
}

#[test]
fn the_broken_example_gives_a_result_per_limitation_at_its_value() {
    let run = &runs()[0];
    let (code, sarif) = check(run, "sarif", &[]);
    assert_eq!(code, 1, "{sarif}");
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let port = results
        .iter()
        .find(|r| r["ruleId"] == "port-3306-only")
        .unwrap_or_else(|| panic!("no result for port-3306-only: {sarif:#}"));
    assert_eq!(port["level"], "error");
    assert_eq!(
        port["locations"][0]["physicalLocation"],
        serde_json::json!({
            "artifactLocation": {"uri": "examples/cluster-broken.toml"},
            "region": {"startLine": 14, "startColumn": 8, "endColumn": 12},
        })
    );
    assert!(
        port["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("port = 5432 is not allowed: it must be exactly 3306."),
        "{port}"
    );
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "availability-zone-ids",
            "capacity-range",
            "port-3306-only",
            "preview-environment-only",
            "unsupported-rds-proxy"
        ]
    );
}

#[test]
fn strict_changes_no_outcome_while_every_problem_is_an_error() {
    let data = support::data_of(support::PREVIEW);
    for (file, code) in [
        ("valid-full.toml", 0),
        ("port-3305.toml", 1),
        ("unknown-field-prot.toml", 1),
        ("unparseable-missing-quote.toml", 2),
    ] {
        let run = CheckRun {
            name: file.into(),
            dir: PathBuf::from(FIXTURES),
            args: vec![
                "--data".into(),
                data.to_string_lossy().into_owned(),
                file.into(),
            ],
        };
        for format in ["short", "sarif"] {
            let plain = check(&run, format, &[]);
            let strict = check(&run, format, &["--strict"]);
            assert_eq!(plain.0, code, "{file} --format {format}");
            assert_eq!(strict, plain, "{file} --format {format} --strict");
        }
    }
}

#[test]
fn only_check_offers_sarif() {
    for args in [
        &["validate", "--format", "sarif"][..],
        &["generate", "--check", "--format", "sarif"],
    ] {
        let output = tools::run(Command::new(BIN).args(args).current_dir(support::repo()));
        let streams = tools::streams(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {streams}");
        assert!(
            streams.contains("[possible values: text, short, json]"),
            "{args:?}: {streams}"
        );
    }
}
