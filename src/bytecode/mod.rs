//! Register bytecode: the instruction set (`op`), compiled functions (`proto`) and
//! builtin identities (`builtin`). Plain data, produced by `crate::compiler`.

pub mod builtin;
pub mod op;
pub mod proto;

pub use builtin::Builtin;
pub use op::{CmpOp, ConstIdx, GlobalIdx, Op, ProtoIdx, Reg, Target, UpvalIdx};
pub use proto::{Const, Handler, Program, Proto, UpvalDesc, UpvalSource};
