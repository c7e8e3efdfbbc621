//! `limitkb check`, run as the real binary on the fixture corpus (`tests/fixtures/cluster/`,
//! labelled by its `manifest.toml`): exit codes, limitation ids, structural pointers and
//! positions, one file at a time and all at once; the text format; and a knowledge base
//! extended with a new parameter and limitation, with no code change.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::cluster_fixtures::{Case, FIXTURES, manifest};
use support::files::file_names;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// The files of the fixture folder that are not fixtures.
const NOT_FIXTURES: &[&str] = &["manifest.toml", "README.md"];

fn fixture_files() -> BTreeSet<String> {
    file_names(Path::new(FIXTURES))
        .into_iter()
        .filter(|name| !NOT_FIXTURES.contains(&name.as_str()))
        .collect()
}

/// Runs `limitkb check --format json` on `files` (names relative to the fixture folder, so
/// diagnostics name them exactly so) against the repository's data.
fn check_json(dir: &Path, data: &Path, files: &[&str]) -> (i32, Vec<Value>, Output) {
    let output = Command::new(BIN)
        .args(["check", "--format", "json", "--data"])
        .arg(data)
        .args(files)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let diagnostics: Vec<Value> = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "`limitkb check --format json {files:?}` did not print a JSON array ({e}):\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("limitkb was killed by a signal: {:?}", output.status));
    (code, diagnostics, output)
}

/// The preview knowledge base, whose specs the fixtures are.
fn repo_data() -> PathBuf {
    support::data_of(support::PREVIEW)
}

/// What `limitkb check` reported for one file, in the terms of the manifest.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    limitations: Vec<String>,
    structural: Vec<String>,
}

fn outcome<'a>(diagnostics: impl IntoIterator<Item = &'a Value>) -> Outcome {
    let mut limitations = BTreeSet::new();
    let mut structural = BTreeSet::new();
    for d in diagnostics {
        match &d["limitation"] {
            Value::String(id) => {
                limitations.insert(id.clone());
            }
            Value::Null => {
                structural.insert(d["path"].as_str().expect("path is a string").to_string());
            }
            other => panic!("`limitation` is neither a string nor null: {other} in {d}"),
        }
    }
    Outcome {
        limitations: limitations.into_iter().collect(),
        structural: structural.into_iter().collect(),
    }
}

/// The problems with `diagnostics` of `case`'s file, checked alone with exit code `code`.
fn mismatches(case: &Case, code: i32, diagnostics: &[&Value]) -> Vec<String> {
    let mut problems = Vec::new();
    if code != case.exit_code() {
        problems.push(format!("exit code {code}, expected {}", case.exit_code()));
    }
    for d in diagnostics {
        if d["file"] != case.file.as_str() {
            problems.push(format!("a diagnostic names another file: {d}"));
        }
        if !d["line"].is_u64() || !d["column"].is_u64() {
            problems.push(format!("a diagnostic has no line and column: {d}"));
        }
    }
    if case.unparseable {
        let [d] = diagnostics else {
            problems.push(format!(
                "an unparseable file must give exactly one diagnostic, got {}",
                diagnostics.len()
            ));
            return problems;
        };
        if !d["limitation"].is_null() || d["path"] != "" {
            problems.push(format!(
                "a syntax error is not about a limitation or a key: {d}"
            ));
        }
        return problems;
    }
    let actual = outcome(diagnostics.iter().copied());
    let expected = Outcome {
        limitations: case.limitations.clone(),
        structural: case.structural.clone(),
    };
    if actual != expected {
        problems.push(format!("reported {actual:?}, expected {expected:?}"));
    }
    problems.extend(misplaced(&case.file, diagnostics));
    problems
}

/// Diagnostics whose line:column is not where the value (or unknown key) they are about is
/// written in the file.
fn misplaced(file: &str, diagnostics: &[&Value]) -> Vec<String> {
    let text = fs::read_to_string(Path::new(FIXTURES).join(file)).expect("readable fixture");
    let parsed: Value = if file.ends_with(".json") {
        serde_json::from_str(&text).expect("parseable JSON fixture")
    } else {
        toml::from_str(&text).expect("parseable TOML fixture")
    };
    let mut problems = Vec::new();
    for d in diagnostics {
        let (Some(line), Some(column)) = (d["line"].as_u64(), d["column"].as_u64()) else {
            continue; // reported above
        };
        let rest: String = text
            .lines()
            .nth(line as usize - 1)
            .unwrap_or_default()
            .chars()
            .skip(column as usize - 1)
            .collect();
        let pointer = d["path"].as_str().unwrap_or_default();
        let key = pointer
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~");
        let at_value = match parsed.pointer(pointer) {
            Some(Value::Array(_)) => rest.starts_with('['),
            Some(Value::Object(_)) => rest.starts_with('{') || rest.starts_with(&key),
            Some(scalar) => rest.starts_with(&scalar.to_string()),
            None => false,
        };
        let at_key =
            !key.is_empty() && (rest.starts_with(&key) || rest.starts_with(&format!("\"{key}\"")));
        if !at_value && !at_key {
            problems.push(format!(
                "{file}:{line}:{column} does not point at {pointer:?} (the text there is {rest:?}): {d}"
            ));
        }
    }
    problems
}

#[test]
fn the_manifest_and_the_fixture_folder_list_the_same_files() {
    let cases = manifest();
    let mut listed = BTreeSet::new();
    for case in &cases {
        assert!(
            listed.insert(case.file.clone()),
            "{} has more than one [[case]] in manifest.toml",
            case.file
        );
    }
    let files = fixture_files();
    let missing: Vec<_> = listed.difference(&files).collect();
    let unlisted: Vec<_> = files.difference(&listed).collect();
    assert!(
        missing.is_empty() && unlisted.is_empty(),
        "manifest.toml and {FIXTURES} disagree:\n  listed but no such file: {missing:?}\n  \
         files without a [[case]]: {unlisted:?}"
    );
    assert!(
        files.len() >= 40,
        "the corpus has {} fixtures; it must keep at least 40",
        files.len()
    );
}

#[test]
fn every_manifest_case_has_exactly_one_well_formed_outcome() {
    for case in manifest() {
        let outcomes = [
            case.valid,
            !case.limitations.is_empty() || !case.structural.is_empty(),
            case.unparseable,
        ];
        assert_eq!(
            outcomes.iter().filter(|o| **o).count(),
            1,
            "{}: a case has exactly one of valid = true, limitations/structural, unparseable = true",
            case.file
        );
        for (name, list) in [
            ("limitations", &case.limitations),
            ("structural", &case.structural),
        ] {
            let normalized: Vec<String> = list
                .iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(
                list, &normalized,
                "{}: `{name}` must be sorted and distinct",
                case.file
            );
        }
        assert!(
            case.schema_decides || !case.limitations.is_empty(),
            "{}: schema_decides = false only makes sense for a file that breaks a limitation",
            case.file
        );
    }
}

#[test]
fn every_fixture_alone_gives_the_manifest_outcome() {
    let cases = manifest();
    let mut failures = Vec::new();
    for case in &cases {
        let (code, diagnostics, output) =
            check_json(Path::new(FIXTURES), &repo_data(), &[&case.file]);
        let problems = mismatches(case, code, &diagnostics.iter().collect::<Vec<_>>());
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n    {}\n    stderr: {}\n    diagnostics: {}",
                case.file,
                problems.join("\n    "),
                String::from_utf8_lossy(&output.stderr).trim(),
                serde_json::to_string(&diagnostics).unwrap()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures do not give the outcome manifest.toml expects:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn all_fixtures_at_once_are_all_reported() {
    let cases = manifest();
    let files: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    let (code, diagnostics, _) = check_json(Path::new(FIXTURES), &repo_data(), &files);
    assert_eq!(
        code, 2,
        "with unparseable files among them, `check` on all fixtures must exit 2"
    );
    let mut by_file: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for d in &diagnostics {
        let file = d["file"].as_str().expect("file is a string");
        by_file.entry(file).or_default().push(d);
    }
    let mut failures = Vec::new();
    for case in &cases {
        let mine = by_file.remove(case.file.as_str()).unwrap_or_default();
        // Within a batch the exit code is the batch's; judge each file by its diagnostics.
        let code = case.exit_code();
        let problems = mismatches(case, code, &mine);
        if case.valid != mine.is_empty() {
            failures.push(format!(
                "{}: {} diagnostic(s) in the batch run, valid = {}",
                case.file,
                mine.len(),
                case.valid
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.file, problems.join("; ")));
        }
    }
    assert!(
        by_file.is_empty(),
        "diagnostics name files that were not checked: {:?}",
        by_file.keys()
    );
    assert!(
        failures.is_empty(),
        "checking all {} fixtures at once:\n{}",
        cases.len(),
        failures.join("\n")
    );

    // Without the unparseable files the batch exits 1, and with only valid files 0.
    let parseable: Vec<&str> = cases
        .iter()
        .filter(|c| !c.unparseable)
        .map(|c| c.file.as_str())
        .collect();
    let (code, _, _) = check_json(Path::new(FIXTURES), &repo_data(), &parseable);
    assert_eq!(code, 1, "check on every parseable fixture must exit 1");
    let valid: Vec<&str> = cases
        .iter()
        .filter(|c| c.valid)
        .map(|c| c.file.as_str())
        .collect();
    let (code, diagnostics, _) = check_json(Path::new(FIXTURES), &repo_data(), &valid);
    assert_eq!(
        (code, diagnostics.len()),
        (0, 0),
        "check on the {} valid fixtures must exit 0 with no diagnostics: {diagnostics:?}",
        valid.len()
    );
}

/// The JSON bundle of the preview knowledge base.
fn bundle() -> Value {
    let path = support::generated_of(support::PREVIEW).join("json/limitations.json");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn bundle_limitation<'a>(bundle: &'a Value, id: &str) -> &'a Value {
    bundle["limitations"]
        .as_array()
        .expect("`limitations` is an array")
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("no limitation {id} in the preview's bundle"))
}

#[test]
fn every_limitation_with_a_constraint_is_covered_by_a_fixture() {
    let bundle = bundle();
    let constrained: BTreeSet<&str> = bundle["limitations"]
        .as_array()
        .expect("`limitations` is an array")
        .iter()
        .filter(|l| l["constraints"].as_array().is_some_and(|c| !c.is_empty()))
        .map(|l| l["id"].as_str().expect("id is a string"))
        .collect();
    assert!(
        !constrained.is_empty(),
        "the knowledge base has no limitation with a constraint: is the bundle right?"
    );
    let covered: BTreeSet<String> = manifest().into_iter().flat_map(|c| c.limitations).collect();
    let uncovered: Vec<&&str> = constrained
        .iter()
        .filter(|id| !covered.contains(**id))
        .collect();
    assert!(
        uncovered.is_empty(),
        "no fixture breaks these limitations; add one to tests/fixtures/cluster/: {uncovered:?}"
    );
    let unknown: Vec<&String> = covered
        .iter()
        .filter(|id| !constrained.contains(id.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "manifest.toml names limitations that have no constraint in the knowledge base: {unknown:?}"
    );
}

/// Runs `limitkb check --format short` (one line per problem) on `file` in `dir`.
fn check_short(dir: &Path, data: &Path, file: &str) -> (i32, String) {
    check_in_format(dir, data, file, "short")
}

/// Runs `limitkb check --format FORMAT` on `file` in `dir`.
fn check_in_format(dir: &Path, data: &Path, file: &str, format: &str) -> (i32, String) {
    let output = Command::new(BIN)
        .args(["check", "--format", format, "--data"])
        .arg(data)
        .arg(file)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    (
        output.status.code().expect("limitkb exited"),
        String::from_utf8(output.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn a_violation_reads_file_line_column_field_value_requirement_summary_and_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("cluster.toml"),
        "# a planned cluster\nport = 5432\n",
    )
    .unwrap();
    let (code, stdout) = check_short(dir.path(), &repo_data(), "cluster.toml");
    let bundle = bundle();
    let limitation = bundle_limitation(&bundle, "port-3306-only");
    let summary = limitation["summary"].as_str().expect("summary");
    let words = limitation["constraints"][0]["words"]
        .as_str()
        .expect("constraint words");
    let expected = format!(
        "cluster.toml:2:8: port: port = 5432 is not allowed: it must be {words}. {summary} [port-3306-only]"
    );
    assert_eq!(code, 1, "a violation exits 1; output:\n{stdout}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [expected.as_str(), "1 problem(s) in 1 of 1 file(s)"],
        "the short format of a violation"
    );
}

/// The default text format shows each problem as rustc does: a headline with the limitation,
/// the file and position, the source line with a caret under the value, and the limitation's
/// summary as a note.
#[test]
fn the_text_format_shows_the_source_line_with_a_caret_under_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("cluster.toml"),
        "# a planned cluster\nport = 5432\nprot = 1\n",
    )
    .unwrap();
    let (code, stdout) = check_in_format(dir.path(), &repo_data(), "cluster.toml", "text");
    let bundle = bundle();
    let summary = bundle_limitation(&bundle, "port-3306-only")["summary"]
        .as_str()
        .expect("summary");
    assert_eq!(code, 1, "output:\n{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let headline = lines
        .iter()
        .position(|l| l.starts_with("error: port = 5432 is not allowed"))
        .unwrap_or_else(|| panic!("no headline for the port:\n{stdout}"));
    assert!(lines[headline].ends_with("[port-3306-only]"), "{stdout}");
    assert!(
        lines[headline + 1].ends_with("--> cluster.toml:2:8"),
        "{stdout}"
    );
    let source = lines[headline..]
        .iter()
        .position(|l| l.ends_with("| port = 5432"))
        .map(|i| headline + i)
        .unwrap_or_else(|| panic!("no source line:\n{stdout}"));
    let value_at = lines[source].find("5432").expect("the value");
    assert_eq!(
        &lines[source + 1][value_at..value_at + 4],
        "^^^^",
        "a caret under the value:\n{stdout}"
    );
    assert!(
        lines[source + 1..]
            .iter()
            .any(|l| l.trim_start().starts_with("= note: ") && l.ends_with(summary)),
        "the summary as a note:\n{stdout}"
    );
    let unknown = lines
        .iter()
        .position(|l| *l == "error: unknown key `prot`")
        .unwrap_or_else(|| panic!("no headline for the unknown key:\n{stdout}"));
    assert!(
        lines[unknown..]
            .iter()
            .any(|l| l.trim_start() == "= help: did you mean `port`?"),
        "the suggestion as help:\n{stdout}"
    );
    assert_eq!(lines.last(), Some(&"2 problem(s) in 1 of 1 file(s)"));
}

#[test]
fn an_unsupported_feature_reads_as_a_sentence() {
    let (code, stdout) = check_short(Path::new(FIXTURES), &repo_data(), "feature-rds-proxy.json");
    let bundle = bundle();
    let summary = bundle_limitation(&bundle, "unsupported-rds-proxy")["summary"]
        .as_str()
        .expect("summary");
    let name = bundle["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["id"] == "rds_proxy")
        .and_then(|f| f["name"].as_str())
        .expect("the rds_proxy feature has a name");
    assert_eq!(code, 1, "output:\n{stdout}");
    let first = stdout.lines().next().unwrap_or_default();
    let expected_end = format!(
        "features.rds_proxy: features.rds_proxy = true is not allowed: it must be false ({name} is not supported). {summary} [unsupported-rds-proxy]"
    );
    assert!(
        first.starts_with("feature-rds-proxy.json:") && first.ends_with(&expected_end),
        "got:      {first}\nexpected: feature-rds-proxy.json:LINE:COL: {expected_end}"
    );
}

#[test]
fn a_near_miss_of_a_known_key_gets_a_did_you_mean() {
    for (file, position, unknown, known) in [
        ("unknown-field-prot.toml", "3:1", "prot", "port"),
        ("unknown-field-capcity.toml", "3:2", "capcity", "capacity"),
        (
            "unknown-field-rds-proxi.toml",
            "4:1",
            "rds_proxi",
            "rds_proxy",
        ),
    ] {
        let (code, stdout) = check_short(Path::new(FIXTURES), &repo_data(), file);
        assert_eq!(code, 1, "{file}: output:\n{stdout}");
        let first = stdout.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("{file}:{position}: "))
                && first.ends_with(&format!("unknown key `{unknown}`; did you mean `{known}`?")),
            "{file}: expected a \"did you mean `{known}`?\" at {position}, got: {first}"
        );
    }
    // A key near nothing lists the keys allowed instead.
    let (_, stdout) = check_short(
        Path::new(FIXTURES),
        &repo_data(),
        "unknown-field-in-capacity-colour.toml",
    );
    assert!(
        stdout.contains("unknown key `colour`; the keys allowed here are: max_acu, min_acu"),
        "got: {stdout}"
    );
}

#[test]
fn min_above_max_is_caught_when_a_bound_is_written_as_an_integral_float() {
    // The schema accepts 8.0 as an integer (draft-07: a number without a fraction), so the
    // rule beyond the schema must too.
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("cluster.json"),
        r#"{"capacity": {"min_acu": 16, "max_acu": 8.0}}"#,
    )
    .unwrap();
    let (code, diagnostics, _) = check_json(dir.path(), &repo_data(), &["cluster.json"]);
    assert_eq!(code, 1, "diagnostics: {diagnostics:?}");
    assert_eq!(
        outcome(&diagnostics),
        Outcome {
            limitations: vec!["capacity-range".into()],
            structural: vec![],
        },
        "diagnostics: {diagnostics:?}"
    );
    assert_eq!(diagnostics[0]["path"], "/capacity/min_acu");
}

#[test]
fn a_long_value_is_quoted_shortened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "x".repeat(5000);
    let root: Vec<String> = (0..500).map(|i| format!("{{\"n\": {i}}}")).collect();
    fs::write(
        dir.path().join("array.json"),
        format!("[{}]", root.join(",")),
    )
    .unwrap();
    fs::write(
        dir.path().join("region.toml"),
        format!("region = \"{long}\"\n"),
    )
    .unwrap();
    for (file, expected) in [
        (
            "array.json",
            Outcome {
                limitations: vec![],
                structural: vec!["".into()],
            },
        ),
        (
            "region.toml",
            Outcome {
                limitations: vec!["preview-environment-only".into()],
                structural: vec![],
            },
        ),
    ] {
        let (code, diagnostics, _) = check_json(dir.path(), &repo_data(), &[file]);
        assert_eq!(code, 1, "{file}");
        assert_eq!(outcome(&diagnostics), expected, "{file}");
        let message = diagnostics[0]["message"].as_str().expect("message");
        assert!(
            message.chars().count() < 600 && message.contains('…'),
            "{file}: a value of thousands of characters must be shortened in the message, \
             got {} characters: {message:.200}",
            message.chars().count()
        );
    }
}

/// Copies the directory tree `from` to `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in
        fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()))
    {
        let entry = entry.expect("readable directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|e| {
                panic!(
                    "cannot copy {} to {}: {e}",
                    entry.path().display(),
                    target.display()
                )
            });
        }
    }
}

fn append(path: &Path, text: &str) {
    let mut content =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    content.push_str(text);
    fs::write(path, content).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

#[test]
fn a_new_parameter_and_limitation_in_the_data_are_checked_with_no_code_change() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    copy_tree(&repo_data(), &data);

    let quote = "Automated backups of a cluster are kept for 1 to 35 days.";
    append(
        &data.join("kb.toml"),
        r#"
[[parameter]]
id = "backup_retention_days"
title = "Backup retention period"
description = "How many days automated backups of the cluster are kept."
type = "integer"
unit = "days"
example = 7
"#,
    );
    let summary = "Automated backups are kept for at least 1 and at most 35 days.";
    append(
        &data.join("limitations/capacity.toml"),
        &format!(
            r#"
[[limitation]]
id = "backup-retention-1-to-35-days"
title = "Backups kept from 1 to 35 days"
summary = "{summary}"
constraint = [{{ kind = "range", parameter = "backup_retention_days", min = 1, max = 35 }}]
source = {{ quote = "{quote}" }}
"#
        ),
    );
    // Quotes are checked against the copy of the source document: extend that copy too.
    let bundle = bundle();
    let copy = bundle["kb"]["source"]["copy"]
        .as_str()
        .expect("the knowledge base names its source copy");
    append(&data.join(copy), &format!("\n{quote}\n"));

    let validate = Command::new(BIN)
        .args(["validate", "--data"])
        .arg(&data)
        .output()
        .expect("run limitkb validate");
    assert!(
        validate.status.success(),
        "the extended data does not validate:\n{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );

    let specs = tmp.path();
    fs::write(
        specs.join("breaks.toml"),
        "port = 3306\nbackup_retention_days = 90\n",
    )
    .unwrap();
    fs::write(
        specs.join("respects.toml"),
        "port = 3306\nbackup_retention_days = 7\n",
    )
    .unwrap();

    let (code, diagnostics, _) = check_json(specs, &data, &["breaks.toml"]);
    assert_eq!(code, 1, "diagnostics: {diagnostics:?}");
    assert_eq!(
        outcome(&diagnostics),
        Outcome {
            limitations: vec!["backup-retention-1-to-35-days".into()],
            structural: vec![],
        },
        "diagnostics: {diagnostics:?}"
    );
    let d = &diagnostics[0];
    assert_eq!(
        (&d["path"], &d["line"], &d["column"]),
        (
            &Value::from("/backup_retention_days"),
            &Value::from(2),
            &Value::from(25)
        ),
        "the violation is located at the value: {d}"
    );
    let message = d["message"].as_str().expect("message");
    assert!(
        message.contains("backup_retention_days = 90 is not allowed")
            && message.contains("1 days to 35 days")
            && message.ends_with(summary),
        "the message names the value, the range and the new limitation's summary: {message}"
    );

    let (code, diagnostics, _) = check_json(specs, &data, &["respects.toml"]);
    assert_eq!(
        (code, diagnostics.len()),
        (0, 0),
        "a spec within the new limitation passes: {diagnostics:?}"
    );

    // The repository's own data knows nothing of the new parameter: the same spec is an
    // unknown key there, which shows the check above came from the data alone.
    let (code, diagnostics, _) = check_json(specs, &repo_data(), &["respects.toml"]);
    assert_eq!(code, 1, "diagnostics: {diagnostics:?}");
    assert_eq!(
        outcome(&diagnostics).structural,
        ["/backup_retention_days"],
        "diagnostics: {diagnostics:?}"
    );
}
