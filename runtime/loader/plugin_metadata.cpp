#include "loader/plugin_metadata.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include <string>
#include <vector>  // boost/dll/library_info.hpp 1.74 uses std::vector without including it

#include <boost/dll/library_info.hpp>
#include <synapse/detail/plugin_metadata.hpp>

#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "loader/elf_check.hpp"

#define SYNAPSE_IMPL_STR_(x) #x
#define SYNAPSE_IMPL_STR(x) SYNAPSE_IMPL_STR_(x)

namespace synapse::runtime {

namespace {

constexpr std::string_view meta_prefix = "synapse_meta_";

// "3_11_2" -> "3.11.2"
std::string dotted(std::string_view underscored) {
  std::string out(underscored);
  std::replace(out.begin(), out.end(), '_', '.');
  return out;
}

void apply_meta_symbol(PluginMetadata& meta, std::string_view symbol) {
  if (symbol.substr(0, meta_prefix.size()) != meta_prefix)
    return;
  symbol.remove_prefix(meta_prefix.size());
  const auto take = [&](std::string_view key, auto&& assign) {
    if (symbol.size() > key.size() && symbol.substr(0, key.size()) == key &&
        symbol[key.size()] == '_') {
      assign(symbol.substr(key.size() + 1));
      return true;
    }
    return false;
  };
  take("abi",
       [&](std::string_view v) {
         int abi = 0;
         auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), abi);
         if (ec == std::errc{} && end == v.data() + v.size())
           meta.abi = abi;
       }) ||
      take("sdk", [&](std::string_view v) { meta.sdk_version = dotted(v); }) ||
      take("cc", [&](std::string_view v) { meta.compiler = std::string(v); }) ||
      take("stdlib", [&](std::string_view v) { meta.stdlib = std::string(v); }) ||
      take("json", [&](std::string_view v) { meta.json_version = dotted(v); }) ||
      take("category", [&](std::string_view v) { meta.category = std::string(v); });
}

std::string compiler_family(const std::string& compiler) {
  return compiler.substr(0, compiler.find('_'));
}

std::string major_of(const std::string& version) {
  return version.substr(0, version.find('.'));
}

std::string describe_toolchain(const PluginMetadata& m) {
  return "compiler " + (m.compiler.empty() ? std::string("unknown") : m.compiler) +
         ", standard library " + (m.stdlib.empty() ? std::string("unknown") : m.stdlib);
}

[[noreturn]] void refuse(const char* id, const PluginMetadata& plugin, const std::string& what) {
  throw RuntimeError(ExitCode::load_failed, id, plugin.library.string() + ": " + what);
}

}  // namespace

bool PluginMetadata::exports_action(const std::string& alias) const {
  return std::find(actions.begin(), actions.end(), alias) != actions.end();
}

bool PluginMetadata::exports_uploader(const std::string& alias) const {
  return std::find(uploaders.begin(), uploaders.end(), alias) != uploaders.end();
}

bool PluginMetadata::exports_exporter(const std::string& alias) const {
  return std::find(exporters.begin(), exporters.end(), alias) != exporters.end();
}

const PluginMetadata& host_metadata() {
  static const PluginMetadata host = [] {
    PluginMetadata m;
    m.abi = SYNAPSE_ABI_VERSION;
    m.sdk_version = SYNAPSE_SDK_VERSION_STRING;
    m.compiler = SYNAPSE_IMPL_STR(SYNAPSE_DETAIL_CC);
    m.stdlib = SYNAPSE_IMPL_STR(SYNAPSE_DETAIL_STDLIB);
    m.json_version = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                     std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                     std::to_string(NLOHMANN_JSON_VERSION_PATCH);
    return m;
  }();
  return host;
}

PluginMetadata read_plugin_metadata(const std::filesystem::path& library) {
  std::error_code ec;
  if (!std::filesystem::exists(library, ec)) {
    throw RuntimeError(ExitCode::load_failed, "loader.not_found",
                       "plugin library not found: " + library.string());
  }
  if (!std::filesystem::is_regular_file(library, ec)) {
    throw RuntimeError(ExitCode::load_failed, "loader.not_elf",
                       library.string() + ": not a regular file");
  }
  impl::check_elf_shared_library(library);

  PluginMetadata meta;
  meta.library = library;
  std::vector<std::string> meta_symbols;
  try {
    boost::dll::library_info info(library, /*throw_if_not_native=*/true);
    const auto sections = info.sections();
    const auto has = [&](const char* name) {
      return std::find(sections.begin(), sections.end(), name) != sections.end();
    };
    if (has("synmeta"))
      meta_symbols = info.symbols("synmeta");
    if (has("synactn"))
      meta.actions = info.symbols("synactn");
    if (has("synupld"))
      meta.uploaders = info.symbols("synupld");
    if (has("synexpt"))
      meta.exporters = info.symbols("synexpt");
  } catch (const std::exception& e) {
    throw RuntimeError(ExitCode::load_failed, "loader.not_elf",
                       library.string() + ": cannot read the library's symbols: " + e.what());
  }
  for (const auto& symbol : meta_symbols)
    apply_meta_symbol(meta, symbol);
  std::sort(meta.actions.begin(), meta.actions.end());
  std::sort(meta.uploaders.begin(), meta.uploaders.end());
  std::sort(meta.exporters.begin(), meta.exporters.end());

  if (!meta.abi) {
    throw RuntimeError(ExitCode::load_failed, "loader.no_metadata",
                       library.string() +
                           ": no synapse plugin metadata (section 'synmeta'); build the plugin "
                           "with synapse_add_plugin() and SYNAPSE_PLUGIN(<category>), and do "
                           "not strip its symbol table (strip --strip-debug is fine)");
  }
  return meta;
}

void check_compatible(const PluginMetadata& plugin) {
  const auto& host = host_metadata();
  if (plugin.abi != host.abi) {
    refuse("loader.abi_mismatch", plugin,
           "plugin ABI version " + std::to_string(*plugin.abi) + " (SDK " + plugin.sdk_version +
               "), but this host expects ABI version " + std::to_string(*host.abi) + " (SDK " +
               host.sdk_version + "); rebuild the plugin against SDK " + host.sdk_version);
  }
  if (compiler_family(plugin.compiler) != compiler_family(host.compiler) ||
      plugin.stdlib != host.stdlib) {
    refuse("loader.compiler_mismatch", plugin,
           "built with " + describe_toolchain(plugin) + ", but this host expects " +
               describe_toolchain(host) + "; rebuild the plugin with the host's toolchain");
  }
  if (major_of(plugin.json_version) != major_of(host.json_version)) {
    refuse("loader.json_mismatch", plugin,
           "built with nlohmann-json " + plugin.json_version + ", but this host uses " +
               host.json_version + " (the JSON type crosses the plugin boundary)");
  }
}

void check_category(const PluginMetadata& plugin, const std::string& config_category,
                    const std::filesystem::path& config_file) {
  if (plugin.category != config_category) {
    refuse("loader.category_mismatch", plugin,
           "built as category '" + plugin.category + "', but " + config_file.string() + " says '" +
               config_category + "'");
  }
}

void check_exports(const PluginMetadata& plugin, const std::string& alias) {
  if (!plugin.exports_action(alias) && !plugin.exports_uploader(alias) &&
      !plugin.exports_exporter(alias)) {
    std::vector<std::string> exported = plugin.actions;
    for (const auto& uploader : plugin.uploaders)
      exported.push_back(uploader + " (uploader)");
    for (const auto& exporter : plugin.exporters)
      exported.push_back(exporter + " (exporter)");
    refuse("loader.missing_alias", plugin,
           "no action alias '" + alias + "' is exported (exported: " +
               (exported.empty() ? std::string("none") : join(exported)) + ")");
  }
}

}  // namespace synapse::runtime
