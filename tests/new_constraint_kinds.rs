//! The model features the generally available Aurora Serverless v2 needs, added to a copy of
//! the data with no code change: ranges with fractional bounds and a step (`multiple-of`: "from
//! 0.5 to 128 ACU in increments of 0.5 ACU"), and versions (`version`: a family and a floor,
//! compared numerically, in the product's own spellings), constraints that hold only `when`
//! other parameters have given values, lists of objects (`[[instance]]`) with rules per
//! field, and presence (`required`: capacity when any instance is `db.serverless`). `limitkb check` reports what it must, ajv agrees
//! wherever the schema decides, the constants have the parameter's type, and the lint rejects
//! rules that cannot work.

mod support;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::files::copy_dir;
use support::tools::{self, streams};

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// The parameters and limitation added to a copy of `data/`.
const PARAMETERS: &str = r#"
[[parameter]]
id = "scaled_capacity"
title = "Scaled capacity"
type = "range"
bounds = "number"
unit = "ACU"
min_key = "min_acu"
max_key = "max_acu"
example = [0.5, 128]

[[parameter]]
id = "ratio"
title = "Ratio"
type = "number"

[[parameter]]
id = "db_version"
title = "Database version"
type = "version"
spellings = ["8.0.mysql_aurora.{version}"]
example = "3.02.0"

[[parameter]]
id = "dialect"
title = "Dialect"
type = "string"
values = ["a-sql", "b-sql"]

[[parameter]]
id = "site"
title = "Site"
type = "string"

[[feature]]
id = "fast_clone"
name = "Fast clone"

[[parameter]]
id = "instance"
title = "DB instances"
type = "object-list"

[[parameter.field]]
id = "class"
title = "Instance class"
type = "string"

[[parameter.field]]
id = "promotion_tier"
title = "Promotion tier"
type = "integer"
"#;

fn limitation(id: &str, constraints: &str, source: &str) -> String {
    format!(
        "\n[[limitation]]\nid = \"{id}\"\ntitle = \"A test limitation\"\n\
         summary = \"Added by a test.\"\nconstraint = [{constraints}]\nsource = {source}\n"
    )
}

/// The `source` of `capacity-range`, as an inline table, so that the quote is in the copy.
fn capacity_source(capacity: &str) -> String {
    let at = capacity
        .find("id = \"capacity-range\"")
        .expect("capacity-range");
    let line = capacity[at..]
        .lines()
        .find(|l| l.starts_with("source = "))
        .expect("capacity-range has a one-line source");
    line["source = ".len()..].to_string()
}

/// A copy of the preview knowledge base at `<dir>/data` with the parameters and the
/// limitations `constraints` (one limitation per entry) added; returns its path.
fn data_with(dir: &Path, constraints: &[&str]) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&support::data_of(support::PREVIEW), &data);
    let kb = data.join("kb.toml");
    let text = fs::read_to_string(&kb).unwrap();
    fs::write(&kb, text + PARAMETERS).unwrap();
    let file = data.join("limitations/capacity.toml");
    let mut capacity = fs::read_to_string(&file).unwrap();
    let source = capacity_source(&capacity);
    for (i, c) in constraints.iter().enumerate() {
        capacity.push_str(&limitation(&format!("added-{i}"), c, &source));
    }
    fs::write(&file, capacity).unwrap();
    data
}

fn limitkb(args: &[&str], data: &Path, dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .current_dir(dir)
        .output()
        .expect("limitkb runs")
}

const ACU_RULES: &[&str] = &[
    r#"{ kind = "range", parameter = "scaled_capacity", min = 0.5, max = 128 }"#,
    r#"{ kind = "multiple-of", parameter = "scaled_capacity", step = 0.5 }"#,
    r#"{ kind = "multiple-of", parameter = "ratio", step = 0.25 }"#,
];

/// A problem `check` must report: the value's pointer, and the limitation (none for a type
/// error).
type Problem = (&'static str, Option<&'static str>);

/// A cluster spec, and every problem `check` must report on it, no more.
struct Spec {
    name: &'static str,
    text: &'static str,
    problems: &'static [Problem],
    /// Whether the cluster schema alone decides the verdict (else only `check` knows the rule).
    schema_decides: bool,
}

const fn spec(name: &'static str, text: &'static str, problems: &'static [Problem]) -> Spec {
    Spec {
        name,
        text,
        problems,
        schema_decides: true,
    }
}

/// Checks `specs` with `limitkb check` against `data`, and with ajv against the cluster schema
/// `limitkb generate` writes to `<dir>/generated`; returns the check's JSON report.
fn check_specs(dir: &Path, data: &Path, specs: &[Spec]) -> Vec<Value> {
    let validated = limitkb(&["validate"], data, dir);
    assert_eq!(validated.status.code(), Some(0), "{}", streams(&validated));
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    for s in specs {
        fs::write(dir.join(s.name), s.text).unwrap();
    }
    let mut args = vec!["check", "--format", "json"];
    args.extend(&names);
    let output = limitkb(&args, data, dir);
    let reported: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", streams(&output)));
    for s in specs {
        let mut got: Vec<(String, Option<String>)> = reported
            .iter()
            .filter(|d| d["file"] == s.name)
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["limitation"].as_str().map(str::to_string),
                )
            })
            .collect();
        got.sort();
        let expected: Vec<(String, Option<String>)> = s
            .problems
            .iter()
            .map(|(p, l)| (p.to_string(), l.map(str::to_string)))
            .collect();
        assert_eq!(got, expected, "{}: {}", s.name, streams(&output));
    }

    let out = dir.join("generated");
    let written = limitkb(&["generate", "--out", out.to_str().unwrap()], data, dir);
    assert_eq!(written.status.code(), Some(0), "{}", streams(&written));
    let verdicts = tools::ajv_verdicts(
        &generated(dir).join("schema/cluster.schema.json"),
        &names,
        dir,
    );
    for (s, verdict) in specs.iter().zip(&verdicts) {
        // Where the schema does not decide, it accepts what only `check` rejects.
        let valid = s.problems.is_empty() || !s.schema_decides;
        assert_eq!(
            verdict["valid"],
            Value::Bool(valid),
            "{}: ajv says {verdict}",
            s.name
        );
    }
    reported
}

/// The preview's tree in `<dir>/generated`, where [`check_specs`] generates.
fn generated(dir: &Path) -> PathBuf {
    support::tree_of(&dir.join("generated"), support::PREVIEW)
}

/// The bundle's constant `name`.
fn constant(dir: &Path, name: &str) -> Value {
    let bundle: Value = serde_json::from_str(
        &fs::read_to_string(generated(dir).join("json/limitations.json")).unwrap(),
    )
    .unwrap();
    bundle["constants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no constant {name}"))
        .clone()
}

const NUMBER_SPECS: &[Spec] = &[
    spec(
        "valid.toml",
        "[scaled_capacity]\nmin_acu = 0.5\nmax_acu = 128\n",
        &[],
    ),
    spec(
        "valid-steps.toml",
        "ratio = 2.75\n[scaled_capacity]\nmin_acu = 1.5\nmax_acu = 64.0\n",
        &[],
    ),
    spec(
        "off-step.toml",
        "[scaled_capacity]\nmin_acu = 0.75\nmax_acu = 8\n",
        &[("/scaled_capacity/min_acu", Some("added-1"))],
    ),
    spec(
        "below-and-off-step.toml",
        "[scaled_capacity]\nmin_acu = 0.25\nmax_acu = 8\n",
        &[
            ("/scaled_capacity/min_acu", Some("added-0")),
            ("/scaled_capacity/min_acu", Some("added-1")),
        ],
    ),
    spec(
        "above.toml",
        "[scaled_capacity]\nmin_acu = 1\nmax_acu = 128.5\n",
        &[("/scaled_capacity/max_acu", Some("added-0"))],
    ),
    spec(
        "ratio-off-step.toml",
        "ratio = 0.3\n",
        &[("/ratio", Some("added-2"))],
    ),
    spec(
        "wrong-type.toml",
        "[scaled_capacity]\nmin_acu = \"half\"\n",
        &[("/scaled_capacity/min_acu", None)],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "min-above-max.toml",
            "[scaled_capacity]\nmin_acu = 64.5\nmax_acu = 8\n",
            &[("/scaled_capacity/min_acu", Some("added-0"))],
        )
    },
];

#[test]
fn fractional_bounds_and_steps_are_checked_and_ajv_agrees() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), ACU_RULES);
    let reported = check_specs(temp.path(), &data, NUMBER_SPECS);
    let off_step = reported
        .iter()
        .find(|d| d["file"] == "off-step.toml")
        .unwrap();
    assert!(
        off_step["message"].as_str().unwrap().starts_with(
            "scaled_capacity.min_acu = 0.75 is not allowed: it must be a multiple of 0.5 ACU"
        ),
        "{off_step}"
    );

    // The constants of a fractional range and of the steps are floats, in the bundle and in
    // the Rust crate.
    for (name, value) in [
        ("scaled_capacity_min", 0.5),
        ("scaled_capacity_max", 128.0),
        ("scaled_capacity_step", 0.5),
        ("ratio_step", 0.25),
    ] {
        let c = constant(temp.path(), name);
        assert_eq!(
            (c["type"].as_str(), c["value"].as_f64()),
            (Some("number"), Some(value))
        );
    }
    let lib = fs::read_to_string(generated(temp.path()).join("rust/src/lib.rs")).unwrap();
    for line in [
        "pub const SCALED_CAPACITY_MAX: f64 = 128.0;",
        "pub const SCALED_CAPACITY_STEP: f64 = 0.5;",
    ] {
        assert!(lib.contains(line), "rust/src/lib.rs lacks `{line}`");
    }
}

const VERSION_RULES: &[&str] =
    &[r#"{ kind = "version", parameter = "db_version", family = "3", min = "3.02.0" }"#];

const VERSION_SPECS: &[Spec] = &[
    spec("v-floor.toml", "db_version = \"3.02.0\"\n", &[]),
    spec("v-same-number.toml", "db_version = \"3.2.0\"\n", &[]),
    spec("v-higher.toml", "db_version = \"3.10\"\n", &[]),
    spec(
        "v-spelled.toml",
        "db_version = \"8.0.mysql_aurora.3.02.3\"\n",
        &[],
    ),
    spec(
        "v-other-family.toml",
        "db_version = \"2.10.2\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    spec(
        "v-spelled-other-family.toml",
        "db_version = \"8.0.mysql_aurora.2.11.1\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    spec(
        "v-not-a-version.toml",
        "db_version = \"3.x\"\n",
        &[("/db_version", None)],
    ),
    spec(
        "v-number.toml",
        "db_version = 3.02\n",
        &[("/db_version", None)],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "v-below-floor.toml",
            "db_version = \"3.01.9\"\n",
            &[("/db_version", Some("added-0"))],
        )
    },
    Spec {
        schema_decides: false,
        ..spec(
            "v-spelled-below-floor.toml",
            "db_version = \"8.0.mysql_aurora.3.1\"\n",
            &[("/db_version", Some("added-0"))],
        )
    },
];

#[test]
fn versions_are_compared_as_numbers_in_every_spelling_and_ajv_agrees() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), VERSION_RULES);
    let reported = check_specs(temp.path(), &data, VERSION_SPECS);
    let below = reported
        .iter()
        .find(|d| d["file"] == "v-below-floor.toml")
        .unwrap();
    assert!(
        below["message"].as_str().unwrap().starts_with(
            "db_version = \"3.01.9\" is not allowed: it must be version 3.02.0 or higher within 3.x"
        ),
        "{below}"
    );
    for (name, value) in [("db_version_family", "3"), ("db_version_min", "3.02.0")] {
        let c = constant(temp.path(), name);
        assert_eq!(
            (c["type"].as_str(), c["value"].as_str()),
            (Some("string"), Some(value))
        );
    }
}

const CONDITIONAL_RULES: &[&str] = &[
    r#"{ kind = "version", parameter = "db_version", family = "3", min = "3.02.0", when = { dialect = "a-sql" } }"#,
    r#"{ kind = "version", parameter = "db_version", family = "14", min = "14.6", when = { dialect = "b-sql", site = ["far-1", "far-2"] } }"#,
    r#"{ kind = "version", parameter = "db_version", family = "14", min = "14.3", when = { dialect = "b-sql", site = "near-1" } }"#,
    r#"{ kind = "unsupported", feature = "fast_clone", when = { dialect = "b-sql" } }"#,
];

const CONDITIONAL_SPECS: &[Spec] = &[
    spec(
        "c-a-ok.toml",
        "dialect = \"a-sql\"\ndb_version = \"3.02.0\"\n",
        &[],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "c-a-below.toml",
            "dialect = \"a-sql\"\ndb_version = \"3.01\"\n",
            &[("/db_version", Some("added-0"))],
        )
    },
    spec(
        "c-a-other-family.toml",
        "dialect = \"a-sql\"\ndb_version = \"14.6\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "c-b-far-below.toml",
            "dialect = \"b-sql\"\nsite = \"far-1\"\ndb_version = \"14.5\"\n",
            &[("/db_version", Some("added-1"))],
        )
    },
    spec(
        "c-b-far-ok.toml",
        "dialect = \"b-sql\"\nsite = \"far-2\"\ndb_version = \"14.6\"\n",
        &[],
    ),
    spec(
        "c-b-near-ok.toml",
        "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"14.3\"\n",
        &[],
    ),
    spec(
        "c-b-near-other-family.toml",
        "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"3.02.0\"\n",
        &[("/db_version", Some("added-2"))],
    ),
    spec("c-no-condition-holds.toml", "db_version = \"2.0\"\n", &[]),
    spec(
        "c-feature-off-when.toml",
        "dialect = \"b-sql\"\n[features]\nfast_clone = true\n",
        &[("/features/fast_clone", Some("added-3"))],
    ),
    spec(
        "c-feature-on-otherwise.toml",
        "dialect = \"a-sql\"\n[features]\nfast_clone = true\n",
        &[],
    ),
];

#[test]
fn conditional_constraints_apply_only_when_their_condition_holds() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), CONDITIONAL_RULES);
    let reported = check_specs(temp.path(), &data, CONDITIONAL_SPECS);
    let message = |file: &str| {
        reported
            .iter()
            .find(|d| d["file"] == file)
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(
        message("c-b-far-below.toml").starts_with(
            "db_version = \"14.5\" is not allowed: it must be version 14.6 or higher within 14.x when dialect is \"b-sql\" and site is one of \"far-1\", \"far-2\""
        ),
        "{}",
        message("c-b-far-below.toml")
    );
    assert!(
        message("c-feature-off-when.toml").starts_with(
            "features.fast_clone = true is not allowed: it must be false (Fast clone is not supported) when dialect is \"b-sql\""
        ),
        "{}",
        message("c-feature-off-when.toml")
    );
    // What holds only under a condition is no constant, and no unsupported feature.
    let bundle = fs::read_to_string(generated(temp.path()).join("json/limitations.json")).unwrap();
    assert!(
        !bundle.contains("\"db_version_min\""),
        "a conditional floor became a constant"
    );
    let lib = fs::read_to_string(generated(temp.path()).join("rust/src/lib.rs")).unwrap();
    let unsupported = &lib[lib.find("pub const UNSUPPORTED_FEATURES").unwrap()..];
    let unsupported = &unsupported[..unsupported.find("];").unwrap()];
    assert!(!unsupported.contains("FastClone"), "{unsupported}");
}

const INSTANCE_RULES: &[&str] = &[
    r#"{ kind = "one-of", parameter = "instance.class", values = ["db.serverless", "db.r6g.large"] }"#,
    r#"{ kind = "range", parameter = "instance.promotion_tier", min = 0, max = 15 }"#,
    r#"{ kind = "required", parameter = "scaled_capacity", when = { "instance.class" = "db.serverless" } }"#,
];

const INSTANCE_SPECS: &[Spec] = &[
    spec(
        "i-provisioned.toml",
        "[[instance]]\nclass = \"db.r6g.large\"\npromotion_tier = 1\n",
        &[],
    ),
    spec(
        "i-serverless-with-capacity.toml",
        "[scaled_capacity]\nmin_acu = 0.5\nmax_acu = 8\n[[instance]]\nclass = \"db.r6g.large\"\n[[instance]]\nclass = \"db.serverless\"\n",
        &[],
    ),
    spec(
        "i-serverless-without-capacity.toml",
        "[[instance]]\nclass = \"db.r6g.large\"\n[[instance]]\nclass = \"db.serverless\"\n",
        &[("/scaled_capacity", Some("added-2"))],
    ),
    spec(
        "i-bad-class.toml",
        "[[instance]]\nclass = \"db.r6g.large\"\n[[instance]]\nclass = \"db.t3.small\"\n",
        &[("/instance/1/class", Some("added-0"))],
    ),
    spec(
        "i-bad-tier.toml",
        "[[instance]]\nclass = \"db.r6g.large\"\npromotion_tier = 16\n",
        &[("/instance/0/promotion_tier", Some("added-1"))],
    ),
    spec(
        "i-unknown-field.toml",
        "[[instance]]\nclass = \"db.r6g.large\"\nsize = 2\n",
        &[("/instance/0/size", None)],
    ),
    spec(
        "i-not-a-list.toml",
        "instance = \"db.serverless\"\n",
        &[("/instance", None)],
    ),
];

#[test]
fn object_lists_have_rules_per_field_and_presence_can_depend_on_them() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), INSTANCE_RULES);
    let reported = check_specs(temp.path(), &data, INSTANCE_SPECS);
    let missing = reported
        .iter()
        .find(|d| d["file"] == "i-serverless-without-capacity.toml")
        .unwrap();
    assert_eq!(
        missing["message"].as_str().unwrap(),
        "scaled_capacity is missing: it must be present when instance.class is \"db.serverless\". Added by a test."
    );
    // At the table that lacks it: the spec's root, line 1.
    assert_eq!(
        (missing["line"].as_u64(), missing["column"].as_u64()),
        (Some(1), Some(1))
    );
    let bad_class = reported
        .iter()
        .find(|d| d["file"] == "i-bad-class.toml")
        .unwrap();
    assert!(
        bad_class["message"].as_str().unwrap().starts_with(
            "instance[1].class = \"db.t3.small\" is not allowed: it must be one of \"db.serverless\", \"db.r6g.large\""
        ),
        "{bad_class}"
    );
    // The docs list each field with its own type and rules.
    let spec_page = fs::read_to_string(
        temp.path()
            .join("generated/docs")
            .join(support::PREVIEW)
            .join("cluster-spec.md"),
    )
    .unwrap();
    let row = spec_page
        .lines()
        .find(|l| l.starts_with("| `instance[].promotion_tier` |"))
        .unwrap_or_else(|| panic!("no row for instance[].promotion_tier:\n{spec_page}"));
    assert!(
        row.starts_with("| `instance[].promotion_tier` | integer | from 0 to 15 | [added-1]"),
        "{row}"
    );
    let lib = fs::read_to_string(generated(temp.path()).join("rust/src/lib.rs")).unwrap();
    for line in [
        "pub const ALLOWED_INSTANCE_CLASS: &[&str] = &[\"db.serverless\", \"db.r6g.large\"];",
        "pub const INSTANCE_PROMOTION_TIER_MAX: i64 = 15;",
    ] {
        assert!(lib.contains(line), "rust/src/lib.rs lacks `{line}`");
    }
}

const TABLE_RULES: &[&str] = &[
    r#"{ kind = "version-table", parameter = "db_version", row = "site", when = { dialect = "b-sql" }, columns = ["15", "14", "13"], rows = [["near-1", "15.2", "14.3", "13.6"], ["far-1", "15.2", "14.6", "13.9"], ["china-1", "-", "14.6", "13.9"], ["none-1", "-", "-", "-"]] }"#,
];

const TABLE_SPECS: &[Spec] = &[
    spec(
        "t-near-15.toml",
        "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"15.2\"\n",
        &[],
    ),
    spec(
        "t-near-14.toml",
        "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"14.3\"\n",
        &[],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "t-near-below.toml",
            "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"13.5\"\n",
            &[("/db_version", Some("added-0"))],
        )
    },
    spec(
        "t-near-no-family.toml",
        "dialect = \"b-sql\"\nsite = \"near-1\"\ndb_version = \"12.9\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    Spec {
        schema_decides: false,
        ..spec(
            "t-far-below.toml",
            "dialect = \"b-sql\"\nsite = \"far-1\"\ndb_version = \"14.5\"\n",
            &[("/db_version", Some("added-0"))],
        )
    },
    spec(
        "t-china-15.toml",
        "dialect = \"b-sql\"\nsite = \"china-1\"\ndb_version = \"15.2\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    spec(
        "t-china-14.toml",
        "dialect = \"b-sql\"\nsite = \"china-1\"\ndb_version = \"14.6\"\n",
        &[],
    ),
    spec(
        "t-none.toml",
        "dialect = \"b-sql\"\nsite = \"none-1\"\ndb_version = \"14.6\"\n",
        &[("/db_version", Some("added-0"))],
    ),
    spec(
        "t-no-row.toml",
        "dialect = \"b-sql\"\nsite = \"mars-1\"\ndb_version = \"12.0\"\n",
        &[],
    ),
    spec(
        "t-no-condition.toml",
        "dialect = \"a-sql\"\nsite = \"near-1\"\ndb_version = \"12.0\"\n",
        &[],
    ),
];

#[test]
fn a_version_table_holds_each_row_to_its_families_and_floors() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), TABLE_RULES);
    let reported = check_specs(temp.path(), &data, TABLE_SPECS);
    let message = |file: &str| {
        reported
            .iter()
            .find(|d| d["file"] == file)
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(
        message("t-far-below.toml").starts_with(
            "db_version = \"14.5\" is not allowed: it must be version 15.2 or higher within 15.x, or 14.6 or higher within 14.x, or 13.9 or higher within 13.x when dialect is \"b-sql\" and site is \"far-1\""
        ),
        "{}",
        message("t-far-below.toml")
    );
    assert!(
        message("t-none.toml").contains("it must be absent: no version is available when"),
        "{}",
        message("t-none.toml")
    );
    // `show` prints the table as the source has it.
    let shown = limitkb(&["show", "added-0"], &data, temp.path());
    let shown = String::from_utf8_lossy(&shown.stdout);
    for line in ["site | 15 | 14 | 13", "china-1 | - | 14.6 | 13.9"] {
        assert!(shown.contains(line), "show lacks `{line}`:\n{shown}");
    }
}

#[test]
fn rules_that_cannot_work_are_data_errors() {
    for (constraint, kb_addition, expected) in [
        (
            r#"{ kind = "version-table", parameter = "db_version", row = "site", columns = ["15", "14"], rows = [["a", "15.2"], ["b", "15.2", "13.6"], ["b", "-", "-"]] }"#,
            "",
            "a row holds the row's value and a cell per column: 3 cells, not 2",
        ),
        (
            r#"{ kind = "version-table", parameter = "db_version", row = "site", columns = ["15"], rows = [["a", "14.6"]] }"#,
            "",
            "`14.6` is not in its column's family 15",
        ),
        (
            r#"{ kind = "version-table", parameter = "db_version", row = "sitte", columns = ["15"], rows = [["a", "15.2"]] }"#,
            "",
            "unknown parameter `sitte`; did you mean `site`?",
        ),
        (
            r#"{ kind = "version-table", parameter = "db_version", row = "site", columns = ["15"], rows = [["a", "15.2"], ["a", "-"]] }"#,
            "",
            "`a` has a row already",
        ),
        (
            r#"{ kind = "equals", parameter = "instance", value = "x" }"#,
            "",
            "an object list is constrained field by field: name one, such as `instance.class`",
        ),
        (
            r#"{ kind = "required", parameter = "instance.class" }"#,
            "",
            "required applies to a parameter, not to a field of an object list",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0 }"#,
            "\n[[parameter]]\nid = \"pool\"\ntitle = \"Pool\"\ntype = \"object-list\"\n",
            "an object-list parameter needs its fields",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0, when = { dialekt = "a-sql" } }"#,
            "",
            "unknown parameter `dialekt`; did you mean `dialect`?",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0, when = { dialect = ["a-sql", "c-sql"] } }"#,
            "",
            "\"c-sql\" is not among the values of `dialect`",
        ),
        (
            r#"{ kind = "multiple-of", parameter = "ratio", step = 0 }"#,
            "",
            "the step must be above zero",
        ),
        (
            r#"{ kind = "multiple-of", parameter = "capacity", step = 0.5 }"#,
            "",
            "`capacity` takes integers; write a whole number",
        ),
        (
            r#"{ kind = "multiple-of", parameter = "region", step = 2 }"#,
            "",
            "multiple-of needs a numeric or range parameter",
        ),
        (
            r#"{ kind = "range", parameter = "capacity", min = 0.5, max = 32 }"#,
            "",
            "`capacity` takes integers; write a whole number",
        ),
        (
            r#"{ kind = "version", parameter = "db_version", family = "3.x" }"#,
            "",
            "`3.x` is not a version: write dotted numbers",
        ),
        (
            r#"{ kind = "version", parameter = "db_version", family = "3", min = "2.07" }"#,
            "",
            "min (2.07) is not in the family 3; no version could satisfy both",
        ),
        (
            r#"{ kind = "version", parameter = "ratio", min = "1.0" }"#,
            "",
            "a version constraint needs a parameter of type \"version\"; `ratio` is number",
        ),
        (
            r#"{ kind = "version", parameter = "db_version" }"#,
            "",
            "a version constraint needs family, min or both",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0 }"#,
            "\n[[parameter]]\nid = \"engine_build\"\ntitle = \"Build\"\ntype = \"version\"\nspellings = [\"build-\"]\n",
            "a spelling holds `{version}` once, where the version stands",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0 }"#,
            "\n[[parameter]]\nid = \"label\"\ntitle = \"Label\"\ntype = \"string\"\nspellings = [\"v{version}\"]\n",
            "spellings are only for parameters of type \"version\"",
        ),
        (
            r#"{ kind = "equals", parameter = "ratio", value = 1.0 }"#,
            "\n[[parameter]]\nid = \"flag\"\ntitle = \"Flag\"\ntype = \"boolean\"\nbounds = \"number\"\n",
            "bounds are only for parameters of type \"range\"",
        ),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let data = data_with(temp.path(), &[constraint]);
        if !kb_addition.is_empty() {
            let kb = data.join("kb.toml");
            let text = fs::read_to_string(&kb).unwrap();
            fs::write(&kb, text + kb_addition).unwrap();
        }
        let output = limitkb(&["validate", "--format", "short"], &data, temp.path());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{constraint}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{constraint}: expected {expected:?} in:\n{stderr}"
        );
    }
}
