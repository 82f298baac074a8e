//! Conversion builtins: `to_string`/`str`, `to_int`, `to_float`, `parse_int`,
//! `parse_float`.

use super::Args;
use crate::error::RtResult;
use crate::format;
use crate::heap::{as_str, Heap};
use crate::ops::{num, Num};
use crate::value::Value;

/// `to_string(x)` / `str(x)`: the display text (a string is returned as is).
pub(super) fn to_string(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let v = a.arg(0);
    if as_str(v).is_some() {
        return Ok(v);
    }
    Ok(heap.string(format::display(v)))
}

/// A float truncated toward zero to an int, or an error for NaN, infinities and values
/// outside the i64 range.
pub(super) fn float_to_int(a: &Args, f: f64) -> RtResult<i64> {
    // -2^63 is exactly representable; 2^63 is the first float above i64::MAX.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let t = f.trunc();
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&t) {
        return Err(a.fail(format!(
            "cannot convert {} to int",
            format::display(Value::float(f))
        )));
    }
    Ok(t as i64)
}

/// Parses an int: optional sign and decimal digits, surrounding whitespace ignored.
fn parse_int_text(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok()
}

/// Parses a float (`1.5`, `-2e3`, `inf`, `NaN`), surrounding whitespace ignored.
fn parse_float_text(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok()
}

/// `to_int(x)`: ints unchanged, floats truncated toward zero, bools 0/1, strings
/// parsed as an int.
pub(super) fn to_int(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let v = a.arg(0);
    let i = match num(v) {
        Some(Num::Int(_)) => return Ok(v),
        Some(Num::Float(f)) => float_to_int(&a, f)?,
        None if v.is_bool() => v.as_bool() as i64,
        None => match as_str(v) {
            Some(s) => parse_int_text(s).ok_or_else(|| cannot_convert(&a, v, "int"))?,
            None => return Err(a.expected(0, "int, float, string or bool")),
        },
    };
    Ok(heap.int(i))
}

/// `to_float(x)`: numbers as floats, bools 0.0/1.0, strings parsed.
pub(super) fn to_float(a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let v = a.arg(0);
    let f = match num(v) {
        Some(n) => n.to_f64(),
        None if v.is_bool() => v.as_bool() as i64 as f64,
        None => match as_str(v) {
            Some(s) => parse_float_text(s).ok_or_else(|| cannot_convert(&a, v, "float"))?,
            None => return Err(a.expected(0, "int, float, string or bool")),
        },
    };
    Ok(Value::float(f))
}

/// `name: cannot convert "abc" to int`.
#[cold]
fn cannot_convert(a: &Args, v: Value, to: &str) -> crate::error::RtError {
    a.fail(format!("cannot convert {} to {to}", format::repr(v)))
}

/// `parse_int(s)`: a string holding an int (optional sign, decimal digits, surrounding
/// whitespace ignored), or an error.
pub(super) fn parse_int(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let s = a.str(0)?;
    match parse_int_text(s.as_str()) {
        Some(i) => Ok(heap.int(i)),
        None => Ok(Value::NULL),
    }
}

/// `parse_float(s)`: a string holding a float, or null when it holds none
/// (`to_float` is the strict form that raises).
pub(super) fn parse_float(a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let s = a.str(0)?;
    match parse_float_text(s.as_str()) {
        Some(f) => Ok(Value::float(f)),
        None => Ok(Value::NULL),
    }
}
