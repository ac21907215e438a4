// ItemStream's reading thread and text modes: pages come in order whatever the page size, a
// failure of the reading thread surfaces from next() after the items read before it, and the
// text modes hand out the stored annotation as the catalog keeps it.
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "catalog_env.hpp"
#include "export/item_stream.hpp"
#include "export/target_handler.hpp"

using namespace export_targets_test;
using nlohmann::json;
using synapse::runtime::exports::builtin_targets;
using synapse::runtime::exports::ItemStream;
using synapse::runtime::exports::SeedPage;
using synapse::runtime::exports::TargetHandler;

namespace {

// The task target, failing on the page after `good_pages`.
class FailingTarget final : public TargetHandler {
 public:
  explicit FailingTarget(int good_pages) : good_pages_(good_pages) {}
  std::string name() const override { return "failing"; }
  std::vector<synapse::runtime::ParamError> validate_filter(const json&,
                                                            synapse::Catalog&) const override {
    return {};
  }
  std::int64_t count(const json& filter, synapse::Catalog& catalog) const override {
    return task().count(filter, catalog);
  }
  SeedPage fetch(const json& filter, synapse::Catalog& catalog,
                 const synapse::PageRequest& page) const override {
    if (pages_++ == good_pages_)
      throw std::runtime_error("the catalog went away");
    return task().fetch(filter, catalog, page);
  }

 private:
  static const TargetHandler& task() { return *builtin_targets().find("task"); }
  int good_pages_;
  mutable int pages_ = 0;
};

}  // namespace

TEST_CASE("item stream: a failure of the reading thread comes after the items read before it",
          "[targets]") {
  CatalogEnv env;
  const auto unit = env.add_unit("dog.jpg");
  env.catalog->create_tasks(
      std::vector<synapse::Task>(5, {0, env.project_id, unit.id, "pending", nullptr}));
  FailingTarget target(1);
  ItemStream stream(target, {{"project", env.project_id}}, *env.catalog, 2);
  CHECK(stream.next().has_value());
  CHECK(stream.next().has_value());
  CHECK_THROWS_WITH(stream.next(), "the catalog went away");
  CHECK(stream.read() == 2);
}

TEST_CASE("item stream: a stream dropped half way stops its reading thread", "[targets]") {
  CatalogEnv env;
  const auto unit = env.add_unit("dog.jpg");
  env.catalog->create_tasks(
      std::vector<synapse::Task>(50, {0, env.project_id, unit.id, "pending", nullptr}));
  ItemStream stream(*builtin_targets().find("task"), {{"project", env.project_id}}, *env.catalog,
                    1);
  CHECK(stream.next().has_value());
  // The destructor must not wait for the 49 pages still to read (it would, with a blocked
  // reader); reaching the end of the test case is the check.
}

TEST_CASE("item stream: text modes hand out the stored annotation text", "[targets]") {
  CatalogEnv env;
  const auto cat = env.add_unit("cat.jpg");
  const auto bird = env.add_unit("bird.png");
  const std::string text = R"({"images":[],"classification":{"a":["b"]}})";
  const auto written =
      env.catalog->put_task_annotations(env.project_id, "completed", {{cat.id, text}});
  const auto bare = env.catalog->create_tasks({{0, env.project_id, bird.id, "pending", nullptr}});
  const json filter = {{"project", env.project_id}};
  const auto& task = *builtin_targets().find("task");

  SECTION("ids only") {
    ItemStream stream(task, filter, *env.catalog, 1, ItemStream::Mode::texts);
    auto first = stream.next();
    REQUIRE(first);
    CHECK(*first == json{{"id", written[0].id}});
    CHECK(stream.data_text() == text);  // as stored: key order and spacing kept
    auto second = stream.next();
    REQUIRE(second);
    CHECK(*second == json{{"id", bare[0].id}});
    CHECK(stream.data_text().empty());  // not annotated
    CHECK_FALSE(stream.next());
  }
  SECTION("with the files, without data") {
    ItemStream stream(task, filter, *env.catalog, 10, ItemStream::Mode::texts_with_files);
    auto first = stream.next();
    REQUIRE(first);
    CHECK_FALSE(first->contains("data"));
    CHECK(first->at("files").at("file_name_original") == "cat.jpg");
    CHECK(first->at("data_unit").at("id") == cat.id);
    CHECK(stream.data_text() == text);
  }
  SECTION("a target without a text source dumps the parsed annotation") {
    // fetch_texts' default (what assignment and ground_truth use).
    const auto page = task.TargetHandler::fetch_texts(filter, *env.catalog, {"", 10});
    REQUIRE(page.items.size() == 2);
    CHECK(json::parse(page.items[0].data_text) == json::parse(text));
    CHECK(page.items[0].data.is_null());
    CHECK(page.items[1].data_text.empty());
  }
}
