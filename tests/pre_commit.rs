//! `.pre-commit-hooks.yaml`: the pinned pre-commit (`tests/tools/requirements.txt`) runs this
//! repository's `limitkb-check` hook with `pre-commit try-repo` in a fixture git repository.
//! The hook passes the valid example specs and fails the broken ones with limitkb's messages.
//!
//! `try-repo` builds the hook as a pre-commit user's machine does: it clones the hook
//! repository and runs `cargo install --bins --path .` in the clone. Of a work tree it would
//! clone HEAD plus the changes of tracked files and the staged new ones, but not the files not
//! yet added (a new `.pre-commit-hooks.yaml`, or a new module that a changed file declares), so
//! the test hands it a snapshot instead: a git repository with one commit of every file of the
//! work tree that git does not ignore, the files `cargo test` builds from.
//!
//! `try-repo` keeps its clone and the hook's environment in a temporary store and builds afresh
//! on each call (`PRE_COMMIT_HOME`, under the target directory, holds only pre-commit's own
//! files); `CARGO_TARGET_DIR` under the target directory keeps the compiled dependencies between
//! calls and runs: the first run compiles them in release mode (several minutes), each later
//! call only limitkb itself (about a minute).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::{repo, tools};

/// Cargo's target directory, as `tests/support/tools.rs` computes it: `CARGO_TARGET_DIR` if set
/// (a relative one from the package root), else `<root>/target`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => repo().join(dir),
        _ => repo().join("target"),
    }
}

/// A command with no `GIT_*` variable of the environment it runs in (say, a git hook running
/// the tests), which would point git at another repository or index.
fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = tools::run(command("git").args(args).current_dir(dir));
    assert!(
        output.status.success(),
        "git {args:?} failed in {}: {}",
        dir.display(),
        tools::streams(&output)
    );
    output
}

/// A git repository in `dir` with one commit of the work tree's files that git does not
/// ignore, tracked or not (as `cargo test` sees them; a file deleted from the work tree is not
/// there).
fn snapshot_of_work_tree(dir: &Path) {
    let listed = git(
        repo(),
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    let mut copied = 0;
    for name in listed
        .stdout
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
    {
        let name = std::str::from_utf8(name).expect("a UTF-8 path");
        let from = repo().join(name);
        if !from.is_file() {
            continue;
        }
        let to = dir.join(name);
        std::fs::create_dir_all(to.parent().expect("a parent")).unwrap();
        std::fs::copy(&from, &to)
            .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
        copied += 1;
    }
    assert!(
        dir.join(".pre-commit-hooks.yaml").is_file(),
        "the work tree has no .pre-commit-hooks.yaml ({copied} files copied)"
    );
    init_repo(dir);
    git(dir, &["add", "--all"]);
    git(
        dir,
        &[
            "commit",
            "--quiet",
            "--no-gpg-sign",
            "--message",
            "snapshot",
        ],
    );
}

/// `git init` in `dir`, with an identity for commits.
fn init_repo(dir: &Path) {
    git(dir, &["init", "--quiet"]);
    git(dir, &["config", "user.name", "limitkb test"]);
    git(dir, &["config", "user.email", "limitkb-test@example.com"]);
}

/// `pre-commit try-repo <hook repository> limitkb-check --files <files>` in `fixture`, with
/// pre-commit's home and the hook's cargo build under the target directory, and this test's
/// cargo first on `PATH` (pre-commit builds with the `cargo` it finds there).
fn try_repo(hooks: &Path, fixture: &Path, files: &[&str]) -> Output {
    let tools_dir = target_dir().join("test-tools");
    let cargo_dir = Path::new(env!("CARGO"))
        .parent()
        .expect("cargo's directory");
    let path = std::env::join_paths(std::iter::once(cargo_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a PATH");
    tools::run(
        command(tools::python_bin("pre-commit"))
            .args(["try-repo", "--color", "never"])
            .arg(hooks)
            .args(["limitkb-check", "--files"])
            .args(files)
            .current_dir(fixture)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", tools_dir.join("pre-commit-home"))
            .env(
                "CARGO_TARGET_DIR",
                tools_dir.join("pre-commit-cargo-target"),
            ),
    )
}

/// The example at `examples/<name>` with its relative schema path (`../generated/…`) made
/// absolute, so that limitkb reads the knowledge base's id from it in the fixture.
fn example_for_fixture(name: &str) -> String {
    let text = std::fs::read_to_string(repo().join("examples").join(name)).expect("an example");
    let absolute = format!("{}/generated/", repo().display());
    let rewritten = text.replacen("../generated/", &absolute, 1);
    assert_ne!(
        rewritten, text,
        "examples/{name} names no ../generated/ schema"
    );
    rewritten
}

/// The status line pre-commit prints for the hook: `limitkb check.....Passed`.
fn hook_status(output: &str) -> Option<&str> {
    output
        .lines()
        .find(|line| line.starts_with("limitkb check..."))
        .map(|line| {
            line.trim_start_matches("limitkb check")
                .trim_start_matches('.')
        })
}

#[test]
fn try_repo_passes_valid_specs_and_fails_broken_ones_and_a_broken_template_with_limitkbs_messages()
{
    let hooks = tempfile::tempdir().unwrap();
    snapshot_of_work_tree(hooks.path());

    let fixture = tempfile::tempdir().unwrap();
    let dir = fixture.path();
    init_repo(dir);
    for name in [
        "cluster-valid.toml",
        "cluster-valid.json",
        "cluster-broken.toml",
        "cluster-broken.json",
    ] {
        std::fs::write(dir.join(name), example_for_fixture(name)).unwrap();
    }
    git(dir, &["add", "."]);

    // One test runs both, one after the other: each builds the hook in the same target dir.
    let good = try_repo(
        hooks.path(),
        dir,
        &["cluster-valid.toml", "cluster-valid.json"],
    );
    let good_output = tools::streams(&good);
    assert!(
        good.status.success(),
        "the valid specs fail the hook: {good_output}"
    );
    // `Skipped` would mean the hook's `files` matched neither.
    assert_eq!(
        hook_status(&good_output),
        Some("Passed"),
        "the hook's status line: {good_output}"
    );

    let bad = try_repo(
        hooks.path(),
        dir,
        &["cluster-broken.toml", "cluster-broken.json"],
    );
    assert_hook_fails_with(
        &bad,
        &[
            "- hook id: limitkb-check",
            // limitkb's exit code: violations.
            "- exit code: 1",
            "error: port = 5432 is not allowed: it must be exactly 3306 [port-3306-only]",
            "--> cluster-broken.toml:14:8",
            "[unsupported-backtracking]",
            "--> cluster-broken.json:11:33",
            "10 problem(s) in 2 of 2 file(s)",
        ],
    );

    // A CloudFormation template names no knowledge base: the repository keeps the one it
    // deploys against in `data/`, which `limitkb check` reads by default.
    copy_dir(
        &repo().join("data/aurora-serverless-v2"),
        &dir.join("data/aurora-serverless-v2"),
    );
    std::fs::create_dir_all(dir.join("infra")).unwrap();
    std::fs::copy(
        repo()
            .join("tests/fixtures/cloudformation/aurora-serverless-v2/capacity-above-maximum.yaml"),
        dir.join("infra/template-broken.yaml"),
    )
    .unwrap();
    git(dir, &["add", "."]);
    let template = try_repo(hooks.path(), dir, &["infra/template-broken.yaml"]);
    assert_hook_fails_with(
        &template,
        &[
            "- exit code: 1",
            "error: cluster `PeakCluster`: capacity.max_acu = 256 is not allowed: it must be from 0.5 ACU to 128 ACU [capacity-range]",
            "--> infra/template-broken.yaml:14:22",
        ],
    );
}

/// That pre-commit exited 1 with the hook's status `Failed` and its output holds each of
/// `expected`.
fn assert_hook_fails_with(run: &Output, expected: &[&str]) {
    let output = tools::streams(run);
    assert_eq!(
        run.status.code(),
        Some(1),
        "pre-commit exits 1 when the hook fails: {output}"
    );
    assert_eq!(
        hook_status(&output),
        Some("Failed"),
        "the hook's status line: {output}"
    );
    for expected in expected {
        assert!(
            output.contains(expected),
            "the hook's output lacks `{expected}`: {output}"
        );
    }
}

/// Copies the files under `from` to `to`, creating directories.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
