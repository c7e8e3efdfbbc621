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
    after_help = "Exit codes: 0 fine; 1 violations, drift or data errors; 2 usage or unreadable input.\n\nData: ./data when it holds knowledge bases (one directory each, or kb.toml itself), else the\nknowledge bases built into this binary. --kb ID picks one; where several could apply and none\nis named, a command lists them instead of guessing.\n\nExamples:\n  limitkb generate                 # regenerate generated/ from data/\n  limitkb generate --check         # fail if generated/ is stale (CI)\n  limitkb validate                 # report every data error at once\n  limitkb check cluster.toml       # check a planned cluster (its #:schema names the knowledge base)\n  limitkb check --kb aurora-serverless-v2 cluster.toml\n  limitkb list --kb aurora-serverless-v2 --category capacity\n  limitkb show port-3306-only"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render every artifact from the data and write them to the output directory.
    #[command(
        after_help = "Examples:\n  limitkb generate\n  limitkb generate --check\n  limitkb generate --kb aurora-serverless-v2   # one knowledge base's tree and docs part\n  limitkb generate --data my-data --out my-generated --templates my-templates\n\nThe output holds a tree per knowledge base (<id>/: schema, json, rust, ts, python) and one\ndocs site (docs/, each knowledge base's pages in docs/<id>/). Every generated file starts\nwith a banner naming the data directory and the command that regenerates it (the flags\ngiven here)."
    )]
    Generate(cli::generate::Args),
    /// Validate the data and report every error at once, each at its file, line and column.
    #[command(
        after_help = "Examples:\n  limitkb validate\n  limitkb validate --data path/to/data\n  limitkb validate --format short   # one line per problem, for editors and grep"
    )]
    Validate(cli::validate::Args),
    /// Check cluster specs (TOML, or JSON for .json files) against the limitations.
    #[command(
        after_help = "Examples:\n  limitkb check cluster.toml\n  limitkb check --kb aurora-serverless-v2 plans/*.toml --format short\n  limitkb check plans/*.toml plans/*.json --format json\n  limitkb check --format sarif plans/*.toml > limitkb.sarif   # for code scanning\n  limitkb check --strict cluster.toml                          # warnings and notes fail too\n\nThe knowledge base of each spec: --kb, else the one its `#:schema` line (TOML) or \"$schema\"\n(JSON) names (a path segment that is a knowledge base id, e.g.\ngenerated/aurora-serverless-v2/schema/cluster.schema.json), else the only one.\n\nFormats:\n  text   each problem with the line of the file and a caret under the value (default)\n  short  one line per problem: file:line:col: path: message [limitation]\n         (file:line:col: warning: path: … for a warning, note: for a note)\n  json   an array of {\"file\", \"line\", \"column\", \"path\", \"limitation\", \"message\", \"severity\"}\n         where path is a JSON pointer, limitation is null for type errors and unknown keys,\n         and severity is \"error\", \"warning\" or \"note\"\n  sarif  a SARIF 2.1.0 log (GitHub code scanning): a rule per limitation, a result per problem\n\nExit codes: 0 clean, or only warnings and notes; 1 an error (with --strict, any problem);\n2 a file that cannot be read or parsed, or whose knowledge base cannot be told."
    )]
    Check(cli::check::Args),
    /// Compare two versions of a knowledge base: what changed, and the semver bump it requires
    /// for specs, generated code and docs.
    #[command(
        after_help = "Examples:\n  limitkb diff --base v1.2.0 --kb aurora-serverless-v2            # the work tree against a tag\n  limitkb diff --base HEAD~1 --kb aurora-serverless-v2 --check-version   # CI: was the version bumped enough?\n  limitkb diff old-data new-data --format markdown --date 2021-02-15 >> CHANGELOG.md\n  limitkb diff --base main --format json\n\nEach change is classed for three audiences: specs (major when something valid before is\nrefused now, minor when something refused is allowed or a field is added), code (a removed\nor retyped constant, limitation id or feature is major, an addition minor) and docs (a\nremoved page or anchor is major). Specs are compared by verdict: both versions check the\nsame specs, built from the values both name, so the combined effect of all limitations on a\nparameter counts.\n\nExit codes: 0; 1 with --check-version when the version is not bumped enough; 2 usage, a\nrevision or data that cannot be read."
    )]
    Diff(cli::diff::Args),
    /// Work with the source documents: `source check NEW_COPY` reports how a new copy of the
    /// page drifted from the knowledge base.
    #[command(subcommand)]
    Source(cli::source::Command),
    /// List the limitations.
    #[command(
        after_help = "Examples:\n  limitkb list --kb aurora-serverless-v2\n  limitkb list --kb aurora-serverless-v2-preview --category features --format json"
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
        Command::Diff(args) => cli::diff::run(args, &mut out),
        Command::Source(command) => cli::source::run(command, &mut out),
        Command::List(args) => cli::list::run(args, &mut out),
        Command::Show(args) => cli::show::run(args, &mut out),
    };
    cli::exit(result, out)
}
