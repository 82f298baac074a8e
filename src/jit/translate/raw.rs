//! Raw functions in the translator (see `jit::raw`): the raw body's entry definitions,
//! its error result and its self-calls, and the wrapper that gives the body the
//! ordinary compiled-code ABI.

use super::arith::{all_inline_ints, box_shifted, inline_parts, int_cc, payload};
use super::versions::jit_interpret;
use super::{flags, helper_signature, helpers, load_vm, Env, Spill, Tr, NULL, SENTINEL};
use super::{ST_CUR, ST_OWN, ST_RAISED};
use crate::bytecode::Proto;
use crate::jit::raw::{LeafValue, MARK};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, AbiParam, FuncRef, InstBuilder, Signature};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// The signature of a raw body with `nparams` parameters:
/// `fn(frame, rem, top, a0, .., ak) -> i64` in the compiled-code convention.
pub(crate) fn raw_signature(ptr_ty: types::Type, nparams: usize) -> Signature {
    let mut sig = Signature::new(CallConv::Winch);
    sig.params.push(AbiParam::new(ptr_ty));
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    for _ in 0..nparams {
        sig.params.push(AbiParam::new(types::I64));
    }
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

impl Tr<'_, '_> {
    /// The raw body's registers on entry: every frame slot null (no argument reaches
    /// the frame, and the GC scans the whole window) unless the body is GC-free, the
    /// parameters from the function's arguments as raw ints, every other register
    /// null.
    pub(super) fn raw_entry_regs(&mut self) {
        let nregs = self.proto.nregs as usize;
        let null = self.iconst(NULL);
        // A GC-free body (`raw::gc_free`) leaves its window as it is: nothing scans it.
        if !self.raw.as_ref().is_some_and(|r| r.plan.gc_free) {
            for i in 0..nregs {
                self.b
                    .ins()
                    .store(flags(), null, self.frame, (i * 8) as i32);
            }
        }
        let args: Vec<ir::Value> = self.entry_params.get(3..).unwrap_or_default().to_vec();
        for i in 0..nregs {
            match args.get(i) {
                Some(&a) if !self.is_mem(i as u16) => self.b.def_var(self.regs[i], a),
                _ => self.def_entry(i, null),
            }
        }
    }

    /// What this function returns when it raised: the sentinel, or for a raw body
    /// `MARK` after setting `JitState::raised`.
    pub(super) fn error_result(&mut self) -> ir::Value {
        if self.raw.is_none() {
            return self.iconst(SENTINEL);
        }
        let st = self.iconst(self.env.state as i64);
        let one = self.iconst(1);
        self.b.ins().store(flags(), one, st, ST_RAISED);
        self.iconst(MARK)
    }

    /// A raw self-call at `pc` (`jit::raw::Plan::calls`): the arguments, INT registers,
    /// go in machine registers and the raw result comes back in one. Only the boxed
    /// registers live across it are stored (the callee may collect garbage); INT
    /// registers stay in variables (the plan leaves no register above `base` live,
    /// so the callee's window clobbers nothing).
    pub(super) fn raw_call(&mut self, pc: usize, base: u16, nargs: u16) {
        self.spill(pc, &[], Spill::RawCall);
        let Some((body, plan)) = self.raw.as_ref().map(|r| (r.body, r.plan)) else {
            return;
        };
        let window = self.b.ins().iadd_imm_s(self.frame, (base as i64 + 1) * 8);
        let (rem, top) = self.depth_top();
        let raws: Vec<ir::Value> = (base + 1..=base + nargs).map(|r| self.ri(r)).collect();
        let join = self.b.create_block();
        self.b.append_block_param(join, types::I64);
        let call = self.b.create_block();
        if let Some(leaf) = &plan.leaf {
            // The base case inline, where the callee would return it at once: its test
            // holds, and its entry's frame-count and register-stack checks pass (the
            // native stack is not used). Otherwise the call is made, and raises as
            // the interpreter would.
            let a = raws[leaf.param as usize];
            let holds = self
                .b
                .ins()
                .icmp_imm_s(int_cc(leaf.op), a, i64::from(leaf.imm));
            let (c1, c2) = (self.b.create_block(), self.b.create_block());
            self.brif(holds, c1, call);
            self.b.switch_to_block(c1);
            let none_left = self.b.ins().icmp_imm_s(IntCC::Equal, rem, 0);
            self.brif(none_left, call, c2);
            self.b.switch_to_block(c2);
            let end = self
                .b
                .ins()
                .iadd_imm_s(window, i64::from(self.proto.nregs) * 8);
            let past = self.past_stack_end(end);
            let inline = self.b.create_block();
            self.brif(past, call, inline);
            self.b.switch_to_block(inline);
            let v = match leaf.value {
                LeafValue::Param(q) => raws[q as usize],
                LeafValue::Const(k) => self.iconst(k),
            };
            self.jump(join, &[v]);
        } else {
            self.jump(call, &[]);
        }
        self.b.switch_to_block(call);
        let mut args = vec![window, rem, top];
        args.extend(raws);
        let inst = self.b.ins().call(body, &args);
        let r = self.b.inst_results(inst)[0];
        self.check_raised(r, pc);
        self.jump(join, &[r]);
        self.b.switch_to_block(join);
        let r = self.b.block_params(join)[0];
        self.set_raw(base, r);
    }

    /// After a raw call returned `r`: to the error path of `pc` when it raised.
    fn check_raised(&mut self, r: ir::Value, pc: usize) {
        let maybe = self.b.ins().icmp_imm_s(IntCC::Equal, r, MARK);
        let check = self.b.create_block();
        self.b.set_cold_block(check);
        let ok = self.b.create_block();
        self.brif(maybe, check, ok);
        self.b.switch_to_block(check);
        let raised = take_raised(&mut self.b, self.env);
        let failed = self.b.create_block();
        self.b.set_cold_block(failed);
        self.brif(raised, failed, ok);
        self.b.switch_to_block(failed);
        self.err_jump(pc);
        self.b.switch_to_block(ok);
    }
}

/// Loads `JitState::raised` and clears it.
fn take_raised(b: &mut FunctionBuilder, env: &Env) -> ir::Value {
    let st = b.ins().iconst(types::I64, env.state as i64);
    let raised = b.ins().load(types::I64, flags(), st, ST_RAISED);
    let zero = b.ins().iconst(types::I64, 0);
    b.ins().store(flags(), zero, st, ST_RAISED);
    raised
}

/// Translates the wrapper of a raw function into `func`, which has the ordinary
/// compiled-code signature: with an inline int in every argument slot it calls the raw
/// body `body` and boxes its result; otherwise the whole call is interpreted.
pub(crate) fn translate_wrapper(
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
    proto: &Proto,
    env: &Env,
    body: FuncRef,
) {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let p = b.block_params(entry).to_vec();
    let (frame, rem, top) = (p[1], p[2], p[3]);
    let args: Vec<ir::Value> = (0..proto.nparams as i32)
        .map(|i| b.ins().load(types::I64, flags(), frame, i * 8))
        .collect();
    let ok = all_inline_ints(&mut b, &args);
    let raws: Vec<ir::Value> = args.iter().map(|&v| payload(&mut b, v)).collect();
    let call = b.create_block();
    let interp = b.create_block();
    b.set_cold_block(interp);
    b.ins().brif(ok, call, &[], interp, &[]);

    b.switch_to_block(call);
    let mut args = vec![frame, rem, top];
    args.extend(raws);
    let inst = b.ins().call(body, &args);
    let r = b.inst_results(inst)[0];
    let maybe = b.ins().icmp_imm_s(IntCC::Equal, r, MARK);
    let check = b.create_block();
    b.set_cold_block(check);
    let boxit = b.create_block();
    b.ins().brif(maybe, check, &[], boxit, &[]);

    // A raise: the sentinel (the error is pending); `MARK` itself: boxed below.
    b.switch_to_block(check);
    let raised = take_raised(&mut b, env);
    let failed = b.create_block();
    b.set_cold_block(failed);
    b.ins().brif(raised, failed, &[], boxit, &[]);
    b.switch_to_block(failed);
    let s = b.ins().iconst(types::I64, SENTINEL);
    b.ins().return_(&[s]);

    // The result, boxed: inline when it fits, else a new boxed int.
    b.switch_to_block(boxit);
    let (fits, s) = inline_parts(&mut b, r);
    let inline = b.create_block();
    let big = b.create_block();
    b.set_cold_block(big);
    b.ins().brif(fits, inline, &[], big, &[]);
    b.switch_to_block(inline);
    let v = box_shifted(&mut b, s);
    b.ins().return_(&[v]);
    // A new boxed int and a safe point keeping it (`translate/poll.rs`): a loop that
    // calls this function must not allocate on every iteration without collecting.
    // The wrapper publishes the record it was given (its caller's depth and GC bound)
    // in `JitState::own`, as a raw body does before a helper.
    b.switch_to_block(big);
    let st = b.ins().iconst(types::I64, env.state as i64);
    b.ins().store(flags(), rem, st, ST_OWN);
    b.ins().store(flags(), top, st, ST_OWN + 8);
    let own = b.ins().iadd_imm_s(st, i64::from(ST_OWN));
    b.ins().store(flags(), own, st, ST_CUR);
    let vm = load_vm(&mut b, env);
    let f = helpers::jit_box_result as *const () as usize;
    let v = helper(&mut b, f, &[vm, r]);
    b.ins().return_(&[v]);

    // Other arguments: the interpreter runs the call (its own calls come back here).
    b.switch_to_block(interp);
    let vm = load_vm(&mut b, env);
    let f = jit_interpret as *const () as usize;
    let v = helper(&mut b, f, &[vm, frame, rem, top]);
    b.ins().return_(&[v]);

    b.seal_all_blocks();
    b.finalize(env.frontend);
}

/// Calls the System V helper at `f` with `args`; its one result.
fn helper(b: &mut FunctionBuilder, f: usize, args: &[ir::Value]) -> ir::Value {
    let sig = b.import_signature(helper_signature(args.len()));
    let callee = b.ins().iconst(types::I64, f as i64);
    let inst = b.ins().call_indirect(sig, callee, args);
    b.inst_results(inst)[0]
}
