//! Terraform configurations (the `.tf` files of a directory, with its `.tfvars`) and plans
//! (`terraform show -json`), turned into the shape the resource reader
//! ([`super::cloudformation`]) reads: a `Resources` object keyed by resource address
//! (`aws_rds_cluster.db`, `aws_rds_cluster_instance.reader[1]`), each with its `Type` and its
//! values as `Properties`, every value at the place it is written (`origins`).
//!
//! A configuration's values are resolved as far as they can be without Terraform: literals,
//! `var.x` (from the last `.tfvars` that sets it, else its `default`), `local.x`, `count.index`,
//! `each.key` and `each.value`; `count` and `for_each` make one resource per instance. A
//! reference to a resource names it (for joins); anything else (a module's output, a data
//! source, a function call) is a value known only to Terraform, with why.
//!
//! The provider configuration a resource uses is a resource too (`provider.aws`,
//! `provider.aws.west`), named by the resource's `provider` property, so a mapping reads the
//! Region from it as from any joined resource.

use crate::document::hcl::{EXPR, REF, REFS};
use serde_json::{Map, Value as Json};

/// The key of a value known only to Terraform, whose value says why; [`MENTIONS`] beside it
/// lists the resources it refers to, as `Ref`s.
pub(crate) const UNKNOWN: &str = "limitkb:unknown";
/// The resources a [`UNKNOWN`] value refers to.
pub(crate) const MENTIONS: &str = "limitkb:mentions";

/// How deep locals may refer to locals: deeper is a cycle.
const MAX_INDIRECTION: usize = 32;

/// The most instances `count` or `for_each` makes of one resource.
const MAX_INSTANCES: usize = 256;

/// A configuration or plan in the shape the resource reader reads.
#[derive(Debug, Default)]
pub(crate) struct Resources {
    /// `{"Resources": {address: {"Type": type, "Properties": {...}}}}`.
    pub(crate) template: Json,
    /// `(pointer in template, pointer in the document)` for every value and resource.
    pub(crate) origins: Vec<(String, String)>,
    /// What could not be known about a resource as a whole (its `count`): where, the
    /// resource and attribute (`aws_rds_cluster_instance.reader.count`), and why.
    pub(crate) notes: Vec<(String, String, String)>,
}

impl Resources {
    fn new() -> Resources {
        let mut template = Map::new();
        template.insert("Resources".into(), Json::Object(Map::new()));
        Resources {
            template: Json::Object(template),
            ..Resources::default()
        }
    }

    /// Adds resource `address` of `kind` standing at `at`, with `properties`.
    fn add(&mut self, address: &str, kind: &str, at: &str, properties: Json) {
        let pointer = format!("/Resources/{}", crate::pointer::escape_key(address));
        self.origins.push((pointer, at.to_string()));
        let mut resource = Map::new();
        resource.insert("Type".into(), Json::String(kind.to_string()));
        resource.insert("Properties".into(), properties);
        if let Some(Json::Object(all)) = self.template.get_mut("Resources") {
            all.insert(address.to_string(), Json::Object(resource));
        }
    }
}

/// A value known only to Terraform, saying `why`, and naming the resources `refs` refers to.
fn unknown(why: String, mentions: Vec<String>) -> Json {
    let mut map = Map::new();
    map.insert(UNKNOWN.into(), Json::String(why));
    map.insert(
        MENTIONS.into(),
        Json::Array(
            mentions
                .into_iter()
                .map(|target| serde_json::json!({ "Ref": target }))
                .collect(),
        ),
    );
    Json::Object(map)
}

/// A reference's segments as Terraform writes them: `var.x`, `a.b[0]`, `each.value["k"]`.
fn reference_text(segments: &[Json]) -> String {
    let mut out = String::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Json::String(s) if i == 0 => out.push_str(s),
            Json::String(s)
                if s.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                out.push('.');
                out.push_str(s);
            }
            Json::String(s) => out.push_str(&format!("[{s:?}]")),
            other => out.push_str(&format!("[{other}]")),
        }
    }
    out
}

/// The address of instance `key` of resource `kind.name` (`count`: a number; `for_each`: a
/// string).
fn instance_address(kind: &str, name: &str, key: Option<&Json>) -> String {
    match key {
        None => format!("{kind}.{name}"),
        Some(Json::Number(n)) => format!("{kind}.{name}[{n}]"),
        Some(Json::String(s)) => format!("{kind}.{name}[{s:?}]"),
        Some(other) => format!("{kind}.{name}[{other}]"),
    }
}

/// A configuration: the parsed files of one directory (a member per file, as
/// [`crate::document::Document::parse_files`] gives them), of which `tfvars` are the variable
/// files in the order Terraform reads them (a later one wins).
pub(crate) fn configuration(files: &Json, tfvars: &[String]) -> Resources {
    let empty = Map::new();
    let files = files.as_object().unwrap_or(&empty);
    let mut module = Module::default();
    for (file, body) in files {
        let base = format!("/{}", crate::pointer::escape_key(file));
        if tfvars.contains(file) {
            continue;
        }
        module.collect(body, &base);
    }
    for file in tfvars {
        if let Some(Json::Object(values)) = files.get(file) {
            let base = format!("/{}", crate::pointer::escape_key(file));
            for (name, value) in values {
                let at = format!("{base}/{}", crate::pointer::escape_key(name));
                module.values.insert(
                    name.clone(),
                    Json::Array(vec![value.clone(), Json::String(at)]),
                );
            }
        }
    }
    module.resources()
}

/// The declarations of a configuration, from all its files.
#[derive(Default)]
struct Module<'v> {
    /// `(type, name, body, pointer)` of each resource.
    resources: Vec<(&'v str, &'v str, &'v Json, String)>,
    /// Each variable's value (from a `.tfvars`, else its `default`) and where it is written:
    /// `[value, pointer]`.
    values: Map<String, Json>,
    /// Each declared variable, and where.
    variables: Vec<(String, String)>,
    /// Each local's expression and where.
    locals: Map<String, Json>,
    /// Each `aws` provider configuration: `(alias, body, pointer)`.
    providers: Vec<(Option<String>, Json, String)>,
}

impl<'v> Module<'v> {
    fn collect(&mut self, body: &'v Json, base: &str) {
        let key = crate::pointer::escape_key;
        if let Some(Json::Object(types)) = body.get("resource") {
            for (kind, named) in types {
                for (name, resource) in named.as_object().into_iter().flatten() {
                    let at = format!("{base}/resource/{}/{}", key(kind), key(name));
                    self.resources
                        .push((kind.as_str(), name.as_str(), resource, at));
                }
            }
        }
        if let Some(Json::Object(variables)) = body.get("variable") {
            for (name, variable) in variables {
                let at = format!("{base}/variable/{}", key(name));
                self.variables.push((name.clone(), at.clone()));
                if let Some(default) = variable.get("default") {
                    self.values.entry(name.clone()).or_insert_with(|| {
                        Json::Array(vec![default.clone(), Json::String(format!("{at}/default"))])
                    });
                }
            }
        }
        if let Some(Json::Array(blocks)) = body.get("locals") {
            for (i, block) in blocks.iter().enumerate() {
                for (name, value) in block.as_object().into_iter().flatten() {
                    let at = format!("{base}/locals/{i}/{}", key(name));
                    self.locals.insert(
                        name.clone(),
                        Json::Array(vec![value.clone(), Json::String(at)]),
                    );
                }
            }
        }
        if let Some(Json::Array(blocks)) = body.get("provider").and_then(|p| p.get("aws")) {
            for (i, block) in blocks.iter().enumerate() {
                let alias = block
                    .get("alias")
                    .and_then(Json::as_str)
                    .map(str::to_string);
                self.providers
                    .push((alias, block.clone(), format!("{base}/provider/aws/{i}")));
            }
        }
    }

    /// The resources of every instance, and the provider configurations.
    fn resources(mut self) -> Resources {
        let values = std::mem::take(&mut self.values);
        let context = Context {
            module: &self,
            values: &values,
            count: None,
            each: None,
            iterators: Vec::new(),
        };
        let mut out = Resources::new();
        for (alias, body, at) in &self.providers {
            let address = match alias {
                Some(alias) => format!("provider.aws.{alias}"),
                None => "provider.aws".to_string(),
            };
            let properties = context.convert(
                body,
                at,
                &mut out,
                &format!(
                    "/Resources/{}/Properties",
                    crate::pointer::escape_key(&address)
                ),
            );
            out.add(&address, "provider.aws", at, properties);
        }
        let instances: Vec<Vec<Instance>> = self
            .resources
            .iter()
            .map(|(kind, name, body, at)| context.instances(kind, name, body, at, &mut out.notes))
            .collect();
        for ((kind, _, body, at), list) in self.resources.iter().zip(&instances) {
            for Instance {
                address,
                index,
                each,
            } in list
            {
                let context = Context {
                    count: index.clone(),
                    each: each.clone(),
                    ..context.clone()
                };
                let pointer = format!(
                    "/Resources/{}/Properties",
                    crate::pointer::escape_key(address)
                );
                let mut properties = context.convert(body, at, &mut out, &pointer);
                if let Json::Object(map) = &mut properties {
                    for meta in ["count", "for_each", "depends_on", "lifecycle"] {
                        map.remove(meta);
                    }
                    let provider = match body.get("provider").and_then(|p| p.get(REF)) {
                        Some(Json::Array(segments)) if segments.len() == 2 => {
                            format!("provider.{}", reference_text(segments))
                        }
                        _ => "provider.aws".to_string(),
                    };
                    map.insert("provider".into(), serde_json::json!({ "Ref": provider }));
                }
                out.add(address, kind, at, properties);
            }
        }
        out
    }
}

/// An item of a `for_each`: its key and value, and where the value is written.
#[derive(Clone)]
struct Item {
    key: Json,
    value: Json,
    origin: String,
}

impl Item {
    /// `key` or `value` of the item: the value where it is written, the key where it is used.
    fn known(&self, which: &str, used_at: &str) -> Value {
        match which {
            "key" => Value::Known(self.key.clone(), used_at.to_string()),
            _ => Value::Known(self.value.clone(), self.origin.clone()),
        }
    }
}

/// The items of a `for_each` resolved to `value` at `origin`: a map's entries, a list's (or
/// set's) elements keyed by themselves (`each`) or by index (a dynamic block); `None` for
/// anything else.
fn items(value: Json, origin: &str, keyed_by_index: bool) -> Option<Vec<Item>> {
    let at = |key: &str| format!("{origin}/{}", crate::pointer::escape_key(key));
    match value {
        Json::Object(map) => Some(
            map.into_iter()
                .take(MAX_INSTANCES)
                .map(|(k, v)| Item {
                    origin: at(&k),
                    key: Json::String(k),
                    value: v,
                })
                .collect(),
        ),
        Json::Array(list) => Some(
            list.into_iter()
                .take(MAX_INSTANCES)
                .enumerate()
                .map(|(i, v)| Item {
                    origin: at(&i.to_string()),
                    key: if keyed_by_index {
                        Json::from(i)
                    } else {
                        v.clone()
                    },
                    value: v,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// One instance of a resource: its address, and what `count.index` or `each` are in it.
struct Instance {
    address: String,
    index: Option<Json>,
    each: Option<Item>,
}

impl Instance {
    fn with_each(self, item: Item) -> Instance {
        Instance {
            each: Some(item),
            ..self
        }
    }

    fn new(kind: &str, name: &str, key: Option<&Json>) -> Instance {
        Instance {
            address: instance_address(kind, name, key),
            index: None,
            each: None,
        }
    }
}

/// What names resolve to where a value is read.
#[derive(Clone)]
struct Context<'m> {
    module: &'m Module<'m>,
    /// Each variable's `[value, pointer]`.
    values: &'m Map<String, Json>,
    count: Option<Json>,
    each: Option<Item>,
    /// The iterators of the `dynamic` blocks being read: the name, and its item, or why it is
    /// not known.
    iterators: Vec<(String, Result<Item, String>)>,
}

/// A value resolved: the JSON, and where it is written (for a literal).
enum Value {
    Known(Json, String),
    Unknown(String, Vec<String>),
}

impl Context<'_> {
    /// The instances of a resource.
    fn instances(
        &self,
        kind: &str,
        name: &str,
        body: &Json,
        at: &str,
        notes: &mut Vec<(String, String, String)>,
    ) -> Vec<Instance> {
        if let Some(count) = body.get("count") {
            let count_at = format!("{at}/count");
            return match self.resolve(count, &count_at, 0) {
                Value::Known(Json::Number(n), _) if n.as_u64().is_some() => {
                    let n = n.as_u64().unwrap_or(0).min(MAX_INSTANCES as u64);
                    (0..n)
                        .map(|i| {
                            let key = Json::from(i);
                            Instance {
                                index: Some(key.clone()),
                                ..Instance::new(kind, name, Some(&key))
                            }
                        })
                        .collect()
                }
                Value::Known(other, _) => {
                    notes.push((count_at, format!("{kind}.{name}.count"), format!("could not verify `{kind}.{name}` as many times as it is created: `count` is {}, not a whole number", crate::text::short(&other))));
                    vec![Instance::new(kind, name, None)]
                }
                Value::Unknown(why, _) => {
                    notes.push((count_at, format!("{kind}.{name}.count"), format!("`{kind}.{name}` is checked once: its `count` is not known before `terraform plan` ({why})")));
                    vec![Instance::new(kind, name, None)]
                }
            };
        }
        if let Some(for_each) = body.get("for_each") {
            let each_at = format!("{at}/for_each");
            let resolved = match self.resolve(for_each, &each_at, 0) {
                Value::Known(value, origin) => {
                    items(value.clone(), &origin, false).ok_or_else(|| {
                        format!(
                            "its `for_each` is {}, not a map or a set",
                            crate::text::short(&value)
                        )
                    })
                }
                Value::Unknown(why, _) => Err(format!(
                    "its `for_each` is not known before `terraform plan` ({why})"
                )),
            };
            return match resolved {
                Ok(items) => items
                    .into_iter()
                    .map(|item| Instance::new(kind, name, Some(&item.key)).with_each(item))
                    .collect(),
                Err(why) => {
                    notes.push((
                        each_at,
                        format!("{kind}.{name}.for_each"),
                        format!("`{kind}.{name}` is checked once: {why}"),
                    ));
                    vec![Instance::new(kind, name, None)]
                }
            };
        }
        vec![Instance::new(kind, name, None)]
    }

    /// `node` (at `at`) as the resource reader reads it: literals where they are written
    /// (recorded in `out.origins` under `pointer`), anything else as an [`UNKNOWN`] value.
    fn convert(&self, node: &Json, at: &str, out: &mut Resources, pointer: &str) -> Json {
        let is_expression = node.get(REF).is_some() || node.get(EXPR).is_some();
        if is_expression {
            return match self.resolve(node, at, 0) {
                Value::Known(value, origin) => {
                    // A resolved value keeps the positions of its parts where they are written.
                    self.record(&value, &origin, out, pointer);
                    value
                }
                Value::Unknown(why, mentions) => {
                    out.origins.push((pointer.to_string(), at.to_string()));
                    unknown(why, mentions)
                }
            };
        }
        out.origins.push((pointer.to_string(), at.to_string()));
        match node {
            Json::Object(map) => {
                let mut converted = Map::new();
                // `null` is an attribute not set.
                for (k, v) in map.iter().filter(|(k, v)| !v.is_null() && *k != "dynamic") {
                    let key = crate::pointer::escape_key(k);
                    let value =
                        self.convert(v, &format!("{at}/{key}"), out, &format!("{pointer}/{key}"));
                    converted.insert(k.clone(), value);
                }
                if let Some(Json::Object(dynamic)) = map.get("dynamic") {
                    self.expand(
                        dynamic,
                        &format!("{at}/dynamic"),
                        out,
                        pointer,
                        &mut converted,
                    );
                }
                Json::Object(converted)
            }
            Json::Array(items) => Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        self.convert(v, &format!("{at}/{i}"), out, &format!("{pointer}/{i}"))
                    })
                    .collect(),
            ),
            literal => literal.clone(),
        }
    }

    /// The `dynamic` blocks of a body (at `at`) added to `converted` as the nested blocks they
    /// make: one per item of their `for_each`, with their iterator (`<name>.value`, or the one
    /// `iterator` names) bound; once, with the iterator unknown, when `for_each` is not known.
    fn expand(
        &self,
        dynamic: &Map<String, Json>,
        at: &str,
        out: &mut Resources,
        pointer: &str,
        converted: &mut Map<String, Json>,
    ) {
        for (name, blocks) in dynamic {
            let key = crate::pointer::escape_key(name);
            for (i, block) in blocks.as_array().into_iter().flatten().enumerate() {
                let block_at = format!("{at}/{key}/{i}");
                let iterator = match block.get("iterator").and_then(|r| r.get(REF)) {
                    Some(Json::Array(segments)) if segments.len() == 1 => {
                        segments[0].as_str().unwrap_or(name).to_string()
                    }
                    _ => name.clone(),
                };
                let items: Vec<Result<Item, String>> = match block.get("for_each") {
                    Some(for_each) => {
                        match self.resolve(for_each, &format!("{block_at}/for_each"), 0) {
                            Value::Known(value, origin) => {
                                match items(value.clone(), &origin, true) {
                                    Some(items) => items.into_iter().map(Ok).collect(),
                                    None => vec![Err(format!(
                                        "the `for_each` of dynamic block `{name}` is {}, not a list or a map",
                                        crate::text::short(&value)
                                    ))],
                                }
                            }
                            Value::Unknown(why, _) => vec![Err(format!(
                                "the `for_each` of dynamic block `{name}` is not known before `terraform plan` ({why})"
                            ))],
                        }
                    }
                    None => Vec::new(),
                };
                let Some(content) = block.get("content").and_then(|c| c.get(0)) else {
                    continue;
                };
                for item in items {
                    let list = converted
                        .entry(name.clone())
                        .or_insert_with(|| Json::Array(Vec::new()));
                    let index = list.as_array().map_or(0, Vec::len);
                    let mut context = self.clone();
                    context.iterators.push((iterator.clone(), item));
                    let value = context.convert(
                        content,
                        &format!("{block_at}/content/0"),
                        out,
                        &format!("{pointer}/{key}/{index}"),
                    );
                    if let Some(Json::Array(list)) = converted.get_mut(name) {
                        list.push(value);
                    }
                }
            }
        }
    }

    /// Records that `value` (resolved, written at `origin`) stands at `pointer`, its parts too.
    fn record(&self, value: &Json, origin: &str, out: &mut Resources, pointer: &str) {
        out.origins.push((pointer.to_string(), origin.to_string()));
        match value {
            Json::Object(map) => {
                for k in map.keys() {
                    let key = crate::pointer::escape_key(k);
                    self.record(
                        &map[k],
                        &format!("{origin}/{key}"),
                        out,
                        &format!("{pointer}/{key}"),
                    );
                }
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.record(
                        item,
                        &format!("{origin}/{i}"),
                        out,
                        &format!("{pointer}/{i}"),
                    );
                }
            }
            _ => {}
        }
    }

    /// What `node` (at `at`) is: a value and where it is written, or why it is not known.
    fn resolve(&self, node: &Json, at: &str, depth: usize) -> Value {
        if depth > MAX_INDIRECTION {
            return Value::Unknown(
                "its locals refer to each other in a cycle".into(),
                Vec::new(),
            );
        }
        if let Some(Json::Array(segments)) = node.get(REF) {
            return self.reference(segments, at, depth);
        }
        if let Some(Json::String(text)) = node.get(EXPR) {
            let mentions = node
                .get(REFS)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_array())
                .flat_map(|segments| self.targets(segments))
                .collect();
            return Value::Unknown(
                format!("`{}` is computed by Terraform", short_text(text)),
                mentions,
            );
        }
        Value::Known(node.clone(), at.to_string())
    }

    /// What the reference `segments` (written at `at`) resolves to.
    fn reference(&self, segments: &[Json], at: &str, depth: usize) -> Value {
        let text = reference_text(segments);
        let head = segments.first().and_then(Json::as_str).unwrap_or_default();
        let name = segments.get(1).and_then(Json::as_str);
        let rest = segments.get(2..).unwrap_or_default();
        match (head, name) {
            ("var", Some(name)) => match self.values.get(name) {
                Some(Json::Array(pair)) => {
                    let origin = pair[1].as_str().unwrap_or_default();
                    match &pair[0] {
                        // A default written as an expression is resolved in turn.
                        v if v.get(REF).is_some() || v.get(EXPR).is_some() => {
                            self.follow(self.resolve(v, origin, depth + 1), rest, &text, depth)
                        }
                        v => self.follow(
                            Value::Known(v.clone(), origin.to_string()),
                            rest,
                            &text,
                            depth,
                        ),
                    }
                }
                _ if self.module.variables.iter().any(|(n, _)| n == name) => Value::Unknown(
                    format!(
                        "variable `{name}` has no `default` and no value in the `.tfvars` files read (give one with `--var-file`)"
                    ),
                    Vec::new(),
                ),
                _ => Value::Unknown(
                    format!("variable `{name}` is not declared in this configuration"),
                    Vec::new(),
                ),
            },
            ("local", Some(name)) => match self.module.locals.get(name) {
                Some(Json::Array(pair)) => {
                    let origin = pair[1].as_str().unwrap_or_default();
                    self.follow(
                        self.resolve(&pair[0], origin, depth + 1),
                        rest,
                        &text,
                        depth,
                    )
                }
                _ => Value::Unknown(
                    format!("local `{name}` is not declared in this configuration"),
                    Vec::new(),
                ),
            },
            ("count", Some("index")) => match &self.count {
                Some(index) => Value::Known(index.clone(), at.to_string()),
                None => Value::Unknown(
                    "`count.index` outside a counted resource".into(),
                    Vec::new(),
                ),
            },
            ("each", Some(which @ ("key" | "value"))) => match &self.each {
                Some(item) => self.follow(item.known(which, at), rest, &text, depth),
                None => Value::Unknown("`each` outside a `for_each` resource".into(), Vec::new()),
            },
            (head, Some(which @ ("key" | "value")))
                if self.iterators.iter().any(|(name, _)| name == head) =>
            {
                let (_, item) = self
                    .iterators
                    .iter()
                    .rev()
                    .find(|(name, _)| name == head)
                    .expect("an iterator of that name");
                match item {
                    Ok(item) => self.follow(item.known(which, at), rest, &text, depth),
                    Err(why) => Value::Unknown(why.clone(), Vec::new()),
                }
            }
            ("module", _) => Value::Unknown(
                format!(
                    "`{text}` is an output of a module, which `check` does not read (check the plan instead)"
                ),
                Vec::new(),
            ),
            ("data", _) => Value::Unknown(
                format!("`{text}` is read from a data source when Terraform plans"),
                Vec::new(),
            ),
            _ => {
                let targets = self.targets(segments);
                let why = if targets.is_empty() {
                    format!("`{text}` is known only to Terraform")
                } else {
                    format!("`{text}` is known only once the resource is created")
                };
                Value::Unknown(why, targets)
            }
        }
    }

    /// The rest of a reference after a resolved name: `var.x.min` is `min` of `var.x`.
    fn follow(&self, value: Value, rest: &[Json], text: &str, depth: usize) -> Value {
        let Value::Known(mut value, mut origin) = value else {
            return value;
        };
        let mut rest = rest.iter();
        loop {
            // A part written as an expression (`[var.scaling]`) is resolved before going in.
            if value.get(REF).is_some() || value.get(EXPR).is_some() {
                match self.resolve(&value, &origin, depth + 1) {
                    Value::Known(resolved, at) => (value, origin) = (resolved, at),
                    unknown => return unknown,
                }
            }
            let Some(segment) = rest.next() else {
                return Value::Known(value, origin);
            };
            let key = match segment {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            let next = match &value {
                Json::Object(map) => map.get(&key).cloned(),
                Json::Array(items) => key
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).cloned()),
                _ => None,
            };
            match next {
                Some(next) => {
                    origin = format!("{origin}/{}", crate::pointer::escape_key(&key));
                    value = next;
                }
                None => return Value::Unknown(format!("`{text}` has no `{key}`"), Vec::new()),
            }
        }
    }

    /// The addresses of the resource instances a reference names (`aws_rds_cluster.db.id`
    /// names `aws_rds_cluster.db`, or each of its instances).
    fn targets(&self, segments: &[Json]) -> Vec<String> {
        let (Some(kind), Some(name)) = (
            segments.first().and_then(Json::as_str),
            segments.get(1).and_then(Json::as_str),
        ) else {
            return Vec::new();
        };
        let Some((_, _, body, at)) = self
            .module
            .resources
            .iter()
            .find(|(k, n, _, _)| *k == kind && *n == name)
        else {
            return Vec::new();
        };
        match segments.get(2) {
            Some(index @ Json::Number(_)) => vec![instance_address(kind, name, Some(index))],
            Some(Json::String(key)) if body.get("for_each").is_some() => {
                vec![instance_address(
                    kind,
                    name,
                    Some(&Json::String(key.clone())),
                )]
            }
            _ => self
                .instances(kind, name, body, at, &mut Vec::new())
                .into_iter()
                .map(|instance| instance.address)
                .collect(),
        }
    }
}

/// An expression's text, shortened for a message.
fn short_text(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        format!("{}…", one_line.chars().take(60).collect::<String>())
    } else {
        one_line
    }
}

/// Whether `value` is the JSON of a plan (`terraform show -json plan.out`).
pub(crate) fn is_plan(value: &Json) -> bool {
    value.get("format_version").is_some()
        && (value.get("planned_values").is_some() || value.get("resource_changes").is_some())
}

/// Why a plan's `format_version` is not one this reader knows (major version 1), if it is not.
pub(crate) fn unsupported_plan(value: &Json) -> Option<String> {
    let version = value.get("format_version")?;
    let major = version.as_str().and_then(|v| v.split('.').next());
    (major != Some("1")).then(|| {
        format!(
            "this plan has format_version {version}; limitkb reads plans of format version 1.x (Terraform 0.12 and later): check it with a limitkb that knows the newer format"
        )
    })
}

/// A plan's managed resources, from `planned_values` and every child module, each value where
/// it is written in the plan; values listed in `after_unknown` are known only after apply.
pub(crate) fn plan(value: &Json) -> Resources {
    let mut out = Resources::new();
    let mut found: Vec<(&Json, String)> = Vec::new();
    if let Some(root) = value
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        modules(root, "/planned_values/root_module".to_string(), &mut found);
    }
    let managed: Vec<(&str, &Json, String)> = found
        .iter()
        .filter(|(r, _)| r.get("mode").and_then(Json::as_str) != Some("data"))
        .filter_map(|(r, at)| Some((r.get("address")?.as_str()?, *r, at.clone())))
        .collect();
    let addresses: Vec<&str> = managed.iter().map(|(a, _, _)| *a).collect();
    let plan = Plan {
        value,
        addresses: &addresses,
    };
    if let Some(Json::Object(configs)) = value
        .get("configuration")
        .and_then(|c| c.get("provider_config"))
    {
        for (key, config) in configs {
            if config.get("name").and_then(Json::as_str) != Some("aws") || key.contains(':') {
                continue;
            }
            let at = format!(
                "/configuration/provider_config/{}",
                crate::pointer::escape_key(key)
            );
            let address = format!("provider.{key}");
            let pointer = format!(
                "/Resources/{}/Properties",
                crate::pointer::escape_key(&address)
            );
            let mut properties = Map::new();
            if let Some(Json::Object(expressions)) = config.get("expressions") {
                for (name, expression) in expressions {
                    if let Some(constant) = expression.get("constant_value") {
                        let key = crate::pointer::escape_key(name);
                        out.origins.push((
                            format!("{pointer}/{key}"),
                            format!("{at}/expressions/{key}/constant_value"),
                        ));
                        properties.insert(name.clone(), constant.clone());
                    }
                }
            }
            out.add(&address, "provider.aws", &at, Json::Object(properties));
        }
    }
    for (address, resource, at) in &managed {
        let kind = resource
            .get("type")
            .and_then(Json::as_str)
            .unwrap_or_default();
        let pointer = format!(
            "/Resources/{}/Properties",
            crate::pointer::escape_key(address)
        );
        let unknown_values = plan.after_unknown(address);
        let values_at = format!("{at}/values");
        let empty = Json::Object(Map::new());
        let values = resource.get("values").unwrap_or(&empty);
        let mut properties = plan.convert(
            address,
            values,
            unknown_values,
            &values_at,
            &pointer,
            "",
            &mut out,
        );
        if let Json::Object(map) = &mut properties {
            map.insert(
                "provider".into(),
                serde_json::json!({ "Ref": plan.provider_of(address) }),
            );
        }
        out.add(address, kind, at, properties);
    }
    out
}

/// Every resource of `module` and its child modules, with its pointer.
fn modules<'v>(module: &'v Json, at: String, out: &mut Vec<(&'v Json, String)>) {
    for (i, resource) in module
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((resource, format!("{at}/resources/{i}")));
    }
    for (i, child) in module
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        modules(child, format!("{at}/child_modules/{i}"), out);
    }
}

/// A plan being read.
struct Plan<'v> {
    value: &'v Json,
    /// The address of every managed resource instance planned.
    addresses: &'v [&'v str],
}

impl Plan<'_> {
    /// The `after_unknown` of resource `address`: `true` at each value known only after apply.
    fn after_unknown(&self, address: &str) -> Option<&Json> {
        self.value
            .get("resource_changes")?
            .as_array()?
            .iter()
            .find(|c| c.get("address").and_then(Json::as_str) == Some(address))?
            .get("change")?
            .get("after_unknown")
    }

    /// The configuration of resource `address` (`module.db.aws_rds_cluster.this[0]`): its
    /// module's prefix (`module.db.`) and its `resources` entry.
    fn configuration(&self, address: &str) -> Option<(String, &Json)> {
        let mut module = self.value.get("configuration")?.get("root_module")?;
        let mut prefix = String::new();
        let mut rest = address;
        while let Some(after) = rest.strip_prefix("module.") {
            let (call, tail) = after.split_once('.')?;
            let name = call.split('[').next().unwrap_or(call);
            module = module.get("module_calls")?.get(name)?.get("module")?;
            prefix.push_str(&format!("module.{call}."));
            rest = tail;
        }
        let plain = rest.split('[').next().unwrap_or(rest);
        let resource = module
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Json::as_str) == Some(plain))?;
        Some((prefix, resource))
    }

    /// The resources attribute `attribute` of `address` refers to in the configuration.
    fn mentions(&self, address: &str, attribute: &str) -> Vec<String> {
        let Some((prefix, resource)) = self.configuration(address) else {
            return Vec::new();
        };
        let references = resource
            .get("expressions")
            .and_then(|e| e.get(attribute))
            .and_then(|e| e.get("references"))
            .and_then(Json::as_array);
        let mut out: Vec<String> = Vec::new();
        for reference in references.into_iter().flatten().filter_map(Json::as_str) {
            let target = format!("{prefix}{reference}");
            for address in self.addresses {
                let instance_of = address
                    .strip_prefix(target.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['));
                if instance_of && !out.iter().any(|a| a == address) {
                    out.push(address.to_string());
                }
            }
        }
        out
    }

    /// The provider configuration resource `address` uses: `provider.aws`, or an alias's.
    fn provider_of(&self, address: &str) -> String {
        self.configuration(address)
            .and_then(|(_, r)| r.get("provider_config_key")?.as_str().map(str::to_string))
            .filter(|key| key.starts_with("aws.") && !key.contains(':'))
            .map_or_else(
                || "provider.aws".to_string(),
                |key| format!("provider.{key}"),
            )
    }

    /// `values` (at `at`) of resource `address`, with those `unknown` marks as [`UNKNOWN`];
    /// `attribute` is the top-level attribute being read.
    #[allow(clippy::too_many_arguments)]
    fn convert(
        &self,
        address: &str,
        values: &Json,
        unknown_marks: Option<&Json>,
        at: &str,
        pointer: &str,
        attribute: &str,
        out: &mut Resources,
    ) -> Json {
        out.origins.push((pointer.to_string(), at.to_string()));
        if unknown_marks == Some(&Json::Bool(true)) {
            return unknown(
                format!("`{address}.{attribute}` is known only after `terraform apply`"),
                self.mentions(address, attribute),
            );
        }
        let mark = |key: &str| unknown_marks.and_then(|m| m.get(key));
        match values {
            Json::Object(map) => {
                let mut converted = Map::new();
                let mut keys: Vec<&String> = map.keys().collect();
                // An attribute only `after_unknown` lists is there once applied.
                if let Some(Json::Object(marks)) = unknown_marks {
                    keys.extend(marks.keys().filter(|k| !map.contains_key(*k)));
                }
                for k in keys {
                    let key = crate::pointer::escape_key(k);
                    let top = if attribute.is_empty() {
                        k.as_str()
                    } else {
                        attribute
                    };
                    let value = map.get(k).unwrap_or(&Json::Null);
                    // A plan writes `null` for an attribute the configuration does not set.
                    if value.is_null() && mark(k) != Some(&Json::Bool(true)) {
                        continue;
                    }
                    converted.insert(
                        k.clone(),
                        self.convert(
                            address,
                            value,
                            mark(k),
                            &format!("{at}/{key}"),
                            &format!("{pointer}/{key}"),
                            top,
                            out,
                        ),
                    );
                }
                Json::Object(converted)
            }
            Json::Array(items) => Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let marks = unknown_marks.and_then(|m| m.get(i));
                        self.convert(
                            address,
                            item,
                            marks,
                            &format!("{at}/{i}"),
                            &format!("{pointer}/{i}"),
                            attribute,
                            out,
                        )
                    })
                    .collect(),
            ),
            literal => literal.clone(),
        }
    }
}
