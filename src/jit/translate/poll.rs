//! Collection polls: at loop back edges and at returns.
//!
//! Compiled code collects garbage only inside helpers that reach a safe point. Some code
//! allocates without one: an INT register boxed beyond 48 bits, by an instruction or
//! by the spill before a call or helper (`unboxed::jit_box_int` allocates but never
//! collects: the boxed value is still unrooted), and the error of
//! an instruction that raises inside a `try` and is caught there. A loop made of such
//! code would allocate on every iteration and never collect. So:
//! - a loop whose instructions include such a site (`Tr::silent`, marked while they are
//!   translated) or a handler tests the heap's trigger (`Heap::should_collect`: two
//!   loads and a compare) at its back edge and, when a collection is due, spills every
//!   live register, calls `helpers::jit_collect` and reloads them, in a cold block;
//! - a function with such a site anywhere makes the same test where it returns
//!   normally and collects keeping the returned value (`helpers::jit_collect_keeping`),
//!   so a loop that calls it (whose registers are in its frame across the call) needs
//!   no poll of its own. Returning a big int is no such site: it is boxed by
//!   `helpers::jit_box_result`, which collects itself when that made a collection due
//!   (`box_result`; a raw function's wrapper does the same, `translate/raw.rs`).
//!
//! Loops and functions of int and float arithmetic, helpers and builtins that reach
//! safe points themselves carry no poll.

use super::{flags, helpers, Spill, Tr};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, Block, InstBuilder};

impl Tr<'_, '_> {
    /// Records that the instruction being translated allocates without a safe point.
    pub(super) fn mark_silent_alloc(&mut self) {
        if let Some(s) = self.silent.get_mut(self.pc) {
            *s = true;
        }
    }

    /// Whether the loop from header `h` to its back edge at `pc` may allocate on an
    /// iteration without reaching a safe point: it catches an error, or one of its
    /// instructions (all translated before the back edge) boxed an int. A raw body never
    /// collects (its callers rely on that) and never needs a poll: it holds ints only,
    /// and an error ends it.
    fn loop_needs_poll(&self, h: usize, pc: usize) -> bool {
        if self.raw.is_some() || h > pc {
            return false;
        }
        let catches = self
            .proto
            .handlers
            .iter()
            .any(|x| (h..=pc).contains(&(x.handler.0 as usize)));
        catches || self.silent[h..=pc].iter().any(|&s| s)
    }

    /// The heap's collection trigger: true when a collection is due.
    fn collection_due(&mut self) -> ir::Value {
        let vm = self.vm_ptr();
        let heap = crate::vm::HEAP_OFFSET;
        let at = |off: usize| (heap + off) as i32;
        let allocated =
            self.b
                .ins()
                .load(types::I64, flags(), vm, at(crate::heap::ALLOCATED_OFFSET));
        let threshold =
            self.b
                .ins()
                .load(types::I64, flags(), vm, at(crate::heap::THRESHOLD_OFFSET));
        self.b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, allocated, threshold)
    }

    /// At the back edge at `pc` to header `h`: when the loop needs it, tests the
    /// collection trigger and collects in a cold block (every live register spilled).
    pub(super) fn poll_at_back_edge(&mut self, h: usize, pc: usize) {
        if !self.loop_needs_poll(h, pc) {
            return;
        }
        let due = self.collection_due();
        let gc = self.b.create_block();
        self.b.set_cold_block(gc);
        let go_on = self.b.create_block();
        self.brif(due, gc, go_on);
        self.b.switch_to_block(gc);
        // Every live register goes to its frame slot and comes back from it, as around
        // a call: nothing is held across the cold call, so the register allocator has
        // no reason to move the loop's values out of registers on the hot path.
        self.spill(pc, &[], Spill::Call);
        self.vmcall(helpers::jit_collect as *const () as usize, &[self.vm]);
        for i in 0..self.proto.nregs {
            if self.live.live_out[pc].has(i as usize) {
                self.reload_kept(i);
            }
        }
        self.jump(go_on, &[]);
        self.b.switch_to_block(go_on);
    }

    /// Where a normal return jumps with its value: the return poll's block, except in
    /// a raw body, which never polls (its returns go straight to the exit).
    pub(super) fn normal_return(&self) -> Block {
        if self.raw.is_some() {
            self.ret_block
        } else {
            self.ret_ok
        }
    }

    /// On the normal return path with value `v`: when this function may have allocated
    /// without a safe point, tests the collection trigger and collects keeping `v` in a
    /// cold block. Returns the value to return.
    pub(super) fn poll_at_return(&mut self, v: ir::Value) -> ir::Value {
        let silent = self.silent.iter().any(|&s| s) || !self.proto.handlers.is_empty();
        if self.raw.is_some() || !silent {
            return v;
        }
        let due = self.collection_due();
        let gc = self.b.create_block();
        self.b.set_cold_block(gc);
        let join = self.b.create_block();
        self.b.append_block_param(join, types::I64);
        self.b
            .ins()
            .brif(due, gc, &[], join, &[ir::BlockArg::Value(v)]);
        self.b.switch_to_block(gc);
        let f = helpers::jit_collect_keeping as *const () as usize;
        let kept = self.vmcall(f, &[self.vm, v]);
        self.jump(join, &[kept]);
        self.b.switch_to_block(join);
        self.b.block_params(join)[0]
    }

    /// The raw int `raw` that `Return` returns, as a value: inline when it fits, else
    /// boxed by `helpers::jit_box_result`, which collects if that made a collection due
    /// (keeping the new box), so returning a big int is no silent allocation.
    pub(super) fn box_result(&mut self, raw: ir::Value) -> ir::Value {
        if let Some(v) = self
            .const_int(raw)
            .and_then(crate::value::Value::inline_int)
        {
            return self.iconst(v.0 as i64);
        }
        let (fits, s) = self.inline_parts(raw);
        let inline = self.box_shifted(s);
        let big = self.b.create_block();
        self.b.set_cold_block(big);
        let join = self.b.create_block();
        self.b.append_block_param(join, types::I64);
        self.b
            .ins()
            .brif(fits, join, &[ir::BlockArg::Value(inline)], big, &[]);
        self.b.switch_to_block(big);
        let f = helpers::jit_box_result as *const () as usize;
        let v = self.vmcall(f, &[self.vm, raw]);
        self.jump(join, &[v]);
        self.b.switch_to_block(join);
        self.b.block_params(join)[0]
    }
}
