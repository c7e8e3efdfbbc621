//! The normalized view of a knowledge base that every target is rendered from. It is the
//! template context and, serialized, the JSON bundle: one shape for templates and for tools.
//! Everything here is language-neutral; templates turn it into code with the filters in
//! `render`.

use crate::fast_hash::Map as HashMap;
use crate::model::constants::{self, Constant};
use crate::model::{
    Constraint, Fact, Index, InputCondition, InputField, InputFormat, Kb, Parameter, ParameterType,
    Quote, SourceDocument, Unstated, Value, ValueType,
};
use crate::text;
use serde::Serialize;

/// The whole normalized knowledge base.
#[derive(Debug, Clone, Serialize)]
pub struct KbView<'a> {
    /// Identity and source of the knowledge base.
    pub kb: KbInfo<'a>,
    /// Categories in docs order.
    pub categories: Vec<CategoryView<'a>>,
    /// Every limitation, in category order.
    pub limitations: Vec<LimitationView<'a>>,
    /// The cluster spec's parameters.
    pub parameters: Vec<ParameterView<'a>>,
    /// The named features.
    pub features: Vec<FeatureView<'a>>,
    /// Every named constant.
    pub constants: Vec<Constant>,
    /// The formats `check` reads besides the cluster spec.
    pub inputs: Vec<InputView<'a>>,
}

/// Identity and source of the knowledge base.
#[derive(Debug, Clone, Serialize)]
pub struct KbInfo<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Product name.
    pub name: &'a str,
    /// Data version (semver).
    pub version: &'a str,
    /// What the KB covers.
    pub description: Option<&'a str>,
    /// The source document.
    pub source: &'a SourceDocument,
}

/// A category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView<'a> {
    /// Stable id: the data file's stem and the docs page's.
    pub id: &'a str,
    /// Heading.
    pub title: &'a str,
    /// What it is about.
    pub description: Option<&'a str>,
    /// Whether docs show its limitations up front.
    pub callout: bool,
    /// The docs page, relative to the docs root.
    pub page: String,
    /// The ids of its limitations, in order.
    pub limitations: Vec<&'a str>,
}

/// A limitation, with everything a docs page or a table needs.
#[derive(Debug, Clone, Serialize)]
pub struct LimitationView<'a> {
    /// Stable id; also the docs anchor.
    pub id: &'a str,
    /// The category id.
    pub category: &'a str,
    /// The category's title.
    pub category_title: &'a str,
    /// The docs page, relative to the docs root.
    pub page: String,
    /// Heading.
    pub title: &'a str,
    /// One sentence in our words.
    pub summary: &'a str,
    /// Whether it is a notice (no constraint a cluster spec could break).
    pub notice: bool,
    /// For a lifted limitation: the source revision that lifted it.
    pub lifted_in: Option<&'a str>,
    /// Its constraints.
    pub constraints: Vec<ConstraintView<'a>>,
    /// Its typed facts.
    pub facts: Vec<FactView<'a>>,
    /// Where the source document states it.
    pub source: &'a Quote,
    /// The document quoted: the main source, or the other source `source.document` names.
    pub document: &'a SourceDocument,
}

/// A constraint, in data and in words.
#[derive(Debug, Clone, Serialize)]
pub struct ConstraintView<'a> {
    /// The limitation that states it.
    pub limitation: &'a str,
    /// The docs page of that limitation.
    pub page: String,
    /// `range`, `one-of`, `equals`, `multiple-of` or `unsupported`.
    pub kind: &'static str,
    /// The parameter or feature id.
    pub subject: &'a str,
    /// The parameter's title or the feature's name.
    pub subject_title: &'a str,
    /// The cluster spec fields it applies to, such as `capacity.min_acu` or `features.rds_proxy`.
    pub fields: Vec<String>,
    /// What the constraint requires, in words: "from 4 ACU to 32 ACU", "exactly 3306".
    pub words: String,
    /// The constraint's data: `min`/`max`, `values` or `value` (none for `unsupported`).
    #[serde(flatten)]
    pub data: &'a Constraint,
}

/// A typed fact.
#[derive(Debug, Clone, Serialize)]
pub struct FactView<'a> {
    /// Its name (snake_case).
    pub id: &'a str,
    /// The value.
    pub value: &'a Value,
    /// The value's type (`integer`, `string-list`…).
    #[serde(rename = "type")]
    pub value_type: ValueType,
    /// Unit of a numeric value.
    pub unit: Option<&'a str>,
    /// What it is.
    pub description: &'a str,
    /// The value in words.
    pub words: String,
}

/// A parameter of the cluster spec.
#[derive(Debug, Clone, Serialize)]
pub struct ParameterView<'a> {
    /// The declaration.
    #[serde(flatten)]
    pub parameter: &'a Parameter,
    /// The cluster spec fields: the id, or for a range `id.min_key` and `id.max_key`.
    pub fields: Vec<String>,
    /// The constraints on it.
    pub constraints: Vec<ConstraintView<'a>>,
}

/// A named feature.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureView<'a> {
    /// Its key under `features`.
    pub id: &'a str,
    /// Its product name.
    pub name: &'a str,
    /// The limitation that rules it out, if any.
    pub unsupported_by: Option<&'a str>,
    /// The docs page of that limitation.
    pub page: Option<String>,
}

/// A format `check` reads besides the cluster spec (`[[input]]` in `kb.toml`), and where it
/// finds each value.
#[derive(Debug, Clone, Serialize)]
pub struct InputView<'a> {
    /// `cloudformation`, `rds-api` or `terraform`.
    pub format: &'static str,
    /// What its files are, as a heading: "CloudFormation templates".
    pub title: &'static str,
    /// Its docs page, relative to the knowledge base's docs.
    pub page: String,
    /// The resource type (or operation) of a cluster.
    pub cluster: &'a str,
    /// `rds-api`: each operation with the members that mark its requests.
    pub operations: Vec<OperationView<'a>>,
    /// When a cluster is one the knowledge base is about (any of them; none: always).
    pub applies_when: &'a [InputCondition],
    /// Where each parameter and feature stands.
    pub field: &'a [InputField],
    /// The parameters the format does not state, with why.
    pub unstated: &'a [Unstated],
    /// The parameters and features no field gives and the format does not say it lacks.
    pub unread: Vec<&'a str>,
}

/// An operation of an API format.
#[derive(Debug, Clone, Serialize)]
pub struct OperationView<'a> {
    /// Its name, such as `CreateDBCluster`.
    pub name: &'a str,
    /// The members a request of it has.
    pub members: &'a [String],
}

/// The docs page of each limitation, by id.
type Pages<'a> = HashMap<&'a str, String>;

/// The page of a category in the docs.
fn page(category: &str) -> String {
    format!("{category}.md")
}

/// The normalized view of `kb`.
pub fn view(kb: &Kb) -> KbView<'_> {
    let meta = &kb.meta;
    let index = kb.index();
    let pages: Pages<'_> = kb
        .limitations
        .iter()
        .map(|l| (l.limitation.id.as_str(), page(&l.category)))
        .collect();
    let category_titles: HashMap<&str, &str> = meta
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let limitations: Vec<LimitationView<'_>> = kb
        .limitations
        .iter()
        .map(|entry| {
            let l = &entry.limitation;
            let category_title = category_titles
                .get(entry.category.as_str())
                .copied()
                .unwrap_or(&entry.category);
            LimitationView {
                id: &l.id,
                category: &entry.category,
                category_title,
                page: page(&entry.category),
                title: &l.title,
                summary: &l.summary,
                notice: l.constraints.is_empty(),
                lifted_in: l.lifted_in.as_deref(),
                constraints: l
                    .constraints
                    .iter()
                    .map(|c| constraint_view(&index, &pages, &l.id, c))
                    .collect(),
                facts: l.facts.iter().map(fact_view).collect(),
                source: &l.source,
                // The lint has checked that the document exists.
                document: meta
                    .document(l.source.document.as_deref())
                    .unwrap_or(&meta.source),
            }
        })
        .collect();
    let parameters = meta
        .parameters
        .iter()
        .map(|p| {
            // An object list's constraints are on its fields.
            let constraints = p
                .subjects()
                .flat_map(|(subject, _)| index.constraints_on(&subject, false).to_vec())
                .map(|(limitation, c)| constraint_view(&index, &pages, limitation, c))
                .collect();
            ParameterView {
                parameter: p,
                fields: fields(&p.id, p),
                constraints,
            }
        })
        .collect();
    let features = meta
        .features
        .iter()
        .map(|f| {
            // Only a feature ruled out whatever the cluster is counts as unsupported.
            let unsupported_by = index
                .constraints_on(&f.id, true)
                .iter()
                .find(|(_, c)| c.when().is_none())
                .map(|(l, _)| *l);
            FeatureView {
                id: &f.id,
                name: &f.name,
                unsupported_by,
                page: unsupported_by.map(|l| pages[l].clone()),
            }
        })
        .collect();
    KbView {
        kb: info(kb),
        categories: categories(kb),
        limitations,
        parameters,
        features,
        constants: constants::constants(kb),
        inputs: inputs(kb),
    }
}

/// What the docs site shows of a knowledge base beside the others: its identity and its
/// categories (the pages of its part).
#[derive(Debug, Clone, Serialize)]
pub struct SitePart<'a> {
    /// Identity and source of the knowledge base.
    pub kb: KbInfo<'a>,
    /// Categories in docs order.
    pub categories: Vec<CategoryView<'a>>,
    /// The formats `check` reads besides the cluster spec, each with its page.
    pub inputs: Vec<InputView<'a>>,
}

/// The part of `kb` in the docs site.
pub fn site_part(kb: &Kb) -> SitePart<'_> {
    SitePart {
        kb: info(kb),
        categories: categories(kb),
        inputs: inputs(kb),
    }
}

/// The input formats of `kb`.
fn inputs(kb: &Kb) -> Vec<InputView<'_>> {
    kb.meta
        .inputs
        .iter()
        .map(|m| {
            let given = |id: &str| {
                m.field.iter().any(|f| {
                    f.feature.as_deref() == Some(id)
                        || f.parameter.as_deref().is_some_and(|p| {
                            p == id || p.split_once('.').is_some_and(|(head, _)| head == id)
                        })
                }) || m.unstated.iter().any(|u| u.parameter == id)
            };
            let unread = kb
                .meta
                .parameters
                .iter()
                .map(|p| p.id.as_str())
                .chain(kb.meta.features.iter().map(|f| f.id.as_str()))
                .filter(|id| !given(id))
                .collect();
            InputView {
                format: m.format.name(),
                title: match m.format {
                    InputFormat::Cloudformation => "CloudFormation templates",
                    InputFormat::RdsApi => "RDS API requests",
                    InputFormat::Terraform => "Terraform configurations and plans",
                },
                page: format!("input-{}.md", m.format.name()),
                cluster: &m.cluster,
                operations: m
                    .operations
                    .iter()
                    .map(|(name, members)| OperationView { name, members })
                    .collect(),
                applies_when: &m.applies_when,
                field: &m.field,
                unstated: &m.unstated,
                unread,
            }
        })
        .collect()
}

fn info(kb: &Kb) -> KbInfo<'_> {
    let meta = &kb.meta;
    KbInfo {
        id: &meta.id,
        name: &meta.name,
        version: &meta.version,
        description: meta.description.as_deref(),
        source: &meta.source,
    }
}

fn categories(kb: &Kb) -> Vec<CategoryView<'_>> {
    let mut by_category: HashMap<&str, Vec<&str>> = HashMap::default();
    for entry in &kb.limitations {
        by_category
            .entry(&entry.category)
            .or_default()
            .push(&entry.limitation.id);
    }
    kb.meta
        .categories
        .iter()
        .map(|c| CategoryView {
            id: &c.id,
            title: &c.title,
            description: c.description.as_deref(),
            callout: c.callout,
            page: page(&c.id),
            limitations: by_category.remove(c.id.as_str()).unwrap_or_default(),
        })
        .collect()
}

/// The cluster spec fields of parameter `p` (`id` for a field of an object list `list.id`):
/// its id, a range's two bounds, an object list's fields (`instance[].class`).
fn fields(id: &str, p: &Parameter) -> Vec<String> {
    let id = id.replace('.', "[].");
    match (p.value_type, &p.min_key, &p.max_key, &p.fields) {
        (ParameterType::Range, Some(min), Some(max), _) => {
            vec![format!("{id}.{min}"), format!("{id}.{max}")]
        }
        (ParameterType::ObjectList, _, _, Some(list)) => {
            list.iter().map(|f| format!("{id}[].{}", f.id)).collect()
        }
        _ => vec![id],
    }
}

fn constraint_view<'a>(
    index: &Index<'a>,
    pages: &Pages<'_>,
    limitation: &'a str,
    c: &'a Constraint,
) -> ConstraintView<'a> {
    let (subject_title, fields, words) = match c {
        Constraint::Unsupported { feature, .. } => {
            let name = index
                .feature(feature)
                .map_or(feature.as_str(), |f| f.name.as_str());
            (
                name,
                vec![format!("features.{feature}")],
                "not enabled (unsupported)".to_string(),
            )
        }
        _ => {
            let parameter = index.parameter(c.subject());
            let words = parameter
                .and_then(|p| text::constraint_words(p, c))
                .unwrap_or_default();
            let each = if parameter.is_some_and(|p| p.value_type == ParameterType::StringList) {
                "each "
            } else {
                ""
            };
            (
                parameter.map_or(c.subject(), |p| p.title.as_str()),
                parameter.map_or_else(|| vec![c.subject().to_string()], |p| fields(c.subject(), p)),
                format!("{each}{words}"),
            )
        }
    };
    let page = pages.get(limitation).cloned().unwrap_or_default();
    ConstraintView {
        limitation,
        page,
        kind: c.kind(),
        subject: c.subject(),
        subject_title,
        fields,
        words,
        data: c,
    }
}

fn fact_view(f: &Fact) -> FactView<'_> {
    let unit = f.unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
    FactView {
        id: &f.id,
        value: &f.value,
        value_type: f.value.value_type(),
        unit: f.unit.as_deref(),
        description: &f.description,
        words: format!("{}{unit}", text::value_text(&f.value)),
    }
}
