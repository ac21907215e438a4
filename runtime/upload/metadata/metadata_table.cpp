#include "upload/metadata/metadata_table.hpp"

namespace synapse::runtime::upload {

nlohmann::ordered_json MetadataTable::to_json() const {
  // nlohmann::json objects are key-sorted; ordered_json keeps the SDK's row order.
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const std::string& key : file_order)
    out[key] = nlohmann::ordered_json(rows_by_file.at(key));
  return out;
}

const nlohmann::json* MetadataTable::match(const std::filesystem::path& first_file,
                                           std::string_view group_stem) const {
  // Scanning rather than caching indexes keeps the table a plain value type; the organize step
  // calls this once per group and tables are bounded by max_rows.
  const nlohmann::json* by_stem = nullptr;
  const nlohmann::json* by_name = nullptr;
  const std::string file_name = first_file.filename().string();
  for (const std::string& key : file_order) {
    const std::filesystem::path key_path(key);
    if (key_path.stem().string() == group_stem)
      by_stem = &rows_by_file.at(key);
    if (!file_name.empty() && key_path.filename().string() == file_name) {
      by_name = &rows_by_file.at(key);
    }
  }
  if (by_stem != nullptr)
    return by_stem;
  if (by_name != nullptr)
    return by_name;

  const std::string native = first_file.string();
  const std::string posix = first_file.generic_string();
  for (const std::string& key : file_order) {
    if (key.empty())
      continue;
    const bool key_in_path =
        native.find(key) != std::string::npos || posix.find(key) != std::string::npos;
    const bool path_in_key = !native.empty() && key.find(native) != std::string::npos;
    if (key_in_path || path_in_key)
      return &rows_by_file.at(key);
  }
  return nullptr;
}

}  // namespace synapse::runtime::upload
