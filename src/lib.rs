//! limitkb: a product's limitations as typed data, and the generator that turns them into the
//! artifacts other tools consume (JSON Schemas, Markdown docs, Rust, TypeScript and Python
//! constant modules, a JSON bundle), plus a checker of planned deployments against them.
//!
//! The data flows one way: [`Catalog`] (the knowledge bases of a data directory, or of this
//! binary, and which one is meant) → [`load()`] (parse, validate against the generated data
//! schemas, deserialize, lint) → [`render()`] or [`render_targets`] (artifacts in memory, as
//! `{relative path -> text}`) → [`write()`] or [`drift()`]. Nothing is written unless
//! everything rendered. [`generate::Generation`] runs the last two steps for one or more
//! knowledge bases as `limitkb generate [--check]` does (a tree per knowledge base and one
//! docs site), comparing each artifact as soon as it is rendered. [`Checker`] checks cluster
//! specs against a loaded knowledge base. `ARCHITECTURE.md` in the repository shows the
//! layers.
//!
//! ```
//! use limitkb::{DataSource, Templates};
//!
//! let kb = limitkb::load(&DataSource::Embedded("aurora-serverless-v2-preview".into()))?;
//! let artifacts = limitkb::render(&kb, &Templates::embedded())?;
//! assert!(artifacts.contains_key("rust/src/lib.rs"));
//! assert!(artifacts["json/limitations.json"].contains("\"port-3306-only\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Targets
//!
//! Every artifact belongs to a *target*, the first directory of its path. `schema` (the JSON
//! Schemas) and `json` (the bundle) are built in code ([`render::BUILT_IN_TARGETS`]); every
//! other target is a folder of tera templates (`templates/docs`, `templates/rust`,
//! `templates/ts`, `templates/python`), listed by [`Templates::targets`]. A new language needs
//! templates only; `templates/README.md` documents the context and filters they get.
//!
//! # From a build script
//!
//! A `build.rs` can generate the constants at build time instead of depending on the
//! published crate: load the knowledge base from a data directory, render only the targets it
//! needs, and write them under `OUT_DIR` (or compare a committed copy with [`drift()`]
//! instead). Since a build script cannot know the path of `OUT_DIR` when the source is
//! written, the crate that uses the generated Rust `include!`s it, and
//! [`render::strip_inner_attributes`] removes what an included file may not contain
//! (`#![no_std]`, `//!`). [`files::walk`] lists what to print as `cargo:rerun-if-changed`.
//! Depend on limitkb with `default-features = false`: the library alone, without the command
//! line's argument parser. `examples/build-script` in the repository is a complete consumer
//! crate.
//!
//! ```no_run
//! // build.rs
//! use limitkb::{DataSource, Templates, render};
//! use std::path::PathBuf;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
//!     let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
//!     let (data, templates) = (root.join("data"), root.join("templates"));
//!     for dir in [&data, &templates] {
//!         for path in limitkb::files::walk(dir)? {
//!             println!("cargo:rerun-if-changed={}", path.display());
//!         }
//!     }
//!     let kb = limitkb::load(&DataSource::Dir(data))?;
//!     let artifacts = limitkb::render_targets(&kb, &Templates::from_dir(&templates)?, &["rust"])?;
//!     limitkb::write(&out, &artifacts)?;
//!     let lib = render::strip_inner_attributes(&artifacts["rust/src/lib.rs"]);
//!     std::fs::write(out.join("limits.rs"), lib)?;
//!     Ok(())
//! }
//! ```
//!
//! ```text
//! // src/lib.rs of the crate with that build script
//! #![no_std]
//!
//! /// The limitations, generated at build time.
//! pub mod limits {
//!     include!(concat!(env!("OUT_DIR"), "/limits.rs"));
//! }
//! ```
//!
//! The same steps, run here on the knowledge base built into this crate:
//!
//! ```
//! use limitkb::{DataSource, Templates, render};
//!
//! let out = std::env::temp_dir().join(format!("limitkb-doc-out-{}", std::process::id()));
//! let kb = limitkb::load(&DataSource::Embedded("aurora-serverless-v2-preview".into()))?;
//! let artifacts = limitkb::render_targets(&kb, &Templates::embedded(), &["rust"])?;
//! assert_eq!(
//!     artifacts.keys().collect::<Vec<_>>(),
//!     ["rust/Cargo.toml", "rust/README.md", "rust/src/lib.rs"]
//! );
//! limitkb::write(&out, &artifacts)?;
//! assert!(limitkb::drift(&out, &artifacts)?.is_empty(), "just written, so up to date");
//!
//! let lib = render::strip_inner_attributes(&artifacts["rust/src/lib.rs"]);
//! assert!(!lib.contains("#![no_std]") && !lib.contains("//!"));
//! assert!(lib.contains("pub const PORT: i64 = 3306;"));
//! # std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

// The layers, from the bottom up; each module imports only modules of the layers before it
// (ARCHITECTURE.md; tests/architecture.rs holds the same list).

// Leaves: the model and the helpers every layer shares.
pub mod diagnostic;
pub mod escape;
mod fast_hash;
pub mod files;
pub mod ident;
pub mod model;
pub mod parallel;
mod pointer;
pub mod text;
pub mod version;

// Reading input: one file per syntax, to JSON with positions.
mod document;
// The data schemas, the cluster schema and the validator.
mod schema;
// Loading: read, parse, validate, deserialize, lint.
mod load;
// The view every target renders from.
pub mod view;
// Rendering the artifacts.
pub mod render;
// Writing them, or comparing them with what is written.
mod output;
// The jobs.
pub mod check;
pub mod diff;
pub mod generate;

/// The data and templates compiled into the binary (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use check::{Checker, FileReport};
pub use diagnostic::Diagnostic;
pub use files::MAX_FILE_BYTES;
pub use load::{Catalog, CatalogError, DataSource, KbEntry, LoadError, SelectError, load};
pub use model::Kb;
pub use output::{Drift, Written, drift, write};
pub use render::{Artifacts, Banner, RenderError, Templates, render, render_targets};
pub use schema::{cluster_schema, kb_schema, limitations_schema};
