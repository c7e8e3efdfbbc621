//! `limitkb diff` (issue 15): the preview page's real history (tests/fixtures/history/, one data
//! directory per revision, and data/ for the last) classed step by step, the knowledge base's
//! CHANGELOG.md generated from it, one fixture pair per classification rule (the generally
//! available knowledge base with one change each), the version gate, `--base` on a git
//! revision, and a property: a change classed patch or minor for specs never turns a valid
//! spec invalid.

mod support;

use limitkb::diff::{Action, Change, Class, Diff, diff, report};
use limitkb::{Checker, DataSource, Kb, load};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{GA, PREVIEW, data_of, repo};

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// The preview page's revisions, oldest first: a fixture directory each, then data/.
const REVISIONS: [&str; 5] = [
    "2020-12-04",
    "2020-12-12",
    "2021-01-16",
    "2021-02-15",
    "2021-07-12",
];

fn revision_dir(date: &str) -> PathBuf {
    if date == REVISIONS[4] {
        data_of(PREVIEW)
    } else {
        repo()
            .join("tests/fixtures/history")
            .join(date)
            .join(PREVIEW)
    }
}

fn load_dir(dir: &Path) -> Kb {
    load(&DataSource::Dir(dir.to_path_buf()))
        .unwrap_or_else(|e| panic!("{} does not load: {:?}", dir.display(), e.diagnostics))
}

/// The diff of each step of the history, oldest first.
fn history() -> Vec<Diff> {
    REVISIONS
        .windows(2)
        .map(|pair| {
            diff(
                &load_dir(&revision_dir(pair[0])),
                &load_dir(&revision_dir(pair[1])),
            )
        })
        .collect()
}

fn find<'d>(diff: &'d Diff, kind: &str, id: &str) -> &'d Change {
    diff.changes
        .iter()
        .find(|c| c.kind == kind && c.id == id)
        .unwrap_or_else(|| panic!("no {kind} `{id}` in:\n{}", report::text(diff)))
}

#[test]
fn each_step_of_the_preview_history_is_classed_as_its_changes_require() {
    let steps = history();
    let required: Vec<Class> = steps.iter().map(Diff::required).collect();
    assert_eq!(
        required,
        [Class::Major, Class::Patch, Class::Minor, Class::Patch],
        "{}",
        steps.iter().map(report::text).collect::<String>()
    );

    // 2020-12-04 -> 2020-12-12: a new constraint on `region` is major for specs; the public-IP,
    // VPC and port parameters are new fields, minor; the Lambda feature is reworded.
    let step = &steps[0];
    let region = find(step, "limitation", "preview-environment-only");
    assert_eq!(
        (region.specs, &region.action),
        (Class::Major, &Action::Changed)
    );
    assert!(
        region
            .details
            .iter()
            .any(|d| d.starts_with("now refuses `region = ")),
        "{:?}",
        region.details
    );
    for parameter in ["publicly_accessible", "vpc", "port"] {
        let added = find(step, "parameter", parameter);
        assert_eq!((&added.action, added.specs), (&Action::Added, Class::Minor));
    }
    let lambda = find(step, "feature", "lambda_invocation");
    assert_eq!(
        (&lambda.action, lambda.class(), &lambda.details[..]),
        (
            &Action::Changed,
            Class::Patch,
            &["name changed".to_string()][..]
        )
    );
    for added in ["no-public-ip", "vpc-only", "port-3306-only"] {
        assert_eq!(find(step, "limitation", added).action, Action::Added);
    }

    // 2020-12-12 -> 2021-01-16: the Data API and the query editor renamed ("… v1").
    for feature in ["data_api", "query_editor"] {
        let renamed = find(&steps[1], "feature", feature);
        assert_eq!(
            (&renamed.action, renamed.class()),
            (&Action::Changed, Class::Patch)
        );
    }
    // 2021-01-16 -> 2021-02-15: the zone list.
    let zones = find(&steps[2], "parameter", "availability_zone_ids");
    assert_eq!((&zones.action, zones.specs), (&Action::Added, Class::Minor));
    assert_eq!(
        find(&steps[2], "limitation", "availability-zone-ids").action,
        Action::Added
    );
    // 2021-02-15 -> 2021-07-12: multi-master reworded.
    assert_eq!(
        find(&steps[3], "feature", "multi_master").class(),
        Class::Patch
    );
}

#[test]
fn every_step_bumps_the_version_as_far_as_it_must() {
    for step in history() {
        assert_eq!(step.version_check(), Ok(()), "{}", report::text(&step));
        assert_eq!(
            step.bumped(),
            Some(step.required()),
            "{}",
            report::text(&step)
        );
    }
}

/// The preview knowledge base's CHANGELOG.md, newest first, each section by `diff --format
/// markdown` of one step.
fn changelog() -> String {
    let mut out = String::from(
        "# Changelog of the aurora-serverless-v2-preview knowledge base\n\n\
         Each version encodes a revision of the page \"Limitations of Aurora Serverless v2\n\
         (preview)\", dated; each section is `limitkb diff --format markdown` of the previous\n\
         revision's data and this one's (tests/fixtures/history/ holds the earlier revisions).\n\n",
    );
    let steps = history();
    for (step, pair) in steps.iter().zip(REVISIONS.windows(2)).rev() {
        out.push_str(&report::markdown(step, Some(pair[1])));
    }
    let first = load_dir(&revision_dir(REVISIONS[0]));
    out.push_str(&format!(
        "## {} ({})\n\nThe first revision of the page.\n",
        first.meta.version, REVISIONS[0]
    ));
    out
}

#[test]
fn the_changelog_is_the_history_diffed() {
    let path = data_of(PREVIEW).join("CHANGELOG.md");
    let want = changelog();
    if std::env::var_os("UPDATE_CHANGELOG").is_some() {
        std::fs::write(&path, &want).expect("write the changelog");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is not the history diffed; run `UPDATE_CHANGELOG=1 cargo test --test diff` and commit it",
        path.display()
    );
}

/// An edit of the GA knowledge base: the data file (relative to its directory) and what to
/// replace in it with what.
type Edit = (&'static str, &'static str, &'static str);

/// The GA knowledge base with `edits` applied.
fn ga_with(edits: &[Edit]) -> Kb {
    ga_with_files(edits, &[])
}

/// The GA knowledge base with `edits` applied and `extra` files added: `(path relative to the
/// data directory, the file to copy)`.
fn ga_with_files(edits: &[(&str, &str, &str)], extra: &[(&str, PathBuf)]) -> Kb {
    let root = data_of(GA);
    let mut files = Vec::new();
    for entry in walk(&root) {
        let rel = entry
            .strip_prefix(&root)
            .expect("below the root")
            .to_string_lossy()
            .into_owned();
        let mut text =
            String::from_utf8(std::fs::read(&entry).expect("read a data file")).expect("UTF-8");
        for (file, from, to) in edits {
            if rel == *file {
                assert!(text.contains(from), "{file} no longer holds {from:?}");
                text = text.replacen(from, to, 1);
            }
        }
        files.push((rel, text.into_bytes()));
    }
    for (rel, file) in extra {
        files.push((
            rel.to_string(),
            std::fs::read(file).expect("read an extra file"),
        ));
    }
    load(&DataSource::Memory(files))
        .unwrap_or_else(|e| panic!("the edited data does not load: {:?}", e.diagnostics))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read a data directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

const CAPACITY: &str = "limitations/capacity.toml";
const ENGINE: &str = "limitations/engine.toml";
const FEATURES: &str = "limitations/features.toml";
const INSTANCES: &str = "limitations/instances.toml";
const KB_TOML: &str = "kb.toml";

/// `engine` allowed by one limitation, `engines-mysql-and-postgresql`.
const ENGINES: &str = r#"constraint = [{ kind = "one-of", parameter = "engine", values = ["aurora-mysql", "aurora-postgresql"] }]"#;
/// A notice of the engine file, to give a constraint to.
const NOTICE: &str = "source = { quote = \"The following example shows";
/// A parameter that no limitation constrains.
const VPC_PARAMETER: &str = "[[parameter]]\nid = \"vpc\"\ntitle = \"In a VPC\"\ntype = \"boolean\"\n\n[[parameter]]\nid = \"engine\"";
/// The readers-in-advance notice, whole.
const READERS_IN_ADVANCE: &str = "[[limitation]]\nid = \"readers-in-advance\"";

#[test]
fn each_classification_rule_has_its_fixture_pair() {
    // (the rule, the edits of the old side, of the new side, the change, its classes for
    // specs, code and docs)
    type Case = (
        &'static str,
        Vec<Edit>,
        Vec<Edit>,
        (&'static str, &'static str),
        [Class; 3],
    );
    let cases: Vec<Case> = vec![
        (
            "a raised minimum is major for specs",
            vec![],
            vec![(CAPACITY, "min = 0.5", "min = 1")],
            ("limitation", "capacity-range"),
            [Class::Major, Class::Patch, Class::Patch],
        ),
        (
            "a lowered maximum is major for specs",
            vec![],
            vec![(CAPACITY, "max = 128", "max = 64")],
            ("limitation", "capacity-range"),
            [Class::Major, Class::Patch, Class::Patch],
        ),
        (
            "a lowered maximum is major for specs even where the example breaks the minimum",
            vec![(KB_TOML, "example = [0.5, 16]", "example = [0.25, 16]")],
            vec![
                (KB_TOML, "example = [0.5, 16]", "example = [0.25, 16]"),
                (CAPACITY, "max = 128", "max = 64"),
            ],
            ("limitation", "capacity-range"),
            [Class::Major, Class::Patch, Class::Patch],
        ),
        (
            "a lowered minimum is minor for specs",
            vec![],
            vec![(CAPACITY, "min = 0.5", "min = 0")],
            ("limitation", "capacity-range"),
            [Class::Minor, Class::Patch, Class::Patch],
        ),
        (
            "a removed allowed value is major for specs",
            vec![],
            vec![(
                ENGINE,
                ENGINES,
                r#"constraint = [{ kind = "one-of", parameter = "engine", values = ["aurora-mysql"] }]"#,
            )],
            ("limitation", "engines-mysql-and-postgresql"),
            [Class::Major, Class::Patch, Class::Patch],
        ),
        (
            "a new constraint on an existing field is major for specs",
            vec![],
            vec![(
                ENGINE,
                NOTICE,
                "constraint = [{ kind = \"equals\", parameter = \"engine\", value = \"aurora-mysql\" }]\nsource = { quote = \"The following example shows",
            )],
            ("limitation", "confirm-engine-versions-with-cli"),
            [Class::Major, Class::Patch, Class::Patch],
        ),
        (
            "an equals moved to a one-of in another limitation is a loosening, minor",
            vec![(
                ENGINE,
                ENGINES,
                r#"constraint = [{ kind = "equals", parameter = "engine", value = "aurora-mysql" }]"#,
            )],
            vec![
                (ENGINE, ENGINES, ""),
                (
                    ENGINE,
                    NOTICE,
                    "constraint = [{ kind = \"one-of\", parameter = \"engine\", values = [\"aurora-mysql\", \"aurora-postgresql\"] }]\nsource = { quote = \"The following example shows",
                ),
            ],
            ("limitation", "engines-mysql-and-postgresql"),
            [Class::Minor, Class::Patch, Class::Patch],
        ),
        (
            "an added field is minor for specs and code",
            vec![],
            vec![(KB_TOML, "[[parameter]]\nid = \"engine\"", VPC_PARAMETER)],
            ("parameter", "vpc"),
            [Class::Minor, Class::Minor, Class::Patch],
        ),
        (
            "a removed field is major for specs and code",
            vec![(KB_TOML, "[[parameter]]\nid = \"engine\"", VPC_PARAMETER)],
            vec![],
            ("parameter", "vpc"),
            [Class::Major, Class::Major, Class::Patch],
        ),
        (
            "a removed limitation is major for code (its id) and docs (its anchor)",
            vec![],
            vec![(
                FEATURES,
                READERS_IN_ADVANCE,
                "[[limitation]]\nid = \"readers-in-advance-renamed\"",
            )],
            ("limitation", "readers-in-advance"),
            [Class::Patch, Class::Major, Class::Major],
        ),
        (
            "an added limitation is minor for code and docs",
            vec![],
            vec![(
                FEATURES,
                READERS_IN_ADVANCE,
                "[[limitation]]\nid = \"readers-in-advance-renamed\"",
            )],
            ("limitation", "readers-in-advance-renamed"),
            [Class::Patch, Class::Minor, Class::Minor],
        ),
        (
            "a constant whose type changes is major for code",
            vec![],
            vec![(
                INSTANCES,
                "value = 1, description",
                "value = \"one\", description",
            )],
            ("constant", "writer_instances_per_cluster"),
            [Class::Patch, Class::Major, Class::Patch],
        ),
        (
            "a reworded summary is a patch",
            vec![],
            vec![(
                FEATURES,
                "cannot be turned on for a cluster",
                "cannot be enabled on a cluster",
            )],
            ("limitation", "unsupported-database-activity-streams"),
            [Class::Patch, Class::Patch, Class::Patch],
        ),
    ];
    let mut failures = Vec::new();
    for (what, old_edits, new_edits, (kind, id), classes) in cases {
        let d = diff(&ga_with(&old_edits), &ga_with(&new_edits));
        let Some(change) = d.changes.iter().find(|c| c.kind == kind && c.id == id) else {
            failures.push(format!("{what}: no {kind} `{id}` in\n{}", report::text(&d)));
            continue;
        };
        let got = [change.specs, change.code, change.docs];
        if got != classes {
            failures.push(format!(
                "{what}: {kind} `{id}` is {got:?}, expected {classes:?}\n{}",
                report::text(&d)
            ));
        }
        // The bump the diff requires is the highest class of any change.
        let highest = d
            .changes
            .iter()
            .map(Change::class)
            .max()
            .unwrap_or(Class::Patch);
        assert_eq!(d.required(), highest);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Backtracking, as the GA page listed it among the features that aren't available until its
/// 2023-03-24 revision: the feature, the earlier revision as another source (its copy in
/// tests/fixtures/lifted/), and the limitation quoting it, `status` appended by the test.
const BACKTRACKING_FEATURE: Edit = (
    KB_TOML,
    "[[feature]]\nid = \"auto_scaling\"",
    "[[feature]]\nid = \"backtracking\"\nname = \"Backtracking for Aurora MySQL\"\n\n[[feature]]\nid = \"auto_scaling\"",
);
const EARLIER_SOURCE: Edit = (
    KB_TOML,
    "[[category]]",
    "[[other_source]]\nid = \"requirements-2022-12-09\"\ntitle = \"Requirements for Aurora Serverless v2 (revision of 2022-12-09)\"\nrevision = \"2022-12-09\"\ncopy = \"sources/requirements-2022-12-09.md\"\n\n[[category]]",
);
const BACKTRACKING: &str = "[[limitation]]\nid = \"unsupported-backtracking\"\ntitle = \"Backtracking is not supported\"\nsummary = \"Backtracking for Aurora MySQL is not available for Aurora MySQL version 3.\"\nconstraint = [{ kind = \"unsupported\", feature = \"backtracking\" }]\nsource = { document = \"requirements-2022-12-09\", quote = \"Backtracking for Aurora MySQL. This feature currently isn't available for Aurora MySQL version 3.\" }\n";

/// The GA knowledge base with backtracking, lifted or not.
fn ga_with_backtracking(lifted: bool) -> Kb {
    let limitation = format!(
        "{BACKTRACKING}{}\n[[limitation]]\nid = \"unsupported-auto-scaling\"",
        if lifted {
            "status = \"lifted\"\nlifted_in = \"2023-03-24\"\n"
        } else {
            ""
        }
    );
    ga_with_files(
        &[
            BACKTRACKING_FEATURE,
            EARLIER_SOURCE,
            (
                FEATURES,
                "[[limitation]]\nid = \"unsupported-auto-scaling\"",
                &limitation,
            ),
        ],
        &[(
            "sources/requirements-2022-12-09.md",
            repo().join("tests/fixtures/lifted/aurora-serverless-v2.requirements.2022-12-09.md"),
        )],
    )
}

#[test]
fn a_lifted_limitation_diffs_as_lifted_minor_for_specs_and_a_rename_as_renamed() {
    // Backtracking, unsupported, then lifted (the page dropped it on 2023-03-24).
    let d = diff(&ga_with_backtracking(false), &ga_with_backtracking(true));
    let lifted = find(&d, "limitation", "unsupported-backtracking");
    assert_eq!(
        (&lifted.action, lifted.specs, lifted.code, lifted.docs),
        (&Action::Lifted, Class::Minor, Class::Patch, Class::Patch),
        "{}",
        report::text(&d)
    );
    assert!(
        lifted
            .details
            .iter()
            .any(|d| d == "lifted in the source's revision of 2023-03-24")
            && lifted
                .details
                .iter()
                .any(|d| d.contains("features.backtracking = true")),
        "{:?}",
        lifted.details
    );
    assert_eq!(d.required(), Class::Minor, "{}", report::text(&d));
    assert!(
        report::markdown(&d, None)
            .contains("- limitation `unsupported-backtracking` lifted (specs)")
    );

    // A rename stated with `replaces`: one change, not a removal and an addition; the old id
    // and its anchor are gone.
    let d = diff(
        &ga_with(&[]),
        &ga_with(&[(
            FEATURES,
            READERS_IN_ADVANCE,
            "[[limitation]]\nreplaces = \"readers-in-advance\"\nid = \"readers-ahead-of-time\"",
        )]),
    );
    let renamed = find(&d, "limitation", "readers-ahead-of-time");
    assert_eq!(
        (&renamed.action, renamed.specs, renamed.code, renamed.docs),
        (&Action::Renamed, Class::Patch, Class::Major, Class::Major)
    );
    assert_eq!(renamed.details, ["renamed from `readers-in-advance`"]);
    assert!(
        !d.changes.iter().any(|c| c.id == "readers-in-advance"),
        "{}",
        report::text(&d)
    );
}

#[test]
fn the_version_gate_fails_naming_the_change_that_needs_the_bump() {
    let old = load_dir(&revision_dir(REVISIONS[0]));
    let mut new = load_dir(&revision_dir(REVISIONS[1]));
    new.meta.version = old.meta.version.clone();
    let why = diff(&old, &new).version_check().unwrap_err();
    assert!(
        why.contains("version 1.0.0 -> 1.0.0 is no bump, and the changes require a major bump")
            && why.contains("limitation `preview-environment-only` changed (major for specs)"),
        "{why}"
    );
    new.meta.version = "1.1.0".into();
    let why = diff(&old, &new).version_check().unwrap_err();
    assert!(why.contains("is a minor bump"), "{why}");
    new.meta.version = "2.0.0".into();
    assert_eq!(diff(&old, &new).version_check(), Ok(()));

    // Through the binary: exit code 1 and the reason on stderr.
    let temp = tempfile::tempdir().expect("a temporary directory");
    copy_dir(&revision_dir(REVISIONS[1]), &temp.path().join(PREVIEW));
    let kb_toml = temp.path().join(PREVIEW).join("kb.toml");
    let text = std::fs::read_to_string(&kb_toml).expect("kb.toml");
    std::fs::write(
        &kb_toml,
        text.replace("version = \"2.0.0\"", "version = \"1.0.1\""),
    )
    .expect("write kb.toml");
    let run = Command::new(BIN)
        .args(["diff", "--kb", PREVIEW, "--check-version"])
        .arg(revision_dir(REVISIONS[0]))
        .arg(temp.path())
        .output()
        .expect("run limitkb");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is a patch bump, and the changes require a major bump"),
        "{stderr}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for file in walk(from) {
        let target = to.join(file.strip_prefix(from).expect("below"));
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::copy(&file, &target).expect("copy");
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn base_reads_a_git_revision_without_checking_it_out() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let repo = temp.path();
    git(repo, &["init", "-q"]);
    copy_dir(
        &revision_dir(REVISIONS[2]),
        &repo.join("data").join(PREVIEW),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "2021-01-16"]);
    std::fs::remove_dir_all(repo.join("data").join(PREVIEW)).expect("remove");
    copy_dir(
        &revision_dir(REVISIONS[3]),
        &repo.join("data").join(PREVIEW),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "2021-02-15"]);

    let run = Command::new(BIN)
        .args([
            "diff",
            "--base",
            "HEAD~1",
            "--kb",
            PREVIEW,
            "--format",
            "json",
            "--check-version",
        ])
        .current_dir(repo)
        .output()
        .expect("run limitkb");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(
        (
            &report["old_version"],
            &report["new_version"],
            &report["required"]
        ),
        (&"2.0.1".into(), &"2.1.0".into(), &"minor".into())
    );
    assert!(
        report["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["kind"] == "parameter" && c["id"] == "availability_zone_ids"),
        "{report}"
    );
    // The work tree was not touched.
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(repo)
        .output()
        .expect("git status");
    assert!(status.stdout.is_empty());
}

/// The knowledge base of each revision, and the highest specs class of each step.
fn revisions() -> (Vec<Kb>, Vec<Class>) {
    let kbs: Vec<Kb> = REVISIONS
        .iter()
        .map(|r| load_dir(&revision_dir(r)))
        .collect();
    let classes = kbs
        .windows(2)
        .map(|pair| {
            diff(&pair[0], &pair[1])
                .changes
                .iter()
                .map(|c| c.specs)
                .max()
                .unwrap_or(Class::Patch)
        })
        .collect();
    (kbs, classes)
}

/// A spec drawn by `pick` from pools of values the history's knowledge bases name, the valid
/// ones more often, so that many specs are valid before a step.
fn random_spec(pick: &mut impl FnMut(usize) -> usize) -> serde_json::Value {
    fn one<T: Clone>(pick: &mut impl FnMut(usize) -> usize, pool: &[T]) -> T {
        pool[pick(pool.len())].clone()
    }
    // Each pool: a value valid in every revision most of the time, then others.
    fn mostly<T: Clone>(pick: &mut impl FnMut(usize) -> usize, valid: T, others: &[T]) -> T {
        match pick(8) {
            0 => one(pick, others),
            _ => valid,
        }
    }
    let acu: [f64; 8] = [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
    let (a, b) = (one(pick, &acu), one(pick, &acu));
    serde_json::json!({
        "engine": mostly(pick, "aurora-mysql", &["aurora-postgresql"]),
        "engine_version": mostly(pick, "2.07", &["2.07.1", "3.02.0"]),
        "region": mostly(pick, "us-east-1", &["us-west-2", "eu-west-1"]),
        "interface": mostly(pick, "console", &["api"]),
        "capacity": {"min_acu": a.min(b), "max_acu": a.max(b)},
        "port": mostly(pick, 3306, &[5432]),
        "publicly_accessible": mostly(pick, false, &[true]),
        "vpc": mostly(pick, true, &[false]),
        "availability_zone_ids": [mostly(pick, "use1-az2", &["use1-az4", "use1-az1"])],
    })
}

#[test]
fn a_step_classed_patch_or_minor_for_specs_never_turns_a_valid_spec_invalid() {
    let (kbs, classes) = revisions();
    // A fixed linear congruential sequence: the same specs every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut pick = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    let specs: Vec<serde_json::Value> = (0..2000).map(|_| random_spec(&mut pick)).collect();
    let mut checked = 0;
    for (pair, &specs_class) in kbs.windows(2).zip(&classes) {
        if specs_class == Class::Major {
            continue;
        }
        let (before, after) = (Checker::new(&pair[0]), Checker::new(&pair[1]));
        let valid = |checker: &Checker<'_>, text: &str| {
            checker
                .check_text("spec.json", text.to_string())
                .diagnostics
                .iter()
                .all(|d| d.severity != limitkb::diagnostic::Severity::Error)
        };
        // Only the fields the old knowledge base knows: a spec written for it.
        let known: Vec<&String> = pair[0].meta.parameters.iter().map(|p| &p.id).collect();
        for spec in &specs {
            let mut spec = spec.clone();
            spec.as_object_mut()
                .expect("an object")
                .retain(|k, _| known.contains(&k));
            let text = spec.to_string();
            if valid(&before, &text) {
                checked += 1;
                assert!(
                    valid(&after, &text),
                    "{} -> {}: {text} was valid and is not, though the step is {specs_class:?} for specs",
                    pair[0].meta.version,
                    pair[1].meta.version
                );
            }
        }
    }
    // The property is about valid specs: enough of them were tried.
    eprintln!("{checked} specs valid before a patch or minor step stay valid after it");
    assert!(
        checked >= 500,
        "only {checked} specs were valid before a step"
    );
}

#[test]
fn source_check_reports_exactly_a_sentence_removed_and_one_added() {
    let current = data_of(PREVIEW).join("sources/aurora-serverless-2.limitations.md");
    let text = std::fs::read_to_string(&current).expect("the preview's source copy");
    // Unchanged: nothing to report.
    let run = |copy: &Path| {
        Command::new(BIN)
            .args(["source", "check", "--kb", PREVIEW])
            .arg(copy)
            .output()
            .expect("run limitkb")
    };
    let same = run(&current);
    assert_eq!(
        same.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&same.stdout)
    );

    let removed =
        "You can't give an Aurora Serverless v2 \\(preview\\) DB cluster a public IP address\\. ";
    let before =
        "+  Aurora Serverless v2 \\(preview\\) databases are accessible only through port 3306\\.";
    assert!(
        text.contains(removed) && text.contains(before),
        "the page changed"
    );
    let edited = text.replacen(removed, "", 1).replacen(
        before,
        &format!("+  Aurora Serverless v2 \\(preview\\) DB clusters support at most 15 readers\\.\n{before}"),
        1,
    );
    let temp = tempfile::tempdir().expect("a temporary directory");
    let copy = temp.path().join("new.md");
    std::fs::write(&copy, edited).expect("write the new copy");
    let drifted = run(&copy);
    let stdout = String::from_utf8_lossy(&drifted.stdout);
    assert_eq!(drifted.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "gone: limitation no-public-ip (quote): \"You can't give an Aurora Serverless v2 (preview) DB cluster a public IP address.\"",
            &format!(
                "uncited: {}:21: \"Aurora Serverless v2 (preview) DB clusters support at most 15 readers.\"",
                copy.display()
            ),
        ],
        "{stdout}"
    );
    assert!(
        lines[2]
            .starts_with("aurora-serverless-v2-preview: 1 passage(s) gone, 1 new unit(s) uncited;"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3, "{stdout}");
}

#[test]
fn validate_gives_the_coverage_of_the_source_copy_that_source_check_counts() {
    let validate = Command::new(BIN)
        .args(["validate", "--kb", PREVIEW])
        .output()
        .expect("run limitkb");
    let line = String::from_utf8_lossy(&validate.stdout)
        .trim_end()
        .to_string();
    assert_eq!(validate.status.code(), Some(0), "{line}");
    let counts = |text: &str, before: &str, after: &str| -> (usize, usize) {
        let rest = &text[text.find(before).expect(before) + before.len()..];
        let (cited, rest) = rest.split_once(" of ").expect("N of M");
        let total = &rest[..rest.find(after).expect(after)];
        (cited.parse().expect("N"), total.parse().expect("M"))
    };
    let (cited, units) = counts(
        &line,
        "(the source copy: ",
        " sentences, list items and table rows cited)",
    );
    assert!(line.ends_with(", valid"), "{line}");

    let copy = data_of(PREVIEW).join("sources/aurora-serverless-2.limitations.md");
    let check = Command::new(BIN)
        .args(["source", "check", "--kb", PREVIEW])
        .arg(&copy)
        .output()
        .expect("run limitkb");
    let summary = String::from_utf8_lossy(&check.stdout)
        .trim_end()
        .to_string();
    assert_eq!(
        counts(&summary, "uncited; ", " units"),
        (cited, units),
        "{summary}"
    );
    // Limitations quote the page, but some of its sentences (an introduction, an example
    // command) are no limitation.
    assert!(0 < cited && cited < units, "{line}");
}
