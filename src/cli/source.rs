//! `limitkb source check NEW_COPY`.

use super::{DataArgs, DiagnosticFormat, FAILED, Outcome, Stdout};
use limitkb::diff::source;

#[derive(clap::Subcommand)]
pub(crate) enum Command {
    /// Hold a new copy of a source document against the knowledge base: the passages it no
    /// longer has, and the sentences, list items and table rows it adds that no limitation
    /// cites.
    #[command(
        after_help = "Examples:\n  limitkb source check --kb aurora-serverless-v2-preview page-2021-09-01.md\n  limitkb source check --kb aurora-serverless-v2 --document regions regions-page.md\n\nExit codes: 0 nothing drifted; 1 a passage is gone or a new one is uncited; 2 usage or a\nfile that cannot be read."
    )]
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// The new copy (Markdown, as the knowledge base's copy under sources/).
    #[arg(value_name = "NEW_COPY")]
    copy: String,
    /// The source document, by the id of its `[[other_source]]`; default: the main source.
    #[arg(long, value_name = "ID")]
    document: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

pub(crate) fn run(command: Command, out: &mut Stdout) -> Outcome {
    let Command::Check(args) = command;
    let catalog = args.data.catalog()?;
    let entry = args.data.one(&catalog)?;
    let kb = match super::load_all(&[entry], DiagnosticFormat::Text, out) {
        Ok(mut kbs) => kbs.remove(0),
        Err(code) => return Ok(code),
    };
    let document = kb.meta.document(args.document.as_deref()).ok_or_else(|| {
        format!(
            "knowledge base `{}` has no source document `{}`",
            kb.meta.id,
            args.document.as_deref().unwrap_or_default()
        )
    })?;
    let copy_path = document.copy.clone().ok_or_else(|| {
        format!(
            "the source document `{}` has no copy under sources/ to compare with",
            document.title
        )
    })?;
    let old = super::read_kb_file(entry, &copy_path)?;
    let new = limitkb::files::read_text(std::path::Path::new(&args.copy))
        .map_err(|e| format!("cannot read {}: {e}", args.copy))?;
    let report = source::check(&kb, args.document.as_deref(), &old, &new);
    for m in &report.missing {
        out.line(format!(
            "gone: {} ({}): \"{}\"",
            m.place,
            m.what,
            m.passage.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    for u in &report.uncited {
        out.line(format!("uncited: {}:{}: \"{}\"", args.copy, u.line, u.text));
    }
    out.line(format!(
        "{}: {} passage(s) gone, {} new unit(s) uncited; {} of {} units of the new copy cited",
        kb.meta.id,
        report.missing.len(),
        report.uncited.len(),
        report.cited.0,
        report.cited.1
    ));
    Ok(if report.drifted() { FAILED } else { 0 })
}
