#include "export/export_params.hpp"

#include <algorithm>
#include <cctype>

#include "common/text.hpp"

namespace synapse::runtime::exports {

namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  return v.is_number_integer() ? "integer" : v.type_name();
}

bool is_blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// nullptr when absent; null counts as absent (the model's "or null" / defaults).
const json* find(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

void string_field(const json& params, const char* key, std::string& out, bool required,
                  std::vector<ParamError>& errors) {
  const json* v = find(params, key);
  if (v == nullptr) {
    if (required)
      errors.push_back({std::string("/") + key, "is required"});
    return;
  }
  if (!v->is_string()) {
    errors.push_back({std::string("/") + key, "must be a string, got " + type_name(*v)});
    return;
  }
  out = v->get<std::string>();
}

void check_name(const std::string& name, std::vector<ParamError>& errors) {
  if (is_blank(name))
    errors.push_back({"/name", "must not be blank"});
  else if (name.find('/') != std::string::npos || name.find('\0') != std::string::npos)
    errors.push_back(
        {"/name", "is the export folder's name and must not contain '/', got '" + name + "'"});
  else if (name == "." || name == "..")
    errors.push_back({"/name", "is the export folder's name and cannot be '" + name + "'"});
}

}  // namespace

json ExportParams::to_json() const {
  return {{"name", name},
          {"description", description ? json(*description) : json(nullptr)},
          {"storage", storage},
          {"path", path},
          {"target", target},
          {"filter", filter},
          {"save_original_file", save_original_file},
          {"extra_params", extra_params}};
}

ExportParamsCheck parse_export_params(const json& params, const json& ui_schema,
                                      const TargetRegistry& targets) {
  ExportParamsCheck check;
  ExportParams& p = check.params;
  auto& errors = check.errors;
  if (!params.is_object()) {
    errors.push_back({"", "params must be a JSON object, got " + type_name(params)});
    return check;
  }

  const json* name = find(params, "name");
  string_field(params, "name", p.name, true, errors);
  if (name != nullptr && name->is_string())
    check_name(p.name, errors);

  std::string text;
  if (find(params, "description") != nullptr) {
    string_field(params, "description", text, false, errors);
    if (find(params, "description")->is_string())
      p.description = text;
  }

  if (const json* storage = find(params, "storage"); storage == nullptr) {
    errors.push_back({"/storage", "is required"});
  } else if (!storage->is_number_integer() ||
             (storage->is_number_unsigned() &&
              storage->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) {
    errors.push_back({"/storage", "must be an integer id, got " + type_name(*storage)});
  } else if (storage->get<std::int64_t>() < 1) {
    errors.push_back({"/storage", "must be a positive integer id, got " + storage->dump()});
  } else {
    p.storage = storage->get<CatalogId>();
  }

  string_field(params, "path", p.path, true, errors);

  const json* target = find(params, "target");
  string_field(params, "target", p.target, true, errors);
  if (target != nullptr && target->is_string() && targets.find(p.target) == nullptr) {
    errors.push_back({"/target", "Unknown target: '" + p.target +
                                     "' (supported: " + join(targets.names()) + ")"});
    p.target.clear();
  }

  if (const json* filter = find(params, "filter"); filter == nullptr)
    errors.push_back({"/filter", "is required"});
  else if (!filter->is_object())
    errors.push_back({"/filter", "must be an object, got " + type_name(*filter)});
  else
    p.filter = *filter;

  if (const json* flag = find(params, "save_original_file")) {
    if (flag->is_boolean())
      p.save_original_file = flag->get<bool>();
    else
      errors.push_back({"/save_original_file", "must be a boolean, got " + type_name(*flag)});
  }

  if (const json* extra = find(params, "extra_params")) {
    if (extra->is_object())
      p.extra_params = *extra;
    else
      errors.push_back({"/extra_params", "must be an object, got " + type_name(*extra)});
  }
  if (!ui_schema.is_null() && p.extra_params.is_object()) {
    auto ui_errors = apply_and_validate_ui_schema(ui_schema, p.extra_params, "/extra_params");
    errors.insert(errors.end(), ui_errors.begin(), ui_errors.end());
  }
  return check;
}

std::vector<ParamError> check_against_catalog(const ExportParams& params, Catalog& catalog,
                                              const TargetRegistry& targets) {
  std::vector<ParamError> errors;
  if (params.storage > 0) {
    try {
      catalog.get_storage(params.storage);
    } catch (const CatalogError& e) {
      if (e.kind() != CatalogError::Kind::not_found)
        throw;
      errors.push_back(
          {"/storage", "storage " + std::to_string(params.storage) + " does not exist"});
    }
  }
  if (const TargetHandler* handler = targets.find(params.target)) {
    auto filter_errors = handler->validate_filter(params.filter, catalog);
    errors.insert(errors.end(), filter_errors.begin(), filter_errors.end());
  }
  return errors;
}

}  // namespace synapse::runtime::exports
