//! Expression code generation. Every expression is compiled toward a destination
//! register (`expr_to`), or into whatever register already holds it (`expr_any`),
//! so no redundant `Move` is emitted. Conditions of `if`/`while` compile to
//! conditional jumps (`cond_jumps`). Arithmetic on literal operands is folded
//! when the result is certain (`fold`).

use super::scope::Var;
use super::Compiler;
use crate::ast::{BinOp, Expr, ExprKind, InterpPart, UnOp};
use crate::bytecode::{CmpOp, Const, Op, Reg, Target};
use crate::span::Span;
use std::rc::Rc;

/// A folded numeric literal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lit {
    Int(i64),
    Float(f64),
}

/// Folds arithmetic on literal operands when the result is certain: checked int
/// operations that neither overflow nor divide by zero, and float `+ - * /` with a
/// finite result (never division by zero). Mixed int/float operands are left to
/// the runtime. `None` means "emit the operation".
pub(crate) fn fold(e: &Expr<'_>) -> Option<Lit> {
    match e.kind {
        ExprKind::Int(i) => Some(Lit::Int(i)),
        ExprKind::Float(f) => Some(Lit::Float(f)),
        ExprKind::Unary {
            op: UnOp::Neg,
            expr,
        } => match fold(expr)? {
            Lit::Int(i) => i.checked_neg().map(Lit::Int),
            Lit::Float(f) => Some(Lit::Float(-f)),
        },
        ExprKind::Binary { op, lhs, rhs } => {
            if !matches!(
                op,
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod
            ) {
                return None;
            }
            match (fold(lhs)?, fold(rhs)?) {
                (Lit::Int(a), Lit::Int(b)) => match op {
                    BinOp::Add => a.checked_add(b),
                    BinOp::Sub => a.checked_sub(b),
                    BinOp::Mul => a.checked_mul(b),
                    BinOp::Div => a.checked_div(b),
                    _ => a.checked_rem(b),
                }
                .map(Lit::Int),
                (Lit::Float(a), Lit::Float(b)) => {
                    let r = match op {
                        BinOp::Add => a + b,
                        BinOp::Sub => a - b,
                        BinOp::Mul => a * b,
                        BinOp::Div if b != 0.0 => a / b,
                        _ => return None,
                    };
                    r.is_finite().then_some(Lit::Float(r))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The value of `e` as an `i16` immediate, if it is (or folds to) a small int.
fn small_int(e: &Expr<'_>) -> Option<i16> {
    match fold(e)? {
        Lit::Int(i) => i16::try_from(i).ok(),
        Lit::Float(_) => None,
    }
}

/// True when `e` always evaluates to a bool (so `ToBool` on it is a no-op).
fn produces_bool(e: &Expr<'_>) -> bool {
    match e.kind {
        ExprKind::Bool(_) | ExprKind::Unary { op: UnOp::Not, .. } => true,
        ExprKind::Binary { op, .. } => matches!(op, BinOp::And | BinOp::Or) || cmp_op(op).is_some(),
        _ => false,
    }
}

/// The comparison a `BinOp` performs, if it is one.
fn cmp_op(op: BinOp) -> Option<CmpOp> {
    Some(match op {
        BinOp::Lt => CmpOp::Lt,
        BinOp::Le => CmpOp::Le,
        BinOp::Gt => CmpOp::Gt,
        BinOp::Ge => CmpOp::Ge,
        BinOp::Eq => CmpOp::Eq,
        BinOp::Ne => CmpOp::Ne,
        _ => return None,
    })
}

/// True for `==` and `!=`, which never raise and are symmetric, so a literal
/// on the left can become the immediate. (Ordering errors name the operand types in source order, so an
/// ordering with the literal on the left is not swapped.)
fn symmetric(op: CmpOp) -> bool {
    matches!(op, CmpOp::Eq | CmpOp::Ne)
}

/// True for the short-circuit operators, whose code writes the destination
/// before evaluating the right operand. Assigning one to an existing local goes
/// through a temporary, since the local may be that operand.
pub(crate) fn writes_dst_early(e: &Expr<'_>) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary {
            op: BinOp::And | BinOp::Or | BinOp::Coalesce,
            ..
        }
    )
}

impl<'a> Compiler<'a> {
    /// Compiles `e` into `dst`. `dst` must be scratch: a temporary or a fresh
    /// local that nothing in `e` reads.
    pub(crate) fn expr_to(&mut self, e: &'a Expr<'a>, dst: Reg) {
        let span = e.span;
        if matches!(e.kind, ExprKind::Unary { .. } | ExprKind::Binary { .. }) {
            if let Some(lit) = fold(e) {
                self.load_lit(lit, dst, span);
                return;
            }
        }
        match e.kind {
            ExprKind::Int(i) => self.load_lit(Lit::Int(i), dst, span),
            ExprKind::Float(f) => self.load_lit(Lit::Float(f), dst, span),
            ExprKind::Str(s) => {
                let k = self.konst(Const::Str(Rc::from(s)), span);
                self.emit(Op::LoadK { dst, k }, span);
            }
            ExprKind::Bool(value) => {
                self.emit(Op::LoadBool { dst, value }, span);
            }
            ExprKind::Null => {
                self.emit(Op::LoadNull { dst }, span);
            }
            ExprKind::Ident(name) => self.load_var(name, dst, span),
            ExprKind::Interp([InterpPart::Expr(e)]) => {
                let mark = self.mark();
                let start = self.operand(e, dst);
                self.emit(
                    Op::Concat {
                        dst,
                        start,
                        count: 1,
                    },
                    span,
                );
                self.free_to(mark);
            }
            ExprKind::Interp(parts) => {
                let mark = self.mark();
                let mut start = None;
                let mut count = 0u32;
                for part in parts {
                    match *part {
                        InterpPart::Lit("") => continue,
                        InterpPart::Lit(s) => {
                            let t = self.alloc(span);
                            let k = self.konst(Const::Str(Rc::from(s)), span);
                            self.emit(Op::LoadK { dst: t, k }, span);
                            start.get_or_insert(t);
                        }
                        InterpPart::Expr(e) => {
                            let t = self.alloc(e.span);
                            self.expr_to(e, t);
                            start.get_or_insert(t);
                        }
                    }
                    count += 1;
                }
                let start = start.unwrap_or(dst);
                self.emit(
                    Op::Concat {
                        dst,
                        start,
                        count: clamp16(count),
                    },
                    span,
                );
                self.free_to(mark);
            }
            ExprKind::Array(items) => {
                let mark = self.mark();
                let start = self.push_values(items.iter(), dst);
                self.emit(
                    Op::NewArray {
                        dst,
                        start,
                        count: clamp16(items.len() as u32),
                    },
                    span,
                );
                self.free_to(mark);
            }
            ExprKind::Dict(pairs) => {
                let mark = self.mark();
                let start = self.push_values(pairs.iter().flat_map(|(k, v)| [k, v]), dst);
                self.emit(
                    Op::NewDict {
                        dst,
                        start,
                        count: clamp16(pairs.len() as u32),
                    },
                    span,
                );
                self.free_to(mark);
            }
            ExprKind::Func(f) => {
                let proto = self.func(f);
                self.emit(Op::Closure { dst, proto }, span);
            }
            ExprKind::Unary { op, expr } => {
                let mark = self.mark();
                let src = self.operand(expr, dst);
                let op = match op {
                    UnOp::Neg => Op::Neg { dst, src },
                    UnOp::Not => Op::Not { dst, src },
                };
                self.emit(op, span);
                self.free_to(mark);
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary_to(op, lhs, rhs, dst, span),
            ExprKind::Call { callee, args } => {
                self.call_to(dst, span, |c, base| {
                    c.expr_to(callee, base);
                    for a in args {
                        let t = c.alloc(a.span);
                        c.expr_to(a, t);
                    }
                    args.len()
                });
            }
            ExprKind::Index { obj, index } => {
                let mark = self.mark();
                let obj = self.operand(obj, dst);
                let key = self.expr_any(index);
                self.emit(Op::GetIndex { dst, obj, key }, span);
                self.free_to(mark);
            }
            ExprKind::Field { obj, name } => {
                let mark = self.mark();
                let obj = self.operand(obj, dst);
                let key = self.konst(Const::Str(Rc::from(name.name)), name.span);
                self.emit(Op::GetField { dst, obj, key }, span);
                self.free_to(mark);
            }
        }
    }

    /// Compiles `e` into some register and returns it: a plain local's own
    /// register (no code), or a new temporary the caller frees with `free_to`.
    pub(crate) fn expr_any(&mut self, e: &'a Expr<'a>) -> Reg {
        if let ExprKind::Ident(name) = e.kind {
            if let Some(Var::Local {
                reg, cell: false, ..
            }) = self.lookup(name)
            {
                return reg;
            }
        }
        let t = self.alloc(e.span);
        self.expr_to(e, t);
        t
    }

    /// Compiles an operand of an instruction that writes `dst`: into `dst` itself
    /// when `dst` is the top register (it is scratch, and is written only after
    /// every operand is read), otherwise as `expr_any` does.
    pub(crate) fn operand(&mut self, e: &'a Expr<'a>, dst: Reg) -> Reg {
        if self.is_scratch_top(dst) && !self.is_plain_local(e) {
            self.expr_to(e, dst);
            dst
        } else {
            self.expr_any(e)
        }
    }

    /// True when `dst` is the top register and not a live variable being assigned
    /// (`pinned`), so code may use it as scratch before the final write.
    fn is_scratch_top(&self, dst: Reg) -> bool {
        self.fs.regs.is_top(dst) && self.pinned != Some(dst)
    }

    /// True when `e` names a local held directly in a register (not a cell).
    fn is_plain_local(&mut self, e: &Expr<'_>) -> bool {
        match e.kind {
            ExprKind::Ident(name) => matches!(
                self.fs.find_local(name),
                Some(l) if !l.cell
            ),
            _ => false,
        }
    }

    /// Loads a number, small ints inline (`LoadI`), others from the constant table.
    fn load_lit(&mut self, lit: Lit, dst: Reg, span: Span) {
        let op = match lit {
            Lit::Int(i) => match i32::try_from(i) {
                Ok(value) => Op::LoadI { dst, value },
                Err(_) => Op::LoadK {
                    dst,
                    k: self.konst(Const::Int(i), span),
                },
            },
            Lit::Float(f) => Op::LoadK {
                dst,
                k: self.konst(Const::Float(f), span),
            },
        };
        self.emit(op, span);
    }

    /// Reads variable `name` into `dst`.
    pub(crate) fn load_var(&mut self, name: &'a str, dst: Reg, span: Span) {
        let op = match self.resolve(name, span) {
            Var::Local {
                reg, cell: false, ..
            } => {
                if reg == dst {
                    return;
                }
                Op::Move { dst, src: reg }
            }
            Var::Local { reg, .. } => Op::GetCell { dst, cell: reg },
            Var::Upval { idx, .. } => Op::GetUpval { dst, idx },
            Var::Global { slot, .. } | Var::Free(slot) => Op::GetGlobal { dst, slot },
            Var::Builtin(builtin) => Op::LoadBuiltin { dst, builtin },
        };
        self.emit(op, span);
    }

    /// Evaluates `items` into consecutive new temporaries; returns the first one
    /// (`fallback` when there are none). The caller frees them.
    fn push_values(&mut self, items: impl Iterator<Item = &'a Expr<'a>>, fallback: Reg) -> Reg {
        let mut start = None;
        for e in items {
            let t = self.alloc(e.span);
            self.expr_to(e, t);
            start.get_or_insert(t);
        }
        start.unwrap_or(fallback)
    }

    /// Emits a call whose callee and arguments `setup` places at `base` and the
    /// registers after it (returning the argument count). The call frame starts at
    /// `dst` itself when `dst` is the top register, so the result needs no move.
    pub(crate) fn call_to(
        &mut self,
        dst: Reg,
        span: Span,
        setup: impl FnOnce(&mut Self, Reg) -> usize,
    ) {
        let mark = self.mark();
        let base = if self.is_scratch_top(dst) {
            dst
        } else {
            self.alloc(span)
        };
        let nargs = setup(self, base);
        let nargs = match u16::try_from(nargs) {
            Ok(n) => n,
            Err(_) => {
                self.error("a call may pass at most 65535 arguments", span);
                u16::MAX
            }
        };
        self.emit(Op::Call { base, nargs }, span);
        if base != dst {
            self.emit(Op::Move { dst, src: base }, span);
        }
        self.free_to(mark);
    }

    fn binary_to(&mut self, op: BinOp, lhs: &'a Expr<'a>, rhs: &'a Expr<'a>, dst: Reg, span: Span) {
        match op {
            BinOp::Pipe => {
                // `x |> f` is `f(x)`; `x` is evaluated first.
                self.call_to(dst, span, |c, base| {
                    let arg = c.alloc(lhs.span);
                    c.expr_to(lhs, arg);
                    c.expr_to(rhs, base);
                    1
                });
            }
            BinOp::And | BinOp::Or => {
                // dst := truthy(lhs); if that decides the result, skip the rhs.
                let mark = self.mark();
                let a = self.operand(lhs, dst);
                if a != dst || !produces_bool(lhs) {
                    self.emit(Op::ToBool { dst, src: a }, span);
                }
                self.free_to(mark);
                let target = Target(0);
                let j = self.emit(
                    if op == BinOp::And {
                        Op::JmpIfNot { cond: dst, target }
                    } else {
                        Op::JmpIf { cond: dst, target }
                    },
                    span,
                );
                let b = self.operand(rhs, dst);
                if b != dst || !produces_bool(rhs) {
                    self.emit(Op::ToBool { dst, src: b }, span);
                }
                self.free_to(mark);
                self.fs.patch_here(&[j]);
            }
            BinOp::Coalesce => {
                self.expr_to(lhs, dst);
                let j = self.emit(
                    Op::JmpIfNotNull {
                        src: dst,
                        target: Target(0),
                    },
                    span,
                );
                self.expr_to(rhs, dst);
                self.fs.patch_here(&[j]);
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let cmp = cmp_op(op).unwrap_or(CmpOp::Eq);
                let mark = self.mark();
                if let Some(imm) = small_int(rhs) {
                    let a = self.operand(lhs, dst);
                    self.emit(
                        Op::CmpI {
                            op: cmp,
                            dst,
                            a,
                            imm,
                        },
                        span,
                    );
                } else if let Some(imm) = small_int(lhs).filter(|_| symmetric(cmp)) {
                    let a = self.operand(rhs, dst);
                    self.emit(
                        Op::CmpI {
                            op: cmp,
                            dst,
                            a,
                            imm,
                        },
                        span,
                    );
                } else {
                    let a = self.operand(lhs, dst);
                    let b = self.expr_any(rhs);
                    self.emit(Op::Cmp { op: cmp, dst, a, b }, span);
                }
                self.free_to(mark);
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                let mark = self.mark();
                let a = self.operand(lhs, dst);
                self.arith_to(op, a, rhs, dst, span);
                self.free_to(mark);
            }
        }
    }

    /// `R[dst] := R[a] op rhs` for an arithmetic `op`, using `AddI`/`SubI` when
    /// `rhs` is a small int literal.
    pub(crate) fn arith_to(&mut self, op: BinOp, a: Reg, rhs: &'a Expr<'a>, dst: Reg, span: Span) {
        if matches!(op, BinOp::Add | BinOp::Sub) {
            if let Some(imm) = small_int(rhs) {
                let op = if op == BinOp::Add {
                    Op::AddI { dst, a, imm }
                } else {
                    Op::SubI { dst, a, imm }
                };
                self.emit(op, span);
                return;
            }
        }
        let mark = self.mark();
        let b = self.expr_any(rhs);
        let op = match op {
            BinOp::Add => Op::Add { dst, a, b },
            BinOp::Sub => Op::Sub { dst, a, b },
            BinOp::Mul => Op::Mul { dst, a, b },
            BinOp::Div => Op::Div { dst, a, b },
            _ => Op::Mod { dst, a, b },
        };
        self.emit(op, span);
        self.free_to(mark);
    }

    /// Compiles a condition into jumps taken when it is false; returns them for
    /// patching. Control falls through when it is true.
    pub(crate) fn cond_jumps(&mut self, e: &'a Expr<'a>) -> Vec<usize> {
        self.cond(e, false)
    }

    /// Compiles `e` as a condition: returns the jumps taken when its truthiness
    /// equals `jump_if` (to be patched by the caller); otherwise control falls
    /// through. Comparisons jumping on false become `JmpCmp`/`JmpCmpI`; `&&`,
    /// `||` and `!` turn into jump chains; literal `true`/`false` need no test.
    fn cond(&mut self, e: &'a Expr<'a>, jump_if: bool) -> Vec<usize> {
        let span = e.span;
        match e.kind {
            ExprKind::Bool(b) => {
                if b == jump_if {
                    vec![self.emit(Op::Jmp { target: Target(0) }, span)]
                } else {
                    Vec::new()
                }
            }
            ExprKind::Unary {
                op: UnOp::Not,
                expr,
            } => self.cond(expr, !jump_if),
            ExprKind::Binary {
                op: op @ (BinOp::And | BinOp::Or),
                lhs,
                rhs,
            } => {
                // `a && b` is false as soon as `a` is; `a || b` true as soon as `a` is.
                let short_on = op == BinOp::Or;
                if short_on == jump_if {
                    let mut jumps = self.cond(lhs, jump_if);
                    jumps.extend(self.cond(rhs, jump_if));
                    jumps
                } else {
                    let decided = self.cond(lhs, short_on);
                    let jumps = self.cond(rhs, jump_if);
                    self.fs.patch_here(&decided);
                    jumps
                }
            }
            ExprKind::Binary { op, lhs, rhs } if !jump_if && cmp_op(op).is_some() => {
                let cmp = cmp_op(op).unwrap_or(CmpOp::Eq);
                let mark = self.mark();
                let target = Target(0);
                let j = if let Some(imm) = small_int(rhs) {
                    let a = self.expr_any(lhs);
                    self.emit(
                        Op::JmpCmpI {
                            op: cmp,
                            a,
                            imm,
                            target,
                        },
                        span,
                    )
                } else if let Some(imm) = small_int(lhs).filter(|_| symmetric(cmp)) {
                    let a = self.expr_any(rhs);
                    self.emit(
                        Op::JmpCmpI {
                            op: cmp,
                            a,
                            imm,
                            target,
                        },
                        span,
                    )
                } else {
                    let a = self.expr_any(lhs);
                    let b = self.expr_any(rhs);
                    self.emit(
                        Op::JmpCmp {
                            op: cmp,
                            a,
                            b,
                            target,
                        },
                        span,
                    )
                };
                self.free_to(mark);
                vec![j]
            }
            _ => {
                let mark = self.mark();
                let cond = self.expr_any(e);
                let target = Target(0);
                let op = if jump_if {
                    Op::JmpIf { cond, target }
                } else {
                    Op::JmpIfNot { cond, target }
                };
                let j = self.emit(op, span);
                self.free_to(mark);
                vec![j]
            }
        }
    }
}

/// A count that fits an operand; larger counts are impossible once the register
/// limit has been checked (the limit error is already reported).
fn clamp16(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}
