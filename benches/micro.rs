//! In-process micro-benchmarks (criterion) for costs users never see directly but pay
//! on every run: front-end throughput, JIT compile time per function, and
//! garbage-collection pause time.
//!
//! Run with `cargo bench --bench micro`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ruff::heap::Heap;
use ruff::span::SourceFile;
use ruff::value::Value;

/// A realistic source file: the benchmark programs' own sources, renamed apart and
/// concatenated until the file has at least `min_lines` lines.
fn corpus(min_lines: usize) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/programs");
    let mut parts = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ruff"))
        .collect();
    names.sort();
    for p in names {
        parts.push(std::fs::read_to_string(p).unwrap());
    }
    let mut out = String::new();
    let mut copy = 0;
    while out.lines().count() < min_lines {
        for (i, text) in parts.iter().enumerate() {
            // Wrap each copy in a function so top-level names never collide.
            out.push_str(&format!("func copy_{copy}_{i}() {{\n{text}\n}}\n"));
        }
        copy += 1;
    }
    out
}

fn front_end(c: &mut Criterion) {
    let text = corpus(20_000);
    let lines = text.lines().count() as u64;
    let file = SourceFile::new("corpus.ruff", text);
    assert!(ruff::compile(&file).is_ok(), "the corpus compiles");
    let mut g = c.benchmark_group("front_end");
    g.throughput(Throughput::Elements(lines));
    g.sample_size(20);
    g.bench_function("parse_and_compile_lines", |b| {
        b.iter(|| ruff::compile(&file).unwrap())
    });
    g.finish();
}

/// JIT compile time: every function of a benchmark program translated to Cranelift IR and
/// compiled to machine code with the JIT's settings. The throughput is in functions, so
/// criterion reports functions per second; the time per function is its inverse.
fn jit_compile(c: &mut Criterion) {
    let mut g = c.benchmark_group("jit_compile");
    g.sample_size(20);
    for name in [
        "fib_rec",
        "loop_sum",
        "sort_records",
        "expr_eval",
        "json_walk",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("benches/programs")
            .join(format!("{name}.ruff"));
        let file = SourceFile::new(
            format!("{name}.ruff"),
            std::fs::read_to_string(path).unwrap(),
        );
        let program = ruff::compile(&file).expect("the benchmark compiles");
        let (functions, _) = ruff::jit::codegen_all(&program).expect("every function compiles");
        g.throughput(Throughput::Elements(functions as u64));
        g.bench_function(format!("{name}_{functions}_functions"), |b| {
            b.iter(|| ruff::jit::codegen_all(&program).unwrap())
        });
    }
    g.finish();
}

fn gc_pause(c: &mut Criterion) {
    let mut g = c.benchmark_group("gc");
    g.sample_size(10);
    // A live heap of 1M objects: 1,000 arrays of 999 small strings each.
    g.bench_function("full_collection_1m_live_objects", |b| {
        b.iter_batched_ref(
            || {
                let mut heap = Heap::with_stress(false);
                let mut outer = Vec::with_capacity(1000);
                for i in 0..1000 {
                    let items: Vec<Value> =
                        (0..999).map(|j| heap.string(format!("{i}:{j}"))).collect();
                    outer.push(heap.array(items));
                }
                let root = heap.array(outer);
                (heap, root)
            },
            |(heap, root)| {
                let root = *root;
                heap.collect(&mut |m| m.mark(root));
                assert_eq!(heap.object_count(), 1_000_001);
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, front_end, jit_compile, gc_pause);
criterion_main!(benches);
