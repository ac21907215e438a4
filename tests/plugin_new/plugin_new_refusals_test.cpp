// `synapse plugin new` refusals: each has a stable id and exit code, says what was expected, and
// writes nothing.
#include <cstdlib>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "new_process.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using plugin_new_test::files_below;
using plugin_new_test::read_file;
using plugin_new_test::Result;
using plugin_new_test::Sandbox;

namespace {

Result create(const Sandbox& sandbox, const std::string& code, const std::string& category,
              const std::vector<std::string>& extra = {},
              const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> args = {"plugin", "new",     code,       "--category", category,
                                   "--dir",  "project", "--author", "x"};
  args.insert(args.end(), extra.begin(), extra.end());
  return sandbox.run(args, env);
}

void check_refused(const Result& r, int exit_code, const std::string& id) {
  INFO(r.out << r.err);
  CHECK(r.exit_code == exit_code);
  CHECK_THAT(r.err, Contains("error[" + id + "]"));
}

bool nothing_written(const Sandbox& sandbox) {
  for (const auto& entry : fs::directory_iterator(sandbox.dir())) {
    const auto name = entry.path().filename().string();
    if (name == "project" || name.find("synapse-new") != std::string::npos)
      return false;
  }
  return true;
}

}  // namespace

TEST_CASE("plugin new refuses an invalid code, saying the pattern", "[plugin_new]") {
  Sandbox sandbox;
  for (const std::string& code :
       std::vector<std::string>{"My_Plugin", "a b", "with.dot", std::string(51, 'a')}) {
    const auto r = create(sandbox, code, "upload");
    check_refused(r, 2, "plugin_new.invalid_code");
    CHECK_THAT(r.err, Contains("^[a-z0-9_-]+$"));
    CHECK_THAT(r.err, Contains("50"));
  }
  CHECK(nothing_written(sandbox));
  CHECK(create(sandbox, std::string(50, 'a'), "upload").exit_code == 0);
}

TEST_CASE("plugin new refuses an unknown category, listing the valid ones", "[plugin_new]") {
  Sandbox sandbox;
  const auto r = create(sandbox, "x", "uploads");
  check_refused(r, 2, "plugin_new.unknown_category");
  for (const char* category : {"neural_net", "export", "upload", "smart_tool", "post_annotation",
                               "pre_annotation", "data_validation", "custom"})
    CHECK_THAT(r.err, Contains(category));
  CHECK(nothing_written(sandbox));
}

TEST_CASE("plugin new refuses a bad version and multi-line text", "[plugin_new]") {
  Sandbox sandbox;
  check_refused(create(sandbox, "x", "upload", {"--version", "1.0"}), 2,
                "plugin_new.invalid_version");
  check_refused(create(sandbox, "x", "upload", {"--name", "two\nlines"}), 2,
                "plugin_new.invalid_text");
  check_refused(create(sandbox, "x", "upload", {"--name", ""}), 2, "plugin_new.invalid_text");
  CHECK(nothing_written(sandbox));
}

TEST_CASE("plugin new refuses a non-empty folder without --force", "[plugin_new]") {
  Sandbox sandbox;
  const fs::path dir = sandbox.dir() / "project";
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "mine\n";

  const auto r = create(sandbox, "x", "upload");
  check_refused(r, 2, "plugin_new.destination_exists");
  CHECK_THAT(r.err, Contains(dir.string()));
  CHECK_THAT(r.err, Contains("--force"));
  CHECK(files_below(dir) == std::vector<std::string>{"notes.txt"});

  SECTION("an empty folder is fine") {
    fs::remove(dir / "notes.txt");
    CHECK(create(sandbox, "x", "upload").exit_code == 0);
    CHECK(fs::is_regular_file(dir / "config.yaml"));
  }
  SECTION("a file in its place is refused even with --force") {
    fs::remove_all(dir);
    std::ofstream(dir) << "a file\n";
    check_refused(create(sandbox, "x", "upload", {"--force"}), 2, "plugin_new.destination_exists");
  }
}

TEST_CASE("plugin new --force writes the template's files and keeps the others", "[plugin_new]") {
  Sandbox sandbox;
  REQUIRE(create(sandbox, "x", "export").exit_code == 0);
  const fs::path dir = sandbox.dir() / "project";
  std::ofstream(dir / "config.yaml") << "edited\n";
  std::ofstream(dir / "notes.txt") << "mine\n";

  const auto r = create(sandbox, "x", "export", {"--force", "--version", "2.0.0"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(read_file(dir / "config.yaml"), Contains("version: 2.0.0"));
  CHECK(read_file(dir / "notes.txt") == "mine\n");
  for (const auto& entry : fs::directory_iterator(sandbox.dir()))
    CHECK(entry.path().filename().string().find("synapse-new") == std::string::npos);
}

namespace {

// Every file below `dir` with its content, to compare a folder before and after.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& name : files_below(dir))
    files[name] = read_file(dir / name);
  return files;
}

// An export project made by plugin new in sandbox/project, its config.yaml edited by the user.
fs::path edited_project(const Sandbox& sandbox) {
  REQUIRE(create(sandbox, "x", "export").exit_code == 0);
  const fs::path dir = sandbox.dir() / "project";
  std::ofstream(dir / "config.yaml") << "edited\n";
  return dir;
}

bool staging_left(const Sandbox& sandbox) {
  for (const auto& entry : fs::directory_iterator(sandbox.dir())) {
    if (entry.path().filename().string().find("synapse-new") != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE("plugin new --force refuses a folder where the template has a file, changing nothing",
          "[plugin_new]") {
  Sandbox sandbox;
  const fs::path dir = edited_project(sandbox);
  fs::remove(dir / "README.md");
  fs::create_directory(dir / "README.md");
  std::ofstream(dir / "README.md" / "mine.txt") << "mine\n";
  const auto before = snapshot(dir);

  const auto r = create(sandbox, "x", "export", {"--force"});
  check_refused(r, 2, "plugin_new.destination_exists");
  CHECK_THAT(r.err, Contains((dir / "README.md").string() + " is a folder"));
  CHECK(snapshot(dir) == before);
  CHECK_FALSE(staging_left(sandbox));
}

TEST_CASE("plugin new --force puts the project back as it was when a write fails half way",
          "[plugin_new]") {
  Sandbox sandbox;
  const fs::path dir = edited_project(sandbox);
  std::ofstream(dir / "src" / "exporter.cpp") << "// my exporter\n";
  const auto before = snapshot(dir);
  // The last file the template writes (tests/exporter_test.cpp, names in sorted order) cannot
  // be replaced: its folder is immutable, which stops root too. The files before it were
  // replaced by then and must be put back.
  const std::string tests = (dir / "tests").string();
  if (std::system(("chattr +i '" + tests + "' 2>/dev/null").c_str()) != 0) {
    WARN("chattr +i is not available here (not root, or not ext4): cannot make a write fail");
    return;
  }
  const auto r = create(sandbox, "x", "export", {"--force", "--version", "2.0.0"});
  std::system(("chattr -i '" + tests + "'").c_str());
  check_refused(r, 1, "plugin_new.write_failed");
  CHECK_THAT(r.err, Contains("tests/exporter_test.cpp"));
  CHECK_THAT(r.err, Contains("was put back as it was"));
  CHECK(snapshot(dir) == before);  // config.yaml still "edited", src/exporter.cpp still mine
  CHECK_FALSE(staging_left(sandbox));

  // Nothing in the way any more: the same command works.
  const auto again = create(sandbox, "x", "export", {"--force", "--version", "2.0.0"});
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(read_file(dir / "config.yaml"), Contains("version: 2.0.0"));
}

TEST_CASE("plugin new without templates says where it looked", "[plugin_new]") {
  Sandbox sandbox;
  const auto r = create(sandbox, "x", "upload", {}, {{"SYNAPSE_TEMPLATES_DIR", "/nonexistent"}});
  check_refused(r, 3, "plugin_new.templates_not_found");
  CHECK_THAT(r.err, Contains("/nonexistent"));
  CHECK(nothing_written(sandbox));
}

TEST_CASE("plugin new refuses a template with an unknown variable, writing nothing",
          "[plugin_new]") {
  Sandbox sandbox;
  const fs::path templates = sandbox.dir() / "templates";
  fs::create_directories(templates / "generic" / "src");
  std::ofstream(templates / "generic" / "config.yaml") << "code: {{code}}\n";
  std::ofstream(templates / "generic" / "src" / "a.cpp") << "// fine\n// {{nmae}} here\n";

  const auto r =
      create(sandbox, "x", "custom", {}, {{"SYNAPSE_TEMPLATES_DIR", templates.string()}});
  check_refused(r, 3, "plugin_new.template_error");
  CHECK_THAT(r.err, Contains("a.cpp:2: unknown variable 'nmae'"));
  CHECK(nothing_written(sandbox));

  std::ofstream(templates / "generic" / "src" / "a.cpp") << "// {{name}}\n";
  const auto ok =
      create(sandbox, "x", "custom", {}, {{"SYNAPSE_TEMPLATES_DIR", templates.string()}});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(read_file(sandbox.dir() / "project" / "src" / "a.cpp") == "// X\n");
}
