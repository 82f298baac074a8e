//! The parser: source text to an arena-allocated `ast::Program`, or syntax diagnostics.
//!
//! Two stages. `lexer` (nom combinators) turns the text into tokens with spans;
//! `expr` and `stmt` are a recursive-descent, precedence-climbing parser over those
//! tokens. Nesting is counted explicitly (`MAX_EXPR_DEPTH`, `MAX_BLOCK_DEPTH`), so no
//! input can overflow the stack, and every loop consumes a token or stops, so no input
//! can hang. After a syntax error the parser skips to the next statement and carries on,
//! so one run can report several errors.
//!
//! See spec/syntax.md for the grammar this implements.

mod expr;
mod lexer;
mod stmt;
mod string;
#[cfg(test)]
mod tests;

use crate::ast::{Block, Program};
use crate::diag::Diagnostic;
use crate::span::Span;
use lexer::{Tok, Token};

/// Expressions may nest this deep (parentheses, brackets, calls, unary operators...).
pub const MAX_EXPR_DEPTH: u32 = 256;
/// Blocks (`{ ... }` bodies) may nest this deep.
pub const MAX_BLOCK_DEPTH: u32 = 128;
/// At most this many diagnostics are reported for one file; lexing stops there.
pub const MAX_ERRORS: usize = 100;

/// Parses `src` into an AST allocated in `arena`. All syntax errors found are returned,
/// in source order.
pub fn parse<'a>(arena: &'a bumpalo::Bump, src: &'a str) -> Result<Program<'a>, Vec<Diagnostic>> {
    if src.len() > crate::MAX_SOURCE_BYTES {
        return Err(vec![Diagnostic::new(
            "source file is larger than 16 MiB",
            Span::new(0, 0, 1, 1),
        )]);
    }
    let (toks, lex_diags) = lexer::lex(arena, src);
    let mut p = Parser {
        arena,
        src,
        toks,
        pos: 0,
        last: None,
        ignore_nl: false,
        expr_depth: 0,
        block_depth: 0,
        diags: lex_diags,
        recover_at: None,
        eof_reported: false,
    };
    let body = p.program();
    if p.diags.is_empty() {
        return Ok(Program { body });
    }
    let mut diags = p.diags;
    diags.sort_by_key(|d| d.span.start);
    diags.dedup_by_key(|d| d.span.start);
    Err(diags)
}

/// The span of the last character of `span` (which lies on one line).
fn last_char(src: &str, span: Span) -> Span {
    let text = src
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    let Some(c) = text.chars().next_back() else {
        return span;
    };
    let width = text.chars().count() as u32;
    Span::new(
        span.end - c.len_utf8() as u32,
        span.end,
        span.line,
        span.col + width - 1,
    )
}

/// A syntax error has been reported (or deliberately suppressed); unwind to the
/// statement level and resynchronise.
#[derive(Debug)]
struct Failed;

type PResult<T> = Result<T, Failed>;

struct Parser<'a> {
    arena: &'a bumpalo::Bump,
    src: &'a str,
    /// Always ends with `Tok::Eof`; `pos` never moves past it.
    toks: Vec<Token<'a>>,
    pos: usize,
    /// Index of the last token consumed by `bump`.
    last: Option<usize>,
    /// Inside `()`, `[]`, dict `{}` and `${}` line breaks are insignificant.
    ignore_nl: bool,
    expr_depth: u32,
    block_depth: u32,
    diags: Vec<Diagnostic>,
    /// Where recovery should resume after an error reported at the end of a line.
    recover_at: Option<usize>,
    /// An unclosed block at the end of the file has been reported (report it once).
    eof_reported: bool,
}

impl<'a> Parser<'a> {
    /// The current token; skips line breaks where they are insignificant.
    fn peek(&mut self) -> Token<'a> {
        if self.ignore_nl {
            self.skip_newlines();
        }
        self.toks[self.pos]
    }

    /// The token `n` places after the current one, line breaks included.
    fn peek_raw(&self, n: usize) -> Token<'a> {
        self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }

    /// Consumes and returns the current token (never moves past `Eof`).
    fn bump(&mut self) -> Token<'a> {
        let t = self.peek();
        if t.kind != Tok::Eof {
            self.last = Some(self.pos);
            self.pos += 1;
        }
        t
    }

    /// Consumes the current token if it is `kind`.
    fn eat(&mut self, kind: Tok<'a>) -> Option<Token<'a>> {
        if self.peek().kind == kind {
            Some(self.bump())
        } else {
            None
        }
    }

    /// Skips line breaks (after a binary operator, or inside brackets). They are not
    /// recorded as consumed, so errors still point at the end of the previous line.
    fn skip_newlines(&mut self) {
        while self.toks[self.pos].kind == Tok::Newline {
            self.pos += 1;
        }
    }

    /// Runs `f` with line breaks significant (`false`) or not (`true`).
    fn with_nl<T>(&mut self, ignore: bool, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = self.ignore_nl;
        self.ignore_nl = ignore;
        let r = f(self);
        self.ignore_nl = saved;
        r
    }

    /// Records a diagnostic (duplicates at one position are removed at the end).
    #[cold]
    fn report(&mut self, message: impl Into<String>, span: Span) {
        if self.diags.len() < MAX_ERRORS {
            self.diags.push(Diagnostic::new(message, span));
        }
    }

    /// Reports that the current token is not what `message` says was expected. An
    /// assignment operator gets the more helpful "assignment is a statement" message.
    #[cold]
    fn expected(&mut self, message: &str) -> Failed {
        if let Tok::Assign(_) = self.peek().kind {
            return self.expected_exact("assignment is a statement, not an expression");
        }
        self.expected_exact(message)
    }

    /// Like `expected`, without the assignment special case. When the offending token
    /// is a line break, the end of the file, or on a later line than the last token
    /// consumed (a line break was skipped), the error points at the last character of
    /// that last token: the end of the unfinished line.
    #[cold]
    fn expected_exact(&mut self, message: &str) -> Failed {
        let tok = self.peek();
        if tok.kind == Tok::Error {
            return Failed;
        }
        let mut span = tok.span;
        if let Some(last) = self.last {
            let prev = self.toks[last];
            let at_line_end = matches!(tok.kind, Tok::Newline | Tok::Eof);
            if !matches!(prev.kind, Tok::Newline | Tok::Semi)
                && (at_line_end || tok.span.line > prev.span.line)
            {
                span = self.last_char(prev);
                if tok.span.line > prev.span.line {
                    self.recover_at = Some(last + 1);
                }
            }
        }
        self.report(message, span);
        Failed
    }

    /// The span of the last character of `tok`.
    fn last_char(&self, tok: Token<'a>) -> Span {
        last_char(self.src, tok.span)
    }

    /// The span of the last consumed token (for the end of a node's span).
    fn last_span(&self) -> Span {
        self.last.map(|i| self.toks[i].span).unwrap_or_default()
    }

    /// Skips the rest of a broken statement: up to a line break or `;` outside any
    /// bracket opened after the error, or a `}` that closes the enclosing block.
    fn sync(&mut self, in_block: bool, stmt_start: usize) {
        if let Some(at) = self.recover_at.take() {
            if at >= stmt_start && at <= self.pos {
                self.pos = at;
            }
        }
        let mut depth = 0u32;
        loop {
            match self.toks[self.pos].kind {
                Tok::Eof => return,
                Tok::Newline | Tok::Semi if depth == 0 => return,
                Tok::LParen | Tok::LBracket | Tok::LBrace => depth += 1,
                Tok::RParen | Tok::RBracket => depth = depth.saturating_sub(1),
                Tok::RBrace if depth == 0 && in_block => return,
                Tok::RBrace => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// The whole file.
    fn program(&mut self) -> Block<'a> {
        let stmts = self.stmts(false);
        let end = self.toks[self.toks.len() - 1].span;
        Block {
            stmts,
            span: Span::new(0, end.end, 1, 1),
        }
    }
}
