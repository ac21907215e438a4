#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace synapse::runtime::upload {

// Result of reading a metadata spreadsheet: one meta object per file name (spec §11.3 output
// `{filename: {column: value}}`), plus what the caller needs to report and match.
struct MetadataTable {
  // Column names after the file-name column, in sheet order (trimmed, truncated, `column_<i>`
  // for blank headers).
  std::vector<std::string> columns;
  // Meta object ({column: value}) per file-name key. Duplicate keys: last row wins (SDK).
  std::unordered_map<std::string, nlohmann::json> rows_by_file;
  // Keys in first-appearance order (Python dict order); the substring match needs row order.
  std::vector<std::string> file_order;
  // Keys that appeared more than once (each listed once).
  std::vector<std::string> duplicates;
  // Rows skipped / values truncated to honour the length limits (SDK does this silently).
  std::vector<std::string> warnings;

  bool empty() const { return rows_by_file.empty(); }
  std::size_t size() const { return rows_by_file.size(); }

  // {filename: {column: value}} in file_order, the SDK's extract() shape.
  nlohmann::ordered_json to_json() const;

  // Metadata matching of the organize step (spec §11.2 "Metadata matching"), in priority:
  //  1. a key whose stem equals `group_stem`;
  //  2. a key whose file name equals `first_file`'s file name;
  //  3. first key (row order) contained in `first_file`'s path string (native or POSIX form),
  //     or whose text contains that path.
  // Indexes 1 and 2 are built from keys in order, so later keys win on collision.
  // Returns nullptr when nothing matches.
  const nlohmann::json* match(const std::filesystem::path& first_file,
                              std::string_view group_stem) const;
  // Convenience: group stem = first_file.stem().
  const nlohmann::json* match(const std::filesystem::path& first_file) const {
    return match(first_file, first_file.stem().string());
  }
};

}  // namespace synapse::runtime::upload
