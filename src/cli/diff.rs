//! `limitkb diff OLD NEW` and `limitkb diff --base REV`.

use super::{DiagnosticFormat, FAILED, Outcome, Stdout};
use limitkb::diff::{self, report};
use limitkb::{Catalog, DataSource, Kb};
use std::path::PathBuf;

/// `--format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    /// The changes with their classes, for a terminal.
    Text,
    /// A section for the knowledge base's CHANGELOG.md, grouped by class.
    Markdown,
    /// `{kb, old_version, new_version, required, changes: [...]}`.
    Json,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The old data directory (a knowledge base, or a directory of them); with --base, the new
    /// one (default: --data, else ./data).
    #[arg(value_name = "OLD")]
    old: Option<PathBuf>,
    /// The new data directory.
    #[arg(value_name = "NEW")]
    new: Option<PathBuf>,
    /// Compare the data at this git revision of the repository (read with git, nothing checked
    /// out) with the data directory.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// The data directory of the repository (for --base) and the new side by default.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The knowledge base, by id, when the data holds several.
    #[arg(long, value_name = "ID")]
    kb: Option<String>,
    /// How the changes are printed.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Fail (exit code 1) when the new version is not bumped as far as the changes require.
    #[arg(long)]
    check_version: bool,
    /// The release date for the Markdown heading (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
}

pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let data = args.data.clone().unwrap_or_else(|| PathBuf::from("data"));
    let (old_source, new_dir) = match (&args.base, &args.old, &args.new) {
        (Some(rev), new, None) => {
            let new_dir = new.clone().unwrap_or_else(|| data.clone());
            let id = kb_id(&new_dir, args.kb.as_deref())?;
            let source = diff::git::data_at(rev, &data.display().to_string(), &id)?;
            (source, new_dir)
        }
        (None, Some(old), Some(new)) => {
            let id = kb_id(new, args.kb.as_deref())?;
            (source_in(old, &id)?, new.clone())
        }
        _ => {
            return Err(
                "give two data directories (limitkb diff OLD NEW) or a git revision (limitkb diff --base REV [NEW])"
                    .into(),
            );
        }
    };
    let id = kb_id(&new_dir, args.kb.as_deref())?;
    let old = load(&old_source, "old")?;
    let new = load(&source_in(&new_dir, &id)?, "new")?;
    let changes = diff::diff(&old, &new);
    out.write(&match args.format {
        DiffFormat::Text => report::text(&changes),
        DiffFormat::Markdown => report::markdown(&changes, args.date.as_deref()),
        DiffFormat::Json => report::json(&changes),
    });
    if args.check_version
        && let Err(why) = changes.version_check()
    {
        eprintln!("limitkb: {why}");
        return Ok(FAILED);
    }
    Ok(0)
}

/// The id of the knowledge base of `dir`: `kb`, or its only one.
fn kb_id(dir: &std::path::Path, kb: Option<&str>) -> Result<String, String> {
    let catalog = Catalog::from_dir(dir).map_err(|e| e.to_string())?;
    catalog
        .select(kb)
        .map(|entry| entry.id.clone())
        .map_err(|e| format!("{e}; name one with --kb"))
}

/// Where knowledge base `id` is in the data directory `dir`.
fn source_in(dir: &std::path::Path, id: &str) -> Result<DataSource, String> {
    let catalog = Catalog::from_dir(dir).map_err(|e| e.to_string())?;
    catalog
        .select(Some(id))
        .map(|entry| entry.source.clone())
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// Loads a side, its errors said as the side's.
fn load(source: &DataSource, side: &str) -> Result<Kb, String> {
    limitkb::load(source).map_err(|e| {
        format!(
            "the {side} knowledge base does not load:\n{}",
            super::diagnostics_text(&e.diagnostics, DiagnosticFormat::Short)
        )
    })
}
