//! Unit tests of the range analysis on compiled functions.

use super::analyze;
use crate::bytecode::{Op, Proto};
use crate::jit::{int_types, liveness};
use crate::span::SourceFile;
use std::rc::Rc;

/// The first function of `src` (compiled) with the pcs of its `AddI` instructions.
fn function(src: &str) -> (Rc<Proto>, Vec<usize>) {
    let file = SourceFile::new("t.ruff", src);
    let program = crate::compile(&file).expect("compiles");
    let f = program.main.children[0].clone();
    let adds = f
        .code
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op, Op::AddI { .. }))
        .map(|(pc, _)| pc)
        .collect();
    (f, adds)
}

/// Whether register `reg` fits inline on entry to `pc` in the first function of `src`.
fn fits(src: &str, pick: impl Fn(&Proto, &[usize]) -> (usize, u16)) -> bool {
    let (f, adds) = function(src);
    let live = liveness::analyze(&f);
    let types = int_types::analyze(&f, &live, &[], &[], &[]);
    let ranges = analyze(&f, &types, &[]);
    let (pc, reg) = pick(&f, &adds);
    ranges.fits(pc, reg)
}

/// The register `AddI` number `k` reads.
fn add_operand(f: &Proto, adds: &[usize], k: usize) -> (usize, u16) {
    match f.code[adds[k]] {
        Op::AddI { a, .. } => (adds[k], a.0),
        _ => unreachable!(),
    }
}

#[test]
fn a_counter_below_a_constant_fits() {
    let src = "func f() {\n  mut i := 0\n  while i < 1000000 {\n    i += 1\n  }\n  return i\n}\n";
    assert!(fits(src, |f, a| add_operand(f, a, 0)));
}

#[test]
fn a_counter_below_a_parameter_does_not() {
    let src = "func f(n) {\n  mut i := 0\n  while i < n {\n    i += 1\n  }\n  return i\n}\n";
    assert!(!fits(src, |f, a| add_operand(f, a, 0)));
}

#[test]
fn a_counter_below_2_to_the_47_does_not_past_it() {
    let ok = "func f() {\n  mut i := 0\n  while i < 140737488355327 {\n    i += 1\n  }\n}\n";
    let big = "func f() {\n  mut i := 0\n  while i < 140737488355329 {\n    i += 1\n  }\n}\n";
    assert!(fits(ok, |f, a| add_operand(f, a, 0)));
    assert!(!fits(big, |f, a| add_operand(f, a, 0)));
}

#[test]
fn growing_sums_and_products_do_not_fit() {
    let sum = "func f(n) {\n  mut a := 0\n  mut b := 1\n  mut i := 0\n  while i < 90 {\n\
               let t := a + b\n    a = b\n    b = t\n    i += 1\n  }\n  return a\n}\n";
    // `i` fits; `a` (read by the `Move` into the result register at the end) does not.
    assert!(fits(sum, |f, a| add_operand(f, a, 0)));
    let (f, _) = function(sum);
    let live = liveness::analyze(&f);
    let types = int_types::analyze(&f, &live, &[], &[], &[]);
    let ranges = analyze(&f, &types, &[]);
    let ret = f.code.len() - 1;
    let Op::Return { src } = f.code[ret] else {
        unreachable!()
    };
    assert!(!ranges.fits(ret, src.0));
    let product = "func f() {\n  mut x := 1\n  mut i := 0\n  while i < 10 {\n    x = x * 2\n\
                   i += 1\n  }\n  return x\n}\n";
    let (f, _) = function(product);
    let live = liveness::analyze(&f);
    let types = int_types::analyze(&f, &live, &[], &[], &[]);
    let ranges = analyze(&f, &types, &[]);
    let ret = f.code.len() - 1;
    let Op::Return { src } = f.code[ret] else {
        unreachable!()
    };
    assert!(!ranges.fits(ret, src.0));
}

#[test]
fn a_remainder_by_a_small_constant_fits() {
    let src = "func f(x) {\n  let r := x % 1000\n  return r + 1\n}\n";
    // `x` is unknown (not even known to be an int): nothing is known of `r`.
    assert!(!fits(src, |f, a| add_operand(f, a, 0)));
    let src = "func f(x) {\n  mut k := 0\n  while k < x {\n    let r := (k * 7919) % 1000\n\
               k = r + 1\n  }\n  return k\n}\n";
    // `k` stays in 0..=1000, `k * 7919` is non-negative, so `r` is in 0..=999.
    assert!(fits(src, |f, a| add_operand(f, a, 0)));
}

#[test]
fn nothing_is_known_in_a_handler() {
    let src = "func f() {\n  mut i := 5\n  try {\n    i = 6\n    throw \"x\"\n  } except e {\n\
               i += 1\n  }\n  return i\n}\n";
    assert!(!fits(src, |f, a| add_operand(f, a, 0)));
}

#[test]
fn a_product_of_a_narrowed_counter_fits() {
    // `hash_map`'s first loop: `i` is narrowed by `i < 200000` in the body, so `i * 2`
    // fits, and so does `i + 1` at the back edge.
    let src = "func main() {\n    mut m := {}\n    mut i := 0\n    while i < 200000 {\n\
               m[i] = i * 2\n        i += 1\n    }\n    return m\n}\n";
    let (f, _) = function(src);
    let live = liveness::analyze(&f);
    let types = int_types::analyze(&f, &live, &[], &[], &[]);
    let ranges = analyze(&f, &types, &[]);
    let set = f
        .code
        .iter()
        .position(|op| matches!(op, Op::SetIndex { .. }))
        .expect("a SetIndex");
    let Op::SetIndex { key, src, .. } = f.code[set] else {
        unreachable!()
    };
    assert!(ranges.fits(set, key.0) && ranges.fits(set, src.0));
    let back = f.code.len() - 2;
    assert!(matches!(f.code[back], Op::Loop { .. }));
    assert!(ranges.fits(back, key.0));
}
