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

use super::dataflow::{self, Forward};
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

/// The assignment analysis of `analyze` (for `dataflow`): per candidate, assigned on
/// every path (`.0`) and on some path (`.1`).
struct Assigned<'a> {
    cands: &'a [u16],
}

impl Forward for Assigned<'_> {
    type State = (Vec<bool>, Vec<bool>);

    fn step(&self, _: usize, op: &Op, st: &mut Self::State) -> Option<Self::State> {
        if let Op::SetGlobal { slot, .. } = *op {
            if let Some(i) = self.cands.iter().position(|&s| s == slot.0) {
                st.0[i] = true;
                st.1[i] = true;
            }
        }
        None
    }

    fn join(&self, _: usize, _: u8, old: &Self::State, new: &Self::State) -> Self::State {
        let must = old.0.iter().zip(&new.0).map(|(a, b)| *a && *b).collect();
        let may = old.1.iter().zip(&new.1).map(|(a, b)| *a || *b).collect();
        (must, may)
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
    // Forward dataflow: which candidates are assigned on every path (`must`) and on
    // some path (`may`) at entry to each instruction.
    let flow = Assigned { cands: &cands };
    // (No handler state: a body with `try` regions promotes nothing.)
    let sol = dataflow::solve(
        &flow,
        proto,
        (vec![false; k], vec![false; k]),
        (vec![], vec![]),
    );
    let mut must: Vec<Option<Vec<bool>>> = vec![None; n + 1];
    let mut ok = vec![true; k];
    let mut check = |pc: usize, (m, y): &(Vec<bool>, Vec<bool>)| {
        for i in 0..k {
            // Assigned on some paths only, or read where it may be unassigned.
            let read = matches!(proto.code.get(pc), Some(Op::GetGlobal { slot, .. }) if slot.0 == cands[i]);
            if m[i] != y[i] || (read && !m[i]) {
                ok[i] = false;
            }
        }
        must[pc] = Some(m.clone());
    };
    sol.replay(&flow, proto, &mut check, |_, _| {});
    if let Some(end) = sol.at_leader(n) {
        check(n, end);
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
