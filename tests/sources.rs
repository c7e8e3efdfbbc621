//! A knowledge base that quotes several documents, and names values as a source writes them:
//! each quote is found in the copy of the document it names, each value name in the copy of
//! its document, and the docs link each limitation to the document it quotes.

mod support;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::files::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

/// A second document, as a page's Markdown source escapes it.
const REGIONS: &str = "# Supported Regions\n\n| Region | Aurora MySQL version 3 |\n| --- | --- |\n\
    | US East \\(Ohio\\) | Version 3\\.02\\.0 and higher |\n\
    | Europe \\(Zurich\\) | Version 3\\.02\\.3 and higher |\n";

const OTHER_SOURCE: &str = r#"
[[other_source]]
id = "regions"
title = "Supported Regions and engines"
url = "https://example.com/regions.html"
revision = "2023-05-05"
copy = "sources/regions.md"

[[parameter]]
id = "site"
title = "Site"
type = "string"
values = ["us-east-2", "eu-central-2"]
names = { "us-east-2" = "US East (Ohio)", "eu-central-2" = "Europe (Zurich)" }
names_source = "regions"
"#;

/// A copy of the preview knowledge base with the second document, the parameter naming its values, and a
/// limitation quoting `quote` from document `document`; `kb_extra` is added to `kb.toml`.
fn data_with(dir: &Path, document: &str, quote: &str, kb_extra: &str) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&support::data_of(support::PREVIEW), &data);
    fs::write(data.join("sources/regions.md"), REGIONS).unwrap();
    let kb = data.join("kb.toml");
    let text = fs::read_to_string(&kb).unwrap();
    fs::write(&kb, text + OTHER_SOURCE + kb_extra).unwrap();
    let file = data.join("limitations/engine.toml");
    let text = fs::read_to_string(&file).unwrap();
    let limitation = format!(
        "\n[[limitation]]\nid = \"regions-quoted\"\ntitle = \"Regions\"\nsummary = \"Quoted from the second document.\"\n\
         source = {{ document = \"{document}\", quote = \"{quote}\" }}\n"
    );
    fs::write(&file, text + &limitation).unwrap();
    data
}

fn limitkb(args: &[&str], data: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .expect("limitkb runs")
}

#[test]
fn quotes_and_value_names_are_found_in_the_document_they_name() {
    let temp = tempfile::tempdir().unwrap();
    let data = data_with(temp.path(), "regions", "Version 3.02.3 and higher", "");
    let validated = limitkb(&["validate"], &data);
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );
    let out = temp.path().join("out");
    let generated = limitkb(&["generate", "--out", out.to_str().unwrap()], &data);
    assert_eq!(generated.status.code(), Some(0));
    let tree = support::tree_of(&out, support::PREVIEW);
    let bundle: Value =
        serde_json::from_str(&fs::read_to_string(tree.join("json/limitations.json")).unwrap())
            .unwrap();
    let limitation = bundle["limitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "regions-quoted")
        .unwrap();
    assert_eq!(limitation["document"]["id"], "regions");
    let page =
        fs::read_to_string(out.join("docs").join(support::PREVIEW).join("engine.md")).unwrap();
    assert!(
        page.contains("Source ([Supported Regions and engines](https://example.com/regions.html))"),
        "the docs link the second document"
    );
}

#[test]
fn a_quote_or_name_missing_from_its_document_is_a_data_error() {
    for (document, quote, kb_extra, expected) in [
        (
            "regions",
            "Version 3.02.9 and higher",
            "",
            "limitation[1].source.quote: this quote is not in the source copy sources/regions.md",
        ),
        (
            "region",
            "Version 3.02.3 and higher",
            "",
            "unknown source document `region`; the documents are the main source and: regions",
        ),
        (
            "regions",
            "Version 3.02.3 and higher",
            "\n[[parameter]]\nid = \"zone\"\ntitle = \"Zone\"\ntype = \"string\"\nnames = { a = \"Europe (Milan)\" }\nnames_source = \"regions\"\n",
            "parameter[10].names.a: this name is not in the source copy sources/regions.md",
        ),
        (
            "regions",
            "Version 3.02.3 and higher",
            "\n[[other_source]]\ntitle = \"No id\"\nrevision = \"2023-01-01\"\n",
            "other_source[1]: another source needs an `id` for its quotes to name it",
        ),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let data = data_with(temp.path(), document, quote, kb_extra);
        let output = limitkb(&["validate", "--format", "short"], &data);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{quote}: {stderr}");
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
    }
}
