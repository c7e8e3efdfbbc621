//! Writes the synthetic inputs of the benchmarks (see `benches/synthetic.rs`), for
//! `scripts/bench-scale.sh` and `scripts/bench-compare.sh`:
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
//! ```

#[path = "../benches/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use serde_json::{Map, Value as Json, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use synthetic::{Rng, Spec};

const USAGE: &str =
    "usage: synthetic kb N DIR | synthetic specs N DIR [DATA_DIR] | synthetic ga-specs N DIR";

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
