// The real `synapse` binary: `synapse run <exporter plugin dir> export --params ...` over a data
// home filled through the Catalog API, `synapse plugin validate` on the exporter plugin, and a
// bad extra_params refused by the action's ui_schema with exit 2.
#include "export_test_support.hpp"
#include "synapse_process.hpp"

using namespace export_test;

namespace {

struct CliEnv {
  cli_test::Sandbox sandbox;
  synapse::CatalogId storage_id = 0;
  synapse::CatalogId project_id = 0;
  std::vector<synapse::CatalogId> task_ids;

  CliEnv() {
    fs::create_directories(out());
    REQUIRE(sandbox.run({"catalog", "init"}).exit_code == 0);
    auto catalog = synapse::runtime::open_catalog(sandbox.home());
    synapse::StorageRecord storage;
    storage.name = "out";
    storage.provider = "local";
    storage.configuration = {{"location", out().string()}};
    storage_id = catalog->create_storage(storage).id;
    synapse::DataCollection c;
    c.name = "pictures";
    c.file_specifications = {{"image_1", "image", {}, true, ""}};
    const auto collection = catalog->create_data_collection(c).id;
    synapse::Project p;
    p.name = "labels";
    p.collection_id = collection;
    project_id = catalog->create_project(p).id;
    for (const auto& name : {"cat.jpg", "dog.jpg"}) {
      synapse::NewDataUnit unit;
      unit.files["image_1"] = catalog->put_file(sample_image(name), name).file.id;
      const auto created = catalog->create_data_units(collection, {unit}).at(0);
      const auto task =
          catalog->create_tasks({{0, project_id, created.id, "pending", nullptr}}).at(0);
      catalog->set_task_annotation(task.id, annotation(fs::path(name).stem().string()), "done");
      task_ids.push_back(task.id);
    }
  }

  fs::path out() const { return sandbox.dir() / "out"; }
  fs::path events_file() const { return sandbox.dir() / "events.jsonl"; }

  json params(const json& extra = json::object()) const {
    json p = {{"name", "cli"},
              {"storage", storage_id},
              {"path", "exports"},
              {"target", "task"},
              {"filter", {{"project", project_id}}}};
    p.update(extra);
    return p;
  }

  cli_test::Result export_run(const json& params) const {
    return sandbox.run({"run", fixture_dir("recorder").string(), "export", "--params",
                        params.dump(), "--events", "jsonl=" + events_file().string()});
  }
};

}  // namespace

TEST_CASE("synapse run <exporter plugin> export writes the export and reports its events",
          "[export_action][cli]") {
  CliEnv env;
  const auto r = env.export_run(env.params());
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const auto result = json::parse(r.out);
  CHECK(result["output_path"] == "exports/cli");
  CHECK(result["success"] == 2);
  for (const auto id : env.task_ids)
    CHECK(fs::exists(env.out() / "exports/cli/json" / (std::to_string(id) + ".json")));
  CHECK(read_file(env.out() / "exports/cli/origin_files/dog.jpg") ==
        read_file(sample_image("dog.jpg")));
  CHECK(json::parse(read_file(env.out() / "exports/cli/summary.json")) == json{{"exported", 2}});

  std::map<std::string, int> counts;
  json last;
  for (const auto& line : lines_of(read_file(env.events_file()))) {
    last = json::parse(line);
    ++counts[last["event"].get<std::string>()];
  }
  CHECK(counts["export_data_file"] == 2);
  CHECK(counts["export_original_file"] == 2);
  CHECK(last["event"] == "result");
  CHECK(last["data"]["status"] == "succeeded");
}

TEST_CASE("synapse run refuses extra_params outside the exporter's ui_schema with exit 2",
          "[export_action][cli]") {
  CliEnv env;
  const auto r = env.export_run(env.params({{"extra_params", {{"label", "trucks"}}}}));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/extra_params/label") != std::string::npos);
  CHECK_FALSE(fs::exists(env.out() / "exports"));
}

TEST_CASE("synapse plugin validate accepts an exporter plugin", "[export_action][cli]") {
  cli_test::Sandbox sandbox;
  const auto r = sandbox.run({"plugin", "validate", fixture_dir("failing").string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("action export: ok") != std::string::npos);
  CHECK(r.out.find("valid") != std::string::npos);
}

TEST_CASE("synapse run export takes the storage and the filter's project by name",
          "[export_action][cli][names]") {
  CliEnv env;
  SECTION("names resolve to the records") {
    const auto r =
        env.export_run(env.params({{"storage", "out"}, {"filter", {{"project", "labels"}}}}));
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["success"] == 2);
    for (const auto id : env.task_ids)
      CHECK(fs::exists(env.out() / "exports/cli/json" / (std::to_string(id) + ".json")));
  }
  SECTION("an unknown name exits 2 naming the field and writes nothing") {
    const auto r = env.export_run(env.params({{"storage", "elsewhere"}}));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/storage: no storage named 'elsewhere'") != std::string::npos);
    CHECK_FALSE(fs::exists(env.out() / "exports"));
  }
}
