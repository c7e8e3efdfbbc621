//! The docs site (`generated/docs`: its own README.md, SUMMARY.md and book.toml, and the pages
//! of each knowledge base in `generated/docs/<kb>/`): every relative link of every page
//! resolves, to a file and to an anchor the target page has under both GitHub's and mdBook's
//! heading anchors (or an `<a id>`); SUMMARY.md lists every page, a part per knowledge base, and
//! `book.toml` configures mdBook, both only at the site's root; markdownlint passes with the
//! committed `.markdownlint.jsonc` on the site and on each knowledge base's package READMEs.
//! And `templates/README.md` documents every variable of the template context and every filter.
//! mdBook (pinned in `tests/tools/cargo-tools.txt`) builds the site, every knowledge base's
//! pages and anchors included, without an error or a warning.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{KBS, generated_of, repo, tools};

/// The root of the docs site.
fn docs_dir() -> PathBuf {
    repo().join("generated/docs")
}

/// A Markdown page, reduced to what link checking needs.
#[derive(Debug, Default)]
struct Page {
    /// Heading texts (as rendered: escapes resolved, markup removed), with their lines.
    headings: Vec<(usize, String)>,
    /// `<a id="…">` anchors, with their lines.
    html_ids: Vec<(usize, String)>,
    /// Link destinations, with their lines.
    links: Vec<(usize, String)>,
}

/// Parses the Markdown the generator writes: ATX headings, `<a id>` anchors, inline links and
/// link reference definitions, outside fenced code blocks and code spans.
fn parse(text: &str) -> Page {
    let mut page = Page::default();
    let mut fence: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str())
                && trimmed.trim_matches(&['`', '~'][..]).is_empty()
            {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = trimmed.chars().next().unwrap();
            let run = trimmed.chars().take_while(|&c| c == marker).count();
            fence = Some(marker.to_string().repeat(run));
            continue;
        }
        if line.len() - trimmed.len() >= 4 {
            continue; // an indented code block
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes)
            && trimmed[hashes..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        {
            let content = trimmed[hashes..].trim();
            let content = content.trim_end_matches('#').trim_end();
            page.headings.push((number, inline_text(content)));
        }
        let mut rest = line;
        while let Some(start) = rest.find("<a id=\"") {
            let after = &rest[start + "<a id=\"".len()..];
            let end = after.find('"').expect("a closed id attribute");
            page.html_ids.push((number, after[..end].to_string()));
            rest = &after[end..];
        }
        if let Some(definition) = trimmed.strip_prefix('[')
            && let Some((_, dest)) = definition.split_once("]:")
        {
            page.links.push((number, dest.trim().to_string()));
        }
        for dest in inline_links(line) {
            page.links.push((number, dest));
        }
    }
    page
}

/// The destinations of the inline links `[text](dest)` of a line, skipping code spans and
/// backslash escapes.
fn inline_links(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut links = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let fence: String = "`".repeat(run);
                let rest: String = chars[i + run..].iter().collect();
                match rest.find(&fence) {
                    Some(end) => i += run + rest[..end].chars().count() + run,
                    None => i += run,
                }
            }
            ']' if chars.get(i + 1) == Some(&'(') => {
                let mut j = i + 2;
                let mut dest = String::new();
                if chars.get(j) == Some(&'<') {
                    j += 1;
                    while j < chars.len() && chars[j] != '>' {
                        dest.push(chars[j]);
                        j += 1;
                    }
                } else {
                    let mut depth = 0;
                    while j < chars.len() {
                        match chars[j] {
                            '(' => depth += 1,
                            ')' if depth == 0 => break,
                            ')' => depth -= 1,
                            c if c.is_whitespace() => break,
                            _ => {}
                        }
                        dest.push(chars[j]);
                        j += 1;
                    }
                }
                links.push(dest);
                i = j;
            }
            _ => i += 1,
        }
    }
    links
}

/// The text of inline Markdown as a renderer shows it: escapes resolved, code span and
/// emphasis markers, link brackets and destinations, HTML tags removed, entities decoded.
fn inline_text(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                text.push(chars[i + 1]);
                i += 2;
            }
            '`' | '*' | '[' => i += 1,
            ']' if chars.get(i + 1) == Some(&'(') => {
                i = chars[i..]
                    .iter()
                    .position(|&c| c == ')')
                    .map_or(chars.len(), |p| i + p + 1);
            }
            ']' => i += 1,
            '<' => {
                i = chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .map_or(chars.len(), |p| i + p + 1);
            }
            '&' => {
                let rest: String = chars[i..].iter().collect();
                let entity = [
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                ]
                .into_iter()
                .find(|(name, _)| rest.starts_with(name));
                match entity {
                    Some((name, c)) => {
                        text.push(c);
                        i += name.len();
                    }
                    None => {
                        text.push('&');
                        i += 1;
                    }
                }
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    text
}

/// The anchor GitHub gives a heading (github-slugger): lower case; letters, digits, `_`, `-`
/// and spaces kept, spaces made `-`; everything else dropped.
fn github_slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchor mdBook (0.5) gives a heading: trimmed, lower case; letters, digits, `_` and `-`
/// kept, whitespace made `-`; everything else dropped.
fn mdbook_slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

/// The heading anchors of a page under `slug`, made unique as both tools do (`-1`, `-2`…).
fn heading_anchors(page: &Page, slug: fn(&str) -> String) -> Vec<(usize, String)> {
    let mut used = BTreeSet::new();
    page.headings
        .iter()
        .map(|(line, heading)| {
            let base = slug(heading);
            let mut id = base.clone();
            let mut n = 0;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            (*line, id)
        })
        .collect()
}

/// The page a relative link `path` of the page `from` points to, as a path from the site's root
/// (`/`-separated, like the keys of the pages); `None` when it leaves the site.
fn resolve(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the page's own file name
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// Every problem of the link graph of `pages` (path from the site's root, `/`-separated ->
/// text), as `file:line: message`; and how many links it checked.
fn link_problems(pages: &BTreeMap<String, String>) -> (Vec<String>, usize) {
    let parsed: BTreeMap<&str, Page> = pages
        .iter()
        .map(|(name, text)| (name.as_str(), parse(text)))
        .collect();
    let mut problems = Vec::new();
    // The anchors of each page, valid on GitHub and on mdBook alike.
    let mut anchors: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (name, page) in &parsed {
        let github = heading_anchors(page, github_slug);
        let mdbook = heading_anchors(page, mdbook_slug);
        let mut ids: BTreeSet<String> = github
            .iter()
            .map(|(_, id)| id.clone())
            .filter(|id| mdbook.iter().any(|(_, other)| other == id))
            .collect();
        let mut seen = BTreeSet::new();
        for (line, id) in &page.html_ids {
            if !seen.insert(id.as_str()) {
                problems.push(format!("{name}:{line}: the anchor `{id}` is defined twice"));
            }
            // An anchor may equal the slug of the heading right below it (same place), of no
            // other heading.
            let next_heading = page
                .headings
                .iter()
                .find(|(l, _)| l > line)
                .map(|(l, _)| *l);
            for (heading_line, slug) in github.iter().chain(&mdbook) {
                if slug == id && Some(*heading_line) != next_heading {
                    problems.push(format!(
                        "{name}:{line}: the anchor `{id}` is also the anchor of the heading on \
                         line {heading_line}"
                    ));
                }
            }
            ids.insert(id.clone());
        }
        anchors.insert(name, ids);
    }
    let mut checked = 0;
    for (name, page) in &parsed {
        for (line, dest) in &page.links {
            if dest.starts_with("https://") || dest.starts_with("http://") {
                continue; // external: not checked offline
            }
            checked += 1;
            let (path, fragment) = match dest.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (dest.as_str(), None),
            };
            let resolved = if path.starts_with('/') || path.contains(':') {
                None
            } else if path.is_empty() {
                Some(name.to_string())
            } else {
                resolve(name, path)
            };
            let Some(target) = resolved else {
                problems.push(format!(
                    "{name}:{line}: `{dest}` leaves the docs directory or is not relative"
                ));
                continue;
            };
            let Some(target_anchors) = anchors.get(target.as_str()) else {
                problems.push(format!("{name}:{line}: `{dest}`: no page {target}"));
                continue;
            };
            if let Some(fragment) = fragment
                && !target_anchors.contains(fragment)
            {
                problems.push(format!(
                    "{name}:{line}: `{dest}`: {target} has no anchor `{fragment}`"
                ));
            }
        }
    }
    (problems, checked)
}

/// Every Markdown page of the site, by its path from the site's root (`/`-separated:
/// `README.md`, `<kb>/capacity.md`).
fn read_docs() -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &str, pages: &mut BTreeMap<String, String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo run --release -- generate`",
                dir.display()
            )
        });
        for entry in entries {
            let path = entry.unwrap().path();
            let name = format!("{prefix}{}", path.file_name().unwrap().to_string_lossy());
            if path.is_dir() {
                walk(&path, &format!("{name}/"), pages);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut pages = BTreeMap::new();
    walk(&docs_dir(), "", &mut pages);
    pages
}

#[test]
fn slugs_follow_github_and_mdbook() {
    for (heading, slug) in [
        ("Port 3306 only", "port-3306-only"),
        (
            "Preview environment in US East (N. Virginia) only",
            "preview-environment-in-us-east-n-virginia-only",
        ),
        (
            "Aurora MySQL 5.7-compatible, version 2.07, only",
            "aurora-mysql-57-compatible-version-207-only",
        ),
        ("snake_case & `code`", "snake_case--code"),
    ] {
        let text = inline_text(heading);
        assert_eq!(github_slug(&text), slug, "GitHub: {heading}");
        assert_eq!(mdbook_slug(&text), slug, "mdBook: {heading}");
    }
    assert_eq!(
        inline_text(r"a \_b\_ `c` [d](e.md) &lt;f&gt;"),
        "a _b_ c d <f>"
    );
}

#[test]
fn the_link_checker_finds_broken_links_and_anchors() {
    let pages = BTreeMap::from([
        (
            "a.md".to_string(),
            "# A\n\n<a id=\"x\"></a>\n\n## Same title\n\n## Same title\n\n[ok](b.md#b) \
             [ok](#same-title-1) [ok](#x) `[not a link](c.md)`\n\n[bad](c.md) [bad](b.md#nope) \
             [bad](#same-title-2) [ext](https://example.com/x)\n\n```md\n[in code](d.md)\n```\n"
                .to_string(),
        ),
        ("b.md".to_string(), "# B\n\n[up](../x.md)\n".to_string()),
        // A page in a folder (a knowledge base's): its links are relative to that folder.
        (
            "k/c.md".to_string(),
            "# C\n\n[ok](d.md#d) [ok](../a.md#x) [ok](./d.md) [ok](../k/d.md)\n\n[bad](a.md) \
             [bad](../../a.md) [bad](/a.md)\n"
                .to_string(),
        ),
        ("k/d.md".to_string(), "# D\n".to_string()),
    ]);
    let (problems, checked) = link_problems(&pages);
    assert_eq!(checked, 14, "{problems:#?}");
    assert_eq!(
        problems,
        [
            "a.md:11: `c.md`: no page c.md",
            "a.md:11: `b.md#nope`: b.md has no anchor `nope`",
            "a.md:11: `#same-title-2`: a.md has no anchor `same-title-2`",
            "b.md:3: `../x.md` leaves the docs directory or is not relative",
            "k/c.md:5: `a.md`: no page k/a.md",
            "k/c.md:5: `../../a.md` leaves the docs directory or is not relative",
            "k/c.md:5: `/a.md` leaves the docs directory or is not relative",
        ]
    );
}

#[test]
fn every_link_and_anchor_of_the_docs_resolves() {
    let pages = read_docs();
    let (problems, checked) = link_problems(&pages);
    assert!(
        problems.is_empty(),
        "broken links in generated/docs:\n{}",
        problems.join("\n")
    );
    // Every limitation is linked at least from its knowledge base's README (itself and its
    // source quote).
    let limitations: usize = KBS
        .iter()
        .map(|kb| {
            support::bundle_of(kb)["limitations"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert!(
        checked >= 2 * limitations,
        "only {checked} links checked for {limitations} limitations of {KBS:?}"
    );
}

#[test]
fn every_limitation_has_a_section_an_anchor_and_its_source_quote() {
    let pages = read_docs();
    for kb in KBS {
        let readme = pages
            .get(&format!("{kb}/README.md"))
            .unwrap_or_else(|| panic!("{kb}: the site has no {kb}/README.md"));
        for l in support::bundle_of(kb)["limitations"].as_array().unwrap() {
            let (id, page) = (l["id"].as_str().unwrap(), l["page"].as_str().unwrap());
            let text = pages
                .get(&format!("{kb}/{page}"))
                .unwrap_or_else(|| panic!("{kb}: the site has no {kb}/{page}"));
            let anchor = format!("<a id=\"{id}\"></a>");
            let source = format!("<a id=\"{id}-source\"></a>");
            let at = text
                .find(&anchor)
                .unwrap_or_else(|| panic!("{kb}/{page} has no {anchor}"));
            let quote_at = text[at..]
                .find(&source)
                .unwrap_or_else(|| panic!("{kb}/{page} has no {source} after {anchor}"));
            // The source quote follows its anchor, before the next limitation.
            let section = &text[at + quote_at..];
            let section = section[1..]
                .find("<a id=")
                .map_or(section, |end| &section[..end + 1]);
            let quote_line = section
                .lines()
                .find(|line| line.starts_with("> "))
                .unwrap_or_else(|| panic!("{kb}/{page}: no source quote after {source}"));
            assert!(quote_line.len() > 2, "{kb}/{page}: empty quote of {id}");
            for link in [format!("({page}#{id})"), format!("({page}#{id}-source)")] {
                assert!(
                    readme.contains(&link),
                    "{kb}/README.md does not link {link}"
                );
            }
        }
    }
}

#[test]
fn summary_lists_every_page_and_book_toml_configures_mdbook() {
    let pages = read_docs();
    let summary_text = pages
        .get("SUMMARY.md")
        .expect("the site has SUMMARY.md at its root");
    let summary = parse(summary_text);
    let listed: BTreeSet<&str> = summary.links.iter().map(|(_, d)| d.as_str()).collect();
    for name in pages.keys().filter(|n| *n != "SUMMARY.md") {
        assert!(
            listed.contains(name.as_str()),
            "SUMMARY.md does not list {name}"
        );
    }
    for dest in &listed {
        assert!(
            pages.contains_key(*dest),
            "SUMMARY.md lists {dest}, which is missing"
        );
    }
    // A part per knowledge base, headed by its name, and the site's README linking each
    // knowledge base's README.
    let headings: Vec<&str> = summary.headings.iter().map(|(_, h)| h.as_str()).collect();
    for kb in KBS {
        let name = support::bundle_of(kb)["kb"]["name"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            headings.contains(&name.as_str()),
            "{kb}: SUMMARY.md has no part `# {name}`: {headings:?}"
        );
        let link = format!("({kb}/README.md)");
        assert!(
            pages["README.md"].contains(&link),
            "{kb}: the site's README.md does not link {link}"
        );
        // The site's own files live only at its root: none in a knowledge base's folder of the
        // site, nor in its generated tree.
        for dir in [docs_dir().join(kb), generated_of(kb)] {
            assert!(
                dir.is_dir(),
                "{kb}: {} is missing; run `cargo run --release -- generate`",
                dir.display()
            );
            for own in ["book.toml", "SUMMARY.md"] {
                assert!(
                    !dir.join(own).exists(),
                    "{kb}: {} exists; the site's {own} is only at its root",
                    dir.join(own).display()
                );
            }
        }
    }

    let book: toml::Table = std::fs::read_to_string(docs_dir().join("book.toml"))
        .expect("generated/docs/book.toml exists")
        .parse()
        .expect("book.toml is TOML");
    let title = book["book"]["title"].as_str().unwrap();
    assert!(!title.trim().is_empty(), "book.toml has an empty title");
    assert!(
        summary_text.contains(&format!("[{title}](README.md)"))
            && pages["README.md"].contains(&format!("# {title}\n")),
        "the site's README.md is its first chapter, titled as the book: {title}"
    );
    assert_eq!(
        book["book"]["src"].as_str(),
        Some("."),
        "the pages sit next to book.toml"
    );
    assert_eq!(book["build"]["create-missing"].as_bool(), Some(false));
    // Pages link to README.md, so it must stay README.html on the site (no `index`
    // preprocessor, which would rename it to index.html and break those links).
    assert_eq!(
        book["build"]["use-default-preprocessors"].as_bool(),
        Some(false)
    );
}

fn markdownlint(paths: &[&Path]) -> std::process::Output {
    tools::run(
        Command::new(tools::node_bin("markdownlint"))
            .arg("--config")
            .arg(repo().join(".markdownlint.jsonc"))
            .args(paths)
            .current_dir(repo()),
    )
}

#[test]
fn markdownlint_passes_on_the_generated_markdown() {
    // The whole site, and each knowledge base's package READMEs.
    let mut paths = vec![docs_dir()];
    for kb in KBS {
        for package in ["rust", "ts", "python"] {
            let readme = generated_of(kb).join(package).join("README.md");
            assert!(readme.is_file(), "{kb}: no {}", readme.display());
            paths.push(readme);
        }
    }
    let output = markdownlint(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert!(
        output.status.success(),
        "markdownlint --config .markdownlint.jsonc failed on {paths:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    // The same config still reports problems: it disables only what it says it does.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.md");
    std::fs::write(&bad, "# A\n\n\n## B\n<div>x</div>\n\ntext").unwrap();
    let output = markdownlint(&[&bad]);
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{report}");
    for rule in ["MD012", "MD022", "MD033", "MD047"] {
        assert!(
            report.contains(rule),
            "markdownlint did not report {rule}:\n{report}"
        );
    }
}

/// The names of the filters `register_filters` in src/render/filters.rs registers.
fn registered_filters() -> Vec<String> {
    let source = std::fs::read_to_string(repo().join("src/render/filters.rs")).unwrap();
    let body = &source[source
        .find("fn register_filters")
        .expect("src/render/filters.rs has register_filters")..];
    let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
    let mut names = Vec::new();
    for call in ["string_filter(tera,", "register_filter("] {
        let mut rest = body;
        while let Some(at) = rest.find(call) {
            let after = rest[at + call.len()..].trim_start();
            let name = after
                .strip_prefix('"')
                .and_then(|a| a.split_once('"'))
                .map(|(name, _)| name);
            if let Some(name) = name {
                names.push(name.to_string());
            }
            rest = after;
        }
    }
    names
}

#[test]
fn templates_readme_documents_every_variable_and_filter() {
    let readme = std::fs::read_to_string(repo().join("templates/README.md"))
        .expect("templates/README.md exists");
    let filters = registered_filters();
    assert!(filters.len() >= 15, "found the filters: {filters:?}");
    let mut missing: Vec<String> = filters
        .iter()
        .filter(|f| !readme.contains(&format!("`{f}`")))
        .map(|f| format!("filter {f}"))
        .collect();

    // The context is the bundle's shape (without its `$comment`), plus the per-render
    // variables.
    fn keys(value: &Value, path: &str, out: &mut BTreeSet<(String, String)>) {
        // Tables keyed by data, not by the shape (`names`: value -> name; `when`: parameter ->
        // value): templates/README.md documents the table, its keys are no variables.
        const DATA_TABLES: [&str; 2] = ["names", "when"];
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    out.insert((key.clone(), format!("{path}.{key}")));
                    if !DATA_TABLES.contains(&key.as_str()) {
                        keys(child, &format!("{path}.{key}"), out);
                    }
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|i| keys(i, &format!("{path}[]"), out)),
            _ => {}
        }
    }
    // Every knowledge base's bundle: each may use parts of the shape the others do not.
    let mut fields = BTreeSet::new();
    for kb in KBS {
        keys(&support::bundle_of(kb), "", &mut fields);
    }
    for (key, path) in fields.iter().filter(|(key, _)| key != "$comment") {
        if !readme.contains(&format!("`{key}`")) {
            missing.push(format!("variable {path}"));
        }
    }
    // `kbs`: the knowledge bases of the docs site's own pages (templates/docs-site/).
    for variable in [
        "banner",
        "template",
        "category",
        "category_limitations",
        "kbs",
    ] {
        if !readme.contains(&format!("`{variable}`")) {
            missing.push(format!("variable {variable}"));
        }
    }
    assert!(
        missing.is_empty(),
        "templates/README.md does not document:\n{}",
        missing.join("\n")
    );
}

/// mdBook builds the site: a page per Markdown page of every knowledge base, each limitation's
/// anchor in its category's page, and nothing on standard error above its INFO lines.
#[test]
fn mdbook_builds_the_site_with_every_knowledge_base() {
    let built = tempfile::tempdir().unwrap();
    let output = tools::run(
        Command::new(tools::cargo_bin("mdbook"))
            .arg("build")
            .arg(docs_dir())
            .arg("--dest-dir")
            .arg(built.path()),
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "mdbook build: {}",
        tools::streams(&output)
    );
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("WARN") || line.contains("ERROR"))
        .collect();
    assert!(
        complaints.is_empty(),
        "mdbook build complained:\n{}",
        complaints.join("\n")
    );
    let mut missing = Vec::new();
    for page in read_docs().keys() {
        if page == "SUMMARY.md" {
            continue;
        }
        let html = built.path().join(page.replace(".md", ".html"));
        if !html.is_file() {
            missing.push(format!("no {}", html.display()));
        }
    }
    for kb in KBS {
        for l in support::bundle_of(kb)["limitations"].as_array().unwrap() {
            let (id, page) = (l["id"].as_str().unwrap(), l["page"].as_str().unwrap());
            let html = built.path().join(kb).join(page.replace(".md", ".html"));
            let text = std::fs::read_to_string(&html).unwrap_or_default();
            if !text.contains(&format!("id=\"{id}\"")) {
                missing.push(format!("{kb}: no anchor {id} in {}", html.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
