//! Runtime helpers for unboxed (raw `i64`) int registers: boxing an int that does not
//! fit inline, and unboxing a value that is not an inline int.

use crate::heap::as_int;
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
