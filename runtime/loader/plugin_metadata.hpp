// PluginMetadata: what a plugin library says about itself, read WITHOUT loading it (no plugin
// code runs): boost::dll::library_info lists the aliases of the sections `synmeta` and
// `synactn`, `synupld` and `synexpt` (see sdk-headers/synapse/detail/plugin_metadata.hpp for the
// encoding).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace synapse::runtime {

struct PluginMetadata {
  std::filesystem::path library;
  std::optional<int> abi;              // SYNAPSE_ABI_VERSION of the plugin
  std::string sdk_version;             // "0.1.0"
  std::string compiler;                // "gcc_12_2", "clang_15_0"
  std::string stdlib;                  // "libstdcxx_cxx11abi_1", "libcxx", "other"
  std::string json_version;            // "3.11.2"
  std::string category;                // "upload", ...
  std::vector<std::string> actions;    // exported action aliases (section synactn)
  std::vector<std::string> uploaders;  // exported Uploader aliases (section synupld)
  std::vector<std::string> exporters;  // exported Exporter aliases (section synexpt)

  bool exports_action(const std::string& alias) const;
  bool exports_uploader(const std::string& alias) const;
  bool exports_exporter(const std::string& alias) const;
};

// What this host was built with; a plugin must agree with it.
const PluginMetadata& host_metadata();

// Reads and sanity-checks the library file. Throws RuntimeError (exit 3):
// loader.not_found, loader.not_elf, loader.truncated, loader.wrong_architecture,
// loader.no_metadata.
PluginMetadata read_plugin_metadata(const std::filesystem::path& library);

// Throws RuntimeError (exit 3) loader.category_mismatch when the library was built for another
// category than `config_file` declares.
void check_category(const PluginMetadata& plugin, const std::string& config_category,
                    const std::filesystem::path& config_file);

// Throws RuntimeError (exit 3) loader.missing_alias, listing the aliases the library exports,
// when `alias` is neither an action, an uploader nor an exporter alias.
void check_exports(const PluginMetadata& plugin, const std::string& alias);

// Throws RuntimeError (exit 3) loader.abi_mismatch, loader.compiler_mismatch,
// loader.json_mismatch, naming what was expected and what was found.
void check_compatible(const PluginMetadata& plugin);

}  // namespace synapse::runtime
