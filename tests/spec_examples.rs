//! Runs every example in spec/*.md that shows its expected output.
//!
//! An example is a fenced ```ruff block followed (after optional blank lines) by a fenced
//! ```output block. Each runs in-process twice, interpreter only and with the JIT forced
//! from the first call, and stdout must equal the output block in both runs.

use ruff::span::SourceFile;
use ruff::vm::{run_captured, RunOptions};
use std::path::Path;

struct Example {
    file: String,
    line: usize,
    code: String,
    output: String,
}

fn fenced_blocks(text: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        if let Some(lang) = line.strip_prefix("```") {
            let lang = lang.trim().to_string();
            let mut body = String::new();
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            blocks.push((i + 1, lang, body));
        }
    }
    blocks
}

fn examples() -> Vec<Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("spec/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let blocks = fenced_blocks(&text);
        for pair in blocks.windows(2) {
            if pair[0].1 == "ruff" && pair[1].1 == "output" {
                out.push(Example {
                    file: path.file_name().unwrap().to_string_lossy().into_owned(),
                    line: pair[0].0,
                    code: pair[0].2.clone(),
                    output: pair[1].2.clone(),
                });
            }
        }
    }
    out
}

#[test]
fn spec_examples_produce_their_output() {
    let examples = examples();
    let mut failures = Vec::new();
    for ex in &examples {
        let file = SourceFile::new(format!("spec/{}", ex.file), ex.code.clone());
        let program = match ruff::compile(&file) {
            Ok(p) => p,
            Err(d) => {
                failures.push(format!(
                    "{}:{}: does not compile:\n{}",
                    ex.file,
                    ex.line,
                    ruff::diag::render_all(&d, &file)
                ));
                continue;
            }
        };
        for (mode, jit, threshold) in [("--no-jit", false, 0), ("--jit-threshold 0", true, 0)] {
            let opts = RunOptions {
                jit,
                jit_threshold: threshold,
                ..RunOptions::default()
            };
            let got = run_captured(&program, &file, &opts);
            let stdout = String::from_utf8_lossy(&got.stdout);
            if stdout != ex.output {
                failures.push(format!(
                    "{}:{} ({mode}): expected\n{}got\n{}{}",
                    ex.file,
                    ex.line,
                    ex.output,
                    stdout,
                    String::from_utf8_lossy(&got.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} spec examples failed:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
    assert!(!examples.is_empty(), "no spec examples found");
}
