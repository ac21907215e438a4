#include "author_workspace.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace consumers_test {

namespace {

// The author's environment: everything of the test's except synapse's own variables, with
// HOME and the data home in the workspace and the installed prefix first on PATH. ccache keeps
// the test runner's cache (HOME moved, so its default would be a cold one in the workspace).
test_support::ProcessOptions author_env(const AuthorWorkspace& ws, const fs::path& cwd) {
  test_support::ProcessOptions options;
  options.cwd = cwd.empty() ? ws.dir() : cwd;
  options.unset_prefixes = {"SYNAPSE_"};
  options.env["HOME"] = ws.home().string();
  options.env["SYNAPSE_HOME"] = ws.data_home().string();
  const char* path = std::getenv("PATH");
  options.env["PATH"] = (kPrefix / "bin").string() + ":" + (path ? path : "/usr/bin:/bin");
  if (std::getenv("CCACHE_DIR") == nullptr) {
    if (const char* home = std::getenv("HOME"))
      options.env["CCACHE_DIR"] = (fs::path(home) / ".cache" / "ccache").string();
  }
  options.env["PKG_CONFIG_PATH"] = (kPrefix / "share" / "pkgconfig").string();
  return options;
}

}  // namespace

AuthorWorkspace::AuthorWorkspace(const std::string& name) {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() / ("synapse-consumer-" + name + "-" +
                                      std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(home());
  fs::create_directories(data_home());
}

AuthorWorkspace::~AuthorWorkspace() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

test_support::ProcessResult AuthorWorkspace::run(const std::vector<std::string>& argv,
                                                 const fs::path& cwd) const {
  return test_support::run_process(argv, author_env(*this, cwd));
}

test_support::ProcessResult AuthorWorkspace::ok(const std::vector<std::string>& argv,
                                                const fs::path& cwd) const {
  auto r = run(argv, cwd);
  INFO(r.describe(argv));
  REQUIRE(r.exit_code == 0);
  return r;
}

void AuthorWorkspace::build_and_test(const fs::path& project,
                                     const std::vector<std::string>& cmake_args) const {
  const auto build = project / "build";
  std::vector<std::string> configure = {"cmake",        "-S", project.string(), "-B",
                                        build.string(), "-G", "Ninja"};
  if (run({"ccache", "--version"}).exit_code == 0)
    configure.push_back("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache");
  configure.insert(configure.end(), cmake_args.begin(), cmake_args.end());
  ok(configure);
  // Two jobs: ctest runs other tests beside this one on a 2-core machine.
  ok({"cmake", "--build", build.string(), "-j", "2"});
  const auto tests = ok({"ctest", "--test-dir", build.string(), "--output-on-failure"});
  CHECK(tests.out.find("100% tests passed") != std::string::npos);
}

void AuthorWorkspace::sample_catalog(const std::string& uploader, const fs::path& synapse) const {
  ok({"bash", (kSource / "tools" / "sample-catalog.sh").string(), synapse.string(),
      (kSource / "config" / "samples").string(), (kSource / "config" / "collections").string(),
      uploader});
}

json AuthorWorkspace::result_of(const test_support::ProcessResult& run) {
  const auto start = run.out.find('{');
  REQUIRE(start != std::string::npos);
  return json::parse(run.out.substr(start));
}

}  // namespace consumers_test
