#include "action/catalog_names.hpp"

#include <optional>
#include <string>
#include <vector>

#include "common/runtime_error.hpp"
#include "common/text.hpp"

namespace synapse::runtime {

namespace {

using nlohmann::json;

class NameResolver {
 public:
  explicit NameResolver(synapse::Catalog& catalog) : catalog_(catalog) {}

  // Replaces object[key] when it holds a name; `where` is the field's JSON path for errors.
  void resolve(json& object, const std::string& key, CatalogRecord record,
               const std::string& where) {
    if (!object.is_object())
      return;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
      return;
    const auto name = it->get<std::string>();
    const auto ids = find_ids_by_name(catalog_, record, name);
    if (ids.size() == 1) {
      *it = ids.front();
      return;
    }
    if (ids.empty()) {
      problems_.push_back(where + ": no " + std::string(record_word(record)) + " named '" + name +
                          "' in the catalog (give its id or an existing name)");
      return;
    }
    std::vector<std::string> listed;
    for (const auto id : ids)
      listed.push_back(std::to_string(id));
    problems_.push_back(where + ": " + std::to_string(ids.size()) + " " + record_word(record) +
                        "s are named '" + name + "' (ids " + join(listed) + "); give the id");
  }

  void finish() const {
    if (problems_.empty())
      return;
    std::string message = problems_.size() == 1
                              ? problems_.front()
                              : std::to_string(problems_.size()) + " names match no catalog record";
    throw RuntimeError(ExitCode::usage, "params.unknown_name", message, problems_);
  }

 private:
  synapse::Catalog& catalog_;
  std::vector<std::string> problems_;
};

}  // namespace

const char* record_word(CatalogRecord record) {
  switch (record) {
    case CatalogRecord::storage:
      return "storage";
    case CatalogRecord::collection:
      return "data collection";
    case CatalogRecord::project:
      return "project";
  }
  return "record";
}

std::vector<CatalogId> find_ids_by_name(synapse::Catalog& catalog, CatalogRecord record,
                                        const std::string& name) {
  switch (record) {
    case CatalogRecord::storage:
      if (auto found = catalog.find_storage(name))
        return {found->id};
      return {};
    case CatalogRecord::collection:
      if (auto found = catalog.find_data_collection(name))
        return {found->id};
      return {};
    case CatalogRecord::project:
      break;
  }
  // No lookup by name in the Catalog interface: projects are few, so page through them.
  std::vector<CatalogId> ids;
  PageRequest request;
  request.limit = 1000;
  for (;;) {
    auto page = catalog.list_projects(request);
    for (const auto& project : page.items) {
      if (project.name == name)
        ids.push_back(project.id);
    }
    if (page.next_cursor.empty())
      return ids;
    request.cursor = page.next_cursor;
  }
}

json resolve_catalog_names(json params, synapse::Catalog& catalog, NamedParams kind) {
  NameResolver names(catalog);
  names.resolve(params, "storage", CatalogRecord::storage, "/storage");
  if (kind == NamedParams::upload) {
    names.resolve(params, "data_collection", CatalogRecord::collection, "/data_collection");
    names.resolve(params, "project", CatalogRecord::project, "/project");
    if (params.is_object() && params.contains("assets") && params["assets"].is_object()) {
      for (auto& [spec, asset] : params["assets"].items())
        names.resolve(asset, "storage", CatalogRecord::storage, "/assets/" + spec + "/storage");
    }
  } else if (params.is_object() && params.contains("filter")) {
    names.resolve(params["filter"], "project", CatalogRecord::project, "/filter/project");
    names.resolve(params["filter"], "collection", CatalogRecord::collection, "/filter/collection");
  }
  names.finish();
  return params;
}

}  // namespace synapse::runtime
