//! A [`Diff`] for people and tools: text for a terminal, Markdown for a `CHANGELOG.md`, JSON
//! for tools (the shape is documented in the README and stable).

use super::{Change, Class, Diff, action_word, audiences};

/// The text report: the required bump, then each change with its classes and details.
pub fn text(diff: &Diff) -> String {
    let mut out = format!(
        "{}: {} -> {}: {} change(s), requiring a {} bump\n",
        diff.kb,
        diff.old_version,
        diff.new_version,
        diff.changes.len(),
        diff.required().as_str()
    );
    for c in &diff.changes {
        out.push_str(&format!(
            "  {} {} `{}` [specs {}, code {}, docs {}]\n",
            action_word(&c.action),
            c.kind,
            c.id,
            c.specs.as_str(),
            c.code.as_str(),
            c.docs.as_str()
        ));
        for detail in &c.details {
            out.push_str(&format!("      {detail}\n"));
        }
    }
    out
}

/// A section for the knowledge base's `CHANGELOG.md`: the new version, then the changes
/// grouped by class, each line naming what changed, for whom, and a limitation's source
/// sentence.
pub fn markdown(diff: &Diff, date: Option<&str>) -> String {
    let mut out = format!("## {}", diff.new_version);
    if let Some(date) = date {
        out.push_str(&format!(" ({date})"));
    }
    out.push_str("\n\n");
    if diff.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (class, heading) in [
        (Class::Major, "Breaking changes"),
        (Class::Minor, "Additions and loosened limits"),
        (Class::Patch, "Other changes"),
    ] {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.class() == class).collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("### {heading} ({})\n\n", class.as_str()));
        for c in changes {
            let mut line = format!("- {} `{}` {}", c.kind, c.id, action_word(&c.action));
            if class != Class::Patch {
                line.push_str(&format!(" ({})", audiences(c)));
            }
            if !c.details.is_empty() {
                line.push_str(&format!(": {}", c.details.join("; ")));
            }
            if let Some(source) = &c.source {
                line.push_str(&format!(
                    "\n  > {}",
                    source.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The JSON report: `{kb, old_version, new_version, required, changes: [{kind, id, action,
/// details, specs, code, docs, source}]}`.
pub fn json(diff: &Diff) -> String {
    let mut value = serde_json::to_value(diff).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "required".into(),
            serde_json::Value::String(diff.required().as_str().into()),
        );
    }
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
