//! Name resolution: the global slot table (collected from the script's outermost
//! scope before code generation, so any function can see every top-level binding),
//! and `Compiler::lookup`/`resolve`, which walk local scopes, then enclosing
//! functions (creating upvalues), then globals, then builtins.

use super::Compiler;
use crate::ast::{self, AssignOp, DeclKind, ExprKind, StmtKind};
use crate::bytecode::{Builtin, GlobalIdx, Reg, UpvalDesc, UpvalIdx, UpvalSource};
use crate::diag::Diagnostic;
use crate::span::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// The most global slots a program may have (`GlobalIdx` is a `u16`).
const MAX_GLOBALS: usize = u16::MAX as usize + 1;

/// What the compiler knows about one global slot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GlobalInfo {
    pub slot: GlobalIdx,
    /// False when any top-level `let`, `const` or `func` declares the name.
    pub mutable: bool,
    /// True for names bound at top level; false for slots made for free names.
    pub declared: bool,
}

/// The program's global slots, indexed by `GlobalIdx`.
pub(crate) struct Globals<'a> {
    pub names: Vec<Rc<str>>,
    map: HashMap<&'a str, GlobalInfo>,
    overflowed: bool,
}

impl<'a> Globals<'a> {
    /// Collects every name bound in the script's outermost scope (declarations,
    /// `:=`/`=` on a bare name, named functions), in source order.
    pub fn collect(program: &ast::Program<'a>, diags: &mut Vec<Diagnostic>) -> Globals<'a> {
        let mut g = Globals {
            names: Vec::new(),
            map: HashMap::new(),
            overflowed: false,
        };
        for stmt in program.body.stmts {
            let (name, immutable) = match stmt.kind {
                StmtKind::Decl { kind, name, .. } => (name, kind != DeclKind::Mut),
                StmtKind::Func(f) => match f.name {
                    Some(n) => (n, true),
                    None => continue,
                },
                StmtKind::Assign {
                    op: AssignOp::Walrus | AssignOp::Assign,
                    target,
                    ..
                } => match target.kind {
                    ExprKind::Ident(n) => (
                        ast::Name {
                            name: n,
                            span: target.span,
                        },
                        false,
                    ),
                    _ => continue,
                },
                _ => continue,
            };
            match g.map.get_mut(name.name) {
                Some(info) => info.mutable &= !immutable,
                None => {
                    if let Some(slot) = g.new_slot(name.name, name.span, diags) {
                        g.map.insert(
                            name.name,
                            GlobalInfo {
                                slot,
                                mutable: !immutable,
                                declared: true,
                            },
                        );
                    }
                }
            }
        }
        g
    }

    fn new_slot(
        &mut self,
        name: &str,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<GlobalIdx> {
        if self.names.len() >= MAX_GLOBALS {
            if !std::mem::replace(&mut self.overflowed, true) {
                diags.push(Diagnostic::new(
                    "too many global variables (the limit is 65536)",
                    span,
                ));
            }
            return None;
        }
        self.names.push(Rc::from(name));
        Some(GlobalIdx((self.names.len() - 1) as u16))
    }

    /// The slot of a name bound at top level, if the program binds it there.
    pub fn declared(&self, name: &str) -> Option<GlobalInfo> {
        self.map.get(name).copied().filter(|g| g.declared)
    }

    /// The slot for a free name (one no scope binds): made on first use, never
    /// assigned by the program, so reading it is `Undefined variable` at run time.
    pub fn free_slot(
        &mut self,
        name: &'a str,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> GlobalIdx {
        if let Some(g) = self.map.get(name) {
            return g.slot;
        }
        match self.new_slot(name, span, diags) {
            Some(slot) => {
                self.map.insert(
                    name,
                    GlobalInfo {
                        slot,
                        mutable: true,
                        declared: false,
                    },
                );
                slot
            }
            None => GlobalIdx(u16::MAX),
        }
    }
}

/// Where a name lives, as seen from the function being compiled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Var {
    /// A register of this frame (holding a cell when `cell`).
    Local { reg: Reg, mutable: bool, cell: bool },
    /// A captured variable of an enclosing function.
    Upval { idx: UpvalIdx, mutable: bool },
    /// A top-level binding.
    Global { slot: GlobalIdx, mutable: bool },
    /// A builtin function (not a binding: it cannot be assigned).
    Builtin(Builtin),
    /// A name nothing binds: a global slot that is never assigned.
    Free(GlobalIdx),
}

impl<'a> Compiler<'a> {
    /// Resolves a name to a binding (local, upvalue or declared global), or `None`
    /// when no binding of that name is visible.
    pub(crate) fn lookup(&mut self, name: &str) -> Option<Var> {
        if let Some(l) = self.fs.find_local(name) {
            return Some(Var::Local {
                reg: l.reg,
                mutable: l.mutable,
                cell: l.cell,
            });
        }
        let level = self.outer.len();
        if let Some((idx, mutable)) = self.resolve_upval(level, name) {
            return Some(Var::Upval { idx, mutable });
        }
        self.globals.declared(name).map(|g| Var::Global {
            slot: g.slot,
            mutable: g.mutable,
        })
    }

    /// Resolves a name for reading: a binding, else a builtin, else a free global.
    pub(crate) fn resolve(&mut self, name: &'a str, span: Span) -> Var {
        if let Some(v) = self.lookup(name) {
            return v;
        }
        if let Some(b) = Builtin::from_name(name) {
            return Var::Builtin(b);
        }
        Var::Free(self.globals.free_slot(name, span, &mut self.diags))
    }

    /// Finds `name` among the locals of the functions enclosing function `level`
    /// (`level == outer.len()` is the current one) and threads it down as an
    /// upvalue of each function in between. Returns the upvalue index in `level`.
    fn resolve_upval(&mut self, level: usize, name: &str) -> Option<(UpvalIdx, bool)> {
        if level == 0 {
            return None;
        }
        let parent = level - 1;
        let (source, mutable) = match self.outer[parent].find_local(name) {
            Some(l) => {
                debug_assert!(l.cell, "captured local '{name}' has no cell");
                (UpvalSource::ParentReg(l.reg), l.mutable)
            }
            None => {
                let (idx, mutable) = self.resolve_upval(parent, name)?;
                (UpvalSource::ParentUpval(idx), mutable)
            }
        };
        let fs = if level == self.outer.len() {
            &mut self.fs
        } else {
            &mut self.outer[level]
        };
        if let Some(i) = fs.upvals.iter().position(|u| u.source == source) {
            return Some((UpvalIdx(i as u16), mutable));
        }
        // An upvalue list is bounded by the enclosing functions' registers and
        // upvalues, but keep the index in range regardless.
        if fs.upvals.len() > u16::MAX as usize {
            return Some((UpvalIdx(u16::MAX), mutable));
        }
        fs.upvals.push(UpvalDesc {
            source,
            name: Rc::from(name),
        });
        Some((UpvalIdx((fs.upvals.len() - 1) as u16), mutable))
    }
}
