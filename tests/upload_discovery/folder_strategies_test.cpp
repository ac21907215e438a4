// flat and recursive: one folder per spec under the root.
#include <catch2/catch.hpp>

#include "discovery_fixture.hpp"

using namespace discovery_test;

TEST_CASE("flat: groups the files of the spec folders by stem, in key order") {
  Tree tree;
  tree.add(
      {"up/image/2.jpg", "up/image/1.jpg", "up/meta/1.json", "up/meta/2.json", "up/meta.xlsx"});
  const auto r = run("flat", tree, "up", {spec("image", {".jpg"}), spec("meta", {".json"})});
  REQUIRE(keys(r) == std::vector<std::string>{"1", "2"});
  CHECK(r.units[0].files == Files{{"image", "up/image/1.jpg"}, {"meta", "up/meta/1.json"}});
  CHECK(r.units[1].files == Files{{"image", "up/image/2.jpg"}, {"meta", "up/meta/2.json"}});
  CHECK(r.report.units == 2);
  CHECK(r.report.strategy == "flat");
  REQUIRE(r.report.specs.size() == 2);
  CHECK(r.report.specs[0].source == "up/image");
  CHECK(r.report.specs[0].found);
  CHECK(r.report.specs[0].files == 2);
  CHECK(r.report.specs[1].extensions == std::vector<std::string>{".json"});
  CHECK(r.report.unmatched_files == 0);
}

TEST_CASE("flat: a spec folder is matched exactly, image never captures image_2") {
  Tree tree;
  tree.add({"image/1.jpg", "image_2/1.jpg", "image_2/9.jpg", "image2/3.jpg"});
  const auto r = run("flat", tree, "", {spec("image", {".jpg"}), spec("image_2", {".jpg"}, false)});
  REQUIRE(keys(r) == std::vector<std::string>{"1"});
  CHECK(r.units[0].files == Files{{"image", "image/1.jpg"}, {"image_2", "image_2/1.jpg"}});
  CHECK(r.report.specs[0].files == 1);  // image/1.jpg only
  CHECK(r.report.specs[1].files == 2);
  // 9 has no required image: dropped and reported; image2/ belongs to nothing
  CHECK(r.report.units == 1);
  CHECK(r.report.units_missing_required == 1);
  CHECK(r.report.missing_required_examples[0].key == "9");
}

TEST_CASE("flat: units lacking a required spec are reported with the missing spec and dropped") {
  Tree tree;
  tree.add({"image/1.jpg", "image/2.jpg", "meta/2.json", "meta/3.json", "mask/1.png"});
  const auto r =
      run("flat", tree, "",
          {spec("image", {".jpg"}), spec("meta", {".json"}), spec("mask", {".png"}, false)});
  REQUIRE(keys(r) == std::vector<std::string>{"2"});
  CHECK(r.units[0].files == Files{{"image", "image/2.jpg"}, {"meta", "meta/2.json"}});
  CHECK(r.report.units_missing_required == 2);
  REQUIRE(r.report.missing_required_examples.size() == 2);
  CHECK(r.report.missing_required_examples[0].key == "1");
  CHECK(r.report.missing_required_examples[0].missing == std::vector<std::string>{"meta"});
  CHECK(r.report.missing_required_examples[1].key == "3");
  CHECK(r.report.missing_required_examples[1].missing == std::vector<std::string>{"image"});
}

TEST_CASE("flat: a file whose extension the spec does not accept is reported, not used") {
  Tree tree;
  tree.add({"image/1.jpg", "image/2.JPG", "image/3.gif", "image/notes.txt"});
  const auto r = run("flat", tree, "", {spec("image", {".jpg", ".png"})});
  CHECK(keys(r) == std::vector<std::string>{"1", "2"});  // extensions match case-insensitively
  CHECK(r.report.unmatched_files == 2);
  REQUIRE(r.report.unmatched_examples.size() == 2);
  CHECK(r.report.unmatched_examples[0].path == "image/3.gif");
  CHECK(r.report.unmatched_examples[0].reason ==
        "extension not accepted by spec \"image\" (.jpg, .png)");
  CHECK(r.report.unmatched_examples[1].path == "image/notes.txt");
}

TEST_CASE("flat: a second file for the same stem and spec is reported as a duplicate") {
  Tree tree;
  tree.add({"image/1.png", "image/1.jpg", "image/2.jpg"});
  const auto r = run("flat", tree, "", {spec("image", {".jpg", ".png"})});
  REQUIRE(keys(r) == std::vector<std::string>{"1", "2"});
  CHECK(r.units[0].files == Files{{"image", "image/1.jpg"}});  // first in name order
  CHECK(r.report.duplicate_files == 1);
  REQUIRE(r.report.duplicate_examples.size() == 1);
  CHECK(r.report.duplicate_examples[0].key == "1");
  CHECK(r.report.duplicate_examples[0].kept == "image/1.jpg");
  CHECK(r.report.duplicate_examples[0].ignored == "image/1.png");
}

TEST_CASE("flat: sub-folders of a spec folder are not walked") {
  Tree tree;
  tree.add({"image/1.jpg", "image/sub/2.jpg"});
  const auto r = run("flat", tree, "", {spec("image", {".jpg"})});
  CHECK(keys(r) == std::vector<std::string>{"1"});
  CHECK(r.report.specs[0].files == 1);
}

TEST_CASE("stems: only the last suffix is cut unless a listed extension is longer") {
  Tree tree;
  tree.add(
      {"image/scan.v2.1.jpg", "archive/scan.v2.1.tar.gz", "any/scan.v2.1.tar.gz", "any/.hidden"});
  const auto r = run("flat", tree, "",
                     {spec("image", {".jpg"}), spec("archive", {".gz", ".tar.gz"}, false),
                      spec("any", {}, false)});
  REQUIRE(keys(r) == std::vector<std::string>{"scan.v2.1"});
  CHECK(r.units[0].files ==
        Files{{"archive", "archive/scan.v2.1.tar.gz"}, {"image", "image/scan.v2.1.jpg"}});
  // "any" lists no extension: stem "scan.v2.1.tar"; ".hidden" keeps its whole name as stem
  CHECK(r.report.units_missing_required == 2);
  CHECK(r.report.missing_required_examples[0].key == ".hidden");
  CHECK(r.report.missing_required_examples[1].key == "scan.v2.1.tar");
}

TEST_CASE("recursive: same stem in different sub-folders makes different units") {
  Tree tree;
  tree.add({"image_1/a/1.jpg", "image_1/b/1.jpg", "image_1/1.jpg", "meta/a/1.json", "meta/b/1.json",
            "meta/1.json", "image_1/a/deep/2.jpg", "meta/a/deep/2.json"});
  const auto r = run("recursive", tree, "", {spec("image_1", {".jpg"}), spec("meta", {".json"})});
  REQUIRE(keys(r) == std::vector<std::string>{"1", "a/1", "a/deep/2", "b/1"});
  CHECK(r.units[1].files == Files{{"image_1", "image_1/a/1.jpg"}, {"meta", "meta/a/1.json"}});
  CHECK(r.units[2].files ==
        Files{{"image_1", "image_1/a/deep/2.jpg"}, {"meta", "meta/a/deep/2.json"}});
  CHECK(r.units[3].files == Files{{"image_1", "image_1/b/1.jpg"}, {"meta", "meta/b/1.json"}});
  CHECK(r.report.strategy == "recursive");
  CHECK(r.report.specs[0].files == 4);
}

TEST_CASE("recursive: a/1 does not pair with b/1 of another spec") {
  Tree tree;
  tree.add({"image/a/1.jpg", "meta/b/1.json"});
  const auto r =
      run("recursive", tree, "", {spec("image", {".jpg"}), spec("meta", {".json"}, false)});
  REQUIRE(keys(r) == std::vector<std::string>{"a/1"});
  CHECK(r.units[0].files == Files{{"image", "image/a/1.jpg"}});
  CHECK(r.report.units_missing_required == 1);
  CHECK(r.report.missing_required_examples[0].key == "b/1");
}

TEST_CASE("recursive: units come in byte-wise key order whatever the names, every run") {
  Tree tree;
  // '.' < '/' < '0' < 'b': mixes files and folders whose names are prefixes of each other
  tree.add({"image/b.x.jpg", "image/b/1.jpg", "image/b0.jpg", "image/b.jpg", "image/B.jpg",
            "image/b/a/1.jpg", "image/b-1.jpg", "image/a b.jpg", "image/b/0.jpg"});
  const std::vector<synapse::FileSpecification> specs{spec("image", {".jpg"})};
  const auto first = run("recursive", tree, "", specs);
  const std::vector<std::string> expected{"B",   "a b", "b",     "b-1", "b.x",
                                          "b/0", "b/1", "b/a/1", "b0"};
  CHECK(keys(first) == expected);
  CHECK(std::is_sorted(expected.begin(), expected.end()));
  CHECK(keys(run("recursive", tree, "", specs)) == expected);
}

TEST_CASE("flat: an optional spec folder that does not exist is a warning, not an error") {
  Tree tree;
  tree.add({"image/1.jpg"});
  const auto r = run("flat", tree, "/", {spec("image", {".jpg"}), spec("mask", {".png"}, false)});
  CHECK(keys(r) == std::vector<std::string>{"1"});
  CHECK_FALSE(r.report.specs[1].found);
  CHECK(r.report.warnings == std::vector<std::string>{"optional spec folder \"mask\" not found"});
}

TEST_CASE("report: to_json carries what a dry-run plan prints") {
  Tree tree;
  tree.add({"image/1.jpg", "image/2.gif", "meta/3.json"});
  const auto r = run("flat", tree, "", {spec("image", {".jpg"}), spec("meta", {".json"}, false)});
  const auto json = r.report.to_json();
  CHECK(json["strategy"] == "flat");
  CHECK(json["units"] == 1);
  CHECK(json["specs"][0]["source"] == "image");
  CHECK(json["specs"][0]["files"] == 1);
  CHECK(json["specs"][1]["required"] == false);
  CHECK(json["unmatched_files"]["count"] == 1);
  CHECK(json["unmatched_files"]["examples"][0]["path"] == "image/2.gif");
  CHECK(json["units_missing_required"]["count"] == 1);
  CHECK(json["units_missing_required"]["examples"][0]["missing"][0] == "image");
}

TEST_CASE("report: examples are capped at max_examples, counts are not") {
  Tree tree;
  tree.add({"image/1.gif", "image/2.gif", "image/3.gif", "image/4.jpg"});
  DiscoveryOptions options;
  options.max_examples = 2;
  const auto r = run("flat", tree, "", {spec("image", {".jpg"})}, options);
  CHECK(r.report.unmatched_files == 3);
  REQUIRE(r.report.unmatched_examples.size() == 2);
  CHECK(r.report.unmatched_examples[1].path == "image/2.gif");
}
