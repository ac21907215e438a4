// Export targets (spec/export.md §3, design.md §6): what an export goes through. A handler
// checks its part of the params (`filter`), counts its records up front and reads them page by
// page through the Catalog (never the whole table). Each record becomes an ItemSeed: the id, the
// data unit and the annotation; item_builder turns seeds into export items.
//
// The handlers are held by name in a TargetRegistry (Python 2025.12+ turned its factory into a
// registry too); builtin_targets() holds assignment, ground_truth and task. An unknown name is
// an error listing the supported ones.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "params/params_validator.hpp"

namespace synapse::runtime::exports {

using synapse::runtime::ParamError;

// One record of a target, before its data unit is looked up.
struct ItemSeed {
  CatalogId id = 0;  // the task / assignment / ground truth id
  CatalogId data_unit_id = 0;
  nlohmann::json data;  // its annotation; null = not annotated
  // From fetch_texts(): the annotation as stored JSON text ("" = not annotated); `data` is null.
  std::string data_text;
};

struct SeedPage {
  std::vector<ItemSeed> items;  // may be empty while next_cursor is not (filtered out)
  std::string next_cursor;      // empty = this was the last page
};

class TargetHandler {
 public:
  virtual ~TargetHandler() = default;
  virtual std::string name() const = 0;
  // Every problem of `filter` (missing or unknown keys, wrong types, records that must exist),
  // each at "/filter/<key>". CatalogErrors other than not_found propagate.
  virtual std::vector<ParamError> validate_filter(const nlohmann::json& filter,
                                                  Catalog& catalog) const = 0;
  // For a filter validate_filter accepted: how many records the export goes through, and one
  // page of them (records in ascending id order, cursors as Catalog's).
  virtual std::int64_t count(const nlohmann::json& filter, Catalog& catalog) const = 0;
  virtual SeedPage fetch(const nlohmann::json& filter, Catalog& catalog,
                         const PageRequest& page) const = 0;
  // The same page with each annotation as JSON text in `data_text`, for the pass-through export
  // (exporter.hpp, passes_data_through). This default parses and dumps (fetch(), then dump());
  // a target whose catalog keeps the text overrides it to skip both.
  virtual SeedPage fetch_texts(const nlohmann::json& filter, Catalog& catalog,
                               const PageRequest& page) const {
    SeedPage out = fetch(filter, catalog, page);
    for (auto& seed : out.items) {
      if (!seed.data.is_null())
        seed.data_text = seed.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      seed.data = nullptr;
    }
    return out;
  }
  // The project the records belong to, when the filter names one.
  virtual std::optional<CatalogId> project_id(const nlohmann::json& /*filter*/) const {
    return std::nullopt;
  }
};

class TargetRegistry {
 public:
  // Adds `handler` under its name, replacing one of the same name.
  void add(std::unique_ptr<TargetHandler> handler);
  // nullptr when no handler has that name.
  const TargetHandler* find(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted

 private:
  std::map<std::string, std::unique_ptr<TargetHandler>, std::less<>> handlers_;
};

// assignment, ground_truth and task.
const TargetRegistry& builtin_targets();

std::unique_ptr<TargetHandler> make_assignment_target();
std::unique_ptr<TargetHandler> make_ground_truth_target();
std::unique_ptr<TargetHandler> make_task_target();

}  // namespace synapse::runtime::exports
