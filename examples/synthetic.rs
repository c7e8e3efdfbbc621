//! Writes the synthetic inputs of the benchmarks (see `benches/synthetic.rs`), for
//! `scripts/bench-scale.sh` and `scripts/bench-compare.sh`:
//!
//! ```text
//! cargo run --release --example synthetic -- kb N DIR
//!     a knowledge base of N limitations (kb.toml, limitations/, sources/) in DIR
//! cargo run --release --example synthetic -- specs N DIR [DATA_DIR]
//!     N cluster specs (JSON, half valid) for the knowledge base in DATA_DIR (default: the
//!     one built into limitkb) in DIR, named valid-NNNN.json and invalid-NNNN.json
//! ```

#[path = "../benches/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: synthetic kb N DIR | synthetic specs N DIR [DATA_DIR]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("synthetic: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (what, count, dir, rest) = match args.as_slice() {
        [what, count, dir, rest @ ..] => (what.as_str(), count, PathBuf::from(dir), rest),
        _ => return Err(USAGE.into()),
    };
    let count: usize = count
        .parse()
        .map_err(|_| format!("N must be a whole number, not `{count}`\n{USAGE}"))?;
    match (what, rest) {
        ("kb", []) => synthetic::write_knowledge_base(&dir, count)
            .map_err(|e| format!("cannot write {}: {e}", dir.display())),
        ("specs", [] | [_]) => {
            let source = rest.first().map_or(limitkb::DataSource::Embedded, |d| {
                limitkb::DataSource::Dir(PathBuf::from(d))
            });
            let kb = limitkb::load(&source).map_err(|e| e.to_string())?;
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            for spec in synthetic::cluster_specs(&kb, count) {
                let path = dir.join(&spec.name);
                std::fs::write(&path, spec.json)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}
