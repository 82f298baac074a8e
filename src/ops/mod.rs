//! Operator semantics, the one place they live: arithmetic, comparison, equality,
//! truthiness, indexing, fields and interpolation. The interpreter calls these, and so
//! do the JIT's slow-path helpers, so the two tiers cannot drift apart.
//!
//! Every function here takes values that are live (reachable from the VM's roots, or
//! just created) and never collects (heap invariant 1): it may allocate, but
//! collection happens only when control returns to the VM.
//!
//! Fast paths (two inline ints) come first, do no allocation or formatting, and fall
//! through to `#[inline(never)]` slow paths; error constructors are `#[cold]`.

mod arith;
mod compare;
mod index;
#[cfg(test)]
mod tests;

pub use arith::{add, div, mul, neg, rem, sub};
pub use compare::{compare, equals, order};
pub(crate) use index::{dict_key, missing_key, out_of_bounds, resolve_index};
pub use index::{get_field, get_index, set_field, set_index};
pub use index::{get_field_fast, get_index_fast, new_dict, set_field_fast, set_index_fast};

use crate::format;
use crate::heap::{as_obj, Heap, ObjData};
use crate::value::Value;

/// The truthiness of `v`: `false`, `null`, `0`, `0.0`, `""`, `[]` and `{}` are falsy;
/// everything else (including NaN) is truthy.
#[inline]
pub fn truthy(v: Value) -> bool {
    if v.is_bool() {
        return v.as_bool();
    }
    if v.is_inline_int() {
        return v.as_inline_int() != 0;
    }
    truthy_slow(v)
}

#[inline(never)]
fn truthy_slow(v: Value) -> bool {
    if v.is_float() {
        return v.as_float() != 0.0;
    }
    if v.is_null() || v.is_undefined() {
        return false;
    }
    match as_obj(v).map(|o| o.data()) {
        Some(ObjData::Str(s)) => s.byte_len() != 0,
        Some(ObjData::Array(a)) => !a.is_empty(),
        Some(ObjData::Dict(d)) => !d.is_empty(),
        Some(ObjData::BigInt(i)) => *i != 0,
        _ => true,
    }
}

/// `!a`: the negated truthiness, as a bool.
#[inline]
pub fn not(a: Value) -> Value {
    Value::bool(!truthy(a))
}

/// String interpolation: the display text of every part, joined, as a new string.
pub fn concat_display(heap: &mut Heap, parts: &[Value]) -> Value {
    let mut s = String::new();
    for &p in parts {
        format::write_display(&mut s, p);
    }
    heap.string(s)
}

/// A number operand: the two numeric types, with boxed and inline ints unified.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

/// `v` as a number, if it is an int (inline or boxed) or a float.
#[inline]
pub(crate) fn num(v: Value) -> Option<Num> {
    if v.is_inline_int() {
        Some(Num::Int(v.as_inline_int()))
    } else if v.is_float() {
        Some(Num::Float(v.as_float()))
    } else {
        match as_obj(v).map(|o| o.data()) {
            Some(ObjData::BigInt(i)) => Some(Num::Int(*i)),
            _ => None,
        }
    }
}
