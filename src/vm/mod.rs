//! The virtual machine: the run-time state (heap, register stack, frames, globals, output)
//! and the public entry points `run` and `run_captured`.
//!
//! # Frame layout (shared with the JIT)
//!
//! The register stack is one fixed-capacity `[Value]` (`STACK_CAPACITY` values) allocated
//! once and never reallocated, so raw pointers into it stay valid for the whole run.
//! A frame is a window of `Proto::nregs` values starting at `Frame::base`; `R[i]` is
//! `stack[base + i]`. The closure being run sits just below the window, at
//! `stack[base - 1]`. A `Call { base: a, nargs }` in a frame at `b` puts the callee at
//! `stack[b + a]` and the arguments at `stack[b + a + 1 ..]`; the callee's window starts
//! at `b + a + 1`, so the arguments are its parameters without copying. On entry the
//! window beyond the arguments is null-filled, and the result is written back to
//! `stack[base - 1]` (the caller's `R[a]`).
//!
//! `Frame::top` is the highest stack index (exclusive) used by this frame or any frame
//! below it; the GC scans `stack[..top]` of the innermost frame. Every slot below that
//! bound always holds a valid value (windows are null-filled when they grow the bound).
//!
//! Per-function run-time state lives in flat tables indexed by `Proto::id`: the loaded
//! constants (`consts`) and the tiering counters (`counters`: calls and loop back-edges;
//! with the JIT on, incremented on every call and every `Loop` instruction; under
//! `--no-jit` the interpreter's own calls and back-edges skip them).
//!
//! # Control flow
//!
//! Ruff-to-Ruff calls never recurse natively: `execute` pushes a `Frame` and keeps
//! dispatching. Native code enters Ruff through `call_value`, which stages the callee and
//! arguments above every live frame, pushes an `entry` frame and runs a nested `execute`
//! until that frame returns. Errors unwind frame by frame through each proto's handler
//! table (`unwind`); an error leaving an `entry` frame returns `Err` to the native caller,
//! which passes it on, and the outer frames keep extending the same traceback.
//!
//! # GC safe points
//!
//! Allocation never collects. The interpreter calls `collect_garbage` (when
//! `heap.should_collect()`) only after an instruction that may allocate has stored its
//! result in a register (including calls into builtins and compiled code), and at
//! `Loop` back-edges; at those points every live value is in a root (see `gc_roots`).
//! Returning from an interpreted frame is not a safe point: the callee's own safe
//! points already ran after each of its allocations.

mod call;
mod callbacks;
mod error;
mod gc_roots;
mod interp;
mod iter;
mod jit_glue;
mod load;
mod output;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_e2e;

pub use output::Output;

use crate::bytecode::{Op, Program, Proto};
use crate::heap::Heap;
use crate::span::SourceFile;
use crate::value::Value;
use std::rc::Rc;

/// Register stack capacity, in values (64 MiB of address space, committed lazily).
pub const STACK_CAPACITY: usize = 8 << 20;
/// Extra stack slots allocated past `STACK_CAPACITY`, so that the interpreter's
/// null-fill of a new window may write whole groups of four slots.
const STACK_SLACK: usize = 4;
/// The deepest Ruff call stack; one more call raises `Stack overflow`.
pub const MAX_FRAMES: usize = 200_000;
/// The deepest nesting of builtins that call back into Ruff (each uses native stack).
pub const MAX_NATIVE_DEPTH: usize = 10_000;
/// Native stack reserved for the VM thread.
const VM_THREAD_STACK: usize = 1 << 30;

/// How to run a program (the `ruff run` flags).
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// False for `--no-jit` or `RUFF_JIT=off`.
    pub jit: bool,
    /// Calls or loop iterations before a function is compiled; 0 compiles before the first call.
    pub jit_threshold: u32,
    /// `--jit-stats`: print JIT statistics to stderr at exit.
    pub jit_stats: bool,
    /// The script's arguments, returned by `args()`.
    pub args: Vec<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            jit: true,
            jit_threshold: 1000,
            jit_stats: false,
            args: Vec::new(),
        }
    }
}

/// What a run produced when its output was captured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
}

/// One activation record. The interpreter reaches the running one through a pointer
/// (`Vm::frames` never reallocates).
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// The function being run (kept alive by `Vm::protos`).
    pub proto: *const Proto,
    /// The next instruction to run, a pointer into `proto.code` (saved while the frame
    /// is not the innermost one, and before anything that may raise or look at the
    /// traceback). See `Frame::pc`.
    pub ip: *const Op,
    /// The loaded constants of `proto`, cached.
    pub consts: *const Value,
    /// The running closure's upvalue cells, cached.
    pub upvals: *const Value,
    /// Stack index of `R[0]`; the closure is at `base - 1`.
    pub base: u32,
    /// Exclusive upper bound of the stack slots live in this frame and all below it.
    pub top: u32,
    /// True for the first frame of an `execute` activation (the script, or a function
    /// called back from a builtin): returning from it returns from `execute`.
    pub entry: bool,
}

impl Frame {
    /// The saved pc: the index of the next instruction.
    pub fn pc(&self) -> usize {
        // SAFETY: `proto` is kept alive by `Vm::protos`.
        let code = unsafe { (*self.proto).code.as_ptr() };
        (self.ip as usize - code as usize) / std::mem::size_of::<Op>()
    }

    /// Sets the next instruction to `pc` (`<= proto.code.len()`).
    pub fn set_pc(&mut self, pc: usize) {
        // SAFETY: `proto` is kept alive by `Vm::protos`.
        let code = unsafe { &(*self.proto).code };
        debug_assert!(pc <= code.len());
        self.ip = code.as_ptr().wrapping_add(pc);
    }
}

/// Tiering counters of one function (read by the JIT).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProtoCounters {
    /// Number of calls (saturating).
    pub calls: u32,
    /// Number of loop back-edges taken (saturating).
    pub loops: u32,
}

/// The byte offset of `Vm::heap` (compiled code reads the collection trigger there).
pub(crate) const HEAP_OFFSET: usize = std::mem::offset_of!(Vm<'static>, heap);

/// The virtual machine for one run of one program.
pub struct Vm<'p> {
    pub heap: Heap,
    /// The register stack: `STACK_CAPACITY` usable slots (plus `STACK_SLACK`), never
    /// reallocated.
    stack: Box<[Value]>,
    /// `stack.as_mut_ptr()`, cached.
    stack_ptr: *mut Value,
    /// The frame stack; allocated with capacity `MAX_FRAMES + 1` and never grown past
    /// `MAX_FRAMES` (every push checks first), so it never reallocates and the
    /// interpreter may hold a pointer to the running frame.
    pub(crate) frames: Vec<Frame>,
    pub(crate) globals: Vec<Value>,
    program: &'p Program,
    /// Every proto, indexed by `Proto::id`.
    pub protos: Vec<Rc<Proto>>,
    /// Loaded constants of every proto, indexed by `Proto::id`.
    pub(crate) consts: Vec<Box<[Value]>>,
    /// Tiering counters, indexed by `Proto::id`.
    pub counters: Vec<ProtoCounters>,
    /// Values native code holds across a call back into Ruff (GC roots).
    pub(crate) temp_roots: Vec<Value>,
    pub(crate) out: Output,
    file: &'p SourceFile,
    args: Vec<String>,
    /// Nesting depth of `execute` activations.
    native_depth: usize,
    /// An error value that is unwinding out of a nested `execute` into the builtin that
    /// called back; lets the outer frames keep extending its traceback.
    in_flight: Value,
    /// The JIT (None under `--no-jit`); see `crate::jit` and docs/JIT.md.
    pub(crate) jit: Option<Box<crate::jit::Jit>>,
    /// State compiled code reads and writes directly (depth, live stack bound, limits).
    pub(crate) jit_state: Box<crate::jit::JitState>,
    /// The error a JIT helper or compiled function left pending with the sentinel.
    pub(crate) jit_err: Option<crate::error::RtError>,
    /// Where an error raised in a compiled frame is located (overrides the innermost
    /// interpreter frame while the JIT turns the error into an error value).
    pub(crate) jit_span: Option<crate::span::Span>,
}

impl<'p> Vm<'p> {
    /// A VM for `program`, with its constants loaded and globals undefined.
    pub fn new(
        program: &'p Program,
        file: &'p SourceFile,
        opts: &RunOptions,
        out: Output,
    ) -> Result<Vm<'p>, String> {
        Vm::with_heap(program, file, opts, out, Heap::new())
    }

    /// A VM that allocates on `heap` (e.g. `Heap::with_stress(true)` in tests).
    pub fn with_heap(
        program: &'p Program,
        file: &'p SourceFile,
        opts: &RunOptions,
        out: Output,
        mut heap: Heap,
    ) -> Result<Vm<'p>, String> {
        load::verify(program)?;
        let (protos, consts) = load::load(program, &mut heap);
        let counters = vec![ProtoCounters::default(); protos.len()];
        let mut stack = load::zeroed_stack(STACK_CAPACITY + STACK_SLACK);
        let stack_ptr = stack.as_mut_ptr();
        let jit = crate::jit::Jit::new(opts, protos.len());
        let jit_state = crate::jit::JitState::new(stack_ptr, STACK_CAPACITY);
        Ok(Vm {
            heap,
            stack,
            stack_ptr,
            // Never reallocates: pushes check `len < MAX_FRAMES` first, and the
            // interpreter keeps a pointer to the running frame. Untouched capacity is
            // never committed.
            frames: Vec::with_capacity(MAX_FRAMES + 1),
            globals: vec![Value::UNDEFINED; program.globals.len()],
            program,
            protos,
            consts,
            counters,
            temp_roots: Vec::new(),
            out,
            file,
            args: opts.args.clone(),
            native_depth: 0,
            in_flight: Value::NULL,
            jit,
            jit_state,
            jit_err: None,
            jit_span: None,
        })
    }

    /// Runs the script body to completion; returns the exit code (0, `exit(n)`'s code,
    /// or 4 after printing an uncaught error to stderr).
    pub fn run_main(&mut self) -> i32 {
        let main = self.program.main.clone();
        let closure = self
            .heap
            .alloc(crate::heap::ObjData::Closure(crate::heap::Closure {
                proto: main.clone(),
                upvals: Box::new([]),
            }));
        self.stack[0] = closure;
        let code = match self.push_frame(&main, 1, 0, true) {
            Ok(()) => match self.jit_run_main() {
                Some(r) => r,
                None => self.execute(),
            },
            Err(e) => Err(e),
        };
        self.jit_report();
        let code = match code {
            Ok(_) => 0,
            Err(e) => self.report_uncaught(e),
        };
        self.out.flush();
        code
    }

    /// The register stack's base pointer. Valid for the VM's lifetime; never moves.
    pub fn stack_ptr(&self) -> *mut Value {
        self.stack_ptr
    }

    /// The live stack bound of the innermost frame (0 when no frame is live).
    #[inline]
    pub(crate) fn stack_top(&self) -> usize {
        let interp = self.frames.last().map(|f| f.top as usize).unwrap_or(1);
        interp.max(self.jit_state.top_index(self.stack_ptr))
    }
}

/// Lets the VM thread borrow the (non-`Send`, `Rc`-based) program.
struct AssertSend<T>(T);

// SAFETY: the spawning thread blocks in `thread::scope` until the VM thread finishes and
// touches none of the borrowed data meanwhile, so the `Rc`s inside are only ever used by
// one thread at a time; the scope join orders the two threads' accesses.
unsafe impl<T> Send for AssertSend<T> {}

impl<T> AssertSend<T> {
    fn into_inner(self) -> T {
        self.0
    }
}

/// Runs `f` on a thread with a large native stack (builtins that call back into Ruff
/// recurse natively); falls back to the current thread if that thread cannot be made.
fn on_big_stack<R>(f: impl FnOnce() -> R) -> R {
    let job = AssertSend(f);
    let result = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("ruff-vm".into())
            .stack_size(VM_THREAD_STACK)
            .spawn_scoped(s, move || {
                let f = job.into_inner();
                AssertSend(f())
            });
        match handle {
            Ok(h) => Ok(h.join()),
            Err(_) => Err(()),
        }
    });
    match result {
        Ok(Ok(r)) => r.into_inner(),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        // The spawn failed; `job` was moved into the failed closure and dropped, so
        // nothing can run. Report it as an internal error through the panic path.
        Err(()) => panic!("cannot start the VM thread"),
    }
}

/// Runs `program`, writing to the process's stdout/stderr; returns the exit code.
pub fn run(program: &Program, file: &SourceFile, opts: &RunOptions) -> i32 {
    on_big_stack(|| match Vm::new(program, file, opts, Output::process()) {
        Ok(mut vm) => vm.run_main(),
        Err(msg) => {
            eprintln!("error: internal: invalid bytecode: {msg}");
            4
        }
    })
}

/// Runs `program` with stdout and stderr captured in memory (for tests). Fully
/// in-process and reentrant: no global state, never exits the process.
pub fn run_captured(program: &Program, file: &SourceFile, opts: &RunOptions) -> Outcome {
    on_big_stack(|| match Vm::new(program, file, opts, Output::captured()) {
        Ok(mut vm) => {
            let code = vm.run_main();
            let (stdout, stderr) = vm.out.take_captured();
            Outcome {
                stdout,
                stderr,
                code,
            }
        }
        Err(msg) => Outcome {
            stdout: Vec::new(),
            stderr: format!("error: internal: invalid bytecode: {msg}\n").into_bytes(),
            code: 4,
        },
    })
}
