// The export folder (numbered like Python's), folder creation on a local storage, and the
// context keeping every output inside the export folder.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <synapse/errors.hpp>

#include "catalog_env.hpp"
#include "export/export_context_impl.hpp"
#include "export/export_folder.hpp"
#include "storage/storage_factory.hpp"

using namespace export_targets_test;
using namespace synapse::runtime::exports;

namespace {

class NullRun final : public synapse::RunContext {
 public:
  const nlohmann::json& params() const override { return params_; }
  void log_message(synapse::MessageContext, std::string_view) override {}
  void log_event(std::string_view, const nlohmann::json&) override {}
  void set_progress(std::int64_t, std::int64_t, std::string_view) override {}
  void set_metrics(std::string_view, const nlohmann::json&) override {}
  bool is_cancelled() const noexcept override { return false; }

 private:
  nlohmann::json params_ = nlohmann::json::object();
};

}  // namespace

TEST_CASE("join_path drops empty parts and outer slashes", "[export_folder]") {
  CHECK(join_path("exports", "coco") == "exports/coco");
  CHECK(join_path("/exports/", "coco") == "exports/coco");
  CHECK(join_path("", "coco") == "coco");
  CHECK(join_path("/", "coco") == "coco");
  CHECK(join_path("a/b", "") == "a/b");
}

TEST_CASE("the export folder is numbered like Python's: name, name(1), name(2)",
          "[export_folder]") {
  TestDir dir;
  auto storage = synapse::runtime::make_storage("local", {{"location", dir.path().string()}});
  CHECK(choose_export_folder(*storage, "exports", "coco") == "exports/coco");
  create_folders(*storage, {"exports/coco/json"});
  CHECK(std::filesystem::is_directory(dir.path() / "exports/coco/json"));
  CHECK(std::filesystem::is_empty(dir.path() / "exports/coco/json"));  // nothing left behind
  CHECK(choose_export_folder(*storage, "exports", "coco") == "exports/coco(1)");
  write_object(*storage, "exports/coco(1)/x.json", "{}");
  CHECK(choose_export_folder(*storage, "exports", "coco") == "exports/coco(2)");
  CHECK(choose_export_folder(*storage, "", "yolo") == "yolo");
}

TEST_CASE("the incomplete marker says why, how far and out of how many", "[export_folder]") {
  TestDir dir;
  auto storage = synapse::runtime::make_storage("local", {{"location", dir.path().string()}});
  write_incomplete_marker(*storage, "exports/coco", "cancelled", 3, 10);
  std::ifstream in(dir.path() / "exports/coco/EXPORT_INCOMPLETE.json");
  const auto marker = nlohmann::json::parse(in);
  CHECK(marker == nlohmann::json{{"reason", "cancelled"}, {"exported", 3}, {"total", 10}});
}

TEST_CASE("outputs stay inside the export folder", "[export_folder]") {
  CatalogEnv env;
  const auto dir = env.out();
  auto storage = synapse::runtime::make_storage("local", {{"location", dir.string()}});
  NullRun run;
  ExportContextSetup setup;
  setup.output_path = "exports/coco";
  setup.scratch_dir = dir;
  ExportContextImpl context(run, *env.catalog, *storage, setup);
  CHECK(context.output_file("annotations/instances.json") ==
        "exports/coco/annotations/instances.json");
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", ".."}) {
    INFO(bad);
    CHECK_THROWS_AS(context.output_file(bad), synapse::ActionError);
  }
  context.write_output("labels/classes.txt", "car\n");
  auto stream = context.open_output("labels/big.txt");
  stream->write("abc", 3);
  stream->commit();
  CHECK(std::filesystem::exists(dir / "exports/coco/labels/classes.txt"));
  CHECK(std::filesystem::file_size(dir / "exports/coco/labels/big.txt") == 3);
}
