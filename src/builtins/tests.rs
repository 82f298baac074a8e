//! Unit tests for every builtin implemented here, including their error messages.

use super::call;
use crate::bytecode::Builtin as B;
use crate::error::{RtError, RtResult};
use crate::format::repr;
use crate::heap::{as_array, as_error, DictKey, DictMap, Heap};
use crate::value::Value;

/// A tiny test harness: a heap and shorthand constructors.
struct T {
    h: Heap,
}

impl T {
    fn new() -> T {
        T {
            h: Heap::with_stress(false),
        }
    }
    fn i(&mut self, i: i64) -> Value {
        self.h.int(i)
    }
    fn s(&mut self, s: &str) -> Value {
        self.h.str(s)
    }
    fn f(&self, f: f64) -> Value {
        Value::float(f)
    }
    fn arr(&mut self, items: &[i64]) -> Value {
        let v: Vec<Value> = items.iter().map(|&i| self.h.int(i)).collect();
        self.h.array(v)
    }
    fn dict(&mut self, entries: &[(&str, i64)]) -> Value {
        let mut m = DictMap::default();
        for &(k, v) in entries {
            let k = self.h.str(k);
            let v = self.h.int(v);
            m.insert(DictKey::new(k).unwrap(), v);
        }
        self.h.dict(m)
    }
    /// Calls `b` and returns the repr of the result.
    fn ok(&mut self, b: B, args: &[Value]) -> String {
        match call(&mut self.h, b, args) {
            Ok(v) => repr(v),
            Err(e) => panic!("{} failed: {e:?}", b.name()),
        }
    }
    /// Calls `b` and returns its error message.
    fn err(&mut self, b: B, args: &[Value]) -> String {
        msg(call(&mut self.h, b, args))
    }
}

fn msg(r: RtResult<Value>) -> String {
    match r {
        Err(RtError::Message(m)) => m,
        Ok(v) => panic!("expected an error, got {}", repr(v)),
        Err(e) => panic!("expected a message, got {e:?}"),
    }
}

#[test]
fn vm_builtins_are_refused() {
    let mut t = T::new();
    for b in [
        B::Print,
        B::Eprint,
        B::Map,
        B::Filter,
        B::Reduce,
        B::Sort,
        B::Exit,
        B::Input,
        B::Args,
    ] {
        assert_eq!(t.err(b, &[]), "builtin handled by the VM");
    }
}

#[test]
fn len_and_type() {
    let mut t = T::new();
    let s = t.s("a😀b");
    let a = t.arr(&[1, 2]);
    let d = t.dict(&[("k", 1)]);
    assert_eq!(t.ok(B::Len, &[s]), "3");
    assert_eq!(t.ok(B::Len, &[a]), "2");
    assert_eq!(t.ok(B::Len, &[d]), "1");
    let one = t.i(1);
    assert_eq!(
        t.err(B::Len, &[one]),
        "len: argument 1 must be string, array or dict, got int"
    );
    assert_eq!(t.err(B::Len, &[s, s]), "len expects 1 argument, got 2");
    assert_eq!(t.err(B::Len, &[]), "len expects 1 argument, got 0");
    let big = t.i(i64::MAX);
    let cases = [
        (one, "int"),
        (big, "int"),
        (t.f(1.0), "float"),
        (s, "string"),
        (Value::TRUE, "bool"),
        (Value::NULL, "null"),
        (a, "array"),
        (d, "dict"),
        (Value::builtin(B::Len), "function"),
    ];
    for (v, name) in cases {
        assert_eq!(t.ok(B::Type, &[v]), format!("\"{name}\""));
    }
}

#[test]
fn conversions() {
    let mut t = T::new();
    let a = t.arr(&[1]);
    let s = t.s("hi");
    assert_eq!(t.ok(B::ToString, &[a]), "\"[1]\"");
    assert_eq!(t.ok(B::Str, &[s]), "\"hi\"");
    let f = t.f(2.5);
    assert_eq!(t.ok(B::Str, &[f]), "\"2.5\"");
    assert_eq!(t.ok(B::ToInt, &[t.f(-2.9)]), "-2");
    assert_eq!(t.ok(B::ToInt, &[Value::TRUE]), "1");
    let n = t.s(" 42 ");
    assert_eq!(t.ok(B::ToInt, &[n]), "42");
    let n = t.s("3.7");
    assert_eq!(
        t.err(B::ToInt, &[n]),
        "to_int: cannot convert \"3.7\" to int"
    );
    let bad = t.s("abc");
    assert_eq!(
        t.err(B::ToInt, &[bad]),
        "to_int: cannot convert \"abc\" to int"
    );
    assert_eq!(
        t.err(B::ToInt, &[t.f(f64::NAN)]),
        "to_int: cannot convert NaN to int"
    );
    assert_eq!(
        t.err(B::ToInt, &[t.f(1e19)]),
        "to_int: cannot convert 1e+19 to int"
    );
    assert_eq!(
        t.err(B::ToInt, &[Value::NULL]),
        "to_int: argument 1 must be int, float, string or bool, got null"
    );
    assert_eq!(
        t.ok(B::ToInt, &[t.f(i64::MIN as f64)]),
        "-9223372036854775808"
    );
    let three = t.i(3);
    assert_eq!(t.ok(B::ToFloat, &[three]), "3.0");
    assert_eq!(t.ok(B::ToFloat, &[Value::FALSE]), "0.0");
    let n = t.s("1e3");
    assert_eq!(t.ok(B::ToFloat, &[n]), "1000.0");
    assert_eq!(
        t.err(B::ToFloat, &[bad]),
        "to_float: cannot convert \"abc\" to float"
    );
    let n = t.s("-17");
    assert_eq!(t.ok(B::ParseInt, &[n]), "-17");
    let n = t.s("9223372036854775808");
    assert_eq!(t.ok(B::ParseInt, &[n]), "null");
    let n = t.s("1.5");
    assert_eq!(t.ok(B::ParseInt, &[n]), "null");
    assert_eq!(t.ok(B::ParseFloat, &[n]), "1.5");
    assert_eq!(t.ok(B::ParseFloat, &[bad]), "null");
    assert_eq!(
        t.err(B::ParseInt, &[three]),
        "parse_int: argument 1 must be string, got int"
    );
}

#[test]
fn array_mutation() {
    let mut t = T::new();
    let a = t.arr(&[1, 2]);
    let three = t.i(3);
    let r = call(&mut t.h, B::Push, &[a, three]).unwrap();
    assert_eq!(r, a, "push returns the same array");
    call(&mut t.h, B::Append, &[a, three]).unwrap();
    assert_eq!(repr(a), "[1, 2, 3, 3]");
    assert_eq!(t.ok(B::Pop, &[a]), "3");
    let zero = t.i(0);
    let m1 = t.i(-1);
    let nine = t.i(9);
    assert_eq!(t.ok(B::Insert, &[a, zero, nine]), "[9, 1, 2, 3]");
    assert_eq!(t.ok(B::Insert, &[a, m1, zero]), "[9, 1, 2, 0, 3]");
    let five = t.i(5);
    assert_eq!(t.ok(B::Insert, &[a, five, five]), "[9, 1, 2, 0, 3, 5]");
    let seven = t.i(7);
    assert_eq!(
        t.err(B::Insert, &[a, seven, five]),
        "Index out of bounds: 7"
    );
    assert_eq!(t.ok(B::RemoveAt, &[a, m1]), "5");
    assert_eq!(t.ok(B::RemoveAt, &[a, zero]), "9");
    assert_eq!(repr(a), "[1, 2, 0, 3]");
    assert_eq!(t.err(B::RemoveAt, &[a, nine]), "Index out of bounds: 9");
    let e = t.arr(&[]);
    assert_eq!(t.err(B::Pop, &[e]), "pop: array is empty");
    assert_eq!(
        t.err(B::Push, &[three, three]),
        "push: argument 1 must be array, got int"
    );
    assert_eq!(t.err(B::Append, &[a]), "append expects 2 arguments, got 1");
}

#[test]
fn array_queries() {
    let mut t = T::new();
    let a = t.arr(&[10, 20, 30, 40]);
    let (one, three, m1, m9) = (t.i(1), t.i(3), t.i(-1), t.i(-9));
    assert_eq!(t.ok(B::Slice, &[a, one, three]), "[20, 30]");
    assert_eq!(t.ok(B::Slice, &[a, m1]), "[40]");
    assert_eq!(t.ok(B::Slice, &[a, m9, one]), "[10]");
    assert_eq!(t.ok(B::Slice, &[a, three, one]), "[]");
    let s = t.s("héllo");
    assert_eq!(t.ok(B::Slice, &[s, one, three]), "\"él\"");
    assert_eq!(
        t.err(B::Slice, &[a]),
        "slice expects 2 to 3 arguments, got 1"
    );
    let b = t.arr(&[1]);
    assert_eq!(t.ok(B::Concat, &[a, b]), "[10, 20, 30, 40, 1]");
    assert_eq!(repr(a), "[10, 20, 30, 40]");
    assert_eq!(
        t.err(B::Concat, &[a, one]),
        "concat: argument 2 must be array, got int"
    );
    let twenty = t.i(20);
    assert_eq!(t.ok(B::Contains, &[a, twenty]), "true");
    assert_eq!(t.ok(B::Contains, &[a, t.f(20.0)]), "true");
    assert_eq!(t.ok(B::Contains, &[a, one]), "false");
    let ll = t.s("ll");
    assert_eq!(t.ok(B::Contains, &[s, ll]), "true");
    assert_eq!(t.ok(B::IndexOf, &[s, ll]), "2");
    assert_eq!(t.ok(B::IndexOf, &[a, twenty]), "1");
    assert_eq!(t.ok(B::IndexOf, &[a, one]), "-1");
    let d = t.dict(&[("k", 1)]);
    let k = t.s("k");
    assert_eq!(
        t.err(B::Contains, &[d, k]),
        "contains: argument 1 must be array or string, got dict"
    );
    assert_eq!(
        t.err(B::Contains, &[s, one]),
        "contains: argument 2 must be string, got int"
    );

    let sep = t.s(", ");
    let x = t.s("x");
    let mixed = t.h.array(vec![x, one, Value::NULL, t.f(1.5)]);
    assert_eq!(t.ok(B::Join, &[mixed, sep]), "\"x, 1, null, 1.5\"");
    assert_eq!(
        t.err(B::Join, &[mixed, one]),
        "join: argument 2 must be string, got int"
    );
    assert_eq!(t.ok(B::Reverse, &[a]), "[40, 30, 20, 10]");
    assert_eq!(repr(a), "[10, 20, 30, 40]");
    assert_eq!(
        t.err(B::Reverse, &[s]),
        "reverse: argument 1 must be array, got string"
    );
}

#[test]
fn ranges() {
    let mut t = T::new();
    let (m2, zero, one, two, five) = (t.i(-2), t.i(0), t.i(1), t.i(2), t.i(5));
    assert_eq!(t.ok(B::Range, &[five]), "[0, 1, 2, 3, 4]");
    assert_eq!(t.ok(B::Range, &[two, five]), "[2, 3, 4]");
    assert_eq!(t.ok(B::Range, &[zero, five, two]), "[0, 2, 4]");
    assert_eq!(t.ok(B::Range, &[five, zero, m2]), "[5, 3, 1]");
    assert_eq!(t.ok(B::Range, &[five, one]), "[]");
    assert_eq!(t.ok(B::Range, &[m2]), "[]");
    assert_eq!(
        t.err(B::Range, &[zero, five, zero]),
        "range: step must not be 0"
    );
    assert_eq!(
        t.err(B::Range, &[]),
        "range expects 1 to 3 arguments, got 0"
    );
    assert_eq!(
        t.err(B::Range, &[t.f(1.0)]),
        "range: argument 1 must be int, got float"
    );
    let (max, min) = (t.i(i64::MAX), t.i(i64::MIN));
    let near = t.i(i64::MAX - 2);
    assert_eq!(
        t.ok(B::Range, &[near, max]),
        "[9223372036854775805, 9223372036854775806]"
    );
    assert!(t
        .err(B::Range, &[min, max])
        .starts_with("range: too many elements"));
}

#[test]
fn dicts() {
    let mut t = T::new();
    let d = t.dict(&[("a", 1), ("b", 2), ("c", 3)]);
    assert_eq!(t.ok(B::Keys, &[d]), "[\"a\", \"b\", \"c\"]");
    assert_eq!(t.ok(B::Values, &[d]), "[1, 2, 3]");
    assert_eq!(t.ok(B::Items, &[d]), "[[\"a\", 1], [\"b\", 2], [\"c\", 3]]");
    let (a, z) = (t.s("a"), t.s("z"));
    assert_eq!(t.ok(B::HasKey, &[d, a]), "true");
    assert_eq!(t.ok(B::HasKey, &[d, z]), "false");
    assert_eq!(
        t.err(B::HasKey, &[d, t.f(1.0)]),
        "Invalid dict key type: float"
    );
    assert_eq!(t.ok(B::Get, &[d, a]), "1");
    assert_eq!(t.ok(B::Get, &[d, z]), "null");
    let zero = t.i(0);
    assert_eq!(t.ok(B::Get, &[d, z, zero]), "0");
    let b = t.s("b");
    assert_eq!(t.ok(B::Remove, &[d, b]), "2");
    assert_eq!(repr(d), "{\"a\": 1, \"c\": 3}");
    assert_eq!(t.err(B::Remove, &[d, z]), "Missing key: \"z\"");
    assert_eq!(
        t.err(B::Keys, &[zero]),
        "keys: argument 1 must be dict, got int"
    );
}

#[test]
fn strings() {
    let mut t = T::new();
    let s = t.s("a,b,,c");
    let comma = t.s(",");
    let empty = t.s("");
    assert_eq!(t.ok(B::Split, &[s, comma]), "[\"a\", \"b\", \"\", \"c\"]");
    let u = t.s("aé😀");
    assert_eq!(t.err(B::Split, &[u, empty]), "split: empty separator");
    assert_eq!(t.ok(B::Split, &[empty, comma]), "[\"\"]");
    assert_eq!(t.err(B::Split, &[u]), "split expects 2 arguments, got 1");
    assert_eq!(t.ok(B::Chars, &[u]), "[\"a\", \"é\", \"😀\"]");
    let ws = t.s("  x  y\n");

    assert_eq!(t.ok(B::Trim, &[ws]), "\"x  y\"");
    let m = t.s("MiXé");
    assert_eq!(t.ok(B::Upper, &[m]), "\"MIXÉ\"");
    assert_eq!(t.ok(B::Lower, &[m]), "\"mixé\"");
    let (a, c) = (t.s("a,"), t.s(",c"));
    assert_eq!(t.ok(B::StartsWith, &[s, a]), "true");
    assert_eq!(t.ok(B::EndsWith, &[s, c]), "true");
    assert_eq!(t.ok(B::EndsWith, &[s, a]), "false");
    let dash = t.s("-");
    assert_eq!(t.ok(B::Replace, &[s, comma, dash]), "\"a-b--c\"");
    let (one, three, m1) = (t.i(1), t.i(3), t.i(-1));
    assert_eq!(t.ok(B::Substring, &[u, one, three]), "\"é😀\"");
    assert_eq!(t.ok(B::Substring, &[u, m1]), "\"😀\"");
    assert_eq!(t.ok(B::Repeat, &[a, three]), "\"a,a,a,\"");
    assert_eq!(t.ok(B::Repeat, &[a, m1]), "\"\"");
    let huge = t.i(i64::MAX);
    assert_eq!(t.err(B::Repeat, &[a, huge]), "repeat: result too large");
    let e = t.s("é");
    assert_eq!(t.ok(B::Ord, &[e]), "233");
    assert_eq!(
        t.err(B::Ord, &[s]),
        "ord: expected a single character, got \"a,b,,c\""
    );
    let cp = t.i(0x1F600);
    assert_eq!(t.ok(B::Chr, &[cp]), "\"😀\"");
    let sur = t.i(0xD800);
    assert_eq!(t.err(B::Chr, &[sur]), "chr: invalid code point 55296");
    assert_eq!(t.err(B::Chr, &[m1]), "chr: invalid code point -1");
    assert_eq!(
        t.err(B::Upper, &[one]),
        "upper: argument 1 must be string, got int"
    );
}

#[test]
fn math() {
    let mut t = T::new();
    let (m5, two, three, min) = (t.i(-5), t.i(2), t.i(3), t.i(i64::MIN));
    assert_eq!(t.ok(B::Abs, &[m5]), "5");
    assert_eq!(t.ok(B::Abs, &[t.f(-1.5)]), "1.5");
    assert_eq!(
        t.err(B::Abs, &[min]),
        "Integer overflow: abs(-9223372036854775808)"
    );
    let s = t.s("x");
    assert_eq!(
        t.err(B::Abs, &[s]),
        "abs: argument 1 must be int or float, got string"
    );
    assert_eq!(t.ok(B::Min, &[three, two, t.f(2.5)]), "2");
    assert_eq!(t.ok(B::Max, &[three, two, t.f(3.5)]), "3.5");
    let arr = t.arr(&[4, -1, 7]);
    assert_eq!(t.ok(B::Min, &[arr]), "-1");
    assert_eq!(t.ok(B::Max, &[arr]), "7");
    let e = t.arr(&[]);
    assert_eq!(t.err(B::Min, &[e]), "min: empty array");
    assert_eq!(t.ok(B::Max, &[three]), "3");
    assert_eq!(t.err(B::Max, &[]), "max expects at least 1 argument, got 0");
    assert_eq!(
        t.err(B::Max, &[two, s]),
        "Invalid binary operation: string > int"
    );
    assert_eq!(t.ok(B::Floor, &[t.f(-1.5)]), "-2");
    assert_eq!(t.ok(B::Ceil, &[t.f(1.2)]), "2");
    assert_eq!(t.ok(B::Round, &[t.f(2.5)]), "3");
    assert_eq!(t.ok(B::Round, &[t.f(-2.5)]), "-3");
    assert_eq!(t.ok(B::Round, &[three]), "3");
    assert_eq!(
        t.err(B::Floor, &[t.f(f64::INFINITY)]),
        "floor: cannot convert inf to int"
    );
    assert_eq!(t.ok(B::Sqrt, &[t.f(2.25)]), "1.5");
    assert_eq!(t.ok(B::Sqrt, &[t.f(-1.0)]), "NaN");
    assert_eq!(t.ok(B::Pow, &[two, three]), "8");
    let (sixty3, m1, zero) = (t.i(63), t.i(-1), t.i(0));
    assert_eq!(
        t.err(B::Pow, &[two, sixty3]),
        "Integer overflow: pow(2, 63)"
    );
    let odd = t.i(i64::MAX);
    assert_eq!(t.ok(B::Pow, &[m1, odd]), "-1");
    assert_eq!(t.ok(B::Pow, &[zero, zero]), "1");
    assert_eq!(t.ok(B::Pow, &[two, m1]), "0.5");
    assert_eq!(t.ok(B::Pow, &[t.f(4.0), t.f(0.5)]), "2.0");
    assert_eq!(t.ok(B::Sin, &[zero]), "0.0");
    assert_eq!(t.ok(B::Cos, &[zero]), "1.0");
    assert_eq!(t.ok(B::Tan, &[zero]), "0.0");
    assert_eq!(t.ok(B::Exp, &[zero]), "1.0");
    assert_eq!(t.ok(B::Log, &[t.f(1.0)]), "0.0");
    assert_eq!(t.ok(B::Log, &[zero]), "-inf");
}

#[test]
fn bits() {
    let mut t = T::new();
    let (a, b) = (t.i(12), t.i(10));
    assert_eq!(t.ok(B::BitAnd, &[a, b]), "8");
    assert_eq!(t.ok(B::BitOr, &[a, b]), "14");
    assert_eq!(t.ok(B::BitXor, &[a, b]), "6");
    let (one, s63, s64, m8, m1) = (t.i(1), t.i(63), t.i(64), t.i(-8), t.i(-1));
    assert_eq!(t.ok(B::BitShl, &[one, s63]), "-9223372036854775808");
    assert_eq!(t.ok(B::BitShr, &[m8, one]), "-4");
    assert_eq!(
        t.err(B::BitShl, &[one, s64]),
        "bit_shl: shift count out of range: 64"
    );
    assert_eq!(
        t.err(B::BitShr, &[one, m1]),
        "bit_shr: shift count out of range: -1"
    );
    assert_eq!(
        t.err(B::BitAnd, &[one, t.f(1.0)]),
        "bit_and: argument 2 must be int, got float"
    );
}

#[test]
fn misc() {
    let mut t = T::new();
    let m = t.s("bad thing");
    let e = call(&mut t.h, B::Error, &[m]).unwrap();
    let eo = as_error(e).expect("an error value");
    assert_eq!(repr(eo.message), "\"bad thing\"");
    assert!(eo.value.is_null() && eo.line == 0);
    assert_eq!(as_array(eo.stack).map(|a| a.len()), Some(0));
    assert_eq!(repr(e), "Error: bad thing");
    let n = t.i(5);
    assert_eq!(
        t.err(B::Error, &[n]),
        "error: argument 1 must be string, got int"
    );
    assert_eq!(t.ok(B::Assert, &[Value::TRUE]), "null");
    assert_eq!(t.err(B::Assert, &[Value::FALSE]), "Assertion failed");
    let msg = t.s("x must be positive");
    assert_eq!(t.err(B::Assert, &[Value::NULL, msg]), "x must be positive");
    let a = t.h.array(vec![]);
    assert_eq!(t.ok(B::Assert, &[n, msg]), "null");
    assert_eq!(t.err(B::Assert, &[a]), "Assertion failed");
    let t1 = call(&mut t.h, B::PerformanceNow, &[]).unwrap().as_float();
    let t2 = call(&mut t.h, B::PerformanceNow, &[]).unwrap().as_float();
    assert!(t1 >= 0.0 && t2 >= t1);
    assert_eq!(
        t.err(B::PerformanceNow, &[n]),
        "performance_now expects 0 arguments, got 1"
    );
}
