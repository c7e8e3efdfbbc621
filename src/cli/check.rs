//! `limitkb check FILE...`.

use super::{CheckFormat, DataArgs, DiagnosticFormat, FAILED, Outcome, Stdout, UNREADABLE};
use limitkb::SelectError;
use limitkb::check::{Configuration, FileReport, Input, Options, SpecFile};
use limitkb::diagnostic::Severity;
use limitkb::model::InputFormat;
use limitkb::{Checker, Diagnostic};

/// `--input`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InputArg {
    /// A CloudFormation template by `AWSTemplateFormatVersion` or `Resources` of `AWS::`
    /// types, an RDS API request by its members, a cluster spec by its keys; any other file
    /// is an error.
    Auto,
    /// A cluster spec (TOML, JSON, YAML).
    Spec,
    /// A CloudFormation template (JSON or YAML, as written or synthesized by the AWS CDK).
    Cloudformation,
    /// An RDS API request (as `aws rds … --cli-input-json` reads it).
    RdsApi,
    /// A Terraform configuration: a directory of `.tf` files (a `.tf` file stands for its
    /// directory).
    Terraform,
    /// A Terraform plan (`terraform show -json plan.out > plan.json`).
    TerraformPlan,
}

impl From<InputArg> for Input {
    fn from(arg: InputArg) -> Input {
        match arg {
            InputArg::Auto => Input::Auto,
            InputArg::Spec => Input::Spec,
            InputArg::Cloudformation => Input::Format(InputFormat::Cloudformation),
            InputArg::RdsApi => Input::Format(InputFormat::RdsApi),
            InputArg::Terraform => Input::Format(InputFormat::Terraform),
            InputArg::TerraformPlan => Input::Plan,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The files to check: cluster specs, CloudFormation templates, RDS API requests,
    /// Terraform plans; and Terraform configurations: a directory, or a `.tf` or `.tfvars`
    /// file, which stands for its directory (checked once).
    #[arg(required = true, value_name = "PATH")]
    files: Vec<String>,
    /// How the files are read: recognised from their content, or as one format.
    #[arg(long, value_enum, default_value_t = InputArg::Auto)]
    input: InputArg,
    /// The AWS Region the files are deployed to, for formats that do not state it (a
    /// template, an API request); without it their Region rules are not verified.
    #[arg(long, value_name = "CODE")]
    region: Option<String>,
    /// A Terraform variable file, read after `terraform.tfvars` and `*.auto.tfvars` (as
    /// `terraform plan -var-file`); may be given several times, a later one winning.
    #[arg(long, value_name = "FILE")]
    var_file: Vec<String>,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Fail (exit code 1) on warnings and notes too, not only on errors.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    data: DataArgs,
}

/// Checks each spec against its knowledge base: `--kb`, else the one its `#:schema` line or
/// `$schema` names, else the only one. A spec whose knowledge base cannot be told is a problem
/// of that file; the others are still checked.
pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let format = DiagnosticFormat::from(args.format);
    let catalog = args.data.catalog()?;
    if args.data.kb.is_some() {
        args.data.one(&catalog)?;
    }
    let units = units(&args.files, args.input, &args.var_file);
    let names: Vec<String> = units.iter().map(|u| u.name().to_string()).collect();
    let options = Options {
        stated: args
            .region
            .iter()
            .map(|region| ("region".to_string(), region.clone()))
            .collect(),
    };
    // The index in the catalog of each spec's knowledge base, or why there is none.
    let routes: Vec<Result<usize, SelectError>> = units
        .iter()
        .map(|unit| {
            let selected = match unit {
                Unit::File(spec) => spec.knowledge_base(&catalog, args.data.kb.as_deref()),
                Unit::Configuration(..) => catalog.select(args.data.kb.as_deref()),
            };
            selected.map(|entry| {
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
    let kbs = match super::load_all(&entries, format, out) {
        Ok(kbs) => kbs,
        Err(code) => return Ok(code),
    };
    let checkers: Vec<Checker<'_>> = kbs.iter().map(Checker::new).collect();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut unreadable = false;
    let jobs: Vec<(Unit, Result<usize, SelectError>)> = units.into_iter().zip(routes).collect();
    let parallel = jobs.len() >= limitkb::parallel::PARALLEL_FROM_FILES;
    let reports = limitkb::parallel::map(&jobs, parallel, |(unit, route)| {
        let failure = match unit {
            Unit::File(spec) => spec.read_failure(),
            Unit::Configuration(dir, Err(e)) => Some(FileReport {
                diagnostics: vec![Diagnostic::file_level(
                    dir,
                    format!("cannot read the directory: {e}"),
                )],
                unreadable: true,
            }),
            Unit::Configuration(_, Ok(_)) => None,
        };
        match (failure, route) {
            (Some(report), _) => report,
            (None, Ok(i)) => {
                let checker = &checkers[needed.binary_search(i).expect("loaded")];
                match unit {
                    Unit::File(spec) => {
                        checker.check_input(spec.clone(), args.input.into(), &options)
                    }
                    Unit::Configuration(_, config) => checker.check_configuration(
                        config.as_ref().expect("read").clone(),
                        &options,
                    ),
                }
            }
            (None, Err(e)) => FileReport {
                diagnostics: vec![
                    Diagnostic::file_level(
                        unit.name(),
                        format!("cannot tell which knowledge base this spec is for: {e}"),
                    )
                    .with_help(Some(format!(
                        "{}, or name its knowledge base's cluster schema in a `#:schema` line (TOML) or `$schema` (JSON)",
                        super::select_help(e)
                    ))),
                ],
                unreadable: true,
            },
        }
    });
    for report in reports {
        unreadable |= report.unreadable;
        all.extend(report.diagnostics);
    }
    out.write(&super::diagnostics_text(&all, format));
    if !format.is_machine_readable() {
        out.line(summary(&all, &names));
    }
    Ok(exit_code(unreadable, &all, args.strict))
}

/// What one argument of `check` names: a file, or a Terraform configuration.
enum Unit {
    File(SpecFile),
    Configuration(String, std::io::Result<Configuration>),
}

impl Unit {
    fn name(&self) -> &str {
        match self {
            Unit::File(spec) => &spec.file,
            Unit::Configuration(dir, _) => dir,
        }
    }
}

/// The files and configurations the arguments name, in their order: a directory, or a `.tf`
/// or `.tfvars` file (or any file, with `--input terraform`), is the configuration of its
/// directory, once however many of its files are named.
fn units(paths: &[String], input: InputArg, var_files: &[String]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for path in paths {
        let as_path = std::path::Path::new(path);
        let dir = if as_path.is_dir() {
            Some(path.clone())
        } else if input == InputArg::Terraform || path.ends_with(".tf") || path.ends_with(".tfvars")
        {
            Some(
                match as_path.parent().map(|p| p.to_string_lossy().into_owned()) {
                    Some(parent) if !parent.is_empty() => parent,
                    _ => ".".to_string(),
                },
            )
        } else {
            None
        };
        match dir {
            Some(dir) => {
                let dir = dir.trim_end_matches('/').to_string();
                let dir = if dir.is_empty() { "/".to_string() } else { dir };
                if !out
                    .iter()
                    .any(|u| matches!(u, Unit::Configuration(d, _) if *d == dir))
                {
                    let config = Configuration::read(&dir, var_files);
                    out.push(Unit::Configuration(dir, config));
                }
            }
            None => out.push(Unit::File(SpecFile::read(path))),
        }
    }
    out
}

/// The exit code of a check: 2 when a file could not be read or parsed (or its knowledge base
/// told), else 1 when a diagnostic is an error (with `strict`, any diagnostic), else 0.
fn exit_code(unreadable: bool, diagnostics: &[Diagnostic], strict: bool) -> u8 {
    if unreadable {
        UNREADABLE
    } else if diagnostics
        .iter()
        .any(|d| strict || d.severity == Severity::Error)
    {
        FAILED
    } else {
        0
    }
}

/// The last line of the text and short formats: `N problem(s) in M of K file(s)` (a Terraform
/// configuration counts as one, its problems those in the files of its directory), with the
/// count of each severity when not every problem is an error
/// (`3 problem(s) (1 error(s), 2 note(s)) in 1 of 2 file(s)`).
fn summary(diagnostics: &[Diagnostic], files: &[String]) -> String {
    let within = |file: &str, name: &str| {
        file == name
            || (name == "." && !file.contains('/'))
            || file
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('/') && !rest[1..].contains('/'))
    };
    let with_problems = files
        .iter()
        .filter(|f| diagnostics.iter().any(|d| within(&d.file, f)))
        .count();
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let mut counts = String::new();
    if count(Severity::Error) != diagnostics.len() {
        let parts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Note]
            .into_iter()
            .filter(|&s| count(s) > 0)
            .map(|s| format!("{} {s}(s)", count(s)))
            .collect();
        counts = format!(" ({})", parts.join(", "));
    }
    format!(
        "{} problem(s){counts} in {with_problems} of {} file(s)",
        diagnostics.len(),
        files.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(severities: &[Severity]) -> Vec<Diagnostic> {
        severities
            .iter()
            .map(|&s| Diagnostic::file_level("a.toml", "a problem").with_severity(s))
            .collect()
    }

    #[test]
    fn errors_fail_and_warnings_and_notes_fail_only_when_strict() {
        use Severity::{Error, Note, Warning};
        let cases: &[(&[Severity], u8, u8)] = &[
            // severities, exit code, exit code with --strict
            (&[], 0, 0),
            (&[Error], FAILED, FAILED),
            (&[Note], 0, FAILED),
            (&[Warning], 0, FAILED),
            (&[Note, Warning, Note], 0, FAILED),
            (&[Note, Error, Warning], FAILED, FAILED),
        ];
        for &(severities, code, strict_code) in cases {
            let diagnostics = with(severities);
            assert_eq!(
                exit_code(false, &diagnostics, false),
                code,
                "{severities:?}"
            );
            assert_eq!(
                exit_code(false, &diagnostics, true),
                strict_code,
                "{severities:?} --strict"
            );
            // A file that cannot be read wins over everything.
            for strict in [false, true] {
                assert_eq!(exit_code(true, &diagnostics, strict), UNREADABLE);
            }
        }
    }

    #[test]
    fn the_summary_counts_severities_when_not_every_problem_is_an_error() {
        let files = ["a.toml".to_string(), "b.toml".to_string()];
        assert_eq!(summary(&[], &files), "0 problem(s) in 0 of 2 file(s)");
        assert_eq!(
            summary(&with(&[Severity::Error, Severity::Error]), &files),
            "2 problem(s) in 1 of 2 file(s)"
        );
        assert_eq!(
            summary(
                &with(&[Severity::Note, Severity::Error, Severity::Note]),
                &files
            ),
            "3 problem(s) (1 error(s), 2 note(s)) in 1 of 2 file(s)"
        );
        assert_eq!(
            summary(&with(&[Severity::Warning, Severity::Note]), &files),
            "2 problem(s) (1 warning(s), 1 note(s)) in 1 of 2 file(s)"
        );
    }
}
