//! JSON pointers (RFC 6901), the one way every layer names a place in a document: the parsers
//! record positions under them, the schema validator reports errors at them, diagnostics show
//! them as dotted paths.

use std::fmt::Write as _;

/// Appends `/key` to `pointer`, escaped.
pub(crate) fn push_key(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&escape_key(key));
    } else {
        pointer.push_str(key);
    }
}

/// Appends `/index` to `pointer`.
pub(crate) fn push_index(pointer: &mut String, index: usize) {
    let _ = write!(pointer, "/{index}");
}

/// `key` as one segment of a pointer, escaped.
pub(crate) fn escape_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `pointer` with `/key` appended.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    let mut out = pointer.to_string();
    push_key(&mut out, key);
    out
}

/// The segments of `pointer`, unescaped: `/a~1b/0` gives `a/b`, `0`.
pub(crate) fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_escaping() {
        let mut pointer = String::new();
        push_key(&mut pointer, "a/b~c");
        push_index(&mut pointer, 3);
        assert_eq!(pointer, "/a~1b~0c/3");
        assert_eq!(segments(&pointer).collect::<Vec<_>>(), ["a/b~c", "3"]);
        assert_eq!(child("", "x"), "/x");
        assert_eq!(segments("").count(), 0);
    }
}
