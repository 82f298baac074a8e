//! Unit tests for operator semantics: int boundaries (inline/boxed, ±2^47, ±2^63),
//! floats (-0.0, NaN), strings, equality, indexing, and every error message.

use super::*;
use crate::bytecode::CmpOp;
use crate::error::{RtError, RtResult};
use crate::heap::{as_array_mut, as_dict_mut, as_int, as_str, DictKey, DictMap, ErrorObj};
use crate::span::Span;

const P47: i64 = 1 << 47;

fn msg<T: std::fmt::Debug>(r: RtResult<T>) -> String {
    match r {
        Err(RtError::Message(m)) => m,
        other => panic!("expected an error message, got {other:?}"),
    }
}

fn int(h: &mut Heap, i: i64) -> Value {
    h.int(i)
}

fn get_i(v: RtResult<Value>) -> i64 {
    as_int(v.expect("ok")).expect("an int")
}

fn get_f(v: RtResult<Value>) -> f64 {
    let v = v.expect("ok");
    assert!(v.is_float(), "{v:?}");
    v.as_float()
}

#[test]
fn int_add_sub_boundaries_inline_and_boxed() {
    let mut h = Heap::with_stress(false);
    let (a, b) = (int(&mut h, P47 - 1), int(&mut h, 1));
    assert!(a.is_inline_int());
    let r = add(&mut h, a, b).unwrap();
    assert!(r.is_obj(), "2^47 is boxed");
    assert_eq!(as_int(r), Some(P47));
    // Boxed + inline coming back into the inline range gives an inline int.
    let m1 = int(&mut h, -1);
    let back = add(&mut h, r, m1).unwrap();
    assert!(back.is_inline_int());
    assert_eq!(back.as_inline_int(), P47 - 1);
    let lo = int(&mut h, -P47);
    let r = sub(&mut h, lo, b).unwrap();
    assert_eq!(as_int(r), Some(-P47 - 1));
    assert!(r.is_obj());
    let max = int(&mut h, i64::MAX);
    let min = int(&mut h, i64::MIN);
    assert_eq!(
        msg(add(&mut h, max, b)),
        "Integer overflow: 9223372036854775807 + 1"
    );
    assert_eq!(
        msg(sub(&mut h, min, b)),
        "Integer overflow: -9223372036854775808 - 1"
    );
    assert_eq!(get_i(add(&mut h, max, min)), -1);
    assert_eq!(get_i(sub(&mut h, max, max)), 0);
    assert!(sub(&mut h, max, max).unwrap().is_inline_int());
}

#[test]
fn int_mul_div_rem() {
    let mut h = Heap::with_stress(false);
    let v = |h: &mut Heap, i| h.int(i);
    let (a, b) = (v(&mut h, P47 - 1), v(&mut h, P47 - 1));
    assert_eq!(
        msg(mul(&mut h, a, b)),
        format!("Integer overflow: {} * {}", P47 - 1, P47 - 1)
    );
    let (a, b) = (v(&mut h, 1 << 40), v(&mut h, 1 << 20));
    assert_eq!(get_i(mul(&mut h, a, b)), 1 << 60);
    let (a, b) = (v(&mut h, -7), v(&mut h, 2));
    assert_eq!(get_i(div(&mut h, a, b)), -3);
    let (a, b) = (v(&mut h, -7), v(&mut h, 3));
    assert_eq!(get_i(rem(&mut h, a, b)), -1);
    let (a, b) = (v(&mut h, 7), v(&mut h, -3));
    assert_eq!(get_i(rem(&mut h, a, b)), 1);
    let (a, z) = (v(&mut h, 5), v(&mut h, 0));
    assert_eq!(msg(div(&mut h, a, z)), "Division by zero");
    assert_eq!(msg(rem(&mut h, a, z)), "Modulo by zero");
    let (min, m1) = (v(&mut h, i64::MIN), v(&mut h, -1));
    assert_eq!(
        msg(div(&mut h, min, m1)),
        "Integer overflow: -9223372036854775808 / -1"
    );
    assert_eq!(get_i(rem(&mut h, min, m1)), 0);
    assert_eq!(
        msg(mul(&mut h, min, m1)),
        "Integer overflow: -9223372036854775808 * -1"
    );
    // -2^47 / -1 leaves the inline range and is boxed.
    let lo = v(&mut h, -P47);
    let r = div(&mut h, lo, m1).unwrap();
    assert!(r.is_obj());
    assert_eq!(as_int(r), Some(P47));
    let big = v(&mut h, i64::MAX);
    let two = v(&mut h, 2);
    assert_eq!(get_i(div(&mut h, big, two)), i64::MAX / 2);
    assert_eq!(get_i(rem(&mut h, big, two)), 1);
    assert_eq!(msg(div(&mut h, big, z)), "Division by zero");
}

#[test]
fn neg_boundaries() {
    let mut h = Heap::with_stress(false);
    let lo = h.int(-P47);
    let r = neg(&mut h, lo).unwrap();
    assert_eq!(as_int(r), Some(P47));
    assert!(r.is_obj());
    let max = h.int(i64::MAX);
    assert_eq!(get_i(neg(&mut h, max)), -i64::MAX);
    let min = h.int(i64::MIN);
    assert_eq!(
        msg(neg(&mut h, min)),
        "Integer overflow: -(-9223372036854775808)"
    );
    let r = neg(&mut h, Value::float(0.0)).unwrap();
    assert!(r.as_float().is_sign_negative());
    let s = h.str("x");
    assert_eq!(msg(neg(&mut h, s)), "Invalid unary operation: -string");
    assert_eq!(
        msg(neg(&mut h, Value::NULL)),
        "Invalid unary operation: -null"
    );
}

#[test]
fn floats_and_mixed() {
    let mut h = Heap::with_stress(false);
    let one = h.int(1);
    let half = Value::float(0.5);
    assert_eq!(get_f(add(&mut h, one, half)), 1.5);
    assert_eq!(get_f(sub(&mut h, half, one)), -0.5);
    assert_eq!(get_f(mul(&mut h, one, half)), 0.5);
    assert_eq!(get_f(div(&mut h, one, Value::float(4.0))), 0.25);
    assert_eq!(
        get_f(rem(&mut h, Value::float(-7.5), Value::float(2.0))),
        -1.5
    );
    assert_eq!(msg(div(&mut h, one, Value::float(0.0))), "Division by zero");
    assert_eq!(
        msg(div(&mut h, one, Value::float(-0.0))),
        "Division by zero"
    );
    let z = h.int(0);
    assert_eq!(msg(div(&mut h, half, z)), "Division by zero");
    assert_eq!(msg(rem(&mut h, half, Value::float(0.0))), "Modulo by zero");
    let big = h.int(i64::MAX);
    assert_eq!(
        get_f(add(&mut h, big, Value::float(0.0))),
        9.223372036854776e18
    );
    let inf = Value::float(f64::INFINITY);
    let r = sub(&mut h, inf, inf).unwrap();
    assert!(r.is_float() && r.as_float().is_nan());
    assert_eq!(r.0, crate::value::CANONICAL_NAN);
}

#[test]
fn string_concat_and_type_errors() {
    let mut h = Heap::with_stress(false);
    let a = h.str("ab");
    let b = h.str("cd");
    let ab = add(&mut h, a, b).unwrap();
    assert_eq!(as_str(ab), Some("abcd"));
    // The old view is unchanged after an in-place append.
    let c = h.str("!");
    let abc = add(&mut h, ab, c).unwrap();
    let abx = add(&mut h, ab, b).unwrap();
    assert_eq!(as_str(ab), Some("abcd"));
    assert_eq!(as_str(abc), Some("abcd!"));
    assert_eq!(as_str(abx), Some("abcdcd"));
    let self_cat = add(&mut h, abx, abx).unwrap();
    assert_eq!(as_str(self_cat), Some("abcdcdabcdcd"));
    let one = h.int(1);
    assert_eq!(
        msg(add(&mut h, a, one)),
        "Invalid binary operation: string + int"
    );
    assert_eq!(
        msg(sub(&mut h, a, b)),
        "Invalid binary operation: string - string"
    );
    let arr = h.array(vec![]);
    assert_eq!(
        msg(mul(&mut h, arr, Value::TRUE)),
        "Invalid binary operation: array * bool"
    );
    assert_eq!(
        msg(div(&mut h, Value::NULL, one)),
        "Invalid binary operation: null / int"
    );
    assert_eq!(
        msg(rem(&mut h, one, Value::float(1.0))
            .map(|_| ())
            .and(rem(&mut h, one, a))),
        "Invalid binary operation: int % string"
    );
}

#[test]
fn ordering() {
    let mut h = Heap::with_stress(false);
    let one = h.int(1);
    let two = h.int(2);
    assert!(compare(CmpOp::Lt, one, two).unwrap());
    assert!(compare(CmpOp::Le, two, two).unwrap());
    assert!(!compare(CmpOp::Gt, one, two).unwrap());
    assert!(compare(CmpOp::Ge, two, Value::float(1.5)).unwrap());
    let max = h.int(i64::MAX);
    // 2^63 as a float is above every i64, even though i64::MAX rounds to it.
    let f63 = Value::float(9_223_372_036_854_775_808.0);
    assert!(compare(CmpOp::Lt, max, f63).unwrap());
    assert!(!equals(max, f63));
    let boxed = h.int(P47 + 5);
    assert!(compare(CmpOp::Gt, boxed, one).unwrap());
    assert!(compare(CmpOp::Lt, Value::float(2.5), h.int(3)).unwrap());
    let nan = Value::float(f64::NAN);
    for op in [CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq] {
        assert!(!compare(op, nan, one).unwrap());
        assert!(!compare(op, nan, nan).unwrap());
    }
    assert!(compare(CmpOp::Ne, nan, nan).unwrap());
    let a = h.str("apple");
    let b = h.str("banana");
    let e = h.str("é");
    assert!(compare(CmpOp::Lt, a, b).unwrap());
    assert!(compare(CmpOp::Gt, e, b).unwrap());
    let arr = h.array(vec![]);
    assert_eq!(
        msg(compare(CmpOp::Lt, arr, one)),
        "Invalid binary operation: array < int"
    );
    assert_eq!(
        msg(compare(CmpOp::Ge, a, one)),
        "Invalid binary operation: string >= int"
    );
    assert!(!compare(CmpOp::Eq, arr, one).unwrap());
}

#[test]
fn equality() {
    let mut h = Heap::with_stress(false);
    let one = h.int(1);
    assert!(equals(one, Value::float(1.0)));
    assert!(equals(Value::float(-0.0), Value::float(0.0)));
    assert!(!equals(Value::float(f64::NAN), Value::float(f64::NAN)));
    let b1 = h.int(i64::MAX);
    let b2 = h.int(i64::MAX);
    assert_ne!(b1.0, b2.0);
    assert!(equals(b1, b2));
    assert!(!equals(one, Value::TRUE));
    assert!(!equals(Value::NULL, Value::FALSE));
    let s1 = h.str("x");
    let s2 = h.str("x");
    assert!(equals(s1, s2));
    let a1 = h.array(vec![one, s1, Value::float(2.0)]);
    let two = h.int(2);
    let a2 = h.array(vec![Value::float(1.0), s2, two]);
    assert!(equals(a1, a2));
    let a3 = h.array(vec![one, s1]);
    assert!(!equals(a1, a3));
    // Dicts: same entries in another order are equal.
    let k1 = DictKey::new(s1).unwrap();
    let k2 = DictKey::new(two).unwrap();
    let mut m1 = DictMap::default();
    m1.insert(k1, a1);
    m1.insert(k2, Value::NULL);
    let mut m2 = DictMap::default();
    m2.insert(k2, Value::NULL);
    m2.insert(DictKey::new(s2).unwrap(), a2);
    let d1 = h.dict(m1);
    let d2 = h.dict(m2);
    assert!(equals(d1, d2));
    assert!(!equals(d1, a1));
    let nan_arr = h.array(vec![Value::float(f64::NAN)]);
    let nan_arr2 = h.array(vec![Value::float(f64::NAN)]);
    assert!(!equals(nan_arr, nan_arr2));
    assert!(equals(nan_arr, nan_arr), "a container is equal to itself");
    let f = Value::builtin(crate::bytecode::Builtin::Len);
    assert!(equals(f, f));
    assert!(!equals(f, Value::builtin(crate::bytecode::Builtin::Type)));
}

#[test]
fn equality_cycles_and_depth() {
    let mut h = Heap::with_stress(false);
    let one = h.int(1);
    let a = h.array(vec![one]);
    let b = h.array(vec![one]);
    // SAFETY: no other reference to these payloads is live.
    unsafe {
        as_array_mut(a).unwrap().push(a);
        as_array_mut(b).unwrap().push(b);
    }
    assert!(equals(a, b));
    let two = h.int(2);
    let c = h.array(vec![two]);
    // SAFETY: as above.
    unsafe { as_array_mut(c).unwrap().push(c) };
    assert!(!equals(a, c));
    let key = h.str("me");
    let d1 = h.dict(DictMap::default());
    let d2 = h.dict(DictMap::default());
    // SAFETY: as above.
    unsafe {
        as_dict_mut(d1)
            .unwrap()
            .insert(DictKey::new(key).unwrap(), d1);
        as_dict_mut(d2)
            .unwrap()
            .insert(DictKey::new(key).unwrap(), d2);
    }
    assert!(equals(d1, d2));
    let mut x = h.array(vec![]);
    let mut y = h.array(vec![]);
    for _ in 0..200_000 {
        x = h.array(vec![x]);
        y = h.array(vec![y]);
    }
    assert!(equals(x, y));
}

#[test]
fn truthiness() {
    let mut h = Heap::with_stress(false);
    let empty_s = h.str("");
    let s = h.str("a");
    let empty_a = h.array(vec![]);
    let a = h.array(vec![Value::NULL]);
    let empty_d = h.dict(DictMap::default());
    for v in [
        Value::FALSE,
        Value::NULL,
        h.int(0),
        Value::float(0.0),
        Value::float(-0.0),
        empty_s,
        empty_a,
        empty_d,
    ] {
        assert!(!truthy(v), "{v:?}");
        assert_eq!(not(v), Value::TRUE);
    }
    for v in [
        Value::TRUE,
        h.int(-1),
        h.int(i64::MIN),
        Value::float(f64::NAN),
        s,
        a,
        Value::builtin(crate::bytecode::Builtin::Len),
    ] {
        assert!(truthy(v), "{v:?}");
        assert_eq!(not(v), Value::FALSE);
    }
}

#[test]
fn array_and_string_indexing() {
    let mut h = Heap::with_stress(false);
    let items: Vec<Value> = (10..15).map(|i| h.int(i)).collect();
    let arr = h.array(items);
    let i = |h: &mut Heap, n| h.int(n);
    let k = i(&mut h, 0);
    assert_eq!(get_i(get_index(&mut h, arr, k)), 10);
    let k = i(&mut h, -1);
    assert_eq!(get_i(get_index(&mut h, arr, k)), 14);
    let k = i(&mut h, 5);
    assert_eq!(msg(get_index(&mut h, arr, k)), "Index out of bounds: 5");
    let k = i(&mut h, -6);
    assert_eq!(msg(get_index(&mut h, arr, k)), "Index out of bounds: -6");
    let k = i(&mut h, i64::MIN);
    assert_eq!(
        msg(get_index(&mut h, arr, k)),
        "Index out of bounds: -9223372036854775808"
    );
    let s = h.str("x");
    assert_eq!(
        msg(get_index(&mut h, arr, s)),
        "Cannot index array with string"
    );
    let k = i(&mut h, -2);
    let v = i(&mut h, 99);
    set_index(&mut h, arr, k, v).unwrap();
    let k = i(&mut h, 3);
    assert_eq!(get_i(get_index(&mut h, arr, k)), 99);
    let k = i(&mut h, 7);
    assert_eq!(msg(set_index(&mut h, arr, k, v)), "Index out of bounds: 7");

    let st = h.str("a😀b");
    let k = i(&mut h, 1);
    assert_eq!(as_str(get_index(&mut h, st, k).unwrap()), Some("😀"));
    let k = i(&mut h, -1);
    assert_eq!(as_str(get_index(&mut h, st, k).unwrap()), Some("b"));
    let k = i(&mut h, 3);
    assert_eq!(msg(get_index(&mut h, st, k)), "Index out of bounds: 3");
    let ascii = h.str("hello");
    let k = i(&mut h, 4);
    assert_eq!(as_str(get_index(&mut h, ascii, k).unwrap()), Some("o"));
    assert_eq!(
        msg(get_index(&mut h, ascii, Value::float(1.0))),
        "Cannot index string with float"
    );
    let k = i(&mut h, 0);
    assert_eq!(msg(set_index(&mut h, ascii, k, s)), "Strings are immutable");
    assert_eq!(msg(get_index(&mut h, k, k)), "Cannot index int");
    assert_eq!(msg(get_index(&mut h, Value::NULL, k)), "Cannot index null");
    assert_eq!(
        msg(set_index(&mut h, Value::TRUE, k, k)),
        "Cannot assign to an index of bool"
    );
}

#[test]
fn dict_indexing_and_fields() {
    let mut h = Heap::with_stress(false);
    let d = h.dict(DictMap::default());
    let name = h.str("name");
    let v = h.str("ruff");
    set_index(&mut h, d, name, v).unwrap();
    let one = h.int(1);
    let big = h.int(i64::MAX);
    set_index(&mut h, d, one, big).unwrap();
    let name2 = h.str("name");
    assert_eq!(as_str(get_index(&mut h, d, name2).unwrap()), Some("ruff"));
    assert_eq!(as_str(get_field(&mut h, d, name2).unwrap()), Some("ruff"));
    let one_f = h.int(1);
    assert_eq!(get_i(get_index(&mut h, d, one_f)), i64::MAX);
    let zz = h.str("z\"z");
    assert_eq!(msg(get_index(&mut h, d, zz)), "Missing key: \"z\\\"z\"");
    assert_eq!(msg(get_field(&mut h, d, zz)), "Missing key: \"z\\\"z\"");
    let two = h.int(2);
    assert_eq!(msg(get_index(&mut h, d, two)), "Missing key: 2");
    assert_eq!(
        msg(get_index(&mut h, d, Value::float(1.0))),
        "Invalid dict key type: float"
    );
    assert_eq!(
        msg(set_index(&mut h, d, Value::NULL, one)),
        "Invalid dict key type: null"
    );
    set_field(&mut h, d, name, one).unwrap();
    assert_eq!(get_i(get_field(&mut h, d, name2)), 1);
    assert_eq!(
        msg(get_field(&mut h, one, name)),
        "Cannot read field name of int"
    );
    assert_eq!(
        msg(set_field(&mut h, one, name, one)),
        "Cannot set field name of int"
    );
}

#[test]
fn error_fields() {
    let mut h = Heap::with_stress(false);
    let m = h.str("boom");
    let e = h.alloc(crate::heap::ObjData::Error(Box::new(ErrorObj {
        message: m,
        value: Value::TRUE,
        line: 7,
        stack: Value::NULL,
        span: Span::default(),
        trace: Vec::new(),
    })));
    let f = |h: &mut Heap, n: &str| {
        let n = h.str(n);
        get_field(h, e, n)
    };
    assert_eq!(as_str(f(&mut h, "message").unwrap()), Some("boom"));
    assert_eq!(f(&mut h, "value").unwrap(), Value::TRUE);
    assert_eq!(get_i(f(&mut h, "line")), 7);
    let st = f(&mut h, "stack").unwrap();
    assert_eq!(crate::heap::as_array(st).map(|a| a.len()), Some(0));
    assert_eq!(msg(f(&mut h, "nope")), "Error has no field nope");
    let n = h.str("message");
    assert_eq!(
        msg(set_field(&mut h, e, n, n)),
        "Cannot set field message of error"
    );
    assert_eq!(crate::format::display(e), "Error: boom");
}

#[test]
fn interpolation() {
    let mut h = Heap::with_stress(false);
    let a = h.str("x = ");
    let s = h.str("s");
    let arr = h.array(vec![s, Value::float(1.0)]);
    let three = h.int(3);
    let r = concat_display(&mut h, &[a, three, Value::NULL, arr]);
    assert_eq!(as_str(r), Some("x = 3null[\"s\", 1.0]"));
}

#[test]
fn total_order_for_sorting() {
    use std::cmp::Ordering::*;
    let mut h = Heap::with_stress(false);
    let one = h.int(1);
    let big = h.int(i64::MAX);
    let nan = Value::float(f64::NAN);
    assert_eq!(order(one, big).unwrap(), Less);
    assert_eq!(order(Value::float(1.0), one).unwrap(), Equal);
    assert_eq!(order(nan, big).unwrap(), Greater);
    assert_eq!(order(one, nan).unwrap(), Less);
    assert_eq!(order(nan, nan).unwrap(), Equal);
    let (a, b) = (h.str("a"), h.str("b"));
    assert_eq!(order(b, a).unwrap(), Greater);
    assert_eq!(msg(order(a, one)), "Invalid binary operation: string < int");
    let mut xs = vec![Value::float(2.5), nan, one, big, Value::float(-0.5)];
    xs.sort_by(|x, y| order(*x, *y).unwrap());
    assert_eq!(
        crate::format::display(h.array(xs)),
        "[-0.5, 1, 2.5, 9223372036854775807, NaN]"
    );
}

/// Values near the interesting boundaries, so random tests hit them often.
fn edge_int(seed: i64) -> i64 {
    const EDGES: [i64; 10] = [
        0,
        1,
        -1,
        P47 - 1,
        -P47,
        P47,
        -P47 - 1,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
    ];
    match seed.rem_euclid(4) {
        0 => EDGES[(seed / 4).rem_euclid(EDGES.len() as i64) as usize],
        1 => EDGES[(seed / 4).rem_euclid(EDGES.len() as i64) as usize].wrapping_add(seed >> 60),
        _ => seed,
    }
}

quickcheck::quickcheck! {
    fn prop_int_arith_matches_checked(x: i64, y: i64) -> bool {
        let (x, y) = (edge_int(x), edge_int(y));
        let mut h = Heap::with_stress(false);
        let (a, b) = (h.int(x), h.int(y));
        let check = |r: RtResult<Value>, want: Option<i64>| match (r, want) {
            (Ok(v), Some(w)) => {
                as_int(v) == Some(w) && (v.is_inline_int() == Value::inline_int(w).is_some())
            }
            (Err(_), None) => true,
            _ => false,
        };
        check(add(&mut h, a, b), x.checked_add(y))
            && check(sub(&mut h, a, b), x.checked_sub(y))
            && check(mul(&mut h, a, b), x.checked_mul(y))
            && check(div(&mut h, a, b), x.checked_div(y))
            && check(rem(&mut h, a, b), if y == 0 { None } else { Some(x.wrapping_rem(y)) })
            && check(neg(&mut h, a), x.checked_neg())
    }

    fn prop_int_compare_matches_i64(x: i64, y: i64) -> bool {
        let (x, y) = (edge_int(x), edge_int(y));
        let mut h = Heap::with_stress(false);
        let (a, b) = (h.int(x), h.int(y));
        compare(CmpOp::Lt, a, b).unwrap() == (x < y)
            && compare(CmpOp::Ge, a, b).unwrap() == (x >= y)
            && equals(a, b) == (x == y)
            && order(a, b).unwrap() == x.cmp(&y)
    }

    fn prop_int_float_compare_is_exact(x: i64, f: f64) -> bool {
        let x = edge_int(x);
        let mut h = Heap::with_stress(false);
        let a = h.int(x);
        let b = Value::float(f);
        // Exact reference: compare in i128 / f64 without rounding the int.
        let want = if f.is_nan() {
            None
        } else if f >= 9.3e18 {
            Some(std::cmp::Ordering::Less)
        } else if f <= -9.3e18 {
            Some(std::cmp::Ordering::Greater)
        } else {
            let t = f.trunc() as i128;
            Some((x as i128).cmp(&t).then(if f > f.trunc() {
                std::cmp::Ordering::Less
            } else if f < f.trunc() {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }))
        };
        compare(CmpOp::Lt, a, b).unwrap() == (want == Some(std::cmp::Ordering::Less))
            && equals(a, b) == (want == Some(std::cmp::Ordering::Equal))
            && compare(CmpOp::Gt, b, a).unwrap() == (want == Some(std::cmp::Ordering::Less))
    }

    fn prop_float_display_round_trips(f: f64) -> bool {
        let s = crate::format::display(Value::float(f));
        if f.is_nan() {
            return s == "NaN";
        }
        let back: f64 = match s.as_str() {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            t => t.parse().unwrap_or(f64::NAN),
        };
        back.to_bits() == f.to_bits() && (s.contains('.') || s.contains('e') || s.contains("inf"))
    }
}
