// by_extension: the files of every spec side by side, the spec chosen by the extension.
#include <catch2/catch.hpp>

#include "discovery_fixture.hpp"

using namespace discovery_test;

namespace {
const std::vector<synapse::FileSpecification> kSpecs{spec("image", {".jpg", ".png"}),
                                                     spec("meta", {".json"}, false)};
}

TEST_CASE("by_extension: picks the spec by extension and groups by stem") {
  Tree tree;
  tree.add({"up/2.png", "up/1.jpg", "up/1.json", "up/2.JSON", "up/readme.md", "up/sub/3.jpg"});
  DiscoveryOptions options;
  options.recursive = false;
  const auto r = run("by_extension", tree, "up", kSpecs, options);
  REQUIRE(keys(r) == std::vector<std::string>{"1", "2"});
  CHECK(r.units[0].files == Files{{"image", "up/1.jpg"}, {"meta", "up/1.json"}});
  CHECK(r.units[1].files == Files{{"image", "up/2.png"}, {"meta", "up/2.JSON"}});
  CHECK(r.report.specs[0].source == "up");
  CHECK(r.report.specs[0].files == 2);
  CHECK(r.report.unmatched_files == 1);
  CHECK(r.report.unmatched_examples[0].path == "up/readme.md");
  CHECK(r.report.unmatched_examples[0].reason ==
        "extension accepted by no spec (.jpg, .png, .json)");
}

TEST_CASE("by_extension: recursive keys keep the sub-path, so a/1 and b/1 differ") {
  Tree tree;
  tree.add({"a/1.jpg", "a/1.json", "b/1.jpg", "1.png"});
  const auto r = run("by_extension", tree, "", kSpecs);
  REQUIRE(keys(r) == std::vector<std::string>{"1", "a/1", "b/1"});
  CHECK(r.units[1].files == Files{{"image", "a/1.jpg"}, {"meta", "a/1.json"}});
  CHECK(r.units[2].files == Files{{"image", "b/1.jpg"}});
}

TEST_CASE("by_extension: group_by folder makes one unit per sub-folder") {
  Tree tree;
  tree.add(
      {"s1/front.jpg", "s1/info.json", "s2/x.png", "s2/deep/y.jpg", "s2/deep/y.json", "top.jpg"});
  DiscoveryOptions options;
  options.group_by = GroupBy::folder;
  options.recursive = false;  // group_by folder walks below the root anyway
  const auto r = run("by_extension", tree, "", kSpecs, options);
  REQUIRE(keys(r) == std::vector<std::string>{"s1", "s2", "s2/deep"});
  CHECK(r.units[0].files == Files{{"image", "s1/front.jpg"}, {"meta", "s1/info.json"}});
  CHECK(r.units[1].files == Files{{"image", "s2/x.png"}});
  CHECK(r.units[2].files == Files{{"image", "s2/deep/y.jpg"}, {"meta", "s2/deep/y.json"}});
  CHECK(r.report.unmatched_files == 1);
  CHECK(r.report.unmatched_examples[0].path == "top.jpg");
  CHECK(r.report.unmatched_examples[0].reason ==
        "directly under the root: group_by folder needs a sub-folder");
}

TEST_CASE("by_extension: group_by folder reports two files of one spec in a folder") {
  Tree tree;
  tree.add({"s1/a.jpg", "s1/b.png"});
  DiscoveryOptions options;
  options.group_by = GroupBy::folder;
  const auto r = run("by_extension", tree, "", kSpecs, options);
  REQUIRE(r.units.size() == 1);
  CHECK(r.units[0].files == Files{{"image", "s1/a.jpg"}});
  CHECK(r.report.duplicate_files == 1);
  CHECK(r.report.duplicate_examples[0].ignored == "s1/b.png");
}

TEST_CASE("by_extension: the longest listed extension decides the spec and the stem") {
  Tree tree;
  tree.add({"x.tar.gz", "x.gz"});
  const auto r = run("by_extension", tree, "",
                     {spec("archive", {".tar.gz"}, false), spec("single", {".gz"}, false)});
  REQUIRE(keys(r) == std::vector<std::string>{"x"});
  CHECK(r.units[0].files == Files{{"archive", "x.tar.gz"}, {"single", "x.gz"}});
}

TEST_CASE("by_extension: an extension two specs share is refused up front") {
  Tree tree;
  tree.add({"1.jpg"});
  CHECK_THROWS_WITH(
      run("by_extension", tree, "", {spec("image", {".jpg"}), spec("thumb", {".png", ".jpg"})}),
      "upload discovery: by_extension: extension \".jpg\" is ambiguous: specs \"image\" and "
      "\"thumb\" both accept it");
}

TEST_CASE("by_extension: a spec without extensions is refused") {
  Tree tree;
  tree.add({"1.jpg"});
  CHECK_THROWS_AS(run("by_extension", tree, "", {spec("image", {".jpg"}), spec("any", {})}),
                  DiscoveryError);
  CHECK_THROWS_WITH(run("by_extension", tree, "", {spec("any", {})}),
                    "upload discovery: by_extension needs extensions for every spec; spec "
                    "\"any\" lists none");
}
