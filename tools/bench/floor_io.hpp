// What the benchmarks' floor programs (export/write_floor.cpp, upload/store_floor.cpp) share:
// writing a buffer whole and making a file system durable. Header-only, so that run.py can
// build each floor from its one source file with the system compiler.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace bench_floor {

// Writes size bytes of data to fd, retrying short writes; false (errno set) on an error.
inline bool write_all(int fd, const char* data, std::size_t size) {
  for (std::size_t done = 0; done < size;) {
    const auto n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// One syncfs(2) of the file system holding folder; prints why and returns false on failure.
inline bool sync_filesystem_of(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool ok = fd >= 0 && ::syncfs(fd) == 0;
  if (!ok)
    std::fprintf(stderr, "%s: syncfs: %s\n", folder.c_str(), std::strerror(errno));
  if (fd >= 0)
    ::close(fd);
  return ok;
}

}  // namespace bench_floor
