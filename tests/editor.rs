//! Editor integration: `.taplo.toml` associates the data files and the example cluster specs
//! with the generated schemas, so Taplo (the `taplo` CLI, and the Even Better TOML extension
//! that embeds it) validates them; `.vscode/settings.json` does the same for JSON cluster specs
//! in VS Code. The examples under `examples/` name their schema themselves (`#:schema`,
//! `"$schema"`), and `limitkb check` gives the same verdict on them as the editor.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::files::file_names;
use support::tools;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `taplo lint` on `files` with `cwd` as the working directory: taplo reads `.taplo.toml`
/// only from there, and resolves the schema paths in it from there.
fn taplo_lint(cwd: &Path, files: &[&str]) -> Output {
    tools::run(
        Command::new(tools::node_bin("taplo"))
            .args(["lint", "--colors", "never"])
            .args(files)
            .current_dir(cwd),
    )
}

/// Everything taplo printed (its diagnostics go to stderr).
fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The data files of every knowledge base, relative to the repository root: its `kb.toml` and
/// every category file.
fn data_files() -> Vec<String> {
    let mut files = Vec::new();
    for kb in support::KBS {
        files.push(format!("data/{kb}/kb.toml"));
        let dir = root().join(format!("data/{kb}/limitations"));
        let mut categories: Vec<String> = file_names(&dir)
            .into_iter()
            .filter(|name| name.ends_with(".toml"))
            .map(|name| format!("data/{kb}/limitations/{name}"))
            .collect();
        assert!(
            !categories.is_empty(),
            "no category files in {}",
            dir.display()
        );
        categories.sort();
        files.extend(categories);
    }
    files
}

/// The cluster schema of the preview knowledge base, whose specs the examples are, relative to
/// the repository root.
fn preview_cluster_schema() -> String {
    format!("generated/{}/schema/cluster.schema.json", support::PREVIEW)
}

#[test]
fn taplo_accepts_the_data_files_and_the_valid_example() {
    let mut files = data_files();
    files.push("examples/cluster-valid.toml".into());
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let output = taplo_lint(root(), &files);
    assert!(
        output.status.success(),
        "taplo lint {files:?} failed:\n{}",
        printed(&output)
    );
}

/// Runs `limitkb check --format json` on `file` (relative to the repository root).
fn check_json(file: &str) -> (i32, Vec<Value>) {
    let output = Command::new(BIN)
        .args(["check", "--format", "json", file])
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let diagnostics = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "limitkb check {file} did not print JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("limitkb exited"), diagnostics)
}

#[test]
fn taplo_rejects_the_broken_example_at_the_values_limitkb_reports() {
    let file = "examples/cluster-broken.toml";
    let output = taplo_lint(root(), &[file]);
    let text = printed(&output);
    assert!(
        !output.status.success(),
        "taplo lint accepted {file}:\n{text}"
    );
    // Taplo quotes each bad value in its source line and says what was expected.
    for expected in [
        r#"region = "eu-west-1""#,
        r#""us-east-1" was expected"#,
        r#""use1-az3" is not one of ["use1-az2","use1-az4","use1-az6"]"#,
        "port = 5432",
        "3306 was expected",
        "min_acu = 2",
        "2 is less than the minimum of 4",
        "rds_proxy = true",
        "false was expected",
    ] {
        assert!(
            text.contains(expected),
            "taplo's output on {file} does not contain {expected:?}:\n{text}"
        );
    }
    // The editor and `limitkb check` point at the same places.
    let (_, diagnostics) = check_json(file);
    let limitkb: BTreeSet<String> = diagnostics
        .iter()
        .map(|d| format!("{}:{}", d["line"], d["column"]))
        .collect();
    let marker = format!("{file}:");
    let taplo: BTreeSet<String> = text
        .lines()
        .filter(|line| line.trim_start().starts_with('┌'))
        .filter_map(|line| {
            line.split_once(&marker)
                .map(|(_, at)| at.trim().to_string())
        })
        .collect();
    assert_eq!(
        taplo, limitkb,
        "taplo (left) and limitkb check (right) report different line:column sets for {file}:\n{text}"
    );
}

#[test]
fn limitkb_check_passes_the_valid_examples_and_names_the_broken_ones_limitations() {
    for file in ["examples/cluster-valid.toml", "examples/cluster-valid.json"] {
        let (code, diagnostics) = check_json(file);
        assert_eq!(
            (code, diagnostics.len()),
            (0, 0),
            "{file} must pass: {diagnostics:#?}"
        );
    }
    for (file, expected) in [
        (
            "examples/cluster-broken.toml",
            &[
                "availability-zone-ids",
                "capacity-range",
                "port-3306-only",
                "preview-environment-only",
                "unsupported-rds-proxy",
            ][..],
        ),
        (
            "examples/cluster-broken.json",
            &[
                "aurora-mysql-2-07-only",
                "capacity-range",
                "console-only",
                "no-public-ip",
                "unsupported-backtracking",
            ][..],
        ),
    ] {
        let (code, diagnostics) = check_json(file);
        let ids: BTreeSet<&str> = diagnostics
            .iter()
            .map(|d| {
                d["limitation"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{file}: a problem that is not a limitation: {d}"))
            })
            .collect();
        assert_eq!(code, 1, "{file}: {diagnostics:#?}");
        assert_eq!(
            ids,
            expected.iter().copied().collect(),
            "{file}: the limitations reported"
        );
    }
}

/// The schema a file names: the `#:schema` line of a TOML file, the `"$schema"` key of JSON.
fn named_schema(file: &str) -> String {
    let text = fs::read_to_string(root().join(file)).expect("readable example");
    if file.ends_with(".json") {
        let value: Value = serde_json::from_str(&text).expect("JSON example");
        value["$schema"]
            .as_str()
            .unwrap_or_else(|| panic!("{file} has no \"$schema\" key"))
            .to_string()
    } else {
        text.lines()
            .next()
            .and_then(|line| line.strip_prefix("#:schema "))
            .unwrap_or_else(|| panic!("{file} does not start with a `#:schema` line"))
            .trim()
            .to_string()
    }
}

#[test]
fn every_example_names_the_cluster_schema_relative_to_itself() {
    let dir = root().join("examples");
    let mut examples: Vec<String> = file_names(&dir)
        .into_iter()
        .filter(|name| {
            name.starts_with("cluster") && (name.ends_with(".toml") || name.ends_with(".json"))
        })
        .map(|name| format!("examples/{name}"))
        .collect();
    examples.sort();
    assert!(
        examples.len() >= 4,
        "expected the valid and broken examples in TOML and JSON, found {examples:?}"
    );
    let schema = fs::canonicalize(root().join(preview_cluster_schema()))
        .expect("the generated cluster schema exists");
    for file in &examples {
        let named = named_schema(file);
        let resolved = root().join(file).parent().unwrap().join(&named);
        assert_eq!(
            fs::canonicalize(&resolved).ok(),
            Some(schema.clone()),
            "{file} names the schema {named:?}, which resolves to {}, not the cluster schema",
            resolved.display()
        );
    }
}

fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(from, to)
        .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// `text` without its `#:schema` line, so that only `.taplo.toml` can give it a schema.
fn without_directive(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("#:schema"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// A scratch copy of the repository's `.taplo.toml` and the generated schemas its rules name,
/// where files carry no `#:schema` line: what taplo reports there comes from the rules of
/// `.taplo.toml` alone.
fn scratch_workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ws = tmp.path().to_path_buf();
    copy(&root().join(".taplo.toml"), &ws.join(".taplo.toml"));
    for relative in taplo_schemas() {
        copy(&root().join(&relative), &ws.join(&relative));
    }
    (tmp, ws)
}

/// The schema paths the rules of `.taplo.toml` name.
fn taplo_schemas() -> BTreeSet<String> {
    let text = fs::read_to_string(root().join(".taplo.toml")).expect(".taplo.toml");
    let config: toml::Table = toml::from_str(&text).expect(".taplo.toml is TOML");
    config["rule"]
        .as_array()
        .expect("[[rule]]s")
        .iter()
        .map(|rule| {
            let path = rule["schema"]["path"].as_str().expect("rule.schema.path");
            path.to_string()
        })
        .collect()
}

#[test]
fn taplo_toml_associates_each_kind_of_file_with_its_schema() {
    let (_tmp, ws) = scratch_workspace();
    let valid =
        without_directive(&fs::read_to_string(root().join("examples/cluster-valid.toml")).unwrap());
    for file in data_files() {
        let text = fs::read_to_string(root().join(&file)).unwrap();
        write(&ws.join(&file), &without_directive(&text));
    }
    write(&ws.join("examples/cluster-a.toml"), &valid);
    write(&ws.join("examples/nested/cluster.toml"), &valid);
    // Outside the rules (not named cluster*.toml), any TOML goes.
    write(&ws.join("examples/other.toml"), "port = 5432\n");

    let mut clean: Vec<String> = data_files();
    clean.extend([
        "examples/cluster-a.toml".into(),
        "examples/nested/cluster.toml".into(),
        "examples/other.toml".into(),
    ]);
    let clean: Vec<&str> = clean.iter().map(String::as_str).collect();
    let output = taplo_lint(&ws, &clean);
    assert!(
        output.status.success(),
        "taplo lint rejected files that are valid without their #:schema lines:\n{}",
        printed(&output)
    );

    // Now break one value in each kind of file: each rule must catch its own.
    let kb_file = format!("data/{}/kb.toml", support::GA);
    let kb = fs::read_to_string(ws.join(&kb_file)).unwrap();
    write(&ws.join(&kb_file), &format!("kb_colour = \"blue\"\n{kb}"));
    let category = data_files()
        .into_iter()
        .find(|f| f.contains("/limitations/"))
        .unwrap();
    let text = fs::read_to_string(ws.join(&category)).unwrap();
    let broken_category = text.replacen("id = \"", "id = \"Not Kebab ", 1);
    assert_ne!(
        text, broken_category,
        "{category} has no `id = \"…\"` to break"
    );
    write(&ws.join(&category), &broken_category);
    write(
        &ws.join("examples/cluster-a.toml"),
        &valid.replace("port = 3306", "port = 3307"),
    );
    write(
        &ws.join("examples/nested/cluster.toml"),
        &valid.replace("region = \"us-east-1\"", "region = \"sa-east-1\""),
    );
    for (file, expected) in [
        (kb_file.as_str(), "kb_colour"),
        (category.as_str(), "Not Kebab"),
        ("examples/cluster-a.toml", "port = 3307"),
        ("examples/nested/cluster.toml", "sa-east-1"),
    ] {
        let output = taplo_lint(&ws, &[file]);
        let text = printed(&output);
        assert!(
            !output.status.success() && text.contains(expected),
            "taplo lint must reject {file} (no #:schema line) through .taplo.toml, naming \
             {expected:?}; exit {:?}:\n{text}",
            output.status.code()
        );
    }
}

/// `settings.json` is JSON with comments (VS Code reads it as JSONC): whole-line `//`
/// comments are dropped before parsing.
fn vscode_settings() -> Value {
    let path = root().join(".vscode/settings.json");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| format!("{line}\n"))
        .collect();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[test]
fn vscode_settings_point_json_cluster_specs_and_taplo_at_the_schemas() {
    let settings = vscode_settings();
    let schemas = settings["json.schemas"]
        .as_array()
        .expect("json.schemas is an array");
    let url = format!("./{}", preview_cluster_schema());
    let cluster = schemas
        .iter()
        .find(|s| s["url"] == url.as_str())
        .unwrap_or_else(|| panic!("json.schemas maps cluster specs to {url}"));
    assert!(
        root().join(preview_cluster_schema()).is_file(),
        "the schema json.schemas points at does not exist"
    );
    let matches: Vec<&str> = cluster["fileMatch"]
        .as_array()
        .expect("fileMatch is an array")
        .iter()
        .map(|m| m.as_str().expect("a fileMatch pattern is a string"))
        .collect();
    assert!(
        matches.contains(&"/examples/**/cluster*.json"),
        "fileMatch must cover the JSON examples: {matches:?}"
    );
    assert_eq!(settings["evenBetterToml.schema.enabled"], true);
    assert_eq!(settings["evenBetterToml.taplo.configFile.enabled"], true);
    let config = settings["evenBetterToml.taplo.configFile.path"]
        .as_str()
        .expect("evenBetterToml.taplo.configFile.path names the Taplo configuration");
    assert!(
        root().join(config).is_file(),
        "evenBetterToml.taplo.configFile.path = {config:?} does not exist"
    );
}

#[test]
fn every_schema_path_in_taplo_toml_exists() {
    let schemas = taplo_schemas();
    for path in &schemas {
        assert!(
            root().join(path).is_file(),
            ".taplo.toml names {path}, which does not exist"
        );
    }
    // Each kind of schema has its rule; the data schemas are the same in every tree.
    let kinds: BTreeSet<&str> = schemas
        .iter()
        .map(|path| path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "cluster.schema.json",
            "kb.schema.json",
            "limitations.schema.json"
        ]),
        "each generated schema has its rule: {schemas:?}"
    );
    assert!(schemas.contains(&preview_cluster_schema()), "{schemas:?}");
}
