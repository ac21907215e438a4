// The export folder on the output storage (spec/export.md §8.2 step 2): `<path>/<name>`, or
// `<name>(1)`, `<name>(2)`, ... when that one exists, as Python named them; and the little that
// is written there besides the items' outputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/storage.hpp>

namespace synapse::runtime::exports {

// "a" + "b" -> "a/b"; an empty part is left out; a leading '/' of `folder` is dropped.
std::string join_path(std::string_view folder, std::string_view name);

// The first of `<path>/<name>`, `<path>/<name>(1)`, ... that does not exist on `storage`.
// Two exports started at the same instant with the same name may pick the same folder (a
// Storage cannot create a folder exclusively).
std::string choose_export_folder(synapse::Storage& storage, const std::string& path,
                                 const std::string& name);

// Makes each folder exist where the storage has folders. A Storage has no mkdir: open_write
// creates the parent folders (local, sftp) and a stream destroyed without commit() leaves no
// object. On S3 a folder exists only while an object lies below it, so an empty one cannot be
// made and none is.
void create_folders(synapse::Storage& storage, const std::vector<std::string>& folders);

// Writes `content` to `path` and commits it.
void write_object(synapse::Storage& storage, const std::string& path, std::string_view content);

// `<folder>/EXPORT_INCOMPLETE.json` {reason, exported, total}: left by an export that stopped
// before its end (cancelled, or failed), so nobody mistakes the folder for a whole export.
void write_incomplete_marker(synapse::Storage& storage, const std::string& folder,
                             const std::string& reason, std::int64_t exported, std::int64_t total);

inline constexpr std::string_view kIncompleteMarker = "EXPORT_INCOMPLETE.json";
inline constexpr std::string_view kErrorFileList = "error_file_list.json";

}  // namespace synapse::runtime::exports
