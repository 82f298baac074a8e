//! Build script: links release builds of the `ruff` binary on x86-64 Linux with
//! benches/linker/text-order.txt as LLD's symbol ordering file, which places every
//! function the benchmarks execute together.
//!
//! The kernel maps an executable's text in 64 KiB blocks around each page fault, so with
//! the default layout a run that compiles anything pages in most of Cranelift (about
//! 2.5 MB); packed, the executed code fits in under 2 MB for everything, interpreter and
//! JIT (docs/JIT.md, "Compile time and memory"). Only the layout changes. The ordering
//! needs LLD, the default linker of Rust 1.90 and later on this target; with an older
//! compiler, a linker setting in RUSTFLAGS, or `RUFF_TEXT_ORDER=off`, nothing is added.
//! `benches/linker/text_order.py` regenerates the list.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=benches/linker/text-order.txt");
    println!("cargo:rerun-if-env-changed=RUFF_TEXT_ORDER");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    // A linker chosen in RUSTFLAGS may not be LLD: then no order is given.
    let own_linker = var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    let wanted = var("PROFILE") == "release"
        && var("TARGET") == "x86_64-unknown-linux-gnu"
        && var("RUFF_TEXT_ORDER") != "off"
        && !own_linker;
    let order = Path::new(&var("CARGO_MANIFEST_DIR")).join("benches/linker/text-order.txt");
    if wanted && order.is_file() && lld_is_default(&var("RUSTC")) {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        // Symbols that no longer exist (renamed functions) only lose their place.
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether `rustc` links with LLD by default on x86-64 Linux (1.90 and later).
fn lld_is_default(rustc: &str) -> bool {
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // "rustc 1.95.0 (...)"
    let minor = text
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_some_and(|m| m >= 90)
}
