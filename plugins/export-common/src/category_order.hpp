// Which class gets which category (COCO) or class (YOLO) id. One rule for every converter:
//
//   1. extra_params.categories (a list of class names) fixes the order; annotations of any other
//      class are skipped and counted;
//   2. otherwise ids are given in first-seen order, where a document's top-level
//      `classification` lists (tool -> class names, bounding_box then polygon) are read before
//      its annotations. The annotation tool writes those lists into every document, so the
//      order is normally theirs; a class found only in annotations comes after them.
//
// Ids never change once given, so a converter can write an item's output as soon as it is
// converted (memory does not grow with the item count; only the classes are kept).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace export_plugins {

class CategoryOrder {
 public:
  // An open order (rule 2).
  CategoryOrder() = default;

  // From the export's extra_params: rule 1 when it has `categories`, rule 2 otherwise. Throws
  // synapse::ParamsError when `categories` is not a list of unique, non-empty names.
  static CategoryOrder from_extra_params(const nlohmann::json& extra_params);

  bool fixed() const { return fixed_; }

  // Registers the classes of `data`'s top-level `classification` lists (rule 2; nothing when
  // the order is fixed or the document has none).
  void learn_document(const nlohmann::json& data);
  // The same for names already taken from a document (class_hints(), DocumentShapes).
  void learn_names(const std::vector<std::string>& names);

  // The 0-based index of `label`, registering it when the order is open; nullopt when the
  // order is fixed and does not list it. Throws synapse::ActionError for a name with a line
  // break (it could not be written to classes.txt or a YAML list safely).
  std::optional<std::size_t> index_of(const std::string& label);

  const std::vector<std::string>& names() const { return names_; }

 private:
  void add(const std::string& label);

  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
  bool fixed_ = false;
};

}  // namespace export_plugins
