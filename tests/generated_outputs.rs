//! The committed artifacts: up to date with the data, every typed value of the source document
//! present as a typed value in the JSON bundle and as a named constant in the Rust crate (used
//! here as a real dependency) with the bundle's value, and valid draft-07 data schemas.

mod support;

use support::files::copy_dir;
use support::{KBS, PREVIEW, data_of, generated_of, repo};

use limitkb_aurora_serverless_v2_preview as kb;
use serde_json::{Value, json};

/// The preview knowledge base's bundle.
fn bundle() -> Value {
    let text = std::fs::read_to_string(generated_of(PREVIEW).join("json/limitations.json"))
        .expect("the preview's bundle exists; run `cargo run --release -- generate`");
    serde_json::from_str(&text).expect("the bundle is JSON")
}

/// The bundle's constant `name`, as stored (typed JSON).
fn constant(bundle: &Value, name: &str) -> Value {
    bundle["constants"]
        .as_array()
        .expect("constants is a list")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("the bundle has no constant `{name}`"))["value"]
        .clone()
}

#[test]
fn generated_files_are_up_to_date() {
    // As CI runs it: the binary embeds the templates and data of the work tree (build.rs).
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_limitkb"))
        .args(["generate", "--check"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "generated/ is stale:\n{}{}run `cargo run --release -- generate` to update it",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_typed_value_of_the_source_is_typed_in_the_bundle() {
    let b = bundle();
    // Numbers are numbers, lists are lists, names are strings: the values the source states.
    let expected = [
        ("capacity_min", json!(4)),
        ("capacity_max", json!(32)),
        ("memory_gib_per_acu", json!(2)),
        ("port", json!(3306)),
        (
            "allowed_availability_zone_ids",
            json!(["use1-az2", "use1-az4", "use1-az6"]),
        ),
        ("engine", json!("aurora-mysql")),
        ("engine_version", json!("2.07")),
        ("mysql_compatibility", json!("5.7")),
        ("unavailable_engines", json!(["aurora-postgresql"])),
        ("region", json!("us-east-1")),
        ("region_name", json!("US East (N. Virginia)")),
        ("interface", json!("console")),
        ("unavailable_interfaces", json!(["cli", "api"])),
        (
            "other_services_examples",
            json!(["Amazon EC2", "Amazon CloudWatch"]),
        ),
        ("publicly_accessible", json!(false)),
        ("vpc", json!(true)),
    ];
    for (name, value) in expected {
        assert_eq!(constant(&b, name), value, "constant {name}");
    }
    assert!(constant(&b, "port").is_i64() && constant(&b, "capacity_min").is_i64());
}

#[test]
fn each_unsupported_feature_is_its_own_limitation() {
    let b = bundle();
    let limitations = b["limitations"].as_array().unwrap();
    let mut unsupported: Vec<&str> = limitations
        .iter()
        .flat_map(|l| l["constraints"].as_array().unwrap())
        .filter(|c| c["kind"] == "unsupported")
        .map(|c| c["feature"].as_str().unwrap())
        .collect();
    let per_limitation = limitations
        .iter()
        .filter(|l| {
            l["constraints"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["kind"] == "unsupported")
        })
        .count();
    assert_eq!(per_limitation, 14, "one limitation per unsupported feature");
    unsupported.sort();
    unsupported.dedup();
    assert_eq!(
        unsupported,
        [
            "aurora_replicas",
            "backtracking",
            "cloning",
            "data_api",
            "global_database",
            "iam_database_authentication",
            "lambda_invocation",
            "multi_master",
            "performance_insights",
            "query_editor",
            "rds_proxy",
            "restore_from_provisioned_snapshot",
            "s3_import",
            "s3_snapshot_export",
        ]
    );
    // The preview notices are there, as notices.
    for id in [
        "preview-subject-to-change",
        "preview-not-covered-by-sla",
        "preview-not-for-production",
        "preview-resources-deleted-at-end",
    ] {
        let l = limitations
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(l["notice"], true, "{id} is a notice");
    }
}

#[test]
fn rust_constants_equal_the_bundle() {
    let b = bundle();
    assert_eq!(json!(kb::CAPACITY_MIN), constant(&b, "capacity_min"));
    assert_eq!(json!(kb::CAPACITY_MAX), constant(&b, "capacity_max"));
    assert_eq!(
        json!(kb::MEMORY_GIB_PER_ACU),
        constant(&b, "memory_gib_per_acu")
    );
    assert_eq!(json!(kb::PORT), constant(&b, "port"));
    assert_eq!(
        json!(kb::ALLOWED_AVAILABILITY_ZONE_IDS),
        constant(&b, "allowed_availability_zone_ids")
    );
    assert_eq!(json!(kb::ENGINE), constant(&b, "engine"));
    assert_eq!(json!(kb::ENGINE_VERSION), constant(&b, "engine_version"));
    assert_eq!(
        json!(kb::MYSQL_COMPATIBILITY),
        constant(&b, "mysql_compatibility")
    );
    assert_eq!(
        json!(kb::UNAVAILABLE_ENGINES),
        constant(&b, "unavailable_engines")
    );
    assert_eq!(json!(kb::REGION), constant(&b, "region"));
    assert_eq!(json!(kb::REGION_NAME), constant(&b, "region_name"));
    assert_eq!(json!(kb::INTERFACE), constant(&b, "interface"));
    assert_eq!(
        json!(kb::UNAVAILABLE_INTERFACES),
        constant(&b, "unavailable_interfaces")
    );
    assert_eq!(
        json!(kb::PUBLICLY_ACCESSIBLE),
        constant(&b, "publicly_accessible")
    );
    assert_eq!(json!(kb::VPC), constant(&b, "vpc"));
    assert_eq!(json!(kb::KB_VERSION), b["kb"]["version"]);

    // The limitation table and ids, in order.
    let ids: Vec<&str> = kb::LIMITATIONS.iter().map(|l| l.id.as_str()).collect();
    let bundle_ids: Vec<&str> = b["limitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, bundle_ids);
    for (l, bl) in kb::LIMITATIONS
        .iter()
        .zip(b["limitations"].as_array().unwrap())
    {
        assert_eq!(json!(l.title), bl["title"]);
        assert_eq!(json!(l.summary), bl["summary"]);
        assert_eq!(json!(l.category), bl["category"]);
        assert_eq!(json!(l.source_quote), bl["source"]["quote"]);
        assert_eq!(l.id.limitation(), l);
        assert_eq!(kb::LimitationId::from_id(l.id.as_str()), Some(l.id));
    }
    // Features: every one, with its name and the limitation ruling it out.
    let features = b["features"].as_array().unwrap();
    assert_eq!(kb::Feature::ALL.len(), features.len());
    for (f, bf) in kb::Feature::ALL.iter().zip(features) {
        assert_eq!(json!(f.id()), bf["id"]);
        assert_eq!(json!(f.name()), bf["name"]);
        assert_eq!(
            json!(f.unsupported_by().map(|l| l.as_str())),
            bf["unsupported_by"]
        );
    }
    assert_eq!(kb::UNSUPPORTED_FEATURES.len(), 14);
}

#[test]
fn data_schemas_are_draft_07_and_every_data_file_validates() {
    let kinds = KBS.iter().flat_map(|id| {
        let data = data_of(id);
        [
            (*id, "kb.schema.json", vec![data.join("kb.toml")]),
            (
                *id,
                "limitations.schema.json",
                std::fs::read_dir(data.join("limitations"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect(),
            ),
        ]
    });
    for (id, schema_file, data_files) in kinds {
        let schema_dir = generated_of(id).join("schema");
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(schema_dir.join(schema_file)).unwrap())
                .unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
        jsonschema::meta::validate(&schema)
            .unwrap_or_else(|e| panic!("{schema_file} is not a valid draft-07 schema: {e}"));
        let validator = jsonschema::draft7::new(&schema).unwrap();
        for data in data_files {
            let text = std::fs::read_to_string(&data).unwrap();
            assert!(
                text.starts_with("#:schema ")
                    && text.lines().next().unwrap().ends_with(schema_file),
                "{} starts with a #:schema line naming {schema_file}",
                data.display()
            );
            let value: Value = toml::from_str(&text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", data.display());
        }
    }
}

#[test]
fn a_broken_data_file_is_rejected_by_validate_and_by_the_schema() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&data_of(PREVIEW), tmp.path());
    let file = tmp.path().join("limitations/networking.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    // A string where the port must be a number, and a misspelt key in a constraint.
    let broken = text
        .replace("value = 3306 }", "value = 3306, valu = 1 }")
        .replace("title = \"No public IP address\"", "title = 42");
    assert_ne!(broken, text);
    std::fs::write(&file, &broken).unwrap();

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_limitkb"))
        .args(["validate", "--format", "short", "--data"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let shown = file.display().to_string();
    assert!(
        stderr.contains(&format!("{shown}:{}:", line_of("title = 42")))
            && stderr.contains("42 is not of type \"string\""),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{shown}:{}:", line_of("valu = 1")))
            && stderr.contains("unknown key `valu`; did you mean `value`?"),
        "{stderr}"
    );

    // The committed schema rejects it too.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(generated_of(PREVIEW).join("schema/limitations.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let value: Value = toml::from_str(&broken).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let paths: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.instance_path().as_str().to_string())
        .collect();
    assert!(
        paths.contains(&"/limitation/0/title".to_string()),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.starts_with("/limitation/2/constraint/0")),
        "{paths:?}"
    );
}

#[test]
fn generate_check_fails_on_a_changed_value_and_passes_after_generate() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &tmp.path().join("data"));
    copy_dir(&repo().join("generated"), &tmp.path().join("generated"));
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_limitkb"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&["generate", "--check"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");

    let file = tmp
        .path()
        .join("data")
        .join(PREVIEW)
        .join("limitations/capacity.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("max = 32", "max = 64")).unwrap();
    let (code, stdout, stderr) = run(&["generate", "--check"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for changed in [
        format!("stale: {PREVIEW}/rust/src/lib.rs"),
        format!("stale: {PREVIEW}/ts/index.ts"),
        format!("stale: {PREVIEW}/json/limitations.json"),
        format!("stale: {PREVIEW}/schema/cluster.schema.json"),
        format!("stale: docs/{PREVIEW}/capacity.md"),
    ] {
        assert!(
            stdout.contains(&changed),
            "expected `{changed}` in:\n{stdout}"
        );
    }
    assert!(stderr.contains("run `limitkb generate`"), "{stderr}");

    let (code, _, stderr) = run(&["generate"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(&["generate", "--check"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let lib = std::fs::read_to_string(
        support::tree_of(&tmp.path().join("generated"), PREVIEW).join("rust/src/lib.rs"),
    )
    .unwrap();
    assert!(lib.contains("pub const CAPACITY_MAX: i64 = 64;"));
}
