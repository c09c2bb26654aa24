// Scratch files carry the id of the process that writes them:
//   "<output>.tmp-<pid>-<n>"       AtomicOutputFile's temporary file,
//   "<output>.tmp-<pid>-<n>.rows"  the events writer's staged rows,
//   "<output>.stage-<pid>-<i>.h5"  mine's per-sample staging files.
// A run removes its own however it fails (destructors). A run killed with
// SIGKILL cannot (issue 15: up to 100 MB left by augment), so the next run
// writing into the same folder removes those whose process no longer exists.
// This assumes the folder is written by processes of this host (a process of
// another machine or PID namespace sharing the folder looks dead from here).
#pragma once

#include <filesystem>
#include <string>

namespace goldmine {

// The process id in a scratch file name, or 0 when `file_name` (without
// folder) is not a scratch file name.
long ScratchFilePid(const std::string& file_name);

// Removes the scratch files in `folder` whose process is gone (kill(pid, 0)
// fails with ESRCH). Other files, and those of live processes or of this
// one, are left alone; errors (a folder that cannot be read) are ignored.
void RemoveStaleScratchFiles(const std::filesystem::path& folder);

}  // namespace goldmine
