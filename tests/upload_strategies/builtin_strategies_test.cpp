// The built-in strategies and the choice of one per kind from the params (spec/upload.md §12):
// params defaults, explicit names, a plugin's forced selection, and unknown names.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <synapse/upload/strategy_registry.hpp>

#include "strategies_fixture.hpp"
#include "upload/storing/file_uploader.hpp"
#include "upload/strategies/builtin_strategies.hpp"

using namespace upload_strategies_test;
using synapse::runtime::upload::create_strategies;
using synapse::runtime::upload::ExcelLimits;
using synapse::runtime::upload::make_file_uploader;
using synapse::runtime::upload::register_builtin_strategies;
using synapse::runtime::upload::selected_strategy_names;
using synapse::runtime::upload::single_storage;
using synapse::upload::StrategyKind;
using synapse::upload::StrategyRegistry;
using synapse::upload::StrategyRegistryError;
using synapse::upload::StrategySet;
using Names = std::vector<std::string>;
using nlohmann::json;

namespace {

StrategyRegistry builtin() {
  StrategyRegistry registry;
  register_builtin_strategies(registry, ExcelLimits{});
  return registry;
}

json names_of(const StrategySet& set) {
  return {{"validation", set.validation->name()},
          {"file_discovery", set.file_discovery->name()},
          {"metadata", set.metadata->name()},
          {"upload", set.upload->name()},
          {"data_unit", set.data_unit->name()}};
}

// The names selected for `params`, checked against the strategies actually created.
json selected(const StrategyRegistry& registry, const json& params) {
  const json names = selected_strategy_names(registry, params);
  CHECK(names_of(create_strategies(registry, params)) == names);
  return names;
}

const json kDefaults = {{"validation", "default"},
                        {"file_discovery", "recursive"},
                        {"metadata", "excel"},
                        {"upload", "async"},
                        {"data_unit", "single"}};

class StrictValidation final : public synapse::upload::ValidationStrategy {
 public:
  std::string name() const override { return "strict"; }
  synapse::upload::ValidationResult validate_unit(
      const synapse::upload::OrganizedUnit&,
      const std::vector<synapse::FileSpecification>&) override {
    return {false, {"always"}};
  }
};

json with(json base, const std::string& kind, const std::string& name) {
  base[kind] = name;
  return base;
}

}  // namespace

TEST_CASE("upload_strategies: every built-in strategy is registered under its name",
          "[builtin_strategies]") {
  CHECK(builtin().available() ==
        json{{"validation", Names{"default"}},
             {"file_discovery", Names{"by_extension", "flat", "recursive"}},
             {"metadata", Names{"csv", "excel", "none"}},
             {"upload", Names{"async", "sync"}},
             {"data_unit", Names{"batch", "single"}}});
}

TEST_CASE("upload_strategies: default params select default, recursive, excel, async, single",
          "[builtin_strategies]") {
  const auto registry = builtin();
  CHECK(selected(registry, json::object()) == kDefaults);
  // The params' own defaults, spelled out, give the same.
  CHECK(selected(registry, {{"is_recursive", true},
                            {"use_async_upload", true},
                            {"creating_data_unit_batch_size", 1},
                            {"excel_metadata_path", nullptr}}) == kDefaults);
  // A null or empty override is no override.
  CHECK(selected(registry, {{"file_discovery", nullptr}, {"upload_strategy", ""}}) == kDefaults);
}

TEST_CASE("upload_strategies: params pick flat, sync, batch and csv", "[builtin_strategies]") {
  const auto registry = builtin();
  CHECK(selected(registry, {{"is_recursive", false}}) == with(kDefaults, "file_discovery", "flat"));
  CHECK(selected(registry, {{"use_async_upload", false}}) == with(kDefaults, "upload", "sync"));
  CHECK(selected(registry, {{"creating_data_unit_batch_size", 5}}) ==
        with(kDefaults, "data_unit", "batch"));
  CHECK(selected(registry, {{"excel_metadata_path", "meta/labels.csv"}}) ==
        with(kDefaults, "metadata", "csv"));
  CHECK(selected(registry, {{"excel_metadata_path", "meta/LABELS.CSV"}}) ==
        with(kDefaults, "metadata", "csv"));
  CHECK(selected(registry, {{"excel_metadata_path", "meta/labels.xlsx"}}) == kDefaults);
  CHECK(selected(registry, {{"excel_metadata_path", "meta/csv.xlsx"}}) == kDefaults);
}

TEST_CASE("upload_strategies: explicit names in the params override the derived choice",
          "[builtin_strategies]") {
  auto registry = builtin();
  CHECK(selected(registry, {{"file_discovery", "by_extension"}, {"is_recursive", false}}) ==
        with(kDefaults, "file_discovery", "by_extension"));
  CHECK(selected(registry,
                 {{"metadata_strategy", "none"}, {"excel_metadata_path", "meta/labels.csv"}}) ==
        with(kDefaults, "metadata", "none"));
  CHECK(selected(registry, {{"upload_strategy", "sync"}, {"use_async_upload", true}}) ==
        with(kDefaults, "upload", "sync"));
  CHECK(selected(registry, {{"upload_strategy", "async"}, {"use_async_upload", false}}) ==
        kDefaults);
  CHECK(selected(registry, {{"data_unit_strategy", "batch"}}) ==
        with(kDefaults, "data_unit", "batch"));
  CHECK(selected(registry, {{"data_unit_strategy", "single"},
                            {"creating_data_unit_batch_size", 50}}) == kDefaults);
  CHECK(selected(registry, {{"validation_strategy", "default"}}) == kDefaults);

  // A plugin's own strategy, chosen by name in the params.
  registry.add<synapse::upload::ValidationStrategy>(
      "strict", [](const json&) { return std::make_unique<StrictValidation>(); });
  CHECK(selected(registry, {{"validation_strategy", "strict"}}) ==
        with(kDefaults, "validation", "strict"));
}

TEST_CASE("upload_strategies: a forced selection wins over the params", "[builtin_strategies]") {
  auto registry = builtin();
  registry.select(StrategyKind::upload, "sync");
  registry.select(StrategyKind::file_discovery, "flat");
  registry.select(StrategyKind::data_unit, "single");
  const json params = {{"upload_strategy", "async"},
                       {"use_async_upload", true},
                       {"file_discovery", "by_extension"},
                       {"creating_data_unit_batch_size", 10}};
  const json names = selected(registry, params);
  CHECK(names["upload"] == "sync");
  CHECK(names["file_discovery"] == "flat");
  CHECK(names["data_unit"] == "single");
  CHECK(names["metadata"] == "excel");

  // Removing the forced strategy gives the choice back to the params.
  CHECK(registry.remove<synapse::upload::UploadStrategy>("sync"));
  CHECK(selected_strategy_names(registry, params)["upload"] == "async");
}

TEST_CASE("upload_strategies: an unknown name fails naming the kind and the registered names",
          "[builtin_strategies]") {
  auto registry = builtin();
  // Naming is not checking: the names come back as given.
  CHECK(selected_strategy_names(registry, {{"file_discovery", "deep"}})["file_discovery"] ==
        "deep");
  CHECK_THROWS_AS(create_strategies(registry, {{"file_discovery", "deep"}}), StrategyRegistryError);
  CHECK_THROWS_WITH(
      create_strategies(registry, {{"file_discovery", "deep"}}),
      "unknown file_discovery strategy 'deep' (registered: by_extension, flat, recursive)");
  CHECK_THROWS_WITH(create_strategies(registry, {{"metadata_strategy", "yaml"}}),
                    "unknown metadata strategy 'yaml' (registered: csv, excel, none)");
  CHECK_THROWS_WITH(create_strategies(registry, {{"upload_strategy", "parallel"}}),
                    "unknown upload strategy 'parallel' (registered: async, sync)");
  CHECK_THROWS_WITH(create_strategies(registry, {{"data_unit_strategy", "bulk"}}),
                    "unknown data_unit strategy 'bulk' (registered: batch, single)");
  CHECK_THROWS_WITH(create_strategies(registry, {{"validation_strategy", "lenient"}}),
                    "unknown validation strategy 'lenient' (registered: default)");
  registry.select(StrategyKind::upload, "turbo");
  CHECK_THROWS_WITH(create_strategies(registry, json::object()),
                    "unknown upload strategy 'turbo' (registered: async, sync)");
}

TEST_CASE("upload_strategies: the batch strategy uses creating_data_unit_batch_size",
          "[builtin_strategies]") {
  // A meta schema that unit "6" breaks: the whole create call holding it fails, so the number
  // of failed units is the size of the batch the strategy was built with.
  Env env({{"type", "object"},
           {"required", {"width"}},
           {"properties", {{"width", {{"type", "integer"}}}}}});
  std::vector<synapse::upload::OrganizedUnit> units;
  for (int i = 0; i < 12; ++i) {
    const std::string key = std::to_string(i);
    units.push_back(unit(key, {{"image", env.write("image/" + key + ".jpg", "bytes " + key)}},
                         i == 6 ? json{{"height", 1}} : json{{"width", i}}));
  }
  const auto uploaded =
      make_file_uploader("sync")->upload(single_storage(*env.src.storage), *env.catalog, units);

  const auto strategies = create_strategies(builtin(), {{"creating_data_unit_batch_size", 5}});
  REQUIRE(strategies.data_unit->name() == "batch");
  const auto result = strategies.data_unit->create(*env.catalog, env.collection, uploaded);

  // Batches [0-4] [5-9] [10-11]: the middle one fails.
  CHECK(result.created.size() == 7);
  REQUIRE(result.failed.size() == 5);
  CHECK(result.failed.front().key == "5");
  CHECK(result.failed.back().key == "9");
  CHECK(env.catalog->count_data_units(env.collection) == 7);
}
