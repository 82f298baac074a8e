//! Builtin functions (placeholder until the runtime lands).
