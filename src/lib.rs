//! limitkb: a product's limitations as typed data, and the generator that turns them into the
//! artifacts other tools consume (JSON Schemas, Markdown docs, Rust and TypeScript constant
//! modules, a JSON bundle), plus a checker of planned deployments against them.
//!
//! The data flows one way: [`load`] (parse, validate against the generated data schemas,
//! deserialize, lint) → [`render`] (every artifact in memory) → [`write`] or [`check`].
//! Nothing is written unless everything rendered.
//!
//! ```
//! use limitkb::{DataSource, Templates};
//!
//! let loaded = limitkb::load(&DataSource::Embedded)?;
//! let artifacts = limitkb::render(&loaded.kb, &Templates::embedded())?;
//! assert!(artifacts.contains_key("rust/src/lib.rs"));
//! assert!(artifacts["json/limitations.json"].contains("\"port-3306-only\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod constants;
pub mod context;
pub mod diagnostic;
pub mod document;
pub mod escape;
pub mod ident;
mod lint;
pub mod load;
pub mod model;
pub mod output;
pub mod render;
pub mod schema;

/// The data and templates compiled into the binary (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use check::Checker;
pub use diagnostic::Diagnostic;
pub use load::{DataSource, LoadError, Loaded, load};
pub use model::Kb;
pub use output::{Drift, check, write};
pub use render::{Artifacts, RenderError, Templates, render};
