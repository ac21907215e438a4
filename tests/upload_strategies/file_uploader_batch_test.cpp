// Upload strategies store a batch with one commit: every file staged first, then all rows
// registered together. A unit whose file cannot be read fails alone; sync and async agree.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "strategies_fixture.hpp"
#include "upload/storing/file_uploader.hpp"

using namespace upload_strategies_test;
using synapse::runtime::upload::make_file_uploader;
using synapse::runtime::upload::single_storage;
using synapse::runtime::upload::UploadCallbacks;
using synapse::upload::OrganizedUnit;
using synapse::upload::UploadedUnit;

namespace {

// `count` units: an image each (sizes vary, up to ~200 KiB so reads take several buffers), a
// meta file for every other one, and unit 7's image with the same bytes as unit 3's.
std::vector<OrganizedUnit> make_units(const Env& env, int count) {
  std::vector<OrganizedUnit> units;
  for (int i = 0; i < count; ++i) {
    const std::string key = std::to_string(i);
    const int bytes_of = i == 7 ? 3 : i;
    std::string image = "image " + std::to_string(bytes_of) + " " +
                        std::string(static_cast<std::size_t>((bytes_of * 7919) % 200000), 'x');
    std::map<std::string, std::string> files{{"image", env.write("image/" + key + ".jpg", image)}};
    if (i % 2 == 0)
      files["meta"] = env.write("meta/" + key + ".json", "{\"i\": " + key + "}");
    units.push_back(unit(key, files, {{"n", i}}));
  }
  return units;
}

// SHA-256 of source files, as the catalog computes it: stored in a scratch catalog of its own.
class Checksums {
 public:
  explicit Checksums(const Env& env) : env_(env) {}
  std::string of(const std::string& path) {
    return scratch_->put_file(env_.src.dir.path / path, "x").file.checksum;
  }

 private:
  const Env& env_;
  TempDir home_;
  std::unique_ptr<synapse::Catalog> scratch_ = synapse::runtime::open_catalog(home_.path);
};

}  // namespace

TEST_CASE("upload_strategies: every row of a batch is registered before any callback runs",
          "[file_uploader]") {
  const std::string strategy = GENERATE("sync", "async");
  Env env;
  const auto units = make_units(env, 40);
  Checksums sums(env);
  std::vector<std::string> expected;
  for (const auto& u : units)
    for (const auto& [spec, path] : u.files)
      expected.push_back(sums.of(path));
  std::size_t callbacks = 0;
  std::size_t registered_at_first_callback = 0;
  UploadCallbacks on;
  on.on_file_uploaded = [&](const OrganizedUnit&, const std::string&,
                            const synapse::PutFileResult&) {
    if (callbacks++ == 0) {
      // The first callback already finds a row for every file of the batch: one commit for
      // the batch, not one per file.
      for (const auto& sum : expected)
        registered_at_first_callback += env.catalog->find_data_file_by_checksum(sum) ? 1 : 0;
    }
  };

  const auto results = make_file_uploader(strategy)->upload(single_storage(*env.src.storage),
                                                            *env.catalog, units, on);

  REQUIRE(results.size() == 40);
  std::size_t files = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    REQUIRE(results[i].ok());
    CHECK(results[i].key == units[i].key);
    CHECK(results[i].meta == units[i].meta);
    for (const auto& [spec, path] : units[i].files) {
      ++files;
      const synapse::DataFile& file = results[i].files.at(spec);
      CHECK(env.catalog->get_data_file(file.id).checksum == file.checksum);
      CHECK(env.catalog->find_data_file_by_checksum(file.checksum)->id == file.id);
      CHECK(env.stored_bytes(file.id) == env.src.read(path));
    }
  }
  CHECK(callbacks == files);
  // 60 files, one duplicate content (unit 7's image is unit 3's).
  CHECK(env.stored_checksums().size() == files - 1);
  CHECK(registered_at_first_callback == files);
  CHECK(results[3].created.at("image"));
  CHECK_FALSE(results[7].created.at("image"));
  CHECK(results[7].files.at("image").id == results[3].files.at("image").id);
  CHECK(env.staged_leftovers() == 0);
}

TEST_CASE("upload_strategies: a unit with an unreadable file fails alone, the others are stored",
          "[file_uploader]") {
  const std::string strategy = GENERATE("sync", "async");
  Env env;
  auto units = make_units(env, 10);
  // Unit 2: a folder where its image should be. Unit 4: its meta breaks half-way through,
  // after its image was read and staged.
  env.src.write("image/2-folder.jpg/inside.txt", "x");
  units[2].files["image"] = "image/2-folder.jpg";
  BrokenReadStorage storage(*env.src.storage, "meta/4.json");
  Checksums sums(env);
  const std::string image_4 = sums.of(units[4].files.at("image"));
  std::vector<std::string> failed;
  UploadCallbacks on;
  on.on_unit_failed = [&](const OrganizedUnit& u, const std::string&) { failed.push_back(u.key); };

  const auto results =
      make_file_uploader(strategy)->upload(single_storage(storage), *env.catalog, units, on);

  REQUIRE(results.size() == 10);
  CHECK(failed == std::vector<std::string>{"2", "4"});
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("unit " << i);
    if (i == 2 || i == 4) {
      CHECK_FALSE(results[i].ok());
      CHECK(results[i].files.empty());  // nothing of a failed unit is committed
      continue;
    }
    REQUIRE(results[i].ok());
    for (const auto& [spec, path] : units[i].files)
      CHECK(env.stored_bytes(results[i].files.at(spec).id) == env.src.read(path));
  }
  CHECK_THAT(results[2].error, Catch::Contains("image/2-folder.jpg"));
  CHECK_THAT(results[4].error, Catch::Contains("meta/4.json: read failed half-way"));
  // Unit 4's image was staged, then dropped with its unit: no row, no bytes.
  CHECK_FALSE(env.catalog->find_data_file_by_checksum(image_4).has_value());
  CHECK(env.stored_checksums().count(image_4) == 0);
  // Images of 0 1 3 5 6 8 9 (7's bytes are 3's) and metas of 0 6 8.
  CHECK(env.stored_checksums().size() == 7 + 3);
  CHECK(env.staged_leftovers() == 0);
}

TEST_CASE("upload_strategies: sync and async give identical results in input order",
          "[file_uploader]") {
  Env sync_env;
  Env async_env;
  auto sync_units = make_units(sync_env, 30);
  auto async_units = make_units(async_env, 30);
  // The same failure in both: unit 11 names a file that does not exist.
  sync_units[11].files["meta"] = "meta/missing.json";
  async_units[11].files["meta"] = "meta/missing.json";

  const auto sync = make_file_uploader("sync")->upload(single_storage(*sync_env.src.storage),
                                                       *sync_env.catalog, sync_units);
  const auto async =
      make_file_uploader("async", {4})
          ->upload(single_storage(*async_env.src.storage), *async_env.catalog, async_units);

  REQUIRE(sync.size() == 30);
  REQUIRE(async.size() == 30);
  for (std::size_t i = 0; i < sync.size(); ++i) {
    INFO("unit " << i);
    CHECK(sync[i].key == sync_units[i].key);
    CHECK(async[i].key == sync[i].key);
    CHECK(async[i].ok() == sync[i].ok());
    CHECK(async[i].error == sync[i].error);
    CHECK(async[i].meta == sync[i].meta);
    CHECK(async[i].created == sync[i].created);
    REQUIRE(async[i].files.size() == sync[i].files.size());
    for (const auto& [spec, file] : sync[i].files) {
      const synapse::DataFile& other = async[i].files.at(spec);
      // Rows are registered in input order by both, so even the ids agree.
      CHECK(other.id == file.id);
      CHECK(other.checksum == file.checksum);
      CHECK(other.size == file.size);
      CHECK(other.original_name == file.original_name);
    }
  }
  CHECK_FALSE(sync[11].ok());
  CHECK(sync_env.stored_checksums() == async_env.stored_checksums());
  CHECK(make_file_uploader("async")
            ->upload(single_storage(*async_env.src.storage), *async_env.catalog, {})
            .empty());
  CHECK(make_file_uploader("sync")
            ->upload(single_storage(*sync_env.src.storage), *sync_env.catalog, {})
            .empty());
}
