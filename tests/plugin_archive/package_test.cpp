// `synapse plugin package`: what goes into the archive, its checksums, and what it refuses.
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "archive_edit.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using cli_test::Sandbox;
using namespace archive_test;

namespace {

std::vector<std::string> paths_of(const std::vector<Entry>& entries) {
  std::vector<std::string> paths;
  for (const auto& e : entries)
    paths.push_back(e.path);
  return paths;
}

}  // namespace

TEST_CASE("package_hello_writes_config_library_and_sha256sums", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  CHECK(listing(archive.parent_path()) == std::vector<std::string>{"hello-0.1.0.tar.gz"});

  auto entries = read_archive(archive);
  CHECK(paths_of(entries) == std::vector<std::string>{"hello-0.1.0/", "hello-0.1.0/config.yaml",
                                                      "hello-0.1.0/libhello.so",
                                                      "hello-0.1.0/SHA256SUMS"});
  const auto config = file_entry("", staged_hello() / "config.yaml");
  const auto library = file_entry("", staged_hello() / "libhello.so");
  CHECK(find(entries, "hello-0.1.0/config.yaml").data == config.data);
  CHECK(find(entries, "hello-0.1.0/libhello.so").data == library.data);
  CHECK(find(entries, "hello-0.1.0/SHA256SUMS").data ==
        sha256_hex(config.data) + "  config.yaml\n" + sha256_hex(library.data) + "  libhello.so\n");
  for (const auto& e : entries)
    CHECK(e.kind == (e.path == "hello-0.1.0/" ? Entry::Kind::directory : Entry::Kind::file));
}

TEST_CASE("package_prints_the_archive_path_and_the_sums", "[plugin_archive]") {
  Sandbox sandbox;
  const auto dist = sandbox.dir() / "dist";
  const auto r =
      run_with(sandbox, plugins_of(sandbox),
               {"plugin", "package", staged_hello().string(), "--output", dist.string()});
  REQUIRE(r.exit_code == 0);
  const auto library = file_entry("", staged_hello() / "libhello.so");
  CHECK_THAT(r.out, Contains("wrote " + (dist / "hello-0.1.0.tar.gz").string()) &&
                        Contains(sha256_hex(library.data) + "  libhello.so"));
}

TEST_CASE("package_sums_pass_sha256sum_check_inside_the_folder", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto out = sandbox.dir() / "unpacked";
  fs::create_directories(out);
  // coreutils, not our code, reads the format.
  const auto command = "cd '" + out.string() + "' && tar -xzf '" + archive.string() +
                       "' && cd hello-0.1.0 && sha256sum --quiet --strict -c SHA256SUMS";
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("package_includes_the_readme_the_config_names", "[plugin_archive]") {
  Sandbox sandbox;
  const auto plugin = sandbox.dir() / "author" / "build" / "plugin";
  fs::create_directories(plugin / "docs");
  fs::copy_file(staged_hello() / "libhello.so", plugin / "libhello.so");
  std::ifstream in(staged_hello() / "config.yaml");
  std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = config.find("readme: README.md");
  REQUIRE(at != std::string::npos);
  config.replace(at, 17, "readme: docs/GUIDE.md");
  std::ofstream(plugin / "config.yaml") << config;
  std::ofstream(plugin / "docs" / "GUIDE.md") << "# Hello\nGreets.\n";
  std::ofstream(plugin / "README.md") << "# Hello readme\n";

  const auto dist = sandbox.dir() / "dist";
  const auto r = run_with(sandbox, plugins_of(sandbox),
                          {"plugin", "package", plugin.string(), "--output", dist.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto entries = read_archive(dist / "hello-0.1.0.tar.gz");
  CHECK(find(entries, "hello-0.1.0/docs/GUIDE.md").data == "# Hello\nGreets.\n");
  CHECK(find(entries, "hello-0.1.0/README.md").data == "# Hello readme\n");
  CHECK_THAT(find(entries, "hello-0.1.0/SHA256SUMS").data,
             Contains(sha256_hex("# Hello\nGreets.\n") + "  docs/GUIDE.md\n") &&
                 Contains("  README.md\n"));
}

TEST_CASE("package_warns_about_a_named_readme_that_is_missing", "[plugin_archive]") {
  // hello's config names README.md, which staged_hello() does not hold.
  Sandbox sandbox;
  const auto dist = sandbox.dir() / "dist";
  const auto r =
      run_with(sandbox, plugins_of(sandbox),
               {"plugin", "package", staged_hello().string(), "--output", dist.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("warning") && Contains("readme 'README.md' not found"));
}

TEST_CASE("package_refuses_to_overwrite_an_archive_without_force", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  std::ofstream(archive, std::ios::trunc) << "old";
  const std::vector<std::string> args{"plugin", "package", staged_hello().string(), "--output",
                                      archive.parent_path().string()};
  const auto refused = run_with(sandbox, plugins_of(sandbox), args);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("error[archive.exists]") && Contains(archive.string()));
  CHECK(fs::file_size(archive) == 3);

  auto forced = args;
  forced.push_back("--force");
  const auto r = run_with(sandbox, plugins_of(sandbox), forced);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(read_archive(archive).size() == 4);
  CHECK(listing(archive.parent_path()) == std::vector<std::string>{"hello-0.1.0.tar.gz"});
}

TEST_CASE("package_refuses_a_library_that_fails_validation", "[plugin_archive]") {
  Sandbox sandbox;
  const auto dist = sandbox.dir() / "dist";
  fs::create_directories(dist);
  const auto r = run_with(sandbox, plugins_of(sandbox),
                          {"plugin", "package", fixture("fixture_category_mismatch").string(),
                           "--output", dist.string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("error[loader.category_mismatch]"));
  CHECK(listing(dist).empty());
}
