//! Where program output goes: the process's stdout/stderr (stdout buffered), or
//! in-memory buffers for `run_captured`.

use std::io::{BufRead, BufWriter, Stdout, Write};

/// The VM's output channels.
pub enum Output {
    /// The process's streams. Stdout is buffered and flushed at exit, on error, before
    /// anything is written to stderr, and before `input` reads.
    Process { out: BufWriter<Stdout> },
    /// In-memory buffers (tests); `input` sees end of input.
    Captured { out: Vec<u8>, err: Vec<u8> },
}

impl Output {
    pub fn process() -> Output {
        Output::Process {
            out: BufWriter::with_capacity(64 * 1024, std::io::stdout()),
        }
    }

    pub fn captured() -> Output {
        Output::Captured {
            out: Vec::new(),
            err: Vec::new(),
        }
    }

    /// Writes program output to stdout. Write errors (a closed pipe) are ignored.
    #[inline]
    pub fn out(&mut self, bytes: &[u8]) {
        match self {
            Output::Process { out } => {
                let _ = out.write_all(bytes);
            }
            Output::Captured { out, .. } => out.extend_from_slice(bytes),
        }
    }

    /// Writes to stderr, after flushing stdout so the two interleave in order.
    pub fn err(&mut self, bytes: &[u8]) {
        match self {
            Output::Process { out } => {
                let _ = out.flush();
                let mut e = std::io::stderr().lock();
                let _ = e.write_all(bytes);
                let _ = e.flush();
            }
            Output::Captured { err, .. } => err.extend_from_slice(bytes),
        }
    }

    /// Flushes buffered stdout.
    pub fn flush(&mut self) {
        if let Output::Process { out } = self {
            let _ = out.flush();
        }
    }

    /// Reads one line from stdin without its line terminator; `None` at end of input.
    pub fn read_line(&mut self) -> Option<String> {
        match self {
            Output::Process { out } => {
                let _ = out.flush();
                let mut line = String::new();
                match std::io::stdin().lock().read_line(&mut line) {
                    Ok(0) | Err(_) => None,
                    Ok(_) => {
                        if line.ends_with('\n') {
                            line.pop();
                            if line.ends_with('\r') {
                                line.pop();
                            }
                        }
                        Some(line)
                    }
                }
            }
            Output::Captured { .. } => None,
        }
    }

    /// The captured stdout and stderr (empty for process output).
    pub fn take_captured(&mut self) -> (Vec<u8>, Vec<u8>) {
        match self {
            Output::Process { .. } => (Vec::new(), Vec::new()),
            Output::Captured { out, err } => (std::mem::take(out), std::mem::take(err)),
        }
    }
}
