// Helpers for the annotation tests: a temporary data home with a catalog holding a collection
// whose units hold files of chosen original names, a project, and annotation files on disk.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "catalog/catalog_factory.hpp"

namespace annotations_test {

namespace fs = std::filesystem;
using nlohmann::json;
using synapse::CatalogId;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "annotations-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline fs::path write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// A document with one bounding box (valid), for tests that only care about the naming.
inline json box_document(const std::string& label = "cat") {
  return json{{"images", json::array({json{{"bounding_box", json::array({json{
                                                                {"id", "b1"},
                                                                {"classification", label},
                                                                {"data", {1, 2, 3, 4}},
                                                            }})}}})}};
}

// A catalog in a temporary home with the collection "pics" (specs image_1 required, meta
// optional) and a project bound to it.
class CatalogFixture {
 public:
  CatalogFixture() : catalog(synapse::runtime::open_catalog(dir.path() / "home")) {
    synapse::DataCollection c;
    c.name = "pics";
    c.file_specifications = {{"image_1", "image", {}, true, ""}, {"meta", "data", {}, false, ""}};
    collection = catalog->create_data_collection(c).id;
    project = catalog->create_project({0, "labels", "", collection}).id;
  }

  // A data file with these bytes stored under `name` (identical bytes give the same file).
  CatalogId file(const std::string& name, const std::string& bytes = "") {
    std::istringstream in(bytes.empty() ? "bytes of " + name : bytes);
    return catalog->put_stream(in, name).file.id;
  }

  // A unit of `in` (default: the fixture's collection) holding `files` (spec -> original name).
  CatalogId unit(const std::map<std::string, std::string>& files, CatalogId in = 0) {
    synapse::NewDataUnit u;
    for (const auto& [spec, name] : files)
      u.files[spec] = file(name);
    return catalog->create_data_units(in == 0 ? collection : in, {u}).front().id;
  }

  fs::path annotations() const { return dir.path() / "annotations"; }
  fs::path annotation(const std::string& name, const json& doc) const {
    return write_file(annotations() / name, doc.dump(2));
  }

  TempDir dir;
  std::unique_ptr<synapse::Catalog> catalog;
  CatalogId collection = 0;
  CatalogId project = 0;
};

}  // namespace annotations_test
