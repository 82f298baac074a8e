//! Bytecode to Cranelift IR for one function (or one OSR entry): one `Variable` per
//! register (a NaN-boxed value, or a raw `i64` for the registers `types` proves INT),
//! one block per leader, guarded inline fast paths, and helper calls (with every
//! register spilled to the frame window first) for everything else.

mod arith;
mod raw;
mod versions;

use super::helpers;
use super::liveness::{self, Liveness};
use super::{globals, int_types, ranges, unboxed};
use super::{ST_CUR, ST_OWN, ST_RAISED, ST_VM};
use crate::bytecode::{Op, Proto};
use crate::value::{Value, CANONICAL_NAN, TAG_BOOL, TAG_INT, TAG_MIN};
use arith::{CmpOut, Rhs};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, types, AbiParam, Block, BlockArg, FuncRef, InstBuilder, MemFlagsData, SigRef, Signature,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use std::collections::HashMap;

/// Run-time addresses the generated code embeds.
pub(crate) struct Env<'a> {
    /// `&JitState`.
    pub state: usize,
    /// `JitState::sp_limit` and `JitState::stack_end` (fixed when the VM is created;
    /// embedded as immediates).
    pub sp_limit: u64,
    pub stack_end: u64,
    /// The globals array (never reallocated after loading).
    pub globals: usize,
    /// Its length.
    pub nglobals: usize,
    /// The loaded constants of this proto (their bits are embedded).
    pub consts: &'a [Value],
    /// `&Proto` (kept alive by `Vm::protos`), passed to helpers.
    pub proto: usize,
    pub ptr_ty: types::Type,
    pub frontend: TargetFrontendConfig,
    /// For an OSR entry: bit `r` set when parameter `r` (< 64) holds an inline int in
    /// the frame being moved (see `versions`).
    pub osr_ints: u64,
}

impl Env<'_> {
    /// What global `slot` holds while compiling: `None` when it is still undefined or
    /// no VM exists (`ruff dump --ir`, `globals == 0`). A global never becomes undefined
    /// again once assigned.
    fn global_now(&self, slot: u16) -> Option<Value> {
        if self.globals == 0 || slot as usize >= self.nglobals {
            return None;
        }
        // SAFETY: `globals` is the VM's globals array of `nglobals` values (never
        // reallocated after loading, and not written while compiling); `slot` is in
        // range.
        let v = Value(unsafe { *(self.globals as *const u64).add(slot as usize) });
        (v != Value::UNDEFINED).then_some(v)
    }
}

const NULL: i64 = Value::NULL.0 as i64;
const UNDEFINED: i64 = Value::UNDEFINED.0 as i64;
const FALSE: i64 = Value::FALSE.0 as i64;
const TRUE: i64 = Value::TRUE.0 as i64;
const INT_TAG_BITS: i64 = (TAG_INT << 48) as i64;
const FLOAT_LIMIT: i64 = (TAG_MIN << 48) as i64;
const SENTINEL: i64 = super::SENTINEL as i64;

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// The signature of a runtime helper taking `arity` `i64`s (System V).
fn helper_signature(arity: usize) -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
    for _ in 0..arity {
        sig.params.push(AbiParam::new(types::I64));
    }
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

/// `JitState::vm` (compiled code does not keep the VM pointer).
fn load_vm(b: &mut FunctionBuilder, env: &Env) -> ir::Value {
    let st = b.ins().iconst(types::I64, env.state as i64);
    b.ins().load(types::I64, flags(), st, ST_VM)
}

struct Tr<'a, 'f> {
    b: FunctionBuilder<'f>,
    proto: &'a Proto,
    env: &'a Env<'a>,
    regs: Vec<Variable>,
    /// The frames this frame's callees may still push (the caller's `rem` minus one;
    /// unchanged for OSR).
    depth: ir::Value,
    /// This frame's GC stack bound: `max(caller's bound, frame + nregs)`.
    top: ir::Value,
    /// The stack slot holding `depth` (the callees' `rem`) and `top` after the prologue.
    dt_slot: Option<ir::StackSlot>,
    /// The `vm` argument. Only the stub reads it: self-calls pass a dummy, and `hcall`
    /// replaces it in helper arguments with a load of `JitState::vm`, so it is never
    /// kept live. Pass the VM to helpers only through `hcall`/`vmcall`.
    vm: ir::Value,
    frame: ir::Value,
    /// The `rem` and `top` arguments as passed by the caller.
    entry_args: (ir::Value, ir::Value),
    self_ref: Option<FuncRef>,
    /// Block of each leader pc (index `code.len()` is a "fell off the end" block).
    blocks: Vec<Option<Block>>,
    ret_block: Block,
    /// Normal returns (the value returned as parameter): a collection poll when the
    /// function may have allocated without a safe point (`poll`), then `ret_block`.
    ret_ok: Block,
    /// Error not caught in this function: records the frame, returns the sentinel.
    err_exit: Block,
    /// Per handler: records the frame, then continues at the handler.
    handler_err: Vec<Block>,
    sigs: HashMap<usize, SigRef>,
    jit_sig: SigRef,
    terminated: bool,
    live: Liveness,
    /// Where registers are INT (a raw `i64` in their variable; see `int_types`); `None`
    /// while nothing is.
    types: Option<int_types::IntTypes>,
    /// The instruction being translated (`usize::MAX` outside the body).
    pc: usize,
    /// Per pc: INT registers known to be below `i64::MAX` (`int_types::below_max`).
    below_max: Vec<liveness::RegSet>,
    /// Per pc: INT registers known to be at least `i16::MIN` (`int_types::above_min`).
    above_min: Vec<liveness::RegSet>,
    /// Per pc: registers known to hold an int that fits inline (`ranges`).
    ranges: ranges::Ranges,
    /// Where `spill` saves raw ints (created on first use).
    scratch: Option<ir::StackSlot>,
    /// Registers whose frame slot holds their current value at the start of the
    /// current instruction (stored by a `spill` on the straight-line path since the
    /// last leader and not written since), so `spill` skips them.
    clean: liveness::RegSet,
    /// The constant bits each memory-resident register's slot holds, where a constant
    /// load (or a move of one) stored them since the last leader: `r` then uses the
    /// constant instead of loading it, so the emitters see it (`arith::Cond`).
    /// Forgotten like `clean`: at leaders, and for what a helper may write.
    slot_consts: Vec<Option<i64>>,
    /// Blocks sealed early (`enter`, and those an instruction created, once it is
    /// translated), indexed by block number.
    sealed: Vec<bool>,
    /// The block the current instruction started in: only a `spill` there (not one in
    /// a slow path) dominates the rest of the straight-line code and may mark `clean`.
    op_block: Option<Block>,
    /// Registers that live in their frame slot only (never INT anywhere): read with a
    /// load at each use, written with a store at each definition, so they never need
    /// a spill or a reload and never become Cranelift variables (no block parameters,
    /// no values held across helper calls: much less work for the register
    /// allocator). The others are variables.
    mem: liveness::RegSet,
    /// Globals kept in registers (variables `nregs + k`; see `globals`).
    promoted: globals::Promoted,
    /// Inline call caches allocated for this function (owned by the caller of
    /// `translate`).
    ics: &'a mut Vec<*mut [u64; 2]>,
    /// Set when translating a raw body (`jit::raw`).
    raw: Option<RawBody<'a>>,
    /// The entry block's parameters (the function's arguments).
    entry_params: Vec<ir::Value>,
    /// Per pc: the instruction's code allocates without a safe point (see `poll`).
    silent: Vec<bool>,
}

/// How a translated function calls itself directly.
pub(crate) enum SelfCall<'a> {
    /// It does not (an OSR entry, or code that is never run).
    None,
    /// Through this reference to the function itself.
    Ordinary(FuncRef),
    /// It is a raw body (`jit::raw`).
    Raw(RawBody<'a>),
}

/// What translating a raw body needs (see `jit::raw`).
pub(crate) struct RawBody<'a> {
    pub plan: &'a super::raw::Plan,
    /// The raw body itself, for its self-calls.
    pub body: FuncRef,
}

pub(crate) use raw::{raw_signature, translate_wrapper};

/// Translates `proto` into `func` (a whole function, or an OSR entry at `osr`).
pub(crate) fn translate(
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
    proto: &Proto,
    env: &Env,
    osr: Option<usize>,
    self_call: SelfCall,
    ics: &mut Vec<*mut [u64; 2]>,
) -> Result<(), String> {
    let (self_ref, raw_body) = match self_call {
        SelfCall::None => (None, None),
        SelfCall::Ordinary(f) => (Some(f), None),
        SelfCall::Raw(r) => (None, Some(r)),
    };
    let n = proto.code.len();
    if let Some(pc) = osr {
        if pc >= n {
            return Err(format!("OSR header {pc} out of range"));
        }
    }
    let mut leader = liveness::leaders(proto);
    if let Some(pc) = osr {
        leader[pc] = true;
    }

    let mut b = FunctionBuilder::new(func, fctx);
    let regs: Vec<Variable> = (0..proto.nregs)
        .map(|_| b.declare_var(types::I64))
        .collect();
    let blocks: Vec<Option<Block>> = leader
        .iter()
        .map(|&l| if l { Some(b.create_block()) } else { None })
        .collect();
    let ret_block = b.create_block();
    b.append_block_param(ret_block, types::I64);
    let ret_ok = b.create_block();
    b.append_block_param(ret_ok, types::I64);
    let err_exit = b.create_block();
    b.append_block_param(err_exit, types::I64);
    b.set_cold_block(err_exit);
    let handler_err: Vec<Block> = proto
        .handlers
        .iter()
        .map(|_| {
            let blk = b.create_block();
            b.append_block_param(blk, types::I64);
            b.set_cold_block(blk);
            blk
        })
        .collect();
    let jit_sig = b.import_signature(super::jit_signature(env.ptr_ty));

    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    // A raw body takes `(frame, rem, top, args..)` and no VM: a dummy value stands for
    // the VM in helper argument lists (`hcall` replaces it with `JitState::vm`).
    let params = b.block_params(entry).to_vec();
    let (vm, frame, depth_in, top_in) = match raw_body {
        Some(_) => (
            b.ins().iconst(types::I64, 0),
            params[0],
            params[1],
            params[2],
        ),
        None => (params[0], params[1], params[2], params[3]),
    };
    let live = liveness::analyze(proto);
    let mut t = Tr {
        b,
        proto,
        env,
        regs,
        depth: depth_in,
        top: top_in,
        dt_slot: None,
        vm,
        frame,
        entry_args: (depth_in, top_in),
        self_ref,
        blocks,
        ret_block,
        ret_ok,
        err_exit,
        handler_err,
        sigs: HashMap::new(),
        jit_sig,
        terminated: false,
        types: None,
        pc: usize::MAX,
        below_max: Vec::new(),
        above_min: Vec::new(),
        ranges: ranges::Ranges::none(),
        scratch: None,
        clean: liveness::RegSet::new(proto.nregs as usize),
        slot_consts: vec![None; proto.nregs as usize],
        sealed: Vec::new(),
        mem: liveness::RegSet::new(proto.nregs as usize),
        op_block: None,
        live,
        promoted: globals::Promoted::none(n),
        ics,
        raw: raw_body,
        entry_params: params,
        silent: vec![false; n],
    };
    t.bodies(osr)?;
    t.epilogue();
    t.b.seal_all_blocks();
    let frontend = env.frontend;
    t.b.finalize(frontend);
    Ok(())
}

impl<'a, 'f> Tr<'a, 'f> {
    fn iconst(&mut self, v: i64) -> ir::Value {
        self.b.ins().iconst(types::I64, v)
    }

    /// True when `reg` holds an INT value (unboxed) on entry to the current instruction.
    fn int_use(&self, reg: u16) -> bool {
        self.types.as_ref().is_some_and(|t| t.use_int(self.pc, reg))
    }

    /// True when the current instruction writes `reg` as INT.
    fn int_def(&self, reg: u16) -> bool {
        self.types.as_ref().is_some_and(|t| t.def_int(self.pc, reg))
    }

    /// `reg` as a NaN-boxed value (an INT register is boxed).
    fn r(&mut self, reg: u16) -> ir::Value {
        if self.is_mem(reg) {
            if let Some(c) = self.slot_consts[reg as usize] {
                return self.iconst(c);
            }
            return self.load_slot(reg as usize);
        }
        let v = self.b.use_var(self.regs[reg as usize]);
        if self.int_use(reg) {
            let fits = self.ranges.fits(self.pc, reg);
            self.box_known(v, fits)
        } else {
            v
        }
    }

    /// The raw int `v` as a value; with `fits` (the ranges say it fits inline) a shift
    /// and an or, with no test and no allocation.
    fn box_known(&mut self, v: ir::Value, fits: bool) -> ir::Value {
        // A constant stays a constant (`box_int`), so the emitters still see it.
        if fits && self.const_int(v).is_none() {
            let s = self.b.ins().ishl_imm_s(v, 16);
            self.box_shifted(s)
        } else {
            self.box_int(v)
        }
    }

    /// Sets `reg` to the NaN-boxed value `v` (unboxed into an INT register, where the
    /// types guarantee it is an int).
    fn set(&mut self, reg: u16, v: ir::Value) {
        if self.is_mem(reg) {
            self.b.ins().store(flags(), v, self.frame, reg as i32 * 8);
            self.slot_consts[reg as usize] = self.const_int(v);
            return;
        }
        let v = if self.int_def(reg) {
            self.unbox_int(v)
        } else {
            v
        };
        self.b.def_var(self.regs[reg as usize], v);
    }

    /// The raw `i64` of INT register `reg`.
    fn ri(&mut self, reg: u16) -> ir::Value {
        self.b.use_var(self.regs[reg as usize])
    }

    /// Sets `reg` to the int `raw` (boxed unless `reg` is INT).
    fn set_raw(&mut self, reg: u16, raw: ir::Value) {
        let fits = self.ranges.result_fits(self.pc);
        if self.is_mem(reg) {
            let v = self.box_known(raw, fits);
            self.set(reg, v);
            return;
        }
        let v = if self.int_def(reg) {
            raw
        } else {
            self.box_known(raw, fits)
        };
        self.b.def_var(self.regs[reg as usize], v);
    }

    /// Defines register `i` from the NaN-boxed value `v` in the representation it has
    /// on entry to the current instruction (unboxed when INT there): at the function's
    /// entry, and for registers reloaded across a call.
    fn def_entry(&mut self, i: usize, v: ir::Value) {
        if self.is_mem(i as u16) {
            return;
        }
        let v = if self.int_use(i as u16) {
            self.unbox_int(v)
        } else {
            v
        };
        self.b.def_var(self.regs[i], v);
    }

    /// The bits of constant `k`, as an IR constant.
    fn const_bits(&mut self, k: u16) -> Result<ir::Value, String> {
        let bits = self
            .env
            .consts
            .get(k as usize)
            .map(|v| v.0)
            .ok_or("constant index out of range")?;
        Ok(self.iconst(bits as i64))
    }

    fn load_slot(&mut self, reg: usize) -> ir::Value {
        self.b
            .ins()
            .load(types::I64, flags(), self.frame, (reg * 8) as i32)
    }

    /// True when register `i`'s frame slot may not hold its value: something writes
    /// it, or it is a parameter of a raw body (whose arguments never reach the frame).
    fn slot_stale(&self, i: usize) -> bool {
        self.live.written.has(i) || (self.raw.is_some() && i < self.proto.nparams as usize)
    }

    /// True when `reg` lives in its frame slot only (see `Tr::mem`).
    fn is_mem(&self, reg: u16) -> bool {
        (reg as usize) < self.proto.nregs as usize && self.mem.has(reg as usize)
    }

    /// Reloads `reg`, which the current instruction writes, from its frame slot.
    fn reload(&mut self, reg: u16) {
        if self.is_mem(reg) {
            return;
        }
        let v = self.load_slot(reg as usize);
        self.set(reg, v);
    }

    /// Reloads `reg`, which the current instruction does not write (a register kept
    /// across a call), from its frame slot: unboxed when it is INT here.
    fn reload_kept(&mut self, reg: u16) {
        if self.is_mem(reg) {
            return;
        }
        let v = self.load_slot(reg as usize);
        self.def_entry(reg as usize, v);
    }

    /// Before a helper or call at `pc` (a possible GC safe point, and code that reads
    /// the frame): stores into its frame slot every register that is live after `pc`
    /// or in `extra` (the operands the callee reads from the frame), skipping registers
    /// no instruction writes (their slot always holds their value). Dead registers keep
    /// older values of this activation, which every GC has scanned, so they stay valid.
    ///
    /// Registers `clean` holds (their slot is already up to date) are skipped. INT
    /// registers (and promoted globals) are boxed inline under one fits-inline test for
    /// all of them; a cold block boxes big ints through the helper.
    ///
    /// What is stored depends on `to`:
    /// - `Spill::Call`: every such register (a Ruff call: the code after it reloads
    ///   them from the frame).
    /// - `Spill::Helper`: the boxed ones (GC roots) and the INT ones in `extra` (a
    ///   helper reads only its operands from the frame; compiled code keeps INT
    ///   registers in variables across it, and the GC ignores ints).
    /// - `Spill::RawCall`: a raw self-call, which reads nothing from the frame: the
    ///   boxed ones other than its callee register.
    /// - `Spill::Raise`: a helper that always raises. Outside any `try` region this
    ///   frame ends with it, so only `extra` is stored; inside one it is `Helper`.
    ///
    /// Returns whether some int may be boxed by the allocating helper, which reaches no
    /// safe point: a caller whose helper or callee may reach none either (a compiled
    /// callee, a comparison in `jit_op`) marks the instruction (`mark_silent_alloc`).
    fn spill(&mut self, pc: usize, extra: &[u16], to: Spill) -> bool {
        let to = match to {
            Spill::Raise if self.handler_at(pc).is_some() => Spill::Helper,
            t => t,
        };
        // Stores on the instruction's straight-line path hold for the instructions
        // after it (its own writes are dirtied when it is done, see `body`).
        let mark = self.op_block.is_some() && self.b.current_block() == self.op_block;
        let mut ints: Vec<(u16, ir::Value, i32)> = Vec::new();
        for i in 0..self.proto.nregs as usize {
            // A register the instruction overwrites and that is dead before it has no
            // value worth storing (its slot keeps an older one).
            let need = self.live.live_out[pc].has(i) || extra.contains(&(i as u16));
            let has_value = self.live.live_in[pc].has(i);
            let stored = self.mem.has(i) || self.clean.has(i);
            if need && has_value && self.slot_stale(i) && !stored {
                let int = self.int_use(i as u16);
                let wanted = match to {
                    Spill::Call => true,
                    // The raw call's callee register is not read (and is overwritten).
                    Spill::RawCall => {
                        !int && !liveness::defs(&self.proto.code[pc]).contains(&(i as u16))
                    }
                    Spill::Helper => !int || extra.contains(&(i as u16)),
                    Spill::Raise => extra.contains(&(i as u16)),
                };
                if !wanted {
                    continue;
                }
                if mark {
                    self.clean.add(i);
                }
                if int {
                    ints.push((i as u16, self.frame, (i * 8) as i32));
                } else {
                    let v = self.r(i as u16);
                    self.b.ins().store(flags(), v, self.frame, (i * 8) as i32);
                }
            }
        }
        for (k, &slot) in self.promoted.slots.clone().iter().enumerate() {
            if self.promoted.assigned.get(pc).is_some_and(|r| r[k]) {
                let addr = self.iconst((self.env.globals + slot as usize * 8) as i64);
                ints.push((self.proto.nregs + k as u16, addr, 0));
            }
        }
        // A constant that fits inline is stored boxed, with no test, and so is a
        // register known to fit (`ranges`).
        ints.retain(|&(reg, base, off)| {
            let raw = self.ri(reg);
            let v = match self
                .const_int(raw)
                .and_then(crate::value::Value::inline_int)
            {
                Some(v) => self.iconst(v.0 as i64),
                None if self.ranges.fits(pc, reg) => self.box_known(raw, true),
                None => return true,
            };
            self.b.ins().store(flags(), v, base, off);
            false
        });
        if ints.is_empty() {
            return false;
        }
        // Each is boxed inline and stored; one test for all of them sends the case
        // where some int does not fit inline to a cold block that boxes every one
        // through the helper (overwriting those stores before anything reads them:
        // the helper allocates without collecting).
        let mut raws = Vec::with_capacity(ints.len());
        let mut all_fit: Option<ir::Value> = None;
        for &(reg, _, _) in &ints {
            let raw = self.ri(reg);
            let (fits, s) = self.inline_parts(raw);
            all_fit = Some(match all_fit {
                Some(a) => self.b.ins().band(a, fits),
                None => fits,
            });
            raws.push((raw, s));
        }
        let Some(all_fit) = all_fit else {
            return false;
        };
        for (&(_, base, off), &(_, s)) in ints.iter().zip(&raws) {
            let v = self.box_shifted(s);
            self.b.ins().store(flags(), v, base, off);
        }
        let big = self.b.create_block();
        self.b.set_cold_block(big);
        let join = self.b.create_block();
        self.brif(all_fit, join, big);
        // Saved raw to a native stack slot first, so no value lives across the boxing
        // helper calls.
        self.b.switch_to_block(big);
        let ss = self.scratch_slot();
        let pt = self.env.ptr_ty;
        for (n, &(raw, _)) in raws.iter().enumerate() {
            self.b.ins().stack_store(pt, raw, ss, (n * 8) as i32);
        }
        let f = unboxed::jit_box_int as *const () as usize;
        for (n, &(_, base, off)) in ints.iter().enumerate() {
            let raw = self.b.ins().stack_load(pt, types::I64, ss, (n * 8) as i32);
            let v = self.hcall(f, &[self.vm, raw]);
            self.b.ins().store(flags(), v, base, off);
        }
        self.jump(join, &[]);
        self.b.switch_to_block(join);
        true
    }

    /// The native stack slot `spill` saves raw ints in (one word per register and
    /// promoted global, at least two: an int overflow passes its operands in it).
    pub(super) fn scratch_slot(&mut self) -> ir::StackSlot {
        if let Some(ss) = self.scratch {
            return ss;
        }
        let words = self.proto.nregs as u32 + self.promoted.slots.len() as u32;
        let ss = self.b.create_sized_stack_slot(ir::StackSlotData::new(
            ir::StackSlotKind::ExplicitSlot,
            words.max(2) * 8,
            3,
        ));
        self.scratch = Some(ss);
        ss
    }

    fn sig(&mut self, arity: usize) -> SigRef {
        if let Some(s) = self.sigs.get(&arity) {
            return *s;
        }
        let s = self.b.import_signature(helper_signature(arity));
        self.sigs.insert(arity, s);
        s
    }

    /// The callees' `rem` and this frame's GC bound (reloaded from their stack slot).
    fn depth_top(&mut self) -> (ir::Value, ir::Value) {
        match self.dt_slot {
            Some(ss) => {
                let d = self.b.ins().stack_load(self.env.ptr_ty, types::I64, ss, 0);
                let t = self.b.ins().stack_load(self.env.ptr_ty, types::I64, ss, 8);
                (d, t)
            }
            None => (self.depth, self.top),
        }
    }

    /// Publishes this frame's record (`JitState::cur`: the callees' `rem` and the GC
    /// bound) before a helper that may collect garbage or run Ruff code, then calls
    /// helper `f`. A frame with a record slot publishes its address with one store; a
    /// raw body, which keeps both in registers, copies them to `JitState::own`. An
    /// argument equal to the VM parameter is replaced by `JitState::vm`, so the VM
    /// pointer is never kept live across calls.
    fn vmcall(&mut self, f: usize, args: &[ir::Value]) -> ir::Value {
        let st = self.iconst(self.env.state as i64);
        let rec = match self.dt_slot {
            Some(ss) => self.b.ins().stack_addr(self.env.ptr_ty, ss, 0),
            None => {
                let (rem, top) = (self.depth, self.top);
                self.b.ins().store(flags(), rem, st, ST_OWN);
                self.b.ins().store(flags(), top, st, ST_OWN + 8);
                self.b.ins().iadd_imm_s(st, i64::from(ST_OWN))
            }
        };
        self.b.ins().store(flags(), rec, st, ST_CUR);
        self.hcall_from(f, args, Some(st))
    }

    /// The running VM, read from `JitState` (compiled code does not keep it).
    fn vm_ptr(&mut self) -> ir::Value {
        load_vm(&mut self.b, self.env)
    }

    /// Calls helper `f` (an `extern "C"` function taking and returning `i64`s).
    fn hcall(&mut self, f: usize, args: &[ir::Value]) -> ir::Value {
        self.hcall_from(f, args, None)
    }

    /// `hcall`, reading the VM pointer through `st` (the `JitState` address, when the
    /// caller already has it) instead of materialising the address again.
    fn hcall_from(&mut self, f: usize, args: &[ir::Value], st: Option<ir::Value>) -> ir::Value {
        let mut args = args.to_vec();
        if args.contains(&self.vm) {
            let vm = match st {
                Some(st) => self.b.ins().load(types::I64, flags(), st, ST_VM),
                None => self.vm_ptr(),
            };
            for a in args.iter_mut().filter(|a| **a == self.vm) {
                *a = vm;
            }
        }
        let args = &args[..];
        let sig = self.sig(args.len());
        let callee = self.iconst(f as i64);
        let inst = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(inst)[0]
    }

    fn block(&self, pc: usize) -> Block {
        let n = self.blocks.len() - 1;
        self.blocks[pc.min(n)].unwrap_or_else(|| self.blocks[n].expect("end block"))
    }

    fn jump(&mut self, blk: Block, args: &[ir::Value]) {
        let args: Vec<BlockArg> = args.iter().map(|v| BlockArg::Value(*v)).collect();
        self.b.ins().jump(blk, &args);
    }

    fn brif(&mut self, c: ir::Value, yes: Block, no: Block) {
        self.b.ins().brif(c, yes, &[], no, &[]);
    }

    fn prologue(&mut self, osr: Option<usize>) {
        let nregs = self.proto.nregs as usize;
        let nparams = self.proto.nparams as usize;
        let end = self.b.ins().iadd_imm_s(self.frame, (nregs * 8) as i64);
        let ovf = self.b.create_block();
        self.b.set_cold_block(ovf);
        if osr.is_none() {
            // Depth (no frames left), native stack and register stack checks: no load
            // and no store.
            let over = self.b.ins().icmp_imm_s(IntCC::Equal, self.depth, 0);
            let c1 = self.b.create_block();
            self.brif(over, ovf, c1);
            self.b.switch_to_block(c1);
            let sp = self.b.ins().get_stack_pointer(self.env.ptr_ty);
            let spl = self.iconst(self.env.sp_limit as i64);
            let low = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, spl);
            let c2 = self.b.create_block();
            self.brif(low, ovf, c2);
            self.b.switch_to_block(c2);
            let past = self.past_stack_end(end);
            let c3 = self.b.create_block();
            self.brif(past, ovf, c3);
            self.b.switch_to_block(c3);
            self.depth = self.b.ins().iadd_imm_s(self.depth, -1);
        }
        // A GC-free raw body has no GC bound of its own (`raw::gc_free`).
        if !self.raw.as_ref().is_some_and(|r| r.plan.gc_free) {
            self.top = self.b.ins().umax(self.top, end);
        }
        // Kept in a native stack slot, not in registers: they are only needed at calls
        // and helper calls, and holding them live would cost loop registers. A raw
        // body keeps them as values: its first self-call then passes them straight
        // from registers, off a store-to-load round trip on the recursion's critical
        // path.
        if self.raw.is_none() {
            let ss = self.b.create_sized_stack_slot(ir::StackSlotData::new(
                ir::StackSlotKind::ExplicitSlot,
                16,
                3,
            ));
            self.b.ins().stack_store(self.env.ptr_ty, self.depth, ss, 0);
            self.b.ins().stack_store(self.env.ptr_ty, self.top, ss, 8);
            self.dt_slot = Some(ss);
        }
        match osr {
            None if self.raw.is_some() => self.raw_entry_regs(),
            None => {
                let null = self.iconst(NULL);
                for i in nparams..nregs {
                    self.b
                        .ins()
                        .store(flags(), null, self.frame, (i * 8) as i32);
                }
                for i in 0..nregs {
                    let v = if i < nparams { self.load_slot(i) } else { null };
                    self.def_entry(i, v);
                }
            }
            Some(_) => {
                for i in 0..nregs {
                    let v = self.load_slot(i);
                    self.def_entry(i, v);
                }
            }
        }
        let start = self.block(osr.unwrap_or(0));
        self.jump(start, &[]);

        // Stack overflow: nothing was changed yet.
        self.b.switch_to_block(ovf);
        self.hcall(helpers::jit_overflow as *const () as usize, &[self.vm]);
        let s = self.error_result();
        self.b.ins().return_(&[s]);
    }

    /// Whether a window ending at `end` (an address) passes the register stack's end:
    /// the entry's check, also made by an inlined raw base case (`translate/raw.rs`).
    fn past_stack_end(&mut self, end: ir::Value) -> ir::Value {
        self.b
            .ins()
            .icmp_imm_s(IntCC::UnsignedGreaterThan, end, self.env.stack_end as i64)
    }

    fn epilogue(&mut self) {
        // Normal returns: a collection poll if this code may allocate silently.
        let ok = self.ret_ok;
        self.b.switch_to_block(ok);
        let v = self.b.block_params(ok)[0];
        let v = self.poll_at_return(v);
        let ret = self.ret_block;
        self.jump(ret, &[v]);

        // The return path: restore the live stack bound and the depth.
        let ret = self.ret_block;
        self.b.switch_to_block(ret);
        let v = self.b.block_params(ret)[0];
        self.b.ins().return_(&[v]);

        // Uncaught here: record this frame, return the sentinel.
        let blk = self.err_exit;
        self.b.switch_to_block(blk);
        let pc = self.b.block_params(blk)[0];
        let proto = self.iconst(self.env.proto as i64);
        let args = [self.vm, self.frame, proto, pc];
        self.vmcall(helpers::jit_raise as *const () as usize, &args);
        let s = self.error_result();
        self.jump(ret, &[s]);

        // Inside a try region: record, then continue at the handler.
        for (i, h) in self.proto.handlers.iter().enumerate() {
            let blk = self.handler_err[i];
            self.b.switch_to_block(blk);
            let pc = self.b.block_params(blk)[0];
            let proto = self.iconst(self.env.proto as i64);
            let args = [self.vm, self.frame, proto, pc];
            let r = self.vmcall(helpers::jit_raise as *const () as usize, &args);
            let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, r, 0);
            let caught = self.b.create_block();
            let out = self.b.create_block();
            self.brif(neg, out, caught);
            self.b.switch_to_block(out);
            let s = self.iconst(SENTINEL);
            self.jump(ret, &[s]);
            self.b.switch_to_block(caught);
            if let Some(r) = h.err_reg {
                // The error value (never an int) the handler binds.
                if !self.is_mem(r.0) {
                    let v = self.load_slot(r.0 as usize);
                    self.b.def_var(self.regs[r.0 as usize], v);
                }
            }
            let hb = self.block(h.handler.0 as usize);
            self.jump(hb, &[]);
        }
    }

    /// The handler whose `try` region covers `pc`, if any.
    fn handler_at(&self, pc: usize) -> Option<usize> {
        let at = pc as u32;
        self.proto
            .handlers
            .iter()
            .position(|h| h.start.0 <= at && at < h.end.0)
    }

    /// Branches to the error path of `pc` when `res` is the sentinel.
    fn check_err(&mut self, res: ir::Value, pc: usize) {
        let is_err = self.b.ins().icmp_imm_s(IntCC::Equal, res, SENTINEL);
        // The pc constant is materialised in a cold block of its own, so the hot path
        // carries nothing but the compare and branch.
        let cold = self.b.create_block();
        self.b.set_cold_block(cold);
        let ok = self.b.create_block();
        self.brif(is_err, cold, ok);
        self.enter(cold);
        self.err_jump(pc);
        self.enter(ok);
    }

    /// Continues in `blk`, whose predecessors are all emitted, and seals it: a register
    /// read there then resolves to its value at once (so the emitters see constants
    /// through it, `arith::Cond`) instead of becoming a block parameter that the final
    /// sealing removes again.
    fn enter(&mut self, blk: Block) {
        self.b.switch_to_block(blk);
        self.seal(blk);
    }

    /// Seals `blk` (all its predecessors are emitted) unless it already is.
    fn seal(&mut self, blk: Block) {
        let i = blk.as_u32() as usize;
        if self.sealed.len() <= i {
            self.sealed.resize(i + 1, false);
        }
        if !self.sealed[i] {
            self.sealed[i] = true;
            self.b.seal_block(blk);
        }
    }

    /// Jumps to the error path of `pc` (its handler's, or the function's exit).
    fn err_jump(&mut self, pc: usize) {
        let target = match self.handler_at(pc) {
            Some(i) => self.handler_err[i],
            None => self.err_exit,
        };
        let pcv = self.iconst(pc as i64);
        self.jump(target, &[pcv]);
    }

    /// Runs instruction `pc` in `helpers::jit_op` (after spilling every register),
    /// checks for an error and reloads what it wrote. Returns the helper's result
    /// (1 when a conditional jump is taken).
    fn slow(&mut self, pc: usize) -> ir::Value {
        let res = self.jit_op(pc, Spill::Helper);
        self.check_err(res, pc);
        for r in liveness::helper_writes(&self.proto.code[pc]) {
            self.reload(r);
        }
        res
    }

    /// Spills what instruction `pc` and the code after it need, then runs `pc` in
    /// `helpers::jit_op`; returns the helper's result.
    fn jit_op(&mut self, pc: usize, to: Spill) -> ir::Value {
        let used = liveness::uses(self.proto, &self.proto.code[pc]);
        if self.spill(pc, &used, to) {
            // Not every instruction `jit_op` runs reaches a safe point.
            self.mark_silent_alloc();
        }
        let proto = self.iconst(self.env.proto as i64);
        let pcv = self.iconst(pc as i64);
        let args = [self.vm, self.frame, proto, pcv];
        self.vmcall(helpers::jit_op as *const () as usize, &args)
    }

    /// Runs `emit`, marking every block it creates cold (a fast path's fallback: the
    /// hot path stays contiguous).
    fn coldly<R>(&mut self, emit: impl FnOnce(&mut Self) -> R) -> R {
        let first = self.b.func.dfg.num_blocks();
        let r = emit(self);
        for i in first..self.b.func.dfg.num_blocks() {
            self.b.set_cold_block(Block::from_u32(i as u32));
        }
        r
    }

    /// `slow(pc)` as the fallback of a fast path, in cold blocks.
    fn cold_slow(&mut self, pc: usize) -> ir::Value {
        self.coldly(|t| t.slow(pc))
    }

    /// `cold_slow(pc)`, then jump to `join`.
    fn slow_to(&mut self, pc: usize, join: Block) {
        self.cold_slow(pc);
        self.jump(join, &[]);
    }

    /// A back edge to a loop header `h` that ends in a compare-and-branch of INT
    /// registers (a plain `icmp`, no helper), after at most three instructions that
    /// only set registers (`LoadI`, `LoadK`, `Move`, `GetGlobal` of a global kept in a
    /// register): those and the test are repeated here, branching straight to the
    /// body or the exit, so an iteration takes one branch instead of a jump to the
    /// header and its branch. Returns false (nothing emitted) for any other header.
    fn rotate(&mut self, h: usize) -> Result<bool, String> {
        let mut cmp = h;
        loop {
            match self.proto.code.get(cmp) {
                Some(Op::JmpCmp { .. } | Op::JmpCmpI { .. }) => break,
                Some(Op::LoadI { .. } | Op::LoadK { .. } | Op::Move { .. }) => {}
                Some(Op::GetGlobal { slot, .. }) if self.promoted.index(slot.0).is_some() => {}
                _ => return Ok(false),
            }
            cmp += 1;
            // Nothing may enter the header after its first instruction.
            if cmp - h > 3 || self.blocks.get(cmp).copied().flatten().is_some() {
                return Ok(false);
            }
        }
        let (c, a, rhs, exit) = match self.proto.code[cmp] {
            Op::JmpCmp { op, a, b, target } => (op, a.0, Rhs::Reg(b.0), target.0),
            Op::JmpCmpI { op, a, imm, target } => (op, a.0, Rhs::Imm(i64::from(imm)), target.0),
            _ => return Ok(false),
        };
        let pc = self.pc;
        self.pc = cmp;
        let ints = self.int_use(a) && !matches!(rhs, Rhs::Reg(b) if !self.int_use(b));
        self.pc = pc;
        if !ints || self.blocks.get(cmp + 1).copied().flatten().is_none() {
            return Ok(false);
        }
        for at in h..cmp {
            let op = self.proto.code[at];
            self.pc = at;
            self.forget_writes(&op);
            self.op(at, op)?;
        }
        self.pc = cmp;
        let (body, exit) = (self.block(cmp + 1), self.block(exit as usize));
        self.compare(
            cmp,
            c,
            a,
            rhs,
            CmpOut::Branch {
                fall: body,
                target: exit,
            },
        );
        self.pc = pc;
        self.terminated = true;
        Ok(true)
    }

    /// Forgets what is known about the slots `op` may write, before translating it:
    /// they are not up to date (`clean`) and hold no known constant (`slot_consts`).
    fn forget_writes(&mut self, op: &Op) {
        for r in liveness::helper_writes(op) {
            self.clean.remove(r as usize);
            self.slot_consts[r as usize] = None;
        }
    }

    /// Fills the fast paths' shared fallback `slow` with `slow_to(pc, join)`, then
    /// continues at `join`.
    fn slow_then_join(&mut self, pc: usize, slow: Block, join: Block) {
        self.b.switch_to_block(slow);
        self.slow_to(pc, join);
        self.b.switch_to_block(join);
    }

    fn body(&mut self) -> Result<(), String> {
        let n = self.proto.code.len();
        for pc in 0..n {
            if let Some(blk) = self.blocks[pc] {
                if !self.terminated {
                    self.jump(blk, &[]);
                }
                self.b.switch_to_block(blk);
                self.terminated = false;
            } else if self.terminated {
                // Unreachable and not a leader: cannot happen (the instruction after
                // a terminator is a leader), but keep the builder consistent.
                let blk = self.b.create_block();
                self.b.switch_to_block(blk);
                self.terminated = false;
            }
            if self.blocks[pc].is_some() {
                // A join of several paths: no slot is known to be up to date. (Between
                // leaders, every instruction starts in a block dominated by the block
                // the previous one started in: their fast and slow paths rejoin.)
                self.clean.clear();
                self.slot_consts.fill(None);
            }
            let op = self.proto.code[pc];
            self.pc = pc;
            self.op_block = self.b.current_block();
            // What this instruction writes is dirty in its own spills too (a slow
            // path's spill runs before the write).
            self.forget_writes(&op);
            if matches!(op, Op::Return { .. } | Op::ReturnNull) {
                self.sync_globals(pc);
            }
            let first_block = self.b.func.dfg.num_blocks();
            self.op(pc, op)?;
            // The blocks this instruction created have all their predecessors: only
            // leaders and the shared exits, made before the body, are jumped to later.
            for i in first_block..self.b.func.dfg.num_blocks() {
                self.seal(Block::from_u32(i as u32));
            }
            // A constant load or a move runs no helper: what it stored stays known.
            let no_helper = matches!(
                op,
                Op::LoadK { .. }
                    | Op::LoadI { .. }
                    | Op::LoadNull { .. }
                    | Op::LoadBool { .. }
                    | Op::Move { .. }
            );
            if no_helper {
                for r in liveness::helper_writes(&op) {
                    self.clean.remove(r as usize);
                }
            } else {
                self.forget_writes(&op);
            }
            if let Op::Call { base, .. } = op {
                // The callee's frame overlapped the slots from `base` on.
                for r in base.0 as usize..self.proto.nregs as usize {
                    self.clean.remove(r);
                    self.slot_consts[r] = None;
                }
            }
        }
        self.op_block = None;
        self.clean.clear();
        self.slot_consts.fill(None);
        let end = self.blocks[n].expect("end block");
        if !self.terminated {
            self.jump(end, &[]);
        }
        self.b.switch_to_block(end);
        self.pc = n;
        self.sync_globals(n);
        let null = self.iconst(NULL);
        let ret = self.normal_return();
        self.jump(ret, &[null]);
        Ok(())
    }

    fn op(&mut self, pc: usize, op: Op) -> Result<(), String> {
        let fall = self.block(pc + 1);
        match op {
            Op::Move { dst, src } if self.int_use(src.0) => {
                let v = self.ri(src.0);
                self.set_raw(dst.0, v);
            }
            Op::Move { dst, src } => {
                let v = self.r(src.0);
                self.set(dst.0, v);
            }
            Op::LoadK { dst, k } if self.int_def(dst.0) => {
                let i =
                    int_types::int_const(self.proto, k.0).ok_or("INT from a non-int constant")?;
                let v = self.iconst(i);
                self.set_raw(dst.0, v);
            }
            Op::LoadK { dst, k } => {
                let v = self.const_bits(k.0)?;
                self.set(dst.0, v);
            }
            Op::LoadI { dst, value } => {
                let v = self.iconst(value as i64);
                self.set_raw(dst.0, v);
            }
            Op::LoadNull { dst } => {
                let v = self.iconst(NULL);
                self.set(dst.0, v);
            }
            Op::LoadBool { dst, value } => {
                let v = self.iconst(if value { TRUE } else { FALSE });
                self.set(dst.0, v);
            }
            Op::LoadBuiltin { dst, builtin } => {
                let v = self.iconst(Value::builtin(builtin).0 as i64);
                self.set(dst.0, v);
            }
            Op::GetGlobal { .. }
                if self
                    .raw
                    .as_ref()
                    .is_some_and(|r| r.plan.unused_loads.contains(&pc)) =>
            {
                // Only a raw self-call reads it, and a raw call needs no callee.
            }
            Op::GetGlobal { dst, slot } if self.promoted.index(slot.0).is_some() => {
                let g = self.global_reg(slot.0);
                let v = self.ri(g);
                self.set_raw(dst.0, v);
            }
            Op::SetGlobal { slot, src } if self.promoted.index(slot.0).is_some() => {
                let g = self.global_reg(slot.0);
                let v = self.ri(src.0);
                self.b.def_var(self.regs[g as usize], v);
            }
            Op::GetGlobal { dst, slot } if self.env.global_now(slot.0).is_some() => {
                // Assigned before compiling: a global never becomes undefined again.
                let addr = self.iconst((self.env.globals + slot.0 as usize * 8) as i64);
                let v = self.b.ins().load(types::I64, flags(), addr, 0);
                self.set(dst.0, v);
            }
            Op::GetGlobal { dst, slot } => {
                let addr = self.iconst((self.env.globals + slot.0 as usize * 8) as i64);
                let v = self.b.ins().load(types::I64, flags(), addr, 0);
                let undef = self.b.ins().icmp_imm_s(IntCC::Equal, v, UNDEFINED);
                let slow = self.b.create_block();
                self.b.set_cold_block(slow);
                let ok = self.b.create_block();
                let join = self.b.create_block();
                self.brif(undef, slow, ok);
                self.b.switch_to_block(ok);
                self.set(dst.0, v);
                self.jump(join, &[]);
                self.b.switch_to_block(slow);
                self.slow_to(pc, join);
                self.b.switch_to_block(join);
            }
            Op::SetGlobal { slot, src } => {
                let addr = self.iconst((self.env.globals + slot.0 as usize * 8) as i64);
                let v = self.r(src.0);
                self.b.ins().store(flags(), v, addr, 0);
            }
            Op::Add { dst, a, b } | Op::Sub { dst, a, b } | Op::Mul { dst, a, b } => {
                self.arith(pc, op, dst.0, a.0, Rhs::Reg(b.0))
            }
            Op::AddI { dst, a, imm } | Op::SubI { dst, a, imm } => {
                self.arith(pc, op, dst.0, a.0, Rhs::Imm(imm as i64))
            }
            Op::Neg { dst, src } => self.arith(pc, op, dst.0, src.0, Rhs::None),
            Op::Div { dst, a, b } | Op::Mod { dst, a, b } => {
                self.divmod(pc, matches!(op, Op::Div { .. }), dst.0, a.0, b.0)
            }
            Op::Cmp { op: c, dst, a, b } => {
                self.compare(pc, c, a.0, Rhs::Reg(b.0), CmpOut::Reg(dst.0))
            }
            Op::CmpI { op: c, dst, a, imm } => {
                self.compare(pc, c, a.0, Rhs::Imm(imm as i64), CmpOut::Reg(dst.0))
            }
            Op::JmpCmp {
                op: c,
                a,
                b,
                target,
            } => {
                let target = self.block(target.0 as usize);
                let out = CmpOut::Branch { fall, target };
                self.compare(pc, c, a.0, Rhs::Reg(b.0), out);
                self.terminated = true;
            }
            Op::JmpCmpI {
                op: c,
                a,
                imm,
                target,
            } => {
                let target = self.block(target.0 as usize);
                let out = CmpOut::Branch { fall, target };
                self.compare(pc, c, a.0, Rhs::Imm(imm as i64), out);
                self.terminated = true;
            }
            Op::Not { dst, src } | Op::ToBool { dst, src } => {
                let t = self.truth(src.0);
                let t = if matches!(op, Op::Not { .. }) {
                    self.b.ins().bxor_imm_s(t, 1)
                } else {
                    t
                };
                let v = self.b.ins().bor_imm_s(t, FALSE);
                self.set(dst.0, v);
            }
            Op::Loop { target } => {
                let h = target.0 as usize;
                self.poll_at_back_edge(h, pc);
                if !self.rotate(h)? {
                    let blk = self.block(h);
                    self.jump(blk, &[]);
                    self.terminated = true;
                }
            }
            Op::Jmp { target } => {
                let blk = self.block(target.0 as usize);
                self.jump(blk, &[]);
                self.terminated = true;
            }
            Op::JmpIf { cond, target } | Op::JmpIfNot { cond, target } => {
                let t = self.truth(cond.0);
                let target = self.block(target.0 as usize);
                if matches!(op, Op::JmpIf { .. }) {
                    self.brif(t, target, fall);
                } else {
                    self.brif(t, fall, target);
                }
                self.terminated = true;
            }
            Op::JmpIfNotNull { src, target } => {
                let v = self.r(src.0);
                let nn = self.b.ins().icmp_imm_s(IntCC::NotEqual, v, NULL);
                let target = self.block(target.0 as usize);
                self.brif(nn, target, fall);
                self.terminated = true;
            }
            Op::IterNext { base, dst, exit } => {
                let exit = self.block(exit.0 as usize);
                self.iter_next_fast(pc, base.0, dst.0, exit, fall);
                self.terminated = true;
            }
            Op::NewDict { dst, start, count } => self.new_dict(pc, op, dst.0, start.0, count),
            Op::GetIndex { dst, obj, key } => self.get_index(pc, dst.0, obj.0, key.0),
            Op::GetField { dst, obj, key } => self.get_field(pc, dst.0, obj.0, key.0)?,
            Op::SetIndex { obj, key, src } => self.set_index(pc, obj.0, key.0, src.0),
            Op::SetField { obj, key, src } => self.set_field(pc, obj.0, key.0, src.0)?,
            Op::Call { base, nargs }
                if self
                    .raw
                    .as_ref()
                    .is_some_and(|r| r.plan.calls.contains(&pc)) =>
            {
                self.raw_call(pc, base.0, nargs)
            }
            Op::Call { base, nargs } => self.call(pc, base.0, nargs),
            Op::Return { src } => {
                // A raw body returns the raw int (its plan types every return INT).
                let v = if self.raw.is_some() {
                    self.ri(src.0)
                } else if self.int_use(src.0) && !self.ranges.fits(pc, src.0) {
                    let raw = self.ri(src.0);
                    self.box_result(raw)
                } else {
                    self.r(src.0)
                };
                let ret = self.normal_return();
                self.jump(ret, &[v]);
                self.terminated = true;
            }
            Op::ReturnNull => {
                let v = self.iconst(NULL);
                let ret = self.normal_return();
                self.jump(ret, &[v]);
                self.terminated = true;
            }
            Op::Throw { .. } => {
                self.slow(pc);
                // `jit_op` always raises for `Throw`; this path is never taken.
                let v = self.iconst(NULL);
                let ret = self.ret_block;
                self.jump(ret, &[v]);
                self.terminated = true;
            }
            _ => {
                self.slow(pc);
            }
        }
        Ok(())
    }
}

/// What a `spill` prepares for (see `Tr::spill`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spill {
    /// A Ruff call.
    Call,
    /// A helper that may collect garbage and returns to this code.
    Helper,
    /// A helper that always raises.
    Raise,
    /// A raw self-call (`translate::raw`): the boxed registers live across it, except
    /// its callee register.
    RawCall,
}

// Container instructions (`GetIndex`, `SetIndex`, `GetField`, `SetField`, `IterNext`,
// `NewDict`): see `container.rs`.
mod container;

// Collection polls at the back edges of loops that allocate without a safe point.
mod poll;

// Calls: see `calls.rs`.
mod calls;
