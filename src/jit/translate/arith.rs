//! The translator's numeric emitters: raw `i64` paths for INT registers (overflow and
//! zero divisors go to the helper, which raises the interpreter's error), guarded
//! int/float fast paths for NaN-boxed operands, comparisons, truthiness, and boxing
//! and unboxing between the two representations.

use super::{
    helpers, unboxed, Spill, Tr, CANONICAL_NAN, FALSE, FLOAT_LIMIT, INT_TAG_BITS, NULL, TAG_BOOL,
    TAG_INT,
};
use crate::bytecode::{CmpOp, Op};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self, types, Block, BlockArg, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;

/// The right operand of an arithmetic or comparison instruction.
#[derive(Clone, Copy)]
pub(super) enum Rhs {
    Reg(u16),
    Imm(i64),
    /// None: `Neg`.
    None,
}

/// Where a comparison's result goes.
#[derive(Clone, Copy)]
pub(super) enum CmpOut {
    Reg(u16),
    Branch { fall: Block, target: Block },
}

/// What an operand is known to hold at translation time (it is a constant).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Int,
    Float,
    Other,
}

/// A type test on operands, decided at translation time where constants allow (so the
/// path it guards is not emitted at all: the code generator is left nothing to fold).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cond {
    Always,
    Never,
    /// Holds when the value is nonzero.
    Nonzero(ir::Value),
    /// Holds when the value is zero.
    Zero(ir::Value),
}

/// The operator of `Add`/`Sub`/`Mul`/`AddI`/`SubI`/`Neg` (`Neg` is `0 - x`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Add,
    Sub,
    Mul,
}

fn kind(op: &Op) -> Kind {
    match op {
        Op::Add { .. } | Op::AddI { .. } => Kind::Add,
        Op::Mul { .. } => Kind::Mul,
        _ => Kind::Sub,
    }
}

/// Whether `x` is an inline int (the emitters on a bare builder are shared with the
/// raw wrapper, `translate/raw.rs`).
pub(super) fn is_int(b: &mut FunctionBuilder, x: ir::Value) -> ir::Value {
    let t = b.ins().ushr_imm_s(x, 48);
    b.ins().icmp_imm_s(IntCC::Equal, t, TAG_INT as i64)
}

/// 1 (as an `i64`) when every value of `vals` is an inline int, else 0.
pub(super) fn all_inline_ints(b: &mut FunctionBuilder, vals: &[ir::Value]) -> ir::Value {
    let mut ok = b.ins().iconst(types::I64, 1);
    for &v in vals {
        let c = is_int(b, v);
        let c = b.ins().uextend(types::I64, c);
        ok = b.ins().band(ok, c);
    }
    ok
}

/// The payload of an inline int, sign-extended.
pub(super) fn payload(b: &mut FunctionBuilder, x: ir::Value) -> ir::Value {
    let s = b.ins().ishl_imm_s(x, 16);
    b.ins().sshr_imm_s(s, 16)
}

/// Whether the raw int `raw` fits an inline int, and `raw << 16` (for `box_shifted`).
pub(super) fn inline_parts(b: &mut FunctionBuilder, raw: ir::Value) -> (ir::Value, ir::Value) {
    let s = b.ins().ishl_imm_s(raw, 16);
    let back = b.ins().sshr_imm_s(s, 16);
    let fits = b.ins().icmp(IntCC::Equal, back, raw);
    (fits, s)
}

/// A shifted int (payload << 16) back to an inline int value.
pub(super) fn box_shifted(b: &mut FunctionBuilder, s: ir::Value) -> ir::Value {
    let p = b.ins().ushr_imm_s(s, 16);
    b.ins().bor_imm_s(p, INT_TAG_BITS)
}

pub(super) fn int_cc(op: CmpOp) -> IntCC {
    match op {
        CmpOp::Lt => IntCC::SignedLessThan,
        CmpOp::Le => IntCC::SignedLessThanOrEqual,
        CmpOp::Gt => IntCC::SignedGreaterThan,
        CmpOp::Ge => IntCC::SignedGreaterThanOrEqual,
        CmpOp::Eq => IntCC::Equal,
        CmpOp::Ne => IntCC::NotEqual,
    }
}

fn float_cc(op: CmpOp) -> FloatCC {
    match op {
        CmpOp::Lt => FloatCC::LessThan,
        CmpOp::Le => FloatCC::LessThanOrEqual,
        CmpOp::Gt => FloatCC::GreaterThan,
        CmpOp::Ge => FloatCC::GreaterThanOrEqual,
        CmpOp::Eq => FloatCC::Equal,
        CmpOp::Ne => FloatCC::NotEqual,
    }
}

impl Tr<'_, '_> {
    /// What `v` holds when it is a constant.
    fn known(&self, v: ir::Value) -> Option<Known> {
        let c = self.const_int(v)? as u64;
        Some(if c >> 48 == TAG_INT {
            Known::Int
        } else if c < FLOAT_LIMIT as u64 {
            Known::Float
        } else {
            Known::Other
        })
    }

    /// The values of `vals` (one or two) not known at translation time, when every
    /// known one is `want`; `None` when a known one is not (the test can never hold).
    fn unknown_of(&self, vals: &[ir::Value], want: Known) -> Option<([ir::Value; 2], usize)> {
        // Only the first `n` entries mean anything.
        let mut open = [vals[0]; 2];
        let mut n = 0;
        for &v in vals {
            match self.known(v) {
                Some(k) if k == want => {}
                Some(_) => return None,
                None => {
                    open[n] = v;
                    n += 1;
                }
            }
        }
        Some((open, n))
    }

    /// Whether every value of `vals` (one or two) is an inline int.
    pub(super) fn ints(&mut self, vals: &[ir::Value]) -> Cond {
        let Some((open, n)) = self.unknown_of(vals, Known::Int) else {
            return Cond::Never;
        };
        match open[..n] {
            [] => Cond::Always,
            [v] => Cond::Nonzero(self.is_int(v)),
            [x, y, ..] => {
                // Both tags equal the int tag exactly when the xors' top bits are zero.
                let tx = self.b.ins().bxor_imm_s(x, INT_TAG_BITS);
                let ty = self.b.ins().bxor_imm_s(y, INT_TAG_BITS);
                let o = self.b.ins().bor(tx, ty);
                Cond::Zero(self.b.ins().ushr_imm_s(o, 48))
            }
        }
    }

    /// Whether every value of `vals` (one or two) is a float.
    fn floats(&mut self, vals: &[ir::Value]) -> Cond {
        let Some((open, n)) = self.unknown_of(vals, Known::Float) else {
            return Cond::Never;
        };
        let m = match open[..n] {
            [] => return Cond::Always,
            [v] => v,
            [x, y, ..] => self.b.ins().umax(x, y),
        };
        Cond::Nonzero(
            self.b
                .ins()
                .icmp_imm_s(IntCC::UnsignedLessThan, m, FLOAT_LIMIT),
        )
    }

    /// Branches to `yes` where `c` holds, else to `no`.
    pub(super) fn branch(&mut self, c: Cond, yes: Block, no: Block) {
        match c {
            Cond::Always => self.jump(yes, &[]),
            Cond::Never => self.jump(no, &[]),
            Cond::Nonzero(v) => self.brif(v, yes, no),
            Cond::Zero(v) => self.brif(v, no, yes),
        }
    }

    pub(super) fn is_int(&mut self, x: ir::Value) -> ir::Value {
        is_int(&mut self.b, x)
    }

    fn shl16(&mut self, x: ir::Value) -> ir::Value {
        match self.const_int(x) {
            Some(c) => self.iconst(c << 16),
            None => self.b.ins().ishl_imm_s(x, 16),
        }
    }

    /// The payload of an inline int, sign-extended.
    fn payload(&mut self, x: ir::Value) -> ir::Value {
        match self.const_int(x) {
            Some(c) => self.iconst((c << 16) >> 16),
            None => payload(&mut self.b, x),
        }
    }

    /// Whether the raw int `raw` fits an inline int, and `raw << 16` (its payload shifted
    /// to the top, for `box_shifted`).
    pub(super) fn inline_parts(&mut self, raw: ir::Value) -> (ir::Value, ir::Value) {
        inline_parts(&mut self.b, raw)
    }

    /// A shifted int (payload << 16) back to an inline int value.
    pub(super) fn box_shifted(&mut self, s: ir::Value) -> ir::Value {
        box_shifted(&mut self.b, s)
    }

    /// The value of `v` when it is an `iconst`.
    pub(super) fn const_int(&self, v: ir::Value) -> Option<i64> {
        let inst = self.b.func.dfg.value_def(v).inst()?;
        match self.b.func.dfg.insts[inst] {
            ir::InstructionData::UnaryImm {
                opcode: ir::Opcode::Iconst,
                imm,
            } => Some(imm.bits()),
            _ => None,
        }
    }

    /// `inline` when `ok` holds, otherwise the result of helper `f(args)` in a cold block.
    fn inline_or_helper(
        &mut self,
        ok: ir::Value,
        inline: ir::Value,
        f: usize,
        args: &[ir::Value],
    ) -> ir::Value {
        let join = self.b.create_block();
        self.b.append_block_param(join, types::I64);
        let big = self.b.create_block();
        self.b.set_cold_block(big);
        self.b
            .ins()
            .brif(ok, join, &[BlockArg::Value(inline)], big, &[]);
        self.b.switch_to_block(big);
        let r = self.hcall(f, args);
        self.jump(join, &[r]);
        self.b.switch_to_block(join);
        self.b.block_params(join)[0]
    }

    /// The raw int `v` as a value: inline when it fits in 48 bits, otherwise a boxed
    /// int from `unboxed::jit_box_int` (allocation only, never a collection).
    pub(super) fn box_int(&mut self, v: ir::Value) -> ir::Value {
        if let Some(c) = self.const_int(v) {
            if let Some(boxed) = crate::value::Value::inline_int(c) {
                return self.iconst(boxed.0 as i64);
            }
        }
        let (fits, s) = self.inline_parts(v);
        let inline = self.box_shifted(s);
        let f = unboxed::jit_box_int as *const () as usize;
        // The boxed value may be kept or stored with no safe point after it.
        self.mark_silent_alloc();
        self.inline_or_helper(fits, inline, f, &[self.vm, v])
    }

    /// The int held by value `v` as a raw `i64` (a boxed int through
    /// `unboxed::jit_unbox_int`).
    pub(super) fn unbox_int(&mut self, v: ir::Value) -> ir::Value {
        let ii = self.is_int(v);
        let inline = self.payload(v);
        let f = unboxed::jit_unbox_int as *const () as usize;
        self.inline_or_helper(ii, inline, f, &[v])
    }

    /// A fresh join block and a cold block for the slow path.
    fn join_and_slow(&mut self) -> (Block, Block) {
        let join = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        (join, slow)
    }

    /// `x / y` or `x % y` (the caller has excluded the trapping divisors).
    fn div_rem(&mut self, div: bool, x: ir::Value, y: ir::Value) -> ir::Value {
        if div {
            self.b.ins().sdiv(x, y)
        } else {
            self.b.ins().srem(x, y)
        }
    }

    /// Continues in a fresh block with `x` and `y` as `f64`s when both are floats;
    /// otherwise branches to `slow`. `None` (with the jump to `slow` made) when they
    /// cannot both be floats.
    fn floats_or(
        &mut self,
        x: ir::Value,
        y: ir::Value,
        slow: Block,
    ) -> Option<(ir::Value, ir::Value)> {
        let bf = self.floats(&[x, y]);
        if bf == Cond::Never {
            self.jump(slow, &[]);
            return None;
        }
        let fb = self.b.create_block();
        self.branch(bf, fb, slow);
        self.enter(fb);
        Some((self.bits_to_f64(x), self.bits_to_f64(y)))
    }

    fn bits_to_f64(&mut self, x: ir::Value) -> ir::Value {
        self.b.ins().bitcast(types::F64, MemFlagsData::new(), x)
    }

    /// A float result with NaN canonicalised.
    fn f64_value(&mut self, f: ir::Value) -> ir::Value {
        let bits = self.b.ins().bitcast(types::I64, MemFlagsData::new(), f);
        let nan = self.b.ins().fcmp(FloatCC::Unordered, f, f);
        let canon = self.iconst(CANONICAL_NAN as i64);
        self.b.ins().select(nan, canon, bits)
    }

    fn bool_val(&mut self, c: ir::Value) -> ir::Value {
        let w = self.b.ins().uextend(types::I64, c);
        self.b.ins().bor_imm_s(w, FALSE)
    }

    /// `x k y` with the signed-overflow flag.
    fn overflowing(&mut self, k: Kind, x: ir::Value, y: ir::Value) -> (ir::Value, ir::Value) {
        match k {
            Kind::Add => self.b.ins().sadd_overflow(x, y),
            Kind::Sub => self.b.ins().ssub_overflow(x, y),
            Kind::Mul => self.b.ins().smul_overflow(x, y),
        }
    }

    /// True when every register operand of `a op rhs` is INT.
    fn all_int(&self, a: u16, rhs: Rhs) -> bool {
        self.int_use(a)
            && match rhs {
                Rhs::Reg(b) => self.int_use(b),
                _ => true,
            }
    }

    /// Ends a checked int operation: on overflow (a cold path that does not rejoin)
    /// `unboxed::jit_int_overflow` makes the interpreter's error (`Integer overflow:
    /// a + b`) from the instruction's raw operands `operands` (in its order; the second
    /// is unused by `AddI`/`SubI`/`Neg`), passed in the scratch slot; otherwise `dst`
    /// is the int `v`.
    fn raw_result(
        &mut self,
        pc: usize,
        dst: u16,
        v: ir::Value,
        overflow: ir::Value,
        operands: (ir::Value, ir::Value),
    ) {
        let slow = self.b.create_block();
        let ok = self.b.create_block();
        self.brif(overflow, slow, ok);
        self.enter(slow);
        self.coldly(|t| {
            // Outside `try` the frame ends here and nothing is stored; inside, the
            // handler's GC roots are (`Spill::Raise`).
            t.spill(pc, &[], Spill::Raise);
            let proto = t.iconst(t.env.proto as i64);
            let pcv = t.iconst(pc as i64);
            // The operands go through memory: as call arguments they would pin the
            // hot loop's registers (a move per iteration in `fib_iter`).
            let (x, y) = operands;
            let ss = t.scratch_slot();
            t.b.ins().stack_store(t.env.ptr_ty, x, ss, 0);
            t.b.ins().stack_store(t.env.ptr_ty, y, ss, 8);
            let addr = t.b.ins().stack_addr(t.env.ptr_ty, ss, 0);
            let f = unboxed::jit_int_overflow as *const () as usize;
            t.hcall(f, &[t.vm, proto, pcv, addr]);
            t.err_jump(pc);
        });
        self.enter(ok);
        self.set_raw(dst, v);
    }

    /// `Add`/`Sub`/`Mul` (`rhs` a register), `AddI`/`SubI` (an immediate) and `Neg`
    /// (`Rhs::None`): full 64-bit checked arithmetic when the operands are INT,
    /// otherwise the guarded int/float fast paths.
    pub(super) fn arith(&mut self, pc: usize, op: Op, dst: u16, a: u16, rhs: Rhs) {
        let k = kind(&op);
        if self.all_int(a, rhs) {
            let (v, of, operands) = match rhs {
                Rhs::Reg(b) => {
                    let (x, y) = (self.ri(a), self.ri(b));
                    let (v, of) = self.overflowing(k, x, y);
                    (v, of, (x, y))
                }
                Rhs::Imm(i) => {
                    // `x + i` overflows exactly when x > MAX - i (i >= 0) or x < MIN - i
                    // (i < 0): a compare the branch can use directly.
                    let i = if k == Kind::Sub { -i } else { i };
                    let x = self.ri(a);
                    let below = self
                        .below_max
                        .get(self.pc)
                        .is_some_and(|s| s.has(a as usize));
                    let above = self
                        .above_min
                        .get(self.pc)
                        .is_some_and(|s| s.has(a as usize));
                    let i16_range = i64::from(i16::MIN)..=-1;
                    if (i == 1 && below) || (above && i16_range.contains(&i)) {
                        // Known below MAX (a dominating `a < b`), or at least
                        // `i16::MIN` with a negative 16-bit step: cannot overflow.
                        let v = self.b.ins().iadd_imm_s(x, i);
                        self.set_raw(dst, v);
                        return;
                    }
                    let of = if i >= 0 {
                        self.b
                            .ins()
                            .icmp_imm_s(IntCC::SignedGreaterThan, x, i64::MAX - i)
                    } else {
                        self.b
                            .ins()
                            .icmp_imm_s(IntCC::SignedLessThan, x, i64::MIN - i)
                    };
                    (self.b.ins().iadd_imm_s(x, i), of, (x, x))
                }
                Rhs::None => {
                    let (x, y) = (self.iconst(0), self.ri(a));
                    let (v, of) = self.overflowing(k, x, y);
                    (v, of, (y, y))
                }
            };
            self.raw_result(pc, dst, v, of, operands);
            return;
        }
        if let Rhs::Reg(b) = rhs {
            if self.int_use(a) != self.int_use(b) {
                self.arith_one_int(pc, k, dst, a, b);
                return;
            }
        }
        let x = self.r(a);
        let y = match rhs {
            Rhs::Reg(b) => Some(self.r(b)),
            _ => None,
        };
        let (join, slow) = self.join_and_slow();
        let ints = match y {
            Some(y) => self.ints(&[x, y]),
            None => self.ints(&[x]),
        };
        let int_b = self.b.create_block();
        let fchk = self.b.create_block();
        self.branch(ints, int_b, fchk);

        // Inline ints, shifted left by 16 so that 64-bit overflow is 48-bit overflow
        // (a product shifts one factor only).
        if ints != Cond::Never {
            self.enter(int_b);
            let sx = self.shl16(x);
            let (s, of) = match (rhs, y) {
                (_, Some(y)) if k == Kind::Mul => {
                    let iy = self.payload(y);
                    self.overflowing(k, sx, iy)
                }
                (_, Some(y)) => {
                    let sy = self.shl16(y);
                    self.overflowing(k, sx, sy)
                }
                (Rhs::Imm(i), None) => {
                    let sk = self.iconst(i << 16);
                    self.overflowing(k, sx, sk)
                }
                (_, None) => {
                    let zero = self.iconst(0);
                    self.overflowing(k, zero, sx)
                }
            };
            let done = self.b.create_block();
            self.brif(of, slow, done);
            self.enter(done);
            let v = self.box_shifted(s);
            self.set(dst, v);
            self.jump(join, &[]);
        }

        // Floats (NaN results canonicalised); an int immediate never takes a float.
        if ints != Cond::Always {
            self.enter(fchk);
            let fr = match (rhs, y) {
                (_, Some(y)) => self.floats_or(x, y, slow).map(|(fx, fy)| match k {
                    Kind::Add => self.b.ins().fadd(fx, fy),
                    Kind::Sub => self.b.ins().fsub(fx, fy),
                    Kind::Mul => self.b.ins().fmul(fx, fy),
                }),
                (Rhs::None, None) => {
                    let isf = self.floats(&[x]);
                    if isf == Cond::Never {
                        self.jump(slow, &[]);
                        None
                    } else {
                        let fb = self.b.create_block();
                        self.branch(isf, fb, slow);
                        self.b.switch_to_block(fb);
                        let fx = self.bits_to_f64(x);
                        Some(self.b.ins().fneg(fx))
                    }
                }
                (_, None) => {
                    self.jump(slow, &[]);
                    None
                }
            };
            if let Some(fr) = fr {
                let v = self.f64_value(fr);
                self.set(dst, v);
                self.jump(join, &[]);
            }
        }

        self.slow_then_join(pc, slow, join);
    }

    /// `a k b` where exactly one operand is INT: 64-bit checked arithmetic on its raw
    /// value and the other's payload when the other is an inline int (overflow raises,
    /// as with two INT operands); anything else (a float, a boxed int) in the helper.
    fn arith_one_int(&mut self, pc: usize, k: Kind, dst: u16, a: u16, b: u16) {
        let ai = self.int_use(a);
        let other = self.r(if ai { b } else { a });
        let ii = self.ints(&[other]);
        let (join, slow) = self.join_and_slow();
        let fast = self.b.create_block();
        self.branch(ii, fast, slow);
        if ii != Cond::Never {
            self.enter(fast);
            let o = self.payload(other);
            let raw = self.ri(if ai { a } else { b });
            let (x, y) = if ai { (raw, o) } else { (o, raw) };
            // A constant beside a 48-bit payload cannot overflow when it is below 2^62
            // (a sum or difference) or 2^15 (a product) in magnitude.
            let limit = if k == Kind::Mul { 1 << 15 } else { 1 << 62 };
            match self.const_int(raw) {
                Some(c) if c.unsigned_abs() < limit => {
                    let v = match k {
                        Kind::Add => self.b.ins().iadd(x, y),
                        Kind::Sub => self.b.ins().isub(x, y),
                        Kind::Mul => self.b.ins().imul(x, y),
                    };
                    self.set_raw(dst, v);
                }
                _ => {
                    let (v, of) = self.overflowing(k, x, y);
                    self.raw_result(pc, dst, v, of, (x, y));
                }
            }
            self.jump(join, &[]);
        }
        self.slow_then_join(pc, slow, join);
    }

    /// `Div`/`Mod`. Two INT operands: a divisor of 0 (raises) or -1 (`MIN / -1`
    /// overflows) goes to the helper, so `sdiv`/`srem` never trap. Otherwise two
    /// inline ints (a zero divisor goes to the helper; 48-bit operands can never be
    /// `i64::MIN / -1`; the one quotient outside the inline range, -2^47 / -1, goes to
    /// the helper), and `Div` on two floats with a nonzero divisor.
    pub(super) fn divmod(&mut self, pc: usize, div: bool, dst: u16, a: u16, b: u16) {
        if self.all_int(a, Rhs::Reg(b)) {
            let x = self.ri(a);
            let y = self.ri(b);
            // y + 1 <= 1 (unsigned) exactly when y is 0 or -1.
            let y1 = self.b.ins().iadd_imm_s(y, 1);
            let bad = self
                .b
                .ins()
                .icmp_imm_s(IntCC::UnsignedLessThanOrEqual, y1, 1);
            let (join, slow) = self.join_and_slow();
            let ok = self.b.create_block();
            self.brif(bad, slow, ok);
            self.b.switch_to_block(ok);
            let r = self.div_rem(div, x, y);
            self.set_raw(dst, r);
            self.jump(join, &[]);
            self.slow_then_join(pc, slow, join);
            return;
        }
        let x = self.r(a);
        let y = self.r(b);
        let (join, slow) = self.join_and_slow();
        let int_b = self.b.create_block();
        let fchk = self.b.create_block();
        let ints = self.ints(&[x, y]);
        self.branch(ints, int_b, fchk);
        if ints != Cond::Never {
            self.b.switch_to_block(int_b);
            let sy = self.shl16(y);
            let ix = self.payload(x);
            let nz = self.b.create_block();
            // `sy == 0` exactly when the divisor is 0; a constant 0 leaves no int path.
            let iy = match self.const_int(sy) {
                Some(0) => None,
                Some(c) => {
                    let iy = self.iconst(c >> 16);
                    self.jump(nz, &[]);
                    Some(iy)
                }
                None => {
                    let iy = self.b.ins().sshr_imm_s(sy, 16);
                    self.brif(sy, nz, slow);
                    Some(iy)
                }
            };
            if let Some(iy) = iy {
                self.b.switch_to_block(nz);
                let r = self.div_rem(div, ix, iy);
                let ok = self.b.create_block();
                if div {
                    let big =
                        self.b
                            .ins()
                            .icmp_imm_s(IntCC::Equal, r, crate::value::INLINE_INT_MAX + 1);
                    self.brif(big, slow, ok);
                } else {
                    self.jump(ok, &[]);
                }
                self.b.switch_to_block(ok);
                let rs = self.shl16(r);
                let v = self.box_shifted(rs);
                self.set(dst, v);
                self.jump(join, &[]);
            } else {
                self.jump(slow, &[]);
            }
        }

        if ints != Cond::Always {
            self.b.switch_to_block(fchk);
            let fl = if div {
                self.floats_or(x, y, slow)
            } else {
                self.jump(slow, &[]);
                None
            };
            if let Some((fx, fy)) = fl {
                let zero = self.b.ins().f64const(0.0);
                let yz = self.b.ins().fcmp(FloatCC::Equal, fy, zero);
                let fd = self.b.create_block();
                self.brif(yz, slow, fd);
                self.b.switch_to_block(fd);
                let fr = self.b.ins().fdiv(fx, fy);
                let v = self.f64_value(fr);
                self.set(dst, v);
                self.jump(join, &[]);
            }
        }
        self.slow_then_join(pc, slow, join);
    }

    /// `Cmp`/`CmpI`/`JmpCmp`/`JmpCmpI` of `a` and `rhs`: a plain `icmp` when both are
    /// INT; an INT register against another one unboxes the other when it is an inline
    /// int; anything else takes the guarded int/float paths and the helper.
    pub(super) fn compare(&mut self, pc: usize, op: CmpOp, a: u16, rhs: Rhs, out: CmpOut) {
        let cc = int_cc(op);
        let ai = self.int_use(a);
        match rhs {
            Rhs::Imm(k) if ai => {
                let x = self.ri(a);
                let c = self.b.ins().icmp_imm_s(cc, x, k);
                self.cmp_result(c, out);
                return;
            }
            Rhs::Reg(b) if ai && self.int_use(b) => {
                let x = self.ri(a);
                let y = self.ri(b);
                let c = self.b.ins().icmp(cc, x, y);
                self.cmp_result(c, out);
                return;
            }
            Rhs::Reg(b) if ai || self.int_use(b) => {
                // One INT register: compare raw when the other holds an inline int.
                let other = self.r(if ai { b } else { a });
                let ii = self.ints(&[other]);
                let o = self.payload(other);
                let fast = self.b.create_block();
                let generic = self.b.create_block();
                self.branch(ii, fast, generic);
                self.enter(fast);
                let raw = self.ri(if ai { a } else { b });
                let (x, y) = if ai { (raw, o) } else { (o, raw) };
                let c = self.b.ins().icmp(cc, x, y);
                match out {
                    CmpOut::Reg(dst) => {
                        let after = self.b.create_block();
                        let v = self.bool_val(c);
                        self.set(dst, v);
                        self.jump(after, &[]);
                        self.b.switch_to_block(generic);
                        self.compare_boxed(pc, op, a, rhs, out);
                        self.jump(after, &[]);
                        self.b.switch_to_block(after);
                    }
                    CmpOut::Branch { fall, target } => {
                        self.brif(c, fall, target);
                        self.b.switch_to_block(generic);
                        self.compare_boxed(pc, op, a, rhs, out);
                        self.close_unreachable();
                    }
                }
                return;
            }
            _ => {}
        }
        self.compare_boxed(pc, op, a, rhs, out);
        if let CmpOut::Branch { .. } = out {
            self.close_unreachable();
        }
    }

    /// Closes the current block, which nothing reaches (after a comparison that ended
    /// in a branch).
    fn close_unreachable(&mut self) {
        self.terminated = false;
        let null = self.iconst(NULL);
        let ret = self.normal_return();
        self.jump(ret, &[null]);
        self.terminated = true;
    }

    /// A comparison's result: `dst` set to a bool, or a branch (`JmpCmp` jumps when
    /// the comparison is false).
    fn cmp_result(&mut self, c: ir::Value, out: CmpOut) {
        match out {
            CmpOut::Reg(dst) => {
                let v = self.bool_val(c);
                self.set(dst, v);
            }
            CmpOut::Branch { fall, target } => {
                self.brif(c, fall, target);
                let dead = self.b.create_block();
                self.b.switch_to_block(dead);
                self.close_unreachable();
            }
        }
    }

    /// A comparison of NaN-boxed operands with inline int and float fast paths. Ends
    /// in a fresh block: the continuation for `CmpOut::Reg`, unreachable for a branch.
    fn compare_boxed(&mut self, pc: usize, op: CmpOp, a: u16, rhs: Rhs, out: CmpOut) {
        let x = self.r(a);
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let int_b = self.b.create_block();
        let join = self.b.create_block();
        let (y, k) = match rhs {
            Rhs::Reg(b) => (Some(self.r(b)), None),
            Rhs::Imm(i) => (None, Some(i)),
            Rhs::None => (None, Some(0)),
        };
        let fchk = self.b.create_block();
        let ints = match y {
            Some(y) => self.ints(&[x, y]),
            None => self.ints(&[x]),
        };
        // An int immediate never compares as a float here.
        self.branch(ints, int_b, if y.is_some() { fchk } else { slow });
        if ints != Cond::Never {
            self.enter(int_b);
            let sx = self.shl16(x);
            let sy = match (y, k) {
                (Some(y), _) => self.shl16(y),
                (None, k) => self.iconst(k.unwrap_or(0) << 16),
            };
            let c = self.b.ins().icmp(int_cc(op), sx, sy);
            self.cmp_out(c, out, join);
        }
        if let (Some(y), true) = (y, ints != Cond::Always) {
            self.b.switch_to_block(fchk);
            if let Some((fx, fy)) = self.floats_or(x, y, slow) {
                let c = self.b.ins().fcmp(float_cc(op), fx, fy);
                self.cmp_out(c, out, join);
            }
        }
        self.b.switch_to_block(slow);
        let res = self.cold_slow(pc);
        match out {
            CmpOut::Reg(_) => self.jump(join, &[]),
            CmpOut::Branch { fall, target } => {
                let taken = self.b.ins().icmp_imm_s(IntCC::Equal, res, 1);
                self.brif(taken, target, fall);
            }
        }
        self.b.switch_to_block(join);
    }

    fn cmp_out(&mut self, c: ir::Value, out: CmpOut, join: Block) {
        match out {
            CmpOut::Reg(dst) => {
                let v = self.bool_val(c);
                self.set(dst, v);
                self.jump(join, &[]);
            }
            // `JmpCmp` jumps when the comparison is false.
            CmpOut::Branch { fall, target } => self.brif(c, fall, target),
        }
    }

    /// Truthiness of register `reg` as an `i64` 0/1: an INT register is a compare with
    /// zero; a value is fast for bools and inline ints, `jit_truthy` otherwise (pure,
    /// no allocation).
    pub(super) fn truth(&mut self, reg: u16) -> ir::Value {
        if self.int_use(reg) {
            let x = self.ri(reg);
            let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0);
            return self.b.ins().uextend(types::I64, nz);
        }
        let v = self.r(reg);
        let join = self.b.create_block();
        self.b.append_block_param(join, types::I64);
        let t = self.b.ins().ushr_imm_s(v, 48);
        let is_bool = self.b.ins().icmp_imm_s(IntCC::Equal, t, TAG_BOOL as i64);
        let bb = self.b.create_block();
        let nb = self.b.create_block();
        self.brif(is_bool, bb, nb);
        self.b.switch_to_block(bb);
        let low = self.b.ins().band_imm_s(v, 1);
        self.jump(join, &[low]);
        self.b.switch_to_block(nb);
        let is_int = self.b.ins().icmp_imm_s(IntCC::Equal, t, TAG_INT as i64);
        let ib = self.b.create_block();
        let hb = self.b.create_block();
        self.b.set_cold_block(hb);
        self.brif(is_int, ib, hb);
        self.b.switch_to_block(ib);
        let s = self.shl16(v);
        let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, s, 0);
        let nz = self.b.ins().uextend(types::I64, nz);
        self.jump(join, &[nz]);
        self.b.switch_to_block(hb);
        let r = self.hcall(helpers::jit_truthy as *const () as usize, &[v]);
        self.jump(join, &[r]);
        self.b.switch_to_block(join);
        self.b.block_params(join)[0]
    }
}
