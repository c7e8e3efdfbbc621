//! `limitkb validate`.

use super::{DataArgs, DiagnosticFormat, Outcome, Stdout};
use limitkb::diff::source;
use limitkb::{Kb, KbEntry};

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    format: DiagnosticFormat,
}

/// Validates every knowledge base of the data, or the one `--kb` names, reporting the
/// problems of all at once.
pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let catalog = args.data.catalog()?;
    let entries = args.data.selected(&catalog)?;
    let kbs = match super::load_all(&entries, args.format, out) {
        Ok(kbs) => kbs,
        Err(code) => return Ok(code),
    };
    if args.format == DiagnosticFormat::Json {
        out.line("[]");
        return Ok(0);
    }
    for (entry, kb) in entries.iter().zip(&kbs) {
        out.line(format_args!(
            "{}: {} limitations in {} categories{}, valid",
            kb.meta.id,
            kb.limitations.len(),
            kb.meta.categories.len(),
            copy_coverage(entry, kb)?
        ));
    }
    Ok(0)
}

/// How much of the main source's copy the knowledge base cites, as the summary line says it:
/// ` (the source copy: 23 of 29 sentences, list items and table rows cited)`; empty when
/// there is no copy.
fn copy_coverage(entry: &KbEntry, kb: &Kb) -> Result<String, String> {
    let Some(path) = &kb.meta.source.copy else {
        return Ok(String::new());
    };
    let copy = super::read_kb_file(entry, path)?;
    let (cited, units) = source::coverage(kb, None, &copy);
    Ok(format!(
        " (the source copy: {cited} of {units} sentences, list items and table rows cited)"
    ))
}
