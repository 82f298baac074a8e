//! Heap object layout: the `Obj` header and the payload of every object type
//! (strings, arrays, dicts, closures, cells, boxed ints, errors), plus typed accessors.
//!
//! Access invariants (they make the `unsafe` accessors sound):
//! 1. An object stays allocated while it is reachable from the roots. Collection only
//!    happens at VM safe points (`Heap::collect`), never inside an `ops` or builtin
//!    call, so a reference obtained from a live `Value` stays valid until the caller
//!    returns to the VM loop.
//! 2. Nobody holds two references to one object's payload at once when either is
//!    mutable (`concat(a, a)` clones one side first, and so on).

use crate::bytecode::Proto;
use crate::span::Span;
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// Header state of a slot that holds a live object not (yet) marked in this collection.
pub(crate) const WHITE: u8 = 0;
/// Header state of an object the current collection has marked reachable.
pub(crate) const BLACK: u8 = 1;
/// Header state of a pool slot that holds no object (its payload is uninitialised).
pub(crate) const FREE: u8 = 2;

/// Every heap object: a one-byte header (`WHITE`, `BLACK`, or `FREE` for an empty pool
/// slot) at offset 0, two bytes in what was padding (`interned` at 1, `kind` at 2),
/// then the payload at offset 8 (`repr(C)`).
#[repr(C)]
pub struct Obj {
    pub(crate) marked: Cell<u8>,
    /// True for a string in the heap's intern table: two different interned objects
    /// never have equal contents, so dict lookups can skip comparing them.
    pub(crate) interned: Cell<bool>,
    /// Which `ObjData` variant the payload is (`KIND_ARRAY`, ...). Set when the object
    /// is made; no code replaces an object's payload with another variant. Compiled
    /// code reads it to recognise arrays without calling into Rust.
    kind: u8,
    data: UnsafeCell<ObjData>,
}

/// The byte offset of `Obj::kind`.
pub const OBJ_KIND_OFFSET: i32 = 2;
const _: () = assert!(std::mem::offset_of!(Obj, kind) == OBJ_KIND_OFFSET as usize);
/// `Obj::kind` of an array.
pub const KIND_ARRAY: u8 = 1;

/// Where compiled code finds an array's elements: byte offsets, from the start of the
/// `Obj`, of the element pointer, the length and the capacity of its `Vec`.
#[derive(Clone, Copy, Debug)]
pub struct ArrayLayout {
    pub ptr: i32,
    pub len: i32,
    pub cap: i32,
}

/// The `ArrayLayout` of this build, found once by looking at a probe array (Rust does
/// not fix the layout of an enum variant's fields or of `Vec`): the `Vec`'s offset in
/// the object comes from a reference to it, and its three words are read back and
/// matched against the known pointer, length (3) and capacity (5). `None` if the
/// probe is ambiguous; compiled code then calls helpers instead.
pub fn array_layout() -> Option<ArrayLayout> {
    static LAYOUT: std::sync::OnceLock<Option<ArrayLayout>> = std::sync::OnceLock::new();
    *LAYOUT.get_or_init(|| {
        let mut v: Vec<Value> = Vec::with_capacity(5);
        v.extend([Value::NULL; 3]);
        if v.capacity() != 5 {
            return None;
        }
        let elems = v.as_ptr() as usize;
        let o = Obj::new(ObjData::Array(v));
        let ObjData::Array(inner) = o.data() else {
            return None;
        };
        let vec_off =
            (inner as *const Vec<Value> as usize).checked_sub(&o as *const Obj as usize)?;
        const _: () = assert!(std::mem::size_of::<Vec<Value>>() == 24);
        // SAFETY: a `Vec` is three initialised words (pointer, capacity, length in some
        // order); reading them as integers reads no padding.
        let words: [usize; 3] = unsafe { std::mem::transmute_copy(inner) };
        let find = |x: usize| {
            let mut hits = words.iter().enumerate().filter(|(_, &w)| w == x);
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        let (p, l, c) = (find(elems)?, find(3)?, find(5)?);
        let at = |i: usize| (vec_off + i * 8) as i32;
        Some(ArrayLayout {
            ptr: at(p),
            len: at(l),
            cap: at(c),
        })
    })
}

/// The payload of a heap object.
pub enum ObjData {
    Str(RStr),
    Array(Vec<Value>),
    Dict(DictMap),
    Closure(Closure),
    /// A captured variable, shared by every closure that captured it.
    Cell(Value),
    /// An int outside the 48-bit inline range.
    BigInt(i64),
    Error(Box<ErrorObj>),
}

impl Obj {
    pub(crate) fn new(data: ObjData) -> Obj {
        let kind = match data {
            ObjData::Str(_) => 0,
            ObjData::Array(_) => KIND_ARRAY,
            ObjData::Dict(_) => 2,
            ObjData::Closure(_) => 3,
            ObjData::Cell(_) => 4,
            ObjData::BigInt(_) => 5,
            ObjData::Error(_) => 6,
        };
        Obj {
            marked: Cell::new(WHITE),
            interned: Cell::new(false),
            kind,
            data: UnsafeCell::new(data),
        }
    }

    /// The payload.
    #[inline(always)]
    pub fn data(&self) -> &ObjData {
        // SAFETY: invariant 2 above: no `&mut` to this payload is live while a shared
        // reference is used.
        unsafe { &*self.data.get() }
    }

    /// The payload, mutably.
    ///
    /// # Safety
    /// The caller must hold no other reference to this object's payload while the
    /// returned one is live (invariant 2).
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn data_mut(&self) -> &mut ObjData {
        &mut *self.data.get()
    }

    /// The type name a program sees (`type(x)`).
    pub fn type_name(&self) -> &'static str {
        match self.data() {
            ObjData::Str(_) => "string",
            ObjData::Array(_) => "array",
            ObjData::Dict(_) => "dict",
            ObjData::Closure(_) => "function",
            ObjData::Cell(_) => "cell",
            ObjData::BigInt(_) => "int",
            ObjData::Error(_) => "error",
        }
    }
}

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

/// An immutable string: a view of the first `len` bytes of a shared, append-only buffer.
///
/// Repeated `s = s + x` is linear, not quadratic: when the left operand's view ends at
/// its buffer's end, `+` appends the right operand to that buffer in place (amortised
/// O(len(x))) and returns a new, longer view of the same buffer. The old string's view
/// is unchanged, because the buffer only ever grows at the end. When the left view is
/// not at the end (someone already appended past it), `+` copies.
pub struct RStr {
    buf: Rc<UnsafeCell<String>>,
    len: usize,
    /// Number of Unicode scalar values.
    chars: usize,
    /// Cached hash; 0 means not computed yet.
    hash: Cell<u64>,
}

impl RStr {
    /// A string that `concat` never appends to in place: its buffer holds one byte past
    /// the view. Used for strings shared by the whole heap (the one-character cache), so
    /// that nobody grows their buffers.
    pub(crate) fn new_frozen(s: &str) -> RStr {
        let mut buf = String::with_capacity(s.len() + 1);
        buf.push_str(s);
        buf.push('\0');
        RStr {
            buf: Rc::new(UnsafeCell::new(buf)),
            len: s.len(),
            chars: count_chars(s),
            hash: Cell::new(0),
        }
    }

    pub fn new(s: String) -> RStr {
        let chars = count_chars(&s);
        let len = s.len();
        RStr {
            buf: Rc::new(UnsafeCell::new(s)),
            len,
            chars,
            hash: Cell::new(0),
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: the buffer is append-only and `len` is a char boundary that was valid when
        // this view was made; appends never touch bytes `..len`. No `&mut String` to the
        // buffer is live outside `append`, which does not call back into user code.
        unsafe { (*self.buf.get()).get_unchecked(..self.len) }
    }

    /// Length in bytes.
    #[inline]
    pub fn byte_len(&self) -> usize {
        self.len
    }

    /// Length in Unicode characters (what `len(s)` returns).
    #[inline]
    pub fn char_len(&self) -> usize {
        self.chars
    }

    /// True if every character is ASCII (so char index == byte index).
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.chars == self.len
    }

    /// The content hash (cached).
    #[inline]
    pub fn hash_value(&self) -> u64 {
        let h = self.hash.get();
        if h != 0 {
            return h;
        }
        let h = hash_bytes(self.as_str().as_bytes()) | 1;
        self.hash.set(h);
        h
    }

    /// `self + other`, appending in place when this view ends at its buffer's end.
    /// Returns the new string and the number of bytes newly allocated (for GC accounting).
    pub fn concat(&self, other: &RStr) -> (RStr, usize) {
        let buf_ptr = self.buf.get();
        // SAFETY: a shared read of the buffer's length; no `&mut String` to it is live.
        let at_end = unsafe { (&*buf_ptr).len() } == self.len;
        if at_end {
            // `other` may view the same buffer (`s + s`, or a prefix of it). Copy it out
            // before taking the buffer mutably: the append may reallocate the buffer.
            let copied: Option<String> = if Rc::ptr_eq(&self.buf, &other.buf) {
                Some(other.as_str().to_owned())
            } else {
                None
            };
            let tail: &str = match &copied {
                Some(c) => c,
                None => other.as_str(),
            };
            // SAFETY: `tail` is either a fresh copy or a view of a different buffer, so it
            // does not alias this buffer; the `&mut String` lives only for the append, and
            // views of this buffer keep (Rc, len) pairs, never pointers into it.
            let grown = unsafe {
                let buf = &mut *buf_ptr;
                let before = buf.capacity();
                buf.push_str(tail);
                buf.capacity() - before
            };
            let s = RStr {
                buf: self.buf.clone(),
                len: self.len + other.len,
                chars: self.chars + other.chars,
                hash: Cell::new(0),
            };
            return (s, grown);
        }
        let mut s = String::with_capacity(self.len + other.len);
        s.push_str(self.as_str());
        s.push_str(other.as_str());
        let cap = s.capacity();
        (RStr::new(s), cap)
    }

    /// Bytes this string's buffer occupies, counted once per buffer: by the view that
    /// reaches the buffer's end (the newest); shorter views of the same buffer count 0.
    pub fn heap_bytes(&self) -> usize {
        // SAFETY: a shared read of the buffer's length and capacity; no `&mut String` to
        // it is live outside `concat`'s append.
        let buf = unsafe { &*self.buf.get() };
        if buf.len() == self.len {
            buf.capacity()
        } else {
            0
        }
    }
}

fn count_chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// FNV-1a, 64-bit: fast for the short strings scripts use as keys.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------
// Dicts
// ---------------------------------------------------------------------------

/// A dict key: a string or an int (inline or boxed), compared and hashed by content.
/// Constructed only through `Heap::dict_key`/`DictKey::new`, which reject other types.
#[derive(Clone, Copy)]
pub struct DictKey(Value);

impl DictKey {
    /// A filler for unused inline slots of a small dict (never read as a key).
    pub(crate) const FILLER: DictKey = DictKey(Value::NULL);

    /// A key for `v`, or `None` if `v` is neither a string nor an int.
    #[inline]
    pub fn new(v: Value) -> Option<DictKey> {
        if v.is_inline_int() {
            return Some(DictKey(v));
        }
        match as_obj(v).map(|o| o.data()) {
            Some(ObjData::Str(_)) | Some(ObjData::BigInt(_)) => Some(DictKey(v)),
            _ => None,
        }
    }

    /// The key as a value.
    #[inline]
    pub fn value(self) -> Value {
        self.0
    }

    fn str(self) -> Option<&'static RStr> {
        match as_obj(self.0).map(|o| o.data()) {
            // SAFETY (lifetime): keys are rooted by the dict that holds them (invariant 1);
            // the reference is used only for the duration of a hash or comparison.
            Some(ObjData::Str(s)) => Some(unsafe { &*(s as *const RStr) }),
            _ => None,
        }
    }
}

impl PartialEq for DictKey {
    #[inline]
    fn eq(&self, other: &DictKey) -> bool {
        if self.0 == other.0 {
            return true;
        }
        // Different bits: equal only as two objects with equal contents. An inline int
        // never equals a boxed one (ints are boxed only outside the inline range), nor
        // a string.
        if !(self.0.is_obj() && other.0.is_obj()) {
            return false;
        }
        match (
            as_obj(self.0).map(|o| o.data()),
            as_obj(other.0).map(|o| o.data()),
        ) {
            (Some(ObjData::Str(a)), Some(ObjData::Str(b))) => {
                a.len == b.len && a.hash_value() == b.hash_value() && a.as_str() == b.as_str()
            }
            (Some(ObjData::BigInt(a)), Some(ObjData::BigInt(b))) => a == b,
            _ => false,
        }
    }
}

impl Eq for DictKey {}

impl Hash for DictKey {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        if let Some(i) = as_int(self.0) {
            state.write_u64(i as u64);
        } else if let Some(s) = self.str() {
            state.write_u64(s.hash_value());
        }
    }
}

/// A hasher for `DictKey`s, which already feed it one well-mixed `u64`.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes);
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        // Fibonacci multiply, so consecutive int keys spread over the table.
        self.0 = (x ^ (x >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub use super::dict::DictMap;

// ---------------------------------------------------------------------------
// Closures and errors
// ---------------------------------------------------------------------------

/// A function value: a compiled `Proto` and the cells it captured.
pub struct Closure {
    pub proto: Rc<Proto>,
    /// Cells (`ObjData::Cell` objects), one per `proto.upvals` entry.
    pub upvals: Box<[Value]>,
}

/// One frame of an error's traceback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceFrame {
    /// The function's name (`<script>` for the top level).
    pub name: Rc<str>,
    /// The line of the failing instruction or call site in that frame.
    pub line: u32,
}

/// An error value, as `except e` binds it.
pub struct ErrorObj {
    /// `e.message`: a string value.
    pub message: Value,
    /// `e.value`: the thrown value; null for runtime errors.
    pub value: Value,
    /// `e.line`: the line where the error was raised.
    pub line: i64,
    /// `e.stack`: an array of function names (innermost first), or null until filled.
    pub stack: Value,
    /// Where the error was raised (for the caret), and the frames it passed through.
    pub span: Span,
    pub trace: Vec<TraceFrame>,
}

// ---------------------------------------------------------------------------
// Typed access from a `Value`
// ---------------------------------------------------------------------------

/// The object a value refers to, if it is a heap reference.
#[inline(always)]
pub fn as_obj<'a>(v: Value) -> Option<&'a Obj> {
    if v.is_obj() {
        // SAFETY: a heap-reference value points to a live `Obj` (invariant 1).
        Some(unsafe { &*v.as_obj_ptr() })
    } else {
        None
    }
}

/// The string a value refers to, if it is one.
#[inline]
pub fn as_rstr<'a>(v: Value) -> Option<&'a RStr> {
    match as_obj(v)?.data() {
        ObjData::Str(s) => Some(s),
        _ => None,
    }
}

/// The text of a string value, if it is one.
#[inline]
pub fn as_str<'a>(v: Value) -> Option<&'a str> {
    as_rstr(v).map(|s| s.as_str())
}

/// The int a value holds, inline or boxed.
#[inline]
pub fn as_int(v: Value) -> Option<i64> {
    if v.is_inline_int() {
        return Some(v.as_inline_int());
    }
    match as_obj(v)?.data() {
        ObjData::BigInt(i) => Some(*i),
        _ => None,
    }
}

/// The elements of an array value, mutably.
///
/// # Safety
/// No other reference to this array's payload may be live while the result is used.
#[inline]
pub unsafe fn as_array_mut<'a>(v: Value) -> Option<&'a mut Vec<Value>> {
    match as_obj(v)?.data_mut() {
        ObjData::Array(a) => Some(a),
        _ => None,
    }
}

/// The elements of an array value.
#[inline]
pub fn as_array<'a>(v: Value) -> Option<&'a Vec<Value>> {
    match as_obj(v)?.data() {
        ObjData::Array(a) => Some(a),
        _ => None,
    }
}

/// The entries of a dict value, mutably.
///
/// # Safety
/// No other reference to this dict's payload may be live while the result is used.
#[inline]
pub unsafe fn as_dict_mut<'a>(v: Value) -> Option<&'a mut DictMap> {
    match as_obj(v)?.data_mut() {
        ObjData::Dict(d) => Some(d),
        _ => None,
    }
}

/// The entries of a dict value.
#[inline]
pub fn as_dict<'a>(v: Value) -> Option<&'a DictMap> {
    match as_obj(v)?.data() {
        ObjData::Dict(d) => Some(d),
        _ => None,
    }
}

/// The closure a value refers to, if it is one.
#[inline]
pub fn as_closure<'a>(v: Value) -> Option<&'a Closure> {
    match as_obj(v)?.data() {
        ObjData::Closure(c) => Some(c),
        _ => None,
    }
}

/// The error object a value refers to, if it is one.
#[inline]
pub fn as_error<'a>(v: Value) -> Option<&'a ErrorObj> {
    match as_obj(v)?.data() {
        ObjData::Error(e) => Some(e),
        _ => None,
    }
}

/// The type name a program sees for any value (`type(x)`).
pub fn type_name(v: Value) -> &'static str {
    if v.is_float() {
        "float"
    } else if v.is_inline_int() {
        "int"
    } else if v.is_bool() {
        "bool"
    } else if v.is_null() || v.is_undefined() {
        "null"
    } else if v.is_builtin() {
        "function"
    } else if let Some(o) = as_obj(v) {
        o.type_name()
    } else {
        "null"
    }
}
