//! String builtins: `split`, `trim`, `upper`, `lower`, `starts_with`, `ends_with`,
//! `replace`, `substring`, `repeat`, `chars`, `ord`, `chr`. Positions count Unicode
//! characters.

use super::array::{char_range, slice_bounds};
use super::Args;
use crate::error::RtResult;
use crate::heap::Heap;
use crate::value::Value;

/// The largest string `repeat` and `replace` build, in bytes (1 GiB).
const MAX_REPEAT_BYTES: u128 = 1 << 30;

/// `split(s[, sep])`: the parts of `s` between occurrences of `sep`; an empty `sep`
/// gives the characters; without `sep`, splits on runs of whitespace (dropping empty
/// parts).
pub(super) fn split(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let args = a.between(1, 2)?;
    let s = a.str(args[0])?.as_str();
    let parts: Vec<&str> = match args.get(1) {
        None => s.split_whitespace().collect(),
        Some(&sep) => {
            let sep = a.str(sep)?.as_str();
            if sep.is_empty() {
                return chars_of(heap, s);
            }
            s.split(sep).collect()
        }
    };
    let items: Vec<Value> = parts.into_iter().map(|p| heap.str(p)).collect();
    Ok(heap.array(items))
}

fn chars_of(heap: &mut Heap, s: &str) -> RtResult<Value> {
    let mut buf = [0u8; 4];
    let items: Vec<Value> = s
        .chars()
        .map(|c| heap.str(c.encode_utf8(&mut buf)))
        .collect();
    Ok(heap.array(items))
}

/// `chars(s)`: an array of the characters of `s`, each a one-character string.
pub(super) fn chars(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let s = a.str(a.one()?)?.as_str();
    chars_of(heap, s)
}

/// `trim(s)`: `s` without leading and trailing whitespace.
pub(super) fn trim(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let s = a.str(a.one()?)?.as_str();
    Ok(heap.str(s.trim()))
}

/// `upper(s)`: `s` in upper case (Unicode rules).
pub(super) fn upper(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let s = a.str(a.one()?)?.as_str();
    Ok(heap.string(s.to_uppercase()))
}

/// `lower(s)`: `s` in lower case (Unicode rules).
pub(super) fn lower(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let s = a.str(a.one()?)?.as_str();
    Ok(heap.string(s.to_lowercase()))
}

/// `starts_with(s, prefix)`.
pub(super) fn starts_with(a: Args) -> RtResult<Value> {
    let (s, p) = a.two()?;
    Ok(Value::bool(
        a.str(s)?.as_str().starts_with(a.str(p)?.as_str()),
    ))
}

/// `ends_with(s, suffix)`.
pub(super) fn ends_with(a: Args) -> RtResult<Value> {
    let (s, p) = a.two()?;
    Ok(Value::bool(
        a.str(s)?.as_str().ends_with(a.str(p)?.as_str()),
    ))
}

/// `replace(s, from, to)`: every occurrence of `from` replaced by `to`. An empty `from`
/// inserts `to` before every character and at the end.
pub(super) fn replace(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let (s, from, to) = a.three()?;
    let s = a.str(s)?.as_str();
    let from = a.str(from)?.as_str();
    let to = a.str(to)?.as_str();
    let hits = if from.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(from).count()
    };
    if s.len() as u128 + hits as u128 * to.len() as u128 > MAX_REPEAT_BYTES {
        return Err(a.fail("result too large"));
    }
    Ok(heap.string(s.replace(from, to)))
}

/// `substring(s, start[, end])`: the characters `start..end` (end defaults to the
/// length); bounds clamp like `slice`.
pub(super) fn substring(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let args = a.between(2, 3)?;
    let s = a.str(args[0])?;
    let (start, end) = slice_bounds(&a, args, s.char_len())?;
    Ok(heap.str(char_range(s, start, end)))
}

/// `repeat(s, n)`: `s` repeated `n` times (`n >= 0`; the result is at most 1 GiB).
pub(super) fn repeat(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let (s, n) = a.two()?;
    let s = a.str(s)?.as_str();
    let n = a.int(n)?;
    if n < 0 {
        return Err(a.fail(format!("count must not be negative, got {n}")));
    }
    if s.len() as u128 * n as u128 > MAX_REPEAT_BYTES {
        return Err(a.fail("result too large"));
    }
    Ok(heap.string(s.repeat(n as usize)))
}

/// `ord(c)`: the code point of a one-character string.
pub(super) fn ord(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let v = a.one()?;
    let s = a.str(v)?;
    let mut it = s.as_str().chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(heap.int(c as i64)),
        _ => Err(a.fail(format!(
            "expected a string of one character, got {} characters",
            s.char_len()
        ))),
    }
}

/// `chr(n)`: the one-character string for code point `n`.
pub(super) fn chr(heap: &mut Heap, a: Args) -> RtResult<Value> {
    let n = a.int(a.one()?)?;
    match u32::try_from(n).ok().and_then(char::from_u32) {
        Some(c) => {
            let mut buf = [0u8; 4];
            Ok(heap.str(c.encode_utf8(&mut buf)))
        }
        None => Err(a.fail(format!("invalid code point {n}"))),
    }
}
