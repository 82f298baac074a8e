//! Static int typing of registers: where a register always holds an int, so the
//! translator can keep it unboxed (a raw `i64`) in its Cranelift variable.
//!
//! Registers are typed per web, not per register: a web is one connected live range
//! (the definitions and the points where the register is live that reach each other),
//! so a temporary reused for an int in a loop and for a string elsewhere types as INT
//! in the loop. The typing is an optimistic fixpoint: every web starts INT and stays so
//! only when each instruction writing it produces an int whenever its INT inputs are
//! ints (`LoadI`, int constants, `Add`/`Sub`/`Mul`/`Div`/`Mod`/`AddI`/`SubI`/`Neg` of
//! INT operands, `Move` from an INT operand). Such an operation yields an int or raises
//! (overflow, division by zero), so the claim holds on every path. A web live at the
//! entry (parameters, registers read before written), one holding a handler's error
//! value, and one with any other kind of write (calls, helpers, loads) is not INT.
//! Globals promoted to registers (see `globals`) are typed as whole registers.

use super::dataflow::{self, Forward};
use super::liveness::{self, Liveness, RegSet};
use crate::bytecode::{Const, Op, Proto};

/// What a write produces, as far as the typing is concerned.
enum Def {
    /// Always an int.
    Int,
    /// An int when these operands (registers, or `nregs + k` for global `k`) are INT.
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

/// What instruction `op` writes into its destination (`globals`: the global slots
/// typed as virtual registers `nregs + k`).
fn def_of(proto: &Proto, op: &Op, globals: &[u16]) -> Def {
    match *op {
        Op::GetGlobal { slot, .. } => match globals.iter().position(|&g| g == slot.0) {
            Some(k) => Def::IntIf(proto.nregs + k as u16, None),
            None => Def::Any,
        },
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

/// The typing of one proto.
#[derive(Clone)]
pub(crate) struct IntTypes {
    nregs: usize,
    /// Per pc: registers whose value on entry to the instruction is INT.
    at_use: Vec<RegSet>,
    /// Per pc: registers the instruction writes as INT.
    at_def: Vec<RegSet>,
    /// Per promoted-global candidate: INT.
    pub globals: Vec<bool>,
}

impl IntTypes {
    /// True when `reg` is INT on entry to instruction `pc` (a global: its type).
    pub(crate) fn use_int(&self, pc: usize, reg: u16) -> bool {
        let r = reg as usize;
        if r >= self.nregs {
            return self.globals.get(r - self.nregs).copied().unwrap_or(false);
        }
        self.at_use.get(pc).is_some_and(|s| s.has(r))
    }

    /// True when `reg` is INT anywhere in the function.
    pub(crate) fn ever_int(&self, reg: u16) -> bool {
        let r = reg as usize;
        self.at_use.iter().chain(&self.at_def).any(|s| s.has(r))
    }

    /// True when instruction `pc` writes `reg` as INT.
    pub(crate) fn def_int(&self, pc: usize, reg: u16) -> bool {
        let r = reg as usize;
        if r >= self.nregs {
            return self.globals.get(r - self.nregs).copied().unwrap_or(false);
        }
        self.at_def.get(pc).is_some_and(|s| s.has(r))
    }
}

/// Union-find over web nodes.
struct Webs(Vec<u32>);

impl Webs {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] as usize != x {
            let p = self.0[x] as usize;
            self.0[x] = self.0[p];
            x = p;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a] = b as u32;
        }
    }
}

/// An operand's type query: (webs, web types, global types, pc, register).
type IsInt<'a> = &'a dyn Fn(&mut Webs, &[bool], &[bool], usize, u16) -> bool;

/// The typing fixpoint: drops a conditional write's web (or global) from INT when an
/// operand is not INT, until nothing changes.
fn fixpoint(
    webs: &mut Webs,
    int: &mut [bool],
    gint: &mut [bool],
    conds: &[(usize, usize, u16, Option<u16>)],
    is_int: IsInt,
) {
    let total = int.len();
    let mut changed = true;
    while changed {
        changed = false;
        for &(w, pc, a, b) in conds {
            let cur = if w >= total { gint[w - total] } else { int[w] };
            if !cur {
                continue;
            }
            let ok =
                is_int(webs, int, gint, pc, a) && b.is_none_or(|b| is_int(webs, int, gint, pc, b));
            if !ok {
                if w >= total {
                    gint[w - total] = false;
                } else {
                    int[w] = false;
                }
                changed = true;
            }
        }
    }
}

/// Types `proto`. `assume` lists registers never written whose entry value the
/// caller has checked to be an int (see `translate::versions`); `globals` are the
/// promoted-global candidates (assigned only by `SetGlobal` here and never read
/// before assigned: see `globals`). `int_calls` lists the `Call`s whose result is
/// an int by construction (raw self-calls: see `jit::raw`).
pub(crate) fn analyze(
    proto: &Proto,
    live: &Liveness,
    assume: &[u16],
    globals: &[u16],
    int_calls: &[usize],
) -> IntTypes {
    let n = proto.code.len();
    let nr = proto.nregs as usize;
    // Node ids: L(pc, r) = pc * nr + r (r live on entry to pc), D(pc, r) = (n + 1 + pc)
    // * nr + r (r written by pc).
    let l = |pc: usize, r: usize| pc * nr + r;
    let d = |pc: usize, r: usize| (n + 1 + pc) * nr + r;
    let mut webs = Webs((0..(2 * (n + 1) * nr) as u32).collect());
    let live_in = |pc: usize, r: usize| live.live_in.get(pc).is_some_and(|s| s.has(r));
    // What each instruction writes, and whether the write may not happen (then the old
    // value flows on too).
    let writes: Vec<(Vec<u16>, bool)> = proto
        .code
        .iter()
        .enumerate()
        .map(|(pc, op)| match *op {
            Op::Call { base, .. } => {
                let mut w = vec![base.0];
                for r in base.0 as usize + 1..nr {
                    if live.live_out[pc].has(r) {
                        w.push(r as u16);
                    }
                }
                (w, false)
            }
            Op::IterPrep { .. } | Op::IterNext { .. } => (liveness::helper_writes(op), true),
            _ => (liveness::defs(op), false),
        })
        .collect();
    for (pc, op) in proto.code.iter().enumerate() {
        let (fall, target) = liveness::successors(op, pc, n);
        let succs = fall
            .into_iter()
            .chain(target)
            .map(|s| (s, false))
            .chain(liveness::handlers_at(proto, pc).map(|h| (h, true)));
        let (w, maybe) = &writes[pc];
        for (s, handler) in succs {
            for r in 0..nr {
                if !live_in(s, r) {
                    continue;
                }
                let written = w.contains(&(r as u16));
                if written {
                    webs.union(d(pc, r), l(s, r));
                }
                if (!written || *maybe || handler) && live_in(pc, r) {
                    webs.union(l(pc, r), l(s, r));
                }
            }
        }
    }
    let total = 2 * (n + 1) * nr;
    let mut int = vec![true; total];
    let mut gint = vec![true; globals.len()];
    let kill = |webs: &mut Webs, int: &mut Vec<bool>, node: usize| {
        let w = webs.find(node);
        int[w] = false;
    };
    for r in 0..nr {
        if live_in(0, r) && !assume.contains(&(r as u16)) {
            kill(&mut webs, &mut int, l(0, r));
        }
    }
    for h in &proto.handlers {
        if let Some(r) = h.err_reg {
            let hp = (h.handler.0 as usize).min(n);
            if (r.0 as usize) < nr {
                kill(&mut webs, &mut int, l(hp, r.0 as usize));
            }
        }
    }
    // Conditional writes: (web of the write or `total + k` for global k, operands at pc).
    let mut conds: Vec<(usize, usize, u16, Option<u16>)> = Vec::new();
    for (pc, op) in proto.code.iter().enumerate() {
        if let Op::SetGlobal { slot, src } = *op {
            if let Some(k) = globals.iter().position(|&g| g == slot.0) {
                conds.push((total + k, pc, src.0, None));
            }
        }
        let (def, dest) = match *op {
            Op::Call { base, .. } if int_calls.contains(&pc) => (Def::Int, Some(base)),
            _ => (def_of(proto, op, globals), op.dest()),
        };
        for &r in &writes[pc].0 {
            let r = r as usize;
            if r >= nr {
                continue;
            }
            match (&def, dest) {
                (Def::Int, Some(dst)) if dst.0 as usize == r => {}
                (Def::IntIf(a, b), Some(dst)) if dst.0 as usize == r => {
                    let w = webs.find(d(pc, r));
                    conds.push((w, pc, *a, *b));
                }
                _ => kill(&mut webs, &mut int, d(pc, r)),
            }
        }
    }
    // An operand's type on entry to `pc`.
    let is_int = |webs: &mut Webs, int: &[bool], gint: &[bool], pc: usize, r: u16| {
        let r = r as usize;
        if r >= nr {
            return gint.get(r - nr).copied().unwrap_or(false);
        }
        live_in(pc, r) && int[webs.find(l(pc, r))]
    };
    fixpoint(&mut webs, &mut int, &mut gint, &conds, &is_int);
    let mut at_use = vec![RegSet::new(nr); n + 1];
    let mut at_def = vec![RegSet::new(nr); n + 1];
    for pc in 0..=n {
        for r in 0..nr {
            if live_in(pc, r) && int[webs.find(l(pc, r))] {
                at_use[pc].add(r);
            }
        }
    }
    for (pc, (w, _)) in writes.iter().enumerate() {
        for &r in w {
            let r = r as usize;
            if r < nr && int[webs.find(d(pc, r))] {
                at_def[pc].add(r);
            }
        }
    }
    IntTypes {
        nregs: nr,
        at_use,
        at_def,
        globals: gint,
    }
}

/// Per pc: the INT registers known to be below `i64::MAX` on entry (so `r + 1` cannot
/// overflow): after the taken side of `a < b` (`a`), `b > a` (`a`) or `a < k`/`a <= k`
/// with an immediate `k`, until `a` is written again. Copies (`Move`, and `GetGlobal`/
/// `SetGlobal` of the promoted `globals`, virtual registers `nregs + k`) carry the fact
/// both ways, so a top-level `i < n` bounds the next `i += 1`. A forward
/// must-analysis (an optimistic fixpoint for loops); handler entries know nothing.
pub(crate) fn below_max(proto: &Proto, types: &IntTypes, globals: &[u16]) -> Vec<RegSet> {
    use crate::bytecode::CmpOp;
    bound_facts(proto, globals, |pc, op| match *op {
        Op::JmpCmp {
            op: CmpOp::Lt,
            a,
            b,
            ..
        } if types.use_int(pc, a.0) && types.use_int(pc, b.0) => (Some(a.0 as usize), None),
        Op::JmpCmp {
            op: CmpOp::Gt,
            a,
            b,
            ..
        } if types.use_int(pc, a.0) && types.use_int(pc, b.0) => (Some(b.0 as usize), None),
        Op::JmpCmpI {
            op: CmpOp::Lt | CmpOp::Le,
            a,
            ..
        } if types.use_int(pc, a.0) => (Some(a.0 as usize), None),
        _ => (None, None),
    })
}

/// Per pc: the INT registers known to be at least `i16::MIN` on entry (so subtracting
/// any instruction immediate cannot overflow): after the untaken side of `a < k` or
/// `a <= k`, and the taken side of `a > k` or `a >= k`, with an immediate `k` (so the
/// `n - 1` and `n - 2` after `if n < 2 { return n }` are plain subtractions). The same
/// analysis as `below_max`.
pub(crate) fn above_min(proto: &Proto, types: &IntTypes, globals: &[u16]) -> Vec<RegSet> {
    use crate::bytecode::CmpOp;
    bound_facts(proto, globals, |pc, op| match *op {
        Op::JmpCmpI {
            op: CmpOp::Lt | CmpOp::Le,
            a,
            ..
        } if types.use_int(pc, a.0) => (None, Some(a.0 as usize)),
        Op::JmpCmpI {
            op: CmpOp::Gt | CmpOp::Ge,
            a,
            ..
        } if types.use_int(pc, a.0) => (Some(a.0 as usize), None),
        _ => (None, None),
    })
}

/// The state of `bound_facts`: the facts, and per register (or promoted global) the
/// register it is a copy of.
type Bounds = (RegSet, Vec<Option<usize>>);

/// The forward must-analysis behind `below_max` and `above_min` (for `dataflow`).
struct BoundFlow<'a, G> {
    /// Register or global slot `nregs + k` of promoted global `k`.
    nr: usize,
    globals: &'a [u16],
    /// The registers a conditional jump establishes the fact for on its fall-through
    /// side (the comparison holds) and on its jump side (it does not).
    gen: G,
}

impl<G: Fn(usize, &Op) -> (Option<usize>, Option<usize>)> BoundFlow<'_, G> {
    fn gidx(&self, slot: u16) -> Option<usize> {
        self.globals
            .iter()
            .position(|&g| g == slot)
            .map(|k| self.nr + k)
    }
}

/// Forgets everything about `r` (it is written).
fn clobber(st: &mut Bounds, r: usize) {
    st.0.remove(r);
    st.1[r] = None;
    for c in st.1.iter_mut() {
        if *c == Some(r) {
            *c = None;
        }
    }
}

/// `dst` becomes a copy of `src`.
fn copy(st: &mut Bounds, dst: usize, src: usize) {
    let has = st.0.has(src);
    let mut root = st.1[src].unwrap_or(src);
    if root == dst {
        // `src` was a copy of `dst`, which keeps the same value: `src` is the root now.
        root = src;
    }
    clobber(st, dst);
    if has {
        st.0.add(dst);
    }
    if root != dst {
        st.1[dst] = Some(root);
    }
}

/// The fact for `r`, its root and every copy of either.
fn learn(st: &mut Bounds, r: usize) {
    st.0.add(r);
    if let Some(root) = st.1[r] {
        st.0.add(root);
    }
    for i in 0..st.1.len() {
        if st.1[i] == Some(r) || (st.1[i].is_some() && st.1[i] == st.1[r]) {
            st.0.add(i);
        }
    }
}

impl<G: Fn(usize, &Op) -> (Option<usize>, Option<usize>)> Forward for BoundFlow<'_, G> {
    type State = Bounds;

    fn step(&self, pc: usize, op: &Op, st: &mut Bounds) -> Option<Bounds> {
        match *op {
            Op::Move { dst, src } => copy(st, dst.0 as usize, src.0 as usize),
            Op::GetGlobal { dst, slot } if self.gidx(slot.0).is_some() => {
                copy(st, dst.0 as usize, self.gidx(slot.0).unwrap_or(0))
            }
            Op::SetGlobal { slot, src } if self.gidx(slot.0).is_some() => {
                copy(st, self.gidx(slot.0).unwrap_or(0), src.0 as usize)
            }
            _ => {
                for r in liveness::helper_writes(op) {
                    clobber(st, r as usize);
                }
                if let Op::Call { base, .. } = *op {
                    for r in base.0 as usize..self.nr {
                        clobber(st, r);
                    }
                }
            }
        }
        // `JmpCmp`/`JmpCmpI` fall through when the comparison holds.
        let (on_fall, on_jump) = (self.gen)(pc, op);
        if on_fall.is_none() && on_jump.is_none() {
            return None;
        }
        let mut jump = st.clone();
        if let Some(r) = on_fall {
            learn(st, r);
        }
        if let Some(r) = on_jump {
            learn(&mut jump, r);
        }
        Some(jump)
    }

    fn join(&self, _: usize, _: u8, old: &Bounds, new: &Bounds) -> Bounds {
        (
            old.0.intersect(&new.0),
            old.1
                .iter()
                .zip(&new.1)
                .map(|(a, b)| if a == b { *a } else { None })
                .collect(),
        )
    }
}

/// The forward must-analysis behind `below_max` and `above_min`: `gen(pc, op)` names
/// the register a conditional jump establishes the fact for on its fall-through side
/// (the comparison holds) and on its jump side (it does not). Handler entries know
/// nothing; unreached instructions know nothing either.
fn bound_facts(
    proto: &Proto,
    globals: &[u16],
    gen: impl Fn(usize, &Op) -> (Option<usize>, Option<usize>),
) -> Vec<RegSet> {
    let n = proto.code.len();
    let nr = proto.nregs as usize;
    let nv = nr + globals.len();
    let flow = BoundFlow { nr, globals, gen };
    let empty = || -> Bounds { (RegSet::new(nv), vec![None; nv]) };
    let sol = dataflow::solve(&flow, proto, empty(), empty());
    let mut facts = vec![RegSet::new(nv); n + 1];
    sol.replay(&flow, proto, |pc, st| facts[pc] = st.0.clone(), |_, _| {});
    if let Some(end) = sol.at_leader(n) {
        facts[n] = end.0.clone();
    }
    facts
}
