//! The `limitkb` command line: a thin shell over the library.

use clap::{Parser, Subcommand, ValueEnum};
use limitkb::Cache;
use limitkb::generate::{Checked, GenerateError, Generation};
use limitkb::{Checker, DataSource, Diagnostic, Templates, output};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: data errors, violations or drift.
const FAILED: u8 = 1;
/// Exit code: bad usage, or input that cannot be read.
const UNREADABLE: u8 = 2;

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

#[derive(clap::Args)]
struct DataArgs {
    /// The data directory (kb.toml and limitations/). Default: ./data when it exists, else the
    /// knowledge base built into this binary.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
}

impl DataArgs {
    fn source(&self) -> DataSource {
        self.data
            .clone()
            .map_or_else(DataSource::default_for_cwd, DataSource::Dir)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Render every artifact from the data and write them to the output directory.
    #[command(
        after_help = "Examples:\n  limitkb generate\n  limitkb generate --check\n  limitkb generate --check --no-cache   # render everything, touch no cache\n  limitkb generate --data my-data --out my-generated --templates my-templates\n\nCache: rustfmt's output, and the fingerprint of the inputs of the last run that left the\noutput directory up to date, are kept in $LIMITKB_CACHE_DIR, else $XDG_CACHE_HOME/limitkb,\nelse ~/.cache/limitkb. With the same inputs (this binary, the data files, the templates,\nthe output directory, RUSTFMT), --check only hashes the files in the output directory.\nThe cache is never in the repository: a fresh clone does all the work."
    )]
    Generate {
        /// Write nothing; exit 1 and list the stale, missing and extra files if the output
        /// directory is not what the data would produce.
        #[arg(long)]
        check: bool,
        /// Neither read nor write the cache: load and render everything.
        #[arg(long)]
        no_cache: bool,
        #[command(flatten)]
        data: DataArgs,
        /// Render this template set instead of the built-in one.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// The output directory.
        #[arg(long, value_name = "DIR", default_value = "generated")]
        out: PathBuf,
    },
    /// Validate the data and report every error at once, with file:line:col.
    #[command(after_help = "Examples:\n  limitkb validate\n  limitkb validate --data path/to/data")]
    Validate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Check cluster specs (TOML, or JSON for .json files) against the limitations.
    #[command(
        after_help = "Examples:\n  limitkb check cluster.toml\n  limitkb check plans/*.toml plans/*.json --format json\n\nWith --format json the output is an array of\n  {\"file\", \"line\", \"column\", \"path\", \"limitation\", \"message\"}\nwhere path is a JSON pointer and limitation is null for type errors and unknown keys."
    )]
    Check {
        /// The cluster specs to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List the limitations.
    #[command(
        after_help = "Examples:\n  limitkb list\n  limitkb list --category features --format json"
    )]
    List {
        /// Only this category.
        #[arg(long, value_name = "ID")]
        category: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Show one limitation with its constraints, facts and source.
    #[command(after_help = "Example:\n  limitkb show capacity-range")]
    Show {
        /// The limitation id.
        id: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(UNREADABLE)
        }
    }
}

/// Loads the knowledge base, printing its errors; `Err(code)` to exit with. The parsed
/// documents, kept only to locate data errors, are dropped here: at scale they are a large
/// part of peak memory.
fn load(source: &DataSource) -> Result<limitkb::Kb, u8> {
    limitkb::load(source).map(|loaded| loaded.kb).map_err(|e| {
        for d in &e.diagnostics {
            eprintln!("{d}");
        }
        eprintln!(
            "{} problem(s) in the data; nothing was generated or checked",
            e.diagnostics.len()
        );
        if e.unreadable { UNREADABLE } else { FAILED }
    })
}

/// Leaves `value` (the knowledge base) to the operating system, which reclaims
/// a process's memory at once when it exits, as this one is about to: freeing a large
/// knowledge base piece by piece takes a twentieth of `generate`'s time.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

fn run(command: Command) -> Result<u8, String> {
    match command {
        Command::Generate {
            check,
            no_cache,
            data,
            templates,
            out,
        } => {
            let source = data.source();
            let templates = match templates {
                Some(dir) => Templates::from_dir(&dir).map_err(|e| e.to_string())?,
                None => Templates::embedded(),
            };
            let cache = if no_cache {
                None
            } else {
                Cache::user_default()
            };
            let generation = Generation::new(&source, &templates, &out, cache.as_ref());
            if check && let Some(files) = generation.up_to_date() {
                println!("{}: {files} files up to date", out.display());
                return Ok(0);
            }
            let kb = match load(&source) {
                Ok(kb) => kb,
                Err(code) => return Ok(code),
            };
            let not_done = if check { "checked" } else { "written" };
            let failed = |e: GenerateError| match e {
                GenerateError::Render(e) => {
                    eprintln!("{e}\nnothing was {not_done}");
                    Ok(FAILED)
                }
                GenerateError::Io(e) if check => Err(e.to_string()),
                GenerateError::Io(e) => {
                    Err(format!("{e}\n(check that {} is writable)", out.display()))
                }
            };
            if check {
                let checked = generation.check(&kb);
                leave_to_exit(kb);
                return match checked {
                    Ok(Checked::UpToDate { files }) => {
                        println!("{}: {files} files up to date", out.display());
                        Ok(0)
                    }
                    Ok(Checked::Drift(drift)) => {
                        print!("{drift}");
                        eprintln!("{}", output::regenerate_hint());
                        Ok(FAILED)
                    }
                    Err(e) => failed(e),
                };
            }
            let written = generation.write(&kb);
            leave_to_exit(kb);
            let written = match written {
                Ok(written) => written,
                Err(e) => return failed(e),
            };
            for path in &written.changed {
                println!("wrote {}", out.join(path).display());
            }
            for path in &written.removed {
                println!("removed {}", out.join(path).display());
            }
            println!(
                "{}: {} changed, {} unchanged, {} removed",
                out.display(),
                written.changed.len(),
                written.unchanged,
                written.removed.len()
            );
            Ok(0)
        }
        Command::Validate { data } => Ok(match load(&data.source()) {
            Ok(kb) => {
                println!(
                    "{}: {} limitations in {} categories, valid",
                    kb.meta.id,
                    kb.limitations.len(),
                    kb.meta.categories.len()
                );
                0
            }
            Err(code) => code,
        }),
        Command::Check {
            files,
            format,
            data,
        } => {
            let kb = match load(&data.source()) {
                Ok(kb) => kb,
                Err(code) => return Ok(code),
            };
            let checker = Checker::new(&kb);
            let mut all: Vec<Diagnostic> = Vec::new();
            let mut code = 0;
            for file in &files {
                let report = checker.check_path(file);
                if report.unreadable {
                    code = UNREADABLE;
                } else if !report.diagnostics.is_empty() && code == 0 {
                    code = FAILED;
                }
                all.extend(report.diagnostics);
            }
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&all).expect("diagnostics serialize")
                ),
                Format::Text => {
                    for d in &all {
                        println!("{d}");
                    }
                    let failing = files
                        .iter()
                        .filter(|f| all.iter().any(|d| &d.file == *f))
                        .count();
                    println!(
                        "{} problem(s) in {failing} of {} file(s)",
                        all.len(),
                        files.len()
                    );
                }
            }
            Ok(code)
        }
        Command::List {
            category,
            format,
            data,
        } => {
            let kb = match load(&data.source()) {
                Ok(kb) => kb,
                Err(code) => return Ok(code),
            };

            if let Some(c) = &category
                && !kb.meta.categories.iter().any(|known| &known.id == c)
            {
                let known: Vec<&str> = kb.meta.categories.iter().map(|c| c.id.as_str()).collect();
                return Err(format!(
                    "unknown category `{c}`; the categories are: {}",
                    known.join(", ")
                ));
            }
            let selected: Vec<_> = kb
                .limitations
                .iter()
                .filter(|l| category.as_ref().is_none_or(|c| &l.category == c))
                .collect();
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&selected).expect("limitations serialize")
                ),
                Format::Text => {
                    let width = selected
                        .iter()
                        .map(|l| l.limitation.id.len())
                        .max()
                        .unwrap_or(0);
                    for l in &selected {
                        println!(
                            "{:width$}  {:12}  {}",
                            l.limitation.id, l.category, l.limitation.title
                        );
                    }
                }
            }
            Ok(0)
        }
        Command::Show { id, data } => {
            let kb = match load(&data.source()) {
                Ok(kb) => kb,
                Err(code) => return Ok(code),
            };
            let view = limitkb::context::view(&kb);
            let Some(l) = view.limitations.iter().find(|l| l.id == id) else {
                let ids: Vec<String> = view.limitations.iter().map(|l| l.id.to_string()).collect();
                let hint = limitkb::load::closest(&id, &ids).map_or_else(
                    || "run `limitkb list` to see the ids".to_string(),
                    |near| format!("did you mean `{near}`?"),
                );
                return Err(format!("no limitation `{id}`; {hint}"));
            };
            println!("{} — {}", l.id, l.title);
            println!("category: {} ({})", l.category_title, l.category);
            println!("{}", l.summary);
            for c in &l.constraints {
                println!("constraint: {} must be {}", c.fields.join(", "), c.words);
            }
            for f in &l.facts {
                println!("fact {}: {} — {}", f.id, f.words, f.description);
            }
            println!("source: \"{}\"", l.source.quote);
            if let Some(context) = &l.source.context {
                println!("        (under \"{context}\")");
            }
            Ok(0)
        }
    }
}
