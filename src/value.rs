//! `Value`: every Ruff value in one NaN-boxed `u64`.
//!
//! ```text
//!  63      48 47                                              0
//! +----------+-------------------------------------------------+
//! |   tag    |                    payload                      |
//! +----------+-------------------------------------------------+
//!  < 0xFFF9    float: the f64's own bits (NaNs canonicalised to 0x7FF8_0000_0000_0000)
//!    0xFFF9    int: a signed 48-bit integer, sign-extended from bit 47
//!    0xFFFA    null (payload 0) and the internal "undefined" marker (payload 1)
//!    0xFFFB    bool: payload 0 = false, 1 = true
//!    0xFFFC    heap object: payload = address of a `heap::Obj` (x86-64 user space fits in 48 bits)
//!    0xFFFD    builtin function: payload = `Builtin as u8`
//!    0xFFFE    (unused)
//!    0xFFFF    (unused)
//! ```
//!
//! Ints outside the 48-bit range are heap-boxed (`ObjKind::BigInt`); the two forms are one
//! type to the program: `Value::int` picks the form, `crate::heap::Heap::int` boxes.
//! The float NaN canonicalisation keeps every float below tag 0xFFF9: x86's default NaN
//! is 0xFFF8_0000_0000_0000 (sign set), which is still below 0xFFF9, and every NaN that a
//! float operation produces goes through `Value::float`, which canonicalises it.

use crate::bytecode::Builtin;
use crate::heap::Obj;

/// A NaN-boxed Ruff value. `Copy`; heap references are not owned (the GC owns objects).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Value(pub u64);

const _: () = assert!(std::mem::size_of::<Value>() == 8);

pub const TAG_SHIFT: u32 = 48;
pub const TAG_INT: u64 = 0xFFF9;
pub const TAG_NULL: u64 = 0xFFFA;
pub const TAG_BOOL: u64 = 0xFFFB;
pub const TAG_OBJ: u64 = 0xFFFC;
pub const TAG_BUILTIN: u64 = 0xFFFD;
/// The lowest tag; any `u64` whose top 16 bits are below this is a float.
pub const TAG_MIN: u64 = 0xFFF9;
pub const PAYLOAD_MASK: u64 = (1 << 48) - 1;
/// The bit pattern every NaN is stored as.
pub const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

/// The smallest int stored inline (-2^47).
pub const INLINE_INT_MIN: i64 = -(1 << 47);
/// The largest int stored inline (2^47 - 1).
pub const INLINE_INT_MAX: i64 = (1 << 47) - 1;

impl Value {
    pub const NULL: Value = Value(TAG_NULL << TAG_SHIFT);
    /// Marks a global slot that was never assigned; never visible to programs.
    pub const UNDEFINED: Value = Value((TAG_NULL << TAG_SHIFT) | 1);
    pub const FALSE: Value = Value(TAG_BOOL << TAG_SHIFT);
    pub const TRUE: Value = Value((TAG_BOOL << TAG_SHIFT) | 1);

    #[inline(always)]
    pub fn tag(self) -> u64 {
        self.0 >> TAG_SHIFT
    }

    /// A float value (NaN canonicalised).
    #[inline(always)]
    pub fn float(f: f64) -> Value {
        if f.is_nan() {
            Value(CANONICAL_NAN)
        } else {
            Value(f.to_bits())
        }
    }

    /// An inline int, if `i` fits in 48 bits. Use `Heap::int` for any i64.
    #[inline(always)]
    pub fn inline_int(i: i64) -> Option<Value> {
        if (INLINE_INT_MIN..=INLINE_INT_MAX).contains(&i) {
            Some(Value::inline_int_unchecked(i))
        } else {
            None
        }
    }

    /// An inline int; `i` must be within `INLINE_INT_MIN..=INLINE_INT_MAX`.
    #[inline(always)]
    pub fn inline_int_unchecked(i: i64) -> Value {
        debug_assert!((INLINE_INT_MIN..=INLINE_INT_MAX).contains(&i));
        Value((TAG_INT << TAG_SHIFT) | (i as u64 & PAYLOAD_MASK))
    }

    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    #[inline(always)]
    pub fn builtin(b: Builtin) -> Value {
        Value((TAG_BUILTIN << TAG_SHIFT) | b as u64)
    }

    /// A reference to a heap object.
    #[inline(always)]
    pub fn obj(ptr: *const Obj) -> Value {
        debug_assert!(
            ptr as u64 & !PAYLOAD_MASK == 0,
            "heap address beyond 48 bits"
        );
        Value((TAG_OBJ << TAG_SHIFT) | ptr as u64)
    }

    #[inline(always)]
    pub fn is_float(self) -> bool {
        self.tag() < TAG_MIN
    }

    /// True for an inline int only (a boxed int is an object; see `Heap`/`ops` helpers).
    #[inline(always)]
    pub fn is_inline_int(self) -> bool {
        self.tag() == TAG_INT
    }

    #[inline(always)]
    pub fn is_null(self) -> bool {
        self == Value::NULL
    }

    #[inline(always)]
    pub fn is_undefined(self) -> bool {
        self == Value::UNDEFINED
    }

    #[inline(always)]
    pub fn is_bool(self) -> bool {
        self.tag() == TAG_BOOL
    }

    #[inline(always)]
    pub fn is_obj(self) -> bool {
        self.tag() == TAG_OBJ
    }

    #[inline(always)]
    pub fn is_builtin(self) -> bool {
        self.tag() == TAG_BUILTIN
    }

    #[inline(always)]
    pub fn as_float(self) -> f64 {
        debug_assert!(self.is_float());
        f64::from_bits(self.0)
    }

    /// The inline int's value (sign-extended from 48 bits).
    #[inline(always)]
    pub fn as_inline_int(self) -> i64 {
        debug_assert!(self.is_inline_int());
        ((self.0 << 16) as i64) >> 16
    }

    #[inline(always)]
    pub fn as_bool(self) -> bool {
        debug_assert!(self.is_bool());
        self.0 & 1 == 1
    }

    #[inline(always)]
    pub fn as_builtin(self) -> Builtin {
        debug_assert!(self.is_builtin());
        Builtin::ALL[(self.0 & 0xFF) as usize]
    }

    /// The object pointer of a heap reference.
    #[inline(always)]
    pub fn as_obj_ptr(self) -> *mut Obj {
        debug_assert!(self.is_obj());
        (self.0 & PAYLOAD_MASK) as *mut Obj
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_float() {
            write!(f, "Float({})", self.as_float())
        } else if self.is_inline_int() {
            write!(f, "Int({})", self.as_inline_int())
        } else if self.is_null() {
            write!(f, "Null")
        } else if self.is_undefined() {
            write!(f, "Undefined")
        } else if self.is_bool() {
            write!(f, "Bool({})", self.as_bool())
        } else if self.is_builtin() {
            write!(f, "Builtin({})", self.as_builtin().name())
        } else if self.is_obj() {
            write!(f, "Obj({:#x})", self.0 & PAYLOAD_MASK)
        } else {
            write!(f, "Value({:#018x})", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_int_boundaries() {
        for i in [0, 1, -1, INLINE_INT_MIN, INLINE_INT_MAX, 12345, -98765] {
            let v = Value::inline_int(i).unwrap();
            assert!(v.is_inline_int() && !v.is_float());
            assert_eq!(v.as_inline_int(), i);
        }
        assert!(Value::inline_int(INLINE_INT_MAX + 1).is_none());
        assert!(Value::inline_int(INLINE_INT_MIN - 1).is_none());
        assert!(Value::inline_int(i64::MAX).is_none());
        assert!(Value::inline_int(i64::MIN).is_none());
    }

    #[test]
    fn floats_stay_floats() {
        for f in [
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let v = Value::float(f);
            assert!(v.is_float());
            assert_eq!(v.as_float().to_bits(), f.to_bits());
        }
        // Every NaN, including x86's default negative NaN and payload NaNs, canonicalises.
        for bits in [
            0xFFF8_0000_0000_0000u64,
            0xFFFF_FFFF_FFFF_FFFF,
            0x7FF0_0000_0000_0001,
        ] {
            let v = Value::float(f64::from_bits(bits));
            assert!(v.is_float());
            assert_eq!(v.0, CANONICAL_NAN);
            assert!(v.as_float().is_nan());
        }
        assert!(Value::float(0.0 / 0.0).is_float());
        assert_ne!(Value::float(-0.0), Value::float(0.0));
    }

    #[test]
    fn immediates_are_distinct() {
        let all = [Value::NULL, Value::UNDEFINED, Value::TRUE, Value::FALSE];
        for (i, a) in all.iter().enumerate() {
            assert!(!a.is_float() && !a.is_inline_int() && !a.is_obj());
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(Value::TRUE.as_bool() && !Value::FALSE.as_bool());
        for b in Builtin::ALL {
            let v = Value::builtin(*b);
            assert!(v.is_builtin());
            assert_eq!(v.as_builtin(), *b);
        }
    }

    #[test]
    fn pointers_round_trip() {
        let boxed = Box::new(0u64);
        let ptr = &*boxed as *const u64 as *const Obj;
        let v = Value::obj(ptr);
        assert!(v.is_obj() && !v.is_float());
        assert_eq!(v.as_obj_ptr() as *const Obj, ptr);
    }
}
