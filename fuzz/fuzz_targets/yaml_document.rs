//! Arbitrary bytes as a `.yaml` file, through `Checker::check_input` with the format
//! recognised from the content, against the embedded generally available knowledge base: so
//! through the YAML reader of `src/document/yaml.rs` and, for anything that looks like a
//! template, the CloudFormation reader of `src/check/input/`. Never a panic, however deep,
//! aliased or broken the text, and every diagnostic points at a place that exists in the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use limitkb::check::{Input, Options, SpecFile};

mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = "spec.yaml";
    let spec = SpecFile {
        file: file.to_string(),
        text: Ok(text.clone()),
    };
    let options = Options {
        stated: vec![("region".to_string(), "us-east-1".to_string())],
    };
    let report = common::ga_checker().check_input(spec, Input::Auto, &options);
    if report.unreadable {
        assert!(
            !report.diagnostics.is_empty(),
            "unreadable without a reason"
        );
    }
    common::assert_located(&report.diagnostics, |name| {
        (name == file).then(|| text.clone())
    });
});
