//! The `limitkb` command line: a thin shell over the library. This file declares the
//! arguments; each command is one function in `cli/`.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "limitkb",
    version,
    about = "Product limitations as typed data: generate schemas, docs and constant modules from them, and check planned clusters against them.",
    after_help = "Exit codes: 0 fine; 1 violations, drift or data errors; 2 usage or unreadable input.\n\nExamples:\n  limitkb generate                 # regenerate generated/ from data/\n  limitkb generate --check         # fail if generated/ is stale (CI)\n  limitkb validate                 # report every data error at once\n  limitkb check cluster.toml       # check a planned cluster\n  limitkb list --category capacity\n  limitkb show port-3306-only"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render every artifact from the data and write them to the output directory.
    #[command(
        after_help = "Examples:\n  limitkb generate\n  limitkb generate --check\n  limitkb generate --data my-data --out my-generated --templates my-templates\n\nEvery generated file starts with a banner naming the data directory and the command that\nregenerates it (the flags given here)."
    )]
    Generate(cli::generate::Args),
    /// Validate the data and report every error at once, each at its file, line and column.
    #[command(
        after_help = "Examples:\n  limitkb validate\n  limitkb validate --data path/to/data\n  limitkb validate --format short   # one line per problem, for editors and grep"
    )]
    Validate(cli::validate::Args),
    /// Check cluster specs (TOML, or JSON for .json files) against the limitations.
    #[command(
        after_help = "Examples:\n  limitkb check cluster.toml\n  limitkb check plans/*.toml --format short\n  limitkb check plans/*.toml plans/*.json --format json\n\nFormats:\n  text   each problem with the line of the file and a caret under the value (default)\n  short  one line per problem: file:line:col: path: message [limitation]\n  json   an array of {\"file\", \"line\", \"column\", \"path\", \"limitation\", \"message\"}\n         where path is a JSON pointer and limitation is null for type errors and unknown keys"
    )]
    Check(cli::check::Args),
    /// List the limitations.
    #[command(
        after_help = "Examples:\n  limitkb list\n  limitkb list --category features --format json"
    )]
    List(cli::list::Args),
    /// Show one limitation with its constraints, facts and source.
    #[command(after_help = "Example:\n  limitkb show capacity-range")]
    Show(cli::show::Args),
}

fn main() -> ExitCode {
    let mut out = cli::Stdout::new();
    let result = match Cli::parse().command {
        Command::Generate(args) => cli::generate::run(args, &mut out),
        Command::Validate(args) => cli::validate::run(args, &mut out),
        Command::Check(args) => cli::check::run(args, &mut out),
        Command::List(args) => cli::list::run(args, &mut out),
        Command::Show(args) => cli::show::run(args, &mut out),
    };
    cli::exit(result, out)
}
