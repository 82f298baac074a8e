//! Container instructions in compiled code (`GetIndex`, `SetIndex`, `GetField`,
//! `SetField`, `IterNext`, `NewDict`): inline array element access, calls to the
//! fast-path helpers at the end of `helpers.rs` that need no spill, and the generic
//! `jit_op` (with the spill) in a cold block for everything they do not handle.

use super::arith::Cond;
use super::{flags, helpers, liveness, Spill, Tr, SENTINEL};
use crate::bytecode::Op;
use crate::heap::object::{array_layout, KIND_ARRAY, OBJ_KIND_OFFSET};
use crate::value::{PAYLOAD_MASK, TAG_OBJ};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, types, Block, InstBuilder};

/// A container instruction's key (`Tr::key`).
#[derive(Clone, Copy)]
enum Key {
    /// An INT register's raw value, and whether it is known to fit inline (`ranges`).
    Raw(ir::Value, bool),
    Boxed(ir::Value),
}

/// Container instructions (`GetIndex`, `SetIndex`, `GetField`, `SetField`, `IterNext`):
/// a call to a fast-path helper that handles the common case without spilling, and the
/// generic `jit_op` (with the spill) in a cold block for everything else.
impl Tr<'_, '_> {
    /// Continues (in a new block) with the object pointer of `o` when `o` is an array
    /// (and `extra`, a condition computed by the caller, holds); jumps to `fail`
    /// otherwise.
    fn array_ptr(&mut self, o: ir::Value, extra: Option<ir::Value>, fail: Block) -> ir::Value {
        let ot = self.b.ins().ushr_imm_s(o, 48);
        let is_obj = self.b.ins().icmp_imm_s(IntCC::Equal, ot, TAG_OBJ as i64);
        let cond = match extra {
            Some(c) => self.b.ins().band(is_obj, c),
            None => is_obj,
        };
        let b1 = self.b.create_block();
        self.brif(cond, b1, fail);
        self.enter(b1);
        let ptr = self.b.ins().band_imm_s(o, PAYLOAD_MASK as i64);
        let kind = self
            .b
            .ins()
            .uload8(types::I64, flags(), ptr, OBJ_KIND_OFFSET);
        let is_arr = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, kind, KIND_ARRAY as i64);
        let b2 = self.b.create_block();
        self.brif(is_arr, b2, fail);
        self.enter(b2);
        ptr
    }

    /// `NewDict`: spills the operands and calls `jit_new_dict`.
    pub(super) fn new_dict(&mut self, pc: usize, op: Op, dst: u16, start: u16, count: u16) {
        let used = liveness::uses(self.proto, &op);
        self.spill(pc, &used, Spill::Helper);
        let (s, n, d) = (start as i64, count as i64, dst as i64);
        let (s, n, d) = (self.iconst(s), self.iconst(n), self.iconst(d));
        let f = helpers::jit_new_dict as *const () as usize;
        let r = self.vmcall(f, &[self.vm, self.frame, s, n, d]);
        self.check_err(r, pc);
        self.set(dst, r);
    }

    /// A key operand: an INT register's raw value indexes an array without boxing (it
    /// is boxed only for the helper); anything else is the NaN-boxed value.
    fn key(&mut self, key: u16) -> Key {
        if self.int_use(key) {
            Key::Raw(self.ri(key), self.ranges.fits(self.pc, key))
        } else {
            Key::Boxed(self.r(key))
        }
    }

    /// The NaN-boxed value of key `k`.
    fn boxed_key(&mut self, k: Key) -> ir::Value {
        match k {
            Key::Raw(raw, fits) => self.box_known(raw, fits),
            Key::Boxed(v) => v,
        }
    }

    /// `GetIndex`: an array element inline, else `jit_get_index`, else `jit_op`.
    pub(super) fn get_index(&mut self, pc: usize, dst: u16, obj: u16, key: u16) {
        let (o, k) = (self.r(obj), self.key(key));
        let call = self.b.create_block();
        let join = self.b.create_block();
        if let Some(addr) = self.array_elem_addr(o, k, call) {
            let v = self.b.ins().load(types::I64, flags(), addr, 0);
            self.set(dst, v);
            self.jump(join, &[]);
        } else {
            self.jump(call, &[]);
        }
        self.b.switch_to_block(call);
        let k = self.boxed_key(k);
        let v = self.hcall(helpers::jit_get_index as *const () as usize, &[o, k]);
        self.load_or_slow(pc, dst, v);
        self.jump(join, &[]);
        self.b.switch_to_block(join);
    }

    /// `GetField` with constant `key`: `jit_get_field`, else `jit_op`.
    pub(super) fn get_field(
        &mut self,
        pc: usize,
        dst: u16,
        obj: u16,
        key: u16,
    ) -> Result<(), String> {
        let o = self.r(obj);
        let k = self.const_bits(key)?;
        let v = self.hcall(helpers::jit_get_field as *const () as usize, &[o, k]);
        self.load_or_slow(pc, dst, v);
        Ok(())
    }

    /// `SetIndex`: an array element inline, else `jit_set_item`, else `jit_op`.
    pub(super) fn set_index(&mut self, pc: usize, obj: u16, key: u16, src: u16) {
        let (o, k, v) = (self.r(obj), self.key(key), self.r(src));
        let call = self.b.create_block();
        let join = self.b.create_block();
        if let Some(addr) = self.array_elem_addr(o, k, call) {
            self.b.ins().store(flags(), v, addr, 0);
            self.jump(join, &[]);
        } else {
            self.jump(call, &[]);
        }
        self.b.switch_to_block(call);
        let k = self.boxed_key(k);
        let f = helpers::jit_set_item as *const () as usize;
        let res = self.hcall(f, &[self.vm, o, k, v]);
        self.store_or_slow(pc, res);
        self.jump(join, &[]);
        self.b.switch_to_block(join);
    }

    /// `SetField` with constant `key`: `jit_set_field`, else `jit_op`.
    pub(super) fn set_field(
        &mut self,
        pc: usize,
        obj: u16,
        key: u16,
        src: u16,
    ) -> Result<(), String> {
        let o = self.r(obj);
        let k = self.const_bits(key)?;
        let v = self.r(src);
        let f = helpers::jit_set_field as *const () as usize;
        let res = self.hcall(f, &[self.vm, o, k, v]);
        self.store_or_slow(pc, res);
        Ok(())
    }

    /// Inline array access: when `o` is an array and `k` an int in `0..len`, continues
    /// (in a new block) with the address of element `k` and returns it; otherwise
    /// branches to `fail`. `None` (nothing emitted) when `k` cannot be an int or this
    /// build's array layout is unknown (`heap::object::array_layout`).
    fn array_elem_addr(&mut self, o: ir::Value, k: Key, fail: Block) -> Option<ir::Value> {
        let l = array_layout()?;
        // A constant key that is no inline int (a dict's string key) needs no array path;
        // a raw int needs no tag test.
        let is_int = match k {
            Key::Raw(..) => None,
            Key::Boxed(k) => match self.ints(&[k]) {
                Cond::Never => return None,
                Cond::Nonzero(c) => Some(c),
                _ => None,
            },
        };
        let ptr = self.array_ptr(o, is_int, fail);
        let len = self.b.ins().load(types::I64, flags(), ptr, l.len);
        // Compared with the length as unsigned, a negative index is never below it: a
        // negative raw int is huge, and a negative inline int has bit 47 of its payload
        // set. Negative indices take the helper.
        let idx = match k {
            Key::Raw(raw, _) => raw,
            Key::Boxed(k) => match self.const_int(k) {
                Some(c) => self.iconst(c & PAYLOAD_MASK as i64),
                None => self.b.ins().band_imm_s(k, PAYLOAD_MASK as i64),
            },
        };
        let inb = self.b.ins().icmp(IntCC::UnsignedLessThan, idx, len);
        let b3 = self.b.create_block();
        self.brif(inb, b3, fail);
        self.enter(b3);
        let data = self.b.ins().load(types::I64, flags(), ptr, l.ptr);
        let off = self.b.ins().ishl_imm_s(idx, 3);
        Some(self.b.ins().iadd(data, off))
    }

    /// `push(arr, x)` / `append(arr, x)` at `pc` (callee `R[base]` loaded by
    /// `LoadBuiltin`, two arguments): an inline append when `arr` is an array with spare
    /// capacity, else `jit_push` (growth), without spilling; `R[base] = arr` either way.
    /// Leaves the builder in a new cold block where the caller emits the generic call
    /// (a non-array: the builtin's own error), and returns the block both paths join.
    pub(super) fn push_fast(&mut self, pc: usize, base: u16) -> Block {
        let (arr, x) = (self.r(base + 1), self.r(base + 2));
        let join = self.b.create_block();
        let call = self.b.create_block();
        if let Some(addr) = self.array_push_addr(arr, call) {
            self.b.ins().store(flags(), x, addr, 0);
            self.set(base, arr);
            self.jump(join, &[]);
        } else {
            self.jump(call, &[]);
        }
        self.b.switch_to_block(call);
        let res = self.hcall(helpers::jit_push as *const () as usize, &[self.vm, arr, x]);
        let done = self.b.create_block();
        let cold = self.b.create_block();
        self.b.set_cold_block(cold);
        self.brif(res, cold, done);
        self.b.switch_to_block(done);
        self.set(base, arr);
        self.jump(join, &[]);
        self.b.switch_to_block(cold);
        // When collecting, the result is stored in its slot first: the array may be in
        // no other live register.
        let generic = self.miss_or_collect(pc, res, join, Some((base, arr)));
        self.b.switch_to_block(generic);
        join
    }

    /// Inline append: when `o` is an array whose length is below its capacity,
    /// continues (in a new block) with the length already incremented and returns the
    /// address of the new last element (for the caller to store into); otherwise
    /// branches to `fail`. `None` (nothing emitted) when the layout is unknown.
    fn array_push_addr(&mut self, o: ir::Value, fail: Block) -> Option<ir::Value> {
        let l = array_layout()?;
        let ptr = self.array_ptr(o, None, fail);
        let len = self.b.ins().load(types::I64, flags(), ptr, l.len);
        let cap = self.b.ins().load(types::I64, flags(), ptr, l.cap);
        let room = self.b.ins().icmp(IntCC::UnsignedLessThan, len, cap);
        let b3 = self.b.create_block();
        self.brif(room, b3, fail);
        self.b.switch_to_block(b3);
        let len1 = self.b.ins().iadd_imm_s(len, 1);
        self.b.ins().store(flags(), len1, ptr, l.len);
        let data = self.b.ins().load(types::I64, flags(), ptr, l.ptr);
        let off = self.b.ins().ishl_imm_s(len, 3);
        Some(self.b.ins().iadd(data, off))
    }

    /// `dst = v`, unless `v` is the helpers' miss marker: then runs `pc` through `jit_op`.
    fn load_or_slow(&mut self, pc: usize, dst: u16, v: ir::Value) {
        let miss = self.b.ins().icmp_imm_s(IntCC::Equal, v, SENTINEL);
        let hit = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        let join = self.b.create_block();
        self.brif(miss, slow, hit);
        self.b.switch_to_block(hit);
        self.set(dst, v);
        self.jump(join, &[]);
        self.slow_then_join(pc, slow, join);
    }

    /// After a fast store helper: 0 is done; 1 is done with a collection due (spill the
    /// live registers, then collect); 2 is not handled (run `pc` through `jit_op`).
    fn store_or_slow(&mut self, pc: usize, res: ir::Value) {
        let join = self.b.create_block();
        let cold = self.b.create_block();
        self.b.set_cold_block(cold);
        self.brif(res, cold, join);
        self.b.switch_to_block(cold);
        let slow = self.miss_or_collect(pc, res, join, None);
        self.slow_then_join(pc, slow, join);
    }

    /// In a cold block, after a fast helper answered `res` (1 or 2) at `pc`: for 1
    /// (done, a collection is due) emits a safe point, with every live register spilled
    /// and `result` (a register and its new value) stored and set, that continues at
    /// `join`; returns the cold block that 2 (not handled) branches to, for the caller
    /// to fill.
    fn miss_or_collect(
        &mut self,
        pc: usize,
        res: ir::Value,
        join: Block,
        result: Option<(u16, ir::Value)>,
    ) -> Block {
        let miss = self.b.ins().icmp_imm_s(IntCC::Equal, res, 2);
        let other = self.b.create_block();
        self.b.set_cold_block(other);
        let gc = self.b.create_block();
        self.b.set_cold_block(gc);
        self.brif(miss, other, gc);
        self.b.switch_to_block(gc);
        self.spill(pc, &[], Spill::Helper);
        if let Some((reg, v)) = result {
            self.b.ins().store(flags(), v, self.frame, reg as i32 * 8);
        }
        self.vmcall(helpers::jit_collect as *const () as usize, &[self.vm]);
        if let Some((reg, v)) = result {
            self.set(reg, v);
        }
        self.jump(join, &[]);
        other
    }

    /// `IterNext` over an array, dict or ASCII text: `jit_iter_step` gives the item and
    /// the position advances here; anything else (the end, non-ASCII characters,
    /// errors) goes through `jit_op`.
    pub(super) fn iter_next_fast(
        &mut self,
        pc: usize,
        base: u16,
        dst: u16,
        exit: Block,
        fall: Block,
    ) {
        let (c, p, x) = (self.r(base), self.r(base + 1), self.r(base + 2));
        let call = self.b.create_block();
        if let Some(addr) = self.array_elem_addr(c, Key::Boxed(p), call) {
            let v = self.b.ins().load(types::I64, flags(), addr, 0);
            self.iter_item(base, dst, v, p, fall);
        } else {
            self.jump(call, &[]);
        }
        self.b.switch_to_block(call);
        let f = helpers::jit_iter_step as *const () as usize;
        let v = self.hcall(f, &[self.vm, c, p, x]);
        let miss = self.b.ins().icmp_imm_s(IntCC::Equal, v, SENTINEL);
        let hit = self.b.create_block();
        let slow = self.b.create_block();
        self.b.set_cold_block(slow);
        self.brif(miss, slow, hit);
        self.b.switch_to_block(hit);
        self.iter_item(base, dst, v, p, fall);
        self.b.switch_to_block(slow);
        let res = self.slow(pc);
        let done = self.b.ins().icmp_imm_s(IntCC::Equal, res, 1);
        self.brif(done, exit, fall);
    }

    /// The item `v` of an `IterNext` at position `p`: `dst = v`, the position advanced,
    /// then on to `fall`. The position is a non-negative inline int below the
    /// collection's length, so adding 1 to its bits adds 1 to the int.
    fn iter_item(&mut self, base: u16, dst: u16, v: ir::Value, p: ir::Value, fall: Block) {
        self.set(dst, v);
        let p1 = self.b.ins().iadd_imm_s(p, 1);
        self.set(base + 1, p1);
        self.jump(fall, &[]);
    }
}
