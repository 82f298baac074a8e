//! Parser unit tests: spans, literal edge cases, limits, and robustness against
//! random bytes, truncated programs and deep nesting.

use super::parse;
use crate::ast::{Else, ExprKind, InterpPart, Program, StmtKind};
use crate::diag::Diagnostic;
use crate::span::Span;

fn ok<'a>(arena: &'a bumpalo::Bump, src: &'a str) -> Program<'a> {
    match parse(arena, src) {
        Ok(p) => p,
        Err(d) => panic!("unexpected errors for {src:?}: {d:?}"),
    }
}

fn errs(src: &str) -> Vec<Diagnostic> {
    let arena = bumpalo::Bump::new();
    match parse(&arena, src) {
        Ok(_) => panic!("expected errors for {src:?}"),
        Err(d) => d,
    }
}

#[test]
fn statement_and_expression_spans() {
    let arena = bumpalo::Bump::new();
    let src = "x := 1\nlet y := (a + bb) * 2\n";
    let p = ok(&arena, src);
    assert_eq!(p.body.stmts.len(), 2);
    let s = &p.body.stmts[1];
    assert_eq!(s.span, Span::new(7, 28, 2, 1));
    let StmtKind::Decl { name, value, .. } = s.kind else {
        panic!("decl expected");
    };
    assert_eq!(name.span, Span::new(11, 12, 2, 5));
    // The parentheses belong to the left operand's span.
    assert_eq!(value.span, Span::new(16, 28, 2, 10));
    let ExprKind::Binary { lhs, rhs, .. } = value.kind else {
        panic!("binary expected");
    };
    assert_eq!(lhs.span, Span::new(16, 24, 2, 10));
    assert_eq!(rhs.span, Span::new(27, 28, 2, 21));
    assert_eq!(p.body.span, Span::new(0, src.len() as u32, 1, 1));
}

#[test]
fn interpolation_spans_are_file_relative() {
    let arena = bumpalo::Bump::new();
    let src = "s := \"é ${a + 1} ${f(b)}\"";
    let p = ok(&arena, src);
    let StmtKind::Assign { value, .. } = p.body.stmts[0].kind else {
        panic!("assign expected");
    };
    assert_eq!(value.span.start, 5);
    assert_eq!(value.span.end, src.len() as u32);
    let ExprKind::Interp(parts) = value.kind else {
        panic!("interp expected");
    };
    assert_eq!(parts.len(), 4);
    let InterpPart::Expr(e) = parts[1] else {
        panic!("expr part expected");
    };
    // `a + 1` starts after `s := "é ${`: byte 11 (é is 2 bytes), character column 11.
    assert_eq!(e.span, Span::new(11, 16, 1, 11));
    assert!(matches!(parts[0], InterpPart::Lit("é ")));
    assert!(matches!(parts[2], InterpPart::Lit(" ")));
}

#[test]
fn block_func_and_if_spans() {
    let arena = bumpalo::Bump::new();
    let src = "func f(a) {\n  return a\n}\nif x { } else if y { } else { z() }";
    let p = ok(&arena, src);
    let StmtKind::Func(f) = p.body.stmts[0].kind else {
        panic!("func expected");
    };
    assert_eq!(f.span, Span::new(0, 24, 1, 1));
    assert_eq!(f.body.span, Span::new(10, 24, 1, 11));
    assert_eq!(f.params[0].span, Span::new(7, 8, 1, 8));
    let s = &p.body.stmts[1];
    assert_eq!(s.span.start, 25);
    assert_eq!(s.span.end, src.len() as u32);
    let StmtKind::If {
        else_: Some(Else::If(inner)),
        ..
    } = s.kind
    else {
        panic!("else-if expected");
    };
    assert_eq!(inner.span.start, 39);
    assert_eq!(inner.span.end, src.len() as u32);
    assert!(matches!(
        inner.kind,
        StmtKind::If {
            else_: Some(Else::Block(_)),
            ..
        }
    ));
}

#[test]
fn int_extremes() {
    let arena = bumpalo::Bump::new();
    let p = ok(
        &arena,
        "a := -9223372036854775808\nb := 9223372036854775807\nc := 0x7fff_ffff_ffff_ffff",
    );
    let vals: Vec<ExprKind> = p
        .body
        .stmts
        .iter()
        .map(|s| match s.kind {
            StmtKind::Assign { value, .. } => value.kind,
            _ => panic!("assign expected"),
        })
        .collect();
    assert!(matches!(vals[0], ExprKind::Int(i64::MIN)));
    assert!(matches!(vals[1], ExprKind::Int(i64::MAX)));
    assert!(matches!(vals[2], ExprKind::Int(i64::MAX)));
    assert_eq!(
        errs("x := 9223372036854775808")[0].message,
        "integer literal out of range"
    );
    assert_eq!(
        errs("x := -9223372036854775808[0]")[0].message,
        "integer literal out of range"
    );
}

#[test]
fn oversized_source_is_refused() {
    let big = "x".repeat(crate::MAX_SOURCE_BYTES + 1);
    let d = errs(&big);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "source file is larger than 16 MiB");
    assert_eq!((d[0].span.line, d[0].span.col), (1, 1));
}

#[test]
fn errors_come_in_source_order() {
    let d = errs("a := [1 2]\nb := \"x\ny := 1 2\n");
    let lines: Vec<u32> = d.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![1, 2, 3]);
}

const STACK: usize = 1 << 20;

/// Runs `f` on a thread with a small stack, so that a missing depth check shows up as
/// a stack overflow here rather than only on unusual inputs in the field.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("parser must not panic or overflow");
}

fn first_error(src: &str) -> String {
    let arena = bumpalo::Bump::new();
    match parse(&arena, src) {
        Ok(_) => String::new(),
        Err(d) => d[0].message.clone(),
    }
}

/// Whether parsing `src` reports `message` among its errors.
fn reports(src: &str, message: &str) -> bool {
    let arena = bumpalo::Bump::new();
    match parse(&arena, src) {
        Ok(_) => false,
        Err(d) => d.iter().any(|d| d.message == message),
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    on_small_stack(|| {
        let n = 100_000;
        let cases = [
            format!("x := {}1{}", "(".repeat(n), ")".repeat(n)),
            format!("x := {}1", "[".repeat(n)),
            format!("x := {}", "{a: ".repeat(n)),
            format!("x := {}1", "-".repeat(n)),
            format!("x := {}1", "!".repeat(n)),
            format!("x := {}", "f(".repeat(n)),
            format!("x := {}", "a[".repeat(n)),
            format!("x := {}", "\"${".repeat(n)),
            // Every precedence level between each pair of parentheses.
            format!(
                "x := {}",
                "a |> b ?? c || d && e == f < g + h * -(".repeat(n / 10)
            ),
            format!("x := {}", "f(func() { return ".repeat(n / 10)),
        ];
        for src in &cases {
            assert!(
                reports(src, "expression nesting too deep (limit 256)"),
                "{}",
                &src[..40]
            );
        }
        let blocks = [
            "if x {\n".repeat(n),
            "while x {\n".repeat(n),
            "loop {\n".repeat(n),
            "func f() {\n".repeat(n),
            "try {\n".repeat(n),
        ];
        for src in &blocks {
            assert!(reports(src, "block nesting too deep (limit 128)"));
        }
    });
}

#[test]
fn nesting_up_to_the_limits_is_fine() {
    on_small_stack(|| {
        let src = format!("x := {}1{}", "(".repeat(255), ")".repeat(255));
        assert_eq!(first_error(&src), "");
        let src = format!("{}{}", "if x {\n".repeat(128), "}\n".repeat(128));
        assert_eq!(first_error(&src), "");
    });
}

#[test]
fn long_flat_programs_do_not_recurse() {
    on_small_stack(|| {
        let n = 50_000;
        let chain = format!("x := 1{}", " + 1".repeat(n));
        assert_eq!(first_error(&chain), "");
        let postfix = format!("x := a{}", "[0].f(1)".repeat(n));
        assert_eq!(first_error(&postfix), "");
        let elifs = format!("if a {{ }}{} else {{ }}", " else if b { }".repeat(n));
        assert_eq!(first_error(&elifs), "");
        let stmts = "x := 1\n".repeat(n);
        assert_eq!(first_error(&stmts), "");
    });
}

/// A xorshift64 generator: deterministic pseudo-random numbers with no extra crates.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

const SAMPLE: &str = r#"// A program touching every construct.
let limit := 10
mut total := 0x10 + 1_000
const NAME := "ruff \u{1F600} ${limit * 2} \$ \t"
func fib(n) {
  if n < 2 { return n } else if n == 2 { return 1 } else { return fib(n - 1) + fib(n - 2) }
}
/* block
   comment */
nums := [1, 2.5, 3e2, -9223372036854775808]
d := {"k": 1, name: [true, false, null], 3: func(a, b) { return a ?? b }}
for x in nums { total += x; if x > 2 { break } else { continue } }
while total > 0 &&
  limit > 0 {
  total -= 1
}
loop { break }
try { throw("e") } except err { print("caught ${err}") }
d.name[0] = !d["k"] |> print
return
"#;

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    // Bytes biased towards the language's own characters, so that the random input
    // reaches deep into the parser rather than stopping at the first character.
    let alphabet: Vec<u8> = b"(){}[]\"$\\:=+-*/%<>!|&?.,;#\n \tabcxyz0129_eufi".to_vec();
    for i in 0..2000 {
        let len = (rng.next() % 200) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = rng.next();
                if i % 2 == 0 {
                    r as u8
                } else {
                    alphabet[(r % alphabet.len() as u64) as usize]
                }
            })
            .collect();
        let src = String::from_utf8_lossy(&bytes);
        let arena = bumpalo::Bump::new();
        let _ = parse(&arena, &src);
    }
}

#[test]
fn sample_parses_and_truncations_never_panic() {
    let arena = bumpalo::Bump::new();
    ok(&arena, SAMPLE);
    for (i, _) in SAMPLE.char_indices() {
        let arena = bumpalo::Bump::new();
        let _ = parse(&arena, &SAMPLE[..i]);
    }
}

#[test]
fn random_token_soup_never_panics() {
    let words = [
        "let", "mut", "const", "func", "return", "if", "else", "while", "loop", "for", "in",
        "break", "continue", "try", "except", "throw", "true", "null", "x", "f", "1", "2.5", "0x",
        "1e", "\"s ${", "}\"", "\"", "\\q", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", ":=",
        "=", "+=", "+", "-", "*", "|>", "??", "&&", "!", "\n", "/*", "*/", "#",
    ];
    let mut rng = XorShift(42);
    for _ in 0..2000 {
        let n = (rng.next() % 60) as usize;
        let mut src = String::new();
        for _ in 0..n {
            src.push_str(words[(rng.next() % words.len() as u64) as usize]);
            src.push(' ');
        }
        let arena = bumpalo::Bump::new();
        let _ = parse(&arena, &src);
    }
}

#[test]
fn error_count_is_bounded_on_large_garbage() {
    let garbage = "@ ) } x 1 2\n".repeat(200_000);
    let d = errs(&garbage);
    assert!(d.len() <= super::MAX_ERRORS, "{} errors", d.len());
    let parens = "(".repeat(4 << 20);
    assert_eq!(
        errs(&parens)[0].message,
        "expression nesting too deep (limit 256)"
    );
}
