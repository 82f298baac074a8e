//! Shrinking for the owned AST: every candidate is one edit smaller (a statement
//! removed, a block spliced into its parent, an expression replaced by a child or a
//! literal). Loop guards and fuel are not part of the owned tree, so every candidate
//! still terminates.

use super::owned::{Els, Fun, LoopKind, Part, E, S};

/// All one-edit-smaller variants of a statement list, biggest cuts first.
pub fn shrink_stmts(v: &[S]) -> Vec<Vec<S>> {
    let mut out = Vec::new();
    if v.len() > 4 {
        out.push(v[..v.len() / 2].to_vec());
        out.push(v[v.len() / 2..].to_vec());
    }
    for i in 0..v.len() {
        let mut w = v.to_vec();
        w.remove(i);
        out.push(w);
    }
    for i in 0..v.len() {
        for splice in splices(&v[i]) {
            let mut w = v[..i].to_vec();
            w.extend(splice);
            w.extend_from_slice(&v[i + 1..]);
            out.push(w);
        }
    }
    for i in 0..v.len() {
        for s in shrink_stmt(&v[i]) {
            let mut w = v.to_vec();
            w[i] = s;
            out.push(w);
        }
    }
    out
}

/// Statement lists that could stand in for `s` in its parent block.
fn splices(s: &S) -> Vec<Vec<S>> {
    match s {
        S::If(_, t, e) => {
            let mut v = vec![t.clone()];
            match e {
                Some(Els::Block(b)) => v.push(b.clone()),
                Some(Els::If(s)) => v.push(vec![(**s).clone()]),
                None => {}
            }
            v
        }
        S::Try(b, _, h) => vec![b.clone(), h.clone()],
        _ => Vec::new(),
    }
}

fn shrink_fun(f: &Fun) -> Vec<Fun> {
    shrink_stmts(&f.body)
        .into_iter()
        .map(|body| Fun { body, ..f.clone() })
        .collect()
}

fn shrink_stmt(s: &S) -> Vec<S> {
    let mut out = Vec::new();
    match s {
        S::Expr(e) => out.extend(shrink_expr(e).into_iter().map(S::Expr)),
        S::Decl(k, n, e) => out.extend(
            shrink_expr(e)
                .into_iter()
                .map(|e| S::Decl(*k, n.clone(), e)),
        ),
        S::Assign(op, t, v) => out.extend(
            shrink_expr(v)
                .into_iter()
                .map(|v| S::Assign(*op, t.clone(), v)),
        ),
        S::Func(f) => out.extend(shrink_fun(f).into_iter().map(S::Func)),
        S::Return(Some(e)) => {
            out.push(S::Return(None));
            out.extend(shrink_expr(e).into_iter().map(|e| S::Return(Some(e))));
        }
        S::If(c, t, e) => {
            if e.is_some() {
                out.push(S::If(c.clone(), t.clone(), None));
            }
            for c2 in shrink_expr(c) {
                out.push(S::If(c2, t.clone(), e.clone()));
            }
            for t2 in shrink_stmts(t) {
                out.push(S::If(c.clone(), t2, e.clone()));
            }
            match e {
                Some(Els::Block(b)) => {
                    for b2 in shrink_stmts(b) {
                        out.push(S::If(c.clone(), t.clone(), Some(Els::Block(b2))));
                    }
                }
                Some(Els::If(s)) => {
                    for s2 in shrink_stmt(s) {
                        out.push(S::If(c.clone(), t.clone(), Some(Els::If(Box::new(s2)))));
                    }
                }
                None => {}
            }
        }
        S::While(c, b) => {
            for b2 in shrink_stmts(b) {
                out.push(S::While(c.clone(), b2));
            }
        }
        S::Loop(b) => out.extend(shrink_stmts(b).into_iter().map(S::Loop)),
        S::For(v, it, b) => {
            for b2 in shrink_stmts(b) {
                out.push(S::For(v.clone(), it.clone(), b2));
            }
        }
        S::Try(b, e, h) => {
            for b2 in shrink_stmts(b) {
                out.push(S::Try(b2, e.clone(), h.clone()));
            }
            for h2 in shrink_stmts(h) {
                out.push(S::Try(b.clone(), e.clone(), h2));
            }
        }
        S::Throw(e) => out.extend(shrink_expr(e).into_iter().map(S::Throw)),
        S::Bounded {
            counter,
            limit,
            kind,
            body,
        } => {
            let mk = |limit: u8, kind: LoopKind, body: Vec<S>| S::Bounded {
                counter: counter.clone(),
                limit,
                kind,
                body,
            };
            if *limit > 1 {
                out.push(mk(1, kind.clone(), body.clone()));
            }
            match kind {
                LoopKind::While(c) => {
                    for c2 in shrink_expr(c) {
                        out.push(mk(*limit, LoopKind::While(c2), body.clone()));
                    }
                }
                LoopKind::For(x, it) => {
                    for it2 in shrink_expr(it) {
                        out.push(mk(*limit, LoopKind::For(x.clone(), it2), body.clone()));
                    }
                }
                LoopKind::Loop => {}
            }
            for b2 in shrink_stmts(body) {
                out.push(mk(*limit, kind.clone(), b2));
            }
        }
        S::Return(None) | S::Break | S::Continue => {}
    }
    out
}

/// One-edit-smaller variants of an expression: a literal, a direct child, or the same
/// node with one child shrunk.
pub fn shrink_expr(e: &E) -> Vec<E> {
    let mut out = Vec::new();
    let leaf = matches!(
        e,
        E::Int(_) | E::Float(_) | E::Str(_) | E::Bool(_) | E::Null | E::Ident(_)
    );
    if !leaf {
        out.push(E::Int(0));
    }
    match e {
        E::Int(i) if *i != 0 => {
            out.push(E::Int(0));
            if *i / 2 != 0 {
                out.push(E::Int(*i / 2));
            }
        }
        E::Str(s) if !s.is_empty() => out.push(E::Str(String::new())),
        E::Interp(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if let Part::Expr(x) = p {
                    out.push(x.clone());
                    for x2 in shrink_expr(x) {
                        let mut w = parts.clone();
                        w[i] = Part::Expr(x2);
                        out.push(E::Interp(w));
                    }
                }
            }
        }
        E::Array(items) => {
            out.extend(items.iter().cloned());
            for i in 0..items.len() {
                let mut w = items.clone();
                w.remove(i);
                out.push(E::Array(w));
            }
            for i in 0..items.len() {
                for x in shrink_expr(&items[i]) {
                    let mut w = items.clone();
                    w[i] = x;
                    out.push(E::Array(w));
                }
            }
        }
        E::Dict(pairs) => {
            out.extend(pairs.iter().map(|(_, v)| v.clone()));
            for i in 0..pairs.len() {
                let mut w = pairs.clone();
                w.remove(i);
                out.push(E::Dict(w));
            }
            for i in 0..pairs.len() {
                for x in shrink_expr(&pairs[i].1) {
                    let mut w = pairs.clone();
                    w[i].1 = x;
                    out.push(E::Dict(w));
                }
            }
        }
        E::Func(f) => {
            for f2 in shrink_fun(f) {
                out.push(E::Func(Box::new(f2)));
            }
        }
        E::Unary(op, x) => {
            out.push((**x).clone());
            out.extend(
                shrink_expr(x)
                    .into_iter()
                    .map(|x| E::Unary(*op, Box::new(x))),
            );
        }
        E::Binary(op, l, r) => {
            out.push((**l).clone());
            out.push((**r).clone());
            for l2 in shrink_expr(l) {
                out.push(E::Binary(*op, Box::new(l2), r.clone()));
            }
            for r2 in shrink_expr(r) {
                out.push(E::Binary(*op, l.clone(), Box::new(r2)));
            }
        }
        E::Call(c, args) => {
            out.extend(args.iter().cloned());
            for i in 0..args.len() {
                for x in shrink_expr(&args[i]) {
                    let mut w = args.clone();
                    w[i] = x;
                    out.push(E::Call(c.clone(), w));
                }
            }
            if let E::Func(_) = **c {
                for c2 in shrink_expr(c) {
                    if let E::Func(_) = c2 {
                        out.push(E::Call(Box::new(c2), args.clone()));
                    }
                }
            }
        }
        E::Index(o, i) => {
            out.push((**o).clone());
            for o2 in shrink_expr(o) {
                out.push(E::Index(Box::new(o2), i.clone()));
            }
            for i2 in shrink_expr(i) {
                out.push(E::Index(o.clone(), Box::new(i2)));
            }
        }
        E::Field(o, n) => {
            out.push((**o).clone());
            for o2 in shrink_expr(o) {
                out.push(E::Field(Box::new(o2), n.clone()));
            }
        }
        _ => {}
    }
    out
}
