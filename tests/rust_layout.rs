//! The generated Rust is written in rustfmt's layout without running rustfmt
//! (`src/rust_layout.rs`). These tests lay out thousands of items and matches with lengths on
//! both sides of every width rustfmt decides by, and check that the installed rustfmt leaves
//! every one of them as it is.

#[path = "../benches/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use limitkb::escape::rust_string;
use limitkb::rust_layout::{Value, item, match_arms, struct_array};
use std::io::Write as _;
use std::process::{Command, Stdio};

/// A small deterministic generator (xorshift), so a failure names a case that reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A length, half the time near the widths rustfmt decides by.
    fn length(&mut self, max: usize) -> usize {
        if self.below(2) == 0 {
            self.below(max + 1)
        } else {
            let edges = [
                8, 9, 10, 11, 50, 56, 57, 58, 60, 62, 75, 76, 77, 78, 80, 84, 94, 95, 96,
            ];
            let edge = edges[self.below(edges.len())];
            (edge + self.below(5)).saturating_sub(2).min(max)
        }
    }
    /// Text mixing ASCII with characters of display width 2 and 0, and characters that are
    /// escaped in a literal.
    fn text(&mut self, len: usize) -> String {
        const POOL: &[&str] = &[
            "a", "b", " ", "z", "漢", "é", "e\u{301}", "🦀", "\"", "\\", "\n", "\u{200b}", "-",
        ];
        (0..len)
            .map(|_| {
                // Mostly ASCII, as real text is.
                if self.below(4) == 0 {
                    POOL[self.below(POOL.len())]
                } else {
                    POOL[self.below(4)]
                }
            })
            .collect()
    }
    fn ident(&mut self, len: usize, upper: bool) -> String {
        let letters: Vec<char> = if upper {
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ_".chars().collect()
        } else {
            "abcdefghijklmnopqrstuvwxyz".chars().collect()
        };
        let mut id = String::from(if upper { "A" } else { "Ab" });
        while id.len() < len.max(2) {
            id.push(letters[self.below(letters.len())]);
        }
        id
    }
}

fn random_value(rng: &mut Rng) -> (String, Value) {
    match rng.below(6) {
        0 => {
            let len = rng.length(110);
            ("&str".into(), Value::Atom(rust_string(&rng.text(len))))
        }
        1 => (
            "i64".into(),
            Value::Atom((rng.next() as i64 >> rng.below(63)).to_string()),
        ),
        2 => ("bool".into(), Value::Atom("true".into())),
        3 => {
            let count = rng.below(16);
            let max = [3, 9, 30, 110][rng.below(4)];
            let items = (0..count)
                .map(|_| {
                    let len = rng.length(max);
                    rust_string(&rng.text(len))
                })
                .collect();
            ("&[&str]".into(), Value::Array(items))
        }
        4 => {
            let count = rng.below(40);
            let items = (0..count)
                .map(|_| (rng.next() as i64 >> rng.below(63)).to_string())
                .collect();
            ("&[i64]".into(), Value::Array(items))
        }
        _ => {
            let count = rng.below(6);
            let items = (0..count)
                .map(|_| {
                    let len = rng.length(100);
                    format!("Feature::{}", rng.ident(len, false))
                })
                .collect();
            ("&'static [Feature]".into(), Value::Array(items))
        }
    }
}

/// One case: a constant at the top level or in an `impl`, a `match` in a method, or an array
/// of struct literals; `None` where `rust_layout` leaves the layout to rustfmt.
fn random_case(rng: &mut Rng) -> Option<String> {
    if rng.below(6) == 0 {
        let structs: Vec<(String, Vec<(String, String)>)> = (0..rng.below(4))
            .map(|_| {
                // Short fields too: a struct within rustfmt's `struct_lit_width` (18 columns)
                // is left to rustfmt.
                let fields = ["id", "title", "summary", "source_quote"][..1 + rng.below(4)]
                    .iter()
                    .map(|field| {
                        let len = rng.length(95);
                        (field.to_string(), rust_string(&rng.text(len)))
                    })
                    .collect();
                ("Limitation".to_string(), fields)
            })
            .collect();
        let structs: Vec<_> = structs
            .iter()
            .map(|(name, fields)| {
                let fields = fields.iter().map(|(f, v)| (&f[..], &v[..])).collect();
                (&name[..], fields)
            })
            .collect();
        return struct_array(0, "pub static S: &[Limitation]", &structs);
    }
    if rng.below(3) == 0 {
        let arms: Vec<(String, String)> = (0..1 + rng.below(5))
            .map(|_| {
                let len = rng.length(95);
                let pattern = format!("Id::{}", rng.ident(len, false));
                let body = match rng.below(3) {
                    0 => "None".to_string(),
                    1 => {
                        let len = rng.length(95);
                        format!("Some(Other::{})", rng.ident(len, false))
                    }
                    _ => {
                        let len = rng.length(100);
                        rust_string(&rng.text(len))
                    }
                };
                (pattern, body)
            })
            .collect();
        let arms: Vec<(&str, &str)> = arms.iter().map(|(p, b)| (&p[..], &b[..])).collect();
        match_arms(12, &arms).map(|arms| format!(
            "impl Id {{\n    pub const fn f(self) -> &'static str {{\n        match self {{\n{arms}\n        }}\n    }}\n}}"
        ))
    } else {
        let (ty, value) = random_value(rng);
        let len = rng.length(90);
        let head = format!("pub const {}: {ty}", rng.ident(len, true));
        if rng.below(2) == 0 {
            item(0, &head, &value)
        } else {
            item(4, &head, &value).map(|item| format!("impl Id {{\n{item}\n}}"))
        }
    }
}

fn rustfmt(text: &str) -> String {
    let mut child = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    let mut stdin = child.stdin.take().unwrap();
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "rustfmt failed");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn rustfmt_leaves_every_laid_out_item_and_match_as_it_is() {
    let mut rng = Rng(0x5eed_1a70_u64);
    let all = 4000;
    let cases: Vec<String> = (0..all).filter_map(|_| random_case(&mut rng)).collect();
    // The generator dwells on extreme widths (the cases left to rustfmt); even so, most cases
    // must be laid out here.
    assert!(
        cases.len() * 2 >= all,
        "only {} of {all} cases laid out",
        cases.len()
    );
    let file: String = cases
        .iter()
        .enumerate()
        .map(|(n, case)| format!("// case {n}\n{case}\n\n"))
        .collect();
    let file = file.trim_end().to_string() + "\n";
    let formatted = rustfmt(&file);
    let wrong: Vec<String> = file
        .split("// case ")
        .zip(formatted.split("// case "))
        .filter(|(ours, theirs)| ours.trim_end() != theirs.trim_end())
        .take(5)
        .map(|(ours, theirs)| format!("ours:\n{ours}\nrustfmt:\n{theirs}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n----\n"));
    assert_eq!(formatted, file);
}

/// A knowledge base with the variety of a real one (every constraint kind, long Unicode texts,
/// lists, many categories): its crate needs no rustfmt to be written (a `RUSTFMT` that fails
/// would fail `generate`), and rustfmt finds nothing to change in it.
#[test]
fn a_varied_knowledge_base_is_written_in_rustfmts_layout_without_rustfmt() {
    let scratch = tempfile::tempdir().unwrap();
    let (data, out) = (scratch.path().join("data"), scratch.path().join("out"));
    synthetic::write_knowledge_base(&data, 300).unwrap();
    let generate = Command::new(env!("CARGO_BIN_EXE_limitkb"))
        .args(["generate", "--no-cache", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .env("RUSTFMT", "false")
        .output()
        .unwrap();
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    let lib = std::fs::read_to_string(out.join("rust/src/lib.rs")).unwrap();
    assert!(lib.contains("pub static LIMITATIONS"));
    assert_eq!(rustfmt(&lib), lib);
}
