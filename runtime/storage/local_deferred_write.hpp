// Local storage's open_write_deferred(): objects written in place in folders opened once, for
// exports that write tens of thousands of small files and make them durable with one sync().
//
// The per-object cost of open_write() is what this avoids: resolving and checking the path
// through symlinks (a lstat and readlink per component), a temporary name, fsync of the file
// and of its folder, and the rename. Here a folder is checked and opened once (openat2 with
// RESOLVE_BENEATH: the kernel refuses any step out of the root), and each object is one
// openat(O_CREAT | O_EXCL | O_NOFOLLOW) in it, a write and a close. An object that already
// exists is not overwritten in place: the caller falls back to open_write() (atomic replace).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <synapse/storage.hpp>

#include "common/unique_fd.hpp"

namespace synapse::runtime::detail {

// Open folders of one LocalStorage, by storage path, shared with the streams writing in them.
class DeferredFolders {
 public:
  // `open_folder(rel)` makes the folder exist (checked inside the root) and returns an fd of it,
  // or -1 when it cannot (the caller then takes the ordinary write path).
  explicit DeferredFolders(std::function<int(const std::string&)> open_folder)
      : open_folder_(std::move(open_folder)) {}

  // The fd of folder `rel` ("" = the root), opened on first use; nullptr when unavailable.
  std::shared_ptr<UniqueFd> folder(const std::string& rel);

 private:
  // Enough for an export's json/ and origin_files/ and then some; beyond it the cache restarts
  // (streams keep their folder's fd alive through the shared_ptr).
  static constexpr std::size_t kMaxFolders = 64;

  std::function<int(const std::string&)> open_folder_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<UniqueFd>> folders_;
};

// Creates `name` in `folder` exclusively and returns a stream writing it in place; nullptr when
// the object already exists (the caller replaces it the atomic way). Throws StorageError for
// any other failure; `path` is the storage path named in messages.
std::unique_ptr<synapse::WriteStream> open_in_place(std::shared_ptr<UniqueFd> folder,
                                                    const std::string& name, std::string_view path);

}  // namespace synapse::runtime::detail
