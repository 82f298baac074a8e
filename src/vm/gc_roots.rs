//! Garbage collection at safe points: marks every root the VM holds.
//!
//! Roots: the register stack below the innermost frame's `top` (every frame's window,
//! the closures below each window, and values staged for a call back into Ruff), the
//! globals, the loaded constants, the temporary roots of native code, and an error value
//! in flight between a nested dispatch loop and the builtin that called it.

use super::Vm;

impl<'p> Vm<'p> {
    /// Collects garbage now. Call only at a safe point: every live value must be in
    /// one of the roots listed above.
    #[cold]
    #[inline(never)]
    pub(crate) fn collect_garbage(&mut self) {
        let top = self.stack_top().min(self.stack.len());
        let stack = &self.stack[..top];
        let globals = &self.globals;
        let consts = &self.consts;
        let temps = &self.temp_roots;
        let in_flight = self.in_flight;
        let pinned = self.jit.as_ref().map_or(&[][..], |j| j.pinned());
        self.heap.collect(&mut |m| {
            m.mark_slice(stack);
            m.mark_slice(globals);
            for c in consts.iter() {
                m.mark_slice(c);
            }
            m.mark_slice(temps);
            m.mark(in_flight);
            m.mark_slice(pinned);
        });
    }
}
