// The plugin archive format shared by `synapse plugin package` and `synapse plugin install`:
// a gzip-compressed tar whose entries all sit under one top folder `<code>-<version>/`, holding
// config.yaml, the plugin's libraries, optionally its readme, and SHA256SUMS (sha256sum's
// format, one line per other file, so `sha256sum -c` works inside the folder).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace synapse::runtime::packaging {

inline constexpr std::string_view kConfigFile = "config.yaml";
inline constexpr std::string_view kSumsFile = "SHA256SUMS";

// Sanity limits for an archive read from anywhere: a plugin is a handful of files, so these
// only stop a hostile archive (a gzip bomb, millions of entries) from filling the disk.
inline constexpr std::int64_t kMaxFileBytes = std::int64_t{512} << 20;     // one file: 512 MiB
inline constexpr std::int64_t kMaxTotalBytes = std::int64_t{1} << 30;      // all files: 1 GiB
inline constexpr std::int64_t kMaxSmallFileBytes = std::int64_t{1} << 20;  // config, sums: 1 MiB
inline constexpr std::size_t kMaxEntries = 1000;

// One line of SHA256SUMS: the lowercase hex digest and the file's name inside the top folder.
struct FileSum {
  std::string sha256;
  std::string name;
};

// `<code>-<version>`: the archive's top folder and, with ".tar.gz", its file name.
std::string archive_top_folder(const std::string& code, const std::string& version);

// `name` as a path relative to the top folder, '/'-separated, with a leading "./" and a
// trailing '/' removed. Returns an empty string and sets `why` when it is absolute, empty, or
// has an empty, "." or ".." component (the archive could then write outside its folder).
std::string safe_relative_name(std::string_view name, std::string& why);

// SHA256SUMS text: "<hex>  <name>\n" per file, in the given order.
std::string format_sums(const std::vector<FileSum>& sums);

// Parses SHA256SUMS (text or binary mode lines, "<hex>  <name>" / "<hex> *<name>"). Throws
// RuntimeError archive.bad_checksums (exit 3) naming `display` and the line for a malformed or
// duplicate line.
std::vector<FileSum> parse_sums(std::string_view text, const std::string& display);

// SHA-256 of a file, lowercase hex (the catalog's streamed hash). Throws RuntimeError
// archive.io_failed (exit 4) when the file cannot be read.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace synapse::runtime::packaging
