//! `limitkb generate [--check]`.

use super::{DataArgs, DiagnosticFormat, FAILED, Outcome, Stdout};
use limitkb::generate::{Comparison, GenerateError, Generation};
use limitkb::{Banner, Templates};
use std::path::{Path, PathBuf};

/// The output directory when `--out` is not given.
const DEFAULT_OUT: &str = "generated";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Write nothing; exit 1 and list the stale, missing and extra files if the output
    /// directory is not what the data would produce.
    #[arg(long)]
    check: bool,
    /// Accepted for scripts written for earlier versions, which kept a cache; there is none.
    #[arg(long, hide = true)]
    no_cache: bool,
    #[command(flatten)]
    data: DataArgs,
    /// Render this template set instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// The output directory: a tree per knowledge base (<id>/) and the docs site (docs/)
    /// [default: generated]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How problems in the data are printed.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    format: DiagnosticFormat,
}

/// Generates every knowledge base of the data and the docs site that gathers them, or, with
/// `--kb`, that knowledge base's tree and part of the site alone.
pub(crate) fn run(args: Args, stdout: &mut Stdout) -> Outcome {
    let catalog = args.data.catalog()?;
    let entries = args.data.selected(&catalog)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let templates = match &args.templates {
        Some(dir) => Templates::from_dir(dir).map_err(|e| e.to_string())?,
        None => Templates::embedded(),
    };
    let kbs = match super::load_all(&entries, args.format, stdout) {
        Ok(kbs) => kbs,
        Err(code) => return Ok(code),
    };
    let command = command(&args);
    let mut generation = Generation::new(&templates, &out);
    for (kb, entry) in kbs.iter().zip(&entries) {
        generation.add(kb, Banner::new(&entry.location(), &command));
    }
    if args.data.kb.is_none() {
        generation.add_site(Banner::site(catalog.location(), &command));
    }
    let not_done = if args.check { "checked" } else { "written" };
    let failed = |e: GenerateError| match e {
        GenerateError::Render(e) => {
            eprintln!("{e}\nnothing was {not_done}");
            Ok(FAILED)
        }
        GenerateError::Io(e) if args.check => Err(e.to_string()),
        GenerateError::Io(e) => Err(format!("{e}\n(check that {} is writable)", out.display())),
    };
    if args.check {
        let checked = generation.compare();
        super::leave_to_exit(kbs);
        return match checked {
            Ok(Comparison::UpToDate { files }) => {
                stdout.line(format_args!("{}: {files} files up to date", out.display()));
                Ok(0)
            }
            Ok(Comparison::Drift(drift)) => {
                stdout.line(format_args!("{}", drift.to_string().trim_end()));
                eprintln!("generated files are out of date; run `{command}` and commit the result");
                Ok(FAILED)
            }
            Err(e) => failed(e),
        };
    }
    let written = generation.write();
    super::leave_to_exit(kbs);
    let written = match written {
        Ok(written) => written,
        Err(e) => return failed(e),
    };
    for path in &written.changed {
        stdout.line(format_args!("wrote {}", out.join(path).display()));
    }
    for path in &written.removed {
        stdout.line(format_args!("removed {}", out.join(path).display()));
    }
    stdout.line(format_args!(
        "{}: {} changed, {} unchanged, {} removed",
        out.display(),
        written.changed.len(),
        written.unchanged,
        written.removed.len()
    ));
    Ok(0)
}

/// The command that regenerates the files, with the flags given but `--kb`: a knowledge base's
/// files are the same whether it was generated alone or with the others, and so is its banner.
fn command(args: &Args) -> String {
    let mut command = String::from("limitkb generate");
    for (flag, value) in [
        ("--data", &args.data.data),
        ("--templates", &args.templates),
        ("--out", &args.out),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {}", shell_word(value)));
        }
    }
    command
}

/// A path as one word of a shell command: as it is when that is safe, else single-quoted.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
