// Helpers shared by the storage test folders (storage, storage_s3).
#pragma once

#include <algorithm>
#include <filesystem>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <synapse/storage.hpp>

namespace storage_test {

inline std::string read_all(synapse::ReadStream& stream, std::size_t buffer_size = 4096) {
  std::string out;
  std::vector<char> buffer(buffer_size);
  for (;;) {
    const auto got = stream.read(buffer.data(), buffer.size());
    if (got == 0) {
      return out;
    }
    out.append(buffer.data(), got);
  }
}

inline std::string read_object(synapse::Storage& storage, std::string_view path,
                               std::uint64_t offset = 0, std::optional<std::uint64_t> length = {}) {
  auto stream = storage.open_read(path, offset, length);
  return read_all(*stream);
}

inline void write_object(synapse::Storage& storage, std::string_view path,
                         const std::string& data) {
  auto stream = storage.open_write(path);
  stream->write(data.data(), data.size());
  stream->commit();
}

// Sorted "path" or "path/" (folders) of a listing.
inline std::vector<std::string> listing(synapse::Storage& storage, std::string_view prefix,
                                        bool recursive) {
  std::vector<std::string> out;
  auto lister = storage.list(prefix, recursive);
  while (auto info = lister->next()) {
    out.push_back(info->path + (info->is_directory ? "/" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() & 0xff);
  }
  return out;
}

template <typename F>
synapse::StorageError::Kind error_kind(F&& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const synapse::StorageError& error) {
    if (message != nullptr) {
      *message = error.what();
    }
    return error.kind();
  }
  throw std::runtime_error("expected a StorageError");
}

// A fresh folder under the system temp folder, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("synapse-storage-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace storage_test
