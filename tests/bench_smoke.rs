//! Smoke test for the benchmark suite: every `benches/programs/*.ruff` must print its `.expected`.
//!
//! This is the CI guard that keeps the suite from rotting: each program runs once through
//! `ruff run` (default settings) and its stdout is compared with `NAME.expected`. Nothing
//! is timed here; timing is `benches/run.sh`.
//!
//! Until the runtime can run `spec/examples/hello.ruff`, the test prints why it is skipping
//! and passes, so it switches itself on as soon as `ruff run` works.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Longest a single benchmark program may run at the test profile's opt-level.
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(300);

/// What the gate program must print before the suite is run.
const HELLO_OUTPUT: &str = "Hello from Ruff!\n";

/// The outcome of one finished (or killed) child process.
struct Finished {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `ruff run FILE` from the repository root, killing it after `timeout`.
///
/// stdout and stderr are drained on their own threads so a chatty program can never block
/// on a full pipe while we wait for it.
fn run_ruff(file: &Path, timeout: Duration) -> Result<Finished, String> {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .arg("run")
        .arg(file)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the ruff binary: {e}"))?;
    let out = drain(&mut child, true);
    let err = drain(&mut child, false);
    let status = wait_with_timeout(&mut child, timeout)?;
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stderr,
        elapsed: start.elapsed(),
    })
}

/// Reads one of the child's output pipes to the end on a separate thread.
fn drain(child: &mut Child, stdout: bool) -> std::thread::JoinHandle<String> {
    let pipe: Option<Box<dyn Read + Send>> = if stdout {
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    } else {
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>)
    };
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            // A read error just truncates the captured output; the comparison reports it.
            let _ = p.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for the child; kills it and returns `Ok(None)` when it outlives `timeout`.
fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Result<Option<ExitStatus>, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for ruff failed: {e}")),
        }
    }
}

/// Whether `ruff run spec/examples/hello.ruff` already prints the greeting.
fn runtime_is_ready() -> Result<(), String> {
    let hello = repo_root().join("spec/examples/hello.ruff");
    let done = run_ruff(&hello, Duration::from_secs(60))?;
    if done.status.is_some_and(|s| s.success()) && done.stdout == HELLO_OUTPUT {
        Ok(())
    } else {
        let first = done
            .stderr
            .lines()
            .next()
            .unwrap_or("(no stderr)")
            .to_string();
        Err(format!(
            "`ruff run spec/examples/hello.ruff` printed {:?} (status {:?}; stderr: {first})",
            done.stdout, done.status
        ))
    }
}

/// The `.ruff` programs in benches/programs, sorted by name.
fn bench_programs() -> Vec<PathBuf> {
    let dir = repo_root().join("benches/programs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ruff"))
        .collect();
    files.sort();
    files
}

/// A short description of the first differing line between two outputs.
fn first_difference(got: &str, expected: &str) -> String {
    let got_lines: Vec<&str> = got.lines().collect();
    let exp_lines: Vec<&str> = expected.lines().collect();
    for i in 0..got_lines.len().max(exp_lines.len()) {
        let g = got_lines.get(i).copied().unwrap_or("<end of output>");
        let e = exp_lines.get(i).copied().unwrap_or("<end of output>");
        if g != e {
            return format!("line {}: got {g:?}, expected {e:?}", i + 1);
        }
    }
    "line endings or the final newline differ".to_string()
}

/// Checks one program; returns a failure description, or `None` when it passes.
fn check_program(file: &Path) -> Option<String> {
    let name = file.file_stem()?.to_string_lossy().into_owned();
    let expected_path = file.with_extension("expected");
    let expected = match std::fs::read_to_string(&expected_path) {
        Ok(text) => text,
        Err(e) => {
            return Some(format!(
                "{name}: cannot read {}: {e}",
                expected_path.display()
            ))
        }
    };
    let done = match run_ruff(file, PROGRAM_TIMEOUT) {
        Ok(done) => done,
        Err(e) => return Some(format!("{name}: {e}")),
    };
    eprintln!("bench_smoke: {name} ran in {:.2?}", done.elapsed);
    let Some(status) = done.status else {
        return Some(format!("{name}: killed after {PROGRAM_TIMEOUT:?}"));
    };
    if !status.success() {
        let stderr: String = done
            .stderr
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n    ");
        return Some(format!("{name}: exited with {status}:\n    {stderr}"));
    }
    if done.stdout != expected {
        return Some(format!(
            "{name}: wrong output, {}",
            first_difference(&done.stdout, &expected)
        ));
    }
    None
}

#[test]
fn every_benchmark_program_prints_its_expected_output() {
    if let Err(why) = runtime_is_ready() {
        eprintln!(
            "bench_smoke: SKIPPED, the runtime is not ready yet: {why}. \
             This test turns itself on once `ruff run` prints the hello example."
        );
        return;
    }
    let programs = bench_programs();
    assert!(
        !programs.is_empty(),
        "no .ruff programs found in benches/programs"
    );
    let failures: Vec<String> = programs.iter().filter_map(|p| check_program(p)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} benchmark programs failed:\n  {}",
        failures.len(),
        programs.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_benchmark_has_expected_output_and_all_language_versions() {
    // Runs without the runtime: the suite's files must stay complete.
    let dir = repo_root().join("benches/programs");
    let mut missing = Vec::new();
    for ruff in bench_programs() {
        for ext in ["expected", "py", "lua", "js"] {
            let other = ruff.with_extension(ext);
            if !other.is_file() {
                missing.push(other.display().to_string());
            }
        }
    }
    let expected_count = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "expected"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(
        expected_count,
        bench_programs().len(),
        "every NAME.expected needs a NAME.ruff"
    );
    assert!(missing.is_empty(), "missing files: {missing:?}");
}
