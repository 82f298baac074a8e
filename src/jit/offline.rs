//! Translation and code generation without a VM: `ruff dump --ir`, and the in-process
//! compile-time benchmark (`benches/micro.rs`). Run-time addresses (VM state, globals,
//! constants) are placeholders, so the code made here is measured or printed, never run.

use super::{isa, jit_signature, raw, translate};
use crate::bytecode::{Const, Program, Proto};
use crate::value::Value;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{
    ExtFuncData, ExternalName, FuncRef, Function, Signature, UserExternalName, UserFuncName,
};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use std::rc::Rc;

/// A reference in `func` to the function named `(namespace, index)` with `sig`.
fn import(func: &mut Function, namespace: u32, index: u32, sig: Signature) -> FuncRef {
    let signature = func.import_signature(sig);
    let name = func.declare_imported_user_function(UserExternalName { namespace, index });
    func.import_function(ExtFuncData {
        name: ExternalName::user(name),
        signature,
        colocated: true,
        patchable: false,
    })
}

/// A constant as compiled code sees it, without a heap: ints that fit inline and
/// floats as themselves (the translator decides type tests on them, `arith::Cond`),
/// strings and big ints as a placeholder object reference, which the translator treats
/// as the heap values they stand for.
fn placeholder_const(c: &Const) -> Value {
    let object = Value::obj(std::ptr::null());
    match c {
        Const::Int(i) => Value::inline_int(*i).unwrap_or(object),
        Const::Float(f) => Value::float(*f),
        Const::Str(_) => object,
    }
}

/// Translates `proto` into new Cranelift functions with placeholder addresses: the
/// function, or for a raw function (`jit::raw`, judged against all of `protos`, indexed
/// by id) its raw body (namespace 1) and its wrapper, as they are compiled at run time.
fn translate_detached(
    isa: &dyn TargetIsa,
    fctx: &mut FunctionBuilderContext,
    protos: &[Rc<Proto>],
    proto: &Proto,
) -> Result<Vec<Function>, String> {
    let ptr_ty = isa.pointer_type();
    let consts: Vec<Value> = proto.consts.iter().map(placeholder_const).collect();
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
    let plan = raw::plan_for(protos, proto);
    let mut ics = Vec::new();
    let mut funcs = Vec::new();
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, proto.id), jit_signature(ptr_ty));
    let r = match &plan {
        Some(plan) => {
            let rsig = translate::raw_signature(ptr_ty, proto.nparams as usize);
            let mut body =
                Function::with_name_signature(UserFuncName::user(1, proto.id), rsig.clone());
            let me = import(&mut body, 1, proto.id, rsig.clone());
            let raw_body = translate::RawBody { plan, body: me };
            let r = translate::translate(
                &mut body,
                fctx,
                proto,
                &env,
                None,
                translate::SelfCall::Raw(raw_body),
                &mut ics,
            );
            funcs.push(body);
            let callee = import(&mut func, 1, proto.id, rsig);
            translate::translate_wrapper(&mut func, fctx, proto, &env, callee);
            r
        }
        None => translate::translate(
            &mut func,
            fctx,
            proto,
            &env,
            None,
            translate::SelfCall::None,
            &mut ics,
        ),
    };
    for c in ics {
        // SAFETY: made by `Box::into_raw` in the translator; this code is never run, so
        // nothing else refers to the cell.
        drop(unsafe { Box::from_raw(c) });
    }
    funcs.push(func);
    r.map(|()| funcs)
}

/// Every proto of `program`, indexed by id (`raw::plan_for` needs them all).
fn by_id(program: &Program) -> Vec<Rc<Proto>> {
    let mut all = program.main.walk();
    all.sort_by_key(|p| p.id);
    all
}

/// The Cranelift IR of every function of `program` (for `ruff dump --ir`). Addresses
/// of run-time data are shown as placeholders (no VM exists).
pub fn dump_ir(program: &Program) -> Result<String, String> {
    let isa = isa()?;
    let mut fctx = FunctionBuilderContext::new();
    let mut out = String::new();
    let protos = by_id(program);
    for proto in program.main.walk() {
        let funcs = translate_detached(&*isa, &mut fctx, &protos, &proto)?;
        for (i, func) in funcs.iter().enumerate() {
            let what = match (funcs.len(), i) {
                (1, _) => "",
                (_, 0) => ", raw body",
                _ => ", raw wrapper",
            };
            out.push_str(&format!(
                "; function {} (proto #{}{what})\n",
                proto.name, proto.id
            ));
            out.push_str(&func.display().to_string());
            out.push('\n');
        }
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
    let protos = by_id(program);
    for proto in program.main.walk() {
        for func in translate_detached(&*isa, &mut fctx, &protos, &proto)? {
            ctx.clear();
            ctx.func = func;
            let code = ctx
                .compile(&*isa, &mut ControlPlane::default())
                .map_err(|e| format!("{:?}", e.inner))?;
            bytes += code.code_buffer().len();
        }
        count += 1;
    }
    Ok((count, bytes))
}
