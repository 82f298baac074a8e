//! `ruff dump --regs`: the readable listing of every function's register bytecode.
//!
//! The format is a user surface, kept stable and covered by golden tests
//! (tests/dump/). It is:
//!
//! ```text
//! globals:
//!   g0 = fib
//!
//! function <script> (id 0, params 0, registers 3, upvalues 0) at line 1
//!   code:
//!        0  [2]    r0 = CLOSURE p0 ; fib (id 1)
//!        1  [2]    SETGLOBAL g0 = r0 ; fib
//!        ...
//!
//! function fib (id 1, params 1, registers 4, upvalues 0) at line 2
//!   code:
//!        0  [3]    JMPCMPI !(r0 < 2) -> @2
//!        1  [4]    RETURN r0
//!        2  [6]    r1 = GETGLOBAL g0 ; fib
//!        3  [6]    r2 = SUBI r0, 1
//!        4  [6]    r1 = CALL r1(r2)
//!        ...
//!
//! function risky (id 2, params 1, registers 4, upvalues 1) at line 9
//!   constants:
//!     k0 = "big"
//!   upvalues:
//!     u0 = counter (parent r1)
//!   handlers:
//!     @0..@3 -> @4 (error in r1)
//!   code:
//!        ...
//! ```
//!
//! - The `globals:` section lists every global slot (omitted when there are none).
//! - Functions follow in `Proto::walk` order (parents before children), separated
//!   by blank lines. The header gives the name, proto id, parameter count,
//!   register count, upvalue count and the line of the definition.
//! - The `constants:`, `upvalues:` and `handlers:` sections are omitted when empty.
//!   An upvalue's source is `parent rN` (a register of the enclosing function,
//!   holding a cell) or `parent uN` (an upvalue of the enclosing closure). A
//!   handler reads `@start..@end -> @handler`, the range excluding `@end`, plus
//!   `(error in rN)` when the `except` names the error.
//! - Each instruction line holds the pc, `[line]` of its source span, and the
//!   instruction: `rD = MNEMONIC operands` when it writes a register, otherwise
//!   `MNEMONIC operands`. Registers are `rN`, constants `kN` (their value follows
//!   `;`), globals `gN` (name after `;`), upvalues `uN` (name after `;`), child
//!   functions `pN` (name after `;`), jump targets `@pc`, builtins by name.
//!   Conditional jumps read as the condition under which they jump:
//!   `JMPCMP !(r0 < r1) -> @7` jumps when `r0 < r1` is false.

use crate::bytecode::{Const, Op, Program, Proto, UpvalSource};
use std::fmt::Write;

/// Renders the global table and every proto of `program`.
pub fn dump_regs(program: &Program) -> String {
    let mut out = String::new();
    if !program.globals.is_empty() {
        out.push_str("globals:\n");
        for (i, g) in program.globals.iter().enumerate() {
            let _ = writeln!(out, "  g{i} = {g}");
        }
        out.push('\n');
    }
    for (i, proto) in program.main.walk().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        dump_proto(&mut out, program, proto);
    }
    out
}

fn dump_proto(out: &mut String, program: &Program, p: &Proto) {
    let _ = writeln!(
        out,
        "function {} (id {}, params {}, registers {}, upvalues {}) at line {}",
        p.name,
        p.id,
        p.nparams,
        p.nregs,
        p.upvals.len(),
        p.span.line
    );
    if !p.consts.is_empty() {
        out.push_str("  constants:\n");
        for (i, k) in p.consts.iter().enumerate() {
            let _ = writeln!(out, "    k{i} = {}", const_text(k));
        }
    }
    if !p.upvals.is_empty() {
        out.push_str("  upvalues:\n");
        for (i, u) in p.upvals.iter().enumerate() {
            let source = match u.source {
                UpvalSource::ParentReg(r) => format!("parent {r}"),
                UpvalSource::ParentUpval(idx) => format!("parent u{}", idx.0),
            };
            let _ = writeln!(out, "    u{i} = {} ({source})", u.name);
        }
    }
    if !p.handlers.is_empty() {
        out.push_str("  handlers:\n");
        for h in &p.handlers {
            let _ = write!(out, "    {}..{} -> {}", h.start, h.end, h.handler);
            if let Some(r) = h.err_reg {
                let _ = write!(out, " (error in {r})");
            }
            out.push('\n');
        }
    }
    out.push_str("  code:\n");
    for (pc, op) in p.code.iter().enumerate() {
        let line = p.spans.get(pc).map_or(0, |s| s.line);
        let _ = writeln!(
            out,
            "    {pc:>4}  {:<6} {}",
            format!("[{line}]"),
            op_text(program, p, op)
        );
    }
}

/// A constant as source-like text: ints and floats as numbers, strings quoted.
fn const_text(k: &Const) -> String {
    match k {
        Const::Int(i) => i.to_string(),
        Const::Float(f) => format!("{f:?}"),
        Const::Str(s) => format!("{:?}", &**s),
    }
}

/// One instruction, as described in the module docs.
fn op_text(program: &Program, p: &Proto, op: &Op) -> String {
    let k = |idx: crate::bytecode::ConstIdx| match p.consts.get(idx.0 as usize) {
        Some(c) => format!("k{} ; {}", idx.0, const_text(c)),
        None => format!("k{} ; ?", idx.0),
    };
    let field = |idx: crate::bytecode::ConstIdx| match p.consts.get(idx.0 as usize) {
        Some(Const::Str(s)) => format!("k{} ; .{s}", idx.0),
        _ => format!("k{}", idx.0),
    };
    let global = |slot: crate::bytecode::GlobalIdx| match program.globals.get(slot.0 as usize) {
        Some(name) => format!("g{} ; {name}", slot.0),
        None => format!("g{}", slot.0),
    };
    let upval = |idx: crate::bytecode::UpvalIdx| match p.upvals.get(idx.0 as usize) {
        Some(u) => format!("u{} ; {}", idx.0, u.name),
        None => format!("u{}", idx.0),
    };
    let regs = |start: crate::bytecode::Reg, count: u32| {
        (0..count)
            .map(|i| format!("r{}", start.0 as u32 + i))
            .collect::<Vec<_>>()
    };
    match *op {
        Op::Move { dst, src } => format!("{dst} = MOVE {src}"),
        Op::LoadK { dst, k: idx } => format!("{dst} = LOADK {}", k(idx)),
        Op::LoadI { dst, value } => format!("{dst} = LOADI {value}"),
        Op::LoadNull { dst } => format!("{dst} = LOADNULL"),
        Op::LoadBool { dst, value } => format!("{dst} = LOADBOOL {value}"),
        Op::LoadBuiltin { dst, builtin } => format!("{dst} = LOADBUILTIN {}", builtin.name()),
        Op::GetGlobal { dst, slot } => format!("{dst} = GETGLOBAL {}", global(slot)),
        Op::SetGlobal { slot, src } => {
            let g = global(slot);
            match g.split_once(" ; ") {
                Some((g, name)) => format!("SETGLOBAL {g} = {src} ; {name}"),
                None => format!("SETGLOBAL {g} = {src}"),
            }
        }
        Op::NewCell { dst, src } => format!("{dst} = NEWCELL {src}"),
        Op::GetCell { dst, cell } => format!("{dst} = GETCELL {cell}"),
        Op::SetCell { cell, src } => format!("SETCELL {cell} = {src}"),
        Op::GetUpval { dst, idx } => format!("{dst} = GETUPVAL {}", upval(idx)),
        Op::SetUpval { idx, src } => {
            let u = upval(idx);
            match u.split_once(" ; ") {
                Some((u, name)) => format!("SETUPVAL {u} = {src} ; {name}"),
                None => format!("SETUPVAL {u} = {src}"),
            }
        }
        Op::Closure { dst, proto } => match p.children.get(proto.0 as usize) {
            Some(c) => format!("{dst} = CLOSURE p{} ; {} (id {})", proto.0, c.name, c.id),
            None => format!("{dst} = CLOSURE p{}", proto.0),
        },
        Op::Add { dst, a, b } => format!("{dst} = ADD {a}, {b}"),
        Op::Sub { dst, a, b } => format!("{dst} = SUB {a}, {b}"),
        Op::Mul { dst, a, b } => format!("{dst} = MUL {a}, {b}"),
        Op::Div { dst, a, b } => format!("{dst} = DIV {a}, {b}"),
        Op::Mod { dst, a, b } => format!("{dst} = MOD {a}, {b}"),
        Op::AddI { dst, a, imm } => format!("{dst} = ADDI {a}, {imm}"),
        Op::SubI { dst, a, imm } => format!("{dst} = SUBI {a}, {imm}"),
        Op::Neg { dst, src } => format!("{dst} = NEG {src}"),
        Op::Not { dst, src } => format!("{dst} = NOT {src}"),
        Op::ToBool { dst, src } => format!("{dst} = TOBOOL {src}"),
        Op::Cmp { op, dst, a, b } => format!("{dst} = CMP {a} {} {b}", op.symbol()),
        Op::CmpI { op, dst, a, imm } => format!("{dst} = CMPI {a} {} {imm}", op.symbol()),
        Op::Concat { dst, start, count } => {
            format!("{dst} = CONCAT {}", regs(start, count as u32).join(", "))
        }
        Op::Jmp { target } => format!("JMP -> {target}"),
        Op::Loop { target } => format!("LOOP -> {target}"),
        Op::JmpIf { cond, target } => format!("JMPIF {cond} -> {target}"),
        Op::JmpIfNot { cond, target } => format!("JMPIFNOT {cond} -> {target}"),
        Op::JmpIfNotNull { src, target } => format!("JMPIFNOTNULL {src} -> {target}"),
        Op::JmpCmp { op, a, b, target } => {
            format!("JMPCMP !({a} {} {b}) -> {target}", op.symbol())
        }
        Op::JmpCmpI { op, a, imm, target } => {
            format!("JMPCMPI !({a} {} {imm}) -> {target}", op.symbol())
        }
        Op::NewArray { dst, start, count } => {
            format!(
                "{dst} = NEWARRAY [{}]",
                regs(start, count as u32).join(", ")
            )
        }
        Op::NewDict { dst, start, count } => {
            let r = regs(start, 2 * count as u32);
            let pairs: Vec<String> = r.chunks(2).map(|kv| kv.join(": ")).collect();
            format!("{dst} = NEWDICT {{{}}}", pairs.join(", "))
        }
        Op::GetIndex { dst, obj, key } => format!("{dst} = GETINDEX {obj}[{key}]"),
        Op::SetIndex { obj, key, src } => format!("SETINDEX {obj}[{key}] = {src}"),
        Op::GetField { dst, obj, key } => format!("{dst} = GETFIELD {obj}, {}", field(key)),
        Op::SetField { obj, key, src } => {
            let f = field(key);
            match f.split_once(" ; ") {
                Some((k, name)) => format!("SETFIELD {obj}, {k} = {src} ; {name}"),
                None => format!("SETFIELD {obj}, {f} = {src}"),
            }
        }
        Op::IterPrep { base, src } => format!("ITERPREP {base}, {src}"),
        Op::IterNext { base, dst, exit } => format!("{dst} = ITERNEXT {base} else -> {exit}"),
        Op::Call { base, nargs } => {
            format!(
                "{base} = CALL {base}({})",
                regs(crate::bytecode::Reg(base.0.saturating_add(1)), nargs as u32).join(", ")
            )
        }
        Op::Return { src } => format!("RETURN {src}"),
        Op::ReturnNull => "RETURNNULL".to_string(),
        Op::Throw { src } => format!("THROW {src}"),
    }
}
