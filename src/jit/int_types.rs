//! Static int typing of registers: which registers of a proto always hold an int, so
//! the translator can keep them unboxed (a raw `i64`) in their Cranelift variables.
//!
//! An optimistic fixpoint: every register starts as a candidate; a register stays INT
//! only when each instruction that writes it produces an int whenever its INT inputs
//! are ints (`LoadI`, int constants, `Add`/`Sub`/`Mul`/`Div`/`Mod`/`AddI`/`SubI`/`Neg`
//! of INT registers, `Move` from an INT register). Such an operation either yields an
//! int or raises (overflow, division by zero), so the claim holds on every path.
//! Parameters, registers read before written on some path (live at entry), handler
//! error registers and registers with any other kind of write are not INT.

use super::liveness::{self, Liveness};
use crate::bytecode::{Const, Op, Proto};

/// What a write produces, as far as the typing is concerned.
enum Def {
    /// Always an int.
    Int,
    /// An int when these registers are INT.
    IntIf(u16, Option<u16>),
    /// Anything.
    Any,
}

/// The int constant `k` of `proto`, if it is one.
pub(crate) fn int_const(proto: &Proto, k: u16) -> Option<i64> {
    match proto.consts.get(k as usize) {
        Some(Const::Int(i)) => Some(*i),
        _ => None,
    }
}

/// What instruction `op` writes into its destination.
fn def_of(proto: &Proto, op: &Op) -> Def {
    match *op {
        Op::LoadI { .. } => Def::Int,
        Op::LoadK { k, .. } if int_const(proto, k.0).is_some() => Def::Int,
        Op::Add { a, b, .. }
        | Op::Sub { a, b, .. }
        | Op::Mul { a, b, .. }
        | Op::Div { a, b, .. }
        | Op::Mod { a, b, .. } => Def::IntIf(a.0, Some(b.0)),
        Op::AddI { a, .. } | Op::SubI { a, .. } => Def::IntIf(a.0, None),
        Op::Neg { src, .. } | Op::Move { src, .. } => Def::IntIf(src.0, None),
        _ => Def::Any,
    }
}

/// Per register: true when it is INT (always holds an int where it is live).
pub(crate) fn analyze(proto: &Proto, live: &Liveness) -> Vec<bool> {
    let nregs = proto.nregs as usize;
    let mut int: Vec<bool> = (0..nregs)
        .map(|r| r >= proto.nparams as usize && !live.live_in.first().is_some_and(|s| s.has(r)))
        .collect();
    let kill = |int: &mut Vec<bool>, r: u16| {
        if let Some(x) = int.get_mut(r as usize) {
            *x = false;
        }
    };
    for h in &proto.handlers {
        if let Some(r) = h.err_reg {
            kill(&mut int, r.0);
        }
    }
    // Writes of unknown type, and the conditional ones for the fixpoint.
    let mut conds: Vec<(u16, u16, Option<u16>)> = Vec::new();
    for (pc, op) in proto.code.iter().enumerate() {
        match def_of(proto, op) {
            Def::Int => {}
            Def::IntIf(a, b) => {
                if let Some(d) = op.dest() {
                    conds.push((d.0, a, b));
                }
            }
            Def::Any => {
                for r in liveness::helper_writes(op) {
                    kill(&mut int, r);
                }
                // A callee's window overwrites the slots above `base`; any of them
                // live after the call is reloaded from there.
                if let Op::Call { base, .. } = *op {
                    for r in base.0 as usize + 1..nregs {
                        if live.live_out[pc].has(r) {
                            kill(&mut int, r as u16);
                        }
                    }
                }
            }
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for &(d, a, b) in &conds {
            let ok = |r: u16| int.get(r as usize).copied().unwrap_or(false);
            if ok(d) && !(ok(a) && b.is_none_or(ok)) {
                int[d as usize] = false;
                changed = true;
            }
        }
    }
    int
}
