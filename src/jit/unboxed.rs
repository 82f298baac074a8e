//! Runtime helpers for unboxed (raw `i64`) int registers: boxing an int that does not
//! fit inline, unboxing a value that is not an inline int, and the error of a checked
//! operation that overflowed.

use super::helpers::guard;
use crate::bytecode::{Op, Proto};
use crate::error::RtError;
use crate::heap::as_int;
use crate::ops;
use crate::value::Value;
use crate::vm::Vm;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The value of int `i` when it does not fit inline: a new boxed int. Allocation never
/// collects garbage (only safe points do), so nothing compiled code holds is freed.
pub(crate) extern "C" fn jit_box_int(vm: i64, i: i64) -> i64 {
    let vmp = vm as *mut Vm<'static>;
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: compiled code passes the VM pointer published in `JitState::vm` by
        // the entry it runs under; no other reference to the VM is used while the
        // helper runs.
        let vm = unsafe { &mut *vmp };
        vm.heap.int(i).0 as i64
    }))
    .unwrap_or(Value::NULL.0 as i64)
}

/// The int held by `v` when it is not an inline int: a boxed int's value. The type
/// analysis guarantees an int wherever the register is live; anything else (a dead
/// register's stale slot at an OSR entry) gives 0.
pub(crate) extern "C" fn jit_unbox_int(v: i64) -> i64 {
    as_int(Value(v as u64)).unwrap_or(0)
}

/// The error of int instruction `pc` of `proto` (`Add`, `Sub`, `Mul`, `AddI`, `SubI` or
/// `Neg`) whose checked 64-bit result overflowed, made from its raw operands
/// `operands[0]` and `operands[1]` (the second is unused by `AddI`, `SubI` and `Neg`)
/// by the interpreter's own `ops`, so the message is the same. Leaves it pending and
/// returns `SENTINEL`. Operands beyond 48 bits are boxed: allocation only, never a
/// collection (GC-free raw bodies rely on that, as on `helpers::jit_overflow`).
pub(crate) extern "C" fn jit_int_overflow(vm: i64, proto: i64, pc: i64, operands: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        // SAFETY: `proto` is the embedded `&Proto` of the running function, kept alive
        // by `Vm::protos`.
        let proto = unsafe { &*(proto as *const Proto) };
        // SAFETY: the compiled frame stored both operands in its scratch slot, here.
        let [x, y] = unsafe { *(operands as *const [i64; 2]) };
        let heap = &mut vm.heap;
        let (a, b) = (heap.int(x), heap.int(y));
        let r = match proto.code.get(pc as usize) {
            Some(Op::Add { .. }) => ops::add(heap, a, b),
            Some(Op::Sub { .. }) => ops::sub(heap, a, b),
            Some(Op::Mul { .. }) => ops::mul(heap, a, b),
            Some(&Op::AddI { imm, .. }) => {
                ops::add(heap, a, Value::inline_int_unchecked(imm.into()))
            }
            Some(&Op::SubI { imm, .. }) => {
                ops::sub(heap, a, Value::inline_int_unchecked(imm.into()))
            }
            Some(Op::Neg { .. }) => ops::neg(heap, a),
            _ => Ok(Value::NULL),
        };
        Err(r.err().unwrap_or_else(|| {
            RtError::msg("internal error: an int overflow the interpreter does not raise")
        }))
    }) as i64
}
