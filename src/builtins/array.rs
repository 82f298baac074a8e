//! Array builtins: `push`/`append`, `pop`, `insert`, `remove_at`, `slice`, `concat`,
//! `contains`, `index_of`, `join`, `reverse`, `range`.

use super::Args;
use crate::error::RtResult;
use crate::format;
use crate::heap::{as_array_mut, as_obj, Heap, ObjData, RStr};
use crate::ops::{equals, out_of_bounds, resolve_index};
use crate::value::Value;

/// The most elements `range` builds (2^27), so a typo cannot exhaust memory.
pub(crate) const MAX_RANGE_LEN: i128 = 1 << 27;

/// Runs `f` on the elements of array `arr` mutably, accounting for any growth; `None`
/// (nothing run) when `arr` is not an array.
#[inline]
fn with_items_mut<R>(
    heap: &mut Heap,
    arr: Value,
    f: impl FnOnce(&mut Vec<Value>) -> R,
) -> Option<R> {
    // SAFETY: no other reference to this array's payload is live during `f`, which only
    // moves `Value`s (it never dereferences them).
    let items = unsafe { as_array_mut(arr) }?;
    let before = items.capacity();
    let r = f(items);
    let grown = items.capacity().saturating_sub(before);
    if grown > 0 {
        heap.account(grown * 8);
    }
    Some(r)
}

/// `with_items_mut` on array argument 0, which must be an array.
#[inline]
fn with_array_mut<R>(
    heap: &mut Heap,
    a: &Args,
    f: impl FnOnce(&mut Vec<Value>) -> RtResult<R>,
) -> RtResult<R> {
    with_items_mut(heap, a.arg(0), f).unwrap_or_else(|| Err(a.expected(0, "array")))
}

/// `push(a, x)` / `append(a, x)`: appends in place and returns `a`.
pub(super) fn push(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let (arr, x) = (a.arg(0), a.arg(1));
    if !push_value(heap, arr, x) {
        return Err(a.expected(0, "array"));
    }
    Ok(arr)
}

/// Appends `x` to array `arr`, accounting for any growth; false (nothing changed) when
/// `arr` is not an array. `push`'s whole effect, also called directly by compiled code.
#[inline]
pub fn push_value(heap: &mut Heap, arr: Value, x: Value) -> bool {
    with_items_mut(heap, arr, |items| items.push(x)).is_some()
}

/// `pop(a)`: removes and returns the last element; an empty array is an error.
pub(super) fn pop(a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    // SAFETY: no other reference to this array's payload is live.
    let items = unsafe { as_array_mut(a.arg(0)) }.ok_or_else(|| a.expected(0, "array"))?;
    items.pop().ok_or_else(|| a.fail("array is empty"))
}

/// `insert(a, i, x)`: inserts `x` before position `i` (`0..=len`, negative from the
/// end) in place and returns `a`.
pub(super) fn insert(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(3)?;
    a.array(0)?;
    let i = a.int(1)?;
    let x = a.arg(2);
    with_array_mut(heap, &a, |items| {
        let len = items.len();
        let pos = if i < 0 { len as i64 + i } else { i };
        if pos < 0 || pos as u64 > len as u64 {
            return Err(out_of_bounds(i));
        }
        items.insert(pos as usize, x);
        Ok(())
    })?;
    Ok(a.arg(0))
}

/// `remove_at(a, i)`: removes and returns the element at `i` (negative from the end).
pub(super) fn remove_at(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    a.array(0)?;
    let i = a.int(1)?;
    // SAFETY: checked to be an array; no other reference to its payload is live.
    let items = unsafe { as_array_mut(a.arg(0)) }.ok_or_else(|| a.expected(0, "array"))?;
    match resolve_index(i, items.len()) {
        Some(j) => Ok(items.remove(j)),
        None => Err(out_of_bounds(i)),
    }
}

/// Clamps a slice bound like Python: negative counts from the end, then into `0..=len`.
pub(super) fn clamp_bound(i: i64, len: usize) -> usize {
    if i < 0 {
        (len as i64).saturating_add(i).max(0) as usize
    } else {
        (i as u64).min(len as u64) as usize
    }
}

/// The `[start, end)` char range of a slice of `len` items, from the optional args.
/// Arguments 1 and 2 (optional) are the bounds.
pub(super) fn slice_bounds(a: &Args, len: usize) -> RtResult<(usize, usize)> {
    let start = clamp_bound(a.int(1)?, len);
    let end = if a.args.len() > 2 {
        clamp_bound(a.int(2)?, len)
    } else {
        len
    };
    Ok((start, end.max(start)))
}

/// The characters `start..end` of a string (by Unicode character).
pub(super) fn char_range(s: &RStr, start: usize, end: usize) -> &str {
    let text = s.as_str();
    if s.is_ascii() {
        return &text[start..end];
    }
    let offset = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[offset(start)..offset(end)]
}

/// `slice(x, start[, end])`: a new array (or string, by characters) of the elements
/// `start..end`; bounds clamp like Python's slices.
pub(super) fn slice(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.between(2, 3)?;
    match as_obj(a.arg(0)).map(|o| o.data()) {
        Some(ObjData::Array(items)) => {
            let (s, e) = slice_bounds(&a, items.len())?;
            let part = items[s..e].to_vec();
            Ok(heap.array(part))
        }
        Some(ObjData::Str(st)) => {
            let (s, e) = slice_bounds(&a, st.char_len())?;
            Ok(heap.str(char_range(st, s, e)))
        }
        _ => Err(a.expected(0, "array or string")),
    }
}

/// `concat(a, b)`: a new array with the elements of both (or a new string).
pub(super) fn concat(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let (x, y) = (a.arg(0), a.arg(1));
    match (as_obj(x).map(|o| o.data()), as_obj(y).map(|o| o.data())) {
        (Some(ObjData::Array(p)), Some(ObjData::Array(q))) => {
            let mut items = Vec::with_capacity(p.len() + q.len());
            items.extend_from_slice(p);
            items.extend_from_slice(q);
            Ok(heap.array(items))
        }
        (Some(ObjData::Str(p)), Some(ObjData::Str(q))) => {
            let mut s = String::with_capacity(p.byte_len() + q.byte_len());
            s.push_str(p.as_str());
            s.push_str(q.as_str());
            Ok(heap.string(s))
        }
        (Some(ObjData::Array(_)), _) => Err(a.expected(1, "array")),
        (Some(ObjData::Str(_)), _) => Err(a.expected(1, "string")),
        _ => Err(a.expected(0, "array or string")),
    }
}

/// `contains(x, v)`: an array holding an element equal to `v`, or a string holding the
/// substring `v` (dicts use `has_key`).
pub(super) fn contains(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let x = a.arg(1);
    let found = match as_obj(a.arg(0)).map(|o| o.data()) {
        Some(ObjData::Array(items)) => items.iter().any(|&e| equals(e, x)),
        Some(ObjData::Str(s)) => s.as_str().contains(a.str(1)?.as_str()),
        _ => return Err(a.expected(0, "array or string")),
    };
    Ok(Value::bool(found))
}

/// `index_of(x, v)`: the first index of an element equal to `v` in an array, or the
/// character index of the substring `v` in a string; -1 if absent.
pub(super) fn index_of(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let x = a.arg(1);
    let pos = match as_obj(a.arg(0)).map(|o| o.data()) {
        Some(ObjData::Array(items)) => items.iter().position(|&e| equals(e, x)),
        Some(ObjData::Str(s)) => {
            let text = s.as_str();
            text.find(a.str(1)?.as_str()).map(|b| {
                if s.is_ascii() {
                    b
                } else {
                    text[..b].chars().count()
                }
            })
        }
        _ => return Err(a.expected(0, "array or string")),
    };
    Ok(heap.int(pos.map_or(-1, |p| p as i64)))
}

/// `join(a, sep)`: the display text of the elements, separated by `sep`.
pub(super) fn join(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let items = a.array(0)?;
    let sep = a.str(1)?.as_str();
    let mut out = String::new();
    for (i, &e) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        format::write_display(&mut out, e);
    }
    Ok(heap.string(out))
}

/// `reverse(a)`: a new array with the elements in reverse order; `a` is not changed.
pub(super) fn reverse(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    match as_obj(a.arg(0)).map(|o| o.data()) {
        Some(ObjData::Array(items)) => {
            let r: Vec<Value> = items.iter().rev().copied().collect();
            Ok(heap.array(r))
        }
        _ => Err(a.expected(0, "array")),
    }
}

/// `range(n)`, `range(a, b)`, `range(a, b, step)`: an array of ints from `a` (default 0)
/// up to but excluding `b`, by `step` (default 1; negative counts down; 0 is an error).
pub(super) fn range(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let n = a.between(1, 3)?.len();
    let (start, end) = if n == 1 {
        (0, a.int(0)?)
    } else {
        (a.int(0)?, a.int(1)?)
    };
    let step = if n == 3 { a.int(2)? } else { 1 };
    if step == 0 {
        return Err(a.fail("step must not be 0"));
    }
    let (s, e, st) = (start as i128, end as i128, step as i128);
    let count = if st > 0 && s < e {
        (e - s - 1) / st + 1
    } else if st < 0 && s > e {
        (s - e - 1) / -st + 1
    } else {
        0
    };
    if count > MAX_RANGE_LEN {
        return Err(a.fail(format!(
            "too many elements ({count}; the limit is {MAX_RANGE_LEN})"
        )));
    }
    let mut items = Vec::with_capacity(count as usize);
    let mut x = s;
    for _ in 0..count {
        // Every element lies between start and end, so it fits an i64.
        items.push(heap.int(x as i64));
        x += st;
    }
    Ok(heap.array(items))
}
