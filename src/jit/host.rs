//! The host side of the code generator: the target ISA with the CPU's features (read
//! without executing `cpuid` where the C library already did) and the entry trampoline.
//!
//! Both are made at the first compilation of a run, so their cost is part of every
//! program that gets hot. `cpuid` traps to the hypervisor on virtual machines (about 7 µs
//! each on the benchmark machine, where `std`'s feature detection ran a dozen of them), and
//! compiling the three-instruction trampoline with Cranelift cost a whole code-generator
//! pass plus two `mprotect` calls; see docs/JIT.md, "Compile time and memory".

use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// The native ISA with `opt_level=none`: no e-graph pass. The translator emits no
/// path a constant rules out (`translate::arith::Cond`), and with that the e-graph
/// pass cost a fifth of every compilation without making any benchmark faster (see
/// docs/JIT.md, "Compile time and memory"). `RUFF_JIT_OPT` and `RUFF_JIT_RA` override
/// the optimisation level and the register allocator, for experiments.
pub(crate) fn isa() -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let opt = std::env::var("RUFF_JIT_OPT").unwrap_or_else(|_| "none".to_string());
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
    // Nothing unwinds through compiled code (helpers catch panics), so no unwind tables
    // are made or registered.
    flags
        .set("unwind_info", "false")
        .map_err(|e| e.to_string())?;
    native_builder()?
        .finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())
}

/// The host ISA builder with the CPU's features enabled: the same settings as
/// `cranelift_native::builder()` (a test checks it), read from the C library's table when
/// it has one.
fn native_builder() -> Result<isa::Builder, String> {
    #[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
    if let Some(leaves) = glibc_cpuid::Leaves::get() {
        let mut b = cranelift_native::builder_with_options(false).map_err(str::to_string)?;
        for name in leaves.cranelift_flags() {
            b.enable(name).map_err(|e| e.to_string())?;
        }
        return Ok(b);
    }
    cranelift_native::builder().map_err(str::to_string)
}

/// The CPU features glibc found at process start-up (`<sys/platform/x86.h>`, glibc 2.33
/// and later), looked up with `dlsym` so an older C library just falls back to `cpuid`.
#[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
mod glibc_cpuid {
    use std::ffi::{c_char, c_void};

    /// glibc's `struct cpuid_feature`: the `cpuid` registers (eax, ebx, ecx, edx) of one
    /// leaf, and the same bits masked to the features the OS and glibc let programs use.
    #[repr(C)]
    struct CpuidFeature {
        cpuid: [u32; 4],
        active: [u32; 4],
    }

    /// `__x86_get_cpuid_feature_leaf`: never null; an unknown index gives zeros.
    type LeafFn = unsafe extern "C" fn(index: u32) -> *const CpuidFeature;

    extern "C" {
        fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    }

    /// glibc's `CPUID_INDEX_*` numbers of the leaves used here.
    const INDEX_1: u32 = 0;
    const INDEX_7: u32 = 1;
    const INDEX_80000001: u32 = 2;
    const INDEX_7_ECX_1: u32 = 6;
    const EAX: usize = 0;
    const EBX: usize = 1;
    const ECX: usize = 2;
    const EDX: usize = 3;

    /// Each Cranelift x64 setting `cranelift_native` enables, with the usable-feature bit
    /// (glibc leaf index, register, bit) that `std`'s detection of the same feature reads.
    const FLAGS: [(&str, u32, usize, u32); 19] = [
        ("has_cmpxchg16b", INDEX_1, ECX, 13),
        ("has_sse3", INDEX_1, ECX, 0),
        ("has_ssse3", INDEX_1, ECX, 9),
        ("has_sse41", INDEX_1, ECX, 19),
        ("has_sse42", INDEX_1, ECX, 20),
        ("has_popcnt", INDEX_1, ECX, 23),
        ("has_avx", INDEX_1, ECX, 28),
        ("has_avx2", INDEX_7, EBX, 5),
        ("has_fma", INDEX_1, ECX, 12),
        ("has_avx_vnni", INDEX_7_ECX_1, EAX, 4),
        ("has_avx512vnni", INDEX_7, ECX, 11),
        ("has_bmi1", INDEX_7, EBX, 3),
        ("has_bmi2", INDEX_7, EBX, 8),
        ("has_avx512bitalg", INDEX_7, ECX, 12),
        ("has_avx512dq", INDEX_7, EBX, 17),
        ("has_avx512f", INDEX_7, EBX, 16),
        ("has_avx512vl", INDEX_7, EBX, 31),
        ("has_avx512vbmi", INDEX_7, ECX, 1),
        ("has_lzcnt", INDEX_80000001, ECX, 5),
    ];

    /// glibc's feature table.
    pub(super) struct Leaves(LeafFn);

    impl Leaves {
        /// The table, if this glibc exports it and reports SSE2 usable (always so on
        /// x86-64; anything else means the table cannot be trusted).
        pub(super) fn get() -> Option<Leaves> {
            // SAFETY: `dlsym` with `RTLD_DEFAULT` (null) and a NUL-terminated name only
            // looks the symbol up; it returns null when it is absent.
            let f = unsafe {
                dlsym(
                    std::ptr::null_mut(),
                    c"__x86_get_cpuid_feature_leaf".as_ptr(),
                )
            };
            if f.is_null() {
                return None;
            }
            // SAFETY: glibc declares the symbol with exactly this signature.
            let leaves = Leaves(unsafe { std::mem::transmute::<*mut c_void, LeafFn>(f) });
            leaves.active(INDEX_1, EDX, 26).then_some(leaves)
        }

        /// Whether bit `bit` of register `reg` of leaf `index` is a usable feature.
        fn active(&self, index: u32, reg: usize, bit: u32) -> bool {
            // SAFETY: the function returns a pointer into glibc's static, initialised
            // feature table (a zeroed entry for an index it does not know).
            let leaf = unsafe { &*(self.0)(index) };
            leaf.active[reg] & (1 << bit) != 0
        }

        /// The Cranelift settings to enable on this CPU.
        pub(super) fn cranelift_flags(&self) -> impl Iterator<Item = &'static str> + '_ {
            FLAGS
                .iter()
                .filter(|&&(_, index, reg, bit)| self.active(index, reg, bit))
                .map(|&(name, ..)| name)
        }
    }
}

// The System V function `EntryFn` that calls compiled code: saves every register the
// System V convention preserves (compiled code, in the `winch` convention, preserves
// none), keeps the stack 16-byte aligned, and calls `code` (its fifth argument, in `r8`)
// with the first four arguments still in `rdi`, `rsi`, `rdx`, `rcx`; the result stays in
// `rax`.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
std::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl ruff_jit_entry_trampoline",
    ".hidden ruff_jit_entry_trampoline",
    ".type ruff_jit_entry_trampoline, @function",
    "ruff_jit_entry_trampoline:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    // Return address plus six pushes: 8 bytes short of the 16-byte call alignment.
    "sub rsp, 8",
    "call r8",
    "add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".size ruff_jit_entry_trampoline, . - ruff_jit_entry_trampoline",
);

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
extern "C" {
    fn ruff_jit_entry_trampoline(
        vm: *mut u8,
        frame: *mut u64,
        rem: u64,
        top: u64,
        code: usize,
    ) -> u64;
}

/// The hand-written entry trampoline, where there is one (otherwise the backend compiles
/// it with Cranelift).
pub(super) fn entry_trampoline() -> Option<super::EntryFn> {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        Some(ruff_jit_entry_trampoline)
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    /// The features read from glibc's table give exactly the settings
    /// `cranelift_native` infers with `cpuid`, so the generated code is the same.
    #[test]
    fn native_flags_match_cranelift_native() {
        let shared =
            || cranelift_codegen::settings::Flags::new(cranelift_codegen::settings::builder());
        let ours = super::native_builder().unwrap().finish(shared()).unwrap();
        let theirs = cranelift_native::builder()
            .unwrap()
            .finish(shared())
            .unwrap();
        let show = |isa: &dyn cranelift_codegen::isa::TargetIsa| {
            isa.isa_flags()
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&*ours), show(&*theirs));
    }
}
