//! `ruff dump --regs`: the readable listing of every function's register bytecode.
use crate::bytecode::Program;

/// Renders every proto of `program` (placeholder until the front end lands).
pub fn dump_regs(_program: &Program) -> String {
    String::new()
}
