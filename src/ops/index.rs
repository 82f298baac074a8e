//! Indexing (`a[i]`, `a[i] = v`) and fields (`e.name`, `d.name = v`) on arrays,
//! strings, dicts and error values.

use crate::error::{RtError, RtResult};
use crate::format;
use crate::heap::{
    as_array_mut, as_dict_mut, as_int, as_obj, type_name, DictKey, DictMap, Heap, ObjData,
};
use crate::value::Value;

/// The position that index `i` names in a sequence of `len` items (negative counts from
/// the end), if it is in range.
#[inline]
pub(crate) fn resolve_index(i: i64, len: usize) -> Option<usize> {
    if i < 0 {
        let j = len as i64 + i;
        (j >= 0).then_some(j as usize)
    } else {
        ((i as u64) < len as u64).then_some(i as usize)
    }
}

/// `obj[key]`: arrays and strings by int (negative from the end; strings by Unicode
/// character, giving a one-character string), dicts by string or int key.
#[inline]
pub fn get_index(heap: &mut Heap, obj: Value, key: Value) -> RtResult<Value> {
    match get_index_fast(obj, key) {
        Some(v) => Ok(v),
        None => get_index_slow(heap, obj, key),
    }
}

#[inline(never)]
fn get_index_slow(heap: &mut Heap, obj: Value, key: Value) -> RtResult<Value> {
    match as_obj(obj).map(|o| o.data()) {
        Some(ObjData::Array(items)) => {
            let i = int_index(obj, key)?;
            match resolve_index(i, items.len()) {
                Some(j) => Ok(items[j]),
                None => Err(out_of_bounds(i)),
            }
        }
        Some(ObjData::Str(s)) => {
            let i = int_index(obj, key)?;
            let Some(j) = resolve_index(i, s.char_len()) else {
                return Err(out_of_bounds(i));
            };
            let text = s.as_str();
            if s.is_ascii() {
                Ok(heap.str(&text[j..j + 1]))
            } else {
                let c = text.chars().nth(j).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                Ok(heap.str(c.encode_utf8(&mut buf)))
            }
        }
        Some(ObjData::Dict(d)) => {
            let k = dict_key(key)?;
            match dict_get(d, k) {
                Some(v) => Ok(v),
                None => Err(missing_key(key)),
            }
        }
        _ => Err(cannot_index(obj)),
    }
}

/// `obj[key] = val`: arrays by int index in range, dicts by string or int key.
/// Strings are immutable.
#[inline]
pub fn set_index(heap: &mut Heap, obj: Value, key: Value, val: Value) -> RtResult<()> {
    if set_index_fast(heap, obj, key, val) {
        return Ok(());
    }
    set_index_slow(heap, obj, key, val)
}

#[inline(never)]
fn set_index_slow(heap: &mut Heap, obj: Value, key: Value, val: Value) -> RtResult<()> {
    match as_obj(obj).map(|o| o.data()) {
        Some(ObjData::Array(_)) => {
            let i = int_index(obj, key)?;
            // SAFETY: the shared reference above is no longer used; nothing else refers
            // to this array's payload.
            let items = unsafe { as_array_mut(obj) }.ok_or_else(|| cannot_index(obj))?;
            match resolve_index(i, items.len()) {
                Some(j) => {
                    items[j] = val;
                    Ok(())
                }
                None => Err(out_of_bounds(i)),
            }
        }
        Some(ObjData::Dict(_)) => {
            let k = dict_key(key)?;
            dict_insert(heap, obj, k, val);
            Ok(())
        }
        Some(ObjData::Str(_)) => Err(RtError::msg("Strings are immutable")),
        _ => Err(RtError::msg(format!(
            "Cannot assign to an index of {}",
            type_name(obj)
        ))),
    }
}

/// `obj[key]` when it can neither fail nor allocate: an array by an in-range inline int,
/// or a dict by a key it holds. `None` means "not handled here": the caller runs
/// `get_index`, which gives the same answer or the error. (The JIT's fast path.)
#[inline]
pub fn get_index_fast(obj: Value, key: Value) -> Option<Value> {
    match as_obj(obj)?.data() {
        ObjData::Array(items) if key.is_inline_int() => {
            resolve_index(key.as_inline_int(), items.len()).map(|i| items[i])
        }
        ObjData::Dict(d) => dict_get(d, DictKey::new(key)?),
        _ => None,
    }
}

/// `obj.name` on a dict that holds `name`; `None` otherwise (the caller runs `get_field`).
#[inline]
pub fn get_field_fast(obj: Value, name: Value) -> Option<Value> {
    match as_obj(obj)?.data() {
        ObjData::Dict(d) => dict_get(d, DictKey::new(name)?),
        _ => None,
    }
}

/// `obj[key] = val` when it cannot fail: an array element by an in-range inline int, or
/// a dict entry by a string or int key (inserted if new; growth is accounted, nothing is
/// collected). Returns false, having changed nothing, otherwise (the caller runs
/// `set_index`).
#[inline]
pub fn set_index_fast(heap: &mut Heap, obj: Value, key: Value, val: Value) -> bool {
    let Some(o) = as_obj(obj) else {
        return false;
    };
    match o.data() {
        ObjData::Array(items) if key.is_inline_int() => {
            let Some(i) = resolve_index(key.as_inline_int(), items.len()) else {
                return false;
            };
            // SAFETY: the shared reference above is no longer used; nothing else refers
            // to this array's payload, and storing a `Value` runs no other code.
            if let Some(items) = unsafe { as_array_mut(obj) } {
                items[i] = val;
            }
            true
        }
        ObjData::Dict(_) => set_field_fast(heap, obj, key, val),
        _ => false,
    }
}

/// `obj.name = val` on a dict (any string or int `name`); false, having changed
/// nothing, otherwise (the caller runs `set_field`).
#[inline]
pub fn set_field_fast(heap: &mut Heap, obj: Value, name: Value, val: Value) -> bool {
    let Some(k) = DictKey::new(name) else {
        return false;
    };
    // SAFETY: no other reference to this dict's payload is live; comparing keys reads
    // only the key objects, which are other objects.
    let Some(d) = (unsafe { as_dict_mut(obj) }) else {
        return false;
    };
    dict_insert_into(heap, d, k, val);
    true
}

/// A new dict from `kvs`, alternating keys and values (a dict literal's registers);
/// a later duplicate key replaces the earlier value in the earlier position.
pub fn new_dict(heap: &mut Heap, kvs: &[Value]) -> RtResult<Value> {
    let mut map = DictMap::with_capacity(kvs.len() / 2);
    for kv in kvs.chunks_exact(2) {
        map.insert(dict_key(kv[0])?, kv[1]);
    }
    Ok(heap.dict(map))
}

/// `d[k]`, if present.
#[inline]
pub(crate) fn dict_get(d: &DictMap, k: DictKey) -> Option<Value> {
    d.get(&k).copied()
}

/// Inserts into a dict value (which must be a dict), accounting for storage growth.
pub(crate) fn dict_insert(heap: &mut Heap, dict: Value, k: DictKey, val: Value) {
    // SAFETY: no other reference to this dict's payload is live; hashing or comparing a
    // key reads only the key's own string object, which is a different object.
    if let Some(d) = unsafe { as_dict_mut(dict) } {
        dict_insert_into(heap, d, k, val);
    }
}

/// `d[k] = val`, accounting for storage growth.
#[inline]
fn dict_insert_into(heap: &mut Heap, d: &mut DictMap, k: DictKey, val: Value) {
    let before = d.heap_bytes();
    d.insert(k, val);
    let after = d.heap_bytes();
    if after > before {
        heap.account(after - before);
    }
}

/// `obj.name`: a dict's `obj["name"]`, or an error value's `message`, `value`, `line`
/// or `stack`.
pub fn get_field(heap: &mut Heap, obj: Value, name: Value) -> RtResult<Value> {
    match as_obj(obj).map(|o| o.data()) {
        Some(ObjData::Dict(d)) => {
            let k = dict_key(name)?;
            match dict_get(d, k) {
                Some(v) => Ok(v),
                None => Err(missing_key(name)),
            }
        }
        Some(ObjData::Error(e)) => match crate::heap::as_str(name) {
            Some("message") => Ok(e.message),
            Some("value") => Ok(e.value),
            Some("line") => Ok(heap.int(e.line)),
            Some("stack") if e.stack.is_null() => Ok(heap.array(Vec::new())),
            Some("stack") => Ok(e.stack),
            _ => Err(RtError::msg(format!(
                "Error has no field {}",
                format::display(name)
            ))),
        },
        _ => Err(RtError::msg(format!(
            "Cannot read field {} of {}",
            format::display(name),
            type_name(obj)
        ))),
    }
}

/// `obj.name = val`: only dicts have assignable fields (`d.name = v` is `d["name"] = v`).
pub fn set_field(heap: &mut Heap, obj: Value, name: Value, val: Value) -> RtResult<()> {
    match as_obj(obj).map(|o| o.data()) {
        Some(ObjData::Dict(_)) => {
            let k = dict_key(name)?;
            dict_insert(heap, obj, k, val);
            Ok(())
        }
        _ => Err(RtError::msg(format!(
            "Cannot set field {} of {}",
            format::display(name),
            type_name(obj)
        ))),
    }
}

/// The int an array or string index must be; else `Cannot index array with string`.
fn int_index(obj: Value, key: Value) -> RtResult<i64> {
    as_int(key).ok_or_else(|| {
        RtError::msg(format!(
            "Cannot index {} with {}",
            type_name(obj),
            type_name(key)
        ))
    })
}

/// `key` as a dict key, or `Invalid dict key type: float`.
pub(crate) fn dict_key(key: Value) -> RtResult<DictKey> {
    DictKey::new(key).ok_or_else(|| invalid_key(key))
}

#[cold]
#[inline(never)]
fn invalid_key(key: Value) -> RtError {
    RtError::msg(format!("Invalid dict key type: {}", type_name(key)))
}

/// `Index out of bounds: 5` (the index as written).
#[cold]
#[inline(never)]
pub(crate) fn out_of_bounds(i: i64) -> RtError {
    RtError::msg(format!("Index out of bounds: {i}"))
}

/// `Missing key: "zz"` (string keys quoted and escaped, int keys plain).
#[cold]
#[inline(never)]
pub(crate) fn missing_key(key: Value) -> RtError {
    RtError::msg(format!("Missing key: {}", format::repr(key)))
}

#[cold]
#[inline(never)]
fn cannot_index(obj: Value) -> RtError {
    RtError::msg(format!("Cannot index {}", type_name(obj)))
}
