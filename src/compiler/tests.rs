//! Unit tests of the compiler on hand-built ASTs: register allocation, scoping
//! edge cases, captures and the compile-time errors.

use crate::ast::*;
use crate::bytecode::{self, CmpOp, GlobalIdx, Op, Reg, Target, UpvalSource};
use crate::span::Span;
use bumpalo::Bump;
use std::cell::Cell;

/// A small AST builder: every node gets a distinct span on line 1.
struct B<'a> {
    a: &'a Bump,
    pos: Cell<u32>,
}

impl<'a> B<'a> {
    fn new(a: &'a Bump) -> Self {
        B {
            a,
            pos: Cell::new(0),
        }
    }
    fn sp(&self) -> Span {
        let p = self.pos.get();
        self.pos.set(p + 1);
        Span::new(p, p + 1, 1, p + 1)
    }
    fn e(&self, kind: ExprKind<'a>) -> &'a Expr<'a> {
        self.a.alloc(Expr {
            kind,
            span: self.sp(),
        })
    }
    fn int(&self, i: i64) -> &'a Expr<'a> {
        self.e(ExprKind::Int(i))
    }
    fn id(&self, n: &'a str) -> &'a Expr<'a> {
        self.e(ExprKind::Ident(n))
    }
    fn bin(&self, op: BinOp, lhs: &'a Expr<'a>, rhs: &'a Expr<'a>) -> &'a Expr<'a> {
        self.e(ExprKind::Binary { op, lhs, rhs })
    }
    fn call(&self, callee: &'a Expr<'a>, args: &[&'a Expr<'a>]) -> &'a Expr<'a> {
        let args = self.a.alloc_slice_fill_iter(args.iter().map(|e| **e));
        self.e(ExprKind::Call { callee, args })
    }
    fn name(&self, n: &'a str) -> Name<'a> {
        Name {
            name: n,
            span: self.sp(),
        }
    }
    fn s(&self, kind: StmtKind<'a>) -> Stmt<'a> {
        Stmt {
            kind,
            span: self.sp(),
        }
    }
    fn block(&self, stmts: Vec<Stmt<'a>>) -> Block<'a> {
        Block {
            stmts: self.a.alloc_slice_fill_iter(stmts),
            span: self.sp(),
        }
    }
    fn decl(&self, kind: DeclKind, n: &'a str, value: &'a Expr<'a>) -> Stmt<'a> {
        self.s(StmtKind::Decl {
            kind,
            name: self.name(n),
            value,
        })
    }
    fn assign(&self, op: AssignOp, n: &'a str, value: &'a Expr<'a>) -> Stmt<'a> {
        self.s(StmtKind::Assign {
            op,
            target: self.id(n),
            value,
        })
    }
    fn ret(&self, e: &'a Expr<'a>) -> Stmt<'a> {
        self.s(StmtKind::Return(Some(e)))
    }
    fn func(&self, name: Option<&'a str>, params: &[&'a str], body: Vec<Stmt<'a>>) -> &'a Func<'a> {
        let params = self
            .a
            .alloc_slice_fill_iter(params.iter().map(|p| self.name(p)));
        let name = name.map(|n| self.name(n));
        self.a.alloc(Func {
            name,
            params,
            body: self.block(body),
            span: self.sp(),
        })
    }
    fn program(&self, stmts: Vec<Stmt<'a>>) -> Program<'a> {
        Program {
            body: self.block(stmts),
        }
    }
}

fn ok(p: &Program<'_>) -> bytecode::Program {
    match super::compile(p) {
        Ok(p) => p,
        Err(d) => panic!("unexpected errors: {d:?}"),
    }
}

fn errors(p: &Program<'_>) -> Vec<String> {
    match super::compile(p) {
        Ok(_) => panic!("expected compile errors"),
        Err(d) => d.into_iter().map(|d| d.message).collect(),
    }
}

#[test]
fn recursive_fib_is_compact() {
    let a = Bump::new();
    let b = B::new(&a);
    // func fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
    let body = vec![
        b.s(StmtKind::If {
            cond: b.bin(BinOp::Lt, b.id("n"), b.int(2)),
            then: b.block(vec![b.ret(b.id("n"))]),
            else_: None,
        }),
        b.ret(b.bin(
            BinOp::Add,
            b.call(b.id("fib"), &[b.bin(BinOp::Sub, b.id("n"), b.int(1))]),
            b.call(b.id("fib"), &[b.bin(BinOp::Sub, b.id("n"), b.int(2))]),
        )),
    ];
    let f = b.func(Some("fib"), &["n"], body);
    let prog = b.program(vec![b.s(StmtKind::Func(f))]);
    let out = ok(&prog);
    assert_eq!(out.globals.len(), 1);
    let fib = &out.main.children[0];
    let g = GlobalIdx(0);
    assert_eq!(
        fib.code,
        vec![
            Op::JmpCmpI {
                op: CmpOp::Lt,
                a: Reg(0),
                imm: 2,
                target: Target(2)
            },
            Op::Return { src: Reg(0) },
            Op::GetGlobal {
                dst: Reg(1),
                slot: g
            },
            Op::SubI {
                dst: Reg(2),
                a: Reg(0),
                imm: 1
            },
            Op::Call {
                base: Reg(1),
                nargs: 1
            },
            Op::GetGlobal {
                dst: Reg(2),
                slot: g
            },
            Op::SubI {
                dst: Reg(3),
                a: Reg(0),
                imm: 2
            },
            Op::Call {
                base: Reg(2),
                nargs: 1
            },
            Op::Add {
                dst: Reg(1),
                a: Reg(1),
                b: Reg(2)
            },
            Op::Return { src: Reg(1) },
        ]
    );
    assert_eq!(fib.nregs, 4);
    assert_eq!(fib.spans.len(), fib.code.len());
    assert_eq!(out.proto_count, 2);
    assert_eq!(fib.id, 1);
}

#[test]
fn declaration_compiles_straight_into_its_register() {
    let a = Bump::new();
    let b = B::new(&a);
    // func f(a, b) { let x := a + b; return x }
    let f = b.func(
        Some("f"),
        &["a", "b"],
        vec![
            b.decl(DeclKind::Let, "x", b.bin(BinOp::Add, b.id("a"), b.id("b"))),
            b.ret(b.id("x")),
        ],
    );
    let out = ok(&b.program(vec![b.s(StmtKind::Func(f))]));
    assert_eq!(
        out.main.children[0].code,
        vec![
            Op::Add {
                dst: Reg(2),
                a: Reg(0),
                b: Reg(1)
            },
            Op::Return { src: Reg(2) },
        ]
    );
}

#[test]
fn folding_is_exact_and_leaves_overflow_to_runtime() {
    let a = Bump::new();
    let b = B::new(&a);
    let f = b.func(
        None,
        &[],
        vec![
            b.decl(DeclKind::Let, "x", b.bin(BinOp::Mul, b.int(6), b.int(7))),
            b.decl(
                DeclKind::Let,
                "y",
                b.bin(BinOp::Add, b.int(i64::MAX), b.int(1)),
            ),
            b.decl(DeclKind::Let, "z", b.bin(BinOp::Div, b.int(1), b.int(0))),
        ],
    );
    let prog = b.program(vec![b.s(StmtKind::Expr(b.e(ExprKind::Func(f))))]);
    let out = ok(&prog);
    let code = &out.main.children[0].code;
    assert_eq!(
        code[0],
        Op::LoadI {
            dst: Reg(0),
            value: 42
        }
    );
    assert!(code.contains(&Op::AddI {
        dst: Reg(1),
        a: Reg(1),
        imm: 1
    }));
    assert!(code.contains(&Op::Div {
        dst: Reg(2),
        a: Reg(2),
        b: Reg(3)
    }));
}

#[test]
fn closures_share_a_cell_and_nested_functions_thread_upvalues() {
    let a = Bump::new();
    let b = B::new(&a);
    // func outer() { mut c := 0; inc := func() { func deep() { c += 1 } deep() }; get := func() { return c } }
    let deep = b.func(
        Some("deep"),
        &[],
        vec![b.assign(AssignOp::Add, "c", b.int(1))],
    );
    let inc = b.func(
        None,
        &[],
        vec![
            b.s(StmtKind::Func(deep)),
            b.s(StmtKind::Expr(b.call(b.id("deep"), &[]))),
        ],
    );
    let get = b.func(None, &[], vec![b.ret(b.id("c"))]);
    let outer = b.func(
        Some("outer"),
        &[],
        vec![
            b.decl(DeclKind::Mut, "c", b.int(0)),
            b.assign(AssignOp::Walrus, "inc", b.e(ExprKind::Func(inc))),
            b.assign(AssignOp::Walrus, "get", b.e(ExprKind::Func(get))),
        ],
    );
    let out = ok(&b.program(vec![b.s(StmtKind::Func(outer))]));
    let outer = &out.main.children[0];
    assert_eq!(
        outer.code[0],
        Op::LoadI {
            dst: Reg(0),
            value: 0
        }
    );
    assert_eq!(
        outer.code[1],
        Op::NewCell {
            dst: Reg(0),
            src: Reg(0)
        }
    );
    let inc = &outer.children[0];
    let get = &outer.children[1];
    assert_eq!(inc.upvals[0].source, UpvalSource::ParentReg(Reg(0)));
    assert_eq!(get.upvals[0].source, UpvalSource::ParentReg(Reg(0)));
    let deep = &inc.children[0];
    assert_eq!(
        deep.upvals[0].source,
        UpvalSource::ParentUpval(bytecode::UpvalIdx(0))
    );
    assert!(matches!(deep.code[0], Op::GetUpval { .. }));
    assert!(deep.code.iter().any(|op| matches!(op, Op::SetUpval { .. })));
    // Ids follow walk order.
    let ids: Vec<u32> = out.main.walk().iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![0, 1, 2, 3, 4]);
}

#[test]
fn block_scopes_release_registers_and_shadow() {
    let a = Bump::new();
    let b = B::new(&a);
    // func f() { let x := 1; if true { let x := 2; let y := x } let z := x; return z }
    let f = b.func(
        Some("f"),
        &[],
        vec![
            b.decl(DeclKind::Let, "x", b.int(1)),
            b.s(StmtKind::If {
                cond: b.e(ExprKind::Bool(true)),
                then: b.block(vec![
                    b.decl(DeclKind::Let, "x", b.int(2)),
                    b.decl(DeclKind::Let, "y", b.id("x")),
                ]),
                else_: None,
            }),
            b.decl(DeclKind::Let, "z", b.id("x")),
            b.ret(b.id("z")),
        ],
    );
    let out = ok(&b.program(vec![b.s(StmtKind::Func(f))]));
    let code = &out.main.children[0].code;
    assert_eq!(
        code[2],
        Op::Move {
            dst: Reg(2),
            src: Reg(1)
        }
    );
    // After the block, its registers are reused: z takes r1 and reads the outer x.
    assert_eq!(
        code[3],
        Op::Move {
            dst: Reg(1),
            src: Reg(0)
        }
    );
    assert_eq!(out.main.children[0].nregs, 3);
}

#[test]
fn assignment_declares_when_nothing_is_visible() {
    let a = Bump::new();
    let b = B::new(&a);
    // func f() { x = 1; x := x + 1; return x }   -- both update the same local
    let f = b.func(
        Some("f"),
        &[],
        vec![
            b.assign(AssignOp::Assign, "x", b.int(1)),
            b.assign(
                AssignOp::Walrus,
                "x",
                b.bin(BinOp::Add, b.id("x"), b.int(1)),
            ),
            b.ret(b.id("x")),
        ],
    );
    let out = ok(&b.program(vec![b.s(StmtKind::Func(f))]));
    assert_eq!(
        out.main.children[0].code,
        vec![
            Op::LoadI {
                dst: Reg(0),
                value: 1
            },
            Op::AddI {
                dst: Reg(0),
                a: Reg(0),
                imm: 1
            },
            Op::Return { src: Reg(0) },
        ]
    );
}

#[test]
fn free_names_become_unassigned_globals_and_builtins_resolve() {
    let a = Bump::new();
    let b = B::new(&a);
    let prog = b.program(vec![
        b.s(StmtKind::Expr(b.call(b.id("print"), &[b.id("nope")])))
    ]);
    let out = ok(&prog);
    assert_eq!(&*out.globals[0], "nope");
    assert!(matches!(out.main.code[0], Op::LoadBuiltin { .. }));
    assert_eq!(
        out.main.code[1],
        Op::GetGlobal {
            dst: Reg(1),
            slot: GlobalIdx(0)
        }
    );
}

#[test]
fn functions_see_globals_declared_later() {
    let a = Bump::new();
    let b = B::new(&a);
    // func f() { counter = counter + 1 }   counter := 0
    let f = b.func(
        Some("f"),
        &[],
        vec![b.assign(
            AssignOp::Assign,
            "counter",
            b.bin(BinOp::Add, b.id("counter"), b.int(1)),
        )],
    );
    let prog = b.program(vec![
        b.s(StmtKind::Func(f)),
        b.assign(AssignOp::Walrus, "counter", b.int(0)),
    ]);
    let out = ok(&prog);
    assert_eq!(&*out.globals[0], "f");
    assert_eq!(&*out.globals[1], "counter");
    let code = &out.main.children[0].code;
    assert!(code.contains(&Op::SetGlobal {
        slot: GlobalIdx(1),
        src: Reg(0)
    }));
}

#[test]
fn compile_errors_are_all_reported() {
    let a = Bump::new();
    let b = B::new(&a);
    let f = b.func(
        Some("f"),
        &["p", "p"],
        vec![
            b.decl(DeclKind::Const, "k", b.int(1)),
            b.assign(AssignOp::Add, "k", b.int(1)),
            b.s(StmtKind::Continue),
            b.s(StmtKind::Assign {
                op: AssignOp::Assign,
                target: b.e(ExprKind::Index {
                    obj: b.id("k"),
                    index: b.int(0),
                }),
                value: b.int(1),
            }),
        ],
    );
    let prog = b.program(vec![
        b.decl(DeclKind::Let, "x", b.int(1)),
        b.decl(DeclKind::Mut, "x", b.int(2)),
        b.s(StmtKind::Func(f)),
        b.s(StmtKind::Break),
        b.ret(b.int(1)),
    ]);
    let mut got = errors(&prog);
    got.sort();
    let mut want = vec![
        "'x' is already declared in this scope",
        "'p' is already declared in this scope",
        "cannot assign to immutable binding 'k'",
        "'continue' outside a loop",
        "cannot assign through immutable binding 'k'",
        "'break' outside a loop",
        "'return' outside a function",
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn captured_loop_variable_gets_a_fresh_cell_each_iteration() {
    let a = Bump::new();
    let b = B::new(&a);
    let inner = b.func(None, &[], vec![b.ret(b.id("i"))]);
    let body = b.block(vec![b.s(StmtKind::Expr(b.e(ExprKind::Func(inner))))]);
    let prog = b.program(vec![b.s(StmtKind::For {
        var: b.name("i"),
        iter: b.e(ExprKind::Array(&[])),
        body,
    })]);
    let out = ok(&prog);
    let code = &out.main.code;
    let next = code
        .iter()
        .position(|op| matches!(op, Op::IterNext { .. }))
        .expect("IterNext");
    assert_eq!(
        code[next + 1],
        Op::NewCell {
            dst: Reg(3),
            src: Reg(3)
        }
    );
    assert_eq!(
        code[next + 3],
        Op::Loop {
            target: Target(next as u32)
        }
    );
    assert_eq!(code.last(), Some(&Op::ReturnNull));
}

#[test]
fn too_many_registers_is_an_error_not_a_panic() {
    let a = Bump::new();
    let b = B::new(&a);
    let items: Vec<Expr<'_>> = (0..70_000)
        .map(|_| Expr {
            kind: ExprKind::Null,
            span: Span::new(0, 1, 1, 1),
        })
        .collect();
    let arr = b.e(ExprKind::Array(a.alloc_slice_fill_iter(items)));
    let prog = b.program(vec![b.s(StmtKind::Expr(arr))]);
    let errs = errors(&prog);
    assert_eq!(
        errs,
        vec!["function '<script>' needs more than 65535 registers"]
    );
}

#[test]
fn assigning_a_live_local_never_clobbers_it_early() {
    let a = Bump::new();
    let b = B::new(&a);
    // func f(x) { x = g + x; x = h(x); return x }
    let f = b.func(
        Some("f"),
        &["x"],
        vec![
            b.assign(
                AssignOp::Assign,
                "x",
                b.bin(BinOp::Add, b.id("g"), b.id("x")),
            ),
            b.assign(AssignOp::Assign, "x", b.call(b.id("h"), &[b.id("x")])),
            b.ret(b.id("x")),
        ],
    );
    let out = ok(&b.program(vec![b.s(StmtKind::Func(f))]));
    let code = &out.main.children[0].code;
    assert_eq!(
        code[0],
        Op::GetGlobal {
            dst: Reg(1),
            slot: GlobalIdx(1)
        }
    );
    assert_eq!(
        code[1],
        Op::Add {
            dst: Reg(0),
            a: Reg(1),
            b: Reg(0)
        }
    );
    assert_eq!(
        code[2],
        Op::GetGlobal {
            dst: Reg(1),
            slot: GlobalIdx(2)
        }
    );
    assert_eq!(
        code[3],
        Op::Move {
            dst: Reg(2),
            src: Reg(0)
        }
    );
    assert_eq!(
        code[4],
        Op::Call {
            base: Reg(1),
            nargs: 1
        }
    );
    assert_eq!(
        code[5],
        Op::Move {
            dst: Reg(0),
            src: Reg(1)
        }
    );
}

/// Every golden program, cut at every line and with lines dropped or swapped,
/// either compiles or yields diagnostics: the compiler never panics.
#[test]
fn mangled_programs_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in ["tests/dump", "tests/compile_errors"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "ruff") {
                sources.extend(std::fs::read_to_string(e.path()));
            }
        }
    }
    assert!(!sources.is_empty());
    let try_compile = |text: String| {
        let file = crate::span::SourceFile::new("m.ruff", text);
        match crate::compile(&file) {
            Ok(p) => {
                let _ = crate::dump::dump_regs(&p);
                for proto in p.main.walk() {
                    assert_eq!(proto.code.len(), proto.spans.len());
                    assert!(proto.code.last().is_some_and(|op| op.ends_block()));
                    for op in &proto.code {
                        for r in regs_of(op) {
                            assert!(r < proto.nregs as u32, "{op:?} in {}", proto.name);
                        }
                        if let Some(t) = op.target() {
                            assert!((t.0 as usize) < proto.code.len());
                        }
                    }
                }
            }
            Err(d) => {
                let _ = crate::diag::render_all(&d, &file);
            }
        }
    };
    for src in &sources {
        let lines: Vec<&str> = src.lines().collect();
        for i in 0..lines.len() {
            try_compile(lines[..i].join("\n"));
            let mut dropped = lines.clone();
            dropped.remove(i);
            try_compile(dropped.join("\n"));
            let mut swapped = lines.clone();
            swapped.swap(i, lines.len() - 1 - i);
            try_compile(swapped.join("\n"));
        }
    }
}

/// Every register an instruction touches (ranges expanded).
fn regs_of(op: &Op) -> Vec<u32> {
    let r = |r: Reg| r.0 as u32;
    let range = |start: Reg, n: u32| (r(start)..r(start) + n).collect::<Vec<_>>();
    match *op {
        Op::Move { dst, src }
        | Op::NewCell { dst, src }
        | Op::Neg { dst, src }
        | Op::Not { dst, src }
        | Op::ToBool { dst, src } => vec![r(dst), r(src)],
        Op::LoadK { dst, .. }
        | Op::LoadI { dst, .. }
        | Op::LoadNull { dst }
        | Op::LoadBool { dst, .. }
        | Op::LoadBuiltin { dst, .. }
        | Op::GetGlobal { dst, .. }
        | Op::GetUpval { dst, .. }
        | Op::Closure { dst, .. } => vec![r(dst)],
        Op::SetGlobal { src, .. }
        | Op::SetUpval { src, .. }
        | Op::Return { src }
        | Op::Throw { src } => {
            vec![r(src)]
        }
        Op::GetCell { dst, cell } => vec![r(dst), r(cell)],
        Op::SetCell { cell, src } => vec![r(cell), r(src)],
        Op::Add { dst, a, b }
        | Op::Sub { dst, a, b }
        | Op::Mul { dst, a, b }
        | Op::Div { dst, a, b }
        | Op::Mod { dst, a, b }
        | Op::Cmp { dst, a, b, .. } => vec![r(dst), r(a), r(b)],
        Op::AddI { dst, a, .. } | Op::SubI { dst, a, .. } | Op::CmpI { dst, a, .. } => {
            vec![r(dst), r(a)]
        }
        Op::Concat { dst, start, count } | Op::NewArray { dst, start, count } => {
            let mut v = range(start, count as u32);
            v.push(r(dst));
            v
        }
        Op::NewDict { dst, start, count } => {
            let mut v = range(start, 2 * count as u32);
            v.push(r(dst));
            v
        }
        Op::Jmp { .. } | Op::Loop { .. } | Op::ReturnNull => vec![],
        Op::JmpIf { cond, .. } | Op::JmpIfNot { cond, .. } => vec![r(cond)],
        Op::JmpIfNotNull { src, .. } => vec![r(src)],
        Op::JmpCmp { a, b, .. } => vec![r(a), r(b)],
        Op::JmpCmpI { a, .. } => vec![r(a)],
        Op::GetIndex { dst, obj, key } => vec![r(dst), r(obj), r(key)],
        Op::SetIndex { obj, key, src } => vec![r(obj), r(key), r(src)],
        Op::GetField { dst, obj, .. } => vec![r(dst), r(obj)],
        Op::SetField { obj, src, .. } => vec![r(obj), r(src)],
        Op::IterPrep { base, src } => {
            let mut v = range(base, 3);
            v.push(r(src));
            v
        }
        Op::IterNext { base, dst, .. } => {
            let mut v = range(base, 3);
            v.push(r(dst));
            v
        }
        Op::Call { base, nargs } => range(base, nargs as u32 + 1),
    }
}

fn compile_src(text: String) -> Result<bytecode::Program, Vec<String>> {
    let file = crate::span::SourceFile::new("t.ruff", text);
    crate::compile(&file).map_err(|d| d.into_iter().map(|d| d.message).collect())
}

#[test]
fn too_many_constants_is_an_error() {
    let mut src = String::from("func f() {\n");
    for i in 0..70_000 {
        src.push_str(&format!("    x = \"s{i}\"\n"));
    }
    src.push_str("}\n");
    assert_eq!(
        compile_src(src).err(),
        Some(vec![
            "function 'f' has more than 65536 constants".to_string()
        ])
    );
}

#[test]
fn too_many_globals_is_an_error() {
    let src: String = (0..70_000).map(|i| format!("g{i} = 1\n")).collect();
    assert_eq!(
        compile_src(src).err(),
        Some(vec![
            "too many global variables (the limit is 65536)".to_string()
        ])
    );
}

#[test]
fn a_closure_made_before_a_declaration_does_not_capture_it() {
    let src = "func f() {\n g := func() { return later }\n later := 1\n return g\n}\n";
    let p = compile_src(src.to_string()).expect("compiles");
    let f = &p.main.children[0];
    // `later` in g is a free global, so the local is a plain register.
    assert!(f.children[0].upvals.is_empty());
    assert!(!f.code.iter().any(|op| matches!(op, Op::NewCell { .. })));
    assert_eq!(&*p.globals[1], "later");
}

#[test]
fn literal_on_the_left_uses_an_immediate_only_for_equality() {
    let src = "func f(x) {\n a := 1 == x\n b := 1 < x\n return [a, b]\n}\n";
    let p = compile_src(src.to_string()).expect("compiles");
    let code = &p.main.children[0].code;
    assert_eq!(
        code[0],
        Op::CmpI {
            op: CmpOp::Eq,
            dst: Reg(1),
            a: Reg(0),
            imm: 1
        }
    );
    assert_eq!(
        code[1],
        Op::LoadI {
            dst: Reg(2),
            value: 1
        }
    );
    assert_eq!(
        code[2],
        Op::Cmp {
            op: CmpOp::Lt,
            dst: Reg(2),
            a: Reg(2),
            b: Reg(0)
        }
    );
}

/// Programs at the parser's nesting limits compile on a test thread's stack.
#[test]
fn deep_nesting_compiles() {
    let depth = 120;
    let mut src = String::from("func f(x) {\n");
    src.push_str(&"if x {\n".repeat(depth));
    src.push_str("y := ");
    src.push_str(&"(x + ".repeat(200));
    src.push('1');
    src.push_str(&")".repeat(200));
    src.push('\n');
    src.push_str(&"}\n".repeat(depth));
    src.push_str("return [[[[[[[[[[x]]]]]]]]]]\n}\n");
    assert!(compile_src(src).is_ok());
    let nested_funcs = "func() { ".repeat(100) + &"}".repeat(100);
    assert!(compile_src(format!("x := 1\ng := {nested_funcs}\n")).is_ok());
}
