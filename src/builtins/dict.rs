//! Dict builtins: `keys`, `values`, `items`, `has_key`, `get`, `remove`.

use super::Args;
use crate::error::RtResult;
use crate::heap::{as_dict_mut, Heap};
use crate::ops::{dict_key, missing_key};
use crate::value::Value;

/// `keys(d)`: the keys, in insertion order.
pub(super) fn keys(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let d = a.dict(0)?;
    let ks: Vec<Value> = d.keys().map(|k| k.value()).collect();
    Ok(heap.array(ks))
}

/// `values(d)`: the values, in insertion order.
pub(super) fn values(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let d = a.dict(0)?;
    let vs: Vec<Value> = d.values().copied().collect();
    Ok(heap.array(vs))
}

/// `items(d)`: an array of `[key, value]` arrays, in insertion order.
pub(super) fn items(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let d = a.dict(0)?;
    let pairs: Vec<(Value, Value)> = d.iter().map(|(k, v)| (k.value(), *v)).collect();
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        out.push(heap.array(vec![k, v]));
    }
    Ok(heap.array(out))
}

/// `has_key(d, k)`: whether `d` has key `k` (a string or int).
pub(super) fn has_key(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let d = a.dict(0)?;
    Ok(Value::bool(d.contains_key(&dict_key(a.arg(1))?)))
}

/// `get(d, k[, default])`: the value at `k`, or `default` (null if omitted).
pub(super) fn get(a: Args) -> RtResult<Value> {
    a.between(2, 3)?;
    let d = a.dict(0)?;
    let k = dict_key(a.arg(1))?;
    Ok(d.get(&k).copied().unwrap_or_else(|| a.arg(2)))
}

/// `remove(d, k)`: removes key `k` (keeping the order of the others) and returns its
/// value; a missing key is an error.
pub(super) fn remove(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    a.dict(0)?;
    let k = dict_key(a.arg(1))?;
    // SAFETY: checked to be a dict; no other reference to its payload is live, and
    // hashing the key reads only the key's own object.
    let d = unsafe { as_dict_mut(a.arg(0)) }.ok_or_else(|| a.expected(0, "dict"))?;
    d.shift_remove(&k).ok_or_else(|| missing_key(a.arg(1)))
}
