// Data units: all-or-nothing batch creation checked against the collection, batch reads,
// paging, deletion.
#include <catch2/catch.hpp>

#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::test::TempHome;
using synapse::runtime::test::walk_pages;
using synapse::runtime::test::write_file;

namespace {

struct Fixture {
  TempHome home;
  std::unique_ptr<Catalog> catalog = open_catalog(home.path());
  DataCollection collection;
  CatalogId image = 0;
  CatalogId label = 0;

  Fixture() {
    DataCollection c;
    c.name = "photos";
    c.file_specifications = {{"image", "image", {".jpg"}, true, ""},
                             {"label", "text", {".txt"}, false, ""}};
    c.data_unit_meta_schema = json::parse(R"({
      "type": "object",
      "required": ["width"],
      "properties": {"width": {"type": "integer", "minimum": 1}}
    })");
    collection = catalog->create_data_collection(c);
    image = catalog->put_file(write_file(home.path() / "in" / "a.jpg", "jpg"), "a.jpg").file.id;
    label = catalog->put_file(write_file(home.path() / "in" / "a.txt", "txt"), "a.txt").file.id;
  }
};

}  // namespace

TEST_CASE("catalog: create_data_units stores files and meta, get reads them back", "[catalog]") {
  Fixture f;
  auto units = f.catalog->create_data_units(
      f.collection.id, {{{{"image", f.image}, {"label", f.label}}, {{"width", 640}}},
                        {{{"image", f.image}}, {{"width", 32}}}});
  REQUIRE(units.size() == 2);
  CHECK(units[1].id == units[0].id + 1);
  auto read = f.catalog->get_data_unit(units[0].id);
  CHECK(read.collection_id == f.collection.id);
  CHECK(read.files == std::map<std::string, CatalogId>{{"image", f.image}, {"label", f.label}});
  CHECK(read.meta == json{{"width", 640}});
  CHECK(f.catalog->get_data_unit(units[1].id).files.size() == 1);
  CHECK(f.catalog->count_data_units(f.collection.id) == 2);
  CHECK_THROWS_AS(f.catalog->get_data_unit(units[1].id + 1), CatalogError);
}

TEST_CASE("catalog: get_data_units and get_data_files read many rows in the order asked",
          "[catalog]") {
  Fixture f;
  auto units = f.catalog->create_data_units(
      f.collection.id, {{{{"image", f.image}, {"label", f.label}}, {{"width", 640}}},
                        {{{"image", f.image}}, {{"width", 32}}}});
  REQUIRE(units.size() == 2);
  // Reversed and repeated: each id gives its own row, where it was asked.
  const auto read = f.catalog->get_data_units({units[1].id, units[0].id, units[1].id});
  REQUIRE(read.size() == 3);
  CHECK(read[0].id == units[1].id);
  CHECK(read[0].meta == json{{"width", 32}});
  CHECK(read[1].id == units[0].id);
  CHECK(read[1].files == std::map<std::string, CatalogId>{{"image", f.image}, {"label", f.label}});
  CHECK(read[1].collection_id == f.collection.id);
  CHECK(read[2].id == units[1].id);
  CHECK(f.catalog->get_data_units({}).empty());

  const auto files = f.catalog->get_data_files({f.label, f.image});
  REQUIRE(files.size() == 2);
  CHECK(files[0].id == f.label);
  CHECK(files[0].original_name == "a.txt");
  CHECK(files[1].id == f.image);
  CHECK(files[1].checksum == f.catalog->get_data_file(f.image).checksum);
}

TEST_CASE("catalog: a missing id fails the whole batch read as not_found", "[catalog]") {
  Fixture f;
  const auto unit =
      f.catalog->create_data_units(f.collection.id, {{{{"image", f.image}}, {{"width", 1}}}})[0];
  const auto kind_of = [](auto&& read) {
    try {
      read();
    } catch (const CatalogError& e) {
      return e.kind();
    }
    FAIL("no CatalogError");
    return CatalogError::Kind::io;
  };
  CHECK(kind_of([&] {
          f.catalog->get_data_units({unit.id, unit.id + 1});
        }) == CatalogError::Kind::not_found);
  CHECK(kind_of([&] {
          f.catalog->get_data_files({f.image, f.label + 100});
        }) == CatalogError::Kind::not_found);
}

TEST_CASE("catalog: create_data_units writes nothing when any unit fails and lists every failure",
          "[catalog]") {
  Fixture f;
  std::vector<NewDataUnit> batch = {
      {{{"image", f.image}}, {{"width", 10}}},                     // fine
      {{{"image", f.image}}, {{"width", "wide"}}},                 // meta: wrong type
      {{{"label", f.label}}, {{"width", 1}}},                      // required image missing
      {{{"image", 987654}}, {{"width", 2}}},                       // missing data file
      {{{"image", f.image}, {"depth", f.label}}, json::object()},  // unknown spec + meta: required
  };
  try {
    f.catalog->create_data_units(f.collection.id, batch);
    FAIL("invalid batch accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK_THAT(e.what(), Catch::Contains("nothing was written"));
    const auto& d = e.details();
    REQUIRE(d.size() == 5);
    CHECK_THAT(d[0], Catch::StartsWith("data_units[1].meta /width"));
    CHECK(d[1] == "data_units[2].files: required file specification \"image\" has no file");
    CHECK(d[2] == "data_units[3].files.image: data_files 987654 does not exist");
    CHECK_THAT(d[3], Catch::StartsWith("data_units[4].meta") && Catch::Contains("width"));
    CHECK(d[4] ==
          "data_units[4].files: \"depth\" is not a file specification of "
          "data_collections " +
              std::to_string(f.collection.id));
  }
  CHECK(f.catalog->count_data_units(f.collection.id) == 0);
  CHECK(f.catalog->list_data_units(f.collection.id, {}).items.empty());

  // The good unit alone goes through, and gets the next id (no rows were half-written).
  auto ok = f.catalog->create_data_units(f.collection.id, {batch[0]});
  CHECK(ok.size() == 1);
  CHECK(f.catalog->count_data_units(f.collection.id) == 1);
}

TEST_CASE("catalog: create_data_units on a missing collection is not_found", "[catalog]") {
  Fixture f;
  try {
    f.catalog->create_data_units(5555, {{{{"image", f.image}}, {{"width", 1}}}});
    FAIL("missing collection accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK(std::string(e.what()) == "data_collections 5555 does not exist");
  }
}

TEST_CASE("catalog: data units of one collection page as 100, 100, 50 in id order", "[catalog]") {
  Fixture f;
  std::vector<NewDataUnit> batch;
  for (int i = 0; i < 250; ++i)
    batch.push_back({{{"image", f.image}}, {{"width", i + 1}}});
  auto created = f.catalog->create_data_units(f.collection.id, batch);
  DataCollection other_c;
  other_c.name = "other";
  auto other = f.catalog->create_data_collection(other_c);
  f.catalog->create_data_units(other.id, {{{}, {}}});

  auto walk = walk_pages<DataUnit>(
      [&](const PageRequest& r) { return f.catalog->list_data_units(f.collection.id, r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.cursors[0] == std::to_string(created[99].id));
  CHECK(walk.cursors[1] == std::to_string(created[199].id));
  REQUIRE(walk.items.size() == 250);
  CHECK(walk.items[123].meta == json{{"width", 124}});
  CHECK(walk.items[123].files.at("image") == f.image);
  CHECK(f.catalog->count_data_units(other.id) == 1);
}

TEST_CASE("catalog: delete_data_units is all or nothing", "[catalog]") {
  Fixture f;
  auto units =
      f.catalog->create_data_units(f.collection.id, {{{{"image", f.image}}, {{"width", 1}}},
                                                     {{{"image", f.image}}, {{"width", 2}}},
                                                     {{{"image", f.image}}, {{"width", 3}}}});
  try {
    f.catalog->delete_data_units({units[0].id, 424242});
    FAIL("missing id accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK(e.details() == std::vector<std::string>{"data_units 424242 does not exist"});
  }
  CHECK(f.catalog->count_data_units(f.collection.id) == 3);

  auto project = f.catalog->create_project({0, "p", "", f.collection.id});
  f.catalog->create_tasks({{0, project.id, units[2].id, "pending", nullptr}});
  try {
    f.catalog->delete_data_units({units[0].id, units[2].id});
    FAIL("unit with a task deleted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    REQUIRE(e.details().size() == 1);
    CHECK_THAT(e.details()[0], Catch::StartsWith("data_units " + std::to_string(units[2].id)));
  }
  CHECK(f.catalog->count_data_units(f.collection.id) == 3);

  f.catalog->delete_data_units({units[0].id, units[1].id});
  CHECK(f.catalog->count_data_units(f.collection.id) == 1);
  CHECK(f.catalog->list_data_units(f.collection.id, {}).items.at(0).id == units[2].id);
  // The data file stays: delete_data_file is a separate, explicit step.
  CHECK(f.catalog->get_data_file(f.image).id == f.image);
}

TEST_CASE("catalog: find_data_units_by_files finds the unit with exactly that files map",
          "[catalog]") {
  Fixture f;
  auto units = f.catalog->create_data_units(
      f.collection.id, {{{{"image", f.image}, {"label", f.label}}, {{"width", 1}}},
                        {{{"image", f.label}}, {{"width", 2}}}});
  auto both = f.catalog->find_data_units_by_files(f.collection.id,
                                                  {{"image", f.image}, {"label", f.label}});
  REQUIRE(both.size() == 1);
  CHECK(both[0].id == units[0].id);
  CHECK(both[0].collection_id == f.collection.id);
  CHECK(both[0].meta == json{{"width", 1}});
  auto one = f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.label}});
  REQUIRE(one.size() == 1);
  CHECK(one[0].id == units[1].id);

  // Misses: another file, the files of two units swapped, a subset or a superset of a unit.
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {{"image", 987654}}).empty());
  CHECK(
      f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.label}, {"label", f.image}})
          .empty());
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.image}}).empty());
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {{"label", f.label}}).empty());
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {}).empty());
}

TEST_CASE("catalog: find_data_units_by_files looks in one collection, every match by id",
          "[catalog]") {
  Fixture f;
  DataCollection c;
  c.name = "copy";
  c.file_specifications = {{"image", "image", {".jpg"}, true, ""}};
  auto other = f.catalog->create_data_collection(c);
  auto in_other = f.catalog->create_data_units(other.id, {{{{"image", f.image}}, {}}})[0];
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.image}}).empty());
  CHECK(f.catalog->find_data_units_by_files(other.id, {{"image", f.image}}).front().id ==
        in_other.id);

  auto twins = f.catalog->create_data_units(
      f.collection.id,
      {{{{"image", f.image}}, {{"width", 1}}}, {{{"image", f.image}}, {{"width", 2}}}});
  const auto both_twins =
      f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.image}});
  REQUIRE(both_twins.size() == 2);
  CHECK(both_twins[0].id == twins[0].id);
  CHECK(both_twins[1].id == twins[1].id);
  f.catalog->delete_data_units({twins[0].id});
  CHECK(f.catalog->find_data_units_by_files(f.collection.id, {{"image", f.image}}).front().id ==
        twins[1].id);
  CHECK(f.catalog->find_data_units_by_files(424242, {{"image", f.image}}).empty());
}

TEST_CASE("catalog: find_data_units_by_files tells apart maps whose spec names hold = or newlines",
          "[catalog]") {
  Fixture f;
  DataCollection c;
  c.name = "odd names";
  c.file_specifications = {{"a", "text", {}, false, ""},
                           {"b", "text", {}, false, ""},
                           {"a=1\nb", "text", {}, false, ""}};
  auto odd = f.catalog->create_data_collection(c);
  // Both maps spell "a=1\nb=<label>" once joined: the key matches, the files do not.
  std::map<std::string, CatalogId> joined = {{"a=1\nb", f.label}};
  std::map<std::string, CatalogId> split = {{"a", 1}, {"b", f.label}};
  REQUIRE(f.image == 1);
  auto unit = f.catalog->create_data_units(odd.id, {{joined, {}}})[0];
  CHECK(f.catalog->find_data_units_by_files(odd.id, split).empty());
  CHECK(f.catalog->find_data_units_by_files(odd.id, joined).front().id == unit.id);
}
