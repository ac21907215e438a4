// The loader against real fixture libraries: every failure is a RuntimeError with its own id
// and exit code 3, the host process survives, and libraries unload when the last object goes.
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <synapse/action.hpp>
#include <synapse/version.hpp>

#include "common/runtime_error.hpp"
#include "loader/plugin_library.hpp"
#include "loader/plugin_metadata.hpp"

namespace fs = std::filesystem;
using namespace synapse::runtime;
using Catch::Matchers::Contains;

namespace {

fs::path fixture_library(const std::string& name) {
  return fs::path(SYNAPSE_FIXTURE_DIR) / name / ("lib" + name + ".so");
}

bool is_mapped(const fs::path& library) {
  std::ifstream maps("/proc/self/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return text.str().find(fs::canonical(library).string()) != std::string::npos;
}

// A RunContext that only holds params: enough to call an action directly.
class ParamsOnlyContext final : public synapse::RunContext {
 public:
  explicit ParamsOnlyContext(nlohmann::json params) : params_(std::move(params)) {}
  const nlohmann::json& params() const override { return params_; }
  void log_message(synapse::MessageContext, std::string_view) override {}
  void log_event(std::string_view, const nlohmann::json&) override {}
  void set_progress(std::int64_t, std::int64_t, std::string_view) override {}
  void set_metrics(std::string_view, const nlohmann::json&) override {}
  bool is_cancelled() const noexcept override { return false; }

 private:
  nlohmann::json params_;
};

// Runs `fn`, expecting a RuntimeError with `id`; returns it for further checks.
template <class Fn>
RuntimeError expect_error(Fn&& fn, const std::string& id) {
  try {
    fn();
  } catch (const RuntimeError& e) {
    INFO(e.render());
    CHECK(e.id() == id);
    return e;
  }
  FAIL("expected RuntimeError " << id);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("library_info_reads_metadata_without_loading", "[loader]") {
  const auto lib = fixture_library("fixture_good");
  const auto meta = read_plugin_metadata(lib);
  CHECK(meta.abi == SYNAPSE_ABI_VERSION);
  CHECK(meta.sdk_version == SYNAPSE_SDK_VERSION_STRING);
  CHECK(meta.category == "custom");
  CHECK(meta.compiler == host_metadata().compiler);
  CHECK(meta.stdlib == host_metadata().stdlib);
  CHECK(meta.json_version == host_metadata().json_version);
  CHECK(meta.actions == std::vector<std::string>{"Echo"});
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("good_plugin_runs_and_unloads_after_last_object", "[loader]") {
  const auto lib = fixture_library("fixture_good");
  auto library = PluginLibrary::open(lib);
  auto action = library->create_action("Echo");
  REQUIRE(is_mapped(lib));

  // The object keeps the library alive after the PluginLibrary handle is gone.
  library.reset();
  REQUIRE(is_mapped(lib));
  ParamsOnlyContext ctx(nlohmann::json{{"x", 1}});
  CHECK(action->run(ctx) == nlohmann::json({{"echo", {{"x", 1}}}}));

  action.reset();
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("abi_mismatch_is_refused_before_loading", "[loader]") {
  const auto lib = fixture_library("fixture_abi_mismatch");
  const auto e = expect_error([&] { PluginLibrary::open(lib); }, "loader.abi_mismatch");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(),
             Contains("plugin ABI version 99") &&
                 Contains("this host expects ABI version " + std::to_string(SYNAPSE_ABI_VERSION)));
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("compiler_mismatch_is_refused_before_loading", "[loader]") {
  const auto lib = fixture_library("fixture_compiler_mismatch");
  const auto e = expect_error([&] { PluginLibrary::open(lib); }, "loader.compiler_mismatch");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("built with compiler clang_15_0, standard library libcxx") &&
                              Contains("this host expects compiler " + host_metadata().compiler));
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("missing_alias_names_the_exported_ones", "[loader]") {
  auto library = PluginLibrary::open(fixture_library("fixture_missing_alias"));
  const auto e = expect_error([&] { library->create_action("Missing"); }, "loader.missing_alias");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("no action alias 'Missing'") && Contains("(exported: Echo)"));
}

TEST_CASE("undefined_symbol_fails_at_load_not_at_call", "[loader]") {
  const auto lib = fixture_library("fixture_undefined_symbol");
  const auto e = expect_error([&] { PluginLibrary::open(lib); }, "loader.undefined_symbol");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("synapse_fixture_missing_function"));
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("factory_that_throws_becomes_an_error", "[loader]") {
  auto library = PluginLibrary::open(fixture_library("fixture_factory_throws"));
  const auto e = expect_error([&] { library->create_action("Echo"); }, "loader.factory_failed");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("threw: fixture constructor refuses to start"));
}

TEST_CASE("action_that_throws_is_caught_by_the_host", "[loader]") {
  const auto lib = fixture_library("fixture_action_throws");
  {
    auto action = PluginLibrary::open(lib)->create_action("Echo");
    ParamsOnlyContext ctx(nlohmann::json::object());
    std::string message;
    try {
      action->run(ctx);
    } catch (const std::exception& e) {
      message = e.what();  // copied while the plugin is still loaded
    }
    CHECK(message == "fixture action blew up");
  }
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("not_an_elf_file_is_refused", "[loader]") {
  const auto e = expect_error([] { read_plugin_metadata(fixture_library("fixture_not_elf")); },
                              "loader.not_elf");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("not an ELF shared library"));
}

TEST_CASE("truncated_file_is_refused", "[loader]") {
  const auto e = expect_error([] { read_plugin_metadata(fixture_library("fixture_truncated")); },
                              "loader.truncated");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("truncated ELF file") && Contains("the file has 4096 bytes"));
}

TEST_CASE("missing_file_is_refused", "[loader]") {
  const auto e =
      expect_error([] { PluginLibrary::open("/nonexistent/libnothing.so"); }, "loader.not_found");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("/nonexistent/libnothing.so"));
}

TEST_CASE("library_without_metadata_is_refused", "[loader]") {
  const auto lib = fixture_library("fixture_no_metadata");
  const auto e = expect_error([&] { PluginLibrary::open(lib); }, "loader.no_metadata");
  CHECK(e.exit_code() == ExitCode::load_failed);
  CHECK_THAT(e.message(), Contains("SYNAPSE_PLUGIN(<category>)"));
  CHECK_FALSE(is_mapped(lib));
}

TEST_CASE("every_truncation_length_is_refused_without_crashing", "[loader]") {
  // Cut the good library at many lengths: each must give a clean error, never a crash.
  const auto good = fixture_library("fixture_good");
  const auto size = fs::file_size(good);
  const auto dir = fs::temp_directory_path() / ("synapse-trunc-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ifstream in(good, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  for (std::uintmax_t cut : {std::uintmax_t{0}, std::uintmax_t{3}, std::uintmax_t{63},
                             std::uintmax_t{64}, size / 4, size / 2, size - 1}) {
    const auto file = dir / ("cut" + std::to_string(cut) + ".so");
    std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    INFO("cut at " << cut << " of " << size);
    try {
      read_plugin_metadata(file);
      FAIL("a truncated library was accepted");
    } catch (const RuntimeError& e) {
      CHECK(e.exit_code() == ExitCode::load_failed);
      CHECK((e.id() == "loader.truncated" || e.id() == "loader.not_elf"));
    }
  }
  fs::remove_all(dir);
}
