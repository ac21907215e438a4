// Content-addressed file store: the bytes of every data file live once, under
// <root>/<aa>/<bb>/<sha256>. Writers stream into <root>/.tmp/<pid>-<random>.part while hashing
// (SHA-256 via OpenSSL EVP, bounded memory), fsync, then rename into place and fsync the
// folder, so a reader or a crash never sees a partial file under its final name.
//
// The temporary file cannot sit in its final folder because the folder is named after the
// hash, which is only known once the content has been read; .tmp is on the same filesystem,
// so the rename is still atomic.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>

namespace synapse::runtime::catalog {

// A fully written, fsynced temporary file with its hash. Removed on destruction unless it was
// published.
class StagedFile {
 public:
  StagedFile(std::filesystem::path temp, std::string sha256, std::uint64_t size)
      : temp_(std::move(temp)), sha256_(std::move(sha256)), size_(size) {}
  StagedFile(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  StagedFile& operator=(StagedFile&&) = delete;
  ~StagedFile();

  const std::string& sha256() const { return sha256_; }
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& temp() const { return temp_; }
  void mark_published() { temp_.clear(); }

 private:
  std::filesystem::path temp_;
  std::string sha256_;
  std::uint64_t size_;
};

class ContentStore {
 public:
  // Creates <root> and <root>/.tmp when missing.
  explicit ContentStore(std::filesystem::path root);

  // Streams `in` (or the file at `path`) into a temporary file, hashing on the way.
  StagedFile stage(std::istream& in) const;
  StagedFile stage_file(const std::filesystem::path& path) const;

  // Moves the staged bytes to their final place (replacing an identical copy if one is there).
  void publish(StagedFile& staged) const;
  // True when the final file for `sha256` exists.
  bool contains(const std::string& sha256) const;
  // Removes the final file for `sha256` (missing is fine) and fsyncs its folder.
  void remove(const std::string& sha256) const;

  // "aa/bb/<sha256>", relative to the root.
  static std::string location(const std::string& sha256);
  std::filesystem::path path_of(const std::string& sha256) const {
    return root_ / location(sha256);
  }
  const std::filesystem::path& root() const { return root_; }

  // Deletes temporary files left by processes that no longer run (killed mid-write). Files of
  // live processes are kept: they are being written right now.
  void remove_stale_temporaries() const;

  // SHA-256 of a file, lowercase hex, streamed.
  static std::string sha256_of_file(const std::filesystem::path& path);

 private:
  std::filesystem::path root_;
  std::filesystem::path tmp_;
};

}  // namespace synapse::runtime::catalog
