// A real embedded catalog in a temp data home, with a collection whose specifications are
// listed zeta-first (so "first file" visibly follows the collection, not the alphabet), a
// project, units built from the sample pictures, and a local storage over <tmp>/out.
#pragma once

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "catalog/catalog_factory.hpp"
#include "test_dir.hpp"

namespace export_targets_test {

inline std::filesystem::path sample(const std::string& name) {
  return std::filesystem::path(SYNAPSE_SOURCE_DIR) / "config/samples/sample-images/image_1" / name;
}

class CatalogEnv {
  TestDir dir_;

 public:
  CatalogEnv() {
    std::filesystem::create_directories(out());
    catalog = synapse::runtime::open_catalog(dir_.path() / "home");
    synapse::StorageRecord storage;
    storage.name = "out";
    storage.provider = "local";
    storage.configuration = {{"location", out().string()}};
    storage_id = catalog->create_storage(storage).id;
    synapse::DataCollection c;
    c.name = "pictures";
    c.file_specifications = {{"zeta", "image", {}, true, ""}, {"alpha", "data", {}, false, ""}};
    collection_id = catalog->create_data_collection(c).id;
    synapse::Project p;
    p.name = "labels";
    p.collection_id = collection_id;
    project_id = catalog->create_project(p).id;
  }

  std::filesystem::path out() const { return dir_.path() / "out"; }

  // A unit with `picture` (a sample name) as zeta and a small JSON text as alpha.
  synapse::DataUnit add_unit(const std::string& picture) {
    synapse::NewDataUnit unit;
    unit.files["zeta"] = catalog->put_file(sample(picture), picture).file.id;
    std::istringstream text("{\"of\": \"" + picture + "\"}");
    unit.files["alpha"] = catalog->put_stream(text, picture + ".json").file.id;
    unit.meta = {{"picture", picture}};
    return catalog->create_data_units(collection_id, {unit}).at(0);
  }

  std::unique_ptr<synapse::Catalog> catalog;
  synapse::CatalogId storage_id = 0;
  synapse::CatalogId collection_id = 0;
  synapse::CatalogId project_id = 0;
};

}  // namespace export_targets_test
