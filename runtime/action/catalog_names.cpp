#include "action/catalog_names.hpp"

#include <optional>
#include <string>
#include <vector>

#include "common/runtime_error.hpp"

namespace synapse::runtime {

namespace {

using nlohmann::json;

enum class Record { storage, collection, project };

const char* record_word(Record record) {
  switch (record) {
    case Record::storage:
      return "storage";
    case Record::collection:
      return "data collection";
    case Record::project:
      return "project";
  }
  return "record";
}

std::optional<CatalogId> find_project(synapse::Catalog& catalog, const std::string& name) {
  // No lookup by name in the Catalog interface: projects are few, so page through them.
  PageRequest request;
  request.limit = 1000;
  for (;;) {
    auto page = catalog.list_projects(request);
    for (const auto& project : page.items) {
      if (project.name == name)
        return project.id;
    }
    if (page.next_cursor.empty())
      return std::nullopt;
    request.cursor = page.next_cursor;
  }
}

std::optional<CatalogId> find_id(synapse::Catalog& catalog, Record record,
                                 const std::string& name) {
  switch (record) {
    case Record::storage:
      if (auto found = catalog.find_storage(name))
        return found->id;
      return std::nullopt;
    case Record::collection:
      if (auto found = catalog.find_data_collection(name))
        return found->id;
      return std::nullopt;
    case Record::project:
      return find_project(catalog, name);
  }
  return std::nullopt;
}

class NameResolver {
 public:
  explicit NameResolver(synapse::Catalog& catalog) : catalog_(catalog) {}

  // Replaces object[key] when it holds a name; `where` is the field's JSON path for errors.
  void resolve(json& object, const std::string& key, Record record, const std::string& where) {
    if (!object.is_object())
      return;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
      return;
    const auto name = it->get<std::string>();
    if (auto id = find_id(catalog_, record, name)) {
      *it = *id;
      return;
    }
    problems_.push_back(where + ": no " + record_word(record) + " named '" + name +
                        "' in the catalog (give its id or an existing name)");
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

json resolve_catalog_names(json params, synapse::Catalog& catalog, NamedParams kind) {
  NameResolver names(catalog);
  names.resolve(params, "storage", Record::storage, "/storage");
  if (kind == NamedParams::upload) {
    names.resolve(params, "data_collection", Record::collection, "/data_collection");
    names.resolve(params, "project", Record::project, "/project");
    if (params.is_object() && params.contains("assets") && params["assets"].is_object()) {
      for (auto& [spec, asset] : params["assets"].items())
        names.resolve(asset, "storage", Record::storage, "/assets/" + spec + "/storage");
    }
  } else if (params.is_object() && params.contains("filter")) {
    names.resolve(params["filter"], "project", Record::project, "/filter/project");
    names.resolve(params["filter"], "collection", Record::collection, "/filter/collection");
  }
  names.finish();
  return params;
}

}  // namespace synapse::runtime
