// The Debian packages CPack makes from this build: `synapse` (host, shipped plugins, default
// config) and `synapse-dev` (headers, CMake package, pkg-config file, templates), with their
// dependencies; unpacked, the host finds its config and plugins and lists them.
#include "author_workspace.hpp"

using namespace consumers_test;

namespace {

std::string field(const AuthorWorkspace& ws, const fs::path& deb, const std::string& name) {
  auto value = ws.ok({"dpkg-deb", "-f", deb.string(), name}).out;
  while (!value.empty() && value.back() == '\n')
    value.pop_back();
  return value;
}

}  // namespace

TEST_CASE("cpack: the synapse and synapse-dev .debs hold the runtime and the SDK",
          "[consumers][cpack]") {
  AuthorWorkspace ws("cpack");
  const auto out = ws.dir() / "packages";
  ws.ok({"cpack", "--config", (fs::path(SYNAPSE_BINARY_DIR) / "CPackConfig.cmake").string(), "-G",
         "DEB", "-B", out.string()});
  const auto runtime_deb = out / "synapse_" SYNAPSE_VERSION "_amd64.deb";
  const auto dev_deb = out / "synapse-dev_" SYNAPSE_VERSION "_amd64.deb";
  REQUIRE(fs::exists(runtime_deb));
  REQUIRE(fs::exists(dev_deb));

  CHECK(field(ws, runtime_deb, "Package") == "synapse");
  // Computed by dpkg-shlibdeps from the binary and the plugins.
  const auto runtime_depends = field(ws, runtime_deb, "Depends");
  CHECK(runtime_depends.find("libsqlite3-0") != std::string::npos);
  CHECK(runtime_depends.find("libarchive13") != std::string::npos);
  CHECK(field(ws, dev_deb, "Package") == "synapse-dev");
  const auto dev_depends = field(ws, dev_deb, "Depends");
  CHECK(dev_depends.find("synapse (= " SYNAPSE_VERSION ")") != std::string::npos);
  CHECK(dev_depends.find("libboost-dev") != std::string::npos);
  CHECK(dev_depends.find("nlohmann-json3-dev") != std::string::npos);

  const auto runtime_files = ws.ok({"dpkg-deb", "-c", runtime_deb.string()}).out;
  for (const char* file : {"/bin/synapse", "/etc/synapse/runtime.yaml",
                           "/synapse/plugins/export-coco/libexport_coco.so",
                           "/synapse/plugins/upload-default/config.yaml"})
    CHECK(runtime_files.find(file) != std::string::npos);
  CHECK(runtime_files.find("/include/synapse/") == std::string::npos);
  const auto dev_files = ws.ok({"dpkg-deb", "-c", dev_deb.string()}).out;
  for (const char* file :
       {"/include/synapse/plugin.hpp", "/include/synapse/export/exporter.hpp",
        "/cmake/SynapseSDK/SynapseSDKConfig.cmake", "/pkgconfig/synapse-sdk.pc",
        "/synapse/templates/upload/CMakeLists.txt", "/synapse/templates/generic/config.yaml"})
    CHECK(dev_files.find(file) != std::string::npos);
  CHECK(dev_files.find("/bin/synapse") == std::string::npos);

  // Unpacked anywhere, the host reads the packaged runtime.yaml next to it (bin/../etc) and
  // lists the packaged plugins.
  const auto root = ws.dir() / "root";
  ws.ok({"dpkg-deb", "-x", runtime_deb.string(), root.string()});
  fs::path synapse;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename() == "synapse" && entry.path().parent_path().filename() == "bin")
      synapse = entry.path();
  }
  REQUIRE_FALSE(synapse.empty());
  const auto listed = ws.ok({synapse.string(), "plugin", "list"});
  for (const char* code : {"upload-default", "export-coco", "export-yolo", "hello"})
    CHECK(listed.out.find(code) != std::string::npos);
}
