// Multi-path discovery (`use_single_path: false`): each spec read from its own folder, possibly
// in its own storage, grouped across them by sub-path + stem; a wrong assets mapping fails with
// every problem listed.
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "strategies_fixture.hpp"
#include "upload/discovery/file_discovery.hpp"
#include "upload/storing/file_uploader.hpp"

using namespace upload_strategies_test;
using synapse::runtime::upload::AssetSource;
using synapse::runtime::upload::discover_assets;
using synapse::runtime::upload::DiscoveryError;
using synapse::runtime::upload::DiscoveryOptions;
using synapse::runtime::upload::DiscoveryReport;
using synapse::upload::OrganizedUnit;
using Files = std::map<std::string, std::string>;

namespace {

const std::vector<synapse::FileSpecification> kSpecs{
    spec("image", {".jpg"}), spec("label", {".json"}), spec("depth", {".png"}, false)};

struct Found {
  std::vector<OrganizedUnit> units;
  DiscoveryReport report;
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& u : units)
      out.push_back(u.key);
    return out;
  }
};

Found discover(const std::vector<AssetSource>& sources,
               const std::vector<synapse::FileSpecification>& specs = kSpecs) {
  Found found;
  discover_assets(
      sources, specs, DiscoveryOptions{},
      [&found](OrganizedUnit&& u) { found.units.push_back(std::move(u)); }, found.report);
  return found;
}

// Two storages: images under cam/images in one, labels and depth maps in the other.
struct TwoStorages {
  Tree cameras;
  Tree annotations;
  TwoStorages() {
    cameras.write_all({"cam/images/1.jpg", "cam/images/3.jpg", "cam/images/a/2.jpg",
                       "cam/images/b/2.jpg", "cam/images/b/c/9.jpg", "cam/other/5.jpg"});
    annotations.write_all({"labels/1.json", "labels/a/2.json", "labels/b/2.json",
                           "labels/b/c/9.json", "labels/readme.txt", "depth/a/2.png"});
  }
  std::vector<AssetSource> sources(bool recursive = true) {
    return {{"image", cameras.storage.get(), "cam/images", recursive},
            {"label", annotations.storage.get(), "labels/", recursive},
            {"depth", annotations.storage.get(), "depth", recursive}};
  }
};

}  // namespace

TEST_CASE("upload_strategies: assets in different folders and storages group by sub-path and stem",
          "[discover_assets]") {
  TwoStorages trees;
  const Found found = discover(trees.sources());

  CHECK(found.keys() == std::vector<std::string>{"1", "a/2", "b/2", "b/c/9"});
  CHECK(found.units[0].files == Files{{"image", "cam/images/1.jpg"}, {"label", "labels/1.json"}});
  CHECK(found.units[1].files == Files{{"image", "cam/images/a/2.jpg"},
                                      {"label", "labels/a/2.json"},
                                      {"depth", "depth/a/2.png"}});
  // Same stem in another sub-folder is another unit.
  CHECK(found.units[2].files ==
        Files{{"image", "cam/images/b/2.jpg"}, {"label", "labels/b/2.json"}});
  CHECK(found.units[3].files.at("label") == "labels/b/c/9.json");

  const DiscoveryReport& report = found.report;
  CHECK(report.strategy == "multi_path");
  CHECK(report.units == 4);
  // "3" has an image but no label.
  CHECK(report.units_missing_required == 1);
  REQUIRE(report.missing_required_examples.size() == 1);
  CHECK(report.missing_required_examples[0].key == "3");
  CHECK(report.missing_required_examples[0].missing == std::vector<std::string>{"label"});
  CHECK(report.unmatched_files == 1);
  REQUIRE(report.unmatched_examples.size() == 1);
  CHECK(report.unmatched_examples[0].path == "labels/readme.txt");
  REQUIRE(report.specs.size() == 3);
  CHECK(report.specs[0].source == "cam/images");
  CHECK(report.specs[1].source == "labels");  // trailing slash dropped
  CHECK(report.specs[0].found);
  CHECK(report.specs[0].files == 5);
  CHECK(report.specs[1].files == 4);
  CHECK(report.specs[2].files == 1);
}

TEST_CASE("upload_strategies: a non-recursive asset source ignores its sub-folders",
          "[discover_assets]") {
  TwoStorages trees;
  const Found found = discover(trees.sources(false));
  CHECK(found.keys() == std::vector<std::string>{"1"});
  CHECK(found.report.units_missing_required == 1);  // "3"
}

TEST_CASE("upload_strategies: an optional spec may have no asset", "[discover_assets]") {
  TwoStorages trees;
  auto sources = trees.sources();
  sources.pop_back();  // no depth entry
  const Found found = discover(sources);
  CHECK(found.keys() == std::vector<std::string>{"1", "a/2", "b/2", "b/c/9"});
  CHECK(found.units[1].files.count("depth") == 0);
  CHECK_FALSE(found.report.specs[2].found);
}

TEST_CASE("upload_strategies: units from two storages upload each file from its own storage",
          "[discover_assets]") {
  TwoStorages trees;
  const Found found = discover(trees.sources());
  Env env;
  const synapse::upload::StorageForSpec sources =
      [&](const std::string& spec) -> synapse::Storage& {
    return spec == "image" ? *trees.cameras.storage : *trees.annotations.storage;
  };

  const auto uploaded = synapse::runtime::upload::make_file_uploader("sync")->upload(
      sources, *env.catalog, found.units);

  REQUIRE(uploaded.size() == 4);
  for (std::size_t i = 0; i < uploaded.size(); ++i) {
    REQUIRE(uploaded[i].ok());
    for (const auto& [spec, path] : found.units[i].files) {
      const Tree& tree = spec == "image" ? trees.cameras : trees.annotations;
      CHECK(env.stored_bytes(uploaded[i].files.at(spec).id) == tree.read(path));
    }
  }
}

TEST_CASE("upload_strategies: a wrong assets mapping fails listing every problem",
          "[discover_assets]") {
  TwoStorages trees;
  const std::vector<AssetSource> sources{
      {"image", trees.cameras.storage.get(), "nowhere", true},        // missing folder
      {"thumbnail", trees.cameras.storage.get(), "cam/other", true},  // names no spec
      {"depth", trees.annotations.storage.get(), "depth", true}};     // label: no entry
  int emitted = 0;
  DiscoveryReport report;
  try {
    discover_assets(
        sources, kSpecs, DiscoveryOptions{}, [&emitted](OrganizedUnit&&) { ++emitted; }, report);
    FAIL("expected DiscoveryError");
  } catch (const DiscoveryError& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Catch::StartsWith("upload discovery (multi-path): "));
    CHECK_THAT(what, Catch::Contains("assets.image.path \"nowhere\" is not a folder in the local "
                                     "storage (it does not exist)"));
    CHECK_THAT(what, Catch::Contains("required spec \"label\" has no entry in assets"));
    CHECK_THAT(what,
               Catch::Contains("assets.thumbnail names no file specification of the collection"));
  }
  CHECK(emitted == 0);
}

TEST_CASE("upload_strategies: a single assets problem is an error on its own",
          "[discover_assets]") {
  TwoStorages trees;
  auto missing_label = trees.sources();
  missing_label.erase(missing_label.begin() + 1);
  CHECK_THROWS_AS(discover(missing_label), DiscoveryError);

  auto file_not_folder = trees.sources();
  file_not_folder[1].path = "labels/1.json";
  CHECK_THROWS_WITH(discover(file_not_folder),
                    Catch::Contains("assets.label.path \"labels/1.json\" is not a folder") &&
                        !Catch::Contains("does not exist"));

  auto unknown = trees.sources();
  unknown.push_back({"mask", trees.annotations.storage.get(), "depth", true});
  CHECK_THROWS_WITH(discover(unknown), Catch::Contains("assets.mask names no file specification"));
}
