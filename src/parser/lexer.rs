//! The nom lexer: source text to a flat token list with spans, plus lexical diagnostics.
//!
//! Strings are lexed as `StrStart (StrText | InterpStart tokens... InterpEnd)* StrEnd`, so
//! interpolated expressions arrive as ordinary tokens and the parser handles them
//! recursively. A lexical error is recorded as a diagnostic and, where the parser cannot
//! carry on sensibly, marked in the stream with a `Tok::Error` token so that the parser
//! recovers without reporting a second error for the same problem.

use super::string;
use crate::ast::{AssignOp, BinOp};
use crate::diag::Diagnostic;
use crate::span::Span;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_until, take_while, take_while1};
use nom::character::complete::{char, one_of, satisfy};
use nom::combinator::{opt, recognize, value};
use nom::sequence::{pair, preceded, tuple};
use nom::IResult;

/// A reserved word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kw {
    Let,
    Mut,
    Const,
    Func,
    Return,
    If,
    Else,
    While,
    Loop,
    For,
    In,
    Break,
    Continue,
    Try,
    Except,
    Throw,
    True,
    False,
    Null,
}

impl Kw {
    fn from_word(w: &str) -> Option<Kw> {
        Some(match w {
            "let" => Kw::Let,
            "mut" => Kw::Mut,
            "const" => Kw::Const,
            "func" => Kw::Func,
            "return" => Kw::Return,
            "if" => Kw::If,
            "else" => Kw::Else,
            "while" => Kw::While,
            "loop" => Kw::Loop,
            "for" => Kw::For,
            "in" => Kw::In,
            "break" => Kw::Break,
            "continue" => Kw::Continue,
            "try" => Kw::Try,
            "except" => Kw::Except,
            "throw" => Kw::Throw,
            "true" => Kw::True,
            "false" => Kw::False,
            "null" => Kw::Null,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Tok<'a> {
    Ident(&'a str),
    /// An integer literal's magnitude; saturates at `u64::MAX`. The parser checks the
    /// i64 range (a literal of exactly 2^63 is allowed directly after a unary minus).
    Int(u64),
    Float(f64),
    /// The opening `"` of a string literal.
    StrStart,
    /// A run of literal string text, escapes decoded.
    StrText(&'a str),
    /// `${` inside a string.
    InterpStart,
    /// The `}` that closes an interpolation.
    InterpEnd,
    /// The closing `"` of a string literal.
    StrEnd,
    Kw(Kw),
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    Colon,
    Semi,
    /// `:=`, `=`, `+=`, `-=`, `*=`, `/=`, `%=`.
    Assign(AssignOp),
    /// A binary operator; `-` doubles as unary minus.
    Bin(BinOp),
    /// `!`
    Bang,
    Newline,
    Eof,
    /// Marks the place of a lexical error that has already been reported.
    Error,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token<'a> {
    pub kind: Tok<'a>,
    pub span: Span,
}

/// An open `${` whose closing `}` has not been seen yet.
struct Interp {
    /// `{`s opened inside the interpolation and not yet closed.
    depth: u32,
    /// The string's opening quote, for "unterminated string literal".
    quote: Span,
}

/// Lexer state: the remaining input and the position (offset, line, column) of its start.
pub(super) struct Lexer<'a> {
    pub(super) src: &'a str,
    pub(super) rest: &'a str,
    pub(super) line: u32,
    pub(super) col: u32,
    pub(super) arena: &'a bumpalo::Bump,
    pub(super) tokens: Vec<Token<'a>>,
    pub(super) diags: Vec<Diagnostic>,
    interps: Vec<Interp>,
}

/// Horizontal whitespace.
fn blank(i: &str) -> IResult<&str, &str> {
    take_while1(|c| c == ' ' || c == '\t' || c == '\r')(i)
}

/// `# ...` or `// ...` up to (not including) the newline.
fn line_comment(i: &str) -> IResult<&str, &str> {
    recognize(preceded(
        alt((tag("#"), tag("//"))),
        take_till(|c| c == '\n'),
    ))(i)
}

/// A complete `/* ... */` comment (not nested).
fn block_comment(i: &str) -> IResult<&str, &str> {
    recognize(tuple((tag("/*"), take_until("*/"), tag("*/"))))(i)
}

fn ident(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ))(i)
}

/// A decimal digit run: a digit, then digits and `_` separators.
fn digits(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_digit()),
        take_while(|c: char| c.is_ascii_digit() || c == '_'),
    ))(i)
}

/// `0x` followed by hex digits and separators (possibly none: checked by the caller).
fn hex_literal(i: &str) -> IResult<&str, &str> {
    preceded(
        alt((tag("0x"), tag("0X"))),
        take_while(|c: char| c.is_ascii_hexdigit() || c == '_'),
    )(i)
}

/// A decimal number: integer digits, an optional `.digits` fraction and an optional
/// exponent. Returns the text and whether it is a float.
fn decimal_literal(i: &str) -> IResult<&str, (&str, bool)> {
    let (rest, (text, (frac, exp))) = consumed(pair(
        preceded(digits, opt(preceded(char('.'), digits))),
        opt(tuple((one_of("eE"), opt(one_of("+-")), digits))),
    ))(i)?;
    Ok((rest, (text, frac.is_some() || exp.is_some())))
}

/// Like nom's `consumed`: the recognized text together with the parser's output.
fn consumed<'a, O>(
    mut p: impl FnMut(&'a str) -> IResult<&'a str, O>,
) -> impl FnMut(&'a str) -> IResult<&'a str, (&'a str, O)> {
    move |i: &'a str| {
        let (rest, o) = p(i)?;
        Ok((rest, (&i[..i.len() - rest.len()], o)))
    }
}

/// Punctuation and operators: brackets first (the most common), then two-character
/// operators before their one-character prefixes.
fn punct(i: &str) -> IResult<&str, Tok<'static>> {
    alt((
        alt((
            value(Tok::LParen, char('(')),
            value(Tok::RParen, char(')')),
            value(Tok::LBracket, char('[')),
            value(Tok::RBracket, char(']')),
            value(Tok::LBrace, char('{')),
            value(Tok::RBrace, char('}')),
            value(Tok::Comma, char(',')),
            value(Tok::Dot, char('.')),
            value(Tok::Semi, char(';')),
        )),
        alt((
            value(Tok::Assign(AssignOp::Walrus), tag(":=")),
            value(Tok::Assign(AssignOp::Add), tag("+=")),
            value(Tok::Assign(AssignOp::Sub), tag("-=")),
            value(Tok::Assign(AssignOp::Mul), tag("*=")),
            value(Tok::Assign(AssignOp::Div), tag("/=")),
            value(Tok::Assign(AssignOp::Mod), tag("%=")),
            value(Tok::Bin(BinOp::Pipe), tag("|>")),
            value(Tok::Bin(BinOp::Coalesce), tag("??")),
            value(Tok::Bin(BinOp::Or), tag("||")),
            value(Tok::Bin(BinOp::And), tag("&&")),
            value(Tok::Bin(BinOp::Eq), tag("==")),
            value(Tok::Bin(BinOp::Ne), tag("!=")),
            value(Tok::Bin(BinOp::Le), tag("<=")),
            value(Tok::Bin(BinOp::Ge), tag(">=")),
        )),
        alt((
            value(Tok::Colon, char(':')),
            value(Tok::Assign(AssignOp::Assign), char('=')),
            value(Tok::Bin(BinOp::Lt), char('<')),
            value(Tok::Bin(BinOp::Gt), char('>')),
            value(Tok::Bin(BinOp::Add), char('+')),
            value(Tok::Bin(BinOp::Sub), char('-')),
            value(Tok::Bin(BinOp::Mul), char('*')),
            value(Tok::Bin(BinOp::Div), char('/')),
            value(Tok::Bin(BinOp::Mod), char('%')),
            value(Tok::Bang, char('!')),
        )),
    ))(i)
}

/// Lexes a whole source file. The token list always ends with `Tok::Eof`.
pub(super) fn lex<'a>(arena: &'a bumpalo::Bump, src: &'a str) -> (Vec<Token<'a>>, Vec<Diagnostic>) {
    let mut lx = Lexer {
        src,
        // A leading byte-order mark is not part of the program.
        rest: src.strip_prefix('\u{FEFF}').unwrap_or(src),
        line: 1,
        col: 1,
        arena,
        tokens: Vec::with_capacity(src.len() / 8 + 1),
        diags: Vec::new(),
        interps: Vec::new(),
    };
    lx.run();
    (lx.tokens, lx.diags)
}

impl<'a> Lexer<'a> {
    pub(super) fn offset(&self) -> u32 {
        (self.src.len() - self.rest.len()) as u32
    }

    /// A span of `len` bytes starting at the current position.
    pub(super) fn span_here(&self, len: usize) -> Span {
        let start = self.offset();
        Span::new(start, start + len as u32, self.line, self.col)
    }

    /// Moves past the first `n` bytes of the remaining input, keeping line and column.
    pub(super) fn advance(&mut self, n: usize) {
        let (done, rest) = self.rest.split_at(n);
        for c in done.chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
        self.rest = rest;
    }

    /// Moves the input on to `rest` (a suffix of the current input).
    pub(super) fn advance_to(&mut self, rest: &'a str) {
        let n = self.rest.len() - rest.len();
        self.advance(n);
    }

    pub(super) fn push(&mut self, kind: Tok<'a>, span: Span) {
        self.tokens.push(Token { kind, span });
    }

    #[cold]
    pub(super) fn error(&mut self, message: impl Into<String>, span: Span) {
        if self.diags.len() < super::MAX_ERRORS {
            self.diags.push(Diagnostic::new(message, span));
        }
    }

    /// Reports an unclosed interpolation at `span` and abandons every open string.
    #[cold]
    fn unclosed_interp(&mut self, mut span: Span) {
        // Point at the end of the unfinished line, as the parser does.
        if let Some(last) = self.tokens.last() {
            if last.span.line == span.line && last.kind != Tok::InterpStart {
                span = super::last_char(self.src, last.span);
            }
        }
        self.error("expected '}' to close the interpolation", span);
        self.push(Tok::Error, span);
        self.interps.clear();
    }

    /// Called by the string scanner when a string ends badly: abandons every open string.
    pub(super) fn abandon_strings(&mut self) {
        self.interps.clear();
    }

    /// Called by the string scanner on `${`.
    pub(super) fn open_interp(&mut self, quote: Span) {
        self.interps.push(Interp { depth: 0, quote });
    }

    fn run(&mut self) {
        loop {
            if self.diags.len() >= super::MAX_ERRORS {
                // Enough errors: stop here rather than fill memory with them.
                let here = self.span_here(0);
                self.push(Tok::Error, here);
                self.push(Tok::Eof, here);
                return;
            }
            let Some(c) = self.rest.chars().next() else {
                if !self.interps.is_empty() {
                    let here = self.span_here(0);
                    self.unclosed_interp(here);
                }
                let end = self.span_here(0);
                self.push(Tok::Eof, end);
                return;
            };
            match c {
                ' ' | '\t' | '\r' => {
                    if let Ok((rest, _)) = blank(self.rest) {
                        self.advance_to(rest);
                    }
                    continue;
                }
                '\n' => {
                    let span = self.span_here(1);
                    if !self.interps.is_empty() {
                        self.unclosed_interp(span);
                    }
                    self.push(Tok::Newline, span);
                    self.advance(1);
                    continue;
                }
                '#' | '/' => {
                    if let Ok((rest, _)) = line_comment(self.rest) {
                        self.advance_to(rest);
                        continue;
                    }
                    if self.rest.starts_with("/*") {
                        self.block_comment();
                        continue;
                    }
                }
                '"' => {
                    let quote = self.span_here(1);
                    self.push(Tok::StrStart, quote);
                    self.advance(1);
                    string::scan_body(self, quote);
                    continue;
                }
                '0'..='9' => {
                    self.number();
                    continue;
                }
                'a'..='z' | 'A'..='Z' | '_' => {
                    if let Ok((rest, word)) = ident(self.rest) {
                        let span = self.span_here(word.len());
                        let kind = match Kw::from_word(word) {
                            Some(kw) => Tok::Kw(kw),
                            None => Tok::Ident(word),
                        };
                        self.push(kind, span);
                        self.advance_to(rest);
                        continue;
                    }
                }
                _ => {}
            }
            if let Ok((rest, tok)) = punct(self.rest) {
                let span = self.span_here(self.rest.len() - rest.len());
                self.advance_to(rest);
                self.punct(tok, span);
                continue;
            }
            let span = self.span_here(c.len_utf8());
            self.error(format!("unexpected character {}", show_char(c)), span);
            self.push(Tok::Error, span);
            self.advance(c.len_utf8());
        }
    }

    /// Emits a punctuation token, tracking braces inside an interpolation.
    fn punct(&mut self, tok: Tok<'a>, span: Span) {
        if let Some(top) = self.interps.last_mut() {
            match tok {
                Tok::LBrace => top.depth += 1,
                Tok::RBrace if top.depth == 0 => {
                    let quote = top.quote;
                    self.interps.pop();
                    self.push(Tok::InterpEnd, span);
                    string::scan_body(self, quote);
                    return;
                }
                Tok::RBrace => top.depth -= 1,
                _ => {}
            }
        }
        self.push(tok, span);
    }

    /// Skips a block comment; one that spans lines acts as a line break.
    fn block_comment(&mut self) {
        let open = self.span_here(2);
        match block_comment(self.rest) {
            Ok((rest, text)) => {
                let newline = text.contains('\n');
                self.advance_to(rest);
                if newline {
                    let span = Span::new(self.offset(), self.offset(), self.line, self.col);
                    self.push(Tok::Newline, span);
                }
            }
            Err(_) => {
                self.error("unterminated block comment", open);
                self.push(Tok::Error, open);
                self.advance(self.rest.len());
            }
        }
    }

    /// Lexes an integer or float literal.
    fn number(&mut self) {
        let start = self.span_here(0);
        if let Ok((rest, hex)) = hex_literal(self.rest) {
            let len = self.rest.len() - rest.len();
            let span = Span {
                end: start.start + len as u32,
                ..start
            };
            self.advance_to(rest);
            let mut v: u64 = 0;
            let mut any = false;
            for d in hex.chars().filter_map(|c| c.to_digit(16)) {
                any = true;
                v = v.saturating_mul(16).saturating_add(u64::from(d));
            }
            if !any {
                self.error("expected hex digits after '0x'", span);
            }
            self.push(Tok::Int(v), span);
            self.check_suffix();
            return;
        }
        let Ok((rest, (text, is_float))) = decimal_literal(self.rest) else {
            // Not reached: the caller saw a digit, which `decimal_literal` always accepts.
            let span = self.span_here(1);
            self.error("unexpected character", span);
            self.push(Tok::Error, span);
            self.advance(1);
            return;
        };
        let span = Span {
            end: start.start + text.len() as u32,
            ..start
        };
        self.advance_to(rest);
        if is_float {
            let clean: String = text.chars().filter(|&c| c != '_').collect();
            let v = clean.parse::<f64>().unwrap_or(0.0);
            if !v.is_finite() {
                self.error("float literal out of range", span);
            }
            self.push(Tok::Float(if v.is_finite() { v } else { 0.0 }), span);
        } else {
            let mut v: u64 = 0;
            for d in text.chars().filter_map(|c| c.to_digit(10)) {
                v = v.saturating_mul(10).saturating_add(u64::from(d));
            }
            self.push(Tok::Int(v), span);
        }
        self.check_suffix();
    }

    /// Reports letters or digits glued to the end of a number literal, and skips them.
    fn check_suffix(&mut self) {
        let Some(c) = self.rest.chars().next() else {
            return;
        };
        if c == 'e' || c == 'E' {
            // `decimal_literal` takes a well-formed exponent, so this one has no digits.
            let at = self.span_here(1);
            self.error("expected digits in the exponent", at);
            self.advance(1);
            if self.rest.starts_with(['+', '-']) {
                self.advance(1);
            }
            return;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            let (rest, tail) = take_while::<_, _, nom::error::Error<&str>>(|c: char| {
                c.is_ascii_alphanumeric() || c == '_'
            })(self.rest)
            .unwrap_or((self.rest, ""));
            let span = self.span_here(tail.len());
            self.error(
                format!("unexpected character {} after number literal", show_char(c)),
                span,
            );
            self.advance_to(rest);
        }
    }
}

/// Quotes a character for a message, escaping invisible ones.
pub(super) fn show_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("'{}'", c.escape_default())
    } else {
        format!("'{c}'")
    }
}
