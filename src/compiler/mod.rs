//! The compiler: `ast::Program` to register bytecode. (Placeholder until the front end lands.)
use crate::ast;
use crate::bytecode::Program;
use crate::diag::Diagnostic;

/// Compiles a parsed program; all compile-time errors found are returned.
pub fn compile(program: &ast::Program<'_>) -> Result<Program, Vec<Diagnostic>> {
    Err(vec![Diagnostic::new(
        "the compiler is not built yet",
        program.body.span,
    )])
}
