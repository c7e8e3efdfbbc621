//! Arbitrary bytes as a Terraform configuration, through `Checker::check_configuration`
//! against the embedded generally available knowledge base: the bytes up to the first `0xFF`
//! are `main.tf`, the rest (if any) `terraform.tfvars`. So through the HCL reader of
//! `src/document/hcl.rs` and the Terraform reader of `src/check/input/terraform.rs`. Never a
//! panic, however deep or broken the text, and every diagnostic points at a place that exists
//! in its file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use limitkb::check::{Configuration, Options, SpecFile};

mod common;

fuzz_target!(|data: &[u8]| {
    let (tf, tfvars) = match data.iter().position(|&b| b == 0xFF) {
        Some(cut) => (&data[..cut], Some(&data[cut + 1..])),
        None => (data, None),
    };
    let main = String::from_utf8_lossy(tf).into_owned();
    let vars = tfvars.map(|t| String::from_utf8_lossy(t).into_owned());
    let file = |name: &str, text: &str| SpecFile {
        file: name.to_string(),
        text: Ok(text.to_string()),
    };
    let config = Configuration {
        dir: "infra".to_string(),
        files: vec![file("infra/main.tf", &main)],
        tfvars: vars
            .iter()
            .map(|v| file("infra/terraform.tfvars", v))
            .collect(),
    };
    let report = common::ga_checker().check_configuration(config, &Options::default());
    if report.unreadable {
        assert!(
            !report.diagnostics.is_empty(),
            "unreadable without a reason"
        );
    }
    common::assert_located(&report.diagnostics, |name| match name {
        "infra/main.tf" => Some(main.clone()),
        "infra/terraform.tfvars" => vars.clone(),
        _ => None,
    });
});
