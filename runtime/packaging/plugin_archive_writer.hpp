// `synapse plugin package`: packs a built plugin folder into `<code>-<version>.tar.gz` (format:
// archive_format.hpp) after the checks `plugin validate` runs, so a broken plugin is never
// shipped. The archive is written to a temporary file beside the target and renamed into
// place: a failure or a crash never leaves a half-written archive under the final name.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/plugin_config.hpp"
#include "loader/plugin_locator.hpp"
#include "packaging/archive_format.hpp"

namespace synapse::runtime::packaging {

struct PackageResult {
  std::filesystem::path archive;      // absolute path of the written archive
  std::string top_folder;             // `<code>-<version>`
  std::vector<FileSum> sums;          // every packed file but SHA256SUMS, in archive order
  std::vector<std::string> warnings;  // e.g. a readme the config names but that is missing
};

// Packs `plugin` (read with resolve_plugin) into `output_dir` (created if missing). Libraries
// are found with library_for(plugin, action, search_path), so a source folder packs the built
// copy of the same code@version. Throws RuntimeError: the loader's ids (exit 3) for a library
// that fails a check, archive.exists (exit 2) when the archive exists and !force,
// archive.source_changed / archive.io_failed / archive.write_failed (exit 4) otherwise.
PackageResult package_plugin(const PluginConfig& plugin, const PluginPath& search_path,
                             const std::filesystem::path& output_dir, bool force);

}  // namespace synapse::runtime::packaging
