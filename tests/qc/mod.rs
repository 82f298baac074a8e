//! Helpers for `tests/equivalence.rs`: the owned AST mirror, the program and syntax
//! generators, and shrinking.

pub mod gen;
pub mod owned;
pub mod shrink;
pub mod syntax;
