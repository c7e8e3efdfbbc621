//! Writes the synthetic inputs of the benchmarks (see `benches/synthetic.rs`), for
//! `scripts/bench-scale.sh`, `scripts/bench-compare.sh`, `scripts/bench-cfn-lint.sh` and
//! `scripts/bench-checkov.sh`:
//!
//! ```text
//! cargo run --release --example synthetic -- kb N DIR
//!     a knowledge base of N limitations (kb.toml, limitations/, sources/) in DIR
//! cargo run --release --example synthetic -- kb-revised N DIR
//!     the same knowledge base in a next release (version 2.0.0), one limitation in 50 changed:
//!     a bound moved, removed, lifted, renamed, one added after it, or reworded (see
//!     `revised_knowledge_base`), for `limitkb diff`
//! cargo run --release --example synthetic -- specs N DIR [DATA_DIR]
//!     N cluster specs (JSON, half valid) for the knowledge base in DATA_DIR (default: the
//!     preview one built into limitkb) in DIR, named valid-NNNN.json and invalid-NNNN.json
//! cargo run --release --example synthetic -- ga-specs N DIR
//!     N cluster specs (JSON, half valid) for the knowledge base data/aurora-serverless-v2 in
//!     DIR, named as above, every verdict one its cluster schema decides (see `ga_specs`)
//! cargo run --release --example synthetic -- cfn-templates N DIR
//!     N CloudFormation templates (YAML, half valid) for data/aurora-serverless-v2 in DIR,
//!     named valid-NNNN.yaml and invalid-NNNN.yaml, for `scripts/bench-cfn-lint.sh` (see
//!     `cfn_templates`)
//! cargo run --release --example synthetic -- terraform-dirs N DIR
//!     N Terraform configurations (half valid) for data/aurora-serverless-v2 in DIR, each a
//!     directory valid-NNNN/ or invalid-NNNN/ of .tf files (see `terraform_dirs`)
//! cargo run --release --example synthetic -- terraform-plans N DIR
//!     N Terraform plans (`terraform show -json`, half valid) for data/aurora-serverless-v2 in
//!     DIR, named valid-NNNN.json and invalid-NNNN.json (see `terraform_plans`)
//! ```
//!
//! The CloudFormation templates and the Terraform configurations and plans are written from
//! one model of a deployment, made valid or broken by one piece of code (`deployment`).

#[path = "../benches/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use serde_json::{Map, Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use synthetic::{Rng, Spec};

const USAGE: &str = "usage: synthetic kb N DIR | synthetic kb-revised N DIR | \
                     synthetic specs N DIR [DATA_DIR] | \
                     synthetic ga-specs N DIR | synthetic cfn-templates N DIR | \
                     synthetic terraform-dirs N DIR | synthetic terraform-plans N DIR";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("synthetic: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (what, count, dir, rest) = match args.as_slice() {
        [what, count, dir, rest @ ..] => (what.as_str(), count, PathBuf::from(dir), rest),
        _ => return Err(USAGE.into()),
    };
    let count: usize = count
        .parse()
        .map_err(|_| format!("N must be a whole number, not `{count}`\n{USAGE}"))?;
    match (what, rest) {
        ("kb", []) => write_files(&dir, synthetic::knowledge_base(count)),
        ("kb-revised", []) => write_files(&dir, synthetic::revised_knowledge_base(count)),
        ("specs", [] | [_]) => {
            let source = rest.first().map_or_else(
                || limitkb::DataSource::Embedded("aurora-serverless-v2-preview".into()),
                |d| limitkb::DataSource::Dir(PathBuf::from(d)),
            );
            let kb = limitkb::load(&source).map_err(|e| e.to_string())?;
            write_specs(&dir, synthetic::cluster_specs(&kb, count))
        }
        ("ga-specs", []) => write_specs(&dir, ga_specs(count)),
        ("cfn-templates", []) => write_files(&dir, cfn_templates(count)),
        ("terraform-dirs", []) => write_files(&dir, terraform_dirs(count)),
        ("terraform-plans", []) => write_files(&dir, terraform_plans(count)),
        _ => Err(USAGE.into()),
    }
}

fn write_specs(dir: &Path, specs: Vec<Spec>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for spec in specs {
        let path = dir.join(&spec.name);
        std::fs::write(&path, spec.json)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Regions where both engines are available, with every family but PostgreSQL 15 in China; the
/// floors differ between them (3.02.0, 3.02.2 or 3.02.3; 14.3 or 14.6; 13.6 or 13.9).
const GA_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-south-2",
    "ap-south-2",
    "ap-northeast-1",
    "me-central-1",
    "sa-east-1",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// Aurora MySQL versions at or above the floor of every Region (the highest is 3.02.3).
const GA_MYSQL_VERSIONS: &[&str] = &[
    "3.02.3",
    "3.03.0",
    "3.03.1",
    "3.04.0",
    "8.0.mysql_aurora.3.03.1",
];

/// Aurora PostgreSQL versions at or above the floor of their family in every Region (the
/// highest are 15.2, 14.6 and 13.9); 15 is not available in China.
const GA_POSTGRESQL_VERSIONS: &[&str] = &["15.2", "15.3", "14.6", "14.8", "13.9", "13.11"];

/// Instance classes: Aurora Serverless v2 and provisioned.
const GA_CLASSES: &[&str] = &[
    "db.serverless",
    "db.r6g.large",
    "db.r6g.xlarge",
    "db.r5.2xlarge",
    "db.t4g.medium",
];

const GA_FEATURES: &[&str] = &[
    "database_activity_streams",
    "cluster_cache_management",
    "auto_scaling",
];

/// A capacity in half ACUs as JSON: a whole number where it is one (4), else a float (4.5).
fn acu(halves: usize) -> Json {
    if halves.is_multiple_of(2) {
        json!(halves / 2)
    } else {
        json!(halves as f64 / 2.0)
    }
}

/// `count` cluster specs (JSON) for the knowledge base `data/aurora-serverless-v2`: even ones
/// valid, odd ones breaking one to three rules. A valid spec has a Region, an engine, a
/// version at or above every floor of its family (so the Region × version grid accepts it in
/// any Region that has the family), a capacity range from 0.5 to 128 ACU in steps of 0.5
/// with its minimum at most its maximum, one to four instances, and the unsupported features
/// off. An invalid one breaks only rules the cluster schema decides: a capacity out of range or
/// off the step, a db.serverless instance without a capacity range, an unsupported feature on,
/// a Region without the engine (Melbourne), a version of a family its Region or engine lacks,
/// an unknown key, Region or engine, or a wrong type; never a version floor within a family,
/// nor a minimum above the maximum, which only `limitkb check` knows.
fn ga_specs(count: usize) -> Vec<Spec> {
    let mut rng = Rng::new(0x6a_5bec);
    (0..count)
        .map(|n| {
            let mut spec = ga_valid_spec(&mut rng);
            let valid = n % 2 == 0;
            if !valid {
                // Each break alone makes the spec invalid whatever the others did: it sets
                // every value its verdict depends on but the engine, which no break removes.
                // So the last one holds.
                for _ in 0..1 + rng.below(3) {
                    ga_break(&mut spec, &mut rng);
                }
            }
            Spec::new(n, &spec, valid, &mut rng)
        })
        .collect()
}

fn ga_valid_spec(rng: &mut Rng) -> Map<String, Json> {
    let region = *rng.pick(GA_REGIONS);
    let mysql = rng.chance(50);
    let version = if mysql {
        *rng.pick(GA_MYSQL_VERSIONS)
    } else {
        let china = region.starts_with("cn-");
        let versions: Vec<&str> = GA_POSTGRESQL_VERSIONS
            .iter()
            .copied()
            .filter(|v| !(china && v.starts_with("15.")))
            .collect();
        *rng.pick(&versions)
    };
    let engine = if mysql {
        "aurora-mysql"
    } else {
        "aurora-postgresql"
    };
    let mut spec = Map::new();
    spec.insert("region".into(), json!(region));
    spec.insert("engine".into(), json!(engine));
    spec.insert("engine_version".into(), json!(version));
    let mut instances = Vec::new();
    for i in 0..1 + rng.below(4) {
        let class = if i == 0 && rng.chance(80) {
            "db.serverless"
        } else {
            *rng.pick(GA_CLASSES)
        };
        instances.push(json!({ "class": class }));
    }
    // A capacity range wherever a db.serverless instance needs one, and sometimes elsewhere.
    let serverless = instances.iter().any(|i| i["class"] == "db.serverless");
    if serverless || rng.chance(50) {
        let min = 1 + rng.below(256);
        let max = min + rng.below(257 - min);
        spec.insert(
            "capacity".into(),
            json!({ "min_acu": acu(min), "max_acu": acu(max) }),
        );
    }
    if rng.chance(90) {
        spec.insert("instance".into(), Json::Array(instances));
    }
    if rng.chance(60) {
        let features: Map<String, Json> = GA_FEATURES
            .iter()
            .filter(|_| rng.chance(60))
            .map(|f| (f.to_string(), json!(false)))
            .collect();
        spec.insert("features".into(), Json::Object(features));
    }
    spec
}

/// Breaks one rule of `spec` that the cluster schema decides.
fn ga_break(spec: &mut Map<String, Json>, rng: &mut Rng) {
    let mysql = spec["engine"] == "aurora-mysql";
    match rng.below(12) {
        // A capacity out of range or off the step of 0.5, the minimum still below the maximum.
        0..=2 => {
            let min = 1 + rng.below(255);
            let max = min + 1 + rng.below(256 - min);
            let (min, max) = match rng.below(4) {
                0 => (json!(*rng.pick(&[0.0, 0.25])), acu(max)),
                1 => (acu(min), json!(*rng.pick(&[128.5, 129.0, 256.0]))),
                2 => (json!(min as f64 / 2.0 + 0.25), acu(max)),
                _ => (acu(min), json!(max as f64 / 2.0 - 0.25)),
            };
            spec.insert("capacity".into(), json!({ "min_acu": min, "max_acu": max }));
        }
        // A db.serverless instance without a capacity range.
        3 => {
            spec.remove("capacity");
            spec.insert(
                "instance".into(),
                json!([{ "class": "db.serverless" }, { "class": rng.pick(GA_CLASSES) }]),
            );
        }
        4 => {
            let feature = *rng.pick(GA_FEATURES);
            let features = spec.entry("features").or_insert_with(|| json!({}));
            features[feature] = json!(true);
        }
        // Asia Pacific (Melbourne) has neither engine.
        5 => {
            spec.insert("region".into(), json!("ap-southeast-4"));
        }
        // A family the engine does not have (or the Region: no PostgreSQL 15 in China).
        6 => {
            let wrong = if mysql {
                *rng.pick(&["2.11.2", "14.6", "8.0.mysql_aurora.2.11.2"])
            } else {
                *rng.pick(&["12.14", "16.1", "3.03.1"])
            };
            spec.insert("engine_version".into(), json!(wrong));
        }
        7 => {
            spec.insert(
                "region".into(),
                json!(rng.pick(&["cn-north-1", "cn-northwest-1"])),
            );
            spec.insert("engine".into(), json!("aurora-postgresql"));
            spec.insert("engine_version".into(), json!(rng.pick(&["15.2", "15.3"])));
        }
        // Unknown keys and values.
        8 => {
            let (key, value) = rng
                .pick(&[
                    ("regoin", json!("us-east-1")),
                    ("port", json!(3306)),
                    ("serverless", json!(true)),
                ])
                .clone();
            spec.insert(key.into(), value);
        }
        9 => {
            let (key, value) = *rng.pick(&[
                ("region", "us-east-7"),
                ("engine", "aurora"),
                ("engine_version", "3.x"),
            ]);
            spec.insert(key.into(), json!(value));
        }
        // Wrong types.
        10 => {
            let (key, value) = rng
                .pick(&[
                    ("region", json!(1)),
                    ("engine_version", json!(3.02)),
                    ("capacity", json!({ "min_acu": "1", "max_acu": 8 })),
                    ("instance", json!({ "class": "db.serverless" })),
                    ("instance", json!([{ "class": 6 }])),
                ])
                .clone();
            spec.insert(key.into(), value);
        }
        _ => {
            let features = spec.entry("features").or_insert_with(|| json!({}));
            features[*rng.pick(&["backtracking", "auto_scaling_v1"])] = json!(false);
            if rng.chance(50) {
                features["auto_scaling"] = json!("no");
            }
        }
    }
}

/// Writes `files`, each a path below `dir` (`valid-0000/main.tf`) and its text.
fn write_files(dir: &Path, files: Vec<(String, String)>) -> Result<(), String> {
    synthetic::write_files(dir, files)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))
}

// The deployments of an Aurora Serverless v2 cluster that the CloudFormation and Terraform
// generators write: one model, made valid and broken in one way (`deployment`), written by
// `cfn_render`, `tf_render` and `tf_plan`.

/// What a deployment's database is for: its names, descriptions and tags.
const APPS: &[&str] = &[
    "orders",
    "billing",
    "catalog",
    "analytics",
    "sessions",
    "inventory",
    "payments",
    "search",
    "ledger",
    "metrics",
    "profiles",
    "booking",
    "tickets",
    "reviews",
    "shipping",
    "loyalty",
];

/// Versions at or above every Region's floor of their family, current enough that cfn-lint
/// calls none of them deprecated.
const MYSQL_VERSIONS: &[&str] = &[
    "8.0.mysql_aurora.3.04.3",
    "8.0.mysql_aurora.3.08.2",
    "8.0.mysql_aurora.3.09.0",
    "8.0.mysql_aurora.3.10.1",
];
const POSTGRESQL_VERSIONS: &[&str] = &["13.23", "14.18", "15.13", "15.15"];

/// Provisioned instance classes for a mixed cluster's readers.
const PROVISIONED_CLASSES: &[&str] = &["db.r6g.large", "db.r6g.xlarge", "db.r7g.large"];

/// How a deployment gives one end of the capacity range (or the engine version), each value
/// as it is, unquoted (`15.13`, `0.5`).
enum Setting {
    /// The value itself.
    Literal(String),
    /// An input of the deployment with this default and, maybe, these allowed values: a
    /// template parameter (`!Ref`) with `Default` and `AllowedValues`; a Terraform variable
    /// with `default` and a `validation`, set to the last allowed value in `terraform.tfvars`.
    Param {
        /// The template parameter's name (a Terraform variable is named after the attribute).
        name: &'static str,
        default: String,
        allowed: Option<Vec<String>>,
    },
    /// One value in production, another elsewhere: `!If [IsProduction, WHEN_TRUE,
    /// WHEN_FALSE]`; a Terraform variable whose `default` is the first, set to the second in
    /// `terraform.tfvars`.
    If(String, String),
}

impl Setting {
    fn param(name: &'static str, default: &str, allowed: Option<&[&str]>) -> Setting {
        Setting::Param {
            name,
            default: default.into(),
            allowed: allowed.map(|a| a.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn is_literal(&self) -> bool {
        matches!(self, Setting::Literal(_))
    }

    /// The value a template shows first: the literal, the default, production's.
    fn first(&self) -> &str {
        match self {
            Setting::Literal(v) | Setting::Param { default: v, .. } | Setting::If(v, _) => v,
        }
    }

    /// The value Terraform plans with: the literal, or the variable's value (the one
    /// `terraform.tfvars` sets, else the default).
    fn planned(&self) -> &str {
        match self {
            Setting::Literal(v) | Setting::If(_, v) => v,
            Setting::Param {
                allowed: Some(allowed),
                ..
            } if !allowed.is_empty() => &allowed[allowed.len() - 1],
            Setting::Param { default, .. } => default,
        }
    }

    /// The value `terraform.tfvars` sets, if it sets one.
    fn tfvars(&self) -> Option<&str> {
        match self {
            Setting::Literal(_) | Setting::Param { allowed: None, .. } => None,
            _ => Some(self.planned()),
        }
    }
}

/// One deployment's choices.
struct Deployment {
    app: &'static str,
    mysql: bool,
    version: Setting,
    environment: &'static str,
    /// `None`: no capacity range (no ServerlessV2ScalingConfiguration).
    capacity: Option<(Setting, Setting)>,
    /// Each reader's class and whether it is conditional (`Condition: HasReaders`).
    readers: Vec<(&'static str, bool)>,
    /// A cluster parameter group; for Aurora PostgreSQL, whether it turns on cluster cache
    /// management.
    parameter_group: Option<bool>,
    alarm: bool,
    security_group: bool,
}

impl Deployment {
    fn engine(&self) -> &'static str {
        if self.mysql {
            "aurora-mysql"
        } else {
            "aurora-postgresql"
        }
    }

    fn engine_name(&self) -> &'static str {
        if self.mysql { "MySQL" } else { "PostgreSQL" }
    }

    fn port(&self) -> u16 {
        if self.mysql { 3306 } else { 5432 }
    }

    /// The cluster parameter group family of engine version `version`.
    fn family(&self, version: &str) -> String {
        if self.mysql {
            "aurora-mysql8.0".into()
        } else {
            let major = version.split('.').next().unwrap_or("15");
            format!("aurora-postgresql{major}")
        }
    }

    /// The logs the cluster exports to CloudWatch.
    fn logs(&self) -> &'static [&'static str] {
        if self.mysql {
            &["error", "slowquery"]
        } else {
            &["postgresql"]
        }
    }

    /// The cluster parameter group's parameters, as (name, value).
    fn parameters(&self, ccm: bool) -> [(&'static str, &'static str); 2] {
        if self.mysql {
            [("slow_query_log", "1"), ("long_query_time", "2")]
        } else {
            [
                ("apg_ccm_enabled", if ccm { "1" } else { "0" }),
                ("log_min_duration_statement", "500"),
            ]
        }
    }

    /// "a writer and 2 readers".
    fn instances(&self) -> String {
        match self.readers.len() {
            0 => "a writer".to_string(),
            1 => "a writer and a reader".to_string(),
            readers => format!("a writer and {readers} readers"),
        }
    }
}

/// Deployment `n` for the knowledge base `data/aurora-serverless-v2`, with the stem of its
/// file name: even ones valid (`valid-NNNN`), odd ones breaking one or two of its limitations
/// (`invalid-NNNN`, see `break_deployment`). A valid one is an Aurora MySQL 3 or PostgreSQL
/// cluster at a version above every Region's floor, with a capacity range (literal, an input
/// with or without allowed values, or by environment) whose every minimum (at most 4 ACU) is
/// at most its every maximum (at least 8), a db.serverless writer and up to two readers
/// (sometimes provisioned or conditional), and sometimes a parameter group (cluster cache
/// management off), a capacity alarm and a security group.
fn deployment(n: usize, rng: &mut Rng) -> (String, Deployment) {
    let mut deployment = valid_deployment(rng);
    let valid = n.is_multiple_of(2);
    if !valid {
        for _ in 0..1 + rng.below(2) {
            break_deployment(&mut deployment, rng);
        }
    }
    let stem = format!("{}-{n:04}", if valid { "valid" } else { "invalid" });
    (stem, deployment)
}

fn valid_deployment(rng: &mut Rng) -> Deployment {
    let mysql = rng.chance(50);
    let versions = if mysql {
        MYSQL_VERSIONS
    } else {
        POSTGRESQL_VERSIONS
    };
    let version = if rng.chance(25) {
        let first = rng.below(versions.len() - 1);
        let allowed: Vec<String> = versions[first..].iter().map(|v| v.to_string()).collect();
        Setting::Param {
            name: "EngineVersion",
            default: allowed[rng.below(allowed.len())].clone(),
            allowed: Some(allowed),
        }
    } else {
        Setting::Literal(rng.pick::<&str>(versions).to_string())
    };
    // Any minimum (at most 4 ACU) is at most any maximum (at least 8).
    let min = match rng.below(3) {
        0 => Setting::Literal(rng.pick(&["0.5", "1", "1.5", "2", "4"]).to_string()),
        1 => {
            let allowed = rng.chance(50).then_some(&["0.5", "1", "2", "4"][..]);
            Setting::param("MinAcu", rng.pick::<&str>(&["0.5", "1", "2"]), allowed)
        }
        _ => Setting::If(
            rng.pick(&["2", "4"]).to_string(),
            rng.pick(&["0.5", "1"]).to_string(),
        ),
    };
    let max = match rng.below(3) {
        0 => Setting::Literal(rng.pick(&["8", "16", "32", "48", "64", "128"]).to_string()),
        1 => {
            let allowed = rng.chance(50).then_some(&["8", "16", "32", "64"][..]);
            Setting::param("MaxAcu", rng.pick::<&str>(&["16", "32"]), allowed)
        }
        _ => Setting::If(
            rng.pick(&["64", "128"]).to_string(),
            rng.pick(&["8", "16"]).to_string(),
        ),
    };
    let readers = (0..rng.below(3))
        .map(|_| {
            let class = if rng.chance(80) {
                "db.serverless"
            } else {
                *rng.pick(PROVISIONED_CLASSES)
            };
            (class, rng.chance(30))
        })
        .collect();
    Deployment {
        app: rng.pick::<&str>(APPS),
        mysql,
        version,
        environment: rng.pick::<&str>(&["dev", "staging", "prod"]),
        capacity: Some((min, max)),
        readers,
        parameter_group: rng.chance(40).then_some(false),
        alarm: rng.chance(50),
        security_group: rng.chance(70),
    }
}

/// Breaks one limitation in `deployment`. Each break leaves it invalid whatever breaks come
/// after: a break sets a value out of its limits and never brings one back within them. The
/// value out of limits is always the one Terraform plans with (`Setting::planned`), so a
/// break shows in every format.
fn break_deployment(deployment: &mut Deployment, rng: &mut Rng) {
    fn lit(v: &str) -> Setting {
        Setting::Literal(v.to_string())
    }
    let (min, max) = match &mut deployment.capacity {
        Some((min, max)) => (min, max),
        // Capacity is already missing, with a db.serverless writer.
        None => return,
    };
    match rng.below(9) {
        0 => *min = lit(rng.pick::<&str>(&["0.25", "0"])),
        1 => *max = lit(rng.pick::<&str>(&["200", "256", "128.5"])),
        // Off the step of 0.5 ACU.
        2 => *min = lit(rng.pick::<&str>(&["0.75", "1.25", "2.25"])),
        3 => (*min, *max) = (lit("32"), lit("8")),
        4 => *min = Setting::If("2".into(), "0.25".into()),
        5 => *max = Setting::param("MaxAcu", "16", Some(&["8", "16", "32", "256"])),
        6 => *min = Setting::param("MinAcu", "0.25", None),
        7 => deployment.capacity = None,
        // MySQL 5.7 (Aurora MySQL 2), or cluster cache management on.
        _ if deployment.mysql => deployment.version = lit("5.7.mysql_aurora.2.11.2"),
        _ => deployment.parameter_group = Some(true),
    }
}

// CloudFormation ------------------------------------------------------------------------------

/// `count` CloudFormation templates (YAML) for the knowledge base `data/aurora-serverless-v2`,
/// as (file name, text): the deployments of [`deployment`], from one seed, each with
/// parameters with `Default` and `AllowedValues`, conditions and `Fn::If`, a subnet group,
/// mostly a security group, sometimes a cluster parameter group and a capacity alarm, an
/// `AWS::RDS::DBCluster` with a `ServerlessV2ScalingConfiguration`, one to three
/// `AWS::RDS::DBInstance`s joined by `DBClusterIdentifier: !Ref Cluster`, and outputs: 60 to
/// 150 lines. Without `--region`, `limitkb check` gives every one of them only the note that
/// the Region is not known, plus an error on each invalid one.
fn cfn_templates(count: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(0xcf_7e3b);
    (0..count)
        .map(|n| {
            let (stem, template) = deployment(n, &mut rng);
            (format!("{stem}.yaml"), cfn_render(&template, n))
        })
        .collect()
}

/// A setting as it stands after `Key: ` in a template; `quote`: each value quoted, as a
/// template must for `15.4` to stay a string.
fn cfn_yaml(setting: &Setting, quote: bool) -> String {
    let q = |v: &str| {
        if quote {
            format!("'{v}'")
        } else {
            v.to_string()
        }
    };
    match setting {
        Setting::Literal(v) => q(v),
        Setting::Param { name, .. } => format!("!Ref {name}"),
        Setting::If(yes, no) => format!("!If [IsProduction, {}, {}]", q(yes), q(no)),
    }
}

/// The template's YAML text; `n` numbers its description.
fn cfn_render(t: &Deployment, n: usize) -> String {
    let mut y = String::new();
    let app = t.app;
    let (engine, port, family) = (t.engine(), t.port(), t.family(t.version.first()));
    let logs = format!("[{}]", t.logs().join(", "));
    let engine_name = t.engine_name();
    let instances = t.instances();
    let has_readers = t.readers.iter().any(|(_, conditional)| *conditional);
    let mut w = |line: String| {
        y.push_str(&line);
        y.push('\n');
    };

    w("AWSTemplateFormatVersion: '2010-09-09'".into());
    w("Description: >-".into());
    w(format!(
        "  The {app} database (template {n}): Aurora {engine_name} on Aurora Serverless v2, \
         {instances}."
    ));
    w(String::new());
    w("Parameters:".into());
    w("  EnvironmentName:".into());
    w("    Type: String".into());
    w(format!("    Default: {}", t.environment));
    w("    AllowedValues: [dev, staging, prod]".into());
    w("    Description: The deployment stage, used in names and tags".into());
    if t.security_group {
        w("  VpcId:".into());
        w("    Type: AWS::EC2::VPC::Id".into());
    }
    w("  SubnetIds:".into());
    w("    Type: List<AWS::EC2::Subnet::Id>".into());
    w("    Description: Private subnets in at least two Availability Zones".into());
    w("  AppSecurityGroup:".into());
    w("    Type: AWS::EC2::SecurityGroup::Id".into());
    w("    Description: The security group of the application servers".into());
    let mut params: Vec<&Setting> = vec![&t.version];
    if let Some((min, max)) = &t.capacity {
        params.extend([min, max]);
    }
    for value in params {
        if let Setting::Param {
            name,
            default,
            allowed,
        } = value
        {
            let version = *name == "EngineVersion";
            let q = |v: &str| {
                if version {
                    format!("'{v}'")
                } else {
                    v.to_string()
                }
            };
            w(format!("  {name}:"));
            w(format!(
                "    Type: {}",
                if version { "String" } else { "Number" }
            ));
            w(format!("    Default: {}", q(default)));
            if let Some(allowed) = allowed {
                let allowed: Vec<String> = allowed.iter().map(|v| q(v)).collect();
                w(format!("    AllowedValues: [{}]", allowed.join(", ")));
            }
            w(format!(
                "    Description: {}",
                match *name {
                    "EngineVersion" => "The engine version of the cluster",
                    "MinAcu" => "The lowest capacity, in Aurora capacity units (ACUs)",
                    _ => "The highest capacity, in Aurora capacity units (ACUs)",
                }
            ));
        }
    }
    w(String::new());
    w("Conditions:".into());
    w("  IsProduction: !Equals [!Ref EnvironmentName, prod]".into());
    if has_readers {
        w("  HasReaders: !Not [!Equals [!Ref EnvironmentName, dev]]".into());
    }
    w(String::new());
    w("Resources:".into());
    w("  SubnetGroup:".into());
    w("    Type: AWS::RDS::DBSubnetGroup".into());
    w("    Properties:".into());
    w(format!(
        "      DBSubnetGroupDescription: !Sub '{app} database subnets (${{EnvironmentName}})'"
    ));
    w("      SubnetIds: !Ref SubnetIds".into());
    w(String::new());
    if t.security_group {
        w("  DatabaseSecurityGroup:".into());
        w("    Type: AWS::EC2::SecurityGroup".into());
        w("    Properties:".into());
        w(format!(
            "      GroupDescription: Connections to the {app} database from the application"
        ));
        w("      VpcId: !Ref VpcId".into());
        w("      SecurityGroupIngress:".into());
        w("        - IpProtocol: tcp".into());
        w(format!("          FromPort: {port}"));
        w(format!("          ToPort: {port}"));
        w("          SourceSecurityGroupId: !Ref AppSecurityGroup".into());
        w(String::new());
    }
    if let Some(ccm) = t.parameter_group {
        w("  ClusterParameterGroup:".into());
        w("    Type: AWS::RDS::DBClusterParameterGroup".into());
        w("    Properties:".into());
        w(format!(
            "      Description: Cluster parameters of the {app} database"
        ));
        w(format!("      Family: {family}"));
        w("      Parameters:".into());
        for (name, value) in t.parameters(ccm) {
            w(format!("        {name}: {value}"));
        }
        w(String::new());
    }
    w("  Cluster:".into());
    w("    Type: AWS::RDS::DBCluster".into());
    w("    DeletionPolicy: Snapshot".into());
    w("    UpdateReplacePolicy: Snapshot".into());
    w("    Properties:".into());
    w(format!("      Engine: {engine}"));
    w(format!(
        "      EngineVersion: {}",
        cfn_yaml(&t.version, true)
    ));
    w(format!("      DatabaseName: {app}"));
    w(format!("      MasterUsername: {app}_admin"));
    w("      ManageMasterUserPassword: true".into());
    w(format!("      Port: {port}"));
    w("      DBSubnetGroupName: !Ref SubnetGroup".into());
    w("      VpcSecurityGroupIds:".into());
    if t.security_group {
        w("        - !GetAtt DatabaseSecurityGroup.GroupId".into());
    } else {
        w("        - !Ref AppSecurityGroup".into());
    }
    if t.parameter_group.is_some() {
        w("      DBClusterParameterGroupName: !Ref ClusterParameterGroup".into());
    }
    w("      StorageEncrypted: true".into());
    w("      BackupRetentionPeriod: !If [IsProduction, 14, 1]".into());
    w("      DeletionProtection: !If [IsProduction, true, false]".into());
    w(format!("      EnableCloudwatchLogsExports: {logs}"));
    if let Some((min, max)) = &t.capacity {
        w("      ServerlessV2ScalingConfiguration:".into());
        w(format!("        MinCapacity: {}", cfn_yaml(min, false)));
        w(format!("        MaxCapacity: {}", cfn_yaml(max, false)));
    }
    w("      Tags:".into());
    w("        - Key: Application".into());
    w(format!("          Value: {app}"));
    w("        - Key: Environment".into());
    w("          Value: !Ref EnvironmentName".into());
    let writer = std::iter::once(("Writer".to_string(), "db.serverless", false, 0));
    let readers = t
        .readers
        .iter()
        .enumerate()
        .map(|(i, &(class, conditional))| (format!("Reader{}", i + 1), class, conditional, 1));
    for (name, class, conditional, tier) in writer.chain(readers) {
        w(String::new());
        w(format!("  {name}:"));
        w("    Type: AWS::RDS::DBInstance".into());
        if conditional {
            w("    Condition: HasReaders".into());
        }
        w("    Properties:".into());
        w(format!("      Engine: {engine}"));
        w(format!("      DBInstanceClass: {class}"));
        w("      DBClusterIdentifier: !Ref Cluster".into());
        w(format!("      PromotionTier: {tier}"));
        w("      PubliclyAccessible: false".into());
        w("      EnablePerformanceInsights: !If [IsProduction, true, false]".into());
    }
    if t.alarm {
        w(String::new());
        w("  CapacityAlarm:".into());
        w("    Type: AWS::CloudWatch::Alarm".into());
        w("    Properties:".into());
        w(format!(
            "      AlarmDescription: The {app} database is near its maximum capacity"
        ));
        w("      Namespace: AWS/RDS".into());
        w("      MetricName: ServerlessDatabaseCapacity".into());
        w("      Dimensions:".into());
        w("        - Name: DBClusterIdentifier".into());
        w("          Value: !Ref Cluster".into());
        w("      Statistic: Maximum".into());
        w("      Period: 300".into());
        w("      EvaluationPeriods: 3".into());
        w("      Threshold: 6".into());
        w("      ComparisonOperator: GreaterThanOrEqualToThreshold".into());
    }
    w(String::new());
    w("Outputs:".into());
    for (output, attribute, description) in [
        ("ClusterEndpoint", "Endpoint.Address", "The writer endpoint"),
        (
            "ReaderEndpoint",
            "ReadEndpoint.Address",
            "The reader endpoint",
        ),
        ("ClusterPort", "Endpoint.Port", "The port"),
    ] {
        w(format!("  {output}:"));
        w(format!("    Description: {description}"));
        w(format!("    Value: !GetAtt Cluster.{attribute}"));
        w("    Export:".into());
        w(format!("      Name: !Sub '${{AWS::StackName}}-{output}'"));
    }
    y
}

// Terraform -----------------------------------------------------------------------------------

/// Each configuration's and plan's seed is its seed plus its number, so that each is the same
/// whatever the count.
const TF_DIRS_SEED: u64 = 0x7fd1_0000;
const TF_PLANS_SEED: u64 = 0x7f9a_0000;

/// The provider's `registry.terraform.io` name, as a plan gives it.
const TF_AWS: &str = "registry.terraform.io/hashicorp/aws";

/// How a Terraform configuration or plan writes a deployment: the choices Terraform has
/// beyond the deployment's own.
struct TfLayout {
    /// The `aws` provider's Region: one where both engines are available, with every family
    /// (none in China, which lacks PostgreSQL 15).
    region: &'static str,
    /// `region = var.region` (whose default is `region`) rather than the literal.
    region_variable: bool,
    /// The name of the `aws_rds_cluster` resource.
    cluster: &'static str,
    /// A literal engine version given as `local.engine_version`.
    version_local: bool,
    /// Literal capacities given as `local.capacity.min` and `.max`.
    capacity_local: bool,
    /// The readers as one resource with `count = var.reader_count` (all of one class).
    reader_count: bool,
    /// The cluster's attribute the instances join by: `id` (known after apply, so a plan
    /// joins by the configuration's references) or `cluster_identifier` (known in a plan).
    join: &'static str,
    /// Plans only: the module the database is in (`module.NAME`), the subnet group and the
    /// security group staying in the root module.
    module: Option<&'static str>,
}

fn tf_layout(deployment: &Deployment, rng: &mut Rng, modules: bool) -> TfLayout {
    let regions: Vec<&'static str> = GA_REGIONS
        .iter()
        .copied()
        .filter(|r| !r.starts_with("cn-"))
        .collect();
    let readers = &deployment.readers;
    let one_class = readers.iter().all(|(class, _)| *class == readers[0].0);
    TfLayout {
        region: regions[rng.below(regions.len())],
        region_variable: rng.chance(30),
        cluster: rng.pick::<&str>(&["main", "this", "aurora"]),
        version_local: rng.chance(30),
        capacity_local: rng.chance(35),
        reader_count: !readers.is_empty() && one_class && rng.chance(70),
        join: rng.pick::<&str>(&["id", "id", "cluster_identifier"]),
        module: (modules && rng.chance(40)).then(|| *rng.pick(&["db", "aurora"])),
    }
}

/// `count` Terraform configurations for the knowledge base `data/aurora-serverless-v2`, as
/// files (`valid-0000/main.tf`): the deployments of [`deployment`], each from its own seed, in a
/// directory with `main.tf` (the `aws` provider with its Region, literal or from a variable;
/// `locals`; a subnet group; mostly a security group; sometimes a cluster parameter group and a
/// capacity alarm; an `aws_rds_cluster` with `serverlessv2_scaling_configuration`; a
/// db.serverless writer and up to two readers as `aws_rds_cluster_instance`s joined by
/// `cluster_identifier = aws_rds_cluster.NAME.id`, the readers sometimes one resource with
/// `count`), `variables.tf` (with defaults, and `validation` where there are allowed values),
/// `outputs.tf` and, where a variable is set, `terraform.tfvars`: a `main.tf` of 60 to 130
/// lines, 100 to 190 in all. The values are literal or come through `var.x` and `local.x`,
/// which `limitkb check` resolves: it gives each invalid one an error, and none to a valid one.
fn terraform_dirs(count: usize) -> Vec<(String, String)> {
    (0..count)
        .flat_map(|n| {
            let mut rng = Rng::new(TF_DIRS_SEED + n as u64);
            let (stem, deployment) = deployment(n, &mut rng);
            let layout = tf_layout(&deployment, &mut rng, false);
            tf_render(&deployment, &layout, n)
                .into_iter()
                .map(move |(file, text)| (format!("{stem}/{file}"), text))
        })
        .collect()
}

/// `count` plans (`terraform show -json`, format 1.2) for the knowledge base
/// `data/aurora-serverless-v2`, as (file name, text): the plan of a configuration as
/// [`terraform_dirs`] writes it, the database sometimes in a child module, with
/// `planned_values`, `resource_changes` (what is known only after apply in `after_unknown`),
/// and `configuration` (the provider's Region, each attribute's `constant_value` or
/// `references`). Even ones valid, odd ones breaking a limitation.
fn terraform_plans(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|n| {
            let mut rng = Rng::new(TF_PLANS_SEED + n as u64);
            let (stem, deployment) = deployment(n, &mut rng);
            let layout = tf_layout(&deployment, &mut rng, true);
            let plan = tf_plan(&deployment, &layout, n);
            (format!("{stem}.json"), format!("{plan}\n"))
        })
        .collect()
}

/// HCL text laid out as `terraform fmt` lays it out: two spaces an indent, the `=` of
/// consecutive one-line attributes aligned.
#[derive(Default)]
struct Hcl {
    text: String,
    depth: usize,
    /// The attributes not yet written, to align.
    pending: Vec<(String, String)>,
}

impl Hcl {
    fn line(&mut self, line: &str) {
        self.flush();
        if !line.is_empty() {
            self.text.push_str(&"  ".repeat(self.depth));
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn flush(&mut self) {
        let width = self.pending.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (key, value) in std::mem::take(&mut self.pending) {
            let indent = "  ".repeat(self.depth);
            self.text
                .push_str(&format!("{indent}{key:width$} = {value}\n"));
        }
    }

    fn attr(&mut self, key: &str, value: impl Into<String>) {
        self.pending.push((key.to_string(), value.into()));
    }

    /// `HEADER {`, its body indented until `close`.
    fn open(&mut self, header: &str) {
        self.line(&format!("{header} {{"));
        self.depth += 1;
    }

    fn close(&mut self) {
        self.flush();
        self.depth -= 1;
        self.line("}");
    }

    fn finish(mut self) -> String {
        self.flush();
        self.text
    }
}

/// A string as HCL writes it.
fn q(s: &str) -> String {
    format!("{s:?}")
}

/// The settings of a deployment that Terraform gives as a literal, a local or a variable:
/// (setting, variable name, whether it is a string, the local that gives it when literal,
/// description).
fn tf_settings<'d>(
    d: &'d Deployment,
    l: &TfLayout,
) -> Vec<(
    &'d Setting,
    &'static str,
    bool,
    Option<&'static str>,
    &'static str,
)> {
    let mut settings = vec![(
        &d.version,
        "engine_version",
        true,
        l.version_local.then_some("local.engine_version"),
        "The engine version of the cluster",
    )];
    if let Some((min, max)) = &d.capacity {
        settings.push((
            min,
            "min_capacity",
            false,
            l.capacity_local.then_some("local.capacity.min"),
            "The lowest capacity, in Aurora capacity units (ACUs)",
        ));
        settings.push((
            max,
            "max_capacity",
            false,
            l.capacity_local.then_some("local.capacity.max"),
            "The highest capacity, in Aurora capacity units (ACUs)",
        ));
    }
    settings
}

/// A value as HCL writes it: quoted when it is a string.
fn tf_scalar(value: &str, string: bool) -> String {
    if string { q(value) } else { value.to_string() }
}

/// The files of a configuration of deployment `d`; `n` numbers its description.
fn tf_render(d: &Deployment, l: &TfLayout, n: usize) -> Vec<(String, String)> {
    let app = d.app;
    let cluster = format!("aws_rds_cluster.{}", l.cluster);
    let settings = tf_settings(d, l);

    let mut m = Hcl::default();
    m.line(&format!(
        "# The {app} database (configuration {n}): Aurora {} on Aurora Serverless v2, {}.",
        d.engine_name(),
        d.instances()
    ));
    m.line("");
    m.open("terraform");
    m.attr("required_version", q(">= 1.5.0"));
    m.line("");
    m.open("required_providers");
    m.open("aws =");
    m.attr("source", q("hashicorp/aws"));
    m.attr("version", q("~> 5.70"));
    m.close();
    m.close();
    m.close();
    m.line("");
    m.open("provider \"aws\"");
    m.attr(
        "region",
        if l.region_variable {
            "var.region".to_string()
        } else {
            q(l.region)
        },
    );
    m.close();
    m.line("");
    m.open("locals");
    m.attr("name", q(&format!("{app}-${{var.environment}}")));
    if l.version_local && d.version.is_literal() {
        m.attr("engine_version", q(d.version.first()));
    }
    let local_capacity: Vec<(&str, &Setting)> = match &d.capacity {
        Some((min, max)) if l.capacity_local => [("min", min), ("max", max)]
            .into_iter()
            .filter(|(_, s)| s.is_literal())
            .collect(),
        _ => Vec::new(),
    };
    if !local_capacity.is_empty() {
        m.open("capacity =");
        for (key, setting) in &local_capacity {
            m.attr(key, setting.first());
        }
        m.close();
    }
    m.open("tags =");
    m.attr("Application", q(app));
    m.attr("Environment", "var.environment");
    m.close();
    m.close();
    m.line("");
    m.open("resource \"aws_db_subnet_group\" \"this\"");
    m.attr("name", "local.name");
    m.attr("subnet_ids", "var.subnet_ids");
    m.attr("tags", "local.tags");
    m.close();
    if d.security_group {
        m.line("");
        m.open("resource \"aws_security_group\" \"db\"");
        m.attr("name", q(&format!("{app}-${{var.environment}}-db")));
        m.attr(
            "description",
            q(&format!(
                "Connections to the {app} database from the application"
            )),
        );
        m.attr("vpc_id", "var.vpc_id");
        m.line("");
        m.open("ingress");
        m.attr("protocol", q("tcp"));
        m.attr("from_port", d.port().to_string());
        m.attr("to_port", d.port().to_string());
        m.attr("security_groups", "[var.app_security_group_id]");
        m.close();
        m.close();
    }
    if let Some(ccm) = d.parameter_group {
        m.line("");
        m.open("resource \"aws_rds_cluster_parameter_group\" \"this\"");
        m.attr("name", q(&format!("{app}-${{var.environment}}-cluster")));
        m.attr("family", q(&d.family(d.version.planned())));
        m.attr(
            "description",
            q(&format!("Cluster parameters of the {app} database")),
        );
        for (name, value) in d.parameters(ccm) {
            m.line("");
            m.open("parameter");
            m.attr("name", q(name));
            m.attr("value", q(value));
            m.close();
        }
        m.close();
    }
    m.line("");
    m.open(&format!("resource \"aws_rds_cluster\" \"{}\"", l.cluster));
    m.attr("cluster_identifier", "local.name");
    m.attr("engine", q(d.engine()));
    m.attr("engine_mode", q("provisioned"));
    let value =
        |(setting, var, string, local, _): &(&Setting, &str, bool, Option<&str>, &str)| match (
            setting, local,
        ) {
            (Setting::Literal(_), Some(local)) => local.to_string(),
            (Setting::Literal(v), None) => tf_scalar(v, *string),
            _ => format!("var.{var}"),
        };
    m.attr("engine_version", value(&settings[0]));
    m.attr("database_name", q(app));
    m.attr("master_username", q(&format!("{app}_admin")));
    m.attr("manage_master_user_password", "true");
    m.attr("port", d.port().to_string());
    m.attr("db_subnet_group_name", "aws_db_subnet_group.this.name");
    m.attr(
        "vpc_security_group_ids",
        if d.security_group {
            "[aws_security_group.db.id]"
        } else {
            "[var.app_security_group_id]"
        },
    );
    if d.parameter_group.is_some() {
        m.attr(
            "db_cluster_parameter_group_name",
            "aws_rds_cluster_parameter_group.this.name",
        );
    }
    m.attr("storage_encrypted", "true");
    m.attr(
        "backup_retention_period",
        "var.environment == \"prod\" ? 14 : 1",
    );
    m.attr("deletion_protection", "var.environment == \"prod\"");
    m.attr("skip_final_snapshot", "var.environment != \"prod\"");
    let logs: Vec<String> = d.logs().iter().map(|l| q(l)).collect();
    m.attr(
        "enabled_cloudwatch_logs_exports",
        format!("[{}]", logs.join(", ")),
    );
    if d.capacity.is_some() {
        m.line("");
        m.open("serverlessv2_scaling_configuration");
        m.attr("min_capacity", value(&settings[1]));
        m.attr("max_capacity", value(&settings[2]));
        m.close();
    }
    m.line("");
    m.attr("tags", "local.tags");
    m.close();
    let join = format!("{cluster}.{}", l.join);
    let instance = |m: &mut Hcl, name: &str, class: &str, tier: u8, counted: bool| {
        m.line("");
        m.open(&format!("resource \"aws_rds_cluster_instance\" \"{name}\""));
        let identifier = if counted {
            m.attr("count", "var.reader_count");
            m.line("");
            format!("{app}-${{var.environment}}-{name}-${{count.index + 1}}")
        } else {
            format!("{app}-${{var.environment}}-{}", name.replace('_', "-"))
        };
        m.attr("identifier", q(&identifier));
        m.attr("cluster_identifier", join.as_str());
        m.attr("instance_class", q(class));
        m.attr("engine", format!("{cluster}.engine"));
        m.attr("promotion_tier", tier.to_string());
        m.attr("publicly_accessible", "false");
        m.attr(
            "performance_insights_enabled",
            "var.environment == \"prod\"",
        );
        m.close();
    };
    instance(&mut m, "writer", "db.serverless", 0, false);
    if l.reader_count {
        instance(&mut m, "reader", d.readers[0].0, 1, true);
    } else {
        for (i, (class, _)) in d.readers.iter().enumerate() {
            instance(&mut m, &format!("reader_{}", i + 1), class, 1, false);
        }
    }
    if d.alarm {
        m.line("");
        m.open("resource \"aws_cloudwatch_metric_alarm\" \"capacity\"");
        m.attr(
            "alarm_name",
            q(&format!("{app}-${{var.environment}}-capacity")),
        );
        m.attr(
            "alarm_description",
            q(&format!("The {app} database is near its maximum capacity")),
        );
        m.attr("namespace", q("AWS/RDS"));
        m.attr("metric_name", q("ServerlessDatabaseCapacity"));
        m.attr("statistic", q("Maximum"));
        m.attr("period", "300");
        m.attr("evaluation_periods", "3");
        m.attr("threshold", "6");
        m.attr("comparison_operator", q("GreaterThanOrEqualToThreshold"));
        m.attr(
            "dimensions",
            format!("{{ DBClusterIdentifier = {cluster}.cluster_identifier }}"),
        );
        m.close();
    }

    let mut v = Hcl::default();
    tf_variable(
        &mut v,
        "environment",
        "The deployment stage, used in names and tags",
        "string",
        Some(q(d.environment)),
        Some((
            "contains([\"dev\", \"staging\", \"prod\"], var.environment)".into(),
            "The environment is dev, staging or prod.".into(),
        )),
    );
    if l.region_variable {
        let region = Some(q(l.region));
        tf_variable(&mut v, "region", "The AWS Region", "string", region, None);
    }
    if d.security_group {
        tf_variable(
            &mut v,
            "vpc_id",
            "The VPC of the database",
            "string",
            None,
            None,
        );
    }
    let subnets = "Private subnets in at least two Availability Zones";
    tf_variable(&mut v, "subnet_ids", subnets, "list(string)", None, None);
    let app_sg = "The security group of the application servers";
    tf_variable(
        &mut v,
        "app_security_group_id",
        app_sg,
        "string",
        None,
        None,
    );
    let mut tfvars = Hcl::default();
    for (setting, var, string, _, description) in &settings {
        let (default, allowed) = match setting {
            Setting::Literal(_) => continue,
            Setting::Param {
                default, allowed, ..
            } => (default, allowed.as_deref()),
            Setting::If(production, _) => (production, None),
        };
        let validation = allowed.map(|allowed| {
            let allowed: Vec<String> = allowed.iter().map(|a| tf_scalar(a, *string)).collect();
            let allowed = allowed.join(", ");
            (
                format!("contains([{allowed}], var.{var})"),
                format!("The value is one of {}.", allowed.replace('"', "")),
            )
        });
        let kind = if *string { "string" } else { "number" };
        let default = Some(tf_scalar(default, *string));
        tf_variable(&mut v, var, description, kind, default, validation);
        if let Some(value) = setting.tfvars() {
            tfvars.attr(var, tf_scalar(value, *string));
        }
    }
    if l.reader_count {
        let count = Some(d.readers.len().to_string());
        let description = "How many readers the cluster has";
        tf_variable(&mut v, "reader_count", description, "number", count, None);
    }

    let mut o = Hcl::default();
    for (i, (name, attribute, description)) in [
        ("endpoint", "endpoint", "The writer endpoint"),
        ("reader_endpoint", "reader_endpoint", "The reader endpoint"),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            o.line("");
        }
        o.open(&format!("output \"{name}\""));
        o.attr("description", q(description));
        o.attr("value", format!("{cluster}.{attribute}"));
        o.close();
    }

    let mut files = vec![
        ("main.tf".to_string(), m.finish()),
        ("variables.tf".to_string(), v.finish()),
        ("outputs.tf".to_string(), o.finish()),
    ];
    let tfvars = tfvars.finish();
    if !tfvars.is_empty() {
        files.push((
            "terraform.tfvars".to_string(),
            format!("# This deployment's sizing (the defaults are production's).\n{tfvars}"),
        ));
    }
    files
}

/// Writes `variable "NAME"` into `v` (after a blank line if `v` is not empty): its description,
/// type, default, and validation (condition, error message).
fn tf_variable(
    v: &mut Hcl,
    name: &str,
    description: &str,
    kind: &str,
    default: Option<String>,
    validation: Option<(String, String)>,
) {
    if !v.text.is_empty() {
        v.line("");
    }
    v.open(&format!("variable \"{name}\""));
    v.attr("description", q(description));
    v.attr("type", kind);
    if let Some(default) = default {
        v.attr("default", default);
    }
    if let Some((condition, message)) = validation {
        v.line("");
        v.open("validation");
        v.attr("condition", condition);
        v.attr("error_message", q(&message));
        v.close();
    }
    v.close();
}

/// `{"constant_value": value}`, as a plan's `configuration` gives a literal.
fn constant(value: Json) -> Json {
    json!({ "constant_value": value })
}

/// `{"references": [...]}`, as a plan's `configuration` gives an expression: each reference
/// and its prefixes down to a resource or variable (`aws_rds_cluster.main.id`,
/// `aws_rds_cluster.main`).
fn references(refs: &[&str]) -> Json {
    let mut all: Vec<String> = Vec::new();
    for reference in refs {
        let parts: Vec<&str> = reference.split('.').collect();
        let shortest = if matches!(parts[0], "var" | "local" | "count") {
            2
        } else {
            2.min(parts.len())
        };
        for len in (shortest..=parts.len()).rev() {
            let prefix = parts[..len].join(".");
            if !all.contains(&prefix) {
                all.push(prefix);
            }
        }
    }
    json!({ "references": all })
}

/// A scalar of a plan: a number where `string` is false (`0.5`, `16`).
fn plan_scalar(value: &str, string: bool) -> Json {
    if string {
        return json!(value);
    }
    serde_json::from_str(value).unwrap_or_else(|_| json!(value))
}

/// The shape Terraform gives `sensitive_values` and the nested part of `after_unknown`: an
/// empty object for each object, a list of those (or `false`) for each list.
fn plan_shape(values: &Json) -> Json {
    let Json::Object(map) = values else {
        return json!(false);
    };
    let mut shape = Map::new();
    for (key, value) in map {
        match value {
            Json::Object(_) => {
                shape.insert(key.clone(), json!({}));
            }
            Json::Array(items) => {
                let items = items
                    .iter()
                    .map(|i| {
                        if i.is_object() {
                            plan_shape(i)
                        } else {
                            json!(false)
                        }
                    })
                    .collect();
                shape.insert(key.clone(), Json::Array(items));
            }
            _ => {}
        }
    }
    Json::Object(shape)
}

/// One resource block of a plan's configuration and its planned instances.
struct PlanResource {
    kind: &'static str,
    name: String,
    /// Each instance's values (one, or as many as `count`).
    instances: Vec<Json>,
    /// The `count_expression` of its configuration, when it has `count`.
    count: Option<Json>,
    /// The attributes known only after apply.
    unknown: Vec<&'static str>,
    /// The `expressions` of its configuration.
    expressions: Json,
}

impl PlanResource {
    fn new(
        kind: &'static str,
        name: &str,
        values: Json,
        unknown: &[&'static str],
        expressions: Json,
    ) -> PlanResource {
        PlanResource {
            kind,
            name: name.to_string(),
            instances: vec![values],
            count: None,
            unknown: unknown.to_vec(),
            expressions,
        }
    }
}

/// The plan (`terraform show -json`) of deployment `d`, as `tf_render` would configure it
/// (Terraform's own key order aside); `n` numbers its resources' ids.
fn tf_plan(d: &Deployment, l: &TfLayout, n: usize) -> Json {
    let app = d.app;
    let env = d.environment;
    let production = env == "prod";
    let name = format!("{app}-{env}");
    let tags = json!({ "Application": app, "Environment": env });
    let id = |kind: &str, k: u64| {
        let x = (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ k.wrapping_mul(0xbf58_476d);
        format!("{kind}-0{:016x}", x)
    };
    let subnets = json!([id("subnet", 1), id("subnet", 2)]);
    let app_sg = id("sg", 3);
    let vpc = id("vpc", 4);
    let settings = tf_settings(d, l);
    let db_prefix = l.module.map_or(String::new(), |m| format!("module.{m}."));
    // Inside a module, every setting is one of the module's variables.
    let setting_expression =
        |(setting, var, string, local, _): &(&Setting, &str, bool, Option<&str>, &str)| match (
            setting, local,
        ) {
            (Setting::Literal(_), Some(local)) if l.module.is_none() => references(&[local]),
            (Setting::Literal(v), None) if l.module.is_none() => constant(plan_scalar(v, *string)),
            _ => references(&[&format!("var.{var}")]),
        };

    let mut root: Vec<PlanResource> = Vec::new();
    let mut db: Vec<PlanResource> = Vec::new();
    // The subnet group and security group: in the root module, with the database.
    let subnet_group = "aws_db_subnet_group.this";
    root.push(PlanResource::new(
        "aws_db_subnet_group",
        "this",
        json!({
            "description": "Managed by Terraform",
            "name": name,
            "subnet_ids": subnets,
            "tags": tags,
            "tags_all": tags,
        }),
        &[
            "arn",
            "id",
            "name_prefix",
            "supported_network_types",
            "vpc_id",
        ],
        json!({
            "name": references(&["local.name"]),
            "subnet_ids": references(&["var.subnet_ids"]),
            "tags": references(&["local.tags"]),
        }),
    ));
    if d.security_group {
        let description = format!("Connections to the {app} database from the application");
        root.push(PlanResource::new(
            "aws_security_group",
            "db",
            json!({
                "description": description,
                "ingress": [{
                    "cidr_blocks": [], "description": "", "from_port": d.port(),
                    "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp",
                    "security_groups": [app_sg], "self": false, "to_port": d.port(),
                }],
                "name": format!("{name}-db"),
                "revoke_rules_on_delete": false,
                "tags": null,
                "timeouts": null,
                "vpc_id": vpc,
            }),
            &["arn", "egress", "id", "name_prefix", "owner_id", "tags_all"],
            json!({
                "description": constant(json!(description)),
                "ingress": constant(json!([{
                    "from_port": d.port(), "protocol": "tcp",
                    "security_groups": [app_sg], "to_port": d.port(),
                }])),
                "name": references(&["var.environment"]),
                "vpc_id": references(&["var.vpc_id"]),
            }),
        ));
    }
    let group = d.parameter_group.map(|ccm| {
        let parameters: Vec<Json> = d
            .parameters(ccm)
            .iter()
            .map(|(name, value)| {
                json!({ "apply_method": "immediate", "name": name, "value": value })
            })
            .collect();
        let expressions: Vec<Json> = d
            .parameters(ccm)
            .iter()
            .map(|(name, value)| {
                json!({ "name": constant(json!(name)), "value": constant(json!(value)) })
            })
            .collect();
        PlanResource::new(
            "aws_rds_cluster_parameter_group",
            "this",
            json!({
                "description": format!("Cluster parameters of the {app} database"),
                "family": d.family(d.version.planned()),
                "name": format!("{name}-cluster"),
                "parameter": parameters,
                "tags": null,
            }),
            &["arn", "id", "name_prefix", "tags_all"],
            json!({
                "description": constant(json!(format!("Cluster parameters of the {app} database"))),
                "family": constant(json!(d.family(d.version.planned()))),
                "name": references(&["var.environment"]),
                "parameter": expressions,
            }),
        )
    });
    let cluster = format!("aws_rds_cluster.{}", l.cluster);
    let scaling: Vec<Json> = match &d.capacity {
        Some((min, max)) => vec![json!({
            "max_capacity": plan_scalar(max.planned(), false),
            "min_capacity": plan_scalar(min.planned(), false),
            "seconds_until_auto_pause": null,
        })],
        None => Vec::new(),
    };
    let scaling_expressions: Vec<Json> = match &d.capacity {
        Some(_) => vec![json!({
            "min_capacity": setting_expression(&settings[1]),
            "max_capacity": setting_expression(&settings[2]),
        })],
        None => Vec::new(),
    };
    let (subnet_group_expression, security_groups_expression) = match l.module {
        Some(_) => (
            references(&["var.db_subnet_group_name"]),
            references(&["var.security_group_ids"]),
        ),
        None => (
            references(&[&format!("{subnet_group}.name")]),
            if d.security_group {
                references(&["aws_security_group.db.id"])
            } else {
                references(&["var.app_security_group_id"])
            },
        ),
    };
    let mut cluster_values = json!({
        "allow_major_version_upgrade": null,
        "apply_immediately": null,
        "backup_retention_period": if production { 14 } else { 1 },
        "cluster_identifier": name,
        "copy_tags_to_snapshot": false,
        "database_name": app,
        "db_subnet_group_name": name,
        "deletion_protection": production,
        "enable_http_endpoint": false,
        "enabled_cloudwatch_logs_exports": d.logs(),
        "engine": d.engine(),
        "engine_mode": "provisioned",
        "engine_version": d.version.planned(),
        "final_snapshot_identifier": null,
        "global_cluster_identifier": null,
        "iam_database_authentication_enabled": null,
        "manage_master_user_password": true,
        "master_password": null,
        "master_username": format!("{app}_admin"),
        "port": d.port(),
        "replication_source_identifier": null,
        "restore_to_point_in_time": [],
        "s3_import": [],
        "scaling_configuration": [],
        "serverlessv2_scaling_configuration": scaling,
        "skip_final_snapshot": !production,
        "snapshot_identifier": null,
        "storage_encrypted": true,
        "tags": tags,
        "tags_all": tags,
        "timeouts": null,
    });
    let mut cluster_expressions = json!({
        "backup_retention_period": references(&["var.environment"]),
        "cluster_identifier": references(&["local.name"]),
        "database_name": constant(json!(app)),
        "db_subnet_group_name": subnet_group_expression,
        "deletion_protection": references(&["var.environment"]),
        "enabled_cloudwatch_logs_exports": constant(json!(d.logs())),
        "engine": constant(json!(d.engine())),
        "engine_mode": constant(json!("provisioned")),
        "engine_version": setting_expression(&settings[0]),
        "manage_master_user_password": constant(json!(true)),
        "master_username": constant(json!(format!("{app}_admin"))),
        "port": constant(json!(d.port())),
        "serverlessv2_scaling_configuration": scaling_expressions,
        "skip_final_snapshot": references(&["var.environment"]),
        "storage_encrypted": constant(json!(true)),
        "tags": references(&["local.tags"]),
        "vpc_security_group_ids": security_groups_expression,
    });
    if let Some(group) = &group {
        cluster_values["db_cluster_parameter_group_name"] = group.instances[0]["name"].clone();
        cluster_expressions["db_cluster_parameter_group_name"] = references(&[&format!(
            "aws_rds_cluster_parameter_group.{}.name",
            group.name
        )]);
    }
    db.extend(group);
    db.push(PlanResource::new(
        "aws_rds_cluster",
        l.cluster,
        cluster_values,
        &[
            "arn",
            "availability_zones",
            "backtrack_window",
            "cluster_identifier_prefix",
            "cluster_members",
            "cluster_resource_id",
            "endpoint",
            "engine_version_actual",
            "hosted_zone_id",
            "id",
            "kms_key_id",
            "master_user_secret",
            "network_type",
            "preferred_backup_window",
            "preferred_maintenance_window",
            "reader_endpoint",
            "storage_type",
            "vpc_security_group_ids",
        ],
        cluster_expressions,
    ));
    let join = format!("{cluster}.{}", l.join);
    let instance = |resource: &str, class: &str, tier: u8, count: Option<usize>| {
        let values = |identifier: String| {
            let mut values = json!({
                "apply_immediately": null,
                "auto_minor_version_upgrade": true,
                "copy_tags_to_snapshot": false,
                "custom_iam_instance_profile": null,
                "engine": d.engine(),
                "identifier": identifier,
                "instance_class": class,
                "monitoring_interval": 0,
                "performance_insights_enabled": production,
                "promotion_tier": tier,
                "publicly_accessible": false,
                "tags": null,
                "timeouts": null,
            });
            if l.join == "cluster_identifier" {
                values["cluster_identifier"] = json!(name);
            }
            values
        };
        let mut expressions = json!({
            "cluster_identifier": references(&[&join]),
            "engine": references(&[&format!("{cluster}.engine")]),
            "identifier": references(&["var.environment"]),
            "instance_class": constant(json!(class)),
            "performance_insights_enabled": references(&["var.environment"]),
            "promotion_tier": constant(json!(tier)),
            "publicly_accessible": constant(json!(false)),
        });
        let instances = match count {
            Some(count) => {
                expressions["identifier"] = references(&["var.environment", "count.index"]);
                (1..=count)
                    .map(|i| values(format!("{name}-{resource}-{i}")))
                    .collect()
            }
            None => vec![values(format!("{name}-{}", resource.replace('_', "-")))],
        };
        const UNKNOWN_INSTANCE: &[&str] = &[
            "arn",
            "availability_zone",
            "ca_cert_identifier",
            "cluster_identifier",
            "db_parameter_group_name",
            "db_subnet_group_name",
            "dbi_resource_id",
            "endpoint",
            "engine_version",
            "engine_version_actual",
            "id",
            "kms_key_id",
            "monitoring_role_arn",
            "network_type",
            "performance_insights_kms_key_id",
            "performance_insights_retention_period",
            "port",
            "preferred_backup_window",
            "preferred_maintenance_window",
            "storage_encrypted",
            "tags_all",
            "writer",
        ];
        // The cluster's `id` is known only once it is created; its identifier is known now.
        let unknown = UNKNOWN_INSTANCE
            .iter()
            .copied()
            .filter(|a| l.join != "cluster_identifier" || *a != "cluster_identifier")
            .collect();
        PlanResource {
            kind: "aws_rds_cluster_instance",
            name: resource.to_string(),
            count: count.map(|_| references(&["var.reader_count"])),
            instances,
            unknown,
            expressions,
        }
    };
    db.push(instance("writer", "db.serverless", 0, None));
    if l.reader_count {
        db.push(instance("reader", d.readers[0].0, 1, Some(d.readers.len())));
    } else {
        for (i, (class, _)) in d.readers.iter().enumerate() {
            db.push(instance(&format!("reader_{}", i + 1), class, 1, None));
        }
    }
    if d.alarm {
        let description = format!("The {app} database is near its maximum capacity");
        db.push(PlanResource::new(
            "aws_cloudwatch_metric_alarm",
            "capacity",
            json!({
                "actions_enabled": true,
                "alarm_actions": null,
                "alarm_description": description,
                "alarm_name": format!("{name}-capacity"),
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "dimensions": { "DBClusterIdentifier": name },
                "evaluation_periods": 3,
                "metric_name": "ServerlessDatabaseCapacity",
                "namespace": "AWS/RDS",
                "period": 300,
                "statistic": "Maximum",
                "threshold": 6,
                "treat_missing_data": "missing",
            }),
            &["arn", "id", "tags_all"],
            json!({
                "alarm_description": constant(json!(description)),
                "alarm_name": references(&["var.environment"]),
                "comparison_operator": constant(json!("GreaterThanOrEqualToThreshold")),
                "dimensions": references(&[&format!("{cluster}.cluster_identifier")]),
                "evaluation_periods": constant(json!(3)),
                "metric_name": constant(json!("ServerlessDatabaseCapacity")),
                "namespace": constant(json!("AWS/RDS")),
                "period": constant(json!(300)),
                "statistic": constant(json!("Maximum")),
                "threshold": constant(json!(6)),
            }),
        ));
    }

    // The variables: the root module's, with their values.
    let mut variables = Map::new();
    let mut declared = Map::new();
    let mut declare = |name: &str, value: Json, default: Option<Json>, description: &str| {
        variables.insert(name.to_string(), json!({ "value": value }));
        let mut declaration = Map::new();
        if let Some(default) = default {
            declaration.insert("default".into(), default);
        }
        declaration.insert("description".into(), json!(description));
        declared.insert(name.to_string(), Json::Object(declaration));
    };
    declare(
        "environment",
        json!(env),
        Some(json!(env)),
        "The deployment stage, used in names and tags",
    );
    if l.region_variable {
        declare(
            "region",
            json!(l.region),
            Some(json!(l.region)),
            "The AWS Region",
        );
    }
    declare(
        "subnet_ids",
        subnets.clone(),
        None,
        "Private subnets in at least two Availability Zones",
    );
    declare(
        "app_security_group_id",
        json!(app_sg),
        None,
        "The security group of the application servers",
    );
    if d.security_group {
        declare("vpc_id", json!(vpc), None, "The VPC of the database");
    }
    for (setting, var, string, _, description) in &settings {
        if !setting.is_literal() {
            declare(
                var,
                plan_scalar(setting.planned(), *string),
                Some(plan_scalar(setting.first(), *string)),
                description,
            );
        }
    }
    if l.reader_count {
        declare(
            "reader_count",
            json!(d.readers.len()),
            Some(json!(d.readers.len())),
            "How many readers the cluster has",
        );
    }

    // planned_values, resource_changes and the configuration's resources of each module.
    let mut changes: Vec<Json> = Vec::new();
    let mut module_json = |resources: &[PlanResource], prefix: &str| -> (Vec<Json>, Vec<Json>) {
        let mut planned = Vec::new();
        let mut configured = Vec::new();
        for r in resources {
            for (i, values) in r.instances.iter().enumerate() {
                let index = if r.count.is_some() {
                    format!("[{i}]")
                } else {
                    String::new()
                };
                let address = format!("{prefix}{}.{}{index}", r.kind, r.name);
                let mut unknown = plan_shape(values);
                for attribute in &r.unknown {
                    unknown[*attribute] = json!(true);
                }
                let mut entry = json!({
                    "address": address,
                    "mode": "managed",
                    "type": r.kind,
                    "name": r.name,
                    "provider_name": TF_AWS,
                    "schema_version": 0,
                    "values": values,
                    "sensitive_values": plan_shape(values),
                });
                let mut change = json!({
                    "address": address,
                    "mode": "managed",
                    "type": r.kind,
                    "name": r.name,
                    "provider_name": TF_AWS,
                    "change": {
                        "actions": ["create"],
                        "before": null,
                        "after": values,
                        "after_unknown": unknown,
                        "before_sensitive": false,
                        "after_sensitive": plan_shape(values),
                    },
                });
                if r.count.is_some() {
                    entry["index"] = json!(i);
                    change["index"] = json!(i);
                }
                if let Some(module) = prefix.strip_suffix('.') {
                    change["module_address"] = json!(module);
                }
                planned.push(entry);
                changes.push(change);
            }
            let mut entry = json!({
                "address": format!("{}.{}", r.kind, r.name),
                "mode": "managed",
                "type": r.kind,
                "name": r.name,
                "provider_config_key": "aws",
                "expressions": r.expressions,
                "schema_version": 0,
            });
            if let Some(count) = &r.count {
                entry["count_expression"] = count.clone();
            }
            configured.push(entry);
        }
        (planned, configured)
    };
    let outputs = json!({
        "endpoint": { "sensitive": false },
        "reader_endpoint": { "sensitive": false },
    });
    let output_expressions = json!({
        "endpoint": {
            "description": "The writer endpoint",
            "expression": references(&[&format!("{cluster}.endpoint")]),
        },
        "reader_endpoint": {
            "description": "The reader endpoint",
            "expression": references(&[&format!("{cluster}.reader_endpoint")]),
        },
    });
    let (root_planned, root_configured) = module_json(&root, "");
    let (db_planned, db_configured) = module_json(&db, &db_prefix);
    let (planned_values, configuration) = match l.module {
        None => {
            let mut resources = root_planned;
            resources.extend(db_planned);
            let mut configured = root_configured;
            configured.extend(db_configured);
            (
                json!({ "outputs": outputs, "root_module": { "resources": resources } }),
                json!({
                    "outputs": output_expressions,
                    "resources": configured,
                    "variables": declared,
                }),
            )
        }
        Some(module) => {
            let mut inputs = Map::new();
            inputs.insert("environment".into(), references(&["var.environment"]));
            inputs.insert(
                "db_subnet_group_name".into(),
                references(&[&format!("{subnet_group}.name")]),
            );
            inputs.insert(
                "security_group_ids".into(),
                if d.security_group {
                    references(&["aws_security_group.db.id"])
                } else {
                    references(&["var.app_security_group_id"])
                },
            );
            for (setting, var, string, _, _) in &settings {
                let input = match setting {
                    Setting::Literal(v) => constant(plan_scalar(v, *string)),
                    _ => references(&[&format!("var.{var}")]),
                };
                inputs.insert(var.to_string(), input);
            }
            if l.reader_count {
                inputs.insert("reader_count".into(), references(&["var.reader_count"]));
            }
            let module_variables: Map<String, Json> =
                inputs.keys().map(|k| (k.clone(), json!({}))).collect();
            let module_outputs: Json = json!({
                "endpoint": { "expression": references(&[&format!("{cluster}.endpoint")]) },
                "reader_endpoint": {
                    "expression": references(&[&format!("{cluster}.reader_endpoint")]),
                },
            });
            (
                json!({
                    "outputs": outputs,
                    "root_module": {
                        "resources": root_planned,
                        "child_modules": [
                            { "address": format!("module.{module}"), "resources": db_planned },
                        ],
                    },
                }),
                json!({
                    "outputs": {
                        "endpoint": {
                            "description": "The writer endpoint",
                            "expression": references(&[&format!("module.{module}.endpoint")]),
                        },
                        "reader_endpoint": {
                            "description": "The reader endpoint",
                            "expression":
                                references(&[&format!("module.{module}.reader_endpoint")]),
                        },
                    },
                    "resources": root_configured,
                    "module_calls": {
                        module: {
                            "source": "./modules/aurora-serverless",
                            "expressions": inputs,
                            "module": {
                                "outputs": module_outputs,
                                "resources": db_configured,
                                "variables": module_variables,
                            },
                        },
                    },
                    "variables": declared,
                }),
            )
        }
    };
    let region = if l.region_variable {
        references(&["var.region"])
    } else {
        constant(json!(l.region))
    };
    let output_changes: Map<String, Json> = ["endpoint", "reader_endpoint"]
        .iter()
        .map(|o| {
            let change = json!({
                "actions": ["create"],
                "before": null,
                "after_unknown": true,
                "before_sensitive": false,
                "after_sensitive": false,
            });
            (o.to_string(), change)
        })
        .collect();
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "variables": variables,
        "planned_values": planned_values,
        "resource_changes": changes,
        "output_changes": output_changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": TF_AWS,
                    "version_constraint": "~> 5.70",
                    "expressions": { "region": region },
                },
            },
            "root_module": configuration,
        },
        "relevant_attributes": [
            { "resource": format!("{db_prefix}{cluster}"), "attribute": [l.join] },
            { "resource": format!("{db_prefix}{cluster}"), "attribute": ["endpoint"] },
        ],
        "timestamp": "2026-11-30T09:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false,
    })
}
