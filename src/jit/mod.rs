//! The Cranelift JIT tier: per-proto code slots, tiering decisions, compiling a function
//! (or an OSR entry at a loop header) and the `--jit-stats` report. See docs/JIT.md.
//!
//! ABI of every compiled function and of the interpreter stub:
//! `fn(vm: *mut Vm, frame: *mut Value, rem: u64, top: u64) -> u64`, where `frame` is
//! `R[0]` of the function's window in the register stack (the closure is at
//! `frame[-1]`, the arguments are already in `frame[0..nparams]`). The result is the
//! returned value's bits, or `SENTINEL` when an error is pending in `Vm::jit_err`.
//! Compiled code uses Cranelift's `winch` calling convention (no callee-saved
//! registers, so functions that make no call save nothing); Rust enters it only
//! through the `Entry` trampoline.

mod dataflow;
mod globals;
mod helpers;
mod host;
mod int_types;
mod liveness;
mod offline;
mod ranges;
mod raw;
mod translate;
mod unboxed;

use host::isa;
pub use offline::{codegen_all, dump_ir};

use crate::bytecode::Proto;
use crate::value::Value;
use crate::vm::{RunOptions, Vm};
use cranelift_codegen::ir::{types, AbiParam, Signature, UserFuncName};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{ArenaMemoryProvider, JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, FuncId, Module};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The interpreter stub's type (the System V form of the compiled-code ABI).
///
/// `rem` is the number of Ruff frames the callee may still push (`depth_limit` minus
/// the compiled frames live below it; 0 means its entry raises `Stack overflow`);
/// `top` is the caller's GC stack bound (an address, 0 when none). Compiled code
/// publishes its depth and bound in `JitState` only before a helper call that may
/// collect garbage or run Ruff code; whoever enters native code from Rust restores
/// `JitState` afterwards. Compiled code ignores `vm` (it reads `JitState::vm`); only
/// the stub uses it.
pub type StubFn = unsafe extern "C" fn(vm: *mut u8, frame: *mut u64, rem: u64, top: u64) -> u64;

/// The entry address of compiled code or of the interpreter stub. Compiled code uses
/// the `winch` calling convention; Rust calls it only through `Entry::call`. The stub,
/// a System V function, may be called with that convention too (it preserves more
/// registers than such a caller expects, and takes its arguments in the same ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JitFn(usize);

/// The System V trampoline from Rust into compiled code: calls `code` with
/// `(vm, frame, rem, top)` in the compiled-code convention.
type EntryFn =
    unsafe extern "C" fn(vm: *mut u8, frame: *mut u64, rem: u64, top: u64, code: usize) -> u64;

/// "An error is pending in the VM": a value with the unused tag 0xFFFE.
pub const SENTINEL: u64 = 0xFFFE_0000_0000_0000;

/// What an OSR entry specialised on int parameters returns, without running anything,
/// to a frame whose parameters are not all inline ints: "keep interpreting". Neither a
/// value (unused tag 0xFFFE) nor `SENTINEL`.
pub const NOT_ENTERED: u64 = SENTINEL | 1;

/// Executable memory reserved for compiled code.
const CODE_ARENA: usize = 256 << 20;

/// VM state that compiled code reads and writes at fixed offsets (boxed: its address
/// is embedded in the code).
#[repr(C)]
#[derive(Debug)]
pub struct JitState {
    /// The frame record of the innermost compiled frame that called a helper: a pointer
    /// to two words, the `rem` its callees get and its GC bound (see `depth` and
    /// `top`). Compiled frames publish the record in their own native stack frame
    /// with one store before each helper that may collect garbage or run Ruff code;
    /// Rust code publishes `own` instead. Read only through `depth`/`top`.
    pub cur: *const [u64; 2],
    /// `MAX_FRAMES` minus the interpreter frames live when native code was entered: a
    /// compiled function entered at `depth >= depth_limit` (with `rem == 0`) raises
    /// `Stack overflow`.
    pub depth_limit: u64,
    /// The frame record published by Rust code (and by raw bodies, which keep theirs in
    /// registers); `[depth_limit, 0]` while no compiled frame is live.
    pub own: [u64; 2],
    /// The lowest native stack pointer compiled code may run at.
    pub sp_limit: u64,
    /// The end address of the register stack.
    pub stack_end: u64,
    /// The VM running compiled code (set whenever Rust enters it), for helper calls.
    pub vm: u64,
    /// Set by a raw body that raised (it returns `raw::MARK`); cleared by whoever
    /// checks it (see `raw`).
    pub raised: u64,
}

/// A saved published frame record (`JitState::save`).
#[derive(Clone, Copy)]
pub(crate) struct Published {
    cur: *const [u64; 2],
    own: [u64; 2],
}

/// The current native stack pointer. On x86-64 it is read from `rsp`: the address of a
/// local is not enough, because sanitizers (ASan's fake stacks) may place locals on the
/// heap, which made the stack limit wrong under AddressSanitizer.
#[inline(never)]
fn native_stack_pointer() -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        let sp: u64;
        // SAFETY: reads the stack-pointer register into a general register; no memory
        // access, no stack change, flags untouched.
        unsafe {
            std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
        };
        sp
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let here = 0u8;
        std::hint::black_box(&here) as *const u8 as u64
    }
}

/// Field offsets of `JitState` (for the translator).
pub(crate) const ST_CUR: i32 = 0;
pub(crate) const ST_OWN: i32 = 16;
pub(crate) const ST_VM: i32 = 48;
pub(crate) const ST_RAISED: i32 = 56;

impl JitState {
    /// The state for a VM whose register stack is `stack[..capacity]`.
    pub fn new(stack: *mut Value, capacity: usize) -> Box<JitState> {
        let sp = native_stack_pointer();
        let big = std::thread::current().name() == Some("ruff-vm");
        // Leave room for the interpreter, helpers and Rust's own needs below the limit.
        let budget: u64 = if big {
            (1 << 30) - (16 << 20)
        } else {
            256 << 10
        };
        let limit = crate::vm::MAX_FRAMES as u64;
        let mut state = Box::new(JitState {
            cur: std::ptr::null(),
            depth_limit: limit,
            own: [limit, 0],
            sp_limit: sp.saturating_sub(budget),
            stack_end: stack.wrapping_add(capacity) as u64,
            vm: 0,
            raised: 0,
        });
        state.cur = &state.own;
        state
    }

    /// The published frame record: `[rem, top]`.
    #[inline(always)]
    fn record(&self) -> [u64; 2] {
        // `cur` points to `own` (inside this box) or to the record of a compiled frame
        // that published it before calling the helper now running; whoever returns
        // into Rust from compiled code restores a saved `cur` before anything reads it.
        // SAFETY: so the record is `own` or in a live compiled frame.
        unsafe { *self.cur }
    }

    /// Number of live compiled frames (OSR frames excluded: they are interpreter
    /// frames), as published by the innermost compiled frame before its last helper
    /// call.
    #[inline(always)]
    pub fn depth(&self) -> u64 {
        self.depth_of(self.record()[0])
    }

    /// Exclusive end (an address) of the stack slots used by live compiled frames; 0
    /// when none. Part of the GC's live stack bound; published like `depth`.
    #[inline(always)]
    pub fn top(&self) -> u64 {
        self.record()[1]
    }

    /// Publishes a frame record from Rust: the callees' `rem` and the GC bound `top`.
    #[inline(always)]
    pub fn publish(&mut self, rem: u64, top: u64) {
        self.own = [rem, top];
        self.cur = &self.own;
    }

    /// The published record, to `restore` after running code that may publish others.
    #[inline(always)]
    pub(crate) fn save(&self) -> Published {
        Published {
            cur: self.cur,
            own: self.own,
        }
    }

    #[inline(always)]
    pub(crate) fn restore(&mut self, p: Published) {
        self.cur = p.cur;
        self.own = p.own;
    }

    /// The `rem` argument for a callee entered at compiled depth `depth`.
    #[inline(always)]
    pub fn rem(&self, depth: u64) -> u64 {
        self.depth_limit.saturating_sub(depth)
    }

    /// The compiled depth of a frame whose callees get `rem`.
    #[inline(always)]
    pub fn depth_of(&self, rem: u64) -> u64 {
        self.depth_limit.saturating_sub(rem)
    }

    /// `top` as a stack index relative to `base` (0 when no compiled frame is live).
    #[inline(always)]
    pub fn top_index(&self, base: *mut Value) -> usize {
        let top = self.top();
        if top == 0 {
            0
        } else {
            ((top - base as u64) / 8) as usize
        }
    }
}

/// The way from Rust into compiled code: the trampoline, or none before the first
/// compilation (when every slot still holds the stub).
#[derive(Clone, Copy)]
pub struct Entry(Option<EntryFn>);

impl Entry {
    /// Calls `code` (compiled code or the stub) on the frame window `frame`.
    ///
    /// # Safety
    /// `vm` is the running VM (also in `JitState::vm`), `frame` a frame window inside
    /// its register stack (the closure at `frame[-1]`, the arguments in place), `rem`
    /// and `top` as in `StubFn`; `code` came from the JIT this entry came from.
    pub unsafe fn call(self, code: JitFn, vm: *mut u8, frame: *mut u64, rem: u64, top: u64) -> u64 {
        match self.0 {
            // SAFETY: forwarded from the caller; the trampoline has the `EntryFn` ABI.
            Some(entry) => unsafe { entry(vm, frame, rem, top, code.0) },
            // Nothing was compiled yet, so `code` is the stub (a System V function).
            None => {
                let stub: StubFn = helpers::jit_stub;
                // SAFETY: as above.
                unsafe { stub(vm, frame, rem, top) }
            }
        }
    }
}

/// What happened to one proto.
#[derive(Clone, Debug)]
enum Status {
    NotYet,
    Compiled,
    Failed(String),
}

/// One compilation, for `--jit-stats` and `RUFF_JIT_LOG`.
struct Record {
    proto: u32,
    osr: Option<usize>,
    time: Duration,
    /// Compiled as a raw function (see `raw`).
    raw: bool,
}

/// The JIT of one VM.
pub struct Jit {
    /// Cranelift's state, made by the first compilation (programs that never get hot
    /// pay nothing for it).
    cl: Option<Backend>,
    /// Code pointer per proto id: the interpreter stub or native code. Boxed: compiled
    /// code embeds its address.
    slots: Box<[usize]>,
    status: Vec<Status>,
    /// OSR entries by (proto id, loop header pc): the one compiled for the first frame
    /// that asked.
    osr: HashMap<(usize, usize), Option<JitFn>>,
    /// Per (proto id, loop header pc) whose entry is specialised: how many times it
    /// refused a frame (`NOT_ENTERED`), and the generic entry compiled at the second.
    refused: HashMap<(usize, usize), (u32, Option<JitFn>)>,
    threshold: u32,
    stats: bool,
    log: bool,
    /// `RUFF_JIT_LOG=1` with `RUFF_JIT_DISASM=1`: print each function's machine code.
    disasm: bool,
    /// `RUFF_JIT_DUMP=DIR`: write each function's machine code into `DIR`.
    dump: Option<String>,
    records: Vec<Record>,
    /// Time spent making the code generator (at the first compilation).
    setup: Duration,
    /// Inline call cache cells (`[closure bits, code slot address]`) embedded in
    /// compiled code; freed with the JIT.
    ics: Vec<*mut [u64; 2]>,
    /// Closures recorded in inline caches: GC roots, so a cached address is never reused
    /// by another object.
    pinned: Vec<Value>,
}

/// The code generator: the module owning all compiled code, reused contexts, and the
/// entry trampoline.
struct Backend {
    /// Taken out and freed (with all compiled code) when the JIT is dropped.
    module: std::mem::ManuallyDrop<JITModule>,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    ptr_ty: types::Type,
    entry: EntryFn,
}

impl Backend {
    /// Starts a new function `id` with signature `sig` in the (cleared) context.
    fn begin(&mut self, sig: Signature, id: FuncId) {
        self.module.clear_context(&mut self.ctx);
        self.ctx.func.signature = sig;
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
    }

    fn new() -> Result<Backend, String> {
        let isa = isa()?;
        let ptr_ty = isa.pointer_type();
        let mut jb = JITBuilder::with_isa(isa, default_libcall_names());
        let arena = ArenaMemoryProvider::new_with_size(CODE_ARENA).map_err(|e| e.to_string())?;
        jb.memory_provider(Box::new(arena));
        let mut module = JITModule::new(jb);
        let mut ctx = module.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let entry = match host::entry_trampoline() {
            Some(entry) => Ok(entry),
            None => build_entry(&mut module, &mut ctx, &mut fctx, ptr_ty),
        };
        let mut module = std::mem::ManuallyDrop::new(module);
        match entry {
            Ok(entry) => Ok(Backend {
                module,
                ctx,
                fctx,
                ptr_ty,
                entry,
            }),
            Err(e) => {
                // SAFETY: nothing compiled by this module has been called.
                unsafe { std::mem::ManuallyDrop::take(&mut module).free_memory() };
                Err(e)
            }
        }
    }

    /// Frees the contexts' buffers after compiling a function of `insts` IR instructions
    /// when that is large. Cranelift keeps every buffer (IR, lowered code, the register
    /// allocator's tables) at its largest size for reuse; after a big function that is
    /// megabytes the rest of the run would carry in its resident set, so the contexts are
    /// replaced by empty ones. Small compilations keep reusing them (no allocation cost).
    fn release_if_big(&mut self, insts: usize) {
        if insts > BIG_FUNCTION_INSTS {
            self.ctx = self.module.make_context();
            self.fctx = FunctionBuilderContext::new();
        }
    }
}

/// IR instructions above which a compiled function's context buffers are freed.
const BIG_FUNCTION_INSTS: usize = 1500;

/// Compiles the System V trampoline `EntryFn` (on hosts without a hand-written one).
fn build_entry(
    module: &mut JITModule,
    ctx: &mut cranelift_codegen::Context,
    fctx: &mut FunctionBuilderContext,
    ptr_ty: types::Type,
) -> Result<EntryFn, String> {
    use cranelift_codegen::ir::InstBuilder;
    let mut sig = Signature::new(CallConv::SystemV);
    for _ in 0..5 {
        sig.params.push(AbiParam::new(types::I64));
    }
    sig.returns.push(AbiParam::new(types::I64));
    let fid = module
        .declare_anonymous_function(&sig)
        .map_err(|e| e.to_string())?;
    module.clear_context(ctx);
    ctx.func.signature = sig;
    ctx.func.name = UserFuncName::user(0, fid.as_u32());
    let frontend = module.isa().frontend_config();
    {
        let mut b = cranelift_frontend::FunctionBuilder::new(&mut ctx.func, fctx);
        let inner = b.import_signature(jit_signature(ptr_ty));
        let blk = b.create_block();
        b.append_block_params_for_function_params(blk);
        b.switch_to_block(blk);
        let p = b.block_params(blk).to_vec();
        let call = b.ins().call_indirect(inner, p[4], &p[..4]);
        let r = b.inst_results(call)[0];
        b.ins().return_(&[r]);
        b.seal_all_blocks();
        b.finalize(frontend);
    }
    module
        .define_function(fid, ctx)
        .map_err(|e| format!("{e:?}"))?;
    module.clear_context(ctx);
    module.finalize_definitions().map_err(|e| e.to_string())?;
    let code = module.get_finalized_function(fid);
    // SAFETY: the trampoline was compiled with exactly `EntryFn`'s System V signature.
    Ok(unsafe { std::mem::transmute::<*const u8, EntryFn>(code) })
}

impl Drop for Jit {
    fn drop(&mut self) {
        for &c in &self.ics {
            // SAFETY: each cell was made by `Box::into_raw` in the translator and is
            // freed only here; no compiled code runs once the JIT is dropped.
            drop(unsafe { Box::from_raw(c) });
        }
        // Freeing the code arena keeps repeated in-process runs (tests, the fuzzer) from
        // leaking code memory.
        if let Some(cl) = &mut self.cl {
            // SAFETY: the JIT is dropped with its VM, after the run: no compiled function
            // is executing and no slot's code pointer is called again; the module is
            // taken once.
            unsafe { std::mem::ManuallyDrop::take(&mut cl.module).free_memory() };
        }
    }
}

/// The signature of compiled code (`JitFn`).
pub(crate) fn jit_signature(ptr_ty: types::Type) -> Signature {
    let mut sig = Signature::new(CallConv::Winch);
    sig.params.push(AbiParam::new(ptr_ty));
    sig.params.push(AbiParam::new(ptr_ty));
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I64));
    sig
}

impl Jit {
    /// The JIT for a run with `opts`, or `None` under `--no-jit` (or if the host ISA
    /// is not supported, in which case everything is interpreted).
    pub fn new(opts: &RunOptions, nprotos: usize) -> Option<Box<Jit>> {
        if !opts.jit {
            return None;
        }
        let stub: StubFn = helpers::jit_stub;
        Some(Box::new(Jit {
            cl: None,
            slots: vec![stub as usize; nprotos].into_boxed_slice(),
            status: vec![Status::NotYet; nprotos],
            osr: HashMap::new(),
            refused: HashMap::new(),
            threshold: opts.jit_threshold,
            stats: opts.jit_stats,
            log: std::env::var("RUFF_JIT_LOG").is_ok_and(|v| v == "1"),
            disasm: std::env::var("RUFF_JIT_LOG").is_ok_and(|v| v == "1")
                && std::env::var("RUFF_JIT_DISASM").is_ok_and(|v| v == "1"),
            dump: std::env::var("RUFF_JIT_DUMP").ok(),
            records: Vec::new(),
            setup: Duration::ZERO,
            ics: Vec::new(),
            pinned: Vec::new(),
        }))
    }

    /// Native code of proto `id`, if it is compiled.
    #[inline]
    pub fn native(&self, id: usize) -> Option<JitFn> {
        match self.status.get(id) {
            Some(Status::Compiled) => Some(JitFn(self.slots[id])),
            _ => None,
        }
    }

    /// The code slot of proto `id` (native code or the interpreter stub).
    #[inline]
    pub fn slot(&self, id: usize) -> JitFn {
        let stub: StubFn = helpers::jit_stub;
        JitFn(self.slots.get(id).copied().unwrap_or(stub as usize))
    }

    /// How Rust calls this JIT's code (copied out, so no borrow of the JIT is held
    /// while Ruff code runs).
    pub fn entry(&self) -> Entry {
        Entry(self.cl.as_ref().map(|cl| cl.entry))
    }

    /// True when a counter at `count` has reached the threshold.
    #[inline]
    pub fn is_hot(&self, count: u32) -> bool {
        count >= self.threshold
    }

    /// False once compiling proto `pid` failed (no OSR retries either).
    pub fn osr_allowed(&self, pid: usize) -> bool {
        !matches!(self.status.get(pid), Some(Status::Failed(_)))
    }

    /// The closures pinned by inline caches (GC roots).
    pub fn pinned(&self) -> &[Value] {
        &self.pinned
    }

    /// Fills the empty inline cache `cell` with closure `callee` of proto `id` (whose
    /// arity matched); the closure is pinned. A filled cell is never changed.
    pub(crate) fn fill_ic(&mut self, cell: *mut [u64; 2], callee: Value, id: usize) {
        if cell.is_null() || id >= self.slots.len() {
            return;
        }
        // SAFETY: a non-null `cell` is one of this JIT's live cells, embedded in the
        // calling compiled code; compiled code only reads it, and not while this helper
        // runs.
        unsafe {
            if (*cell)[0] != SENTINEL {
                return;
            }
            self.pinned.push(callee);
            (*cell)[1] = self.slots.as_ptr().add(id) as u64;
            (*cell)[0] = callee.0;
        }
    }

    /// After the OSR entry at (`id`, `pc`) refused a frame with other parameter types:
    /// the generic entry to run that frame in, compiled the second time the entry
    /// refuses a frame (another threshold's worth of back-edges later, so a loop that
    /// stays hot with other types), or `None`: keep interpreting. So a header gets at
    /// most two entries, the second only when both kinds of frame are hot there.
    pub(crate) fn osr_refused(&mut self, vm: &Vm, id: usize, pc: usize) -> Option<JitFn> {
        let (n, generic) = self.refused.entry((id, pc)).or_default();
        *n = n.saturating_add(1);
        if *n != 2 {
            return *generic;
        }
        // Compiled like the first entry (with no parameter holding an int, so generic)
        // while the first is out of the cache, then the first is put back.
        let first = self.osr.remove(&(id, pc));
        let generic = self.compile(vm, id, Some(pc), 0);
        self.osr.remove(&(id, pc));
        if let Some(f) = first {
            self.osr.insert((id, pc), f);
        }
        if let Some(r) = self.refused.get_mut(&(id, pc)) {
            r.1 = generic;
        }
        generic
    }

    /// Compiles proto `id` (a whole function, or with `osr = Some(pc)` an entry at loop
    /// header `pc` for a frame whose parameters holding inline ints are the bits of
    /// `ints`; see `translate::Env::osr_ints`). Each is compiled at most once; failures
    /// are remembered.
    pub(crate) fn compile(
        &mut self,
        vm: &Vm,
        id: usize,
        osr: Option<usize>,
        ints: u64,
    ) -> Option<JitFn> {
        match osr {
            None => match self.status.get(id)? {
                Status::Compiled => return self.native(id),
                Status::Failed(_) => return None,
                Status::NotYet => {}
            },
            Some(pc) => {
                if let Some(c) = self.osr.get(&(id, pc)) {
                    return *c;
                }
            }
        }
        let proto = vm.protos.get(id)?.clone();
        if self.cl.is_none() {
            // The code generator is made by the first compilation (its time is reported
            // on its own, not as part of that function's).
            let t = Instant::now();
            match Backend::new() {
                Ok(cl) => self.cl = Some(cl),
                Err(e) => {
                    if self.log {
                        eprintln!("[jit] no code generator: {e}");
                    }
                    self.status
                        .iter_mut()
                        .for_each(|s| *s = Status::Failed(e.clone()));
                    return None;
                }
            }
            self.setup = t.elapsed();
        }
        let start = Instant::now();
        // A panic inside Cranelift (a translator bug) must not take the run down: the
        // function stays interpreted and the reason is reported.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.compile_inner(vm, &proto, osr, ints)
        }))
        .unwrap_or_else(|_| Err("internal error: the translator panicked".to_string()));
        let time = start.elapsed();
        let raw = matches!(r, Ok((_, true)));
        let r = r.map(|(code, _)| code);
        match (&r, osr) {
            (Ok(code), None) => {
                self.slots[id] = code.0;
                self.status[id] = Status::Compiled;
            }
            (Ok(code), Some(pc)) => {
                self.osr.insert((id, pc), Some(*code));
            }
            (Err(e), None) => self.status[id] = Status::Failed(e.clone()),
            (Err(e), Some(pc)) => {
                self.osr.insert((id, pc), None);
                self.status[id] = Status::Failed(e.clone());
            }
        }
        if r.is_ok() {
            if self.log {
                let what = match osr {
                    Some(pc) => format!(" (OSR entry at pc {pc})"),
                    None if raw => " (raw)".to_string(),
                    None => String::new(),
                };
                eprintln!(
                    "[jit] compiled {} #{}{what} in {:.3} ms",
                    proto.name,
                    proto.id,
                    time.as_secs_f64() * 1e3
                );
            }
            self.records.push(Record {
                proto: proto.id,
                osr,
                time,
                raw,
            });
        } else if self.log {
            if let Err(e) = &r {
                eprintln!("[jit] cannot compile {} #{}: {e}", proto.name, proto.id);
            }
        }
        r.ok()
    }

    fn compile_inner(
        &mut self,
        vm: &Vm,
        proto: &Rc<Proto>,
        osr: Option<usize>,
        ints: u64,
    ) -> Result<(JitFn, bool), String> {
        let Some(cl) = self.cl.as_mut() else {
            return Err("no code generator".to_string());
        };
        let env = translate::Env {
            state: &*vm.jit_state as *const JitState as usize,
            sp_limit: vm.jit_state.sp_limit,
            stack_end: vm.jit_state.stack_end,
            globals: vm.globals.as_ptr() as usize,
            nglobals: vm.globals.len(),
            consts: &vm.consts[proto.id as usize],
            proto: &**proto as *const Proto as usize,
            ptr_ty: cl.ptr_ty,
            frontend: cl.module.isa().frontend_config(),
            osr_ints: ints,
        };
        let plan = match osr {
            None => raw::plan_for(&vm.protos, proto),
            Some(_) => None,
        };
        let sig = jit_signature(cl.ptr_ty);
        let fid = cl
            .module
            .declare_anonymous_function(&sig)
            .map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        let t0 = Instant::now();
        // Time spent generating machine code before the last function's translation
        // (a raw body), for the phase log.
        let mut early_codegen = Duration::ZERO;
        if let Some(plan) = &plan {
            // A raw function: the raw body, then the wrapper in `fid`.
            let rsig = translate::raw_signature(cl.ptr_ty, proto.nparams as usize);
            let rid = cl
                .module
                .declare_anonymous_function(&rsig)
                .map_err(|e| e.to_string())?;
            cl.begin(rsig, rid);
            let body = cl.module.declare_func_in_func(rid, &mut cl.ctx.func);
            let raw_body = translate::RawBody { plan, body };
            translate::translate(
                &mut cl.ctx.func,
                &mut cl.fctx,
                proto,
                &env,
                None,
                translate::SelfCall::Raw(raw_body),
                &mut self.ics,
            )?;
            let tc = Instant::now();
            bytes.extend(self.define(rid, &proto.name, "raw body")?);
            early_codegen = tc.elapsed();
            let cl = self.cl.as_mut().ok_or("no code generator")?;
            cl.begin(sig, fid);
            let body = cl.module.declare_func_in_func(rid, &mut cl.ctx.func);
            translate::translate_wrapper(&mut cl.ctx.func, &mut cl.fctx, proto, &env, body);
        } else {
            cl.begin(sig, fid);
            let self_call = match osr {
                None => translate::SelfCall::Ordinary(
                    cl.module.declare_func_in_func(fid, &mut cl.ctx.func),
                ),
                Some(_) => translate::SelfCall::None,
            };
            translate::translate(
                &mut cl.ctx.func,
                &mut cl.fctx,
                proto,
                &env,
                osr,
                self_call,
                &mut self.ics,
            )?;
        }
        let t1 = Instant::now();
        bytes.extend(self.define(fid, &proto.name, "")?);
        let cl = self.cl.as_mut().ok_or("no code generator")?;
        let t2 = Instant::now();
        cl.module
            .finalize_definitions()
            .map_err(|e| e.to_string())?;
        if self.log {
            eprintln!(
                "[jit] phases: translate {:?} codegen {:?} finalize {:?}",
                t1 - t0 - early_codegen,
                t2 - t1 + early_codegen,
                t2.elapsed()
            );
        }
        let code = cl.module.get_finalized_function(fid);
        if let Some(dir) = self.dump.as_deref() {
            let _ = std::fs::write(
                format!("{dir}/{}-{}-{:x}.bin", proto.name, proto.id, code as usize),
                &bytes,
            );
        }
        Ok((JitFn(code as usize), plan.is_some()))
    }

    /// Generates the machine code of the function in the context as `fid` (`what`
    /// names it for the disassembly log) and clears the context. Returns the machine
    /// code when `RUFF_JIT_DUMP` asks for it.
    fn define(&mut self, fid: FuncId, name: &str, what: &str) -> Result<Vec<u8>, String> {
        let cl = self.cl.as_mut().ok_or("no code generator")?;
        let insts = cl.ctx.func.dfg.num_insts();
        cl.ctx.set_disasm(self.disasm);
        cl.module
            .define_function(fid, &mut cl.ctx)
            .map_err(|e| format!("{e:?}"))?;
        if self.disasm {
            if let Some(v) = cl.ctx.compiled_code().and_then(|c| c.vcode.as_ref()) {
                eprintln!("[jit] machine code of {name} {what}:\n{v}");
            }
        }
        let bytes = match (&self.dump, cl.ctx.compiled_code()) {
            (Some(_), Some(c)) => c.code_buffer().to_vec(),
            _ => Vec::new(),
        };
        cl.module.clear_context(&mut cl.ctx);
        cl.release_if_big(insts);
        Ok(bytes)
    }

    /// The `--jit-stats` report, if it was asked for.
    pub(crate) fn report(&self, protos: &[Rc<Proto>]) -> Option<String> {
        if !self.stats {
            return None;
        }
        let name = |id: u32| {
            protos
                .get(id as usize)
                .map(|p| p.name.to_string())
                .unwrap_or_default()
        };
        let mut s = String::from("jit stats:\n");
        let funcs: Vec<&Record> = self.records.iter().filter(|r| r.osr.is_none()).collect();
        let osrs: Vec<&Record> = self.records.iter().filter(|r| r.osr.is_some()).collect();
        let total: Duration = self.records.iter().map(|r| r.time).sum::<Duration>() + self.setup;
        s.push_str(&format!(
            "  functions compiled: {} (total compile time {:.3} ms, of which code generator setup {:.3} ms)\n",
            funcs.len(),
            total.as_secs_f64() * 1e3,
            self.setup.as_secs_f64() * 1e3
        ));
        for r in &funcs {
            s.push_str(&format!(
                "    {} #{}: {:.3} ms{}\n",
                name(r.proto),
                r.proto,
                r.time.as_secs_f64() * 1e3,
                if r.raw { " (raw)" } else { "" }
            ));
        }
        s.push_str(&format!("  OSR entries: {}\n", osrs.len()));
        for r in &osrs {
            s.push_str(&format!(
                "    {} #{} at pc {}: {:.3} ms\n",
                name(r.proto),
                r.proto,
                r.osr.unwrap_or(0),
                r.time.as_secs_f64() * 1e3
            ));
        }
        let failed: Vec<(usize, &String)> = self
            .status
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Status::Failed(e) => Some((i, e)),
                _ => None,
            })
            .collect();
        s.push_str(&format!("  functions not compiled: {}\n", failed.len()));
        for (i, e) in failed {
            s.push_str(&format!("    {} #{i}: {e}\n", name(i as u32)));
        }
        Some(s)
    }
}
