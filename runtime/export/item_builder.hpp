// Export items from target records (the shape documented in synapse/export/exporter.hpp):
//
//   {id, data, files: <the unit's first file>, data_unit: {id, meta, files: {spec: file}}}
//
// A file object is {id, spec, file_name_original, checksum, size, path, url} plus width and
// height for an image whose header can be read (image_size.hpp). "First" follows the order of
// the collection's file specifications (Python took the first entry of data_unit.files).
//
// Items are built a page at a time: every data unit and data file of the page is looked up
// once, even when several records share it, with one Catalog::get_data_units and one
// get_data_files call per page.
// Paths: the first file's comes from Catalog::data_file_path; the content store's root is
// derived from it (the path ends with DataFile::location, "relative to the store" by contract),
// so later files cost no extra lookup. A catalog without local paths (data_file_path throws
// unavailable) gives items without `path` and `url`; originals are then read through
// Catalog::open_data_file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

class ItemBuilder {
 public:
  explicit ItemBuilder(Catalog& catalog) : catalog_(catalog) {}

  // One item per seed, in order (the seeds' annotations are moved into the items).
  std::vector<nlohmann::json> build(std::vector<ItemSeed>&& seeds);

 private:
  const std::vector<std::string>& spec_order(CatalogId collection_id);
  std::optional<std::string> path_of(const DataFile& file);
  nlohmann::json file_object(const DataFile& file);  // `spec` null: set per use

  Catalog& catalog_;
  // Per collection (an export normally sees one): its specification names in order.
  std::map<CatalogId, std::vector<std::string>> spec_orders_;
  std::optional<std::string> store_root_;  // "" until the first path was seen
  bool paths_unavailable_ = false;
};

// "file://" + the path, percent-encoded where a URL needs it.
std::string file_url(const std::string& path);

}  // namespace synapse::runtime::exports
