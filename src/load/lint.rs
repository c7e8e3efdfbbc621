//! Semantic checks of a knowledge base that a JSON Schema cannot express. One small function
//! per concern; all of them run, and every problem is reported. The lint sees the model, the
//! documents it came from (to locate problems) and the text of the source copy; it reads
//! nothing itself.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::fast_hash::{Map as HashMap, Set as HashSet};
use crate::files::ReadError;
use crate::ident;
use crate::model::constants::{self, Origin};
use crate::model::{
    Constraint, Kb, Number, Parameter, ParameterType, Scalar, UNAVAILABLE, Value, is_homogeneous,
};
use crate::text;
use crate::text::{find_all, normalize, unescape_markdown};
use crate::version::{self, Version};

/// What the lint looks at.
pub(crate) struct Input<'a> {
    /// The knowledge base.
    pub(crate) kb: &'a Kb,
    /// `kb.toml`, then the category files.
    pub(crate) documents: &'a [Document],
    /// Where each limitation of `kb` stands: the index of its document and its JSON pointer.
    pub(crate) origins: &'a [(usize, String)],
    /// The copies of the source documents that `kb.toml` names.
    pub(crate) source_copies: Vec<SourceCopy>,
}

/// The copy of a source document.
pub(crate) struct SourceCopy {
    /// The document's id; `None` for the main source.
    pub(crate) id: Option<String>,
    /// The JSON pointer of its `copy` in `kb.toml`.
    pub(crate) pointer: String,
    /// The copy's file, as the user reads its name.
    pub(crate) display: String,
    /// Its text, or why it could not be read.
    pub(crate) text: Result<String, ReadError>,
}

struct Ctx<'a> {
    input: &'a Input<'a>,
    out: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    fn kb(&self) -> &'a Kb {
        self.input.kb
    }

    /// A diagnostic at `pointer` inside limitation `index`.
    fn limitation_diagnostic(&self, index: usize, pointer: &str, message: String) -> Diagnostic {
        let (doc, base) = &self.input.origins[index];
        self.input.documents[*doc].diagnostic(&format!("{base}{pointer}"), message)
    }

    /// Reports a problem at `pointer` inside limitation `index`.
    fn at_limitation(&mut self, index: usize, pointer: &str, message: String) {
        let d = self.limitation_diagnostic(index, pointer, message);
        self.out.push(d);
    }

    /// Reports, at `pointer` inside limitation `index`, a reference to an undeclared
    /// parameter or feature (`what`) `id`, with the nearest of `known` as help.
    fn unknown_at(&mut self, index: usize, pointer: &str, what: &str, id: &str, known: &[String]) {
        let (message, help) = unknown_reference(what, id, known);
        let d = self.limitation_diagnostic(index, pointer, message);
        self.out.push(d.with_help(Some(help)));
    }

    fn at_kb(&mut self, pointer: &str, message: String) {
        let d = self.input.documents[0].diagnostic(pointer, message);
        self.out.push(d);
    }
}

/// Every semantic problem of a loaded knowledge base.
/// The checks are independent, so they run on every core (for a large knowledge base).
pub(crate) fn lint(input: &Input<'_>) -> Vec<Diagnostic> {
    let checks: [fn(&mut Ctx<'_>); 10] = [
        duplicate_kb_ids,
        category_files,
        duplicate_limitation_ids,
        lifecycle,
        parameters,
        constraints,
        facts,
        identifiers,
        quotes,
        inputs,
    ];
    let parallel = input.kb.limitations.len() >= crate::parallel::PARALLEL_FROM_LIMITATIONS;
    crate::parallel::map(&checks, parallel, |check| {
        let mut ctx = Ctx {
            input,
            out: Vec::new(),
        };
        check(&mut ctx);
        ctx.out
    })
    .concat()
}

/// A lifted limitation says when (`lifted_in`), and only a lifted one does; a limitation
/// replaces an id that no longer exists (a rename keeps one of the two).
fn lifecycle(ctx: &mut Ctx<'_>) {
    let kb = ctx.kb();
    for (li, entry) in kb.limitations.iter().enumerate() {
        let l = &entry.limitation;
        match (l.status.is_active(), &l.lifted_in) {
            (false, None) => {
                let d = ctx.limitation_diagnostic(
                    li,
                    "/status",
                    "a lifted limitation needs `lifted_in`: the revision of the source that lifted it"
                        .to_string(),
                );
                ctx.out.push(d);
            }
            (true, Some(_)) => {
                let d = ctx.limitation_diagnostic(
                    li,
                    "/lifted_in",
                    "`lifted_in` is for a lifted limitation: add `status = \"lifted\"`, or remove it"
                        .to_string(),
                );
                ctx.out.push(d);
            }
            _ => {}
        }
        if let Some(old) = &l.replaces
            && kb.limitations.iter().any(|e| &e.limitation.id == old)
        {
            let d = ctx.limitation_diagnostic(
                li,
                "/replaces",
                format!("`replaces` names `{old}`, which is still a limitation here: a rename keeps only the new id"),
            );
            ctx.out.push(d);
        }
    }
}

/// Each `[[input]]` mapping names parameters and features that exist, in the forms the readers
/// use, each field giving one parameter or feature from one place.
fn inputs(ctx: &mut Ctx<'_>) {
    let kb = ctx.kb();
    // What a field may give: a parameter, a range's bound, an object list's field.
    let mut subjects: Vec<String> = Vec::new();
    for p in &kb.meta.parameters {
        subjects.extend(p.subjects().map(|(subject, _)| subject));
        if let (Some(min), Some(max)) = (&p.min_key, &p.max_key) {
            subjects.push(format!("{}.{min}", p.id));
            subjects.push(format!("{}.{max}", p.id));
        }
    }
    let features: Vec<String> = kb.meta.features.iter().map(|f| f.id.clone()).collect();
    for (i, mapping) in kb.meta.inputs.iter().enumerate() {
        let base = format!("/input/{i}");
        let mut problems: Vec<(String, String, Option<String>)> = Vec::new();
        let reference =
            |problems: &mut Vec<_>, pointer: String, what: &str, id: &str, known: &[String]| {
                if !known.iter().any(|k| k == id) {
                    let (message, help) = unknown_reference(what, id, known);
                    problems.push((pointer, message, Some(help)));
                }
            };
        for (j, c) in mapping.applies_when.iter().enumerate() {
            if c.parameter != "features" {
                reference(
                    &mut problems,
                    format!("{base}/applies_when/{j}/parameter"),
                    "parameter",
                    &c.parameter,
                    &subjects,
                );
            }
        }
        for (j, u) in mapping.unstated.iter().enumerate() {
            reference(
                &mut problems,
                format!("{base}/unstated/{j}/parameter"),
                "parameter",
                &u.parameter,
                &subjects,
            );
        }
        for (j, f) in mapping.field.iter().enumerate() {
            let at = format!("{base}/field/{j}");
            match (&f.parameter, &f.feature) {
                (Some(p), None) => reference(&mut problems, format!("{at}/parameter"), "parameter", p, &subjects),
                (None, Some(feature)) => reference(&mut problems, format!("{at}/feature"), "feature", feature, &features),
                _ => problems.push((at.clone(), "a field gives one parameter or one feature: set `parameter` or `feature`, not both or neither".into(), None)),
            }
            if f.path.is_some() == f.value.is_some() {
                problems.push((
                    at.clone(),
                    "a field is read at a `path` or implied as a `value`: set one of them".into(),
                    None,
                ));
            }
            if f.resource.is_some() != (f.join.is_some() || f.cluster_join.is_some()) {
                problems.push((at.clone(), "a field on another `resource` needs a `join` (its property naming the cluster) or a `cluster_join` (the cluster's property naming it), and only such a field has one".into(), None));
            }
            if f.feature.is_none() && (f.on.is_some() || f.off.is_some()) {
                problems.push((
                    at.clone(),
                    "`on` and `off` say when a feature is on: this field gives a parameter".into(),
                    None,
                ));
            }
            if mapping.format == crate::model::InputFormat::RdsApi
                && let Some(resource) = &f.resource
                && !mapping.operations.contains_key(resource)
            {
                let known: Vec<String> = mapping.operations.keys().cloned().collect();
                let (message, help) = unknown_reference("operation", resource, &known);
                problems.push((format!("{at}/resource"), message, Some(help)));
            }
        }
        if mapping.format == crate::model::InputFormat::RdsApi
            && !mapping.operations.contains_key(&mapping.cluster)
        {
            problems.push((format!("{base}/cluster"), format!("the operation `{}` that creates a cluster is not among `operations`: add the members that mark its requests", mapping.cluster), None));
        }
        for (pointer, message, help) in problems {
            let d = ctx.input.documents[0].diagnostic(&pointer, message);
            ctx.out.push(d.with_help(help));
        }
    }
}

/// Categories, parameters and features are each declared once.
fn duplicate_kb_ids(ctx: &mut Ctx<'_>) {
    let meta = &ctx.kb().meta;
    for (index, document) in meta.other_sources.iter().enumerate() {
        if document.id.is_none() {
            ctx.at_kb(
                &format!("/other_source/{index}"),
                "another source needs an `id` for its quotes to name it".into(),
            );
        }
    }
    let lists: [(&str, Vec<&str>); 4] = [
        (
            "category",
            meta.categories.iter().map(|c| c.id.as_str()).collect(),
        ),
        (
            "parameter",
            meta.parameters.iter().map(|p| p.id.as_str()).collect(),
        ),
        (
            "feature",
            meta.features.iter().map(|f| f.id.as_str()).collect(),
        ),
        (
            "other_source",
            meta.other_sources
                .iter()
                .filter_map(|d| d.id.as_deref())
                .collect(),
        ),
    ];
    for (table, ids) in lists {
        let mut seen = HashMap::default();
        for (index, id) in ids.iter().enumerate() {
            if let Some(first) = seen.insert(*id, index) {
                ctx.at_kb(
                    &format!("/{table}/{index}/id"),
                    format!("{table} id `{id}` is already declared by {table}[{first}]; ids must be unique"),
                );
            }
        }
    }
}

/// Every category has its file, and every file belongs to a declared category.
fn category_files(ctx: &mut Ctx<'_>) {
    let declared: Vec<&str> = ctx
        .kb()
        .meta
        .categories
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let files: Vec<(&str, &str)> = ctx.input.documents[1..]
        .iter()
        .map(|doc| {
            let stem = doc.file.rsplit(['/', '\\']).next().unwrap_or(&doc.file);
            (stem.trim_end_matches(".toml"), doc.file.as_str())
        })
        .collect();
    // Sets, not list searches: a knowledge base may have thousands of categories.
    let declared_set: HashSet<&str> = declared.iter().copied().collect();
    let stems: HashSet<&str> = files.iter().map(|(stem, _)| *stem).collect();
    for (stem, file) in &files {
        if !declared_set.contains(stem) {
            let d = Diagnostic::file_level(
                *file,
                format!(
                    "`{stem}` is not a category of kb.toml; add a [[category]] with id = \"{stem}\" or rename the file"
                ),
            );
            ctx.out.push(d);
        }
    }
    for (index, id) in declared.iter().enumerate() {
        if !stems.contains(id) {
            ctx.at_kb(
                &format!("/category/{index}/id"),
                format!("category `{id}` has no file limitations/{id}.toml; create it or remove the category"),
            );
        }
    }
}

/// Limitation ids are unique across all files.
fn duplicate_limitation_ids(ctx: &mut Ctx<'_>) {
    let mut seen: HashMap<&str, usize> = HashMap::default();
    let mut problems = Vec::new();
    for (index, entry) in ctx.kb().limitations.iter().enumerate() {
        if let Some(first) = seen.insert(entry.limitation.id.as_str(), index) {
            let d = ctx.limitation_diagnostic(first, "/id", String::new());
            problems.push((
                index,
                format!(
                    "limitation id `{}` is already used at {}:{}; ids are unique across the knowledge base",
                    entry.limitation.id,
                    d.file,
                    d.line.unwrap_or(1)
                ),
            ));
        }
    }
    for (index, message) in problems {
        ctx.at_limitation(index, "/id", message);
    }
}

/// Each parameter's declaration fits its type.
fn parameters(ctx: &mut Ctx<'_>) {
    let parameters = ctx.kb().meta.parameters.clone();
    for (index, p) in parameters.iter().enumerate() {
        let at = |key: &str| format!("/parameter/{index}/{key}");
        let is_range = p.value_type == ParameterType::Range;
        match (is_range, &p.min_key, &p.max_key) {
            (true, Some(min), Some(max)) if min == max => {
                ctx.at_kb(
                    &at("max_key"),
                    format!("min_key and max_key are both `{min}`; they must differ"),
                );
            }
            (true, Some(_), Some(_)) | (false, None, None) => {}
            (true, _, _) => ctx.at_kb(
                &at("type"),
                "a range parameter needs both min_key and max_key".into(),
            ),
            (false, _, _) => ctx.at_kb(
                &at(if p.min_key.is_some() {
                    "min_key"
                } else {
                    "max_key"
                }),
                "min_key and max_key are only for parameters of type \"range\"".into(),
            ),
        }
        match (&p.fields, p.value_type == ParameterType::ObjectList) {
            (None, true) => ctx.at_kb(
                &at("type"),
                "an object-list parameter needs its fields ([[parameter.field]])".into(),
            ),
            (Some(_), false) => ctx.at_kb(
                &at("field"),
                "fields are only for parameters of type \"object-list\"".into(),
            ),
            (Some(fields), true) => {
                for (fi, field) in fields.iter().enumerate() {
                    if matches!(
                        field.value_type,
                        ParameterType::ObjectList | ParameterType::Range
                    ) {
                        ctx.at_kb(
                            &format!("/parameter/{index}/field/{fi}/type"),
                            format!(
                                "a field of an object list takes single values, not {}",
                                field.value_type
                            ),
                        );
                    }
                    if fields[..fi].iter().any(|f| f.id == field.id) {
                        ctx.at_kb(
                            &format!("/parameter/{index}/field/{fi}/id"),
                            format!("field `{}` is declared twice", field.id),
                        );
                    }
                }
            }
            (None, false) => {}
        }
        if let Some(names) = &p.names {
            if !matches!(
                p.value_type,
                ParameterType::String | ParameterType::StringList
            ) {
                ctx.at_kb(
                    &at("names"),
                    "names are only for string and string-list parameters".into(),
                );
            }
            for value in names.keys() {
                if p.values
                    .as_ref()
                    .is_some_and(|domain| !domain.contains(value))
                {
                    ctx.at_kb(
                        &format!(
                            "/parameter/{index}/names/{}",
                            crate::pointer::escape_key(value)
                        ),
                        format!("{value:?} is not among the values of `{}`", p.id),
                    );
                }
            }
        }
        if let Some(spellings) = &p.spellings {
            if p.value_type != ParameterType::Version {
                ctx.at_kb(
                    &at("spellings"),
                    "spellings are only for parameters of type \"version\"".into(),
                );
            }
            for (i, spelling) in spellings.iter().enumerate() {
                if spelling.matches(version::PLACEHOLDER).count() != 1 {
                    ctx.at_kb(
                        &format!("/parameter/{index}/spellings/{i}"),
                        format!(
                            "a spelling holds `{}` once, where the version stands",
                            version::PLACEHOLDER
                        ),
                    );
                }
            }
        }
        if p.bounds.is_some() && !is_range {
            ctx.at_kb(
                &at("bounds"),
                "bounds are only for parameters of type \"range\"".into(),
            );
        }
        if let Some(values) = &p.values {
            if !matches!(
                p.value_type,
                ParameterType::String | ParameterType::StringList
            ) {
                ctx.at_kb(
                    &at("values"),
                    "values (a domain) are only for string and string-list parameters".into(),
                );
            }
            check_list(values.iter().map(String::as_str), |message| {
                ctx.at_kb(&at("values"), message)
            });
        }
        if let Some(example) = &p.example
            && !example_fits(p, example)
        {
            ctx.at_kb(
                &at("example"),
                format!(
                    "the example does not fit a parameter of type {}",
                    p.value_type
                ),
            );
        }
    }
}

/// A list of allowed values is not empty and names each value once.
fn check_list<'a>(items: impl Iterator<Item = &'a str>, mut report: impl FnMut(String)) {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        report("the list of values is empty; list at least one".into());
    }
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            report(format!("`{item}` is listed twice"));
        }
    }
}

fn example_fits(p: &Parameter, example: &Value) -> bool {
    match (p.value_type, example) {
        (ParameterType::Range, Value::List(items)) => {
            items.len() == 2
                && items.iter().all(|i| match i {
                    Scalar::Number(Number::Integer(_)) => true,
                    Scalar::Number(Number::Float(_)) => p.is_fractional(),
                    _ => false,
                })
        }
        (ParameterType::StringList, Value::List(items)) => {
            items.iter().all(|i| scalar_fits(ParameterType::String, i))
        }
        (t, Value::Scalar(s)) => scalar_fits(t, s),
        _ => false,
    }
}

fn scalar_fits(t: ParameterType, value: &Scalar) -> bool {
    matches!(
        (t, value),
        (ParameterType::Integer, Scalar::Number(Number::Integer(_)))
            | (ParameterType::Number, Scalar::Number(_))
            | (
                ParameterType::String | ParameterType::StringList | ParameterType::Version,
                Scalar::String(_)
            )
            | (ParameterType::Boolean, Scalar::Boolean(_))
    )
}

/// Each constraint names a known parameter or feature, fits its type, and is satisfiable.
fn constraints(ctx: &mut Ctx<'_>) {
    let kb = ctx.input.kb;
    let meta = &kb.meta;
    // The known ids, for the message about an unknown one (rare: only then).
    let features = || {
        meta.features
            .iter()
            .map(|f| f.id.clone())
            .collect::<Vec<_>>()
    };
    let parameters = || {
        meta.parameters
            .iter()
            .flat_map(Parameter::subjects)
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    let index = kb.index();
    for (li, entry) in kb.limitations.iter().enumerate() {
        for (ci, constraint) in entry.limitation.constraints.iter().enumerate() {
            for (key, value) in constraint.when().into_iter().flatten() {
                let at = format!("/constraint/{ci}/when/{}", crate::pointer::escape_key(key));
                match index.parameter(key) {
                    None => ctx.unknown_at(li, &at, "parameter", key, &parameters()),
                    Some(p) => {
                        let items: Vec<&Scalar> = match value {
                            Value::Scalar(s) => vec![s],
                            Value::List(items) => items.iter().collect(),
                        };
                        let item_type = match p.value_type {
                            ParameterType::StringList => ParameterType::String,
                            t => t,
                        };
                        for item in items {
                            if let Some((_, message)) = value_problem(p, item_type, item, "") {
                                ctx.at_limitation(li, &at, message);
                            }
                        }
                    }
                }
            }
            if let Constraint::VersionTable {
                row, rows, when, ..
            } = constraint
            {
                let at = format!("/constraint/{ci}/row");
                match index.parameter(row) {
                    None => ctx.unknown_at(li, &at, "parameter", row, &parameters()),
                    Some(p) => {
                        for (r, key) in rows.iter().filter_map(|cells| cells.first()).enumerate() {
                            let key = Scalar::String(key.clone());
                            if let Some((_, message)) = value_problem(p, p.value_type, &key, "") {
                                let at = format!("/constraint/{ci}/rows/{r}/0");
                                ctx.at_limitation(li, &at, message);
                            }
                        }
                    }
                }
                if when.as_ref().is_some_and(|when| when.contains_key(row)) {
                    let message = format!("the condition names `{row}`, which picks the row");
                    ctx.at_limitation(li, &format!("/constraint/{ci}/when"), message);
                }
            }
            if let Constraint::Unsupported { feature, .. } = constraint {
                if index.feature(feature).is_none() {
                    let at = format!("/constraint/{ci}/feature");
                    ctx.unknown_at(li, &at, "feature", feature, &features());
                }
                continue;
            }
            let Some(parameter) = index.parameter(constraint.subject()) else {
                let at = format!("/constraint/{ci}/parameter");
                ctx.unknown_at(li, &at, "parameter", constraint.subject(), &parameters());
                continue;
            };
            for (pointer, message) in constraint_problems(parameter, constraint) {
                ctx.at_limitation(li, &format!("/constraint/{ci}{pointer}"), message);
            }
        }
    }
}

/// The message and help for a reference to an undeclared parameter or feature.
fn unknown_reference(what: &str, id: &str, known: &[String]) -> (String, String) {
    let help = match text::closest(id, known) {
        Some(near) => format!("did you mean `{near}`? ({what}s are declared in kb.toml)"),
        None => format!("declare it in kb.toml or use one of: {}", known.join(", ")),
    };
    (format!("unknown {what} `{id}`"), help)
}

/// What is wrong with one constraint on `parameter`, as (pointer inside the constraint, message).
fn constraint_problems(parameter: &Parameter, constraint: &Constraint) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let t = parameter.value_type;
    let item_type = if t == ParameterType::StringList {
        ParameterType::String
    } else {
        t
    };
    if t == ParameterType::ObjectList {
        let field = parameter
            .fields
            .iter()
            .flatten()
            .next()
            .map_or("field", |f| &f.id);
        out.push((
            "/parameter".into(),
            format!(
                "an object list is constrained field by field: name one, such as `{}.{field}`",
                parameter.id
            ),
        ));
        return out;
    }
    match constraint {
        Constraint::Range { min, max, .. } => {
            out.extend(numeric_only(parameter, "a range"));
            if min.is_none() && max.is_none() {
                out.push(("".into(), "a range needs min, max or both".into()));
            }
            for (key, bound) in [("min", min), ("max", max)] {
                if let Some(Number::Float(_)) = bound
                    && !parameter.is_fractional()
                {
                    out.push((
                        format!("/{key}"),
                        format!("`{}` takes integers; write a whole number", parameter.id),
                    ));
                }
            }
            if let (Some(min), Some(max)) = (min, max)
                && min.as_f64() > max.as_f64()
            {
                out.push((
                    "/min".into(),
                    format!(
                        "min ({}) is greater than max ({}); no value could satisfy this range",
                        text::number_text(*min),
                        text::number_text(*max)
                    ),
                ));
            }
        }
        Constraint::OneOf { values, .. } => {
            if t == ParameterType::Range {
                out.push((
                    "/kind".into(),
                    "one-of does not apply to a range parameter; use kind = \"range\"".into(),
                ));
            }
            let texts: Vec<String> = values.iter().map(text::scalar_text).collect();
            check_list(texts.iter().map(String::as_str), |m| {
                out.push(("/values".into(), m))
            });
            for (i, value) in values.iter().enumerate() {
                out.extend(value_problem(
                    parameter,
                    item_type,
                    value,
                    &format!("/values/{i}"),
                ));
            }
        }
        Constraint::Equals { value, .. } => {
            if matches!(t, ParameterType::Range | ParameterType::StringList) {
                out.push((
                    "/kind".into(),
                    format!("equals does not apply to a {t} parameter"),
                ));
            } else {
                out.extend(value_problem(parameter, t, value, "/value"));
            }
        }
        Constraint::MultipleOf { step, .. } => {
            out.extend(numeric_only(parameter, "multiple-of"));
            if step.as_f64() <= 0.0 {
                out.push(("/step".into(), "the step must be above zero".into()));
            } else if matches!(step, Number::Float(_)) && !parameter.is_fractional() {
                out.push((
                    "/step".into(),
                    format!("`{}` takes integers; write a whole number", parameter.id),
                ));
            }
        }
        Constraint::Version { family, min, .. } => {
            if t != ParameterType::Version {
                out.push((
                    "/kind".into(),
                    format!(
                        "a version constraint needs a parameter of type \"version\"; `{}` is {t}",
                        parameter.id
                    ),
                ));
            }
            let mut parse = |key: &str, text: &Option<String>| {
                let text = text.as_deref()?;
                let parsed = Version::parse(text);
                if parsed.is_none() {
                    out.push((
                        format!("/{key}"),
                        format!("`{text}` is not a version: write dotted numbers, such as 3.02.0"),
                    ));
                }
                parsed
            };
            let (parsed_family, parsed_min) = (parse("family", family), parse("min", min));
            if family.is_none() && min.is_none() {
                out.push((
                    "".into(),
                    "a version constraint needs family, min or both".into(),
                ));
            }
            if let (Some(family_version), Some(min_version)) = (parsed_family, parsed_min)
                && !min_version.is_in(&family_version)
            {
                out.push((
                    "/min".into(),
                    format!(
                        "min ({}) is not in the family {}; no version could satisfy both",
                        min.as_deref().unwrap_or_default(),
                        family.as_deref().unwrap_or_default()
                    ),
                ));
            }
        }
        Constraint::VersionTable { columns, rows, .. } => {
            if t != ParameterType::Version {
                out.push((
                    "/kind".into(),
                    format!(
                        "a version table needs a parameter of type \"version\"; `{}` is {t}",
                        parameter.id
                    ),
                ));
            }
            let families: Vec<Option<Version>> =
                columns.iter().map(|c| Version::parse(c)).collect();
            for (i, (column, family)) in columns.iter().zip(&families).enumerate() {
                if family.is_none() {
                    out.push((
                        format!("/columns/{i}"),
                        format!(
                            "`{column}` is not a version family: write dotted numbers, such as 14"
                        ),
                    ));
                }
            }
            for (r, cells) in rows.iter().enumerate() {
                if cells.len() != columns.len() + 1 {
                    out.push((
                        format!("/rows/{r}"),
                        format!(
                            "a row holds the row's value and a cell per column: {} cells, not {}",
                            columns.len() + 1,
                            cells.len()
                        ),
                    ));
                    continue;
                }
                if rows[..r].iter().any(|other| other.first() == cells.first()) {
                    out.push((
                        format!("/rows/{r}/0"),
                        format!("`{}` has a row already", cells[0]),
                    ));
                }
                for (c, (cell, family)) in cells[1..].iter().zip(&families).enumerate() {
                    if cell == UNAVAILABLE {
                        continue;
                    }
                    let at = format!("/rows/{r}/{}", c + 1);
                    match (Version::parse(cell), family) {
                        (None, _) => out.push((
                            at,
                            format!(
                                "`{cell}` is neither a version nor `{UNAVAILABLE}` (not available)"
                            ),
                        )),
                        (Some(version), Some(family)) if !version.is_in(family) => out.push((
                            at,
                            format!("`{cell}` is not in its column's family {}", columns[c]),
                        )),
                        _ => {}
                    }
                }
            }
        }
        Constraint::Required {
            parameter: subject, ..
        } => {
            if subject.contains('.') {
                out.push((
                    "/parameter".into(),
                    "required applies to a parameter, not to a field of an object list".into(),
                ));
            }
        }
        Constraint::Unsupported { .. } => {}
    }
    out
}

/// The problem of a constraint `kind` (in words) that needs a number on a parameter that
/// holds none.
fn numeric_only(parameter: &Parameter, kind: &str) -> Option<(String, String)> {
    let t = parameter.value_type;
    let numeric = matches!(
        t,
        ParameterType::Integer | ParameterType::Number | ParameterType::Range
    );
    (!numeric).then(|| {
        (
            "/kind".into(),
            format!(
                "{kind} needs a numeric or range parameter; `{}` is {t}",
                parameter.id
            ),
        )
    })
}

/// A value that does not fit the parameter's type or domain.
fn value_problem(
    parameter: &Parameter,
    t: ParameterType,
    value: &Scalar,
    pointer: &str,
) -> Option<(String, String)> {
    if !scalar_fits(t, value) {
        return Some((
            pointer.into(),
            format!(
                "`{}` takes {t} values, not {}",
                parameter.id,
                text::scalar_text(value)
            ),
        ));
    }
    if let (Some(domain), Scalar::String(s)) = (&parameter.values, value)
        && !domain.contains(s)
    {
        return Some((
            pointer.into(),
            format!(
                "{s:?} is not among the values of `{}`: {}",
                parameter.id,
                domain.join(", ")
            ),
        ));
    }
    None
}

/// Fact lists have one item type.
fn facts(ctx: &mut Ctx<'_>) {
    let mut problems = Vec::new();
    for (li, entry) in ctx.kb().limitations.iter().enumerate() {
        for (fi, fact) in entry.limitation.facts.iter().enumerate() {
            if let Value::List(items) = &fact.value
                && !is_homogeneous(items)
            {
                problems.push((li, format!("/fact/{fi}/value"), "the list mixes types; a list holds one type (write 2.0, not 2, in a list of floats)".to_string()));
            }
        }
    }
    for (li, pointer, message) in problems {
        ctx.at_limitation(li, &pointer, message);
    }
}

/// Identifiers derived from ids are distinct and reserved by no target language.
fn identifiers(ctx: &mut Ctx<'_>) {
    // Constants: from facts, constraints and metadata.
    let constants = constants::constants(ctx.kb());
    let mut seen: HashMap<String, usize> = HashMap::default();
    for (index, constant) in constants.iter().enumerate() {
        let name = ident::screaming_snake_case(&constant.name);
        if ident::is_generated_name(&name) {
            let message = format!(
                "this defines the constant {name}, a name the generated modules use for their own tables"
            );
            let help = "rename the fact or parameter".to_string();
            report_origin(ctx, &constant.origin, message, help);
            continue;
        }
        if let Some(first) = seen.insert(name.clone(), index) {
            let first = &constants[first].origin;
            let (message, help) = match same_kind_on_one_parameter(
                ctx.kb(),
                first,
                &constant.origin,
            ) {
                // The name comes from the parameter and the kind: no renaming can resolve it.
                Some((kind, parameter)) => (
                    format!(
                        "`{parameter}` has a `{kind}` constraint in {} already",
                        describe_origin(ctx, first)
                    ),
                    format!(
                        "merge the two into one `{kind}` constraint, or remove one: a parameter takes one constraint of each kind"
                    ),
                ),
                None => (
                    format!(
                        "this defines the constant {name}, which {} defines already",
                        describe_origin(ctx, first)
                    ),
                    "rename the fact or parameter".to_string(),
                ),
            };
            report_origin(ctx, &constant.origin, message, help);
        }
    }
    // Enum variants of limitation ids and feature ids.
    let mut variants: HashMap<String, String> = HashMap::default();
    let limitation_ids: Vec<(usize, String)> = ctx
        .kb()
        .limitations
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.limitation.id.clone()))
        .collect();
    for (index, id) in limitation_ids {
        if let Some(message) = identifier_problem(&mut variants, &id, "limitation") {
            ctx.at_limitation(index, "/id", message);
        }
    }
    let mut variants: HashMap<String, String> = HashMap::default();
    let feature_ids: Vec<String> = ctx
        .kb()
        .meta
        .features
        .iter()
        .map(|f| f.id.clone())
        .collect();
    for (index, id) in feature_ids.iter().enumerate() {
        if let Some(message) = identifier_problem(&mut variants, id, "feature") {
            ctx.at_kb(&format!("/feature/{index}/id"), message);
        }
    }
}

/// A collision of `id`'s identifiers with an earlier id's, or a reserved identifier.
fn identifier_problem(seen: &mut HashMap<String, String>, id: &str, what: &str) -> Option<String> {
    let forms = [
        ident::pascal_case(id),
        ident::camel_case(id),
        ident::snake_case(id),
        ident::screaming_snake_case(id),
    ];
    if let Some(reserved) = forms.iter().find(|f| ident::is_reserved(f)) {
        return Some(format!(
            "{what} id `{id}` becomes the identifier `{reserved}`, a reserved word in a generated language; choose another id"
        ));
    }
    if ident::is_enum_item_name(&forms[0]) {
        return Some(format!(
            "{what} id `{id}` becomes the enum variant `{}`, a name the generated code uses itself; choose another id",
            forms[0]
        ));
    }
    let pascal = forms[0].clone();
    match seen.get(&pascal) {
        Some(other) if other != id => Some(format!(
            "{what} ids `{other}` and `{id}` both become the identifier `{pascal}`; rename one of them"
        )),
        _ => {
            seen.insert(pascal, id.to_string());
            None
        }
    }
}

fn describe_origin(ctx: &Ctx<'_>, origin: &Origin) -> String {
    match origin {
        Origin::Kb { pointer } => format!("kb.toml ({})", crate::diagnostic::display_path(pointer)),
        Origin::Constraint { limitation, .. } | Origin::Fact { limitation, .. } => {
            format!(
                "limitation `{}`",
                ctx.kb().limitations[*limitation].limitation.id
            )
        }
    }
}

/// The kind and the parameter of two constraints of one kind on one parameter, if `first`
/// and `second` are such.
fn same_kind_on_one_parameter<'a>(
    kb: &'a Kb,
    first: &Origin,
    second: &Origin,
) -> Option<(&'static str, &'a str)> {
    let constraint = |origin: &Origin| match origin {
        Origin::Constraint { limitation, index } => {
            Some(&kb.limitations[*limitation].limitation.constraints[*index])
        }
        _ => None,
    };
    let (first, second) = (constraint(first)?, constraint(second)?);
    (first.subject() == second.subject() && first.kind() == second.kind())
        .then(|| (first.kind(), first.subject()))
}

fn report_origin(ctx: &mut Ctx<'_>, origin: &Origin, message: String, help: String) {
    let d = match origin {
        Origin::Kb { pointer } => ctx.input.documents[0].diagnostic(pointer, message),
        Origin::Constraint { limitation, index } => {
            ctx.limitation_diagnostic(*limitation, &format!("/constraint/{index}"), message)
        }
        Origin::Fact { limitation, index } => {
            ctx.limitation_diagnostic(*limitation, &format!("/fact/{index}/id"), message)
        }
    };
    ctx.out.push(d.with_help(Some(help)));
}

/// Every quote, context and value name names a known source document, and appears in its
/// copy where there is one.
fn quotes(ctx: &mut Ctx<'_>) {
    let kb = ctx.kb();
    let known: Vec<String> = kb
        .meta
        .other_sources
        .iter()
        .filter_map(|d| d.id.clone())
        .collect();
    // Where each passage stands: in a limitation (its index, the key) or in kb.toml.
    enum At {
        Limitation(usize, String),
        Kb(String),
    }
    let mut passages: Vec<(Option<&str>, At, &str, &str)> = Vec::new();
    for (li, entry) in kb.limitations.iter().enumerate() {
        let quote = &entry.limitation.source;
        let document = quote.document.as_deref();
        if document.is_some() && kb.meta.document(document).is_none() {
            let message = format!("unknown source document `{}`", document.unwrap_or_default());
            let help = format!(
                "the documents are the main source and: {}",
                known.join(", ")
            );
            let d = ctx.limitation_diagnostic(li, "/source/document", message);
            ctx.out.push(d.with_help(Some(help)));
            continue;
        }
        passages.push((
            document,
            At::Limitation(li, "/source/quote".into()),
            "quote",
            &quote.quote,
        ));
        if let Some(context) = &quote.context {
            passages.push((
                document,
                At::Limitation(li, "/source/context".into()),
                "context",
                context,
            ));
        }
    }
    for (pi, parameter) in kb.meta.parameters.iter().enumerate() {
        let document = parameter.names_source.as_deref();
        if document.is_some() && kb.meta.document(document).is_none() {
            let message = format!("unknown source document `{}`", document.unwrap_or_default());
            ctx.at_kb(&format!("/parameter/{pi}/names_source"), message);
            continue;
        }
        for (value, name) in parameter.names.iter().flatten() {
            let at = format!(
                "/parameter/{pi}/names/{}",
                crate::pointer::escape_key(value)
            );
            passages.push((document, At::Kb(at), "name", name));
        }
    }
    for copy in &ctx.input.source_copies {
        let text = match &copy.text {
            Ok(text) => normalize(&unescape_markdown(text)),
            Err(e) => {
                let message = format!("cannot read the source copy {}: {e}", copy.display);
                ctx.at_kb(&copy.pointer, message);
                continue;
            }
        };
        let file = kb
            .meta
            .document(copy.id.as_deref())
            .and_then(|d| d.copy.clone())
            .unwrap_or_default();
        // Every passage of this document, each distinct one searched once, all in one pass
        // over the copy: a `contains` per passage would take time quadratic in the size of
        // the knowledge base.
        let mine: Vec<&(Option<&str>, At, &str, &str)> = passages
            .iter()
            .filter(|(document, ..)| *document == copy.id.as_deref())
            .collect();
        let mut distinct: HashMap<String, usize> = HashMap::default();
        let numbers: Vec<usize> = mine
            .iter()
            .map(|(_, _, _, passage)| {
                let next = distinct.len();
                *distinct.entry(normalize(passage)).or_insert(next)
            })
            .collect();
        let mut needles = vec![""; distinct.len()];
        for (passage, &n) in &distinct {
            needles[n] = passage;
        }
        let found = find_all(&text, &needles);
        for ((_, at, what, _), n) in mine.iter().zip(numbers) {
            if !found[n].is_empty() {
                continue;
            }
            let message =
                format!("this {what} is not in the source copy {file}; quote the document exactly");
            match at {
                At::Limitation(li, pointer) => ctx.at_limitation(*li, pointer, message),
                At::Kb(pointer) => ctx.at_kb(pointer, message),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_collisions_and_reserved_words() {
        let mut seen = HashMap::default();
        assert_eq!(identifier_problem(&mut seen, "a-b1", "limitation"), None);
        assert!(
            identifier_problem(&mut seen, "a-b-1", "limitation")
                .unwrap()
                .contains("`AB1`")
        );
        assert!(
            identifier_problem(&mut seen, "self", "limitation")
                .unwrap()
                .contains("reserved")
        );
        assert!(
            identifier_problem(&mut seen, "type", "feature")
                .unwrap()
                .contains("reserved")
        );
        assert!(
            identifier_problem(&mut seen, "a-l-l", "limitation")
                .unwrap()
                .contains("`ALL`")
        );
    }
}
