// Data-unit strategies (single, batch) over a real catalog, including a meta schema failure.
#include <catch2/catch.hpp>

#include "storing_fixture.hpp"
#include "upload/storing/data_unit_creator.hpp"

using namespace storing_test;

namespace {

const nlohmann::json kWidthSchema = {{"type", "object"},
                                     {"required", {"width"}},
                                     {"properties", {{"width", {{"type", "integer"}}}}}};

std::vector<UploadedUnit> upload_units(const Env& env, int count) {
  std::vector<OrganizedUnit> units;
  for (int i = 0; i < count; ++i) {
    const std::string key = std::to_string(i);
    units.push_back(unit(key, {{"image", env.write("image/" + key + ".jpg", "bytes " + key)}}));
  }
  return make_file_uploader("sync")->upload(single_storage(*env.storage), *env.catalog, units);
}

// Unit "4" gets a meta without the required width.
nlohmann::json meta_breaking_unit_4(const UploadedUnit& u) {
  if (u.key == "4")
    return {{"height", 1}};
  return {{"width", std::stoi(u.key)}};
}

}  // namespace

TEST_CASE("single and batch create one data unit per uploaded unit, in input order",
          "[upload_storing]") {
  const auto [strategy, size] = GENERATE(std::pair<std::string, std::size_t>{"single", 1},
                                         std::pair<std::string, std::size_t>{"batch", 3});
  Env env;
  const auto uploaded = upload_units(env, 7);
  std::vector<std::string> created_keys;
  DataUnitCallbacks callbacks;
  callbacks.on_unit_created = [&](const CreatedDataUnit& c) { created_keys.push_back(c.key); };

  const auto result = make_data_unit_creator(strategy, size)
                          ->create(
                              *env.catalog, env.collection, uploaded,
                              [](const UploadedUnit& u) {
                                return nlohmann::json{{"key", u.key}};
                              },
                              callbacks);

  REQUIRE(result.created.size() == 7);
  CHECK(result.failed.empty());
  CHECK(created_keys == std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6"});
  for (std::size_t i = 0; i < 7; ++i) {
    CHECK(result.created[i].key == uploaded[i].key);
    CHECK(result.created[i].unit.meta == nlohmann::json{{"key", uploaded[i].key}});
    CHECK(result.created[i].unit.files.at("image") == uploaded[i].files.at("image").id);
  }
  CHECK(env.catalog->count_data_units(env.collection) == 7);
}

TEST_CASE("a unit breaking the meta schema fails only itself with single", "[upload_storing]") {
  Env env(kWidthSchema);
  const auto uploaded = upload_units(env, 7);
  int batch_failures = 0;
  DataUnitCallbacks callbacks;
  callbacks.on_batch_failed = [&](const std::vector<std::string>& keys, const std::string&,
                                  const std::vector<std::string>&) {
    ++batch_failures;
    CHECK(keys == std::vector<std::string>{"4"});
  };

  const auto result = make_data_unit_creator_for(1)->create(*env.catalog, env.collection, uploaded,
                                                            meta_breaking_unit_4, callbacks);

  CHECK(result.created.size() == 6);
  REQUIRE(result.failed.size() == 1);
  CHECK(result.failed[0].key == "4");
  CHECK(batch_failures == 1);
  CHECK(env.catalog->count_data_units(env.collection) == 6);
}

TEST_CASE("a batch with a unit breaking the meta schema fails that whole batch and reports it",
          "[upload_storing]") {
  Env env(kWidthSchema);
  const auto uploaded = upload_units(env, 7);
  std::vector<std::vector<std::string>> failed_batches;
  DataUnitCallbacks callbacks;
  callbacks.on_batch_failed = [&](const std::vector<std::string>& keys, const std::string&,
                                  const std::vector<std::string>&) {
    failed_batches.push_back(keys);
  };

  // Batches [0 1 2] [3 4 5] [6]: the middle one holds the bad unit.
  auto creator = make_data_unit_creator_for(3);
  CHECK(creator->name() == "batch");
  const auto result =
      creator->create(*env.catalog, env.collection, uploaded, meta_breaking_unit_4, callbacks);

  REQUIRE(result.created.size() == 4);
  CHECK(result.created[3].key == "6");
  REQUIRE(result.failed.size() == 3);
  CHECK(result.failed[0].key == "3");
  CHECK(result.failed[2].key == "5");
  for (const auto& failure : result.failed) {
    CHECK_FALSE(failure.error.empty());
    REQUIRE_FALSE(failure.details.empty());
    // The catalog names the bad item by its index in the call: unit "4" is the second.
    CHECK_THAT(failure.details.front(), Catch::Contains("data_units[1]"));
  }
  CHECK(failed_batches == std::vector<std::vector<std::string>>{{"3", "4", "5"}});
  CHECK(env.catalog->count_data_units(env.collection) == 4);  // nothing of the bad batch
}

TEST_CASE("units whose upload failed are skipped", "[upload_storing]") {
  Env env;
  auto uploaded = upload_units(env, 3);
  uploaded[1].error = "image (image/1.jpg): gone";

  const auto result =
      make_data_unit_creator("batch", 10)->create(*env.catalog, env.collection, uploaded);

  REQUIRE(result.created.size() == 2);
  CHECK(result.created[1].key == "2");
  CHECK(result.failed.empty());
  CHECK_THROWS_AS(make_data_unit_creator("batch", 0), std::invalid_argument);
  CHECK_THROWS_AS(make_data_unit_creator("bulk"), std::invalid_argument);
}
