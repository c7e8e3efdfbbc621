//! Helpers shared by the integration tests: include with `mod support;`.

pub mod cluster_fixtures;
pub mod files;
pub mod tools;
