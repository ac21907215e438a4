// Taking plugin archives apart and putting them back together (libarchive), so the tests can
// tamper with what `synapse plugin package` wrote, and SHA-256 computed here (OpenSSL),
// independently of the runtime's own hashing.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace archive_test {

struct Entry {
  enum class Kind { file, directory, symlink, hardlink };
  std::string path;
  Kind kind = Kind::file;
  std::string data;    // file contents
  std::string target;  // symlink or hard link target
  mode_t perm = 0644;
};

// Every entry of a tar.gz (or plain tar), in archive order, with file contents.
std::vector<Entry> read_archive(const std::filesystem::path& archive);

// Writes `entries` as a pax tar, gzip-compressed unless `gzip` is false.
void write_archive(const std::filesystem::path& archive, const std::vector<Entry>& entries,
                   bool gzip = true);

// Lowercase hex SHA-256.
std::string sha256_hex(const std::string& data);

// The entry named `path`; throws when there is none.
Entry& find(std::vector<Entry>& entries, const std::string& path);

// Rewrites `<top>/SHA256SUMS` to list every other file entry under `top` with its real sum.
void fix_sums(std::vector<Entry>& entries, const std::string& top);

// A file entry with `data`.
Entry text_entry(const std::string& path, const std::string& data);

// A file entry from a file on disk.
Entry file_entry(const std::string& path, const std::filesystem::path& source, mode_t perm = 0644);

}  // namespace archive_test
