#include "loader/plugin_library.hpp"

#include <boost/dll/shared_library.hpp>
#include <synapse/action.hpp>
#include <synapse/export/exporter.hpp>
#include <synapse/upload/uploader.hpp>

#include "common/runtime_error.hpp"

namespace synapse::runtime {

PluginLibrary::PluginLibrary(PluginMetadata metadata,
                             std::unique_ptr<boost::dll::shared_library> library)
    : metadata_(std::move(metadata)), library_(std::move(library)) {}

PluginLibrary::~PluginLibrary() = default;

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::filesystem::path& library) {
  auto metadata = read_plugin_metadata(library);
  check_compatible(metadata);
  auto lib = std::make_unique<boost::dll::shared_library>();
  try {
    lib->load(library, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    // Only the throwing overload keeps dlerror()'s text (it names the symbol or the file).
    const std::string why = e.what();
    const bool undefined = why.find("undefined symbol") != std::string::npos;
    throw RuntimeError(ExitCode::load_failed,
                       undefined ? "loader.undefined_symbol" : "loader.load_failed",
                       library.string() + ": cannot load plugin library: " + why);
  }
  return std::shared_ptr<PluginLibrary>(new PluginLibrary(std::move(metadata), std::move(lib)));
}

template <class Object>
std::shared_ptr<Object> PluginLibrary::create(const std::string& alias, const char* what) {
  if (!library_->has(alias)) {  // listed in a section but not resolvable: a damaged library
    throw RuntimeError(ExitCode::load_failed, "loader.missing_alias",
                       metadata_.library.string() + ": " + what + " alias '" + alias +
                           "' is listed but cannot be resolved");
  }
  auto& factory = library_->get_alias<Object*()>(alias);
  Object* raw = nullptr;
  // Copy the message inside the catch block: the exception object may live in plugin code.
  std::string failure;
  try {
    raw = factory();
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "a non-standard exception";
  }
  if (!failure.empty() || raw == nullptr) {
    throw RuntimeError(ExitCode::load_failed, "loader.factory_failed",
                       metadata_.library.string() + ": the factory of " + what + " alias '" +
                           alias + "' " +
                           (failure.empty() ? std::string("returned null") : "threw: " + failure));
  }
  // The deleter runs the plugin's destructor first, then drops its hold on the library.
  return std::shared_ptr<Object>(raw, [library = shared_from_this()](Object* object) mutable {
    delete object;
    library.reset();
  });
}

std::shared_ptr<synapse::Action> PluginLibrary::create_action(const std::string& alias) {
  check_exports(metadata_, alias);
  if (!metadata_.exports_action(alias)) {
    const bool exporter = metadata_.exports_exporter(alias);
    throw RuntimeError(
        ExitCode::load_failed, "loader.not_an_action",
        metadata_.library.string() + ": '" + alias + "' is exported with " +
            (exporter ? "SYNAPSE_EXPORTER, so it is an export plugin's Exporter; only an action "
                        "of an export plugin can use it"
                      : "SYNAPSE_UPLOADER, so it is an upload plugin's Uploader; only the "
                        "`upload` action of an upload plugin can use it"));
  }
  return create<synapse::Action>(alias, "action");
}

std::shared_ptr<synapse::upload::Uploader> PluginLibrary::create_uploader(
    const std::string& alias) {
  check_exports(metadata_, alias);
  if (!metadata_.exports_uploader(alias)) {
    throw RuntimeError(
        ExitCode::load_failed, "loader.not_an_uploader",
        metadata_.library.string() + ": '" + alias + "' is exported with " +
            (metadata_.exports_exporter(alias) ? "SYNAPSE_EXPORTER" : "SYNAPSE_ACTION") +
            "; the `upload` action of an upload plugin needs an Uploader "
            "exported with SYNAPSE_UPLOADER");
  }
  return create<synapse::upload::Uploader>(alias, "uploader");
}

std::shared_ptr<synapse::exports::Exporter> PluginLibrary::create_exporter(
    const std::string& alias) {
  check_exports(metadata_, alias);
  if (!metadata_.exports_exporter(alias)) {
    throw RuntimeError(
        ExitCode::load_failed, "loader.not_an_exporter",
        metadata_.library.string() + ": '" + alias + "' is exported with " +
            (metadata_.exports_uploader(alias) ? "SYNAPSE_UPLOADER" : "SYNAPSE_ACTION") +
            "; the export action of an export plugin needs an Exporter exported "
            "with SYNAPSE_EXPORTER");
  }
  return create<synapse::exports::Exporter>(alias, "exporter");
}

}  // namespace synapse::runtime
