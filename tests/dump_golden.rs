//! Golden tests for the compiler: every `tests/dump/NAME.ruff` compiles and its
//! `ruff dump --regs` listing must equal `NAME.expected`; every
//! `tests/compile_errors/NAME.ruff` must fail to compile with the rendered
//! diagnostics in `NAME.expected`. Run with `RUFF_BLESS=1` to regenerate the
//! expected files.

use ruff::span::SourceFile;
use std::fs;
use std::path::{Path, PathBuf};

fn bless() -> bool {
    std::env::var_os("RUFF_BLESS").is_some_and(|v| v != "0")
}

/// The `.ruff` files of a directory, sorted.
fn programs(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ruff"))
        .collect();
    files.sort();
    files
}

/// The first line of every expected file.
const HEADER: &str =
    "# Expected output of tests/dump_golden.rs; `RUFF_BLESS=1 cargo test --test dump_golden` regenerates it.\n";

/// Compares `actual` (after the header line) with the expected file, or writes
/// it when blessing; returns a failure message.
fn check(path: &Path, actual: &str) -> Option<String> {
    let actual = format!("{HEADER}{actual}");
    let expected_path = path.with_extension("expected");
    if bless() {
        fs::write(&expected_path, &actual).expect("write expected file");
        return None;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    (expected != actual).then(|| {
        format!(
            "--- {} differs (RUFF_BLESS=1 regenerates it)\n--- expected:\n{expected}\n--- actual:\n{actual}",
            expected_path.display()
        )
    })
}

fn run(dir: &str, render: impl Fn(&str, &SourceFile) -> Result<String, String>) {
    let mut failures = Vec::new();
    let files = programs(dir);
    assert!(!files.is_empty(), "no programs in {dir}");
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let text = fs::read_to_string(&path).expect("read program");
        let file = SourceFile::new(format!("{dir}/{name}"), text);
        match render(name, &file) {
            Ok(actual) => failures.extend(check(&path, &actual)),
            Err(msg) => failures.push(msg),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dump_goldens() {
    run("tests/dump", |name, file| match ruff::compile(file) {
        Ok(program) => Ok(ruff::dump::dump_regs(&program)),
        Err(diags) => Err(format!(
            "{name} failed to compile:\n{}",
            ruff::diag::render_all(&diags, file)
        )),
    });
}

#[test]
fn compile_error_goldens() {
    run("tests/compile_errors", |name, file| {
        match ruff::compile(file) {
            Ok(_) => Err(format!("{name} compiled, but it should not")),
            Err(diags) => Ok(ruff::diag::render_all(&diags, file)),
        }
    });
}
