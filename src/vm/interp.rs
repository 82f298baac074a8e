//! The dispatch loop: one exhaustive `match` on `Op`, with guarded inline fast paths for
//! inline ints and floats; every other case goes through `crate::ops`.

use super::call::not_callable;
use super::{Frame, Vm};
use crate::bytecode::{CmpOp, Op, Proto, UpvalSource};
use crate::error::{RtError, RtResult};
use crate::heap::{as_closure, as_obj, Closure, ObjData};
use crate::ops;
use crate::value::{Value, TAG_INT, TAG_MIN, TAG_SHIFT};

/// True when both values are inline ints.
#[inline(always)]
fn both_int(a: Value, b: Value) -> bool {
    (a.0 >> TAG_SHIFT) == TAG_INT && (b.0 >> TAG_SHIFT) == TAG_INT
}

/// The payload of an inline int shifted to the top of an `i64` (`i << 16`), so that
/// `i64` overflow of a sum or difference is exactly "the result is not an inline int".
#[inline(always)]
fn int_hi(v: Value) -> i64 {
    (v.0 << (64 - TAG_SHIFT)) as i64
}

/// The inline int whose payload shifted to the top is `hi` (the inverse of `int_hi`).
#[inline(always)]
fn int_from_hi(hi: i64) -> Value {
    Value(((hi as u64) >> (64 - TAG_SHIFT)) | (TAG_INT << TAG_SHIFT))
}

/// `a + b` for two inline ints whose sum is an inline int.
#[inline(always)]
fn int_add(a: Value, b: Value) -> Option<Value> {
    int_hi(a).checked_add(int_hi(b)).map(int_from_hi)
}

/// `a - b` for two inline ints whose difference is an inline int.
#[inline(always)]
fn int_sub(a: Value, b: Value) -> Option<Value> {
    int_hi(a).checked_sub(int_hi(b)).map(int_from_hi)
}

/// `a + imm` for an inline int `a` when the sum is an inline int.
#[inline(always)]
fn int_add_imm(a: Value, imm: i16) -> Option<Value> {
    int_hi(a)
        .checked_add((imm as i64) << (64 - TAG_SHIFT))
        .map(int_from_hi)
}

/// `a - imm` for an inline int `a` when the difference is an inline int.
#[inline(always)]
fn int_sub_imm(a: Value, imm: i16) -> Option<Value> {
    int_hi(a)
        .checked_sub((imm as i64) << (64 - TAG_SHIFT))
        .map(int_from_hi)
}

/// True when both values are floats.
#[inline(always)]
fn both_float(a: Value, b: Value) -> bool {
    (a.0 >> TAG_SHIFT) < TAG_MIN && (b.0 >> TAG_SHIFT) < TAG_MIN
}

/// `a op b`: inline-int and float fast paths, else `ops::compare`.
#[inline(always)]
fn compare(op: CmpOp, a: Value, b: Value) -> RtResult<bool> {
    if both_int(a, b) {
        // Shifting both payloads to the top keeps their order.
        Ok(op.apply(int_hi(a), int_hi(b)))
    } else if both_float(a, b) {
        Ok(op.apply(a.as_float(), b.as_float()))
    } else {
        ops::compare(op, a, b)
    }
}

/// Truthiness with a fast path for bools.
#[inline(always)]
fn truthy(v: Value) -> bool {
    if v == Value::TRUE {
        true
    } else if v == Value::FALSE {
        false
    } else {
        ops::truthy(v)
    }
}

/// The value held by a cell.
#[inline(always)]
fn cell_get(cell: Value) -> Value {
    match as_obj(cell).map(|o| o.data()) {
        Some(ObjData::Cell(v)) => *v,
        _ => {
            debug_assert!(false, "not a cell");
            Value::NULL
        }
    }
}

/// Stores into a cell.
#[inline(always)]
fn cell_set(cell: Value, v: Value) {
    if let Some(o) = as_obj(cell) {
        // SAFETY: no other reference to this cell's payload is live (the interpreter holds
        // none across this statement).
        if let ObjData::Cell(slot) = unsafe { o.data_mut() } {
            *slot = v;
        }
    }
}

/// The running closure's upvalue array (empty if `closure` is not a closure).
#[inline(always)]
pub(super) fn upvals_of(closure: Value) -> *const Value {
    match as_closure(closure) {
        Some(c) => c.upvals.as_ptr(),
        None => std::ptr::null(),
    }
}

impl<'p> Vm<'p> {
    /// Runs from the innermost frame (an `entry` frame just pushed) until that frame
    /// returns; returns its result. Ruff-to-Ruff calls push frames and stay in this loop.
    /// An error no handler in these frames catches pops them and comes back as `Err`.
    pub(crate) fn execute(&mut self) -> RtResult<Value> {
        let entry_depth = self.frames.len();
        debug_assert!(entry_depth > 0 && self.frames[entry_depth - 1].entry);
        'frame: loop {
            let n = self.frames.len();
            if n == 0 {
                return Ok(Value::NULL);
            }
            // The running frame's state lives in three locals: `fp`, the running frame
            // (the innermost one); `regs`, its register window; `ip`, its next
            // instruction. `code` is its proto's code. Everything else is read through
            // `fp` when needed. Calls and returns between interpreted frames switch these
            // in place (`enter!`) instead of going round this outer loop.
            //
            // `fp` stays valid while its frame is live: `frames` never reallocates (its
            // capacity exceeds `MAX_FRAMES`, see `Vm::frames`), and frames above it are
            // only pushed and popped above it.
            //
            // SAFETY: `n >= 1`, so the last frame is in bounds.
            let mut fp: *mut Frame = unsafe { self.frames.as_mut_ptr().add(n - 1) };
            // SAFETY: frame protos point into `Rc<Proto>`s held by `self.protos`.
            let mut code: *const Op = unsafe { (*(*fp).proto).code.as_ptr() };
            // SAFETY: `base >= 1` and `base + nregs <= STACK_CAPACITY` (checked by
            // `push_frame`), so `regs` and `regs - 1` are inside the stack.
            let mut regs: *mut Value = unsafe { self.stack_ptr.add((*fp).base as usize) };
            // SAFETY: a saved ip points into the frame's code: at a jump target, a
            // handler or just after a call (the verifier checked targets and that the
            // code ends with an instruction that does not fall through).
            let mut ip: *const Op = unsafe { (*fp).ip };
            // The globals never grow after loading, so this pointer stays valid.
            let globals: *mut Value = self.globals.as_mut_ptr();
            // Switches the locals above to the frame `$f` (now the innermost one).
            macro_rules! enter {
                ($f:expr) => {{
                    fp = $f;
                    // SAFETY: as for the initial values above.
                    unsafe {
                        code = (*(*fp).proto).code.as_ptr();
                        regs = self.stack_ptr.add((*fp).base as usize);
                        ip = (*fp).ip;
                    }
                }};
            }
            // The running proto.
            macro_rules! proto {
                () => {
                    // SAFETY: `fp` is the running frame; its proto is kept alive by
                    // `self.protos`.
                    unsafe { &*(*fp).proto }
                };
            }
            // Constant `$k` of the running proto.
            macro_rules! konst {
                ($k:expr) => {
                    // SAFETY: `fp` is the running frame, and every constant index is
                    // `< consts.len()` (verifier).
                    unsafe { *(*fp).consts.add($k) }
                };
            }
            // Upvalue cell `$i` of the running closure.
            macro_rules! upval {
                ($i:expr) => {
                    // SAFETY: `fp` is the running frame, and every upvalue index is
                    // `< proto.upvals.len()` (verifier), the length of the running
                    // closure's upvalue array (`Closure` builds one per descriptor).
                    unsafe { *(*fp).upvals.add($i) }
                };
            }
            // Saves `ip` in the running frame (before anything that may raise, call, or
            // look at the traceback).
            macro_rules! save_ip {
                () => {
                    // SAFETY: `fp` is the running frame.
                    unsafe { (*fp).ip = ip }
                };
            }

            // Register access. SAFETY (for every use): the verifier (`load::verify`) checked
            // that every register operand is `< nregs`, and the window
            // `base .. base + nregs` lies inside the stack (`push_frame`).
            macro_rules! r {
                ($x:expr) => {
                    // SAFETY: see "Register access" above.
                    unsafe { *regs.add($x.0 as usize) }
                };
            }
            macro_rules! set {
                ($x:expr, $v:expr) => {{
                    let v = $v;
                    // SAFETY: see "Register access" above.
                    unsafe { *regs.add($x.0 as usize) = v }
                }};
            }
            // The current pc (index of the next instruction).
            macro_rules! pc {
                () => {
                    // SAFETY: `ip` and `code` point into the same code array.
                    unsafe { ip.offset_from(code) as usize }
                };
            }
            // Jumps to instruction `$t`.
            macro_rules! jump {
                ($t:expr) => {
                    // SAFETY: `$t < code.len()` (verifier).
                    ip = unsafe { code.add($t.0 as usize) }
                };
            }
            // Returns `$v` from the running frame: pops it and, unless it is an `entry`
            // frame (then `execute` returns `$v`), stores `$v` in the caller's call
            // register (just below the window) and switches to the caller.
            macro_rules! ret {
                ($v:expr) => {{
                    let v = $v;
                    // SAFETY: `fp` is the running frame.
                    if unsafe { (*fp).entry } {
                        self.frames.pop();
                        return Ok(v);
                    }
                    let n = self.frames.len();
                    // SAFETY: `fp` is the last frame, `n >= 1`, and `Frame` is `Copy`;
                    // `regs - 1` is inside the stack (`base >= 1`).
                    unsafe {
                        self.frames.set_len(n - 1);
                        *regs.sub(1) = v;
                    }
                    // No safe point here: every instruction that may allocate is
                    // followed by one, so nothing is due that the callee did not
                    // already collect.
                    // SAFETY: a frame that is not an `entry` frame was pushed by a `Call`
                    // in the frame below it, which is live: `fp - 1` is the new last frame.
                    enter!(unsafe { fp.sub(1) });
                }};
            }
            // Unwraps an `RtResult`, leaving the inner loop with the error.
            macro_rules! tri {
                ($e:expr) => {
                    match $e {
                        Ok(v) => v,
                        Err(e) => break e,
                    }
                };
            }
            // A GC safe point: every live value is in the register stack.
            macro_rules! safepoint {
                () => {
                    if self.heap.should_collect() {
                        self.collect_garbage();
                    }
                };
            }

            let err: RtError = loop {
                // SAFETY: `ip` is inside `code`: the verifier checked every jump target and
                // that the code ends with an instruction that does not fall through.
                let op = unsafe { &*ip };
                // SAFETY: at most one past the end, and only read again if `ip` is in range.
                ip = unsafe { ip.add(1) };
                match *op {
                    Op::Move { dst, src } => set!(dst, r!(src)),
                    Op::LoadK { dst, k } => set!(dst, konst!(k.0 as usize)),
                    Op::LoadI { dst, value } => {
                        set!(dst, Value::inline_int_unchecked(value as i64))
                    }
                    Op::LoadNull { dst } => set!(dst, Value::NULL),
                    Op::LoadBool { dst, value } => set!(dst, Value::bool(value)),
                    Op::LoadBuiltin { dst, builtin } => set!(dst, Value::builtin(builtin)),

                    Op::GetGlobal { dst, slot } => {
                        // SAFETY: `slot < program.globals.len() == globals.len()` (verifier).
                        let v = unsafe { *globals.add(slot.0 as usize) };
                        if v.is_undefined() {
                            break self.undefined_global(slot.0 as usize);
                        }
                        set!(dst, v)
                    }
                    Op::SetGlobal { slot, src } => {
                        let v = r!(src);
                        // SAFETY: `slot < globals.len()` (verifier).
                        unsafe { *globals.add(slot.0 as usize) = v }
                    }
                    Op::NewCell { dst, src } => {
                        let c = self.heap.cell(r!(src));
                        set!(dst, c);
                        safepoint!();
                    }
                    Op::GetCell { dst, cell } => set!(dst, cell_get(r!(cell))),
                    Op::SetCell { cell, src } => cell_set(r!(cell), r!(src)),
                    Op::GetUpval { dst, idx } => {
                        set!(dst, cell_get(upval!(idx.0 as usize)))
                    }
                    Op::SetUpval { idx, src } => cell_set(upval!(idx.0 as usize), r!(src)),
                    Op::Closure { dst, proto: idx } => {
                        // SAFETY: `fp` is the running frame and `regs` its window.
                        let c = unsafe { self.new_closure(&*fp, regs, idx.0 as usize) };
                        set!(dst, c);
                        safepoint!();
                    }

                    Op::Add { dst, a, b } => {
                        let (x, y) = (r!(a), r!(b));
                        if both_int(x, y) {
                            if let Some(v) = int_add(x, y) {
                                set!(dst, v);
                                continue;
                            }
                        } else if both_float(x, y) {
                            set!(dst, Value::float(x.as_float() + y.as_float()));
                            continue;
                        }
                        set!(dst, tri!(ops::add(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::Sub { dst, a, b } => {
                        let (x, y) = (r!(a), r!(b));
                        if both_int(x, y) {
                            if let Some(v) = int_sub(x, y) {
                                set!(dst, v);
                                continue;
                            }
                        } else if both_float(x, y) {
                            set!(dst, Value::float(x.as_float() - y.as_float()));
                            continue;
                        }
                        set!(dst, tri!(ops::sub(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::Mul { dst, a, b } => {
                        let (x, y) = (r!(a), r!(b));
                        if both_int(x, y) {
                            if let Some(v) = x
                                .as_inline_int()
                                .checked_mul(y.as_inline_int())
                                .and_then(Value::inline_int)
                            {
                                set!(dst, v);
                                continue;
                            }
                        } else if both_float(x, y) {
                            set!(dst, Value::float(x.as_float() * y.as_float()));
                            continue;
                        }
                        set!(dst, tri!(ops::mul(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::Div { dst, a, b } => {
                        let (x, y) = (r!(a), r!(b));
                        if both_int(x, y) && y.as_inline_int() != 0 {
                            // |x / y| <= |x| except for MIN / -1 = 2^47, which does not fit.
                            if let Some(v) =
                                Value::inline_int(x.as_inline_int() / y.as_inline_int())
                            {
                                set!(dst, v);
                                continue;
                            }
                        }
                        set!(dst, tri!(ops::div(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::Mod { dst, a, b } => {
                        let (x, y) = (r!(a), r!(b));
                        if both_int(x, y) && y.as_inline_int() != 0 {
                            // `%` keeps the dividend's sign, and |x % y| < |y| fits.
                            set!(
                                dst,
                                Value::inline_int_unchecked(x.as_inline_int() % y.as_inline_int())
                            );
                            continue;
                        }
                        set!(dst, tri!(ops::rem(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::AddI { dst, a, imm } => {
                        let x = r!(a);
                        if x.is_inline_int() {
                            if let Some(v) = int_add_imm(x, imm) {
                                set!(dst, v);
                                continue;
                            }
                        }
                        let y = Value::inline_int_unchecked(imm as i64);
                        set!(dst, tri!(ops::add(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::SubI { dst, a, imm } => {
                        let x = r!(a);
                        if x.is_inline_int() {
                            if let Some(v) = int_sub_imm(x, imm) {
                                set!(dst, v);
                                continue;
                            }
                        }
                        let y = Value::inline_int_unchecked(imm as i64);
                        set!(dst, tri!(ops::sub(&mut self.heap, x, y)));
                        safepoint!();
                    }
                    Op::Neg { dst, src } => {
                        let x = r!(src);
                        if x.is_inline_int() {
                            if let Some(v) = Value::inline_int(-x.as_inline_int()) {
                                set!(dst, v);
                                continue;
                            }
                        }
                        set!(dst, tri!(ops::neg(&mut self.heap, x)));
                        safepoint!();
                    }
                    Op::Not { dst, src } => set!(dst, Value::bool(!truthy(r!(src)))),
                    Op::ToBool { dst, src } => set!(dst, Value::bool(truthy(r!(src)))),
                    Op::Cmp { op, dst, a, b } => {
                        set!(dst, Value::bool(tri!(compare(op, r!(a), r!(b)))))
                    }
                    Op::CmpI { op, dst, a, imm } => {
                        let x = r!(a);
                        let b = if x.is_inline_int() {
                            op.apply(int_hi(x), (imm as i64) << (64 - TAG_SHIFT))
                        } else {
                            tri!(ops::compare(op, x, Value::inline_int_unchecked(imm as i64)))
                        };
                        set!(dst, Value::bool(b))
                    }
                    Op::Concat { dst, start, count } => {
                        // SAFETY: `start + count <= nregs` (verifier); nothing writes the
                        // stack while the slice is alive.
                        let parts = unsafe {
                            std::slice::from_raw_parts(regs.add(start.0 as usize), count as usize)
                        };
                        let v = ops::concat_display(&mut self.heap, parts);
                        set!(dst, v);
                        safepoint!();
                    }

                    Op::Jmp { target } => jump!(target),
                    Op::Loop { target } => {
                        jump!(target);
                        safepoint!();
                        // The back-edge counter only matters to the JIT.
                        if self.jit.is_some() {
                            save_ip!();
                            let pid = proto!().id as usize;
                            match self.loop_tick(pid, pc!()) {
                                None => {}
                                // The loop ran to the function's return in compiled code.
                                Some(Ok(v)) => ret!(v),
                                Some(Err(e)) => {
                                    self.osr_failed(e)?;
                                    continue 'frame;
                                }
                            }
                        }
                    }
                    Op::JmpIf { cond, target } => {
                        if truthy(r!(cond)) {
                            jump!(target);
                        }
                    }
                    Op::JmpIfNot { cond, target } => {
                        if !truthy(r!(cond)) {
                            jump!(target);
                        }
                    }
                    Op::JmpIfNotNull { src, target } => {
                        if !r!(src).is_null() {
                            jump!(target);
                        }
                    }
                    Op::JmpCmp { op, a, b, target } => {
                        if !tri!(compare(op, r!(a), r!(b))) {
                            jump!(target);
                        }
                    }
                    Op::JmpCmpI { op, a, imm, target } => {
                        let x = r!(a);
                        let b = if x.is_inline_int() {
                            op.apply(int_hi(x), (imm as i64) << (64 - TAG_SHIFT))
                        } else {
                            tri!(ops::compare(op, x, Value::inline_int_unchecked(imm as i64)))
                        };
                        if !b {
                            jump!(target);
                        }
                    }

                    Op::NewArray { dst, start, count } => {
                        // SAFETY: `start + count <= nregs` (verifier).
                        let v =
                            unsafe { self.new_array(regs.add(start.0 as usize), count as usize) };
                        set!(dst, v);
                        safepoint!();
                    }
                    Op::NewDict { dst, start, count } => {
                        // SAFETY: `start + 2 * count <= nregs` (verifier).
                        let kvs = unsafe {
                            std::slice::from_raw_parts(
                                regs.add(start.0 as usize),
                                2 * count as usize,
                            )
                        };
                        let d = tri!(ops::new_dict(&mut self.heap, kvs));
                        set!(dst, d);
                        safepoint!();
                    }
                    Op::GetIndex { dst, obj, key } => {
                        let v = tri!(ops::get_index(&mut self.heap, r!(obj), r!(key)));
                        set!(dst, v);
                        safepoint!();
                    }
                    Op::SetIndex { obj, key, src } => {
                        tri!(ops::set_index(&mut self.heap, r!(obj), r!(key), r!(src)));
                        safepoint!();
                    }
                    Op::GetField { dst, obj, key } => {
                        let k = konst!(key.0 as usize);
                        let v = tri!(ops::get_field(&mut self.heap, r!(obj), k));
                        set!(dst, v);
                        safepoint!();
                    }
                    Op::SetField { obj, key, src } => {
                        let k = konst!(key.0 as usize);
                        tri!(ops::set_field(&mut self.heap, r!(obj), k, r!(src)));
                        safepoint!();
                    }
                    Op::IterPrep { base, src } => {
                        let src = r!(src);
                        // SAFETY: `base + 3 <= nregs` (verifier), so the three state
                        // registers are inside this frame's window.
                        tri!(unsafe { super::iter::prep(regs.add(base.0 as usize), src) });
                    }
                    Op::IterNext { base, dst, exit } => {
                        // SAFETY: `base + 3 <= nregs` (verifier), so the three state
                        // registers are inside this frame's window.
                        let state = unsafe { regs.add(base.0 as usize) };
                        // SAFETY: as above.
                        match tri!(unsafe { super::iter::next(&mut self.heap, state) }) {
                            Some(v) => {
                                set!(dst, v);
                                safepoint!();
                            }
                            None => jump!(exit),
                        }
                    }

                    Op::Call { base: cb, nargs } => {
                        let callee = r!(cb);
                        if let Some(c) = as_closure(callee) {
                            let callee_proto: *const Proto = &*c.proto;
                            let callee_upvals = c.upvals.as_ptr();
                            save_ip!();
                            // SAFETY: `fp` is the running frame.
                            let new_base = unsafe { (*fp).base } as usize + cb.0 as usize + 1;
                            if self.jit.is_some() {
                                // SAFETY: the proto is kept alive by `self.protos`.
                                let cp = unsafe { &*callee_proto };
                                if let Some(r) = self.call_tick(cp, new_base, nargs as usize) {
                                    set!(cb, tri!(r));
                                    safepoint!();
                                    continue;
                                }
                            }
                            // SAFETY: the proto is kept alive by `self.protos`; `fp` is
                            // the last frame.
                            let f = tri!(unsafe {
                                self.push_call_frame(
                                    fp,
                                    &*callee_proto,
                                    callee_upvals,
                                    new_base,
                                    nargs as usize,
                                )
                            });
                            enter!(f);
                        } else if callee.is_builtin() {
                            save_ip!();
                            // SAFETY: `base + nargs < nregs` (verifier). The builtin gets a
                            // copy of the arguments, so nothing borrows the stack while it runs.
                            let v = tri!(unsafe {
                                self.call_builtin_from_regs(
                                    callee.as_builtin(),
                                    regs.add(cb.0 as usize + 1),
                                    nargs as usize,
                                )
                            });
                            set!(cb, v);
                            safepoint!();
                        } else {
                            break not_callable(callee);
                        }
                    }
                    Op::Return { src } => {
                        let v = r!(src);
                        ret!(v);
                    }
                    Op::ReturnNull => ret!(Value::NULL),
                    Op::Throw { src } => break RtError::Thrown(r!(src)),
                }
            };
            save_ip!();
            self.unwind(err)?;
        }
    }

    /// With the JIT on, a call from the interpreter to `proto`: runs it natively if it
    /// is (or has just become) compiled, else counts the call and returns `None` (the
    /// caller interprets it). Out of line to keep the dispatch loop small.
    #[inline(never)]
    fn call_tick(&mut self, proto: &Proto, base: usize, nargs: usize) -> Option<RtResult<Value>> {
        let r = self.jit_call(proto, base, nargs);
        if r.is_none() {
            let c = &mut self.counters[proto.id as usize];
            c.calls = c.calls.saturating_add(1);
        }
        r
    }

    /// With the JIT on, a loop back-edge in proto `pid` whose header is `pc` (the
    /// running frame's ip already saved): counts it and, when the loop is hot, tries
    /// an OSR entry (see `jit_osr`; `None`: keep interpreting). Out of line to keep the
    /// dispatch loop small.
    #[inline(never)]
    fn loop_tick(&mut self, pid: usize, pc: usize) -> Option<RtResult<Value>> {
        let c = &mut self.counters[pid];
        c.loops = c.loops.saturating_add(1);
        if self.jit_loop_hot(pid) {
            self.jit_osr(pid, pc)
        } else {
            None
        }
    }

    /// A new closure of child proto `idx` of the running function, capturing from its
    /// registers and upvalues. Out of line to keep the dispatch loop small.
    ///
    /// # Safety
    /// `fr` must be the running frame and `regs` its register window.
    #[inline(never)]
    unsafe fn new_closure(&mut self, fr: &Frame, regs: *const Value, idx: usize) -> Value {
        // SAFETY: the running frame's proto is kept alive by `self.protos`.
        let proto = unsafe { &*fr.proto };
        let child = &proto.children[idx];
        let ups: Box<[Value]> = child
            .upvals
            .iter()
            .map(|u| match u.source {
                // SAFETY: `reg < nregs` (verifier) and `regs` is the running window.
                UpvalSource::ParentReg(reg) => unsafe { *regs.add(reg.0 as usize) },
                // SAFETY: `i < proto.upvals.len()` (verifier), the length of the
                // running closure's upvalue array.
                UpvalSource::ParentUpval(i) => unsafe { *fr.upvals.add(i.0 as usize) },
            })
            .collect();
        self.heap.alloc(ObjData::Closure(Closure {
            proto: child.clone(),
            upvals: ups,
        }))
    }

    /// A new array of the `count` values at `items`. Out of line to keep the dispatch
    /// loop small.
    ///
    /// # Safety
    /// `items .. items + count` must be registers of the running frame.
    #[inline(never)]
    unsafe fn new_array(&mut self, items: *const Value, count: usize) -> Value {
        // SAFETY: forwarded from the caller.
        let items = unsafe { std::slice::from_raw_parts(items, count) }.to_vec();
        self.heap.array(items)
    }

    #[cold]
    #[inline(never)]
    fn undefined_global(&self, slot: usize) -> RtError {
        RtError::msg(format!(
            "Undefined variable: {}",
            self.program.globals[slot]
        ))
    }
}
