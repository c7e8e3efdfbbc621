//! Arbitrary strings through every escaping function, asserting the properties in
//! `src/escape/properties.rs` (the file the proptest tests of `escape` use).

#![no_main]

use libfuzzer_sys::fuzz_target;
// `properties` reaches the escaping functions through `super`.
#[allow(unused_imports)]
use limitkb::escape::*;

#[path = "../../src/escape/properties.rs"]
#[allow(dead_code)]
mod properties;

fuzz_target!(|input: &str| {
    if let Err(problem) = properties::check_all(input) {
        panic!("{problem}");
    }
    // The identifier cases never panic and produce ASCII-case-converted words only.
    let _ = limitkb::ident::pascal_case(input);
    let _ = limitkb::ident::camel_case(input);
    let _ = limitkb::ident::snake_case(input);
    let _ = limitkb::ident::screaming_snake_case(input);
    let _ = limitkb::escape::markdown_anchor(input);
});
