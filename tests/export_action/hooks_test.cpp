// The host's item loop with the recorder fixture: the hooks in order, the outputs (JSON per
// item, originals byte for byte, the exporter's own file), the events, metrics and progress.
#include <algorithm>
#include <map>

#include "common/usable_cpus.hpp"
#include "export/item_loop.hpp"
#include "export_test_support.hpp"
#include "null_storage.hpp"

using namespace export_test;

namespace {

std::string stem(const std::string& name) {
  return fs::path(name).stem().string();
}

// Index of the first line equal to `line` in `lines` (lines.size() if none).
std::size_t index_of(const std::vector<std::string>& lines, const std::string& line) {
  return static_cast<std::size_t>(std::find(lines.begin(), lines.end(), line) - lines.begin());
}

}  // namespace

TEST_CASE("task target: hooks in order, a JSON and an original per item, events and metrics",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto ids = env.add_tasks(units);
  const auto record = env.root() / "hooks.txt";
  auto exporter = load_exporter("recorder");
  RecordingRun run;
  const auto result = env.run(
      run, exporter.get(), env.task_params({{"extra_params", {{"record_file", record.string()}}}}));
  INFO(run.transcript());

  CHECK(result == json{{"export_path", "exports"},
                       {"output_path", "exports/export"},
                       {"items", 6},
                       {"success", 6},
                       {"failed", 0}});

  // Outputs: json/<id>.json, origin_files/<original name>, the exporter's summary.json.
  std::set<std::string> expected = {"summary.json"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    expected.insert("json/" + std::to_string(ids[i]) + ".json");
    expected.insert("origin_files/" + sample_names()[i]);
  }
  CHECK(files_below(env.out() / "exports/export") == expected);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& name = sample_names()[i];
    INFO(name);
    auto data = annotation(stem(name));
    data["converted_by"] = "recorder";
    // As Python's json.dump(indent=4): the converted item's `data` only.
    CHECK(env.output("exports/export/json/" + std::to_string(ids[i]) + ".json") == data.dump(4));
    CHECK(env.output("exports/export/origin_files/" + name) == read_file(sample_image(name)));
  }
  CHECK(env.output_json("exports/export/summary.json") == json{{"exported", 6}});

  // Hooks: start first, finish last; per item before < convert < after < exported; the
  // outputs exist when item_exported runs; item_exported in item order.
  const auto lines = lines_of(read_file(record));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.front() ==
        "start count=6 output=exports/export project=" + std::to_string(env.project_id));
  CHECK(lines.back() == "finish");
  CHECK(lines.size() == 2 + 4 * ids.size());
  std::size_t previous_exported = 0;
  for (const auto id : ids) {
    const auto n = std::to_string(id);
    INFO("item " << n);
    const auto before = index_of(lines, "before " + n);
    const auto convert = index_of(lines, "convert " + n);
    const auto after = index_of(lines, "after " + n);
    const auto exported = index_of(lines, "exported " + n + " json=yes");
    CHECK(before < convert);
    CHECK(convert < after);
    CHECK(after < exported);
    CHECK(exported < lines.size());
    CHECK(exported > previous_exported);
    previous_exported = exported;
  }

  // Events of spec §5, in item order.
  const auto data_files = run.events("export_data_file");
  const auto originals = run.events("export_original_file");
  REQUIRE(data_files.size() == ids.size());
  REQUIRE(originals.size() == ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(data_files[i]["target_id"] == ids[i]);
    CHECK(data_files[i]["data_file_info"] ==
          "{\"file_name\": \"" + std::to_string(ids[i]) + ".json\"}");
    CHECK(data_files[i]["status"] == "success");
    CHECK(data_files[i]["error"].is_null());
    CHECK(data_files[i]["created"].is_string());
    CHECK(originals[i]["target_id"] == ids[i]);
    CHECK(originals[i]["data_file_info"] == "{\"file_name\": \"" + sample_names()[i] + "\"}");
    CHECK(originals[i]["status"] == "success");
  }
  CHECK(run.events("export_event").empty());
  const json done = {{"stand_by", 0}, {"success", 6}, {"failed", 0}};
  CHECK(run.metrics("data_file") == done);
  CHECK(run.metrics("original_file") == done);
  const auto progress = run.progress();
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.front() == json{{"current", 0}, {"total", 6}, {"category", "dataset_conversion"}});
  CHECK(progress.back() == json{{"current", 6}, {"total", 6}, {"category", "dataset_conversion"}});
  CHECK(run.with_code("EXPORT_STARTED").size() == 1);
  REQUIRE(run.with_code("RESULTS_RETRIEVED").size() == 1);
  CHECK(run.with_code("RESULTS_RETRIEVED")[0].text == "Retrieved 6 results for export");
  CHECK(run.with_code("EXPORT_COMPLETED").size() == 1);
}

TEST_CASE("a second and a third export of the same name get (1) and (2)", "[export_action]") {
  ExportEnv env;
  env.add_tasks(env.add_samples());
  RecordingRun first, second, third;
  CHECK(env.run(first, nullptr, env.task_params())["output_path"] == "exports/export");
  CHECK(env.run(second, nullptr, env.task_params())["output_path"] == "exports/export(1)");
  const auto result = env.run(third, nullptr, env.task_params());
  CHECK(result["output_path"] == "exports/export(2)");
  CHECK(result["export_path"] == "exports");
  CHECK(files_below(env.out() / "exports/export(2)/json").size() == 6);
  CHECK(files_below(env.out() / "exports/export").size() == 12);
}

TEST_CASE("save_original_file false: no originals, the original_file record stays stand_by",
          "[export_action]") {
  ExportEnv env;
  env.add_tasks(env.add_samples());
  RecordingRun run;
  const auto result = env.run(run, nullptr, env.task_params({{"save_original_file", false}}));
  CHECK(result["success"] == 6);
  CHECK_FALSE(fs::exists(env.out() / "exports/export/origin_files"));
  CHECK(files_below(env.out() / "exports/export").size() == 6);
  CHECK(run.events("export_original_file").empty());
  CHECK(run.metrics("original_file") == json{{"stand_by", 6}, {"success", 0}, {"failed", 0}});
  CHECK(run.metrics("data_file") == json{{"stand_by", 0}, {"success", 6}, {"failed", 0}});
}

TEST_CASE("saves run inline or on many threads with the same outputs and event order",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  std::vector<synapse::DataUnit> many;
  for (int i = 0; i < 20; ++i)
    many.insert(many.end(), units.begin(), units.end());  // 120 tasks over 6 units
  const auto ids = env.add_tasks(many);
  for (const std::size_t threads : {std::size_t{0}, std::size_t{3}}) {
    INFO("threads " << threads);
    synapse::runtime::exports::ExportOptions options;
    options.loop.save_threads = threads;
    options.loop.save_window = 5;
    options.page_size = 7;
    RecordingRun run;
    const auto result = env.run(run, nullptr, env.task_params(), json::object(), options);
    CHECK(result["success"] == 120);
    const std::string folder = result["output_path"];
    CHECK(files_below(env.out() / folder / "json").size() == 120);
    // Six distinct originals, each repeated 20 times: <stem>_<id><ext> after the first.
    CHECK(files_below(env.out() / folder / "origin_files").size() == 120);
    const auto events = run.events("export_data_file");
    REQUIRE(events.size() == 120);
    for (std::size_t i = 0; i < ids.size(); ++i)
      REQUIRE(events[i]["target_id"] == ids[i]);
    const auto originals = run.events("export_original_file");
    REQUIRE(originals.size() == 120);
    CHECK(originals[6]["data_file_info"] ==
          "{\"file_name\": \"beach_" + std::to_string(ids[6]) + ".jpeg\"}");
    CHECK(env.output(folder + "/origin_files/beach_" + std::to_string(ids[6]) + ".jpeg") ==
          read_file(sample_image("beach.jpeg")));
  }
}

TEST_CASE("saves to a local output use one thread per usable CPU, to a remote one eight",
          "[export_action]") {
  using synapse::runtime::exports::default_save_threads;
  using NamedStorage = synapse::testing::NullStorage;  // only its provider name matters
  CHECK(default_save_threads(NamedStorage("local")) == synapse::runtime::usable_cpus());
  CHECK(default_save_threads(NamedStorage("s3")) == 8);
  CHECK(default_save_threads(NamedStorage("sftp")) == 8);
}
