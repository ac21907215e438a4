// `synapse annotations import` as an operator runs it: the real binary on a data home in a
// temporary folder, after the README's sequence (catalog init, storage add, collection create,
// project create, upload of the bundled sample images), with the bundled sample annotations.
#include <catch2/catch.hpp>

#include "annotations_test_support.hpp"
#include "synapse_process.hpp"

using namespace annotations_test;
using Catch::Matchers::Contains;
using cli_test::Result;
using cli_test::Sandbox;

namespace {

const fs::path kSamples = fs::path(SYNAPSE_SOURCE_DIR) / "config" / "samples";
const fs::path kSampleAnnotations = kSamples / "sample-images" / "annotations";

// A sandbox with the sample images uploaded into the sample collection, and a project.
struct UploadedSamples {
  UploadedSamples() {
    ok({"catalog", "init"});
    const auto storage = run_json({"storage", "add", "samples", "--provider", "local", "--config",
                                   "location=" + kSamples.string(), "--json"});
    collection =
        run_json({"collection", "create", "--from",
                  (fs::path(SYNAPSE_SOURCE_DIR) / "config" / "collections" / "sample-images.yaml")
                      .string(),
                  "--json"})
            .at("id");
    project = run_json({"project", "create", "--name", "sample-labeling", "--collection",
                        "sample-images", "--json"})
                  .at("id");
    const json params = {{"name", "sample images"},
                         {"storage", storage.at("id")},
                         {"data_collection", collection},
                         {"path", "sample-images"}};
    ok({"run", "-q", "upload-default", "upload", "--params", params.dump()});
  }

  Result ok(const std::vector<std::string>& args) const {
    auto r = sandbox.run(args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  }
  json run_json(const std::vector<std::string>& args) const { return json::parse(ok(args).out); }

  // The import command with the common options and `more` before the inputs.
  std::vector<std::string> import(const std::vector<std::string>& more,
                                  const std::vector<std::string>& inputs = {
                                      kSampleAnnotations.string()}) const {
    std::vector<std::string> args = {"annotations", "import", "--collection",
                                     std::to_string(collection)};
    args.insert(args.end(), more.begin(), more.end());
    args.insert(args.end(), inputs.begin(), inputs.end());
    return args;
  }

  // The catalog of the sandbox, opened by the test (SQLite lets both processes use it).
  std::unique_ptr<synapse::Catalog> catalog() const {
    return synapse::runtime::open_catalog(sandbox.home());
  }
  CatalogId unit_of(const std::string& stem) const {
    const auto found = catalog()->find_data_units_by_keys(
        collection, {{synapse::DataUnitKey::Kind::file_stem, 0, stem}});
    REQUIRE(found[0].size() == 1);
    return found[0][0];
  }

  Sandbox sandbox;
  CatalogId collection = 0;
  CatalogId project = 0;
};

json file_json(const fs::path& file) {
  return json::parse(cli_test::read_file(file));
}

}  // namespace

TEST_CASE("cli annotations: the sample annotations import onto the uploaded sample images",
          "[annotations][cli]") {
  UploadedSamples s;
  REQUIRE(s.catalog()->count_data_units(s.collection) == 6);
  const auto p = std::to_string(s.project);

  const auto first = s.run_json(s.import({"--project", p, "--json"}));
  CHECK(first == json{{"target", "task"},
                      {"data_collection", s.collection},
                      {"project", s.project},
                      {"dataset_version", nullptr},
                      {"dry_run", false},
                      {"files", 6},
                      {"data_units", 6},
                      {"created", 6},
                      {"updated", 0},
                      {"tasks_created", 0}});
  auto catalog = s.catalog();
  CHECK(catalog->count_tasks(s.project) == 6);
  for (const std::string stem : {"cat", "dog", "bird", "street", "forest"}) {
    const auto task = catalog->find_task(s.project, s.unit_of(stem));
    REQUIRE(task);
    CHECK(task->status == "completed");
    CHECK(task->annotation_data == file_json(kSampleAnnotations / (stem + ".json")));
  }
  auto beach = file_json(kSampleAnnotations / "beach.json");
  REQUIRE(beach.contains("file_name"));
  beach.erase("file_name");
  CHECK(catalog->find_task(s.project, s.unit_of("beach"))->annotation_data == beach);

  // The same import again changes the same rows.
  const auto again = s.ok(s.import({"--project", p}));
  CHECK(again.out == "imported 6 annotation file(s) onto 6 data unit(s) of data collection " +
                         std::to_string(s.collection) + ": tasks of project " + p +
                         ", 0 created, 6 updated\n");
  CHECK(catalog->count_tasks(s.project) == 6);
}

TEST_CASE("cli annotations: assignments and ground truth, then again, nothing duplicated",
          "[annotations][cli]") {
  UploadedSamples s;
  const auto p = std::to_string(s.project);
  const auto assignments =
      s.run_json(s.import({"--project", p, "--target", "assignment", "--json"}));
  CHECK(assignments["created"] == 6);
  CHECK(assignments["tasks_created"] == 6);
  const auto twice = s.ok(s.import({"--project", p, "--target", "assignment"}));
  CHECK_THAT(twice.out, Contains("assignments of project " + p +
                                 ", 0 created, 6 updated (0 task(s) created for them)"));
  CHECK(s.catalog()->count_assignments(s.project) == 6);

  // --version belongs to the subcommand (the program's own --version prints the version).
  const auto truth =
      s.run_json(s.import({"--target", "ground_truth", "--version", "v1", "--json"}));
  CHECK(truth["created"] == 6);
  CHECK(truth["project"].is_null());
  CHECK(truth["dataset_version"] == "v1");
  const auto truth_again = s.ok(s.import({"--target", "ground_truth", "--version", "v1"}));
  CHECK_THAT(truth_again.out, Contains("ground truth version 'v1', 0 created, 6 updated"));
  CHECK(s.catalog()->count_ground_truths(s.collection, "v1") == 6);
}

TEST_CASE("cli annotations: a bad file stops the import, exit 2, every problem listed",
          "[annotations][cli]") {
  UploadedSamples s;
  const auto dir = s.sandbox.dir() / "labels";
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(kSampleAnnotations))
    fs::copy_file(entry.path(), dir / entry.path().filename());
  auto cat = file_json(dir / "cat.json");
  cat["images"][0]["bounding_box"][0]["data"] = {34, 28, -1, 78};
  write_file(dir / "cat.json", cat.dump(2));
  auto dog = file_json(dir / "dog.json");
  dog["images"][0]["boxes"] = json::array();
  write_file(dir / "dog.json", dog.dump(2));
  write_file(dir / "nested" / "zebra.json", box_document().dump());

  const auto r = s.sandbox.run(s.import({"--project", std::to_string(s.project)}, {dir.string()}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("error[annotations.invalid]: 3 problem(s) in 3 of 7 annotation "
                             "file(s); nothing was imported"));
  CHECK_THAT(r.err, Contains((dir / "cat.json").string() +
                             ": images[0].bounding_box[0].data: expected [x, y, width, height] "
                             "with width, height >= 0"));
  CHECK_THAT(r.err, Contains((dir / "dog.json").string() +
                             ": images[0].boxes: unknown tool; allowed: bounding_box"));
  CHECK_THAT(r.err, Contains((dir / "nested" / "zebra.json").string() +
                             ": no data unit of data collection"));
  CHECK(r.out.empty());
  CHECK(s.catalog()->count_tasks(s.project) == 0);
}

TEST_CASE("cli annotations: dry run, options and usage errors", "[annotations][cli]") {
  UploadedSamples s;
  const auto p = std::to_string(s.project);
  // The collection by name.
  const auto dry = s.ok({"annotations", "import", "--collection", "sample-images", "--project", p,
                         "--dry-run", kSampleAnnotations.string()});
  CHECK(dry.out ==
        "checked 6 annotation file(s): each names one of 6 data unit(s) of data "
        "collection " +
            std::to_string(s.collection) + " (dry run: nothing written)\n");
  const auto dry_json = s.run_json(s.import({"--project", p, "--dry-run", "--json"}));
  CHECK(dry_json["dry_run"] == true);
  CHECK(dry_json["created"].is_null());
  CHECK(s.catalog()->count_tasks(s.project) == 0);

  auto missing_project = s.sandbox.run(s.import({}));
  CHECK(missing_project.exit_code == 2);
  CHECK_THAT(missing_project.err, Contains("error[annotations.bad_options]: target task needs a "
                                           "project (--project)"));
  auto bad_target = s.sandbox.run(s.import({"--target", "labels"}));
  CHECK(bad_target.exit_code == 2);
  CHECK_THAT(bad_target.err, Contains("--target"));
  auto no_input = s.sandbox.run(s.import({"--project", p}, {"/no/such/folder"}));
  CHECK(no_input.exit_code == 2);
  CHECK_THAT(no_input.err, Contains("error[annotations.no_input]") &&
                               Contains("/no/such/folder: no such file or directory"));
  auto no_collection = s.sandbox.run({"annotations", "import", "--collection", "nope", "--project",
                                      p, kSampleAnnotations.string()});
  CHECK(no_collection.exit_code == 2);
  CHECK_THAT(no_collection.err, Contains("error[catalog.not_found]"));
  auto no_project = s.sandbox.run(s.import({"--project", "999"}));
  CHECK(no_project.exit_code == 2);
  CHECK_THAT(no_project.err, Contains("error[catalog.not_found]: projects 999 does not exist"));
}

TEST_CASE("cli annotations: --project takes a name; an unknown or shared name is refused",
          "[annotations][cli]") {
  UploadedSamples s;
  const auto by_name = s.run_json(s.import({"--project", "sample-labeling", "--json"}));
  CHECK(by_name["project"] == s.project);
  CHECK(by_name["created"] == 6);

  const auto unknown = s.sandbox.run(s.import({"--project", "nobody"}));
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--project: no project with id or name 'nobody'") != std::string::npos);

  s.run_json({"project", "create", "--name", "sample-labeling", "--collection",
              std::to_string(s.collection), "--json"});
  const auto shared = s.sandbox.run(s.import({"--project", "sample-labeling"}));
  CHECK(shared.exit_code == 2);
  CHECK(shared.err.find("2 projects are named 'sample-labeling'; give the id") !=
        std::string::npos);
}
