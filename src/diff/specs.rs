//! The class of each change for people checking specs, by what the two knowledge bases say of
//! the same specs: a spec valid before and refused now makes the change that refuses it major;
//! one refused before and valid now makes the change that allowed it minor.
//!
//! The specs are built from both knowledge bases' values, so that every boundary is tried on
//! both sides: each parameter's example (a base spec), then, one parameter at a time, every
//! value a constraint names (a bound and just past it, an allowed value, a version floor and
//! its neighbours, a feature on) and the parameter left out; and the same again under every
//! value of a parameter a condition depends on (`when`, a version table's row). Comparing
//! verdicts, not constraints, makes the combined effect of all limitations on a parameter count:
//! an `equals` in one limitation moved to a `one-of` in another is a loosening.

use super::{Action, Change, Class};
use crate::check::Checker;
use crate::model::{Constraint, Kb, Number, Parameter, ParameterType, Scalar, UNAVAILABLE, Value};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many specs are compared.
const MAX_SPECS: usize = 50_000;
/// At most this many combinations of condition values are tried.
const MAX_ASSIGNMENTS: usize = 512;

/// A place of the spec: a parameter (`engine`), a range's bound (`capacity`, `min_acu`), an
/// object list's field (`instance`, `class`), or a feature (`features`, `x`).
type Place = (String, Option<String>);

/// Sets the specs classes of `changes`, adding a parameter change where the verdicts differ
/// and no limitation change explains it.
pub(super) fn classify(old: &Kb, new: &Kb, changes: &mut Vec<Change>) {
    for change in changes.iter_mut() {
        match (change.kind, &change.action) {
            ("parameter" | "feature", Action::Removed) => change.specs = Class::Major,
            ("parameter" | "feature", Action::Added) => change.specs = Class::Minor,
            _ => {}
        }
    }
    let (before, after) = (Checker::new(old), Checker::new(new));
    let candidates = candidates(&[old, new]);
    let assignments = assignments(&conditions(&[old, new]));
    let mut specs: Vec<(Json, Vec<String>)> = Vec::new();
    for kb in [old, new] {
        let base = base(kb);
        specs.push((base.clone(), Vec::new()));
        let mut varied: Vec<(Json, Vec<String>)> = Vec::new();
        for (place, values) in &candidates {
            for value in values {
                let mut spec = base.clone();
                set(kb, &mut spec, place, value.clone());
                varied.push((spec, vec![shown(place, value)]));
            }
            let mut spec = base.clone();
            if let Some(map) = spec.as_object_mut() {
                map.remove(&place.0);
            }
            varied.push((spec, vec![format!("no {}", place.0)]));
        }
        for assignment in &assignments {
            for (spec, words) in &varied {
                if specs.len() >= MAX_SPECS {
                    break;
                }
                let mut spec = spec.clone();
                let mut words = words.clone();
                for (place, value) in assignment {
                    set(kb, &mut spec, place, value.clone());
                    words.push(shown(place, value));
                }
                specs.push((spec, words));
            }
        }
        specs.extend(varied);
    }
    specs.truncate(MAX_SPECS);
    // What each limitation (or, for a problem of no limitation, each parameter) now refuses
    // or allows, with an example spec each.
    let mut tightened: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut loosened: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (spec, words) in &specs {
        let text = spec.to_string();
        if !seen.insert(text.clone()) {
            continue;
        }
        let (was, now) = (refusals(&before, &text), refusals(&after, &text));
        let example = if words.is_empty() {
            "the example spec".to_string()
        } else {
            words.join(", ")
        };
        match (was.is_empty(), now.is_empty()) {
            (true, false) => {
                for why in now {
                    tightened.entry(why).or_default().push(example.clone());
                }
            }
            (false, true) => {
                for why in was {
                    loosened.entry(why).or_default().push(example.clone());
                }
            }
            _ => {}
        }
    }
    for (why, examples, class, verb) in tightened
        .into_iter()
        .map(|(w, e)| (w, e, Class::Major, "refuses"))
        .chain(
            loosened
                .into_iter()
                .map(|(w, e)| (w, e, Class::Minor, "allows")),
        )
    {
        let (kind, id) = why.split_once(':').expect("kind:id");
        let mut examples = examples;
        examples.sort_by_key(|e| (!e.starts_with(id), e.len()));
        let shown: Vec<&String> = examples.iter().take(3).collect();
        let detail = format!(
            "now {verb} {}{}",
            shown
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if examples.len() > 3 {
                format!(" and {} more", examples.len() - 3)
            } else {
                String::new()
            }
        );
        let change = match changes.iter_mut().find(|c| c.kind == kind && c.id == id) {
            // A field added or removed is classed as such: its verdicts say nothing more.
            Some(change) if change.kind != "limitation" && change.action != Action::Changed => {
                continue;
            }
            Some(change) => change,
            None => {
                let action = match kind {
                    "limitation" => Action::Changed,
                    _ => Action::Changed,
                };
                changes.push(Change::new(
                    if kind == "limitation" {
                        "limitation"
                    } else {
                        "parameter"
                    },
                    id,
                    action,
                ));
                changes.last_mut().expect("just pushed")
            }
        };
        change.specs = change.specs.max(class);
        change.details.push(detail);
    }
}

/// Why `checker` refuses the spec `text`: `limitation:<id>` for each limitation it breaks,
/// `parameter:<id>` for any other error at a parameter; empty if it is valid.
fn refusals(checker: &Checker<'_>, text: &str) -> BTreeSet<String> {
    checker
        .check_text("spec.json", text.to_string())
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .map(|d| match &d.limitation {
            Some(id) => format!("limitation:{id}"),
            None => format!(
                "parameter:{}",
                crate::pointer::segments(&d.path).next().unwrap_or_default()
            ),
        })
        .collect()
}

/// A spec of every parameter's example.
fn base(kb: &Kb) -> Json {
    let mut spec = Json::Object(Map::new());
    for p in &kb.meta.parameters {
        match (&p.example, p.value_type) {
            (Some(Value::List(bounds)), ParameterType::Range) if bounds.len() == 2 => {
                if let (Some(min), Some(max)) = (&p.min_key, &p.max_key) {
                    let mut table = Map::new();
                    table.insert(min.clone(), scalar(&bounds[0]));
                    table.insert(max.clone(), scalar(&bounds[1]));
                    spec[&p.id] = Json::Object(table);
                }
            }
            (Some(Value::Scalar(s)), ParameterType::StringList) => {
                spec[&p.id] = Json::Array(vec![scalar(s)]);
            }
            (Some(Value::Scalar(s)), _) => spec[&p.id] = scalar(s),
            (Some(Value::List(items)), _) => {
                spec[&p.id] = Json::Array(items.iter().map(scalar).collect())
            }
            (None, ParameterType::ObjectList) => {
                let item: Map<String, Json> = p
                    .fields
                    .iter()
                    .flatten()
                    .filter_map(|f| match &f.example {
                        Some(Value::Scalar(s)) => Some((f.id.clone(), scalar(s))),
                        _ => None,
                    })
                    .collect();
                if !item.is_empty() {
                    spec[&p.id] = Json::Array(vec![Json::Object(item)]);
                }
            }
            (None, _) => {}
        }
    }
    spec
}

/// Sets `place` of `spec` to `value`, in the shape the parameter's type takes.
fn set(kb: &Kb, spec: &mut Json, place: &Place, value: Json) {
    let parameter = kb.meta.parameters.iter().find(|p| p.id == place.0);
    let (head, field) = (place.0.as_str(), place.1.as_deref());
    let shaped = match (parameter.map(|p| p.value_type), field) {
        (_, _) if head == "features" => {
            let mut features = spec
                .get("features")
                .cloned()
                .unwrap_or(Json::Object(Map::new()));
            features[field.unwrap_or_default()] = value;
            features
        }
        (Some(ParameterType::Range), Some(bound)) => {
            let mut table = spec.get(head).cloned().unwrap_or(Json::Object(Map::new()));
            if !table.is_object() {
                table = Json::Object(Map::new());
            }
            table[bound] = value;
            table
        }
        (Some(ParameterType::ObjectList), Some(field)) => {
            let mut item = Map::new();
            item.insert(field.to_string(), value);
            Json::Array(vec![Json::Object(item)])
        }
        (Some(ParameterType::StringList), _) => Json::Array(vec![value]),
        _ => value,
    };
    if let Some(map) = spec.as_object_mut() {
        map.insert(head.to_string(), shaped);
    }
}

/// How a varied place reads in a detail: `region = "eu-west-1"`.
fn shown(place: &Place, value: &Json) -> String {
    match &place.1 {
        Some(field) => format!("{}.{field} = {value}", place.0),
        None => format!("{} = {value}", place.0),
    }
}

fn scalar(s: &Scalar) -> Json {
    match s {
        Scalar::Boolean(b) => Json::Bool(*b),
        Scalar::Number(Number::Integer(i)) => Json::from(*i),
        Scalar::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Scalar::String(s) => Json::String(s.clone()),
    }
}

/// A value of the same type that is not `value`, to try what an `equals` or `one-of` refuses:
/// the next number, the other boolean, a string no knowledge base names.
fn other(value: &Scalar) -> Json {
    match value {
        Scalar::Boolean(b) => Json::Bool(!b),
        Scalar::Number(n) => number(n.as_f64() + 1.0),
        Scalar::String(_) => Json::String(OTHER.to_string()),
    }
}

/// A string value no knowledge base names.
const OTHER: &str = "other-than-listed";

fn number(f: f64) -> Json {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        Json::from(f as i64)
    } else {
        serde_json::Number::from_f64(f)
            .map(Json::Number)
            .unwrap_or(Json::Null)
    }
}

/// The places of a constraint's subject: a range's two bounds, an object list's field, a
/// feature, or the parameter itself.
fn places(kbs: &[&Kb], subject: &str, feature: bool) -> Vec<Place> {
    if feature {
        return vec![("features".into(), Some(subject.to_string()))];
    }
    let (head, field) = match subject.split_once('.') {
        Some((h, f)) => (h, Some(f.to_string())),
        None => (subject, None),
    };
    let parameter: Option<&Parameter> = kbs
        .iter()
        .find_map(|kb| kb.meta.parameters.iter().find(|p| p.id == head));
    match parameter {
        Some(p) if p.value_type == ParameterType::Range && field.is_none() => {
            [&p.min_key, &p.max_key]
                .into_iter()
                .flatten()
                .map(|k| (head.to_string(), Some(k.clone())))
                .collect()
        }
        _ => vec![(head.to_string(), field)],
    }
}

/// A version with its last part moved by `delta` (`3.02.0` and 1: `3.02.1`), keeping its
/// width; `None` if it does not end in a number or would go below zero.
fn neighbour(version: &str, delta: i64) -> Option<String> {
    let (head, last) = match version.rsplit_once('.') {
        Some((h, l)) => (Some(h), l),
        None => (None, version),
    };
    let n: i64 = last.parse().ok()?;
    let moved = n.checked_add(delta).filter(|m| *m >= 0)?;
    let text = format!("{moved:0width$}", width = last.len());
    Some(match head {
        Some(h) => format!("{h}.{text}"),
        None => text,
    })
}

/// Every value a constraint of either knowledge base names, by place, with the values just
/// past each bound.
fn candidates(kbs: &[&Kb]) -> BTreeMap<Place, Vec<Json>> {
    let mut out: BTreeMap<Place, Vec<Json>> = BTreeMap::new();
    let mut add = |places: Vec<Place>, value: Json| {
        for place in places {
            let values = out.entry(place).or_default();
            if !values.contains(&value) {
                values.push(value.clone());
            }
        }
    };
    for kb in kbs {
        for p in &kb.meta.parameters {
            for v in p.values.iter().flatten() {
                add(places(kbs, &p.id, false), Json::String(v.clone()));
            }
        }
        for l in &kb.limitations {
            for c in &l.limitation.constraints {
                let subject = c.subject();
                let at = |feature| places(kbs, subject, feature);
                match c {
                    Constraint::Equals { value, .. } => {
                        add(at(false), scalar(value));
                        add(at(false), other(value));
                    }
                    Constraint::OneOf { values, .. } => {
                        for v in values {
                            add(at(false), scalar(v));
                            add(at(false), other(v));
                        }
                    }
                    Constraint::Range { min, max, .. } => {
                        for bound in [min, max].into_iter().flatten() {
                            let b = bound.as_f64();
                            for v in [b - 1.0, b - 0.5, b, b + 0.5, b + 1.0] {
                                add(at(false), number(v));
                            }
                        }
                    }
                    Constraint::MultipleOf { step, .. } => {
                        let s = step.as_f64();
                        for v in [s, s * 1.5, s * 2.0] {
                            add(at(false), number(v));
                        }
                    }
                    Constraint::Version { family, min, .. } => {
                        let mut versions: Vec<String> = Vec::new();
                        if let Some(f) = family {
                            versions.extend([f.clone(), format!("{f}.0")]);
                            versions.extend(neighbour(f, 1));
                            versions.extend(neighbour(f, -1));
                        }
                        if let Some(m) = min {
                            versions.push(m.clone());
                            versions.extend(neighbour(m, 1));
                            versions.extend(neighbour(m, -1));
                        }
                        for v in versions {
                            add(at(false), Json::String(v));
                        }
                    }
                    Constraint::VersionTable { rows, .. } => {
                        for row in rows {
                            for cell in row.iter().skip(1).filter(|c| *c != UNAVAILABLE) {
                                for v in [Some(cell.clone()), neighbour(cell, -1)]
                                    .into_iter()
                                    .flatten()
                                {
                                    add(at(false), Json::String(v));
                                }
                            }
                        }
                    }
                    Constraint::Unsupported { .. } => add(at(true), Json::Bool(true)),
                    Constraint::Required { .. } => {}
                }
            }
        }
    }
    out
}

/// Every combination of the values of the places conditions depend on (engine × Region), at
/// most [`MAX_ASSIGNMENTS`].
fn assignments(conditions: &BTreeMap<Place, Vec<Json>>) -> Vec<Vec<(Place, Json)>> {
    let mut out: Vec<Vec<(Place, Json)>> = vec![Vec::new()];
    for (place, values) in conditions {
        let mut next = Vec::new();
        for partial in &out {
            for value in values {
                if next.len() >= MAX_ASSIGNMENTS {
                    break;
                }
                let mut more = partial.clone();
                more.push((place.clone(), value.clone()));
                next.push(more);
            }
        }
        out = next;
    }
    out
}

/// The values of the parameters conditions depend on: each `when`'s values, and each row of a
/// version table under its row parameter.
fn conditions(kbs: &[&Kb]) -> BTreeMap<Place, Vec<Json>> {
    let mut out: BTreeMap<Place, Vec<Json>> = BTreeMap::new();
    let mut add = |place: Place, value: Json| {
        let values = out.entry(place).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    };
    for kb in kbs {
        for l in &kb.limitations {
            for c in &l.limitation.constraints {
                for (parameter, value) in c.when().into_iter().flatten() {
                    let (head, field) = match parameter.split_once('.') {
                        Some((h, f)) => (h.to_string(), Some(f.to_string())),
                        None => (parameter.clone(), None),
                    };
                    match value {
                        Value::Scalar(s) => add((head, field), scalar(s)),
                        Value::List(items) => {
                            for s in items {
                                add((head.clone(), field.clone()), scalar(s));
                            }
                        }
                    }
                }
                if let Constraint::VersionTable { row, rows, .. } = c {
                    for r in rows {
                        if let Some(value) = r.first() {
                            add((row.clone(), None), Json::String(value.clone()));
                        }
                    }
                }
            }
        }
    }
    out
}
