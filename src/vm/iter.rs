//! `for` loop iteration (`IterPrep`/`IterNext`) over arrays, strings and dicts.
//!
//! The three state registers are `[collection, position, extra]`:
//! - array: position is the next index. The length is re-read at every step, so
//!   elements appended during the loop are visited, and removing elements ends the
//!   loop early; it never reads out of bounds.
//! - string: position is the byte offset of the next character; each step yields a
//!   one-character string (strings are immutable, so nothing can change underneath).
//! - dict: position is the next entry index and `extra` the dict's length when the
//!   loop started; if the length differs at any step the loop raises
//!   `Dict changed size during iteration`. Keys are yielded in insertion order;
//!   assigning to an existing key during the loop is allowed.

use crate::error::{RtError, RtResult};
use crate::heap::{as_obj, type_name, Heap, ObjData};
use crate::value::Value;

/// Initialises the iterator state at `state[0..3]` for iterating `src`.
///
/// # Safety
/// `state .. state + 3` must be registers of the current frame.
pub(super) unsafe fn prep(state: *mut Value, src: Value) -> RtResult<()> {
    let extra = match as_obj(src).map(|o| o.data()) {
        Some(ObjData::Array(_)) | Some(ObjData::Str(_)) => Value::NULL,
        Some(ObjData::Dict(d)) => Value::inline_int_unchecked(d.len() as i64),
        _ => return Err(not_iterable(src)),
    };
    // SAFETY: see the contract above.
    unsafe {
        *state = src;
        *state.add(1) = Value::inline_int_unchecked(0);
        *state.add(2) = extra;
    }
    Ok(())
}

/// The next item of the iterator at `state[0..3]`, or `None` when it is exhausted.
///
/// # Safety
/// `state .. state + 3` must be registers of the current frame.
pub(super) unsafe fn next(heap: &mut Heap, state: *mut Value) -> RtResult<Option<Value>> {
    // SAFETY: `state .. state + 3` are registers of the current frame, set by `prep`
    // (the compiler never writes them in between).
    let (coll, pos, extra) = unsafe { (*state, *state.add(1), *state.add(2)) };
    if !pos.is_inline_int() {
        return Ok(None);
    }
    let i = pos.as_inline_int() as usize;
    let item = match as_obj(coll).map(|o| o.data()) {
        Some(ObjData::Array(a)) => match a.get(i) {
            Some(v) => *v,
            None => return Ok(None),
        },
        Some(ObjData::Str(s)) => {
            let text = s.as_str();
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                return Ok(None);
            };
            let n = c.len_utf8();
            let v = heap.str(&text[i..i + n]);
            // SAFETY: as above.
            unsafe { *state.add(1) = Value::inline_int_unchecked((i + n) as i64) };
            return Ok(Some(v));
        }
        Some(ObjData::Dict(d)) => {
            if !extra.is_inline_int() || d.len() as i64 != extra.as_inline_int() {
                return Err(RtError::msg("Dict changed size during iteration"));
            }
            match d.get_index(i) {
                Some((k, _)) => k.value(),
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    // SAFETY: as above.
    unsafe { *state.add(1) = Value::inline_int_unchecked(i as i64 + 1) };
    Ok(Some(item))
}

#[cold]
fn not_iterable(v: Value) -> RtError {
    RtError::msg(format!("Cannot iterate over {}", type_name(v)))
}
