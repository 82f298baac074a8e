//! Runtime helpers called from compiled code: `extern "C"`, `i64`/pointer arguments
//! and results only, each body inside `catch_unwind` (a panic becomes a pending runtime
//! error and the sentinel; it never unwinds into JIT code). The semantics are the
//! interpreter's: every operation goes through `crate::ops` or the VM's own code.

use super::SENTINEL;
use crate::bytecode::{CmpOp, Op, Proto, UpvalSource};
use crate::error::{RtError, RtResult};
use crate::heap::{as_closure, as_obj, Closure, ObjData};
use crate::ops;
use crate::value::Value;
use crate::vm::Vm;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f` on the VM behind `vm`, turning `Err` and panics into a pending error and
/// the sentinel.
#[inline(always)]
pub(crate) fn guard(vm: *mut u8, f: impl FnOnce(&mut Vm<'static>) -> RtResult<u64>) -> u64 {
    let vmp = vm as *mut Vm<'static>;
    // SAFETY: compiled code passes the `*mut Vm` it was entered with; no other
    // reference to the VM is used while the helper runs (the caller is suspended).
    let r = catch_unwind(AssertUnwindSafe(|| f(unsafe { &mut *vmp })));
    // SAFETY: as above; the closure's borrow has ended.
    let vm = unsafe { &mut *vmp };
    match r {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            vm.jit_err = Some(e);
            SENTINEL
        }
        Err(_) => {
            vm.jit_err = Some(RtError::msg("internal error: panic in a JIT helper"));
            SENTINEL
        }
    }
}

/// A GC safe point: every live value is in the register stack (spilled) or rooted.
#[inline(always)]
fn safepoint(vm: &mut Vm) {
    if vm.heap.should_collect() {
        vm.collect_garbage();
    }
}

/// The interpreter stub every code slot starts with: runs the closure at `frame[-1]`.
/// `rem` and `top` come from the calling compiled frame and are published (as a depth
/// and a bound) for the interpreter (its frame limit and GC bound).
///
/// # Safety
/// `vm` is the running VM (`JitState::vm`) and `frame` a frame window inside its register
/// stack with the closure at `frame[-1]` and the arguments in place.
pub(crate) unsafe extern "C" fn jit_stub(vm: *mut u8, frame: *mut u64, rem: u64, top: u64) -> u64 {
    guard(vm, |vm| {
        vm.jit_state.publish(rem, top);
        vm.stub_call(frame as *mut Value).map(|v| v.0)
    })
}

/// `Stack overflow` at the entry of a compiled function.
///
/// Must never collect garbage: GC-free raw bodies (`raw::gc_free`) rely on it, as on
/// `jit_raise`, `jit_box_int` and `jit_int_overflow`.
pub(crate) extern "C" fn jit_overflow(vm: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        vm.jit_stack_overflow();
        Ok(SENTINEL)
    }) as i64
}

/// Truthiness (0/1) of a value that is neither a bool nor an inline int.
pub(crate) extern "C" fn jit_truthy(v: i64) -> i64 {
    catch_unwind(|| ops::truthy(Value(v as u64)) as i64).unwrap_or(1)
}

/// Records the pending error at `pc` of a compiled frame; the handler index or -1.
/// Allocates the error value but must never collect garbage (see `jit_overflow`).
pub(crate) extern "C" fn jit_raise(vm: i64, frame: i64, proto: i64, pc: i64) -> i64 {
    let vmp = vm as *mut Vm<'static>;
    let r = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: see `guard`; `proto` is the embedded `&Proto` of the running
        // function, kept alive by `Vm::protos`.
        let (vm, proto) = unsafe { (&mut *vmp, &*(proto as *const Proto)) };
        vm.jit_raise(proto, frame as *mut Value, pc as usize)
    }));
    r.unwrap_or_else(|_| {
        // SAFETY: see `guard`.
        let vm = unsafe { &mut *vmp };
        vm.jit_err = Some(RtError::msg("internal error: panic in a JIT helper"));
        -1
    })
}

/// `Call { base, nargs }` from compiled code (not a direct self-call): closures run
/// through their code slot (native code or the interpreter stub), builtins here.
/// `cell` is the call site's inline cache, filled here on a closure call.
pub(crate) extern "C" fn jit_call(vm: i64, frame: i64, base: i64, nargs: i64, cell: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        let regs = frame as *mut Value;
        let (base, nargs) = (base as usize, nargs as usize);
        // SAFETY: `base + nargs < nregs` (verifier) and `regs` is the caller's window.
        let callee = unsafe { *regs.add(base) };
        if let Some(c) = as_closure(callee) {
            let proto = &*c.proto;
            if nargs != proto.nparams as usize {
                return Err(Vm::jit_arity_error(proto, nargs));
            }
            // The calling compiled frame published its depth and bound before this helper.
            let (depth, top) = (vm.jit_state.depth(), vm.jit_state.top());
            let saved = vm.jit_state.save();
            let rem = vm.jit_state.rem(depth);
            let vmp = vm as *mut Vm as *mut u8;
            let window = regs.wrapping_add(base + 1) as *mut u64;
            let (code, entry) = match &mut vm.jit {
                Some(j) => {
                    j.fill_ic(cell as *mut [u64; 2], callee, proto.id as usize);
                    (j.slot(proto.id as usize), j.entry())
                }
                None => return Err(RtError::msg("internal error: compiled code without a JIT")),
            };
            // SAFETY: the callee window `regs + base + 1` is inside the register stack
            // (the callee checks its end against the stack capacity); `code` is this
            // JIT's slot for the callee's proto.
            let r = unsafe { entry.call(code, vmp, window, rem, top) };
            // Back to the caller's published state (the callee may have changed it).
            vm.jit_state.restore(saved);
            return Ok(r);
        }
        if callee.is_builtin() {
            // SAFETY: as above: the arguments are inside the caller's window.
            let v = unsafe {
                vm.call_builtin_from_regs(callee.as_builtin(), regs.add(base + 1), nargs)
            }?;
            // SAFETY: as above.
            unsafe { *regs.add(base) = v };
            safepoint(vm);
            return Ok(v.0);
        }
        Err(Vm::jit_not_callable(callee))
    }) as i64
}

/// The value held by a cell.
fn cell_get(cell: Value) -> Value {
    match as_obj(cell).map(|o| o.data()) {
        Some(ObjData::Cell(v)) => *v,
        _ => Value::NULL,
    }
}

/// Stores into a cell.
fn cell_set(cell: Value, v: Value) {
    if let Some(o) = as_obj(cell) {
        // SAFETY: no other reference to this cell's payload is live.
        if let ObjData::Cell(slot) = unsafe { o.data_mut() } {
            *slot = v;
        }
    }
}

/// Runs instruction `pc` of `proto` on the frame window `frame` with the interpreter's
/// semantics (every register was spilled to the window first). Returns 0 to continue,
/// 1 when a conditional jump is taken (or an iterator is exhausted), or the sentinel.
pub(crate) extern "C" fn jit_op(vm: i64, frame: i64, proto: i64, pc: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        // SAFETY: `proto` is the embedded `&Proto` of the running function.
        let proto = unsafe { &*(proto as *const Proto) };
        exec_op(vm, frame as *mut Value, proto, pc as usize)
    }) as i64
}

fn exec_op(vm: &mut Vm, regs: *mut Value, proto: &Proto, pc: usize) -> RtResult<u64> {
    let op = proto.code[pc];
    let consts: *const [Value] = &*vm.consts[proto.id as usize];
    // SAFETY (register access): the verifier checked every operand is `< nregs` and
    // `regs` is the running frame's window.
    let r = |x: crate::bytecode::Reg| unsafe { *regs.add(x.0 as usize) };
    // SAFETY: as for `r`: the operand is inside the running frame's window.
    let set = |x: crate::bytecode::Reg, v: Value| unsafe { *regs.add(x.0 as usize) = v };
    // SAFETY: the constant tables are never modified or freed while the VM runs.
    let k = |i: u16| unsafe { (&*consts).get(i as usize).copied().unwrap_or(Value::NULL) };
    // SAFETY: the closure of the running frame is at `regs[-1]`.
    let closure = unsafe { *regs.sub(1) };
    let upval = |i: u16| match as_closure(closure) {
        Some(c) => c.upvals.get(i as usize).copied().unwrap_or(Value::NULL),
        None => Value::NULL,
    };
    let jump = |b: bool| Ok(if b { 1 } else { 0 });
    match op {
        Op::Move { dst, src } => set(dst, r(src)),
        Op::LoadK { dst, k: i } => set(dst, k(i.0)),
        Op::LoadI { dst, value } => set(dst, Value::inline_int_unchecked(value as i64)),
        Op::LoadNull { dst } => set(dst, Value::NULL),
        Op::LoadBool { dst, value } => set(dst, Value::bool(value)),
        Op::LoadBuiltin { dst, builtin } => set(dst, Value::builtin(builtin)),
        Op::GetGlobal { dst, slot } => {
            let v = vm.globals[slot.0 as usize];
            if v.is_undefined() {
                return Err(vm.undefined_global_error(slot.0 as usize));
            }
            set(dst, v)
        }
        Op::SetGlobal { slot, src } => vm.globals[slot.0 as usize] = r(src),
        Op::NewCell { dst, src } => {
            let c = vm.heap.cell(r(src));
            set(dst, c);
            safepoint(vm);
        }
        Op::GetCell { dst, cell } => set(dst, cell_get(r(cell))),
        Op::SetCell { cell, src } => cell_set(r(cell), r(src)),
        Op::GetUpval { dst, idx } => set(dst, cell_get(upval(idx.0))),
        Op::SetUpval { idx, src } => cell_set(upval(idx.0), r(src)),
        Op::Closure { dst, proto: idx } => {
            let child = &proto.children[idx.0 as usize];
            let ups: Box<[Value]> = child
                .upvals
                .iter()
                .map(|u| match u.source {
                    UpvalSource::ParentReg(reg) => r(reg),
                    UpvalSource::ParentUpval(i) => upval(i.0),
                })
                .collect();
            let c = vm.heap.alloc(ObjData::Closure(Closure {
                proto: child.clone(),
                upvals: ups,
            }));
            set(dst, c);
            safepoint(vm);
        }
        Op::Add { dst, a, b } => arith(vm, regs, dst, |h| ops::add(h, r(a), r(b)))?,
        Op::Sub { dst, a, b } => arith(vm, regs, dst, |h| ops::sub(h, r(a), r(b)))?,
        Op::Mul { dst, a, b } => arith(vm, regs, dst, |h| ops::mul(h, r(a), r(b)))?,
        Op::Div { dst, a, b } => arith(vm, regs, dst, |h| ops::div(h, r(a), r(b)))?,
        Op::Mod { dst, a, b } => arith(vm, regs, dst, |h| ops::rem(h, r(a), r(b)))?,
        Op::AddI { dst, a, imm } => {
            let y = Value::inline_int_unchecked(imm as i64);
            arith(vm, regs, dst, |h| ops::add(h, r(a), y))?
        }
        Op::SubI { dst, a, imm } => {
            let y = Value::inline_int_unchecked(imm as i64);
            arith(vm, regs, dst, |h| ops::sub(h, r(a), y))?
        }
        Op::Neg { dst, src } => arith(vm, regs, dst, |h| ops::neg(h, r(src)))?,
        Op::Not { dst, src } => set(dst, Value::bool(!ops::truthy(r(src)))),
        Op::ToBool { dst, src } => set(dst, Value::bool(ops::truthy(r(src)))),
        Op::Cmp { op, dst, a, b } => set(dst, Value::bool(ops::compare(op, r(a), r(b))?)),
        Op::CmpI { op, dst, a, imm } => set(dst, Value::bool(cmp_imm(op, r(a), imm)?)),
        Op::Concat { dst, start, count } => {
            // SAFETY: `start + count <= nregs` (verifier).
            let parts =
                unsafe { std::slice::from_raw_parts(regs.add(start.0 as usize), count as usize) };
            let v = ops::concat_display(&mut vm.heap, parts);
            set(dst, v);
            safepoint(vm);
        }
        Op::Jmp { .. } | Op::Loop { .. } | Op::Return { .. } | Op::ReturnNull => {}
        Op::JmpIf { cond, .. } => return jump(ops::truthy(r(cond))),
        Op::JmpIfNot { cond, .. } => return jump(!ops::truthy(r(cond))),
        Op::JmpIfNotNull { src, .. } => return jump(!r(src).is_null()),
        Op::JmpCmp { op, a, b, .. } => return jump(!ops::compare(op, r(a), r(b))?),
        Op::JmpCmpI { op, a, imm, .. } => return jump(!cmp_imm(op, r(a), imm)?),
        Op::NewArray { dst, start, count } => {
            // SAFETY: `start + count <= nregs` (verifier).
            let items =
                unsafe { std::slice::from_raw_parts(regs.add(start.0 as usize), count as usize) }
                    .to_vec();
            let v = vm.heap.array(items);
            set(dst, v);
            safepoint(vm);
        }
        Op::NewDict { dst, start, count } => {
            // SAFETY: `start + 2 * count <= nregs` (verifier).
            let kvs = unsafe {
                std::slice::from_raw_parts(regs.add(start.0 as usize), 2 * count as usize)
            };
            let d = vm.heap.dict(Default::default());
            for kv in kvs.chunks_exact(2) {
                ops::set_index(&mut vm.heap, d, kv[0], kv[1])?;
            }
            set(dst, d);
            safepoint(vm);
        }
        Op::GetIndex { dst, obj, key } => {
            let v = ops::get_index(&mut vm.heap, r(obj), r(key))?;
            set(dst, v);
            safepoint(vm);
        }
        Op::SetIndex { obj, key, src } => {
            ops::set_index(&mut vm.heap, r(obj), r(key), r(src))?;
            safepoint(vm);
        }
        Op::GetField { dst, obj, key } => {
            let v = ops::get_field(&mut vm.heap, r(obj), k(key.0))?;
            set(dst, v);
            safepoint(vm);
        }
        Op::SetField { obj, key, src } => {
            ops::set_field(&mut vm.heap, r(obj), k(key.0), r(src))?;
            safepoint(vm);
        }
        Op::IterPrep { base, src } => {
            // SAFETY: `base + 3 <= nregs` (verifier).
            unsafe { Vm::jit_iter_prep(regs.add(base.0 as usize), r(src))? }
        }
        Op::IterNext { base, dst, .. } => {
            // SAFETY: `base + 3 <= nregs` (verifier).
            match unsafe { vm.jit_iter_next(regs.add(base.0 as usize))? } {
                Some(v) => {
                    // A character of a non-ASCII string is a new string.
                    set(dst, v);
                    safepoint(vm);
                }
                None => return Ok(1),
            }
        }
        Op::Call { base, nargs } => {
            let r = jit_call(
                vm as *mut Vm as i64,
                regs as i64,
                base.0 as i64,
                nargs as i64,
                0,
            );
            if r as u64 == SENTINEL {
                return Err(vm.take_jit_err());
            }
            set(base, Value(r as u64));
        }
        Op::Throw { src } => return Err(RtError::Thrown(r(src))),
    }
    Ok(0)
}

/// `x op imm` with the interpreter's `CmpI` semantics.
fn cmp_imm(op: CmpOp, x: Value, imm: i16) -> RtResult<bool> {
    ops::compare(op, x, Value::inline_int_unchecked(imm as i64))
}

/// Stores an arithmetic result and runs a safe point.
fn arith(
    vm: &mut Vm,
    regs: *mut Value,
    dst: crate::bytecode::Reg,
    f: impl FnOnce(&mut crate::heap::Heap) -> RtResult<Value>,
) -> RtResult<()> {
    let v = f(&mut vm.heap)?;
    // SAFETY: `dst < nregs` (verifier).
    unsafe { *regs.add(dst.0 as usize) = v };
    safepoint(vm);
    Ok(())
}

// ---------------------------------------------------------------------------
// Container fast paths: `GetIndex`, `SetIndex`, `GetField`, `SetField`, `IterNext`.
// Called without spilling registers, so none of them may collect garbage or raise:
// whatever they do not handle they leave untouched and report as a miss, and the
// compiled code then runs the instruction through `jit_op` (which raises the error or
// does the rare case exactly as the interpreter does).
// ---------------------------------------------------------------------------

/// The "not handled" result of the container fast paths (never a value's bits).
const MISS: u64 = SENTINEL;

/// `GetIndex`: the element or entry (an array by an in-range inline int, a dict by a key
/// it holds), else `MISS`.
pub(crate) extern "C" fn jit_get_index(obj: i64, key: i64) -> i64 {
    catch_unwind(|| ops::get_index_fast(Value(obj as u64), Value(key as u64)).map_or(MISS, |v| v.0))
        .unwrap_or(MISS) as i64
}

/// `GetField` with the constant `key`: a dict's entry, else `MISS`.
pub(crate) extern "C" fn jit_get_field(obj: i64, key: i64) -> i64 {
    catch_unwind(|| ops::get_field_fast(Value(obj as u64), Value(key as u64)).map_or(MISS, |v| v.0))
        .unwrap_or(MISS) as i64
}

/// `SetIndex` (`field` false) or `SetField` (`field` true): 0 when done, 1 when done and
/// a collection is due (the caller spills and calls `jit_collect`), 2 when not handled
/// (nothing was changed).
fn set_fast(vm: i64, obj: i64, key: i64, val: i64, field: bool) -> i64 {
    let vmp = vm as *mut Vm<'static>;
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: see `guard`.
        let vm = unsafe { &mut *vmp };
        let (o, k, v) = (Value(obj as u64), Value(key as u64), Value(val as u64));
        let done = if field {
            ops::set_field_fast(&mut vm.heap, o, k, v)
        } else {
            ops::set_index_fast(&mut vm.heap, o, k, v)
        };
        store_result(vm, done)
    }))
    .unwrap_or(2)
}

/// The fast stores' answer: 2 when not handled, else 1 when a collection is due, else 0.
#[inline]
fn store_result(vm: &Vm, done: bool) -> i64 {
    match (done, vm.heap.should_collect()) {
        (false, _) => 2,
        (true, false) => 0,
        (true, true) => 1,
    }
}

/// `SetIndex`; see `set_fast`.
pub(crate) extern "C" fn jit_set_index(vm: i64, obj: i64, key: i64, val: i64) -> i64 {
    set_fast(vm, obj, key, val, false)
}

/// `SetField` with the constant `key`; see `set_fast`.
pub(crate) extern "C" fn jit_set_field(vm: i64, obj: i64, key: i64, val: i64) -> i64 {
    set_fast(vm, obj, key, val, true)
}

/// A GC safe point after a fast container store (the caller spilled its live registers).
pub(crate) extern "C" fn jit_collect(vm: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        safepoint(vm);
        Ok(0)
    }) as i64
}

/// A GC safe point at the return of compiled code that may have allocated without one
/// (`translate/poll.rs`): `v`, the value being returned (the frame's other registers
/// are dead, the callers' are in their frames), is rooted while it collects. Returns `v`.
pub(crate) extern "C" fn jit_collect_keeping(vm: i64, v: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        vm.temp_roots.push(Value(v as u64));
        safepoint(vm);
        vm.temp_roots.pop();
        Ok(v as u64)
    }) as i64
}

/// The int `i` (beyond 48 bits) boxed as the value a compiled function returns, then a
/// GC safe point keeping it, as `jit_collect_keeping`: the return of a big int is no
/// silent allocation.
pub(crate) extern "C" fn jit_box_result(vm: i64, i: i64) -> i64 {
    guard(vm as *mut u8, |vm| {
        let v = vm.heap.int(i);
        vm.temp_roots.push(v);
        safepoint(vm);
        vm.temp_roots.pop();
        Ok(v.0)
    }) as i64
}

/// `IterNext` over an array, a dict, or an ASCII character of a string, given the three
/// state registers: the next item (the caller advances the position by one), else `MISS`
/// (exhausted, a non-ASCII character, a dict that changed size: the caller runs
/// `jit_op`). A character is the heap's shared one-character string: at most its first
/// use allocates it, and nothing collects here.
pub(crate) extern "C" fn jit_iter_step(vm: i64, coll: i64, pos: i64, extra: i64) -> i64 {
    let vmp = vm as *mut Vm<'static>;
    catch_unwind(AssertUnwindSafe(|| {
        let (coll, pos, extra) = (Value(coll as u64), Value(pos as u64), Value(extra as u64));
        if !pos.is_inline_int() || pos.as_inline_int() < 0 {
            return MISS;
        }
        let i = pos.as_inline_int() as usize;
        let item = match as_obj(coll).map(|o| o.data()) {
            Some(ObjData::Array(a)) => a.get(i).copied(),
            Some(ObjData::Dict(d))
                if extra.is_inline_int() && d.len() as i64 == extra.as_inline_int() =>
            {
                d.get_index(i).map(|(k, _)| k.value())
            }
            Some(ObjData::Str(s)) => match s.as_str().as_bytes().get(i) {
                // SAFETY: see `guard`.
                Some(&b) if b.is_ascii() => Some(unsafe { &mut *vmp }.heap.ascii_char(b)),
                _ => None,
            },
            _ => None,
        };
        item.map_or(MISS, |v| v.0)
    }))
    .unwrap_or(MISS) as i64
}

/// `NewDict`: builds the dict from the `count` key/value pairs at `frame[start..]`
/// (spilled by the caller), stores it in `frame[dst]` and runs a safe point. Returns the
/// dict, or the sentinel with the error (an invalid key type) pending.
pub(crate) extern "C" fn jit_new_dict(
    vm: i64,
    frame: i64,
    start: i64,
    count: i64,
    dst: i64,
) -> i64 {
    guard(vm as *mut u8, |vm| {
        let regs = frame as *mut Value;
        // SAFETY: `start + 2 * count <= nregs` (verifier) and `regs` is the running
        // frame's window.
        let kvs =
            unsafe { std::slice::from_raw_parts(regs.add(start as usize), 2 * count as usize) };
        let d = ops::new_dict(&mut vm.heap, kvs)?;
        // SAFETY: `dst < nregs` (verifier).
        unsafe { *regs.add(dst as usize) = d };
        safepoint(vm);
        Ok(d.0)
    }) as i64
}

/// `push(arr, x)` / `append(arr, x)` from compiled code, for a callee loaded by
/// `LoadBuiltin` with two arguments: appends without spilling registers (growth is
/// accounted, nothing is collected). 0 when done, 1 when done and a collection is due
/// (the caller spills and calls `jit_collect`), 2 when `arr` is not an array (nothing
/// changed; the caller makes the generic call, which raises the builtin's error).
pub(crate) extern "C" fn jit_push(vm: i64, arr: i64, x: i64) -> i64 {
    let vmp = vm as *mut Vm<'static>;
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: see `guard`.
        let vm = unsafe { &mut *vmp };
        let done = crate::builtins::push_value(&mut vm.heap, Value(arr as u64), Value(x as u64));
        store_result(vm, done)
    }))
    .unwrap_or(2)
}

/// `SetIndex` in compiled code when the inline array path missed: an inline int key
/// of a dense dict (keys `0, 1, 2, ...`) that is present, or next with room in the
/// vector, is stored by index (`DictMap::dense_set`: no hash, no allocation);
/// everything else goes on to `jit_set_index`. Results as `set_fast`'s. The dense store
/// allocates nothing and has no failing index, so it cannot panic and needs no
/// `catch_unwind`.
pub(crate) extern "C" fn jit_set_item(vm: i64, obj: i64, key: i64, val: i64) -> i64 {
    let k = Value(key as u64);
    if k.is_inline_int() {
        // SAFETY: no other reference to this dict's payload is live; an int key and a
        // stored `Value` run no other code.
        if let Some(d) = unsafe { crate::heap::as_dict_mut(Value(obj as u64)) } {
            if d.dense_set(k, Value(val as u64)) {
                // SAFETY: see `guard`.
                let vm = unsafe { &*(vm as *const Vm<'static>) };
                return store_result(vm, true);
            }
        }
    }
    jit_set_index(vm, obj, key, val)
}
