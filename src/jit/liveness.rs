//! Register liveness over a proto's bytecode (a backward dataflow to a fixpoint), used
//! by the translator to spill only the registers a helper or callee could observe.
//!
//! Conservative where it matters for GC safety: every register live at a handler is
//! live throughout its `try` region (an error can leave at any instruction there), and
//! an instruction's operands always count as uses.

use crate::bytecode::{Op, Proto, Reg, UpvalSource};

/// A set of registers: a bitmap kept inline for up to 128 registers (every analysis
/// holds one per instruction, so a heap allocation each was most of the translator's
/// own time on small functions), on the heap beyond.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum RegSet {
    Inline([u64; INLINE_WORDS]),
    Heap(Vec<u64>),
}

const INLINE_WORDS: usize = 2;

impl RegSet {
    pub(crate) fn new(nregs: usize) -> RegSet {
        let words = nregs.div_ceil(64).max(1);
        if words <= INLINE_WORDS {
            RegSet::Inline([0; INLINE_WORDS])
        } else {
            RegSet::Heap(vec![0; words])
        }
    }

    fn words(&self) -> &[u64] {
        match self {
            RegSet::Inline(w) => w,
            RegSet::Heap(w) => w,
        }
    }

    fn words_mut(&mut self) -> &mut [u64] {
        match self {
            RegSet::Inline(w) => w,
            RegSet::Heap(w) => w,
        }
    }

    pub(crate) fn add(&mut self, r: usize) {
        if let Some(w) = self.words_mut().get_mut(r / 64) {
            *w |= 1 << (r % 64);
        }
    }

    pub(crate) fn remove(&mut self, r: usize) {
        if let Some(w) = self.words_mut().get_mut(r / 64) {
            *w &= !(1 << (r % 64));
        }
    }

    /// Empties the set.
    pub(crate) fn clear(&mut self) {
        self.words_mut().iter_mut().for_each(|w| *w = 0);
    }

    /// True when `r` is in the set.
    pub(crate) fn has(&self, r: usize) -> bool {
        self.words()
            .get(r / 64)
            .is_some_and(|w| w & (1 << (r % 64)) != 0)
    }

    /// The registers in both sets.
    pub(crate) fn intersect(&self, o: &RegSet) -> RegSet {
        let mut r = self.clone();
        for (a, b) in r.words_mut().iter_mut().zip(o.words()) {
            *a &= *b;
        }
        r
    }

    fn union(&mut self, o: &RegSet) {
        for (a, b) in self.words_mut().iter_mut().zip(o.words()) {
            *a |= *b;
        }
    }
}

/// Registers `op` reads (including the parent registers a `Closure` captures).
pub(crate) fn uses(proto: &Proto, op: &Op) -> Vec<u16> {
    let range = |s: Reg, n: u16| (s.0..s.0.saturating_add(n)).collect::<Vec<u16>>();
    match *op {
        Op::Move { src, .. }
        | Op::SetGlobal { src, .. }
        | Op::NewCell { src, .. }
        | Op::SetUpval { src, .. }
        | Op::Neg { src, .. }
        | Op::Not { src, .. }
        | Op::ToBool { src, .. }
        | Op::JmpIfNotNull { src, .. }
        | Op::Return { src }
        | Op::Throw { src }
        | Op::IterPrep { src, .. } => vec![src.0],
        Op::GetCell { cell, .. } => vec![cell.0],
        Op::SetCell { cell, src } => vec![cell.0, src.0],
        Op::Closure { proto: idx, .. } => proto
            .children
            .get(idx.0 as usize)
            .map(|c| {
                c.upvals
                    .iter()
                    .filter_map(|u| match u.source {
                        UpvalSource::ParentReg(r) => Some(r.0),
                        UpvalSource::ParentUpval(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Op::Add { a, b, .. }
        | Op::Sub { a, b, .. }
        | Op::Mul { a, b, .. }
        | Op::Div { a, b, .. }
        | Op::Mod { a, b, .. }
        | Op::Cmp { a, b, .. }
        | Op::JmpCmp { a, b, .. } => vec![a.0, b.0],
        Op::AddI { a, .. } | Op::SubI { a, .. } | Op::CmpI { a, .. } | Op::JmpCmpI { a, .. } => {
            vec![a.0]
        }
        Op::JmpIf { cond, .. } | Op::JmpIfNot { cond, .. } => vec![cond.0],
        Op::Concat { start, count, .. } | Op::NewArray { start, count, .. } => range(start, count),
        Op::NewDict { start, count, .. } => range(start, count.saturating_mul(2)),
        Op::GetIndex { obj, key, .. } => vec![obj.0, key.0],
        Op::SetIndex { obj, key, src } => vec![obj.0, key.0, src.0],
        Op::GetField { obj, .. } => vec![obj.0],
        Op::SetField { obj, src, .. } => vec![obj.0, src.0],
        Op::IterNext { base, .. } => range(base, 3),
        Op::Call { base, nargs } => range(base, nargs.saturating_add(1)),
        Op::LoadK { .. }
        | Op::LoadI { .. }
        | Op::LoadNull { .. }
        | Op::LoadBool { .. }
        | Op::LoadBuiltin { .. }
        | Op::GetGlobal { .. }
        | Op::GetUpval { .. }
        | Op::Jmp { .. }
        | Op::Loop { .. }
        | Op::ReturnNull => Vec::new(),
    }
}

/// Registers `op` always writes when it completes normally (the iteration ops kill
/// nothing: conservative).
pub(crate) fn defs(op: &Op) -> Vec<u16> {
    match *op {
        Op::Call { base, .. } => vec![base.0],
        _ => op.dest().map(|r| vec![r.0]).unwrap_or_default(),
    }
}

/// The registers an instruction executed by `helpers::jit_op` may write (reloaded from
/// the frame window afterwards).
pub(crate) fn helper_writes(op: &Op) -> Vec<u16> {
    match *op {
        Op::IterPrep { base, .. } => vec![base.0, base.0 + 1, base.0 + 2],
        Op::IterNext { base, dst, .. } => vec![base.0, base.0 + 1, base.0 + 2, dst.0],
        _ => defs(op),
    }
}

/// The block leaders of `proto`'s code (index `code.len()` is the end): pc 0, jump
/// targets, the instruction after each branch or terminator, and handler entries.
pub(crate) fn leaders(proto: &Proto) -> Vec<bool> {
    let n = proto.code.len();
    let mut leader = vec![false; n + 1];
    leader[0] = true;
    leader[n] = true;
    for (pc, op) in proto.code.iter().enumerate() {
        if let Some(t) = op.target() {
            leader[(t.0 as usize).min(n)] = true;
            leader[pc + 1] = true;
        }
        if op.ends_block() {
            leader[pc + 1] = true;
        }
    }
    for h in &proto.handlers {
        leader[(h.handler.0 as usize).min(n)] = true;
    }
    leader
}

/// The normal successors of instruction `op` at `pc` in code of length `n`: the next
/// instruction (unless `op` ends its block) and the jump target (clamped to `n`).
pub(crate) fn successors(op: &Op, pc: usize, n: usize) -> (Option<usize>, Option<usize>) {
    let fall = (!op.ends_block()).then_some(pc + 1);
    (fall, op.target().map(|t| (t.0 as usize).min(n)))
}

/// The handler pcs whose `try` regions cover `pc` (inner first).
pub(crate) fn handlers_at(proto: &Proto, pc: usize) -> impl Iterator<Item = usize> + '_ {
    let n = proto.code.len();
    proto
        .handlers
        .iter()
        .filter(move |h| (h.start.0 as usize) <= pc && pc < h.end.0 as usize)
        .map(move |h| (h.handler.0 as usize).min(n))
}

/// The result of the analysis.
pub(crate) struct Liveness {
    /// Registers live after each instruction (on any successor, handlers included).
    pub live_out: Vec<RegSet>,
    /// Registers live before each instruction (index `code.len()`: none).
    pub live_in: Vec<RegSet>,
    /// Registers some instruction writes (the others always equal their frame slot).
    pub written: RegSet,
}

/// Computes liveness for `proto`.
pub(crate) fn analyze(proto: &Proto) -> Liveness {
    let n = proto.code.len();
    let nregs = proto.nregs as usize;
    let empty = RegSet::new(nregs);
    let mut uses_v = Vec::with_capacity(n);
    let mut defs_v = Vec::with_capacity(n);
    let mut written = RegSet::new(nregs);
    for op in &proto.code {
        uses_v.push(uses(proto, op));
        // The iteration ops may write their state registers and `dst`.
        for r in helper_writes(op) {
            written.add(r as usize);
        }
        // A callee's window overwrites the frame slots above `base`.
        if let Op::Call { base, .. } = *op {
            (base.0 as usize + 1..nregs).for_each(|r| written.add(r));
        }
        defs_v.push(defs(op));
    }
    for h in &proto.handlers {
        if let Some(r) = h.err_reg {
            written.add(r.0 as usize);
        }
    }
    let handlers_at = |pc: usize| handlers_at(proto, pc);
    let mut live_in = vec![empty.clone(); n + 1];
    let mut live_out = vec![empty.clone(); n];
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let op = &proto.code[pc];
            let mut out = empty.clone();
            let (fall, target) = successors(op, pc, n);
            for s in fall.into_iter().chain(target) {
                out.union(&live_in[s]);
            }
            let mut hin = empty.clone();
            for h in handlers_at(pc) {
                hin.union(&live_in[h]);
            }
            out.union(&hin);
            let mut inn = out.clone();
            for &d in &defs_v[pc] {
                inn.remove(d as usize);
            }
            for &u in &uses_v[pc] {
                inn.add(u as usize);
            }
            inn.union(&hin);
            if out != live_out[pc] {
                live_out[pc] = out;
                changed = true;
            }
            if inn != live_in[pc] {
                live_in[pc] = inn;
                changed = true;
            }
        }
    }
    Liveness {
        live_out,
        live_in,
        written,
    }
}
