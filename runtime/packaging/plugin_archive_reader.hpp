// Reading a plugin archive (format: archive_format.hpp) that may come from anywhere. Two
// passes over the file: scan_plugin_archive() checks its shape and writes nothing;
// extract_plugin_archive() then writes the files the scan accepted, and refuses any entry that
// differs from what the scan saw (the file changed in between).
//
// Errors: RuntimeError with exit 3 (the package cannot be installed), naming the archive and
// the entry: archive.invalid (not a gzip-compressed tar, corrupt, empty), archive.unsafe_entry
// (symlink, hard link, device, absolute path, '..', an entry twice), archive.layout (not
// exactly one top folder), archive.too_large (a size limit of archive_format.hpp),
// archive.missing_file (no config.yaml or SHA256SUMS), archive.changed; archive.not_found
// (exit 2) when the archive file does not exist; archive.io_failed (exit 4) for a write error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace synapse::runtime::packaging {

struct ArchiveEntryInfo {
  std::string name;  // relative to the top folder; empty for the top folder's own entry
  bool directory = false;
  std::int64_t size = 0;
  bool executable = false;
};

struct ArchiveListing {
  std::filesystem::path archive;
  std::string top;                        // the single top folder
  std::vector<ArchiveEntryInfo> entries;  // archive order
  std::string config_text;                // <top>/config.yaml
  std::string sums_text;                  // <top>/SHA256SUMS

  // Names of the regular files, SHA256SUMS included, in archive order.
  std::vector<std::string> files() const;
  // "<archive>: <top>/<name>", how messages name an entry.
  std::string describe(const std::string& name) const;
};

ArchiveListing scan_plugin_archive(const std::filesystem::path& archive);

// Writes the regular files (and folders) of `listing` into `dest`, an existing empty folder,
// as `dest/<name>` (the top folder itself is not recreated); every file is fsynced.
void extract_plugin_archive(const ArchiveListing& listing, const std::filesystem::path& dest);

}  // namespace synapse::runtime::packaging
