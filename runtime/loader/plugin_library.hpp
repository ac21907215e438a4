// PluginLibrary: one loaded plugin library. Loaded with RTLD_NOW | RTLD_LOCAL after its metadata
// was read and checked, so an undefined symbol is an error at load (never a crash at first
// call) and two plugins cannot see each other's symbols.
//
// Lifetime: every object the plugin creates holds the library alive through its deleter, so the
// code cannot be unmapped under a live object; the library is unloaded when the last of them
// and the PluginLibrary itself are gone.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "loader/plugin_metadata.hpp"

namespace synapse {
class Action;
namespace upload {
class Uploader;
}
namespace exports {
class Exporter;
}
}  // namespace synapse

namespace boost::dll {
class shared_library;
}

namespace synapse::runtime {

class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  // Reads metadata, checks it, then loads. Throws RuntimeError (exit 3): the ids of
  // read_plugin_metadata/check_compatible, loader.undefined_symbol, loader.load_failed.
  static std::shared_ptr<PluginLibrary> open(const std::filesystem::path& library);

  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const PluginMetadata& metadata() const { return metadata_; }

  // Calls the factory exported as `alias`. Throws RuntimeError (exit 3): loader.missing_alias,
  // loader.factory_failed (the factory threw or returned null).
  // An alias exported with SYNAPSE_UPLOADER or SYNAPSE_EXPORTER gives loader.not_an_action.
  std::shared_ptr<synapse::Action> create_action(const std::string& alias);
  // The same for an upload plugin's Uploader (SYNAPSE_UPLOADER); an action alias gives
  // loader.not_an_uploader.
  std::shared_ptr<synapse::upload::Uploader> create_uploader(const std::string& alias);
  // The same for an export plugin's Exporter (SYNAPSE_EXPORTER); any other alias gives
  // loader.not_an_exporter.
  std::shared_ptr<synapse::exports::Exporter> create_exporter(const std::string& alias);

 private:
  template <class Object>
  std::shared_ptr<Object> create(const std::string& alias, const char* what);

  PluginLibrary(PluginMetadata metadata, std::unique_ptr<boost::dll::shared_library> library);

  PluginMetadata metadata_;
  std::unique_ptr<boost::dll::shared_library> library_;
};

}  // namespace synapse::runtime
