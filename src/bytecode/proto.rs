//! `Proto`: one compiled function as plain data (no GC types), and `Program`, the
//! compiler's whole output. The VM turns constants into heap values at load time.

use super::op::{Op, Reg, Target, UpvalIdx};
use crate::span::Span;
use std::rc::Rc;

/// A constant in a `Proto`'s constant table.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Int(i64),
    Float(f64),
    Str(Rc<str>),
}

/// Where a closure's captured cell comes from when `Closure` runs in the parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpvalSource {
    /// A register of the parent frame that holds a cell (`NewCell`).
    ParentReg(Reg),
    /// One of the parent closure's own upvalues.
    ParentUpval(UpvalIdx),
}

/// One upvalue of a function: its source in the parent, and the variable's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpvalDesc {
    pub source: UpvalSource,
    pub name: Rc<str>,
}

/// A `try` region: an error raised while `start <= pc < end` continues at `handler`,
/// with the error value in `err_reg` (if the `except` names one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handler {
    pub start: Target,
    pub end: Target,
    pub handler: Target,
    pub err_reg: Option<Reg>,
}

/// One compiled function.
#[derive(Clone, Debug)]
pub struct Proto {
    /// Unique within a `Program`, dense from 0 (the script body is 0), so the VM can
    /// keep per-function runtime state (counters, JIT code slot) in a flat table.
    pub id: u32,
    /// The function's name: the declared name, `<anonymous>` or `<script>`.
    pub name: Rc<str>,
    /// Number of parameters; parameters occupy registers `0..nparams`.
    pub nparams: u16,
    /// Size of the register file (`>= nparams`).
    pub nregs: u16,
    pub code: Vec<Op>,
    /// `spans[pc]` is the source span of `code[pc]` (same length as `code`).
    pub spans: Vec<Span>,
    pub consts: Vec<Const>,
    pub upvals: Vec<UpvalDesc>,
    /// Searched in order; inner `try` regions come before the ones that enclose them.
    pub handlers: Vec<Handler>,
    pub children: Vec<Rc<Proto>>,
    /// Where the function is defined.
    pub span: Span,
}

/// The compiler's output for one source file.
#[derive(Clone, Debug)]
pub struct Program {
    /// The script body, `Proto` id 0, with no parameters.
    pub main: Rc<Proto>,
    /// Global slot names, indexed by `GlobalIdx`.
    pub globals: Vec<Rc<str>>,
    /// Total number of protos in the tree (ids are `0..proto_count`).
    pub proto_count: u32,
}

impl Proto {
    /// Every proto in this subtree, parents before children (depth-first).
    pub fn walk(self: &Rc<Proto>) -> Vec<Rc<Proto>> {
        let mut out = Vec::new();
        let mut stack = vec![self.clone()];
        while let Some(p) = stack.pop() {
            for c in p.children.iter().rev() {
                stack.push(c.clone());
            }
            out.push(p);
        }
        out
    }
}
