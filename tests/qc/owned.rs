//! An owned mirror of `ruff::ast` (the real AST borrows from an arena, which quickcheck
//! values cannot), its lowering into the arena AST, and a span-free canonical text of
//! the arena AST for structural comparison.

use bumpalo::Bump;
use ruff::ast::{
    self, AssignOp, BinOp, Block, DeclKind, Else, Expr, ExprKind, InterpPart, Name, Stmt, StmtKind,
    UnOp,
};
use ruff::span::Span;
use std::fmt::Write;

/// An owned expression; the variants mirror `ast::ExprKind`.
#[derive(Clone, Debug, PartialEq)]
pub enum E {
    Int(i64),
    Float(f64),
    Str(String),
    Interp(Vec<Part>),
    Bool(bool),
    Null,
    Ident(String),
    Array(Vec<E>),
    Dict(Vec<(E, E)>),
    Func(Box<Fun>),
    Unary(UnOp, Box<E>),
    Binary(BinOp, Box<E>, Box<E>),
    Call(Box<E>, Vec<E>),
    Index(Box<E>, Box<E>),
    Field(Box<E>, String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Expr(E),
}

/// A function. With `fuel`, the lowering prepends `fuel -= 1` and an early
/// `return null` once the program's global fuel is spent, so no call chain is endless.
#[derive(Clone, Debug, PartialEq)]
pub struct Fun {
    pub name: Option<String>,
    pub params: Vec<String>,
    pub body: Vec<S>,
    pub fuel: bool,
}

/// An owned statement; the variants mirror `ast::StmtKind`, plus `Bounded`.
#[derive(Clone, Debug, PartialEq)]
pub enum S {
    Expr(E),
    Decl(DeclKind, String, E),
    Assign(AssignOp, E, E),
    Func(Fun),
    Return(Option<E>),
    If(E, Vec<S>, Option<Els>),
    While(E, Vec<S>),
    Loop(Vec<S>),
    For(String, E, Vec<S>),
    Break,
    Continue,
    Try(Vec<S>, Option<String>, Vec<S>),
    Throw(E),
    /// A loop that terminates by construction: it lowers to `mut counter := 0` followed
    /// by the loop, whose body first counts the iteration, burns one unit of fuel and
    /// breaks once `counter > limit` or the fuel is spent. Shrinking cannot remove the
    /// guard because it is not a statement of the owned tree.
    Bounded {
        counter: String,
        limit: u8,
        kind: LoopKind,
        body: Vec<S>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Els {
    If(Box<S>),
    Block(Vec<S>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoopKind {
    While(E),
    Loop,
    For(String, E),
}

/// The name of the global that bounds the total number of loop iterations and calls.
pub const FUEL: &str = "fuel";

/// A whole program. With `fuel = Some(n)` the lowering declares `mut fuel := n` first.
#[derive(Clone, PartialEq)]
pub struct Prog {
    pub fuel: Option<u32>,
    pub body: Vec<S>,
}

impl Prog {
    /// The program as Ruff source, through the real pretty-printer.
    pub fn source(&self) -> String {
        let arena = Bump::new();
        let p = lower_program(&arena, self);
        ruff::pretty::print_program(&p)
    }
}

impl std::fmt::Debug for Prog {
    /// Shows the program as source: that is what a failing quickcheck case prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "\n----- program -----\n{}-------------------",
            self.source()
        )
    }
}

const SP: Span = Span::new(0, 0, 1, 1);

fn name<'a>(a: &'a Bump, n: &str) -> Name<'a> {
    Name {
        name: a.alloc_str(n),
        span: SP,
    }
}

fn ex<'a>(_a: &'a Bump, kind: ExprKind<'a>) -> Expr<'a> {
    Expr { kind, span: SP }
}

fn st(kind: StmtKind<'_>) -> Stmt<'_> {
    Stmt { kind, span: SP }
}

/// Builds the arena AST of `p` (all spans are dummies).
pub fn lower_program<'a>(a: &'a Bump, p: &Prog) -> ast::Program<'a> {
    let mut stmts = Vec::new();
    if let Some(n) = p.fuel {
        stmts.push(st(StmtKind::Decl {
            kind: DeclKind::Mut,
            name: name(a, FUEL),
            value: a.alloc(ex(a, ExprKind::Int(n as i64))),
        }));
    }
    lower_stmts_into(a, &p.body, &mut stmts);
    ast::Program {
        body: Block {
            stmts: a.alloc_slice_copy(&stmts),
            span: SP,
        },
    }
}

fn block<'a>(a: &'a Bump, stmts: &[S]) -> Block<'a> {
    let mut out = Vec::new();
    lower_stmts_into(a, stmts, &mut out);
    block_of(a, out)
}

fn block_of<'a>(a: &'a Bump, stmts: Vec<Stmt<'a>>) -> Block<'a> {
    Block {
        stmts: a.alloc_slice_copy(&stmts),
        span: SP,
    }
}

fn lower_stmts_into<'a>(a: &'a Bump, stmts: &[S], out: &mut Vec<Stmt<'a>>) {
    for s in stmts {
        lower_stmt_into(a, s, out);
    }
}

fn ident<'a>(a: &'a Bump, n: &str) -> &'a Expr<'a> {
    a.alloc(ex(a, ExprKind::Ident(a.alloc_str(n))))
}

fn int<'a>(a: &'a Bump, i: i64) -> &'a Expr<'a> {
    a.alloc(ex(a, ExprKind::Int(i)))
}

fn bin<'a>(a: &'a Bump, op: BinOp, lhs: &'a Expr<'a>, rhs: &'a Expr<'a>) -> &'a Expr<'a> {
    a.alloc(ex(a, ExprKind::Binary { op, lhs, rhs }))
}

/// `fuel -= 1`
fn burn(a: &Bump) -> Stmt<'_> {
    st(StmtKind::Assign {
        op: AssignOp::Sub,
        target: ident(a, FUEL),
        value: int(a, 1),
    })
}

fn lower_stmt_into<'a>(a: &'a Bump, s: &S, out: &mut Vec<Stmt<'a>>) {
    let kind = match s {
        S::Expr(e) => StmtKind::Expr(expr(a, e)),
        S::Decl(k, n, e) => StmtKind::Decl {
            kind: *k,
            name: name(a, n),
            value: expr(a, e),
        },
        S::Assign(op, t, v) => StmtKind::Assign {
            op: *op,
            target: expr(a, t),
            value: expr(a, v),
        },
        S::Func(f) => StmtKind::Func(func(a, f)),
        S::Return(v) => StmtKind::Return(v.as_ref().map(|v| expr(a, v))),
        S::If(c, t, e) => StmtKind::If {
            cond: expr(a, c),
            then: block(a, t),
            else_: e.as_ref().map(|e| els(a, e)),
        },
        S::While(c, b) => StmtKind::While {
            cond: expr(a, c),
            body: block(a, b),
        },
        S::Loop(b) => StmtKind::Loop { body: block(a, b) },
        S::For(v, it, b) => StmtKind::For {
            var: name(a, v),
            iter: expr(a, it),
            body: block(a, b),
        },
        S::Break => StmtKind::Break,
        S::Continue => StmtKind::Continue,
        S::Try(b, e, h) => StmtKind::Try {
            body: block(a, b),
            err: e.as_ref().map(|e| name(a, e)),
            handler: block(a, h),
        },
        S::Throw(e) => StmtKind::Throw(expr(a, e)),
        S::Bounded {
            counter,
            limit,
            kind,
            body,
        } => {
            out.push(st(StmtKind::Decl {
                kind: DeclKind::Mut,
                name: name(a, counter),
                value: int(a, 0),
            }));
            // counter += 1; fuel -= 1; if counter > limit || fuel < 0 { break }
            let mut stmts = vec![
                st(StmtKind::Assign {
                    op: AssignOp::Add,
                    target: ident(a, counter),
                    value: int(a, 1),
                }),
                burn(a),
            ];
            let over = bin(a, BinOp::Gt, ident(a, counter), int(a, *limit as i64));
            let spent = bin(a, BinOp::Lt, ident(a, FUEL), int(a, 0));
            stmts.push(st(StmtKind::If {
                cond: bin(a, BinOp::Or, over, spent),
                then: block_of(a, vec![st(StmtKind::Break)]),
                else_: None,
            }));
            lower_stmts_into(a, body, &mut stmts);
            let body = block_of(a, stmts);
            match kind {
                LoopKind::While(c) => StmtKind::While {
                    cond: expr(a, c),
                    body,
                },
                LoopKind::Loop => StmtKind::Loop { body },
                LoopKind::For(v, it) => StmtKind::For {
                    var: name(a, v),
                    iter: expr(a, it),
                    body,
                },
            }
        }
    };
    out.push(st(kind));
}

fn els<'a>(a: &'a Bump, e: &Els) -> Else<'a> {
    match e {
        Els::Block(b) => Else::Block(block(a, b)),
        Els::If(s) => {
            let mut v = Vec::new();
            lower_stmt_into(a, s, &mut v);
            match v.as_slice() {
                [one] => Else::If(a.alloc(*one)),
                _ => Else::Block(block_of(a, v)),
            }
        }
    }
}

fn func<'a>(a: &'a Bump, f: &Fun) -> &'a ast::Func<'a> {
    let params: Vec<Name> = f.params.iter().map(|p| name(a, p)).collect();
    let mut stmts = Vec::new();
    if f.fuel {
        // fuel -= 1; if fuel < 0 { return null }
        stmts.push(burn(a));
        let null = a.alloc(ex(a, ExprKind::Null));
        stmts.push(st(StmtKind::If {
            cond: bin(a, BinOp::Lt, ident(a, FUEL), int(a, 0)),
            then: block_of(a, vec![st(StmtKind::Return(Some(null)))]),
            else_: None,
        }));
    }
    lower_stmts_into(a, &f.body, &mut stmts);
    a.alloc(ast::Func {
        name: f.name.as_ref().map(|n| name(a, n)),
        params: a.alloc_slice_copy(&params),
        body: block_of(a, stmts),
        span: SP,
    })
}

fn expr<'a>(a: &'a Bump, e: &E) -> &'a Expr<'a> {
    a.alloc(expr_val(a, e))
}

fn expr_val<'a>(a: &'a Bump, e: &E) -> Expr<'a> {
    let kind = match e {
        E::Int(i) => ExprKind::Int(*i),
        E::Float(f) => ExprKind::Float(*f),
        E::Str(s) => ExprKind::Str(a.alloc_str(s)),
        E::Interp(parts) => {
            let parts: Vec<InterpPart> = parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => InterpPart::Lit(a.alloc_str(s)),
                    Part::Expr(e) => InterpPart::Expr(expr(a, e)),
                })
                .collect();
            ExprKind::Interp(a.alloc_slice_copy(&parts))
        }
        E::Bool(b) => ExprKind::Bool(*b),
        E::Null => ExprKind::Null,
        E::Ident(n) => ExprKind::Ident(a.alloc_str(n)),
        E::Array(items) => {
            let items: Vec<Expr> = items.iter().map(|e| expr_val(a, e)).collect();
            ExprKind::Array(a.alloc_slice_copy(&items))
        }
        E::Dict(pairs) => {
            let pairs: Vec<(Expr, Expr)> = pairs
                .iter()
                .map(|(k, v)| (expr_val(a, k), expr_val(a, v)))
                .collect();
            ExprKind::Dict(a.alloc_slice_copy(&pairs))
        }
        E::Func(f) => ExprKind::Func(func(a, f)),
        E::Unary(op, x) => ExprKind::Unary {
            op: *op,
            expr: expr(a, x),
        },
        E::Binary(op, l, r) => ExprKind::Binary {
            op: *op,
            lhs: expr(a, l),
            rhs: expr(a, r),
        },
        E::Call(c, args) => {
            let args: Vec<Expr> = args.iter().map(|e| expr_val(a, e)).collect();
            ExprKind::Call {
                callee: expr(a, c),
                args: a.alloc_slice_copy(&args),
            }
        }
        E::Index(o, i) => ExprKind::Index {
            obj: expr(a, o),
            index: expr(a, i),
        },
        E::Field(o, n) => ExprKind::Field {
            obj: expr(a, o),
            name: name(a, n),
        },
    };
    ex(a, kind)
}

/// A span-free S-expression of a program. Two programs are structurally equal when
/// their canonical texts are equal. A negated number literal counts as the negative
/// literal (`Unary(Neg, Int(5))` is `Int(-5)`), since the printer writes negative
/// literals with a minus sign and the parser may or may not fold it back.
pub fn canon_program(p: &ast::Program) -> String {
    let mut out = String::new();
    canon_block(&mut out, &p.body, 0);
    out
}

fn canon_block(out: &mut String, b: &Block, depth: usize) {
    for s in b.stmts {
        for _ in 0..depth {
            out.push_str("  ");
        }
        canon_stmt(out, s, depth);
        out.push('\n');
    }
}

fn canon_sub(out: &mut String, tag: &str, b: &Block, depth: usize) {
    let _ = writeln!(out, "{tag} {{");
    canon_block(out, b, depth + 1);
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push('}');
}

fn canon_stmt(out: &mut String, s: &Stmt, depth: usize) {
    match &s.kind {
        StmtKind::Expr(e) => {
            out.push_str("expr ");
            canon_expr(out, e);
        }
        StmtKind::Decl { kind, name, value } => {
            let _ = write!(out, "decl {kind:?} {} ", name.name);
            canon_expr(out, value);
        }
        StmtKind::Assign { op, target, value } => {
            let _ = write!(out, "assign {op:?} ");
            canon_expr(out, target);
            out.push(' ');
            canon_expr(out, value);
        }
        StmtKind::Func(f) => canon_func(out, f, depth),
        StmtKind::Return(v) => {
            out.push_str("return");
            if let Some(v) = v {
                out.push(' ');
                canon_expr(out, v);
            }
        }
        StmtKind::If { cond, then, else_ } => {
            out.push_str("if ");
            canon_expr(out, cond);
            canon_sub(out, "", then, depth);
            match else_ {
                None => {}
                Some(Else::Block(b)) => canon_sub(out, " else", b, depth),
                Some(Else::If(s)) => {
                    out.push_str(" elif ");
                    canon_stmt(out, s, depth);
                }
            }
        }
        StmtKind::While { cond, body } => {
            out.push_str("while ");
            canon_expr(out, cond);
            canon_sub(out, "", body, depth);
        }
        StmtKind::Loop { body } => canon_sub(out, "loop", body, depth),
        StmtKind::For { var, iter, body } => {
            let _ = write!(out, "for {} ", var.name);
            canon_expr(out, iter);
            canon_sub(out, "", body, depth);
        }
        StmtKind::Break => out.push_str("break"),
        StmtKind::Continue => out.push_str("continue"),
        StmtKind::Try { body, err, handler } => {
            canon_sub(out, "try", body, depth);
            let _ = write!(out, " except {:?}", err.map(|n| n.name));
            canon_sub(out, "", handler, depth);
        }
        StmtKind::Throw(e) => {
            out.push_str("throw ");
            canon_expr(out, e);
        }
    }
}

fn canon_func(out: &mut String, f: &ast::Func, depth: usize) {
    let params: Vec<&str> = f.params.iter().map(|p| p.name).collect();
    let tag = format!("func {:?} {:?}", f.name.map(|n| n.name), params);
    canon_sub(out, &tag, &f.body, depth);
}

/// The value of a number literal, looking through `Neg` (possibly repeated).
enum Num {
    Int(i64),
    Float(f64),
}

fn as_num(e: &Expr) -> Option<Num> {
    match e.kind {
        ExprKind::Int(i) => Some(Num::Int(i)),
        ExprKind::Float(f) => Some(Num::Float(f)),
        ExprKind::Unary {
            op: UnOp::Neg,
            expr,
        } => match as_num(expr)? {
            Num::Int(i) if i != i64::MIN => Some(Num::Int(-i)),
            Num::Int(_) => None,
            Num::Float(f) => Some(Num::Float(-f)),
        },
        _ => None,
    }
}

fn canon_expr(out: &mut String, e: &Expr) {
    if let Some(n) = as_num(e) {
        match n {
            Num::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Num::Float(f) => {
                let _ = write!(out, "f{:?}/{:x}", f, f.to_bits());
            }
        }
        return;
    }
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) => {}
        ExprKind::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Interp(parts) => {
            out.push_str("(interp");
            for p in parts.iter() {
                out.push(' ');
                match p {
                    InterpPart::Lit(s) => {
                        let _ = write!(out, "{s:?}");
                    }
                    InterpPart::Expr(e) => canon_expr(out, e),
                }
            }
            out.push(')');
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Null => out.push_str("null"),
        ExprKind::Ident(n) => out.push_str(n),
        ExprKind::Array(items) => {
            out.push('[');
            for i in items.iter() {
                canon_expr(out, i);
                out.push(',');
            }
            out.push(']');
        }
        ExprKind::Dict(pairs) => {
            out.push('{');
            for (k, v) in pairs.iter() {
                canon_expr(out, k);
                out.push(':');
                canon_expr(out, v);
                out.push(',');
            }
            out.push('}');
        }
        ExprKind::Func(f) => {
            out.push('(');
            canon_func(out, f, 0);
            out.push(')');
        }
        ExprKind::Unary { op, expr } => {
            let _ = write!(out, "({op:?} ");
            canon_expr(out, expr);
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let _ = write!(out, "({} ", op.symbol());
            canon_expr(out, lhs);
            out.push(' ');
            canon_expr(out, rhs);
            out.push(')');
        }
        ExprKind::Call { callee, args } => {
            out.push_str("(call ");
            canon_expr(out, callee);
            for a in args.iter() {
                out.push(' ');
                canon_expr(out, a);
            }
            out.push(')');
        }
        ExprKind::Index { obj, index } => {
            out.push_str("(index ");
            canon_expr(out, obj);
            out.push(' ');
            canon_expr(out, index);
            out.push(')');
        }
        ExprKind::Field { obj, name } => {
            out.push_str("(field ");
            canon_expr(out, obj);
            let _ = write!(out, " {})", name.name);
        }
    }
}
