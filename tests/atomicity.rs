//! Nothing lost, nothing foreign touched: `generate` writes only after everything rendered,
//! replaces each file atomically (a temporary file, then a rename), removes exactly the files
//! its previous runs generated and no longer produce, and leaves every other file alone, even
//! when a run fails halfway.

mod support;

use support::files::copy_dir;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const MANIFEST: &str = ".limitkb-manifest";

fn limitkb(args: &[&str], paths: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_limitkb"));
    cmd.args(args);
    for (flag, path) in paths {
        cmd.arg(flag).arg(path);
    }
    cmd.output().expect("limitkb runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file under `dir`: its bytes, modification time and inode.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, i64, i64, u64)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap();
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    (
                        std::fs::read(&path).unwrap(),
                        meta.mtime(),
                        meta.mtime_nsec(),
                        meta.ino(),
                    ),
                );
            }
        }
    }
    files
}

fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".tmp") || (name.contains(".limitkb-") && name != MANIFEST)
        })
        .collect()
}

fn manifest_entries(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A scratch copy of the repository's preview knowledge base and templates, and an output
/// directory that `generate` filled from them.
struct Scratch {
    _temp: tempfile::TempDir,
    data: PathBuf,
    templates: PathBuf,
    out: PathBuf,
    /// The knowledge base's tree in `out`.
    tree: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let temp = tempfile::tempdir().unwrap();
        let data = temp.path().join("data");
        let templates = temp.path().join("templates");
        copy_dir(&support::data_of(support::PREVIEW), &data);
        copy_dir(&Path::new(ROOT).join("templates"), &templates);
        let out = temp.path().join("generated");
        let scratch = Scratch {
            tree: support::tree_of(&out, support::PREVIEW),
            out,
            _temp: temp,
            data,
            templates,
        };
        let output = scratch.generate();
        assert!(output.status.success(), "{}", stderr(&output));
        scratch
    }

    fn generate(&self) -> Output {
        limitkb(
            &["generate"],
            &[
                ("--data", &self.data),
                ("--templates", &self.templates),
                ("--out", &self.out),
            ],
        )
    }

    /// Changes the knowledge base's name, so that a successful `generate` rewrites files.
    fn rename_kb(&self) {
        let kb = self.data.join("kb.toml");
        let text = std::fs::read_to_string(&kb).unwrap();
        let renamed = text.replacen("name = \"", "name = \"Renamed ", 1);
        assert_ne!(text, renamed);
        std::fs::write(&kb, renamed).unwrap();
    }

    fn add_template(&self, path: &str, text: &str) {
        let path = self.templates.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn a_failing_render_leaves_the_previous_output_byte_identical() {
    let broken = [
        // Fails while rendering: the variable does not exist.
        ("zz/broken.txt.tera", "{{ kb.no_such_field.deeper }}\n"),
        // Fails to compile.
        ("zz/broken.txt.tera", "{% if %}\n"),
        // A layout filter refuses its input.
        (
            "rust/src/broken.rs.tera",
            "{% filter rust_match_arms(indent=12) %}not an arm{% endfilter %}\n",
        ),
    ];
    for (template, text) in broken {
        let scratch = Scratch::new();
        scratch.rename_kb();
        let before = snapshot(&scratch.out);
        scratch.add_template(template, text);
        let output = scratch.generate();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{template}: {}",
            stderr(&output)
        );
        let message = stderr(&output);
        // The message names the template.
        assert!(
            message.contains(template.trim_end_matches(".tera")),
            "{template}: {message}"
        );
        assert!(message.contains("nothing was written"), "{message}");
        assert_eq!(
            snapshot(&scratch.out),
            before,
            "{template}: the output changed (bytes, mtime or inode)"
        );

        // Fixed, the same run writes the renamed knowledge base.
        std::fs::remove_file(scratch.templates.join(template)).unwrap();
        let output = scratch.generate();
        assert!(output.status.success(), "{}", stderr(&output));
        assert_ne!(snapshot(&scratch.out), before);
    }
}

#[test]
fn foreign_files_survive_generate() {
    let scratch = Scratch::new();
    let foreign = [
        ("NOTES.md", "my notes\n"),
        ("docs/extra-page.md", "# Mine\n"),
        ("rust/src/local.rs", "// mine\n"),
        (
            "zz/mine.txt",
            "mine, beside a generated file that goes away\n",
        ),
    ];
    // A template whose output shares a directory with a foreign file.
    scratch.add_template("zz/old.txt.tera", "generated\n");
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    for (path, text) in foreign {
        std::fs::create_dir_all(scratch.out.join(path).parent().unwrap()).unwrap();
        std::fs::write(scratch.out.join(path), text).unwrap();
    }
    let before = snapshot(&scratch.out);

    std::fs::remove_file(scratch.templates.join("zz/old.txt.tera")).unwrap();
    scratch.rename_kb();
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    let after = snapshot(&scratch.out);
    for (path, text) in foreign {
        assert_eq!(
            after.get(Path::new(path)),
            before.get(Path::new(path)),
            "{path} was touched"
        );
        assert_eq!(
            std::fs::read_to_string(scratch.out.join(path)).unwrap(),
            text
        );
    }
    assert!(!scratch.tree.join("zz/old.txt").exists());
    assert!(
        !manifest_entries(&scratch.out)
            .iter()
            .any(|e| foreign.iter().any(|(p, _)| p == e))
    );
}

#[test]
fn a_file_no_longer_generated_is_removed_with_its_empty_directories() {
    let scratch = Scratch::new();
    scratch.add_template("zz/deep/old.txt.tera", "generated\n");
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(scratch.tree.join("zz/deep/old.txt").is_file());
    let entry = format!("{}/zz/deep/old.txt", support::PREVIEW);
    assert!(manifest_entries(&scratch.out).contains(&entry));

    std::fs::remove_file(scratch.templates.join("zz/deep/old.txt.tera")).unwrap();
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("removed"), "{}", stdout(&output));
    assert!(
        !scratch.tree.join("zz").exists(),
        "the emptied directories stay"
    );
    assert!(!manifest_entries(&scratch.out).contains(&entry));

    // A file that was generated and then edited by hand is still generated: removed too.
    scratch.add_template("zz/old.txt.tera", "generated\n");
    assert!(scratch.generate().status.success());
    std::fs::write(scratch.tree.join("zz/old.txt"), "edited\n").unwrap();
    std::fs::remove_file(scratch.templates.join("zz/old.txt.tera")).unwrap();
    assert!(scratch.generate().status.success());
    assert!(!scratch.tree.join("zz/old.txt").exists());
}

#[test]
fn a_hand_edited_manifest_cannot_remove_files_outside_the_output() {
    let scratch = Scratch::new();
    let outside = scratch.out.parent().unwrap().join("outside.txt");
    std::fs::write(&outside, "not generated\n").unwrap();
    let mut manifest = std::fs::read_to_string(scratch.out.join(MANIFEST)).unwrap();
    for entry in [
        "../outside.txt".to_string(),
        outside.display().to_string(),
        "docs/../../outside.txt".to_string(),
        "./../outside.txt".to_string(),
    ] {
        manifest.push_str(&entry);
        manifest.push('\n');
    }
    std::fs::write(scratch.out.join(MANIFEST), manifest).unwrap();
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "not generated\n"
    );
    // The rewritten manifest lists only what was generated.
    assert!(
        !manifest_entries(&scratch.out)
            .iter()
            .any(|e| e.contains(".."))
    );
}

#[test]
fn writes_are_atomic_and_leave_no_temporary_files() {
    let scratch = Scratch::new();
    assert_eq!(temporary_files(&scratch.out), Vec::<PathBuf>::new());
    let before = snapshot(&scratch.out);
    scratch.rename_kb();
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    let after = snapshot(&scratch.out);
    assert_eq!(temporary_files(&scratch.out), Vec::<PathBuf>::new());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let (mut replaced, mut kept) = (0, 0);
    for (path, (bytes, mtime, nsec, inode)) in &before {
        let (new_bytes, new_mtime, new_nsec, new_inode) = &after[path];
        if bytes == new_bytes {
            // Unchanged files are not rewritten: same inode, same modification time.
            assert_eq!(
                (mtime, nsec, inode),
                (new_mtime, new_nsec, new_inode),
                "{path:?}"
            );
            kept += 1;
        } else {
            // A changed file is a new file renamed over the old one, never rewritten in place.
            assert_ne!(inode, new_inode, "{path:?} was rewritten in place");
            replaced += 1;
        }
    }
    assert!(replaced > 0 && kept > 0, "{replaced} replaced, {kept} kept");
}

#[test]
fn an_output_path_that_cannot_be_a_directory_is_a_clear_error() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("generated");
    std::fs::write(&file, "a file, not a directory\n").unwrap();
    let data = Path::new(ROOT).join("data");
    let output = limitkb(&["generate"], &[("--data", &data), ("--out", &file)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("cannot create the directory {}", file.display())),
        "{message}"
    );
    assert!(message.contains("is a file, not a directory"), "{message}");
    assert!(message.contains("is writable"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "a file, not a directory\n"
    );

    // A file where a directory of the output must go: the run stops with the path named,
    // leaves no temporary file, and every file it generated stays listed in the manifest.
    let scratch = Scratch::new();
    std::fs::remove_dir_all(scratch.tree.join("rust")).unwrap();
    std::fs::write(scratch.tree.join("rust"), "in the way\n").unwrap();
    scratch.rename_kb();
    let output = scratch.generate();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "{} is a file, not a directory",
            scratch.tree.join("rust").display()
        )),
        "{message}"
    );
    assert_eq!(temporary_files(&scratch.out), Vec::<PathBuf>::new());
    let listed = manifest_entries(&scratch.out);
    for path in snapshot(&scratch.out).keys() {
        let path = path.to_string_lossy();
        if path != MANIFEST && path != format!("{}/rust", support::PREVIEW) {
            assert!(
                listed.contains(&path.to_string()),
                "{path} is not in the manifest"
            );
        }
    }
    std::fs::remove_file(scratch.tree.join("rust")).unwrap();
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    let check = limitkb(
        &["generate", "--check"],
        &[
            ("--data", &scratch.data),
            ("--templates", &scratch.templates),
            ("--out", &scratch.out),
        ],
    );
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn a_run_stopped_halfway_leaves_every_generated_file_tracked() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path();
    let artifacts = |files: &[(&str, &str)]| -> limitkb::Artifacts {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };
    // Run 1 generates a/one.txt and old/gone.txt.
    limitkb::write(
        out,
        &artifacts(&[("a/one.txt", "1"), ("old/gone.txt", "gone")]),
    )
    .unwrap();
    // Run 2 stops at b/two.txt (a file stands where b/ must go), after writing a/new.txt and
    // before removing old/gone.txt.
    std::fs::write(out.join("b"), "in the way").unwrap();
    let error = limitkb::write(
        out,
        &artifacts(&[("a/new.txt", "new"), ("a/one.txt", "1"), ("b/two.txt", "2")]),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("is a file, not a directory"),
        "{error}"
    );
    assert!(out.join("a/new.txt").is_file() && out.join("old/gone.txt").is_file());
    assert_eq!(temporary_files(out), Vec::<PathBuf>::new());
    // Run 3 produces only a/one.txt: both a/new.txt (written by the stopped run) and
    // old/gone.txt (left by it) are generated files, and go.
    std::fs::remove_file(out.join("b")).unwrap();
    let written = limitkb::write(out, &artifacts(&[("a/one.txt", "1")])).unwrap();
    let mut removed = written.removed.clone();
    removed.sort();
    assert_eq!(removed, ["a/new.txt", "old/gone.txt"]);
    assert!(!out.join("old").exists());
    assert_eq!(manifest_entries(out), ["a/one.txt"]);
    assert_eq!(
        snapshot(out).into_keys().collect::<Vec<_>>(),
        [PathBuf::from(MANIFEST), PathBuf::from("a/one.txt")]
    );
}

#[test]
fn a_directory_where_a_file_must_go_stops_the_run_without_leftovers() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path();
    // The rename onto a (non-empty) directory fails after the temporary file was written.
    std::fs::create_dir_all(out.join("a/one.txt/inside")).unwrap();
    let artifacts: limitkb::Artifacts = [("a/one.txt".to_string(), "1".to_string())].into();
    let error = limitkb::write(out, &artifacts).unwrap_err();
    assert!(
        error
            .to_string()
            .contains(&format!("cannot write {}", out.join("a/one.txt").display())),
        "{error}"
    );
    assert_eq!(temporary_files(out), Vec::<PathBuf>::new());
    assert!(
        out.join("a/one.txt/inside").is_dir(),
        "the directory was touched"
    );
}

#[test]
fn temporary_files_of_a_killed_run_are_cleaned_up_and_others_kept() {
    let scratch = Scratch::new();
    // No process has this id (Linux allows at most 2^22).
    let dead = 4_194_305;
    let live = std::process::id();
    let stale = [
        format!("docs/.README.md.limitkb-{dead}.tmp"),
        format!(".{MANIFEST}.limitkb-{dead}.tmp"),
        format!("{}/rust/src/.lib.rs.limitkb-{dead}.tmp", support::PREVIEW),
    ];
    let kept = [
        // A run writing right now (this process).
        format!("docs/.README.md.limitkb-{live}.tmp"),
        // Not beside a generated file, or not limitkb's name: foreign.
        format!("docs/.notes.md.limitkb-{dead}.tmp"),
        "docs/.README.md.tmp".to_string(),
        format!("docs/.README.md.limitkb-{dead}.tmp.bak"),
    ];
    for path in stale.iter().chain(&kept) {
        std::fs::write(scratch.out.join(path), "partial").unwrap();
    }
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    for path in &stale {
        assert!(!scratch.out.join(path).exists(), "{path} stayed");
    }
    for path in &kept {
        assert!(scratch.out.join(path).exists(), "{path} was removed");
    }
}

#[test]
fn a_second_run_with_the_same_data_changes_nothing() {
    let scratch = Scratch::new();
    let before = snapshot(&scratch.out);
    let output = scratch.generate();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(" 0 changed"),
        "{}",
        stdout(&output)
    );
    assert_eq!(snapshot(&scratch.out), before);
}
