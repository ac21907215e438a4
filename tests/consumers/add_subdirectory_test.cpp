// The SDK consumed from source: a superproject add_subdirectory()s this repository (which then
// builds only Synapse::sdk and synapse_add_plugin, not the host) and the three templates; it
// builds and passes their tests, and the build tree's synapse validates and runs the results.
#include <fstream>

#include "author_workspace.hpp"

using namespace consumers_test;

TEST_CASE("add_subdirectory: the three templates build beside the SDK sources and run",
          "[consumers][add_subdirectory]") {
  AuthorWorkspace ws("superproject");
  const auto synapse = kBuildTreeSynapse.string();
  ws.ok({synapse, "plugin", "new", "my-upload", "--category", "upload", "--dir",
         (ws.dir() / "my-upload").string()});
  ws.ok({synapse, "plugin", "new", "my-export", "--category", "export", "--dir",
         (ws.dir() / "my-export").string()});
  ws.ok({synapse, "plugin", "new", "my-tool", "--category", "custom", "--dir",
         (ws.dir() / "my-tool").string()});
  std::ofstream(ws.dir() / "CMakeLists.txt")
      << "cmake_minimum_required(VERSION 3.25)\n"
      << "project(author_superproject LANGUAGES CXX)\n"
      << "enable_testing()\n"
      << "add_subdirectory(\"" << kSource.string() << "\" synapse)\n"
      << "add_subdirectory(my-upload)\nadd_subdirectory(my-export)\nadd_subdirectory(my-tool)\n";
  ws.build_and_test(ws.dir(), {"-DSYNAPSE_EXECUTABLE=" + synapse});
  // Only the SDK came from the synapse sources: no host was built in the superproject.
  CHECK_FALSE(fs::exists(ws.dir() / "build" / "synapse" / "synapse"));
  const auto tests = ws.ok({"ctest", "--test-dir", (ws.dir() / "build").string(), "-N"});
  CHECK(tests.out.find("my_upload.plugin_validate") != std::string::npos);
  CHECK(tests.out.find("my_export.plugin_validate") != std::string::npos);
  CHECK(tests.out.find("my_tool.plugin_validate") != std::string::npos);

  const auto tool = ws.dir() / "build" / "my-tool" / "plugin";
  ws.ok({synapse, "plugin", "validate", tool.string()});
  const auto run =
      ws.ok({synapse, "run", "-q", tool.string(), "run", "--params", R"({"count": 1})"});
  CHECK(AuthorWorkspace::result_of(run)["count"] == 1);
}
