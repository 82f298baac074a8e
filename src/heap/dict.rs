//! Dict storage: insertion-ordered entries in one of four forms, from the cheapest.
//!
//! Most dicts in scripts are records of a few fields (`{"id": i, "name": s}`). An
//! `IndexMap` costs two heap allocations (its entry vector and its hash table) and a hash
//! per lookup. Here:
//! - up to `INLINE_MAX` (3) entries live inside the object itself: no allocation;
//! - up to `SMALL_MAX` (8) entries are one vector of `(key, value)` pairs.
//!
//! Both are searched linearly, first for the identical key bits (an interned literal
//! key, the same inline int), then by content unless every key and the probe are
//! "plain" (inline ints or interned strings, which are equal only when identical).
//! - A dict whose keys are exactly the ints `0, 1, 2, ...` added in that order keeps
//!   them in the vector past `SMALL_MAX` (entry `i` has key `i`), like the array part of
//!   a Lua table: a lookup is an index, not a hash.
//! - Anything else moves into a (boxed) `IndexMap` with the `KeyHasher`, and stays there.
//!
//! All forms keep insertion order, and removal keeps the order of the other entries, so
//! the representation is invisible to programs.

use super::object::{as_obj, DictKey, KeyHasher, ObjData};
use crate::value::Value;
use indexmap::IndexMap;
use std::hash::BuildHasherDefault;

/// The most entries a dict holds inside its object, with no allocation.
const INLINE_MAX: usize = 3;
/// The most entries a dict holds in its small (linear) form.
const SMALL_MAX: usize = 8;

type Map = IndexMap<DictKey, Value, BuildHasherDefault<KeyHasher>>;

/// Insertion-ordered dict storage (see the module comment).
pub struct DictMap {
    repr: Repr,
}

enum Repr {
    /// Up to `INLINE_MAX` entries in the object itself (`entries[..len]`), and whether
    /// every key is "plain" (`plain_key`).
    Inline {
        len: u8,
        plain: bool,
        entries: [(DictKey, Value); INLINE_MAX],
    },
    /// Up to `SMALL_MAX` entries, and whether every key is "plain".
    Small(Vec<(DictKey, Value)>, bool),
    /// Entry `i` has the key `i` (an inline int), for every `i`.
    Dense(Vec<(DictKey, Value)>),
    /// Boxed so that the inline form fits the object slot.
    Map(Box<Map>),
}

impl Default for DictMap {
    fn default() -> Self {
        DictMap { repr: EMPTY_INLINE }
    }
}

const EMPTY_INLINE: Repr = Repr::Inline {
    len: 0,
    plain: true,
    entries: [(DictKey::FILLER, Value::NULL); INLINE_MAX],
};

/// The position of `k` among small-form entries; `plain` says every key in `entries`
/// is an inline int or an interned string.
#[inline]
fn small_find(entries: &[(DictKey, Value)], plain: bool, k: DictKey) -> Option<usize> {
    let raw = k.value();
    if let Some(i) = entries.iter().position(|(e, _)| e.value() == raw) {
        return Some(i);
    }
    // An inline int equals only the same bits (boxed ints are outside the inline range),
    // and an interned string differs from every other interned string.
    if plain && plain_key(raw) {
        return None;
    }
    small_find_by_content(entries, k)
}

/// The position of `k` in the dense form: `k` itself, when it is an inline int in range.
#[inline]
fn dense_find(entries: &[(DictKey, Value)], k: DictKey) -> Option<usize> {
    let v = k.value();
    if !v.is_inline_int() {
        return None;
    }
    let i = v.as_inline_int();
    (i >= 0 && (i as u64) < entries.len() as u64).then_some(i as usize)
}

/// The key value of int `i`.
#[inline]
fn int_key(i: usize) -> Value {
    Value::inline_int_unchecked(i as i64)
}

/// True when entry `i` has the key `i` for every `i`.
fn is_dense(entries: &[(DictKey, Value)]) -> bool {
    entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| k.value() == int_key(i))
}

/// True for an inline int or an interned string: keys equal to it are bit-identical.
#[inline]
fn plain_key(v: Value) -> bool {
    v.is_inline_int() || as_obj(v).is_some_and(|o| o.interned.get())
}

/// `small_find` for a key object that is not bit-identical to any entry: an equal
/// string or boxed int in another object.
#[inline(never)]
fn small_find_by_content(entries: &[(DictKey, Value)], k: DictKey) -> Option<usize> {
    let ko = as_obj(k.value())?;
    let ObjData::Str(s) = ko.data() else {
        return entries.iter().position(|(e, _)| *e == k);
    };
    let probe_interned = ko.interned.get();
    let (len, text) = (s.byte_len(), s.as_str());
    entries.iter().position(|(e, _)| {
        let Some(eo) = as_obj(e.value()) else {
            return false;
        };
        // Two interned strings are equal only if they are the same object.
        if probe_interned && eo.interned.get() {
            return false;
        }
        match eo.data() {
            // Lengths first: most distinct keys differ there.
            ObjData::Str(t) => t.byte_len() == len && t.as_str() == text,
            _ => false,
        }
    })
}

impl DictMap {
    /// An empty dict with room for `n` entries.
    #[inline]
    pub fn with_capacity(n: usize) -> DictMap {
        let repr = if n <= INLINE_MAX {
            EMPTY_INLINE
        } else if n <= SMALL_MAX {
            Repr::Small(Vec::with_capacity(n), true)
        } else {
            Repr::Map(Box::new(Map::with_capacity_and_hasher(
                n,
                Default::default(),
            )))
        };
        DictMap { repr }
    }

    /// The entries of the inline, small or dense form.
    #[inline]
    fn entries(&self) -> Option<&[(DictKey, Value)]> {
        match &self.repr {
            Repr::Inline { len, entries, .. } => Some(&entries[..*len as usize]),
            Repr::Small(v, _) | Repr::Dense(v) => Some(v),
            Repr::Map(_) => None,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Inline { len, .. } => *len as usize,
            Repr::Small(v, _) | Repr::Dense(v) => v.len(),
            Repr::Map(m) => m.len(),
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The estimated bytes of the storage this dict owns outside its object (for the GC
    /// trigger).
    #[inline]
    pub fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Inline { .. } => 0,
            Repr::Small(v, _) | Repr::Dense(v) => v.capacity() * 16,
            // 24 bytes per entry (hash, key, value) plus an index and a control byte.
            Repr::Map(m) => std::mem::size_of::<Map>() + m.capacity() * 33,
        }
    }

    /// The position of key `k`, if present.
    #[inline]
    pub fn get_index_of(&self, k: &DictKey) -> Option<usize> {
        match &self.repr {
            Repr::Inline {
                len,
                plain,
                entries,
            } => small_find(&entries[..*len as usize], *plain, *k),
            Repr::Small(v, plain) => small_find(v, *plain, *k),
            Repr::Dense(v) => dense_find(v, *k),
            Repr::Map(m) => m.get_index_of(k),
        }
    }

    /// The value at key `k`, if present.
    #[inline(always)]
    pub fn get(&self, k: &DictKey) -> Option<&Value> {
        let (e, i) = match &self.repr {
            Repr::Map(m) => return m.get(k),
            Repr::Dense(v) => (&v[..], dense_find(v, *k)?),
            Repr::Small(v, plain) => (&v[..], small_find(v, *plain, *k)?),
            Repr::Inline {
                len,
                plain,
                entries,
            } => {
                let e = &entries[..*len as usize];
                (e, small_find(e, *plain, *k)?)
            }
        };
        e.get(i).map(|(_, v)| v)
    }

    #[inline]
    pub fn contains_key(&self, k: &DictKey) -> bool {
        self.get_index_of(k).is_some()
    }

    /// The entry at position `i` (insertion order).
    #[inline]
    pub fn get_index(&self, i: usize) -> Option<(&DictKey, &Value)> {
        match &self.repr {
            Repr::Map(m) => m.get_index(i),
            _ => self.entries()?.get(i).map(|(k, x)| (k, x)),
        }
    }

    /// The entry at position `i`, with its value mutable.
    #[inline]
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&DictKey, &mut Value)> {
        let e: &mut [(DictKey, Value)] = match &mut self.repr {
            Repr::Inline { len, entries, .. } => &mut entries[..*len as usize],
            Repr::Small(v, _) | Repr::Dense(v) => v,
            Repr::Map(m) => return m.get_index_mut(i),
        };
        e.get_mut(i).map(|(k, x)| (&*k, x))
    }

    /// Sets `k` to `val`: replaces the value of an existing key in place, or adds the
    /// entry at the end. Returns the old value.
    #[inline]
    pub fn insert(&mut self, k: DictKey, val: Value) -> Option<Value> {
        match &mut self.repr {
            Repr::Inline {
                len,
                plain,
                entries,
            } => {
                let n = *len as usize;
                if let Some(i) = small_find(&entries[..n], *plain, k) {
                    return Some(std::mem::replace(&mut entries[i].1, val));
                }
                if n < INLINE_MAX {
                    *plain = *plain && plain_key(k.value());
                    entries[n] = (k, val);
                    *len += 1;
                    return None;
                }
                let mut v = Vec::with_capacity(SMALL_MAX);
                v.extend_from_slice(&entries[..]);
                v.push((k, val));
                let p = *plain && plain_key(k.value());
                self.repr = Repr::Small(v, p);
                None
            }
            Repr::Small(v, plain) => {
                if let Some(i) = small_find(v, *plain, k) {
                    return Some(std::mem::replace(&mut v[i].1, val));
                }
                if v.len() < SMALL_MAX {
                    *plain = *plain && plain_key(k.value());
                    v.push((k, val));
                    return None;
                }
                if is_dense(v) && k.value() == int_key(v.len()) {
                    let mut v = std::mem::take(v);
                    v.push((k, val));
                    self.repr = Repr::Dense(v);
                    return None;
                }
                self.into_map();
                self.insert(k, val)
            }
            Repr::Dense(v) => {
                if let Some(i) = dense_find(v, k) {
                    return Some(std::mem::replace(&mut v[i].1, val));
                }
                if k.value() == int_key(v.len()) {
                    v.push((k, val));
                    return None;
                }
                self.into_map();
                self.insert(k, val)
            }
            Repr::Map(m) => m.insert_full(k, val).1,
        }
    }

    /// `insert` for an inline int key of a dense dict that is present, or next with
    /// room for it in the vector (no allocation, nothing that can panic): true when
    /// stored; false, having changed nothing, for any other dict or key.
    #[inline]
    pub fn dense_set(&mut self, k: Value, val: Value) -> bool {
        let Repr::Dense(v) = &mut self.repr else {
            return false;
        };
        if !k.is_inline_int() {
            return false;
        }
        let Ok(i) = usize::try_from(k.as_inline_int()) else {
            return false;
        };
        if let Some(e) = v.get_mut(i) {
            e.1 = val;
            return true;
        }
        match DictKey::new(k) {
            Some(key) if i == v.len() && v.len() < v.capacity() => {
                v.push((key, val));
                true
            }
            _ => false,
        }
    }

    /// Moves the entries of the other forms into an `IndexMap` (order kept).
    #[cold]
    #[inline(never)]
    fn into_map(&mut self) {
        let Some(e) = self.entries() else {
            return;
        };
        let n = (2 * e.len()).max(2 * SMALL_MAX);
        let mut m = Map::with_capacity_and_hasher(n, Default::default());
        m.extend(e.iter().copied());
        self.repr = Repr::Map(Box::new(m));
    }

    /// Removes key `k`, keeping the order of the other entries; returns its value.
    pub fn shift_remove(&mut self, k: &DictKey) -> Option<Value> {
        match &mut self.repr {
            Repr::Inline {
                len,
                plain,
                entries,
            } => {
                let n = *len as usize;
                let i = small_find(&entries[..n], *plain, *k)?;
                let old = entries[i].1;
                entries[i..n].rotate_left(1);
                *len -= 1;
                Some(old)
            }
            Repr::Small(v, plain) => small_find(v, *plain, *k).map(|i| v.remove(i).1),
            Repr::Dense(v) => match dense_find(v, *k) {
                None => None,
                Some(i) if i + 1 == v.len() => v.pop().map(|(_, x)| x),
                Some(_) => {
                    self.into_map();
                    self.shift_remove(k)
                }
            },
            Repr::Map(m) => m.shift_remove(k),
        }
    }

    /// The entries in insertion order.
    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        match &self.repr {
            Repr::Map(m) => Iter::Map(m.iter()),
            _ => Iter::Small(self.entries().unwrap_or(&[]).iter()),
        }
    }

    /// The keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &DictKey> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values in insertion order.
    pub fn values(&self) -> impl Iterator<Item = &Value> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

/// An iterator over a dict's entries in insertion order.
pub enum Iter<'a> {
    Small(std::slice::Iter<'a, (DictKey, Value)>),
    Map(indexmap::map::Iter<'a, DictKey, Value>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a DictKey, &'a Value);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(it) => it.next().map(|(k, v)| (k, v)),
            Iter::Map(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Small(it) => it.size_hint(),
            Iter::Map(it) => it.size_hint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::{Heap, Obj};

    #[test]
    fn small_to_map_keeps_order_and_lookups() {
        let mut heap = Heap::with_stress(false);
        let mut d = DictMap::default();
        let key = |heap: &mut Heap, i: i64| {
            let v = if i % 2 == 0 {
                Value::inline_int_unchecked(i)
            } else {
                heap.string(format!("k{i}"))
            };
            DictKey::new(v).unwrap()
        };
        for i in 0..20 {
            let k = key(&mut heap, i);
            assert_eq!(d.insert(k, Value::inline_int_unchecked(i)), None);
            // A different string object with the same text is the same key.
            let again = key(&mut heap, i);
            assert_eq!(d.get(&again), Some(&Value::inline_int_unchecked(i)));
        }
        assert_eq!(d.len(), 20);
        let order: Vec<i64> = d.values().map(|v| v.as_inline_int()).collect();
        assert_eq!(order, (0..20).collect::<Vec<_>>());
        let k3 = key(&mut heap, 3);
        assert_eq!(d.shift_remove(&k3), Some(Value::inline_int_unchecked(3)));
        assert!(!d.contains_key(&k3));
        assert_eq!(d.get_index(3).map(|(_, v)| v.as_inline_int()), Some(4));
    }

    #[test]
    fn objects_stay_small() {
        assert!(std::mem::size_of::<Obj>() <= 64);
    }

    fn as_array_cap(a: Value) -> usize {
        crate::heap::as_array(a).map_or(0, |v| v.capacity())
    }

    #[test]
    fn array_layout_finds_the_elements() {
        let l = crate::heap::object::array_layout().expect("layout probe");
        let mut heap = Heap::with_stress(false);
        let items: Vec<Value> = (0..7).map(|i| Value::inline_int_unchecked(i * 3)).collect();
        let a = heap.array(items);
        let p = a.as_obj_ptr() as *const u8;
        // SAFETY: `a` is a live array object; the offsets come from the probe, and the
        // reads stay inside the object and its element buffer (index 5 < length 7).
        unsafe {
            assert_eq!(*p.add(crate::heap::object::OBJ_KIND_OFFSET as usize), 1);
            let len = *(p.add(l.len as usize) as *const usize);
            let cap = *(p.add(l.cap as usize) as *const usize);
            let data = *(p.add(l.ptr as usize) as *const *const Value);
            assert_eq!(len, 7);
            assert_eq!(cap, as_array_cap(a));
            assert_eq!((*data.add(5)).as_inline_int(), 15);
        }
    }
}
