// The loader and exporter aliases: the metadata lists them without loading the library,
// create_exporter makes one, and the wrong kind of alias is refused with its own id.
#include "common/runtime_error.hpp"
#include "export_test_support.hpp"
#include "loader/plugin_metadata.hpp"

using namespace export_test;
using synapse::runtime::PluginLibrary;
using synapse::runtime::RuntimeError;

namespace {

std::string error_id(const std::function<void()>& call) {
  try {
    call();
  } catch (const RuntimeError& e) {
    return e.id();
  }
  return "";
}

}  // namespace

TEST_CASE("an exporter alias is read from section synexpt and accepted as an entrypoint",
          "[export_action][loader]") {
  const auto library = fixture_dir("recorder") / "libexport_fixture_recorder.so";
  const auto meta = synapse::runtime::read_plugin_metadata(library);
  CHECK(meta.category == "export");
  CHECK(meta.exporters == std::vector<std::string>{"Exporter"});
  CHECK(meta.actions.empty());
  CHECK(meta.exports_exporter("Exporter"));
  CHECK_NOTHROW(synapse::runtime::check_exports(meta, "Exporter"));
  CHECK(error_id([&] { synapse::runtime::check_exports(meta, "Missing"); }) ==
        "loader.missing_alias");
}

TEST_CASE("create_exporter and create_action refuse each other's aliases",
          "[export_action][loader]") {
  auto exporter_library =
      PluginLibrary::open(fixture_dir("recorder") / "libexport_fixture_recorder.so");
  CHECK(exporter_library->create_exporter("Exporter") != nullptr);
  CHECK(error_id([&] { exporter_library->create_action("Exporter"); }) == "loader.not_an_action");
  CHECK(error_id([&] { exporter_library->create_uploader("Exporter"); }) ==
        "loader.not_an_uploader");

  auto action_library =
      PluginLibrary::open(fs::path(SYNAPSE_FIXTURE_DIR) / "fixture_good" / "libfixture_good.so");
  CHECK(error_id([&] { action_library->create_exporter("Echo"); }) == "loader.not_an_exporter");
}
