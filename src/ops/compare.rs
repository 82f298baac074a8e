//! Comparison operators: ordering (`< <= > >=`) on number pairs and string pairs, and
//! equality (`== !=`), which never fails and compares arrays and dicts deeply.

use super::arith::invalid_binary;
use super::{num, Num};
use crate::bytecode::CmpOp;
use crate::error::RtResult;
use crate::heap::{as_obj, ObjData};
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::HashSet;

/// `a op b`. `==`/`!=` use `equals` and never fail; ordering is defined for two numbers
/// (ints and floats compare by exact value, NaN is unordered so every ordering is false)
/// and two strings (bytewise); any other pair is `Invalid binary operation: array < int`.
#[inline]
pub fn compare(op: CmpOp, a: Value, b: Value) -> RtResult<bool> {
    match op {
        CmpOp::Eq => return Ok(equals(a, b)),
        CmpOp::Ne => return Ok(!equals(a, b)),
        _ => {}
    }
    if a.is_inline_int() && b.is_inline_int() {
        return Ok(holds(op, Some(a.as_inline_int().cmp(&b.as_inline_int()))));
    }
    if a.is_float() && b.is_float() {
        return Ok(holds(op, a.as_float().partial_cmp(&b.as_float())));
    }
    compare_slow(op, a, b)
}

/// A total order for sorting: numbers by value (ints and floats mixed, NaN after every
/// other number and equal to itself), strings bytewise. Any other pair is the `<` error
/// (`Invalid binary operation: array < int`). Being total, it is safe for `sort_by`.
pub fn order(a: Value, b: Value) -> RtResult<Ordering> {
    if a.is_inline_int() && b.is_inline_int() {
        return Ok(a.as_inline_int().cmp(&b.as_inline_int()));
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        let nan = |n: Num| matches!(n, Num::Float(f) if f.is_nan());
        return Ok(match (nan(x), nan(y)) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => num_cmp(x, y).unwrap_or(Ordering::Equal),
        });
    }
    let strs = (as_obj(a).map(|o| o.data()), as_obj(b).map(|o| o.data()));
    if let (Some(ObjData::Str(x)), Some(ObjData::Str(y))) = strs {
        return Ok(x.as_str().as_bytes().cmp(y.as_str().as_bytes()));
    }
    Err(invalid_binary("<", a, b))
}

#[inline(never)]
fn compare_slow(op: CmpOp, a: Value, b: Value) -> RtResult<bool> {
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(holds(op, num_cmp(x, y)));
    }
    let strs = (as_obj(a).map(|o| o.data()), as_obj(b).map(|o| o.data()));
    if let (Some(ObjData::Str(x)), Some(ObjData::Str(y))) = strs {
        return Ok(holds(
            op,
            Some(x.as_str().as_bytes().cmp(y.as_str().as_bytes())),
        ));
    }
    Err(invalid_binary(op.symbol(), a, b))
}

/// Whether the ordering `ord` satisfies `op`; `None` (unordered, NaN) satisfies only `!=`.
#[inline]
fn holds(op: CmpOp, ord: Option<Ordering>) -> bool {
    match ord {
        None => op == CmpOp::Ne,
        Some(o) => match op {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
        },
    }
}

/// The exact order of two numbers (no rounding of large ints to float); `None` for NaN.
pub(crate) fn num_cmp(x: Num, y: Num) -> Option<Ordering> {
    match (x, y) {
        (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
        (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
        (Num::Int(a), Num::Float(b)) => int_float_cmp(a, b),
        (Num::Float(a), Num::Int(b)) => int_float_cmp(b, a).map(Ordering::reverse),
    }
}

/// Compares an int with a float exactly.
fn int_float_cmp(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // 2^63 is exactly representable; every i64 is below it and at least -2^63.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    // In range and integral, so the conversion is exact.
    let ti = t as i64;
    Some(match i.cmp(&ti) {
        Ordering::Equal if f > t => Ordering::Less,
        Ordering::Equal if f < t => Ordering::Greater,
        o => o,
    })
}

/// `a == b`. Never fails. Different types are unequal except int/float, which are equal
/// when their values are (`1 == 1.0`); floats follow IEEE (`NaN != NaN`, `-0.0 == 0.0`);
/// strings compare by content; arrays element-wise and dicts by key set and values
/// (insertion order does not matter), deeply, with a container always equal to itself;
/// functions and error values by identity.
///
/// Deep comparison is iterative (no native recursion) and assumes equal any pair of
/// containers it is already comparing, so self-containing containers terminate.
#[inline]
pub fn equals(a: Value, b: Value) -> bool {
    if a.0 == b.0 {
        // Same bits: equal, except the canonical NaN.
        return !(a.is_float() && a.as_float().is_nan());
    }
    if a.is_float() && b.is_float() {
        return a.as_float() == b.as_float();
    }
    if a.is_inline_int() && b.is_inline_int() {
        return false;
    }
    equals_slow(a, b)
}

#[inline(never)]
fn equals_slow(a: Value, b: Value) -> bool {
    if is_container(a) && is_container(b) {
        return deep_equals(a, b);
    }
    equals_shallow(a, b)
}

fn is_container(v: Value) -> bool {
    matches!(
        as_obj(v).map(|o| o.data()),
        Some(ObjData::Array(_)) | Some(ObjData::Dict(_))
    )
}

/// Equality of two values that are not both containers.
fn equals_shallow(a: Value, b: Value) -> bool {
    if a.0 == b.0 {
        return !(a.is_float() && a.as_float().is_nan());
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return num_cmp(x, y) == Some(Ordering::Equal);
    }
    match (as_obj(a).map(|o| o.data()), as_obj(b).map(|o| o.data())) {
        (Some(ObjData::Str(x)), Some(ObjData::Str(y))) => {
            x.byte_len() == y.byte_len() && x.as_str() == y.as_str()
        }
        _ => false,
    }
}

/// Deep equality of two containers, with an explicit work list.
///
/// Pairs of containers are recorded (to stop on cycles) only after the first
/// `UNTRACKED_PAIRS`, so comparing small containers allocates nothing but the work list;
/// a cycle still terminates, a little later.
fn deep_equals(a: Value, b: Value) -> bool {
    const UNTRACKED_PAIRS: usize = 256;
    let mut work: Vec<(Value, Value)> = vec![(a, b)];
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut pairs = 0usize;
    let mut first_visit = |x: Value, y: Value| {
        pairs += 1;
        pairs <= UNTRACKED_PAIRS || seen.insert((x.0, y.0))
    };
    while let Some((x, y)) = work.pop() {
        if x.0 == y.0 && !x.is_float() {
            continue;
        }
        match (as_obj(x).map(|o| o.data()), as_obj(y).map(|o| o.data())) {
            (Some(ObjData::Array(p)), Some(ObjData::Array(q))) => {
                if p.len() != q.len() {
                    return false;
                }
                if !first_visit(x, y) {
                    continue;
                }
                work.extend(p.iter().copied().zip(q.iter().copied()).rev());
            }
            (Some(ObjData::Dict(p)), Some(ObjData::Dict(q))) => {
                if p.len() != q.len() {
                    return false;
                }
                if !first_visit(x, y) {
                    continue;
                }
                for (k, &v) in p.iter() {
                    match q.get(k) {
                        Some(&w) => work.push((v, w)),
                        None => return false,
                    }
                }
            }
            _ => {
                if !equals_shallow(x, y) {
                    return false;
                }
            }
        }
    }
    true
}
