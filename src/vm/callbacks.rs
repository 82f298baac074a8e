//! The builtins that need the VM: output (`print`, `eprint`, `input`), `exit`, `args`,
//! and the ones that call back into Ruff (`map`, `filter`, `reduce`, `sort`). Every
//! other builtin is delegated to `crate::builtins::call`.
//!
//! Values a builtin holds across a call back into Ruff are pushed on `temp_roots`, so
//! a collection inside the callback keeps them alive.

use super::Vm;
use crate::builtins;
use crate::bytecode::Builtin;
use crate::error::{RtError, RtResult};
use crate::format;
use crate::heap::{as_array, as_array_mut, as_closure, as_int, type_name};
use crate::ops;
use crate::value::Value;

/// The array argument (argument 1) of a callback builtin.
fn array_arg(b: Builtin, v: Value) -> RtResult<Value> {
    match as_array(v) {
        Some(_) => Ok(v),
        None => Err(builtins::type_error(b, 0, "array", v)),
    }
}

/// The function argument (argument `k`, 0-based) of a callback builtin.
fn func_arg(b: Builtin, k: usize, v: Value) -> RtResult<Value> {
    if v.is_builtin() || as_closure(v).is_some() {
        Ok(v)
    } else {
        Err(builtins::type_error(b, k, "function", v))
    }
}

impl<'p> Vm<'p> {
    /// Calls a builtin with `nargs` arguments starting at `args`, copying them first (onto
    /// the native stack when there are at most 8, so a call allocates nothing). Used by
    /// the interpreter and by compiled code's `jit_call`.
    ///
    /// # Safety
    /// `args .. args + nargs` must be inside the register stack.
    #[inline(never)]
    pub(crate) unsafe fn call_builtin_from_regs(
        &mut self,
        b: Builtin,
        args: *const Value,
        nargs: usize,
    ) -> RtResult<Value> {
        let mut buf = [Value::NULL; 8];
        if nargs <= buf.len() {
            buf[..nargs].copy_from_slice(std::slice::from_raw_parts(args, nargs));
            self.call_builtin(b, &buf[..nargs])
        } else {
            let v = std::slice::from_raw_parts(args, nargs).to_vec();
            self.call_builtin(b, &v)
        }
    }

    /// Calls builtin `b` with `args` (a copy; nothing borrows the register stack).
    pub(crate) fn call_builtin(&mut self, b: Builtin, args: &[Value]) -> RtResult<Value> {
        match b {
            Builtin::Print => {
                let text = self.display_line(args);
                self.out.out(text.as_bytes());
                Ok(Value::NULL)
            }
            Builtin::Eprint => {
                let text = self.display_line(args);
                self.out.err(text.as_bytes());
                Ok(Value::NULL)
            }
            Builtin::Input => {
                if args.len() > 1 {
                    return Err(builtins::arity_error(Builtin::Input, 0, 1, args.len()));
                }
                if let Some(prompt) = args.first() {
                    let p = format::display(*prompt);
                    self.out.out(p.as_bytes());
                }
                match self.out.read_line() {
                    Some(line) => Ok(self.heap.string(line)),
                    None => Ok(Value::NULL),
                }
            }
            Builtin::Exit => {
                let code = match args {
                    [] => 0,
                    [c] => match as_int(*c) {
                        Some(c) => c.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
                        None => return Err(builtins::type_error(Builtin::Exit, 0, "int", *c)),
                    },
                    _ => return Err(builtins::arity_error(Builtin::Exit, 0, 1, args.len())),
                };
                Err(RtError::Exit(code))
            }
            Builtin::Args => {
                if !args.is_empty() {
                    return Err(builtins::arity_error(Builtin::Args, 0, 0, args.len()));
                }
                let items: Vec<Value> = self
                    .args
                    .clone()
                    .into_iter()
                    .map(|a| self.heap.string(a))
                    .collect();
                Ok(self.heap.array(items))
            }
            Builtin::Map => self.builtin_map(args),
            Builtin::Filter => self.builtin_filter(args),
            Builtin::Reduce => self.builtin_reduce(args),
            Builtin::Sort => self.builtin_sort(args),
            _ => builtins::call(&mut self.heap, b, args),
        }
    }

    /// `print`'s text: the arguments' display forms separated by spaces, and a newline.
    fn display_line(&self, args: &[Value]) -> String {
        let mut s = String::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&format::display(*a));
        }
        s.push('\n');
        s
    }

    /// Runs `f` with the temp-root stack restored afterwards, even on error.
    fn with_roots<T>(&mut self, f: impl FnOnce(&mut Self, usize) -> RtResult<T>) -> RtResult<T> {
        let mark = self.temp_roots.len();
        let r = f(self, mark);
        self.temp_roots.truncate(mark);
        r
    }

    /// `map(array, f)`: a new array of `f(x)` for each element.
    fn builtin_map(&mut self, args: &[Value]) -> RtResult<Value> {
        let [arr, f] = *args else {
            return Err(builtins::arity_error(Builtin::Map, 2, 2, args.len()));
        };
        let arr = array_arg(Builtin::Map, arr)?;
        let f = func_arg(Builtin::Map, 1, f)?;
        self.with_roots(|vm, _| {
            let out = vm.heap.array(Vec::new());
            vm.temp_roots.push(out);
            let mut i = 0;
            while let Some(x) = as_array(arr).and_then(|a| a.get(i).copied()) {
                let y = vm.call_value(f, &[x])?;
                // SAFETY: no other reference to `out`'s payload is live.
                if let Some(a) = unsafe { as_array_mut(out) } {
                    a.push(y);
                }
                i += 1;
            }
            Ok(out)
        })
    }

    /// `filter(array, f)`: a new array of the elements for which `f(x)` is truthy.
    fn builtin_filter(&mut self, args: &[Value]) -> RtResult<Value> {
        let [arr, f] = *args else {
            return Err(builtins::arity_error(Builtin::Filter, 2, 2, args.len()));
        };
        let arr = array_arg(Builtin::Filter, arr)?;
        let f = func_arg(Builtin::Filter, 1, f)?;
        self.with_roots(|vm, _| {
            let out = vm.heap.array(Vec::new());
            vm.temp_roots.push(out);
            let mut i = 0;
            while let Some(x) = as_array(arr).and_then(|a| a.get(i).copied()) {
                vm.temp_roots.push(x);
                let keep = vm.call_value(f, &[x])?;
                vm.temp_roots.pop();
                if ops::truthy(keep) {
                    // SAFETY: no other reference to `out`'s payload is live.
                    if let Some(a) = unsafe { as_array_mut(out) } {
                        a.push(x);
                    }
                }
                i += 1;
            }
            Ok(out)
        })
    }

    /// `reduce(array, f, init)`: folds `acc = f(acc, x)` from `init`; without `init`
    /// the first element is the start (an empty array is then an error).
    fn builtin_reduce(&mut self, args: &[Value]) -> RtResult<Value> {
        let (arr, f, init) = match *args {
            [a, f] => (a, f, None),
            [a, f, init] => (a, f, Some(init)),
            _ => return Err(builtins::arity_error(Builtin::Reduce, 2, 3, args.len())),
        };
        let arr = array_arg(Builtin::Reduce, arr)?;
        let f = func_arg(Builtin::Reduce, 1, f)?;
        self.with_roots(|vm, mark| {
            let (mut acc, mut i) = match init {
                Some(v) => (v, 0),
                None => match as_array(arr).and_then(|a| a.first().copied()) {
                    Some(v) => (v, 1),
                    None => return Err(RtError::msg("reduce: empty array with no initial value")),
                },
            };
            vm.temp_roots.push(acc);
            while let Some(x) = as_array(arr).and_then(|a| a.get(i).copied()) {
                acc = vm.call_value(f, &[acc, x])?;
                vm.temp_roots[mark] = acc;
                i += 1;
            }
            Ok(acc)
        })
    }

    /// `sort(array)` / `sort(array, cmp)`: a new, stably sorted array. Without `cmp`
    /// the elements must be all numbers or all strings (`ops::order`: NaN last). `cmp(a, b)`
    /// returns a number (negative: `a` first, positive: `b` first, zero: keep order).
    fn builtin_sort(&mut self, args: &[Value]) -> RtResult<Value> {
        let (arr, cmp) = match *args {
            [a] => (a, None),
            [a, c] => (a, Some(c)),
            _ => return Err(builtins::arity_error(Builtin::Sort, 1, 2, args.len())),
        };
        let arr = array_arg(Builtin::Sort, arr)?;
        if let Some(c) = cmp {
            func_arg(Builtin::Sort, 1, c)?;
        }
        let items: Vec<Value> = as_array(arr).cloned().unwrap_or_default();
        self.with_roots(|vm, _| {
            vm.temp_roots.extend_from_slice(&items);
            let mut items = items;
            let mut scratch = items.clone();
            merge_sort(&mut items, &mut scratch, &mut |a, b| {
                vm.sort_before(cmp, a, b)
            })?;
            Ok(vm.heap.array(items))
        })
    }

    /// True if `a` must come before `b` (strictly).
    fn sort_before(&mut self, cmp: Option<Value>, a: Value, b: Value) -> RtResult<bool> {
        match cmp {
            None => Ok(ops::order(a, b)? == std::cmp::Ordering::Less),
            Some(f) => {
                let r = self.call_value(f, &[a, b])?;
                if let Some(i) = as_int(r) {
                    Ok(i < 0)
                } else if r.is_float() {
                    Ok(r.as_float() < 0.0)
                } else {
                    Err(RtError::msg(format!(
                        "sort: comparator must return a number, got {}",
                        type_name(r)
                    )))
                }
            }
        }
    }
}

/// A stable merge sort with a fallible "comes strictly before" predicate (any
/// predicate, even an inconsistent one, terminates without panicking).
fn merge_sort(
    v: &mut [Value],
    scratch: &mut [Value],
    before: &mut dyn FnMut(Value, Value) -> RtResult<bool>,
) -> RtResult<()> {
    let n = v.len();
    if n <= 1 {
        return Ok(());
    }
    let mid = n / 2;
    merge_sort(&mut v[..mid], &mut scratch[..mid], before)?;
    merge_sort(&mut v[mid..], &mut scratch[mid..], before)?;
    scratch[..n].copy_from_slice(v);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if before(scratch[j], scratch[i])? {
            v[k] = scratch[j];
            j += 1;
        } else {
            v[k] = scratch[i];
            i += 1;
        }
        k += 1;
    }
    while i < mid {
        v[k] = scratch[i];
        i += 1;
        k += 1;
    }
    while j < n {
        v[k] = scratch[j];
        j += 1;
        k += 1;
    }
    Ok(())
}
