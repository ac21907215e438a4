// The SDK straight from a synapse build tree (<build>/sdk/SynapseSDKConfig.cmake): the build
// tree's `synapse plugin new --build`, with nothing installed, finds it, builds the template and
// passes its tests; the plugin then runs with that synapse.
#include <fstream>
#include <iterator>

#include "author_workspace.hpp"

using namespace consumers_test;

TEST_CASE("build tree: plugin new --build finds the SDK of the build tree it runs from",
          "[consumers][build_tree]") {
  AuthorWorkspace ws("build-tree");
  const auto synapse = kBuildTreeSynapse.string();
  const auto project = ws.dir() / "my-tool";
  const auto created = ws.ok({synapse, "plugin", "new", "my-tool", "--category", "custom", "--dir",
                              project.string(), "--build", "--json"});
  const auto plan = json::parse(created.out);
  CHECK(plan["built"] == true);
  // The project was configured with the build tree's package, not an installed one.
  std::ifstream cache_file(project / "build" / "CMakeCache.txt");
  const std::string cache((std::istreambuf_iterator<char>(cache_file)),
                          std::istreambuf_iterator<char>());
  const std::string sdk_dir = (kBuildTreeSynapse.parent_path() / "sdk").string();
  CHECK(cache.find("SynapseSDK_DIR:UNINITIALIZED=" + sdk_dir + "\n") != std::string::npos);
  const auto plugin = project / "build" / "plugin";
  ws.ok({synapse, "plugin", "validate", plugin.string()});
  const auto run =
      ws.ok({synapse, "run", "-q", plugin.string(), "run", "--params", R"({"count": 2})"});
  CHECK(AuthorWorkspace::result_of(run)["count"] == 2);
}
