// Containment of crashes inside Debian 12's HDF5 1.10.8 on corrupt files.
//
// The library decodes some on-disk structures (global heaps of
// variable-length strings, object headers) without bounds checks: a 25 kB
// samples file crafted by the fuzzer makes H5Aread segfault (fuzz finding,
// issue 15; several such CVEs are fixed only in HDF5 1.14, which Debian 12
// does not ship). goldmine cannot fix the library, and a signal handler that
// jumps out of it would leave its caches half-written. Instead the first read
// of a file's metadata runs in a forked child process: if the child dies of a
// signal or loops, the file is refused with exit 2; otherwise the caller
// repeats the same deterministic read in its own process, where it cannot
// crash. The cost is one fork per file opened (about a millisecond).
#pragma once

#include <functional>
#include <string>

namespace goldmine::mining::hdf5 {

// Runs `read` in a forked child and waits for it. Throws FileFormatError
// "<file>: corrupt HDF5 file: the HDF5 library crashed reading it (...)"
// when the child died of SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT, or
// exited non-zero (a sanitizer runtime reporting the crash); and "... did
// not finish reading its metadata in 10 s" when it loops (it is killed; the
// limit is GOLDMINE_HDF5_PROBE_SECONDS when set). Exceptions thrown by
// `read` stay in the child: the caller's own read throws them again. When
// fork is unavailable, returns without checking.
void RefuseFilesThatCrashHdf5(const std::string& file,
                              const std::function<void()>& read);

}  // namespace goldmine::mining::hdf5
