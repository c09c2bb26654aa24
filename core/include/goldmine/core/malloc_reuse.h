// Freed memory kept for reuse in the commands that fill large arrays.
//
// Streamed work (augment's pieces, the event batches, the rows handed to
// the samples writer) frees and allocates arrays of a few MB again and
// again. glibc serves an allocation above its mmap threshold with a fresh
// mapping, and returns heap space above its trim threshold to the system;
// either way the next array of that size costs a page fault per page and
// the kernel's zeroing of it (18 % of `goldmine augment local` at 10^6
// samples, perf). Keeping such arrays in the heap, and the heap's freed top
// for reuse, removes most of it (docs/benchmarks.md), for a few MB more peak
// memory.
#pragma once

namespace goldmine::core {

// Serves allocations up to 32 MB (glibc's largest mmap threshold on 64-bit
// systems) from the heap and keeps up to 512 MB of freed heap for reuse
// (mallopt M_MMAP_THRESHOLD and M_TRIM_THRESHOLD). Both are needed: fixing
// the trim threshold alone also fixes the mmap threshold at its 128 kB
// default, every larger array becomes a fresh mapping, and augment runs 4×
// slower.
// Call it before the large arrays are allocated.
void KeepFreedMemoryForReuse();

}  // namespace goldmine::core
