//! The compiler: `ast::Program` to register bytecode (`bytecode::Program`).
//!
//! Passes: `scope::Globals::collect` numbers the top-level bindings; `captures`
//! finds the locals that inner functions capture (they live in cells); then one
//! code-generation walk (`stmt`, `expr`) emits each function's `Proto`, compiling
//! every expression toward the register it is headed for. The scoping rules are
//! specified in spec/scoping.md.

mod captures;
mod emit;
mod expr;
mod regalloc;
mod scope;
mod stmt;
#[cfg(test)]
mod tests;

use crate::ast::{self, Func, Name, StmtKind};
use crate::bytecode::{self, Const, ConstIdx, Op, ProtoIdx, Reg};
use crate::diag::Diagnostic;
use crate::span::Span;
use emit::{FuncState, Local, Scope};
use scope::Globals;
use std::collections::HashSet;
use std::rc::Rc;

/// Compiles a parsed program; all compile-time errors found are returned, in
/// source order.
pub fn compile(program: &ast::Program<'_>) -> Result<bytecode::Program, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let globals = Globals::collect(program, &mut diags);
    let captured = captures::find(&program.body, &globals);
    let mut c = Compiler {
        fs: FuncState::new(0, Rc::from("<script>"), 0, program.body.span, true),
        outer: Vec::new(),
        globals,
        captured,
        diags,
        next_id: 1,
        top_declared: HashSet::new(),
        pinned: None,
    };
    c.push_scope();
    c.hoist(program.body.stmts);
    c.stmts(program.body.stmts);
    let main = c.fs.finish(program.body.span);
    if !c.diags.is_empty() {
        let mut diags = c.diags;
        diags.sort_by_key(|d| (d.span.start, d.span.line, d.span.col));
        return Err(diags);
    }
    Ok(bytecode::Program {
        main: Rc::new(main),
        globals: c.globals.names,
        proto_count: c.next_id,
    })
}

/// The code generator's state: the function being compiled, the functions that
/// enclose it, and program-wide tables.
pub(crate) struct Compiler<'a> {
    /// The function being compiled.
    fs: FuncState<'a>,
    /// The enclosing functions, outermost (the script) first.
    outer: Vec<FuncState<'a>>,
    globals: Globals<'a>,
    /// Keys (see `captures::key`) of the local declarations that live in cells.
    captured: HashSet<usize>,
    diags: Vec<Diagnostic>,
    /// The next proto id: ids are handed out in `Proto::walk` order.
    next_id: u32,
    /// Names already bound in the script's outermost scope (for duplicate checks).
    top_declared: HashSet<&'a str>,
    /// A live local that an assignment is compiling straight into: it is never
    /// used as scratch, since the expression may still read it.
    pinned: Option<Reg>,
}

impl<'a> Compiler<'a> {
    #[cold]
    fn error(&mut self, message: impl Into<String>, span: Span) {
        self.diags.push(Diagnostic::new(message, span));
    }

    fn emit(&mut self, op: Op, span: Span) -> usize {
        self.fs.emit(op, span)
    }

    /// A fresh register on top of the stack (reports the register limit once).
    fn alloc(&mut self, span: Span) -> Reg {
        match self.fs.regs.alloc() {
            Ok(r) => r,
            Err(_) => {
                self.error(
                    format!(
                        "function '{}' needs more than 65535 registers",
                        self.fs.name
                    ),
                    span,
                );
                Reg(u16::MAX - 1)
            }
        }
    }

    /// The current register mark, for `free_to`.
    fn mark(&self) -> u32 {
        self.fs.regs.active()
    }

    fn free_to(&mut self, mark: u32) {
        self.fs.regs.free_to(mark);
    }

    /// A constant's index (deduplicated; reports the table limit once).
    fn konst(&mut self, c: Const, span: Span) -> ConstIdx {
        match self.fs.constant(c) {
            Some(k) => k,
            None => {
                if self.fs.note_const_overflow() {
                    let msg = format!("function '{}' has more than 65536 constants", self.fs.name);
                    self.error(msg, span);
                }
                ConstIdx(0)
            }
        }
    }

    /// True in the script's outermost scope, where bindings are global slots.
    fn at_top(&self) -> bool {
        self.outer.is_empty() && self.fs.is_script && self.fs.scopes.len() == 1
    }

    fn push_scope(&mut self) {
        let reg_base = self.mark();
        self.fs.scopes.push(Scope {
            locals: Vec::new(),
            reg_base,
        });
    }

    /// Leaves a scope, releasing its locals' registers.
    fn pop_scope(&mut self) {
        if let Some(s) = self.fs.scopes.pop() {
            self.free_to(s.reg_base);
        }
    }

    /// Binds `name` to `reg` in the current scope. `explicit` declarations
    /// (`let`/`mut`/`const`, `func`, parameters, loop and `except` variables) may
    /// not repeat a name already declared in the same scope.
    fn bind(&mut self, name: Name<'a>, reg: Reg, mutable: bool, cell: bool, explicit: bool) {
        let Some(scope) = self.fs.scopes.last_mut() else {
            return;
        };
        let duplicate = explicit && scope.locals.iter().any(|l| l.name == name.name);
        scope.locals.push(Local {
            name: name.name,
            reg,
            mutable,
            cell,
        });
        if duplicate {
            self.error(
                format!("'{}' is already declared in this scope", name.name),
                name.span,
            );
        }
    }

    /// Whether the declaration at `node` is captured by an inner function.
    fn is_captured<T>(&self, node: &T) -> bool {
        self.captured.contains(&captures::key(node))
    }

    /// Assigns every top-level named function to its global slot before the
    /// script's first statement, so top-level code can call a function declared
    /// below it.
    fn hoist(&mut self, stmts: &'a [ast::Stmt<'a>]) {
        for s in stmts {
            let StmtKind::Func(f) = s.kind else { continue };
            let Some(name) = f.name else { continue };
            if !self.top_declared.insert(name.name) {
                self.error(
                    format!("'{}' is already declared in this scope", name.name),
                    name.span,
                );
            }
            let idx = self.func(f);
            let Some(g) = self.globals.declared(name.name) else {
                continue;
            };
            let mark = self.mark();
            let t = self.alloc(f.span);
            self.emit(Op::Closure { dst: t, proto: idx }, f.span);
            self.emit(
                Op::SetGlobal {
                    slot: g.slot,
                    src: t,
                },
                f.span,
            );
            self.free_to(mark);
        }
    }

    /// Compiles a function literal or declaration as a child of the current
    /// function and returns its child index.
    fn func(&mut self, f: &'a Func<'a>) -> ProtoIdx {
        let id = self.next_id;
        self.next_id += 1;
        let name: Rc<str> = match f.name {
            Some(n) => Rc::from(n.name),
            None => Rc::from("<anonymous>"),
        };
        let nparams = match u16::try_from(f.params.len()) {
            Ok(n) if n < u16::MAX => n,
            _ => {
                self.error("a function may have at most 65534 parameters", f.span);
                0
            }
        };
        let child = FuncState::new(id, name, nparams, f.span, false);
        let parent = std::mem::replace(&mut self.fs, child);
        let pinned = self.pinned.take();
        self.outer.push(parent);
        self.push_scope();
        for p in f.params {
            let reg = self.alloc(p.span);
            let cell = self.is_captured(p);
            self.bind(*p, reg, true, cell, true);
            if cell {
                self.emit(Op::NewCell { dst: reg, src: reg }, p.span);
            }
        }
        self.stmts(f.body.stmts);
        self.pinned = pinned;
        let Some(parent) = self.outer.pop() else {
            return ProtoIdx(0);
        };
        let child = std::mem::replace(&mut self.fs, parent);
        let proto = child.finish(f.body.span);
        let idx = self.fs.children.len();
        self.fs.children.push(Rc::new(proto));
        match u16::try_from(idx) {
            Ok(i) => ProtoIdx(i),
            Err(_) => {
                self.error("a function may contain at most 65536 functions", f.span);
                ProtoIdx(0)
            }
        }
    }
}
