//! Parser golden tests: each tests/syntax/NAME.ruff is parsed and compared with
//! tests/syntax/NAME.expected, which holds either the rendered diagnostics or, for a
//! valid program, an S-expression dump of the AST. Run with `RUFF_BLESS=1` to rewrite
//! the .expected files from the current output.

use ruff::ast::{Block, Else, Expr, ExprKind, Func, InterpPart, Stmt, StmtKind};
use ruff::span::SourceFile;
use std::fmt::Write;
use std::path::Path;

#[test]
fn syntax_goldens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/syntax");
    let bless = std::env::var_os("RUFF_BLESS").is_some_and(|v| v == "1");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/syntax exists")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".ruff").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no goldens found in {}", dir.display());
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.ruff"))).expect("readable");
        let actual = render(name, &text);
        let expected_path = dir.join(format!("{name}.expected"));
        if bless {
            std::fs::write(&expected_path, &actual).expect("writable");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "--- {name}: expected ---\n{expected}--- {name}: actual ---\n{actual}"
            )),
            Err(_) => failures.push(format!(
                "--- {name}: missing {name}.expected (run with RUFF_BLESS=1); actual ---\n{actual}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} goldens differ:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

/// The golden text for one program: diagnostics, or the AST dump.
fn render(name: &str, text: &str) -> String {
    let arena = bumpalo::Bump::new();
    match ruff::parser::parse(&arena, text) {
        Ok(program) => {
            let mut out = String::new();
            block(&mut out, &program.body, 0);
            out
        }
        Err(diags) => ruff::diag::render_all(
            &diags,
            &SourceFile::new(format!("tests/syntax/{name}.ruff"), text),
        ),
    }
}

fn block(out: &mut String, b: &Block<'_>, indent: usize) {
    for s in b.stmts {
        stmt(out, s, indent);
    }
}

/// One statement per line, `line:col` first; nested blocks are indented.
fn stmt(out: &mut String, s: &Stmt<'_>, indent: usize) {
    let pad = " ".repeat(indent);
    let _ = write!(out, "{pad}{}:{} ", s.span.line, s.span.col);
    let e = |e: &Expr<'_>| expr(e, indent);
    match s.kind {
        StmtKind::Expr(x) => {
            let _ = writeln!(out, "expr {}", e(x));
        }
        StmtKind::Decl { kind, name, value } => {
            let kw = format!("{kind:?}").to_lowercase();
            let _ = writeln!(out, "{kw} {} {}", name.name, e(value));
        }
        StmtKind::Assign { op, target, value } => {
            let op = match op {
                ruff::ast::AssignOp::Walrus => ":=",
                ruff::ast::AssignOp::Assign => "=",
                ruff::ast::AssignOp::Add => "+=",
                ruff::ast::AssignOp::Sub => "-=",
                ruff::ast::AssignOp::Mul => "*=",
                ruff::ast::AssignOp::Div => "/=",
                ruff::ast::AssignOp::Mod => "%=",
            };
            let _ = writeln!(out, "{op} {} {}", e(target), e(value));
        }
        StmtKind::Func(f) => {
            let _ = writeln!(out, "{}", func_head(f));
            block(out, &f.body, indent + 2);
        }
        StmtKind::Return(None) => out.push_str("return\n"),
        StmtKind::Return(Some(x)) => {
            let _ = writeln!(out, "return {}", e(x));
        }
        StmtKind::If { cond, then, else_ } => {
            let _ = writeln!(out, "if {}", e(cond));
            block(out, &then, indent + 2);
            match else_ {
                None => {}
                Some(Else::If(s)) => {
                    let _ = writeln!(out, "{pad}else-if");
                    stmt(out, s, indent + 2);
                }
                Some(Else::Block(b)) => {
                    let _ = writeln!(out, "{pad}else");
                    block(out, &b, indent + 2);
                }
            }
        }
        StmtKind::While { cond, body } => {
            let _ = writeln!(out, "while {}", e(cond));
            block(out, &body, indent + 2);
        }
        StmtKind::Loop { body } => {
            out.push_str("loop\n");
            block(out, &body, indent + 2);
        }
        StmtKind::For { var, iter, body } => {
            let _ = writeln!(out, "for {} in {}", var.name, e(iter));
            block(out, &body, indent + 2);
        }
        StmtKind::Break => out.push_str("break\n"),
        StmtKind::Continue => out.push_str("continue\n"),
        StmtKind::Try { body, err, handler } => {
            out.push_str("try\n");
            block(out, &body, indent + 2);
            match err {
                Some(n) => {
                    let _ = writeln!(out, "{pad}except {}", n.name);
                }
                None => {
                    let _ = writeln!(out, "{pad}except");
                }
            }
            block(out, &handler, indent + 2);
        }
        StmtKind::Throw(x) => {
            let _ = writeln!(out, "throw {}", e(x));
        }
    }
}

fn func_head(f: &Func<'_>) -> String {
    let params: Vec<&str> = f.params.iter().map(|p| p.name).collect();
    match f.name {
        Some(n) => format!("func {}({})", n.name, params.join(" ")),
        None => format!("func({})", params.join(" ")),
    }
}

/// An S-expression; a function literal's body continues on indented lines.
fn expr(e: &Expr<'_>, indent: usize) -> String {
    let sub = |x: &Expr<'_>| expr(x, indent);
    let list = |xs: &[Expr<'_>]| xs.iter().map(sub).collect::<Vec<_>>().join(" ");
    match e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Float(v) => format!("{v:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Interp(parts) => {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    InterpPart::Lit(s) => format!("{s:?}"),
                    InterpPart::Expr(x) => sub(x),
                })
                .collect();
            format!("(interp {})", parts.join(" "))
        }
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".to_string(),
        ExprKind::Ident(n) => n.to_string(),
        ExprKind::Array(xs) => format!("(array{}{})", sep(xs.len()), list(xs)),
        ExprKind::Dict(pairs) => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("({} {})", sub(k), sub(v)))
                .collect();
            format!("(dict{}{})", sep(pairs.len()), pairs.join(" "))
        }
        ExprKind::Func(f) => {
            let mut out = format!("({}\n", func_head(f));
            block(&mut out, &f.body, indent + 4);
            out.push_str(&" ".repeat(indent + 2));
            out.push(')');
            out
        }
        ExprKind::Unary { op, expr: x } => {
            let op = match op {
                ruff::ast::UnOp::Neg => "-",
                ruff::ast::UnOp::Not => "!",
            };
            format!("({op} {})", sub(x))
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), sub(lhs), sub(rhs))
        }
        ExprKind::Call { callee, args } => {
            format!("(call {}{}{})", sub(callee), sep(args.len()), list(args))
        }
        ExprKind::Index { obj, index } => format!("(index {} {})", sub(obj), sub(index)),
        ExprKind::Field { obj, name } => format!("(. {} {})", sub(obj), name.name),
    }
}

fn sep(n: usize) -> &'static str {
    if n == 0 {
        ""
    } else {
        " "
    }
}
