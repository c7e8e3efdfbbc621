//! Arbitrary bytes as data files through the loader (`DataSource::Memory`): as `kb.toml` with
//! the real category files, as a category file with the real `kb.toml`, or split at the first
//! 0xFF byte into both. Never a panic; an error has diagnostics that point at places that
//! exist; a knowledge base that loads also builds its view and constants.

#![no_main]

use libfuzzer_sys::fuzz_target;
use limitkb::DataSource;

mod common;

const KB: &[u8] = include_bytes!("../../data/aurora-serverless-v2-preview/kb.toml");
const SOURCE_COPY: (&str, &[u8]) = (
    "sources/aurora-serverless-2.limitations.md",
    include_bytes!("../../data/aurora-serverless-v2-preview/sources/aurora-serverless-2.limitations.md"),
);
const CATEGORIES: &[(&str, &[u8])] = &[
    (
        "limitations/availability.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/availability.toml"),
    ),
    (
        "limitations/capacity.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/capacity.toml"),
    ),
    (
        "limitations/engine.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/engine.toml"),
    ),
    (
        "limitations/environment.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/environment.toml"),
    ),
    (
        "limitations/features.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/features.toml"),
    ),
    (
        "limitations/networking.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/networking.toml"),
    ),
    (
        "limitations/preview.toml",
        include_bytes!("../../data/aurora-serverless-v2-preview/limitations/preview.toml"),
    ),
];

fn files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let (mode, rest) = data.split_first().map_or((0, data), |(m, r)| (*m, r));
    let mut kb = KB.to_vec();
    let mut categories: Vec<(String, Vec<u8>)> = CATEGORIES
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    match mode % 3 {
        0 => kb = rest.to_vec(),
        1 => categories[1].1 = rest.to_vec(),
        _ => {
            let cut = rest.iter().position(|&b| b == 0xff).unwrap_or(rest.len());
            kb = rest[..cut].to_vec();
            categories = vec![(
                "limitations/capacity.toml".to_string(),
                rest.get(cut + 1..).unwrap_or_default().to_vec(),
            )];
        }
    }
    let mut files = vec![("kb.toml".to_string(), kb)];
    files.extend(categories);
    files.push((SOURCE_COPY.0.to_string(), SOURCE_COPY.1.to_vec()));
    files
}

fuzz_target!(|data: &[u8]| {
    let files = files(data);
    let source = DataSource::Memory(files.clone());
    match limitkb::load(&source) {
        Ok(kb) => {
            let view = limitkb::view::view(&kb);
            serde_json::to_string(&view).expect("the view serializes");
            let _ = limitkb::model::constants::constants(&kb);
        }
        Err(error) => {
            assert!(
                !error.diagnostics.is_empty(),
                "an error without diagnostics"
            );
            let _ = error.to_string();
            common::assert_located(&error.diagnostics, |name| {
                files
                    .iter()
                    .find(|(relative, _)| source.display(relative) == name)
                    .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            });
        }
    }
});
