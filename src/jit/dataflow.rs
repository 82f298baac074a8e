//! The forward dataflow solver behind the JIT's analyses of a proto (`ranges`, the
//! bound facts of `int_types`, `globals`): one state per basic-block entry, iterated
//! until nothing changes.
//!
//! Blocks are the spans between `liveness::leaders`. A block is walked again whenever
//! its entry state changes; inside a block the state is updated in place, so an
//! analysis costs one state per block, not one per instruction. A `try` handler is
//! entered from anywhere in its region, so its entry state is fixed (the analysis says
//! what it is) and no edge joins into it. The end of the code (pc `code.len()`) has a
//! state too, joined from the edges that reach it.

use super::liveness;
use crate::bytecode::{Op, Proto};

/// One forward analysis.
pub(crate) trait Forward {
    /// What is known at a program point.
    type State: Clone + PartialEq;

    /// Updates `st` past instruction `op` at `pc` to the state on its fall-through
    /// side; returns the state on its jump side when that differs (a compare-and-branch
    /// falls through when the comparison holds).
    fn step(&self, pc: usize, op: &Op, st: &mut Self::State) -> Option<Self::State>;

    /// The entry state of block `pc` once `new` arrives where `old` was known; the
    /// entry has changed `changes` times so far (an analysis that widens counts them).
    fn join(&self, pc: usize, changes: u8, old: &Self::State, new: &Self::State) -> Self::State;
}

/// The fixed point: the entry state of every block some path reaches.
pub(crate) struct Solution<S> {
    /// Per pc (and the end): the entry state, at reached block leaders only.
    entry: Vec<Option<S>>,
    leader: Vec<bool>,
}

/// Solves `a` over `proto`, from `start` at pc 0 and `handler` at each handler entry.
pub(crate) fn solve<A: Forward>(
    a: &A,
    proto: &Proto,
    start: A::State,
    handler: A::State,
) -> Solution<A::State> {
    let n = proto.code.len();
    let leader = liveness::leaders(proto);
    let handlers: Vec<usize> = proto
        .handlers
        .iter()
        .map(|h| (h.handler.0 as usize).min(n))
        .collect();
    let mut sol = Solution {
        entry: vec![None; n + 1],
        leader,
    };
    let mut changes = vec![0u8; n + 1];
    let mut dirty = vec![false; n + 1];
    sol.entry[0] = Some(start);
    dirty[0] = true;
    for &h in &handlers {
        sol.entry[h] = Some(handler.clone());
        dirty[h] = true;
    }
    // Joins `new` into the entry of block `s`; true when that changed it.
    let mut flow = |entry: &mut [Option<A::State>], s: usize, new: A::State| {
        if handlers.contains(&s) {
            return false;
        }
        let next = match &entry[s] {
            None => new,
            Some(old) => a.join(s, changes[s], old, &new),
        };
        if entry[s].as_ref() == Some(&next) {
            return false;
        }
        entry[s] = Some(next);
        changes[s] = changes[s].saturating_add(1);
        true
    };
    let mut any = true;
    while any {
        any = false;
        for b in 0..n {
            if !std::mem::take(&mut dirty[b]) {
                continue;
            }
            let Some(mut st) = sol.entry[b].clone() else {
                continue;
            };
            let mut pc = b;
            loop {
                let op = &proto.code[pc];
                let jump = a.step(pc, op, &mut st);
                let (next, target) = liveness::successors(op, pc, n);
                if let Some(t) = target {
                    let js = jump.unwrap_or_else(|| st.clone());
                    if flow(&mut sol.entry, t, js) {
                        dirty[t] = true;
                        any = true;
                    }
                }
                match next {
                    Some(p) if p < n && !sol.leader[p] => pc = p,
                    Some(p) => {
                        if flow(&mut sol.entry, p, st) {
                            dirty[p] = true;
                            any = true;
                        }
                        break;
                    }
                    None => break,
                }
            }
        }
    }
    sol
}

impl<S: Clone> Solution<S> {
    /// The entry state of `pc` when it starts a reached block (`pc` may be the end).
    pub(crate) fn at_leader(&self, pc: usize) -> Option<&S> {
        self.entry.get(pc)?.as_ref()
    }

    /// Walks every reached block once more with the solved states: `before(pc, st)`
    /// sees the state on entry to each instruction, `after(pc, st)` the state on its
    /// fall-through side.
    pub(crate) fn replay<A: Forward<State = S>>(
        &self,
        a: &A,
        proto: &Proto,
        mut before: impl FnMut(usize, &S),
        mut after: impl FnMut(usize, &S),
    ) {
        let n = proto.code.len();
        for start in (0..n).filter(|&pc| self.leader[pc]) {
            let Some(mut st) = self.entry[start].clone() else {
                continue;
            };
            let mut pc = start;
            loop {
                before(pc, &st);
                let op = &proto.code[pc];
                a.step(pc, op, &mut st);
                after(pc, &st);
                match liveness::successors(op, pc, n).0 {
                    Some(p) if p < n && !self.leader[p] => pc = p,
                    _ => break,
                }
            }
        }
    }
}
