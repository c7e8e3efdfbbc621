//! Benchmarks of the library calls behind each command (`cargo bench`; see BENCHMARKS.md):
//! loading the real knowledge base, rendering every target, `generate --check`'s
//! render-and-compare, `check` of one and of 1,000 cluster specs, and loading and rendering a
//! synthetic knowledge base of 1,000 limitations.
//!
//! Run one group with `cargo bench --bench limitkb -- real-kb` (a filter on the names).

#[path = "synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use limitkb::generate::{Comparison, Generation};
use limitkb::{Banner, Checker, DataSource, Templates};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The preview knowledge base of the repository.
fn real_data() -> DataSource {
    DataSource::Dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/aurora-serverless-v2-preview"))
}

/// The generation of `kb` into `out`, as `generate --kb` runs it.
fn generation<'a>(kb: &'a limitkb::Kb, templates: &'a Templates, out: &'a Path) -> Generation<'a> {
    let mut generation = Generation::new(templates, out);
    generation.add(kb, Banner::default());
    generation
}

/// Renders every artifact as `generate --check` does, comparing each with the file in `out` as
/// soon as it is rendered. Returns whether `out` is up to date.
fn render_and_compare(kb: &limitkb::Kb, templates: &Templates, out: &Path) -> bool {
    matches!(
        generation(kb, templates, out)
            .compare()
            .expect("renders and reads the output"),
        Comparison::UpToDate { .. }
    )
}

fn real_kb(c: &mut Criterion) {
    let source = real_data();
    let kb = limitkb::load(&source).expect("the real knowledge base loads");
    let templates = Templates::embedded();
    let scratch = tempfile::tempdir().expect("a temporary directory");
    // An up-to-date output directory, so `check` compares every file in full.
    let out = scratch.path().join("generated");
    generation(&kb, &templates, &out)
        .write()
        .expect("write the artifacts");

    let mut group = c.benchmark_group("real-kb");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("load", |b| {
        b.iter(|| limitkb::load(black_box(&source)).expect("loads"))
    });
    group.bench_function("render", |b| {
        b.iter(|| limitkb::render(black_box(&kb), &templates).expect("renders"))
    });
    group.bench_function("render-compare", |b| {
        b.iter(|| {
            assert!(render_and_compare(black_box(&kb), &templates, &out));
        })
    });
    group.bench_function("load-render-compare", |b| {
        b.iter(|| {
            let kb = limitkb::load(black_box(&source)).expect("loads");
            render_and_compare(&kb, &templates, &out)
        })
    });
    group.finish();
}

fn check(c: &mut Criterion) {
    let kb = limitkb::load(&real_data()).expect("the real knowledge base loads");
    let checker = Checker::new(&kb);
    let specs = synthetic::cluster_specs(&kb, 1000);
    assert_eq!(specs.iter().filter(|s| s.valid).count(), 500);
    for spec in &specs {
        let report = checker.check_text(&spec.name, spec.json.clone());
        assert_eq!(report.diagnostics.is_empty(), spec.valid, "{}", spec.name);
    }

    let mut group = c.benchmark_group("check");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("checker-new", |b| b.iter(|| Checker::new(black_box(&kb))));
    let one = &specs[0];
    group.bench_function("1-spec", |b| {
        b.iter_batched(
            || one.json.clone(),
            |text| checker.check_text(&one.name, text),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("1000-specs", |b| {
        b.iter_batched(
            || specs.iter().map(|s| s.json.clone()).collect::<Vec<_>>(),
            |texts| {
                texts
                    .into_iter()
                    .zip(&specs)
                    .map(|(text, spec)| checker.check_text(&spec.name, text))
                    .filter(|report| report.diagnostics.is_empty())
                    .count()
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn synthetic_kb(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let data = scratch.path().join("data");
    synthetic::write_files(&data, synthetic::knowledge_base(1000)).expect("write the synthetic KB");
    let source = DataSource::Dir(data);
    let kb = limitkb::load(&source).expect("the synthetic KB loads");
    let templates = Templates::embedded();

    let mut group = c.benchmark_group("synthetic-1000");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("load", |b| {
        b.iter(|| limitkb::load(black_box(&source)).expect("loads"))
    });
    group.bench_function("render", |b| {
        b.iter(|| limitkb::render(black_box(&kb), &templates).expect("renders"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = real_kb, check, synthetic_kb
}
criterion_main!(benches);
