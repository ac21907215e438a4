// Catalog records by name in upload and export params.
//
// The spec's params take ids (`"storage": 3`), which an operator has to look up first; the
// catalog gives every storage, data collection and project a unique name. So where an id is
// expected and a string is given, the string is looked up by name here, before the category's
// own checks run, and replaced by the id: the checks, the plugin and the job record all see
// ids. Numbers are left alone; a name that matches nothing is an error naming the field.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

namespace synapse::runtime {

enum class NamedParams { upload, exports };
enum class CatalogRecord { storage, collection, project };

// "storage", "data collection", "project".
const char* record_word(CatalogRecord record);

// The ids of the records of that kind named `name`: none, one, or (projects only: their names
// are not unique) several.
std::vector<CatalogId> find_ids_by_name(synapse::Catalog& catalog, CatalogRecord record,
                                        const std::string& name);

// Returns `params` with every name in an id field replaced by its id. Throws RuntimeError
// (usage, "params.unknown_name") listing every name that matches no record.
nlohmann::json resolve_catalog_names(nlohmann::json params, synapse::Catalog& catalog,
                                     NamedParams kind);

}  // namespace synapse::runtime
