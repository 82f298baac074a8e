//! Unit tests of the VM on hand-built protos (independent of the front end).

use super::*;
use crate::bytecode::*;
use crate::span::Span;
use std::rc::Rc;

fn sp(line: u32) -> Span {
    Span::new(0, 0, line, 1)
}

fn r(i: u16) -> Reg {
    Reg(i)
}

/// A proto whose instruction `i` is on line `i + 1`.
fn proto(id: u32, name: &str, nparams: u16, nregs: u16, code: Vec<Op>) -> Proto {
    let spans = (0..code.len()).map(|i| sp(i as u32 + 1)).collect();
    Proto {
        id,
        name: name.into(),
        nparams,
        nregs,
        code,
        spans,
        consts: Vec::new(),
        upvals: Vec::new(),
        handlers: Vec::new(),
        children: Vec::new(),
        span: sp(1),
    }
}

fn program(main: Proto, globals: &[&str], count: u32) -> Program {
    Program {
        main: Rc::new(main),
        globals: globals.iter().map(|g| Rc::<str>::from(*g)).collect(),
        proto_count: count,
    }
}

fn run_prog(p: &Program) -> Outcome {
    let file = SourceFile::new("t.ruff", "line1\nline2\nline3\nline4\nline5\nline6\n");
    run_captured(p, &file, &RunOptions::default())
}

fn stdout(o: &Outcome) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Outcome) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `print(R[src])` using registers `tmp`, `tmp+1`.
fn print_reg(tmp: u16, src: u16) -> [Op; 3] {
    [
        Op::LoadBuiltin {
            dst: r(tmp),
            builtin: Builtin::Print,
        },
        Op::Move {
            dst: r(tmp + 1),
            src: r(src),
        },
        Op::Call {
            base: r(tmp),
            nargs: 1,
        },
    ]
}

/// `fn count(n) { if n == 0 { return 0 } return count(n - 1) + 1 }` as global 0,
/// and a script calling `count(depth)` and printing the result.
fn count_program(depth: i32) -> Program {
    let count = proto(
        1,
        "count",
        1,
        4,
        vec![
            Op::JmpCmpI {
                op: CmpOp::Eq,
                a: r(0),
                imm: 0,
                target: Target(3),
            },
            Op::LoadI {
                dst: r(1),
                value: 0,
            },
            Op::Return { src: r(1) },
            Op::GetGlobal {
                dst: r(1),
                slot: GlobalIdx(0),
            },
            Op::SubI {
                dst: r(2),
                a: r(0),
                imm: 1,
            },
            Op::Call {
                base: r(1),
                nargs: 1,
            },
            Op::AddI {
                dst: r(1),
                a: r(1),
                imm: 1,
            },
            Op::Return { src: r(1) },
        ],
    );
    let mut code = vec![
        Op::Closure {
            dst: r(0),
            proto: ProtoIdx(0),
        },
        Op::SetGlobal {
            slot: GlobalIdx(0),
            src: r(0),
        },
        Op::GetGlobal {
            dst: r(0),
            slot: GlobalIdx(0),
        },
        Op::LoadI {
            dst: r(1),
            value: depth,
        },
        Op::Call {
            base: r(0),
            nargs: 1,
        },
    ];
    code.extend(print_reg(1, 0));
    code.push(Op::ReturnNull);
    let mut main = proto(0, "<script>", 0, 3, code);
    main.children.push(Rc::new(count));
    program(main, &["count"], 2)
}

#[test]
fn calls_and_recursion_100k_deep() {
    let o = run_prog(&count_program(10));
    assert_eq!((stdout(&o).as_str(), o.code), ("10\n", 0), "{}", stderr(&o));
    let o = run_prog(&count_program(100_000));
    assert_eq!(
        (stdout(&o).as_str(), o.code),
        ("100000\n", 0),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stack_overflow_is_an_error_with_a_shortened_traceback() {
    let o = run_prog(&count_program(1_000_000));
    assert_eq!(o.code, 4);
    let err = stderr(&o);
    assert!(
        err.starts_with("error: Stack overflow\n --> t.ruff:6:1\n"),
        "{err}"
    );
    assert!(
        err.contains("stack traceback:\n  at count (t.ruff:6)\n"),
        "{err}"
    );
    assert!(err.contains("  ... 199980 more frames ...\n"), "{err}");
    assert!(
        err.ends_with("  at count (t.ruff:6)\n  at <script> (t.ruff:5)\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 5 + 1 + 21);
}

#[test]
fn arity_and_not_callable_errors() {
    // count() with no arguments.
    let mut p = count_program(1);
    let main = Rc::get_mut(&mut p.main).unwrap();
    main.code[4] = Op::Call {
        base: r(0),
        nargs: 0,
    };
    let o = run_prog(&p);
    assert!(stderr(&o).starts_with("error: count expects 1 argument, got 0\n"));
    let main = Rc::get_mut(&mut p.main).unwrap();
    main.code[2] = Op::LoadI {
        dst: r(0),
        value: 3,
    };
    let o = run_prog(&p);
    assert!(stderr(&o).starts_with("error: Cannot call int\n"));
}

#[test]
fn undefined_global() {
    let mut code = vec![Op::GetGlobal {
        dst: r(0),
        slot: GlobalIdx(0),
    }];
    code.push(Op::ReturnNull);
    let o = run_prog(&program(proto(0, "<script>", 0, 1, code), &["nope"], 1));
    assert_eq!(
        stderr(&o),
        "error: Undefined variable: nope\n --> t.ruff:1:1\n  |\n1 | line1\n  | ^\nstack traceback:\n  at <script> (t.ruff:1)\n"
    );
    assert_eq!(o.code, 4);
}

/// A closure counter: `let c = 0; fn inc() { c = c + 1; return c }`, called three times.
#[test]
fn closures_share_cells() {
    let inc = Proto {
        upvals: vec![UpvalDesc {
            source: UpvalSource::ParentReg(r(0)),
            name: "c".into(),
        }],
        ..proto(
            1,
            "inc",
            0,
            2,
            vec![
                Op::GetUpval {
                    dst: r(0),
                    idx: UpvalIdx(0),
                },
                Op::AddI {
                    dst: r(0),
                    a: r(0),
                    imm: 1,
                },
                Op::SetUpval {
                    idx: UpvalIdx(0),
                    src: r(0),
                },
                Op::Return { src: r(0) },
            ],
        )
    };
    let mut code = vec![
        Op::LoadI {
            dst: r(2),
            value: 0,
        },
        Op::NewCell {
            dst: r(0),
            src: r(2),
        },
        Op::Closure {
            dst: r(1),
            proto: ProtoIdx(0),
        },
    ];
    for _ in 0..3 {
        code.push(Op::Move {
            dst: r(2),
            src: r(1),
        });
        code.push(Op::Call {
            base: r(2),
            nargs: 0,
        });
    }
    code.push(Op::GetCell {
        dst: r(2),
        cell: r(0),
    });
    code.extend(print_reg(3, 2));
    code.push(Op::ReturnNull);
    let mut main = proto(0, "<script>", 0, 5, code);
    main.children.push(Rc::new(inc));
    let o = run_prog(&program(main, &[], 2));
    assert_eq!(stdout(&o), "3\n", "{}", stderr(&o));
}

/// `fn f() { throw("boom") }` called inside `try` at top level; the handler prints
/// `e.message`.
#[test]
fn try_except_across_frames() {
    let mut f = proto(
        1,
        "f",
        0,
        2,
        vec![
            Op::LoadBuiltin {
                dst: r(0),
                builtin: Builtin::Print,
            },
            Op::LoadK {
                dst: r(1),
                k: ConstIdx(0),
            },
            Op::Throw { src: r(1) },
        ],
    );
    f.consts.push(Const::Str("boom".into()));
    let mut code = vec![
        Op::Closure {
            dst: r(1),
            proto: ProtoIdx(0),
        },
        Op::Call {
            base: r(1),
            nargs: 0,
        },
        Op::Jmp { target: Target(7) },
        Op::GetField {
            dst: r(1),
            obj: r(0),
            key: ConstIdx(0),
        },
    ];
    code.extend(print_reg(2, 1));
    code.push(Op::ReturnNull);
    let mut main = proto(0, "<script>", 0, 4, code);
    main.consts.push(Const::Str("message".into()));
    main.handlers.push(Handler {
        start: Target(1),
        end: Target(2),
        handler: Target(3),
        err_reg: Some(r(0)),
    });
    main.children.push(Rc::new(f));
    let o = run_prog(&program(main, &[], 2));
    assert_eq!(stdout(&o), "boom\n", "{}", stderr(&o));
    assert_eq!(o.code, 0);
}

/// A loop that allocates garbage arrays runs in bounded memory.
#[test]
fn garbage_loop_is_collected() {
    let mut code = vec![
        Op::LoadI {
            dst: r(0),
            value: 0,
        },
        // loop head (pc 1)
        Op::JmpCmpI {
            op: CmpOp::Lt,
            a: r(0),
            imm: 30000,
            target: Target(6),
        },
        Op::NewArray {
            dst: r(1),
            start: r(0),
            count: 1,
        },
        Op::NewArray {
            dst: r(2),
            start: r(0),
            count: 2,
        },
        Op::AddI {
            dst: r(0),
            a: r(0),
            imm: 1,
        },
        Op::Loop { target: Target(1) },
    ];
    code.push(Op::ReturnNull);
    let p = program(proto(0, "<script>", 0, 3, code), &[], 1);
    let file = SourceFile::new("t.ruff", "");
    let mut vm = Vm::new(&p, &file, &RunOptions::default(), Output::captured()).unwrap();
    vm.heap = crate::heap::Heap::with_stress(false);
    assert_eq!(vm.run_main(), 0);
    assert!(vm.heap.collections > 0);
    assert!(
        vm.heap.object_count() < 200_000,
        "{}",
        vm.heap.object_count()
    );
    // Stress mode: a collection at every safe point after an allocation.
    let mut vm = Vm::new(&p, &file, &RunOptions::default(), Output::captured()).unwrap();
    vm.heap = crate::heap::Heap::with_stress(true);
    assert_eq!(vm.run_main(), 0);
    assert!(vm.heap.object_count() < 10, "{}", vm.heap.object_count());
}

#[test]
fn bad_bytecode_is_rejected() {
    let p = program(
        proto(
            0,
            "<script>",
            0,
            1,
            vec![
                Op::Move {
                    dst: r(5),
                    src: r(0),
                },
                Op::ReturnNull,
            ],
        ),
        &[],
        1,
    );
    let o = run_prog(&p);
    assert_eq!(o.code, 4);
    assert!(stderr(&o).contains("invalid bytecode"));
}
