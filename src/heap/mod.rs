//! The garbage-collected heap: allocation, byte accounting and the collection trigger.
//! Object layout is in `object`; marking and sweeping in `gc`.
//!
//! Invariants:
//! - The collector is precise and non-moving: an object never changes address, so native
//!   code (interpreter, builtins, JIT helpers) may hold raw pointers across a collection
//!   as long as the object stays reachable.
//! - Collection happens only at VM safe points, when the VM calls `collect` with every
//!   root (the live register stack of all frames, globals, loaded constants, and any
//!   values a builtin has pushed with `Vm`'s temporary-root mechanism). Allocation itself
//!   never collects: it only raises `should_collect()`. This removes a whole class of
//!   bugs: code between two safe points may hold unrooted values freely.
//! - Objects live in the slots of a pool of fixed-size chunks (`pool`); the header byte
//!   of a slot is the mark (white/black) or says the slot is free. Sweeping walks the
//!   chunks, drops unmarked objects, rebuilds the free list and releases empty chunks.
//! - One-character ASCII strings made through `Heap::str` are shared: the heap keeps one
//!   object per character (created on first use, marked by `collect` itself), and their
//!   buffers are frozen so that `+` never appends to them in place.
//! - The trigger: a collection is due once the bytes allocated since the last one reach
//!   `max(512 KiB, half the bytes that survived it)`, or all the bytes that survived it
//!   when most of what was allocated before it survived (a growing heap). A small floor
//!   keeps short-lived garbage in cache-warm pool slots and the peak RSS low; half the
//!   survivors bounds a steady heap at 1.5x its live size, and a growing heap at most
//!   doubles between collections; either way marking stays linear in allocation.
//! - `RUFF_GC_STRESS=1` makes `should_collect()` true whenever anything was allocated
//!   since the last collection (the threshold is then 1 byte), so the VM collects at every
//!   safe point after an allocation.
//! - `should_collect()` is exactly `allocated >= threshold`: compiled code makes the same
//!   test from the fields' offsets (`ALLOCATED_OFFSET`, `THRESHOLD_OFFSET`) at the back
//!   edge of a loop that may allocate without reaching a safe point.

mod dict;
pub mod gc;
pub mod object;
mod pool;

pub use object::{
    as_array, as_array_mut, as_closure, as_dict, as_dict_mut, as_error, as_int, as_obj, as_rstr,
    as_str, type_name, Closure, DictKey, DictMap, ErrorObj, Obj, ObjData, RStr, TraceFrame,
};

use crate::value::Value;

/// The minimum allocation volume between two collections (see the trigger above).
const MIN_THRESHOLD: usize = 512 << 10;

/// The byte offset of `Heap::allocated`, for compiled code's collection test.
pub(crate) const ALLOCATED_OFFSET: usize = std::mem::offset_of!(Heap, allocated);
/// The byte offset of `Heap::threshold`, for compiled code's collection test.
pub(crate) const THRESHOLD_OFFSET: usize = std::mem::offset_of!(Heap, threshold);

/// The heap: owns every object.
pub struct Heap {
    /// Every live (or not yet swept) object.
    pub(crate) pool: pool::Pool,
    /// The shared one-character ASCII strings, indexed by byte (null until first used).
    ascii: Box<[Value; 128]>,
    /// Strings interned by content (the program's string constants, type names); GC roots.
    interned: std::collections::HashMap<Box<str>, Value>,
    /// `static_str`'s cache: interned strings by the address of their `&'static str`.
    statics: Vec<(*const u8, usize, Value)>,
    /// Bytes allocated since the last collection (estimated).
    allocated: usize,
    /// Bytes that survived the last collection (estimated).
    pub(crate) live_bytes: usize,
    /// Collect once `allocated` reaches this (1 under `RUFF_GC_STRESS`).
    threshold: usize,
    stress: bool,
    /// Number of collections so far.
    pub collections: u64,
    /// `RUFF_MEM_STATS=1`: print collection statistics to stderr when the heap is dropped.
    stats: bool,
    /// The most bytes that survived a collection, and the most bytes allocated between two.
    peak_live: usize,
    peak_allocated: usize,
}

impl Drop for Heap {
    fn drop(&mut self) {
        if self.stats {
            self.print_stats();
        }
    }
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

impl Heap {
    /// A new heap; reads `RUFF_GC_STRESS` from the environment.
    pub fn new() -> Heap {
        let stress = std::env::var("RUFF_GC_STRESS")
            .map(|v| v == "1")
            .unwrap_or(false);
        let mut heap = Heap::with_stress(stress);
        heap.stats = std::env::var("RUFF_MEM_STATS").is_ok_and(|v| v == "1");
        heap
    }

    pub fn with_stress(stress: bool) -> Heap {
        Heap {
            pool: pool::Pool::new(),
            ascii: Box::new([Value::NULL; 128]),
            interned: Default::default(),
            statics: Vec::new(),
            allocated: 0,
            live_bytes: 0,
            threshold: if stress { 1 } else { MIN_THRESHOLD },
            stress,
            collections: 0,
            stats: false,
            peak_live: 0,
            peak_allocated: 0,
        }
    }

    /// True when the VM should collect at its next safe point.
    #[inline(always)]
    pub fn should_collect(&self) -> bool {
        self.allocated >= self.threshold
    }

    /// Records `bytes` of allocation made outside `alloc` (e.g. a growing array).
    #[inline(always)]
    pub fn account(&mut self, bytes: usize) {
        self.allocated += bytes;
    }

    /// Sets the next trigger from the bytes that survived a collection (`live`), given
    /// those that survived the one before (`live_before`). When most of what was
    /// allocated since then survived, the heap is growing and collecting soon would
    /// mostly re-mark the same objects, so the next trigger is `live` instead of `live/2`.
    pub(crate) fn threshold_reset(&mut self, live: usize, live_before: usize) {
        let grew = live.saturating_sub(live_before);
        let growing = grew > self.allocated / 2;
        self.peak_live = self.peak_live.max(live);
        self.peak_allocated = self.peak_allocated.max(self.allocated);
        self.allocated = 0;
        let next = if growing { live } else { live / 2 };
        self.threshold = if self.stress {
            1
        } else {
            next.max(MIN_THRESHOLD)
        };
    }

    /// Prints the collection statistics (for `RUFF_MEM_STATS=1`).
    fn print_stats(&self) {
        eprintln!(
            "gc: {} collections, peak live {} KiB, peak allocated between collections {} KiB, {} pool chunks now",
            self.collections,
            self.peak_live >> 10,
            self.peak_allocated_between() >> 10,
            self.pool.chunk_count()
        );
    }

    /// The most bytes allocated between two collections (or since the last one).
    pub fn peak_allocated_between(&self) -> usize {
        self.peak_allocated.max(self.allocated)
    }

    /// Number of objects currently on the heap.
    pub fn object_count(&self) -> usize {
        self.pool.len()
    }

    /// Allocates an object and returns a reference to it.
    #[inline]
    pub fn alloc(&mut self, data: ObjData) -> Value {
        self.allocated += gc::alloc_size(&data);
        Value::obj(self.pool.alloc(data))
    }

    /// Marks the strings the heap itself shares (one-character and interned ones).
    pub(crate) fn mark_shared(&self, m: &mut gc::Marker) {
        m.mark_slice(&self.ascii[..]);
        for &v in self.interned.values() {
            m.mark(v);
        }
    }

    /// The one string object with content `s`, created on first use and kept for the
    /// whole run. Equal interned strings are the same object, so comparing them (as dict
    /// keys or with `==`) succeeds on the pointer.
    pub fn intern(&mut self, s: &str) -> Value {
        if let Some(&v) = self.interned.get(s) {
            return v;
        }
        let v = self.str(s);
        if let Some(o) = as_obj(v) {
            // Flagged objects are exactly the values of this table, one per text, so two
            // flagged objects never have equal contents (other objects with the same
            // text may exist and are not flagged).
            o.interned.set(true);
        }
        self.interned.insert(s.into(), v);
        v
    }

    /// `intern` for a static string, cached by its address (for the few fixed strings
    /// builtins return, such as type names).
    #[inline]
    pub fn static_str(&mut self, s: &'static str) -> Value {
        let (key, len) = (s.as_ptr(), s.len());
        if let Some(&(_, _, v)) = self.statics.iter().find(|(p, n, _)| *p == key && *n == len) {
            return v;
        }
        let v = self.intern(s);
        if self.statics.len() < 32 {
            self.statics.push((key, len, v));
        }
        v
    }

    /// An int value: inline when it fits in 48 bits, boxed otherwise.
    #[inline]
    pub fn int(&mut self, i: i64) -> Value {
        match Value::inline_int(i) {
            Some(v) => v,
            None => self.alloc(ObjData::BigInt(i)),
        }
    }

    /// A new string value.
    pub fn string(&mut self, s: String) -> Value {
        self.allocated += s.capacity();
        self.alloc(ObjData::Str(RStr::new(s)))
    }

    /// A string value copied from `s` (one-character ASCII strings are shared).
    #[inline]
    pub fn str(&mut self, s: &str) -> Value {
        if let [b] = s.as_bytes() {
            if b.is_ascii() {
                return self.ascii_char(*b);
            }
        }
        self.string(s.to_owned())
    }

    /// The shared string for ASCII byte `b` (`b` below 128; higher bits are ignored).
    #[inline]
    pub fn ascii_char(&mut self, b: u8) -> Value {
        let v = self.ascii[b as usize & 127];
        if !v.is_null() {
            return v;
        }
        let text = [b & 127];
        let s = std::str::from_utf8(&text).unwrap_or("?");
        let v = self.alloc(ObjData::Str(RStr::new_frozen(s)));
        self.ascii[b as usize & 127] = v;
        v
    }

    /// A new string value from an existing `RStr` (e.g. the result of `RStr::concat`).
    pub fn rstr(&mut self, s: RStr, extra_bytes: usize) -> Value {
        self.allocated += extra_bytes;
        self.alloc(ObjData::Str(s))
    }

    /// A new array value.
    pub fn array(&mut self, items: Vec<Value>) -> Value {
        self.alloc(ObjData::Array(items))
    }

    /// A new dict value.
    pub fn dict(&mut self, map: DictMap) -> Value {
        self.alloc(ObjData::Dict(map))
    }

    /// A new cell holding `v`.
    pub fn cell(&mut self, v: Value) -> Value {
        self.alloc(ObjData::Cell(v))
    }
}
