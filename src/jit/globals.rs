//! Which globals the script body can keep in registers while it runs compiled (the
//! top-level loop case, e.g. `mut i := 0` then `while i < n { i += 1 }`).
//!
//! A global qualifies when it is used inside a loop of the script body (at most
//! `MAX_PROMOTED` of them) (proto 0, which runs once, with
//! every global undefined at its start), no other function assigns it (so its memory
//! slot changes only through the body's own stores), the body has no `try` regions,
//! and at every instruction the global is either assigned on every path from the entry
//! or on none (so its memory slot is exactly "the register, boxed" or `UNDEFINED`), and
//! every read of it is on the assigned side. The translator writes such globals back
//! to their slots before every helper, call and return (see `translate::spill`), so
//! callees, helpers and the GC see exactly what the interpreter would have stored.

use super::liveness;
use crate::bytecode::{Op, Proto};

/// The most globals one proto keeps in registers.
const MAX_PROMOTED: usize = 8;

/// The analysis result for one proto.
pub(crate) struct Promoted {
    /// The global slots kept in registers (virtual register `nregs + k` holds `slots[k]`).
    pub slots: Vec<u16>,
    /// Per pc, per promoted global: assigned on entry to that instruction.
    pub assigned: Vec<Vec<bool>>,
}

impl Promoted {
    pub(crate) fn none(n: usize) -> Promoted {
        Promoted {
            slots: Vec::new(),
            assigned: vec![Vec::new(); n + 1],
        }
    }

    /// Index of global `slot` among the promoted ones.
    pub(crate) fn index(&self, slot: u16) -> Option<usize> {
        self.slots.iter().position(|&s| s == slot)
    }
}

/// True when some proto other than `root` itself, in `root`'s tree, assigns `slot`.
fn assigned_elsewhere(root: &Proto, slot: u16) -> bool {
    let mut stack: Vec<&Proto> = root.children.iter().map(|c| &**c).collect();
    while let Some(p) = stack.pop() {
        if p.code
            .iter()
            .any(|op| matches!(*op, Op::SetGlobal { slot: s, .. } if s.0 == slot))
        {
            return true;
        }
        stack.extend(p.children.iter().map(|c| &**c));
    }
    false
}

/// The globals of `proto` that can live in registers (none unless it is the script body).
pub(crate) fn analyze(proto: &Proto) -> Promoted {
    let n = proto.code.len();
    if proto.id != 0 || !proto.handlers.is_empty() {
        return Promoted::none(n);
    }
    // Globals used inside loops (between a `Loop` and its header), at most
    // `MAX_PROMOTED`: each costs a store at every helper and call.
    let mut in_loop = vec![false; n];
    for (pc, op) in proto.code.iter().enumerate() {
        if let Op::Loop { target } = *op {
            for x in in_loop.iter_mut().take(pc + 1).skip(target.0 as usize) {
                *x = true;
            }
        }
    }
    let mut cands: Vec<u16> = Vec::new();
    for (pc, op) in proto.code.iter().enumerate() {
        if let Op::GetGlobal { slot, .. } | Op::SetGlobal { slot, .. } = *op {
            if in_loop[pc]
                && cands.len() < MAX_PROMOTED
                && !cands.contains(&slot.0)
                && !assigned_elsewhere(proto, slot.0)
            {
                cands.push(slot.0);
            }
        }
    }
    if cands.is_empty() {
        return Promoted::none(n);
    }
    let k = cands.len();
    // Forward dataflow: `must` (assigned on every path) and `may` (on some path) at
    // entry to each instruction; unreachable instructions stay at the optimistic start.
    let mut must: Vec<Option<Vec<bool>>> = vec![None; n + 1];
    let mut may: Vec<Vec<bool>> = vec![vec![false; k]; n + 1];
    must[0] = Some(vec![false; k]);
    let mut changed = true;
    while changed {
        changed = false;
        for pc in 0..n {
            let Some(mut out_must) = must[pc].clone() else {
                continue;
            };
            let mut out_may = may[pc].clone();
            if let Op::SetGlobal { slot, .. } = proto.code[pc] {
                if let Some(i) = cands.iter().position(|&s| s == slot.0) {
                    out_must[i] = true;
                    out_may[i] = true;
                }
            }
            let (fall, target) = liveness::successors(&proto.code[pc], pc, n);
            for s in fall.into_iter().chain(target) {
                let m = match &must[s] {
                    None => out_must.clone(),
                    Some(cur) => cur.iter().zip(&out_must).map(|(a, b)| *a && *b).collect(),
                };
                if must[s].as_ref() != Some(&m) {
                    must[s] = Some(m);
                    changed = true;
                }
                let y: Vec<bool> = may[s].iter().zip(&out_may).map(|(a, b)| *a || *b).collect();
                if y != may[s] {
                    may[s] = y;
                    changed = true;
                }
            }
        }
    }
    let mut ok = vec![true; k];
    for pc in 0..=n {
        let Some(m) = &must[pc] else { continue };
        for i in 0..k {
            if m[i] != may[pc][i] {
                ok[i] = false;
            }
        }
        if pc < n {
            if let Op::GetGlobal { slot, .. } = proto.code[pc] {
                if let Some(i) = cands.iter().position(|&s| s == slot.0) {
                    if !m[i] {
                        ok[i] = false;
                    }
                }
            }
        }
    }
    let keep: Vec<usize> = (0..k).filter(|&i| ok[i]).collect();
    Promoted {
        slots: keep.iter().map(|&i| cands[i]).collect(),
        assigned: (0..=n)
            .map(|pc| {
                let m = must[pc].clone().unwrap_or_else(|| vec![false; k]);
                keep.iter().map(|&i| m[i]).collect()
            })
            .collect(),
    }
}
