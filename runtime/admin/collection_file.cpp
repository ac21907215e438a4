#include "admin/collection_file.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/runtime_error.hpp"
#include "config/config_diagnostics.hpp"
#include "config/yaml_to_json.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime {

namespace {

using impl::Diagnostics;
using impl::MapEntry;

const std::vector<std::string> kTopKeys = {"name", "description", "file_specifications",
                                           "data_unit_meta_schema"};
const std::vector<std::string> kSpecKeys = {"name", "file_type", "extensions", "is_required",
                                            "description"};

// A string value, or an error naming what was found instead.
std::optional<std::string> string_value(const MapEntry& e, const std::string& path,
                                        Diagnostics& diag) {
  if (e.value.IsScalar() && impl::yaml_to_json(e.value).is_string())
    return e.value.Scalar();
  diag.add(e.key.Mark(), path, "expected a string, got " + impl::describe(e.value));
  return std::nullopt;
}

std::string normalized_extension(std::string ext) {
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext.starts_with('.') ? ext : "." + ext;
}

std::optional<synapse::FileSpecification> read_spec(const YAML::Node& node, const std::string& path,
                                                    Diagnostics& diag) {
  if (!node.IsMap()) {
    diag.add(node.Mark(), path,
             "expected a mapping with name, file_type, ..., got " + impl::describe(node));
    return std::nullopt;
  }
  synapse::FileSpecification spec;
  bool has_name = false;
  for (const auto& e : impl::map_entries(node, path, kSpecKeys, diag)) {
    const auto key_path = impl::child_path(path, e.name);
    if (e.name == "name" || e.name == "file_type" || e.name == "description") {
      auto text = string_value(e, key_path, diag);
      if (!text)
        continue;
      if (e.name == "name") {
        spec.name = *text;
        has_name = !text->empty();
        if (!has_name)
          diag.add(e.key.Mark(), key_path, "must not be empty");
      } else if (e.name == "file_type") {
        spec.file_type = *text;
      } else {
        spec.description = *text;
      }
    } else if (e.name == "is_required") {
      const auto value = impl::yaml_to_json(e.value);
      if (value.is_boolean()) {
        spec.is_required = value.get<bool>();
      } else {
        diag.add(e.key.Mark(), key_path, "expected true or false, got " + impl::describe(e.value));
      }
    } else if (e.name == "extensions") {
      if (!e.value.IsSequence()) {
        diag.add(e.key.Mark(), key_path,
                 "expected a list of extensions like [jpg, png], got " + impl::describe(e.value));
        continue;
      }
      for (std::size_t i = 0; i < e.value.size(); ++i) {
        const auto item = e.value[i];
        if (!item.IsScalar() || item.Scalar().empty()) {
          diag.add(item.Mark(), key_path + "[" + std::to_string(i) + "]",
                   "expected an extension like jpg, got " + impl::describe(item));
          continue;
        }
        spec.extensions.push_back(normalized_extension(item.Scalar()));
      }
    }
  }
  if (!has_name && !node["name"])
    diag.add(node.Mark(), path + ".name", "required key is missing");
  return spec;
}

}  // namespace

synapse::DataCollection parse_collection_file(std::string_view yaml_text,
                                              const std::string& display_name) {
  Diagnostics diag(display_name, "collection.invalid", "data collection file");
  const YAML::Node root = diag.load(yaml_text);
  synapse::DataCollection collection;
  if (!root.IsMap()) {
    diag.add(root.Mark(), "", "expected a mapping with name and file_specifications");
    diag.raise();
  }
  for (const char* required : {"name", "file_specifications"}) {
    if (!root[required])
      diag.add(root.Mark(), required, "required key is missing");
  }
  std::set<std::string> spec_names;
  for (const auto& e : impl::map_entries(root, "", kTopKeys, diag)) {
    if (e.name == "name" || e.name == "description") {
      auto text = string_value(e, e.name, diag);
      if (!text)
        continue;
      (e.name == "name" ? collection.name : collection.description) = *text;
      if (e.name == "name" && text->empty())
        diag.add(e.key.Mark(), "name", "must not be empty");
    } else if (e.name == "file_specifications") {
      if (!e.value.IsSequence() || e.value.size() == 0) {
        diag.add(
            e.key.Mark(), e.name,
            "expected a non-empty list of file specifications, got " + impl::describe(e.value));
        continue;
      }
      for (std::size_t i = 0; i < e.value.size(); ++i) {
        const auto path = "file_specifications[" + std::to_string(i) + "]";
        auto spec = read_spec(e.value[i], path, diag);
        if (!spec)
          continue;
        if (!spec->name.empty() && !spec_names.insert(spec->name).second) {
          diag.add(e.value[i].Mark(), path + ".name",
                   "'" + spec->name + "' is already the name of another specification");
        }
        collection.file_specifications.push_back(std::move(*spec));
      }
    } else if (e.name == "data_unit_meta_schema") {
      if (!e.value.IsMap()) {
        diag.add(e.key.Mark(), e.name,
                 "expected a JSON Schema mapping, got " + impl::describe(e.value));
        continue;
      }
      collection.data_unit_meta_schema = impl::yaml_to_json(e.value);
      // Refuse a schema that cannot validate anything now, not at the first upload.
      for (const auto& error :
           validate_json_schema(collection.data_unit_meta_schema, nlohmann::json::object())) {
        if (error.path.empty() &&
            error.message.find("not a valid JSON Schema") != std::string::npos) {
          diag.add(e.key.Mark(), e.name, error.message);
        }
      }
    }
  }
  diag.raise_if_any();
  return collection;
}

synapse::DataCollection read_collection_file(const std::filesystem::path& file) {
  const auto text = impl::read_text_file(file);
  if (!text) {
    throw RuntimeError(ExitCode::usage, "collection.not_found",
                       "cannot read data collection file " + file.string());
  }
  return parse_collection_file(*text, file.string());
}

}  // namespace synapse::runtime
