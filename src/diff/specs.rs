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
//! an `equals` in one limitation moved to a `one-of` in another is a loosening. Where the
//! examples break a limitation, the base spec takes the values that break the fewest.
//!
//! The knowledge bases are first cut into parts no limitation ties together (see [`parts`]),
//! and only the parts that differ are compared: the cost follows the change, not the size of
//! the knowledge base.

use super::{Action, Change, Class};
use crate::check::Checker;
use crate::fast_hash::Map as HashMap;
use crate::model::{
    CategorizedLimitation, Constraint, Feature, Kb, KbFile, Number, Parameter, ParameterType,
    Scalar, UNAVAILABLE, Value,
};
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
    // What each limitation (or, for a problem of no limitation, each parameter) now refuses
    // or allows, with an example spec each.
    let mut verdicts = Verdicts::default();
    for (old_part, new_part) in parts(old, new) {
        verdicts.compare(&old_part, &new_part);
    }
    let Verdicts {
        tightened,
        loosened,
    } = verdicts;
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
                let kind = if kind == "limitation" {
                    "limitation"
                } else {
                    "parameter"
                };
                changes.push(Change::new(kind, id, Action::Changed));
                changes.last_mut().expect("just pushed")
            }
        };
        change.specs = change.specs.max(class);
        change.details.push(detail);
    }
}

/// The limitations (or parameters) whose verdicts changed, with the specs that show it.
#[derive(Default)]
struct Verdicts {
    /// `kind:id` of what refuses specs the old knowledge base allowed.
    tightened: BTreeMap<String, Vec<String>>,
    /// `kind:id` of what refused specs the new knowledge base allows.
    loosened: BTreeMap<String, Vec<String>>,
}

impl Verdicts {
    /// Checks the specs built from both knowledge bases against each, and records every
    /// verdict that differs.
    fn compare(&mut self, old: &Kb, new: &Kb) {
        let (before, after) = (Checker::new(old), Checker::new(new));
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (spec, words) in specs([(old, &before), (new, &after)]) {
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
            let (whys, into) = match (was.is_empty(), now.is_empty()) {
                (true, false) => (now, &mut self.tightened),
                (false, true) => (was, &mut self.loosened),
                _ => continue,
            };
            for why in whys {
                into.entry(why).or_default().push(example.clone());
            }
        }
    }
}

/// The specs to try, each with the words that say how it differs from its knowledge base's
/// example spec: see the module's documentation.
fn specs(sides: [(&Kb, &Checker<'_>); 2]) -> Vec<(Json, Vec<String>)> {
    let kbs = sides.map(|(kb, _)| kb);
    let candidates = candidates(&kbs);
    let assignments = assignments(&conditions(&kbs));
    let mut specs: Vec<(Json, Vec<String>)> = Vec::new();
    for (kb, checker) in sides {
        let base = valid_base(kb, checker, &candidates);
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
    specs
}

/// A parameter (by its head, `instance` for `instance.class`) or a feature: what a spec sets.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node<'k> {
    Parameter(&'k str),
    Feature(&'k str),
}

/// What a constraint's verdict depends on: its subject, the parameters of its condition and a
/// version table's row parameter.
fn nodes(c: &Constraint) -> impl Iterator<Item = Node<'_>> {
    fn head(name: &str) -> &str {
        name.split_once('.').map_or(name, |(h, _)| h)
    }
    let subject = match c {
        Constraint::Unsupported { feature, .. } => Node::Feature(feature.as_str()),
        _ => Node::Parameter(head(c.subject())),
    };
    let row = match c {
        Constraint::VersionTable { row, .. } => Some(Node::Parameter(head(row))),
        _ => None,
    };
    let when = c.when().into_iter().flatten();
    std::iter::once(subject)
        .chain(row)
        .chain(when.map(move |(parameter, _)| Node::Parameter(head(parameter))))
}

/// The two knowledge bases cut into parts whose verdicts do not depend on each other: the
/// parameters and features that the limitations of either tie together (by subject, condition
/// and row), with those limitations. Only the parts that differ are returned, so the cost
/// follows the size of the change, not of the knowledge base.
fn parts<'k>(old: &'k Kb, new: &'k Kb) -> Vec<(Kb, Kb)> {
    // A union-find over the nodes, numbered in the order they are met.
    let mut numbers: HashMap<Node<'k>, usize> = HashMap::default();
    let mut parent: Vec<usize> = Vec::new();
    let mut number = |node: Node<'k>, parent: &mut Vec<usize>| {
        *numbers.entry(node).or_insert_with(|| {
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    fn find_root(parent: &mut [usize], mut n: usize) -> usize {
        while parent[n] != n {
            parent[n] = parent[parent[n]];
            n = parent[n];
        }
        n
    }
    let kbs = [old, new];
    for kb in kbs {
        for p in &kb.meta.parameters {
            number(Node::Parameter(&p.id), &mut parent);
        }
        for f in &kb.meta.features {
            number(Node::Feature(&f.id), &mut parent);
        }
    }
    // Each limitation's first node, to find its part once the unions are done.
    let mut firsts: Vec<Vec<Option<usize>>> = vec![Vec::new(), Vec::new()];
    for (side, kb) in kbs.iter().enumerate() {
        for l in &kb.limitations {
            let mut first = None;
            for n in l.limitation.constraints.iter().flat_map(nodes) {
                let n = number(n, &mut parent);
                match first {
                    None => first = Some(n),
                    Some(f) => {
                        let (a, b) = (find_root(&mut parent, f), find_root(&mut parent, n));
                        parent[b] = a;
                    }
                }
            }
            firsts[side].push(first);
        }
    }
    // The parts, by root: each side's parameters, features and limitations.
    let mut by_root: BTreeMap<usize, [Part<'k>; 2]> = BTreeMap::new();
    let mut root = |n: usize| find_root(&mut parent, n);
    for (side, kb) in kbs.iter().enumerate() {
        for p in &kb.meta.parameters {
            let n = numbers[&Node::Parameter(&p.id)];
            by_root.entry(root(n)).or_default()[side].parameters.push(p);
        }
        for f in &kb.meta.features {
            let n = numbers[&Node::Feature(&f.id)];
            by_root.entry(root(n)).or_default()[side].features.push(f);
        }
        for (l, first) in kb.limitations.iter().zip(&firsts[side]) {
            if let Some(n) = first {
                by_root.entry(root(*n)).or_default()[side]
                    .limitations
                    .push(l);
            }
        }
    }
    by_root
        .into_values()
        .filter(|[o, n]| !o.same_verdicts(n))
        .map(|[o, n]| (o.kb(old), n.kb(new)))
        .collect()
}

/// A part of a knowledge base: see [`parts`].
#[derive(Default)]
struct Part<'k> {
    parameters: Vec<&'k Parameter>,
    features: Vec<&'k Feature>,
    limitations: Vec<&'k CategorizedLimitation>,
}

impl Part<'_> {
    /// Whether the two parts give every spec the same verdicts: the same parameters and
    /// features, and limitations with the same constraints and status, in the same order.
    fn same_verdicts(&self, other: &Part<'_>) -> bool {
        self.parameters == other.parameters
            && self.features == other.features
            && self.rules().eq(other.rules())
    }

    /// What decides its limitations' verdicts: their constraints, and whether each is active.
    fn rules(&self) -> impl Iterator<Item = (&Vec<Constraint>, bool)> {
        self.limitations
            .iter()
            .map(|l| (&l.limitation.constraints, l.limitation.status.is_active()))
    }

    /// The part as a knowledge base of its own, named as `whole`, for a [`Checker`].
    fn kb(&self, whole: &Kb) -> Kb {
        Kb {
            meta: KbFile {
                id: whole.meta.id.clone(),
                name: whole.meta.name.clone(),
                version: whole.meta.version.clone(),
                description: None,
                source: whole.meta.source.clone(),
                other_sources: Vec::new(),
                categories: Vec::new(),
                parameters: self.parameters.iter().copied().cloned().collect(),
                features: self.features.iter().copied().cloned().collect(),
                inputs: Vec::new(),
            },
            limitations: self.limitations.iter().copied().cloned().collect(),
        }
    }
}

/// The example spec of `kb`, with each place its examples leave broken set, one place at a
/// time, to the candidate value that leaves the fewest errors: varying one place of a spec that
/// another place breaks shows nothing (a maximum tried with the minimum below its floor).
fn valid_base(kb: &Kb, checker: &Checker<'_>, candidates: &BTreeMap<Place, Vec<Json>>) -> Json {
    let mut base = base(kb);
    let mut fewest = errors(checker, &base.to_string()).len();
    for (place, values) in candidates {
        if fewest == 0 {
            break;
        }
        for value in values {
            let mut spec = base.clone();
            set(kb, &mut spec, place, value.clone());
            let count = errors(checker, &spec.to_string()).len();
            if count < fewest {
                (base, fewest) = (spec, count);
            }
        }
    }
    base
}

/// The errors `checker` finds in the spec `text`.
fn errors(checker: &Checker<'_>, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    let mut diagnostics = checker
        .check_text("spec.json", text.to_string())
        .diagnostics;
    diagnostics.retain(|d| d.severity == crate::diagnostic::Severity::Error);
    diagnostics
}

/// Why `checker` refuses the spec `text`: `limitation:<id>` for each limitation it breaks,
/// `parameter:<id>` for any other error at a parameter; empty if it is valid.
fn refusals(checker: &Checker<'_>, text: &str) -> BTreeSet<String> {
    errors(checker, text)
        .iter()
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
