// Spool<T>: in memory up to its limit, then on an anonymous temporary file, always in append
// order, whatever the storage.
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <synapse/upload/spool.hpp>
#include <synapse/upload/units.hpp>

using synapse::upload::OrganizedUnit;
using synapse::upload::Spool;
using synapse::upload::UploadedUnit;

namespace {

std::vector<int> all(const Spool<int>& spool) {
  std::vector<int> out;
  spool.for_each([&](int&& value) { out.push_back(value); });
  return out;
}

std::vector<int> iota(int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i)
    out.push_back(i);
  return out;
}

std::vector<std::size_t> batch_sizes(const Spool<int>& spool, std::size_t batch,
                                     std::vector<int>* seen = nullptr) {
  std::vector<std::size_t> sizes;
  spool.for_each_batch(batch, [&](std::vector<int>&& chunk) {
    sizes.push_back(chunk.size());
    if (seen)
      seen->insert(seen->end(), chunk.begin(), chunk.end());
  });
  return sizes;
}

OrganizedUnit numbered_unit(int i) {
  OrganizedUnit unit;
  unit.key = "folder/" + std::to_string(i);
  unit.files["image"] = "image/folder/" + std::to_string(i) + ".jpg";
  if (i % 3 == 0)
    unit.files["meta"] = "meta/folder/" + std::to_string(i) + ".json";
  // Text that must survive one-JSON-document-per-line: a newline, quotes, non-ASCII.
  unit.meta = {{"origin_file_stem", std::to_string(i)},
               {"note", "line one\nline \"two\" \u00e9\u4e2d"},
               {"n", i}};
  return unit;
}

}  // namespace

TEST_CASE("upload_strategies: a spool stays in memory up to its limit and spills past it",
          "[spool]") {
  Spool<int> spool(10);
  CHECK(spool.empty());
  for (int i = 0; i < 10; ++i)
    spool.append(i);
  CHECK(spool.size() == 10);
  CHECK_FALSE(spool.on_disk());
  CHECK(all(spool) == iota(10));

  spool.append(10);
  CHECK(spool.on_disk());
  CHECK(spool.size() == 11);
  CHECK(all(spool) == iota(11));
}

TEST_CASE("upload_strategies: a spool with a zero memory limit goes to disk at once", "[spool]") {
  Spool<int> spool(0);
  spool.append(42);
  CHECK(spool.on_disk());
  CHECK(all(spool) == std::vector<int>{42});
}

TEST_CASE("upload_strategies: for_each keeps append order in memory and on disk", "[spool]") {
  const std::size_t limit = GENERATE(std::size_t{1000}, std::size_t{4});
  Spool<OrganizedUnit> spool(limit);
  for (int i = 0; i < 25; ++i) {
    OrganizedUnit unit = numbered_unit(i);
    if (i % 2 == 0)
      spool.append(unit);  // const& and && overloads both
    else
      spool.append(std::move(unit));
  }
  CHECK(spool.on_disk() == (limit < 25));

  std::vector<OrganizedUnit> read;
  spool.for_each([&](OrganizedUnit&& unit) { read.push_back(std::move(unit)); });
  REQUIRE(read.size() == 25);
  for (int i = 0; i < 25; ++i) {
    const OrganizedUnit expected = numbered_unit(i);
    CHECK(read[i].key == expected.key);
    CHECK(read[i].files == expected.files);
    CHECK(read[i].meta == expected.meta);
  }
  // Reading does not consume: a second pass gives the same records.
  CHECK(spool.to_vector().size() == 25);
  CHECK(spool.to_vector()[24].key == "folder/24");
}

TEST_CASE("upload_strategies: appending after a read keeps the order", "[spool]") {
  Spool<int> spool(3);
  for (int i = 0; i < 5; ++i)
    spool.append(i);
  CHECK(all(spool) == iota(5));
  for (int i = 5; i < 8; ++i)
    spool.append(i);
  CHECK(all(spool) == iota(8));
}

TEST_CASE("upload_strategies: for_each_batch hands out consecutive batches of at most n",
          "[spool]") {
  const std::size_t limit = GENERATE(std::size_t{100}, std::size_t{3});
  Spool<int> spool(limit);
  for (int i = 0; i < 10; ++i)
    spool.append(i);

  std::vector<int> seen;
  CHECK(batch_sizes(spool, 4, &seen) == std::vector<std::size_t>{4, 4, 2});
  CHECK(seen == iota(10));
  CHECK(batch_sizes(spool, 5) == std::vector<std::size_t>{5, 5});
  CHECK(batch_sizes(spool, 100) == std::vector<std::size_t>{10});
  // A batch size of 0 is taken as 1.
  CHECK(batch_sizes(spool, 0) == std::vector<std::size_t>(10, 1));
  CHECK(batch_sizes(Spool<int>(limit), 4).empty());
}

TEST_CASE("upload_strategies: a moved spool takes its records and file along", "[spool]") {
  const std::size_t count = GENERATE(std::size_t{3}, std::size_t{30});
  Spool<int> source(10);
  for (std::size_t i = 0; i < count; ++i)
    source.append(static_cast<int>(i));
  const bool on_disk = source.on_disk();
  CHECK(on_disk == (count > 10));

  Spool<int> constructed(std::move(source));
  CHECK(constructed.size() == count);
  CHECK(constructed.on_disk() == on_disk);
  CHECK(all(constructed) == iota(static_cast<int>(count)));
  CHECK(source.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
  CHECK_FALSE(source.on_disk());
  source.append(7);
  CHECK(all(source) == std::vector<int>{7});

  Spool<int> assigned(1);
  assigned.append(100);
  assigned.append(101);  // on disk
  assigned = std::move(constructed);
  CHECK(assigned.size() == count);
  CHECK(all(assigned) == iota(static_cast<int>(count)));
  CHECK(constructed.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("upload_strategies: clear empties a spool and drops its file", "[spool]") {
  Spool<int> spool(2);
  for (int i = 0; i < 5; ++i)
    spool.append(i);
  REQUIRE(spool.on_disk());
  spool.clear();
  CHECK(spool.empty());
  CHECK(spool.size() == 0);
  CHECK_FALSE(spool.on_disk());
  CHECK(all(spool).empty());
  // Usable again, in memory first.
  spool.append(9);
  CHECK_FALSE(spool.on_disk());
  CHECK(spool.to_vector() == std::vector<int>{9});
}

TEST_CASE("upload_strategies: uploaded units and data units survive the trip to disk", "[spool]") {
  UploadedUnit uploaded;
  uploaded.key = "a/1";
  uploaded.files["image"] = {7, std::string(64, 'a'), 1234, "1.jpg", "aa/aa/x", {{"k", 1}}, "t"};
  uploaded.created["image"] = true;
  uploaded.meta = {{"origin_file_stem", "1"}};
  uploaded.error = "meta (meta/a/1.json): gone";
  synapse::DataUnit data_unit{5, 2, {{"image", 7}, {"meta", 8}}, {{"w", 3}}};

  Spool<UploadedUnit> units(0);
  units.append(uploaded);
  Spool<synapse::DataUnit> data_units(0);
  data_units.append(data_unit);
  REQUIRE(units.on_disk());
  REQUIRE(data_units.on_disk());

  const UploadedUnit back = units.to_vector().at(0);
  CHECK(back.key == "a/1");
  CHECK(back.files.at("image").id == 7);
  CHECK(back.files.at("image").checksum == std::string(64, 'a'));
  CHECK(back.files.at("image").size == 1234);
  CHECK(back.files.at("image").original_name == "1.jpg");
  CHECK(back.files.at("image").meta == nlohmann::json{{"k", 1}});
  CHECK(back.created == uploaded.created);
  CHECK(back.meta == uploaded.meta);
  CHECK(back.error == uploaded.error);
  CHECK_FALSE(back.ok());
  const synapse::DataUnit unit_back = data_units.to_vector().at(0);
  CHECK(unit_back.id == 5);
  CHECK(unit_back.collection_id == 2);
  CHECK(unit_back.files == data_unit.files);
  CHECK(unit_back.meta == data_unit.meta);
}

TEST_CASE("upload_strategies: 20,000 units round-trip through a spool limited to 100", "[spool]") {
  Spool<OrganizedUnit> spool(100);
  for (int i = 0; i < 20000; ++i) {
    spool.append(numbered_unit(i));
    if (i == 99)
      CHECK_FALSE(spool.on_disk());
  }
  CHECK(spool.on_disk());
  CHECK(spool.size() == 20000);

  // Lines cross the 64 KiB read buffer many times over; every record must come back whole.
  int next = 0;
  bool intact = true;
  spool.for_each([&](OrganizedUnit&& unit) {
    const OrganizedUnit expected = numbered_unit(next++);
    intact = intact && unit.key == expected.key && unit.files == expected.files &&
             unit.meta == expected.meta;
  });
  CHECK(next == 20000);
  CHECK(intact);

  std::vector<std::size_t> sizes;
  int last_of_previous = -1;
  bool batches_consecutive = true;
  spool.for_each_batch(1000, [&](std::vector<OrganizedUnit>&& batch) {
    const int first = batch.front().meta["n"].get<int>();
    batches_consecutive = batches_consecutive && first == last_of_previous + 1 &&
                          batch.back().meta["n"].get<int>() == first + 999;
    last_of_previous = batch.back().meta["n"].get<int>();
    sizes.push_back(batch.size());
  });
  CHECK(sizes == std::vector<std::size_t>(20, 1000));
  CHECK(batches_consecutive);
}
