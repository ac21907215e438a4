// An exclusive flock taken without waiting: the "is its owner still alive?" test behind the
// job liveness locks and the plugin install staging folders. The kernel drops a flock when its
// process dies however it dies, so a lock that can be taken belongs to no live process.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/types.h>

#include <cerrno>
#include <filesystem>

#include "common/unique_fd.hpp"

namespace synapse::runtime {

// Opens `path` with `flags` (O_CLOEXEC added; `mode` for O_CREAT) and takes an exclusive flock
// without waiting. Empty when the open fails or another process holds the lock; errno says
// which.
inline UniqueFd try_lock_exclusive(const std::filesystem::path& path, int flags, mode_t mode = 0) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
  if (fd && ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    fd.reset();
    errno = error;
  }
  return fd;
}

}  // namespace synapse::runtime
