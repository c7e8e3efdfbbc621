//! Arbitrary bytes as a YAML cluster spec (a `.yaml` file), through `Checker::check_text`
//! against the embedded knowledge base, and so through the YAML reader of
//! `src/document/yaml.rs`: never a panic, however deep, aliased or broken the text, and every
//! diagnostic points at a place that exists in the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use limitkb::{Checker, DataSource, Kb};
use std::sync::OnceLock;

mod common;

fn checker() -> &'static Checker<'static> {
    static KB: OnceLock<Kb> = OnceLock::new();
    static CHECKER: OnceLock<Checker<'static>> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let kb = KB.get_or_init(|| {
            limitkb::load(&DataSource::Embedded("aurora-serverless-v2-preview".into()))
                .expect("the embedded preview knowledge base loads")
        });
        Checker::new(kb)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = "spec.yaml";
    let report = checker().check_text(file, text.clone());
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
