//! [`ColumnBuffer`]: the storage of a run's per-draw columns.
//!
//! A run of 100,000 draws keeps some 40 MB of columns (every key × member NPV, the views'
//! values, the fan bands' draws), written once by the chunks and read by the summaries. Taken
//! from the allocator, that memory comes in 4 KiB pages, each zeroed by the kernel on its first
//! write: about 10,000 page faults, some 4 % of the reference case's time on two threads. A
//! buffer of at least [`HUGE_PAGE_BYTES`] is therefore an anonymous memory map (zeroed, like
//! `vec![0.0; len]`) that the kernel is asked to back with transparent huge pages
//! (`madvise(MADV_HUGEPAGE)` through `memmap2`'s safe `advise`, Linux only): 2 MiB a fault. Where
//! the map or the advice is refused, the buffer is what it would have been otherwise: a map
//! of small pages, or a vector. The values are the same either way.

use std::ops::{Deref, DerefMut};

/// Buffers from this size on are mapped with the huge-page advice (one huge page).
pub(super) const HUGE_PAGE_BYTES: usize = 2 << 20;

/// Zero-initialised `f64` storage of a run's columns (see the module documentation).
pub(super) struct ColumnBuffer(Storage);

enum Storage {
    Vector(Vec<f64>),
    Mapped(memmap2::MmapMut),
}

impl ColumnBuffer {
    /// `len` zeros.
    pub(super) fn zeroed(len: usize) -> Self {
        let bytes = len.saturating_mul(std::mem::size_of::<f64>());
        if bytes >= HUGE_PAGE_BYTES
            && let Ok(map) = memmap2::MmapOptions::new().len(bytes).map_anon()
        {
            // Advice only: the kernel may not have transparent huge pages, and the map works
            // the same without them.
            #[cfg(target_os = "linux")]
            let _ = map.advise(memmap2::Advice::HugePage);
            return Self(Storage::Mapped(map));
        }
        Self(Storage::Vector(vec![0.0; len]))
    }

    /// Whether the buffer is a memory map (large enough, and the map was granted).
    #[cfg(test)]
    fn is_mapped(&self) -> bool {
        matches!(self.0, Storage::Mapped(_))
    }
}

impl Deref for ColumnBuffer {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        match &self.0 {
            Storage::Vector(v) => v,
            // A map starts on a page boundary and holds whole `f64`s, so the cast cannot fail.
            Storage::Mapped(map) => bytemuck::cast_slice(map),
        }
    }
}

impl DerefMut for ColumnBuffer {
    fn deref_mut(&mut self) -> &mut [f64] {
        match &mut self.0 {
            Storage::Vector(v) => v,
            Storage::Mapped(map) => bytemuck::cast_slice_mut(map),
        }
    }
}

impl Clone for ColumnBuffer {
    fn clone(&self) -> Self {
        let mut copy = Self::zeroed(self.len());
        copy.copy_from_slice(self);
        copy
    }
}

impl PartialEq for ColumnBuffer {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for ColumnBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Below and above the huge-page size the buffer starts at zero, keeps what is written,
    /// and compares and clones by its values; on Linux, where an anonymous map of a few MiB is
    /// granted, the large one is a map and the small ones vectors.
    #[test]
    fn columns_are_zeroed_and_keep_their_values() {
        let large = HUGE_PAGE_BYTES / 8 + 3;
        for len in [0, 1, 1000, large] {
            let mut buffer = ColumnBuffer::zeroed(len);
            assert_eq!(buffer.len(), len);
            assert!(buffer.iter().all(|v| v.to_bits() == 0), "len {len}");
            for (i, slot) in buffer.iter_mut().enumerate() {
                *slot = i as f64 * 0.5;
            }
            let copy = buffer.clone();
            assert_eq!(copy, buffer);
            assert_eq!(
                copy.last().copied(),
                len.checked_sub(1).map(|i| i as f64 * 0.5)
            );
            if cfg!(target_os = "linux") {
                assert_eq!(buffer.is_mapped(), len == large, "len {len}");
            }
        }
    }
}
