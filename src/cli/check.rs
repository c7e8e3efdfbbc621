//! `limitkb check FILE...`.

use super::{DataArgs, DiagnosticFormat, FAILED, Outcome, Stdout, UNREADABLE};
use limitkb::SelectError;
use limitkb::check::{FileReport, SpecFile};
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

/// Checks each spec against its knowledge base: `--kb`, else the one its `#:schema` line or
/// `$schema` names, else the only one. A spec whose knowledge base cannot be told is a problem
/// of that file; the others are still checked.
pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let catalog = args.data.catalog()?;
    if args.data.kb.is_some() {
        args.data.one(&catalog)?;
    }
    let specs: Vec<SpecFile> = args.files.iter().map(|f| SpecFile::read(f)).collect();
    // The index in the catalog of each spec's knowledge base, or why there is none.
    let routes: Vec<Result<usize, SelectError>> = specs
        .iter()
        .map(|spec| {
            spec.knowledge_base(&catalog, args.data.kb.as_deref())
                .map(|entry| {
                    catalog
                        .entries()
                        .iter()
                        .position(|e| e == entry)
                        .expect("an entry of the catalog")
                })
        })
        .collect();
    let mut needed: Vec<usize> = routes.iter().filter_map(|r| r.clone().ok()).collect();
    needed.sort_unstable();
    needed.dedup();
    let entries: Vec<_> = needed.iter().map(|&i| &catalog.entries()[i]).collect();
    let kbs = match super::load_all(&entries, args.format, out) {
        Ok(kbs) => kbs,
        Err(code) => return Ok(code),
    };
    let checkers: Vec<Checker<'_>> = kbs.iter().map(Checker::new).collect();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut code = 0;
    for (spec, route) in specs.into_iter().zip(routes) {
        let report = match (spec.read_failure(), route) {
            (Some(report), _) => report,
            (None, Ok(i)) => checkers[needed.binary_search(&i).expect("loaded")].check_spec(spec),
            (None, Err(e)) => FileReport {
                diagnostics: vec![
                    Diagnostic::file_level(
                        &spec.file,
                        format!("cannot tell which knowledge base this spec is for: {e}"),
                    )
                    .with_help(Some(format!(
                        "{}, or name its knowledge base's cluster schema in a `#:schema` line (TOML) or `$schema` (JSON)",
                        super::select_help(&e)
                    ))),
                ],
                unreadable: true,
            },
        };
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
