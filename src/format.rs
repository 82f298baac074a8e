//! How values print: the `display` text (`print`, interpolation, `str`) and the `repr`
//! text (strings quoted and escaped, as inside containers), plus the float layout.
//!
//! Rules (spec/semantics.md, "Printing"):
//! - strings print raw at top level and quoted and escaped inside containers;
//! - floats print the shortest text that round-trips, always with a fraction or an
//!   exponent; the exponent form is used when the decimal exponent is below -4 or at
//!   least 16 (Python's `repr` rule): `4.0`, `1e+16`, `0.0001`, `1e-05` is `1e-5` here;
//! - a container that is already being printed further up prints as `[...]` / `{...}`.
//!
//! Printing a nested container is iterative (an explicit stack), so arbitrarily deep
//! nesting never overflows the native stack.

use crate::heap::{as_obj, DictKey, ObjData};
use crate::value::Value;
use std::collections::HashSet;
use std::fmt::Write;

/// The text `print` writes for `v` (strings raw).
pub fn display(v: Value) -> String {
    let mut s = String::new();
    write_display(&mut s, v);
    s
}

/// The text of `v` as it appears inside a container (strings quoted and escaped).
pub fn repr(v: Value) -> String {
    let mut s = String::new();
    write_repr(&mut s, v);
    s
}

/// Appends the display text of `v` to `out`.
pub fn write_display(out: &mut String, v: Value) {
    if let Some(ObjData::Str(s)) = as_obj(v).map(|o| o.data()) {
        out.push_str(s.as_str());
    } else {
        write_repr(out, v);
    }
}

/// Appends the repr text of `v` to `out`.
pub fn write_repr(out: &mut String, v: Value) {
    if !write_scalar(out, v) {
        write_container(out, v);
    }
}

/// Writes `v` if it is not an array or dict; returns false (writing nothing) if it is.
fn write_scalar(out: &mut String, v: Value) -> bool {
    if v.is_float() {
        write_float(out, v.as_float());
    } else if v.is_inline_int() {
        let _ = write!(out, "{}", v.as_inline_int());
    } else if v.is_null() || v.is_undefined() {
        out.push_str("null");
    } else if v.is_bool() {
        out.push_str(if v.as_bool() { "true" } else { "false" });
    } else if v.is_builtin() {
        let _ = write!(out, "<builtin {}>", v.as_builtin().name());
    } else if let Some(o) = as_obj(v) {
        match o.data() {
            ObjData::Str(s) => write_quoted(out, s.as_str()),
            ObjData::BigInt(i) => {
                let _ = write!(out, "{i}");
            }
            ObjData::Closure(c) => {
                let _ = write!(out, "<function {}>", c.proto.name);
            }
            ObjData::Error(e) => {
                out.push_str("Error: ");
                write_display(out, e.message);
            }
            ObjData::Cell(_) => out.push_str("<cell>"),
            ObjData::Array(_) | ObjData::Dict(_) => return false,
        }
    } else {
        out.push_str("null");
    }
    true
}

/// One container being printed: the object and how far through it we are.
struct Open {
    v: Value,
    next: usize,
}

/// Writes an array or dict, iteratively. Containers on the current path print as
/// `[...]`/`{...}`.
///
/// The open containers are the path; up to `SCAN_DEPTH` deep it is searched linearly
/// (no allocation beyond the stack), deeper a set of the open containers is kept too.
fn write_container(out: &mut String, root: Value) {
    const SCAN_DEPTH: usize = 32;
    let mut stack: Vec<Open> = Vec::new();
    let mut on_path: HashSet<u64> = HashSet::new();
    let mut pending = Some(root);
    loop {
        if let Some(v) = pending.take() {
            let open = if stack.len() <= SCAN_DEPTH {
                stack.iter().any(|o| o.v.0 == v.0)
            } else {
                on_path.contains(&v.0)
            };
            if write_scalar(out, v) {
                // done with this element
            } else if open {
                out.push_str(if is_array(v) { "[...]" } else { "{...}" });
            } else {
                out.push(if is_array(v) { '[' } else { '{' });
                if stack.len() == SCAN_DEPTH {
                    on_path.extend(stack.iter().map(|o| o.v.0));
                }
                if stack.len() >= SCAN_DEPTH {
                    on_path.insert(v.0);
                }
                stack.push(Open { v, next: 0 });
            }
        }
        let Some(top) = stack.last_mut() else {
            return;
        };
        let data = as_obj(top.v).map(|o| o.data());
        let i = top.next;
        top.next += 1;
        match data {
            Some(ObjData::Array(items)) => {
                if let Some(&item) = items.get(i) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    pending = Some(item);
                    continue;
                }
                out.push(']');
            }
            Some(ObjData::Dict(map)) => {
                if let Some((k, &val)) = map.get_index(i) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_key(out, *k);
                    out.push_str(": ");
                    pending = Some(val);
                    continue;
                }
                out.push('}');
            }
            _ => {}
        }
        let done = stack.pop().map(|o| o.v.0).unwrap_or(0);
        // Invariant: `on_path` holds the open containers when the stack is deeper than
        // `SCAN_DEPTH`, and is empty otherwise.
        if stack.len() > SCAN_DEPTH {
            on_path.remove(&done);
        } else if !on_path.is_empty() {
            on_path = HashSet::new();
        }
    }
}

fn is_array(v: Value) -> bool {
    matches!(as_obj(v).map(|o| o.data()), Some(ObjData::Array(_)))
}

/// Writes a dict key as it prints inside a dict (strings quoted, ints plain).
pub fn write_key(out: &mut String, k: DictKey) {
    write_repr(out, k.value());
}

/// Appends `s` quoted and escaped with the escapes the lexer reads back:
/// `\" \\ \n \t \r \0`, `\$` before `{`, and `\u{..}` for other control characters.
pub fn write_quoted(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends the shortest round-trip text of `f`, always with a fraction or an exponent.
pub fn write_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits in the form `-d.ddde-N`.
    let mut sci = String::with_capacity(32);
    let _ = write!(sci, "{:e}", f.abs());
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if f < 0.0 {
        out.push('-');
    }
    if !(-4..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::{as_array_mut, as_dict_mut, DictMap, Heap};

    fn f(x: f64) -> String {
        display(Value::float(x))
    }

    #[test]
    fn floats() {
        assert_eq!(f(4.0), "4.0");
        assert_eq!(f(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f(1e20), "1e+20");
        assert_eq!(f(1e-7), "1e-7");
        assert_eq!(f(1.5e-7), "1.5e-7");
        assert_eq!(f(f64::NAN), "NaN");
        assert_eq!(f(f64::INFINITY), "inf");
        assert_eq!(f(f64::NEG_INFINITY), "-inf");
        assert_eq!(f(-0.0), "-0.0");
        assert_eq!(f(0.0), "0.0");
        assert_eq!(f(-2.5), "-2.5");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(0.00001), "1e-5");
        assert_eq!(f(1e15), "1000000000000000.0");
        assert_eq!(f(1e16), "1e+16");
        assert_eq!(f(9007199254740993.0), "9007199254740992.0");
        assert_eq!(f(123.456), "123.456");
        assert_eq!(f(-1.2345e100), "-1.2345e+100");
        assert_eq!(f(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(f(5e-324), "5e-324");
        assert_eq!(f(123456789012345680.0), "1.2345678901234568e+17");
        assert_eq!(f(2.0 / 3.0), "0.6666666666666666");
        assert_eq!(f(9999999999999998.0), "9999999999999998.0");
        assert_eq!(f(0.1), "0.1");
        assert_eq!(f(100.0), "100.0");
        for x in [0.1, 1.0 / 3.0, 2.0f64.sqrt(), 1e300, 6.02e23, 1e-300] {
            assert_eq!(f(x).parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn scalars_and_strings() {
        let mut heap = Heap::with_stress(false);
        let s = heap.str("a\"b\\c\nd\t${x}$\u{1}😀");
        assert_eq!(display(s), "a\"b\\c\nd\t${x}$\u{1}😀");
        assert_eq!(repr(s), "\"a\\\"b\\\\c\\nd\\t\\${x}$\\u{1}😀\"");
        assert_eq!(display(Value::NULL), "null");
        assert_eq!(display(Value::TRUE), "true");
        assert_eq!(display(heap.int(i64::MIN)), "-9223372036854775808");
        assert_eq!(display(heap.int(-5)), "-5");
        assert_eq!(
            display(Value::builtin(crate::bytecode::Builtin::Len)),
            "<builtin len>"
        );
    }

    #[test]
    fn containers() {
        let mut heap = Heap::with_stress(false);
        let a = heap.str("a");
        let arr = heap.array(vec![
            a,
            Value::inline_int_unchecked(1),
            Value::float(2.5),
            Value::NULL,
            Value::TRUE,
        ]);
        assert_eq!(display(arr), "[\"a\", 1, 2.5, null, true]");
        let k = heap.str("k");
        let v = heap.str("v");
        let inner = heap.array(vec![Value::inline_int_unchecked(2)]);
        let mut m = DictMap::default();
        m.insert(DictKey::new(k).unwrap(), v);
        m.insert(DictKey::new(Value::inline_int_unchecked(1)).unwrap(), inner);
        let d = heap.dict(m);
        assert_eq!(display(d), "{\"k\": \"v\", 1: [2]}");
        let empty = heap.array(vec![]);
        let ed = heap.dict(DictMap::default());
        let both = heap.array(vec![empty, ed, empty]);
        assert_eq!(display(both), "[[], {}, []]");
    }

    #[test]
    fn cycles_and_depth() {
        let mut heap = Heap::with_stress(false);
        let a = heap.array(vec![Value::inline_int_unchecked(1)]);
        // SAFETY: no other reference to `a`'s payload is live.
        unsafe { as_array_mut(a).unwrap().push(a) };
        assert_eq!(display(a), "[1, [...]]");
        let d = heap.dict(DictMap::default());
        let key = heap.str("self");
        // SAFETY: no other reference to `d`'s payload is live.
        unsafe {
            as_dict_mut(d)
                .unwrap()
                .insert(DictKey::new(key).unwrap(), d)
        };
        assert_eq!(display(d), "{\"self\": {...}}");
        // The same array twice (not a cycle) prints in full both times.
        let x = heap.array(vec![Value::inline_int_unchecked(7)]);
        let twice = heap.array(vec![x, x]);
        assert_eq!(display(twice), "[[7], [7]]");
        // A cycle through a path deeper than the linear-scan depth.
        let bottom = heap.array(vec![]);
        let mut top = bottom;
        for _ in 0..100 {
            top = heap.array(vec![top]);
        }
        // SAFETY: no other reference to `bottom`'s payload is live.
        unsafe { as_array_mut(bottom).unwrap().push(top) };
        let s = display(top);
        assert_eq!(s, format!("{}[...]{}", "[".repeat(101), "]".repeat(101)));
        // Siblings at the boundary depth print in full.
        let mut nest = heap.array(vec![x, x]);
        for _ in 0..40 {
            nest = heap.array(vec![nest, x]);
        }
        assert_eq!(display(nest).matches("[7]").count(), 42);
        let mut deep = heap.array(vec![]);
        for _ in 0..100_000 {
            deep = heap.array(vec![deep]);
        }
        let s = display(deep);
        assert_eq!(s.len(), 2 * 100_001);
    }
}
