//! String literal bodies: literal text runs, escape sequences and the `${` that opens an
//! interpolation. A string literal must close on the line where it opens.

use super::lexer::{show_char, Lexer, Tok};
use crate::span::Span;
use nom::branch::alt;
use nom::bytes::complete::{take_till1, take_while_m_n};
use nom::character::complete::char;
use nom::combinator::{map_opt, value};
use nom::sequence::{delimited, preceded};
use nom::IResult;

/// A plain run of string text: no escape, quote, `$` or line break.
fn text_run(i: &str) -> IResult<&str, &str> {
    take_till1(|c| matches!(c, '"' | '\\' | '$' | '\n'))(i)
}

/// A simple one-character escape after the backslash.
fn simple_escape(i: &str) -> IResult<&str, char> {
    alt((
        value('\n', char('n')),
        value('\t', char('t')),
        value('\r', char('r')),
        value('\0', char('0')),
        value('\\', char('\\')),
        value('"', char('"')),
        value('$', char('$')),
    ))(i)
}

/// `u{XXXX}` after the backslash: the hex digits, not yet checked as a code point.
fn unicode_escape(i: &str) -> IResult<&str, u32> {
    preceded(
        char('u'),
        delimited(
            char('{'),
            map_opt(
                take_while_m_n(1, 6, |c: char| c.is_ascii_hexdigit()),
                |h: &str| u32::from_str_radix(h, 16).ok(),
            ),
            char('}'),
        ),
    )(i)
}

/// Scans a string body after its opening quote (or after the `}` of an interpolation),
/// emitting `StrText` runs, then either `StrEnd` or `InterpStart` (leaving the lexer in
/// interpolation mode). `quote` is the opening quote, where an unterminated string is
/// reported.
pub(super) fn scan_body(lx: &mut Lexer<'_>, quote: Span) {
    let mut text = String::new();
    let mut text_span: Option<Span> = None;
    loop {
        let Some(c) = lx.rest.chars().next() else {
            return unterminated(lx, quote);
        };
        match c {
            '\n' => return unterminated(lx, quote),
            '"' => {
                flush(lx, &mut text, text_span.take());
                let span = lx.span_here(1);
                lx.push(Tok::StrEnd, span);
                lx.advance(1);
                return;
            }
            '$' if lx.rest.starts_with("${") => {
                flush(lx, &mut text, text_span.take());
                let span = lx.span_here(2);
                lx.push(Tok::InterpStart, span);
                lx.advance(2);
                lx.open_interp(quote);
                return;
            }
            '$' => {
                text_span.get_or_insert(lx.span_here(1));
                text.push('$');
                lx.advance(1);
            }
            '\\' => {
                text_span.get_or_insert(lx.span_here(1));
                if !escape(lx, &mut text) {
                    return unterminated(lx, quote);
                }
            }
            _ => {
                if let Ok((rest, run)) = text_run(lx.rest) {
                    text_span.get_or_insert(lx.span_here(run.len()));
                    text.push_str(run);
                    lx.advance_to(rest);
                }
            }
        }
    }
}

/// Decodes one escape sequence at a backslash into `text`. Reports bad escapes and
/// carries on; returns false when the line or file ends right after the backslash.
fn escape(lx: &mut Lexer<'_>, text: &mut String) -> bool {
    let after = &lx.rest[1..];
    let Some(next) = after.chars().next() else {
        return false;
    };
    if next == '\n' {
        return false;
    }
    if let Ok((rest, c)) = simple_escape(after) {
        text.push(c);
        lx.advance_to(rest);
        return true;
    }
    if next == 'u' {
        match unicode_escape(after) {
            Ok((rest, code)) => {
                let len = 1 + after.len() - rest.len();
                let span = lx.span_here(len);
                match char::from_u32(code) {
                    Some(c) => text.push(c),
                    None => lx.error(format!("invalid unicode code point {code:X}"), span),
                }
                lx.advance_to(rest);
            }
            Err(_) => {
                let span = lx.span_here(2);
                lx.error(
                    "invalid unicode escape: expected '\\u{' with 1 to 6 hex digits and '}'",
                    span,
                );
                lx.advance(2);
            }
        }
        return true;
    }
    let span = lx.span_here(1 + next.len_utf8());
    let shown = show_char(next);
    let inner = &shown[1..shown.len() - 1];
    lx.error(format!("unknown escape sequence '\\{inner}'"), span);
    lx.advance(1 + next.len_utf8());
    true
}

/// Emits the pending literal text, if any, as one `StrText` token.
fn flush<'a>(lx: &mut Lexer<'a>, text: &mut String, span: Option<Span>) {
    if let Some(span) = span {
        let span = Span {
            end: lx.offset(),
            ..span
        };
        let s: &'a str = lx.arena.alloc_str(text);
        lx.push(Tok::StrText(s), span);
        text.clear();
    }
}

#[cold]
fn unterminated(lx: &mut Lexer<'_>, quote: Span) {
    lx.error("unterminated string literal", quote);
    let here = lx.span_here(0);
    lx.push(Tok::Error, here);
    lx.abandon_strings();
}
