//! The `ruff` command line: `run`, `check` and `dump`. CLI only; all work is in the library.
//!
//! Exit codes: 0 success, 2 usage, 3 syntax or compile error, 4 runtime error,
//! 5 I/O error (such as a missing file).

use clap::{Args, Parser, Subcommand};
use ruff::span::SourceFile;
use ruff::vm::RunOptions;
use std::io::Read;
use std::process::ExitCode;

const EXIT_COMPILE: u8 = 3;
const EXIT_IO: u8 = 5;

#[derive(Parser)]
#[command(name = "ruff", version, about = "The Ruff scripting language")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a program (`-` reads it from standard input).
    Run(RunArgs),
    /// Parse and compile only; print nothing on success, diagnostics on failure.
    Check {
        /// The source file (`-` for standard input).
        file: String,
    },
    /// Print the compiled form of a program.
    Dump {
        /// Print the register bytecode of every function.
        #[arg(long, required_unless_present = "ir")]
        regs: bool,
        /// Print the Cranelift IR the JIT generates for every function.
        #[arg(long)]
        ir: bool,
        /// The source file (`-` for standard input).
        file: String,
    },
}

#[derive(Args)]
struct RunArgs {
    /// The source file (`-` for standard input).
    file: String,
    /// Run the interpreter only (same as RUFF_JIT=off).
    #[arg(long)]
    no_jit: bool,
    /// Calls or loop iterations before a function is compiled (0: compile before the first call).
    #[arg(long, value_name = "N")]
    jit_threshold: Option<u32>,
    /// Print JIT statistics to stderr at exit.
    #[arg(long)]
    jit_stats: bool,
    /// Arguments passed to the script, after `--`.
    #[arg(last = true)]
    args: Vec<String>,
}

fn main() -> ExitCode {
    malloc_settings();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => {
            let file = match load(&args.file) {
                Ok(f) => f,
                Err(code) => return code,
            };
            let program = match compile(&file) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let mut opts = RunOptions::default();
            let env_off = std::env::var("RUFF_JIT")
                .map(|v| v == "off")
                .unwrap_or(false);
            opts.jit = !(args.no_jit || env_off);
            if let Some(n) = args.jit_threshold {
                opts.jit_threshold = n;
            }
            opts.jit_stats = args.jit_stats;
            opts.args = args.args;
            let code = ruff::vm::run(&program, &file, &opts);
            if std::env::var("RUFF_MEM_STATS").is_ok_and(|v| v == "1") {
                print_mem_stats();
            }
            ExitCode::from(code.clamp(0, 255) as u8)
        }
        Command::Check { file } => {
            let file = match load(&file) {
                Ok(f) => f,
                Err(code) => return code,
            };
            match compile(&file) {
                Ok(_) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        Command::Dump { regs, ir, file } => {
            let file = match load(&file) {
                Ok(f) => f,
                Err(code) => return code,
            };
            match compile(&file) {
                Ok(p) => {
                    if regs {
                        print!("{}", ruff::dump::dump_regs(&p));
                    }
                    if ir {
                        match ruff::jit::dump_ir(&p) {
                            Ok(text) => print!("{text}"),
                            Err(e) => {
                                eprintln!("error: cannot translate to IR: {e}");
                                return ExitCode::from(4);
                            }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(code) => code,
            }
        }
    }
}

/// Reads the source file (or stdin for `-`); I/O failures exit with code 5.
fn load(path: &str) -> Result<SourceFile, ExitCode> {
    let result = if path == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read(path).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the file is not valid UTF-8",
                )
            })
        })
    };
    match result {
        Ok(text) => Ok(SourceFile::new(
            if path == "-" { "<stdin>" } else { path },
            text,
        )),
        Err(e) => {
            eprintln!("error: cannot read '{path}': {e}");
            Err(ExitCode::from(EXIT_IO))
        }
    }
}

/// Compiles, printing every diagnostic; compile failures exit with code 3.
fn compile(file: &SourceFile) -> Result<ruff::bytecode::Program, ExitCode> {
    ruff::compile(file).map_err(|diags| {
        eprint!("{}", ruff::diag::render_all(&diags, file));
        ExitCode::from(EXIT_COMPILE)
    })
}

/// With `RUFF_MEM_STATS=1`: the peak resident set and the current resident set split
/// into anonymous and file-backed pages (Linux `/proc/self/status`), to stderr.
fn print_mem_stats() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status.lines() {
        if ["VmHWM:", "VmRSS:", "RssAnon:", "RssFile:"]
            .iter()
            .any(|k| line.starts_with(k))
        {
            eprintln!("{}", line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

/// Fixes glibc malloc's mmap threshold at its default (128 KiB). Left alone, glibc raises
/// it to the size of every large block that is freed, so after Cranelift frees its big
/// buffers (or a string buffer is reallocated) blocks of up to that size come from the
/// heap arena, where freed space fragments and is kept: with the JIT on that raised the
/// peak resident set by megabytes. A fixed threshold keeps large blocks in their own
/// mappings, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn malloc_settings() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    /// glibc's `M_MMAP_THRESHOLD`.
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: `mallopt` only changes allocator parameters; it is called before any other
    // thread exists, and an unsupported value just makes it return 0.
    unsafe { mallopt(M_MMAP_THRESHOLD, 128 << 10) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn malloc_settings() {}
