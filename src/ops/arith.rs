//! Arithmetic operators: `+ - * / %` and unary `-`, on checked 64-bit ints, IEEE
//! floats, and (for `+`) strings.

use super::{num, Num};
use crate::error::{RtError, RtResult};
use crate::heap::{as_rstr, type_name, Heap};
use crate::value::Value;

/// The binary arithmetic operators, for the shared slow path and error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

/// An int result that did not fit inline: box it.
#[inline(never)]
fn boxed(heap: &mut Heap, i: i64) -> Value {
    heap.int(i)
}

/// `a + b`: checked int addition, float addition (int + float is float), or string
/// concatenation (linear for repeated `s = s + x`, see `RStr::concat`).
#[inline]
pub fn add(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if a.is_inline_int() && b.is_inline_int() {
        // Two 48-bit ints: the sum cannot overflow an i64.
        let r = a.as_inline_int() + b.as_inline_int();
        return Ok(match Value::inline_int(r) {
            Some(v) => v,
            None => boxed(heap, r),
        });
    }
    if a.is_float() && b.is_float() {
        return Ok(Value::float(a.as_float() + b.as_float()));
    }
    add_slow(heap, a, b)
}

#[inline(never)]
fn add_slow(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if let (Some(x), Some(y)) = (as_rstr(a), as_rstr(b)) {
        let (s, extra) = x.concat(y.as_str());
        return Ok(heap.rstr(s, extra));
    }
    arith_slow(heap, BinOp::Add, a, b)
}

/// `a - b` on numbers.
#[inline]
pub fn sub(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if a.is_inline_int() && b.is_inline_int() {
        let r = a.as_inline_int() - b.as_inline_int();
        return Ok(match Value::inline_int(r) {
            Some(v) => v,
            None => boxed(heap, r),
        });
    }
    if a.is_float() && b.is_float() {
        return Ok(Value::float(a.as_float() - b.as_float()));
    }
    arith_slow(heap, BinOp::Sub, a, b)
}

/// `a * b` on numbers.
#[inline]
pub fn mul(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if a.is_inline_int() && b.is_inline_int() {
        if let Some(r) = a.as_inline_int().checked_mul(b.as_inline_int()) {
            return Ok(match Value::inline_int(r) {
                Some(v) => v,
                None => boxed(heap, r),
            });
        }
    }
    if a.is_float() && b.is_float() {
        return Ok(Value::float(a.as_float() * b.as_float()));
    }
    arith_slow(heap, BinOp::Mul, a, b)
}

/// `a / b`: ints truncate toward zero; a zero divisor (int or float) is
/// `Division by zero`; `i64::MIN / -1` is an overflow.
#[inline]
pub fn div(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if a.is_inline_int() && b.is_inline_int() {
        let y = b.as_inline_int();
        if y != 0 {
            // 48-bit operands: only -2^47 / -1 leaves the inline range, and it fits an i64.
            let r = a.as_inline_int() / y;
            return Ok(match Value::inline_int(r) {
                Some(v) => v,
                None => boxed(heap, r),
            });
        }
    }
    if a.is_float() && b.is_float() && b.as_float() != 0.0 {
        return Ok(Value::float(a.as_float() / b.as_float()));
    }
    arith_slow(heap, BinOp::Div, a, b)
}

/// `a % b`: the result takes the sign of the dividend; a zero divisor is
/// `Modulo by zero`; `i64::MIN % -1` is 0.
#[inline]
pub fn rem(heap: &mut Heap, a: Value, b: Value) -> RtResult<Value> {
    if a.is_inline_int() && b.is_inline_int() {
        let y = b.as_inline_int();
        if y != 0 {
            // |a % b| < |b|, so the result is always inline.
            return Ok(Value::inline_int_unchecked(a.as_inline_int() % y));
        }
    }
    arith_slow(heap, BinOp::Rem, a, b)
}

/// `-a` on numbers; `-(i64::MIN)` is an overflow.
#[inline]
pub fn neg(heap: &mut Heap, a: Value) -> RtResult<Value> {
    if a.is_inline_int() {
        let r = -a.as_inline_int();
        return Ok(match Value::inline_int(r) {
            Some(v) => v,
            None => boxed(heap, r),
        });
    }
    if a.is_float() {
        return Ok(Value::float(-a.as_float()));
    }
    neg_slow(heap, a)
}

#[inline(never)]
fn neg_slow(heap: &mut Heap, a: Value) -> RtResult<Value> {
    match num(a) {
        Some(Num::Int(i)) => match i.checked_neg() {
            Some(r) => Ok(heap.int(r)),
            None => Err(neg_overflow(i)),
        },
        Some(Num::Float(f)) => Ok(Value::float(-f)),
        None => Err(invalid_unary("-", a)),
    }
}

/// The general case of every binary arithmetic operator (boxed ints, mixed int and
/// float, zero divisors, overflow, type errors).
#[inline(never)]
fn arith_slow(heap: &mut Heap, op: BinOp, a: Value, b: Value) -> RtResult<Value> {
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => int_op(heap, op, x, y),
        (Some(x), Some(y)) => float_op(op, x.to_f64(), y.to_f64()),
        _ => Err(invalid_binary(op.symbol(), a, b)),
    }
}

fn int_op(heap: &mut Heap, op: BinOp, x: i64, y: i64) -> RtResult<Value> {
    let r = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div => {
            if y == 0 {
                return Err(division_by_zero());
            }
            x.checked_div(y)
        }
        BinOp::Rem => {
            if y == 0 {
                return Err(modulo_by_zero());
            }
            // i64::MIN % -1 is mathematically 0; `wrapping_rem` gives exactly that.
            Some(x.wrapping_rem(y))
        }
    };
    match r {
        Some(r) => Ok(heap.int(r)),
        None => Err(overflow(x, op.symbol(), y)),
    }
}

fn float_op(op: BinOp, x: f64, y: f64) -> RtResult<Value> {
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => {
            if y == 0.0 {
                return Err(division_by_zero());
            }
            x / y
        }
        BinOp::Rem => {
            if y == 0.0 {
                return Err(modulo_by_zero());
            }
            x % y
        }
    };
    Ok(Value::float(r))
}

impl Num {
    pub(crate) fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// `Integer overflow: 9223372036854775807 + 1`
#[cold]
#[inline(never)]
pub(crate) fn overflow(x: i64, op: &str, y: i64) -> RtError {
    RtError::msg(format!("Integer overflow: {x} {op} {y}"))
}

/// `Integer overflow: -(-9223372036854775808)`
#[cold]
#[inline(never)]
fn neg_overflow(x: i64) -> RtError {
    RtError::msg(format!("Integer overflow: -({x})"))
}

#[cold]
#[inline(never)]
pub(crate) fn division_by_zero() -> RtError {
    RtError::msg("Division by zero")
}

#[cold]
#[inline(never)]
pub(crate) fn modulo_by_zero() -> RtError {
    RtError::msg("Modulo by zero")
}

/// `Invalid binary operation: string + int`
#[cold]
#[inline(never)]
pub(crate) fn invalid_binary(op: &str, a: Value, b: Value) -> RtError {
    RtError::msg(format!(
        "Invalid binary operation: {} {op} {}",
        type_name(a),
        type_name(b)
    ))
}

/// `Invalid unary operation: -string`
#[cold]
#[inline(never)]
fn invalid_unary(op: &str, a: Value) -> RtError {
    RtError::msg(format!("Invalid unary operation: {op}{}", type_name(a)))
}
