//! Int ranges: where a register is known to hold an int that fits an inline int.
//!
//! A forward interval analysis over the bytecode. A register's fact is `Some((lo, hi))`
//! when on every path it holds an int in `lo..=hi`, `None` when nothing is known (it
//! may not even hold an int). Facts come from int constants, from int arithmetic on
//! registers with facts (the result of `+ - * / %` is an int only when both operands
//! are, and an overflow raises instead of producing a value, so saturating bounds are
//! exact), from the parameters a specialised body checked to be inline ints, and from
//! compare-and-branch instructions between two registers with facts (or a register and
//! an immediate), which narrow both on each side. At joins the bounds are hulled; a
//! loop header whose entry state keeps changing widens a growing bound to ±(2^47 - 1)
//! and then to the i64 limit, so every loop reaches a fixed point in a few passes, and
//! a loop counter tested against a constant below 2^47 keeps a bound that fits inline
//! (the test narrows it again in the body).
//!
//! The translator boxes an INT register known to fit with a shift and an or, with no
//! fits-inline test and no cold call to the allocating helper (`Tr::r`, `Tr::spill`);
//! fewer such calls also mean fewer loops that need a collection poll (`translate/poll`).
//! Registers typed INT by `int_types` count as ints (unbounded) for the narrowing.

use super::dataflow::{self, Forward};
use super::int_types::{self, IntTypes};
use super::liveness::{self, RegSet};
use crate::bytecode::{CmpOp, Op, Proto};

/// The smallest and largest inline (48-bit) ints.
const INLINE_MIN: i64 = -(1 << 47);
const INLINE_MAX: i64 = (1 << 47) - 1;

/// Changes of a loop header's entry state after which its growing bounds widen.
const WIDEN_HEADER: u8 = 2;
/// The same for any other block.
const WIDEN_ELSEWHERE: u8 = 32;

/// A register's fact: the int range it holds, if known.
type Fact = Option<(i64, i64)>;

/// Per pc: the registers known to hold an inline int on entry, and whether the int the
/// instruction writes (if any) fits inline.
pub(crate) struct Ranges {
    fits: Vec<RegSet>,
    result_fits: Vec<bool>,
}

impl Ranges {
    /// No facts (a translation that does not compute them).
    pub(crate) fn none() -> Ranges {
        Ranges {
            fits: Vec::new(),
            result_fits: Vec::new(),
        }
    }

    /// Whether `reg` holds an int that fits inline on entry to instruction `pc`.
    pub(crate) fn fits(&self, pc: usize, reg: u16) -> bool {
        self.fits.get(pc).is_some_and(|s| s.has(reg as usize))
    }

    /// Whether the int that instruction `pc` writes to its destination fits inline.
    pub(crate) fn result_fits(&self, pc: usize) -> bool {
        self.result_fits.get(pc).copied().unwrap_or(false)
    }
}

/// Whether a fact says the register holds an inline int.
fn inline(f: Fact) -> bool {
    matches!(f, Some((lo, hi)) if lo >= INLINE_MIN && hi <= INLINE_MAX)
}

/// The analysis for `dataflow`: a fact per register.
struct Flow<'a> {
    proto: &'a Proto,
    types: &'a IntTypes,
    /// Per pc: the changes of its entry state after which growing bounds widen.
    widen_after: Vec<u8>,
}

impl Forward for Flow<'_> {
    type State = Vec<Fact>;

    fn step(&self, pc: usize, op: &Op, st: &mut Vec<Fact>) -> Option<Vec<Fact>> {
        step(self.proto, pc, op, st, self.types)
    }

    fn join(&self, pc: usize, changes: u8, old: &Vec<Fact>, new: &Vec<Fact>) -> Vec<Fact> {
        hull(old, new, changes >= self.widen_after[pc])
    }
}

/// Computes the ranges of `proto` (INT registers `types`), where the registers `seeds`
/// hold inline ints on entry (the checked parameters of a specialised body).
pub(crate) fn analyze(proto: &Proto, types: &IntTypes, seeds: &[u16]) -> Ranges {
    let n = proto.code.len();
    let nr = proto.nregs as usize;
    let mut entry = vec![None; nr];
    for &s in seeds {
        if let Some(f) = entry.get_mut(s as usize) {
            *f = Some((INLINE_MIN, INLINE_MAX));
        }
    }
    // Loop headers (back-edge targets) widen from their third change on; any other
    // block only after many changes (a safety net: every cycle of compiled code has a
    // back edge), so the narrowing inside a loop body survives.
    let mut widen_after = vec![WIDEN_ELSEWHERE; n + 1];
    for op in &proto.code {
        if let Op::Loop { target } = *op {
            if let Some(w) = widen_after.get_mut(target.0 as usize) {
                *w = WIDEN_HEADER;
            }
        }
    }
    let flow = Flow {
        proto,
        types,
        widen_after,
    };
    // A handler is entered from anywhere in its region: nothing is known there.
    let sol = dataflow::solve(&flow, proto, entry, vec![None; nr]);
    let mut fits = vec![RegSet::new(nr); n];
    let mut result_fits = vec![false; n];
    sol.replay(
        &flow,
        proto,
        |pc, st| {
            for (r, &f) in st.iter().enumerate() {
                if inline(f) {
                    fits[pc].add(r);
                }
            }
        },
        |pc, st| {
            if let [dst] = liveness::defs(&proto.code[pc])[..] {
                result_fits[pc] = st.get(dst as usize).is_some_and(|&f| inline(f));
            }
        },
    );
    Ranges { fits, result_fits }
}

/// The hull of two states; with `widen`, a bound that grows jumps to ±(2^47 - 1), or
/// to the i64 limit when it is already past that.
fn hull(old: &[Fact], new: &[Fact], widen: bool) -> Vec<Fact> {
    old.iter()
        .zip(new)
        .map(|(a, b)| {
            let ((al, ah), (bl, bh)) = ((*a)?, (*b)?);
            let (mut lo, mut hi) = (al.min(bl), ah.max(bh));
            if widen && lo < al {
                lo = if lo >= INLINE_MIN {
                    INLINE_MIN
                } else {
                    i64::MIN
                };
            }
            if widen && hi > ah {
                hi = if hi <= INLINE_MAX {
                    INLINE_MAX
                } else {
                    i64::MAX
                };
            }
            Some((lo, hi))
        })
        .collect()
}

/// Updates `st` to the facts after instruction `op` at `pc` on its fall-through side;
/// returns those on its jump side when they differ (a compare-and-branch falls through
/// when the comparison holds).
fn step(proto: &Proto, pc: usize, op: &Op, st: &mut [Fact], types: &IntTypes) -> Option<Vec<Fact>> {
    // A register typed INT holds an int, even when its range is unknown.
    let get = |st: &[Fact], r: u16| {
        st.get(r as usize)
            .copied()
            .flatten()
            .or_else(|| types.use_int(pc, r).then_some((i64::MIN, i64::MAX)))
    };
    let two = |st: &[Fact], a: u16, b: u16| get(st, a).zip(get(st, b));
    let result: Option<(u16, Fact)> = match *op {
        Op::LoadI { dst, value } => Some((dst.0, Some((i64::from(value), i64::from(value))))),
        Op::LoadK { dst, k } => {
            let c = int_types::int_const(proto, k.0);
            Some((dst.0, c.map(|c| (c, c))))
        }
        Op::Move { dst, src } => Some((dst.0, st.get(src.0 as usize).copied().flatten())),
        Op::AddI { dst, a, imm } => {
            let k = i64::from(imm);
            Some((
                dst.0,
                get(st, a.0).map(|(l, h)| (l.saturating_add(k), h.saturating_add(k))),
            ))
        }
        Op::SubI { dst, a, imm } => {
            let k = i64::from(imm);
            Some((
                dst.0,
                get(st, a.0).map(|(l, h)| (l.saturating_sub(k), h.saturating_sub(k))),
            ))
        }
        Op::Add { dst, a, b } => Some((
            dst.0,
            two(st, a.0, b.0)
                .map(|((al, ah), (bl, bh))| (al.saturating_add(bl), ah.saturating_add(bh))),
        )),
        Op::Sub { dst, a, b } => Some((
            dst.0,
            two(st, a.0, b.0)
                .map(|((al, ah), (bl, bh))| (al.saturating_sub(bh), ah.saturating_sub(bl))),
        )),
        Op::Mul { dst, a, b } => Some((
            dst.0,
            two(st, a.0, b.0).map(|((al, ah), (bl, bh))| {
                let c = [
                    al as i128 * bl as i128,
                    al as i128 * bh as i128,
                    ah as i128 * bl as i128,
                    ah as i128 * bh as i128,
                ];
                let lo = c.iter().copied().min().unwrap_or(i128::MIN);
                let hi = c.iter().copied().max().unwrap_or(i128::MAX);
                (clamp(lo), clamp(hi))
            }),
        )),
        Op::Div { dst, a, b } => Some((
            dst.0,
            // Truncating: |a / b| <= |a|.
            two(st, a.0, b.0).map(|((al, ah), _)| {
                let m = (al as i128).abs().max((ah as i128).abs());
                (clamp(-m), clamp(m))
            }),
        )),
        Op::Mod { dst, a, b } => Some((
            dst.0,
            // The sign of the dividend, |a % b| <= |a| and |a % b| < |b|.
            two(st, a.0, b.0).map(|((al, ah), (bl, bh))| {
                let m = (bl as i128).abs().max((bh as i128).abs()) - 1;
                let lo = if al >= 0 { 0 } else { (al as i128).max(-m) };
                let hi = if ah <= 0 { 0 } else { (ah as i128).min(m) };
                (clamp(lo.min(0)), clamp(hi.max(0)))
            }),
        )),
        Op::Neg { dst, src } => Some((
            dst.0,
            get(st, src.0).map(|(l, h)| (h.saturating_neg(), l.saturating_neg())),
        )),
        _ => None,
    };
    match result {
        Some((dst, f)) => {
            if let Some(slot) = st.get_mut(dst as usize) {
                *slot = f;
            }
        }
        None => {
            for r in liveness::helper_writes(op) {
                if let Some(slot) = st.get_mut(r as usize) {
                    *slot = None;
                }
            }
            if let Op::Call { base, .. } = *op {
                // The callee's window overlaps the registers from `base` on.
                for slot in st.iter_mut().skip(base.0 as usize) {
                    *slot = None;
                }
            }
        }
    }
    let (a, b, c) = match *op {
        Op::JmpCmp { op, a, b, .. } => (a.0, get(st, b.0).map(|f| (Some(b.0), f)), op),
        Op::JmpCmpI { op, a, imm, .. } => {
            let k = i64::from(imm);
            (a.0, Some((None, (k, k))), op)
        }
        _ => return None,
    };
    let (Some(fa), Some((rb, fb))) = (get(st, a), b) else {
        return None;
    };
    let mut jump = st.to_vec();
    for (side, c) in [(&mut *st, c), (&mut jump[..], negate(c))] {
        let (na, nb) = narrow(c, fa, fb);
        if na.0 <= na.1 && nb.0 <= nb.1 {
            side[a as usize] = Some(na);
            if let Some(rb) = rb {
                side[rb as usize] = Some(nb);
            }
        }
    }
    Some(jump)
}

/// An i128 bound clamped to the i64 range (an int result beyond it is an overflow
/// error, never a value).
fn clamp(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// The comparison that holds when `c` does not.
fn negate(c: CmpOp) -> CmpOp {
    match c {
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
    }
}

/// The ranges of ints `a` and `b` given that `a c b` holds.
fn narrow(c: CmpOp, (al, ah): (i64, i64), (bl, bh): (i64, i64)) -> ((i64, i64), (i64, i64)) {
    match c {
        CmpOp::Lt => (
            (al, ah.min(bh.saturating_sub(1))),
            (bl.max(al.saturating_add(1)), bh),
        ),
        CmpOp::Le => ((al, ah.min(bh)), (bl.max(al), bh)),
        CmpOp::Gt => (
            (al.max(bl.saturating_add(1)), ah),
            (bl, bh.min(ah.saturating_sub(1))),
        ),
        CmpOp::Ge => ((al.max(bl), ah), (bl, bh.min(ah))),
        CmpOp::Eq => {
            let both = (al.max(bl), ah.min(bh));
            (both, both)
        }
        CmpOp::Ne => ((al, ah), (bl, bh)),
    }
}

#[cfg(test)]
mod tests;
