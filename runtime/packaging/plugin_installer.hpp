// `synapse plugin install`: checks a plugin archive completely, then puts it in the plugin
// folder in one rename, so a refused archive leaves nothing behind and a crash never leaves a
// half-installed plugin.
//
// Order: scan the archive (shape, entry types, sizes; nothing written), parse SHA256SUMS and
// config.yaml, check that the listed and the present files agree; extract into
// `<plugin-dir>/.install-<code>-XXXXXX/<code>/` (same filesystem; one level down so `plugin
// list` never sees a half-extracted plugin); verify every checksum there, the top folder
// against config.yaml's code and version, and each action's library as `plugin validate` does;
// rename into `<plugin-dir>/<code>/` (with force, swap with the old one in one step, then
// delete it). The temporary folder is removed on every path out.
//
// Errors (RuntimeError): those of plugin_archive_reader.hpp; archive.bad_checksums,
// archive.unlisted_file, archive.missing_file, archive.checksum_mismatch,
// archive.invalid_config, archive.metadata_mismatch (exit 3); install.exists,
// install.bad_plugin_dir (exit 2); archive.io_failed (exit 4).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "packaging/archive_format.hpp"

namespace synapse::runtime::packaging {

struct InstallResult {
  std::string code;
  std::string version;
  std::filesystem::path dir;     // <plugin-dir>/<code>, absolute
  bool replaced = false;         // an earlier install was swapped out (force)
  std::string replaced_version;  // its version when its config.yaml was readable
  std::vector<FileSum> sums;     // the verified files
};

// Installs `archive` into `plugin_dir` (created if missing).
InstallResult install_plugin_archive(const std::filesystem::path& archive,
                                     const std::filesystem::path& plugin_dir, bool force);

}  // namespace synapse::runtime::packaging
