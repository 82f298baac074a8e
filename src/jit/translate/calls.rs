//! `Call` in compiled code: the direct self-call, the inline cache, `helpers::jit_call`,
//! and the reloads after a call.

use super::{flags, helpers, liveness, Spill, Tr};
use crate::bytecode::{Builtin, Op};
use crate::heap::as_closure;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, Block, InstBuilder};

impl Tr<'_, '_> {
    /// `Call { base, nargs }`: a direct call for self-recursion, an append for a
    /// `push`/`append` builtin (`container.rs`), otherwise `helpers::jit_call`, which
    /// goes through the callee's code slot.
    pub(super) fn call(&mut self, pc: usize, base: u16, nargs: u16) {
        let hint = self.callee_hint(pc, base);
        let fast_join = match hint {
            Hint::Builtin(Builtin::Push | Builtin::Append) if nargs == 2 => {
                Some(self.push_fast(pc, base))
            }
            _ => None,
        };
        let args: Vec<u16> = (base..=base + nargs).collect();
        // `jit_call` collects after a builtin, never around a closure call.
        if self.spill(pc, &args, Spill::Call) && !matches!(hint, Hint::Builtin(_)) {
            self.mark_silent_alloc();
        }
        let after = self.b.create_block();
        self.b.append_block_param(after, types::I64);
        let callee = self.r(base);
        let generic = self.b.create_block();
        // Which paths to emit (less code to compile): a callee just loaded from a
        // global that holds this very function gets the self-call path and otherwise
        // `jit_call`; one loaded from a global holding anything else gets the inline
        // cache only; a builtin just loaded gets `jit_call` only; an unknown callee
        // gets the self-call path and the cache.
        let self_path = matches!(hint, Hint::SelfFn | Hint::Unknown);
        let self_path = self_path && self.self_ref.is_some() && nargs == self.proto.nparams;
        if let (Some(fref), true) = (self.self_ref, self_path) {
            // The running closure, read at the call (`frame[-1]` never changes while
            // this frame runs) rather than kept in a register across calls.
            let me = self.b.ins().load(types::I64, flags(), self.frame, -8);
            let is_self = self.b.ins().icmp(IntCC::Equal, callee, me);
            let direct = self.b.create_block();
            self.brif(is_self, direct, generic);
            self.b.switch_to_block(direct);
            let window = self.b.ins().iadd_imm_s(self.frame, (base as i64 + 1) * 8);
            let (depth, top) = self.depth_top();
            // The callee is this compiled function, which ignores its `vm` argument:
            // pass a value already in a register.
            let inst = self.b.ins().call(fref, &[window, window, depth, top]);
            let r = self.b.inst_results(inst)[0];
            self.jump(after, &[r]);
        } else {
            self.jump(generic, &[]);
        }
        // Any other callee: a monomorphic inline cache. The cell holds the bits of the
        // one closure seen here (pinned by the JIT, so its address is never reused) and
        // the address of its code slot; `jit_call` fills it on the first closure call
        // with the right arity. A hit calls through the slot (native code or the stub).
        self.b.switch_to_block(generic);
        if (hint == Hint::SelfFn && self_path) || matches!(hint, Hint::Builtin(_)) {
            // A self-call site that met another callee, or a builtin: no cache (a null
            // cell).
            let cellv = self.iconst(0);
            self.generic_call(pc, base, nargs, cellv, after);
            if let Some(join) = fast_join {
                self.jump(join, &[]);
                self.b.switch_to_block(join);
            }
            return;
        }
        let cell = Box::into_raw(Box::new([crate::jit::SENTINEL, 0u64]));
        self.ics.push(cell);
        let cellv = self.iconst(cell as i64);
        let cached = self.b.ins().load(types::I64, flags(), cellv, 0);
        let hit = self.b.ins().icmp(IntCC::Equal, callee, cached);
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        self.brif(hit, fast, slow);
        self.b.switch_to_block(fast);
        let slotp = self.b.ins().load(types::I64, flags(), cellv, 8);
        let code = self.b.ins().load(types::I64, flags(), slotp, 0);
        let window = self.b.ins().iadd_imm_s(self.frame, (base as i64 + 1) * 8);
        let (depth, top) = self.depth_top();
        let vm = self.vm_ptr();
        let sig = self.jit_sig;
        let inst = self
            .b
            .ins()
            .call_indirect(sig, code, &[vm, window, depth, top]);
        let r = self.b.inst_results(inst)[0];
        self.jump(after, &[r]);
        self.b.switch_to_block(slow);
        self.generic_call(pc, base, nargs, cellv, after);
    }

    /// The call at `pc` through `helpers::jit_call` (with inline-cache cell `cellv`, or
    /// null for none), joining the other call paths at `after`, whose result then goes
    /// through `after_call`.
    fn generic_call(&mut self, pc: usize, base: u16, nargs: u16, cellv: ir::Value, after: Block) {
        let bv = self.iconst(base as i64);
        let nv = self.iconst(nargs as i64);
        let args = [self.vm, self.frame, bv, nv, cellv];
        let r = self.vmcall(helpers::jit_call as *const () as usize, &args);
        self.jump(after, &[r]);
        self.b.switch_to_block(after);
        let r = self.b.block_params(after)[0];
        self.after_call(pc, base, r);
    }

    /// The end of a call at `pc`: the error check, the result into `R[base]`, and the
    /// reloads.
    fn after_call(&mut self, pc: usize, base: u16, r: ir::Value) {
        self.check_err(r, pc);
        self.set(base, r);
        // Every other register live after the call is in its frame slot (the spill
        // stored it, or nothing ever writes it), so it is reloaded from there rather
        // than kept in a machine register or a spill slot across the call: compiled
        // code saves no register for its callers, and a register allocator spill would
        // only duplicate the frame store. The callee's window also overlapped the
        // registers above `base` (the compiler never reads them before writing them
        // again, but reloading keeps the interpreter's behaviour exactly).
        for i in 0..self.regs.len() {
            if i != base as usize && self.live.live_out[pc].has(i) {
                // The int typing counts the registers above `base` as written by the
                // call (its window overlaps them), so they take their type after it.
                if i > base as usize {
                    self.reload(i as u16);
                } else {
                    self.reload_kept(i as u16);
                }
            }
        }
    }

    /// For the call at `pc`: where `R[base]` was loaded from in the same block (a
    /// global holding a closure of this function when compiling, a global holding
    /// anything else, or a builtin). Only a hint for choosing the call paths to emit.
    fn callee_hint(&self, pc: usize, base: u16) -> Hint {
        let mut j = pc;
        while j > 0 && self.blocks[j].is_none() {
            j -= 1;
            let op = &self.proto.code[j];
            if liveness::helper_writes(op).contains(&base) {
                return match *op {
                    Op::GetGlobal { dst, slot } if dst.0 == base => {
                        match self.env.global_now(slot.0).map(as_closure) {
                            Some(Some(c)) if c.proto.id == self.proto.id => Hint::SelfFn,
                            Some(_) => Hint::Other,
                            None => Hint::Unknown,
                        }
                    }
                    Op::LoadBuiltin { dst, builtin } if dst.0 == base => Hint::Builtin(builtin),
                    _ => Hint::Unknown,
                };
            }
        }
        Hint::Unknown
    }
}

/// Where a call's callee came from (chooses the call paths to emit).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// A global holding a closure of the function being compiled.
    SelfFn,
    /// A global holding anything else.
    Other,
    /// `LoadBuiltin` of this builtin.
    Builtin(Builtin),
    Unknown,
}
