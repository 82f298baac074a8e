//! Builtins about values in general: `len`, `type`, `performance_now`, `error`, `assert`.

use super::Args;
use crate::error::{RtError, RtResult};
use crate::format;
use crate::heap::{as_obj, type_name, ErrorObj, Heap, ObjData};
use crate::span::Span;
use crate::value::Value;
use std::sync::OnceLock;
use std::time::Instant;

/// `len(x)`: characters of a string, elements of an array, entries of a dict.
pub(super) fn len(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let n = match as_obj(a.arg(0)).map(|o| o.data()) {
        Some(ObjData::Str(s)) => s.char_len(),
        Some(ObjData::Array(items)) => items.len(),
        Some(ObjData::Dict(d)) => d.len(),
        _ => return Err(a.expected(0, "string, array or dict")),
    };
    Ok(heap.int(n as i64))
}

/// `type(x)`: the type name as a string.
pub(super) fn type_of(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    Ok(heap.static_str(type_name(a.arg(0))))
}

static CLOCK_ORIGIN: OnceLock<Instant> = OnceLock::new();

/// Milliseconds since the clock origin (the first call of this function; the VM may call
/// it at startup so the origin is the program start), as a float.
pub fn performance_now() -> f64 {
    let origin = CLOCK_ORIGIN.get_or_init(Instant::now);
    origin.elapsed().as_secs_f64() * 1000.0
}

/// `performance_now()`.
pub(super) fn performance_now_builtin(a: Args) -> RtResult<Value> {
    a.exactly(0)?;
    Ok(Value::float(performance_now()))
}

/// `error(message)`: a new error value (not raised) with a string message; `value` is
/// null, `line` 0 and `stack` an empty array until the VM raises it.
pub(super) fn error(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    a.str(0)?;
    let message = a.arg(0);
    let stack = heap.array(Vec::new());
    Ok(heap.alloc(ObjData::Error(Box::new(ErrorObj {
        message,
        value: Value::NULL,
        line: 0,
        stack,
        span: Span::default(),
        trace: Vec::new(),
    }))))
}

/// `assert(cond[, message])`: null when `cond` is truthy, else raises
/// The message's display text (as Python's `assert c, msg`), or `Assertion failed`.
pub(super) fn assert(a: Args) -> RtResult<Value> {
    let args = a.between(1, 2)?;
    if crate::ops::truthy(args[0]) {
        return Ok(Value::NULL);
    }
    Err(match args.get(1) {
        Some(m) => RtError::msg(format::display(*m)),
        None => RtError::msg("Assertion failed"),
    })
}
