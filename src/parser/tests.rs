//! Parser unit tests: spans, literal edge cases, limits, and robustness against
//! random bytes, truncated programs and deep nesting.

use super::parse;
use crate::ast::{ExprKind, InterpPart, StmtKind};
