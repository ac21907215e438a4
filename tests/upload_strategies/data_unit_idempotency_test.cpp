// Running the same upload twice creates its data units once: a unit none of whose files this
// run created is looked up and reused (created = false) instead of duplicated.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "strategies_fixture.hpp"
#include "upload/storing/data_unit_creator.hpp"
#include "upload/storing/file_uploader.hpp"

using namespace upload_strategies_test;
using synapse::runtime::upload::CreatedDataUnit;
using synapse::runtime::upload::DataUnitCallbacks;
using synapse::runtime::upload::DataUnitCreation;
using synapse::runtime::upload::make_data_unit_creator;
using synapse::runtime::upload::make_file_uploader;
using synapse::runtime::upload::single_storage;
using synapse::upload::OrganizedUnit;
using synapse::upload::UploadedUnit;

namespace {

struct Strategies {
  std::string upload;
  std::string data_unit;
  std::size_t batch;
};

std::vector<OrganizedUnit> three_units(const Env& env) {
  std::vector<OrganizedUnit> units;
  for (int i = 0; i < 3; ++i) {
    const std::string key = std::to_string(i);
    std::map<std::string, std::string> files{
        {"image", env.write("image/" + key + ".jpg", "image " + key)}};
    if (i != 1)
      files["meta"] = env.write("meta/" + key + ".json", "{\"i\": " + key + "}");
    units.push_back(unit(key, files, {{"origin_file_stem", key}}));
  }
  return units;
}

struct Run {
  std::vector<UploadedUnit> uploaded;
  DataUnitCreation creation;
  std::vector<bool> reported_created;  // on_unit_created's flag, in call order
};

Run upload(Env& env, const Strategies& s, const std::vector<OrganizedUnit>& units) {
  Run run;
  run.uploaded =
      make_file_uploader(s.upload)->upload(single_storage(*env.src.storage), *env.catalog, units);
  DataUnitCallbacks callbacks;
  callbacks.on_unit_created = [&run](const CreatedDataUnit& c) {
    run.reported_created.push_back(c.created);
  };
  run.creation = make_data_unit_creator(s.data_unit, s.batch)
                     ->create(*env.catalog, env.collection, run.uploaded, {}, callbacks);
  return run;
}

}  // namespace

TEST_CASE("upload_strategies: uploading the same files twice reuses the data units",
          "[idempotency]") {
  const Strategies s = GENERATE(Strategies{"sync", "single", 1}, Strategies{"async", "batch", 2},
                                Strategies{"async", "batch", 10});
  INFO(s.upload << " + " << s.data_unit << " " << s.batch);
  Env env;
  const auto units = three_units(env);

  const Run first = upload(env, s, units);
  REQUIRE(first.creation.created.size() == 3);
  CHECK(first.creation.failed.empty());
  for (const auto& c : first.creation.created)
    CHECK(c.created);
  CHECK(first.reported_created == std::vector<bool>{true, true, true});
  CHECK(env.catalog->count_data_units(env.collection) == 3);
  const auto checksums = env.stored_checksums();

  const Run second = upload(env, s, units);
  for (const auto& u : second.uploaded) {
    REQUIRE(u.ok());
    for (const auto& [spec, created] : u.created)
      CHECK_FALSE(created);
  }
  REQUIRE(second.creation.created.size() == 3);
  CHECK(second.creation.failed.empty());
  CHECK(second.reported_created == std::vector<bool>{false, false, false});
  for (std::size_t i = 0; i < 3; ++i) {
    const CreatedDataUnit& again = second.creation.created[i];
    CHECK_FALSE(again.created);
    CHECK(again.key == units[i].key);
    CHECK(again.unit.id == first.creation.created[i].unit.id);
    CHECK(again.unit.files == first.creation.created[i].unit.files);
    CHECK(again.unit.meta == first.creation.created[i].unit.meta);
  }
  CHECK(env.catalog->count_data_units(env.collection) == 3);
  CHECK(env.stored_checksums() == checksums);
}

TEST_CASE("upload_strategies: a unit with a new file or other specs is a new data unit",
          "[idempotency]") {
  Env env;
  const Strategies s{"sync", "batch", 5};
  const auto units = three_units(env);
  const Run first = upload(env, s, units);
  REQUIRE(first.creation.created.size() == 3);

  std::vector<OrganizedUnit> changed{
      // Same image, meta with new bytes: this run created a file, so a new unit.
      unit("0", {{"image", units[0].files.at("image")},
                 {"meta", env.write("meta/0-v2.json", "{\"i\": 0, \"v\": 2}")}}),
      // Only the image of unit "2" (no meta): files already stored, but no unit has exactly
      // these specs, so a new one.
      unit("2", {{"image", units[2].files.at("image")}}),
      // Unit "1" unchanged: reused.
      units[1]};
  const Run second = upload(env, s, changed);

  REQUIRE(second.creation.created.size() == 3);
  CHECK(second.creation.created[0].created);
  CHECK(second.creation.created[0].unit.id != first.creation.created[0].unit.id);
  CHECK(second.creation.created[1].created);
  CHECK(second.creation.created[1].unit.files.size() == 1);
  CHECK_FALSE(second.creation.created[2].created);
  CHECK(second.creation.created[2].unit.id == first.creation.created[1].unit.id);
  CHECK(env.catalog->count_data_units(env.collection) == 5);
}

TEST_CASE("upload_strategies: a reused unit does not count against a failing batch",
          "[idempotency]") {
  // The meta schema needs "width"; the second run's new unit breaks it, the reused one is fine.
  Env env({{"type", "object"}, {"required", {"width"}}});
  std::vector<OrganizedUnit> units{
      unit("0", {{"image", env.write("image/0.jpg", "zero")}}, {{"width", 1}})};
  const Strategies s{"sync", "batch", 5};
  const Run first = upload(env, s, units);
  REQUIRE(first.creation.created.size() == 1);

  units.push_back(unit("1", {{"image", env.write("image/1.jpg", "one")}}, {{"height", 1}}));
  const Run second = upload(env, s, units);

  REQUIRE(second.creation.created.size() == 1);
  CHECK_FALSE(second.creation.created[0].created);
  CHECK(second.creation.created[0].unit.id == first.creation.created[0].unit.id);
  REQUIRE(second.creation.failed.size() == 1);
  CHECK(second.creation.failed[0].key == "1");
  CHECK(env.catalog->count_data_units(env.collection) == 1);
}

namespace {

// Two units of ONE run whose files have the same bytes: "b"'s file is the row "a"'s upload
// created, so "b" looks like a re-run, yet it is a unit of its own (its own meta).
Run same_bytes_twice(Env& env, const Strategies& s) {
  return upload(
      env, s,
      {unit("a", {{"image", env.write("image/a.jpg", "same")}}, {{"origin_file_stem", "a"}}),
       unit("b", {{"image", env.write("image/b.jpg", "same")}}, {{"origin_file_stem", "b"}})});
}

void check_two_units(const Env& env, const Run& run) {
  REQUIRE(run.creation.created.size() == 2);
  CHECK(run.creation.created[0].created);
  CHECK(run.creation.created[1].created);
  CHECK(run.creation.created[0].unit.id != run.creation.created[1].unit.id);
  CHECK(run.creation.created[1].unit.meta == nlohmann::json{{"origin_file_stem", "b"}});
  CHECK(env.catalog->count_data_units(env.collection) == 2);
}

}  // namespace

TEST_CASE("upload_strategies: two units of one run with the same bytes are two data units",
          "[idempotency]") {
  const Strategies s = GENERATE(Strategies{"sync", "single", 1}, Strategies{"sync", "batch", 5});
  Env env;
  const Run run = same_bytes_twice(env, s);
  REQUIRE(run.uploaded[1].files.at("image").id == run.uploaded[0].files.at("image").id);
  CHECK_FALSE(run.uploaded[1].created.at("image"));
  check_two_units(env, run);
}

// When "a" and "b" fall in different create_data_units calls (batch size 1, or any chunk /
// step-batch boundary), the idempotency lookup finds the unit "a" created moments earlier in
// the same run; it must not hand it to "b" (a regression test for exactly that bug).
TEST_CASE("upload_strategies: same bytes in two units across create calls stay two units",
          "[idempotency]") {
  Env env;
  check_two_units(env, same_bytes_twice(env, Strategies{"sync", "batch", 1}));
}
