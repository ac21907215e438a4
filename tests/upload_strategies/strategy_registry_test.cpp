// StrategyRegistry: named factories per kind, forced selections, and errors that name the kind
// and list what is registered.
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <synapse/upload/strategy_registry.hpp>

using Catch::Matchers::Equals;
using synapse::upload::DataUnitStrategy;
using synapse::upload::FileDiscoveryStrategy;
using synapse::upload::MetadataStrategy;
using synapse::upload::OrganizedUnit;
using synapse::upload::StrategyKind;
using synapse::upload::StrategyRegistry;
using synapse::upload::StrategyRegistryError;
using synapse::upload::UploadStrategy;
using synapse::upload::ValidationResult;
using synapse::upload::ValidationStrategy;
using Names = std::vector<std::string>;

namespace {

// A validation strategy that remembers its name and the params it was built with.
class TaggedValidation final : public ValidationStrategy {
 public:
  TaggedValidation(std::string name, nlohmann::json params)
      : name_(std::move(name)), params_(std::move(params)) {}
  std::string name() const override { return name_; }
  ValidationResult validate_unit(const OrganizedUnit&,
                                 const std::vector<synapse::FileSpecification>&) override {
    return {};
  }
  const nlohmann::json& params() const { return params_; }

 private:
  std::string name_;
  nlohmann::json params_;
};

synapse::upload::StrategyFactory<ValidationStrategy> tagged(std::string tag) {
  return [tag](const nlohmann::json& params) {
    return std::make_unique<TaggedValidation>(tag, params);
  };
}

std::string built_name(const StrategyRegistry& registry, const std::string& name) {
  return registry.create<ValidationStrategy>(name, nlohmann::json::object())->name();
}

}  // namespace

TEST_CASE("upload_strategies: add registers a factory that create calls with the params",
          "[strategy_registry]") {
  StrategyRegistry registry;
  registry.add<ValidationStrategy>("strict", tagged("strict v1"));
  CHECK(registry.contains<ValidationStrategy>("strict"));
  // Kinds are separate tables.
  CHECK_FALSE(registry.contains<UploadStrategy>("strict"));

  const auto strategy = registry.create<ValidationStrategy>("strict", {{"max", 3}});
  REQUIRE(strategy != nullptr);
  CHECK(strategy->name() == "strict v1");
  CHECK(dynamic_cast<TaggedValidation&>(*strategy).params() == nlohmann::json{{"max", 3}});
  // A new object per call.
  CHECK(registry.create<ValidationStrategy>("strict", {}) !=
        registry.create<ValidationStrategy>("strict", {}));
}

TEST_CASE("upload_strategies: adding a registered name again is refused and changes nothing",
          "[strategy_registry]") {
  StrategyRegistry registry;
  registry.add<ValidationStrategy>("strict", tagged("first"));
  CHECK_THROWS_AS(registry.add<ValidationStrategy>("strict", tagged("second")),
                  StrategyRegistryError);
  CHECK_THROWS_WITH(registry.add<ValidationStrategy>("strict", tagged("second")),
                    Equals("validation strategy 'strict' already registered"));
  CHECK(built_name(registry, "strict") == "first");
  // The same name in another kind is fine.
  CHECK_NOTHROW(registry.add<MetadataStrategy>(
      "strict", [](const nlohmann::json&) { return std::unique_ptr<MetadataStrategy>(); }));
}

TEST_CASE("upload_strategies: an empty name or a missing factory is refused",
          "[strategy_registry]") {
  StrategyRegistry registry;
  CHECK_THROWS_WITH(registry.add<UploadStrategy>("", {}),
                    Catch::Contains("upload strategy") && Catch::Contains("empty name"));
  CHECK_THROWS_WITH(registry.add<UploadStrategy>("fast", nullptr),
                    Equals("cannot register upload strategy 'fast' without a factory"));
  CHECK(registry.names<UploadStrategy>().empty());
}

TEST_CASE("upload_strategies: replace swaps the factory of a registered name only",
          "[strategy_registry]") {
  StrategyRegistry registry;
  registry.add<ValidationStrategy>("default", tagged("builtin"));
  registry.replace<ValidationStrategy>("default", tagged("plugin"));
  CHECK(built_name(registry, "default") == "plugin");
  CHECK(registry.names<ValidationStrategy>() == Names{"default"});

  CHECK_THROWS_WITH(registry.replace<ValidationStrategy>("strict", tagged("x")),
                    Equals("unknown validation strategy 'strict' (registered: default)"));
  CHECK_THROWS_AS(registry.replace<ValidationStrategy>("default", nullptr), StrategyRegistryError);
  CHECK(built_name(registry, "default") == "plugin");
  CHECK_FALSE(registry.contains<ValidationStrategy>("strict"));
}

TEST_CASE("upload_strategies: remove drops a name and a forced selection of it",
          "[strategy_registry]") {
  StrategyRegistry registry;
  registry.add<ValidationStrategy>("default", tagged("default"));
  registry.add<ValidationStrategy>("strict", tagged("strict"));
  registry.select(StrategyKind::validation, "strict");

  CHECK(registry.remove<ValidationStrategy>("strict"));
  CHECK_FALSE(registry.remove<ValidationStrategy>("strict"));
  CHECK_FALSE(registry.contains<ValidationStrategy>("strict"));
  CHECK_FALSE(registry.selected(StrategyKind::validation).has_value());

  // Removing another name keeps the selection.
  registry.add<ValidationStrategy>("strict", tagged("strict"));
  registry.select(StrategyKind::validation, "strict");
  CHECK(registry.remove<ValidationStrategy>("default"));
  CHECK(registry.selected(StrategyKind::validation) == std::optional<std::string>("strict"));
  // A name of another kind is not touched.
  CHECK_FALSE(registry.remove<UploadStrategy>("strict"));
  CHECK(registry.contains<ValidationStrategy>("strict"));
}

TEST_CASE("upload_strategies: names are sorted whatever the registration order",
          "[strategy_registry]") {
  StrategyRegistry registry;
  for (const char* name : {"zeta", "alpha", "mid", "Beta"})
    registry.add<ValidationStrategy>(name, tagged(name));
  CHECK(registry.names<ValidationStrategy>() == Names{"Beta", "alpha", "mid", "zeta"});
  CHECK(registry.names<DataUnitStrategy>().empty());
}

TEST_CASE("upload_strategies: creating an unknown name lists the registered ones",
          "[strategy_registry]") {
  StrategyRegistry registry;
  CHECK_THROWS_WITH(registry.create<UploadStrategy>("async", {}),
                    Equals("unknown upload strategy 'async' (registered: none)"));
  registry.add<ValidationStrategy>("strict", tagged("strict"));
  registry.add<ValidationStrategy>("default", tagged("default"));
  CHECK_THROWS_AS(registry.create<ValidationStrategy>("lenient", {}), StrategyRegistryError);
  CHECK_THROWS_WITH(registry.create<ValidationStrategy>("lenient", {}),
                    Equals("unknown validation strategy 'lenient' (registered: default, strict)"));
  CHECK_THAT(registry.unknown(StrategyKind::file_discovery, "deep").what(),
             Equals("unknown file_discovery strategy 'deep' (registered: none)"));
}

TEST_CASE("upload_strategies: a factory returning null is an error naming the strategy",
          "[strategy_registry]") {
  StrategyRegistry registry;
  registry.add<DataUnitStrategy>(
      "lazy", [](const nlohmann::json&) { return std::unique_ptr<DataUnitStrategy>(); });
  CHECK_THROWS_AS(registry.create<DataUnitStrategy>("lazy", {}), StrategyRegistryError);
  CHECK_THROWS_WITH(registry.create<DataUnitStrategy>("lazy", {}),
                    Equals("data_unit strategy 'lazy': its factory returned null"));
}

TEST_CASE("upload_strategies: select forces a name per kind, the last call winning",
          "[strategy_registry]") {
  StrategyRegistry registry;
  CHECK_FALSE(registry.selected(StrategyKind::upload).has_value());
  // Selecting before adding is allowed: the name is checked when the upload starts.
  registry.select(StrategyKind::upload, "turbo");
  registry.select(StrategyKind::upload, "sync");
  registry.select(StrategyKind::metadata, "none");
  CHECK(registry.selected(StrategyKind::upload) == std::optional<std::string>("sync"));
  CHECK(registry.selected(StrategyKind::metadata) == std::optional<std::string>("none"));
  CHECK_FALSE(registry.selected(StrategyKind::data_unit).has_value());
}

TEST_CASE("upload_strategies: available lists every kind with its sorted names",
          "[strategy_registry]") {
  StrategyRegistry registry;
  CHECK(registry.available() == nlohmann::json{{"validation", Names{}},
                                               {"file_discovery", Names{}},
                                               {"metadata", Names{}},
                                               {"upload", Names{}},
                                               {"data_unit", Names{}}});
  registry.add<ValidationStrategy>("strict", tagged("strict"));
  registry.add<ValidationStrategy>("default", tagged("default"));
  registry.add<FileDiscoveryStrategy>(
      "mine", [](const nlohmann::json&) { return std::unique_ptr<FileDiscoveryStrategy>(); });
  const nlohmann::json available = registry.available();
  CHECK(available.size() == 5);
  CHECK(available["validation"] == Names{"default", "strict"});
  CHECK(available["file_discovery"] == Names{"mine"});
  CHECK(available["upload"].empty());
}

TEST_CASE("upload_strategies: strategy kinds have their spec names", "[strategy_registry]") {
  using synapse::upload::to_string;
  CHECK(std::string(to_string(StrategyKind::validation)) == "validation");
  CHECK(std::string(to_string(StrategyKind::file_discovery)) == "file_discovery");
  CHECK(std::string(to_string(StrategyKind::metadata)) == "metadata");
  CHECK(std::string(to_string(StrategyKind::upload)) == "upload");
  CHECK(std::string(to_string(StrategyKind::data_unit)) == "data_unit");
  CHECK(ValidationStrategy::kind == StrategyKind::validation);
  CHECK(DataUnitStrategy::kind == StrategyKind::data_unit);
}
