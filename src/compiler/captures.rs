//! The capture pre-pass: walks the AST with the same scoping rules as code
//! generation and records which local declarations are read or written by an
//! inner function. Those locals live in cells (`NewCell` at the declaration), so
//! every closure over one variable shares it.
//!
//! A declaration is identified by the address of the AST node that introduces it
//! (the `Stmt` of a `let`/`:=`/`=`/`for`/`try`, the `Func` of a named function, or
//! the parameter's `Name`), which both passes see at the same place in the arena.

use super::scope::Globals;
use crate::ast::{AssignOp, Block, Else, Expr, ExprKind, Func, InterpPart, Stmt, StmtKind};
use std::collections::HashSet;

/// The identity of a declaring AST node.
pub(crate) fn key<T>(node: &T) -> usize {
    node as *const T as usize
}

/// Returns the keys of every local declaration captured by an inner function.
pub(crate) fn find(body: &Block<'_>, globals: &Globals<'_>) -> HashSet<usize> {
    let mut r = Resolver {
        funcs: vec![vec![Vec::new()]],
        captured: HashSet::new(),
        globals,
    };
    r.stmts(body.stmts);
    r.captured
}

struct Resolver<'a, 'g> {
    /// Per function (outermost first), per scope (outermost first): name and key.
    funcs: Vec<Vec<Vec<(&'a str, usize)>>>,
    captured: HashSet<usize>,
    globals: &'g Globals<'g>,
}

impl<'a, 'g> Resolver<'a, 'g> {
    /// In the script's outermost scope, bindings are globals, not locals.
    fn at_top(&self) -> bool {
        self.funcs.len() == 1 && self.funcs[0].len() == 1
    }

    /// Finds the visible local `name`, marking it captured when it belongs to an
    /// enclosing function. False when no local of that name is visible.
    fn lookup(&mut self, name: &str) -> bool {
        let current = self.funcs.len() - 1;
        for (fi, scopes) in self.funcs.iter().enumerate().rev() {
            for scope in scopes.iter().rev() {
                if let Some(&(_, k)) = scope.iter().rev().find(|(n, _)| *n == name) {
                    if fi != current {
                        self.captured.insert(k);
                    }
                    return true;
                }
            }
        }
        false
    }

    fn declare(&mut self, name: &'a str, key: usize) {
        if self.at_top() {
            return;
        }
        if let Some(scope) = self.funcs.last_mut().and_then(|f| f.last_mut()) {
            scope.push((name, key));
        }
    }

    fn push_scope(&mut self) {
        if let Some(f) = self.funcs.last_mut() {
            f.push(Vec::new());
        }
    }

    fn pop_scope(&mut self) {
        if let Some(f) = self.funcs.last_mut() {
            f.pop();
        }
    }

    fn block(&mut self, b: &Block<'a>) {
        self.push_scope();
        self.stmts(b.stmts);
        self.pop_scope();
    }

    fn stmts(&mut self, stmts: &'a [Stmt<'a>]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &'a Stmt<'a>) {
        match s.kind {
            StmtKind::Expr(e) | StmtKind::Throw(e) => self.expr(e),
            StmtKind::Decl { name, value, .. } => {
                self.expr(value);
                self.declare(name.name, key(s));
            }
            StmtKind::Assign { op, target, value } => {
                self.expr(value);
                match target.kind {
                    ExprKind::Ident(name) => {
                        let visible = self.lookup(name) || self.globals.declared(name).is_some();
                        if !visible && matches!(op, AssignOp::Walrus | AssignOp::Assign) {
                            self.declare(name, key(s));
                        }
                    }
                    _ => self.expr(target),
                }
            }
            StmtKind::Func(f) => {
                if let Some(n) = f.name {
                    self.declare(n.name, key(f));
                }
                self.func(f);
            }
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            StmtKind::If { cond, then, else_ } => {
                self.expr(cond);
                self.block(&then);
                match else_ {
                    Some(Else::If(s)) => self.stmt(s),
                    Some(Else::Block(b)) => self.block(&b),
                    None => {}
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cond);
                self.block(&body);
            }
            StmtKind::Loop { body } => self.block(&body),
            StmtKind::For { var, iter, body } => {
                self.expr(iter);
                self.push_scope();
                self.declare(var.name, key(s));
                self.stmts(body.stmts);
                self.pop_scope();
            }
            StmtKind::Break | StmtKind::Continue => {}
            StmtKind::Try { body, err, handler } => {
                self.block(&body);
                self.push_scope();
                if let Some(e) = err {
                    self.declare(e.name, key(s));
                }
                self.stmts(handler.stmts);
                self.pop_scope();
            }
        }
    }

    fn func(&mut self, f: &'a Func<'a>) {
        self.funcs.push(vec![Vec::new()]);
        for p in f.params {
            self.declare(p.name, key(p));
        }
        self.stmts(f.body.stmts);
        self.funcs.pop();
    }

    fn expr(&mut self, e: &'a Expr<'a>) {
        match e.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Null => {}
            ExprKind::Ident(name) => {
                self.lookup(name);
            }
            ExprKind::Interp(parts) => {
                for p in parts {
                    if let InterpPart::Expr(e) = p {
                        self.expr(e);
                    }
                }
            }
            ExprKind::Array(items) => items.iter().for_each(|e| self.expr(e)),
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::Func(f) => self.func(f),
            ExprKind::Unary { expr, .. } => self.expr(expr),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Call { callee, args } => {
                self.expr(callee);
                args.iter().for_each(|e| self.expr(e));
            }
            ExprKind::Index { obj, index } => {
                self.expr(obj);
                self.expr(index);
            }
            ExprKind::Field { obj, .. } => self.expr(obj),
        }
    }
}
