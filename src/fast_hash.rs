//! Hash maps and sets keyed by the knowledge base's ids and texts. std's SipHash resists
//! collisions chosen by an attacker, which nothing here needs, and took a twentieth of
//! `validate` at 100,000 limitations; aHash (already a dependency of tera and jsonschema) is
//! several times faster, and still seeded per process.

pub(crate) type Map<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
pub(crate) type Set<K> = std::collections::HashSet<K, ahash::RandomState>;
