// The installed SDK as an author uses it: `synapse plugin new` from the installed templates,
// the project configured and built out of tree with find_package(SynapseSDK), its own tests run,
// then `synapse plugin validate` and `synapse run` on the built plugin; and the package →
// install round trip into the author's plugin folder.
#include <fstream>

#include "author_workspace.hpp"

using namespace consumers_test;

TEST_CASE("find_package: the upload template builds, passes its tests, uploads, packages",
          "[consumers][find_package]") {
  AuthorWorkspace ws("upload");
  const auto project = ws.dir() / "my-upload";
  ws.ok({ws.synapse().string(), "plugin", "new", "my-upload", "--category", "upload", "--author",
         "Ada", "--dir", project.string()});
  ws.build_and_test(project, {"-DCMAKE_PREFIX_PATH=" + kPrefix.string()});
  CHECK(fs::exists(project / "build" / "plugin" / "libmy_upload.so"));
  const auto validated = ws.ok({ws.synapse().string(), "plugin", "validate", project.string()});
  CHECK(validated.out.find("valid\n") != std::string::npos);

  // The custom uploader does the sample upload; its summary step runs between the host's steps.
  ws.sample_catalog(project.string(), ws.synapse());
  const auto units = json::parse(ws.ok({ws.synapse().string(), "data-units", "list", "--collection",
                                        "sample-images", "--json"})
                                     .out);
  CHECK(units["items"].size() == 6);
  const auto jobs = json::parse(ws.ok({ws.synapse().string(), "jobs", "list", "--json"}).out);
  bool summarized = false;
  for (const auto& job : jobs) {
    if (job["plugin"] != "my-upload@0.1.0" || job["params"].value("dry_run", false))
      continue;
    const auto shown =
        ws.ok({ws.synapse().string(), "jobs", "show", job["id"].get<std::string>(), "--events"});
    summarized |= shown.out.find("Organized 6 units") != std::string::npos;
  }
  CHECK(summarized);

  // Package the built plugin folder, install the archive, run the plugin by its code.
  ws.ok({ws.synapse().string(), "plugin", "package", (project / "build" / "plugin").string(),
         "--output", ws.dir().string()});
  const auto archive = ws.dir() / "my-upload-0.1.0.tar.gz";
  REQUIRE(fs::exists(archive));
  ws.ok({ws.synapse().string(), "plugin", "install", archive.string()});
  const auto installed = ws.home() / ".local" / "share" / "synapse" / "plugins" / "my-upload";
  CHECK(fs::exists(installed / "config.yaml"));
  CHECK(fs::exists(installed / "libmy_upload.so"));
  const auto listed = ws.ok({ws.synapse().string(), "plugin", "list"});
  CHECK(listed.out.find("my-upload") != std::string::npos);
  const auto plan =
      ws.ok({ws.synapse().string(), "run", "-q", "my-upload", "upload", "--dry-run", "--params",
             R"({"name": "again", "storage": "samples", "data_collection": )"
             R"("sample-images", "path": "sample-images"})"});
  CHECK(AuthorWorkspace::result_of(plan)["dry_run"] == true);
}

TEST_CASE("find_package: the export template builds, passes its tests and exports",
          "[consumers][find_package]") {
  AuthorWorkspace ws("export");
  const auto project = ws.dir() / "my-export";
  ws.ok({ws.synapse().string(), "plugin", "new", "my-export", "--category", "export", "--dir",
         project.string()});
  ws.build_and_test(project, {"-DCMAKE_PREFIX_PATH=" + kPrefix.string()});
  ws.ok({ws.synapse().string(), "plugin", "validate", project.string()});

  ws.sample_catalog("upload-default", ws.synapse());
  const auto run =
      ws.ok({ws.synapse().string(), "run", "-q", project.string(), "export", "--params",
             R"({"name": "mine", "storage": "exports", "path": ".", "target": )"
             R"("task", "filter": {"project": "sample-labeling"}})"});
  const auto result = AuthorWorkspace::result_of(run);
  CHECK(result["success"] == 6);
  CHECK(result["failed"] == 0);
  // The template's convert_data adds the shape counts to every exported item.
  const auto json_dir = ws.data_home() / "exports" / "mine" / "json";
  REQUIRE(fs::is_directory(json_dir));
  int items = 0;
  for (const auto& entry : fs::directory_iterator(json_dir)) {
    std::ifstream in(entry.path());
    const auto item = json::parse(in);
    CHECK(item.contains("shape_counts"));
    ++items;
  }
  CHECK(items == 6);
}

TEST_CASE("find_package: the generic template builds for another category and runs",
          "[consumers][find_package]") {
  AuthorWorkspace ws("generic");
  const auto project = ws.dir() / "my-model";
  ws.ok({ws.synapse().string(), "plugin", "new", "my-model", "--category", "neural_net", "--dir",
         project.string()});
  ws.build_and_test(project, {"-DCMAKE_PREFIX_PATH=" + kPrefix.string()});
  ws.ok({ws.synapse().string(), "plugin", "validate", project.string()});
  const auto run = ws.ok({ws.synapse().string(), "run", "-q", project.string(), "train", "--params",
                          R"({"message": "epoch", "count": 2})"});
  CHECK(AuthorWorkspace::result_of(run)["outputs"] == json::array({"epoch #1", "epoch #2"}));
  // The params schema of the rendered config.yaml is enforced.
  const auto refused = ws.run({ws.synapse().string(), "run", "-q", project.string(), "train",
                               "--params", R"({"count": 0})"});
  CHECK(refused.exit_code == 2);
}

TEST_CASE("pkg-config: a plugin compiled with synapse-sdk's flags validates and runs",
          "[consumers][pkg_config]") {
  AuthorWorkspace ws("pkgconfig");
  const auto cflags = ws.ok({"pkg-config", "--cflags", "synapse-sdk"}).out;
  CHECK(cflags.find("-DBOOST_DLL_USE_STD_FS") != std::string::npos);
  const auto plugin = ws.dir() / "hello-pc";
  fs::create_directories(plugin);
  fs::copy_file(kSource / "plugins" / "hello" / "config.yaml", plugin / "config.yaml");
  // What a Makefile author writes: the SDK's flags plus the flags every plugin needs.
  ws.ok({"bash", "-c",
         "g++ -std=c++20 -shared -fPIC -fvisibility=hidden -fvisibility-inlines-hidden "
         "-fno-gnu-unique $(pkg-config --cflags synapse-sdk) " +
             (kSource / "plugins" / "hello" / "src" / "hello.cpp").string() + " -o " +
             (plugin / "libhello.so").string()});
  ws.ok({ws.synapse().string(), "plugin", "validate", plugin.string()});
  const auto run = ws.ok({ws.synapse().string(), "run", "-q", plugin.string(), "greet", "--params",
                          R"({"name": "pkg-config", "steps": 1, "delay_ms": 0})"});
  CHECK(AuthorWorkspace::result_of(run)["greeting"] == "Hello, pkg-config!");
}
