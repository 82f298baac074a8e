//! The pretty-printer: an AST back to Ruff source that parses to the same tree (modulo spans).
//!
//! Used by the generated-program tests (`tests/equivalence.rs`): they build ASTs, print
//! them and run the text. The output is canonical rather than faithful: comments and
//! redundant parentheses are gone, blocks are indented by four spaces, and every
//! statement sits on its own line.
//!
//! Two literal forms have no source spelling of their own and print as expressions:
//! a negative number prints as unary minus (`Int(-5)` as `-5`, `Float(-0.0)` as `-0.0`),
//! and a non-finite float prints as arithmetic that produces it (`inf` as `(1e308 * 10.0)`,
//! NaN as `((1e308 * 10.0) - (1e308 * 10.0))`). Parsing those gives a `Neg` or `Binary`
//! node, not a literal, so a tree containing them re-parses only up to that folding.

use crate::ast::{
    AssignOp, Block, DeclKind, Else, Expr, ExprKind, Func, InterpPart, Program, Stmt, StmtKind,
    UnOp,
};
use std::fmt::Write;

/// Precedence of a unary operator's operand position: tighter than every binary operator.
const PREC_UNARY: u8 = 9;
/// The indentation level that means "all on one line": an interpolation must close on
/// its line, so a function literal inside `${...}` prints its body as `{ a; b }`.
const FLAT: usize = usize::MAX;

/// Precedence of postfix calls, indexing and field access (and of primaries).
const PREC_POSTFIX: u8 = 10;

/// Prints a whole program, one statement per line, ending with a newline.
pub fn print_program(p: &Program) -> String {
    let mut out = String::new();
    for s in p.body.stmts {
        print_stmt_into(&mut out, s, 0);
    }
    out
}

/// Prints one statement (and any nested blocks) at indentation level `indent`.
pub fn print_stmt(s: &Stmt, indent: usize) -> String {
    let mut out = String::new();
    print_stmt_into(&mut out, s, indent);
    out
}

/// Prints an expression with the fewest parentheses that keep its structure.
pub fn print_expr(e: &Expr) -> String {
    let mut out = String::new();
    expr_into(&mut out, e, 0, 0);
    out
}

/// Escapes `s` as the body of a string literal (without the surrounding quotes).
pub fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// The source text of a non-negative finite float, always with a `.` or an exponent so
/// it lexes as a float, and with the shortest digits that read back to the same bits.
fn float_text(f: f64) -> String {
    // `{:?}` prints the shortest round-tripping digits: `1.0`, `0.1`, `1e300`, `1e-7`.
    let s = format!("{:?}", f);
    match s.find('e') {
        Some(pos) if !s[..pos].contains('.') => format!("{}.0{}", &s[..pos], &s[pos..]),
        Some(_) => s,
        None if s.contains('.') => s,
        None => format!("{}.0", s),
    }
}

/// The precedence of the expression as printed: the loosest operator at its top.
fn expr_prec(e: &Expr) -> u8 {
    match e.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Unary { .. } => PREC_UNARY,
        ExprKind::Int(i) if i < 0 => PREC_UNARY,
        ExprKind::Float(f) if f.is_nan() || f.is_infinite() => PREC_POSTFIX,
        ExprKind::Float(f) if f.is_sign_negative() => PREC_UNARY,
        _ => PREC_POSTFIX,
    }
}

/// Prints `e` into `out`, parenthesised when its precedence is below `min_prec`.
fn expr_into(out: &mut String, e: &Expr, min_prec: u8, ind: usize) {
    let paren = expr_prec(e) < min_prec;
    if paren {
        out.push('(');
    }
    expr_bare(out, e, ind);
    if paren {
        out.push(')');
    }
}

/// Prints `e` with no parentheses around its top level.
fn expr_bare(out: &mut String, e: &Expr, ind: usize) {
    match e.kind {
        ExprKind::Int(i) => {
            if i < 0 {
                // `i64::MIN`'s magnitude does not fit in an i64, so print it unsigned.
                let _ = write!(out, "-{}", i.unsigned_abs());
            } else {
                let _ = write!(out, "{}", i);
            }
        }
        ExprKind::Float(f) => {
            if f.is_nan() {
                out.push_str("((1e308 * 10.0) - (1e308 * 10.0))");
            } else if f.is_infinite() {
                out.push_str(if f > 0.0 {
                    "(1e308 * 10.0)"
                } else {
                    "(-1e308 * 10.0)"
                });
            } else if f.is_sign_negative() {
                out.push('-');
                out.push_str(&float_text(-f));
            } else {
                out.push_str(&float_text(f));
            }
        }
        ExprKind::Str(s) => {
            out.push('"');
            escape_into(out, s);
            out.push('"');
        }
        ExprKind::Interp(parts) => {
            out.push('"');
            for part in parts {
                match part {
                    InterpPart::Lit(s) => escape_into(out, s),
                    InterpPart::Expr(e) => {
                        out.push_str("${");
                        expr_into(out, e, 0, FLAT);
                        out.push('}');
                    }
                }
            }
            out.push('"');
        }
        ExprKind::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        ExprKind::Null => out.push_str("null"),
        ExprKind::Ident(name) => out.push_str(name),
        ExprKind::Array(items) => {
            out.push('[');
            comma_list(out, items, ind);
            out.push(']');
        }
        ExprKind::Dict(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                // A bare name before `:` means that string, so a variable key keeps
                // the parentheses that make it an expression.
                if matches!(k.kind, ExprKind::Ident(_)) {
                    out.push('(');
                    expr_into(out, k, 0, ind);
                    out.push(')');
                } else {
                    expr_into(out, k, 0, ind);
                }
                out.push_str(": ");
                expr_into(out, v, 0, ind);
            }
            out.push('}');
        }
        ExprKind::Func(f) => func_into(out, f, None, ind),
        ExprKind::Unary { op, expr } => {
            out.push_str(match op {
                UnOp::Neg => "-",
                UnOp::Not => "!",
            });
            // A unary operand that itself starts with `-` or `!` gets parentheses, so
            // the output never depends on how `--` or `-!` lex.
            let min = if expr_prec(expr) == PREC_UNARY {
                PREC_POSTFIX
            } else {
                PREC_UNARY
            };
            expr_into(out, expr, min, ind);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            // All binary operators are left-associative: the right operand needs
            // parentheses already at equal precedence.
            let p = op.precedence();
            expr_into(out, lhs, p, ind);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            expr_into(out, rhs, p + 1, ind);
        }
        ExprKind::Call { callee, args } => {
            postfix_obj(out, callee, ind);
            out.push('(');
            comma_list(out, args, ind);
            out.push(')');
        }
        ExprKind::Index { obj, index } => {
            postfix_obj(out, obj, ind);
            out.push('[');
            expr_into(out, index, 0, ind);
            out.push(']');
        }
        ExprKind::Field { obj, name } => {
            postfix_obj(out, obj, ind);
            out.push('.');
            out.push_str(name.name);
        }
    }
}

/// Prints the object of a call, index or field access. Number literals get parentheses
/// so `(1).x` never lexes as a float.
fn postfix_obj(out: &mut String, e: &Expr, ind: usize) {
    match e.kind {
        ExprKind::Int(_) | ExprKind::Float(_) => {
            out.push('(');
            expr_bare(out, e, ind);
            out.push(')');
        }
        _ => expr_into(out, e, PREC_POSTFIX, ind),
    }
}

fn comma_list(out: &mut String, items: &[Expr], ind: usize) {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr_into(out, e, 0, ind);
    }
}

fn indent_into(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str("    ");
    }
}

/// Prints `func [name](params) { body }`; the closing brace is at `indent`.
fn func_into(out: &mut String, f: &Func, name: Option<&str>, indent: usize) {
    out.push_str("func");
    if let Some(n) = name {
        out.push(' ');
        out.push_str(n);
    }
    out.push('(');
    for (i, p) in f.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(p.name);
    }
    out.push_str(") ");
    block_into(out, &f.body, indent);
}

/// Prints `{`, the statements one level deeper, and `}` at `indent` (no newline after).
fn block_into(out: &mut String, b: &Block, indent: usize) {
    if indent == FLAT {
        out.push('{');
        for (i, s) in b.stmts.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push(' ');
            stmt_body(out, s, FLAT);
        }
        out.push_str(" }");
        return;
    }
    out.push_str("{\n");
    for s in b.stmts {
        print_stmt_into(out, s, indent + 1);
    }
    indent_into(out, indent);
    out.push('}');
}

/// Whether an expression statement must be parenthesised so it is not read as
/// something else: a leading `func` would start a declaration, a leading `{` a block.
fn starts_ambiguously(e: &Expr) -> bool {
    match e.kind {
        ExprKind::Func(_) | ExprKind::Dict(_) => true,
        ExprKind::Binary { lhs, .. } => starts_ambiguously(lhs),
        ExprKind::Call { callee: obj, .. }
        | ExprKind::Index { obj, .. }
        | ExprKind::Field { obj, .. } => starts_ambiguously(obj),
        _ => false,
    }
}

/// Prints the condition of `if`/`while` or the iterable of `for`. A leading `{` could be
/// taken for the body, so such expressions are parenthesised.
fn head_expr_into(out: &mut String, e: &Expr, ind: usize) {
    if starts_ambiguously(e) {
        out.push('(');
        expr_into(out, e, 0, ind);
        out.push(')');
    } else {
        expr_into(out, e, 0, ind);
    }
}

fn print_stmt_into(out: &mut String, s: &Stmt, indent: usize) {
    if indent == FLAT {
        stmt_body(out, s, FLAT);
        return;
    }
    indent_into(out, indent);
    stmt_body(out, s, indent);
    out.push('\n');
}

/// Prints one statement without the leading indentation or the trailing newline.
fn stmt_body(out: &mut String, s: &Stmt, indent: usize) {
    let ind = indent;
    match s.kind {
        StmtKind::Expr(e) => {
            if starts_ambiguously(e) {
                out.push('(');
                expr_into(out, e, 0, ind);
                out.push(')');
            } else {
                expr_into(out, e, 0, ind);
            }
        }
        StmtKind::Decl { kind, name, value } => {
            out.push_str(match kind {
                DeclKind::Let => "let ",
                DeclKind::Mut => "mut ",
                DeclKind::Const => "const ",
            });
            out.push_str(name.name);
            out.push_str(" := ");
            expr_into(out, value, 0, ind);
        }
        StmtKind::Assign { op, target, value } => {
            expr_into(out, target, PREC_POSTFIX, ind);
            out.push_str(match op {
                AssignOp::Walrus => " := ",
                AssignOp::Assign => " = ",
                AssignOp::Add => " += ",
                AssignOp::Sub => " -= ",
                AssignOp::Mul => " *= ",
                AssignOp::Div => " /= ",
                AssignOp::Mod => " %= ",
            });
            expr_into(out, value, 0, ind);
        }
        StmtKind::Func(f) => func_into(out, f, f.name.map(|n| n.name), indent),
        StmtKind::Return(v) => {
            out.push_str("return");
            if let Some(v) = v {
                out.push(' ');
                expr_into(out, v, 0, ind);
            }
        }
        StmtKind::If { cond, then, else_ } => if_into(out, cond, &then, else_, indent),
        StmtKind::While { cond, body } => {
            out.push_str("while ");
            head_expr_into(out, cond, ind);
            out.push(' ');
            block_into(out, &body, indent);
        }
        StmtKind::Loop { body } => {
            out.push_str("loop ");
            block_into(out, &body, indent);
        }
        StmtKind::For { var, iter, body } => {
            out.push_str("for ");
            out.push_str(var.name);
            out.push_str(" in ");
            head_expr_into(out, iter, ind);
            out.push(' ');
            block_into(out, &body, indent);
        }
        StmtKind::Break => out.push_str("break"),
        StmtKind::Continue => out.push_str("continue"),
        StmtKind::Try { body, err, handler } => {
            out.push_str("try ");
            block_into(out, &body, indent);
            out.push_str(" except ");
            if let Some(n) = err {
                out.push_str(n.name);
                out.push(' ');
            }
            block_into(out, &handler, indent);
        }
        StmtKind::Throw(e) => {
            out.push_str("throw(");
            expr_into(out, e, 0, ind);
            out.push(')');
        }
    }
}

fn if_into(out: &mut String, cond: &Expr, then: &Block, else_: Option<Else>, indent: usize) {
    let ind = indent;
    out.push_str("if ");
    head_expr_into(out, cond, ind);
    out.push(' ');
    block_into(out, then, indent);
    match else_ {
        None => {}
        Some(Else::Block(b)) => {
            out.push_str(" else ");
            block_into(out, &b, indent);
        }
        Some(Else::If(s)) => {
            out.push_str(" else ");
            match s.kind {
                StmtKind::If { cond, then, else_ } => if_into(out, cond, &then, else_, indent),
                // Only an `If` can follow `else` without braces; anything else is
                // wrapped in a block so the output still parses.
                _ => {
                    let b = Block {
                        stmts: std::slice::from_ref(s),
                        span: s.span,
                    };
                    block_into(out, &b, indent);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{BinOp, Name};
    use crate::span::Span;
    use bumpalo::Bump;

    const SP: Span = Span::new(0, 0, 1, 1);

    fn e<'a>(a: &'a Bump, kind: ExprKind<'a>) -> &'a Expr<'a> {
        a.alloc(Expr { kind, span: SP })
    }
    fn int<'a>(a: &'a Bump, i: i64) -> &'a Expr<'a> {
        e(a, ExprKind::Int(i))
    }
    fn id<'a>(a: &'a Bump, n: &'a str) -> &'a Expr<'a> {
        e(a, ExprKind::Ident(n))
    }
    fn bin<'a>(a: &'a Bump, op: BinOp, l: &'a Expr<'a>, r: &'a Expr<'a>) -> &'a Expr<'a> {
        e(a, ExprKind::Binary { op, lhs: l, rhs: r })
    }
    fn un<'a>(a: &'a Bump, op: UnOp, x: &'a Expr<'a>) -> &'a Expr<'a> {
        e(a, ExprKind::Unary { op, expr: x })
    }
    fn st<'a>(kind: StmtKind<'a>) -> Stmt<'a> {
        Stmt { kind, span: SP }
    }
    fn block<'a>(a: &'a Bump, stmts: Vec<Stmt<'a>>) -> Block<'a> {
        Block {
            stmts: a.alloc_slice_copy(&stmts),
            span: SP,
        }
    }
    fn name(n: &str) -> Name<'_> {
        Name { name: n, span: SP }
    }

    #[test]
    fn variable_dict_keys_keep_their_parentheses() {
        let a = Bump::new();
        let key = id(&a, "k");
        let dict = e(
            &a,
            ExprKind::Dict(a.alloc_slice_copy(&[
                (*key, *int(&a, 1)),
                (*e(&a, ExprKind::Str("k")), *int(&a, 2)),
            ])),
        );
        let text = print_expr(dict);
        assert_eq!(text, "{(k): 1, \"k\": 2}");
        // And it parses back to a variable key, not the string "k".
        let src = format!("x := {text}\n");
        let b = Bump::new();
        let prog = crate::parser::parse(&b, &src).expect("parses");
        let StmtKind::Assign { value, .. } = prog.body.stmts[0].kind else {
            panic!("an assignment")
        };
        let ExprKind::Dict(pairs) = value.kind else {
            panic!("a dict")
        };
        assert!(matches!(pairs[0].0.kind, ExprKind::Ident("k")));
        assert!(matches!(pairs[1].0.kind, ExprKind::Str("k")));
    }

    #[test]
    fn binary_parenthesised_by_precedence_and_left_associativity() {
        let a = Bump::new();
        let (x, y, z) = (id(&a, "x"), id(&a, "y"), id(&a, "z"));
        let sum = bin(&a, BinOp::Add, x, y);
        assert_eq!(print_expr(bin(&a, BinOp::Mul, sum, z)), "(x + y) * z");
        assert_eq!(print_expr(bin(&a, BinOp::Add, sum, z)), "x + y + z");
        assert_eq!(print_expr(bin(&a, BinOp::Sub, z, sum)), "z - (x + y)");
        let prod = bin(&a, BinOp::Mul, y, z);
        assert_eq!(print_expr(bin(&a, BinOp::Add, x, prod)), "x + y * z");
        let or = bin(&a, BinOp::Or, x, y);
        assert_eq!(print_expr(bin(&a, BinOp::Coalesce, or, z)), "x || y ?? z");
        assert_eq!(print_expr(bin(&a, BinOp::And, or, z)), "(x || y) && z");
        assert_eq!(print_expr(bin(&a, BinOp::Pipe, x, id(&a, "f"))), "x |> f");
    }

    #[test]
    fn unary_and_negative_literals() {
        let a = Bump::new();
        let x = id(&a, "x");
        assert_eq!(print_expr(int(&a, -5)), "-5");
        assert_eq!(print_expr(int(&a, i64::MIN)), "-9223372036854775808");
        assert_eq!(print_expr(un(&a, UnOp::Neg, int(&a, -5))), "-(-5)");
        assert_eq!(print_expr(un(&a, UnOp::Not, un(&a, UnOp::Not, x))), "!(!x)");
        let sum = bin(&a, BinOp::Add, x, x);
        assert_eq!(print_expr(un(&a, UnOp::Neg, sum)), "-(x + x)");
        assert_eq!(
            print_expr(bin(&a, BinOp::Sub, int(&a, 2), int(&a, -3))),
            "2 - -3"
        );
        let idx = e(
            &a,
            ExprKind::Index {
                obj: int(&a, -1),
                index: x,
            },
        );
        assert_eq!(print_expr(idx), "(-1)[x]");
        let field = e(
            &a,
            ExprKind::Field {
                obj: int(&a, 1),
                name: name("y"),
            },
        );
        assert_eq!(print_expr(field), "(1).y");
        let neg_call = un(
            &a,
            UnOp::Neg,
            e(
                &a,
                ExprKind::Call {
                    callee: x,
                    args: &[],
                },
            ),
        );
        assert_eq!(print_expr(neg_call), "-x()");
    }

    #[test]
    fn floats_reparse_exactly() {
        let a = Bump::new();
        let f = |v: f64| print_expr(e(&a, ExprKind::Float(v)));
        assert_eq!(f(1.0), "1.0");
        assert_eq!(f(0.1), "0.1");
        assert_eq!(f(-0.0), "-0.0");
        assert_eq!(f(1e300), "1.0e300");
        assert_eq!(f(2.5e-7), "2.5e-7");
        assert_eq!(f(f64::INFINITY), "(1e308 * 10.0)");
        assert_eq!(f(f64::NEG_INFINITY), "(-1e308 * 10.0)");
        assert_eq!(f(f64::NAN), "((1e308 * 10.0) - (1e308 * 10.0))");
        for v in [
            0.1,
            1.0 / 3.0,
            1e-300,
            123456789.123,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
        ] {
            let text = float_text(v);
            assert_eq!(text.parse::<f64>().ok(), Some(v), "{text}");
            assert!(text.contains('.') || text.contains('e'));
        }
    }

    #[test]
    fn strings_are_escaped() {
        let a = Bump::new();
        let s = e(&a, ExprKind::Str("a\"\\\n\t\r\0$\u{1}\u{7f}é😀"));
        assert_eq!(
            print_expr(s),
            "\"a\\\"\\\\\\n\\t\\r\\0\\$\\u{1}\\u{7f}é😀\""
        );
        let parts = a.alloc_slice_copy(&[InterpPart::Lit("x = "), InterpPart::Expr(int(&a, 1))]);
        assert_eq!(print_expr(e(&a, ExprKind::Interp(parts))), "\"x = ${1}\"");
        // An interpolation must close on its line: function bodies inside go flat.
        let body = Block {
            stmts: a.alloc_slice_copy(&[
                Stmt {
                    kind: StmtKind::Return(Some(int(&a, 1))),
                    span: SP,
                },
                Stmt {
                    kind: StmtKind::Break,
                    span: SP,
                },
            ]),
            span: SP,
        };
        let f = a.alloc(Func {
            name: None,
            params: &[],
            body,
            span: SP,
        });
        let parts = a.alloc_slice_copy(&[InterpPart::Expr(e(&a, ExprKind::Func(f)))]);
        assert_eq!(
            print_expr(e(&a, ExprKind::Interp(parts))),
            "\"${func() { return 1; break }}\""
        );
    }

    #[test]
    fn statements_and_blocks() {
        let a = Bump::new();
        let x = id(&a, "x");
        let body = block(&a, vec![st(StmtKind::Break)]);
        let inner_if = a.alloc(st(StmtKind::If {
            cond: x,
            then: block(&a, vec![st(StmtKind::Continue)]),
            else_: Some(Else::Block(block(&a, vec![]))),
        }));
        let f = a.alloc(Func {
            name: Some(name("f")),
            params: a.alloc_slice_copy(&[name("a"), name("b")]),
            body: block(
                &a,
                vec![st(StmtKind::Return(Some(x))), st(StmtKind::Return(None))],
            ),
            span: SP,
        });
        let lambda = a.alloc(Func {
            name: None,
            params: &[],
            body: block(&a, vec![]),
            span: SP,
        });
        let call_lambda = e(
            &a,
            ExprKind::Call {
                callee: e(&a, ExprKind::Func(lambda)),
                args: &[],
            },
        );
        let dict = e(
            &a,
            ExprKind::Dict(a.alloc_slice_copy(&[(*e(&a, ExprKind::Str("k")), *int(&a, 1))])),
        );
        let stmts = vec![
            st(StmtKind::Decl {
                kind: DeclKind::Mut,
                name: name("x"),
                value: int(&a, 1),
            }),
            st(StmtKind::Assign {
                op: AssignOp::Add,
                target: x,
                value: int(&a, 2),
            }),
            st(StmtKind::Func(f)),
            st(StmtKind::While { cond: x, body }),
            st(StmtKind::For {
                var: name("i"),
                iter: dict,
                body: block(&a, vec![]),
            }),
            st(StmtKind::If {
                cond: x,
                then: block(&a, vec![]),
                else_: Some(Else::If(inner_if)),
            }),
            st(StmtKind::Try {
                body: block(&a, vec![st(StmtKind::Throw(x))]),
                err: Some(name("e")),
                handler: block(&a, vec![]),
            }),
            st(StmtKind::Expr(call_lambda)),
            st(StmtKind::Loop {
                body: block(&a, vec![st(StmtKind::Break)]),
            }),
        ];
        let p = Program {
            body: block(&a, stmts),
        };
        let expected = "mut x := 1
x += 2
func f(a, b) {
    return x
    return
}
while x {
    break
}
for i in ({\"k\": 1}) {
}
if x {
} else if x {
    continue
} else {
}
try {
    throw(x)
} except e {
}
(func() {
}())
loop {
    break
}
";
        assert_eq!(print_program(&p), expected);
    }
}
