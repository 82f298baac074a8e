//! Diagnostics: compile-time errors (a message plus a span) and the one renderer
//! that prints them, and runtime errors, as `file:line:col`, the source line and a caret.

use crate::span::{SourceFile, Span};
use std::fmt::Write;

/// A syntax or compile error found before anything runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
}

impl Diagnostic {
    #[cold]
    pub fn new(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span,
        }
    }

    /// Renders this diagnostic in the standard format (see `render_snippet`).
    pub fn render(&self, file: &SourceFile) -> String {
        render_snippet(&self.message, file, self.span)
    }
}

/// Renders a message with its location, source line and caret:
///
/// ```text
/// error: expected ')' to close the argument list
///  --> examples/bad.ruff:3:14
///   |
/// 3 | print(add(1, 2
///   |              ^
/// ```
///
/// The caret run covers the span's characters on its first line (at least one).
pub fn render_snippet(message: &str, file: &SourceFile, span: Span) -> String {
    let mut out = String::new();
    let line = span.line.max(1);
    let col = span.col.max(1);
    let _ = writeln!(out, "error: {message}");
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}--> {}:{}:{}", file.name, line, col);
    let _ = writeln!(out, "{pad} |");
    let text = file.line_text(line);
    // Tabs are shown as single spaces so that the caret lines up.
    let shown: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "{line} | {shown}");
    let line_chars = text.chars().count() as u32;
    let start_col = col.min(line_chars + 1);
    let span_chars = span_width(file, span);
    let width = span_chars
        .min((line_chars + 1).saturating_sub(start_col))
        .max(1);
    let _ = writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(start_col as usize - 1),
        "^".repeat(width as usize)
    );
    out
}

/// The number of characters the span covers on its first line.
fn span_width(file: &SourceFile, span: Span) -> u32 {
    let (s, e) = (span.start as usize, span.end as usize);
    if e <= s
        || e > file.text.len()
        || !file.text.is_char_boundary(s)
        || !file.text.is_char_boundary(e)
    {
        return 1;
    }
    let covered = &file.text[s..e];
    let first = covered.split('\n').next().unwrap_or("");
    first.chars().count().max(1) as u32
}

/// Renders several diagnostics, separated by blank lines.
pub fn render_all(diags: &[Diagnostic], file: &SourceFile) -> String {
    diags
        .iter()
        .map(|d| d.render(file))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_column() {
        let file = SourceFile::new("examples/bad.ruff", "let x := 1\n\nprint(add(1, 2\n");
        let d = Diagnostic::new(
            "expected ')' to close the argument list",
            Span::new(26, 26, 3, 14),
        );
        assert_eq!(
            d.render(&file),
            "error: expected ')' to close the argument list\n --> examples/bad.ruff:3:14\n  |\n3 | print(add(1, 2\n  |              ^\n"
        );
    }

    #[test]
    fn caret_covers_span_width() {
        let file = SourceFile::new("p.ruff", "    return a + b\n");
        let d = Diagnostic::new("Integer overflow", Span::new(11, 16, 1, 12));
        assert!(d
            .render(&file)
            .ends_with("1 |     return a + b\n  |            ^^^^^\n"));
    }
}
