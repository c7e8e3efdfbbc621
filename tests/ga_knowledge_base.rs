//! The second knowledge base, `data/aurora-serverless-v2/` (the generally available Aurora
//! Serverless v2): it validates, every cluster spec of `tests/fixtures/ga-cluster/` gives
//! exactly the problems its `manifest.toml` lists, ajv and check-jsonschema agree with `limitkb
//! check` wherever the generated cluster schema decides, and `limitkb show` prints the Region
//! grid.

mod support;

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::tools::{self, streams};

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The limitation holding the Aurora MySQL column of the Regions page.
const MYSQL_GRID: &str = "aurora-mysql-regions-and-versions";

fn data() -> PathBuf {
    Path::new(ROOT).join("data/aurora-serverless-v2")
}

fn fixtures() -> PathBuf {
    Path::new(ROOT).join("tests/fixtures/ga-cluster")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    case: Vec<Case>,
}

/// One fixture and every problem `limitkb check` must report on it, no more.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    #[serde(default)]
    problems: Vec<Problem>,
    /// Whether the cluster schema alone decides the verdict (else only `check` knows the rule).
    #[serde(default = "yes")]
    schema_decides: bool,
}

/// A problem: the JSON pointer of the value, and the limitation (none for a type error or an
/// unknown key).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Problem {
    path: String,
    limitation: Option<String>,
}

fn yes() -> bool {
    true
}

fn manifest() -> Vec<Case> {
    let text = fs::read_to_string(fixtures().join("manifest.toml")).expect("manifest.toml");
    let manifest: Manifest = toml::from_str(&text).expect("a well-formed manifest.toml");
    manifest.case
}

fn limitkb(args: &[&str], dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data())
        .current_dir(dir)
        .output()
        .expect("limitkb runs")
}

/// The knowledge base's artifacts, generated under `dir`; returns their directory.
fn generate(dir: &Path) -> PathBuf {
    let out = dir.join("generated");
    let written = limitkb(
        &["generate", "--out", out.to_str().unwrap()],
        Path::new(ROOT),
    );
    assert_eq!(written.status.code(), Some(0), "{}", streams(&written));
    out
}

/// The cluster schema among the artifacts `generate` wrote to `out`, in the knowledge base's
/// tree.
fn cluster_schema(out: &Path) -> PathBuf {
    support::tree_of(out, support::GA).join("schema/cluster.schema.json")
}

type Found = BTreeSet<(String, Option<String>)>;

#[test]
fn the_knowledge_base_is_valid() {
    let output = limitkb(&["validate"], Path::new(ROOT));
    assert_eq!(output.status.code(), Some(0), "{}", streams(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("aurora-serverless-v2: ") && stdout.trim_end().ends_with(" valid"),
        "{stdout}"
    );
}

#[test]
fn the_manifest_lists_every_fixture_once() {
    let listed: Vec<String> = manifest().into_iter().map(|c| c.file).collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "a file is listed twice");
    let mut on_disk: Vec<String> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "manifest.toml")
        .collect();
    on_disk.sort();
    let listed: Vec<String> = unique.into_iter().cloned().collect();
    assert_eq!(listed, on_disk, "the manifest and the folder differ");
    assert!(listed.len() >= 60, "only {} fixtures", listed.len());
}

#[test]
fn every_fixture_alone_gives_exactly_its_problems() {
    let dir = fixtures();
    let mut failures = Vec::new();
    for case in manifest() {
        let output = limitkb(&["check", "--format", "json", &case.file], &dir);
        let reported: Vec<Value> = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", case.file, streams(&output)));
        let got: Found = reported
            .iter()
            .map(|d| {
                assert_eq!(d["file"], case.file.as_str(), "{d}");
                (
                    d["path"].as_str().expect("a path").to_string(),
                    d["limitation"].as_str().map(str::to_string),
                )
            })
            .collect();
        let expected: Found = case
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.limitation.clone()))
            .collect();
        let code = if expected.is_empty() { 0 } else { 1 };
        if got != expected || output.status.code() != Some(code) {
            failures.push(format!(
                "{}: expected {expected:?} (exit {code}), got {got:?} (exit {:?})\n{}",
                case.file,
                output.status.code(),
                streams(&output)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A JSON Schema validator, given the generated cluster schema, gives every fixture the verdict
/// of `limitkb check` wherever the schema decides, and accepts the rest (only `check` rejects
/// those). `verdicts` runs it on the fixtures, as [`tools::ajv_verdicts`] does: `(schema, files,
/// dir)` to a `{file, valid, …}` per file, in order.
fn agrees_wherever_the_schema_decides(
    tool: &str,
    verdicts: fn(&Path, &[&str], &Path) -> Vec<Value>,
) {
    let temp = tempfile::tempdir().unwrap();
    let schema = cluster_schema(&generate(temp.path()));
    let cases = manifest();
    let names: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    let verdicts = verdicts(&schema, &names, &fixtures());
    assert_eq!(verdicts.len(), cases.len(), "a verdict per file");
    let mut failures = Vec::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        assert_eq!(verdict["file"], case.file.as_str());
        // Where the schema does not decide, it accepts what only `check` rejects.
        let valid = case.problems.is_empty() || !case.schema_decides;
        if verdict["valid"] != Value::Bool(valid) {
            failures.push(format!("{}: {tool} says {verdict}", case.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ajv_agrees_wherever_the_schema_decides() {
    agrees_wherever_the_schema_decides("ajv", tools::ajv_verdicts);
}

/// check-jsonschema reads the TOML fixtures itself, as ajv-validate.mjs does.
#[test]
fn check_jsonschema_agrees_wherever_the_schema_decides() {
    agrees_wherever_the_schema_decides("check-jsonschema", tools::check_jsonschema_verdicts);
}

#[test]
fn show_prints_the_aurora_mysql_grid() {
    let output = limitkb(&["show", MYSQL_GRID], Path::new(ROOT));
    assert_eq!(output.status.code(), Some(0), "{}", streams(&output));
    let shown = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = shown.lines().map(str::trim).collect();

    // Every row of the data, as the data holds it.
    let text = fs::read_to_string(data().join("limitations/engine.toml")).unwrap();
    let file: toml::Table = toml::from_str(&text).unwrap();
    let limitation = file["limitation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"].as_str() == Some(MYSQL_GRID))
        .expect("the Aurora MySQL grid");
    let table = limitation["constraint"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"].as_str() == Some("version-table"))
        .expect("a version-table");
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 31, "a row per Region of the page");
    let mut expected = vec!["region | 3".to_string()];
    for row in rows {
        let cells: Vec<&str> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        expected.push(cells.join(" | "));
    }
    for line in &expected {
        assert!(
            lines.contains(&line.as_str()),
            "show lacks `{line}`:\n{shown}"
        );
    }

    // And the page's exceptions, written out, so that the data cannot drift from the page.
    for line in [
        "us-east-2 | 3.02.0",
        "ap-south-2 | 3.02.3",
        "ap-southeast-4 | -",
        "cn-north-1 | 3.02.2",
        "cn-northwest-1 | 3.02.2",
        "eu-south-2 | 3.02.3",
        "eu-central-2 | 3.02.3",
        "me-central-1 | 3.02.3",
        "us-gov-east-1 | 3.02.2",
        "us-gov-west-1 | 3.02.2",
    ] {
        assert!(lines.contains(&line), "show lacks `{line}`:\n{shown}");
    }
}

/// The docs print each grid as the Regions page does, a row per Region with its name, and pass
/// markdownlint with the repository's configuration.
#[test]
fn the_docs_print_the_grids_and_pass_markdownlint() {
    let temp = tempfile::tempdir().unwrap();
    let out = generate(temp.path());
    let engine = fs::read_to_string(out.join("docs").join(support::GA).join("engine.md")).unwrap();
    for row in [
        "| `ap-south-2` (Asia Pacific (Hyderabad)) | `3.02.3` |",
        "| `cn-north-1` (China (Beijing)) | `-` | `14.3` | `13.6` |",
    ] {
        assert!(engine.contains(row), "docs/engine.md lacks the row `{row}`");
    }
    let lint = tools::run(
        Command::new(tools::node_bin("markdownlint"))
            .arg("--config")
            .arg(Path::new(ROOT).join(".markdownlint.jsonc"))
            .arg(out.join("docs")),
    );
    assert!(lint.status.success(), "markdownlint: {}", streams(&lint));
}

/// An editor flags, as the user types, a version of a family the Region does not have: taplo
/// reads the cluster schema through the spec's `#:schema` line. (A floor within a family is
/// beyond the schema: only `limitkb check` knows it.)
#[test]
fn taplo_flags_a_version_the_region_does_not_have() {
    let temp = tempfile::tempdir().unwrap();
    let schema = cluster_schema(&generate(temp.path()));
    let schema = schema.strip_prefix(temp.path()).unwrap().display();
    let spec = |version: &str| {
        format!(
            "#:schema ./{schema}\nregion = \"cn-north-1\"\n\
             engine = \"aurora-postgresql\"\nengine_version = \"{version}\"\n"
        )
    };
    fs::write(temp.path().join("no-15-in-china.toml"), spec("15.2")).unwrap();
    fs::write(temp.path().join("14-in-china.toml"), spec("14.3")).unwrap();
    let taplo = |file: &str| {
        tools::run(
            Command::new(tools::node_bin("taplo"))
                .args(["lint", "--colors", "never", file])
                .current_dir(temp.path()),
        )
    };
    let flagged = taplo("no-15-in-china.toml");
    let printed = streams(&flagged);
    assert!(
        !flagged.status.success(),
        "taplo accepted 15.2 in China:\n{printed}"
    );
    assert!(
        printed.contains("no-15-in-china.toml:4:18"),
        "taplo points at the value:\n{printed}"
    );
    let accepted = taplo("14-in-china.toml");
    assert!(accepted.status.success(), "{}", streams(&accepted));
}
