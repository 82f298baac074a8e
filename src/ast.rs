//! The abstract syntax tree. Nodes live in a `bumpalo` arena (`'a`) and every node
//! carries a `Span`. The parser builds it; the compiler and the pretty-printer read it.

use crate::span::Span;

/// A whole source file: its top-level statements.
#[derive(Debug)]
pub struct Program<'a> {
    pub body: Block<'a>,
}

/// A `{ ... }` block (or the file's top level): statements plus the span of the braces.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub stmts: &'a [Stmt<'a>],
    pub span: Span,
}

/// An identifier occurrence that declares or names something.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Name<'a> {
    pub name: &'a str,
    pub span: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct Stmt<'a> {
    pub kind: StmtKind<'a>,
    pub span: Span,
}

/// Which declaration keyword introduced a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    /// `let x := e`: immutable.
    Let,
    /// `mut x := e`: mutable.
    Mut,
    /// `const X := e`: constant (immutable; may not be reassigned).
    Const,
}

/// The operator of an assignment statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `x := e`: update the nearest visible `x`, or declare a new mutable `x` here.
    Walrus,
    /// `x = e`: assign; declares `x` when none is visible.
    Assign,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
    /// `%=`
    Mod,
}

#[derive(Debug, Clone, Copy)]
pub enum StmtKind<'a> {
    /// An expression evaluated for its effect.
    Expr(&'a Expr<'a>),
    /// `let`/`mut`/`const name := value`.
    Decl {
        kind: DeclKind,
        name: Name<'a>,
        value: &'a Expr<'a>,
    },
    /// `target op value`, where `target` is an `Ident`, `Index` or `Field` expression.
    Assign {
        op: AssignOp,
        target: &'a Expr<'a>,
        value: &'a Expr<'a>,
    },
    /// `func name(params) { body }` (the `Func` always has a name here).
    Func(&'a Func<'a>),
    /// `return [value]`.
    Return(Option<&'a Expr<'a>>),
    /// `if cond { then } [else ...]`; `else if` is an `If` statement in `else_`.
    If {
        cond: &'a Expr<'a>,
        then: Block<'a>,
        else_: Option<Else<'a>>,
    },
    /// `while cond { body }`.
    While {
        cond: &'a Expr<'a>,
        body: Block<'a>,
    },
    /// `loop { body }`: loops until `break`.
    Loop {
        body: Block<'a>,
    },
    /// `for var in iter { body }`.
    For {
        var: Name<'a>,
        iter: &'a Expr<'a>,
        body: Block<'a>,
    },
    Break,
    Continue,
    /// `try { body } except [err] { handler }`.
    Try {
        body: Block<'a>,
        err: Option<Name<'a>>,
        handler: Block<'a>,
    },
    /// `throw(value)` (parentheses optional).
    Throw(&'a Expr<'a>),
}

/// The `else` part of an `if`.
#[derive(Debug, Clone, Copy)]
pub enum Else<'a> {
    /// `else if ...`: the nested `If` statement.
    If(&'a Stmt<'a>),
    /// `else { ... }`.
    Block(Block<'a>),
}

/// A function literal or declaration.
#[derive(Debug)]
pub struct Func<'a> {
    /// `None` for anonymous `func(a) { ... }` expressions.
    pub name: Option<Name<'a>>,
    pub params: &'a [Name<'a>],
    pub body: Block<'a>,
    /// From the `func` keyword to the closing brace.
    pub span: Span,
}

#[derive(Debug, Clone, Copy)]
pub struct Expr<'a> {
    pub kind: ExprKind<'a>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-e`
    Neg,
    /// `!e`
    Not,
}

/// Binary operators, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `x |> f` means `f(x)`.
    Pipe,
    /// `a ?? b`: `b` only when `a` is null.
    Coalesce,
    /// `||` (short-circuit, result is a bool)
    Or,
    /// `&&` (short-circuit, result is a bool)
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Pipe => "|>",
            BinOp::Coalesce => "??",
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
        }
    }

    /// Binding power: a larger number binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Pipe => 1,
            BinOp::Coalesce => 2,
            BinOp::Or => 3,
            BinOp::And => 4,
            BinOp::Eq | BinOp::Ne => 5,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 6,
            BinOp::Add | BinOp::Sub => 7,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 8,
        }
    }
}

/// One piece of an interpolated string `"a ${e} b"`.
#[derive(Debug, Clone, Copy)]
pub enum InterpPart<'a> {
    /// Literal text, escapes already decoded.
    Lit(&'a str),
    /// An embedded `${expr}`.
    Expr(&'a Expr<'a>),
}

#[derive(Debug, Clone, Copy)]
pub enum ExprKind<'a> {
    Int(i64),
    Float(f64),
    /// A string literal without interpolation, escapes decoded.
    Str(&'a str),
    /// A string literal with at least one `${...}`.
    Interp(&'a [InterpPart<'a>]),
    Bool(bool),
    Null,
    Ident(&'a str),
    Array(&'a [Expr<'a>]),
    /// `{k: v, ...}`; a bare identifier key has already become a `Str` key.
    Dict(&'a [(Expr<'a>, Expr<'a>)]),
    Func(&'a Func<'a>),
    Unary {
        op: UnOp,
        expr: &'a Expr<'a>,
    },
    Binary {
        op: BinOp,
        lhs: &'a Expr<'a>,
        rhs: &'a Expr<'a>,
    },
    Call {
        callee: &'a Expr<'a>,
        args: &'a [Expr<'a>],
    },
    Index {
        obj: &'a Expr<'a>,
        index: &'a Expr<'a>,
    },
    /// `obj.name`
    Field {
        obj: &'a Expr<'a>,
        name: Name<'a>,
    },
}
