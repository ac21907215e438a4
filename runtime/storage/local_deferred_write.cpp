#include "storage/local_deferred_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace synapse::runtime::detail {

namespace {

using Kind = synapse::StorageError::Kind;

[[noreturn]] void fail(std::string_view path, std::string_view what, int error) {
  const Kind kind = error == ENOENT || error == ENOTDIR ? Kind::not_found
                    : error == EACCES || error == EPERM ? Kind::permission_denied
                                                        : Kind::io;
  throw synapse::StorageError(kind, "local storage: '" + std::string(path) +
                                        "': " + std::string(what) + ": " + std::strerror(error));
}

class InPlaceWriteStream final : public synapse::WriteStream {
 public:
  InPlaceWriteStream(std::shared_ptr<UniqueFd> folder, std::string name, std::string path, int fd)
      : folder_(std::move(folder)), name_(std::move(name)), path_(std::move(path)), fd_(fd) {}
  ~InPlaceWriteStream() override {
    if (committed_)
      return;
    fd_.reset();
    ::unlinkat(folder_->get(), name_.c_str(), 0);  // created by us (O_EXCL): ours to remove
  }
  InPlaceWriteStream(const InPlaceWriteStream&) = delete;
  InPlaceWriteStream& operator=(const InPlaceWriteStream&) = delete;

  void write(const char* data, std::size_t size) override {
    if (!fd_)
      throw synapse::StorageError(Kind::io, "local storage: '" + path_ + "': write after commit");
    while (size > 0) {
      const ssize_t put = ::write(fd_.get(), data, size);
      if (put < 0) {
        if (errno == EINTR)
          continue;
        fail(path_, "write failed", errno);
      }
      data += put;
      size -= static_cast<std::size_t>(put);
    }
  }

  void commit() override {
    if (!fd_)
      throw synapse::StorageError(Kind::io, "local storage: '" + path_ + "': already committed");
    // close() reports a write error the kernel deferred (NFS, quota): the object is not whole.
    if (::close(fd_.release()) != 0)
      fail(path_, "close failed", errno);
    committed_ = true;
  }

 private:
  std::shared_ptr<UniqueFd> folder_;
  std::string name_;
  std::string path_;
  UniqueFd fd_;
  bool committed_ = false;
};

}  // namespace

std::shared_ptr<UniqueFd> DeferredFolders::folder(const std::string& rel) {
  std::lock_guard lock(mutex_);
  if (const auto it = folders_.find(rel); it != folders_.end())
    return it->second;
  const int fd = open_folder_(rel);
  if (fd < 0)
    return nullptr;
  if (folders_.size() >= kMaxFolders)
    folders_.clear();
  auto shared = std::make_shared<UniqueFd>(fd);
  folders_.emplace(rel, shared);
  return shared;
}

std::unique_ptr<synapse::WriteStream> open_in_place(std::shared_ptr<UniqueFd> folder,
                                                    const std::string& name,
                                                    std::string_view path) {
  int fd;
  do {
    fd = ::openat(folder->get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == EEXIST)
      return nullptr;
    fail(path, "cannot create", errno);
  }
  return std::make_unique<InPlaceWriteStream>(std::move(folder), name, std::string(path), fd);
}

}  // namespace synapse::runtime::detail
