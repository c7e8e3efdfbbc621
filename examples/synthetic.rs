//! Writes the synthetic inputs of the benchmarks (see `benches/synthetic.rs`), for
//! `scripts/bench-scale.sh`, `scripts/bench-compare.sh` and `scripts/bench-cfn-lint.sh`:
//!
//! ```text
//! cargo run --release --example synthetic -- kb N DIR
//!     a knowledge base of N limitations (kb.toml, limitations/, sources/) in DIR
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
//! ```

#[path = "../benches/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use serde_json::{Map, Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use synthetic::{Rng, Spec};

const USAGE: &str = "usage: synthetic kb N DIR | synthetic specs N DIR [DATA_DIR] | \
                     synthetic ga-specs N DIR | synthetic cfn-templates N DIR";

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
        ("kb", []) => synthetic::write_knowledge_base(&dir, count)
            .map_err(|e| format!("cannot write {}: {e}", dir.display())),
        ("specs", [] | [_]) => {
            let source = rest.first().map_or_else(
                || limitkb::DataSource::Embedded("aurora-serverless-v2-preview".into()),
                |d| limitkb::DataSource::Dir(PathBuf::from(d)),
            );
            let kb = limitkb::load(&source).map_err(|e| e.to_string())?;
            write_specs(&dir, synthetic::cluster_specs(&kb, count))
        }
        ("ga-specs", []) => write_specs(&dir, ga_specs(count)),
        ("cfn-templates", []) => write_templates(&dir, count),
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

/// Writes `count` CloudFormation templates (see [`cfn_templates`]) into `dir`.
fn write_templates(dir: &Path, count: usize) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in cfn_templates(count) {
        let path = dir.join(&name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// What a template's database is for: its names, descriptions and tags.
const CFN_APPS: &[&str] = &[
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
/// calls none of them deprecated, as templates spell them.
const CFN_MYSQL_VERSIONS: &[&str] = &[
    "8.0.mysql_aurora.3.04.3",
    "8.0.mysql_aurora.3.08.2",
    "8.0.mysql_aurora.3.09.0",
    "8.0.mysql_aurora.3.10.1",
];
const CFN_POSTGRESQL_VERSIONS: &[&str] = &["13.23", "14.18", "15.13", "15.15"];

/// Provisioned instance classes for a mixed cluster's readers.
const CFN_PROVISIONED_CLASSES: &[&str] = &["db.r6g.large", "db.r6g.xlarge", "db.r7g.large"];

/// How a template gives one end of the capacity range (or the engine version).
enum CfnValue {
    /// The value itself.
    Literal(String),
    /// `!Ref` to a template parameter with this `Default` and, maybe, `AllowedValues`.
    Param {
        name: &'static str,
        default: String,
        allowed: Option<Vec<String>>,
    },
    /// `!If [IsProduction, WHEN_TRUE, WHEN_FALSE]`.
    If(String, String),
}

impl CfnValue {
    fn param(name: &'static str, default: &str, allowed: Option<&[&str]>) -> CfnValue {
        CfnValue::Param {
            name,
            default: default.into(),
            allowed: allowed.map(|a| a.iter().map(|v| v.to_string()).collect()),
        }
    }

    /// The value as it stands after `Key: ` in the template.
    fn yaml(&self) -> String {
        match self {
            CfnValue::Literal(v) => v.clone(),
            CfnValue::Param { name, .. } => format!("!Ref {name}"),
            CfnValue::If(yes, no) => format!("!If [IsProduction, {yes}, {no}]"),
        }
    }
}

/// One template's choices; `cfn_render` writes it.
struct CfnTemplate {
    app: &'static str,
    mysql: bool,
    /// Each version quoted, as a template must for `15.4` to stay a string.
    version: CfnValue,
    environment: &'static str,
    /// `None`: no ServerlessV2ScalingConfiguration.
    capacity: Option<(CfnValue, CfnValue)>,
    /// Each reader's class and whether it has `Condition: HasReaders`.
    readers: Vec<(&'static str, bool)>,
    /// A cluster parameter group; for Aurora PostgreSQL, whether it turns on cluster cache
    /// management.
    parameter_group: Option<bool>,
    alarm: bool,
    security_group: bool,
}

/// `count` CloudFormation templates (YAML) for the knowledge base `data/aurora-serverless-v2`,
/// as (file name, text): even ones valid, odd ones breaking one or two of its limitations
/// (see `cfn_break`). Each has parameters with `Default` and `AllowedValues`, conditions and
/// `Fn::If`, a subnet group, mostly a security group, sometimes a cluster parameter group and a
/// capacity alarm, an `AWS::RDS::DBCluster` of Aurora MySQL or PostgreSQL with a
/// `ServerlessV2ScalingConfiguration` (literal, from a parameter, or by condition), one to
/// three `AWS::RDS::DBInstance`s joined by `DBClusterIdentifier: !Ref Cluster` (the writer
/// `db.serverless`, readers sometimes provisioned or conditional), and outputs: 60 to 150
/// lines. Without `--region`, `limitkb check` gives every one of them only the note that the
/// Region is not known, plus an error on each invalid one.
fn cfn_templates(count: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(0xcf_7e3b);
    (0..count)
        .map(|n| {
            let mut template = cfn_valid_template(&mut rng);
            let valid = n % 2 == 0;
            if !valid {
                for _ in 0..1 + rng.below(2) {
                    cfn_break(&mut template, &mut rng);
                }
            }
            let name = format!("{}-{n:04}.yaml", if valid { "valid" } else { "invalid" });
            (name, cfn_render(&template, n))
        })
        .collect()
}

fn cfn_valid_template(rng: &mut Rng) -> CfnTemplate {
    let mysql = rng.chance(50);
    let versions = if mysql {
        CFN_MYSQL_VERSIONS
    } else {
        CFN_POSTGRESQL_VERSIONS
    };
    let quoted = |v: &str| format!("'{v}'");
    let version = if rng.chance(25) {
        let first = rng.below(versions.len() - 1);
        let allowed: Vec<String> = versions[first..].iter().map(|v| quoted(v)).collect();
        CfnValue::Param {
            name: "EngineVersion",
            default: allowed[rng.below(allowed.len())].clone(),
            allowed: Some(allowed),
        }
    } else {
        CfnValue::Literal(quoted(rng.pick::<&str>(versions)))
    };
    // Any minimum (at most 4 ACU) is at most any maximum (at least 8).
    let min = match rng.below(3) {
        0 => CfnValue::Literal(rng.pick(&["0.5", "1", "1.5", "2", "4"]).to_string()),
        1 => {
            let allowed = rng.chance(50).then_some(&["0.5", "1", "2", "4"][..]);
            CfnValue::param("MinAcu", rng.pick::<&str>(&["0.5", "1", "2"]), allowed)
        }
        _ => CfnValue::If(
            rng.pick(&["2", "4"]).to_string(),
            rng.pick(&["0.5", "1"]).to_string(),
        ),
    };
    let max = match rng.below(3) {
        0 => CfnValue::Literal(rng.pick(&["8", "16", "32", "48", "64", "128"]).to_string()),
        1 => {
            let allowed = rng.chance(50).then_some(&["8", "16", "32", "64"][..]);
            CfnValue::param("MaxAcu", rng.pick::<&str>(&["16", "32"]), allowed)
        }
        _ => CfnValue::If(
            rng.pick(&["64", "128"]).to_string(),
            rng.pick(&["8", "16"]).to_string(),
        ),
    };
    let readers = (0..rng.below(3))
        .map(|_| {
            let class = if rng.chance(80) {
                "db.serverless"
            } else {
                *rng.pick(CFN_PROVISIONED_CLASSES)
            };
            (class, rng.chance(30))
        })
        .collect();
    CfnTemplate {
        app: rng.pick::<&str>(CFN_APPS),
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

/// Breaks one limitation in `template`. Each break leaves it invalid whatever breaks come
/// after: a break sets a value out of its limits and never brings one back within them.
fn cfn_break(template: &mut CfnTemplate, rng: &mut Rng) {
    fn lit(v: &str) -> CfnValue {
        CfnValue::Literal(v.to_string())
    }
    let (min, max) = match &mut template.capacity {
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
        4 => *min = CfnValue::If("2".into(), "0.25".into()),
        5 => *max = CfnValue::param("MaxAcu", "16", Some(&["8", "16", "32", "256"])),
        6 => *min = CfnValue::param("MinAcu", "0.25", None),
        7 => template.capacity = None,
        // MySQL 5.7 (Aurora MySQL 2), or cluster cache management on.
        _ if template.mysql => template.version = lit("'5.7.mysql_aurora.2.11.2'"),
        _ => template.parameter_group = Some(true),
    }
}

/// The template's YAML text; `n` numbers its description.
fn cfn_render(t: &CfnTemplate, n: usize) -> String {
    let mut y = String::new();
    let app = t.app;
    let (engine, port, family, logs) = if t.mysql {
        (
            "aurora-mysql",
            3306,
            "aurora-mysql8.0".to_string(),
            "[error, slowquery]",
        )
    } else {
        let version = match &t.version {
            CfnValue::Literal(v) | CfnValue::Param { default: v, .. } | CfnValue::If(v, _) => v,
        };
        let major = version.trim_matches('\'').split('.').next().unwrap_or("15");
        (
            "aurora-postgresql",
            5432,
            format!("aurora-postgresql{major}"),
            "[postgresql]",
        )
    };
    let engine_name = if t.mysql { "MySQL" } else { "PostgreSQL" };
    let instances = match t.readers.len() {
        0 => "a writer".to_string(),
        1 => "a writer and a reader".to_string(),
        readers => format!("a writer and {readers} readers"),
    };
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
    let mut params: Vec<&CfnValue> = vec![&t.version];
    if let Some((min, max)) = &t.capacity {
        params.extend([min, max]);
    }
    for value in params {
        if let CfnValue::Param {
            name,
            default,
            allowed,
        } = value
        {
            let version = *name == "EngineVersion";
            w(format!("  {name}:"));
            w(format!(
                "    Type: {}",
                if version { "String" } else { "Number" }
            ));
            w(format!("    Default: {default}"));
            if let Some(allowed) = allowed {
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
        if t.mysql {
            w("        slow_query_log: 1".into());
            w("        long_query_time: 2".into());
        } else {
            w(format!("        apg_ccm_enabled: {}", u8::from(ccm)));
            w("        log_min_duration_statement: 500".into());
        }
        w(String::new());
    }
    w("  Cluster:".into());
    w("    Type: AWS::RDS::DBCluster".into());
    w("    DeletionPolicy: Snapshot".into());
    w("    UpdateReplacePolicy: Snapshot".into());
    w("    Properties:".into());
    w(format!("      Engine: {engine}"));
    w(format!("      EngineVersion: {}", t.version.yaml()));
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
        w(format!("        MinCapacity: {}", min.yaml()));
        w(format!("        MaxCapacity: {}", max.yaml()));
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
