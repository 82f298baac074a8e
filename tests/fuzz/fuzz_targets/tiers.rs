//! Differential fuzz target: arbitrary bytes through the whole pipeline (parse, compile,
//! run in-process in the interpreter, with the JIT forced before the first call, and with
//! a JIT threshold of 2 so tiers switch mid-run through OSR); the three outcomes
//! (stdout, stderr, exit code) must be identical, and nothing may panic.
//!
//! Programs may loop forever; the run is bounded by libFuzzer's `-timeout=` (see
//! docs/FUZZING.md), not by anything in the runtime.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ruff::span::SourceFile;
use ruff::vm::{run_captured, Outcome, RunOptions};

/// The options of one tier configuration.
fn opts(jit: bool, jit_threshold: u32) -> RunOptions {
    RunOptions {
        jit,
        jit_threshold,
        jit_stats: false,
        args: Vec::new(),
    }
}

/// An outcome as text for the failure message.
fn show(o: &Outcome) -> String {
    format!(
        "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.code,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// AddressSanitizer options built into the target. `detect_stack_use_after_return`
/// moves address-taken locals to a heap "fake stack"; the JIT takes its native stack
/// limit from the address of a local (`JitState::new`), so with fake stacks that limit is
/// sometimes wrong and a run raises a spurious `Stack overflow` (docs/FUZZING.md).
#[no_mangle]
pub extern "C" fn __asan_default_options() -> *const std::ffi::c_char {
    c"detect_stack_use_after_return=0".as_ptr()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The one nondeterministic builtin: its result differs between any two runs.
    if text.contains("performance_now") {
        return;
    }
    let file = SourceFile::new("fuzz.ruff", text);
    let Ok(program) = ruff::compile(&file) else {
        return;
    };
    let interp = run_captured(&program, &file, &opts(false, 0));
    for threshold in [0, 2] {
        let jit = run_captured(&program, &file, &opts(true, threshold));
        if jit != interp {
            panic!(
                "tiers disagree (jit_threshold {threshold})\n--- source ---\n{text}\n\
                 === interpreter: {}\n=== jit: {}",
                show(&interp),
                show(&jit)
            );
        }
    }
});
