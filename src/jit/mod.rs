//! The Cranelift JIT tier: per-proto code slots, tiering decisions, compiling a function
//! (or an OSR entry at a loop header) and the `--jit-stats` report. See docs/JIT.md.
//!
//! ABI of every compiled function and of the interpreter stub:
//! `extern "C" fn(vm: *mut Vm, frame: *mut Value) -> u64`, where `frame` is `R[0]` of
//! the function's window in the register stack (the closure is at `frame[-1]`, the
//! arguments are already in `frame[0..nparams]`). The result is the returned value's
//! bits, or `SENTINEL` when an error is pending in `Vm::jit_err`.

mod globals;
mod helpers;
mod int_types;
mod liveness;
mod translate;
mod unboxed;

use crate::bytecode::{Program, Proto};
use crate::value::Value;
use crate::vm::{RunOptions, Vm};
use cranelift_codegen::ir::{types, AbiParam, Signature, UserFuncName};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{ArenaMemoryProvider, JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Module};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The signature of compiled code and of the interpreter stub.
///
/// `depth` is the number of compiled frames live below the callee (its own depth is
/// `depth + 1`); `top` is the caller's GC stack bound (an address, 0 when none). Compiled
/// code keeps both in registers and publishes them in `JitState` only before a helper
/// call that may collect garbage or run Ruff code; whoever enters native code from Rust
/// restores `JitState` afterwards.
pub type JitFn = unsafe extern "C" fn(vm: *mut u8, frame: *mut u64, depth: u64, top: u64) -> u64;

/// "An error is pending in the VM": a value with the unused tag 0xFFFE.
pub const SENTINEL: u64 = 0xFFFE_0000_0000_0000;

/// Executable memory reserved for compiled code.
const CODE_ARENA: usize = 256 << 20;

/// VM state that compiled code reads and writes at fixed offsets (boxed: its address
/// is embedded in the code).
#[repr(C)]
#[derive(Debug)]
pub struct JitState {
    /// Number of live compiled frames (OSR frames excluded: they are interpreter frames),
    /// as published by the innermost compiled frame before its last helper call.
    pub depth: u64,
    /// A compiled function entered at `depth >= depth_limit` raises `Stack overflow`
    /// (`MAX_FRAMES` minus the interpreter frames live when native code was entered).
    pub depth_limit: u64,
    /// Exclusive end (an address) of the stack slots used by live compiled frames; 0
    /// when none. Part of the GC's live stack bound; published like `depth`.
    pub top: u64,
    /// The lowest native stack pointer compiled code may run at.
    pub sp_limit: u64,
    /// The end address of the register stack.
    pub stack_end: u64,
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
pub(crate) const ST_DEPTH: i32 = 0;
pub(crate) const ST_DEPTH_LIMIT: i32 = 8;
pub(crate) const ST_TOP: i32 = 16;

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
        Box::new(JitState {
            depth: 0,
            depth_limit: crate::vm::MAX_FRAMES as u64,
            top: 0,
            sp_limit: sp.saturating_sub(budget),
            stack_end: stack.wrapping_add(capacity) as u64,
        })
    }

    /// `top` as a stack index relative to `base` (0 when no compiled frame is live).
    #[inline(always)]
    pub fn top_index(&self, base: *mut Value) -> usize {
        if self.top == 0 {
            0
        } else {
            ((self.top - base as u64) / 8) as usize
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
}

/// The JIT of one VM.
pub struct Jit {
    /// Taken out and freed (with all compiled code) when the JIT is dropped.
    module: std::mem::ManuallyDrop<JITModule>,
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
    /// Code pointer per proto id: the interpreter stub or native code. Boxed: compiled
    /// code embeds its address.
    slots: Box<[usize]>,
    status: Vec<Status>,
    /// OSR entries by (proto id, loop header pc).
    osr: HashMap<(usize, usize), Option<JitFn>>,
    threshold: u32,
    stats: bool,
    log: bool,
    records: Vec<Record>,
    ptr_ty: types::Type,
    /// Inline call cache cells (`[closure bits, code slot address]`) embedded in
    /// compiled code; freed with the JIT.
    ics: Vec<*mut [u64; 2]>,
    /// Closures recorded in inline caches: GC roots, so a cached address is never reused
    /// by another object.
    pinned: Vec<Value>,
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
        // SAFETY: the JIT is dropped with its VM, after the run: no compiled function is
        // executing and no slot's code pointer is called again; the module is taken once.
        unsafe { std::mem::ManuallyDrop::take(&mut self.module).free_memory() };
    }
}

/// The native ISA with `opt_level=speed`.
fn isa() -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let opt = std::env::var("RUFF_JIT_OPT").unwrap_or_else(|_| "speed".to_string());
    flags.set("opt_level", &opt).map_err(|e| e.to_string())?;
    if let Ok(ra) = std::env::var("RUFF_JIT_RA") {
        flags
            .set("regalloc_algorithm", &ra)
            .map_err(|e| e.to_string())?;
    }
    flags
        .set(
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        )
        .map_err(|e| e.to_string())?;
    let builder = cranelift_native::builder().map_err(|e| e.to_string())?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())
}

/// The signature of `JitFn`.
pub(crate) fn jit_signature(ptr_ty: types::Type) -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
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
        let isa = isa().ok()?;
        let ptr_ty = isa.pointer_type();
        let mut jb = JITBuilder::with_isa(isa, default_libcall_names());
        let arena = ArenaMemoryProvider::new_with_size(CODE_ARENA).ok()?;
        jb.memory_provider(Box::new(arena));
        let module = JITModule::new(jb);
        let ctx = module.make_context();
        let stub: JitFn = helpers::jit_stub;
        Some(Box::new(Jit {
            module: std::mem::ManuallyDrop::new(module),
            ctx,
            fctx: FunctionBuilderContext::new(),
            slots: vec![stub as usize; nprotos].into_boxed_slice(),
            status: vec![Status::NotYet; nprotos],
            osr: HashMap::new(),
            threshold: opts.jit_threshold,
            stats: opts.jit_stats,
            log: std::env::var("RUFF_JIT_LOG")
                .map(|v| v == "1")
                .unwrap_or(false),
            records: Vec::new(),
            ptr_ty,
            ics: Vec::new(),
            pinned: Vec::new(),
        }))
    }

    /// Native code of proto `id`, if it is compiled.
    #[inline]
    pub fn native(&self, id: usize) -> Option<JitFn> {
        match self.status.get(id) {
            // SAFETY: a `Compiled` slot holds a finalized function with the `JitFn` ABI.
            Some(Status::Compiled) => {
                Some(unsafe { std::mem::transmute::<usize, JitFn>(self.slots[id]) })
            }
            _ => None,
        }
    }

    /// The code slot of proto `id` (native code or the interpreter stub).
    #[inline]
    pub fn slot(&self, id: usize) -> JitFn {
        let stub: JitFn = helpers::jit_stub;
        match self.slots.get(id) {
            // SAFETY: slots only ever hold the stub or finalized `JitFn` code.
            Some(&p) => unsafe { std::mem::transmute::<usize, JitFn>(p) },
            None => stub,
        }
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

    /// Compiles proto `id` (a whole function, or with `osr = Some(pc)` an entry at loop
    /// header `pc`). Each is compiled at most once; failures are remembered.
    pub(crate) fn compile(&mut self, vm: &Vm, id: usize, osr: Option<usize>) -> Option<JitFn> {
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
        let start = Instant::now();
        // A panic inside Cranelift (a translator bug) must not take the run down: the
        // function stays interpreted and the reason is reported.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.compile_inner(vm, &proto, osr)
        }))
        .unwrap_or_else(|_| Err("internal error: the translator panicked".to_string()));
        let time = start.elapsed();
        match (&r, osr) {
            (Ok(code), None) => {
                self.slots[id] = *code as usize;
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
    ) -> Result<JitFn, String> {
        let sig = jit_signature(self.ptr_ty);
        let fid = self
            .module
            .declare_anonymous_function(&sig)
            .map_err(|e| e.to_string())?;
        self.module.clear_context(&mut self.ctx);
        self.ctx.func.signature = sig;
        self.ctx.func.name = UserFuncName::user(0, fid.as_u32());
        let self_ref = if osr.is_none() {
            Some(self.module.declare_func_in_func(fid, &mut self.ctx.func))
        } else {
            None
        };
        let env = translate::Env {
            state: &*vm.jit_state as *const JitState as usize,
            sp_limit: vm.jit_state.sp_limit,
            stack_end: vm.jit_state.stack_end,
            globals: vm.globals.as_ptr() as usize,
            nglobals: vm.globals.len(),
            consts: &vm.consts[proto.id as usize],
            proto: &**proto as *const Proto as usize,
            ptr_ty: self.ptr_ty,
            frontend: self.module.isa().frontend_config(),
        };
        let t0 = Instant::now();
        translate::translate(
            &mut self.ctx.func,
            &mut self.fctx,
            proto,
            &env,
            osr,
            self_ref,
            &mut self.ics,
        )?;
        let t1 = Instant::now();
        let disasm = self.log && std::env::var("RUFF_JIT_DISASM").is_ok_and(|v| v == "1");
        self.ctx.set_disasm(disasm);
        self.module
            .define_function(fid, &mut self.ctx)
            .map_err(|e| format!("{e:?}"))?;
        if disasm {
            if let Some(v) = self.ctx.compiled_code().and_then(|c| c.vcode.as_ref()) {
                eprintln!("[jit] machine code of {} #{}:\n{v}", proto.name, proto.id);
            }
        }
        self.module.clear_context(&mut self.ctx);
        let t2 = Instant::now();
        self.module
            .finalize_definitions()
            .map_err(|e| e.to_string())?;
        if self.log {
            eprintln!(
                "[jit] phases: translate {:?} codegen {:?} finalize {:?}",
                t1 - t0,
                t2 - t1,
                t2.elapsed()
            );
        }
        let code = self.module.get_finalized_function(fid);
        // SAFETY: the function was compiled with `jit_signature`, the `JitFn` ABI.
        Ok(unsafe { std::mem::transmute::<*const u8, JitFn>(code) })
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
        let total: Duration = self.records.iter().map(|r| r.time).sum();
        s.push_str(&format!(
            "  functions compiled: {} (total compile time {:.3} ms)\n",
            funcs.len(),
            total.as_secs_f64() * 1e3
        ));
        for r in &funcs {
            s.push_str(&format!(
                "    {} #{}: {:.3} ms\n",
                name(r.proto),
                r.proto,
                r.time.as_secs_f64() * 1e3
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

/// The Cranelift IR of every function of `program` (for `ruff dump --ir`). Addresses
/// of run-time data are shown as placeholders (no VM exists).
pub fn dump_ir(program: &Program) -> Result<String, String> {
    let isa = isa()?;
    let ptr_ty = isa.pointer_type();
    let mut fctx = FunctionBuilderContext::new();
    let mut out = String::new();
    for proto in program.main.walk() {
        let mut func = cranelift_codegen::ir::Function::with_name_signature(
            UserFuncName::user(0, proto.id),
            jit_signature(ptr_ty),
        );
        let consts = vec![Value::NULL; proto.consts.len()];
        let env = translate::Env {
            state: 0,
            sp_limit: 0,
            stack_end: 0,
            globals: 0,
            nglobals: 0,
            consts: &consts,
            proto: 0,
            ptr_ty,
            frontend: isa.frontend_config(),
        };
        let mut ics = Vec::new();
        let r = translate::translate(&mut func, &mut fctx, &proto, &env, None, None, &mut ics);
        for c in ics {
            // SAFETY: made by `Box::into_raw` in the translator; the code is never run.
            drop(unsafe { Box::from_raw(c) });
        }
        r?;
        out.push_str(&format!(
            "; function {} (proto #{})\n",
            proto.name, proto.id
        ));
        out.push_str(&func.display().to_string());
        out.push('\n');
    }
    Ok(out)
}
