//! `limitkb validate`.

use super::{DataArgs, DiagnosticFormat, Outcome, Stdout};

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
    for kb in &kbs {
        out.line(format_args!(
            "{}: {} limitations in {} categories, valid",
            kb.meta.id,
            kb.limitations.len(),
            kb.meta.categories.len()
        ));
    }
    Ok(0)
}
