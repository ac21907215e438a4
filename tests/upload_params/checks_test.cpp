// check_against_catalog over a real embedded catalog in a temp dir, and the Excel file checks
// of spec/upload.md §2.1 with an in-memory size lookup standing in for the storage.
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "catalog/catalog_factory.hpp"
#include "upload/params/upload_params.hpp"

using nlohmann::json;
using synapse::CatalogId;
using synapse::runtime::ParamError;
using namespace synapse::runtime::upload;

namespace {

std::vector<std::string> rendered(const std::vector<ParamError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.path + ": " + e.message);
  std::sort(out.begin(), out.end());
  return out;
}

// A data home in a fresh temp dir with one storage, one collection (image_1, meta) and one
// project; removed afterwards.
struct CatalogEnv {
  std::filesystem::path dir;
  std::unique_ptr<synapse::Catalog> catalog;
  CatalogId storage = 0, collection = 0, project = 0;

  CatalogEnv() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "upload-params-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    catalog = synapse::runtime::open_catalog(dir / "home");
    storage = catalog->create_storage({0, "raw", "local", {{"location", dir.string()}}}).id;
    synapse::DataCollection c;
    c.name = "images";
    c.file_specifications = {{"image_1", "image", {".jpg"}, true, ""},
                             {"meta", "json", {".json"}, false, ""}};
    collection = catalog->create_data_collection(c).id;
    synapse::Project p;
    p.name = "labelling";
    project = catalog->create_project(p).id;
  }
  ~CatalogEnv() {
    catalog.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

UploadParams parsed(const json& in) {
  auto check = parse_upload_params(in);
  INFO(json(rendered(check.errors)).dump());
  REQUIRE(check.ok());
  return check.params;
}

}  // namespace

TEST_CASE("records that exist pass the catalog check", "[catalog]") {
  CatalogEnv env;
  auto p = parsed({{"name", "n"},
                   {"use_single_path", false},
                   {"storage", env.storage},
                   {"data_collection", env.collection},
                   {"project", env.project},
                   {"assets",
                    {{"image_1", {{"path", "imgs"}, {"storage", env.storage}}},
                     {"meta", {{"path", "json"}}}}}});
  CHECK(check_against_catalog(p, *env.catalog).empty());
}

TEST_CASE("missing storage, collection and project are all reported", "[catalog]") {
  CatalogEnv env;
  auto p = parsed({{"name", "n"},
                   {"path", "in"},
                   {"storage", 900},
                   {"data_collection", 901},
                   {"project", 902}});
  CHECK(rendered(check_against_catalog(p, *env.catalog)) ==
        std::vector<std::string>{"/data_collection: data collection 901 does not exist",
                                 "/project: project 902 does not exist",
                                 "/storage: storage 900 does not exist"});
}

TEST_CASE("an asset naming an unknown spec or storage is reported at its path", "[catalog]") {
  CatalogEnv env;
  auto p =
      parsed({{"name", "n"},
              {"use_single_path", false},
              {"storage", env.storage},
              {"data_collection", env.collection},
              {"assets",
               {{"image_2", {{"path", "imgs"}}}, {"meta", {{"path", "json"}, {"storage", 777}}}}}});
  CHECK(rendered(check_against_catalog(p, *env.catalog)) ==
        std::vector<std::string>{
            "/assets/image_2: 'image_2' is not a file specification of data collection 'images' "
            "(known: image_1, meta)",
            "/assets/meta/storage: storage 777 does not exist"});
}

TEST_CASE("asset keys are not compared with a collection that does not exist", "[catalog]") {
  CatalogEnv env;
  auto p = parsed({{"name", "n"},
                   {"use_single_path", false},
                   {"storage", env.storage},
                   {"data_collection", 555},
                   {"assets", {{"anything", {{"path", "x"}}}}}});
  CHECK(rendered(check_against_catalog(p, *env.catalog)) ==
        std::vector<std::string>{"/data_collection: data collection 555 does not exist"});
}

TEST_CASE("ids that failed parsing are not looked up again", "[catalog]") {
  CatalogEnv env;
  auto check = parse_upload_params({{"name", "n"}, {"path", "p"}});
  REQUIRE(check.errors.size() == 2);
  CHECK(check_against_catalog(check.params, *env.catalog).empty());
}

namespace {

// A storage as a map of path -> size; a path in `unreadable` throws like an OS error would.
struct FakeStorage {
  std::map<std::string, std::uint64_t> sizes;
  std::vector<std::string> unreadable;
  std::vector<std::string> asked;

  StorageSizeLookup lookup() {
    return [this](const std::string& path) -> std::optional<std::uint64_t> {
      asked.push_back(path);
      if (std::find(unreadable.begin(), unreadable.end(), path) != unreadable.end())
        throw std::runtime_error("permission denied");
      auto it = sizes.find(path);
      if (it == sizes.end())
        return std::nullopt;
      return it->second;
    };
  }
};

UploadParams with_excel(const std::string& excel, const std::string& path = "incoming") {
  UploadParams p;
  p.path = path;
  p.excel_metadata_path = excel;
  return p;
}

}  // namespace

TEST_CASE("no Excel file means nothing to check", "[excel]") {
  FakeStorage storage;
  UploadParams p;
  CHECK(check_excel_metadata(p, storage.lookup()).empty());
  CHECK(storage.asked.empty());
}

TEST_CASE("an Excel path is resolved against params.path unless absolute", "[excel]") {
  CHECK(resolve_excel_metadata_path(with_excel("meta.xlsx")) == "incoming/meta.xlsx");
  CHECK(resolve_excel_metadata_path(with_excel("meta.xlsx", "incoming/")) == "incoming/meta.xlsx");
  CHECK(resolve_excel_metadata_path(with_excel("/abs/meta.xlsx")) == "/abs/meta.xlsx");
  CHECK(resolve_excel_metadata_path(with_excel("meta.xlsx", "/")) == "/meta.xlsx");
  UploadParams multi;
  multi.excel_metadata_path = "meta.xls";
  CHECK(resolve_excel_metadata_path(multi) == "meta.xls");
}

TEST_CASE("an existing Excel file within the limit passes, any case of extension", "[excel]") {
  FakeStorage storage;
  storage.sizes = {{"incoming/meta.XLSX", 1024}, {"incoming/old.xls", kDefaultExcelMaxBytes}};
  CHECK(check_excel_metadata(with_excel("meta.XLSX"), storage.lookup()).empty());
  CHECK(check_excel_metadata(with_excel("old.xls"), storage.lookup()).empty());
  CHECK(storage.asked == std::vector<std::string>{"incoming/meta.XLSX", "incoming/old.xls"});
}

TEST_CASE("a bad extension is reported without touching the storage", "[excel]") {
  FakeStorage storage;
  for (const char* name : {"meta.txt", "meta.xlsx.bak", "xlsx"}) {
    CHECK(rendered(check_excel_metadata(with_excel(name), storage.lookup())) ==
          std::vector<std::string>{
              "/excel_metadata_path: Excel metadata file must be .xlsx or .xls format (or .csv)."});
  }
  CHECK(storage.asked.empty());
}

TEST_CASE("a missing, unreadable, empty or too large Excel file is reported", "[excel]") {
  FakeStorage storage;
  storage.sizes = {{"incoming/empty.xlsx", 0},
                   {"incoming/big.xlsx", kDefaultExcelMaxBytes + 1},
                   {"incoming/small.xlsx", 2048}};
  storage.unreadable = {"incoming/locked.xlsx"};
  auto one = [&](const std::string& name, std::uint64_t max = kDefaultExcelMaxBytes) {
    return rendered(check_excel_metadata(with_excel(name), storage.lookup(), max));
  };
  CHECK(one("missing.xlsx") == std::vector<std::string>{"/excel_metadata_path: Excel metadata "
                                                        "file not found: incoming/missing.xlsx"});
  CHECK(one("locked.xlsx") ==
        std::vector<std::string>{"/excel_metadata_path: Excel metadata file cannot be read: "
                                 "incoming/locked.xlsx: permission denied"});
  CHECK(one("empty.xlsx") == std::vector<std::string>{"/excel_metadata_path: Excel metadata "
                                                      "file appears to be empty: "
                                                      "incoming/empty.xlsx"});
  CHECK(one("big.xlsx") ==
        std::vector<std::string>{"/excel_metadata_path: Excel metadata file is too large "
                                 "(10485761 bytes). Maximum size is 10MB"});
  // A custom limit applies the same way (1 KiB rejects the 2 KiB file, 2 MiB accepts it).
  CHECK(one("small.xlsx", 1024).size() == 1);
  CHECK(one("small.xlsx", 2 * 1024 * 1024).empty());
}
