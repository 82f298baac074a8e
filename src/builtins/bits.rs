//! Bit builtins on 64-bit ints: `bit_and`, `bit_or`, `bit_xor`, `bit_shl`, `bit_shr`.

use super::Args;
use crate::error::RtResult;
use crate::heap::Heap;
use crate::value::Value;

/// `bit_and(a, b)`, `bit_or(a, b)`, `bit_xor(a, b)` on the two's-complement bits.
pub(super) fn binary(heap: &mut Heap, a: Args, f: fn(i64, i64) -> i64) -> RtResult<Value> {
    a.exactly(2)?;
    let r = f(a.int(0)?, a.int(1)?);
    Ok(heap.int(r))
}

/// `bit_shl(a, n)` (bits shifted out are lost) and `bit_shr(a, n)` (arithmetic: the
/// sign bit is copied in); `n` must be 0 to 63.
pub(super) fn shift(heap: &mut Heap, a: Args, left: bool) -> RtResult<Value> {
    a.exactly(2)?;
    let x = a.int(0)?;
    let n = a.int(1)?;
    if !(0..=63).contains(&n) {
        return Err(a.fail(format!("shift count out of range: {n}")));
    }
    let r = if left { x << n } else { x >> n };
    Ok(heap.int(r))
}
