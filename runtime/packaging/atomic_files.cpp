#include "packaging/atomic_files.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_* (glibc >= 2.28)
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/runtime_error.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime::packaging {

void throw_io(const std::string& what, const fs::path& path, int error) {
  throw RuntimeError(ExitCode::transient, "archive.io_failed",
                     "cannot " + what + " " + path.string() + ": " + std::strerror(error));
}

namespace {

std::vector<char> template_for(const fs::path& dir, const std::string& prefix) {
  const std::string text = (dir / (prefix + "XXXXXX")).string();
  return std::vector<char>(text.c_str(), text.c_str() + text.size() + 1);
}

}  // namespace

fs::path make_temp_dir(const fs::path& dir, const std::string& prefix) {
  auto name = template_for(dir, prefix);
  if (::mkdtemp(name.data()) == nullptr)
    throw_io("create a temporary folder in", dir, errno);
  const fs::path path(name.data());
  if (::chmod(path.c_str(), 0755) != 0) {
    const int error = errno;
    ::rmdir(path.c_str());
    throw_io("set the mode of", path, error);
  }
  return path;
}

int make_temp_file(const fs::path& dir, const std::string& prefix, fs::path& path) {
  auto name = template_for(dir, prefix);
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    throw_io("create a temporary file in", dir, errno);
  path = name.data();
  if (::fchmod(fd, 0644) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(path.c_str());
    throw_io("set the mode of", path, error);
  }
  return fd;
}

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw_io("open", path, errno);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0)
    throw_io("fsync", path, error);
}

bool rename_no_replace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return true;
  if (errno == EEXIST)
    return false;
  if (errno != EINVAL && errno != ENOSYS)
    throw_io("rename " + from.string() + " to", to, errno);
  // No RENAME_NOREPLACE on this filesystem: for a file, link() refuses an existing name just as
  // atomically; for a folder, check then rename (a race with another installer remains).
  std::error_code ec;
  if (fs::is_directory(fs::symlink_status(from, ec))) {
    if (fs::exists(fs::symlink_status(to, ec)))
      return false;
    if (::rename(from.c_str(), to.c_str()) != 0)
      throw_io("rename " + from.string() + " to", to, errno);
    return true;
  }
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST)
      return false;
    throw_io("link " + from.string() + " to", to, errno);
  }
  ::unlink(from.c_str());
  return true;
}

void replace_atomically(const fs::path& fresh, const fs::path& target, const fs::path& parking) {
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0)
    return;
  if (errno != EINVAL && errno != ENOSYS)
    throw_io("swap " + fresh.string() + " with", target, errno);
  if (::rename(target.c_str(), parking.c_str()) != 0)
    throw_io("move aside", target, errno);
  if (::rename(fresh.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::rename(parking.c_str(), target.c_str());  // put the old one back
    throw_io("rename " + fresh.string() + " to", target, error);
  }
}

void remove_quietly(const fs::path& path) noexcept {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

}  // namespace synapse::runtime::packaging
