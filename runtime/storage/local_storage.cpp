#include "storage/local_storage.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/unique_fd.hpp"
#include "storage/local_deferred_write.hpp"
#include "storage/skipped_entries.hpp"
#include "storage/storage_config.hpp"
#include "storage/storage_path.hpp"

namespace synapse::runtime {
namespace {

namespace fs = std::filesystem;
using Kind = StorageError::Kind;

// Temporary files of open writes carry this prefix; listings skip them so an uncommitted write
// stays invisible.
constexpr std::string_view kTempPrefix = ".synapse-tmp-";

std::string message(std::string_view path, std::string_view problem) {
  return "local storage: '" + std::string(path) + "': " + std::string(problem);
}

[[noreturn]] void throw_errno(std::string_view path, std::string_view what, int error) {
  const Kind kind = error == ENOENT || error == ENOTDIR ? Kind::not_found
                    : error == EACCES || error == EPERM ? Kind::permission_denied
                                                        : Kind::io;
  throw StorageError(kind, message(path, std::string(what) + ": " + std::strerror(error)));
}

bool is_within(const fs::path& root, const fs::path& candidate) {
  auto r = root.begin();
  auto c = candidate.begin();
  for (; r != root.end(); ++r, ++c) {
    if (c == candidate.end() || *r != *c) {
      return false;
    }
  }
  return true;
}

ObjectInfo info_from_stat(std::string path, const struct stat& st) {
  ObjectInfo info;
  info.path = std::move(path);
  info.is_directory = S_ISDIR(st.st_mode);
  info.size = info.is_directory ? 0 : static_cast<std::uint64_t>(st.st_size);
  info.modified_unix = static_cast<std::int64_t>(st.st_mtime);
  return info;
}

class LocalReadStream : public ReadStream {
 public:
  LocalReadStream(int fd, std::optional<std::uint64_t> remaining)
      : fd_(fd), remaining_(remaining) {}
  ~LocalReadStream() override { ::close(fd_); }
  LocalReadStream(const LocalReadStream&) = delete;
  LocalReadStream& operator=(const LocalReadStream&) = delete;

  std::size_t read(char* buffer, std::size_t size) override {
    if (remaining_) {
      size = static_cast<std::size_t>(std::min<std::uint64_t>(size, *remaining_));
    }
    if (size == 0) {
      return 0;
    }
    ssize_t got;
    do {
      got = ::read(fd_, buffer, size);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      throw StorageError(Kind::io,
                         std::string("local storage: read failed: ") + std::strerror(errno));
    }
    if (remaining_) {
      *remaining_ -= static_cast<std::uint64_t>(got);
    }
    return static_cast<std::size_t>(got);
  }

 private:
  int fd_;
  std::optional<std::uint64_t> remaining_;
};

// Writes into a temporary file beside the target; commit() fsyncs and renames it into place
// (atomic on one filesystem), destruction without commit() removes it.
class LocalWriteStream : public WriteStream {
 public:
  LocalWriteStream(std::string path, fs::path target) : path_(std::move(path)), target_(target) {
    // One generator per thread, seeded once: a std::random_device per write was 5% of an
    // export's CPU (it opens the kernel's entropy source each time).
    thread_local std::mt19937_64 random{std::random_device{}()};
    for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
      temp_ = target_.parent_path() / (std::string(kTempPrefix) + target_.filename().string() +
                                       "-" + std::to_string(random()));
      fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd_ < 0 && errno != EEXIST) {
        throw_errno(path_, "cannot create a temporary file", errno);
      }
    }
    if (fd_ < 0) {
      throw StorageError(Kind::io, message(path_, "cannot create a temporary file"));
    }
  }
  ~LocalWriteStream() override {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    if (!committed_) {
      ::unlink(temp_.c_str());
    }
  }
  LocalWriteStream(const LocalWriteStream&) = delete;
  LocalWriteStream& operator=(const LocalWriteStream&) = delete;

  void write(const char* data, std::size_t size) override {
    if (fd_ < 0) {
      throw StorageError(Kind::io, message(path_, "write after commit"));
    }
    while (size > 0) {
      const ssize_t put = ::write(fd_, data, size);
      if (put < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw_errno(path_, "write failed", errno);
      }
      data += put;
      size -= static_cast<std::size_t>(put);
    }
  }

  void commit() override {
    if (fd_ < 0) {
      throw StorageError(Kind::io, message(path_, "already committed"));
    }
    // fsync before rename: otherwise a crash can leave the new name pointing at empty data.
    if (::fsync(fd_) != 0) {
      throw_errno(path_, "fsync failed", errno);
    }
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      throw_errno(path_, "close failed", errno);
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      throw_errno(path_, "rename into place failed", errno);
    }
    committed_ = true;
    // The rename itself is durable only once the folder is synced; best effort.
    const int dir = ::open(target_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }

 private:
  std::string path_;
  fs::path target_;
  fs::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

class LocalStorage;

class LocalLister : public ObjectLister {
 public:
  LocalLister(const LocalStorage& storage, const fs::path& folder, bool recursive);
  std::optional<ObjectInfo> next() override;
  std::vector<SkippedEntry> take_skipped() override { return std::exchange(skipped_, {}); }

 private:
  const LocalStorage& storage_;
  bool recursive_;
  fs::recursive_directory_iterator it_;
  std::vector<SkippedEntry> skipped_;
};

class LocalStorage : public Storage {
 public:
  explicit LocalStorage(fs::path root)
      : root_(std::move(root)),
        deferred_([this](const std::string& rel) { return open_folder(rel); }) {
#ifdef __linux__
    root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
#endif
    // Opened now, not at sync(): syncfs reports the write-back errors seen since its file was
    // opened, so one opened at the end would miss an error of an earlier write-back (the
    // kernel's own, or an export's write-behind).
    sync_fd_ = UniqueFd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  ~LocalStorage() override {
    if (root_fd_ >= 0) {
      ::close(root_fd_);
    }
  }
  LocalStorage(const LocalStorage&) = delete;
  LocalStorage& operator=(const LocalStorage&) = delete;

  std::string provider() const override {
    return "local";
  }

  // Maps a storage path to its place under the root, refusing one that leaves it: lexically
  // (normalize_storage_path) and through symlinks (the canonical form of the deepest existing
  // ancestor must stay under the canonical root).
  fs::path resolve(std::string_view path, std::string* normalized = nullptr) const {
    std::string rel = normalize_storage_path("local", path);
    fs::path full = rel.empty() ? root_ : root_ / rel;
    check_inside(path, full);
    if (normalized != nullptr) {
      *normalized = std::move(rel);
    }
    return full;
  }

  void check_inside(std::string_view path, const fs::path& full) const {
    fs::path existing = full;
    std::error_code error;
    while (!fs::exists(fs::symlink_status(existing, error)) && existing != root_) {
      existing = existing.parent_path();
    }
    const fs::path real = fs::canonical(existing, error);
    // A dangling symlink has no canonical form; judge it by where it points.
    const fs::path target = error ? fs::weakly_canonical(existing, error) : real;
    if (error || !is_within(root_, target)) {
      throw StorageError(Kind::path_escape,
                         message(path, "resolves outside the storage root (through a symlink)"));
    }
  }

  // The storage path of an entry found while listing, or nullopt to skip it: our own
  // temporary files silently, a symlink leading out of the root or nowhere with `*skip_reason`
  // set (the lister reports those).
  std::optional<std::string> listed_path(const fs::directory_entry& entry,
                                         const char** skip_reason) const {
    const auto name = entry.path().filename().string();
    if (name.starts_with(kTempPrefix)) {
      return std::nullopt;
    }
    std::error_code error;
    if (entry.is_symlink(error)) {
      const auto real = fs::canonical(entry.path(), error);
      if (error) {
        *skip_reason = skip_reason::kSymlinkToNothing;
        return std::nullopt;
      }
      if (!is_within(root_, real)) {
        *skip_reason = skip_reason::kSymlinkOutOfRoot;
        return std::nullopt;
      }
    }
    return entry.path().lexically_relative(root_).generic_string();
  }

  std::optional<ObjectInfo> stat(std::string_view path) override {
    std::string rel;
    const auto full = resolve(path, &rel);
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        return std::nullopt;
      }
      throw_errno(path, "stat failed", errno);
    }
    return info_from_stat(rel, st);
  }

  std::unique_ptr<ObjectLister> list(std::string_view prefix, bool recursive) override {
    const auto folder = resolve(prefix);
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
      throw StorageError(Kind::not_found, message(prefix, "no such folder"));
    }
    return std::make_unique<LocalLister>(*this, folder, recursive);
  }

  std::unique_ptr<ReadStream> open_read(std::string_view path, std::uint64_t offset,
                                        std::optional<std::uint64_t> length) override {
    int fd = open_beneath(path);
    if (fd < 0) {
      const auto full = resolve(path);
      fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
      throw_errno(path, "cannot open", errno);
    }
    auto stream = std::make_unique<LocalReadStream>(fd, length);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
      throw StorageError(Kind::io, message(path, "is a folder, not an object"));
    }
    if (offset > 0 && ::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
      throw_errno(path, "seek failed", errno);
    }
    return stream;
  }

  std::unique_ptr<WriteStream> open_write(std::string_view path) override {
    std::string rel;
    const auto full = resolve(path, &rel);
    if (rel.empty()) {
      throw StorageError(Kind::io, message(path, "is the storage root, not an object path"));
    }
    create_folder(path, full.parent_path());
    // Again now that the folders exist: one of them may have been a symlink out of the root.
    check_inside(path, full);
    return std::make_unique<LocalWriteStream>(rel, full);
  }

  std::unique_ptr<WriteStream> open_write_deferred(std::string_view path) override {
    const std::string rel = normalize_storage_path("local", path);
    if (rel.empty()) {
      throw StorageError(Kind::io, message(path, "is the storage root, not an object path"));
    }
    const auto slash = rel.rfind('/');
    const std::string folder = slash == std::string::npos ? "" : rel.substr(0, slash);
    const std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    if (auto dir = deferred_.folder(folder)) {
      if (auto stream = detail::open_in_place(std::move(dir), name, rel)) {
        return stream;
      }
    }
    return open_write(path);  // no folder handle, or the object exists: replace it atomically
  }

  void sync() override {
    // One syncfs for the file system that holds the root: every deferred object (data and
    // folder entries) reaches the disk, at the cost of also flushing whatever else is dirty
    // there. An fsync per object would cost ~0.2 ms each (shared/notes/benchmarking.md §7).
    UniqueFd reopened;
    int fd = sync_fd_.get();
    if (fd < 0) {  // the root did not exist yet when the storage was made
      reopened = UniqueFd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      fd = reopened.get();
    }
    if (fd < 0 || ::syncfs(fd) != 0) {
      throw_errno("", "cannot sync the storage", errno);
    }
  }

  void remove(std::string_view path) override {
    std::string rel;
    const auto full = resolve(path, &rel);
    if (rel.empty()) {
      throw StorageError(Kind::io, message(path, "cannot remove the storage root"));
    }
    if (::unlink(full.c_str()) != 0) {
      if (errno == EISDIR) {
        if (::rmdir(full.c_str()) == 0) {
          return;
        }
      }
      throw_errno(path, "cannot remove", errno);
    }
  }

  const fs::path& root() const {
    return root_;
  }

 private:
  // The fast way to open a file for reading: one openat2(2) from the root folder with
  // RESOLVE_BENEATH, where the kernel refuses any step (`..`, a symlink) that leaves the root,
  // instead of resolve()'s canonical path of every open (a lstat per path component: 6% of a
  // small-file upload). -1 whenever it does not succeed (an absolute symlink, a missing file,
  // a kernel before 5.6, ...): open_read then takes the resolve() way, which gives the same
  // answer and error as before, path_escape included.
  int open_beneath(std::string_view path, std::uint64_t flags = O_RDONLY | O_CLOEXEC) const {
#ifdef __linux__
    if (root_fd_ < 0) {
      return -1;
    }
    const std::string rel = normalize_storage_path("local", path);
    if (rel.empty()) {
      return -1;
    }
    struct open_how how {};
    how.flags = flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    long fd;
    do {
      fd = ::syscall(SYS_openat2, root_fd_, rel.c_str(), &how, sizeof how);
    } while (fd < 0 && errno == EINTR);
    return fd < 0 ? -1 : static_cast<int>(fd);
#else
    (void)path;
    (void)flags;
    return -1;
#endif
  }

  void create_folder(std::string_view path, const fs::path& folder) const {
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
      throw StorageError(error == std::errc::permission_denied ? Kind::permission_denied : Kind::io,
                         message(path, "cannot create its folder: " + error.message()));
    }
  }

  // For open_write_deferred: makes folder `rel` exist, checked as open_write checks, and opens
  // it beneath the root (a symlink swapped in after the check is refused by the kernel).
  int open_folder(const std::string& rel) const {
    const fs::path full = rel.empty() ? root_ : root_ / rel;
    check_inside(rel, full);
    create_folder(rel, full);
    check_inside(rel, full);
    if (rel.empty()) {
      return ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    return open_beneath(rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }

  fs::path root_;
  int root_fd_ = -1;  // O_PATH handle of root_ for open_beneath
  UniqueFd sync_fd_;  // for syncfs, opened with the storage (see the constructor)
  detail::DeferredFolders deferred_;
};

LocalLister::LocalLister(const LocalStorage& storage, const fs::path& folder, bool recursive)
    : storage_(storage), recursive_(recursive) {
  std::error_code error;
  it_ = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied,
                                         error);
  if (error) {
    throw StorageError(Kind::io, message(folder.lexically_relative(storage.root()).string(),
                                         "cannot list: " + error.message()));
  }
}

std::optional<ObjectInfo> LocalLister::next() {
  std::error_code error;
  for (; it_ != fs::recursive_directory_iterator(); it_.increment(error)) {
    if (error) {
      throw StorageError(Kind::io, "local storage: listing failed: " + error.message());
    }
    const fs::directory_entry entry = *it_;
    if (!recursive_) {
      it_.disable_recursion_pending();  // direct children only
    }
    const char* skip_reason = nullptr;
    const auto path = storage_.listed_path(entry, &skip_reason);
    if (!path) {
      if (skip_reason != nullptr) {
        skipped_.push_back(
            {entry.path().lexically_relative(storage_.root()).generic_string(), skip_reason});
      }
      continue;
    }
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0) {
      continue;  // vanished or dangling since the directory was read
    }
    if (recursive_ && S_ISDIR(st.st_mode)) {
      // Recursive listings name files only; the iterator descends into real folders, never
      // into linked ones (no loops), which the caller hears about.
      if (entry.is_symlink(error)) {
        skipped_.push_back({*path, skip_reason::kSymlinkedFolder});
      }
      continue;
    }
    auto info = info_from_stat(*path, st);
    info.is_link = entry.is_symlink(error);
    it_.increment(error);
    if (error) {
      throw StorageError(Kind::io, "local storage: listing failed: " + error.message());
    }
    return info;
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<synapse::Storage> make_local_storage(const nlohmann::json& configuration) {
  const auto location = storage_config::required_string("local", configuration, "location");
  std::error_code error;
  const auto root = fs::canonical(fs::absolute(location), error);
  if (error || !fs::is_directory(root, error)) {
    storage_config::fail("local", "location",
                         "names '" + location + "', which is not an existing folder");
  }
  return std::make_unique<LocalStorage>(root);
}

}  // namespace synapse::runtime
