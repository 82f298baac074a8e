//! Collection polls at loop back edges.
//!
//! Compiled code collects garbage only inside helpers that reach a safe point. A loop
//! can allocate on every iteration without reaching one: an INT register boxed beyond
//! 48 bits (`unboxed::jit_box_int` allocates but never collects), a call to compiled
//! code (which may box its result the same way), or an error raised and caught inside
//! the loop. Such a loop tests the heap's trigger (`Heap::should_collect`, two loads and
//! a compare) at its back edge and, when a collection is due, spills and calls
//! `helpers::jit_collect` in a cold block. Loops that cannot allocate that way (int and
//! float arithmetic, helpers that reach safe points themselves) carry no poll.

use super::{flags, helpers, Spill, Tr};
use crate::bytecode::Op;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder};

impl Tr<'_, '_> {
    /// Records that the instruction being translated allocates without a safe point.
    pub(super) fn mark_silent_alloc(&mut self) {
        if let Some(s) = self.silent.get_mut(self.pc) {
            *s = true;
        }
    }

    /// Whether the loop from header `h` to its back edge at `pc` may allocate on an
    /// iteration without reaching a safe point: it calls, catches an error, or boxed an
    /// int at one of its instructions (all translated before the back edge). A raw body
    /// never collects (its callers rely on that) and never needs a poll: it holds ints
    /// only, and an error ends it.
    fn loop_needs_poll(&self, h: usize, pc: usize) -> bool {
        if self.raw.is_some() || h > pc {
            return false;
        }
        let calls = self.proto.code[h..=pc]
            .iter()
            .any(|op| matches!(op, Op::Call { .. }));
        let catches = self
            .proto
            .handlers
            .iter()
            .any(|x| (h..=pc).contains(&(x.handler.0 as usize)));
        calls || catches || self.silent[h..=pc].iter().any(|&s| s)
    }

    /// At the back edge at `pc` to header `h`: when the loop needs it, tests the
    /// collection trigger and collects in a cold block (every live register spilled).
    pub(super) fn poll_at_back_edge(&mut self, h: usize, pc: usize) {
        if !self.loop_needs_poll(h, pc) {
            return;
        }
        let vm = self.vm_ptr();
        let heap = crate::vm::HEAP_OFFSET;
        let at = |off: usize| (heap + off) as i32;
        let allocated = self.b.ins().load(
            types::I64,
            flags(),
            vm,
            at(crate::heap::ALLOCATED_OFFSET),
        );
        let threshold = self.b.ins().load(
            types::I64,
            flags(),
            vm,
            at(crate::heap::THRESHOLD_OFFSET),
        );
        let due = self.b.ins().icmp(
            IntCC::UnsignedGreaterThanOrEqual,
            allocated,
            threshold,
        );
        let gc = self.b.create_block();
        self.b.set_cold_block(gc);
        let go_on = self.b.create_block();
        self.brif(due, gc, go_on);
        self.b.switch_to_block(gc);
        self.spill(pc, &[], Spill::Helper);
        self.vmcall(helpers::jit_collect as *const () as usize, &[self.vm]);
        self.jump(go_on, &[]);
        self.b.switch_to_block(go_on);
    }
}
