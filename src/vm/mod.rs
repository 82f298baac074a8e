//! The virtual machine: loads a `Program` and runs it. (Placeholder until the runtime lands.)
use crate::bytecode::Program;
use crate::span::SourceFile;

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

/// Runs `program`, writing to the process's stdout/stderr; returns the exit code.
pub fn run(_program: &Program, _file: &SourceFile, _opts: &RunOptions) -> i32 {
    eprintln!("error: the runtime is not built yet");
    4
}

/// Runs `program` with stdout and stderr captured in memory (for tests).
pub fn run_captured(_program: &Program, _file: &SourceFile, _opts: &RunOptions) -> Outcome {
    Outcome {
        stdout: Vec::new(),
        stderr: b"error: the runtime is not built yet\n".to_vec(),
        code: 4,
    }
}
