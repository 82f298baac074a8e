//! Raising errors: turning an `RtError` into an error value, unwinding frame by frame
//! through the handler tables while recording the traceback, and rendering an uncaught
//! error.
//!
//! Traceback rule: every frame the error passes through on its way to a handler (the
//! raising frame, each frame it unwinds, and the catching frame) is recorded innermost
//! first, with the line of the failing instruction or call. A re-thrown error value keeps
//! its message, line, caret and traceback and goes on extending it from the frame that
//! re-threw it (that frame, already recorded when it caught the error, is not repeated).

use super::Vm;
use crate::diag::render_snippet;
use crate::error::{RtError, RtResult};
use crate::format;
use crate::heap::{as_error, as_obj, as_str, ErrorObj, ObjData, TraceFrame};
use crate::span::Span;
use crate::value::Value;

/// How many frames of a long traceback are shown at each end.
const TRACE_EDGE: usize = 10;

impl<'p> Vm<'p> {
    /// The span and line of the instruction the innermost frame is executing.
    fn current_span(&self) -> Span {
        if let Some(s) = self.jit_span {
            return s;
        }
        match self.frames.last() {
            Some(f) => {
                // SAFETY: frame protos are kept alive by `self.protos`.
                let proto = unsafe { &*f.proto };
                let at = f.pc().saturating_sub(1);
                proto.spans.get(at).copied().unwrap_or(proto.span)
            }
            None => Span::default(),
        }
    }

    /// A fresh error value raised at the current instruction.
    fn new_error(&mut self, message: Value, value: Value) -> Value {
        let span = self.current_span();
        self.heap.alloc(ObjData::Error(Box::new(ErrorObj {
            message,
            value,
            line: span.line as i64,
            stack: Value::NULL,
            span,
            trace: Vec::new(),
        })))
    }

    /// The error value for `err`, and whether the current frame is already in its
    /// traceback (a re-throw). `Exit` is returned as `Err`.
    pub(super) fn error_value(&mut self, err: RtError) -> RtResult<(Value, bool)> {
        match err {
            RtError::Exit(_) => Err(err),
            RtError::Message(m) => {
                let msg = self.heap.string(m);
                Ok((self.new_error(msg, Value::NULL), false))
            }
            RtError::Thrown(v) => match as_error(v) {
                Some(e) => {
                    if v == self.in_flight {
                        // Coming back out of a nested `execute`: keep extending the trace.
                        self.in_flight = Value::NULL;
                        Ok((v, false))
                    } else if e.trace.is_empty() {
                        // Made by `error(...)` and thrown for the first time: raised here.
                        let span = self.current_span();
                        if let Some(o) = as_obj(v) {
                            // SAFETY: no other reference to this error's payload is live.
                            if let ObjData::Error(e) = unsafe { o.data_mut() } {
                                e.span = span;
                                e.line = span.line as i64;
                            }
                        }
                        Ok((v, false))
                    } else {
                        Ok((v, true))
                    }
                }
                None => {
                    let msg = self.heap.string(format::display(v));
                    Ok((self.new_error(msg, v), false))
                }
            },
        }
    }

    /// Unwinds `err` from the innermost frame. If a handler in this `execute`
    /// activation catches it, that frame continues at the handler and `Ok` is returned.
    /// Otherwise every frame of the activation is popped and the error value comes back
    /// as `Err(Thrown)` (remembered in `in_flight`); `Exit` passes straight through.
    pub(crate) fn unwind(&mut self, err: RtError) -> RtResult<()> {
        let (ev, mut skip) = self.error_value(err)?;
        loop {
            let Some(fr) = self.frames.last().copied() else {
                return Err(RtError::Thrown(ev));
            };
            // SAFETY: frame protos are kept alive by `self.protos`.
            let proto = unsafe { &*fr.proto };
            let at = fr.pc().saturating_sub(1);
            if !skip {
                let line = proto.spans.get(at).map(|s| s.line).unwrap_or(0);
                self.push_trace(
                    ev,
                    TraceFrame {
                        name: proto.name.clone(),
                        line,
                    },
                );
            }
            skip = false;
            let at = at as u32;
            if let Some(h) = proto
                .handlers
                .iter()
                .find(|h| h.start.0 <= at && at < h.end.0)
            {
                self.fill_stack(ev);
                if let Some(r) = h.err_reg {
                    // SAFETY: `r < nregs` (verifier) and the window is inside the stack.
                    unsafe { *self.stack_ptr.add(fr.base as usize + r.0 as usize) = ev };
                }
                if let Some(n) = self.frames.len().checked_sub(1) {
                    // SAFETY: `n < len`. Written through the buffer pointer rather than
                    // `last_mut`, so that no `&mut` to the whole frame slice is made:
                    // interpreter activations hold raw pointers to their frames.
                    unsafe { (*self.frames.as_mut_ptr().add(n)).set_pc(h.handler.0 as usize) };
                }
                return Ok(());
            }
            self.frames.pop();
            if fr.entry {
                self.in_flight = ev;
                return Err(RtError::Thrown(ev));
            }
        }
    }

    pub(super) fn push_trace(&mut self, ev: Value, frame: TraceFrame) {
        if let Some(o) = as_obj(ev) {
            // SAFETY: no other reference to this error's payload is live.
            if let ObjData::Error(e) = unsafe { o.data_mut() } {
                e.trace.push(frame);
            }
        }
    }

    /// Sets `e.stack` to the function names of the traceback, innermost first.
    pub(super) fn fill_stack(&mut self, ev: Value) {
        let names: Vec<std::rc::Rc<str>> = match as_error(ev) {
            Some(e) => e.trace.iter().map(|t| t.name.clone()).collect(),
            None => return,
        };
        let items: Vec<Value> = names.iter().map(|n| self.heap.str(n)).collect();
        let arr = self.heap.array(items);
        if let Some(o) = as_obj(ev) {
            // SAFETY: no other reference to this error's payload is live.
            if let ObjData::Error(e) = unsafe { o.data_mut() } {
                e.stack = arr;
            }
        }
    }

    /// Prints an error that left the script to stderr (after flushing stdout) and
    /// returns the exit code: 4, or the code of `exit`.
    pub(super) fn report_uncaught(&mut self, err: RtError) -> i32 {
        let text = match err {
            RtError::Exit(code) => return code,
            RtError::Message(m) => format!("error: {m}\n"),
            RtError::Thrown(v) => match as_error(v) {
                Some(e) => self.render_error(e),
                None => format!("error: {}\n", format::display(v)),
            },
        };
        self.out.flush();
        self.out.err(text.as_bytes());
        4
    }

    /// The uncaught-error report: message, location and caret, then the traceback.
    pub(super) fn render_error(&self, e: &ErrorObj) -> String {
        let msg = as_str(e.message)
            .map(str::to_owned)
            .unwrap_or_else(|| format::display(e.message));
        let mut s = render_snippet(&msg, self.file, e.span);
        s.push_str("stack traceback:\n");
        let n = e.trace.len();
        let line = |s: &mut String, t: &TraceFrame| {
            s.push_str(&format!(
                "  at {} ({}:{})\n",
                t.name, self.file.name, t.line
            ));
        };
        if n <= 2 * TRACE_EDGE {
            for t in &e.trace {
                line(&mut s, t);
            }
        } else {
            for t in &e.trace[..TRACE_EDGE] {
                line(&mut s, t);
            }
            s.push_str(&format!("  ... {} more frames ...\n", n - 2 * TRACE_EDGE));
            for t in &e.trace[n - TRACE_EDGE..] {
                line(&mut s, t);
            }
        }
        s
    }
}
