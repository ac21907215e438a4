// replace_files (runtime/admin/file_replacement.hpp): all the files move in, or the folder is
// left as it was — replaced files back, new files and the folders made for them gone.
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "../support/temp_dir.hpp"
#include "admin/file_replacement.hpp"

namespace fs = std::filesystem;
using synapse::runtime::replace_files;
using synapse::runtime::ReplaceFilesError;
using synapse::runtime::replacement_conflicts;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// Every entry below `dir` (folders as "/"), with the files' contents.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto rel = fs::relative(entry.path(), dir).generic_string();
    if (entry.is_directory()) {
      out[rel] = "/";
    } else {
      std::ifstream in(entry.path());
      out[rel] = std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("replace_files moves every file in and sets the replaced ones aside",
          "[file_replacement]") {
  test_support::TempDir root("synapse-replace");
  const fs::path from = root.path() / "new", into = root.path() / "project",
                 aside = root.path() / "previous";
  write(from / "a.txt", "new a");
  write(from / "sub/deep/b.txt", "new b");
  write(into / "a.txt", "old a");
  write(into / "keep.txt", "mine");

  replace_files(from, into, {"a.txt", "sub/deep/b.txt"}, aside);
  CHECK(tree(into) == std::map<std::string, std::string>{{"a.txt", "new a"},
                                                         {"keep.txt", "mine"},
                                                         {"sub", "/"},
                                                         {"sub/deep", "/"},
                                                         {"sub/deep/b.txt", "new b"}});
  CHECK(tree(aside) == std::map<std::string, std::string>{{"a.txt", "old a"}});
}

TEST_CASE("replace_files failing half way leaves the folder exactly as it was",
          "[file_replacement]") {
  test_support::TempDir root("synapse-replace");
  const fs::path from = root.path() / "new", into = root.path() / "project";
  write(from / "a.txt", "new a");
  write(from / "sub/deep/b.txt", "new b");
  write(from / "z.txt", "new z");
  write(into / "a.txt", "old a");
  write(into / "z.txt", "old z");
  const auto before = tree(into);
  // Setting z.txt aside (the third step) fails: its place in `aside` is a non-empty folder.
  // By then a.txt was replaced and sub/deep/ made for b.txt.
  const fs::path aside = root.path() / "previous";
  write(aside / "z.txt" / "blocker", "x");

  try {
    replace_files(from, into, {"a.txt", "sub/deep/b.txt", "z.txt"}, aside);
    FAIL("replace_files should have failed on z.txt");
  } catch (const ReplaceFilesError& e) {
    CHECK(e.restored());
    CHECK(e.path() == into / "z.txt");
  }
  CHECK(tree(into) == before);  // a.txt old again, sub/ gone, z.txt untouched
  CHECK(fs::exists(from / "z.txt"));
}

TEST_CASE("replacement_conflicts names a folder in a file's place and a file in a folder's",
          "[file_replacement]") {
  test_support::TempDir root("synapse-replace");
  const fs::path into = root.path();
  fs::create_directories(into / "README.md");
  write(into / "src", "a file where the template has a folder");
  const auto conflicts = replacement_conflicts(into, {"README.md", "src/plugin.cpp", "ok.txt"});
  REQUIRE(conflicts.size() == 2);
  CHECK(conflicts[0] ==
        (into / "README.md").string() + " is a folder; the template has a file there");
  CHECK(conflicts[1] == (into / "src").string() + " is a file; the template has a folder there");
  CHECK(replacement_conflicts(into, {"ok.txt", "new/dir/file"}).empty());
}
