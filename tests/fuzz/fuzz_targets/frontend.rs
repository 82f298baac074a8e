//! Front-end fuzz target: arbitrary bytes through the parser, the diagnostics renderer,
//! the pretty-printer and the compiler (and `dump --regs`), without running anything.
//! Nothing may panic, and printing a parsed program must give source that parses and
//! prints the same again. The one exception: the printer parenthesises a unary operand
//! that starts with `-` or `!`, so `---x` prints as `-(-(-x))`, which nests deeper; a
//! printed program rejected only by the parser's nesting limit is not a failure.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ruff::span::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz.ruff", text);
    let arena = bumpalo::Bump::new();
    match ruff::parser::parse(&arena, text) {
        Err(diags) => {
            let _ = ruff::diag::render_all(&diags, &file);
            return;
        }
        Ok(ast) => {
            let printed = ruff::pretty::print_program(&ast);
            let arena2 = bumpalo::Bump::new();
            match ruff::parser::parse(&arena2, &printed) {
                Ok(back) => {
                    let again = ruff::pretty::print_program(&back);
                    assert_eq!(
                        printed, again,
                        "printing is not stable\n--- source ---\n{text}"
                    );
                }
                Err(d) if d.iter().all(|d| d.message.contains("nesting too deep")) => {}
                Err(d) => panic!(
                    "printed program does not parse: {}\n--- source ---\n{text}\n--- printed ---\n{printed}",
                    ruff::diag::render_all(&d, &SourceFile::new("printed", printed.as_str()))
                ),
            }
        }
    }
    match ruff::compile(&file) {
        Ok(program) => {
            let _ = ruff::dump::dump_regs(&program);
        }
        Err(diags) => {
            let _ = ruff::diag::render_all(&diags, &file);
        }
    }
});
