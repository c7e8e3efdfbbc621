//! A TypeScript consumer of `generated/ts/index.ts`: it type-checks with `tsc --strict` (the id
//! types are literal unions, the constants literal types), and, run with node, prints values
//! equal to the JSON bundle's.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use support::tools;

const CONSUMER: &str = r#"
import * as kb from "./index.js";

// Literal types: these assignments only type-check if the constants keep their literal types.
const port: 3306 = kb.PORT;
const id: kb.LimitationId = "port-3306-only";
const feature: kb.FeatureId = "rds_proxy";
// @ts-expect-error: not a limitation id
const wrong: kb.LimitationId = "no-such-limitation";
void [port, id, feature, wrong];

const exported: Record<string, unknown> = {};
for (const [name, value] of Object.entries(kb)) {
  exported[name] = value;
}
console.log(JSON.stringify(exported));
"#;

#[test]
fn typescript_consumer_type_checks_and_prints_the_bundle_values() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = repo.join("target/ts-consumer");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::copy(repo.join("generated/ts/index.ts"), scratch.join("index.ts")).unwrap();
    std::fs::write(scratch.join("consumer.ts"), CONSUMER).unwrap();
    std::fs::write(scratch.join("package.json"), r#"{"type": "module"}"#).unwrap();

    let tsc = tools::run(
        Command::new(tools::node_bin("tsc"))
            .args([
                "--strict",
                "--target",
                "es2022",
                "--module",
                "nodenext",
                "--moduleResolution",
                "nodenext",
                "--outDir",
                "out",
                "consumer.ts",
                "index.ts",
            ])
            .current_dir(&scratch),
    );
    assert!(
        tsc.status.success(),
        "tsc --strict failed:\n{}{}",
        String::from_utf8_lossy(&tsc.stdout),
        String::from_utf8_lossy(&tsc.stderr)
    );
    let node = tools::run(
        Command::new("node")
            .arg("out/consumer.js")
            .current_dir(&scratch),
    );
    assert!(
        node.status.success(),
        "{}",
        String::from_utf8_lossy(&node.stderr)
    );
    let exported: Value = serde_json::from_slice(&node.stdout).expect("the consumer prints JSON");

    let bundle: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("generated/json/limitations.json")).unwrap(),
    )
    .unwrap();
    let constants = bundle["constants"].as_array().unwrap();
    assert!(constants.len() >= 20, "the bundle lists the constants");
    for c in constants {
        let name = c["name"].as_str().unwrap().to_ascii_uppercase();
        assert_eq!(exported[&name], c["value"], "TypeScript constant {name}");
    }
    let ids: Vec<&Value> = bundle["limitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["id"])
        .collect();
    assert_eq!(
        exported["LIMITATION_IDS"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        ids
    );
    for (l, bl) in exported["LIMITATIONS"]
        .as_array()
        .unwrap()
        .iter()
        .zip(bundle["limitations"].as_array().unwrap())
    {
        for (ts_key, bundle_value) in [
            ("id", &bl["id"]),
            ("title", &bl["title"]),
            ("summary", &bl["summary"]),
            ("category", &bl["category"]),
            ("sourceQuote", &bl["source"]["quote"]),
        ] {
            assert_eq!(
                &l[ts_key], bundle_value,
                "LIMITATIONS[{}].{ts_key}",
                bl["id"]
            );
        }
    }
    let features: Vec<(&Value, &Value, &Value)> = bundle["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (&f["id"], &f["name"], &f["unsupported_by"]))
        .collect();
    let ts_features: Vec<(&Value, &Value, &Value)> = exported["FEATURES"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (&f["id"], &f["name"], &f["unsupportedBy"]))
        .collect();
    assert_eq!(ts_features, features);
    assert_eq!(
        exported["UNSUPPORTED_FEATURES"].as_array().unwrap().len(),
        14
    );
}
