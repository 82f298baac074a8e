//! The VM side of the JIT: entering compiled code from the interpreter (calls, OSR,
//! the script body), the interpreter stub compiled code calls through, raising an error
//! in a compiled frame, and small wrappers that give `crate::jit` the VM's internals.

use super::call::{arity_error, not_callable, stack_overflow};
use super::{Vm, MAX_FRAMES};
use crate::bytecode::Proto;
use crate::error::{RtError, RtResult};
use crate::heap::{as_closure, TraceFrame};
use crate::jit::{JitFn, NOT_ENTERED, SENTINEL};
use crate::value::Value;

impl<'p> Vm<'p> {
    /// Runs native `code` on the frame window starting at stack index `base` (the
    /// closure at `base - 1`), from interpreter or Rust code.
    pub(crate) fn enter_native(&mut self, code: JitFn, base: usize) -> RtResult<Value> {
        let r = self.enter_raw(code, base)?;
        self.native_result(r)
    }

    /// The value of native code's result bits `r`, or its pending error for `SENTINEL`.
    fn native_result(&mut self, r: u64) -> RtResult<Value> {
        if r == SENTINEL {
            Err(self.take_jit_err())
        } else {
            Ok(Value(r))
        }
    }

    /// `enter_native` returning the raw result bits (`SENTINEL` with the error pending,
    /// or an OSR entry's `NOT_ENTERED`).
    fn enter_raw(&mut self, code: JitFn, base: usize) -> RtResult<u64> {
        let entry = match &self.jit {
            Some(j) => j.entry(),
            None => return Err(RtError::msg("internal error: compiled code without a JIT")),
        };
        let saved = self.jit_state.depth_limit;
        let saved_vm = self.jit_state.vm;
        let (depth, top) = (self.jit_state.depth(), self.jit_state.top());
        let published = self.jit_state.save();
        self.jit_state.depth_limit = MAX_FRAMES.saturating_sub(self.frames.len()) as u64;
        let rem = self.jit_state.rem(depth);
        let vmp = self as *mut Vm<'p> as *mut u8;
        self.jit_state.vm = vmp as u64;
        // SAFETY: `base` is inside the stack (the caller checked the window like
        // `push_frame` does, or it is an existing frame).
        let frame = unsafe { self.stack_ptr.add(base) } as *mut u64;
        // SAFETY: `frame` is a frame window with its closure and arguments in place, and
        // `code` came from this VM's JIT.
        let r = unsafe { entry.call(code, vmp, frame, rem, top) };
        // Compiled code publishes its depth and bound without restoring them.
        self.jit_state.restore(published);
        self.jit_state.depth_limit = saved;
        self.jit_state.vm = saved_vm;
        Ok(r)
    }

    /// The pending error of a call that returned the sentinel.
    pub(crate) fn take_jit_err(&mut self) -> RtError {
        self.jit_err
            .take()
            .unwrap_or_else(|| RtError::msg("internal error: JIT error without a value"))
    }

    /// The interpreter's call into a closure: runs it natively if it is (or has just
    /// become) compiled; `None` means "interpret it".
    pub(super) fn jit_call(
        &mut self,
        proto: &Proto,
        base: usize,
        nargs: usize,
    ) -> Option<RtResult<Value>> {
        let id = proto.id as usize;
        let code = match self.jit.as_ref()?.native(id) {
            Some(c) => c,
            None => {
                if !self.jit.as_ref()?.is_hot(self.counters[id].calls) {
                    return None;
                }
                self.jit_compile(id)?
            }
        };
        if nargs != proto.nparams as usize {
            return Some(Err(arity_error(proto, nargs)));
        }
        let c = &mut self.counters[id];
        c.calls = c.calls.saturating_add(1);
        Some(self.enter_native(code, base))
    }

    /// Compiles proto `id` (once); its native code, or `None` if it cannot be compiled.
    pub(crate) fn jit_compile(&mut self, id: usize) -> Option<JitFn> {
        let mut jit = self.jit.take()?;
        let r = jit.compile(self, id, None, 0);
        self.jit = Some(jit);
        r
    }

    /// True when the loop counter of proto `pid` says an OSR entry should be tried.
    pub(super) fn jit_loop_hot(&self, pid: usize) -> bool {
        match &self.jit {
            Some(j) => j.is_hot(self.counters[pid].loops) && j.osr_allowed(pid),
            None => false,
        }
    }

    /// Moves the innermost interpreter frame into compiled code at loop header `pc`.
    /// `Some(result)` is the frame's return value (or its error, already recorded in
    /// the traceback for this frame); `None` means "keep interpreting".
    pub(super) fn jit_osr(&mut self, pid: usize, pc: usize) -> Option<RtResult<Value>> {
        let base = self.frames.last()?.base as usize;
        // A function that is called repeatedly (not the script body) gets its whole
        // body compiled first, for its next calls; this activation keeps interpreting
        // and only moves to an OSR entry if the loop stays hot for another threshold's
        // worth of back-edges. This avoids compiling an OSR entry for short loops in
        // functions that are about to be compiled anyway.
        if pid != 0 && self.counters[pid].calls >= 2 && self.jit.as_ref()?.native(pid).is_none() {
            self.counters[pid].loops = 0;
            self.jit_compile(pid);
            return None;
        }
        let proto = self.protos.get(pid)?;
        let mut ints = 0u64;
        for r in 0..(proto.nparams as usize).min(64) {
            // SAFETY: `base + r` is a register of the running frame (`r < nparams`).
            if unsafe { *self.stack_ptr.add(base + r) }.is_inline_int() {
                ints |= 1 << r;
            }
        }
        let mut jit = self.jit.take()?;
        let code = jit.compile(self, pid, Some(pc), ints);
        self.jit = Some(jit);
        let code = code?;
        let mut r = self.enter_raw(code, base);
        if let Ok(NOT_ENTERED) = r {
            // An entry specialised for int parameters this frame does not hold: the
            // generic entry if there is one (see `Jit::osr_refused`), else keep
            // interpreting and try again only after another threshold's worth of
            // back-edges.
            let mut jit = self.jit.take()?;
            let generic = jit.osr_refused(self, pid, pc);
            self.jit = Some(jit);
            match generic {
                Some(code) => r = self.enter_raw(code, base),
                None => {
                    self.counters[pid].loops = 0;
                    return None;
                }
            }
        }
        Some(r.and_then(|r| self.native_result(r)))
    }

    /// After an OSR entry failed with `e` (this frame is already in the traceback): pops
    /// the frame and unwinds from its caller.
    pub(super) fn osr_failed(&mut self, e: RtError) -> RtResult<()> {
        let f = match self.frames.pop() {
            Some(f) => f,
            None => return Err(e),
        };
        if f.entry {
            return Err(e);
        }
        self.unwind(e)
    }

    /// With `--jit-threshold 0`, runs the script body (whose interpreter frame was just
    /// pushed) as compiled code; `None` means "interpret it".
    pub(super) fn jit_run_main(&mut self) -> Option<RtResult<Value>> {
        if !self.jit.as_ref()?.is_hot(0) {
            return None;
        }
        let code = self.jit_compile(0)?;
        let f = self.frames.pop()?;
        Some(self.enter_native(code, f.base as usize))
    }

    /// Prints `--jit-stats` to stderr.
    pub(super) fn jit_report(&mut self) {
        if let Some(j) = &self.jit {
            if let Some(text) = j.report(&self.protos) {
                self.out.flush();
                self.out.err(text.as_bytes());
            }
        }
    }

    /// The body of the interpreter stub: runs the closure at `window[-1]` (arity already
    /// checked by the caller) in a nested interpreter activation, or natively if it has
    /// become hot.
    pub(crate) fn stub_call(&mut self, window: *mut Value) -> RtResult<Value> {
        // SAFETY: `window` is a frame window inside the register stack (`window - 1`
        // holds the closure), as every caller of a code slot guarantees.
        let (closure, base) =
            unsafe { (*window.sub(1), window.offset_from(self.stack_ptr) as usize) };
        let proto = match as_closure(closure) {
            Some(c) => c.proto.clone(),
            None => return Err(not_callable(closure)),
        };
        let id = proto.id as usize;
        if let Some(j) = &self.jit {
            if j.native(id).is_none() && j.is_hot(self.counters[id].calls) {
                if let Some(code) = self.jit_compile(id) {
                    let c = &mut self.counters[id];
                    c.calls = c.calls.saturating_add(1);
                    return self.enter_native(code, base);
                }
            } else if let Some(code) = j.native(id) {
                return self.enter_native(code, base);
            }
        }
        self.interpret(&proto, base)
    }

    /// Runs the frame window `window` (its closure just below it, its arguments in
    /// place) in the interpreter, whether or not the function is compiled: for a
    /// specialised compiled function called with arguments its body does not handle.
    pub(crate) fn interpret_window(&mut self, window: *mut Value) -> RtResult<Value> {
        // SAFETY: as in `stub_call`.
        let (closure, base) =
            unsafe { (*window.sub(1), window.offset_from(self.stack_ptr) as usize) };
        match as_closure(closure) {
            Some(c) => {
                let proto = c.proto.clone();
                self.interpret(&proto, base)
            }
            None => Err(not_callable(closure)),
        }
    }

    /// Pushes an entry frame for `proto` on the window at `base` and interprets it.
    fn interpret(&mut self, proto: &Proto, base: usize) -> RtResult<Value> {
        self.push_frame(proto, base, proto.nparams as usize, true)?;
        self.execute()
    }

    /// Turns the pending error into an error value raised at `pc` of a compiled frame of
    /// `proto` whose window is `frame`, recording the frame in the traceback. Returns the
    /// index of the handler that catches it (its error register already written), or -1
    /// with the error left pending for the caller.
    pub(crate) fn jit_raise(&mut self, proto: &Proto, frame: *mut Value, pc: usize) -> i64 {
        let err = self.take_jit_err();
        let span = proto.spans.get(pc).copied().unwrap_or(proto.span);
        self.jit_span = Some(span);
        let r = self.error_value(err);
        self.jit_span = None;
        let (ev, skip) = match r {
            Ok(x) => x,
            Err(e) => {
                self.jit_err = Some(e);
                return -1;
            }
        };
        if !skip {
            let line = proto.spans.get(pc).map(|s| s.line).unwrap_or(0);
            self.push_trace(
                ev,
                TraceFrame {
                    name: proto.name.clone(),
                    line,
                },
            );
        }
        let at = pc as u32;
        if let Some((i, h)) = proto
            .handlers
            .iter()
            .enumerate()
            .find(|(_, h)| h.start.0 <= at && at < h.end.0)
        {
            self.fill_stack(ev);
            if let Some(r) = h.err_reg {
                // SAFETY: `r < nregs` (verifier) and `frame` is this frame's window.
                unsafe { *frame.add(r.0 as usize) = ev };
            }
            return i as i64;
        }
        self.in_flight = ev;
        self.jit_err = Some(RtError::Thrown(ev));
        -1
    }

    /// `Stack overflow`, left pending.
    pub(crate) fn jit_stack_overflow(&mut self) {
        self.jit_err = Some(stack_overflow());
    }

    /// The `Undefined variable` error for global `slot`.
    pub(crate) fn undefined_global_error(&self, slot: usize) -> RtError {
        RtError::msg(format!(
            "Undefined variable: {}",
            self.program.globals[slot]
        ))
    }

    /// The wrong-arity error for calling `proto` with `nargs` arguments.
    pub(crate) fn jit_arity_error(proto: &Proto, nargs: usize) -> RtError {
        arity_error(proto, nargs)
    }

    /// The error for calling a value that is not a function.
    pub(crate) fn jit_not_callable(v: Value) -> RtError {
        not_callable(v)
    }

    /// `IterPrep` on the state registers at `state`.
    ///
    /// # Safety
    /// `state .. state + 3` must be registers of the running frame.
    pub(crate) unsafe fn jit_iter_prep(state: *mut Value, src: Value) -> RtResult<()> {
        // SAFETY: forwarded from the caller.
        unsafe { super::iter::prep(state, src) }
    }

    /// `IterNext` on the state registers at `state`.
    ///
    /// # Safety
    /// `state .. state + 3` must be registers of the running frame, set by `IterPrep`.
    pub(crate) unsafe fn jit_iter_next(&mut self, state: *mut Value) -> RtResult<Option<Value>> {
        // SAFETY: forwarded from the caller.
        unsafe { super::iter::next(&mut self.heap, state) }
    }
}
