//! Statements and blocks: declarations, assignments, functions and control flow, with
//! statement termination and error recovery.

use super::lexer::{Kw, Tok};
use super::{Failed, PResult, Parser, MAX_BLOCK_DEPTH};
use crate::ast::{Block, DeclKind, Else, Expr, ExprKind, Func, Name, Stmt, StmtKind};
use crate::span::Span;

impl<'a> Parser<'a> {
    /// Statements up to the end of the file, or (in a block) up to its closing `}`,
    /// which is left for the caller.
    pub(super) fn stmts(&mut self, in_block: bool) -> &'a [Stmt<'a>] {
        let mut out = Vec::new();
        loop {
            let t = self.peek();
            match t.kind {
                Tok::Newline | Tok::Semi => {
                    self.bump();
                    continue;
                }
                Tok::Eof => break,
                Tok::RBrace if in_block => break,
                Tok::RBrace => {
                    self.report("unexpected '}' (no block is open)", t.span);
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let start = self.pos;
            match self.statement() {
                Ok(s) => {
                    out.push(s);
                    if self.terminator().is_err() {
                        self.sync(in_block, start);
                    }
                }
                Err(Failed) => self.sync(in_block, start),
            }
            // `sync` and every statement form consume at least one token, except at a
            // closing brace or the end of the file, which end this loop.
            if self.pos == start && !matches!(self.peek().kind, Tok::RBrace | Tok::Eof) {
                self.bump();
            }
        }
        self.arena.alloc_slice_copy(&out)
    }

    /// After a statement: a line break or `;` (consumed), or a `}` or the end of the
    /// file (left in place).
    fn terminator(&mut self) -> PResult<()> {
        match self.peek().kind {
            Tok::Newline | Tok::Semi => {
                self.bump();
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => Err(self.expected("expected newline or ';' after statement")),
        }
    }

    /// A `{ statements }` block; `what` is the error when the `{` is missing.
    pub(super) fn block(&mut self, what: &str) -> PResult<Block<'a>> {
        let open = self.peek();
        if open.kind != Tok::LBrace {
            return Err(self.expected(what));
        }
        if self.block_depth >= MAX_BLOCK_DEPTH {
            self.report(
                format!("block nesting too deep (limit {MAX_BLOCK_DEPTH})"),
                open.span,
            );
            return Err(Failed);
        }
        self.bump();
        self.block_depth += 1;
        let r = self.with_nl(false, |p| {
            let stmts = p.stmts(true);
            match p.eat(Tok::RBrace) {
                Some(close) => Ok(Block {
                    stmts,
                    span: open.span.to(close.span),
                }),
                None => {
                    if !p.eof_reported {
                        p.eof_reported = true;
                        p.report("unclosed block: this '{' has no matching '}'", open.span);
                    }
                    Err(Failed)
                }
            }
        });
        self.block_depth -= 1;
        r
    }

    fn statement(&mut self) -> PResult<Stmt<'a>> {
        let t = self.peek();
        let simple = |kind| Stmt { kind, span: t.span };
        match t.kind {
            Tok::Kw(Kw::Let) => self.decl(DeclKind::Let, "let"),
            Tok::Kw(Kw::Mut) => self.decl(DeclKind::Mut, "mut"),
            Tok::Kw(Kw::Const) => self.decl(DeclKind::Const, "const"),
            Tok::Kw(Kw::Func) if matches!(self.peek_raw(1).kind, Tok::Ident(_)) => {
                let f = self.func(true)?;
                Ok(Stmt {
                    kind: StmtKind::Func(f),
                    span: f.span,
                })
            }
            Tok::Kw(Kw::Return) => {
                self.bump();
                match self.peek().kind {
                    Tok::Newline | Tok::Semi | Tok::RBrace | Tok::Eof => {
                        Ok(simple(StmtKind::Return(None)))
                    }
                    _ => {
                        let e = self.expr()?;
                        Ok(Stmt {
                            kind: StmtKind::Return(Some(e)),
                            span: t.span.to(e.span),
                        })
                    }
                }
            }
            Tok::Kw(Kw::If) => self.if_chain(),
            Tok::Kw(Kw::While) => {
                self.bump();
                let cond = self.condition("expected a condition after 'while'")?;
                let body = self.block("expected '{' after while condition")?;
                Ok(Stmt {
                    kind: StmtKind::While { cond, body },
                    span: t.span.to(body.span),
                })
            }
            Tok::Kw(Kw::Loop) => {
                self.bump();
                let body = self.block("expected '{' after 'loop'")?;
                Ok(Stmt {
                    kind: StmtKind::Loop { body },
                    span: t.span.to(body.span),
                })
            }
            Tok::Kw(Kw::For) => self.for_loop(),
            Tok::Kw(Kw::Break) => {
                self.bump();
                Ok(simple(StmtKind::Break))
            }
            Tok::Kw(Kw::Continue) => {
                self.bump();
                Ok(simple(StmtKind::Continue))
            }
            Tok::Kw(Kw::Try) => self.try_stmt(),
            Tok::Kw(Kw::Throw) => {
                self.bump();
                let e = self.expr()?;
                Ok(Stmt {
                    kind: StmtKind::Throw(e),
                    span: t.span.to(e.span),
                })
            }
            Tok::Kw(Kw::Else) => {
                self.report("'else' without a matching 'if'", t.span);
                Err(Failed)
            }
            Tok::Kw(Kw::Except) => {
                self.report("'except' without a matching 'try'", t.span);
                Err(Failed)
            }
            _ => self.expr_or_assign(),
        }
    }

    /// `let`/`mut`/`const name := value`.
    fn decl(&mut self, kind: DeclKind, kw: &str) -> PResult<Stmt<'a>> {
        let start = self.bump().span;
        let name = self.name(&format!("expected a name after '{kw}'"))?;
        if !matches!(self.peek().kind, Tok::Assign(crate::ast::AssignOp::Walrus)) {
            return Err(self.expected_exact(&format!("expected ':=' after the name in '{kw}'")));
        }
        self.bump();
        let value = self.expr()?;
        Ok(Stmt {
            kind: StmtKind::Decl { kind, name, value },
            span: start.to(value.span),
        })
    }

    /// An identifier naming something; `what` is the error otherwise.
    pub(super) fn name(&mut self, what: &str) -> PResult<Name<'a>> {
        let t = self.peek();
        match t.kind {
            Tok::Ident(name) => {
                self.bump();
                Ok(Name { name, span: t.span })
            }
            _ => Err(self.expected_exact(what)),
        }
    }

    /// An expression statement, or an assignment when an assignment operator follows.
    fn expr_or_assign(&mut self) -> PResult<Stmt<'a>> {
        let target = self.expr()?;
        let Tok::Assign(op) = self.peek().kind else {
            return Ok(Stmt {
                kind: StmtKind::Expr(target),
                span: target.span,
            });
        };
        if !matches!(
            target.kind,
            ExprKind::Ident(_) | ExprKind::Index { .. } | ExprKind::Field { .. }
        ) {
            self.report(
                "invalid assignment target: expected a name, index or field",
                target.span,
            );
            return Err(Failed);
        }
        self.bump();
        let value = self.expr()?;
        Ok(Stmt {
            kind: StmtKind::Assign { op, target, value },
            span: target.span.to(value.span),
        })
    }

    /// The condition of an `if` or `while` (a `{` here means it is missing).
    fn condition(&mut self, what: &str) -> PResult<&'a Expr<'a>> {
        if self.peek().kind == Tok::LBrace {
            return Err(self.expected(what));
        }
        self.expr()
    }

    /// `if c { } else if d { } else { }`. The chain is parsed in a loop and assembled
    /// from the end, so a long `else if` chain does not recurse.
    fn if_chain(&mut self) -> PResult<Stmt<'a>> {
        let mut arms: Vec<(Span, &'a Expr<'a>, Block<'a>)> = Vec::new();
        let mut last_else: Option<Block<'a>> = None;
        loop {
            let kw = self.bump().span;
            let cond = self.condition("expected a condition after 'if'")?;
            let then = self.block("expected '{' after if condition")?;
            arms.push((kw, cond, then));
            // `else` may sit on the line after the closing brace.
            let mut j = self.pos;
            while self.toks[j].kind == Tok::Newline {
                j += 1;
            }
            if self.toks[j].kind != Tok::Kw(Kw::Else) {
                break;
            }
            self.pos = j;
            self.bump();
            if self.peek().kind == Tok::Kw(Kw::If) {
                continue;
            }
            last_else = Some(self.block("expected '{' or 'if' after 'else'")?);
            break;
        }
        let mut else_ = last_else.map(Else::Block);
        let mut end = match last_else {
            Some(b) => b.span,
            None => arms.last().map(|a| a.2.span).unwrap_or_default(),
        };
        let mut result = None;
        while let Some((kw, cond, then)) = arms.pop() {
            let stmt = Stmt {
                kind: StmtKind::If { cond, then, else_ },
                span: kw.to(end),
            };
            end = stmt.span;
            else_ = Some(Else::If(self.arena.alloc(stmt)));
            result = Some(stmt);
        }
        result.ok_or(Failed)
    }

    /// `for name in iter { body }`.
    fn for_loop(&mut self) -> PResult<Stmt<'a>> {
        let kw = self.bump().span;
        let var = self.name("expected a loop variable name after 'for'")?;
        if self.eat(Tok::Kw(Kw::In)).is_none() {
            return Err(self.expected("expected 'in' after the loop variable"));
        }
        let iter = self.condition("expected an expression after 'in'")?;
        let body = self.block("expected '{' after the 'for' iterable")?;
        Ok(Stmt {
            kind: StmtKind::For { var, iter, body },
            span: kw.to(body.span),
        })
    }

    /// `try { body } except [name] { handler }`.
    fn try_stmt(&mut self) -> PResult<Stmt<'a>> {
        let kw = self.bump().span;
        let body = self.block("expected '{' after 'try'")?;
        let mut j = self.pos;
        while self.toks[j].kind == Tok::Newline {
            j += 1;
        }
        if self.toks[j].kind != Tok::Kw(Kw::Except) {
            return Err(self.expected("expected 'except' after the try block"));
        }
        self.pos = j;
        self.bump();
        let err = match self.peek().kind {
            Tok::Ident(_) => Some(self.name("")?),
            _ => None,
        };
        let handler = self.block("expected '{' after 'except'")?;
        Ok(Stmt {
            kind: StmtKind::Try { body, err, handler },
            span: kw.to(handler.span),
        })
    }

    /// `func [name](params) { body }`, from the `func` keyword.
    pub(super) fn func(&mut self, named: bool) -> PResult<&'a Func<'a>> {
        let kw = self.bump().span;
        let name = if named {
            // The caller has seen the name token.
            Some(self.name("expected a parameter name")?)
        } else {
            None
        };
        if self.eat(Tok::LParen).is_none() {
            return Err(self.expected(if named {
                "expected '(' after the function name"
            } else {
                "expected '(' after 'func'"
            }));
        }
        let params = self.with_nl(true, |p| {
            let mut params = Vec::new();
            loop {
                if p.eat(Tok::RParen).is_some() {
                    break;
                }
                params.push(p.name("expected a parameter name")?);
                if p.eat(Tok::Comma).is_some() {
                    continue;
                }
                if p.eat(Tok::RParen).is_some() {
                    break;
                }
                return Err(p.expected("expected ')' to close the parameter list"));
            }
            Ok(params)
        })?;
        let body = self.block("expected '{' to start the function body")?;
        Ok(self.arena.alloc(Func {
            name,
            params: self.arena.alloc_slice_copy(&params),
            body,
            span: kw.to(body.span),
        }))
    }
}
