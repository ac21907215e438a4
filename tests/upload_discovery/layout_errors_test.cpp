// A wrong layout ends discovery with a message naming what was expected and what was found
// (never Python's "Required data not available").
#include <catch2/catch.hpp>

#include "discovery_fixture.hpp"

using namespace discovery_test;

namespace {
const std::vector<synapse::FileSpecification> kSpecs{spec("image", {".jpg"}),
                                                     spec("meta", {".json"}, false)};
}

TEST_CASE("layout: a missing root names the root and the expected spec folders") {
  Tree tree;
  CHECK_THROWS_WITH(run("flat", tree, "nowhere", kSpecs),
                    "upload discovery: root \"nowhere\" is not a folder in the local storage (it "
                    "does not exist); expected it to contain one folder per spec: image/, meta/");
}

TEST_CASE("layout: a root that is a file is refused") {
  Tree tree;
  tree.add({"file.txt"});
  CHECK_THROWS_WITH(run("recursive", tree, "file.txt", kSpecs),
                    "upload discovery: root \"file.txt\" is not a folder in the local storage; "
                    "expected it to contain one folder per spec: image/, meta/");
}

TEST_CASE("layout: an empty root is reported as empty") {
  Tree tree;
  tree.folder("up");
  CHECK_THROWS_WITH(run("flat", tree, "up/", kSpecs),
                    "upload discovery: root \"up\" is empty; expected it to contain one folder "
                    "per spec: image/, meta/");
  CHECK_THROWS_WITH(run("by_extension", tree, "up", kSpecs),
                    "upload discovery: root \"up\" is empty; expected it to contain files with "
                    "the extensions .jpg, .json");
}

TEST_CASE("layout: a root holding only links the listing leaves out says so, not empty") {
  Tree tree;
  tree.folder("up");
  fs::create_symlink("/etc", tree.dir / "up/image");
  CHECK_THROWS_WITH(run("flat", tree, "up", kSpecs),
                    "upload discovery: root \"up\" holds nothing that can be uploaded (up/image: a "
                    "symlink leading out of the storage root, not followed); expected it to "
                    "contain one folder per spec: image/, meta/");
}

TEST_CASE("layout: no spec folder under the root lists the first entries found") {
  Tree tree;
  tree.add({"f/1.jpg", "e/1.jpg", "d/1.jpg", "c/1.jpg", "b/1.jpg", "a.jpg", "images/1.jpg"});
  CHECK_THROWS_WITH(run("recursive", tree, "", kSpecs),
                    "upload discovery: none of the spec folders (image/, meta/) exists under the "
                    "storage root; found: a.jpg, b/, c/, d/, e/ (and 2 more)");
}

TEST_CASE("layout: a required spec folder that is missing is an error") {
  Tree tree;
  tree.add({"meta/1.json", "image_2/1.jpg"});
  CHECK_THROWS_WITH(run("flat", tree, "", kSpecs),
                    "upload discovery: required spec folder(s) image/ missing under the storage "
                    "root; found: image_2/, meta/");
}

TEST_CASE("layout: no specs and bad spec names are refused") {
  Tree tree;
  tree.add({"image/1.jpg"});
  CHECK_THROWS_WITH(run("flat", tree, "", {}), "upload discovery: no file specifications given");
  CHECK_THROWS_WITH(run("flat", tree, "", {spec("a/b", {})}),
                    "upload discovery: spec name \"a/b\" cannot be a folder name");
}

TEST_CASE("factory: knows flat, recursive and by_extension and names them on a typo") {
  CHECK(make_file_discovery("flat")->name() == "flat");
  CHECK(make_file_discovery("recursive")->name() == "recursive");
  CHECK(make_file_discovery("by_extension")->name() == "by_extension");
  CHECK_THROWS_WITH(make_file_discovery("recursve"),
                    "upload discovery: unknown strategy \"recursve\"; known: flat, recursive, "
                    "by_extension");
}
