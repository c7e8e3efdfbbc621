//! Dotted versions (`3.02.0`, `14.6`) compared numerically part by part, families (`2.07`
//! holds `2.07`, `2.07.1`, `2.7.3`), and the spellings a product writes them in
//! (`8.0.mysql_aurora.{version}`), all defined in the data: no product's versions are known
//! here.

use std::cmp::Ordering;

/// The placeholder of a spelling that stands for the version itself.
pub const PLACEHOLDER: &str = "{version}";

/// A version: its numeric parts, `3.02.0` as `[3, 2, 0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(Vec<u64>);

impl Version {
    /// Parses dotted numbers (`3.02.0`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        text.split('.')
            .map(|part| {
                (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| part.parse::<u64>().ok())
                    .flatten()
            })
            .collect::<Option<Vec<u64>>>()
            .map(Version)
    }

    /// Parses `text` written plainly or in one of `spellings` (each with one
    /// [`PLACEHOLDER`]): `8.0.mysql_aurora.3.02.0` with the spelling
    /// `8.0.mysql_aurora.{version}` is `3.02.0`.
    pub fn parse_spelled(text: &str, spellings: &[String]) -> Option<Version> {
        Version::parse(text).or_else(|| {
            spellings.iter().find_map(|spelling| {
                let (prefix, suffix) = spelling.split_once(PLACEHOLDER)?;
                let inner = text.strip_prefix(prefix)?.strip_suffix(suffix)?;
                Version::parse(inner)
            })
        })
    }

    /// Whether this version is in `family`: its first parts are the family's (`2.7.3` is in
    /// `2.07`; `2.10` is not).
    pub fn is_in(&self, family: &Version) -> bool {
        self.0.len() >= family.0.len() && self.0[..family.0.len()] == family.0[..]
    }
}

/// Numerically, part by part; a missing part counts as 0 (`14.6` = `14.6.0` < `14.10`).
impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .map(|i| {
                let part = |v: &Version| v.0.get(i).copied().unwrap_or(0);
                part(self).cmp(&part(other))
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A regular expression (the ECMA 262 subset JSON Schema's `pattern` uses) that matches the
/// versions of any of `families` (every version, for none), written plainly or in one of
/// `spellings`, exactly when [`Version::parse_spelled`] and [`Version::is_in`] accept them.
pub fn pattern(families: &[&Version], spellings: &[String]) -> String {
    let digits = "[0-9]+";
    let version = if families.is_empty() {
        format!("{digits}(\\.{digits})*")
    } else {
        let prefixes: Vec<String> = families
            .iter()
            .map(|family| {
                let fixed: Vec<String> = family.0.iter().map(|part| format!("0*{part}")).collect();
                fixed.join("\\.")
            })
            .collect();
        format!("({})(\\.{digits})*", prefixes.join("|"))
    };
    let mut forms = vec![version.clone()];
    for spelling in spellings {
        if let Some((prefix, suffix)) = spelling.split_once(PLACEHOLDER) {
            forms.push(format!("{}{version}{}", escape(prefix), escape(suffix)));
        }
    }
    format!("^({})$", forms.join("|"))
}

/// `text` with every character a regular expression reads as syntax escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn versions_compare_part_by_part_as_numbers() {
        assert!(v("14.6") < v("14.10"));
        assert_eq!(v("3.02.0"), v("3.2.0"));
        assert!(v("3.02.0").cmp(&v("3.2")).is_eq());
        assert!(v("3.02.3") > v("3.02.2"));
        assert!(Version::parse("3.x").is_none() && Version::parse("").is_none());
        assert!(Version::parse("1..2").is_none() && Version::parse("+1").is_none());
    }

    #[test]
    fn families_and_spellings() {
        let spellings = vec!["8.0.mysql_aurora.{version}".to_string()];
        let spelled = Version::parse_spelled("8.0.mysql_aurora.3.02.0", &spellings).unwrap();
        assert_eq!(spelled, v("3.02.0"));
        assert!(spelled.is_in(&v("3")) && !spelled.is_in(&v("2")));
        assert!(v("2.7.3").is_in(&v("2.07")) && !v("2.10").is_in(&v("2.07")));
        assert!(!v("2").is_in(&v("2.07")));
        assert_eq!(
            Version::parse_spelled("8.0.mysql_aurora.", &spellings),
            None
        );
    }

    proptest::proptest! {
        /// The pattern accepts a text exactly when parsing and the family test do.
        #[test]
        fn the_pattern_agrees_with_parsing(
            text in "(8\\.0\\.x_\\.)?[0-9]{1,3}(\\.[0-9]{1,3}){0,3}[a.]?",
            families in proptest::collection::vec("[0-9]{1,2}(\\.[0-9]{1,2}){0,2}", 0..3),
        ) {
            let spellings = vec!["8.0.x_.{version}".to_string()];
            let families: Vec<Version> = families.iter().map(|f| v(f)).collect();
            let refs: Vec<&Version> = families.iter().collect();
            let pattern = pattern(&refs, &spellings);
            let regex = regex_lite(&pattern);
            let parsed = Version::parse_spelled(&text, &spellings);
            let expected = parsed
                .is_some_and(|p| families.is_empty() || families.iter().any(|f| p.is_in(f)));
            proptest::prop_assert_eq!(regex(&text), expected, "{}", text);
        }
    }

    /// A matcher for the patterns above, through the JSON Schema validator the crate uses.
    fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool + use<> {
        let validator = jsonschema::draft7::new(&serde_json::json!({ "pattern": pattern }))
            .expect("a valid pattern");
        move |text| validator.is_valid(&serde_json::json!(text))
    }
}
