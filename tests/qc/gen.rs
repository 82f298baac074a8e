//! The random program generator: scope-aware Ruff programs that terminate by
//! construction (every loop is `S::Bounded`, every function burns the global fuel),
//! print their intermediate results, and stress the corners where two execution tiers
//! could disagree (int limits, NaN and -0.0, type changes in loops, closures, errors).

use super::owned::{Els, Fun, LoopKind, Part, Prog, E, S};
use quickcheck::{Arbitrary, Gen};
use ruff::ast::{AssignOp, BinOp, DeclKind, UnOp};

/// A uniform-enough integer in `0..n` (`n > 0`).
pub fn below(g: &mut Gen, n: usize) -> usize {
    (u64::arbitrary(g) % n.max(1) as u64) as usize
}

/// True with probability `pct`%.
pub fn chance(g: &mut Gen, pct: usize) -> bool {
    below(g, 100) < pct
}

/// Picks an index according to `weights`.
pub fn weighted(g: &mut Gen, weights: &[usize]) -> usize {
    let total: usize = weights.iter().sum();
    let mut r = below(g, total);
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

/// Integers around the interesting boundaries: 0, the 48-bit inline limit, i64.
pub const INTS: &[i64] = &[
    0,
    1,
    -1,
    2,
    3,
    -3,
    7,
    10,
    100,
    (1 << 47) - 1,
    1 << 47,
    -(1 << 47),
    -(1 << 47) - 1,
    1 << 48,
    (1 << 31) - 1,
    1 << 32,
    1 << 62,
    i64::MAX,
    i64::MAX - 1,
    i64::MIN,
    i64::MIN + 1,
];

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    0.5,
    1.5,
    -2.5,
    0.1,
    0.2,
    3.0,
    1e308,
    1e-300,
    9007199254740992.0,
    1e16,
    2.0e-3,
];

const STRS: &[&str] = &[
    "", "a", "abc", "x y", "😀", "a\nb", "$", "0", "10", "k", "\"q\"",
];

/// Dict keys the generator likes to use, so lookups sometimes hit.
const KEYS: &[&str] = &["a", "k", "message"];

#[derive(Clone)]
struct FnInfo {
    name: String,
    arity: usize,
    /// The name of the depth parameter, for a recursive function.
    depth: Option<String>,
}

#[derive(Clone, Default)]
struct Scope {
    vars: Vec<(String, bool)>,
    funcs: Vec<FnInfo>,
}

/// The generator's state while building one program.
pub struct Ctx<'g> {
    g: &'g mut Gen,
    next: u32,
    scopes: Vec<Scope>,
    /// Loops enclosing the current point inside the current function.
    loops: u32,
    /// Functions enclosing the current point.
    funcs: u32,
    /// Block nesting depth.
    nest: u32,
    /// Statements left to generate.
    budget: i64,
    /// A variable the expression being generated must not read (the assignment target),
    /// so no statement can double a value and programs stay small.
    exclude: Option<String>,
}

impl<'g> Ctx<'g> {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn visible_vars(&self) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = Vec::new();
        for s in &self.scopes {
            v.extend(s.vars.iter().cloned());
        }
        if let Some(x) = &self.exclude {
            v.retain(|(n, _)| n != x);
        }
        v
    }

    fn visible_funcs(&self) -> Vec<FnInfo> {
        self.scopes.iter().flat_map(|s| s.funcs.clone()).collect()
    }

    fn is_visible(&self, name: &str) -> bool {
        self.scopes
            .iter()
            .any(|s| s.vars.iter().any(|(n, _)| n == name))
    }

    fn declare(&mut self, name: &str, mutable: bool) {
        if let Some(s) = self.scopes.last_mut() {
            s.vars.push((name.to_string(), mutable));
        }
    }

    // ---------------------------------------------------------------- expressions

    fn int_lit(&mut self) -> E {
        match weighted(self.g, &[60, 25, 15]) {
            0 => E::Int(below(self.g, 21) as i64 - 10),
            1 => E::Int(below(self.g, 2001) as i64 - 1000),
            _ => E::Int(INTS[below(self.g, INTS.len())]),
        }
    }

    fn float_lit(&mut self) -> E {
        match below(self.g, 12) {
            0 => inf(),
            1 => E::Binary(BinOp::Sub, Box::new(inf()), Box::new(inf())),
            2 => E::Unary(UnOp::Neg, Box::new(inf())),
            _ => E::Float(FLOATS[below(self.g, FLOATS.len())]),
        }
    }

    fn str_lit(&mut self) -> E {
        E::Str(STRS[below(self.g, STRS.len())].to_string())
    }

    fn key(&mut self) -> E {
        if chance(self.g, 70) {
            E::Str(KEYS[below(self.g, KEYS.len())].to_string())
        } else {
            E::Int(below(self.g, 3) as i64)
        }
    }

    fn leaf(&mut self) -> E {
        let vars = self.visible_vars();
        let w = [if vars.is_empty() { 0 } else { 135 }, 66, 30, 30, 12, 9, 1];
        match weighted(self.g, &w) {
            0 => E::Ident(vars[below(self.g, vars.len())].0.clone()),
            1 => self.int_lit(),
            2 => self.float_lit(),
            3 => self.str_lit(),
            4 => E::Bool(chance(self.g, 50)),
            5 => E::Null,
            // A name that was never declared: an error path.
            _ => E::Ident("nope".into()),
        }
    }

    /// A mostly numeric expression: arithmetic over number literals and variables, so
    /// that programs compute for a while before they hit an error.
    fn num_expr(&mut self, depth: u32) -> E {
        if depth == 0 || chance(self.g, 35) {
            let vars = self.visible_vars();
            return match weighted(self.g, &[if vars.is_empty() { 0 } else { 50 }, 35, 12, 3]) {
                0 => E::Ident(vars[below(self.g, vars.len())].0.clone()),
                1 => self.int_lit(),
                2 => self.float_lit(),
                _ => self.leaf(),
            };
        }
        let d = depth - 1;
        match weighted(self.g, &[70, 8, 10, 12]) {
            0 => {
                let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Mod];
                let op = ops[weighted(self.g, &[35, 25, 20, 10, 10])];
                E::Binary(op, Box::new(self.num_expr(d)), Box::new(self.num_expr(d)))
            }
            1 => E::Unary(UnOp::Neg, Box::new(self.num_expr(d))),
            2 if chance(self.g, 30) => self.special(),
            _ => self.expr(d),
        }
    }

    /// A string-valued expression (mostly): a literal, a variable, `str(x)`, or a
    /// concatenation.
    fn str_expr(&mut self, d: u32) -> E {
        let vars = self.visible_vars();
        match weighted(self.g, &[40, if vars.is_empty() { 0 } else { 25 }, 15, 10]) {
            0 => self.str_lit(),
            1 => E::Ident(vars[below(self.g, vars.len())].0.clone()),
            2 => E::Call(Box::new(E::Ident("str".into())), vec![self.num_expr(d)]),
            _ if d > 0 => {
                let a = self.str_expr(d - 1);
                let b = self.str_expr(d - 1);
                E::Binary(BinOp::Add, Box::new(a), Box::new(b))
            }
            _ => self.str_lit(),
        }
    }

    /// The initial value of a declaration: containers are common, so that indexing,
    /// `push` and `pop` on variables often succeed.
    fn decl_value(&mut self) -> E {
        match weighted(self.g, &[35, 25, 10, 5, 20, 5]) {
            0 => self.num_expr(3),
            1 => {
                let n = below(self.g, 5);
                E::Array((0..n).map(|_| self.num_expr(1)).collect())
            }
            2 => {
                let n = 1 + below(self.g, 3);
                E::Dict((0..n).map(|_| (self.key(), self.num_expr(1))).collect())
            }
            3 => self.str_lit(),
            4 => self.expr(3),
            _ => E::Func(Box::new(self.lambda(1, 2))),
        }
    }

    /// A condition: usually a comparison of numbers.
    fn cond(&mut self) -> E {
        if chance(self.g, 70) {
            let ops = [
                BinOp::Eq,
                BinOp::Ne,
                BinOp::Lt,
                BinOp::Le,
                BinOp::Gt,
                BinOp::Ge,
            ];
            let op = ops[below(self.g, ops.len())];
            E::Binary(op, Box::new(self.num_expr(2)), Box::new(self.num_expr(1)))
        } else {
            self.expr(2)
        }
    }

    /// An expression of nesting depth at most `depth`.
    pub fn expr(&mut self, depth: u32) -> E {
        if chance(self.g, 40) {
            return self.num_expr(depth);
        }
        if depth == 0 || chance(self.g, 30) {
            return self.leaf();
        }
        let d = depth - 1;
        let w = [30, 10, 8, 5, 5, 4, 6, 2, 8, 10, 1, 3, 2, 5];
        match weighted(self.g, &w) {
            0 => {
                let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Mod];
                let op = ops[below(self.g, ops.len())];
                E::Binary(op, Box::new(self.expr(d)), Box::new(self.expr(d)))
            }
            1 if chance(self.g, 50) => self.cond(),
            1 => {
                let ops = [
                    BinOp::Eq,
                    BinOp::Ne,
                    BinOp::Lt,
                    BinOp::Le,
                    BinOp::Gt,
                    BinOp::Ge,
                ];
                let op = ops[below(self.g, ops.len())];
                E::Binary(op, Box::new(self.expr(d)), Box::new(self.expr(d)))
            }
            2 => {
                let ops = [BinOp::And, BinOp::Or, BinOp::Coalesce];
                let op = ops[below(self.g, ops.len())];
                E::Binary(op, Box::new(self.expr(d)), Box::new(self.expr(d)))
            }
            3 => {
                let op = if chance(self.g, 50) {
                    UnOp::Neg
                } else {
                    UnOp::Not
                };
                E::Unary(op, Box::new(self.expr(d)))
            }
            4 => {
                let n = below(self.g, 4);
                E::Array((0..n).map(|_| self.expr(d)).collect())
            }
            5 => {
                let n = below(self.g, 3);
                E::Dict((0..n).map(|_| (self.key(), self.expr(d))).collect())
            }
            6 => {
                let idx = if chance(self.g, 60) {
                    E::Int(below(self.g, 8) as i64 - 3)
                } else if chance(self.g, 50) {
                    self.key()
                } else {
                    self.expr(d)
                };
                let vars = self.visible_vars();
                let obj = if !vars.is_empty() && chance(self.g, 70) {
                    E::Ident(vars[below(self.g, vars.len())].0.clone())
                } else {
                    self.expr(d)
                };
                E::Index(Box::new(obj), Box::new(idx))
            }
            7 => {
                let k = KEYS[below(self.g, KEYS.len())].to_string();
                E::Field(Box::new(self.expr(d)), k)
            }
            8 => self.user_call(d),
            9 => self.builtin_call(d),
            10 => self.special(),
            11 if chance(self.g, 25) => {
                let x = self.expr(d);
                let f = if chance(self.g, 50) {
                    E::Ident(["len", "str", "type", "abs"][below(self.g, 4)].into())
                } else {
                    self.callback(1, d)
                };
                E::Binary(BinOp::Pipe, Box::new(x), Box::new(f))
            }
            11 => {
                let mut parts = vec![Part::Lit("v=".into())];
                parts.push(Part::Expr(self.expr(d)));
                if chance(self.g, 50) {
                    parts.push(Part::Lit(" $".into()));
                }
                E::Interp(parts)
            }
            13 => {
                // String concatenation and string indexing.
                let a = self.str_expr(d);
                let b = self.str_expr(d);
                let cat = E::Binary(BinOp::Add, Box::new(a), Box::new(b));
                if chance(self.g, 30) {
                    E::Index(Box::new(cat), Box::new(E::Int(below(self.g, 5) as i64 - 2)))
                } else {
                    cat
                }
            }
            _ => {
                // An immediately called closure.
                let f = self.lambda(1, d);
                E::Call(Box::new(E::Func(Box::new(f))), vec![self.expr(d)])
            }
        }
    }

    /// Expressions aimed at the arithmetic corner cases.
    fn special(&mut self) -> E {
        let b = |op, l, r| E::Binary(op, Box::new(l), Box::new(r));
        match below(self.g, 9) {
            0 => b(BinOp::Div, E::Int(i64::MIN), E::Int(-1)),
            1 => b(BinOp::Mod, E::Int(i64::MIN), E::Int(-1)),
            2 => b(BinOp::Add, E::Int(i64::MAX), E::Int(1)),
            3 => b(BinOp::Sub, E::Int(i64::MIN), E::Int(1)),
            4 => b(BinOp::Mul, E::Int(1 << 47), E::Int(1 << 17)),
            5 => {
                let x = self.leaf();
                b(BinOp::Div, x, E::Int(0))
            }
            6 => {
                let x = self.leaf();
                b(BinOp::Mod, x, E::Float(0.0))
            }
            7 => b(BinOp::Add, E::Int((1 << 47) - 1), E::Int(1)),
            _ => E::Unary(UnOp::Neg, Box::new(E::Int(i64::MIN))),
        }
    }

    fn user_call(&mut self, d: u32) -> E {
        let funcs = self.visible_funcs();
        if funcs.is_empty() {
            return self.builtin_call(d);
        }
        let vars = self.visible_vars();
        if !vars.is_empty() && chance(self.g, 15) {
            // Call whatever a variable holds: often a closure that escaped its maker.
            let v = vars[below(self.g, vars.len())].0.clone();
            return E::Call(Box::new(E::Ident(v)), vec![self.expr(d)]);
        }
        let f = funcs[below(self.g, funcs.len())].clone();
        let mut arity = f.arity;
        if chance(self.g, 3) {
            arity = (arity + 1) % 5;
        }
        let mut args = Vec::new();
        if let Some(dp) = &f.depth {
            // The depth argument: one less than ours inside the function, small outside.
            if self.is_visible(dp) {
                args.push(E::Binary(
                    BinOp::Sub,
                    Box::new(E::Ident(dp.clone())),
                    Box::new(E::Int(1)),
                ));
            } else {
                args.push(E::Int(below(self.g, 5) as i64));
            }
            arity = arity.saturating_sub(1);
        }
        for _ in 0..arity {
            args.push(self.expr(d));
        }
        E::Call(Box::new(E::Ident(f.name)), args)
    }

    /// A callable argument for `map`, `filter` and `sort`: a closure or a named function.
    fn callback(&mut self, arity: usize, d: u32) -> E {
        let named: Vec<FnInfo> = self
            .visible_funcs()
            .into_iter()
            .filter(|f| f.arity == arity && f.depth.is_none())
            .collect();
        if !named.is_empty() && chance(self.g, 30) {
            return E::Ident(named[below(self.g, named.len())].name.clone());
        }
        E::Func(Box::new(self.lambda(arity, d)))
    }

    fn builtin_call(&mut self, d: u32) -> E {
        let call = |name: &str, args: Vec<E>| E::Call(Box::new(E::Ident(name.into())), args);
        let vars = self.visible_vars();
        let target = |s: &mut Self| {
            if !vars.is_empty() && chance(s.g, 70) {
                E::Ident(vars[below(s.g, vars.len())].0.clone())
            } else {
                s.expr(d)
            }
        };
        match below(self.g, 20) {
            0 => call("len", vec![self.expr(d)]),
            1 => call("str", vec![self.expr(d)]),
            2 => call("type", vec![self.expr(d)]),
            3 => call("abs", vec![self.expr(d)]),
            4 => call("min", vec![self.expr(d), self.expr(d)]),
            5 => call("max", vec![self.expr(d), self.expr(d)]),
            6 => call("to_int", vec![self.expr(d)]),
            7 => call("to_float", vec![self.expr(d)]),
            8 => {
                let t = target(self);
                call("push", vec![t, self.expr(d)])
            }
            9 => {
                let t = target(self);
                call("pop", vec![t])
            }
            10 => {
                let n = E::Int(below(self.g, 6) as i64 - 1);
                if chance(self.g, 70) {
                    call("range", vec![n])
                } else {
                    call("range", vec![n, E::Int(below(self.g, 6) as i64)])
                }
            }
            11 => call("keys", vec![self.expr(d)]),
            12 => call("contains", vec![self.expr(d), self.expr(d)]),
            13 => {
                let a = target(self);
                call("map", vec![a, self.callback(1, d)])
            }
            14 => {
                let a = target(self);
                call("filter", vec![a, self.callback(1, d)])
            }
            15 => {
                let a = target(self);
                if chance(self.g, 50) {
                    call("sort", vec![a])
                } else {
                    call("sort", vec![a, self.callback(2, d)])
                }
            }
            16 => {
                let a = target(self);
                call("reduce", vec![a, self.callback(2, d), self.expr(d)])
            }
            17 => call("reverse", vec![self.expr(d)]),
            18 => call("join", vec![self.expr(d), E::Str(",".into())]),
            _ => call("has_key", vec![self.expr(d), self.key()]),
        }
    }

    /// An anonymous function with `arity` parameters.
    fn lambda(&mut self, arity: usize, d: u32) -> Fun {
        let params: Vec<String> = (0..arity).map(|_| self.fresh("p")).collect();
        let saved_exclude = self.exclude.take();
        let saved_loops = std::mem::replace(&mut self.loops, 0);
        self.funcs += 1;
        self.scopes.push(Scope {
            vars: params.iter().map(|p| (p.clone(), true)).collect(),
            funcs: Vec::new(),
        });
        let mut body = Vec::new();
        if chance(self.g, 40) && self.budget > 0 && self.nest < 3 {
            self.nest += 1;
            let n = 1 + below(self.g, 2);
            for _ in 0..n {
                body.push(self.stmt());
            }
            self.nest -= 1;
        }
        body.push(S::Return(Some(self.expr(d.min(2)))));
        self.scopes.pop();
        self.funcs -= 1;
        self.loops = saved_loops;
        self.exclude = saved_exclude;
        Fun {
            name: None,
            params,
            body,
            fuel: true,
        }
    }

    // ---------------------------------------------------------------- statements

    /// A block of up to `max` statements in a new scope.
    fn block(&mut self, max: usize) -> Vec<S> {
        self.scopes.push(Scope::default());
        self.nest += 1;
        let n = 1 + below(self.g, max);
        let mut out = Vec::new();
        for _ in 0..n {
            if self.budget <= 0 {
                break;
            }
            self.stmt_guarded(&mut out);
        }
        self.nest -= 1;
        self.scopes.pop();
        out
    }

    /// A handler that shows the caught error.
    fn show_error(&mut self, e: &str) -> Vec<S> {
        let shown = match below(self.g, 8) {
            0 => E::Ident(e.into()),
            1 => E::Field(Box::new(E::Ident(e.into())), "value".into()),
            2 => E::Field(Box::new(E::Ident(e.into())), "line".into()),
            3 => E::Field(Box::new(E::Ident(e.into())), "stack".into()),
            _ => E::Field(Box::new(E::Ident(e.into())), "message".into()),
        };
        vec![self.print_of(shown)]
    }

    /// One statement, often wrapped in `try` so that a runtime error does not end the
    /// program: a declaration becomes `mut v := null` and a guarded assignment.
    fn stmt_guarded(&mut self, out: &mut Vec<S>) {
        let s = self.stmt();
        if !chance(self.g, 55) {
            out.push(s);
            return;
        }
        let e = self.fresh("e");
        let handler = self.show_error(&e);
        match s {
            S::Decl(_, name, value) => {
                out.push(S::Decl(DeclKind::Mut, name.clone(), E::Null));
                let body = vec![S::Assign(AssignOp::Assign, E::Ident(name), value)];
                out.push(S::Try(body, Some(e), handler));
            }
            S::Func(_) => out.push(s),
            s => out.push(S::Try(vec![s], Some(e), handler)),
        }
    }

    fn print_of(&mut self, e: E) -> S {
        S::Expr(E::Call(Box::new(E::Ident("print".into())), vec![e]))
    }

    pub fn stmt(&mut self) -> S {
        self.budget -= 1;
        let deep = self.nest >= 3 || self.budget <= 0;
        let vars = self.visible_vars();
        let mutable: Vec<String> = vars
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| n.clone())
            .collect();
        let w = [
            14,                                         // 0 decl
            if mutable.is_empty() { 0 } else { 16 },    // 1 assign
            if mutable.is_empty() { 0 } else { 5 },     // 2 index assign
            14,                                         // 3 print
            if deep { 0 } else { 7 },                   // 4 if
            if deep { 0 } else { 9 },                   // 5 loop
            if deep || self.funcs > 1 { 0 } else { 6 }, // 6 func
            if deep { 0 } else { 4 },                   // 7 try
            2,                                          // 8 throw
            6,                                          // 9 expr statement
            if self.loops > 0 { 5 } else { 0 },         // 10 break/continue
            if self.funcs > 0 { 3 } else { 0 },         // 11 return
        ];
        match weighted(self.g, &w) {
            0 => {
                let value = self.decl_value();
                let name = self.fresh("v");
                let kind = match below(self.g, 10) {
                    0..=6 => DeclKind::Mut,
                    7 | 8 => DeclKind::Let,
                    _ => DeclKind::Const,
                };
                self.declare(&name, kind == DeclKind::Mut);
                S::Decl(kind, name, value)
            }
            1 => {
                let target = mutable[below(self.g, mutable.len())].clone();
                let ops = [
                    AssignOp::Walrus,
                    AssignOp::Assign,
                    AssignOp::Add,
                    AssignOp::Sub,
                    AssignOp::Mul,
                    AssignOp::Div,
                    AssignOp::Mod,
                ];
                let op = ops[weighted(self.g, &[20, 30, 20, 8, 8, 7, 7])];
                self.exclude = Some(target.clone());
                let mut rhs = self.expr(3);
                self.exclude = None;
                if matches!(op, AssignOp::Walrus | AssignOp::Assign) && chance(self.g, 35) {
                    let ops = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Mod];
                    let bop = ops[weighted(self.g, &[50, 20, 15, 8, 7])];
                    rhs = E::Binary(bop, Box::new(E::Ident(target.clone())), Box::new(rhs));
                }
                if self.loops > 0 && chance(self.g, 25) {
                    // A type change inside a loop.
                    rhs = match below(self.g, 3) {
                        0 => self.float_lit(),
                        1 => self.str_lit(),
                        _ => self.int_lit(),
                    };
                }
                S::Assign(op, E::Ident(target), rhs)
            }
            2 => {
                // Index assignment through a `let` is a compile error: keep it rare.
                let v = if !mutable.is_empty() && !chance(self.g, 3) {
                    mutable[below(self.g, mutable.len())].clone()
                } else {
                    vars[below(self.g, vars.len())].0.clone()
                };
                let idx = if chance(self.g, 50) {
                    E::Int(below(self.g, 6) as i64 - 2)
                } else {
                    self.key()
                };
                self.exclude = Some(v.clone());
                let rhs = self.expr(2);
                self.exclude = None;
                S::Assign(
                    AssignOp::Assign,
                    E::Index(Box::new(E::Ident(v)), Box::new(idx)),
                    rhs,
                )
            }
            3 => {
                let n = 1 + below(self.g, 3);
                let args = (0..n).map(|_| self.expr(3)).collect();
                S::Expr(E::Call(Box::new(E::Ident("print".into())), args))
            }
            4 => {
                let cond = self.cond();
                let then = self.block(3);
                let els = if chance(self.g, 40) {
                    if chance(self.g, 30) {
                        let c = self.cond();
                        let t = self.block(2);
                        Some(Els::If(Box::new(S::If(c, t, None))))
                    } else {
                        Some(Els::Block(self.block(3)))
                    }
                } else {
                    None
                };
                S::If(cond, then, els)
            }
            5 => self.bounded_loop(),
            6 => self.func_decl(),
            7 => {
                let body = self.block(3);
                let err = if chance(self.g, 80) {
                    Some(self.fresh("e"))
                } else {
                    None
                };
                self.scopes.push(Scope::default());
                let mut handler = Vec::new();
                if let Some(e) = &err {
                    self.declare(e, true);
                    let shown = match below(self.g, 5) {
                        0 => E::Ident(e.clone()),
                        1 => E::Field(Box::new(E::Ident(e.clone())), "value".into()),
                        2 => E::Field(Box::new(E::Ident(e.clone())), "line".into()),
                        3 => E::Field(Box::new(E::Ident(e.clone())), "stack".into()),
                        _ => E::Field(Box::new(E::Ident(e.clone())), "message".into()),
                    };
                    handler.push(self.print_of(shown));
                }
                self.scopes.pop();
                self.scopes.push(Scope::default());
                if let Some(e) = &err {
                    self.declare(e, true);
                }
                if chance(self.g, 50) && self.budget > 0 {
                    self.nest += 1;
                    handler.push(self.stmt());
                    self.nest -= 1;
                }
                self.scopes.pop();
                S::Try(body, err, handler)
            }
            8 => {
                let v = if chance(self.g, 50) {
                    self.str_lit()
                } else {
                    self.expr(2)
                };
                let t = S::Throw(v);
                // A bare top-level throw would end most programs early.
                if self.funcs == 0 || chance(self.g, 60) {
                    S::If(self.cond(), vec![t], None)
                } else {
                    t
                }
            }
            9 => {
                let e = if chance(self.g, 50) {
                    self.user_call(2)
                } else {
                    self.builtin_call(2)
                };
                S::Expr(e)
            }
            10 => {
                let s = if chance(self.g, 50) {
                    S::Break
                } else {
                    S::Continue
                };
                if chance(self.g, 70) {
                    S::If(self.cond(), vec![s], None)
                } else {
                    s
                }
            }
            _ => {
                let r = S::Return(Some(self.expr(2)));
                if chance(self.g, 60) {
                    S::If(self.cond(), vec![r], None)
                } else {
                    r
                }
            }
        }
    }

    fn bounded_loop(&mut self) -> S {
        let counter = self.fresh("c");
        let limit = if chance(self.g, 10) {
            0
        } else {
            1 + below(self.g, 6) as u8
        };
        let kind = match below(self.g, 3) {
            0 => {
                let c = if chance(self.g, 50) {
                    E::Bool(true)
                } else {
                    self.cond()
                };
                LoopKind::While(c)
            }
            1 => LoopKind::Loop,
            _ => {
                let it = match below(self.g, 5) {
                    0 => E::Call(
                        Box::new(E::Ident("range".into())),
                        vec![E::Int(below(self.g, 6) as i64)],
                    ),
                    1 => {
                        let n = below(self.g, 5);
                        E::Array((0..n).map(|_| self.expr(1)).collect())
                    }
                    2 => self.str_lit(),
                    3 => E::Dict(vec![(E::Str("a".into()), E::Int(1)), (E::Int(2), E::Null)]),
                    _ => self.expr(2),
                };
                LoopKind::For(self.fresh("x"), it)
            }
        };
        // The counter is declared in the enclosing scope (it is not user-assignable).
        self.scopes.push(Scope::default());
        if let LoopKind::For(x, _) = &kind {
            self.declare(x, true);
        }
        self.loops += 1;
        let body = self.block(4);
        self.loops -= 1;
        self.scopes.pop();
        S::Bounded {
            counter,
            limit,
            kind,
            body,
        }
    }

    fn func_decl(&mut self) -> S {
        let name = self.fresh("f");
        let arity = below(self.g, 5);
        let rec = chance(self.g, 30);
        let mut params: Vec<String> = Vec::new();
        let depth = if rec {
            let d = self.fresh("d");
            params.push(d.clone());
            Some(d)
        } else {
            None
        };
        while params.len() < arity.max(usize::from(rec)) {
            params.push(self.fresh("p"));
        }
        let info = FnInfo {
            name: name.clone(),
            arity: params.len(),
            depth: depth.clone(),
        };
        if rec {
            self.declare_fn(info.clone());
        }
        let saved_loops = std::mem::replace(&mut self.loops, 0);
        self.funcs += 1;
        self.scopes.push(Scope {
            vars: params
                .iter()
                .map(|p| (p.clone(), chance(self.g, 30)))
                .collect(),
            funcs: Vec::new(),
        });
        let mut body = Vec::new();
        if let Some(d) = &depth {
            let base = self.leaf();
            body.push(S::If(
                E::Binary(
                    BinOp::Le,
                    Box::new(E::Ident(d.clone())),
                    Box::new(E::Int(0)),
                ),
                vec![S::Return(Some(base))],
                None,
            ));
        }
        self.nest += 1;
        let n = 1 + below(self.g, 4);
        for _ in 0..n {
            if self.budget <= 0 {
                break;
            }
            self.stmt_guarded(&mut body);
        }
        self.nest -= 1;
        if chance(self.g, 20) {
            // A closure factory: the returned closure captures this call's locals.
            let f = self.lambda(1, 2);
            body.push(S::Return(Some(E::Func(Box::new(f)))));
        } else if chance(self.g, 80) {
            body.push(S::Return(Some(self.expr(3))));
        }
        self.scopes.pop();
        self.funcs -= 1;
        self.loops = saved_loops;
        if !rec {
            self.declare_fn(info);
        }
        S::Func(Fun {
            name: Some(name),
            params,
            body,
            fuel: true,
        })
    }

    fn declare_fn(&mut self, f: FnInfo) {
        if let Some(s) = self.scopes.last_mut() {
            s.funcs.push(f);
        }
    }
}

fn inf() -> E {
    E::Binary(
        BinOp::Mul,
        Box::new(E::Float(1e308)),
        Box::new(E::Float(10.0)),
    )
}

/// Fuel for one program: the total number of loop iterations plus calls.
pub const FUEL_PER_PROGRAM: u32 = 300;

/// Generates one whole program; `g.size()` scales its length.
pub fn program(g: &mut Gen) -> Prog {
    let size = g.size().max(4);
    let budget = (4 + below(g, size)) as i64;
    let mut cx = Ctx {
        g,
        next: 0,
        scopes: vec![Scope::default()],
        loops: 0,
        funcs: 0,
        nest: 0,
        budget,
        exclude: None,
    };
    let mut body = Vec::new();
    while cx.budget > 0 {
        cx.stmt_guarded(&mut body);
    }
    // Show every top-level variable at the end.
    let vars: Vec<String> = cx.scopes[0].vars.iter().map(|(n, _)| n.clone()).collect();
    for v in vars {
        body.push(cx.print_of(E::Ident(v)));
    }
    Prog {
        fuel: Some(FUEL_PER_PROGRAM),
        body,
    }
}

/// A generated program, as a quickcheck value.
#[derive(Clone, Debug)]
pub struct Program(pub Prog);

impl Arbitrary for Program {
    fn arbitrary(g: &mut Gen) -> Self {
        Program(program(g))
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        let fuel = self.0.fuel;
        Box::new(
            super::shrink::shrink_stmts(&self.0.body)
                .into_iter()
                .map(move |body| Program(Prog { fuel, body })),
        )
    }
}
