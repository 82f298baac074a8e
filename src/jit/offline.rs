//! Translation and code generation without a VM: `ruff dump --ir`, and the in-process
//! compile-time benchmark (`benches/micro.rs`). Run-time addresses (VM state, globals,
//! constants) are placeholders, so the code made here is measured or printed, never run.

use super::{isa, jit_signature, translate};
use crate::bytecode::{Program, Proto};
use crate::value::Value;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{Function, UserFuncName};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;

/// Translates `proto` into a new Cranelift function with placeholder addresses.
fn translate_detached(
    isa: &dyn TargetIsa,
    fctx: &mut FunctionBuilderContext,
    proto: &Proto,
) -> Result<Function, String> {
    let ptr_ty = isa.pointer_type();
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, proto.id), jit_signature(ptr_ty));
    let consts = vec![Value::NULL; proto.consts.len()];
    let env = translate::Env {
        state: 0,
        sp_limit: 0,
        stack_end: 0,
        globals: 0,
        nglobals: 0,
        consts: &consts,
        proto: 0,
        ptr_ty,
        frontend: isa.frontend_config(),
        osr_ints: 0,
    };
    let mut ics = Vec::new();
    let r = translate::translate(
        &mut func,
        fctx,
        proto,
        &env,
        None,
        translate::SelfCall::None,
        &mut ics,
    );
    for c in ics {
        // SAFETY: made by `Box::into_raw` in the translator; this code is never run, so
        // nothing else refers to the cell.
        drop(unsafe { Box::from_raw(c) });
    }
    r.map(|()| func)
}

/// The Cranelift IR of every function of `program` (for `ruff dump --ir`). Addresses
/// of run-time data are shown as placeholders (no VM exists).
pub fn dump_ir(program: &Program) -> Result<String, String> {
    let isa = isa()?;
    let mut fctx = FunctionBuilderContext::new();
    let mut out = String::new();
    for proto in program.main.walk() {
        let func = translate_detached(&*isa, &mut fctx, &proto)?;
        out.push_str(&format!(
            "; function {} (proto #{})\n",
            proto.name, proto.id
        ));
        out.push_str(&func.display().to_string());
        out.push('\n');
    }
    Ok(out)
}

/// Translates every function of `program` and generates its machine code with the
/// JIT's settings, as a compilation at run time does (without linking it into memory).
/// Returns the number of functions and the total bytes of machine code.
pub fn codegen_all(program: &Program) -> Result<(usize, usize), String> {
    let isa = isa()?;
    let mut fctx = FunctionBuilderContext::new();
    let mut ctx = Context::new();
    let (mut count, mut bytes) = (0, 0);
    for proto in program.main.walk() {
        ctx.clear();
        ctx.func = translate_detached(&*isa, &mut fctx, &proto)?;
        let code = ctx
            .compile(&*isa, &mut ControlPlane::default())
            .map_err(|e| format!("{:?}", e.inner))?;
        bytes += code.code_buffer().len();
        count += 1;
    }
    Ok((count, bytes))
}
