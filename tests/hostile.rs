//! Hostile text round-trips: a knowledge base whose every free-text field holds text that ends
//! literals, comments, table cells or lines (quotes, backslashes, `*/`, `${`, `{{`, `|`,
//! `<script>`, `#` at line start, every kind of line break, NUL and other controls, bidi
//! marks, emoji, a 10,000-character string) is generated with the library, and then:
//!
//! - the Rust crate compiles (with `-D warnings`) in a consumer crate whose `main` prints
//!   every constant and table entry as JSON, and each equals the data;
//! - the TypeScript module type-checks with `tsc --strict` and, compiled, runs under node
//!   with every exported value equal to the data (the plain JS module too);
//! - the Python module imports with warnings as errors and holds every value;
//! - the JSON bundle parses and holds the data;
//! - the Markdown has exactly the block structure of the same knowledge base with plain text
//!   (same lines, headings, tables, and every table row as many cells as its header, under
//!   both GFM cell-splitting rules);
//! - no injected code (`INJECTED`) became an item in any target;
//! - ids at the edge of the identifier rules (`all`, `self-check`, `type-2`, `default_value`,
//!   a fact `all`) are accepted and compile in every target.

mod support;

use serde_json::{Value as Json, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::tools;

/// Text that ends, opens or hides something in some target.
fn hostile_strings() -> Vec<String> {
    let long: String = "Long \"quoted\" \\ | *bold* `code` ${x} */ <b>\n# not a heading\r\n"
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    assert_eq!(long.chars().count(), 10_000);
    [
        "double \"quotes\" and 'single' and \"\"\"triple\"\"\"",
        "back\\slash \\n \\u{41} \\x41 \\\" trailing\\",
        "*/ export const INJECTED = 1; /*",
        "/* open comment /** doc",
        "// line comment\npub const INJECTED: u8 = 0;\nexport const INJECTED = 2;",
        "${template} `backtick` ${`nested`} ``double``",
        "{{ tera }} {% raw %} {# comment #} {%- endraw %}",
        "a | b || c \\| d |",
        "<script>alert(1)</script> <br> &amp; &lt; &#x41; <!-- c -->",
        "# heading\n## another\n### third\n#no-space",
        "line1\nline2\r\nline3\rline4\n\nafter blank",
        "tab\there\t and trailing\t",
        "sep\u{2028}line\u{2029}para\u{85}nel\u{0B}vt\u{0C}ff",
        "nul\0 bell\u{7} esc\u{1b}[31m del\u{7f} c1\u{9b}",
        "bidi \u{202E}reversed\u{202C} \u{2066}isolate\u{2069} \u{200F}rlm\u{200E} \u{061C}alm",
        "emoji 🙂 👨‍👩‍👧 flags 🇫🇷 astral 𝄞 zwj\u{200D} bom\u{FEFF} nbsp\u{A0}",
        "invisible: zwsp\u{200B} shy\u{AD} wj\u{2060} mvs\u{180E} op\u{2062}",
        "- list item\n* star\n+ plus\n1. numbered\n2) paren\n> quote\n---\n===\n***",
        "    indented code\n\tand tab",
        "```\nfenced\n```\n~~~\ntilde\n~~~",
        "[link](javascript:alert(1)) ![img](x) <http://x> [ref]: http://y",
        "@param x {@link Foo} \\@ @returns",
        "'; DROP TABLE limitations; -- \" OR 1=1",
        "1. starts like a list",
        "=== setext?\n---",
        "trailing spaces   \n  two leading",
        "\\",
        "|",
        "#",
    ]
    .into_iter()
    .map(String::from)
    .chain([long])
    .collect()
}

/// How the free-text fields are filled.
#[derive(Clone, Copy, Debug)]
enum Fill {
    /// The hostile strings in turn, starting at this one: over every start, every field
    /// holds every string once.
    Rotate(usize),
    /// Every field holds all the hostile strings at once (with a number, to keep list items
    /// distinct).
    All,
    /// Plain text: the benign twin, with the same shape and ids.
    Plain,
}

/// Hands out the text of each free-text field.
struct Texts {
    fill: Fill,
    strings: Vec<String>,
    next: usize,
}

impl Texts {
    fn new(fill: Fill) -> Texts {
        Texts {
            fill,
            strings: hostile_strings(),
            next: 0,
        }
    }

    fn text(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.fill {
            Fill::Rotate(start) => self.strings[(start + n) % self.strings.len()].clone(),
            Fill::All => format!("{} #{n}", self.strings.concat()),
            Fill::Plain => format!("Plain text {n}"),
        }
    }
}

/// The data of a knowledge base: `kb.toml` and the category files, as JSON values.
struct Data {
    kb: Json,
    categories: Vec<(String, Json)>,
}

fn limitation(texts: &mut Texts, id: &str, constraint: Json, fact: Json) -> Json {
    let mut l = json!({
        "id": id,
        "title": texts.text(),
        "summary": texts.text(),
        "source": { "quote": texts.text(), "context": texts.text() },
    });
    if !constraint.as_array().is_some_and(Vec::is_empty) {
        l["constraint"] = constraint;
    }
    if !fact.as_array().is_some_and(Vec::is_empty) {
        l["fact"] = fact;
    }
    l
}

fn data(texts: &mut Texts) -> Data {
    macro_rules! t {
        () => {
            texts.text()
        };
    }
    let domain = [t!(), t!(), t!()];
    let kb = json!({
        "id": "hostile-kb",
        "name": t!(),
        "version": "1.2.3",
        "description": t!(),
        "source": {
            "title": t!(),
            "publisher": t!(),
            "url": t!(),
            "anchor": t!(),
            "revision": "2021-07-12",
        },
        "category": [
            { "id": "alpha", "title": t!(), "description": t!(), "callout": true },
            { "id": "beta", "title": t!(), "description": t!() },
        ],
        "parameter": [
            { "id": "port", "title": t!(), "description": t!(), "type": "integer", "unit": t!(), "example": 3306 },
            { "id": "engine", "title": t!(), "description": t!(), "type": "string", "values": domain, "example": domain[0] },
            { "id": "zones", "title": t!(), "description": t!(), "type": "string-list", "example": [t!(), t!()] },
            { "id": "capacity", "title": t!(), "description": t!(), "type": "range", "unit": t!(), "min_key": "min_acu", "max_key": "max_acu", "example": [4, 16] },
            { "id": "public", "title": t!(), "description": t!(), "type": "boolean", "example": false },
        ],
        "feature": [
            { "id": "proxy", "name": t!() },
            { "id": "default_value", "name": t!() },
        ],
    });
    let alpha = json!({ "limitation": [
        limitation(texts, "all", json!([{ "kind": "equals", "parameter": "port", "value": 3306 }]), json!([])),
        limitation(texts, "self-check", json!([{ "kind": "one-of", "parameter": "engine", "values": [domain[0], domain[2]] }]), json!([])),
        limitation(texts, "type-2", json!([]), json!([])),
    ]});
    let zones = [t!(), t!()];
    let facts = json!([
        { "id": "motto", "value": t!(), "description": t!() },
        { "id": "phrases", "value": [t!(), t!(), t!()], "unit": t!(), "description": t!() },
        { "id": "ratio", "value": 2.5, "unit": t!(), "description": t!() },
        { "id": "count", "value": 7, "unit": t!(), "description": t!() },
        { "id": "enabled", "value": true, "description": t!() },
        // A constant named like the enums' associated `ALL`: no clash, it is a module item.
        { "id": "all", "value": [1, 2], "description": t!() },
    ]);
    let beta = json!({ "limitation": [
        limitation(texts, "beta-capacity", json!([
            { "kind": "range", "parameter": "capacity", "min": 4, "max": 32 },
            { "kind": "one-of", "parameter": "zones", "values": zones },
        ]), facts),
        limitation(texts, "beta-proxy", json!([{ "kind": "unsupported", "feature": "proxy" }]), json!([])),
    ]});
    Data {
        kb,
        categories: vec![("alpha".into(), alpha), ("beta".into(), beta)],
    }
}

/// Writes the data as TOML (serialized by the `toml` crate, not by limitkb) under `dir`.
fn write_data(dir: &Path, data: &Data) {
    let to_toml = |value: &Json| {
        let value = toml::Value::try_from(value).expect("the data fits TOML");
        toml::to_string(&value).expect("TOML serializes")
    };
    std::fs::create_dir_all(dir.join("limitations")).unwrap();
    std::fs::write(dir.join("kb.toml"), to_toml(&data.kb)).unwrap();
    for (id, file) in &data.categories {
        std::fs::write(
            dir.join("limitations").join(format!("{id}.toml")),
            to_toml(file),
        )
        .unwrap();
    }
}

/// Loads and renders a knowledge base from `data`, and writes it with `limitkb::write`.
fn generate(root: &Path, data: &Data) -> (PathBuf, limitkb::Artifacts) {
    let data_dir = root.join("data");
    write_data(&data_dir, data);
    let kb = limitkb::load(&limitkb::DataSource::Dir(data_dir))
        .unwrap_or_else(|e| panic!("the knowledge base does not load:\n{e}"));
    let artifacts = limitkb::render(&kb, &limitkb::Templates::embedded())
        .unwrap_or_else(|e| panic!("the knowledge base does not render: {e}"));
    let out = root.join("generated");
    limitkb::write(&out, &artifacts).expect("the artifacts are written");
    (out, artifacts)
}

/// One row per limitation of the data, in order, each with its `id`, `category`, `title` and
/// `summary`; `rest` checks what else a row holds against the limitation.
fn assert_rows_equal_limitations(listed: &[Json], data: &Data, rest: impl Fn(&Json, &Json)) {
    let expected = limitations(data);
    assert_eq!(listed.len(), expected.len());
    for (got, (category, l)) in listed.iter().zip(expected) {
        assert_eq!(got["id"], l["id"]);
        assert_eq!(got["category"], category);
        assert_eq!(got["title"], l["title"]);
        assert_eq!(got["summary"], l["summary"]);
        rest(got, l);
    }
}

fn limitations(data: &Data) -> Vec<(&str, &Json)> {
    data.categories
        .iter()
        .flat_map(|(category, file)| {
            file["limitation"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |l| (category.as_str(), l))
        })
        .collect()
}

/// Every string in the data (the hostile texts as placed), for membership checks.
fn strings_of(value: &Json, out: &mut BTreeSet<String>) {
    match value {
        Json::String(s) => {
            out.insert(s.clone());
        }
        Json::Array(items) => items.iter().for_each(|i| strings_of(i, out)),
        Json::Object(map) => map.values().for_each(|v| strings_of(v, out)),
        _ => {}
    }
}

/// The KB name as a one-line metadata field shows it: line breaks, controls and bidi
/// characters as spaces (Cargo cannot pass a NUL to rustc; packaging wants one line).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
            let invisible = matches!(c, '\u{AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
            if c.is_control() || bidi || invisible || matches!(c, '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn screaming(name: &str) -> String {
    name.to_ascii_uppercase()
}

fn run(cmd: &mut Command) -> String {
    let output = tools::run(cmd);
    assert!(
        output.status.success(),
        "{cmd:?} failed with {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn target_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(name)
}

// ---------------------------------------------------------------------------------------------
// The whole round trip, on one generated knowledge base.

/// Generates the knowledge base filled by `fill` and its plain twin, and checks every
/// artifact; `compile` also builds and runs the Rust and TypeScript consumers.
fn round_trip(fill: Fill, compile: bool) {
    let temp = tempfile::tempdir().unwrap();
    let hostile = data(&mut Texts::new(fill));
    let (out, artifacts) = generate(&temp.path().join("hostile"), &hostile);
    let benign = data(&mut Texts::new(Fill::Plain));
    let (_, benign_artifacts) = generate(&temp.path().join("benign"), &benign);

    let bundle = check_json(&artifacts, &hostile);
    check_no_injection(&artifacts);
    check_markdown(&artifacts, &benign_artifacts);
    check_cluster_spec_example(&artifacts, &hostile);
    if compile {
        check_rust(&out, &bundle, &hostile);
        check_typescript(&out, &artifacts, &bundle, &hostile);
        check_python(&out, &artifacts, &bundle, &hostile);
    }
}

#[test]
fn every_hostile_string_is_placed_in_every_field() {
    // There are at least as many free-text fields as hostile strings, so that rotation 0
    // (the one the compile check uses) places every string somewhere, and the rotations over
    // every start place every string in every field.
    let strings = hostile_strings();
    let all_strings = |data: &Data| {
        let mut placed = BTreeSet::new();
        strings_of(&data.kb, &mut placed);
        for (_, file) in &data.categories {
            strings_of(file, &mut placed);
        }
        placed
    };
    let plain = all_strings(&data(&mut Texts::new(Fill::Plain)));
    let free_text = plain.iter().filter(|s| s.starts_with("Plain text")).count();
    assert!(
        free_text >= strings.len(),
        "{free_text} free-text fields for {} strings",
        strings.len()
    );
    let rotation_zero = all_strings(&data(&mut Texts::new(Fill::Rotate(0))));
    for s in &strings {
        assert!(rotation_zero.contains(s), "{s:?} is in no field");
    }
}

#[test]
fn hostile_text_compiles_and_round_trips_in_every_target() {
    round_trip(Fill::Rotate(0), true);
}

#[test]
fn all_hostile_text_in_every_field_compiles_and_round_trips() {
    round_trip(Fill::All, true);
}

#[test]
fn every_field_with_every_hostile_string_keeps_docs_and_json_intact() {
    for start in 0..hostile_strings().len() {
        round_trip(Fill::Rotate(start), false);
    }
}

/// The JSON bundle parses and holds every field as written; the other JSON artifacts parse.
fn check_json(artifacts: &limitkb::Artifacts, data: &Data) -> Json {
    for (path, text) in artifacts {
        if path.ends_with(".json") {
            serde_json::from_str::<Json>(text)
                .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
        }
    }
    let bundle: Json = serde_json::from_str(&artifacts["json/limitations.json"]).unwrap();
    let kb = &data.kb;
    assert_eq!(bundle["kb"]["name"], kb["name"]);
    assert_eq!(bundle["kb"]["description"], kb["description"]);
    for key in ["title", "publisher", "url", "anchor"] {
        assert_eq!(
            bundle["kb"]["source"][key], kb["source"][key],
            "source.{key}"
        );
    }
    for (i, category) in kb["category"].as_array().unwrap().iter().enumerate() {
        assert_eq!(bundle["categories"][i]["title"], category["title"]);
        assert_eq!(
            bundle["categories"][i]["description"],
            category["description"]
        );
    }
    for (i, parameter) in kb["parameter"].as_array().unwrap().iter().enumerate() {
        for key in ["title", "description", "unit", "values", "example"] {
            if let Some(expected) = parameter.get(key) {
                assert_eq!(&bundle["parameters"][i][key], expected, "parameter.{key}");
            }
        }
    }
    for (i, feature) in kb["feature"].as_array().unwrap().iter().enumerate() {
        assert_eq!(bundle["features"][i]["name"], feature["name"]);
    }
    let listed = bundle["limitations"].as_array().unwrap();
    assert_rows_equal_limitations(listed, data, |got, l| {
        assert_eq!(got["source"]["quote"], l["source"]["quote"]);
        assert_eq!(got["source"]["context"], l["source"]["context"]);
        for (i, fact) in l["fact"].as_array().into_iter().flatten().enumerate() {
            for key in ["value", "unit", "description"] {
                if let Some(expected) = fact.get(key) {
                    assert_eq!(&got["facts"][i][key], expected, "fact.{key}");
                }
            }
        }
    });
    // The constants hold the data's values: every string of a string constant is in the data.
    let mut placed = BTreeSet::new();
    strings_of(&data.kb, &mut placed);
    for (_, file) in &data.categories {
        strings_of(file, &mut placed);
    }
    let mut strings = BTreeSet::new();
    for constant in bundle["constants"].as_array().unwrap() {
        strings_of(&constant["value"], &mut strings);
    }
    for s in &strings {
        assert!(
            placed.contains(s),
            "constant string {s:?} is not from the data"
        );
    }
    bundle
}

/// No target gained an item from text: a line never starts with injected code.
fn check_no_injection(artifacts: &limitkb::Artifacts) {
    for (path, text) in artifacts {
        for line in text.lines() {
            let line = line.trim_start();
            assert!(
                !(line.starts_with("pub const INJECTED")
                    || line.starts_with("export const INJECTED")),
                "{path}: injected code became a line of its own: {line:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rust: a consumer crate prints every value as JSON.

/// A `main` printing the crate's constants (those of the bundle), its table of limitations
/// and its features, as one JSON object.
fn rust_consumer_main(crate_name: &str, bundle: &Json) -> String {
    let mut constants = String::new();
    for constant in bundle["constants"].as_array().unwrap() {
        let name = screaming(constant["name"].as_str().unwrap());
        constants.push_str(&format!("    fields.push(field({name:?}, &k::{name}));\n"));
    }
    format!(
        r#"use {crate_name} as k;

trait ToJson {{
    fn to_json(&self) -> String;
}}

fn escape(s: &str) -> String {{
    let mut out = String::from("\"");
    for c in s.chars() {{
        match c {{
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{{:04x}}", c as u32)),
            c => out.push(c),
        }}
    }}
    out.push('"');
    out
}}

impl ToJson for &str {{
    fn to_json(&self) -> String {{
        escape(self)
    }}
}}
impl ToJson for i64 {{
    fn to_json(&self) -> String {{
        self.to_string()
    }}
}}
impl ToJson for f64 {{
    fn to_json(&self) -> String {{
        format!("{{self:?}}")
    }}
}}
impl ToJson for bool {{
    fn to_json(&self) -> String {{
        self.to_string()
    }}
}}
impl<T: ToJson> ToJson for &[T] {{
    fn to_json(&self) -> String {{
        let items: Vec<String> = self.iter().map(ToJson::to_json).collect();
        format!("[{{}}]", items.join(","))
    }}
}}

fn field(name: &str, value: &dyn ToJson) -> String {{
    format!("{{}}:{{}}", escape(name), value.to_json())
}}

fn main() {{
    let mut fields = Vec::new();
{constants}
    let limitations: Vec<String> = k::LIMITATIONS
        .iter()
        .map(|l| {{
            assert_eq!(k::LimitationId::from_id(l.id.as_str()), Some(l.id));
            assert_eq!(l.id.limitation(), l);
            format!(
                "{{{{{{}},{{}},{{}},{{}},{{}},{{}}}}}}",
                field("id", &l.id.as_str()),
                field("category", &l.category),
                field("title", &l.title),
                field("summary", &l.summary),
                field("doc_anchor", &l.doc_anchor),
                field("source_quote", &l.source_quote),
            )
        }})
        .collect();
    let features: Vec<String> = k::Feature::ALL
        .iter()
        .map(|f| {{
            let by = f.unsupported_by().map_or("null".to_string(), |l| escape(l.as_str()));
            format!(
                "{{{{{{}},{{}},\"unsupported_by\":{{by}}}}}}",
                field("id", &f.id()),
                field("name", &f.name())
            )
        }})
        .collect();
    println!(
        "{{{{\"constants\":{{{{{{}}}}}},\"limitations\":[{{}}],\"features\":[{{}}]}}}}",
        fields.join(","),
        limitations.join(","),
        features.join(",")
    );
}}
"#
    )
}

fn check_rust(out: &Path, bundle: &Json, data: &Data) {
    let crate_dir = out.join("rust");
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap())
            .expect("the generated Cargo.toml is TOML");
    let package = &manifest["package"];
    let crate_name = package["name"].as_str().unwrap().replace('-', "_");
    let description = package["description"].as_str().unwrap();
    assert!(
        description.contains(&one_line(data.kb["name"].as_str().unwrap())),
        "the crate's description holds the KB name: {:?}…",
        description.chars().take(300).collect::<String>()
    );

    // rustfmt accepts the crate as it is; clippy finds nothing (no tab or invisible
    // character in a doc comment or literal); no text became a doctest.
    run(Command::new("rustfmt")
        .args(["--edition", "2021", "--check"])
        .arg(crate_dir.join("src/lib.rs")));
    let target = target_dir("hostile-consumer");
    let cargo = |args: &[&str]| {
        run(Command::new(env!("CARGO"))
            .arg(args[0])
            .arg("--manifest-path")
            .arg(crate_dir.join("Cargo.toml"))
            .args(&args[1..])
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings"))
    };
    cargo(&["clippy", "--offline", "--quiet", "--", "-D", "warnings"]);
    let doctests = cargo(&["test", "--doc", "--offline"]);
    assert!(
        doctests.contains("running 0 tests"),
        "text became a doctest:\n{doctests}"
    );

    let consumer = out.parent().unwrap().join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        format!(
            "[package]\nname = \"hostile-consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{crate_name} = {{ package = {:?}, path = {:?} }}\n\n[workspace]\n",
            package["name"].as_str().unwrap(),
            crate_dir.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        consumer.join("src/main.rs"),
        rust_consumer_main(&crate_name, bundle),
    )
    .unwrap();
    let stdout = run(Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet", "--manifest-path"])
        .arg(consumer.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings"));
    let printed: Json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the consumer printed no JSON ({e}):\n{stdout}"));

    // Every constant equals the bundle's value.
    for constant in bundle["constants"].as_array().unwrap() {
        let name = screaming(constant["name"].as_str().unwrap());
        assert_eq!(
            printed["constants"][&name], constant["value"],
            "Rust constant {name}"
        );
    }
    // The constants of the KB's own text equal the data.
    assert_eq!(printed["constants"]["KB_NAME"], data.kb["name"]);
    assert_eq!(
        printed["constants"]["SOURCE_TITLE"],
        data.kb["source"]["title"]
    );
    assert_eq!(printed["constants"]["SOURCE_URL"], data.kb["source"]["url"]);
    // The table of limitations equals the data.
    assert_tables_equal_data(&printed["limitations"], &printed["features"], data);
    assert_eq!(printed["features"][0]["unsupported_by"], "beta-proxy");
}

// ---------------------------------------------------------------------------------------------
// TypeScript and JavaScript: `tsc --strict`, then node prints every export as JSON.

fn check_typescript(out: &Path, artifacts: &limitkb::Artifacts, bundle: &Json, data: &Data) {
    let ts_dir = out.join("ts");
    let package: Json =
        serde_json::from_str(&std::fs::read_to_string(ts_dir.join("package.json")).unwrap())
            .expect("package.json is JSON");
    assert!(
        package["description"]
            .as_str()
            .unwrap()
            .contains(data.kb["name"].as_str().unwrap())
    );

    let work = out.parent().unwrap().join("ts-consumer");
    std::fs::create_dir_all(&work).unwrap();
    for entry in std::fs::read_dir(&ts_dir).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), work.join(entry.file_name())).unwrap();
    }
    let modules: Vec<&str> = artifacts
        .keys()
        .filter_map(|p| p.strip_prefix("ts/"))
        .filter(|p| p.ends_with(".ts") && !p.ends_with(".d.ts"))
        .collect();
    assert!(
        modules.contains(&"index.ts"),
        "the TypeScript module: {modules:?}"
    );
    std::fs::write(
        work.join("consumer.ts"),
        "import * as kb from \"./index.js\";\n\
         declare const console: { log(text: string): void };\n\
         const values: Record<string, unknown> = { ...kb };\n\
         console.log(JSON.stringify({ exports: Object.keys(kb), values }));\n",
    )
    .unwrap();
    let tsc = tools::node_bin("tsc");
    run(Command::new(&tsc)
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
            "--rootDir",
            ".",
            "index.ts",
            "consumer.ts",
        ])
        .current_dir(&work));
    let from_ts = run_node(&work.join("out/consumer.js"));
    check_module_values("index.ts (compiled)", &from_ts, bundle, data);

    // The plain JavaScript module, when the target has one, runs as it is (its declarations
    // type-check against it).
    if artifacts.contains_key("ts/index.js") {
        std::fs::write(
            work.join("plain.mjs"),
            "import * as kb from \"./index.js\";\n\
             console.log(JSON.stringify({ exports: Object.keys(kb), values: { ...kb } }));\n",
        )
        .unwrap();
        let from_js = run_node(&work.join("plain.mjs"));
        check_module_values("index.js", &from_js, bundle, data);
    }
    if artifacts.contains_key("ts/index.d.ts") {
        run(Command::new(&tsc)
            .args(["--strict", "--noEmit", "index.d.ts"])
            .current_dir(&work));
    }
}

fn run_node(script: &Path) -> Json {
    let stdout = run(Command::new("node").arg(script));
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{} printed no JSON ({e}):\n{stdout}", script.display()))
}

fn check_module_values(what: &str, printed: &Json, bundle: &Json, data: &Data) {
    let exports: Vec<&str> = printed["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        !exports.iter().any(|e| e.contains("INJECTED")),
        "{what}: injected export: {exports:?}"
    );
    let values = &printed["values"];
    for constant in bundle["constants"].as_array().unwrap() {
        let name = screaming(constant["name"].as_str().unwrap());
        assert_eq!(values[&name], constant["value"], "{what}: constant {name}");
    }
    assert_eq!(values["KB_NAME"], data.kb["name"], "{what}");
    let listed = values["LIMITATIONS"].as_array().unwrap();
    let expected = limitations(data);
    assert_eq!(listed.len(), expected.len());
    for (got, (category, l)) in listed.iter().zip(expected) {
        assert_eq!(got["id"], l["id"], "{what}");
        assert_eq!(got["category"], category, "{what}");
        assert_eq!(got["title"], l["title"], "{what}");
        assert_eq!(got["summary"], l["summary"], "{what}");
        assert_eq!(got["sourceQuote"], l["source"]["quote"], "{what}");
    }
    for (got, f) in values["FEATURES"]
        .as_array()
        .unwrap()
        .iter()
        .zip(data.kb["feature"].as_array().unwrap())
    {
        assert_eq!(got["id"], f["id"], "{what}");
        assert_eq!(got["name"], f["name"], "{what}");
    }
}

// ---------------------------------------------------------------------------------------------
// Python: the module imports (warnings are errors) and holds every value.

const PYTHON_DUMP: &str = r#"
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
module = importlib.import_module(sys.argv[2])
def plain(value):
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: plain(v) for k, v in value.items()}
    return value
values = {n: plain(getattr(module, n)) for n in module.__all__ if not isinstance(getattr(module, n), type)}
print(json.dumps({"exports": list(module.__all__), "values": values, "doc": module.__doc__}))
"#;

fn check_python(out: &Path, artifacts: &limitkb::Artifacts, bundle: &Json, data: &Data) {
    let modules: Vec<&str> = artifacts
        .keys()
        .filter_map(|p| p.strip_prefix("python/")?.strip_suffix("/__init__.py"))
        .collect();
    assert_eq!(modules.len(), 1, "one Python package: {modules:?}");
    let stdout = run(Command::new("python3")
        .args(["-W", "error", "-c", PYTHON_DUMP])
        .arg(out.join("python"))
        .arg(modules[0]));
    let printed: Json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the Python module printed no JSON ({e}):\n{stdout}"));
    assert!(
        printed["doc"]
            .as_str()
            .unwrap()
            .contains(data.kb["name"].as_str().unwrap()),
        "the module docstring holds the KB name"
    );
    let values = &printed["values"];
    for constant in bundle["constants"].as_array().unwrap() {
        let name = screaming(constant["name"].as_str().unwrap());
        assert_eq!(values[&name], constant["value"], "Python constant {name}");
    }
    assert_tables_equal_data(&values["LIMITATIONS"], &values["FEATURES"], data);
}

// ---------------------------------------------------------------------------------------------
// Markdown: the block structure is the template's, whatever the text.

/// What a line of Markdown is, as a block parser sees it at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Blank,
    Heading(usize),
    /// A setext underline or a thematic break (`---`, `===`, `***`).
    Rule,
    ListItem,
    Quote,
    Fence,
    Html,
    /// A table row, with its cell counts under the cmark-gfm and the micromark rule.
    Row(usize, usize),
    Text,
    /// A line inside a fenced code block.
    Code,
}

fn classify(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut fence: Option<String> = None;
    for line in markdown.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = line.trim_start_matches(' ');
        let ticks: String = rest.chars().take_while(|&c| c == '`' || c == '~').collect();
        if let Some(open) = &fence {
            if rest.starts_with(open.as_str()) && indent < 4 {
                fence = None;
                blocks.push(Block::Fence);
            } else {
                blocks.push(Block::Code);
            }
            continue;
        }
        let block = if rest.is_empty() {
            Block::Blank
        } else if indent >= 4 {
            Block::Text
        } else if ticks.len() >= 3 {
            fence = Some(ticks);
            Block::Fence
        } else if let Some(level) = heading_level(rest) {
            Block::Heading(level)
        } else if is_rule(rest) {
            Block::Rule
        } else if is_list_item(rest) {
            Block::ListItem
        } else if rest.starts_with('>') {
            Block::Quote
        } else if rest.starts_with('<') {
            Block::Html
        } else if rest.starts_with('|') {
            Block::Row(cells(rest, false), cells(rest, true))
        } else {
            Block::Text
        };
        blocks.push(block);
    }
    blocks
}

fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let after = &line[level..];
    ((1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(level)
}

fn is_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let first = marks.chars().next();
    matches!(first, Some('-' | '*' | '_' | '='))
        && marks.chars().all(|c| Some(c) == first)
        && (first == Some('=') || marks.len() >= 3 || first == Some('-'))
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if digits > 0 && digits <= 9 {
        line[digits..]
            .chars()
            .next()
            .filter(|c| matches!(c, '.' | ')'))
    } else {
        line.chars().next().filter(|c| matches!(c, '-' | '+' | '*'))
    };
    marker.is_some_and(|m| {
        let after = &line[digits + m.len_utf8()..];
        after.is_empty() || after.starts_with([' ', '\t'])
    })
}

/// The cells of a table row. cmark-gfm (GitHub) and markdown-it split at a `|` that no `\`
/// precedes; micromark (remark, markdownlint) at a `|` after an even number of backslashes.
fn cells(row: &str, micromark: bool) -> usize {
    let row = row.trim();
    let bytes = row.as_bytes();
    let mut delimiters = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if b != b'|' {
            continue;
        }
        let backslashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        let splits = if micromark {
            backslashes.is_multiple_of(2)
        } else {
            backslashes == 0
        };
        if splits {
            delimiters += 1;
        }
    }
    // A leading and a trailing pipe bound the row; the cells lie between delimiters.
    let leading = row.starts_with('|');
    let trailing = row.ends_with('|') && {
        let backslashes = bytes[..bytes.len() - 1]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if micromark {
            backslashes.is_multiple_of(2)
        } else {
            backslashes == 0
        }
    };
    delimiters + 1 - usize::from(leading) - usize::from(trailing && row.len() > 1)
}

fn check_markdown(artifacts: &limitkb::Artifacts, benign: &limitkb::Artifacts) {
    let markdown: Vec<&String> = artifacts.keys().filter(|p| p.ends_with(".md")).collect();
    assert!(markdown.len() >= 4, "the Markdown artifacts: {markdown:?}");
    for path in markdown {
        let hostile = classify(&artifacts[path]);
        let plain = classify(&benign[path]);
        // Same number of lines, and each line the same kind of block: no heading, list,
        // rule, quote, fence, HTML block or table row came from the text.
        for (line, (h, p)) in hostile.iter().zip(&plain).enumerate() {
            assert_eq!(
                h,
                p,
                "{path}:{}: with hostile text this line is a {h:?}, with plain text a {p:?}:\n{}",
                line + 1,
                artifacts[path].split('\n').nth(line).unwrap_or_default()
            );
        }
        assert_eq!(hostile.len(), plain.len(), "{path}: lines");
        let headings = |blocks: &[Block]| {
            blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading(_)))
                .count()
        };
        assert_eq!(headings(&hostile), headings(&plain), "{path}: headings");
        // Every table row has as many cells as its header, under both splitting rules.
        let mut header: Option<(usize, usize)> = None;
        for (line, block) in hostile.iter().enumerate() {
            match block {
                Block::Row(gfm, micromark) => match header {
                    None => header = Some((*gfm, *micromark)),
                    Some(expected) => assert_eq!(
                        (*gfm, *micromark),
                        expected,
                        "{path}:{}: cells (cmark-gfm, micromark) of {:?}",
                        line + 1,
                        artifacts[path].split('\n').nth(line).unwrap_or_default()
                    ),
                },
                _ => header = None,
            }
        }
    }
}

/// The example cluster spec in the docs is TOML that holds each parameter's example.
fn check_cluster_spec_example(artifacts: &limitkb::Artifacts, data: &Data) {
    let page = &artifacts["docs/cluster-spec.md"];
    let start = page.find("```toml\n").expect("the example spec") + "```toml\n".len();
    let end = start + page[start..].find("\n```").expect("the example's end");
    let spec: toml::Table = toml::from_str(&page[start..end])
        .unwrap_or_else(|e| panic!("the example in cluster-spec.md is not TOML: {e}"));
    for p in data.kb["parameter"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let shown = serde_json::to_value(&spec[id]).unwrap();
        if p["type"] == "range" {
            assert_eq!(shown["min_acu"], p["example"][0], "{id}");
            assert_eq!(shown["max_acu"], p["example"][1], "{id}");
        } else {
            assert_eq!(shown, p["example"], "example of {id}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The Markdown checks themselves catch what they are meant to catch.

#[test]
fn the_markdown_checks_see_structure() {
    assert_eq!(cells("| a | b |", false), 2);
    assert_eq!(cells("| a \\| b | c |", false), 2);
    assert_eq!(
        cells("| a \\\\| b |", true),
        2,
        "micromark: \\\\ then a delimiter"
    );
    assert_eq!(cells("| a \\\\| b |", false), 1, "cmark-gfm: escaped pipe");
    assert_eq!(
        classify("# a\ntext\n- item\n> q\n---\n| x |\n```\n# code\n```"),
        vec![
            Block::Heading(1),
            Block::Text,
            Block::ListItem,
            Block::Quote,
            Block::Rule,
            Block::Row(1, 1),
            Block::Fence,
            Block::Code,
            Block::Fence,
        ]
    );
    assert_eq!(
        classify("\\# escaped\n1\\. no"),
        vec![Block::Text, Block::Text]
    );
}

/// A consumer's limitation table (rows with `id`, `category`, `title`, `summary`,
/// `source_quote`) and feature list (`id`, `name`), as printed JSON, equal the data.
fn assert_tables_equal_data(listed: &Json, features: &Json, data: &Data) {
    let listed = listed.as_array().expect("the limitation table is a list");
    assert_rows_equal_limitations(listed, data, |got, l| {
        assert_eq!(got["source_quote"], l["source"]["quote"]);
    });
    let features = features.as_array().expect("the features are a list");
    let declared = data.kb["feature"].as_array().unwrap();
    assert_eq!(features.len(), declared.len());
    for (got, f) in features.iter().zip(declared) {
        assert_eq!(got["id"], f["id"]);
        assert_eq!(got["name"], f["name"]);
    }
}
