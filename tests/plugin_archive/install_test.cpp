// `synapse plugin install`: a good archive lands in the plugin folder and runs; an existing
// install is replaced only with --force; staging folders of killed installs are cleared.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using cli_test::Sandbox;
using nlohmann::json;
using namespace archive_test;

namespace {

const std::string quick = R"({"name":"x","steps":1,"delay_ms":0})";

void check_hello_runs(const Sandbox& sandbox, const fs::path& plugins) {
  const auto list = run_with(sandbox, plugins, {"plugin", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  const auto found = json::parse(list.out);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["code"] == "hello");
  CHECK(fs::equivalent(found[0]["dir"].get<std::string>(), plugins / "hello"));

  const auto r = run_with(sandbox, plugins, {"run", "hello", "greet", "--params", quick});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["greeting"] == "Hello, x!");
}

}  // namespace

TEST_CASE("install_puts_hello_in_the_plugin_dir_and_it_runs", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto plugins = plugins_of(sandbox);
  fs::create_directories(plugins);
  const auto r = run_with(sandbox, plugins, {"plugin", "install", archive.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("installed hello 0.1.0 into " + (plugins / "hello").string()));
  CHECK(listing(plugins) == std::vector<std::string>{"hello"});
  CHECK(listing(plugins / "hello") ==
        std::vector<std::string>{"SHA256SUMS", "config.yaml", "libhello.so"});
  check_hello_runs(sandbox, plugins);
}

TEST_CASE("install_defaults_to_the_first_plugin_path_entry_and_creates_it", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto plugins = sandbox.dir() / "new" / "plugins";
  const auto other = sandbox.dir() / "other";
  fs::create_directories(other);
  const auto r = sandbox.run({"--plugin-path", plugins.string() + ":" + other.string(), "plugin",
                              "install", archive.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_regular_file(plugins / "hello" / "libhello.so"));
  CHECK(listing(other).empty());
  check_hello_runs(sandbox, plugins);
}

TEST_CASE("install_with_plugin_dir_outside_the_plugin_path_says_so", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto target = sandbox.dir() / "elsewhere";
  const auto r = run_with(sandbox, plugins_of(sandbox),
                          {"plugin", "install", archive.string(), "--plugin-dir", target.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(listing(target) == std::vector<std::string>{"hello"});
  CHECK_THAT(r.err, Contains("not in the plugin path"));
  check_hello_runs(sandbox, target);
}

TEST_CASE("install_refuses_an_existing_plugin_without_force_and_swaps_it_with_force",
          "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto plugins = plugins_of(sandbox);
  REQUIRE(run_with(sandbox, plugins, {"plugin", "install", archive.string()}).exit_code == 0);
  std::ofstream(plugins / "hello" / "marker") << "from the first install\n";

  const auto refused = run_with(sandbox, plugins, {"plugin", "install", archive.string()});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("error[install.exists]") &&
                              Contains((plugins / "hello").string()) && Contains("--force"));
  CHECK(listing(plugins) == std::vector<std::string>{"hello"});
  CHECK(fs::exists(plugins / "hello" / "marker"));

  const auto r = run_with(sandbox, plugins, {"plugin", "install", archive.string(), "--force"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("replaced version 0.1.0"));
  CHECK(listing(plugins) == std::vector<std::string>{"hello"});  // old copy and temp gone
  CHECK_FALSE(fs::exists(plugins / "hello" / "marker"));
  check_hello_runs(sandbox, plugins);
}

TEST_CASE("install_refuses_a_missing_archive", "[plugin_archive]") {
  Sandbox sandbox;
  const auto plugins = plugins_of(sandbox);
  fs::create_directories(plugins);
  const auto missing = sandbox.dir() / "nope-1.0.0.tar.gz";
  const auto r = run_with(sandbox, plugins, {"plugin", "install", missing.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("error[archive.not_found]") && Contains(missing.string()));
  CHECK(listing(plugins).empty());
}

TEST_CASE("install_removes_staging_folders_of_killed_installs_but_not_live_or_new_ones",
          "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = package_hello(sandbox);
  const auto plugins = plugins_of(sandbox);
  // What `kill -9` during an install leaves: a staging folder with a half-extracted plugin.
  const auto make_staging = [&](const std::string& name, bool old) {
    const auto folder = plugins / name;
    fs::create_directories(folder / "hello");
    std::ofstream(folder / "hello" / "libhello.so") << "half";
    if (old) {
      const auto past = fs::file_time_type::clock::now() - std::chrono::minutes(5);
      fs::last_write_time(folder, past);
    }
    return folder;
  };
  const auto dead = make_staging(".install-hello-dead01", true);
  const auto young = make_staging(".install-hello-young1", false);  // may not be locked yet
  const auto live = make_staging(".install-other-live01", true);
  // A live install holds its lock; this test process stands in for it.
  const int fd = ::open(live.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);

  const auto r = run_with(sandbox, plugins, {"plugin", "install", archive.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(young));
  CHECK(fs::exists(live / "hello" / "libhello.so"));
  CHECK(listing(plugins) ==
        std::vector<std::string>{".install-hello-young1", ".install-other-live01", "hello"});
  ::close(fd);
  check_hello_runs(sandbox, plugins);
}
