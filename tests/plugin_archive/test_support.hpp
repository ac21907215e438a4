// Shared steps of the plugin archive tests: running `synapse` against a plugin folder of the
// test's own, packaging the staged hello plugin, listing a folder (hidden entries included, so a
// leftover `.install-*` folder shows).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "synapse_process.hpp"

namespace archive_test {

namespace fs = std::filesystem;

// The staged hello plugin as these tests expect it: its config.yaml (which names a README.md)
// and libhello.so, and nothing else. Copied once per test process, so what the build stages
// beside them (plugins/hello/README.md) does not change what is packaged.
inline fs::path staged_hello() {
  static const fs::path root =
      fs::temp_directory_path() / ("synapse-archive-hello-" + std::to_string(::getpid()));
  static const fs::path copy = [] {
    const auto dir = root / "hello";
    fs::create_directories(dir);
    for (const char* name : {"config.yaml", "libhello.so"}) {
      fs::copy_file(fs::path(SYNAPSE_PLUGIN_STAGING_DIR) / "hello" / name, dir / name,
                    fs::copy_options::overwrite_existing);
    }
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(root, ec);
    });
    return dir;
  }();
  return copy;
}

inline fs::path fixture(const std::string& name) {
  return fs::path(SYNAPSE_FIXTURE_DIR) / name;
}

// Every name in `dir`, sorted; empty when `dir` does not exist.
inline std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// synapse with `plugins` as the whole plugin path.
inline cli_test::Result run_with(const cli_test::Sandbox& sandbox, const fs::path& plugins,
                                 std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugin-path", plugins.string()});
  return sandbox.run(args);
}

inline fs::path plugins_of(const cli_test::Sandbox& sandbox) {
  return sandbox.dir() / "plugins";
}

// `synapse plugin package <staged hello> --output <sandbox>/dist`; the archive's path.
inline fs::path package_hello(const cli_test::Sandbox& sandbox) {
  const auto dist = sandbox.dir() / "dist";
  const auto r =
      run_with(sandbox, plugins_of(sandbox),
               {"plugin", "package", staged_hello().string(), "--output", dist.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto archive = dist / "hello-0.1.0.tar.gz";
  REQUIRE(fs::is_regular_file(archive));
  return archive;
}

}  // namespace archive_test
