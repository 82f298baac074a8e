//! The object pool: every `Obj` lives in a slot of a fixed-size chunk, so allocating an
//! object is a pop from a free list instead of a `malloc`, and sweeping walks the chunks
//! in address order instead of a separate list of pointers.
//!
//! A slot's header byte (`Obj::marked`) says whether it holds an object (`WHITE` or
//! `BLACK`) or is empty (`FREE`, payload uninitialised). Chunks never move, so objects
//! keep their addresses for life (the collector is non-moving). The free list is rebuilt
//! by every sweep, and chunks that a sweep leaves empty are released.

use super::object::{Obj, ObjData, BLACK, FREE, WHITE};
use std::cell::Cell;
use std::mem::MaybeUninit;

/// Slots per chunk.
const CHUNK_SLOTS: usize = 1024;
/// Empty chunks a sweep keeps for the next allocations instead of releasing them.
const KEEP_EMPTY: usize = 2;

type Chunk = Box<[MaybeUninit<Obj>]>;

/// Fixed-size slots for objects.
pub(crate) struct Pool {
    chunks: Vec<Chunk>,
    /// Empty slots, popped by `alloc`.
    free: Vec<*mut Obj>,
    /// Objects currently in the pool.
    live: usize,
}

impl Pool {
    pub(crate) fn new() -> Pool {
        Pool {
            chunks: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }

    /// Number of objects in the pool.
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Number of chunks (of `CHUNK_SLOTS` slots each).
    pub(crate) fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Puts `data` in an empty slot and returns the object's (permanent) address.
    #[inline]
    pub(crate) fn alloc(&mut self, data: ObjData) -> *mut Obj {
        let slot = match self.free.pop() {
            Some(p) => p,
            None => self.grow(),
        };
        // SAFETY: `slot` is an empty slot of a live chunk: writing a whole `Obj` into it
        // initialises it without dropping anything.
        unsafe { slot.write(Obj::new(data)) };
        self.live += 1;
        slot
    }

    /// Adds a chunk, puts all but one of its slots on the free list, returns that one.
    #[cold]
    fn grow(&mut self) -> *mut Obj {
        let mut chunk: Chunk = Box::new_uninit_slice(CHUNK_SLOTS);
        let base = chunk.as_mut_ptr() as *mut Obj;
        for i in (1..CHUNK_SLOTS).rev() {
            // SAFETY: `i < CHUNK_SLOTS`, inside the chunk; only the header is written.
            let p = unsafe { base.add(i) };
            // SAFETY: as above; the slot holds no object yet.
            unsafe { mark_free(p) };
            self.free.push(p);
        }
        self.chunks.push(chunk);
        base
    }

    /// Drops every object whose header is not `BLACK`, turns `BLACK` back to `WHITE`,
    /// rebuilds the free list and releases surplus empty chunks. `size` estimates a
    /// survivor's bytes; returns the total over all survivors.
    pub(crate) fn sweep(&mut self, size: impl Fn(&ObjData) -> usize) -> usize {
        let mut live_bytes = 0;
        let mut live = 0;
        let mut empty_kept = 0;
        self.free.clear();
        let mut keep: Vec<Chunk> = Vec::with_capacity(self.chunks.len());
        for mut chunk in std::mem::take(&mut self.chunks) {
            let base = chunk.as_mut_ptr() as *mut Obj;
            let free_before = self.free.len();
            let mut chunk_live = 0;
            for i in 0..CHUNK_SLOTS {
                // SAFETY: `i < CHUNK_SLOTS`; every slot's header is initialised (by `grow`
                // or `alloc`), and a non-`FREE` slot holds a whole object.
                unsafe {
                    let p = base.add(i);
                    let state = (*p).marked.get();
                    if state == BLACK {
                        (*p).marked.set(WHITE);
                        live_bytes += size((*p).data());
                        chunk_live += 1;
                    } else {
                        if state == WHITE {
                            // Unreachable from every root: nothing can use it again.
                            std::ptr::drop_in_place(p);
                            mark_free(p);
                        }
                        self.free.push(p);
                    }
                }
            }
            if chunk_live == 0 {
                if empty_kept >= KEEP_EMPTY {
                    self.free.truncate(free_before);
                    drop(chunk);
                    continue;
                }
                empty_kept += 1;
            }
            live += chunk_live;
            keep.push(chunk);
        }
        self.chunks = keep;
        self.live = live;
        live_bytes
    }
}

/// Writes the `FREE` header into slot `p`.
///
/// # Safety
/// `p` must be a slot of a live chunk that holds no object.
#[inline]
unsafe fn mark_free(p: *mut Obj) {
    // SAFETY: forwarded; only the header field is written, through a raw pointer.
    unsafe { std::ptr::addr_of_mut!((*p).marked).write(Cell::new(FREE)) };
}

impl Drop for Pool {
    fn drop(&mut self) {
        for chunk in &mut self.chunks {
            let base = chunk.as_mut_ptr() as *mut Obj;
            for i in 0..CHUNK_SLOTS {
                // SAFETY: as in `sweep`: a non-`FREE` slot holds an object, dropped once
                // here; the chunk memory itself is freed when `chunks` drops.
                unsafe {
                    let p = base.add(i);
                    if (*p).marked.get() != FREE {
                        std::ptr::drop_in_place(p);
                    }
                }
            }
        }
    }
}
