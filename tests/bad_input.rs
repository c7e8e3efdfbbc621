//! Bad input never panics and never writes: the corpus in `tests/fixtures/bad-data/<case>/`
//! (each a small data directory with an `expected.toml`: the exit code, and what stderr must
//! say, with `file:line:col` where the problem has a place) runs through the real binary,
//! `limitkb validate` and `limitkb generate --out <tmp>`; and inputs too large to commit (a
//! 50 MB file, 10,000 levels of nesting) are generated here.
//!
//! Exit codes: 1 for data errors, 2 for input that cannot be read.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad-data");

/// A case's `expected.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// The exit code of `validate` and `generate`.
    exit: i32,
    /// Substrings stderr must contain (diagnostics, with their locations).
    #[serde(default)]
    stderr: Vec<String>,
    /// Substrings stdout must contain (for the cases that load).
    #[serde(default)]
    stdout: Vec<String>,
    /// The data directory, relative to the case's directory (default: the case's directory).
    data: Option<String>,
}

fn limitkb(args: &[&str], data: &Path, extra: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_limitkb"));
    cmd.args(args)
        .args(["--format", "short", "--data"])
        .arg(data);
    for (flag, path) in ["--out"].iter().zip(extra) {
        cmd.arg(flag).arg(path);
    }
    cmd.output().expect("limitkb runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Everything wrong with one run against its expectation.
fn mismatches(command: &str, output: &Output, expected: &Expected) -> Vec<String> {
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    let mut problems = Vec::new();
    if output.status.code() != Some(expected.exit) {
        problems.push(format!(
            "{command}: exit {:?}, expected {}",
            output.status.code(),
            expected.exit
        ));
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        problems.push(format!("{command}: panicked"));
    }
    for wanted in &expected.stderr {
        if !stderr.contains(wanted.as_str()) {
            problems.push(format!("{command}: stderr lacks {wanted:?}"));
        }
    }
    if command == "validate" {
        for wanted in &expected.stdout {
            if !stdout.contains(wanted.as_str()) {
                problems.push(format!("{command}: stdout lacks {wanted:?}"));
            }
        }
    }
    if !problems.is_empty() {
        problems.push(format!("--- stdout ---\n{stdout}--- stderr ---\n{stderr}"));
    }
    problems
}

/// Runs one case: `validate`, then `generate` into a fresh directory, which must stay
/// unwritten unless the data is valid.
fn run_case(case: &Path) -> Vec<String> {
    let expected: Expected = toml::from_str(
        &std::fs::read_to_string(case.join("expected.toml")).expect("every case has expected.toml"),
    )
    .unwrap_or_else(|e| panic!("{}: bad expected.toml: {e}", case.display()));
    assert!(
        expected.exit == 0 || !expected.stderr.is_empty(),
        "{}: a failing case must say what stderr holds",
        case.display()
    );
    let data = match &expected.data {
        Some(relative) => case.join(relative),
        None => case.to_path_buf(),
    };
    let validate = limitkb(&["validate"], &data, &[]);
    let mut problems = mismatches("validate", &validate, &expected);
    // Every line of a failure names a file (the data directory's), except the summary.
    if expected.exit != 0 {
        let stderr = text(&validate.stderr);
        let mut lines: Vec<&str> = stderr.lines().collect();
        let summary = lines.pop().unwrap_or_default();
        if !summary.ends_with("nothing was generated or checked") {
            problems.push(format!("validate: no summary line: {summary:?}"));
        }
        for line in lines {
            if !line.starts_with(&data.display().to_string()) {
                problems.push(format!(
                    "validate: a diagnostic names no data file: {line:?}"
                ));
            }
        }
    }

    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("generated");
    let generate = limitkb(&["generate"], &data, &[&out]);
    problems.extend(mismatches("generate", &generate, &expected));
    if expected.exit == 0 {
        if !out.join(".limitkb-manifest").is_file() {
            problems.push("generate: valid data, but nothing was written".into());
        }
    } else if out.exists() {
        problems.push("generate: bad data, but the output directory was created".into());
    }
    problems
}

#[test]
fn every_corpus_case_exits_as_expected_with_located_messages() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 35, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let problems = run_case(case);
        if !problems.is_empty() {
            failures.push(format!(
                "== {}\n{}",
                case.file_name().unwrap().to_string_lossy(),
                problems.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_corpus_covers_every_kind_of_bad_input() {
    // The cases the loader must handle; each must stay in the corpus.
    for case in [
        "valid-base",
        "malformed-toml",
        "wrong-type-top-level",
        "unknown-key-top-level",
        "unknown-key-in-category",
        "unknown-key-in-constraint",
        "missing-required-field",
        "duplicate-ids-across-files",
        "unknown-parameter-reference",
        "unknown-feature-reference",
        "unknown-category-file",
        "min-greater-than-max",
        "empty-one-of-values",
        "empty-parameter-domain",
        "invalid-utf8",
        "bom-accepted",
        "empty-kb-file",
        "missing-data-dir",
        "reserved-word-limitation-id",
        "reserved-word-feature-id",
        "identifier-collision",
        "constant-name-collision",
        "generated-name-constant",
        "generated-name-enum-variant",
    ] {
        assert!(
            Path::new(CORPUS).join(case).join("expected.toml").is_file(),
            "the corpus lacks {case}"
        );
    }
    // The invalid UTF-8 case really holds bytes that are not UTF-8, and the BOM case a BOM.
    let bytes = std::fs::read(Path::new(CORPUS).join("invalid-utf8/kb.toml")).unwrap();
    assert!(String::from_utf8(bytes).is_err());
    let bytes = std::fs::read(Path::new(CORPUS).join("bom-accepted/kb.toml")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
}

/// A copy of the valid base case in a temporary directory, to break in ways too large to
/// commit.
fn base_copy() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let base = Path::new(CORPUS).join("valid-base");
    std::fs::create_dir_all(temp.path().join("limitations")).unwrap();
    for file in ["kb.toml", "limitations/capacity.toml"] {
        std::fs::copy(base.join(file), temp.path().join(file)).unwrap();
    }
    temp
}

/// Runs `validate` and `generate` on `data` (which must fail with `exit`), within `limit`
/// each, and returns the stderr of `validate`.
fn fails_quickly(data: &Path, exit: i32, limit: Duration) -> String {
    let out = data.join("generated");
    let start = Instant::now();
    let validate = limitkb(&["validate"], data, &[]);
    let validate_time = start.elapsed();
    let start = Instant::now();
    let generate = limitkb(&["generate"], data, &[&out]);
    let generate_time = start.elapsed();
    let stderr = text(&validate.stderr);
    for (name, output, time) in [
        ("validate", &validate, validate_time),
        ("generate", &generate, generate_time),
    ] {
        assert_eq!(output.status.code(), Some(exit), "{name}: {stderr}");
        assert!(
            !text(&output.stderr).contains("panicked"),
            "{name}: {stderr}"
        );
        assert!(time < limit, "{name} took {time:?}");
    }
    assert!(!out.exists(), "generate wrote to {}", out.display());
    stderr
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let temp = base_copy();
    // Valid TOML (one long comment), so only its size can refuse it.
    let path = temp.path().join("limitations/capacity.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("# ");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    let stderr = fails_quickly(temp.path(), 2, Duration::from_secs(10));
    assert!(
        stderr.contains(&format!(
            "limitations/capacity.toml: the file has {} bytes; limitkb reads data files of at most 33554432 bytes",
            text.len()
        )),
        "{stderr}"
    );
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error_not_a_crash() {
    let depth = 10_000;
    let nested = [
        // Inline tables.
        format!("x = {}1{}\n", "{a = ".repeat(depth), "}".repeat(depth)),
        // Arrays.
        format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
        // Dotted keys and table headers.
        format!("{} = 1\n", vec!["a"; depth].join(".")),
        format!("[{}]\nb = 1\n", vec!["a"; depth].join(".")),
    ];
    for (i, text) in nested.iter().enumerate() {
        for file in ["kb.toml", "limitations/capacity.toml"] {
            let temp = base_copy();
            std::fs::write(temp.path().join(file), text).unwrap();
            let stderr = fails_quickly(temp.path(), 1, Duration::from_secs(20));
            assert!(
                stderr.contains(&format!("{file}:1:")) && stderr.contains("invalid TOML"),
                "nesting {i} in {file}: {stderr}"
            );
        }
    }
}

#[test]
fn a_data_path_that_is_a_file_is_named_as_such() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("data");
    std::fs::write(&file, "id = \"x\"\n").unwrap();
    let output = limitkb(&["validate"], &file, &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("this is not a directory"), "{stderr}");
}

#[test]
fn the_loader_reports_every_file_of_a_broken_knowledge_base_at_once() {
    // The library, not only the binary: diagnostics are sorted by file and position, and
    // `unreadable` is set only for input that cannot be read.
    let case = Path::new(CORPUS).join("many-errors-at-once");
    let error = limitkb::load(&limitkb::DataSource::Dir(case)).unwrap_err();
    assert!(!error.unreadable);
    let places: Vec<(String, Option<usize>)> = error
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line))
        .collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
    assert_eq!(error.diagnostics.len(), 5);
    let error = limitkb::load(&limitkb::DataSource::Dir(
        Path::new(CORPUS).join("invalid-utf8"),
    ))
    .unwrap_err();
    assert!(error.unreadable);
    assert_eq!(
        (error.diagnostics[0].line, error.diagnostics[0].column),
        (Some(2), Some(13))
    );
}

#[test]
fn in_memory_data_loads_like_a_directory() {
    // `DataSource::Memory` (used by the fuzz targets) reads the same files the same way.
    let base = Path::new(CORPUS).join("valid-base");
    let files = |kb: Vec<u8>| {
        limitkb::DataSource::Memory(vec![
            ("kb.toml".into(), kb),
            (
                "limitations/capacity.toml".into(),
                std::fs::read(base.join("limitations/capacity.toml")).unwrap(),
            ),
        ])
    };
    let kb = std::fs::read(base.join("kb.toml")).unwrap();
    let from_memory = limitkb::load(&files(kb.clone())).unwrap();
    let from_dir = limitkb::load(&limitkb::DataSource::Dir(base.clone())).unwrap();
    assert_eq!(from_memory, from_dir);

    let mut bad = kb;
    bad.extend_from_slice(b"nmae = 1\n");
    let error = limitkb::load(&files(bad)).unwrap_err();
    assert!(error.to_string().contains("<memory>/kb.toml:"), "{error}");
    let huge = vec![b' '; limitkb::MAX_FILE_BYTES as usize + 1];
    let error = limitkb::load(&files(huge)).unwrap_err();
    assert!(
        error.unreadable && error.to_string().contains("at most"),
        "{error}"
    );
}
