//! Bad templates (issue 13), run through the real binary as a user would:
//! `limitkb check --kb aurora-serverless-v2 --format json|text FILE` on inputs generated in a
//! temporary directory: invalid YAML and JSON, YAML files that are not CloudFormation, a 50 MB
//! template, a YAML alias bomb, 10,000 levels of nesting, unknown and `!!` tags, a key given
//! twice (YAML and JSON alike), and a second YAML document.
//!
//! Every run is held to the same rules: the exit code (2 for a file that cannot be read or
//! parsed), no panic and no stack overflow on stderr, a clear message at its line and column,
//! a bounded wall time and, where GNU time is installed (`/usr/bin/time`), a bounded peak
//! memory.

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");
const KB: &str = "aurora-serverless-v2";

/// The wall time any bad input may take to be refused.
const TIME_LIMIT: Duration = Duration::from_secs(5);

/// The peak resident memory any run may reach, in KiB: far below what an alias bomb or an
/// unbounded read would take, far above what refusing a file takes (about 20 MiB).
const MEMORY_LIMIT_KIB: u64 = 256 * 1024;

/// GNU time, if installed: it reports a child's peak resident memory (`-f %M`).
const GNU_TIME: &str = "/usr/bin/time";

/// Whether [`GNU_TIME`] is GNU time (it takes `-f` and `-o`); checked once.
fn gnu_time() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let available = Command::new(GNU_TIME)
            .args(["-f", "%M", "-o", "/dev/null", "true"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !available {
            eprintln!(
                "note: {GNU_TIME} (GNU time) is not installed; peak memory is not measured, \
                 only exit codes, messages and wall time"
            );
        }
        available
    })
}

/// One run of `limitkb check`.
struct Run {
    /// What the run was, for failure messages.
    what: String,
    code: i32,
    stdout: String,
    stderr: String,
    time: Duration,
    /// Peak resident memory in KiB, when GNU time is installed.
    peak_kib: Option<u64>,
}

impl Run {
    /// The run's output, for a failure message.
    fn shown(&self) -> String {
        let cut = |s: &str| s.chars().take(4000).collect::<String>();
        format!(
            "{}: exit {}, {:?}, peak {:?} KiB\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.what,
            self.code,
            self.time,
            self.peak_kib,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }

    /// The diagnostics of a `--format json` run.
    fn diagnostics(&self) -> Vec<Value> {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not a JSON array ({e}): {}", self.shown()))
    }

    /// Holds the run to the rules every bad input is held to: exit `code`, no panic or
    /// stack overflow, within `time`, and within [`MEMORY_LIMIT_KIB`] when measured.
    fn assert_sound(&self, code: i32, time: Duration) {
        assert_eq!(self.code, code, "{}", self.shown());
        for word in ["panicked", "overflow", "RUST_BACKTRACE"] {
            assert!(!self.stderr.contains(word), "{word}: {}", self.shown());
        }
        assert!(self.time < time, "took {:?}: {}", self.time, self.shown());
        if let Some(peak) = self.peak_kib {
            assert!(
                peak < MEMORY_LIMIT_KIB,
                "peak memory {peak} KiB: {}",
                self.shown()
            );
        }
    }
}

/// Runs `limitkb check --kb aurora-serverless-v2 --format FORMAT ARGS` in `dir` (so that
/// diagnostics name the files as given), under GNU time when it is installed.
fn check(dir: &Path, format: &str, args: &[&str]) -> Run {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let rss = dir.join(format!(
        ".peak-rss-{}",
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut command = if gnu_time() {
        let mut c = Command::new(GNU_TIME);
        c.args(["-f", "%M", "-o"]).arg(&rss).arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    command
        .args(["check", "--kb", KB, "--format", format])
        .args(args)
        .current_dir(dir);
    let start = Instant::now();
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let time = start.elapsed();
    let what = format!("limitkb check --format {format} {}", args.join(" "));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // GNU time exits with the command's code, and 128 + the signal of a killed one.
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("{what}: killed by a signal: {stderr}"));
    let peak_kib = gnu_time().then(|| {
        let report = std::fs::read_to_string(&rss).unwrap_or_default();
        let _ = std::fs::remove_file(&rss);
        report
            .lines()
            .last()
            .and_then(|line| line.trim().parse().ok())
            .unwrap_or_else(|| panic!("{what}: GNU time reported {report:?}; stderr: {stderr}"))
    });
    Run {
        what,
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
        time,
        peak_kib,
    }
}

/// A temporary directory holding `files` (name, text).
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(temp.path().join(name), text).unwrap();
    }
    temp
}

/// Checks `file` in `dir` in both formats, expecting exit `code` and exactly one error, the
/// file's, at `line`:`column` (`None` for a file-level problem) with a message starting with
/// `starts` and containing `contains`; returns the JSON diagnostic.
fn one_error(
    dir: &Path,
    file: &str,
    code: i32,
    place: Option<(u64, u64)>,
    starts: &str,
    contains: &str,
    time: Duration,
) -> Value {
    let json = check(dir, "json", &[file]);
    json.assert_sound(code, time);
    let diagnostics = json.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", json.shown());
    let d = diagnostics[0].clone();
    let message = d["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(starts) && message.contains(contains),
        "message {message:?} should start with {starts:?} and hold {contains:?}: {}",
        json.shown()
    );
    assert_eq!(d["file"], file, "{}", json.shown());
    assert_eq!(d["severity"], "error", "{}", json.shown());
    let (line, column) = match place {
        Some((line, column)) => (Value::from(line), Value::from(column)),
        None => (Value::Null, Value::Null),
    };
    assert_eq!(
        (&d["line"], &d["column"]),
        (&line, &column),
        "{}",
        json.shown()
    );

    // The text format: the same message, under `error:`, at `--> file:line:col`, and the
    // summary line.
    let text = check(dir, "text", &[file]);
    text.assert_sound(code, time);
    assert!(
        text.stdout.contains(&format!("error: {message}")),
        "{}",
        text.shown()
    );
    let arrow = match place {
        Some((line, column)) => format!("--> {file}:{line}:{column}\n"),
        None => format!("--> {file}\n"),
    };
    assert!(text.stdout.contains(&arrow), "{arrow:?}: {}", text.shown());
    assert!(
        text.stdout.contains("1 problem(s) in 1 of 1 file(s)"),
        "{}",
        text.shown()
    );
    d
}

/// A serverless Aurora cluster, the kind of resource the knowledge base is about.
const CLUSTER: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      EngineVersion: 8.0.mysql_aurora.3.05.2
      ServerlessV2ScalingConfiguration:
        MinCapacity: 0.5
        MaxCapacity: 4
";

#[test]
fn the_valid_template_these_cases_break_is_clean() {
    // So that every failure below is the breakage's, not the template's.
    let temp = dir_with(&[("t.yaml", CLUSTER)]);
    let run = check(temp.path(), "json", &["--region", "us-east-1", "t.yaml"]);
    run.assert_sound(0, TIME_LIMIT);
    assert_eq!(run.diagnostics(), Vec::<Value>::new(), "{}", run.shown());
}

#[test]
fn invalid_yaml_and_json_are_located_and_named() {
    for (file, text, line, column, message) in [
        // An unclosed flow sequence at the end of the file: found at the end.
        (
            "unclosed-end.yaml",
            "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: [aurora-mysql, x\n",
            6,
            1,
            "invalid YAML: while parsing a flow sequence, expected ',' or ']'",
        ),
        // An unclosed flow sequence with more keys after it: found at the first `:` that
        // cannot be in the sequence.
        (
            "unclosed.yaml",
            "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: [aurora-mysql\n      Port: 3306\n",
            6,
            11,
            "invalid YAML: illegal placement of ':' indicator",
        ),
        // An unclosed flow mapping.
        (
            "unclosed-brace.yaml",
            "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-mysql, Port: 3306\n",
            5,
            1,
            "invalid YAML: while parsing a flow mapping, did not find expected ',' or '}'",
        ),
        // A key indented less than its siblings.
        (
            "indent.yaml",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Db:\n    Type: AWS::RDS::DBCluster\n   Properties:\n      Engine: aurora-mysql\n",
            5,
            4,
            "invalid YAML: while parsing a block mapping, did not find expected key",
        ),
        // Tabs as indentation.
        (
            "tabs.yaml",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n\tDb:\n\t\tType: AWS::RDS::DBCluster\n",
            3,
            2,
            "invalid YAML: tabs disallowed within this context (block indentation)",
        ),
        // An unclosed quote.
        (
            "quote.yaml",
            "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: 'aurora-mysql\n      Port: 3306\n",
            5,
            15,
            "invalid YAML: invalid indentation in quoted scalar",
        ),
        // JSON: a trailing comma, and an unclosed array.
        (
            "comma.json",
            "{\n  \"Resources\": {\n    \"Db\": {\"Type\": \"AWS::RDS::DBCluster\",}\n  }\n}\n",
            3,
            42,
            "invalid JSON: trailing comma",
        ),
        (
            "unclosed.json",
            "{\"Resources\": {\"Db\": {\"Type\": \"AWS::RDS::DBCluster\", \"Properties\": {\"Engine\": [\"a\"\n",
            2,
            1,
            "invalid JSON: EOF while parsing a list",
        ),
    ] {
        let temp = dir_with(&[(file, text)]);
        let d = one_error(
            temp.path(),
            file,
            2,
            Some((line, column)),
            message,
            "",
            TIME_LIMIT,
        );
        assert_eq!(d["path"], "", "{file}");
        assert_eq!(d["limitation"], Value::Null, "{file}");
    }
}

#[test]
fn a_file_of_another_kind_is_refused_saying_what_each_format_looks_like() {
    // Neither a template, nor an API request, nor a mapping with a key of the cluster spec
    // (or a typo of one): `check` refuses the file with one error at its start, exit 2, and
    // says what marks each format it reads.
    let workflow = "\
name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cargo test
";
    let compose = "\
version: \"3.8\"
services:
  db:
    image: mysql:8.0
    ports:
      - \"3306:3306\"
    environment:
      MYSQL_ROOT_PASSWORD: example
volumes:
  data: {}
";
    for (file, text) in [
        (".github-workflow.yml", workflow),
        ("docker-compose.yaml", compose),
    ] {
        let temp = dir_with(&[(file, text)]);
        let d = one_error(
            temp.path(),
            file,
            2,
            Some((1, 1)),
            "limitkb does not read this kind of file: a cluster spec of `aurora-serverless-v2` is a mapping with keys among `capacity`, `engine`",
            "a template has `AWSTemplateFormatVersion` or `Resources` of `AWS::` types",
            TIME_LIMIT,
        );
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .ends_with("name the format with --input to check it as one"),
            "{d}"
        );

        // Named as a spec, it is checked as one: each top-level key is an unknown key.
        let run = check(temp.path(), "json", &["--input", "spec", file]);
        run.assert_sound(1, TIME_LIMIT);
        let diagnostics = run.diagnostics();
        assert!(
            diagnostics.len() == 3
                && diagnostics
                    .iter()
                    .all(|d| d["message"].as_str().unwrap().starts_with("unknown key")),
            "{}",
            run.shown()
        );
    }

    // A file whose document is a sequence (an Ansible playbook) is read as a spec: one error,
    // that it is not a mapping, with the document shortened in the message however long it is.
    let mut playbook = String::new();
    for i in 0..20_000 {
        playbook.push_str(&format!("- name: task{i}\n  shell: echo {i}\n"));
    }
    let temp = dir_with(&[("playbook.yml", &playbook)]);
    let d = one_error(
        temp.path(),
        "playbook.yml",
        1,
        Some((1, 1)),
        "[{\"name\":\"task0\"",
        "is not of type \"object\"",
        TIME_LIMIT,
    );
    assert!(d["message"].as_str().unwrap().len() < 200, "{d}");

    // A spec with a misspelt key is still a spec: the typo gets its suggestion.
    let temp = dir_with(&[("cluster.yaml", "engin: aurora-mysql\n")]);
    let run = check(temp.path(), "json", &["cluster.yaml"]);
    run.assert_sound(1, TIME_LIMIT);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.shown());
    assert_eq!(
        diagnostics[0]["message"],
        "unknown key `engin`; did you mean `engine`?",
        "{}",
        run.shown()
    );
}

/// A valid template of at least `size` bytes: the cluster, then as many buckets as it takes.
fn padded_template(size: usize) -> String {
    let mut text = CLUSTER.to_string();
    let mut i = 0;
    while text.len() < size {
        text.push_str(&format!(
            "  Bucket{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: bucket-{i}\n"
        ));
        i += 1;
    }
    text
}

#[test]
fn a_50_mb_template_is_refused_unread_quickly_and_in_little_memory() {
    let size = 50 * 1024 * 1024;
    let many_resources = padded_template(size);
    // One huge string, in JSON.
    let huge_string = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Description\": \"{}\", \"Resources\": {{}}}}\n",
        "x".repeat(size)
    );
    for (file, text) in [("many.yaml", &many_resources), ("huge.json", &huge_string)] {
        let temp = dir_with(&[(file, text)]);
        let message = format!(
            "cannot read the file: the file has {} bytes; limitkb reads data files of at most {} bytes",
            text.len(),
            limitkb::MAX_FILE_BYTES
        );
        let d = one_error(temp.path(), file, 2, None, &message, "", TIME_LIMIT);
        assert_eq!(d["message"], message.as_str());
        // Refused before it is read: the process never held the file.
        let run = check(temp.path(), "json", &[file]);
        if let Some(peak) = run.peak_kib {
            assert!(
                peak * 1024 < text.len() as u64,
                "peak memory {peak} KiB for a file of {} bytes: {}",
                text.len(),
                run.shown()
            );
        }
    }
}

#[test]
fn the_size_limit_is_exact() {
    // A template of exactly `MAX_FILE_BYTES` is read (a long comment keeps it cheap to parse);
    // one byte more is refused.
    let max = limitkb::MAX_FILE_BYTES as usize;
    let head =
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  A: {Type: AWS::S3::Bucket}\n# ";
    let at = format!("{head}{}\n", "x".repeat(max - head.len() - 1));
    let over = format!("{head}{}\n", "x".repeat(max - head.len()));
    assert_eq!((at.len(), over.len()), (max, max + 1));
    let temp = dir_with(&[("at.yaml", &at), ("over.yaml", &over)]);
    // Reading 32 MiB takes a few seconds in a debug build.
    let run = check(temp.path(), "json", &["at.yaml"]);
    run.assert_sound(0, Duration::from_secs(60));
    assert_eq!(run.diagnostics(), Vec::<Value>::new(), "{}", run.shown());
    one_error(
        temp.path(),
        "over.yaml",
        2,
        None,
        "cannot read the file: the file has 33554433 bytes; limitkb reads data files of at most 33554432 bytes",
        "",
        TIME_LIMIT,
    );
}

#[test]
fn alias_bombs_are_refused_quickly() {
    // Billion laughs: each level nine aliases of the one before (9^10 strings in all).
    let mut laughs = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        laughs.push_str(&format!(
            "  a{level}: &a{level} [{}]\n",
            vec![previous; 9].join(", ")
        ));
    }
    laughs.push_str(&CLUSTER[CLUSTER.find("Resources:").unwrap()..]);
    // The same with mappings, whose keys are copied too.
    let mut keyed = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n");
    keyed.push_str("  m0: &m0 {k0: lol, k1: lol, k2: lol, k3: lol, k4: lol, k5: lol, k6: lol, k7: lol, k8: lol}\n");
    for level in 1..10 {
        let entries: Vec<String> = (0..9).map(|k| format!("k{k}: *m{}", level - 1)).collect();
        keyed.push_str(&format!(
            "  m{level}: &m{level} {{{}}}\n",
            entries.join(", ")
        ));
    }
    keyed.push_str(&CLUSTER[CLUSTER.find("Resources:").unwrap()..]);
    // Few aliases of one long string (1 MiB each, 17 of them: past the 16 MiB budget).
    let long = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  s: &s {}\n  c: [{}]\n",
        "x".repeat(1024 * 1024),
        vec!["*s"; 17].join(", ")
    );
    for (file, text, line, column, path) in [
        ("laughs.yaml", laughs.as_str(), 8, 12, "/Metadata/a5/0"),
        ("keyed.yaml", keyed.as_str(), 8, 16, "/Metadata/m5/k0"),
        ("long.yaml", long.as_str(), 4, 71, "/Metadata/c/16"),
    ] {
        let temp = dir_with(&[(file, text)]);
        let d = one_error(
            temp.path(),
            file,
            2,
            Some((line, column)),
            "aliases here would copy more than 100000 nodes or 16777216 bytes in all",
            "limitkb refuses such alias bombs",
            TIME_LIMIT,
        );
        assert_eq!(d["path"], path, "{file}");
    }
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error_not_a_stack_overflow() {
    let n = 10_000;
    let nested = "nested more than 127 levels deep; limitkb reads no deeper";
    for (file, text, line, message) in [
        // Flow sequences: saphyr's own limit comes first.
        (
            "flow.yaml",
            format!("Resources: {}{}\n", "[".repeat(n), "]".repeat(n)),
            1,
            "invalid YAML: recursion limit exceeded",
        ),
        // Flow mappings, block sequences, short-form tags: limitkb's limit.
        (
            "mappings.yaml",
            format!("Resources: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)),
            1,
            nested,
        ),
        (
            "block.yaml",
            format!("Resources:\n  {}x\n", "- ".repeat(n)),
            2,
            nested,
        ),
        (
            "tags.yaml",
            format!(
                "Resources:\n  Db: {}x{}\n",
                "!If [".repeat(n),
                "]".repeat(n)
            ),
            2,
            "invalid YAML: recursion limit exceeded",
        ),
        (
            "arrays.json",
            format!("{{\"Resources\": {}{}}}\n", "[".repeat(n), "]".repeat(n)),
            1,
            "invalid JSON: recursion limit exceeded",
        ),
        (
            "objects.json",
            format!(
                "{{\"Resources\": {}1{}}}\n",
                "{\"a\": ".repeat(n),
                "}".repeat(n)
            ),
            1,
            "invalid JSON: recursion limit exceeded",
        ),
    ] {
        let temp = dir_with(&[(file, &text)]);
        let json = check(temp.path(), "json", &[file]);
        json.assert_sound(2, TIME_LIMIT);
        let diagnostics = json.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{}", json.shown());
        let d = &diagnostics[0];
        assert!(
            d["message"].as_str().unwrap().starts_with(message),
            "{}",
            json.shown()
        );
        assert_eq!(d["line"], line, "{}", json.shown());
        assert!(d["column"].as_u64().is_some(), "{}", json.shown());
        let text = check(temp.path(), "text", &[file]);
        text.assert_sound(2, TIME_LIMIT);
        assert!(
            text.stdout.contains(&format!("error: {message}")),
            "{}",
            text.shown()
        );
    }
}

#[test]
fn an_unknown_short_form_tag_is_kept_as_a_function_and_a_python_tag_is_an_error() {
    // `!Foo x` reads as `{"Fn::Foo": "x"}` (yaml.rs keeps every `!Name` so); on a cluster's
    // property the reader cannot know its value: a note there, exit 0. In a part of the
    // template the reader does not look at, nothing.
    let foo = CLUSTER
        .replace(
            "EngineVersion: 8.0.mysql_aurora.3.05.2",
            "EngineVersion: !Foo 8.0.mysql_aurora.3.05.2",
        )
        .replace(
            "AWSTemplateFormatVersion: \"2010-09-09\"\n",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nMetadata:\n  Note: !Bar [x]\n",
        );
    let temp = dir_with(&[("foo.yaml", &foo)]);
    let run = check(temp.path(), "json", &["--region", "us-east-1", "foo.yaml"]);
    run.assert_sound(0, TIME_LIMIT);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.shown());
    let d = &diagnostics[0];
    assert_eq!(
        (&d["line"], &d["column"], &d["path"], &d["severity"]),
        (
            &Value::from(9),
            &Value::from(22),
            &Value::from("/Resources/Db/Properties/EngineVersion"),
            &Value::from("note")
        ),
        "{}",
        run.shown()
    );
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("could not verify `engine_version` of cluster `Db`: `Fn::Foo`"),
        "{}",
        run.shown()
    );
    // With --strict the note fails the check (exit 1), as any note does.
    let strict = check(
        temp.path(),
        "text",
        &["--strict", "--region", "us-east-1", "foo.yaml"],
    );
    strict.assert_sound(1, TIME_LIMIT);
    assert!(
        strict
            .stdout
            .contains("note: could not verify `engine_version`")
            && strict.stdout.contains("--> foo.yaml:9:22\n"),
        "{}",
        strict.shown()
    );

    // `!!` tags other than the core schema's are errors, on a scalar and on a collection.
    for (file, value, message) in [
        (
            "python.yaml",
            "!!python/object:os.system x",
            "the tag !!python/object:os.system is not supported here",
        ),
        (
            "apply.yaml",
            "!!python/object/apply:os.system [\"echo hi\"]",
            "the tag !!python/object/apply:os.system",
        ),
        (
            "binary.yaml",
            "!!binary aGk=",
            "the tag !!binary is not supported here",
        ),
    ] {
        let text = CLUSTER.replace("Engine: aurora-mysql", &format!("Engine: {value}"));
        let temp = dir_with(&[(file, &text)]);
        let d = one_error(temp.path(), file, 2, Some((6, 15)), message, "", TIME_LIMIT);
        assert_eq!(d["path"], "/Resources/Db/Properties/Engine", "{file}");
    }
}

#[test]
fn a_key_given_twice_is_an_error_naming_both_places_in_yaml_and_json() {
    let yaml = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
  Bucket:
    Type: AWS::S3::Bucket
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
";
    let json = "\
{
  \"AWSTemplateFormatVersion\": \"2010-09-09\",
  \"Resources\": {
    \"Db\": {\"Type\": \"AWS::RDS::DBCluster\", \"Properties\": {\"Engine\": \"aurora-mysql\"}},
    \"Bucket\": {\"Type\": \"AWS::S3::Bucket\"},
      \"Db\": {\"Type\": \"AWS::RDS::DBCluster\"}
  }
}
";
    for (file, text, key, first, again, path) in [
        // A logical id twice, in YAML and in JSON.
        ("dup.yaml", yaml, "Db", (3, 3), (9, 3), "/Resources/Db"),
        ("dup.json", json, "Db", (4, 5), (6, 7), "/Resources/Db"),
        // A property twice in a flow mapping.
        (
            "flow.yml",
            "Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties: {Engine: aurora-mysql, Engine: aurora-postgresql}\n",
            "Engine",
            (4, 18),
            (4, 40),
            "/Resources/Db/Properties/Engine",
        ),
        // Spelled differently, the same key: a JSON escape, a YAML escape.
        (
            "escaped.json",
            "{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"},\n \"\\u0041\": {\"Type\": \"AWS::S3::Bucket\"}}}\n",
            "A",
            (1, 16),
            (2, 2),
            "/Resources/A",
        ),
        (
            "escaped.yaml",
            "Resources:\n  A: {Type: AWS::S3::Bucket}\n  \"\\x41\": {Type: AWS::S3::Bucket}\n",
            "A",
            (2, 3),
            (3, 3),
            "/Resources/A",
        ),
        // A template saved as `.template`, recognised as JSON and as YAML by its content.
        (
            "json.template",
            "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\"}, \"A\": {\"Type\": \"AWS::S3::Bucket\"}}}\n",
            "A",
            (1, 58),
            (1, 92),
            "/Resources/A",
        ),
        (
            "yaml.template",
            "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::S3::Bucket}\n",
            "A",
            (3, 3),
            (4, 3),
            "/Resources/A",
        ),
    ] {
        let temp = dir_with(&[(file, text)]);
        let message = format!(
            "duplicate key `{key}`: first at line {}, column {}; again at line {}, column {}",
            first.0, first.1, again.0, again.1
        );
        let d = one_error(temp.path(), file, 2, Some(again), &message, "", TIME_LIMIT);
        assert_eq!(d["message"], message.as_str(), "{file}");
        assert_eq!(d["path"], path, "{file}");
    }
}

#[test]
fn a_second_yaml_document_is_an_error() {
    for (file, text, line) in [
        (
            "two.yaml",
            "---\nAWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  A: {Type: AWS::S3::Bucket}\n---\nResources:\n  B: {Type: AWS::S3::Bucket}\n",
            5,
        ),
        // After an explicit end of the first.
        (
            "ended.yaml",
            "AWSTemplateFormatVersion: \"2010-09-09\"\n...\n---\nResources: {}\n",
            3,
        ),
        // A Kubernetes manifest of two objects.
        (
            "k8s.yaml",
            "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n",
            3,
        ),
    ] {
        let temp = dir_with(&[(file, text)]);
        one_error(
            temp.path(),
            file,
            2,
            Some((line, 1)),
            "a second YAML document starts here; a file holds one document",
            "",
            TIME_LIMIT,
        );
    }
    // One document with its markers is fine.
    let temp = dir_with(&[("one.yaml", &format!("%YAML 1.2\n---\n{CLUSTER}...\n"))]);
    let run = check(temp.path(), "json", &["--region", "us-east-1", "one.yaml"]);
    run.assert_sound(0, TIME_LIMIT);
    assert_eq!(run.diagnostics(), Vec::<Value>::new(), "{}", run.shown());
}

#[test]
fn a_bad_file_does_not_stop_the_others_from_being_checked() {
    // A broken template next to one with a violation: both reported, exit 2.
    let violation = CLUSTER.replace("MaxCapacity: 4", "MaxCapacity: 256");
    let temp = dir_with(&[("bad.yaml", "Resources: [\n"), ("big.yaml", &violation)]);
    let run = check(
        temp.path(),
        "json",
        &["--region", "us-east-1", "bad.yaml", "big.yaml"],
    );
    run.assert_sound(2, TIME_LIMIT);
    let diagnostics = run.diagnostics();
    let files: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["bad.yaml", "big.yaml"], "{}", run.shown());
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid YAML:"),
        "{}",
        run.shown()
    );
    assert_eq!(
        diagnostics[1]["limitation"],
        "capacity-range",
        "{}",
        run.shown()
    );
}

/// `--input cloudformation` on a file that is no template is an error that says what marks
/// one, not a clean pass.
#[test]
fn a_file_named_a_template_that_is_not_one_is_an_error() {
    let temp = dir_with(&[("workflow.yml", "name: CI\non: push\njobs: {}\n")]);
    let run = check(
        temp.path(),
        "short",
        &["--input", "cloudformation", "workflow.yml"],
    );
    run.assert_sound(2, TIME_LIMIT);
    assert!(
        run.stdout.contains(
            "workflow.yml:1:1: this is not a cloudformation file: a template has `AWSTemplateFormatVersion`"
        ),
        "{}",
        run.shown()
    );
}

/// The spelled-out form of a core tag means what its short form means: `!<tag:yaml.org,2002:str>`
/// is `!!str` (a value, here a violation), and a spelled-out Python tag is refused as `!!python`.
#[test]
fn a_spelled_out_core_tag_is_read_as_its_short_form() {
    let template = CLUSTER.replace(
        "MinCapacity: 0.5",
        "MinCapacity: !<tag:yaml.org,2002:str> 0.25",
    );
    assert_ne!(template, CLUSTER, "the base template sets MinCapacity: 0.5");
    let python = "a: !<tag:yaml.org,2002:python/object:os.system> x\n";
    let temp = dir_with(&[("t.yaml", &template), ("p.yaml", python)]);
    let run = check(temp.path(), "json", &["--region", "us-east-1", "t.yaml"]);
    run.assert_sound(1, TIME_LIMIT);
    let limitations: Vec<Value> = run
        .diagnostics()
        .iter()
        .map(|d| d["limitation"].clone())
        .collect();
    assert_eq!(
        limitations,
        [Value::from("capacity-range")],
        "{}",
        run.shown()
    );
    one_error(
        temp.path(),
        "p.yaml",
        2,
        Some((1, 4)),
        "the tag !!python/object:os.system is not supported here",
        "",
        TIME_LIMIT,
    );
}

#[test]
fn broken_terraform_is_located_and_refused() {
    // A configuration's files are parsed as one: the broken one is named, at its line.
    let temp = dir_with(&[
        ("variables.tf", "variable \"min\" {\n  default = 0.5\n}\n"),
        (
            "main.tf",
            "resource \"aws_rds_cluster\" \"db\" {\n  engine = \n}\n",
        ),
    ]);
    one_error(
        temp.path(),
        "main.tf",
        2,
        Some((2, 12)),
        "invalid HCL: invalid expression",
        "expected",
        TIME_LIMIT,
    );
    // A resource declared twice names both places.
    let twice =
        "resource \"aws_rds_cluster\" \"db\" {}\n\nresource \"aws_rds_cluster\" \"db\" {}\n";
    let temp = dir_with(&[("main.tf", twice)]);
    one_error(
        temp.path(),
        "main.tf",
        2,
        Some((3, 28)),
        "duplicate key `db`: first at line 1, column 28; again at line 3, column 28",
        "",
        TIME_LIMIT,
    );
    // 10,000 levels of brackets: refused before the parser recurses into them.
    let deep = format!(
        "locals {{\n  x = {}{}\n}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let temp = dir_with(&[("main.tf", &deep)]);
    one_error(
        temp.path(),
        "main.tf",
        2,
        Some((2, 134)),
        "invalid HCL: nested more than 128 levels deep",
        "",
        TIME_LIMIT,
    );
}

#[test]
fn a_plan_of_a_newer_format_a_huge_plan_and_a_deep_plan_are_refused() {
    let newer = r#"{"format_version": "2.0", "terraform_version": "2.1.0", "planned_values": {"root_module": {}}}"#;
    let temp = dir_with(&[("plan.json", newer)]);
    one_error(
        temp.path(),
        "plan.json",
        2,
        Some((1, 20)),
        "this plan has format_version \"2.0\"; limitkb reads plans of format version 1.x",
        "",
        TIME_LIMIT,
    );

    let size = 50 * 1024 * 1024;
    let mut huge = String::from(
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": ["#,
    );
    let mut i = 0;
    while huge.len() < size {
        if i > 0 {
            huge.push(',');
        }
        huge.push_str(&format!(
            r#"{{"address": "aws_s3_bucket.b{i}", "mode": "managed", "type": "aws_s3_bucket", "name": "b{i}", "values": {{"bucket": "b{i}"}}}}"#
        ));
        i += 1;
    }
    huge.push_str("]}}}");
    let temp = dir_with(&[("huge-plan.json", &huge)]);
    let message = format!(
        "cannot read the file: the file has {} bytes; limitkb reads data files of at most {} bytes",
        huge.len(),
        limitkb::MAX_FILE_BYTES
    );
    one_error(
        temp.path(),
        "huge-plan.json",
        2,
        None,
        &message,
        "",
        TIME_LIMIT,
    );

    let deep = format!(
        r#"{{"format_version": "1.2", "planned_values": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let temp = dir_with(&[("deep-plan.json", &deep)]);
    one_error(
        temp.path(),
        "deep-plan.json",
        2,
        Some((1, 171)),
        "invalid JSON: recursion limit exceeded",
        "",
        TIME_LIMIT,
    );
}
