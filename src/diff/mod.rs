//! What changed between two versions of a knowledge base, and what each change means for the
//! three kinds of consumers, as semver classes:
//!
//! - **specs** (people checking a cluster, a template or a plan): [`specs`] compares the two
//!   knowledge bases' verdicts on the same specs, per parameter, so the combined effect of all
//!   limitations on it counts (an `equals` moved to a `one-of` is a loosening);
//! - **code** (the generated constant modules): a constant, limitation id or feature removed, or
//!   a constant's type changed, breaks it; additions are minor; a changed value is flagged;
//! - **docs**: a removed page (a category) or anchor (a limitation) breaks links.
//!
//! [`diff`] gives the changes; [`Diff::required`] the bump they require, which
//! [`Diff::version_check`] holds the new version to.

pub mod git;
pub mod report;
pub mod source;
mod specs;

use crate::model::constants::{Constant, Origin, constants};
use crate::model::{CategorizedLimitation, Kb};
use serde::Serialize;
use std::collections::BTreeMap;

/// A semver class: what a change requires of the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Nothing a consumer relies on changes.
    Patch,
    /// Something is added or allowed that was not.
    Minor,
    /// Something a consumer relied on is gone or refused.
    Major,
}

impl Class {
    /// `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Minor => "minor",
            Class::Major => "major",
        }
    }
}

/// What a change does to the thing it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// In the new version only.
    Added,
    /// In the old version only.
    Removed,
    /// In both, different.
    Changed,
    /// A limitation the new version keeps as lifted (no longer enforced).
    Lifted,
    /// A limitation under a new id (`replaces` names the old one).
    Renamed,
}

/// One change, with its class for each audience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What it is about: `limitation`, `parameter`, `feature`, `category`, `constant` or
    /// `source`.
    pub kind: &'static str,
    /// The id of the thing (a constant's name).
    pub id: String,
    /// Added, removed or changed.
    pub action: Action,
    /// What changed, in words (the fields of a changed limitation, the values a parameter now
    /// refuses…).
    pub details: Vec<String>,
    /// The class for people checking specs.
    pub specs: Class,
    /// The class for the generated code.
    pub code: Class,
    /// The class for links to the docs.
    pub docs: Class,
    /// The source sentence of a limitation (the new one, or the old one if it was removed).
    pub source: Option<String>,
}

impl Change {
    fn new(kind: &'static str, id: &str, action: Action) -> Change {
        Change {
            kind,
            id: id.to_string(),
            action,
            details: Vec::new(),
            specs: Class::Patch,
            code: Class::Patch,
            docs: Class::Patch,
            source: None,
        }
    }

    /// The highest of its classes.
    pub fn class(&self) -> Class {
        self.specs.max(self.code).max(self.docs)
    }
}

/// The changes from one version of a knowledge base to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The knowledge base's id.
    pub kb: String,
    /// Its version before.
    pub old_version: String,
    /// Its version after.
    pub new_version: String,
    /// Every change, by kind, then id.
    pub changes: Vec<Change>,
}

impl Diff {
    /// The bump the changes require: the highest class of any change, for any audience.
    pub fn required(&self) -> Class {
        self.changes
            .iter()
            .map(Change::class)
            .max()
            .unwrap_or(Class::Patch)
    }

    /// The bump from the old version to the new one: `None` if the new one is not higher.
    pub fn bumped(&self) -> Option<Class> {
        let (old, new) = (semver(&self.old_version)?, semver(&self.new_version)?);
        if new <= old {
            return None;
        }
        Some(if new.0 > old.0 {
            Class::Major
        } else if new.1 > old.1 {
            Class::Minor
        } else {
            Class::Patch
        })
    }

    /// Whether the version was bumped as far as the changes require; if not, why, naming the
    /// changes that require more.
    pub fn version_check(&self) -> Result<(), String> {
        let required = self.required();
        if self.changes.is_empty() {
            return Ok(());
        }
        let bumped = self.bumped();
        if bumped.is_some_and(|b| b >= required) {
            return Ok(());
        }
        let needing: Vec<String> = self
            .changes
            .iter()
            .filter(|c| bumped.is_none_or(|b| c.class() > b))
            .map(|c| {
                format!(
                    "{} `{}` {} ({} for {})",
                    c.kind,
                    c.id,
                    action_word(&c.action),
                    c.class().as_str(),
                    audiences(c)
                )
            })
            .collect();
        Err(format!(
            "knowledge base `{}`: version {} -> {} is {}, and the changes require a {} bump: {}",
            self.kb,
            self.old_version,
            self.new_version,
            match bumped {
                Some(b) => format!("a {} bump", b.as_str()),
                None => "no bump".to_string(),
            },
            required.as_str(),
            needing.join("; ")
        ))
    }
}

/// The word for an action in a sentence.
pub fn action_word(action: &Action) -> &'static str {
    match action {
        Action::Added => "added",
        Action::Removed => "removed",
        Action::Changed => "changed",
        Action::Lifted => "lifted",
        Action::Renamed => "renamed",
    }
}

/// The audiences for which a change has its highest class: "specs", "code and docs"…
pub fn audiences(change: &Change) -> String {
    let class = change.class();
    let names: Vec<&str> = [
        ("specs", change.specs),
        ("code", change.code),
        ("docs", change.docs),
    ]
    .into_iter()
    .filter(|(_, c)| *c == class)
    .map(|(name, _)| name)
    .collect();
    names.join(" and ")
}

/// A version's three numbers.
fn semver(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// The changes from `old` to `new`.
pub fn diff(old: &Kb, new: &Kb) -> Diff {
    let mut changes = Vec::new();
    limitations(old, new, &mut changes);
    named(
        "parameter",
        &old.meta.parameters,
        &new.meta.parameters,
        |p| &p.id,
        &mut changes,
    );
    named(
        "feature",
        &old.meta.features,
        &new.meta.features,
        |f| &f.id,
        &mut changes,
    );
    named(
        "category",
        &old.meta.categories,
        &new.meta.categories,
        |c| &c.id,
        &mut changes,
    );
    for change in &mut changes {
        classify_structure(change);
    }
    constants_changes(old, new, &mut changes);
    sources(old, new, &mut changes);
    specs::classify(old, new, &mut changes);
    changes.sort_by(|a, b| (kind_order(a.kind), &a.id).cmp(&(kind_order(b.kind), &b.id)));
    Diff {
        kb: new.meta.id.clone(),
        old_version: old.meta.version.clone(),
        new_version: new.meta.version.clone(),
        changes,
    }
}

/// The order kinds are listed in.
fn kind_order(kind: &str) -> usize {
    [
        "limitation",
        "parameter",
        "feature",
        "category",
        "constant",
        "source",
    ]
    .iter()
    .position(|k| *k == kind)
    .unwrap_or(usize::MAX)
}

/// Limitations added, removed and changed, field by field.
fn limitations(old: &Kb, new: &Kb, out: &mut Vec<Change>) {
    fn by_id(kb: &Kb) -> BTreeMap<&str, &CategorizedLimitation> {
        kb.limitations
            .iter()
            .map(|l| (l.limitation.id.as_str(), l))
            .collect()
    }
    let (before, after) = (by_id(old), by_id(new));
    // Old ids that a new limitation replaces: renamed, not removed.
    let renamed: BTreeMap<&str, &str> = after
        .values()
        .filter_map(|l| {
            let old_id = l.limitation.replaces.as_deref()?;
            (before.contains_key(old_id) && !after.contains_key(old_id))
                .then_some((old_id, l.limitation.id.as_str()))
        })
        .collect();
    for (id, l) in &before {
        if !after.contains_key(id) && !renamed.contains_key(id) {
            let mut change = Change::new("limitation", id, Action::Removed);
            change.source = Some(l.limitation.source.quote.clone());
            change.details.push(l.limitation.title.clone());
            out.push(change);
        }
    }
    for (id, l) in &after {
        let replaced = l
            .limitation
            .replaces
            .as_deref()
            .filter(|old_id| renamed.contains_key(old_id));
        let mut change = match (before.get(id), replaced) {
            (None, Some(old_id)) => {
                // The old id and its anchor are gone: code and docs that name them break.
                let mut change = Change::new("limitation", id, Action::Renamed);
                change.details.push(format!("renamed from `{old_id}`"));
                change.code = Class::Major;
                change.docs = Class::Major;
                change
            }
            (None, None) => {
                let mut change = Change::new("limitation", id, Action::Added);
                change.details.push(l.limitation.title.clone());
                change
            }
            (Some(was), _)
                if was.limitation.status.is_active() && !l.limitation.status.is_active() =>
            {
                let mut change = Change::new("limitation", id, Action::Lifted);
                change.details.push(format!(
                    "lifted in the source's revision of {}",
                    l.limitation.lifted_in.as_deref().unwrap_or("?")
                ));
                change
            }
            (Some(was), _) => {
                let mut change = Change::new("limitation", id, Action::Changed);
                let (a, b) = (&was.limitation, &l.limitation);
                let fields: [(&str, bool); 7] = [
                    ("status", a.status != b.status),
                    ("title", a.title != b.title),
                    ("summary", a.summary != b.summary),
                    ("constraints", a.constraints != b.constraints),
                    ("facts", a.facts != b.facts),
                    ("source sentence", a.source != b.source),
                    ("category", was.category != l.category),
                ];
                change.details = fields
                    .iter()
                    .filter(|(_, differs)| *differs)
                    .map(|(field, _)| format!("{field} changed"))
                    .collect();
                if change.details.is_empty() {
                    continue;
                }
                change
            }
        };
        change.source = Some(l.limitation.source.quote.clone());
        out.push(change);
    }
}

/// Items of `kb.toml` with an id, added, removed or changed.
fn named<T: Serialize + PartialEq>(
    kind: &'static str,
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> &String,
    out: &mut Vec<Change>,
) {
    let (before, after): (BTreeMap<&String, &T>, BTreeMap<&String, &T>) = (
        old.iter().map(|o| (id(o), o)).collect(),
        new.iter().map(|n| (id(n), n)).collect(),
    );
    for item in old {
        if !after.contains_key(id(item)) {
            out.push(Change::new(kind, id(item), Action::Removed));
        }
    }
    for item in new {
        match before.get(id(item)).copied() {
            None => out.push(Change::new(kind, id(item), Action::Added)),
            Some(was) if was != item => {
                let mut change = Change::new(kind, id(item), Action::Changed);
                change.details = changed_fields(was, item);
                out.push(change);
            }
            Some(_) => {}
        }
    }
}

/// The names of the top-level fields that differ between two serializable values.
fn changed_fields<T: Serialize>(old: &T, new: &T) -> Vec<String> {
    let (a, b) = (
        serde_json::to_value(old).unwrap_or_default(),
        serde_json::to_value(new).unwrap_or_default(),
    );
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return vec!["changed".into()];
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| format!("{k} changed"))
        .collect()
}

/// The code and docs classes that follow from what a change is: a removed limitation id,
/// feature or parameter breaks code that names it, a removed category or limitation a page or
/// an anchor; additions are minor.
fn classify_structure(change: &mut Change) {
    let (code, docs) = match (change.kind, &change.action) {
        ("limitation", Action::Removed) => (Class::Major, Class::Major),
        ("limitation", Action::Added) => (Class::Minor, Class::Minor),
        ("feature" | "parameter", Action::Removed) => (Class::Major, Class::Patch),
        ("feature" | "parameter", Action::Added) => (Class::Minor, Class::Patch),
        ("category", Action::Removed) => (Class::Patch, Class::Major),
        ("category", Action::Added) => (Class::Patch, Class::Minor),
        _ => (Class::Patch, Class::Patch),
    };
    change.code = change.code.max(code);
    change.docs = change.docs.max(docs);
}

/// The generated constants: removed or retyped is major for code, added minor, a changed
/// value flagged (patch unless its meaning changes for specs, which [`specs`] decides).
fn constants_changes(old: &Kb, new: &Kb, out: &mut Vec<Change>) {
    let by_name = |kb: &Kb| -> BTreeMap<String, Constant> {
        constants(kb)
            .into_iter()
            .map(|c| (c.name.clone(), c))
            .collect()
    };
    let (before, after) = (by_name(old), by_name(new));
    for (name, c) in &before {
        match after.get(name) {
            None => {
                let mut change = Change::new("constant", name, Action::Removed);
                change.code = Class::Major;
                change.details.push(format!("was {}", value_text(&c.value)));
                out.push(change);
            }
            Some(now) if now.value_type != c.value_type => {
                let mut change = Change::new("constant", name, Action::Changed);
                change.code = Class::Major;
                change
                    .details
                    .push(format!("type {} -> {}", c.value_type, now.value_type));
                out.push(change);
            }
            // The knowledge base's own metadata (its version, its source's revision) changes
            // with every release; the version and source changes say so.
            Some(now) if now.value != c.value && !matches!(c.origin, Origin::Kb { .. }) => {
                let mut change = Change::new("constant", name, Action::Changed);
                change.details.push(format!(
                    "value {} -> {}",
                    value_text(&c.value),
                    value_text(&now.value)
                ));
                out.push(change);
            }
            Some(_) => {}
        }
    }
    for (name, c) in &after {
        if !before.contains_key(name) {
            let mut change = Change::new("constant", name, Action::Added);
            change.code = Class::Minor;
            change.details.push(format!("= {}", value_text(&c.value)));
            out.push(change);
        }
    }
}

/// A constant's value as the data writes it.
fn value_text(value: &crate::model::Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The source documents: a new revision or copy is a patch, listed.
fn sources(old: &Kb, new: &Kb, out: &mut Vec<Change>) {
    let all = |kb: &Kb| {
        std::iter::once(&kb.meta.source)
            .chain(&kb.meta.other_sources)
            .map(|s| (s.id.clone().unwrap_or_else(|| "main".into()), s.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let (before, after) = (all(old), all(new));
    for (id, s) in &after {
        match before.get(id) {
            None => out.push(Change::new("source", id, Action::Added)),
            Some(was) if was != s => {
                let mut change = Change::new("source", id, Action::Changed);
                change.details = changed_fields(was, s);
                out.push(change);
            }
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) {
            out.push(Change::new("source", id, Action::Removed));
        }
    }
}
