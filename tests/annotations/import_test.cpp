// import_annotations in process: naming units (id, file_name, stem), each target and running it
// again, all or nothing when a file is bad, dry runs, options, batches, and the file listing.
#include <catch2/catch.hpp>

#include "annotations/annotation_import.hpp"
#include "annotations_test_support.hpp"
#include "common/runtime_error.hpp"

using namespace annotations_test;
using Catch::Matchers::Contains;
using synapse::runtime::ExitCode;
using synapse::runtime::RuntimeError;
using synapse::runtime::annotations::import_annotations;
using synapse::runtime::annotations::ImportOptions;
using synapse::runtime::annotations::ImportSummary;
using synapse::runtime::annotations::ImportTarget;
using synapse::runtime::annotations::list_annotation_files;

namespace {

ImportOptions options_for(const CatalogFixture& f, ImportTarget target = ImportTarget::task) {
  ImportOptions options;
  options.collection_id = f.collection;
  options.target = target;
  if (target == ImportTarget::ground_truth)
    options.dataset_version = "v1";
  else
    options.project_id = f.project;
  options.inputs = {f.annotations()};
  return options;
}

// The RuntimeError an import throws (fails the test if it succeeds).
RuntimeError import_error(synapse::Catalog& catalog, const ImportOptions& options) {
  try {
    import_annotations(catalog, options);
  } catch (const RuntimeError& e) {
    return e;
  }
  FAIL("the import succeeded");
  throw std::logic_error("unreachable");
}

// Three units (cat, dog, bird) and an annotation file for each, named three ways.
struct ThreeUnits : CatalogFixture {
  ThreeUnits() {
    cat = unit({{"image_1", "cat.jpg"}, {"meta", "cat.json"}});
    dog = unit({{"image_1", "dog.png"}});
    bird = unit({{"image_1", "bird.jpeg"}});
    annotation("cat.json", box_document("cat"));  // by its stem
    auto dog_doc = box_document("dog");
    dog_doc["file_name"] = "dog.png";
    annotation("sub/renamed.json", dog_doc);
    auto bird_doc = box_document("bird");
    bird_doc["data_unit_id"] = bird;
    annotation("sub/deeper/x.json", bird_doc);
    write_file(annotations() / "notes.txt", "not an annotation");
  }
  CatalogId cat = 0, dog = 0, bird = 0;
};

}  // namespace

TEST_CASE("import: a folder's *.json files annotate the tasks of the units they name",
          "[annotations][import]") {
  ThreeUnits f;
  const auto summary = import_annotations(*f.catalog, options_for(f));
  CHECK(summary.files == 3);
  CHECK(summary.data_units == 3);
  CHECK(summary.created == 3);
  CHECK(summary.updated == 0);
  CHECK(f.catalog->count_tasks(f.project) == 3);
  for (const auto& [unit, label] :
       {std::pair{f.cat, "cat"}, std::pair{f.dog, "dog"}, std::pair{f.bird, "bird"}}) {
    const auto task = f.catalog->find_task(f.project, unit);
    REQUIRE(task);
    CHECK(task->status == "completed");
    // Stored without the naming keys.
    CHECK(task->annotation_data == box_document(label));
  }

  // Again: the same rows are updated, nothing is added.
  const auto again = import_annotations(*f.catalog, options_for(f));
  CHECK(again.created == 0);
  CHECK(again.updated == 3);
  CHECK(f.catalog->count_tasks(f.project) == 3);
}

TEST_CASE("import: an existing task of the unit gets the annotation", "[annotations][import]") {
  ThreeUnits f;
  const auto task = f.catalog->create_tasks({{0, f.project, f.dog, "pending", nullptr}})[0];
  const auto summary = import_annotations(*f.catalog, options_for(f));
  CHECK(summary.created == 2);
  CHECK(summary.updated == 1);
  CHECK(f.catalog->get_task(task.id).annotation_data == box_document("dog"));
  CHECK(f.catalog->get_task(task.id).status == "completed");
}

TEST_CASE("import: assignments, one per task, updated on a second import",
          "[annotations][import]") {
  ThreeUnits f;
  f.catalog->create_tasks({{0, f.project, f.cat, "pending", nullptr}});
  const auto first = import_annotations(*f.catalog, options_for(f, ImportTarget::assignment));
  CHECK(first.created == 3);
  CHECK(first.tasks_created == 2);
  CHECK(f.catalog->count_assignments(f.project) == 3);
  CHECK(f.catalog->count_tasks(f.project) == 3);
  const auto second = import_annotations(*f.catalog, options_for(f, ImportTarget::assignment));
  CHECK(second.created == 0);
  CHECK(second.updated == 3);
  CHECK(second.tasks_created == 0);
  CHECK(f.catalog->count_assignments(f.project) == 3);
  const auto page = f.catalog->list_assignments(f.project, {});
  for (const auto& a : page.items) {
    REQUIRE(a.task_id);
    CHECK(f.catalog->get_task(*a.task_id).data_unit_id == a.data_unit_id);
    CHECK(a.annotation["images"][0]["bounding_box"][0]["data"] == json{1, 2, 3, 4});
  }
}

TEST_CASE("import: ground truth per dataset version, the project optional",
          "[annotations][import]") {
  ThreeUnits f;
  auto options = options_for(f, ImportTarget::ground_truth);
  CHECK(import_annotations(*f.catalog, options).created == 3);
  CHECK(import_annotations(*f.catalog, options).updated == 3);
  CHECK(f.catalog->count_ground_truths(f.collection, "v1") == 3);
  options.dataset_version = "v2";
  options.project_id = f.project;  // checked, allowed
  CHECK(import_annotations(*f.catalog, options).created == 3);
  CHECK(f.catalog->count_ground_truths(f.collection, "v2") == 3);
  CHECK(f.catalog->find_ground_truth(f.collection, f.bird, "v2")->annotation ==
        box_document("bird"));
  CHECK(f.catalog->count_tasks(f.project) == 0);
}

TEST_CASE("import: one bad file and nothing is written, every problem listed by file",
          "[annotations][import]") {
  ThreeUnits f;
  f.annotation("zebra.json", box_document("zebra"));  // no unit holds zebra.*
  auto broken = box_document();
  broken["images"][0]["bounding_box"][0]["data"] = {1, 2, -3, 4};
  f.annotation("a-broken.json", broken);
  write_file(f.annotations() / "b-syntax.json", "{\"images\": [\n}");
  for (auto target : {ImportTarget::task, ImportTarget::assignment, ImportTarget::ground_truth}) {
    const auto error = import_error(*f.catalog, options_for(f, target));
    CHECK(error.exit_code() == ExitCode::usage);
    CHECK(error.id() == "annotations.invalid");
    CHECK(error.message() == "3 problem(s) in 3 of 6 annotation file(s); nothing was imported");
    const auto dir = f.annotations().string();
    CHECK(error.details() ==
          std::vector<std::string>{
              dir + "/a-broken.json: images[0].bounding_box[0].data: expected [x, y, width, "
                    "height] with width, height >= 0",
              dir + "/b-syntax.json:2:1: invalid JSON: expected a value, found '}'",
              dir + "/zebra.json: no data unit of data collection " + std::to_string(f.collection) +
                  " holds a file named \"zebra\" or \"zebra.<extension>\" (the file's stem; name "
                  "the unit with data_unit_id or file_name)"});
  }
  CHECK(f.catalog->count_tasks(f.project) == 0);
  CHECK(f.catalog->count_assignments(f.project) == 0);
  CHECK(f.catalog->count_ground_truths(f.collection, "v1") == 0);
}

TEST_CASE("import: names that match no unit, several, or a unit already named are refused",
          "[annotations][import]") {
  CatalogFixture f;
  const auto jpg = f.unit({{"image_1", "cat.jpg"}});
  const auto png = f.unit({{"image_1", "cat.png"}});
  const auto dog = f.unit({{"image_1", "dog.jpg"}});
  synapse::DataCollection other;
  other.name = "other";
  other.file_specifications = {{"image_1", "image", {}, true, ""}};
  const auto stranger =
      f.unit({{"image_1", "owl.jpg"}}, f.catalog->create_data_collection(other).id);
  f.annotation("cat.json", box_document());
  auto named = box_document();
  named["file_name"] = "nope.jpg";
  f.annotation("n1.json", named);
  named["file_name"] = "dog.jpg";
  f.annotation("n2.json", named);
  auto by_id = box_document();
  by_id["data_unit_id"] = dog;  // dog named twice
  f.annotation("n3.json", by_id);
  by_id["data_unit_id"] = stranger;  // another collection
  f.annotation("n4.json", by_id);
  const auto error = import_error(*f.catalog, options_for(f));
  const auto dir = f.annotations().string();
  const auto c = std::to_string(f.collection);
  CHECK(error.details() ==
        std::vector<std::string>{
            dir + "/cat.json: the file's stem \"cat\" matches 2 data units of data collection " +
                c + " (" + std::to_string(jpg) + ", " + std::to_string(png) +
                "): name one with data_unit_id",
            dir + "/n1.json: file_name: no data unit of data collection " + c +
                " holds a file named \"nope.jpg\"",
            dir + "/n3.json: data_unit_id: data unit " + std::to_string(dog) + ", which " + dir +
                "/n2.json names too: one file per data unit",
            dir + "/n4.json: data_unit_id: no data unit " + std::to_string(stranger) +
                " in data collection " + c});
  CHECK(f.catalog->count_tasks(f.project) == 0);

  // Named by id, the ambiguous stem is fine.
  fs::remove_all(f.annotations());
  by_id["data_unit_id"] = png;
  f.annotation("cat.json", by_id);
  CHECK(import_annotations(*f.catalog, options_for(f)).created == 1);
  CHECK(f.catalog->find_task(f.project, png));
  CHECK_FALSE(f.catalog->find_task(f.project, jpg));
}

TEST_CASE("import: a dry run checks and resolves but writes nothing", "[annotations][import]") {
  ThreeUnits f;
  auto options = options_for(f);
  options.dry_run = true;
  const auto summary = import_annotations(*f.catalog, options);
  CHECK(summary.files == 3);
  CHECK(summary.data_units == 3);
  CHECK(summary.created == 0);
  CHECK(f.catalog->count_tasks(f.project) == 0);
  f.annotation("zebra.json", box_document());
  CHECK(import_error(*f.catalog, options).id() == "annotations.invalid");
}

TEST_CASE("import: small batches give the same result as one", "[annotations][import]") {
  CatalogFixture f;
  std::vector<CatalogId> units;
  for (int i = 0; i < 23; ++i) {
    const auto name = "img" + std::to_string(i);
    units.push_back(f.unit({{"image_1", name + ".jpg"}}));
    f.annotation(name + ".json", box_document(name));
  }
  auto options = options_for(f, ImportTarget::assignment);
  options.batch_size = 5;
  const auto summary = import_annotations(*f.catalog, options);
  CHECK(summary.created == 23);
  CHECK(summary.tasks_created == 23);
  for (int i = 0; i < 23; ++i) {
    const auto task = f.catalog->find_task(f.project, units[static_cast<std::size_t>(i)]);
    REQUIRE(task);
    CHECK(f.catalog->find_assignment(f.project, task->id)->annotation ==
          box_document("img" + std::to_string(i)));
  }
  // A problem in a later batch still stops everything before writing.
  fs::remove_all(f.annotations());
  for (int i = 0; i < 23; ++i)
    f.annotation("img" + std::to_string(i) + ".json", box_document("again"));
  f.annotation("img9.json", json::object());
  options.target = ImportTarget::task;
  CHECK(import_error(*f.catalog, options).details().size() == 1);
  CHECK(f.catalog->count_tasks(f.project) == 23);  // only those the assignments made
  CHECK_FALSE(f.catalog->find_task(f.project, units[0])->annotation_data.is_object());
}

TEST_CASE("import: options are checked before any file is read", "[annotations][import]") {
  ThreeUnits f;
  auto options = options_for(f);
  options.project_id.reset();
  auto error = import_error(*f.catalog, options);
  CHECK(error.id() == "annotations.bad_options");
  CHECK(error.message() == "target task needs a project (--project): the tasks belong to one");
  CHECK(error.exit_code() == ExitCode::usage);

  options = options_for(f, ImportTarget::ground_truth);
  options.dataset_version.clear();
  CHECK(import_error(*f.catalog, options).message() ==
        "target ground_truth needs a dataset version (--version)");
  options = options_for(f);
  options.dataset_version = "v1";
  CHECK(import_error(*f.catalog, options).message() ==
        "a dataset version (--version) is for target ground_truth only, not task");

  synapse::DataCollection other;
  other.name = "other";
  other.file_specifications = {{"image_1", "image", {}, true, ""}};
  const auto other_id = f.catalog->create_data_collection(other).id;
  options = options_for(f);
  options.project_id = f.catalog->create_project({0, "elsewhere", "", other_id}).id;
  CHECK(import_error(*f.catalog, options).message() ==
        "project " + std::to_string(*options.project_id) + " belongs to data collection " +
            std::to_string(other_id) + ", not " + std::to_string(f.collection));
  // An unbound project is fine.
  options.project_id = f.catalog->create_project({0, "free", "", std::nullopt}).id;
  CHECK(import_annotations(*f.catalog, options).created == 3);

  options.project_id = 4242;
  CHECK_THROWS_AS(import_annotations(*f.catalog, options), synapse::CatalogError);
  options = options_for(f);
  options.collection_id = 4242;
  CHECK_THROWS_AS(import_annotations(*f.catalog, options), synapse::CatalogError);
}

TEST_CASE("import: inputs are files and folders, listed in order", "[annotations][import]") {
  TempDir dir;
  write_file(dir.path() / "b" / "2.json", "{}");
  write_file(dir.path() / "b" / "1.JSON", "{}");
  write_file(dir.path() / "b" / "a" / "9.json", "{}");
  write_file(dir.path() / "b" / "skip.yaml", "");
  write_file(dir.path() / "single.txt", "{}");
  fs::create_directories(dir.path() / "b" / "folder.json");
  const auto files = list_annotation_files({dir.path() / "single.txt", dir.path() / "b"});
  CHECK(files == std::vector<fs::path>{dir.path() / "single.txt", dir.path() / "b" / "1.JSON",
                                       dir.path() / "b" / "2.json",
                                       dir.path() / "b" / "a" / "9.json"});
  try {
    list_annotation_files({dir.path() / "missing", dir.path() / "b", dir.path() / "gone.json"});
    FAIL("expected RuntimeError");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "annotations.no_input");
    CHECK(e.details() == std::vector<std::string>{
                             (dir.path() / "missing").string() + ": no such file or directory",
                             (dir.path() / "gone.json").string() + ": no such file or directory"});
  }
  CHECK(list_annotation_files({}).empty());
}
