//! Calls: pushing frames (arity, stack-overflow checks, null-filling the window), and
//! `call_value`, which runs a Ruff function from native code in a nested dispatch loop.

use super::{Frame, Vm, MAX_FRAMES, MAX_NATIVE_DEPTH, STACK_CAPACITY};
use crate::bytecode::Proto;
use crate::error::{RtError, RtResult};
use crate::heap::{as_closure, type_name};
use crate::value::Value;
use std::rc::Rc;

/// The `Stack overflow` error.
#[cold]
pub(super) fn stack_overflow() -> RtError {
    RtError::msg("Stack overflow")
}

/// The wrong-arity error, e.g. `add expects 2 arguments, got 1`.
#[cold]
#[inline(never)]
pub(super) fn arity_error(proto: &Proto, nargs: usize) -> RtError {
    let plural = if proto.nparams == 1 { "" } else { "s" };
    RtError::msg(format!(
        "{} expects {} argument{plural}, got {nargs}",
        proto.name, proto.nparams
    ))
}

/// The error for calling something that is not a function, e.g. `Cannot call int`.
#[cold]
#[inline(never)]
pub(super) fn not_callable(v: Value) -> RtError {
    RtError::msg(format!("Cannot call {}", type_name(v)))
}

impl<'p> Vm<'p> {
    /// Checks a call of `proto` with `nargs` arguments whose window starts at stack
    /// index `base` (arity, frame limit, register stack) and null-fills the window past
    /// the arguments. Returns the window's end.
    ///
    /// The fill writes four slots per step, so it may write up to three slots past the
    /// end. Those are above every live window except the caller's registers above this
    /// call's arguments, which are dead at the call (the compiler allocates registers as
    /// a stack and puts a call at the top; the callee's window overlaps them too).
    #[inline(always)]
    fn open_window(&mut self, proto: &Proto, base: usize, nargs: usize) -> RtResult<usize> {
        if nargs != proto.nparams as usize {
            return Err(arity_error(proto, nargs));
        }
        let end = base + proto.nregs as usize;
        if self.frames.len() + self.jit_state.depth() as usize >= MAX_FRAMES || end > STACK_CAPACITY
        {
            return Err(stack_overflow());
        }
        // SAFETY: `base + nargs <= end <= STACK_CAPACITY` and the stack allocation has
        // `super::STACK_SLACK >= 3` more slots, so every slot written is inside it.
        unsafe {
            let mut p = self.stack_ptr.add(base + nargs);
            let stop = self.stack_ptr.add(end);
            while p < stop {
                p.write(Value::NULL);
                p.add(1).write(Value::NULL);
                p.add(2).write(Value::NULL);
                p.add(3).write(Value::NULL);
                p = p.add(4);
            }
        }
        Ok(end)
    }

    /// Pushes a frame for `proto` whose window starts at stack index `base`, with `nargs`
    /// arguments already in `stack[base..]` and the closure at `stack[base - 1]`.
    /// Checks the arity and the stack limits and null-fills the rest of the window.
    pub(crate) fn push_frame(
        &mut self,
        proto: &Proto,
        base: usize,
        nargs: usize,
        entry: bool,
    ) -> RtResult<()> {
        // SAFETY: `base >= 1` (every caller puts the closure at `base - 1`) and
        // `base - 1 < STACK_CAPACITY`.
        let closure = unsafe { *self.stack_ptr.add(base - 1) };
        let upvals = super::interp::upvals_of(closure);
        self.push_frame_with(proto, upvals, base, nargs, entry)
    }

    /// `push_frame` with the closure's upvalue array already known.
    #[inline(always)]
    pub(crate) fn push_frame_with(
        &mut self,
        proto: &Proto,
        upvals: *const Value,
        base: usize,
        nargs: usize,
        entry: bool,
    ) -> RtResult<()> {
        let end = self.open_window(proto, base, nargs)?;
        let below = self.frames.last().map(|f| f.top).unwrap_or(0);
        // Compiled frames above the innermost interpreter frame keep their bound here.
        let below = below.max(self.jit_state.top_index(self.stack_ptr) as u32);
        let id = proto.id as usize;
        let c = &mut self.counters[id];
        c.calls = c.calls.saturating_add(1);
        debug_assert!(self.frames.len() < self.frames.capacity());
        self.frames.push(Frame {
            proto: proto as *const Proto,
            ip: proto.code.as_ptr(),
            consts: self.consts[id].as_ptr(),
            upvals,
            base: base as u32,
            top: below.max(end as u32),
            entry,
        });
        Ok(())
    }

    /// The interpreter's `Call` into an interpreted closure: pushes its frame like
    /// `push_frame_with` and returns it (the new innermost frame). Does not touch the
    /// tiering counters (the caller counts the call when the JIT is on).
    ///
    /// The innermost frame must be `caller`, running in `execute`: its `top` already
    /// covers any compiled frames below it, which cannot change while it runs (compiled
    /// callees restore `JitState` when they return), so the new frame's bound is just
    /// the larger of that `top` and its own end.
    ///
    /// # Safety
    /// `caller` must point to the last element of `self.frames`.
    #[inline(always)]
    pub(super) unsafe fn push_call_frame(
        &mut self,
        caller: *mut Frame,
        proto: &Proto,
        upvals: *const Value,
        base: usize,
        nargs: usize,
    ) -> RtResult<*mut Frame> {
        let end = self.open_window(proto, base, nargs)?;
        let depth = self.frames.len();
        // SAFETY: `caller` is the last frame (caller's contract).
        let below = unsafe { (*caller).top };
        let f = Frame {
            proto: proto as *const Proto,
            ip: proto.code.as_ptr(),
            // SAFETY: `proto.id < consts.len()`: `load` makes one entry per proto id and
            // the verifier checked the ids.
            consts: unsafe { self.consts.get_unchecked(proto.id as usize).as_ptr() },
            upvals,
            base: base as u32,
            top: below.max(end as u32),
            entry: false,
        };
        debug_assert!(depth < self.frames.capacity());
        // SAFETY: `caller` is element `depth - 1`, so `caller + 1` is element `depth`,
        // inside the capacity (`depth < MAX_FRAMES < capacity`); it is initialised
        // before the length covers it.
        unsafe {
            let new = caller.add(1);
            new.write(f);
            self.frames.set_len(depth + 1);
            Ok(new)
        }
    }

    /// Calls `f` with `args` from native code (a builtin calling back) and returns its
    /// result. A Ruff function runs in a nested dispatch loop on fresh stack slots above
    /// every live frame; an error it does not catch comes back as `Err` with its
    /// traceback so far, and the caller's frames keep extending it.
    pub fn call_value(&mut self, f: Value, args: &[Value]) -> RtResult<Value> {
        if f.is_builtin() {
            return self.call_builtin(f.as_builtin(), args);
        }
        let proto: Rc<crate::bytecode::Proto> = match as_closure(f) {
            Some(c) => c.proto.clone(),
            None => return Err(not_callable(f)),
        };
        if self.native_depth >= MAX_NATIVE_DEPTH {
            return Err(stack_overflow());
        }
        let slot = self.stack_top();
        if slot + 1 + args.len() >= STACK_CAPACITY {
            return Err(stack_overflow());
        }
        // SAFETY: `slot + 1 + args.len() < STACK_CAPACITY`, checked above.
        unsafe {
            *self.stack_ptr.add(slot) = f;
            for (i, a) in args.iter().enumerate() {
                *self.stack_ptr.add(slot + 1 + i) = *a;
            }
        }
        // The proto stays alive: `self.protos` holds every proto of the program.
        self.push_frame(&proto, slot + 1, args.len(), true)?;
        self.native_depth += 1;
        let r = self.execute();
        self.native_depth -= 1;
        r
    }
}
