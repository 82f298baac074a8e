//! Raw functions: which functions get a second, unboxed calling convention, and the
//! typing of their body (see docs/JIT.md, "Raw functions").
//!
//! A function qualifies when it calls itself through a global that provably always
//! holds a closure of it, and its parameters and every returned value are ints once
//! those self-calls are assumed to return ints. It is then compiled as two functions:
//! a raw body `fn(frame, rem, top, a0, .., ak) -> i64` that takes and returns raw
//! `i64`s, and a small wrapper with the ordinary ABI that checks and unboxes the
//! arguments, calls the body, and boxes the result. The body's self-calls call the
//! body directly, with no tag checks, boxing, frame stores or callee check.
//!
//! The assumption is sound by induction on the recursion: the innermost call makes no
//! self-call, so every value it returns is typed INT without the assumption; each outer
//! call returns an INT given that its self-calls did. An error is not a value: the body
//! returns `MARK` with `JitState::raised` set.

use super::int_types::{self, IntTypes};
use super::liveness::{self, Liveness};
use crate::bytecode::{CmpOp, Op, Proto};
use std::rc::Rc;

/// The most parameters a raw body takes (they are passed in machine registers).
const MAX_PARAMS: u16 = 4;

/// What a raw body returns when it raised (with `JitState::raised` set); an int result
/// equal to it has `raised` clear.
pub(crate) const MARK: i64 = i64::MIN;

/// How to compile a raw function.
pub(crate) struct Plan {
    /// The self-calls that call the raw body (their result is INT).
    pub calls: Vec<usize>,
    /// The typing of the body (parameters INT, those calls' results INT).
    pub types: IntTypes,
    /// The base case the body starts with, inlined at those calls.
    pub leaf: Option<Leaf>,
    /// The `GetGlobal`s of those calls' callee that nothing else reads: not emitted.
    pub unused_loads: Vec<usize>,
    /// No garbage collection can happen while the body runs (`gc_free`).
    pub gc_free: bool,
}

/// A base case at the very start of a raw body, `if !(param op imm) { jump } return v`
/// with `v` a parameter or an int constant (`if n < 2 { return n }`). A raw self-call
/// whose arguments satisfy the test, and whose callee would pass its entry checks,
/// takes `v` without calling: half the calls of a binary recursion.
pub(crate) struct Leaf {
    pub param: u16,
    pub op: CmpOp,
    pub imm: i16,
    pub value: LeafValue,
}

/// What a base case returns.
pub(crate) enum LeafValue {
    Param(u16),
    Const(i64),
}

/// True when no garbage collection can happen while a raw body runs: every
/// instruction is int arithmetic or comparison on INT operands (whose only helper
/// call raises an overflow, which allocates the error but never collects: only the
/// interpreter and the helpers' safe points collect), a constant, a move, a jump, a
/// return, a raw self-call (to a body of the same kind) or a load it leaves out. Such a
/// body needs no null-filled window and no GC bound of its own: nothing scans the
/// window while it runs, and it stores only valid values there.
fn gc_free(proto: &Proto, t: &IntTypes, calls: &[usize], unused_loads: &[usize]) -> bool {
    let int = |pc: usize, r: crate::bytecode::Reg| t.use_int(pc, r.0);
    proto.code.iter().enumerate().all(|(pc, op)| match *op {
        Op::JmpCmpI { a, .. } | Op::AddI { a, .. } | Op::SubI { a, .. } => int(pc, a),
        Op::JmpCmp { a, b, .. }
        | Op::Add { a, b, .. }
        | Op::Sub { a, b, .. }
        | Op::Mul { a, b, .. } => int(pc, a) && int(pc, b),
        Op::Move { src, .. } | Op::Return { src } => int(pc, src),
        Op::LoadI { .. } | Op::Jmp { .. } | Op::Loop { .. } => true,
        Op::Call { .. } => calls.contains(&pc),
        Op::GetGlobal { .. } => unused_loads.contains(&pc),
        _ => false,
    })
}

/// The base case `proto` starts with, if any (see `Leaf`).
fn leaf(proto: &Proto) -> Option<Leaf> {
    let np = proto.nparams;
    let Some(&Op::JmpCmpI { op, a, imm, .. }) = proto.code.first() else {
        return None;
    };
    if a.0 >= np {
        return None;
    }
    let value = match proto.code.get(1..3)? {
        [Op::Return { src }, _] if src.0 < np => LeafValue::Param(src.0),
        [Op::LoadI { dst, value }, Op::Return { src }] if dst == src => {
            LeafValue::Const(i64::from(*value))
        }
        _ => return None,
    };
    Some(Leaf {
        param: a.0,
        op,
        imm,
        value,
    })
}

/// The global slots that only ever hold closures of proto `id` (which has no upvalues,
/// so all its closures behave alike): every `SetGlobal` of such a slot in the program
/// stores the closure of `id` that the instruction just before it made, and no jump
/// lands between the two (the `SetGlobal` is no block leader). While a function of `id` runs, some such pair has run, so
/// the slot holds one of its closures. (This relies on each proto having a single
/// `Closure` site, as the compiler emits; a change that duplicated code, such as a
/// `finally` copied onto several paths, would have to revisit it.)
fn self_globals(protos: &[Rc<Proto>], id: u32) -> Vec<u16> {
    if !protos.get(id as usize).is_some_and(|p| p.upvals.is_empty()) {
        return Vec::new();
    }
    let mut good: Vec<u16> = Vec::new();
    let mut bad: Vec<u16> = Vec::new();
    for p in protos {
        let leaders = liveness::leaders(p);
        for (pc, op) in p.code.iter().enumerate() {
            let Op::SetGlobal { slot, src } = *op else {
                continue;
            };
            let made_here = pc > 0
                && !leaders[pc]
                && matches!(p.code[pc - 1], Op::Closure { dst, proto: idx }
                    if dst == src
                        && p.children.get(idx.0 as usize).is_some_and(|c| c.id == id));
            if made_here {
                good.push(slot.0);
            } else {
                bad.push(slot.0);
            }
        }
    }
    good.retain(|g| !bad.contains(g));
    good.sort_unstable();
    good.dedup();
    good
}

/// Where the callee register `base` of the call at `pc` was loaded, in the same basic
/// block, from one of the globals `selfg`: the load's pc, and whether nothing but the
/// call reads the register after it.
fn loads_self(
    proto: &Proto,
    leaders: &[bool],
    pc: usize,
    base: u16,
    selfg: &[u16],
) -> Option<(usize, bool)> {
    let mut j = pc;
    let mut read = false;
    while j > 0 && !leaders[j] {
        j -= 1;
        let op = &proto.code[j];
        let writes = match *op {
            Op::Call { base: b, .. } => b.0 <= base,
            _ => liveness::helper_writes(op).contains(&base),
        };
        if writes {
            return match *op {
                Op::GetGlobal { dst, slot } if dst.0 == base && selfg.contains(&slot.0) => {
                    Some((j, !read))
                }
                _ => None,
            };
        }
        if op.ends_block() {
            return None;
        }
        read |= liveness::uses(proto, op).contains(&base);
    }
    None
}

/// The plan for compiling `proto`, one of `protos` (all of the program's, indexed by
/// id), as a raw function, if it qualifies (see the module comment). The cheap tests
/// come first: most functions are rejected before the program is scanned or the
/// function's liveness computed.
pub(crate) fn plan_for(protos: &[Rc<Proto>], proto: &Proto) -> Option<Plan> {
    let np = proto.nparams;
    let calls_any = proto.code.iter().any(|op| matches!(op, Op::Call { .. }));
    if proto.id == 0 || np == 0 || np > MAX_PARAMS || !proto.handlers.is_empty() || !calls_any {
        return None;
    }
    let selfg = self_globals(protos, proto.id);
    if selfg.is_empty() {
        return None;
    }
    plan(proto, &liveness::analyze(proto), &selfg)
}

/// `plan_for` once the cheap tests passed: `selfg` are `proto`'s self globals.
fn plan(proto: &Proto, live: &Liveness, selfg: &[u16]) -> Option<Plan> {
    let n = proto.code.len();
    let np = proto.nparams;
    if (0..np).any(|r| live.written.has(r as usize)) {
        return None;
    }
    // Every way out returns a value: no `ReturnNull`, and the end is unreachable.
    let leaders = liveness::leaders(proto);
    let falls_off = proto.code.last().is_none_or(|op| !op.ends_block());
    let jumps_to_end = proto
        .code
        .iter()
        .any(|op| op.target().is_some_and(|t| t.0 as usize >= n));
    if falls_off || jumps_to_end || proto.code.iter().any(|op| matches!(op, Op::ReturnNull)) {
        return None;
    }
    let mut calls: Vec<usize> = (0..n)
        .filter(|&pc| match proto.code[pc] {
            Op::Call { base, nargs } => {
                nargs == np
                    && (base.0 as usize + 1..proto.nregs as usize)
                        .all(|r| !live.live_out[pc].has(r))
                    && loads_self(proto, &leaders, pc, base.0, selfg).is_some()
            }
            _ => false,
        })
        .collect();
    let params: Vec<u16> = (0..np).collect();
    loop {
        if calls.is_empty() {
            return None;
        }
        let types = int_types::analyze(proto, live, &params, &[], &calls);
        let before = calls.len();
        calls.retain(|&pc| match proto.code[pc] {
            Op::Call { base, nargs } => (base.0 + 1..=base.0 + nargs).all(|r| types.use_int(pc, r)),
            _ => false,
        });
        if calls.len() < before {
            continue;
        }
        let returns_int = proto.code.iter().enumerate().all(|(pc, op)| match *op {
            Op::Return { src } => types.use_int(pc, src.0),
            _ => true,
        });
        // The loads of the callee that only the raw calls read are left out.
        let unused_loads: Vec<usize> = calls
            .iter()
            .filter_map(|&pc| match proto.code[pc] {
                Op::Call { base, .. } => match loads_self(proto, &leaders, pc, base.0, selfg) {
                    Some((load, true)) => Some(load),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let gc_free = gc_free(proto, &types, &calls, &unused_loads);
        return returns_int.then(|| Plan {
            calls,
            types,
            leaf: leaf(proto),
            unused_loads,
            gc_free,
        });
    }
}
