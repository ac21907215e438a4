// What one item writes to the output storage, and the writing itself (run on a save-queue
// worker, so it touches nothing but its own ItemSaves, the storage and the catalog, both
// thread-safe). The original is streamed in fixed-size chunks, never held whole.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime::exports {

struct ItemSaves {
  CatalogId id = 0;
  nlohmann::json converted;  // what the hooks returned; read-only while saving
  // Pass-through: the stored annotation text; text conversion: what convert_text returned.
  // Written (indented) instead of converted["data"].
  std::string data_text;
  bool data_text_converted = false;  // from convert_text: indented as written
  std::string kept;                  // text conversion: for text_item_exported

  // `origin_files/<origin_name>`, when save_original_file is set.
  bool save_original = false;
  std::string origin_name;  // as named in events and the error list
  std::string origin_path;  // storage path
  std::string source_path;  // the content's local file ("" = read source_file from the catalog)
  std::optional<CatalogId> source_file;

  // `json/<id>.json` = converted["data"], unless data_null.
  std::string json_name;
  std::string json_path;
  bool data_null = false;

  // Outcomes: set = that output failed (a preset origin_error means it was never attempted).
  std::optional<std::string> origin_error;
  std::optional<std::string> json_error;
};

// Saves the original (if asked and not already failed), then, if that worked, the JSON. Never
// throws: failures land in origin_error / json_error.
void save_item_outputs(ItemSaves& saves, synapse::Storage& storage, synapse::Catalog& catalog);

// converted["data"] as Python's json.dump(indent=4, ensure_ascii=False) writes it. Throws
// nlohmann::json::type_error for a string that is not UTF-8.
std::string dump_data(const nlohmann::json& data);
// A stored annotation text indented the same way, its keys in stored order; throws
// nlohmann::json::parse_error when it is not JSON.
std::string indent_text(const std::string& text);
// What convert_text returned, indented by 4 as written (keys, numbers, escapes); throws
// std::runtime_error naming the hook when it is not JSON.
std::string indent_converted_text(const std::string& text);

}  // namespace synapse::runtime::exports
