//! Synthetic inputs for the benchmarks and `scripts/bench-*.sh`: knowledge bases of any size
//! with the variety of a real one, and cluster specs (half valid) for any knowledge base.
//!
//! Shared by `benches/limitkb.rs` and `examples/synthetic.rs` through `#[path]`; it is not part
//! of the library. Everything is deterministic: the same size gives the same bytes.
//!
//! A synthetic knowledge base passes `limitkb validate`: ids are unique and kebab-case and
//! derive distinct, non-reserved identifiers; fact ids and constant names are unique; every
//! constraint fits its parameter; every quote is in the source copy.

use limitkb::model::{Constraint, Kb, Number, ParameterType, Scalar};
use serde_json::{Map, Value as Json, json};
use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic random number generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with `percent`% probability.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Words of ids, parameter and feature names: lowercase ASCII letters only, none of them a
/// word a generated language reserves.
const NOUNS: &[&str] = &[
    "capacity",
    "storage",
    "replica",
    "snapshot",
    "backup",
    "network",
    "endpoint",
    "cluster",
    "instance",
    "region",
    "zone",
    "engine",
    "proxy",
    "cache",
    "queue",
    "stream",
    "index",
    "volume",
    "bucket",
    "gateway",
    "listener",
    "certificate",
    "policy",
    "quota",
    "throughput",
    "latency",
    "connection",
    "session",
    "audit",
    "metric",
    "alarm",
    "export",
    "subnet",
    "route",
    "tenant",
    "shard",
    "partition",
    "checkpoint",
    "failover",
    "maintenance",
    "encryption",
    "retention",
];

const ADJECTIVES: &[&str] = &[
    "maximum",
    "minimum",
    "regional",
    "global",
    "cross",
    "manual",
    "automatic",
    "concurrent",
    "dedicated",
    "shared",
    "provisioned",
    "serverless",
    "encrypted",
    "public",
    "private",
    "scheduled",
];

/// Words of prose, some of them beyond ASCII, so that texts exercise every escaping filter.
const PROSE: &str = "the cluster can use at most one of these settings when it runs in a preview Region \
     and every instance must keep its capacity within limits that apply to all accounts \
     for now naïve façade déjà-vu Zürich ≤ µs – 日本語 🚀 connections storage replicas \
     snapshots are not supported yet while database engine version only after before \
     during maintenance windows ACUs GiB per second requests queries automatically \
     manually scaled";

static PROSE_WORDS: std::sync::LazyLock<Vec<&str>> =
    std::sync::LazyLock::new(|| PROSE.split(' ').collect());

/// Fragments with characters that targets must escape (Markdown tables, comments, strings).
/// None holds a backslash, so quotes stay plain Markdown in the source copy.
const TRICKY: &[&str] = &[
    "a | b",
    "`code`",
    "*/ not a comment end",
    "<b>bold</b>",
    "\"quoted\"",
    "[link](x)",
    "# heading",
    "50% off",
    "a_b_c",
    "{{ not tera }}",
    "${not} a template",
];

fn sentence(rng: &mut Rng, min_words: usize, max_words: usize) -> String {
    let count = min_words + rng.below(max_words - min_words + 1);
    let mut words: Vec<String> = (0..count)
        .map(|_| rng.pick(&PROSE_WORDS).to_string())
        .collect();
    if rng.chance(15) {
        let at = rng.below(words.len());
        words[at] = rng.pick(TRICKY).to_string();
    }
    if rng.chance(10) {
        words.push(format!("{}", rng.below(100_000)));
    }
    let mut text = words.join(" ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}

fn sentences(rng: &mut Rng, weights: &[usize], min_words: usize, max_words: usize) -> String {
    // weights[k] = percent chance of k + 1 sentences.
    let mut roll = rng.below(100);
    let mut count = 1;
    for (k, weight) in weights.iter().enumerate() {
        if roll < *weight {
            count = k + 1;
            break;
        }
        roll -= weight;
    }
    (0..count)
        .map(|_| sentence(rng, min_words, max_words))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TOML basic string (a JSON string literal is one).
fn toml_str(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

fn float(rng: &mut Rng) -> f64 {
    (rng.below(40_000) as f64) / 4.0 + 0.25
}

fn toml_float(value: f64) -> String {
    format!("{value:?}")
}

/// A parameter of the synthetic KB, as kb.toml declares it.
struct Param {
    id: String,
    kind: ParameterType,
    unit: Option<&'static str>,
    domain: Option<Vec<String>>,
}

/// The TOML of a constraint on a new parameter of a random kind, and that parameter.
fn constraint_on_new_parameter(rng: &mut Rng, i: usize, k: usize) -> (String, Param) {
    let id = format!("{}_p{i}_{k}", rng.pick(NOUNS));
    let unit = *rng.pick(&[
        Some("GiB"),
        Some("ACU"),
        Some("ms"),
        None,
        Some("connections"),
    ]);
    let roll = rng.below(100);
    let domain_of = |rng: &mut Rng, size: usize| -> Vec<String> {
        (0..size)
            .map(|v| format!("{}-{}-{v}", rng.pick(ADJECTIVES), rng.pick(NOUNS)))
            .collect()
    };
    let (constraint, param) = if roll < 15 {
        // range on an integer, sometimes open on one side
        let min = rng.below(100) as i64;
        let max = min + 1 + rng.below(10_000) as i64;
        let bounds = match rng.below(4) {
            0 => format!("min = {min}"),
            1 => format!("max = {max}"),
            _ => format!("min = {min}, max = {max}"),
        };
        (
            format!("{{ kind = \"range\", parameter = \"{id}\", {bounds} }}"),
            (ParameterType::Integer, None),
        )
    } else if roll < 25 {
        let min = float(rng);
        let max = min + float(rng);
        (
            format!(
                "{{ kind = \"range\", parameter = \"{id}\", min = {}, max = {} }}",
                toml_float(min),
                toml_float(max)
            ),
            (ParameterType::Number, None),
        )
    } else if roll < 37 {
        let min = 1 + rng.below(16) as i64;
        let max = min + 1 + rng.below(256) as i64;
        (
            format!("{{ kind = \"range\", parameter = \"{id}\", min = {min}, max = {max} }}"),
            (ParameterType::Range, None),
        )
    } else if roll < 50 {
        // one-of on a string with a domain: a subset of it
        let size = 3 + rng.below(6);
        let domain = domain_of(rng, size);
        let allowed: Vec<String> = domain[..1 + rng.below(domain.len() - 1)]
            .iter()
            .map(|v| toml_str(v))
            .collect();
        (
            format!(
                "{{ kind = \"one-of\", parameter = \"{id}\", values = [{}] }}",
                allowed.join(", ")
            ),
            (ParameterType::String, Some(domain)),
        )
    } else if roll < 60 {
        // one-of on a string list without a domain, like zone ids
        let allowed: Vec<String> = (0..2 + rng.below(5))
            .map(|v| toml_str(&format!("{}{}-az{v}", rng.pick(NOUNS), rng.below(10))))
            .collect();
        (
            format!(
                "{{ kind = \"one-of\", parameter = \"{id}\", values = [{}] }}",
                allowed.join(", ")
            ),
            (ParameterType::StringList, None),
        )
    } else if roll < 66 {
        let allowed: Vec<String> = (0..2 + rng.below(4))
            .map(|v| (v * 1000 + rng.below(1000)).to_string())
            .collect();
        (
            format!(
                "{{ kind = \"one-of\", parameter = \"{id}\", values = [{}] }}",
                allowed.join(", ")
            ),
            (ParameterType::Integer, None),
        )
    } else if roll < 76 {
        let value = 1 + rng.below(65_535);
        (
            format!("{{ kind = \"equals\", parameter = \"{id}\", value = {value} }}"),
            (ParameterType::Integer, None),
        )
    } else if roll < 88 {
        let value = format!("{}-{}", rng.pick(ADJECTIVES), rng.below(1000));
        (
            format!(
                "{{ kind = \"equals\", parameter = \"{id}\", value = {} }}",
                toml_str(&value)
            ),
            (ParameterType::String, None),
        )
    } else {
        let value = rng.chance(50);
        (
            format!("{{ kind = \"equals\", parameter = \"{id}\", value = {value} }}"),
            (ParameterType::Boolean, None),
        )
    };
    let (kind, domain) = param;
    let unit = match kind {
        ParameterType::Integer | ParameterType::Number | ParameterType::Range => unit,
        _ => None,
    };
    let unit = if kind == ParameterType::Range {
        Some(unit.unwrap_or("ACU"))
    } else {
        unit
    };
    (
        constraint,
        Param {
            id,
            kind,
            unit,
            domain,
        },
    )
}

fn fact(rng: &mut Rng, i: usize, k: usize) -> String {
    let id = format!("{}_f{i}_{k}", rng.pick(NOUNS));
    let (value, unit) = match rng.below(6) {
        0 => (rng.below(1_000_000).to_string(), Some("GiB")),
        1 => (toml_float(float(rng)), Some("ms")),
        2 => (toml_str(&sentence(rng, 1, 4)), None),
        3 => (rng.chance(50).to_string(), None),
        4 => {
            let items: Vec<String> = (0..1 + rng.below(5))
                .map(|_| toml_str(&format!("{}-{}", rng.pick(NOUNS), rng.below(100))))
                .collect();
            (format!("[{}]", items.join(", ")), None)
        }
        _ => {
            let items: Vec<String> = (0..1 + rng.below(5))
                .map(|_| rng.below(10_000).to_string())
                .collect();
            (format!("[{}]", items.join(", ")), Some("ACU"))
        }
    };
    let unit = unit.map_or(String::new(), |u| format!(", unit = \"{u}\""));
    format!(
        "  {{ id = \"{id}\", value = {value}{unit}, description = {} }},\n",
        toml_str(&sentences(rng, &[70, 30], 6, 24))
    )
}

/// Markdown as the source document writes it: parentheses escaped, as the real copy does.
fn markdown(text: &str) -> String {
    text.replace('(', "\\(").replace(')', "\\)")
}

/// The files of a synthetic knowledge base with `limitations` limitations, as
/// `(path relative to the data directory, text)`.
pub fn knowledge_base(limitations: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(0x5eed_0000 + limitations as u64);
    let category_count = (limitations / 40).max(3);
    let categories: Vec<String> = (0..category_count)
        .map(|c| format!("{}-{}-{c}", rng.pick(ADJECTIVES), rng.pick(NOUNS)))
        .collect();
    let mut parameters: Vec<Param> = Vec::new();
    let mut features: Vec<(String, String)> = Vec::new();
    let mut files: Vec<String> = categories
        .iter()
        .map(|_| "#:schema ../../generated/schema/limitations.schema.json\n".to_string())
        .collect();
    let mut copy = String::from(
        "# Limitations of the synthetic product\n\nA synthetic source document for benchmarks.\n",
    );
    let mut current_category = usize::MAX;
    let mut context: Option<String> = None;

    for i in 0..limitations {
        // Categories get runs of limitations, in order, so the copy reads like a document.
        let category = i * category_count / limitations.max(1);
        if category != current_category {
            current_category = category;
            context = None;
            writeln!(copy, "\n## {}\n", categories[category]).unwrap();
        }
        let id = format!("{}-{}-{i}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
        let title = format!(
            "{} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            sentence(&mut rng, 1, 8).trim_end_matches('.')
        );
        let mut summary = sentences(&mut rng, &[50, 40, 10], 8, 40);
        if rng.chance(2) {
            summary.push_str("\nA second line \\ with a backslash.");
        }
        let mut constraints = Vec::new();
        let kind = rng.below(100);
        if kind < 20 {
            // a notice
        } else if kind < 50 {
            let feature = format!("{}_{}_x{i}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
            constraints.push(format!(
                "{{ kind = \"unsupported\", feature = \"{feature}\" }}"
            ));
            let name = format!("{} {} feature {i}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
            features.push((feature, name));
        } else {
            let count = if rng.chance(15) { 2 + rng.below(2) } else { 1 };
            for k in 0..count {
                let (constraint, param) = constraint_on_new_parameter(&mut rng, i, k);
                constraints.push(constraint);
                parameters.push(param);
            }
        }
        // Parameters and features no limitation constrains.
        if rng.chance(5) {
            let (_, mut param) = constraint_on_new_parameter(&mut rng, i, 9);
            param.id = format!("{}_free{i}", rng.pick(NOUNS));
            parameters.push(param);
        }
        if rng.chance(3) {
            features.push((
                format!("{}_{}_free{i}", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
                format!("Supported feature {i}"),
            ));
        }
        let facts: String = if rng.chance(35) {
            (0..1 + rng.below(3))
                .map(|k| fact(&mut rng, i, k))
                .collect()
        } else {
            String::new()
        };
        let quote = sentences(&mut rng, &[60, 30, 10], 10, 25);
        if rng.chance(20) {
            if context.is_none() || rng.chance(30) {
                let text = format!(
                    "The following apply to {} {} {i}:",
                    rng.pick(ADJECTIVES),
                    rng.pick(NOUNS)
                );
                writeln!(copy, "\n{}\n", markdown(&text)).unwrap();
                context = Some(text);
            }
            writeln!(copy, "- {}", markdown(&quote)).unwrap();
        } else {
            context = None;
            writeln!(copy, "\n{}", markdown(&quote)).unwrap();
        }

        let file = &mut files[category];
        writeln!(file, "\n[[limitation]]").unwrap();
        writeln!(file, "id = \"{id}\"").unwrap();
        writeln!(file, "title = {}", toml_str(&title)).unwrap();
        writeln!(file, "summary = {}", toml_str(&summary)).unwrap();
        if !constraints.is_empty() {
            writeln!(file, "constraint = [{}]", constraints.join(", ")).unwrap();
        }
        if !facts.is_empty() {
            write!(file, "fact = [\n{facts}]\n").unwrap();
        }
        let context_key = context
            .as_ref()
            .map_or(String::new(), |c| format!(", context = {}", toml_str(c)));
        writeln!(
            file,
            "source = {{ quote = {}{context_key} }}",
            toml_str(&quote)
        )
        .unwrap();
    }

    let mut kb = String::from("#:schema ../generated/schema/kb.schema.json\n");
    writeln!(kb, "id = \"synthetic-{limitations}\"").unwrap();
    writeln!(
        kb,
        "name = \"Synthetic product ({limitations} limitations)\""
    )
    .unwrap();
    kb.push_str("version = \"1.0.0\"\n");
    kb.push_str("description = \"A synthetic knowledge base for benchmarks.\"\n\n");
    kb.push_str("[source]\ntitle = \"Limitations of the synthetic product\"\n");
    kb.push_str("publisher = \"limitkb benchmarks\"\nurl = \"https://example.com/limitations\"\n");
    kb.push_str("revision = \"2021-07-12\"\ncopy = \"sources/synthetic.md\"\n");
    for (index, category) in categories.iter().enumerate() {
        writeln!(kb, "\n[[category]]\nid = \"{category}\"").unwrap();
        writeln!(kb, "title = {}", toml_str(&format!("Category {category}"))).unwrap();
        writeln!(kb, "description = {}", toml_str(&sentence(&mut rng, 5, 20))).unwrap();
        if index == 0 {
            kb.push_str("callout = true\n");
        }
    }
    for p in &parameters {
        writeln!(kb, "\n[[parameter]]\nid = \"{}\"", p.id).unwrap();
        writeln!(kb, "title = {}", toml_str(&format!("Setting {}", p.id))).unwrap();
        writeln!(kb, "description = {}", toml_str(&sentence(&mut rng, 6, 30))).unwrap();
        // The model prints a type as the data spells it.
        writeln!(kb, "type = \"{}\"", p.kind).unwrap();
        if let Some(unit) = p.unit {
            writeln!(kb, "unit = \"{unit}\"").unwrap();
        }
        if let Some(domain) = &p.domain {
            let values: Vec<String> = domain.iter().map(|v| toml_str(v)).collect();
            writeln!(kb, "values = [{}]", values.join(", ")).unwrap();
        }
        if p.kind == ParameterType::Range {
            let unit = p.unit.unwrap_or("acu").to_ascii_lowercase();
            writeln!(kb, "min_key = \"min_{unit}\"\nmax_key = \"max_{unit}\"").unwrap();
        }
        let example = match (p.kind, &p.domain) {
            (ParameterType::Integer, _) => "7".to_string(),
            (ParameterType::Number, _) => "1.5".to_string(),
            (ParameterType::Boolean, _) => "false".to_string(),
            (ParameterType::Range, _) => "[4, 16]".to_string(),
            (ParameterType::String, Some(domain)) => toml_str(&domain[0]),
            (ParameterType::String, None) => toml_str("example"),
            (ParameterType::StringList, _) => "[\"a\", \"b\"]".to_string(),
            (ParameterType::Version, _) => toml_str("1.0"),
            // The generator declares no object lists.
            (ParameterType::ObjectList, _) => unreachable!("no object lists are generated"),
        };
        writeln!(kb, "example = {example}").unwrap();
    }
    for (id, name) in &features {
        writeln!(
            kb,
            "\n[[feature]]\nid = \"{id}\"\nname = {}",
            toml_str(name)
        )
        .unwrap();
    }

    let mut out = vec![
        ("kb.toml".to_string(), kb),
        ("sources/synthetic.md".to_string(), copy),
    ];
    for (category, text) in categories.iter().zip(files) {
        out.push((format!("limitations/{category}.toml"), text));
    }
    out
}

/// The synthetic knowledge base of `limitations` limitations in a next release, for
/// `limitkb diff`: every [`REVISE_EVERY`]th limitation changed, the changes in turn, so that
/// every kind of change occurs: a maximum lowered (major for specs), a minimum lowered (minor),
/// the limitation removed, lifted, renamed, or followed by a new notice, or its summary reworded;
/// a limitation with no integer bound to move gets the rewording. Version 2.0.0.
pub fn revised_knowledge_base(limitations: usize) -> Vec<(String, String)> {
    const HEAD: &str = "\n[[limitation]]\n";
    let mut counter = 0;
    let mut out = Vec::new();
    for (path, text) in knowledge_base(limitations) {
        let text = if path == "kb.toml" {
            text.replacen("version = \"1.0.0\"", "version = \"2.0.0\"", 1)
        } else if path.starts_with("limitations/") {
            let mut blocks = text.split(HEAD);
            let mut revised = blocks.next().unwrap_or_default().to_string();
            for block in blocks {
                counter += 1;
                let change = (counter % REVISE_EVERY == 0).then_some(counter / REVISE_EVERY % 7);
                if let Some(block) = revise(block, change) {
                    revised.push_str(HEAD);
                    revised.push_str(&block);
                }
            }
            revised
        } else {
            text
        };
        out.push((path, text));
    }
    out
}

/// One in this many limitations changes in [`revised_knowledge_base`].
pub const REVISE_EVERY: usize = 50;

/// A limitation's block (its TOML after `[[limitation]]`) with change number `change` made
/// (see [`revised_knowledge_base`]); `None` when the change removes it.
fn revise(block: &str, change: Option<usize>) -> Option<String> {
    // `key = N` of an integer in the block's constraints, moved by `delta`.
    let move_bound = |key: &str, delta: i64| -> Option<String> {
        let constraints = block.find("constraint = [")?;
        let at = constraints + block[constraints..].find(&format!(" {key} = "))? + key.len() + 4;
        let end = at + block[at..].find([',', ' ', '}'])?;
        let n: i64 = block[at..end].parse().ok()?;
        (n + delta >= 0).then(|| format!("{}{}{}", &block[..at], n + delta, &block[end..]))
    };
    let id_line = block.lines().next().unwrap_or_default();
    let id = id_line.trim_start_matches("id = \"").trim_end_matches('"');
    let moved = match change {
        None => return Some(block.to_string()),
        Some(0) => move_bound("max", -1),
        Some(1) => move_bound("min", -1),
        Some(2) => return None,
        Some(3) => Some(format!(
            "{block}status = \"lifted\"\nlifted_in = \"2021-07-12\"\n"
        )),
        Some(4) => Some(format!(
            "id = \"{id}-renamed\"\nreplaces = \"{id}\"{}",
            &block[id_line.len()..]
        )),
        // A notice citing the same sentence: new constraints or facts would clash with its.
        Some(5) => {
            let kept: String = block
                .lines()
                .filter(|l| {
                    ["title = ", "summary = ", "source = "]
                        .iter()
                        .any(|k| l.starts_with(k))
                })
                .map(|l| format!("{l}\n"))
                .collect();
            Some(format!(
                "{block}\n[[limitation]]\nid = \"{id}-added\"\n{kept}"
            ))
        }
        Some(_) => None,
    };
    Some(moved.unwrap_or_else(|| block.replacen("summary = \"", "summary = \"Reworded. ", 1)))
}

/// Writes `files` (path relative to `dir`, text) under `dir`.
pub fn write_files(dir: &Path, files: Vec<(String, String)>) -> std::io::Result<()> {
    for (relative, text) in files {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("files are in a directory"))?;
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// A cluster spec for the benchmarks: JSON text, and whether it respects every limitation.
pub struct Spec {
    /// A file name, `valid-N.json` or `invalid-N.json`.
    pub name: String,
    /// The spec, as JSON.
    pub json: String,
    /// Whether it breaks nothing.
    pub valid: bool,
}

impl Spec {
    /// Spec number `n` with `values`, named after its verdict (`valid-0007.json`), written as
    /// pretty or compact JSON at random.
    pub fn new(n: usize, values: &Map<String, Json>, valid: bool, rng: &mut Rng) -> Spec {
        let json = if rng.chance(50) {
            serde_json::to_string_pretty(values)
        } else {
            serde_json::to_string(values)
        }
        .expect("specs serialize");
        let name = format!("{}-{n:04}.json", if valid { "valid" } else { "invalid" });
        Spec { name, json, valid }
    }
}

/// A value of `parameter` that every constraint on it accepts.
fn valid_value(kb: &Kb, parameter: &str) -> Json {
    let index = kb.index();
    let p = index.parameter(parameter).expect("a declared parameter");
    let constraints = index.constraints_on(parameter, false);
    let scalar = |s: &Scalar| serde_json::to_value(s).expect("scalars serialize");
    let number = |n: &Number| serde_json::to_value(n).expect("numbers serialize");
    let mut low: Option<Json> = None;
    let mut high: Option<Json> = None;
    for (_, c) in constraints {
        match c {
            Constraint::Equals { value, .. } => return scalar(value),
            Constraint::OneOf { values, .. } => {
                return if p.value_type == ParameterType::StringList {
                    Json::Array(values.iter().take(2).map(scalar).collect())
                } else {
                    scalar(&values[0])
                };
            }
            Constraint::Range { min, max, .. } => {
                low = min.as_ref().map(number);
                high = max.as_ref().map(number);
            }
            Constraint::Version { family, min, .. } => {
                return json!(
                    min.as_ref()
                        .or(family.as_ref())
                        .map_or("1.0", String::as_str)
                );
            }
            Constraint::MultipleOf { .. }
            | Constraint::Required { .. }
            | Constraint::VersionTable { .. }
            | Constraint::Unsupported { .. } => {}
        }
    }
    let bound = low.or(high);
    match p.value_type {
        ParameterType::Range => {
            let (Some(min_key), Some(max_key)) = (&p.min_key, &p.max_key) else {
                return json!({});
            };
            let mut object = Map::new();
            let value = bound.unwrap_or(json!(1));
            object.insert(min_key.clone(), value.clone());
            object.insert(max_key.clone(), value);
            Json::Object(object)
        }
        ParameterType::Integer => bound.unwrap_or(json!(7)),
        ParameterType::Number => bound.unwrap_or(json!(1.5)),
        ParameterType::Boolean => json!(true),
        ParameterType::String => p.values.as_ref().map_or(json!("anything"), |v| json!(v[0])),
        ParameterType::StringList => json!([]),
        ParameterType::Version => json!("1.0"),
        ParameterType::ObjectList => json!([]),
    }
}

/// `value` changed so that the constraint `c` on `parameter` rejects it.
fn break_value(kb: &Kb, parameter: &str, c: &Constraint, rng: &mut Rng) -> Json {
    let p = kb
        .index()
        .parameter(parameter)
        .expect("a declared parameter");
    let outside = |n: &Option<Number>, step: f64| -> Option<Json> {
        n.map(|n| match n {
            Number::Integer(i) => json!(i + step as i64),
            Number::Float(f) => json!(f + step),
        })
    };
    match c {
        Constraint::Equals { value, .. } => match value {
            Scalar::Number(Number::Integer(i)) => json!(i + 1),
            Scalar::Number(Number::Float(f)) => json!(f + 1.0),
            Scalar::String(s) => json!(format!("{s}-not")),
            Scalar::Boolean(b) => json!(!b),
        },
        Constraint::OneOf { values, .. } => {
            let wrong = match &values[0] {
                Scalar::Number(Number::Integer(_)) => json!(-1),
                Scalar::Number(Number::Float(_)) => json!(-1.5),
                Scalar::Boolean(_) => json!(null),
                // A string outside the allowed values (and outside a domain: then the type
                // check rejects it, which is as much a failure).
                Scalar::String(_) => json!(format!("nowhere-{}", rng.below(100))),
            };
            if p.value_type == ParameterType::StringList {
                let mut good: Vec<Json> = values.iter().take(1).map(|v| json!(v)).collect();
                good.push(wrong);
                Json::Array(good)
            } else {
                wrong
            }
        }
        Constraint::Range { min, max, .. } => {
            let wrong = if rng.chance(50) {
                outside(max, 1.0).or_else(|| outside(min, -1.0))
            } else {
                outside(min, -1.0).or_else(|| outside(max, 1.0))
            }
            .expect("a range has a bound");
            if p.value_type == ParameterType::Range {
                let mut object = valid_value(kb, parameter);
                let key = p.max_key.clone().expect("a range has keys");
                // Both bounds out of the range the same way, so min <= max still holds and
                // only the range constraint (which JSON Schema expresses) is broken.
                object[p.min_key.as_deref().expect("a range has keys")] = wrong.clone();
                object[key.as_str()] = wrong;
                object
            } else {
                wrong
            }
        }
        // Half a step off every multiple (a float even for an integer parameter: then the type
        // check rejects it, which is as much a failure).
        Constraint::MultipleOf { step, .. } => json!(step.as_f64() * 1.5),
        // Below any floor and outside any family but "0".
        Constraint::Version { .. } | Constraint::VersionTable { .. } => json!("0.0.1"),
        // The generator declares no presence rule: there is no value that breaks one.
        Constraint::Required { .. } => unreachable!("no required constraints are generated"),
        Constraint::Unsupported { .. } => json!(true),
    }
}

/// `count` cluster specs (JSON) for `kb`: even ones valid, odd ones each breaking one to three
/// limitations, or carrying a structural error (a wrong type, an unknown key). Every verdict is
/// one JSON Schema can express, so limitkb and any draft-07 validator must agree on it.
pub fn cluster_specs(kb: &Kb, count: usize) -> Vec<Spec> {
    let mut rng = Rng::new(0xc1a5_7e55);
    let index = kb.index();
    let constrained: Vec<(&str, &Constraint)> = kb
        .limitations
        .iter()
        .flat_map(|l| l.limitation.constraints.iter())
        .map(|c| (c.subject(), c))
        .collect();
    (0..count)
        .map(|n| {
            let mut spec = Map::new();
            let mut features = Map::new();
            // A valid base: a random part of the parameters, all at valid values, and the
            // features, each supported one on or off, each unsupported one off.
            for p in &kb.meta.parameters {
                if rng.chance(80) {
                    spec.insert(p.id.clone(), valid_value(kb, &p.id));
                }
            }
            for f in &kb.meta.features {
                let unsupported = !index.constraints_on(&f.id, true).is_empty();
                if rng.chance(70) {
                    features.insert(f.id.clone(), json!(!unsupported && rng.chance(50)));
                }
            }
            let valid = n % 2 == 0;
            if !valid {
                if rng.chance(15) || constrained.is_empty() {
                    // A structural error.
                    match rng.below(3) {
                        0 => {
                            spec.insert("prot".into(), json!(3306));
                        }
                        1 => {
                            let p = rng.pick(&kb.meta.parameters);
                            let wrong = if p.value_type == ParameterType::String {
                                json!(42)
                            } else {
                                json!("42")
                            };
                            spec.insert(p.id.clone(), wrong);
                        }
                        _ => {
                            features.insert("not_a_feature".into(), json!(true));
                        }
                    }
                } else {
                    for _ in 0..1 + rng.below(3) {
                        let (subject, c) = *rng.pick(&constrained);
                        if let Constraint::Unsupported { feature, .. } = c {
                            features.insert(feature.clone(), json!(true));
                        } else {
                            spec.insert(subject.to_string(), break_value(kb, subject, c, &mut rng));
                        }
                    }
                }
            }
            if !features.is_empty() || rng.chance(50) {
                spec.insert("features".into(), Json::Object(features));
            }
            Spec::new(n, &spec, valid, &mut rng)
        })
        .collect()
}
