//! The cache makes unchanged work free and never hides a change: `generate --check` with the
//! same inputs only hashes the output directory, rustfmt runs once per distinct text, and any
//! change to the data, the templates or a generated file is still reported.
//!
//! The generated Rust is laid out without rustfmt except for shapes `rust_layout` leaves to
//! it; these tests give a feature a name that long, so that rustfmt runs.

mod support;

use support::files::copy_dir;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the data, an output directory, a cache directory, and a rustfmt that logs each
/// time it runs.
struct Scratch {
    _dir: tempfile::TempDir,
    data: PathBuf,
    templates: PathBuf,
    out: PathBuf,
    cache: PathBuf,
    rustfmt_log: PathBuf,
    rustfmt: PathBuf,
}

impl Scratch {
    /// The data with a feature name too long for a `match` arm of one line or of a block.
    fn new() -> Scratch {
        let s = Scratch::with_real_data();
        s.edit(
            &s.data.join("kb.toml"),
            "name = \"Amazon RDS Proxy\"",
            &format!("name = \"Amazon RDS Proxy, {}\"", "a proxy ".repeat(12)),
        );
        s
    }

    fn with_real_data() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        copy_dir(&Path::new(ROOT).join("data"), &root.join("data"));
        copy_dir(&Path::new(ROOT).join("templates"), &root.join("templates"));
        let rustfmt_log = root.join("rustfmt.log");
        let rustfmt = root.join("logging-rustfmt");
        std::fs::write(
            &rustfmt,
            format!(
                "#!/bin/sh\necho run >> '{}'\nexec rustfmt \"$@\"\n",
                rustfmt_log.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(
            &rustfmt,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
        Scratch {
            data: root.join("data"),
            templates: root.join("templates"),
            out: root.join("out"),
            cache: root.join("cache"),
            rustfmt_log,
            rustfmt,
            _dir: dir,
        }
    }

    fn generate(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_limitkb"))
            .arg("generate")
            .args(extra)
            .arg("--data")
            .arg(&self.data)
            .arg("--templates")
            .arg(&self.templates)
            .arg("--out")
            .arg(&self.out)
            .env("LIMITKB_CACHE_DIR", &self.cache)
            .env("RUSTFMT", &self.rustfmt)
            .output()
            .expect("limitkb runs")
    }

    /// How many times rustfmt ran so far.
    fn rustfmt_runs(&self) -> usize {
        std::fs::read_to_string(&self.rustfmt_log)
            .map(|log| log.lines().count())
            .unwrap_or(0)
    }

    fn edit(&self, path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts the exit code, showing the output if it differs.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn unchanged_inputs_skip_the_work_and_every_change_is_still_reported() {
    let s = Scratch::new();
    assert_exit(&s.generate(&[]), 0);
    assert_eq!(
        s.rustfmt_runs(),
        1,
        "one generated Rust file, formatted once"
    );
    let files = std::fs::read_to_string(s.out.join(".limitkb-manifest"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .count()
        + 1;

    // Same inputs: up to date, and neither rendered nor formatted again.
    let check = s.generate(&["--check"]);
    assert_exit(&check, 0);
    assert_eq!(
        stdout(&check).trim(),
        format!("{}: {files} files up to date", s.out.display())
    );
    assert_eq!(s.rustfmt_runs(), 1);

    // A hand-edited generated file is stale, although the inputs did not change. The full
    // render takes rustfmt's output for the unchanged Rust from the cache.
    let docs = s.out.join("docs/capacity.md");
    let original = std::fs::read_to_string(&docs).unwrap();
    std::fs::write(&docs, format!("{original}\nhand-edited\n")).unwrap();
    let check = s.generate(&["--check"]);
    assert_exit(&check, 1);
    assert_eq!(stdout(&check), "stale: docs/capacity.md\n");
    assert_eq!(s.rustfmt_runs(), 1);
    std::fs::write(&docs, &original).unwrap();

    // A deleted generated file is missing.
    let json = s.out.join("json/limitations.json");
    let bundle = std::fs::read(&json).unwrap();
    std::fs::remove_file(&json).unwrap();
    let check = s.generate(&["--check"]);
    assert_exit(&check, 1);
    assert_eq!(stdout(&check), "missing: json/limitations.json\n");
    std::fs::write(&json, bundle).unwrap();
    assert_exit(&s.generate(&["--check"]), 0);

    // A changed template: only the docs it renders are stale.
    s.edit(
        &s.templates.join("docs/SUMMARY.md.tera"),
        "# Summary",
        "# Contents",
    );
    let check = s.generate(&["--check"]);
    assert_exit(&check, 1);
    assert_eq!(stdout(&check), "stale: docs/SUMMARY.md\n");
    assert_eq!(s.rustfmt_runs(), 1, "the Rust did not change");
    s.edit(
        &s.templates.join("docs/SUMMARY.md.tera"),
        "# Contents",
        "# Summary",
    );

    // A changed value: the Rust changes, so rustfmt runs for the new text.
    s.edit(
        &s.data.join("limitations/capacity.toml"),
        "max = 32",
        "max = 48",
    );
    let check = s.generate(&["--check"]);
    assert_exit(&check, 1);
    assert!(stdout(&check).contains("stale: rust/src/lib.rs\n"));
    assert_eq!(s.rustfmt_runs(), 2);
    assert_exit(&s.generate(&[]), 0);
    assert_exit(&s.generate(&["--check"]), 0);
    assert_eq!(s.rustfmt_runs(), 2, "that text is formatted already");

    // Without the cache, everything runs.
    assert_exit(&s.generate(&["--check", "--no-cache"]), 0);
    assert_eq!(s.rustfmt_runs(), 3);
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let s = Scratch::new();
    assert_exit(&s.generate(&["--no-cache"]), 0);
    assert_exit(&s.generate(&["--check", "--no-cache"]), 0);
    assert!(!s.cache.exists(), "the cache directory was created");
    assert_eq!(s.rustfmt_runs(), 2);
}

#[test]
fn a_broken_cache_directory_costs_only_the_work() {
    let s = Scratch::new();
    // A file where the cache directory should be: nothing can be cached.
    std::fs::write(&s.cache, "not a directory").unwrap();
    assert_exit(&s.generate(&[]), 0);
    assert_exit(&s.generate(&["--check"]), 0);
    assert_eq!(s.rustfmt_runs(), 2);
}

#[test]
fn the_real_knowledge_base_is_laid_out_without_rustfmt() {
    let s = Scratch::with_real_data();
    assert_exit(&s.generate(&["--no-cache"]), 0);
    assert_exit(&s.generate(&["--check", "--no-cache"]), 0);
    assert_eq!(s.rustfmt_runs(), 0);
}
