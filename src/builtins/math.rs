//! Math builtins: `abs`, `min`, `max`, `floor`, `ceil`, `round`, `sqrt`, `pow`, `sin`,
//! `cos`, `tan`, `exp`, `log`.

use super::convert::float_to_int;
use super::Args;
use crate::bytecode::CmpOp;
use crate::error::{RtError, RtResult};
use crate::heap::{as_array, Heap};
use crate::ops::{compare, Num};
use crate::value::Value;

/// `abs(x)`: ints stay ints (`abs` of the smallest int overflows), floats stay floats.
pub(super) fn abs(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    match a.num(0)? {
        Num::Int(i) => match i.checked_abs() {
            Some(r) => Ok(heap.int(r)),
            None => Err(RtError::msg(format!("Integer overflow: abs({i})"))),
        },
        Num::Float(f) => Ok(Value::float(f.abs())),
    }
}

/// `min(a, b, ...)` / `max(a, b, ...)`, or `min(array)` / `max(array)`: the smallest
/// (largest) argument by `<` (numbers or strings; the first of equal ones), returned
/// unchanged. A single argument that is not an array is returned as is.
pub(super) fn min_max(a: Args, is_min: bool) -> RtResult<Value> {
    let args = a.between(1, usize::MAX)?;
    let items: &[Value] = match (args.len(), as_array(args[0])) {
        (1, Some(arr)) if arr.is_empty() => return Err(a.fail("empty array")),
        (1, Some(arr)) => arr,
        _ => args,
    };
    let op = if is_min { CmpOp::Lt } else { CmpOp::Gt };
    let mut best = items[0];
    for &x in &items[1..] {
        if compare(op, x, best)? {
            best = x;
        }
    }
    Ok(best)
}

/// `floor(x)`, `ceil(x)`, `round(x)` (half away from zero): an int. Ints are returned
/// unchanged; NaN, infinities and floats beyond the int range are errors.
pub(super) fn rounding(heap: &mut Heap, a: Args, f: fn(f64) -> f64) -> RtResult<Value> {
    a.exactly(1)?;
    match a.num(0)? {
        Num::Int(_) => Ok(a.arg(0)),
        Num::Float(x) => {
            let i = float_to_int(&a, f(x))?;
            Ok(heap.int(i))
        }
    }
}

/// `sqrt`, `sin`, `cos`, `tan`, `exp`, `log` (natural): a float, IEEE results for
/// arguments outside the domain (`sqrt(-1)` is NaN, `log(0)` is `-inf`).
pub(super) fn float_fn(a: Args, f: fn(f64) -> f64) -> RtResult<Value> {
    a.exactly(1)?;
    Ok(Value::float(f(a.num(0)?.to_f64())))
}

/// `pow(x, y)`: an int for an int base and a non-negative int exponent (overflow is an
/// error), otherwise a float.
pub(super) fn pow(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    match (a.num(0)?, a.num(1)?) {
        (Num::Int(b), Num::Int(e)) if e >= 0 => {
            let r = match b {
                0 => Some(if e == 0 { 1 } else { 0 }),
                1 => Some(1),
                -1 => Some(if e % 2 == 0 { 1 } else { -1 }),
                _ => u32::try_from(e).ok().and_then(|e| b.checked_pow(e)),
            };
            match r {
                Some(r) => Ok(heap.int(r)),
                None => Err(RtError::msg(format!("Integer overflow: pow({b}, {e})"))),
            }
        }
        (b, e) => Ok(Value::float(b.to_f64().powf(e.to_f64()))),
    }
}
