//! The entry and the body of a translated function. A parameter that is never written
//! and meets INT registers in arithmetic or comparisons (in a function with a loop and
//! no `try`) can be specialised: the body is translated with it INT, and the entry
//! checks that every such parameter holds an inline int before jumping to it. Each
//! compilation emits exactly one body:
//! - a whole function: the specialised body when there are such parameters; a call with
//!   other arguments runs in the interpreter (`jit_interpret`; its loop then gets an
//!   OSR entry);
//! - an OSR entry: the specialised body when the frame being moved holds inline ints in
//!   all of them (`Env::osr_ints`), and then a frame that reaches the header later with
//!   other values is not entered (`NOT_ENTERED`: it keeps interpreting, until the
//!   header gets a generic entry too, `Jit::osr_refused`); otherwise the generic body,
//!   which takes any values.

use super::{flags, globals, helpers, int_types, liveness, ranges, InstBuilder, Tr};
use crate::bytecode::Op;
use crate::jit::NOT_ENTERED;
use crate::value::Value;
use cranelift_codegen::ir::{self, types};

/// The bytecode length from which a function keeps its boxed registers in memory
/// (`Tr::mem`). Below it, keeping them in variables gives slightly faster code (fib:
/// 3% fewer instructions; a short loop over an array: 7%); from it on, the register
/// allocator's work on variables held across many helper calls dominates the compile
/// time, and the memory form runs as fast.
const MEM_REGS_MIN_LEN: usize = 50;

impl Tr<'_, '_> {
    /// Of the never-written parameters `cands`, those worth specialising: used with an
    /// INT register in an arithmetic or comparison instruction once they are assumed INT.
    fn spec_params(&self, cands: &[u16], ints: &int_types::IntTypes) -> Vec<u16> {
        // Only loops repay specialising (a call with other arguments is interpreted).
        let looping = self
            .proto
            .code
            .iter()
            .any(|op| matches!(op, Op::Loop { .. }));
        if !self.proto.handlers.is_empty() || !looping {
            return Vec::new();
        }
        let mut used = Vec::new();
        for (pc, op) in self.proto.code.iter().enumerate() {
            let int = |r: u16| ints.use_int(pc, r);
            // The two-register arithmetic and comparison instructions.
            let binary = matches!(
                op,
                Op::Add { .. } | Op::Sub { .. } | Op::Mul { .. } | Op::Div { .. }
            ) || matches!(op, Op::Mod { .. } | Op::Cmp { .. } | Op::JmpCmp { .. });
            let pair = match liveness::uses(self.proto, op)[..] {
                [a, b] if binary => Some((a, b)),
                _ => None,
            };
            if let Some((a, b)) = pair {
                for (p, q) in [(a, b), (b, a)] {
                    if cands.contains(&p) && int(q) && !used.contains(&p) {
                        used.push(p);
                    }
                }
            }
        }
        used
    }

    /// Emits the prologue, an entry block (promoted globals loaded, parameters
    /// checked) and the one body (see the module comment).
    pub(super) fn bodies(&mut self, osr: Option<usize>) -> Result<(), String> {
        if let (Some(raw), None) = (&self.raw, osr) {
            // A raw body: one version, typed by its plan (parameters INT); no promoted
            // globals.
            let types = raw.plan.types.clone();
            self.set_mem_regs(&types, None);
            self.below_max = int_types::below_max(self.proto, &types, &[]);
            self.above_min = int_types::above_min(self.proto, &types, &[]);
            self.ranges = ranges::analyze(self.proto, &types, &[]);
            self.types = Some(types);
            self.pc = 0;
            self.prologue(None);
            self.terminated = true;
            return self.body();
        }
        let start = osr.unwrap_or(0);
        if self.env.globals != 0 {
            // Keep the globals that type as INT (the others stay in memory).
            let cand = globals::analyze(self.proto);
            let ints = int_types::analyze(self.proto, &self.live, &[], &cand.slots, &[]);
            let keep: Vec<usize> = (0..cand.slots.len()).filter(|&k| ints.globals[k]).collect();
            self.promoted = globals::Promoted {
                slots: keep.iter().map(|&k| cand.slots[k]).collect(),
                assigned: cand
                    .assigned
                    .iter()
                    .map(|row| keep.iter().map(|&k| row[k]).collect())
                    .collect(),
            };
        }
        let gslots = self.promoted.slots.clone();
        for _ in &gslots {
            let v = self.b.declare_var(types::I64);
            self.regs.push(v);
        }
        let base = int_types::analyze(self.proto, &self.live, &[], &gslots, &[]);
        let spec = {
            let all: Vec<u16> = (0..self.proto.nparams)
                .filter(|&r| !self.live.written.has(r as usize))
                .collect();
            let optimistic = int_types::analyze(self.proto, &self.live, &all, &gslots, &[]);
            let used = self.spec_params(&all, &optimistic);
            // An OSR entry specialises only when the frame it is made for would run the
            // specialised body.
            let ints = self.env.osr_ints;
            let held = |&p: &u16| p < 64 && (ints >> p) & 1 == 1;
            if used.is_empty() || (osr.is_some() && !used.iter().all(held)) {
                None
            } else {
                let ints = int_types::analyze(self.proto, &self.live, &used, &gslots, &[]);
                Some((ints, used))
            }
        };
        self.set_mem_regs(&base, spec.as_ref().map(|(s, _)| s));
        // The prologue jumps to `entry` instead of `start`. Without specialisation it
        // unboxes the INT registers itself; otherwise every register stays boxed until
        // the entry has checked the parameters.
        let entry = self.b.create_block();
        let first = self.blocks.get(start).copied().flatten();
        if let Some(slot) = self.blocks.get_mut(start) {
            *slot = Some(entry);
        }
        self.pc = start;
        if spec.is_none() {
            self.below_max = int_types::below_max(self.proto, &base, &self.promoted.slots);
            self.above_min = int_types::above_min(self.proto, &base, &self.promoted.slots);
            self.ranges = ranges::analyze(self.proto, &base, &[]);
            self.types = Some(base);
        }
        self.prologue(osr);
        if let Some(slot) = self.blocks.get_mut(start) {
            *slot = first;
        }
        self.b.switch_to_block(entry);
        self.load_globals(start);
        let Some((spec_ints, params)) = spec else {
            let blk = self.block(start);
            self.jump(blk, &[]);
            self.terminated = true;
            return self.body();
        };
        let vals: Vec<ir::Value> = params
            .iter()
            .map(|&p| self.b.use_var(self.regs[p as usize]))
            .collect();
        let ok = super::arith::all_inline_ints(&mut self.b, &vals);
        let spec_entry = self.b.create_block();
        let other = self.b.create_block();
        self.brif(ok, spec_entry, other);
        self.b.set_cold_block(other);
        self.b.switch_to_block(other);
        if osr.is_none() {
            // A call with other arguments is interpreted.
            let (rem, top) = self.entry_args;
            let f = jit_interpret as *const () as usize;
            let r = self.hcall(f, &[self.vm, self.frame, rem, top]);
            let ret = self.ret_block;
            self.jump(ret, &[r]);
        } else {
            // A frame with other values is not entered: nothing has been changed yet
            // (an OSR entry leaves the depth alone), so it returns at once.
            let r = self.iconst(NOT_ENTERED as i64);
            self.b.ins().return_(&[r]);
        }
        self.b.switch_to_block(spec_entry);
        self.below_max = int_types::below_max(self.proto, &spec_ints, &self.promoted.slots);
        self.above_min = int_types::above_min(self.proto, &spec_ints, &self.promoted.slots);
        // The entry checked that the specialised parameters hold inline ints.
        self.ranges = ranges::analyze(self.proto, &spec_ints, &params);
        self.types = Some(spec_ints);
        self.pc = start;
        self.enter_version(start, &params);
        self.terminated = true;
        self.body()
    }

    /// In a big function, makes the registers INT in no version (`base`, `spec`) live
    /// in their frame slot (see `Tr::mem`).
    fn set_mem_regs(&mut self, base: &int_types::IntTypes, spec: Option<&int_types::IntTypes>) {
        if self.proto.code.len() < MEM_REGS_MIN_LEN {
            return;
        }
        for i in 0..self.proto.nregs {
            if !base.ever_int(i) && !spec.is_some_and(|s| s.ever_int(i)) {
                self.mem.add(i as usize);
            }
        }
    }

    /// The variable index of promoted global `slot`.
    pub(super) fn global_reg(&self, slot: u16) -> u16 {
        self.proto.nregs + self.promoted.index(slot).unwrap_or(0) as u16
    }

    /// The address of global `slot`.
    fn global_addr(&mut self, slot: u16) -> ir::Value {
        self.iconst((self.env.globals + slot as usize * 8) as i64)
    }

    /// Defines the promoted globals at the entry `start`: the boxed memory value,
    /// unboxed, where assigned (an OSR entry), otherwise 0 (their slots hold
    /// `UNDEFINED`).
    fn load_globals(&mut self, start: usize) {
        for k in 0..self.promoted.slots.len() {
            let slot = self.promoted.slots[k];
            let assigned = self.promoted.assigned.get(start).is_some_and(|r| r[k]);
            let v = if assigned {
                let addr = self.global_addr(slot);
                let v = self.b.ins().load(types::I64, flags(), addr, 0);
                self.unbox_int(v)
            } else {
                self.iconst(0)
            };
            let g = self.global_reg(slot);
            self.b.def_var(self.regs[g as usize], v);
        }
    }

    /// Stores every promoted global assigned at `pc` into its slot, boxed (before
    /// helpers, calls and returns: callees, helpers and the GC read globals there).
    pub(super) fn sync_globals(&mut self, pc: usize) {
        for k in 0..self.promoted.slots.len() {
            let slot = self.promoted.slots[k];
            if !self.promoted.assigned.get(pc).is_some_and(|r| r[k]) {
                continue;
            }
            let g = self.global_reg(slot);
            let v = self.r(g);
            let addr = self.global_addr(slot);
            self.b.ins().store(flags(), v, addr, 0);
        }
    }

    /// In the specialised entry block: turns the boxed entry values of the INT registers
    /// into raw ints (0 for the ones not live at `start`), then jumps to `start`. The
    /// `checked` parameters hold inline ints (the entry checked them): their payload
    /// needs no test.
    fn enter_version(&mut self, start: usize, checked: &[u16]) {
        for i in 0..self.proto.nregs as usize {
            if self.int_use(i as u16) {
                let v = self.b.use_var(self.regs[i]);
                let v = if checked.contains(&(i as u16)) {
                    let s = self.b.ins().ishl_imm_s(v, 16);
                    self.b.ins().sshr_imm_s(s, 16)
                } else {
                    self.unbox_int(v)
                };
                self.b.def_var(self.regs[i], v);
            }
        }
        let blk = self.block(start);
        self.jump(blk, &[]);
    }
}

/// Runs a specialised function whose arguments its compiled body does not handle in the
/// interpreter: the closure at `frame[-1]` on the window `frame` (its arguments in
/// place). `rem` and `top` are the compiled caller's, published like the interpreter
/// stub does. Returns the result, or the sentinel with the error pending.
///
/// # Safety
/// As `helpers::jit_stub`.
pub(crate) unsafe extern "C" fn jit_interpret(
    vm: *mut u8,
    frame: *mut u64,
    rem: u64,
    top: u64,
) -> u64 {
    helpers::guard(vm, |vm| {
        vm.jit_state.publish(rem, top);
        vm.interpret_window(frame as *mut Value).map(|v| v.0)
    })
}
