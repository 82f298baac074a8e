//! The register instruction set: the one list of opcodes, each documented once in
//! register-transfer notation, with typed operands.
//!
//! Notation: `R[x]` is register `x` of the current frame, `K[k]` constant `k` of the
//! current `Proto`, `G[g]` global slot `g`, `U[u]` the cell captured as upvalue `u`
//! of the running closure, `pc` the index of the next instruction.
//!
//! Invariants every producer (the compiler) guarantees and every consumer (the
//! interpreter, the JIT, the disassembler) may rely on:
//! - every `Reg` is `< Proto::nregs`, every `ConstIdx` `< consts.len()`, every
//!   `ProtoIdx` `< children.len()`, every `UpvalIdx` `< upvals.len()`,
//!   every `Target` `<= code.len()` (a target equal to `code.len()` is never used:
//!   every function ends with `Return`/`ReturnNull`);
//! - a `Call` at `base` with `nargs` arguments uses registers `base ..= base + nargs`;
//! - registers holding a cell (`NewCell`) are only read by `GetCell`/`SetCell`/`Closure`.

use super::builtin::Builtin;
use std::fmt;

/// A register of the current frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u16);

/// An index into the current `Proto`'s constant table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConstIdx(pub u16);

/// A numbered global slot (top-level bindings and named top-level functions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlobalIdx(pub u16);

/// An index into the running closure's captured cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UpvalIdx(pub u16);

/// An index into the current `Proto`'s child protos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProtoIdx(pub u16);

/// An absolute jump target: the pc of the instruction to continue at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target(pub u32);

/// Comparison operators used by `Cmp`, `CmpI`, `JmpCmp` and `JmpCmpI`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    /// `x op y` with the language's operators on two values of one primitive type
    /// (for floats this is IEEE: NaN satisfies only `!=`).
    #[inline(always)]
    pub fn apply<T: PartialOrd>(self, x: T, y: T) -> bool {
        match self {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
        }
    }

    /// The mnemonic suffix used by the disassembler (`LT`, `LE`, ...).
    pub fn mnemonic(self) -> &'static str {
        match self {
            CmpOp::Lt => "LT",
            CmpOp::Le => "LE",
            CmpOp::Gt => "GT",
            CmpOp::Ge => "GE",
            CmpOp::Eq => "EQ",
            CmpOp::Ne => "NE",
        }
    }
}

/// One instruction. `size_of::<Op>()` is 12 bytes (asserted below).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    // ---- loads and moves -------------------------------------------------
    /// `R[dst] := R[src]`
    Move { dst: Reg, src: Reg },
    /// `R[dst] := K[k]`
    LoadK { dst: Reg, k: ConstIdx },
    /// `R[dst] := value` (a small int)
    LoadI { dst: Reg, value: i32 },
    /// `R[dst] := null`
    LoadNull { dst: Reg },
    /// `R[dst] := value`
    LoadBool { dst: Reg, value: bool },
    /// `R[dst] := <builtin function>`
    LoadBuiltin { dst: Reg, builtin: Builtin },

    // ---- globals, cells and upvalues -------------------------------------
    /// `R[dst] := G[slot]`; error `Undefined variable: NAME` if the slot was never assigned.
    GetGlobal { dst: Reg, slot: GlobalIdx },
    /// `G[slot] := R[src]`
    SetGlobal { slot: GlobalIdx, src: Reg },
    /// `R[dst] := new cell holding R[src]` (a captured local lives in a cell).
    NewCell { dst: Reg, src: Reg },
    /// `R[dst] := R[cell].value`
    GetCell { dst: Reg, cell: Reg },
    /// `R[cell].value := R[src]`
    SetCell { cell: Reg, src: Reg },
    /// `R[dst] := U[idx].value`
    GetUpval { dst: Reg, idx: UpvalIdx },
    /// `U[idx].value := R[src]`
    SetUpval { idx: UpvalIdx, src: Reg },
    /// `R[dst] := closure(children[proto])`, capturing the cells named by the child's
    /// upvalue descriptors (a register of this frame, or an upvalue of this closure).
    Closure { dst: Reg, proto: ProtoIdx },

    // ---- arithmetic (operator semantics live in `crate::ops`) -------------
    /// `R[dst] := R[a] + R[b]` (ints checked for overflow, floats, string concatenation)
    Add { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] - R[b]`
    Sub { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] * R[b]`
    Mul { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] / R[b]` (ints truncate toward zero; zero divisor is an error)
    Div { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] % R[b]` (sign of the dividend; zero divisor is an error)
    Mod { dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] + imm`
    AddI { dst: Reg, a: Reg, imm: i16 },
    /// `R[dst] := R[a] - imm`
    SubI { dst: Reg, a: Reg, imm: i16 },
    /// `R[dst] := -R[src]`
    Neg { dst: Reg, src: Reg },
    /// `R[dst] := !truthy(R[src])`
    Not { dst: Reg, src: Reg },
    /// `R[dst] := truthy(R[src])` (a bool)
    ToBool { dst: Reg, src: Reg },
    /// `R[dst] := R[a] op R[b]` (a bool; ordering of mismatched types is an error)
    Cmp { op: CmpOp, dst: Reg, a: Reg, b: Reg },
    /// `R[dst] := R[a] op imm`
    CmpI {
        op: CmpOp,
        dst: Reg,
        a: Reg,
        imm: i16,
    },
    /// `R[dst] := str(R[start]) ++ ... ++ str(R[start + count - 1])` (interpolation)
    Concat { dst: Reg, start: Reg, count: u16 },

    // ---- control flow ----------------------------------------------------
    /// `pc := target` (forward jumps and loop exits)
    Jmp { target: Target },
    /// `pc := target` for a loop back-edge; counted by the tiering heuristics.
    Loop { target: Target },
    /// `if truthy(R[cond]) { pc := target }`
    JmpIf { cond: Reg, target: Target },
    /// `if !truthy(R[cond]) { pc := target }`
    JmpIfNot { cond: Reg, target: Target },
    /// `if R[src] != null { pc := target }` (for `??`)
    JmpIfNotNull { src: Reg, target: Target },
    /// `if !(R[a] op R[b]) { pc := target }`
    JmpCmp {
        op: CmpOp,
        a: Reg,
        b: Reg,
        target: Target,
    },
    /// `if !(R[a] op imm) { pc := target }`
    JmpCmpI {
        op: CmpOp,
        a: Reg,
        imm: i16,
        target: Target,
    },

    // ---- collections -----------------------------------------------------
    /// `R[dst] := [R[start], ..., R[start + count - 1]]`
    NewArray { dst: Reg, start: Reg, count: u16 },
    /// `R[dst] := {R[start]: R[start+1], ..., R[start+2*count-2]: R[start+2*count-1]}`
    NewDict { dst: Reg, start: Reg, count: u16 },
    /// `R[dst] := R[obj][R[key]]`
    GetIndex { dst: Reg, obj: Reg, key: Reg },
    /// `R[obj][R[key]] := R[src]`
    SetIndex { obj: Reg, key: Reg, src: Reg },
    /// `R[dst] := R[obj].K[key]` (`K[key]` is a string; on a dict this is `R[obj][K[key]]`)
    GetField { dst: Reg, obj: Reg, key: ConstIdx },
    /// `R[obj].K[key] := R[src]`
    SetField { obj: Reg, key: ConstIdx, src: Reg },
    /// Starts a `for` loop over `R[src]` (array, string or dict; anything else is an
    /// error). Uses `R[base]`, `R[base+1]` and `R[base+2]` as iterator state.
    IterPrep { base: Reg, src: Reg },
    /// `R[dst] := next item of the iterator in R[base..base+3]`, or `pc := exit` when done.
    IterNext { base: Reg, dst: Reg, exit: Target },

    // ---- calls -----------------------------------------------------------
    /// `R[base] := R[base](R[base+1], ..., R[base+nargs])`. The callee's frame window
    /// starts at `R[base+1]`, so its parameters are the arguments, never copied.
    Call { base: Reg, nargs: u16 },
    /// `return R[src]`
    Return { src: Reg },
    /// `return null`
    ReturnNull,
    /// Raise `R[src]` as an error value (through the handler table).
    Throw { src: Reg },
}

const _: () = assert!(std::mem::size_of::<Op>() <= 12);

impl fmt::Display for Reg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}

impl Op {
    /// The jump target of a branching instruction, if it has one.
    pub fn target(&self) -> Option<Target> {
        match *self {
            Op::Jmp { target }
            | Op::Loop { target }
            | Op::JmpIf { target, .. }
            | Op::JmpIfNot { target, .. }
            | Op::JmpIfNotNull { target, .. }
            | Op::JmpCmp { target, .. }
            | Op::JmpCmpI { target, .. } => Some(target),
            Op::IterNext { exit, .. } => Some(exit),
            _ => None,
        }
    }

    /// A mutable reference to the jump target, for back-patching in the compiler.
    pub fn target_mut(&mut self) -> Option<&mut Target> {
        match self {
            Op::Jmp { target }
            | Op::Loop { target }
            | Op::JmpIf { target, .. }
            | Op::JmpIfNot { target, .. }
            | Op::JmpIfNotNull { target, .. }
            | Op::JmpCmp { target, .. }
            | Op::JmpCmpI { target, .. } => Some(target),
            Op::IterNext { exit, .. } => Some(exit),
            _ => None,
        }
    }

    /// The single register this instruction writes as its result, if any. `Call` writes
    /// `base` and the iteration ops write their state registers; callers that care add
    /// those (see `jit::liveness`). Exhaustive, so a new opcode must decide here.
    pub fn dest(&self) -> Option<Reg> {
        match *self {
            Op::Move { dst, .. }
            | Op::LoadK { dst, .. }
            | Op::LoadI { dst, .. }
            | Op::LoadNull { dst }
            | Op::LoadBool { dst, .. }
            | Op::LoadBuiltin { dst, .. }
            | Op::GetGlobal { dst, .. }
            | Op::NewCell { dst, .. }
            | Op::GetCell { dst, .. }
            | Op::GetUpval { dst, .. }
            | Op::Closure { dst, .. }
            | Op::Add { dst, .. }
            | Op::Sub { dst, .. }
            | Op::Mul { dst, .. }
            | Op::Div { dst, .. }
            | Op::Mod { dst, .. }
            | Op::AddI { dst, .. }
            | Op::SubI { dst, .. }
            | Op::Neg { dst, .. }
            | Op::Not { dst, .. }
            | Op::ToBool { dst, .. }
            | Op::Cmp { dst, .. }
            | Op::CmpI { dst, .. }
            | Op::Concat { dst, .. }
            | Op::NewArray { dst, .. }
            | Op::NewDict { dst, .. }
            | Op::GetIndex { dst, .. }
            | Op::GetField { dst, .. } => Some(dst),
            Op::SetGlobal { .. }
            | Op::SetCell { .. }
            | Op::SetUpval { .. }
            | Op::Jmp { .. }
            | Op::Loop { .. }
            | Op::JmpIf { .. }
            | Op::JmpIfNot { .. }
            | Op::JmpIfNotNull { .. }
            | Op::JmpCmp { .. }
            | Op::JmpCmpI { .. }
            | Op::SetIndex { .. }
            | Op::SetField { .. }
            | Op::IterPrep { .. }
            | Op::IterNext { .. }
            | Op::Call { .. }
            | Op::Return { .. }
            | Op::ReturnNull
            | Op::Throw { .. } => None,
        }
    }

    /// True if control never falls through to the next instruction.
    pub fn ends_block(&self) -> bool {
        matches!(
            self,
            Op::Jmp { .. }
                | Op::Loop { .. }
                | Op::Return { .. }
                | Op::ReturnNull
                | Op::Throw { .. }
        )
    }
}
