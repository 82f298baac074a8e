//! The builtin functions that need no VM access, behind one entry point, `call`, which
//! matches on the `Builtin` enum (no name lookup at run time). The VM implements the
//! rest itself (`print`, `eprint`, `map`, `filter`, `reduce`, `sort`, `exit`, `input`,
//! `args`).
//!
//! Error formats, shared by every builtin:
//! - arity: `len expects 1 argument, got 2`, `range expects 1 to 3 arguments, got 0`,
//!   `min expects at least 1 argument, got 0`;
//! - argument type: `len: argument 1 must be string, array or dict, got int`;
//! - other argument problems: `<name>: <what is wrong>` (e.g. `range: step must not be 0`).
//!
//! Like `ops`, no function here collects: the arguments stay valid for the whole call.

mod array;
mod bits;
mod convert;
mod dict;
mod math;
mod misc;
mod string;
#[cfg(test)]
mod tests;

use crate::bytecode::Builtin;
use crate::error::{RtError, RtResult};
use crate::heap::{as_obj, type_name, DictMap, Heap, ObjData, RStr};
use crate::ops::Num;
use crate::value::Value;

pub use array::push_value;
pub use misc::performance_now;

/// Calls builtin `b` with `args`. The VM-level builtins return an internal error.
pub fn call(heap: &mut Heap, b: Builtin, args: &[Value]) -> RtResult<Value> {
    use Builtin as B;
    let a = Args { b, args };
    match b {
        B::Print
        | B::Eprint
        | B::Map
        | B::Filter
        | B::Reduce
        | B::Sort
        | B::Exit
        | B::Input
        | B::Args => Err(RtError::msg("builtin handled by the VM")),
        B::Len => misc::len(heap, a),
        B::Type => misc::type_of(heap, a),
        B::PerformanceNow => misc::performance_now_builtin(a),
        B::Error => misc::error(heap, a),
        B::Assert => misc::assert(a),
        B::ToString | B::Str => convert::to_string(heap, a),
        B::ToInt => convert::to_int(heap, a),
        B::ToFloat => convert::to_float(a),
        B::ParseInt => convert::parse_int(heap, a),
        B::ParseFloat => convert::parse_float(a),
        B::Push | B::Append => array::push(heap, a),
        B::Pop => array::pop(a),
        B::Insert => array::insert(heap, a),
        B::RemoveAt => array::remove_at(a),
        B::Slice => array::slice(heap, a),
        B::Concat => array::concat(heap, a),
        B::Contains => array::contains(a),
        B::IndexOf => array::index_of(heap, a),
        B::Join => array::join(heap, a),
        B::Reverse => array::reverse(heap, a),
        B::Range => array::range(heap, a),
        B::Keys => dict::keys(heap, a),
        B::Values => dict::values(heap, a),
        B::Items => dict::items(heap, a),
        B::HasKey => dict::has_key(a),
        B::Get => dict::get(a),
        B::Remove => dict::remove(a),
        B::Split => string::split(heap, a),
        B::Trim => string::trim(heap, a),
        B::Upper => string::upper(heap, a),
        B::Lower => string::lower(heap, a),
        B::StartsWith => string::starts_with(a),
        B::EndsWith => string::ends_with(a),
        B::Replace => string::replace(heap, a),
        B::Substring => string::substring(heap, a),
        B::Repeat => string::repeat(heap, a),
        B::Chars => string::chars(heap, a),
        B::Ord => string::ord(heap, a),
        B::Chr => string::chr(heap, a),
        B::Abs => math::abs(heap, a),
        B::Min => math::min_max(a, true),
        B::Max => math::min_max(a, false),
        B::Floor => math::rounding(heap, a, f64::floor),
        B::Ceil => math::rounding(heap, a, f64::ceil),
        B::Round => math::rounding(heap, a, f64::round),
        B::Sqrt => math::float_fn(a, f64::sqrt),
        B::Pow => math::pow(heap, a),
        B::Sin => math::float_fn(a, f64::sin),
        B::Cos => math::float_fn(a, f64::cos),
        B::Tan => math::float_fn(a, f64::tan),
        B::Exp => math::float_fn(a, f64::exp),
        B::Log => math::float_fn(a, f64::ln),
        B::BitAnd => bits::binary(heap, a, |x, y| x & y),
        B::BitOr => bits::binary(heap, a, |x, y| x | y),
        B::BitXor => bits::binary(heap, a, |x, y| x ^ y),
        B::BitShl => bits::shift(heap, a, true),
        B::BitShr => bits::shift(heap, a, false),
    }
}

/// The arity error of builtin `b`, called with `got` arguments when it takes `min` to
/// `max` (`usize::MAX`: no limit): `len expects 1 argument, got 2`,
/// `range expects 1 to 3 arguments, got 0`, `min expects at least 1 argument, got 0`.
/// Public so the VM's own builtins word it the same way.
#[cold]
#[inline(never)]
pub fn arity_error(b: Builtin, min: usize, max: usize, got: usize) -> RtError {
    let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
    let name = b.name();
    RtError::msg(if min == max {
        format!("{name} expects {min} {}, got {got}", plural(min))
    } else if max == usize::MAX {
        format!("{name} expects at least {min} {}, got {got}", plural(min))
    } else {
        format!("{name} expects {min} to {max} arguments, got {got}")
    })
}

/// The type error of argument `k` (0-based) of builtin `b`:
/// `map: argument 1 must be array, got int`. Public so the VM's own builtins word it the
/// same way.
#[cold]
#[inline(never)]
pub fn type_error(b: Builtin, k: usize, what: &str, got: Value) -> RtError {
    RtError::msg(format!(
        "{}: argument {} must be {what}, got {}",
        b.name(),
        k + 1,
        type_name(got)
    ))
}

/// A builtin call's arguments, with the checks every builtin shares.
#[derive(Clone, Copy)]
pub(crate) struct Args<'a> {
    b: Builtin,
    args: &'a [Value],
}

impl<'a> Args<'a> {
    fn name(&self) -> &'static str {
        self.b.name()
    }

    /// Checks that exactly `n` arguments were passed, and returns them.
    #[inline]
    fn exactly(&self, n: usize) -> RtResult<&'a [Value]> {
        if self.args.len() != n {
            return Err(self.arity_error(n, n));
        }
        Ok(self.args)
    }

    /// Checks that between `min` and `max` arguments were passed, and returns them.
    #[inline]
    fn between(&self, min: usize, max: usize) -> RtResult<&'a [Value]> {
        if self.args.len() < min || self.args.len() > max {
            return Err(self.arity_error(min, max));
        }
        Ok(self.args)
    }

    #[cold]
    #[inline(never)]
    fn arity_error(&self, min: usize, max: usize) -> RtError {
        arity_error(self.b, min, max, self.args.len())
    }

    /// Argument `k` (0-based); null if absent (callers check the arity first).
    #[inline]
    fn arg(&self, k: usize) -> Value {
        self.args.get(k).copied().unwrap_or(Value::NULL)
    }

    /// `name: argument K must be <what>, got <type>`.
    #[cold]
    #[inline(never)]
    fn expected(&self, k: usize, what: &str) -> RtError {
        type_error(self.b, k, what, self.arg(k))
    }

    /// `name: <message>`.
    #[cold]
    #[inline(never)]
    fn fail(&self, message: impl std::fmt::Display) -> RtError {
        RtError::msg(format!("{}: {message}", self.name()))
    }

    /// Argument `k` as an int.
    fn int(&self, k: usize) -> RtResult<i64> {
        crate::heap::as_int(self.arg(k)).ok_or_else(|| self.expected(k, "int"))
    }

    /// Argument `k` as a number.
    fn num(&self, k: usize) -> RtResult<Num> {
        crate::ops::num(self.arg(k)).ok_or_else(|| self.expected(k, "int or float"))
    }

    /// Argument `k` as a string.
    fn str(&self, k: usize) -> RtResult<&'a RStr> {
        match as_obj(self.arg(k)).map(|o| o.data()) {
            Some(ObjData::Str(s)) => Ok(s),
            _ => Err(self.expected(k, "string")),
        }
    }

    /// Argument `k` as an array.
    fn array(&self, k: usize) -> RtResult<&'a Vec<Value>> {
        match as_obj(self.arg(k)).map(|o| o.data()) {
            Some(ObjData::Array(a)) => Ok(a),
            _ => Err(self.expected(k, "array")),
        }
    }

    /// Argument `k` as a dict.
    fn dict(&self, k: usize) -> RtResult<&'a DictMap> {
        match as_obj(self.arg(k)).map(|o| o.data()) {
            Some(ObjData::Dict(d)) => Ok(d),
            _ => Err(self.expected(k, "dict")),
        }
    }
}
