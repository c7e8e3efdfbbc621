//! Several knowledge bases in one data directory: every command takes `--kb ID`; where it is
//! omitted and more than one knowledge base could apply, the command names them instead of
//! guessing; a spec's `#:schema` line or `$schema` key names its knowledge base; `generate`
//! writes a tree per knowledge base and one docs site, and `generate --kb ID` only that
//! knowledge base's part; every knowledge base is built into the binary.

mod support;

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use support::files::copy_dir;
use support::{GA, KBS, PREVIEW, repo};

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

fn limitkb(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

fn streams(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts that `output` refused to guess: exit 2, and standard error names every knowledge
/// base and the flag that chooses one.
fn assert_names_the_knowledge_bases(output: &Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{what}: {}", streams(output));
    for id in KBS {
        assert!(stderr.contains(id), "{what} does not name {id}: {stderr}");
    }
    assert!(
        stderr.contains("--kb"),
        "{what} does not say --kb: {stderr}"
    );
}

#[test]
fn validate_covers_every_knowledge_base_and_one_with_kb() {
    let all = limitkb(&["validate"], repo());
    assert_eq!(all.status.code(), Some(0), "{}", streams(&all));
    let stdout = String::from_utf8_lossy(&all.stdout);
    for id in KBS {
        assert!(
            stdout.contains(&format!("{id}: ")) && stdout.contains("valid"),
            "{stdout}"
        );
    }
    let one = limitkb(&["validate", "--kb", GA], repo());
    let stdout = String::from_utf8_lossy(&one.stdout);
    assert_eq!(one.status.code(), Some(0), "{}", streams(&one));
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with(&format!("{GA}: ")), "{stdout}");
}

#[test]
fn list_without_kb_names_the_knowledge_bases_instead_of_guessing() {
    assert_names_the_knowledge_bases(&limitkb(&["list"], repo()), "list");
    assert_names_the_knowledge_bases(
        &limitkb(&["list", "--kb", "no-such-kb"], repo()),
        "list --kb no-such-kb",
    );
    for (id, limitation) in [(PREVIEW, "port-3306-only"), (GA, "capacity-range")] {
        let listed = limitkb(&["list", "--kb", id, "--format", "json"], repo());
        assert_eq!(listed.status.code(), Some(0), "{}", streams(&listed));
        let limitations: Value = serde_json::from_slice(&listed.stdout).unwrap();
        let ids: Vec<&str> = limitations
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&limitation), "{id}: {ids:?}");
    }
}

#[test]
fn show_finds_the_one_knowledge_base_with_the_id() {
    let shown = limitkb(&["show", "aurora-postgresql-regions-and-versions"], repo());
    let stdout = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(shown.status.code(), Some(0), "{}", streams(&shown));
    assert!(
        stdout.contains("ap-southeast-4"),
        "the table's rows: {stdout}"
    );
    let missing = limitkb(&["show", "port-3306-onl"], repo());
    assert_eq!(missing.status.code(), Some(2), "{}", streams(&missing));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("did you mean `port-3306-only`?"),
        "{}",
        streams(&missing)
    );
}

#[test]
fn a_spec_names_its_knowledge_base_by_its_schema_and_otherwise_kb_decides() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    // The same values break different limitations in the two knowledge bases: the preview
    // allows only us-east-1, and both at most 128 ACU.
    let body = "region = \"us-east-2\"\n\n[capacity]\nmin_acu = 200\n";
    let preview_schema = repo()
        .join("generated")
        .join(PREVIEW)
        .join("schema/cluster.schema.json");
    let files = [
        (
            "preview.toml",
            format!("#:schema {}\n{body}", preview_schema.display()),
        ),
        (
            "ga.json",
            format!(
                "{{\"$schema\": \"https://example.com/limits/{GA}/schema/cluster.schema.json\", \"region\": \"us-east-2\", \"capacity\": {{\"min_acu\": 200}}}}"
            ),
        ),
        ("unnamed.toml", body.to_string()),
    ];
    for (name, text) in &files {
        fs::write(dir.join(name), text).unwrap();
    }
    let data = repo().join("data");
    let data = data.to_str().unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--data", data];
        args.extend(extra);
        let output = limitkb(&args, dir);
        let diagnostics: Vec<Value> = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", streams(&output)));
        (output, diagnostics)
    };
    let limitations_of = |diagnostics: &[Value], file: &str| -> Vec<String> {
        let mut ids: Vec<String> = diagnostics
            .iter()
            .filter(|d| d["file"] == file)
            .map(|d| d["limitation"].as_str().unwrap_or("-").to_string())
            .collect();
        ids.sort();
        ids
    };

    let (output, diagnostics) = check(&["preview.toml", "ga.json", "unnamed.toml"]);
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    assert_eq!(
        limitations_of(&diagnostics, "preview.toml"),
        ["capacity-range", "preview-environment-only"],
        "{diagnostics:#?}"
    );
    assert_eq!(
        limitations_of(&diagnostics, "ga.json"),
        ["capacity-range"],
        "{diagnostics:#?}"
    );
    let unnamed: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["file"] == "unnamed.toml")
        .collect();
    assert_eq!(unnamed.len(), 1, "{diagnostics:#?}");
    let message = unnamed[0]["message"].as_str().unwrap();
    assert!(
        message.contains("cannot tell which knowledge base")
            && KBS.iter().all(|id| message.contains(id))
            && message.contains("--kb"),
        "{message}"
    );

    // --kb decides for every file, whatever a spec names.
    let (output, diagnostics) = check(&["--kb", GA, "preview.toml", "unnamed.toml"]);
    assert_eq!(output.status.code(), Some(1), "{}", streams(&output));
    for file in ["preview.toml", "unnamed.toml"] {
        assert_eq!(
            limitations_of(&diagnostics, file),
            ["capacity-range"],
            "{file}: {diagnostics:#?}"
        );
    }
}

#[test]
fn generate_writes_a_tree_per_knowledge_base_and_kb_only_its_own_part() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let out = temp.path().join("out");
    let run = |args: &[&str]| {
        let mut all = vec!["generate", "--data", data.to_str().unwrap()];
        all.extend(args);
        all.extend(["--out", out.to_str().unwrap()]);
        limitkb(&all, temp.path())
    };
    let generated = run(&[]);
    assert_eq!(generated.status.code(), Some(0), "{}", streams(&generated));
    for id in KBS {
        for file in [
            "schema/cluster.schema.json",
            "json/limitations.json",
            "rust/src/lib.rs",
            "ts/index.ts",
            "python/pyproject.toml",
        ] {
            assert!(out.join(id).join(file).is_file(), "{id}/{file}");
        }
        assert!(out.join("docs").join(id).join("README.md").is_file());
    }
    let summary = fs::read_to_string(out.join("docs/SUMMARY.md")).unwrap();
    for id in KBS {
        assert!(
            summary.contains(&format!("({id}/README.md)")),
            "the site's summary has no part for {id}:\n{summary}"
        );
    }

    // One knowledge base's data changes: `--kb` regenerates its part and leaves the other's
    // files and the site as they are, still listed in the manifest.
    let capacity = data.join(PREVIEW).join("limitations/capacity.toml");
    let text = fs::read_to_string(&capacity).unwrap();
    fs::write(&capacity, text.replace("max = 32", "max = 48")).unwrap();
    let stale = run(&["--check", "--kb", GA]);
    assert_eq!(stale.status.code(), Some(0), "{}", streams(&stale));
    let stale = run(&["--check", "--kb", PREVIEW]);
    assert_eq!(stale.status.code(), Some(1), "{}", streams(&stale));
    let stdout = String::from_utf8_lossy(&stale.stdout);
    assert!(
        stdout.contains(&format!("stale: {PREVIEW}/rust/src/lib.rs"))
            && !stdout.contains(&format!("{GA}/"))
            && !stdout.contains("extra:"),
        "{stdout}"
    );
    let one = run(&["--kb", PREVIEW]);
    assert_eq!(one.status.code(), Some(0), "{}", streams(&one));
    assert!(
        String::from_utf8_lossy(&one.stdout).contains("0 removed"),
        "{}",
        streams(&one)
    );
    let manifest = fs::read_to_string(out.join(".limitkb-manifest")).unwrap();
    for kept in [
        format!("{GA}/rust/src/lib.rs"),
        format!("docs/{GA}/README.md"),
        "docs/SUMMARY.md".to_string(),
    ] {
        assert!(out.join(&kept).is_file(), "{kept} is gone");
        assert!(
            manifest.lines().any(|l| l == kept),
            "{kept} left the manifest"
        );
    }
    let lib = fs::read_to_string(out.join(PREVIEW).join("rust/src/lib.rs")).unwrap();
    assert!(lib.contains("pub const CAPACITY_MAX: i64 = 48;"));
    let all = run(&["--check"]);
    assert_eq!(all.status.code(), Some(0), "{}", streams(&all));
}

#[test]
fn every_knowledge_base_is_built_into_the_binary() {
    // A directory without data/: the binary's own knowledge bases.
    let temp = tempfile::tempdir().unwrap();
    let validated = limitkb(&["validate"], temp.path());
    assert_eq!(validated.status.code(), Some(0), "{}", streams(&validated));
    let stdout = String::from_utf8_lossy(&validated.stdout);
    for id in KBS {
        assert!(stdout.contains(&format!("{id}: ")), "{stdout}");
    }
    assert_names_the_knowledge_bases(&limitkb(&["list"], temp.path()), "embedded list");
    let spec = temp.path().join("spec.toml");
    fs::write(
        &spec,
        "engine = \"aurora-postgresql\"\nengine_version = \"15.2\"\nregion = \"cn-north-1\"\n",
    )
    .unwrap();
    let checked = limitkb(
        &["check", "--kb", GA, "--format", "short", "spec.toml"],
        temp.path(),
    );
    assert_eq!(checked.status.code(), Some(1), "{}", streams(&checked));
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("spec.toml:2:18: engine_version"),
        "{}",
        streams(&checked)
    );
}

#[test]
fn two_knowledge_bases_with_one_id_are_an_error() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    copy_dir(&repo().join("data").join(PREVIEW), &data.join("one"));
    copy_dir(&repo().join("data").join(PREVIEW), &data.join("two"));
    let output = limitkb(&["validate", "--data", data.to_str().unwrap()], temp.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    assert!(
        stderr.contains(&format!("both declare the knowledge base id `{PREVIEW}`")),
        "{stderr}"
    );
}
