#include "export/item_builder.hpp"

#include <unordered_map>
#include <utility>

#include "export/image_size.hpp"

namespace synapse::runtime::exports {

namespace {

using nlohmann::json;

bool url_safe(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

}  // namespace

std::string file_url(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  url.reserve(url.size() + path.size());
  for (unsigned char c : path) {
    if (url_safe(c)) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 0xf];
    }
  }
  return url;
}

const std::vector<std::string>& ItemBuilder::spec_order(CatalogId collection_id) {
  auto it = spec_orders_.find(collection_id);
  if (it == spec_orders_.end()) {
    std::vector<std::string> names;
    for (const auto& spec : catalog_.get_data_collection(collection_id).file_specifications)
      names.push_back(spec.name);
    it = spec_orders_.emplace(collection_id, std::move(names)).first;
  }
  return it->second;
}

std::optional<std::string> ItemBuilder::path_of(const DataFile& file) {
  if (paths_unavailable_)
    return std::nullopt;
  if (store_root_)
    return *store_root_ + "/" + file.location;
  try {
    std::string path = catalog_.data_file_path(file.id).string();
    const std::string suffix = "/" + file.location;
    if (!file.location.empty() && path.size() > suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      store_root_ = path.substr(0, path.size() - suffix.size());
    return path;
  } catch (const CatalogError& e) {
    if (e.kind() == CatalogError::Kind::unavailable) {
      paths_unavailable_ = true;  // not a local catalog: no file has a path
      return std::nullopt;
    }
    if (e.kind() == CatalogError::Kind::io)
      return std::nullopt;  // this file's bytes are missing: saving its original will say so
    throw;
  }
}

json ItemBuilder::file_object(const DataFile& file) {
  json object = {{"id", file.id},
                 {"spec", nullptr},  // set per use
                 {"file_name_original", file.original_name},
                 {"checksum", file.checksum},
                 {"size", file.size}};
  if (const auto path = path_of(file)) {
    if (has_image_extension(file.original_name)) {
      if (const auto size = read_image_size(std::filesystem::path(*path))) {
        object["width"] = size->width;
        object["height"] = size->height;
      }
    }
    object["url"] = file_url(*path);
    object["path"] = *path;
  }
  return object;
}

std::vector<json> ItemBuilder::build(std::vector<ItemSeed>&& seeds) {
  // The page's units, then their files, each read once (several records may share one) and
  // all in one batch read each.
  std::unordered_map<CatalogId, DataUnit> units;
  std::vector<CatalogId> unit_ids;
  for (const auto& seed : seeds) {
    if (units.emplace(seed.data_unit_id, DataUnit{}).second)
      unit_ids.push_back(seed.data_unit_id);
  }
  auto fetched_units = catalog_.get_data_units(unit_ids);
  for (std::size_t i = 0; i < unit_ids.size(); ++i)
    units[unit_ids[i]] = std::move(fetched_units[i]);

  std::unordered_map<CatalogId, json> files;  // data file id -> its file object
  std::vector<CatalogId> file_ids;
  for (const auto& id : unit_ids) {
    for (const auto& [spec, file_id] : units[id].files) {
      if (files.emplace(file_id, json()).second)
        file_ids.push_back(file_id);
    }
  }
  const auto fetched_files = catalog_.get_data_files(file_ids);
  for (std::size_t i = 0; i < file_ids.size(); ++i)
    files[file_ids[i]] = file_object(fetched_files[i]);

  std::vector<json> items;
  items.reserve(seeds.size());
  for (auto& seed : seeds) {
    const DataUnit& unit = units.at(seed.data_unit_id);

    json unit_files = json::object();
    json first = nullptr;
    const auto add = [&](const std::string& spec, CatalogId file_id) {
      json object = files.at(file_id);
      object["spec"] = spec;  // the same bytes may serve two specifications
      if (first.is_null())
        first = object;
      unit_files[spec] = std::move(object);
    };
    for (const auto& spec : spec_order(unit.collection_id)) {
      if (const auto it = unit.files.find(spec); it != unit.files.end())
        add(spec, it->second);
    }
    for (const auto& [spec, file_id] : unit.files) {  // a spec the collection no longer lists
      if (!unit_files.contains(spec))
        add(spec, file_id);
    }
    items.push_back(
        {{"id", seed.id},
         {"data", std::move(seed.data)},
         {"files", std::move(first)},
         {"data_unit", {{"id", unit.id}, {"meta", unit.meta}, {"files", std::move(unit_files)}}}});
  }
  return items;
}

}  // namespace synapse::runtime::exports
