//! `RtError`: how a runtime error travels from `ops`, builtins and the interpreter up
//! to the nearest `try` handler (or out of the program).

use crate::value::Value;

/// A raised runtime error, before the VM turns it into an error value with a traceback.
#[derive(Debug, Clone)]
pub enum RtError {
    /// An error raised by the runtime, e.g. `Integer overflow: 9223372036854775807 + 1`.
    Message(String),
    /// A value raised by `throw(v)`; an error value that is re-thrown keeps its traceback.
    Thrown(Value),
    /// `exit(code)`: unwinds every frame and ends the program; `try` does not catch it.
    Exit(i32),
}

/// The result of an operation that may raise.
pub type RtResult<T> = Result<T, RtError>;

impl RtError {
    /// A runtime error with a message.
    #[cold]
    #[inline(never)]
    pub fn msg(message: impl Into<String>) -> RtError {
        RtError::Message(message.into())
    }
}

/// `Err(RtError::msg(..))` with `format!` arguments.
#[macro_export]
macro_rules! rt_bail {
    ($($arg:tt)*) => {
        return Err($crate::error::RtError::msg(format!($($arg)*)))
    };
}
