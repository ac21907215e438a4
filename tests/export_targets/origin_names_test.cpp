// Unique names under origin_files/: suffixes on repeats, and how rarely the storage is asked.
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "export/origin_names.hpp"

using synapse::runtime::exports::OriginNames;
using synapse::runtime::exports::with_suffix;

TEST_CASE("a repeated name gets the item id, then a counter", "[origin_names]") {
  OriginNames names(10);
  std::set<std::string> on_storage;
  int asked = 0;
  const auto exists = [&](const std::string& name) {
    ++asked;
    return on_storage.contains(name);
  };
  CHECK(names.claim("cat.jpg", 1, exists) == "cat.jpg");
  CHECK(names.claim("cat.jpg", 2, exists) == "cat_2.jpg");
  CHECK(names.claim("cat.jpg", 3, exists) == "cat_3.jpg");
  // An original literally named like a suffixed one: the next suffix.
  CHECK(names.claim("cat_4.jpg", 9, exists) == "cat_4.jpg");
  CHECK(names.claim("cat.jpg", 4, exists) == "cat_4_2.jpg");
  CHECK(names.claim("README", 5, exists) == "README");
  CHECK(names.claim("README", 6, exists) == "README_6");
  // Every repeat was answered by the recent names, never by the storage.
  CHECK(asked == 0);
}

TEST_CASE("a name written long ago is confirmed on the storage", "[origin_names]") {
  OriginNames names(100000);
  std::set<std::string> on_storage = {"old.png"};
  int asked = 0;
  const auto exists = [&](const std::string& name) {
    ++asked;
    return on_storage.contains(name);
  };
  CHECK(names.claim("old.png", 1, exists) == "old.png");
  for (int i = 0; i < 5000; ++i)  // pushes old.png out of the recent names
    names.claim("n" + std::to_string(i) + ".png", 100 + i, exists);
  asked = 0;
  CHECK(names.claim("old.png", 7, exists) == "old_7.png");
  CHECK(asked == 1);
}

TEST_CASE("100,000 distinct names need almost no storage checks", "[origin_names]") {
  OriginNames names(100000);
  const auto never = [](const std::string&) { return false; };
  for (int i = 0; i < 100000; ++i)
    REQUIRE(names.claim("img_" + std::to_string(i) + ".jpg", i, never) ==
            "img_" + std::to_string(i) + ".jpg");
  // Only Bloom false positives reach the storage (about 0.1% at this size).
  CHECK(names.storage_checks() < 1000);
}

TEST_CASE("with_suffix keeps the extension", "[origin_names]") {
  CHECK(with_suffix("cat.jpg", "7") == "cat_7.jpg");
  CHECK(with_suffix("a.tar.gz", "7") == "a.tar_7.gz");
  CHECK(with_suffix("noext", "7") == "noext_7");
  CHECK(with_suffix(".hidden", "7") == ".hidden_7");
}
