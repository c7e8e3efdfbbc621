//! `limitkb show ID`.

use super::{DataArgs, DiagnosticFormat, Outcome, Stdout};
use limitkb::model::Constraint;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The limitation id.
    id: String,
    #[command(flatten)]
    data: DataArgs,
}

pub(crate) fn run(args: Args, out: &mut Stdout) -> Outcome {
    let catalog = args.data.catalog()?;
    let entries = args.data.selected(&catalog)?;
    let kbs = match super::load_all(&entries, DiagnosticFormat::Text, out) {
        Ok(kbs) => kbs,
        Err(code) => return Ok(code),
    };
    // Without --kb, the knowledge bases that have the id; more than one is not guessed.
    let having: Vec<&limitkb::Kb> = kbs
        .iter()
        .filter(|kb| kb.limitations.iter().any(|l| l.limitation.id == args.id))
        .collect();
    let kb = match having.as_slice() {
        [kb] => *kb,
        [] => {
            let ids: Vec<String> = kbs
                .iter()
                .flat_map(|kb| kb.limitations.iter().map(|l| l.limitation.id.clone()))
                .collect();
            let hint = limitkb::text::closest(&args.id, &ids).map_or_else(
                || "run `limitkb list` to see the ids".to_string(),
                |near| format!("did you mean `{near}`?"),
            );
            return Err(format!("no limitation `{}`; {hint}", args.id));
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|kb| kb.meta.id.as_str()).collect();
            return Err(format!(
                "{} knowledge bases have a limitation `{}` ({}); pass --kb with one of them",
                ids.len(),
                args.id,
                ids.join(", ")
            ));
        }
    };
    let view = limitkb::view::view(kb);
    let l = view
        .limitations
        .iter()
        .find(|l| l.id == args.id)
        .expect("the knowledge base has it");
    out.line(format_args!("{} — {}", l.id, l.title));
    out.line(format_args!(
        "category: {} ({})",
        l.category_title, l.category
    ));
    out.line(l.summary);
    for c in &l.constraints {
        out.line(format_args!(
            "constraint: {} must be {}",
            c.fields.join(", "),
            c.words
        ));
        // A table, as the source has it: a row per value of the row parameter.
        if let Constraint::VersionTable {
            row, columns, rows, ..
        } = c.data
        {
            out.line(format_args!("  {row} | {}", columns.join(" | ")));
            for cells in rows {
                out.line(format_args!("  {}", cells.join(" | ")));
            }
        }
    }
    for f in &l.facts {
        out.line(format_args!(
            "fact {}: {} — {}",
            f.id, f.words, f.description
        ));
    }
    out.line(format_args!("source: \"{}\"", l.source.quote));
    if let Some(context) = &l.source.context {
        out.line(format_args!("        (under \"{context}\")"));
    }
    Ok(0)
}
