//! The pretty-printer: AST back to Ruff source (placeholder until it lands).
