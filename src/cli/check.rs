//! `limitkb check FILE...`.

use super::{DataArgs, DiagnosticFormat, FAILED, Outcome, Stdout, UNREADABLE};
use limitkb::{Checker, Diagnostic};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The cluster specs to check.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    format: DiagnosticFormat,
    #[command(flatten)]
    data: DataArgs,
}

pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let kb = match super::load(&args.data.source(), args.format, out) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    let checker = Checker::new(&kb);
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut code = 0;
    for file in &args.files {
        let report = checker.check_path(file);
        if report.unreadable {
            code = UNREADABLE;
        } else if !report.diagnostics.is_empty() && code == 0 {
            code = FAILED;
        }
        all.extend(report.diagnostics);
    }
    out.write(&super::diagnostics_text(&all, args.format));
    if args.format != DiagnosticFormat::Json {
        let failing = args
            .files
            .iter()
            .filter(|f| all.iter().any(|d| &d.file == *f))
            .count();
        out.line(format_args!(
            "{} problem(s) in {failing} of {} file(s)",
            all.len(),
            args.files.len()
        ));
    }
    Ok(code)
}
