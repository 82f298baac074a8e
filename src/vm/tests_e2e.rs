//! End-to-end tests of the VM: Ruff source through `crate::compile` and `run_captured`.

use super::*;
use crate::heap::Heap;

/// Runs `src` with captured output; `stress` collects at every safe point.
fn run_src_with(src: &str, stress: bool) -> (String, String, i32) {
    let file = SourceFile::new("prog.ruff", src);
    let program = match crate::compile(&file) {
        Ok(p) => p,
        Err(d) => panic!("compile error: {}", crate::diag::render_all(&d, &file)),
    };
    let opts = RunOptions::default();
    let o = if stress {
        on_big_stack(|| {
            let mut vm = Vm::with_heap(
                &program,
                &file,
                &opts,
                Output::captured(),
                Heap::with_stress(true),
            )
            .unwrap();
            let code = vm.run_main();
            let (out, err) = vm.out.take_captured();
            Outcome {
                stdout: out,
                stderr: err,
                code,
            }
        })
    } else {
        run_captured(&program, &file, &opts)
    };
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.code,
    )
}

fn run_src(src: &str) -> (String, String, i32) {
    run_src_with(src, false)
}

/// Asserts a successful run printing `expected`, also under GC stress.
fn check(src: &str, expected: &str) {
    for stress in [false, true] {
        let (out, err, code) = run_src_with(src, stress);
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            (expected, "", 0),
            "stress={stress}"
        );
    }
}

#[test]
fn calls_closures_and_recursion() {
    check(
        "func add(a, b) { return a + b }\nprint(add(1, 2))\nfunc f() { }\nprint(f())",
        "3\nnull\n",
    );
    check(
        "func counter() {\n  mut c := 0\n  return func() { c = c + 1; return c }\n}\n\
         a := counter()\nb := counter()\na()\na()\nprint(a(), b())",
        "3 1\n",
    );
    check(
        "func depth(n) { if n == 0 { return 0 }; return depth(n - 1) + 1 }\nprint(depth(100000))",
        "100000\n",
    );
}

#[test]
fn stack_overflow_at_a_million_is_catchable() {
    let src = "func depth(n) { if n == 0 { return 0 }; return depth(n - 1) + 1 }\n\
               try { depth(1000000) } except e { print(e.message, len(e.stack) > 1000) }\n\
               print(depth(10))";
    let (out, err, code) = run_src(src);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("Stack overflow true\n10\n", "", 0)
    );
    let (out, err, code) = run_src("func d(n) { return d(n + 1) }\nprint(1)\nd(0)");
    assert_eq!((out.as_str(), code), ("1\n", 4));
    assert!(
        err.starts_with("error: Stack overflow\n --> prog.ruff:1:20\n"),
        "{err}"
    );
    assert!(err.contains("\n  ... 199980 more frames ...\n"), "{err}");
    assert!(
        err.ends_with("  at d (prog.ruff:1)\n  at <script> (prog.ruff:3)\n"),
        "{err}"
    );
}

#[test]
fn try_except_across_frames_and_rethrow() {
    check(
        "func inner() { throw(\"boom\") }\nfunc outer() { inner() }\n\
         try { outer() } except e { print(e.message, e.value, e.line, e.stack) }",
        "boom boom 1 [\"inner\", \"outer\", \"<script>\"]\n",
    );
    check(
        "try { x := [1][5] } except e { print(e.message, e.value, type(e)) }\nprint(\"after\")",
        "Index out of bounds: 5 null error\nafter\n",
    );
    check(
        "try { throw({\"code\": 7}) } except e { print(e.value.code, e.message) }",
        "7 {\"code\": 7}\n",
    );
    // A re-thrown error keeps its message, line and traceback.
    let (out, err, code) = run_src(
        "func f() {\n  throw(\"x\")\n}\ntry { f() } except e {\n  print(\"caught\")\n  throw(e)\n}",
    );
    assert_eq!((out.as_str(), code), ("caught\n", 4));
    assert_eq!(
        err,
        "error: x\n --> prog.ruff:2:8\n  |\n2 |   throw(\"x\")\n  |        ^^^^^\n\
         stack traceback:\n  at f (prog.ruff:2)\n  at <script> (prog.ruff:4)\n"
    );
    // error(...) makes a value; throwing it raises it where it is thrown.
    check(
        "e := error(\"disk full\")\ntry { throw(e) } except x { print(x.message, x.line, x == e) }",
        "disk full 2 true\n",
    );
}

#[test]
fn uncaught_error_format_keeps_earlier_output() {
    let (out, err, code) = run_src(
        "print(\"before\")\nfunc add(a, b) {\n    return a + b\n}\nprint(add(9223372036854775807, 1))",
    );
    assert_eq!(out, "before\n");
    assert_eq!(code, 4);
    assert_eq!(
        err,
        "error: Integer overflow: 9223372036854775807 + 1\n --> prog.ruff:3:12\n  |\n\
         3 |     return a + b\n  |            ^^^^^\nstack traceback:\n\
         \x20 at add (prog.ruff:3)\n  at <script> (prog.ruff:5)\n"
    );
    let (_, err, code) = run_src("throw(42)");
    assert_eq!(code, 4);
    assert!(err.starts_with("error: 42\n"), "{err}");
    let (_, err, _) = run_src("print(nope)");
    assert!(
        err.starts_with("error: Undefined variable: nope\n"),
        "{err}"
    );
    let (_, err, _) = run_src("x := 3\nx()");
    assert!(err.starts_with("error: Cannot call int\n"), "{err}");
    let (_, err, _) = run_src("func add(a, b) { return a }\nadd(1)");
    assert!(
        err.starts_with("error: add expects 2 arguments, got 1\n"),
        "{err}"
    );
}

#[test]
fn callbacks_are_gc_safe_and_traced() {
    check(
        "a := map(range(1000), func(x) { return [x, \"s${x}\"] })\n\
         b := filter(a, func(p) { return p[0] % 100 == 0 })\n\
         print(len(a), len(b), b[3])\n\
         print(reduce(range(5), func(acc, x) { return acc + x }, 10), reduce([1, 2], func(a, b) { return a * b }))\n\
         print(sort([3, 1, 2]), sort([\"b\", \"a\"]), sort([1, 3, 2], func(x, y) { return y - x }))\n\
         print(sort([5, 4, 9], func(x, y) { return x - y }), map([1], print))",
        "1000 10 [300, \"s300\"]\n20 2\n[1, 2, 3] [\"a\", \"b\"] [3, 2, 1]\n1\n[4, 5, 9] [null]\n",
    );
    let (out, err, code) =
        run_src("func bad(x) {\n  return x / 0\n}\nprint(1)\nmap([1, 2], bad)\nprint(2)");
    assert_eq!((out.as_str(), code), ("1\n", 4));
    assert!(
        err.ends_with("stack traceback:\n  at bad (prog.ruff:2)\n  at <script> (prog.ruff:5)\n"),
        "{err}"
    );
    check(
        "try { map([1], func(x) { throw(\"in cb\") }) } except e { print(e.message, e.stack) }",
        "in cb [\"<anonymous>\", \"<script>\"]\n",
    );
}

#[test]
fn iteration() {
    check(
        "for x in [1, 2] { print(x) }\nfor c in \"a😀\" { print(c) }\nd := {\"b\": 1, \"a\": 2}\nfor k in d { print(k) }",
        "1\n2\na\n😀\nb\na\n",
    );
    check(
        "a := [1]\nfor x in a { if x < 3 { push(a, x + 1) } }\nprint(a)",
        "[1, 2, 3]\n",
    );
    let (_, err, code) = run_src("d := {\"a\": 1}\nfor k in d { d[\"z\"] = 2 }");
    assert_eq!(code, 4);
    assert!(
        err.starts_with("error: Dict changed size during iteration\n"),
        "{err}"
    );
    let (_, err, _) = run_src("for x in 5 { }");
    assert!(err.starts_with("error: Cannot iterate over int\n"), "{err}");
}

#[test]
fn exit_and_args() {
    let (out, err, code) =
        run_src("print(1)\nfunc f() { try { exit(3) } except e { print(\"no\") } }\nf()\nprint(2)");
    assert_eq!((out.as_str(), err.as_str(), code), ("1\n", "", 3));
    let (_, _, code) = run_src("map([1], func(x) { exit(7) })");
    assert_eq!(code, 7);
    let file = SourceFile::new("p.ruff", "print(args())");
    let program = crate::compile(&file).unwrap();
    let opts = RunOptions {
        args: vec!["a".into(), "b c".into()],
        ..RunOptions::default()
    };
    let o = run_captured(&program, &file, &opts);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "[\"a\", \"b c\"]\n");
}

#[test]
fn garbage_loop_runs_in_bounded_memory() {
    let src = "mut i := 0\nwhile i < 300000 {\n  x := [i, \"s${i}\", {\"k\": i}]\n  i = i + 1\n}\nprint(i)";
    let file = SourceFile::new("prog.ruff", src);
    let program = crate::compile(&file).unwrap();
    let mut vm = Vm::with_heap(
        &program,
        &file,
        &RunOptions::default(),
        Output::captured(),
        Heap::with_stress(false),
    )
    .unwrap();
    assert_eq!(vm.run_main(), 0);
    assert!(vm.heap.collections > 0);
    assert!(
        vm.heap.object_count() < 200_000,
        "{}",
        vm.heap.object_count()
    );
}

#[test]
fn deep_callback_nesting_is_a_clean_stack_overflow() {
    let (out, err, code) = run_src(
        "func f(n) {\n  if n == 0 { return 0 }\n  return map([n], func(x) { return f(x - 1) })[0] + 1\n}\n\
         try { f(100000) } except e { print(e.message) }\nprint(f(100))",
    );
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("Stack overflow\n100\n", "", 0)
    );
}
