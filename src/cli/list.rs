//! `limitkb list`.

use super::{DataArgs, DiagnosticFormat, Outcome, Stdout};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Only this category.
    #[arg(long, value_name = "ID")]
    category: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// One line per limitation: id, category, title.
    Text,
    /// The limitations as JSON.
    Json,
}

pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let catalog = args.data.catalog()?;
    let entry = args.data.one(&catalog)?;
    let kb = match super::load(entry, DiagnosticFormat::Text, out) {
        Ok(kb) => kb,
        Err(code) => return Ok(code),
    };
    if let Some(c) = &args.category
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
        .filter(|l| args.category.as_ref().is_none_or(|c| &l.category == c))
        .collect();
    match args.format {
        Format::Json => {
            out.line(serde_json::to_string_pretty(&selected).expect("limitations serialize"))
        }
        Format::Text => {
            let width = selected
                .iter()
                .map(|l| l.limitation.id.len())
                .max()
                .unwrap_or(0);
            for l in &selected {
                out.line(format_args!(
                    "{:width$}  {:12}  {}",
                    l.limitation.id, l.category, l.limitation.title
                ));
            }
        }
    }
    Ok(0)
}
