//! Ruff: a fast implementation of the Ruff scripting language.
//!
//! Pipeline: source → `parser` (nom) → `ast` (bumpalo arena) → `compiler` → register
//! `bytecode` → `vm` (interpreter, over `value`s on the `heap`) → JIT (later tier).
//! See docs/ARCHITECTURE.md.

pub mod ast;
pub mod builtins;
pub mod bytecode;
pub mod compiler;
pub mod diag;
pub mod dump;
pub mod error;
pub mod format;
pub mod heap;
pub mod jit;
pub mod ops;
pub mod parser;
pub mod pretty;
pub mod span;
pub mod value;
pub mod vm;

use diag::Diagnostic;
use span::SourceFile;

/// The largest source file the front end accepts.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// Parses and compiles a source file into register bytecode.
pub fn compile(file: &SourceFile) -> Result<bytecode::Program, Vec<Diagnostic>> {
    let arena = bumpalo::Bump::new();
    let ast = parser::parse(&arena, &file.text)?;
    compiler::compile(&ast)
}
