//! Loading a `Program`: the bytecode verifier that makes the interpreter's unchecked
//! register access sound, constant loading onto the heap, and the register stack.

use crate::bytecode::{Const, Op, Program, Proto, UpvalSource};
use crate::heap::Heap;
use crate::value::Value;
use std::rc::Rc;

/// A zero-filled stack of `n` values. Zero bits are the float `0.0`, never a heap
/// reference, so untouched slots are harmless to the GC; the memory comes from the
/// zeroed allocator, so untouched pages cost nothing.
pub(super) fn zeroed_stack(n: usize) -> Box<[Value]> {
    let raw: Box<[u64]> = vec![0u64; n].into_boxed_slice();
    // SAFETY: `Value` is `repr(transparent)` over `u64`, so `[u64]` and `[Value]` have the
    // same layout, and every `u64` bit pattern is a valid `Value`.
    unsafe { Box::from_raw(Box::into_raw(raw) as *mut [Value]) }
}

/// Every proto by id, and its constants as heap values.
///
/// Equal string constants are loaded once and shared by every proto (interned), so a
/// dict built from literal keys and a lookup with the same literal compare by pointer.
pub(super) fn load(program: &Program, heap: &mut Heap) -> (Vec<Rc<Proto>>, Vec<Box<[Value]>>) {
    let all = program.main.walk();
    let n = all.iter().map(|p| p.id as usize + 1).max().unwrap_or(1);
    let mut protos: Vec<Option<Rc<Proto>>> = vec![None; n];
    let mut consts: Vec<Box<[Value]>> = vec![Box::new([]); n];
    for p in all {
        let id = p.id as usize;
        consts[id] = p
            .consts
            .iter()
            .map(|c| match c {
                Const::Int(i) => heap.int(*i),
                Const::Float(f) => Value::float(*f),
                Const::Str(s) => heap.intern(s),
            })
            .collect();
        protos[id] = Some(p);
    }
    let main = program.main.clone();
    let protos = protos
        .into_iter()
        .map(|p| p.unwrap_or_else(|| main.clone()))
        .collect();
    (protos, consts)
}

/// Checks the compiler's invariants (documented in `bytecode::op`) on every proto, so
/// that the interpreter may index registers, constants and code without bounds checks.
pub(super) fn verify(program: &Program) -> Result<(), String> {
    let all = program.main.walk();
    let mut seen = vec![false; all.len().max(program.proto_count as usize)];
    for p in &all {
        let id = p.id as usize;
        if id >= seen.len() || seen[id] {
            return Err(format!("bad or duplicate proto id {id}"));
        }
        seen[id] = true;
        verify_proto(p, program.globals.len())?;
    }
    if program.main.nparams != 0 {
        return Err("the script body has parameters".into());
    }
    Ok(())
}

fn verify_proto(p: &Proto, nglobals: usize) -> Result<(), String> {
    let name = &p.name;
    let nregs = p.nregs as usize;
    let ncode = p.code.len();
    let bad = |what: &str, pc: usize| Err(format!("{name}: {what} at pc {pc}"));
    if (p.nparams as usize) > nregs {
        return bad("more parameters than registers", 0);
    }
    if p.spans.len() != ncode {
        return bad("span table length differs from code length", 0);
    }
    if !matches!(
        p.code.last(),
        Some(
            Op::Return { .. }
                | Op::ReturnNull
                | Op::Jmp { .. }
                | Op::Loop { .. }
                | Op::Throw { .. }
        )
    ) {
        return bad("code does not end with a return or jump", ncode);
    }
    for h in &p.handlers {
        if h.start.0 > h.end.0 || h.end.0 as usize > ncode || h.handler.0 as usize >= ncode {
            return bad("bad handler range", h.handler.0 as usize);
        }
        if let Some(r) = h.err_reg {
            if r.0 as usize >= nregs {
                return bad("handler register out of range", h.handler.0 as usize);
            }
        }
    }
    for (pc, op) in p.code.iter().enumerate() {
        let reg_ok = |r: crate::bytecode::Reg| (r.0 as usize) < nregs;
        let span_ok = |start: crate::bytecode::Reg, count: usize| start.0 as usize + count <= nregs;
        let ok = match *op {
            Op::Move { dst, src } => reg_ok(dst) && reg_ok(src),
            Op::LoadK { dst, k } => reg_ok(dst) && (k.0 as usize) < p.consts.len(),
            Op::LoadI { dst, .. }
            | Op::LoadNull { dst }
            | Op::LoadBool { dst, .. }
            | Op::LoadBuiltin { dst, .. } => reg_ok(dst),
            Op::GetGlobal { dst, slot } => reg_ok(dst) && (slot.0 as usize) < nglobals,
            Op::SetGlobal { slot, src } => reg_ok(src) && (slot.0 as usize) < nglobals,
            Op::NewCell { dst, src } => reg_ok(dst) && reg_ok(src),
            Op::GetCell { dst, cell } => reg_ok(dst) && reg_ok(cell),
            Op::SetCell { cell, src } => reg_ok(cell) && reg_ok(src),
            Op::GetUpval { dst, idx } => reg_ok(dst) && (idx.0 as usize) < p.upvals.len(),
            Op::SetUpval { idx, src } => reg_ok(src) && (idx.0 as usize) < p.upvals.len(),
            Op::Closure { dst, proto } => {
                reg_ok(dst)
                    && match p.children.get(proto.0 as usize) {
                        Some(child) => child.upvals.iter().all(|u| match u.source {
                            UpvalSource::ParentReg(r) => reg_ok(r),
                            UpvalSource::ParentUpval(i) => (i.0 as usize) < p.upvals.len(),
                        }),
                        None => false,
                    }
            }
            Op::Add { dst, a, b }
            | Op::Sub { dst, a, b }
            | Op::Mul { dst, a, b }
            | Op::Div { dst, a, b }
            | Op::Mod { dst, a, b }
            | Op::Cmp { dst, a, b, .. } => reg_ok(dst) && reg_ok(a) && reg_ok(b),
            Op::AddI { dst, a, .. } | Op::SubI { dst, a, .. } | Op::CmpI { dst, a, .. } => {
                reg_ok(dst) && reg_ok(a)
            }
            Op::Neg { dst, src } | Op::Not { dst, src } | Op::ToBool { dst, src } => {
                reg_ok(dst) && reg_ok(src)
            }
            Op::Concat { dst, start, count } | Op::NewArray { dst, start, count } => {
                reg_ok(dst) && span_ok(start, count as usize)
            }
            Op::NewDict { dst, start, count } => reg_ok(dst) && span_ok(start, 2 * count as usize),
            Op::Jmp { target } | Op::Loop { target } => (target.0 as usize) < ncode,
            Op::JmpIf { cond, target } | Op::JmpIfNot { cond, target } => {
                reg_ok(cond) && (target.0 as usize) < ncode
            }
            Op::JmpIfNotNull { src, target } => reg_ok(src) && (target.0 as usize) < ncode,
            Op::JmpCmp { a, b, target, .. } => {
                reg_ok(a) && reg_ok(b) && (target.0 as usize) < ncode
            }
            Op::JmpCmpI { a, target, .. } => reg_ok(a) && (target.0 as usize) < ncode,
            Op::GetIndex { dst, obj, key } => reg_ok(dst) && reg_ok(obj) && reg_ok(key),
            Op::SetIndex { obj, key, src } => reg_ok(obj) && reg_ok(key) && reg_ok(src),
            Op::GetField { dst, obj, key } => {
                reg_ok(dst) && reg_ok(obj) && (key.0 as usize) < p.consts.len()
            }
            Op::SetField { obj, key, src } => {
                reg_ok(obj) && reg_ok(src) && (key.0 as usize) < p.consts.len()
            }
            Op::IterPrep { base, src } => span_ok(base, 3) && reg_ok(src),
            Op::IterNext { base, dst, exit } => {
                span_ok(base, 3) && reg_ok(dst) && (exit.0 as usize) < ncode
            }
            Op::Call { base, nargs } => span_ok(base, nargs as usize + 1),
            Op::Return { src } | Op::Throw { src } => reg_ok(src),
            Op::ReturnNull => true,
        };
        if !ok {
            return bad(&format!("operand out of range in {op:?}"), pc);
        }
    }
    Ok(())
}
