//! `limitkb check` on deployment files of other formats than the cluster spec: CloudFormation
//! templates (`tests/fixtures/cloudformation/<kb>/`, YAML and JSON, written by hand and as the
//! AWS CDK synthesizes them) and RDS API requests (`tests/fixtures/rds-api/<kb>/`), each with
//! its expected diagnostics in its folder's `manifest.toml`: exactly those (line, column,
//! severity, limitation), each at the text the manifest names, and the exit code they imply.
//! Every failing case is reported, not only the first.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// The knowledge bases, one fixture subfolder each.
const KBS: [&str; 2] = ["aurora-serverless-v2", "aurora-serverless-v2-preview"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    case: Vec<Case>,
}

/// One `[[case]]`: a fixture, how it is checked, and what must be reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The file, relative to the folder of the manifest.
    file: String,
    /// The knowledge base (`--kb`).
    kb: String,
    /// `--region`, if given.
    #[serde(default)]
    region: Option<String>,
    /// Also run with `--strict`, which fails on any diagnostic.
    #[serde(default)]
    strict: bool,
    /// Why the verdict is what it is, where that is not obvious.
    #[serde(default)]
    why: Option<String>,
    /// Terraform variable files given with `--var-file`, relative to the manifest's folder.
    #[serde(default)]
    var_files: Vec<String>,
    /// The exit code, when not the one the diagnostics imply (2: refused).
    #[serde(default)]
    exit: Option<i32>,
    /// Every diagnostic expected.
    #[serde(default)]
    expect: Vec<Expect>,
}

/// One expected diagnostic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The file the diagnostic is in, relative to the manifest's folder: the case's `file`
    /// unless given (a Terraform configuration's files).
    #[serde(default)]
    file: Option<String>,
    /// Absent for a diagnostic without a position (a Terraform plan's).
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    column: Option<usize>,
    severity: String,
    #[serde(default)]
    limitation: Option<String>,
    /// The source text that starts at `line`:`column`.
    #[serde(default)]
    text: String,
    /// For a diagnostic without a position: its path (a plan's address and attribute).
    #[serde(default)]
    path: Option<String>,
    /// The Terraform address the diagnostic names.
    #[serde(default)]
    address: Option<String>,
    /// A part of the message.
    #[serde(default)]
    message: Option<String>,
}

/// One diagnostic of `--format json`.
#[derive(Debug, Deserialize)]
struct Reported {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    path: String,
    limitation: Option<String>,
    message: String,
    severity: String,
    #[serde(default)]
    address: Option<String>,
}

/// What the manifest and the output are compared on: the file (relative to the manifest's
/// folder), line, column, severity, limitation, and for a diagnostic without a position its
/// path.
type Key = (String, usize, usize, String, Option<String>, Option<String>);

impl Expect {
    fn key(&self, case: &Case) -> Key {
        (
            self.file.clone().unwrap_or_else(|| case.file.clone()),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity.clone(),
            self.limitation.clone(),
            self.line
                .is_none()
                .then(|| self.path.clone().unwrap_or_default()),
        )
    }
}

impl Reported {
    fn key(&self) -> Key {
        (
            self.file.clone(),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity.clone(),
            self.limitation.clone(),
            self.line.is_none().then(|| self.path.clone()),
        )
    }

    fn shown(&self) -> String {
        format!(
            "{}:{} {} [{}] {}: {}",
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            self.limitation.as_deref().unwrap_or("-"),
            self.path,
            self.message
        )
    }
}

fn shown_key((file, line, column, severity, limitation, path): &Key) -> String {
    format!(
        "{file}:{line}:{column} {severity} [{}]{}",
        limitation.as_deref().unwrap_or("-"),
        path.as_deref().map(|p| format!(" {p}")).unwrap_or_default()
    )
}

fn fixtures(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder)
}

fn manifest(folder: &str) -> Vec<Case> {
    let path = fixtures(folder).join("manifest.toml");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str::<Manifest>(&text)
        .unwrap_or_else(|e| panic!("{} is malformed: {e}", path.display()))
        .case
}

/// The text of `source` from 1-based `line` and `column` (in characters) to the end of that
/// line, or `None` if there is no such position.
fn text_at(source: &str, line: usize, column: usize) -> Option<String> {
    let text = source.split('\n').nth(line.checked_sub(1)?)?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let skip = column.checked_sub(1)?;
    (skip <= text.chars().count()).then(|| text.chars().skip(skip).collect())
}

/// How one run of `limitkb check` ended.
struct Run {
    code: Option<i32>,
    diagnostics: Result<Vec<Reported>, String>,
}

fn run(folder: &str, case: &Case, strict: bool) -> Run {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut command = Command::new(BIN);
    command
        .arg("check")
        .arg("--data")
        .arg(&data)
        .args(["--kb", &case.kb]);
    if let Some(region) = &case.region {
        command.args(["--region", region]);
    }
    for var_file in &case.var_files {
        command.args(["--var-file", var_file]);
    }
    if strict {
        command.arg("--strict");
    }
    command
        .args(["--format", "json", &case.file])
        .current_dir(fixtures(folder));
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let diagnostics = serde_json::from_str::<Vec<Reported>>(&stdout).map_err(|e| {
        format!(
            "the output is not a JSON array of diagnostics ({e}); exit code {:?}\n      stdout: {}\n      stderr: {}",
            output.status.code(),
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        )
    });
    Run {
        code: output.status.code(),
        diagnostics,
    }
}

/// The command line of a case, for the report.
fn command_line(case: &Case) -> String {
    let region = case
        .region
        .as_deref()
        .map(|r| format!(" --region {r}"))
        .unwrap_or_default();
    let var_files: String = case
        .var_files
        .iter()
        .map(|f| format!(" --var-file {f}"))
        .collect();
    format!(
        "limitkb check --kb {}{region}{var_files} --format json {}",
        case.kb, case.file
    )
}

/// Checks one case; returns what is wrong with it, empty if nothing.
fn check_case(folder: &str, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    // The text of a file of the case (the case's own, or one of its directory's).
    let source = |file: &str| fs::read_to_string(fixtures(folder).join(file)).ok();
    if !fixtures(folder).join(&case.file).exists() {
        return vec![format!("the fixture {} does not exist", case.file)];
    }
    // The manifest itself: each expected text stands where it says.
    for expect in case.expect.iter().filter(|e| e.line.is_some()) {
        let (file, line, column, ..) = expect.key(case);
        let found = source(&file).and_then(|s| text_at(&s, line, column));
        if !found
            .as_deref()
            .is_some_and(|t| t.starts_with(&expect.text))
        {
            problems.push(format!(
                "manifest: {} expects `{}`, but the file has {:?} there",
                shown_key(&expect.key(case)),
                expect.text,
                found
            ));
        }
    }
    let outcome = run(folder, case, false);
    let reported = match outcome.diagnostics {
        Ok(reported) => reported,
        Err(e) => {
            problems.push(e);
            return problems;
        }
    };
    for d in &reported {
        let within = d.file == case.file
            || d.file
                .strip_prefix(case.file.trim_end_matches('/'))
                .is_some_and(|rest| rest.starts_with('/'))
            || case.var_files.contains(&d.file);
        if !within {
            problems.push(format!(
                "a diagnostic names the file `{}`, not `{}` or a file of it: {}",
                d.file,
                case.file,
                d.shown()
            ));
        }
    }
    // The same diagnostics, as a multiset.
    let mut expected: BTreeMap<Key, usize> = BTreeMap::new();
    for e in &case.expect {
        *expected.entry(e.key(case)).or_default() += 1;
    }
    let mut got: BTreeMap<Key, usize> = BTreeMap::new();
    for d in &reported {
        *got.entry(d.key()).or_default() += 1;
    }
    let keys: BTreeSet<&Key> = expected.keys().chain(got.keys()).collect();
    for key in keys {
        let (want, have) = (
            expected.get(key).copied().unwrap_or(0),
            got.get(key).copied().unwrap_or(0),
        );
        if have < want {
            let text = case
                .expect
                .iter()
                .find(|e| &e.key(case) == key)
                .map(|e| e.text.as_str())
                .unwrap_or_default();
            problems.push(format!(
                "missing {}x {} at `{text}`",
                want - have,
                shown_key(key)
            ));
        }
        if have > want {
            for d in reported.iter().filter(|d| &d.key() == key).skip(want) {
                let text = match (d.line, d.column) {
                    (Some(line), Some(column)) => {
                        source(&d.file).and_then(|s| text_at(&s, line, column))
                    }
                    _ => None,
                };
                problems.push(format!(
                    "unexpected {} (the text there: {:?})",
                    d.shown(),
                    text.map(|t| t.chars().take(60).collect::<String>())
                ));
            }
        }
    }
    // Every diagnostic reported points at the text the manifest names for it.
    for d in &reported {
        let Some(expect) = case.expect.iter().find(|e| e.key(case) == d.key()) else {
            continue;
        };
        if let Some(address) = &expect.address
            && d.address.as_ref() != Some(address)
        {
            problems.push(format!(
                "{} names the address {:?}, not `{address}`",
                d.shown(),
                d.address
            ));
        }
        let (Some(line), Some(column)) = (d.line, d.column) else {
            continue;
        };
        let found = source(&d.file).and_then(|s| text_at(&s, line, column));
        if !found
            .as_deref()
            .is_some_and(|t| t.starts_with(&expect.text))
        {
            problems.push(format!(
                "{} points at {found:?}, not at `{}`",
                d.shown(),
                expect.text
            ));
        }
    }
    // The parts of messages the manifest names.
    for expect in &case.expect {
        let Some(part) = &expect.message else {
            continue;
        };
        let same: Vec<&Reported> = reported
            .iter()
            .filter(|d| d.key() == expect.key(case))
            .collect();
        if !same.is_empty() && !same.iter().any(|d| d.message.contains(part.as_str())) {
            problems.push(format!(
                "{} does not say `{part}`: {}",
                shown_key(&expect.key(case)),
                same.iter()
                    .map(|d| d.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
    }
    // The exit code: 1 with any error, else 0; with --strict, 1 with any diagnostic.
    let any_error = case.expect.iter().any(|e| e.severity == "error");
    let want = case.exit.unwrap_or(i32::from(any_error));
    if outcome.code != Some(want) {
        problems.push(format!("exit code {:?}, expected {want}", outcome.code));
    }
    if case.strict {
        let want = case.exit.unwrap_or(i32::from(!case.expect.is_empty()));
        let strict = run(folder, case, true);
        if strict.code != Some(want) {
            problems.push(format!(
                "with --strict: exit code {:?}, expected {want}",
                strict.code
            ));
        }
    }
    problems
}

/// Checks every case of `folder`'s manifest and fails with all that is wrong.
fn check_folder(folder: &str) {
    let cases = manifest(folder);
    let mut failures = Vec::new();
    for case in &cases {
        let problems = check_case(folder, case);
        if !problems.is_empty() {
            let why = case
                .why
                .as_deref()
                .map(|w| format!("\n    (why: {w})"))
                .unwrap_or_default();
            failures.push(format!(
                "{}{why}\n    {}",
                command_line(case),
                problems.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} case(s) in tests/fixtures/{folder} fail:\n\n{}\n",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn cloudformation_templates_give_exactly_their_diagnostics() {
    check_folder("cloudformation");
}

#[test]
fn rds_api_requests_give_exactly_their_diagnostics() {
    check_folder("rds-api");
}

#[test]
fn terraform_configurations_and_plans_give_exactly_their_diagnostics() {
    check_folder("terraform");
}

/// The fixture files of `folder`, `<kb>/<name>`, sorted.
fn fixture_files(folder: &str) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for kb in KBS {
        let dir = fixtures(folder).join(kb);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let name = entry.expect("a directory entry").file_name();
            files.insert(format!("{kb}/{}", name.to_string_lossy()));
        }
    }
    files
}

#[test]
fn the_manifests_cover_every_fixture_and_enough_of_them() {
    let mut problems = Vec::new();
    let mut listed_by_folder = BTreeMap::new();
    for folder in ["cloudformation", "rds-api"] {
        let cases = manifest(folder);
        let listed: BTreeSet<String> = cases.iter().map(|c| c.file.clone()).collect();
        let on_disk = fixture_files(folder);
        for file in on_disk.difference(&listed) {
            problems.push(format!("{folder}/{file} is in no case of the manifest"));
        }
        for file in listed.difference(&on_disk) {
            problems.push(format!(
                "{folder}/{file} is in the manifest but not on disk"
            ));
        }
        for case in &cases {
            if !case.file.starts_with(&format!("{}/", case.kb)) {
                problems.push(format!(
                    "{folder}/{} is checked with --kb {} but is not in its folder",
                    case.file, case.kb
                ));
            }
        }
        listed_by_folder.insert(folder, on_disk);
    }
    let count = |folder: &str, kb: &str, ext: &str| {
        listed_by_folder[folder]
            .iter()
            .filter(|f| f.starts_with(&format!("{kb}/")) && f.ends_with(ext))
            .count()
    };
    let templates = listed_by_folder["cloudformation"].len();
    if templates < 40 {
        problems.push(format!(
            "{templates} CloudFormation templates, at least 40 wanted"
        ));
    }
    for (kb, least) in [(KBS[0], 30), (KBS[1], 10)] {
        let (yaml, json) = (
            count("cloudformation", kb, ".yaml"),
            count("cloudformation", kb, ".json"),
        );
        if yaml + json < least {
            problems.push(format!(
                "{kb}: {} templates, at least {least} wanted",
                yaml + json
            ));
        }
        if yaml == 0 || json == 0 {
            problems.push(format!(
                "{kb}: {yaml} YAML and {json} JSON templates, both wanted"
            ));
        }
    }
    let requests = listed_by_folder["rds-api"].len();
    if requests < 10 {
        problems.push(format!("{requests} RDS API requests, at least 10 wanted"));
    }
    let strict_with_notes_only = ["cloudformation", "rds-api"].iter().any(|folder| {
        manifest(folder).iter().any(|c| {
            c.strict && !c.expect.is_empty() && c.expect.iter().all(|e| e.severity == "note")
        })
    });
    if !strict_with_notes_only {
        problems.push("no case runs --strict on a file with notes only".to_string());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_terraform_manifest_covers_every_configuration_and_plan_and_enough_of_them() {
    let cases = manifest("terraform");
    let listed: BTreeSet<String> = cases
        .iter()
        .map(|c| c.file.trim_end_matches('/').to_string())
        .collect();
    let mut problems = Vec::new();
    let (mut configurations, mut plans) = (BTreeMap::new(), BTreeMap::new());
    for kb in KBS {
        let mut on_disk = BTreeSet::new();
        for entry in fs::read_dir(fixtures("terraform").join(kb))
            .into_iter()
            .flatten()
        {
            let name = entry.expect("a directory entry").file_name();
            let name = name.to_string_lossy();
            if name == "plans" {
                for plan in fs::read_dir(fixtures("terraform").join(kb).join("plans"))
                    .into_iter()
                    .flatten()
                {
                    let plan = plan.expect("a directory entry").file_name();
                    on_disk.insert(format!("{kb}/plans/{}", plan.to_string_lossy()));
                    *plans.entry(kb).or_insert(0) += 1;
                }
            } else {
                on_disk.insert(format!("{kb}/{name}"));
                *configurations.entry(kb).or_insert(0) += 1;
            }
        }
        for file in &on_disk {
            if !listed.contains(file) {
                problems.push(format!("terraform/{file} is in no case of the manifest"));
            }
        }
    }
    let total = |counts: &BTreeMap<&str, usize>| counts.values().sum::<usize>();
    if total(&configurations) < 30 || configurations.len() < 2 {
        problems.push(format!(
            "configurations per knowledge base: {configurations:?}; at least 30 in all, for both, wanted"
        ));
    }
    if total(&plans) < 10 || plans.len() < 2 {
        problems.push(format!(
            "plans per knowledge base: {plans:?}; at least 10 in all, for both, wanted"
        ));
    }
    if !cases.iter().any(|c| !c.var_files.is_empty()) {
        problems.push("no case gives --var-file".to_string());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
