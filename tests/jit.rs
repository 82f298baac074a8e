//! The JIT tier against the interpreter: each program runs in-process with the JIT
//! forced on (`jit_threshold: 0`, or a small threshold for OSR) and with `jit: false`;
//! stdout, stderr and the exit code must be identical, and the expected stdout is
//! checked too. `jit_stats` must report no function that could not be compiled.

use ruff::span::SourceFile;
use ruff::vm::{run_captured, Outcome, RunOptions};

fn run(src: &str, jit: bool, threshold: u32, stats: bool) -> Outcome {
    let file = SourceFile::new("test.ruff", src);
    let program = ruff::compile(&file).expect("test program compiles");
    let opts = RunOptions {
        jit,
        jit_threshold: threshold,
        jit_stats: stats,
        args: Vec::new(),
    };
    run_captured(&program, &file, &opts)
}

/// Runs `src` in both tiers, asserts they agree, and returns the JIT run's stdout.
fn both_at(src: &str, threshold: u32) -> String {
    let interp = run(src, false, 0, false);
    let jit = run(src, true, threshold, false);
    assert_eq!(
        String::from_utf8_lossy(&interp.stdout),
        String::from_utf8_lossy(&jit.stdout),
        "stdout differs"
    );
    assert_eq!(
        String::from_utf8_lossy(&interp.stderr),
        String::from_utf8_lossy(&jit.stderr),
        "stderr differs"
    );
    assert_eq!(interp.code, jit.code, "exit code differs");
    let stats = run(src, true, threshold, true);
    let err = String::from_utf8_lossy(&stats.stderr);
    assert!(
        err.contains("functions not compiled: 0"),
        "some function was not compiled:\n{err}"
    );
    String::from_utf8_lossy(&jit.stdout).into_owned()
}

fn both(src: &str) -> String {
    both_at(src, 0)
}

#[test]
fn int_arithmetic_at_the_edges() {
    let out = both(
        "a := 140737488355327\nprint(a + 1, a * 2, -a - 2, a - -1)\n\
         b := -140737488355328\nprint(b - 1, b * -1, b + b)\n\
         m := 9223372036854775807\nprint(m - 1)\n\
         try { print(m + 1) } except e { print(e.message) }\n\
         try { print(m * 2) } except e { print(e.message) }\n\
         n := -9223372036854775807 - 1\nprint(n)\n\
         try { print(n - 1) } except e { print(e.message) }\n\
         print(n % -1)\n\
         try { print(n / -1) } except e { print(e.message) }\n\
         try { print(1 / 0) } except e { print(e.message) }\n\
         try { print(1 % 0) } except e { print(e.message) }\n\
         print(7 / -2, -7 % 3, 3 * 4 - 5)\n",
    );
    assert!(out.starts_with("140737488355328 281474976710654"), "{out}");
}

#[test]
fn mixed_int_and_float() {
    let out = both(
        "print(1 + 2.5, 2.5 * 2, 3 - 0.5, 1 < 1.5, 2.0 == 2, 0.1 + 0.2)\n\
         x := 0.0 / 0.0\nprint(x == x, x != x)\n\
         print(1e308 * 10, -1e308 * 10)\n",
    );
    assert!(out.starts_with("3.5 5.0 2.5 true"), "{out}");
}

#[test]
fn register_changes_type_inside_a_loop() {
    both(
        "func f() {\n  x := 1\n  i := 0\n  while i < 10 {\n    if i == 3 { x = x + 0.5 }\n\
         if i == 6 { x = \"s\" + str(x) }\n    if i == 8 { x = [x] }\n    i = i + 1\n  }\n\
         return x\n}\nprint(f())\n",
    );
}

#[test]
fn deep_and_mutual_recursion() {
    let out = both(
        "func fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }\n\
         print(fib(20))\n\
         func even(n) { if n == 0 { return true }\n return odd(n - 1) }\n\
         func odd(n) { if n == 0 { return false }\n return even(n - 1) }\n\
         print(even(10001), odd(7))\n\
         func down(n) { if n == 0 { return 0 }\n return 1 + down(n - 1) }\n\
         print(down(100000))\n",
    );
    assert_eq!(out, "6765\nfalse true\n100000\n");
}

#[test]
fn closures_created_in_loops() {
    let out = both(
        "fs := []\nfor i in [1, 2, 3] {\n  n := i * 10\n  append(fs, func() { n = n + 1\n return n })\n}\n\
         for f in fs { print(f(), f()) }\n\
         func counter() { c := 0\n return func() { c = c + 1\n return c } }\n\
         k := counter()\nk()\nprint(k())\n",
    );
    assert!(out.contains("11 12"), "{out}");
}

#[test]
fn exceptions_through_compiled_frames() {
    both(
        "func a(x) { if x > 2 { throw error(\"deep \" + str(x)) }\n return a(x + 1) }\n\
         func b() { return a(0) + 1 }\n\
         try { b() } except e { print(e.message, e.line, e.stack) }\n\
         func c() { try { return b() } except e { return \"caught \" + e.message } }\n\
         print(c())\n\
         func d() { x := [1]\n return x[5] }\n\
         try { d() } except e { print(e.message, e.stack) }\n\
         b()\n",
    );
}

#[test]
fn osr_in_a_top_level_loop() {
    let src = "s := 0\ni := 0\nwhile i < 5000 {\n  s = s + i\n  if i == 2500 { s = s * 2 }\n  i = i + 1\n}\nprint(s)\n\
               t := 0\nfor x in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] { t = t + x }\nprint(t)\n";
    both_at(src, 100);
    let stats = run(src, true, 100, true);
    let err = String::from_utf8_lossy(&stats.stderr);
    assert!(err.contains("OSR entries: 1"), "{err}");
}

#[test]
fn builtins_call_back_into_compiled_code() {
    let out = both(
        "func sq(x) { return x * x }\nprint(map([1, 2, 3], sq))\n\
         print(filter([1, 2, 3, 4], func(x) { return x % 2 == 0 }))\n\
         print(reduce([1, 2, 3, 4], func(a, b) { return a + b }, 0))\n\
         print(sort([3, 1, 2], func(a, b) { return b - a }))\n\
         print(map([1, 2], func(x) { return map([x], sq) }))\n",
    );
    assert!(out.starts_with("[1, 4, 9]"), "{out}");
}

#[test]
fn gc_during_compiled_code() {
    let out = both(
        "func build(n) {\n  out := []\n  i := 0\n  while i < n {\n    s := \"item\" + str(i)\n\
         append(out, [s, {\"k\": i}])\n    i = i + 1\n  }\n  return out\n}\n\
         total := 0\nfor r in range(0, 30) { total = total + len(build(2000)) }\nprint(total)\n",
    );
    assert_eq!(out, "60000\n");
}

/// Runs `src` in-process with the JIT forced on and a heap that collects at every safe
/// point; returns the exit code. Small programs only: the test thread's own stack is
/// used.
fn run_jit_gc_stress(src: &str) -> i32 {
    let file = SourceFile::new("test.ruff", src);
    let program = ruff::compile(&file).expect("compiles");
    let opts = RunOptions {
        jit: true,
        jit_threshold: 0,
        jit_stats: false,
        args: Vec::new(),
    };
    let heap = ruff::heap::Heap::with_stress(true);
    let mut vm =
        ruff::vm::Vm::with_heap(&program, &file, &opts, ruff::vm::Output::captured(), heap)
            .expect("vm");
    vm.run_main()
}

/// Runs `src` in-process with the JIT forced on; returns the exit code and the most
/// bytes the heap allocated between two collections.
fn run_jit_heap_peak(src: &str) -> (i32, usize) {
    let file = SourceFile::new("test.ruff", src);
    let program = ruff::compile(&file).expect("compiles");
    let opts = RunOptions {
        jit: true,
        jit_threshold: 0,
        jit_stats: false,
        args: Vec::new(),
    };
    let heap = ruff::heap::Heap::with_stress(false);
    let mut vm =
        ruff::vm::Vm::with_heap(&program, &file, &opts, ruff::vm::Output::captured(), heap)
            .expect("vm");
    let code = vm.run_main();
    (code, vm.heap.peak_allocated_between())
}

/// Loops that allocate on every iteration without reaching a helper's safe point (an
/// int boxed beyond 48 bits, a compiled callee that boxes its result, an error raised
/// and caught, a callee that boxes an int into a register, a big int spilled before
/// every call, non-ASCII characters iterated through the helper) still collect: each
/// allocates 200,000 objects, about 12 MiB, and the heap must collect every 512 KiB or
/// so instead of growing by all of it.
#[test]
fn loops_that_allocate_silently_still_collect() {
    let loops = [
        "func f() {\n  mut k := 0\n  mut y := null\n  while k < 200000 {\n\
         let x := 300000000000000 + k\n    y = x\n    k += 1\n  }\n  return y\n}\nprint(f())\n",
        "func big(k) { return 300000000000000 + k }\nfunc f() {\n  mut k := 0\n\
         mut y := null\n  while k < 200000 {\n    y = big(k)\n    k += 1\n  }\n\
         return y\n}\nprint(f())\n",
        "func f() {\n  mut k := 0\n  mut n := 0\n  while k < 200000 {\n    try {\n\
         let z := 10 / (k - k)\n    } except e {\n      n += 1\n    }\n    k += 1\n\
         }\n  return n\n}\nprint(f())\n",
        "func g(k) {\n  mut y := null\n  y = 300000000000000 + k\n  return k\n}\n\
         func f() {\n  mut k := 0\n  mut s := 0\n  while k < 200000 {\n    s = g(k)\n\
         k += 1\n  }\n  return s\n}\nprint(f())\n",
        // A big int live across a call is boxed by the spill before every call.
        "func id(x) { return x }\nfunc run(n) {\n  let big := 300000000000000 + n\n\
         mut k := 0\n  while k < n {\n    id(k)\n    k += 1\n  }\n  return big\n}\n\
         print(run(200000))\n",
        // Each character of a non-ASCII string is a new string (through `jit_op`).
        "func count(s) {\n  mut n := 0\n  for c in s {\n    n += 1\n  }\n  return n\n}\n\
         print(count(repeat(\"\u{e9}\", 200000)))\n",
    ];
    for src in loops {
        let (code, peak) = run_jit_heap_peak(src);
        assert_eq!(code, 0, "{src}");
        assert!(
            peak < 2 << 20,
            "{peak} bytes allocated between collections:\n{src}"
        );
    }
}

#[test]
fn gc_stress_with_the_jit() {
    let src = "func mk(i) { return [str(i), {\"a\": i}] }\nxs := []\n\
               for i in range(0, 200) { append(xs, mk(i)) }\nprint(len(xs), xs[199])\n";
    assert_eq!(run_jit_gc_stress(src), 0);
}

#[test]
fn million_deep_recursion_is_a_clean_stack_overflow() {
    let src =
        "func down(n) { if n == 0 { return 0 }\n return 1 + down(n - 1) }\nprint(down(1000000))\n";
    let jit = run(src, true, 0, false);
    let err = String::from_utf8_lossy(&jit.stderr);
    assert_eq!(jit.code, 4);
    assert!(err.starts_with("error: Stack overflow"), "{err}");
    both(src);
}

#[test]
fn every_function_is_compiled() {
    let src = "func f(a, b) { return a + b }\ng := func(x) { return f(x, 1) }\nprint(g(1))\n\
               d := {\"a\": 1}\nd.b = 2\nprint(d.a + d[\"b\"], \"x${d.a}y\")\n";
    both(src);
    let stats = run(src, true, 0, true);
    let err = String::from_utf8_lossy(&stats.stderr);
    assert!(err.contains("functions compiled: 3"), "{err}");
}

#[test]
fn inline_call_caches_stay_exact() {
    // One call site sees many closures (made in a loop, most of them garbage soon),
    // then a closure of another arity, a builtin and a non-function: the cache must
    // never call the wrong code or skip the arity check.
    let out = both(
        "func apply(f, x) { return f(x) }\n\
         mut total := 0\n\
         for i in range(0, 3000) {\n  k := i\n  total = total + apply(func(x) { return x + k }, 1)\n\
           junk := [str(i), {\"a\": i}]\n}\n\
         print(total)\n\
         print(apply(func(x) { return x * 2 }, 21))\n\
         try { print(apply(func(a, b) { return a }, 1)) } except e { print(e.message) }\n\
         print(apply(str, 5))\n\
         try { print(apply(3, 1)) } except e { print(e.message) }\n\
         func twice(g, v) { return g(g(v)) }\n\
         func inc(v) { return v + 1 }\n\
         mut s := 0\n\
         for j in range(0, 2000) { s = s + twice(inc, j) }\n\
         print(s)\n",
    );
    assert!(out.starts_with("4501500\n42\n"), "{out}");
}

#[test]
fn inline_call_caches_under_gc_stress() {
    let src = "func apply(f, x) { return f(x) }\nmut t := 0\n\
               for i in range(0, 300) { k := i\n t = t + apply(func(x) { return x + k }, 1)\n }\n\
               print(t)\n";
    assert_eq!(run_jit_gc_stress(src), 0);
}

#[test]
fn negation_inline_and_slow_paths() {
    let out = both(
        "func n(x) { return -x }\n\
         print(n(5), n(-7), n(0), n(2.5), n(-0.0), n(1e308 * 10.0 - 1e308 * 10.0))\n\
         print(n(-140737488355328), n(140737488355327), n(-9223372036854775807))\n\
         try { print(n(-9223372036854775807 - 1)) } except e { print(e.message) }\n\
         try { print(n(\"s\")) } except e { print(e.message) }\n\
         mut t := 0\nfor i in range(0, 1000) { t = t + n(i) }\nprint(t)\n",
    );
    assert!(out.starts_with("-5 7 0 -2.5"), "{out}");
}

#[test]
fn division_and_modulo_at_the_edges() {
    let out = both(
        "func d(a, b) { return a / b }\nfunc m(a, b) { return a % b }\n\
         print(d(7, 2), d(-7, 2), d(7, -2), d(-7, -2), d(0, 5), d(6, 3))\n\
         print(m(7, 2), m(-7, 2), m(7, -2), m(-7, -2), m(0, 5), m(6, 3))\n\
         print(d(-140737488355328, -1), d(-140737488355328, 1), m(-140737488355328, -1))\n\
         print(d(140737488355327, -1), m(140737488355327, 10))\n\
         m1 := -9223372036854775807 - 1\n\
         try { print(d(m1, -1)) } except e { print(e.message) }\n\
         print(m(m1, -1), d(m1, 2), m(m1, 7))\n\
         try { print(d(1, 0)) } except e { print(e.message) }\n\
         try { print(m(1, 0)) } except e { print(e.message) }\n\
         try { print(d(1.5, 0.0)) } except e { print(e.message) }\n\
         try { print(d(1.5, -0.0)) } except e { print(e.message) }\n\
         try { print(m(1.5, 0.0)) } except e { print(e.message) }\n\
         print(d(7.5, 2.5), d(1, 4.0), d(3.0, 2), m(7.5, 2.0), m(-7.5, 2))\n\
         try { print(d(\"a\", 2)) } except e { print(e.message) }\n\
         mut t := 0\nfor i in range(1, 2000) { t = t + d(100000, i) + m(i * 7, 13) }\nprint(t)\n",
    );
    assert!(out.starts_with("3 -3 -3 3 0 2\n1 -1 1 -1 0 0\n"), "{out}");
}

#[test]
fn stack_overflow_at_the_interpreters_exact_depth() {
    // 199,998 nested calls plus the script frame fit; one more overflows, in both tiers,
    // whether the calls are self-calls, inline-cache calls or go through the stub.
    for n in [199_998, 199_999] {
        let src = format!(
            "func down(n) {{ if n == 0 {{ return 0 }}\n return 1 + down(n - 1) }}\n\
             func ping(n) {{ if n == 0 {{ return 0 }}\n return 1 + pong(n - 1) }}\n\
             func pong(n) {{ if n == 0 {{ return 0 }}\n return 1 + ping(n - 1) }}\n\
             try {{ print(down({n})) }} except e {{ print(e.message) }}\n\
             try {{ print(ping({n})) }} except e {{ print(e.message) }}\n"
        );
        for threshold in [0, 50] {
            let out = both_at(&src, threshold);
            let want = if n == 199_998 {
                "199998\n199998\n"
            } else {
                "Stack overflow\nStack overflow\n"
            };
            assert_eq!(out, want, "n = {n}, threshold = {threshold}");
        }
    }
}

#[test]
fn the_code_generator_is_made_only_when_something_is_compiled() {
    let src = "func f(x) { return x + 1 }\nprint(f(1))\n";
    let lazy = run(src, true, 1_000_000, true);
    let err = String::from_utf8_lossy(&lazy.stderr);
    assert!(
        err.contains("functions compiled: 0 (total compile time 0.000 ms, of which code generator setup 0.000 ms)"),
        "{err}"
    );
    let eager = run(src, true, 0, true);
    let err = String::from_utf8_lossy(&eager.stderr);
    assert!(err.contains("functions compiled: 2"), "{err}");
    assert_eq!(String::from_utf8_lossy(&eager.stdout), "2\n");
}

/// The source of golden program `tests/programs/NAME.ruff`.
fn golden_source(name: &str) -> String {
    let path = format!("{}/tests/programs/{name}.ruff", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).expect("golden program exists")
}

#[test]
fn unboxed_int_registers_at_osr_entries() {
    // The `jit_int_*` golden programs at low thresholds: OSR entries find inline and
    // boxed (beyond 48 bits) ints in the frame, in functions and at the top level.
    for name in [
        "jit_int_overflow_loops",
        "jit_int_type_change",
        "jit_int_across",
        "jit_int_top_level",
        "jit_int_globals",
    ] {
        let src = golden_source(name);
        for threshold in [1, 2, 10] {
            both_at(&src, threshold);
        }
    }
    let src = "mut big := 140737488356000\nmut j := 0\nwhile j < 300 {\n  big += 1\n  j += 1\n}\nprint(big)\n";
    assert_eq!(both_at(src, 10), "140737488356300\n");
    let stats = run(src, true, 10, true);
    assert!(String::from_utf8_lossy(&stats.stderr).contains("OSR entries: 1"));
}

#[test]
fn osr_entries_chosen_by_parameter_types() {
    // The `jit_osr_*` golden programs at the default threshold, where their loops move
    // into OSR entries compiled for the parameter types of the frame at hand and are
    // later reached by frames holding other types (the golden modes never do this).
    for name in [
        "jit_osr_spec_bail",
        "jit_osr_generic_then_int",
        "jit_osr_error",
    ] {
        let src = golden_source(name);
        for threshold in [1, 10, 1000] {
            both_at(&src, threshold);
        }
        let stats = run(&src, true, 1000, true);
        let err = String::from_utf8_lossy(&stats.stderr);
        assert!(
            !err.contains("OSR entries: 0"),
            "{name}: no OSR entry\n{err}"
        );
    }
}

#[test]
fn raw_functions_are_chosen_and_shown() {
    // `fib` is a raw function; `half` returns a string on one path, and the anonymous
    // function reaches itself through a mutable global that also held an int, so
    // neither is. `ruff dump --ir` shows the raw body and the wrapper.
    let src = "func fib(n) {\n    if n < 2 {\n        return n\n    }\n    return fib(n - 1) + fib(n - 2)\n}\n\
               func half(n) {\n    if n == 0 {\n        return \"zero\"\n    }\n    return half(n - 1)\n}\n\
               mut h := 0\n\
               h = func(n) {\n    if n == 0 {\n        return 0\n    }\n    return h(n - 1) + 1\n}\n\
               print(fib(15), half(3), h(4))\n";
    assert_eq!(both(src), "610 zero 4\n");
    let stats = run(src, true, 0, true);
    let err = String::from_utf8_lossy(&stats.stderr);
    assert!(
        err.contains("fib #1: ")
            && err
                .lines()
                .any(|l| l.contains("fib #1") && l.ends_with("(raw)")),
        "{err}"
    );
    assert!(
        !err.lines()
            .any(|l| l.contains("half") && l.ends_with("(raw)")),
        "{err}"
    );
    assert!(
        !err.lines()
            .any(|l| l.contains("anonymous") && l.ends_with("(raw)")),
        "{err}"
    );
    let file = SourceFile::new("test.ruff", src);
    let program = ruff::compile(&file).expect("test program compiles");
    let ir = ruff::jit::dump_ir(&program).expect("IR");
    assert!(ir.contains("; function fib (proto #1, raw body)"), "{ir}");
    assert!(
        ir.contains("; function fib (proto #1, raw wrapper)"),
        "{ir}"
    );
    assert!(ir.contains("; function half (proto #2)\n"), "{ir}");
}

#[test]
fn dumped_ir_keeps_the_paths_constants_allow() {
    // `ruff dump --ir` translates without a VM; its constants must still be seen as
    // the numbers they are, or the dump (and `codegen_all`) would leave out the float
    // and int paths the run-time code has.
    let src = "func f(p) {\n    x := 2.5\n    return x + p\n}\nfunc g(p) {\n    return p * 3000000000\n}\nfunc h(s) {\n    return s + \"x\"\n}\nprint(f(1.0), g(2), h(\"a\"))\n";
    let file = SourceFile::new("test.ruff", src);
    let program = ruff::compile(&file).expect("test program compiles");
    let ir = ruff::jit::dump_ir(&program).expect("IR");
    let body = |name: &str| {
        let start = ir
            .find(&format!("; function {name} "))
            .unwrap_or_else(|| panic!("{name} in {ir}"));
        let rest = &ir[start..];
        rest[..rest[1..].find("; function").map_or(rest.len(), |e| e + 1)].to_string()
    };
    assert!(body("f").contains("fadd"), "{ir}");
    assert!(body("g").contains("smul_overflow"), "{ir}");
    let h = body("h");
    assert!(!h.contains("fadd") && !h.contains("sadd_overflow"), "{h}");
}
