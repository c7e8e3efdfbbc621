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

pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let kb = match super::load(&args.data.source(), args.format, out) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    if args.format == DiagnosticFormat::Json {
        out.line("[]");
    } else {
        out.line(format_args!(
            "{}: {} limitations in {} categories, valid",
            kb.meta.id,
            kb.limitations.len(),
            kb.meta.categories.len()
        ));
    }
    Ok(0)
}
