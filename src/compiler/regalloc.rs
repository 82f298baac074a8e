//! The register allocator: a stack. Locals take registers in declaration order;
//! temporaries sit above them and are released in stack order (`free_to`).
//! Running past 65,535 registers is reported once as a compile error; the
//! allocator then keeps handing out the last register so compilation can go on
//! (the program is rejected anyway), never panicking.

use crate::bytecode::Reg;

/// The most registers one frame may have (`Reg` is a `u16`; `nregs` is a `u16`).
pub(crate) const MAX_REGS: u32 = u16::MAX as u32;

#[derive(Debug, Default)]
pub(crate) struct Regs {
    /// The first free register: `0..active` are in use.
    active: u32,
    /// The high-water mark: the frame size.
    max: u32,
    overflowed: bool,
}

/// The result of an allocation that ran past the limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RegOverflow;

impl Regs {
    pub fn new() -> Regs {
        Regs::default()
    }

    /// Number of registers in use (the mark to pass to `free_to` later).
    pub fn active(&self) -> u32 {
        self.active
    }

    /// The frame size needed so far.
    pub fn nregs(&self) -> u16 {
        self.max.min(MAX_REGS) as u16
    }

    /// Takes the next free register. `Err` only the first time the limit is passed;
    /// later over-limit allocations quietly return the last register.
    pub fn alloc(&mut self) -> Result<Reg, RegOverflow> {
        if self.active >= MAX_REGS {
            self.active += 1;
            self.max = MAX_REGS;
            let first = !std::mem::replace(&mut self.overflowed, true);
            return if first {
                Err(RegOverflow)
            } else {
                Ok(Reg((MAX_REGS - 1) as u16))
            };
        }
        let r = Reg(self.active as u16);
        self.active += 1;
        self.max = self.max.max(self.active);
        Ok(r)
    }

    /// Releases every register at or above `mark` (stack order: `mark <= active`).
    pub fn free_to(&mut self, mark: u32) {
        debug_assert!(mark <= self.active, "registers freed out of order");
        self.active = self.active.min(mark);
    }

    /// True when `r` is the topmost register in use (nothing above it is live).
    pub fn is_top(&self, r: Reg) -> bool {
        r.0 as u32 + 1 == self.active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocates_in_stack_order_and_tracks_high_water() {
        let mut r = Regs::new();
        assert_eq!(r.alloc(), Ok(Reg(0)));
        assert_eq!(r.alloc(), Ok(Reg(1)));
        let mark = r.active();
        assert_eq!(r.alloc(), Ok(Reg(2)));
        assert!(r.is_top(Reg(2)));
        r.free_to(mark);
        assert_eq!(r.active(), 2);
        assert_eq!(r.alloc(), Ok(Reg(2)));
        assert_eq!(r.nregs(), 3);
        r.free_to(0);
        assert_eq!(r.nregs(), 3);
    }

    #[test]
    fn overflow_is_reported_once_without_panicking() {
        let mut r = Regs::new();
        for _ in 0..MAX_REGS {
            assert!(r.alloc().is_ok());
        }
        assert_eq!(r.alloc(), Err(RegOverflow));
        assert_eq!(r.alloc(), Ok(Reg(u16::MAX - 1)));
        assert_eq!(r.nregs(), u16::MAX);
        r.free_to(3);
        assert_eq!(r.active(), 3);
    }
}
