//! The syntax generator for the round-trip property: any well-formed tree the parser
//! can produce (names need not be declared, programs need not make sense), built to
//! exercise the pretty-printer's parenthesisation, escaping and number printing.

use super::gen::{below, chance, weighted, INTS};
use super::owned::{Els, Fun, Part, Prog, E, S};
use quickcheck::{Arbitrary, Gen};
use ruff::ast::{AssignOp, BinOp, DeclKind, UnOp};

const NAMES: &[&str] = &["a", "b", "x1", "foo_bar", "_t", "Len", "iffy", "nulls"];
const FIELDS: &[&str] = &["a", "len", "message", "x_2"];
const BINOPS: &[BinOp] = &[
    BinOp::Pipe,
    BinOp::Coalesce,
    BinOp::Or,
    BinOp::And,
    BinOp::Eq,
    BinOp::Ne,
    BinOp::Lt,
    BinOp::Le,
    BinOp::Gt,
    BinOp::Ge,
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::Mod,
];

fn name(g: &mut Gen) -> String {
    NAMES[below(g, NAMES.len())].to_string()
}

fn text(g: &mut Gen) -> String {
    const CHARS: &[char] = &[
        'a', 'Z', ' ', '\n', '\t', '\r', '\0', '\\', '"', '$', '{', '}', '\u{1}', '\u{7f}', 'é',
        '😀', '#', '/', '*',
    ];
    let n = below(g, 6);
    (0..n).map(|_| CHARS[below(g, CHARS.len())]).collect()
}

fn float(g: &mut Gen) -> f64 {
    match below(g, 4) {
        0 => [0.0, -0.0, 0.1, 1e300, 5e-324, 2.5e-7, 1e16, 123.456][below(g, 8)],
        _ => {
            let f = f64::from_bits(u64::arbitrary(g));
            if f.is_finite() {
                f
            } else {
                1.5
            }
        }
    }
}

fn int(g: &mut Gen) -> i64 {
    match below(g, 3) {
        0 => INTS[below(g, INTS.len())],
        1 => i64::arbitrary(g),
        _ => below(g, 100) as i64,
    }
}

/// An expression safe inside `${...}`: no string literals and no braces.
fn interp_expr(g: &mut Gen, d: u32) -> E {
    if d == 0 || chance(g, 40) {
        return if chance(g, 50) {
            E::Ident(name(g))
        } else {
            E::Int(below(g, 50) as i64)
        };
    }
    match below(g, 3) {
        0 => E::Binary(
            BINOPS[below(g, BINOPS.len())],
            Box::new(interp_expr(g, d - 1)),
            Box::new(interp_expr(g, d - 1)),
        ),
        1 => E::Call(Box::new(E::Ident(name(g))), vec![interp_expr(g, d - 1)]),
        _ => E::Index(Box::new(E::Ident(name(g))), Box::new(interp_expr(g, d - 1))),
    }
}

pub fn expr(g: &mut Gen, d: u32) -> E {
    if d == 0 || chance(g, 25) {
        return match below(g, 7) {
            0 | 1 => E::Ident(name(g)),
            2 => E::Int(int(g)),
            3 => E::Float(float(g)),
            4 => E::Str(text(g)),
            5 => E::Bool(chance(g, 50)),
            _ => E::Null,
        };
    }
    let d1 = d - 1;
    match weighted(g, &[30, 8, 5, 4, 3, 8, 6, 4, 3]) {
        0 => E::Binary(
            BINOPS[below(g, BINOPS.len())],
            Box::new(expr(g, d1)),
            Box::new(expr(g, d1)),
        ),
        1 => {
            let op = if chance(g, 50) { UnOp::Neg } else { UnOp::Not };
            E::Unary(op, Box::new(expr(g, d1)))
        }
        2 => E::Array((0..below(g, 4)).map(|_| expr(g, d1)).collect()),
        3 => E::Dict(
            (0..below(g, 3))
                .map(|_| {
                    let k = match below(g, 3) {
                        0 => E::Str(text(g)),
                        1 => E::Int(int(g)),
                        _ => E::Binary(BinOp::Add, Box::new(E::Int(1)), Box::new(E::Int(2))),
                    };
                    (k, expr(g, d1))
                })
                .collect(),
        ),
        4 => E::Func(Box::new(func(g, None, 1))),
        5 => E::Call(
            Box::new(expr(g, d1)),
            (0..below(g, 4)).map(|_| expr(g, d1)).collect(),
        ),
        6 => E::Index(Box::new(expr(g, d1)), Box::new(expr(g, d1))),
        7 => E::Field(
            Box::new(expr(g, d1)),
            FIELDS[below(g, FIELDS.len())].to_string(),
        ),
        _ => {
            // Alternating non-empty literal text and expressions, at least one `${}`.
            let mut parts = Vec::new();
            let n = 1 + below(g, 3);
            for _ in 0..n {
                if chance(g, 60) {
                    let t = text(g);
                    if !t.is_empty() {
                        parts.push(Part::Lit(t));
                    }
                }
                parts.push(Part::Expr(interp_expr(g, 2)));
            }
            E::Interp(parts)
        }
    }
}

fn func(g: &mut Gen, name_: Option<String>, nest: u32) -> Fun {
    let params = (0..below(g, 5)).map(|_| name(g)).collect();
    Fun {
        name: name_,
        params,
        body: block(g, nest + 1),
        fuel: false,
    }
}

fn block(g: &mut Gen, nest: u32) -> Vec<S> {
    (0..below(g, 4)).map(|_| stmt(g, nest)).collect()
}

fn target(g: &mut Gen) -> E {
    match below(g, 3) {
        0 => E::Ident(name(g)),
        1 => E::Index(Box::new(E::Ident(name(g))), Box::new(expr(g, 2))),
        _ => E::Field(
            Box::new(E::Index(Box::new(E::Ident(name(g))), Box::new(E::Int(0)))),
            FIELDS[below(g, FIELDS.len())].to_string(),
        ),
    }
}

pub fn stmt(g: &mut Gen, nest: u32) -> S {
    let deep = nest >= 3;
    let w = [
        10,
        8,
        10,
        if deep { 0 } else { 3 },
        3,
        if deep { 0 } else { 5 },
        if deep { 0 } else { 3 },
        if deep { 0 } else { 2 },
        if deep { 0 } else { 3 },
        2,
        if deep { 0 } else { 3 },
        2,
    ];
    match weighted(g, &w) {
        0 => S::Expr(expr(g, 4)),
        1 => {
            let k = [DeclKind::Let, DeclKind::Mut, DeclKind::Const][below(g, 3)];
            S::Decl(k, name(g), expr(g, 4))
        }
        2 => {
            let ops = [
                AssignOp::Walrus,
                AssignOp::Assign,
                AssignOp::Add,
                AssignOp::Sub,
                AssignOp::Mul,
                AssignOp::Div,
                AssignOp::Mod,
            ];
            S::Assign(ops[below(g, ops.len())], target(g), expr(g, 4))
        }
        3 => {
            let n = name(g);
            S::Func(func(g, Some(n), nest))
        }
        4 => S::Return(if chance(g, 70) {
            Some(expr(g, 3))
        } else {
            None
        }),
        5 => {
            let els = match below(g, 3) {
                0 => None,
                1 => Some(Els::Block(block(g, nest + 1))),
                _ => Some(Els::If(Box::new(S::If(
                    expr(g, 2),
                    block(g, nest + 1),
                    None,
                )))),
            };
            S::If(expr(g, 3), block(g, nest + 1), els)
        }
        6 => S::While(expr(g, 3), block(g, nest + 1)),
        7 => S::Loop(block(g, nest + 1)),
        8 => S::For(name(g), expr(g, 3), block(g, nest + 1)),
        9 => {
            if chance(g, 50) {
                S::Break
            } else {
                S::Continue
            }
        }
        10 => {
            let err = if chance(g, 60) { Some(name(g)) } else { None };
            S::Try(block(g, nest + 1), err, block(g, nest + 1))
        }
        _ => S::Throw(expr(g, 3)),
    }
}

/// A syntactically valid program, as a quickcheck value for the round-trip property.
#[derive(Clone, Debug)]
pub struct Syntax(pub Prog);

impl Arbitrary for Syntax {
    fn arbitrary(g: &mut Gen) -> Self {
        let max = g.size().clamp(1, 12);
        let n = 1 + below(g, max);
        Syntax(Prog {
            fuel: None,
            body: (0..n).map(|_| stmt(g, 0)).collect(),
        })
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        Box::new(
            super::shrink::shrink_stmts(&self.0.body)
                .into_iter()
                .map(|body| Syntax(Prog { fuel: None, body })),
        )
    }
}
