//! String builtins: `split`, `trim`, `upper`, `lower`, `starts_with`, `ends_with`,
//! `replace`, `substring`, `repeat`, `chars`, `ord`, `chr`. Positions count Unicode
//! characters.

use super::array::{char_range, slice_bounds};
use super::Args;
use crate::error::RtResult;
use crate::format;
use crate::heap::Heap;
use crate::value::Value;

/// The largest string `repeat` and `replace` build, in bytes (1 GiB).
const MAX_RESULT_BYTES: u128 = 1 << 30;

/// `split(s, sep)`: the parts of `s` between occurrences of the non-empty `sep`.
pub(super) fn split(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let s = a.str(0)?.as_str();
    let sep = a.str(1)?.as_str();
    if sep.is_empty() {
        return Err(a.fail("empty separator"));
    }
    // A one-character separator splits on a `char` (a byte search), with the same parts.
    let mut one = sep.chars();
    let items: Vec<Value> = match (one.next(), one.next()) {
        (Some(c), None) => s.split(c).map(|p| heap.str(p)).collect(),
        _ => s.split(sep).map(|p| heap.str(p)).collect(),
    };
    Ok(heap.array(items))
}

/// `chars(s)`: an array of the characters of `s`, each a one-character string.
pub(super) fn chars(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let s = a.str(0)?.as_str();
    let mut buf = [0u8; 4];
    let items: Vec<Value> = s
        .chars()
        .map(|c| heap.str(c.encode_utf8(&mut buf)))
        .collect();
    Ok(heap.array(items))
}

/// A builtin that maps one string argument to a new string.
fn map_str(heap: &mut Heap, a: Args, f: impl FnOnce(&str) -> String) -> RtResult<Value> {
    a.exactly(1)?;
    let s = a.str(0)?.as_str();
    Ok(heap.string(f(s)))
}

/// `trim(s)`: `s` without leading and trailing whitespace.
pub(super) fn trim(heap: &mut Heap, a: Args) -> RtResult<Value> {
    map_str(heap, a, |s| s.trim().to_owned())
}

/// `upper(s)`: `s` in upper case (Unicode rules).
pub(super) fn upper(heap: &mut Heap, a: Args) -> RtResult<Value> {
    map_str(heap, a, str::to_uppercase)
}

/// `lower(s)`: `s` in lower case (Unicode rules).
pub(super) fn lower(heap: &mut Heap, a: Args) -> RtResult<Value> {
    map_str(heap, a, str::to_lowercase)
}

/// `starts_with(s, prefix)`.
pub(super) fn starts_with(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    Ok(Value::bool(
        a.str(0)?.as_str().starts_with(a.str(1)?.as_str()),
    ))
}

/// `ends_with(s, suffix)`.
pub(super) fn ends_with(a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    Ok(Value::bool(
        a.str(0)?.as_str().ends_with(a.str(1)?.as_str()),
    ))
}

/// `replace(s, from, to)`: every occurrence of `from` replaced by `to`. An empty `from`
/// inserts `to` before every character and at the end.
pub(super) fn replace(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(3)?;
    let s = a.str(0)?.as_str();
    let from = a.str(1)?.as_str();
    let to = a.str(2)?.as_str();
    let hits = if from.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(from).count()
    };
    if s.len() as u128 + hits as u128 * to.len() as u128 > MAX_RESULT_BYTES {
        return Err(a.fail("result too large"));
    }
    Ok(heap.string(s.replace(from, to)))
}

/// `substring(s, start[, end])`: the characters `start..end` (end defaults to the
/// length); bounds clamp like `slice`.
pub(super) fn substring(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.between(2, 3)?;
    let s = a.str(0)?;
    let (start, end) = slice_bounds(&a, s.char_len())?;
    Ok(heap.str(char_range(s, start, end)))
}

/// `repeat(s, n)`: `s` repeated `n` times; a negative `n` gives `""`. The result is at
/// most 1 GiB.
pub(super) fn repeat(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(2)?;
    let s = a.str(0)?.as_str();
    let n = a.int(1)?.max(0);
    if s.len() as u128 * n as u128 > MAX_RESULT_BYTES {
        return Err(a.fail("result too large"));
    }
    Ok(heap.string(s.repeat(n as usize)))
}

/// `ord(c)`: the code point of a one-character string.
pub(super) fn ord(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let s = a.str(0)?;
    let mut it = s.as_str().chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(heap.int(c as i64)),
        _ => Err(a.fail(format!(
            "expected a single character, got {}",
            format::repr(a.arg(0))
        ))),
    }
}

/// `chr(n)`: the one-character string for code point `n`.
pub(super) fn chr(heap: &mut Heap, a: Args) -> RtResult<Value> {
    a.exactly(1)?;
    let n = a.int(0)?;
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => {
            let mut buf = [0u8; 4];
            Ok(heap.str(c.encode_utf8(&mut buf)))
        }
        None => Err(a.fail(format!("invalid code point {n}"))),
    }
}
