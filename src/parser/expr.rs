//! Expressions: precedence climbing over binary operators, unary operators, postfix
//! call/index/field, and primaries (literals, strings, arrays, dicts, function literals).

use super::lexer::{Kw, Tok};
use super::{Failed, PResult, Parser, MAX_EXPR_DEPTH};
use crate::ast::{BinOp, Expr, ExprKind, InterpPart, Name, UnOp};
use crate::span::Span;

/// 2^63: the one integer literal that is valid only directly after a unary minus.
const I64_MIN_MAGNITUDE: u64 = 1 << 63;

impl<'a> Parser<'a> {
    /// A full expression, allocated in the arena.
    pub(super) fn expr(&mut self) -> PResult<&'a Expr<'a>> {
        let e = self.binary(BinOp::Pipe.precedence())?;
        Ok(self.arena.alloc(e))
    }

    /// A full expression, by value.
    fn expr_val(&mut self) -> PResult<Expr<'a>> {
        self.binary(BinOp::Pipe.precedence())
    }

    /// Binary operators of precedence `min` and above, all left-associative. A line
    /// break right after an operator continues the expression.
    fn binary(&mut self, min: u8) -> PResult<Expr<'a>> {
        let mut lhs = self.unary()?;
        while let Tok::Bin(op) = self.peek().kind {
            let prec = op.precedence();
            if prec < min {
                break;
            }
            self.bump();
            self.skip_newlines();
            let rhs = self.binary(prec + 1)?;
            let span = lhs.span.to(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: self.arena.alloc(lhs),
                    rhs: self.arena.alloc(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    /// Unary `-` and `!`, then postfix. Every operand passes through here, so this is
    /// where expression depth is counted.
    fn unary(&mut self) -> PResult<Expr<'a>> {
        if self.expr_depth >= MAX_EXPR_DEPTH {
            let span = self.peek().span;
            self.report(
                format!("expression nesting too deep (limit {MAX_EXPR_DEPTH})"),
                span,
            );
            return Err(Failed);
        }
        self.expr_depth += 1;
        let r = self.unary_inner();
        self.expr_depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> PResult<Expr<'a>> {
        let t = self.peek();
        let op = match t.kind {
            Tok::Bin(BinOp::Sub) => UnOp::Neg,
            Tok::Bang => UnOp::Not,
            _ => return self.postfix(),
        };
        self.bump();
        if op == UnOp::Neg {
            // `-9223372036854775808` is i64::MIN, although its magnitude alone is not an i64.
            let lit = self.peek();
            if lit.kind == Tok::Int(I64_MIN_MAGNITUDE)
                && !matches!(
                    self.peek_raw(1).kind,
                    Tok::LParen | Tok::LBracket | Tok::Dot
                )
            {
                self.bump();
                return Ok(Expr {
                    kind: ExprKind::Int(i64::MIN),
                    span: t.span.to(lit.span),
                });
            }
        }
        let operand = self.unary()?;
        Ok(Expr {
            kind: ExprKind::Unary {
                op,
                expr: self.arena.alloc(operand),
            },
            span: t.span.to(operand.span),
        })
    }

    /// A primary followed by any number of calls, indexes and field accesses.
    fn postfix(&mut self) -> PResult<Expr<'a>> {
        let mut e = self.primary()?;
        loop {
            match self.peek().kind {
                Tok::LParen => {
                    self.bump();
                    let args = self.with_nl(true, |p| {
                        p.list(Tok::RParen, "expected ')' to close the argument list")
                    })?;
                    e = Expr {
                        kind: ExprKind::Call {
                            callee: self.arena.alloc(e),
                            args: self.arena.alloc_slice_copy(&args),
                        },
                        span: e.span.to(self.last_span()),
                    };
                }
                Tok::LBracket => {
                    self.bump();
                    let index = self.with_nl(true, |p| {
                        let index = p.expr()?;
                        if p.eat(Tok::RBracket).is_none() {
                            return Err(p.expected("expected ']' to close the index"));
                        }
                        Ok(index)
                    })?;
                    e = Expr {
                        kind: ExprKind::Index {
                            obj: self.arena.alloc(e),
                            index,
                        },
                        span: e.span.to(self.last_span()),
                    };
                }
                Tok::Dot => {
                    self.bump();
                    let t = self.peek();
                    let name = match t.kind {
                        Tok::Ident(name) => name,
                        // Keywords are fine as field names: `o.loop`.
                        Tok::Kw(_) => &self.src[t.span.start as usize..t.span.end as usize],
                        _ => return Err(self.expected("expected a field name after '.'")),
                    };
                    self.bump();
                    e = Expr {
                        kind: ExprKind::Field {
                            obj: self.arena.alloc(e),
                            name: Name { name, span: t.span },
                        },
                        span: e.span.to(t.span),
                    };
                }
                _ => break,
            }
        }
        Ok(e)
    }

    /// Comma-separated expressions up to `close` (a trailing comma is allowed). The
    /// opening bracket has been consumed; the closing one is consumed here.
    fn list(&mut self, close: Tok<'a>, unclosed: &str) -> PResult<Vec<Expr<'a>>> {
        let mut items = Vec::new();
        loop {
            if self.eat(close).is_some() {
                return Ok(items);
            }
            items.push(self.expr_val()?);
            if self.eat(Tok::Comma).is_some() {
                continue;
            }
            if self.eat(close).is_some() {
                return Ok(items);
            }
            return Err(self.expected(unclosed));
        }
    }

    fn primary(&mut self) -> PResult<Expr<'a>> {
        let t = self.peek();
        let kind = match t.kind {
            Tok::Int(v) => {
                self.bump();
                match i64::try_from(v) {
                    Ok(v) => ExprKind::Int(v),
                    Err(_) => {
                        self.report("integer literal out of range", t.span);
                        ExprKind::Int(0)
                    }
                }
            }
            Tok::Float(v) => {
                self.bump();
                ExprKind::Float(v)
            }
            Tok::Kw(Kw::True) => {
                self.bump();
                ExprKind::Bool(true)
            }
            Tok::Kw(Kw::False) => {
                self.bump();
                ExprKind::Bool(false)
            }
            Tok::Kw(Kw::Null) => {
                self.bump();
                ExprKind::Null
            }
            Tok::Ident(name) => {
                self.bump();
                ExprKind::Ident(name)
            }
            Tok::StrStart => return self.string(),
            Tok::LParen => {
                self.bump();
                let inner = self.with_nl(true, |p| {
                    let inner = p.expr_val()?;
                    if p.eat(Tok::RParen).is_none() {
                        return Err(
                            p.expected("expected ')' to close the parenthesized expression")
                        );
                    }
                    Ok(inner)
                })?;
                // The parentheses leave no node; the span grows to cover them.
                return Ok(Expr {
                    kind: inner.kind,
                    span: t.span.to(self.last_span()),
                });
            }
            Tok::LBracket => {
                self.bump();
                let items = self.with_nl(true, |p| {
                    p.list(Tok::RBracket, "expected ']' to close the array")
                })?;
                ExprKind::Array(self.arena.alloc_slice_copy(&items))
            }
            Tok::LBrace => {
                self.bump();
                let pairs = self.with_nl(true, |p| p.dict_body())?;
                ExprKind::Dict(self.arena.alloc_slice_copy(&pairs))
            }
            Tok::Kw(Kw::Func) => {
                let f = self.func(false)?;
                return Ok(Expr {
                    kind: ExprKind::Func(f),
                    span: f.span,
                });
            }
            _ => return Err(self.expected("expected expression")),
        };
        Ok(Expr {
            kind,
            span: t.span.to(self.last_span()),
        })
    }

    /// `key: value, ...}` after the `{`. A bare identifier key becomes a string key.
    fn dict_body(&mut self) -> PResult<Vec<(Expr<'a>, Expr<'a>)>> {
        let mut pairs = Vec::new();
        loop {
            if self.eat(Tok::RBrace).is_some() {
                return Ok(pairs);
            }
            let t = self.peek();
            let key = match t.kind {
                Tok::Ident(name) if self.peek_raw(1).kind == Tok::Colon => {
                    self.bump();
                    Expr {
                        kind: ExprKind::Str(name),
                        span: t.span,
                    }
                }
                _ => self.expr_val()?,
            };
            if self.eat(Tok::Colon).is_none() {
                return Err(self.expected("expected ':' after the dict key"));
            }
            let value = self.expr_val()?;
            pairs.push((key, value));
            if self.eat(Tok::Comma).is_some() {
                continue;
            }
            if self.eat(Tok::RBrace).is_some() {
                return Ok(pairs);
            }
            return Err(self.expected("expected '}' to close the dict"));
        }
    }

    /// A string literal: `StrStart (StrText | InterpStart expr InterpEnd)* StrEnd`.
    fn string(&mut self) -> PResult<Expr<'a>> {
        let open = self.bump().span;
        let mut parts: Vec<InterpPart<'a>> = Vec::new();
        let mut interp = false;
        let close: Span = loop {
            let t = self.bump();
            match t.kind {
                Tok::StrText(s) => parts.push(InterpPart::Lit(s)),
                Tok::InterpStart => {
                    interp = true;
                    let e = self.with_nl(true, |p| {
                        let e = p.expr()?;
                        if p.eat(Tok::InterpEnd).is_none() {
                            return Err(p.expected("expected '}' to close the interpolation"));
                        }
                        Ok(e)
                    })?;
                    parts.push(InterpPart::Expr(e));
                }
                Tok::StrEnd => break t.span,
                // The lexer has reported the problem (an unterminated string).
                _ => return Err(Failed),
            }
        };
        let span = open.to(close);
        if interp {
            return Ok(Expr {
                kind: ExprKind::Interp(self.arena.alloc_slice_copy(&parts)),
                span,
            });
        }
        let text = match parts.as_slice() {
            [] => "",
            [InterpPart::Lit(s)] => s,
            _ => {
                let mut all = String::new();
                for p in &parts {
                    if let InterpPart::Lit(s) = p {
                        all.push_str(s);
                    }
                }
                self.arena.alloc_str(&all)
            }
        };
        Ok(Expr {
            kind: ExprKind::Str(text),
            span,
        })
    }
}
