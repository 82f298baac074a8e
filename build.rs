//! Build script: links release builds of the `ruff` binary on x86-64 Linux with gold and
//! linker/text-order.txt, which places every function the benchmarks execute together.
//!
//! The kernel maps an executable's text in 64 KiB blocks around each page fault, so with
//! the default layout a run that compiles anything pages in most of Cranelift (about
//! 2.5 MB); packed, the executed code fits in under 2 MB for everything, interpreter and
//! JIT (docs/JIT.md, "Compile time and memory"). Only the layout changes: without gold,
//! or with `RUFF_TEXT_ORDER=off`, the default linker is used. `linker/text_order.py`
//! regenerates the list.

use std::path::Path;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=linker/text-order.txt");
    println!("cargo:rerun-if-env-changed=RUFF_TEXT_ORDER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let wanted = var("PROFILE") == "release"
        && var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("RUFF_TEXT_ORDER") != "off";
    let order = Path::new(&var("CARGO_MANIFEST_DIR")).join("linker/text-order.txt");
    if wanted && order.is_file() && has_gold() {
        println!("cargo:rustc-link-arg-bins=-fuse-ld=gold");
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--section-ordering-file={}",
            order.display()
        );
    }
}

/// Whether the gold linker is installed (binutils ships it on Debian 12).
fn has_gold() -> bool {
    Command::new("ld.gold")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
