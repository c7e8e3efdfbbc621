//! A crate whose build script generates the limitation constants from the knowledge base with
//! the limitkb library (see `build.rs`), instead of depending on the published crate
//! `limitkb-aurora-serverless-v2-preview`. The constants are the same; they follow the data in
//! the repository at every build.

#![no_std]
#![forbid(unsafe_code)]

/// The limitations of Amazon Aurora Serverless v2 (preview) as typed constants: the `rust`
/// target of limitkb, rendered into `OUT_DIR` by `build.rs`.
pub mod limits {
    include!(concat!(env!("OUT_DIR"), "/limits.rs"));
}
