//! A knowledge base as a git revision of the repository has it, read with `git` (`ls-tree`,
//! `show`) without checking anything out.

use crate::load::DataSource;
use std::process::Command;

/// The files of knowledge base `kb` under the data directory `data` (relative to the current
/// directory, inside a git work tree) at revision `rev`: `data/<kb>/`, or `data/` itself when it
/// is that knowledge base.
pub fn data_at(rev: &str, data: &str, kb: &str) -> Result<DataSource, String> {
    let data = data.trim_end_matches('/');
    for dir in [format!("{data}/{kb}"), data.to_string()] {
        let listed = git(&[
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "--",
            &format!("{dir}/"),
        ])?;
        let files: Vec<&str> = listed.lines().filter(|l| !l.is_empty()).collect();
        if !files.contains(&format!("{dir}/kb.toml").as_str()) {
            continue;
        }
        let mut out = Vec::new();
        for file in files {
            let text = git_bytes(&["show", &format!("{rev}:./{file}")])?;
            let relative = file
                .strip_prefix(&format!("{dir}/"))
                .unwrap_or(file)
                .to_string();
            out.push((relative, text));
        }
        return Ok(DataSource::Memory(out));
    }
    Err(format!(
        "revision {rev} has no knowledge base `{kb}` under {data}/ (no {data}/{kb}/kb.toml or {data}/kb.toml)"
    ))
}

fn git(args: &[&str]) -> Result<String, String> {
    git_bytes(args).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn git_bytes(args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e} (is git installed and on PATH?)"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}
