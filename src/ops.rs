//! Operator semantics shared by the interpreter and the JIT (placeholder until the runtime lands).
