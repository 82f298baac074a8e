//! Mark-sweep collection: marking from the roots with an explicit gray stack (no
//! recursion, so deep structures cannot overflow the native stack), then sweeping.

use super::object::{Obj, ObjData, BLACK, WHITE};
use super::Heap;
use crate::value::Value;

/// Marks values reachable from the roots that the VM reports.
pub struct Marker {
    gray: Vec<*const Obj>,
}

impl Marker {
    /// Marks `v` (and, later, everything it references) as reachable.
    #[inline]
    pub fn mark(&mut self, v: Value) {
        if v.is_obj() {
            let p = v.as_obj_ptr() as *const Obj;
            // SAFETY: a heap-reference value reachable from a root points to a live object
            // (every object referenced from a live object was itself live at the last sweep,
            // and nothing is freed except by `sweep`).
            let o = unsafe { &*p };
            if o.marked.get() == WHITE {
                o.marked.set(BLACK);
                // Strings and boxed ints reference nothing: no need to trace them later.
                if !matches!(o.data(), ObjData::Str(_) | ObjData::BigInt(_)) {
                    self.gray.push(p);
                }
            }
        }
    }

    /// Marks every value in `vs`.
    pub fn mark_slice(&mut self, vs: &[Value]) {
        for &v in vs {
            self.mark(v);
        }
    }

    /// Traces gray objects until none are left.
    fn drain(&mut self) {
        while let Some(p) = self.gray.pop() {
            // SAFETY: `p` was pushed by `mark`, so it is a live object.
            let o = unsafe { &*p };
            match o.data() {
                ObjData::Str(_) | ObjData::BigInt(_) => {}
                ObjData::Array(items) => {
                    for &v in items.iter() {
                        self.mark(v);
                    }
                }
                ObjData::Dict(map) => {
                    for (k, &v) in map.iter() {
                        self.mark(k.value());
                        self.mark(v);
                    }
                }
                ObjData::Closure(c) => {
                    for &v in c.upvals.iter() {
                        self.mark(v);
                    }
                }
                ObjData::Cell(v) => self.mark(*v),
                ObjData::Error(e) => {
                    self.mark(e.message);
                    self.mark(e.value);
                    self.mark(e.stack);
                }
            }
        }
    }
}

/// Bytes charged to the trigger when an object with this payload is allocated. A
/// string's buffer is charged by whoever made it (`Heap::string`, `Heap::rstr`): a
/// string made by appending in place shares its buffer and only adds what the append
/// grew, so charging the whole view again would trigger collections far too often.
#[inline]
pub(crate) fn alloc_size(data: &ObjData) -> usize {
    match data {
        ObjData::Str(_) => std::mem::size_of::<Obj>() + STR_SHARED_BYTES,
        _ => estimate_size(data),
    }
}

/// The shared-buffer record of a string (reference counts and the `String` header).
const STR_SHARED_BYTES: usize = 40;

/// The estimated size of a surviving object with this payload, in bytes (for the trigger).
#[inline]
pub(crate) fn estimate_size(data: &ObjData) -> usize {
    std::mem::size_of::<Obj>()
        + match data {
            ObjData::Str(s) => STR_SHARED_BYTES + s.heap_bytes(),
            ObjData::Array(a) => a.capacity() * 8,
            ObjData::Dict(d) => d.heap_bytes(),
            ObjData::Closure(c) => c.upvals.len() * 8,
            ObjData::Error(e) => 64 + e.trace.len() * 16,
            ObjData::Cell(_) | ObjData::BigInt(_) => 0,
        }
}

impl Heap {
    /// Collects garbage. `roots` must mark every root (see the invariants in `heap`).
    pub fn collect(&mut self, roots: &mut dyn FnMut(&mut Marker)) {
        let mut marker = Marker { gray: Vec::new() };
        self.mark_shared(&mut marker);
        roots(&mut marker);
        marker.drain();
        self.sweep();
        self.collections += 1;
    }

    /// Frees every unmarked object and clears the marks of the survivors.
    fn sweep(&mut self) {
        let before = self.live_bytes;
        self.live_bytes = self.pool.sweep(estimate_size);
        self.threshold_reset(self.live_bytes, before);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::{as_array, as_str};

    #[test]
    fn unreachable_objects_are_freed() {
        let mut heap = Heap::with_stress(false);
        let keep = heap.str("keep");
        let arr = heap.array(vec![keep]);
        for i in 0..1000 {
            heap.string(format!("garbage {i}"));
        }
        assert_eq!(heap.object_count(), 1002);
        heap.collect(&mut |m| m.mark(arr));
        assert_eq!(heap.object_count(), 2);
        assert_eq!(as_str(as_array(arr).unwrap()[0]), Some("keep"));
    }

    #[test]
    fn cycles_are_collected_and_deep_chains_do_not_recurse() {
        let mut heap = Heap::with_stress(false);
        let a = heap.array(vec![]);
        // SAFETY: no other reference to `a`'s payload is live.
        unsafe { crate::heap::as_array_mut(a).unwrap().push(a) };
        let mut chain = heap.array(vec![]);
        for _ in 0..200_000 {
            chain = heap.array(vec![chain]);
        }
        heap.collect(&mut |m| m.mark(chain));
        assert_eq!(heap.object_count(), 200_001);
        heap.collect(&mut |_| {});
        assert_eq!(heap.object_count(), 0);
    }

    #[test]
    fn pool_slots_are_reused_and_empty_chunks_released() {
        let mut heap = Heap::with_stress(false);
        let keep = heap.array(vec![]);
        for i in 0..10_000 {
            heap.string(format!("garbage {i}"));
        }
        heap.collect(&mut |m| m.mark(keep));
        assert_eq!(heap.object_count(), 1);
        // Freed slots are handed out again; survivors keep their address.
        let again: Vec<Value> = (1..=10_000).map(|i| heap.int(i << 50)).collect();
        let arr = heap.array(again);
        heap.collect(&mut |m| {
            m.mark(keep);
            m.mark(arr);
        });
        assert_eq!(heap.object_count(), 10_002);
        assert_eq!(as_array(arr).unwrap().len(), 10_000);
        assert_eq!(
            crate::heap::as_int(as_array(arr).unwrap()[9_999]),
            Some(10_000 << 50)
        );
    }

    #[test]
    fn interned_and_one_char_strings_are_shared_and_survive_collection() {
        let mut heap = Heap::with_stress(false);
        let a = heap.intern("dict");
        let b = heap.static_str("dict");
        assert_eq!(a, b);
        let c = heap.str("x");
        assert_eq!(c, heap.str("x"));
        heap.collect(&mut |_| {});
        assert_eq!(as_str(heap.intern("dict")), Some("dict"));
        assert_eq!(as_str(heap.str("x")), Some("x"));
        // `+` never appends into a shared one-character string's buffer.
        let y = heap.str("yz");
        let (joined, _) = crate::heap::as_rstr(c)
            .unwrap()
            .concat(crate::heap::as_rstr(y).unwrap());
        assert_eq!(joined.as_str(), "xyz");
        assert_eq!(as_str(c), Some("x"));
        assert_eq!(crate::heap::as_rstr(c).unwrap().heap_bytes(), 0);
    }
}
