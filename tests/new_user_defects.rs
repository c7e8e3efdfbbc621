//! Defects a new user meets, one test each, through public behaviour only: the `limitkb`
//! binary, the files it generates, and the real consumers of those files (`cargo`/`rustc`,
//! `python3`). Each test edits a copy of `data/` in a temporary directory, never the
//! repository's.
//!
//! 1. a closed stdout makes `list` and `check` panic;
//! 2. the Python package's folder keeps the first knowledge base's name whatever the id;
//! 3. the package READMEs document `PORT`, whether the data defines it or not;
//! 4. a `number` parameter's range bounds get the types of their TOML literals;
//! 5. the banner always names `data/` and `cargo run --release -- generate`;
//! 6. two constraints of one kind on a parameter are told to rename something;
//! 7. a fact whose value is a table gets a raw JSON Schema error.

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use support::files::copy_dir;

const BIN: &str = env!("CARGO_BIN_EXE_limitkb");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `limitkb validate --data DATA`.
fn validate(data: &Path) -> Output {
    Command::new(BIN)
        .arg("validate")
        .arg("--data")
        .arg(data)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

/// What `validate` printed about the problem at `place` (`FILE:LINE:` or `FILE:LINE:COL:`),
/// without the place: in the one-line form (`FILE:LINE:COL: path: message`) the rest of the
/// line; in the default form (a headline, `--> FILE:LINE:COL`, the source line, `= help:` and
/// `= note:` lines) the headline and the help and note lines of the block at that place.
fn diagnostic_at(stderr: &str, place: &str) -> Option<String> {
    if let Some(line) = stderr.lines().find(|l| l.starts_with(place)) {
        return Some(line[place.len()..].to_string());
    }
    stderr
        .split("\n\n")
        .find(|block| {
            block.lines().any(|l| {
                l.trim_start()
                    .strip_prefix("--> ")
                    .is_some_and(|at| format!("{at}:").starts_with(place))
            })
        })
        .map(|block| {
            block
                .lines()
                .filter(|l| l.starts_with("error:") || l.trim_start().starts_with("= "))
                .collect::<Vec<_>>()
                .join(" ")
        })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Stdout and stderr of a run, for failure messages.
fn streams(output: &Output) -> String {
    format!(
        "--- stdout ---\n{}--- stderr ---\n{}",
        text(&output.stdout),
        text(&output.stderr)
    )
}

/// A copy of the repository's preview knowledge base at `<dir>/data`.
fn copy_data(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&support::data_of(support::PREVIEW), &data);
    data
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, contents: &str) {
    fs::write(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Appends `addition` to the file at `path`, on a line of its own.
fn append(path: &Path, addition: &str) {
    let mut contents = read(path);
    if !contents.ends_with('\n') {
        contents.push('\n');
    }
    contents.push('\n');
    contents.push_str(addition);
    write(path, &contents);
}

/// `text` without its top-level `header` blocks (`[[parameter]]`, `[[limitation]]`…) that
/// contain `needle`. A block runs from its header to the next line starting with `[`.
fn without_blocks(text: &str, header: &str, needle: &str) -> String {
    let mut blocks: Vec<String> = vec![String::new()];
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            blocks.push(String::new());
        }
        blocks
            .last_mut()
            .expect("one block at least")
            .push_str(line);
    }
    blocks
        .into_iter()
        .filter(|block| !(block.starts_with(header) && block.contains(needle)))
        .collect()
}

/// The 1-based line and column of the last occurrence of `needle` in `text`.
fn position_of_last(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .rfind(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

/// A field of the `[[limitation]]` of `file` whose id is `id`, written as TOML (an inline
/// table for `source`), to reuse in another limitation.
fn limitation_field(file: &Path, id: &str, field: &str) -> String {
    let parsed: toml::Table = toml::from_str(&read(file))
        .unwrap_or_else(|e| panic!("{} is not TOML: {e}", file.display()));
    let limitation = parsed["limitation"]
        .as_array()
        .expect("[[limitation]] entries")
        .iter()
        .find(|l| l["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no limitation `{id}` in {}", file.display()));
    limitation[field].to_string()
}

/// Runs `limitkb validate --data DATA`, expecting it to succeed.
fn assert_valid(data: &Path) {
    let output = validate(data);
    assert_eq!(
        output.status.code(),
        Some(0),
        "the edited copy of data/ must be valid:\n{}",
        streams(&output)
    );
}

/// Runs `limitkb generate --data DATA --out OUT`, expecting it to succeed.
/// Runs `limitkb generate --data DATA --out OUT`; returns the knowledge base's tree,
/// `OUT/<its id>`.
fn generate(data: &Path, out: &Path) -> PathBuf {
    let output = Command::new(BIN)
        .arg("generate")
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    assert_eq!(
        output.status.code(),
        Some(0),
        "limitkb generate failed:\n{}",
        streams(&output)
    );
    let kb: toml::Table = toml::from_str(&read(&data.join("kb.toml"))).expect("kb.toml is TOML");
    out.join(kb["id"].as_str().expect("kb.toml has an id"))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Defect 1: `limitkb list | head -1` and `limitkb check --format json FILE | head` panicked
/// with "failed printing to stdout: Broken pipe" and exited 101, because every write to
/// stdout was a `println!`, which panics on EPIPE (Rust ignores SIGPIPE, so the write fails
/// instead of killing the process). A closed stdout must end the program quietly: nothing on
/// stderr, and the exit code the command determined anyway (0 for `list`, 1 for `check` of
/// `examples/cluster-broken.toml`, which has violations).
#[test]
fn closed_stdout_ends_quietly_with_the_commands_exit_code() {
    let runs: [(&[&str], i32); 4] = [
        (&["list", "--kb", support::PREVIEW], 0),
        (&["list", "--format", "json", "--kb", support::PREVIEW], 0),
        (
            &[
                "check",
                "--format",
                "json",
                "--data",
                "data",
                "examples/cluster-broken.toml",
            ],
            1,
        ),
        (
            &["check", "--data", "data", "examples/cluster-broken.toml"],
            1,
        ),
    ];
    let mut problems = Vec::new();
    for (args, expected) in runs {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(repo())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        // Close the read end before the child writes anything: its first write gets EPIPE.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("limitkb runs to its end");
        let stderr = text(&output.stderr);
        let command = format!("limitkb {}", args.join(" "));
        let code = output.status.code();
        if code != Some(expected) || stderr.contains("panicked") || !stderr.is_empty() {
            let said: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(2)
                .collect();
            problems.push(format!(
                "`{command}` with stdout closed: exit {code:?}, expected {expected}; stderr {}: {}",
                if stderr.contains("panicked") {
                    "has a panic"
                } else {
                    "is not empty"
                },
                said.join(" ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

/// Defect 2: the Python template folder was literally
/// `templates/python/limitkb_aurora_serverless_v2_preview/`, so a knowledge base with
/// another id got a package folder named after the first one, while `pyproject.toml` (and
/// every import) names `limitkb_<id in snake_case>`: `import limitkb_demo_kb` failed with
/// ModuleNotFoundError. The folder must follow the id (the `[kb_module]` path placeholder).
#[test]
fn python_package_directory_follows_the_kb_id() {
    let temp = tempfile::tempdir().unwrap();
    let data = copy_data(temp.path());
    let kb = data.join("kb.toml");
    let original = read(&kb);
    let edited = original.replacen(
        "\nid = \"aurora-serverless-v2-preview\"\n",
        "\nid = \"demo-kb\"\n",
        1,
    );
    assert_ne!(
        edited, original,
        "kb.toml has no top-level id line to change"
    );
    write(&kb, &edited);
    assert_valid(&data);
    let out = generate(&data, &temp.path().join("out"));
    let python = out.join("python");

    let mut problems = Vec::new();
    let import = Command::new("python3")
        .arg("-c")
        .arg("import sys; sys.path.insert(0, sys.argv[1]); import limitkb_demo_kb as m; print(m.KB_ID)")
        .arg(&python)
        .output()
        .expect("python3 runs");
    let printed = text(&import.stdout);
    if !import.status.success() || printed.trim() != "demo-kb" {
        let error = text(&import.stderr);
        problems.push(format!(
            "`import limitkb_demo_kb` from {} printed {:?}, expected \"demo-kb\" ({}); the folder holds {:?}",
            python.display(),
            printed.trim(),
            error.lines().last().unwrap_or("no error"),
            support::files::file_names(&python)
        ));
    }

    let pyproject: toml::Table =
        toml::from_str(&read(&python.join("pyproject.toml"))).expect("pyproject.toml is TOML");
    let packages = pyproject["tool"]["setuptools"]["packages"]
        .as_array()
        .expect("pyproject.toml names its packages in [tool.setuptools] packages");
    assert!(!packages.is_empty(), "pyproject.toml names no package");
    for package in packages {
        let name = package.as_str().expect("a package name is a string");
        if !python.join(name).join("__init__.py").is_file() {
            problems.push(format!(
                "pyproject.toml names the package `{name}`, but {} has no {name}/__init__.py",
                python.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

/// The identifiers in a line of code, outside string literals and the line comment that
/// starts with `comment`.
fn code_identifiers(line: &str, comment: &str) -> Vec<String> {
    let mut code = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
                code.push(' ');
            }
            None if line[at..].starts_with(comment) => break,
            None if matches!(c, '"' | '\'' | '`') => {
                quote = Some(c);
                code.push(' ');
            }
            None => code.push(c),
        }
    }
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// A SCREAMING_SNAKE identifier of two characters or more: `PORT`, `CAPACITY_MAX`.
fn is_screaming_snake(word: &str) -> bool {
    word.len() >= 2
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Every SCREAMING_SNAKE identifier in the fenced code blocks of a Markdown text, and how
/// many code blocks it has.
fn code_block_constants(markdown: &str) -> (BTreeSet<String>, usize) {
    let mut found = BTreeSet::new();
    let mut blocks = 0;
    let mut comment: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            comment = match comment {
                Some(_) => None,
                None => {
                    blocks += 1;
                    let language = info.split([',', ' ']).next().unwrap_or("");
                    Some(match language {
                        "python" | "py" | "sh" | "toml" | "console" => "#",
                        _ => "//",
                    })
                }
            };
            continue;
        }
        if let Some(comment) = comment {
            found.extend(
                code_identifiers(line, comment)
                    .into_iter()
                    .filter(|word| is_screaming_snake(word)),
            );
        }
    }
    (found, blocks)
}

/// Defect 3: the READMEs of the generated Rust, TypeScript and Python packages
/// (`templates/{rust,ts,python}/README.md.tera`) hard-coded `PORT == 3306`, so for a
/// knowledge base without a `port` parameter they documented a constant that does not exist.
/// Every constant a README's code uses must be one the generated package defines: a constant
/// of the bundle, or one of the module's tables.
#[test]
fn package_readmes_use_only_constants_the_data_defines() {
    let temp = tempfile::tempdir().unwrap();
    let data = copy_data(temp.path());
    let kb = data.join("kb.toml");
    let original = read(&kb);
    let edited = without_blocks(&original, "[[parameter]]", "\nid = \"port\"\n");
    assert_ne!(edited, original, "kb.toml has no [[parameter]] `port`");
    // Nor does a file format give it any more.
    let edited: String = edited
        .lines()
        .filter(|line| !line.contains("{ parameter = \"port\""))
        .map(|line| format!("{line}\n"))
        .collect();
    write(&kb, &edited);
    let mut removed = 0;
    for entry in fs::read_dir(data.join("limitations")).unwrap() {
        let path = entry.unwrap().path();
        let original = read(&path);
        let edited = without_blocks(&original, "[[limitation]]", "parameter = \"port\"");
        if edited != original {
            removed += 1;
            write(&path, &edited);
        }
    }
    assert!(removed > 0, "no limitation constrains `port`");
    assert_valid(&data);
    let out = generate(&data, &temp.path().join("out"));

    let bundle = json(&out.join("json/limitations.json"));
    let mut defined: BTreeSet<String> = bundle["constants"]
        .as_array()
        .expect("the bundle has constants")
        .iter()
        .map(|c| {
            c["name"]
                .as_str()
                .expect("a constant has a name")
                .to_uppercase()
        })
        .collect();
    assert!(
        !defined.contains("PORT"),
        "the data still defines PORT: the edit did not take"
    );
    defined.extend(
        [
            "LIMITATIONS",
            "LIMITATIONS_BY_ID",
            "LIMITATION_IDS",
            "FEATURES",
            "FEATURE_IDS",
            "UNSUPPORTED_FEATURES",
        ]
        .map(String::from),
    );

    let mut problems = Vec::new();
    for target in ["rust", "ts", "python"] {
        let path = out.join(target).join("README.md");
        let (used, blocks) = code_block_constants(&read(&path));
        assert!(blocks > 0, "{} has no fenced code block", path.display());
        assert!(
            !used.is_empty(),
            "the code of {} uses no constant at all",
            path.display()
        );
        let undefined: Vec<&String> = used.difference(&defined).collect();
        if !undefined.is_empty() {
            problems.push(format!(
                "{target}/README.md uses {undefined:?}, which the generated package does not define"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

/// Defect 4: a constant's type followed the TOML literal, not the parameter: a `range` with
/// `min = 0.5` and `max = 128` on a parameter of type `number` generated
/// `CPU_RATIO_MIN: f64` beside `CPU_RATIO_MAX: i64` (and `"type": "integer"` in the bundle),
/// and comparing an `f64` with the latter does not compile. The parameter's type must decide:
/// both bounds `number`, both `f64`.
#[test]
fn number_parameter_gives_f64_constants_for_every_bound() {
    let temp = tempfile::tempdir().unwrap();
    let data = copy_data(temp.path());
    append(
        &data.join("kb.toml"),
        "[[parameter]]\nid = \"cpu_ratio\"\ntitle = \"CPU ratio\"\ntype = \"number\"\n",
    );
    let capacity = data.join("limitations/capacity.toml");
    let quote = limitation_field(&capacity, "capacity-range", "source");
    append(
        &capacity,
        &format!(
            "[[limitation]]\n\
             id = \"cpu-ratio-range\"\n\
             title = \"CPU ratio from 0.5 to 128\"\n\
             summary = \"The CPU ratio ranges from 0.5 to 128.\"\n\
             constraint = [{{ kind = \"range\", parameter = \"cpu_ratio\", min = 0.5, max = 128 }}]\n\
             source = {quote}\n"
        ),
    );
    assert_valid(&data);
    let out = generate(&data, &temp.path().join("out"));

    let mut problems = Vec::new();
    let bundle = json(&out.join("json/limitations.json"));
    for name in ["cpu_ratio_min", "cpu_ratio_max"] {
        let constant = bundle["constants"]
            .as_array()
            .expect("the bundle has constants")
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("the bundle has no constant {name}"));
        if constant["type"] != "number" {
            problems.push(format!(
                "the bundle's {name} has type {}, not \"number\"",
                constant["type"]
            ));
        }
    }

    // A consumer crate comparing an f64 with both bounds.
    let rust = out.join("rust");
    let manifest: toml::Table =
        toml::from_str(&read(&rust.join("Cargo.toml"))).expect("the crate's Cargo.toml is TOML");
    let package = manifest["package"]["name"]
        .as_str()
        .expect("the generated crate has a name");
    let consumer = temp.path().join("consumer");
    fs::create_dir_all(consumer.join("src")).unwrap();
    write(
        &consumer.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"cpu-ratio-consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{package} = {{ path = {} }}\n\n[workspace]\n",
            toml::Value::String(rust.display().to_string())
        ),
    );
    write(
        &consumer.join("src/main.rs"),
        &format!(
            "use {} as limits;\n\n\
             fn main() {{\n    let v: f64 = 1.0;\n    \
             assert!(v >= limits::CPU_RATIO_MIN && v <= limits::CPU_RATIO_MAX);\n}}\n",
            package.replace('-', "_")
        ),
    );
    let build = Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet", "--color", "never"])
        .current_dir(&consumer)
        .env("CARGO_TARGET_DIR", temp.path().join("target"))
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .expect("cargo runs");
    if !build.status.success() {
        let stderr = text(&build.stderr);
        let first_error = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("no error line");
        problems.push(format!(
            "a consumer comparing an f64 with CPU_RATIO_MIN and CPU_RATIO_MAX does not build: {first_error}\n{stderr}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

/// Defect 5: every generated file's banner said "Generated by limitkb from the knowledge base
/// in data/. Do not edit: change the data, then run `cargo run --release -- generate`.", even
/// when generated with `--data` and `--out` elsewhere, where that command regenerates other
/// files from other data. The banner must name the data directory used and the command that
/// regenerates these files: `limitkb generate --data DIR --out DIR`.
#[test]
fn banner_names_the_data_and_output_directories_used() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("mydata");
    copy_dir(&support::data_of(support::PREVIEW), &data);
    let out = temp.path().join("myout");
    let tree = generate(&data, &out);
    let (data_dir, out_dir) = (data.display().to_string(), out.display().to_string());

    let banner_of_json = |path: &str| -> String {
        json(&tree.join(path))["$comment"]
            .as_str()
            .unwrap_or_else(|| panic!("{path} has no $comment"))
            .to_string()
    };
    let banners = [
        ("rust/src/lib.rs", read(&tree.join("rust/src/lib.rs"))),
        (
            "json/limitations.json",
            banner_of_json("json/limitations.json"),
        ),
        (
            "schema/cluster.schema.json",
            banner_of_json("schema/cluster.schema.json"),
        ),
        (
            "docs/README.md",
            read(&out.join("docs").join(support::PREVIEW).join("README.md")),
        ),
    ];
    let mut problems = Vec::new();
    for (file, banner) in &banners {
        let lacks: Vec<&str> = ["--data", data_dir.as_str(), "--out", out_dir.as_str()]
            .into_iter()
            .filter(|wanted| !banner.contains(wanted))
            .collect();
        let says: Vec<&str> = ["cargo run --release -- generate", "knowledge base in data/"]
            .into_iter()
            .filter(|unwanted| banner.contains(unwanted))
            .collect();
        if !lacks.is_empty() || !says.is_empty() {
            problems.push(format!(
                "{file}: the banner lacks {lacks:?} and says {says:?}: {:?}",
                banner.lines().next().unwrap_or("")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

/// Appends to a copy of `data/networking.toml` (under `dir`) a limitation `id` with the line
/// `field` (a constraint or a fact), quoting `port-3306-only`'s source; `validate` must exit 1
/// and report a problem on that line (with `value`, at the column of that part of the line).
/// Returns what it says there.
fn invalid_limitation(dir: &Path, id: &str, field: &str, value: Option<&str>) -> String {
    let data = copy_data(dir);
    let networking = data.join("limitations/networking.toml");
    let quote = limitation_field(&networking, "port-3306-only", "source");
    append(
        &networking,
        &format!(
            "[[limitation]]\n\
             id = \"{id}\"\n\
             title = \"An added limitation\"\n\
             summary = \"A limitation added by a test.\"\n\
             {field}\n\
             source = {quote}\n"
        ),
    );
    let (line, column) = position_of_last(&read(&networking), value.unwrap_or(field));
    let output = validate(&data);
    assert_eq!(
        output.status.code(),
        Some(1),
        "`{field}` must be a data error:\n{}",
        streams(&output)
    );
    let place = match value {
        Some(_) => format!("{}:{line}:{column}:", networking.display()),
        None => format!("{}:{line}:", networking.display()),
    };
    diagnostic_at(&text(&output.stderr), &place)
        .unwrap_or_else(|| panic!("no diagnostic at {place}:\n{}", streams(&output)))
}

/// Defect 6: two constraints of the same kind on one parameter (here two `equals` on `port`)
/// got the advice "…which limitation `port-3306-only` defines already; rename the fact or
/// parameter", which cannot resolve it: the constant's name comes from the parameter and the
/// kind. The message must say that the parameter already has such a constraint in that
/// limitation, and to merge them; not to rename. (A fact named like a constraint's constant,
/// `tests/fixtures/bad-data/constant-name-collision`, is another case, where renaming the fact
/// is the right advice; this test does not touch it.)
#[test]
fn two_constraints_of_one_kind_on_a_parameter_are_told_to_merge() {
    let temp = tempfile::tempdir().unwrap();
    let constraint = "constraint = [{ kind = \"equals\", parameter = \"port\", value = 3306 }]";
    let diagnostic = invalid_limitation(temp.path(), "port-3306-again", constraint, None);
    let mut problems = Vec::new();
    for wanted in ["`port-3306-only`", "merge"] {
        if !diagnostic.contains(wanted) {
            problems.push(format!("it does not say {wanted:?}"));
        }
    }
    // The parameter, named apart from the id of the first limitation.
    let message = diagnostic.replace("port-3306-only", "");
    if !message.contains("port") {
        problems.push("it does not name the parameter `port`".into());
    }
    if diagnostic.contains("rename the fact or parameter") {
        problems.push("it says \"rename the fact or parameter\"".into());
    }
    assert!(problems.is_empty(), "{}: {diagnostic}", problems.join("; "));
}

/// Defect 7: a fact whose value is a table got the JSON Schema validator's raw error
/// ("{"a":1} is not valid here: it matches none of the allowed forms ({"a":1} is not valid
/// under any of the schemas listed in the 'anyOf' keyword; …)") instead of a sentence. It
/// must say what a fact's value may be: "… not a table", with no JSON in it.
#[test]
fn fact_with_a_table_value_gets_a_sentence() {
    let temp = tempfile::tempdir().unwrap();
    let fact = "fact = [{ id = \"example_table\", value = { a = 1 }, description = \"d\" }]";
    let diagnostic = invalid_limitation(temp.path(), "table-valued-fact", fact, Some("{ a = 1 }"));
    let mut problems = Vec::new();
    if !diagnostic.contains("not a table") {
        problems.push("it does not say \"not a table\"".to_string());
    }
    for unwanted in [
        "matches none of the allowed forms",
        "is not valid under any of the schemas",
        "{\"",
    ] {
        if diagnostic.contains(unwanted) {
            problems.push(format!("it says {unwanted:?}"));
        }
    }
    assert!(problems.is_empty(), "{}: {diagnostic}", problems.join("; "));
}
