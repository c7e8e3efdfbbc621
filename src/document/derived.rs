//! Documents derived from another: a cluster spec built from a file of another format (a
//! template, a request), whose every value keeps the position it has in the user's file, so
//! that checking the spec reports problems where the user wrote them.

use super::{Document, SpanIndex};
use serde_json::Value;

impl Document {
    /// A document of `value` whose parts stand where `origins` say they stand in this one:
    /// `(pointer in value, pointer in self)`. A part without an origin falls back to its
    /// nearest ancestor's, as in any document.
    pub(crate) fn derived(&self, value: Value, origins: &[(String, String)]) -> Document {
        let mut spans = SpanIndex::default();
        for (pointer, origin) in origins {
            if let Some(entry) = self.spans.get(origin) {
                let wide = |span: &std::ops::Range<u32>| span.start as usize..span.end as usize;
                spans.record(
                    pointer,
                    entry.key.as_ref().map(wide),
                    entry.value.as_ref().map(wide),
                );
            }
        }
        Document {
            file: self.file.clone(),
            value,
            text: self.text.clone(),
            spans,
            parts: self.parts.clone(),
        }
    }

    /// The whole text (of every file, for a document of several).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The text of the value at `pointer`, as the file writes it.
    pub(crate) fn value_text(&self, pointer: &str) -> Option<String> {
        let span = self.spans.get(pointer)?.value.as_ref()?;
        self.text
            .get(span.start as usize..span.end as usize)
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Syntax};

    #[test]
    fn a_derived_document_points_into_the_original_text() {
        let text = r#"{"Resources": {"Db": {"Properties": {"MinCapacity": 0.25}}}}"#;
        let doc = Document::parse("t.json", text.to_string(), Syntax::Json).unwrap();
        let origin = "/Resources/Db/Properties/MinCapacity";
        let derived = doc.derived(
            serde_json::json!({"capacity": {"min_acu": 0.25}}),
            &[("/capacity/min_acu".to_string(), origin.to_string())],
        );
        let d = derived.value_diagnostic("/capacity/min_acu", "too low");
        assert_eq!((d.line, d.column), (Some(1), Some(53)));
        assert_eq!(&text[52..56], "0.25");
        assert_eq!(doc.value_text(origin).as_deref(), Some("0.25"));
    }
}
