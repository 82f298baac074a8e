//! Statement code generation: declarations and assignments (with the
//! mutability checks), functions, control flow (`if`, loops, `break`/`continue`),
//! `try` regions for the handler table, `return` and `throw`.

use super::expr::writes_dst_early;
use super::scope::Var;
use super::Compiler;
use crate::ast::{
    AssignOp, BinOp, Block, DeclKind, Else, Expr, ExprKind, Func, Name, Stmt, StmtKind,
};
use crate::bytecode::{Const, Handler, Op, Reg, Target};
use crate::span::Span;
use std::rc::Rc;

impl<'a> Compiler<'a> {
    pub(crate) fn stmts(&mut self, stmts: &'a [Stmt<'a>]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    /// A `{ ... }` block: a scope of its own.
    fn block(&mut self, b: &Block<'a>) {
        self.push_scope();
        self.stmts(b.stmts);
        self.pop_scope();
    }

    /// Compiles one statement. No temporaries are live before or after it: only
    /// the locals of the enclosing scopes hold registers.
    fn stmt(&mut self, s: &'a Stmt<'a>) {
        let span = s.span;
        match s.kind {
            StmtKind::Expr(e) => {
                let mark = self.mark();
                self.expr_any(e);
                self.free_to(mark);
            }
            StmtKind::Decl { kind, name, value } => self.decl(s, kind, name, value),
            StmtKind::Assign { op, target, value } => self.assign(s, op, target, value),
            StmtKind::Func(f) => self.local_func(f),
            StmtKind::Return(value) => {
                if self.fs.is_script {
                    self.error("'return' outside a function", span);
                }
                match value {
                    None => {
                        self.emit(Op::ReturnNull, span);
                    }
                    Some(e) => {
                        let mark = self.mark();
                        let src = self.expr_any(e);
                        self.emit(Op::Return { src }, span);
                        self.free_to(mark);
                    }
                }
            }
            StmtKind::If { cond, then, else_ } => {
                let skip_then = self.cond_jumps(cond);
                let then_start = self.fs.code.len();
                self.block(&then);
                match else_ {
                    None => self.fs.patch_here(&skip_then),
                    Some(else_) => {
                        let end = if self.fs.falls_through(then_start) {
                            vec![self.emit(Op::Jmp { target: Target(0) }, span)]
                        } else {
                            Vec::new()
                        };
                        self.fs.patch_here(&skip_then);
                        match else_ {
                            Else::If(s) => self.stmt(s),
                            Else::Block(b) => self.block(&b),
                        }
                        self.fs.patch_here(&end);
                    }
                }
            }
            StmtKind::While { cond, body } => {
                let top = self.fs.label_here();
                let exit = self.cond_jumps(cond);
                self.loop_body(top, |c| c.block(&body), span);
                self.fs.patch_here(&exit);
            }
            StmtKind::Loop { body } => {
                let top = self.fs.label_here();
                self.loop_body(top, |c| c.block(&body), span);
            }
            StmtKind::For { var, iter, body } => self.for_loop(s, var, iter, &body),
            StmtKind::Break => match self.fs.loops.last() {
                Some(_) => {
                    let j = self.emit(Op::Jmp { target: Target(0) }, span);
                    if let Some(l) = self.fs.loops.last_mut() {
                        l.breaks.push(j);
                    }
                }
                None => self.error("'break' outside a loop", span),
            },
            StmtKind::Continue => match self.fs.loops.last() {
                Some(l) => {
                    let target = Target(l.continue_target);
                    self.emit(Op::Loop { target }, span);
                }
                None => self.error("'continue' outside a loop", span),
            },
            StmtKind::Try { body, err, handler } => {
                let start = self.fs.pc();
                self.block(&body);
                let end = self.fs.pc();
                let skip = if self.fs.falls_through(start as usize) {
                    vec![self.emit(Op::Jmp { target: Target(0) }, span)]
                } else {
                    Vec::new()
                };
                let handler_pc = self.fs.label_here();
                self.push_scope();
                let err_reg = err.map(|name| {
                    let reg = self.alloc(name.span);
                    let cell = self.is_captured(s);
                    self.bind(name, reg, true, cell, true);
                    if cell {
                        self.emit(Op::NewCell { dst: reg, src: reg }, name.span);
                    }
                    reg
                });
                if start < end {
                    self.fs.handlers.push(Handler {
                        start: Target(start),
                        end: Target(end),
                        handler: Target(handler_pc),
                        err_reg,
                    });
                }
                self.stmts(handler.stmts);
                self.pop_scope();
                self.fs.patch_here(&skip);
            }
            StmtKind::Throw(e) => {
                let mark = self.mark();
                let src = self.expr_any(e);
                self.emit(Op::Throw { src }, span);
                self.free_to(mark);
            }
        }
    }

    /// Compiles a loop body whose back-edge goes to `top`, then patches its breaks
    /// to the instruction after the loop (the caller patches its own exits there).
    fn loop_body(&mut self, top: u32, body: impl FnOnce(&mut Self), span: Span) {
        self.fs.loops.push(super::emit::LoopCtx {
            continue_target: top,
            breaks: Vec::new(),
        });
        body(self);
        self.emit(
            Op::Loop {
                target: Target(top),
            },
            span,
        );
        if let Some(l) = self.fs.loops.pop() {
            self.fs.patch_here(&l.breaks);
        }
    }

    /// `for var in iter { body }`: `IterPrep` reserves three state registers; the
    /// loop variable is a fresh local of the body's scope on every iteration (a
    /// fresh cell when captured).
    fn for_loop(&mut self, s: &'a Stmt<'a>, var: Name<'a>, iter: &'a Expr<'a>, body: &Block<'a>) {
        let span = s.span;
        let mark = self.mark();
        let base = self.alloc(span);
        self.alloc(span);
        self.alloc(span);
        let src_mark = self.mark();
        let src = self.expr_any(iter);
        self.emit(Op::IterPrep { base, src }, iter.span);
        self.free_to(src_mark);
        self.push_scope();
        let dst = self.alloc(var.span);
        let cell = self.is_captured(s);
        self.bind(var, dst, true, cell, true);
        let top = self.fs.label_here();
        let next = self.emit(
            Op::IterNext {
                base,
                dst,
                exit: Target(0),
            },
            span,
        );
        self.loop_body(
            top,
            |c| {
                if cell {
                    c.emit(Op::NewCell { dst, src: dst }, var.span);
                }
                c.stmts(body.stmts);
            },
            span,
        );
        self.fs.patch_here(&[next]);
        self.pop_scope();
        self.free_to(mark);
    }

    /// `let`/`mut`/`const name := value`.
    fn decl(&mut self, s: &'a Stmt<'a>, kind: DeclKind, name: Name<'a>, value: &'a Expr<'a>) {
        if self.at_top() {
            if !self.top_declared.insert(name.name) {
                self.error(
                    format!("'{}' is already declared in this scope", name.name),
                    name.span,
                );
            }
            self.store_global(name.name, value, s.span);
            return;
        }
        self.declare_local(s, name, value, kind == DeclKind::Mut, true);
    }

    /// Declares a new local in the current scope holding `value` (evaluated before
    /// the name is bound, so `let x := x` reads an outer `x`).
    fn declare_local(
        &mut self,
        s: &'a Stmt<'a>,
        name: Name<'a>,
        value: &'a Expr<'a>,
        mutable: bool,
        explicit: bool,
    ) {
        let reg = self.alloc(name.span);
        let cell = self.is_captured(s);
        if cell {
            // The cell is made straight from the value's register.
            let mark = self.mark();
            let src = self.operand(value, reg);
            self.emit(Op::NewCell { dst: reg, src }, name.span);
            self.free_to(mark);
        } else {
            self.expr_to(value, reg);
        }
        self.bind(name, reg, mutable, cell, explicit);
    }

    /// Evaluates `value` and stores it in the declared global `name`.
    fn store_global(&mut self, name: &'a str, value: &'a Expr<'a>, span: Span) {
        let slot = match self.globals.declared(name) {
            Some(g) => g.slot,
            None => self.globals.free_slot(name, span, &mut self.diags),
        };
        let mark = self.mark();
        let src = self.expr_any(value);
        self.emit(Op::SetGlobal { slot, src }, span);
        self.free_to(mark);
    }

    /// A named function statement. Top-level ones were hoisted; a local one is
    /// bound before its body is compiled, so it can call itself.
    fn local_func(&mut self, f: &'a Func<'a>) {
        let Some(name) = f.name else {
            return;
        };
        if self.at_top() {
            return;
        }
        let reg = self.alloc(name.span);
        let cell = self.is_captured(f);
        self.bind(name, reg, false, cell, true);
        if cell {
            self.emit(Op::LoadNull { dst: reg }, name.span);
            self.emit(Op::NewCell { dst: reg, src: reg }, name.span);
            let proto = self.func(f);
            let mark = self.mark();
            let t = self.alloc(f.span);
            self.emit(Op::Closure { dst: t, proto }, f.span);
            self.emit(Op::SetCell { cell: reg, src: t }, f.span);
            self.free_to(mark);
        } else {
            let proto = self.func(f);
            self.emit(Op::Closure { dst: reg, proto }, f.span);
        }
    }

    /// `target op value` for a name, an element `a[i]` or a field `a.f`. The
    /// object and key are evaluated before the value.
    fn assign(&mut self, s: &'a Stmt<'a>, op: AssignOp, target: &'a Expr<'a>, value: &'a Expr<'a>) {
        let span = s.span;
        let arith = match op {
            AssignOp::Walrus | AssignOp::Assign => None,
            AssignOp::Add => Some(BinOp::Add),
            AssignOp::Sub => Some(BinOp::Sub),
            AssignOp::Mul => Some(BinOp::Mul),
            AssignOp::Div => Some(BinOp::Div),
            AssignOp::Mod => Some(BinOp::Mod),
        };
        match target.kind {
            ExprKind::Ident(name) => self.assign_name(s, name, target.span, arith, value),
            ExprKind::Index { obj, index } => {
                self.check_element_target(obj);
                let mark = self.mark();
                let o = self.expr_any(obj);
                let key = self.expr_any(index);
                let src = self.update_value(arith, value, span, |c, t| {
                    c.emit(
                        Op::GetIndex {
                            dst: t,
                            obj: o,
                            key,
                        },
                        span,
                    );
                });
                self.emit(Op::SetIndex { obj: o, key, src }, span);
                self.free_to(mark);
            }
            ExprKind::Field { obj, name } => {
                self.check_element_target(obj);
                let mark = self.mark();
                let o = self.expr_any(obj);
                let key = self.konst(Const::Str(Rc::from(name.name)), name.span);
                let src = self.update_value(arith, value, span, |c, t| {
                    c.emit(
                        Op::GetField {
                            dst: t,
                            obj: o,
                            key,
                        },
                        span,
                    );
                });
                self.emit(Op::SetField { obj: o, key, src }, span);
                self.free_to(mark);
            }
            _ => self.error("invalid assignment target", target.span),
        }
    }

    /// The value to store for an element or field assignment: `value` itself, or
    /// (for a compound operator) the current value, read by `load`, combined with it.
    fn update_value(
        &mut self,
        arith: Option<BinOp>,
        value: &'a Expr<'a>,
        span: Span,
        load: impl FnOnce(&mut Self, Reg),
    ) -> Reg {
        match arith {
            None => self.expr_any(value),
            Some(op) => {
                let t = self.alloc(span);
                load(self, t);
                self.arith_to(op, t, value, t, span);
                t
            }
        }
    }

    /// Rejects `a[i] = e` / `a.f = e` (at any depth) when `a` is a `let`/`const`
    /// binding.
    fn check_element_target(&mut self, mut obj: &'a Expr<'a>) {
        loop {
            match obj.kind {
                ExprKind::Index { obj: inner, .. } | ExprKind::Field { obj: inner, .. } => {
                    obj = inner
                }
                ExprKind::Ident(name) => {
                    if let Some(false) = self.lookup(name).and_then(mutability) {
                        self.error(
                            format!("cannot assign through immutable binding '{name}'"),
                            obj.span,
                        );
                    }
                    return;
                }
                _ => return,
            }
        }
    }

    /// Assignment to a bare name: `:=` and `=` update the nearest visible binding
    /// or declare a new mutable local; compound operators read, combine and write.
    fn assign_name(
        &mut self,
        s: &'a Stmt<'a>,
        name: &'a str,
        name_span: Span,
        arith: Option<BinOp>,
        value: &'a Expr<'a>,
    ) {
        let span = s.span;
        let Some(var) = self.lookup(name) else {
            match arith {
                None => {
                    let n = Name {
                        name,
                        span: name_span,
                    };
                    if self.at_top() {
                        self.top_declared.insert(name);
                        self.store_global(name, value, span);
                    } else {
                        self.declare_local(s, n, value, true, false);
                    }
                }
                Some(op) => {
                    // Nothing to update: read the name as an expression would (a
                    // builtin or an undefined global) and store into a global slot
                    // of that name, which the read makes fail at run time.
                    let slot = self.globals.free_slot(name, name_span, &mut self.diags);
                    let mark = self.mark();
                    let t = self.alloc(span);
                    self.load_var(name, t, name_span);
                    self.arith_to(op, t, value, t, span);
                    self.emit(Op::SetGlobal { slot, src: t }, span);
                    self.free_to(mark);
                }
            }
            return;
        };
        if mutability(var) == Some(false) {
            self.error(
                format!("cannot assign to immutable binding '{name}'"),
                name_span,
            );
        }
        if self.at_top() {
            self.top_declared.insert(name);
        }
        match (var, arith) {
            (
                Var::Local {
                    reg, cell: false, ..
                },
                None,
            ) => {
                if writes_dst_early(value) {
                    let mark = self.mark();
                    let t = self.alloc(span);
                    self.expr_to(value, t);
                    self.emit(Op::Move { dst: reg, src: t }, span);
                    self.free_to(mark);
                } else {
                    let saved = self.pinned.replace(reg);
                    self.expr_to(value, reg);
                    self.pinned = saved;
                }
            }
            (
                Var::Local {
                    reg, cell: false, ..
                },
                Some(op),
            ) => {
                self.arith_to(op, reg, value, reg, span);
            }
            _ => {
                let mark = self.mark();
                let src = match arith {
                    None => self.expr_any(value),
                    Some(op) => {
                        let t = self.alloc(span);
                        self.load_var(name, t, name_span);
                        self.arith_to(op, t, value, t, span);
                        t
                    }
                };
                let store = match var {
                    Var::Local { reg, .. } => Op::SetCell { cell: reg, src },
                    Var::Upval { idx, .. } => Op::SetUpval { idx, src },
                    Var::Global { slot, .. } | Var::Free(slot) => Op::SetGlobal { slot, src },
                    // `lookup` only returns bindings; a builtin is never one.
                    Var::Builtin(_) => return self.free_to(mark),
                };
                self.emit(store, span);
                self.free_to(mark);
            }
        }
    }
}

/// Whether a binding may be assigned (`None` for things that are not bindings).
fn mutability(v: Var) -> Option<bool> {
    match v {
        Var::Local { mutable, .. } | Var::Upval { mutable, .. } | Var::Global { mutable, .. } => {
            Some(mutable)
        }
        Var::Builtin(_) | Var::Free(_) => None,
    }
}
