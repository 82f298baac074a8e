//! The command line's contract: subcommands, exit codes (0, 2, 3, 4, 5) and where
//! diagnostics go.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ruff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruff"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("ruff runs")
}

fn ruff_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruff"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ruff runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn missing_file_is_an_io_error() {
    let out = ruff(&["run", "no/such/file.ruff"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(text(&out.stderr).starts_with("error: cannot read 'no/such/file.ruff'"));
    assert_eq!(ruff(&["check", "no/such/file.ruff"]).status.code(), Some(5));
    assert_eq!(ruff(&["dump", "--regs", "no/such/file.ruff"]).status.code(), Some(5));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(ruff(&[]).status.code(), Some(2));
    assert_eq!(ruff(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(ruff(&["run"]).status.code(), Some(2));
    assert_eq!(ruff(&["run", "x.ruff", "--jit-threshold", "many"]).status.code(), Some(2));
}

#[test]
fn syntax_errors_exit_3_with_a_caret() {
    let out = ruff_stdin(&["check", "-"], "let x := (1 +\n");
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(" --> <stdin>:"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(out.stdout.is_empty());
    // `run` reports the same way and runs nothing.
    let out = ruff_stdin(&["run", "-"], "print(1)\nlet x := (1 +\n");
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_is_silent_on_success() {
    let out = ruff(&["check", "spec/examples/hello.ruff"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn run_hello_and_script_args() {
    let out = ruff(&["run", "spec/examples/hello.ruff"]);
    assert_eq!(text(&out.stdout), "Hello from Ruff!\n");
    assert_eq!(out.status.code(), Some(0));
    let out = ruff_stdin(&["run", "-", "--", "a", "b c"], "print(args())\n");
    assert_eq!(text(&out.stdout), "[\"a\", \"b c\"]\n", "{}", text(&out.stderr));
}

#[test]
fn runtime_errors_exit_4_and_keep_earlier_output() {
    let out = ruff_stdin(&["run", "--no-jit", "-"], "print(\"before\")\nlet x := 1 / 0\n");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.starts_with("error: Division by zero\n --> <stdin>:2:10\n"), "{err}");
    assert!(err.contains("stack traceback:\n  at <script> (<stdin>:2)"), "{err}");
}

#[test]
fn exit_builtin_sets_the_code() {
    let out = ruff_stdin(&["run", "-"], "print(\"x\")\nexit(7)\nprint(\"y\")\n");
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(text(&out.stdout), "x\n");
}

#[test]
fn dump_regs_lists_functions() {
    let out = ruff_stdin(&["dump", "--regs", "-"], "func add(a, b) { return a + b }\nprint(add(1, 2))\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let dump = text(&out.stdout);
    assert!(dump.contains("add"), "{dump}");
    assert!(dump.contains("ADD"), "{dump}");
}
