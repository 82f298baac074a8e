//! The builtin functions' identities: one enum, its names, and name lookup.
//! The compiler resolves a free name to a `Builtin` once, at compile time; the
//! runtime's builtins module matches on this enum exhaustively.

macro_rules! builtins {
    ($($variant:ident = $name:literal,)*) => {
        /// A builtin function, named by the compiler and implemented in `crate::builtins`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Builtin {
            $($variant,)*
        }

        impl Builtin {
            /// Every builtin, in declaration order (`ALL[b as usize] == b`).
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant,)*];

            /// The name a program calls it by.
            pub fn name(self) -> &'static str {
                match self {
                    $(Builtin::$variant => $name,)*
                }
            }

            /// The builtin called `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Builtin> {
                match name {
                    $($name => Some(Builtin::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

builtins! {
    Print = "print",
    Eprint = "eprint",
    Len = "len",
    Type = "type",
    ToString = "to_string",
    Str = "str",
    ToInt = "to_int",
    ToFloat = "to_float",
    ParseInt = "parse_int",
    ParseFloat = "parse_float",
    Push = "push",
    Append = "append",
    Pop = "pop",
    Insert = "insert",
    RemoveAt = "remove_at",
    Slice = "slice",
    Concat = "concat",
    Contains = "contains",
    IndexOf = "index_of",
    Join = "join",
    Sort = "sort",
    Reverse = "reverse",
    Map = "map",
    Filter = "filter",
    Reduce = "reduce",
    Range = "range",
    Keys = "keys",
    Values = "values",
    Items = "items",
    HasKey = "has_key",
    Get = "get",
    Remove = "remove",
    Split = "split",
    Trim = "trim",
    Upper = "upper",
    Lower = "lower",
    StartsWith = "starts_with",
    EndsWith = "ends_with",
    Replace = "replace",
    Substring = "substring",
    Repeat = "repeat",
    Chars = "chars",
    Ord = "ord",
    Chr = "chr",
    Abs = "abs",
    Min = "min",
    Max = "max",
    Floor = "floor",
    Ceil = "ceil",
    Round = "round",
    Sqrt = "sqrt",
    Pow = "pow",
    Sin = "sin",
    Cos = "cos",
    Tan = "tan",
    Exp = "exp",
    Log = "log",
    BitAnd = "bit_and",
    BitOr = "bit_or",
    BitXor = "bit_xor",
    BitShl = "bit_shl",
    BitShr = "bit_shr",
    PerformanceNow = "performance_now",
    Input = "input",
    Exit = "exit",
    Error = "error",
    Assert = "assert",
    Args = "args",
}

#[cfg(test)]
mod tests {
    use super::Builtin;

    #[test]
    fn names_round_trip() {
        for (i, b) in Builtin::ALL.iter().enumerate() {
            assert_eq!(*b as usize, i);
            assert_eq!(Builtin::from_name(b.name()), Some(*b));
        }
        assert_eq!(Builtin::from_name("nope"), None);
    }
}
