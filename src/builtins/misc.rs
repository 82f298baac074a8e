//! Builtins about values in general: `len`, `type`, `performance_now`, `error`, `assert`.

use super::Args;
use crate::error::{RtError, RtResult};
use crate::format;
use crate::heap::{as_obj, as_str, type_name, ErrorObj, Heap, ObjData};
use crate::span::Span;
use crate::value::Value;
use std::sync::OnceLock;
use std::time::Instant;

/// `len(x)`: characters of a string, elements of an array, entries of a dict.
pub(super) fn len(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let v = &a.one()?;
    let n = match as_obj(*v).map(|o| o.data()) {
        Some(ObjData::Str(s)) => s.char_len(),
        Some(ObjData::Array(items)) => items.len(),
        Some(ObjData::Dict(d)) => d.len(),
        _ => return Err(a.expected("string, array or dict", *v)),
    };
    Ok(heap.int(n as i64))
}

/// `type(x)`: the type name as a string.
pub(super) fn type_of(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let v = &a.one()?;
    Ok(heap.str(type_name(*v)))
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

/// `error(message)`: a new error value (not raised). A non-string message is converted
/// with its display text; `value` is null, `line` 0 and `stack` an empty array until the
/// VM raises it.
pub(super) fn error(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let m = &a.one()?;
    let message = if as_str(*m).is_some() {
        *m
    } else {
        heap.string(format::display(*m))
    };
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
/// `Assertion failed: <message>` (display text) or `Assertion failed`.
pub(super) fn assert(a: Args) -> RtResult<Value> {
    let args = a.between(1, 2)?;
    if crate::ops::truthy(args[0]) {
        return Ok(Value::NULL);
    }
    Err(match args.get(1) {
        Some(m) => RtError::msg(format!("Assertion failed: {}", format::display(*m))),
        None => RtError::msg("Assertion failed"),
    })
}
