//! `FuncState`: the proto under construction — its code buffer with spans, the
//! deduplicated constant table, upvalue descriptors, handlers, child protos, block
//! scopes and loop contexts — and the small emit/patch helpers on it.

use super::regalloc::Regs;
use crate::bytecode::{Const, ConstIdx, Handler, Op, Proto, Reg, Target, UpvalDesc};
use crate::span::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// The largest constant table a proto may have (indices are `u16`).
pub(crate) const MAX_CONSTS: usize = u16::MAX as usize + 1;

/// A hashable identity for a constant, so equal constants share one slot.
/// Floats are keyed by their bits (so `0.0` and `-0.0` stay distinct).
#[derive(Clone, PartialEq, Eq, Hash)]
enum ConstKey {
    Int(i64),
    Float(u64),
    Str(Rc<str>),
}

/// One local variable visible in a block scope.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Local<'a> {
    pub name: &'a str,
    pub reg: Reg,
    pub mutable: bool,
    /// The register holds a cell (the variable is captured by an inner function).
    pub cell: bool,
}

/// A block scope: its locals in declaration order, and the first register it owns.
#[derive(Debug)]
pub(crate) struct Scope<'a> {
    pub locals: Vec<Local<'a>>,
    pub reg_base: u32,
}

/// An enclosing loop: where `continue` goes and the `break` jumps to patch at its exit.
#[derive(Debug)]
pub(crate) struct LoopCtx {
    pub continue_target: u32,
    pub breaks: Vec<usize>,
}

/// The proto being compiled, plus its compile-time-only state.
pub(crate) struct FuncState<'a> {
    pub id: u32,
    pub name: Rc<str>,
    pub nparams: u16,
    pub span: Span,
    /// True for the script body (proto 0): `return` is an error there.
    pub is_script: bool,
    pub code: Vec<Op>,
    pub spans: Vec<Span>,
    consts: Vec<Const>,
    const_map: HashMap<ConstKey, u16>,
    pub upvals: Vec<UpvalDesc>,
    pub handlers: Vec<Handler>,
    pub children: Vec<Rc<Proto>>,
    pub scopes: Vec<Scope<'a>>,
    pub loops: Vec<LoopCtx>,
    pub regs: Regs,
    /// The most recent pc that a forward jump was patched to (or a handler starts
    /// at): if it equals `code.len()`, control can reach the end of the code.
    last_label: Option<u32>,
    consts_overflowed: bool,
}

impl<'a> FuncState<'a> {
    pub fn new(id: u32, name: Rc<str>, nparams: u16, span: Span, is_script: bool) -> Self {
        FuncState {
            id,
            name,
            nparams,
            span,
            is_script,
            code: Vec::new(),
            spans: Vec::new(),
            consts: Vec::new(),
            const_map: HashMap::new(),
            upvals: Vec::new(),
            handlers: Vec::new(),
            children: Vec::new(),
            scopes: Vec::new(),
            loops: Vec::new(),
            regs: Regs::new(),
            last_label: None,
            consts_overflowed: false,
        }
    }

    /// Appends `op` with its source span; returns its pc.
    pub fn emit(&mut self, op: Op, span: Span) -> usize {
        self.code.push(op);
        self.spans.push(span);
        self.code.len() - 1
    }

    /// The pc of the next instruction.
    pub fn pc(&self) -> u32 {
        self.code.len() as u32
    }

    /// Marks the next pc as a jump target and returns it.
    pub fn label_here(&mut self) -> u32 {
        let pc = self.pc();
        self.last_label = Some(pc);
        pc
    }

    /// Points every jump in `jumps` at the next instruction.
    pub fn patch_here(&mut self, jumps: &[usize]) {
        if jumps.is_empty() {
            return;
        }
        let here = self.label_here();
        for &j in jumps {
            if let Some(t) = self.code.get_mut(j).and_then(Op::target_mut) {
                *t = Target(here);
            }
        }
    }

    /// True when control can reach the next instruction: nothing was emitted since
    /// `since`, the last instruction falls through, or a jump targets the next pc.
    pub fn falls_through(&self, since: usize) -> bool {
        match self.code.last() {
            _ if self.code.len() <= since => true,
            Some(op) => !op.ends_block() || self.last_label == Some(self.pc()),
            None => true,
        }
    }

    /// The index of `c` in the constant table, adding it if new. `None` when the
    /// table is full (the caller reports the error once).
    pub fn constant(&mut self, c: Const) -> Option<ConstIdx> {
        let key = match &c {
            Const::Int(i) => ConstKey::Int(*i),
            Const::Float(f) => ConstKey::Float(f.to_bits()),
            Const::Str(s) => ConstKey::Str(s.clone()),
        };
        if let Some(&i) = self.const_map.get(&key) {
            return Some(ConstIdx(i));
        }
        if self.consts.len() >= MAX_CONSTS {
            return None;
        }
        let i = self.consts.len() as u16;
        self.consts.push(c);
        self.const_map.insert(key, i);
        Some(ConstIdx(i))
    }

    /// Records that the constant table overflowed; true the first time only.
    pub fn note_const_overflow(&mut self) -> bool {
        !std::mem::replace(&mut self.consts_overflowed, true)
    }

    /// The visible local called `name`, innermost scope first.
    pub fn find_local(&self, name: &str) -> Option<Local<'a>> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.locals.iter().rev())
            .find(|l| l.name == name)
            .copied()
    }

    /// Finishes the proto: appends `ReturnNull` when control can fall off the end.
    pub fn finish(mut self, end_span: Span) -> Proto {
        if self.falls_through(0) {
            self.emit(Op::ReturnNull, end_span);
        }
        Proto {
            id: self.id,
            name: self.name,
            nparams: self.nparams,
            nregs: self.regs.nregs().max(self.nparams),
            code: self.code,
            spans: self.spans,
            consts: self.consts,
            upvals: self.upvals,
            handlers: self.handlers,
            children: self.children,
            span: self.span,
        }
    }
}
