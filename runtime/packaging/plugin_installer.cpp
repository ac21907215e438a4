#include "packaging/plugin_installer.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>

#include "common/owner_lock.hpp"
#include "common/runtime_error.hpp"
#include "config/plugin_config.hpp"
#include "packaging/atomic_files.hpp"
#include "packaging/plugin_archive_reader.hpp"
#include "packaging/plugin_library_checks.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime::packaging {

namespace {

[[noreturn]] void refuse(const std::string& id, const std::string& message,
                         std::vector<std::string> details = {}) {
  throw RuntimeError(ExitCode::load_failed, id, message, std::move(details));
}

// Every file but SHA256SUMS listed in it, and every listed file present.
std::vector<FileSum> check_listing(const ArchiveListing& listing) {
  const auto sums_name = std::string(kSumsFile);
  const auto sums = parse_sums(listing.sums_text, listing.describe(sums_name));
  std::set<std::string> listed;
  for (const auto& s : sums) {
    if (s.name == sums_name) {
      refuse("archive.bad_checksums",
             listing.describe(sums_name) + " lists itself; it lists the other files only");
    }
    listed.insert(s.name);
  }
  const auto files = listing.files();
  for (const auto& name : files) {
    if (name != sums_name && listed.count(name) == 0) {
      refuse("archive.unlisted_file", listing.describe(name) + " is not listed in " + sums_name +
                                          "; every file of a plugin archive must have a checksum");
    }
  }
  for (const auto& s : sums) {
    if (std::find(files.begin(), files.end(), s.name) == files.end()) {
      refuse("archive.missing_file", listing.describe(s.name) + " is listed in " + sums_name +
                                         " but the archive does not hold it");
    }
  }
  return sums;
}

PluginConfig parse_archive_config(const ArchiveListing& listing) {
  try {
    return parse_plugin_config(listing.config_text, listing.describe(std::string(kConfigFile)));
  } catch (const RuntimeError& e) {
    auto details = e.details();
    if (details.empty())
      details.push_back(e.message());
    refuse("archive.invalid_config",
           listing.describe(std::string(kConfigFile)) + " is not a valid plugin config",
           std::move(details));
  }
}

void verify_sums(const ArchiveListing& listing, const std::vector<FileSum>& sums,
                 const fs::path& staged) {
  for (const auto& s : sums) {
    const auto actual = file_sha256(staged / s.name);
    if (actual != s.sha256) {
      refuse("archive.checksum_mismatch", listing.describe(s.name) + ": SHA-256 is " + actual +
                                              " but " + std::string(kSumsFile) + " expects " +
                                              s.sha256 + "; the file was changed after packaging");
    }
  }
}

// `text` with the staging folder's path shown as the archive's top folder.
std::string as_in_archive(std::string text, const fs::path& staged, const std::string& top) {
  const auto from = staged.string();
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), top);
    at += top.size();
  }
  return text;
}

// config.yaml agrees with the top folder and with each action's library.
PluginConfig verify_metadata(const ArchiveListing& listing, const fs::path& staged) {
  auto plugin = read_plugin_config(staged);
  plugin.file = fs::path(listing.top) / kConfigFile;
  const auto expected = archive_top_folder(plugin.code, plugin.version);
  if (listing.top != expected) {
    refuse("archive.metadata_mismatch", listing.archive.string() + ": top folder '" + listing.top +
                                            "' does not match " + plugin.file.string() +
                                            " (code '" + plugin.code + "', version '" +
                                            plugin.version + "'): expected '" + expected + "'");
  }
  const auto files = listing.files();
  for (const auto& action : plugin.actions) {
    if (!action.library.empty() &&
        std::find(files.begin(), files.end(), action.library) == files.end()) {
      refuse("archive.missing_file", listing.describe(action.library) + " is missing; " +
                                         plugin.file.string() + " names it for action '" +
                                         action.name + "'");
    }
  }
  try {
    // An empty search path: the archive's own libraries only, never an installed copy.
    check_plugin_libraries(plugin, {});
  } catch (const RuntimeError& e) {
    refuse("archive.metadata_mismatch",
           listing.archive.string() + ": " + as_in_archive(e.message(), staged, listing.top),
           {"the library check failed with " + e.id()});
  }
  return plugin;
}

std::string version_of(const fs::path& dir) {
  try {
    return read_plugin_config(dir).version;
  } catch (const RuntimeError&) {
    return {};
  }
}

[[noreturn]] void refuse_existing(const fs::path& target) {
  const auto version = version_of(target);
  throw RuntimeError(ExitCode::usage, "install.exists",
                     target.string() + " exists" +
                         (version.empty() ? "" : " (version " + version + ")") +
                         "; pass --force to replace it");
}

// The folders create_directories(dir) will create, deepest first.
std::vector<fs::path> missing_levels(const fs::path& dir) {
  std::vector<fs::path> levels;
  std::error_code ec;
  for (auto p = dir; !p.empty() && !fs::exists(fs::symlink_status(p, ec)); p = p.parent_path()) {
    levels.push_back(p);
    if (p == p.parent_path())
      break;
  }
  return levels;
}

void prepare_plugin_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw_io("create the plugin folder", dir, ec.value());
  if (!fs::is_directory(dir, ec)) {
    throw RuntimeError(
        ExitCode::usage, "install.bad_plugin_dir",
        dir.string() + " is not a folder; pass --plugin-dir with a folder of plugins");
  }
  // A plugin-path entry that is itself a plugin folder is not searched inside.
  if (fs::exists(dir / kConfigFile, ec)) {
    throw RuntimeError(ExitCode::usage, "install.bad_plugin_dir",
                       dir.string() +
                           " is a plugin folder itself (it holds config.yaml); pass "
                           "--plugin-dir with a folder of plugins");
  }
}

constexpr const char* kStagingPrefix = ".install-";

// An install's staging folder (`<plugin dir>/.install-<code>-XXXXXX`) is locked (flock) for the
// install's life, so a folder left by an install that was killed can be told from one in use:
// the kernel drops the lock with the process. A folder younger than a minute is always left
// alone: it may be between mkdtemp and its lock.
UniqueFd lock_staging(const fs::path& staging) {
  UniqueFd lock = try_lock_exclusive(staging, O_RDONLY | O_DIRECTORY);
  if (!lock)
    throw_io("lock", staging, errno);
  return lock;
}

void remove_abandoned_staging(const fs::path& dir) {
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::minutes(1);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    std::error_code entry_ec;
    if (name.rfind(kStagingPrefix, 0) != 0 || !it->is_directory(entry_ec) ||
        it->is_symlink(entry_ec) || fs::last_write_time(it->path(), entry_ec) > cutoff || entry_ec)
      continue;
    if (try_lock_exclusive(it->path(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW))
      remove_quietly(it->path());  // its install died; what it staged was never installed
  }
}

}  // namespace

InstallResult install_plugin_archive(const fs::path& archive, const fs::path& plugin_dir,
                                     bool force) {
  // Everything that needs no extraction first: a bad archive never touches the plugin folder.
  const auto listing = scan_plugin_archive(archive);
  const auto sums = check_listing(listing);
  const auto declared = parse_archive_config(listing);

  std::error_code ec;
  const auto dir = fs::absolute(plugin_dir, ec).lexically_normal();
  // A refused archive leaves no trace, not even the plugin folder this call created (removed
  // only while still empty, so nothing another process put there is lost).
  bool done = false;
  struct CreatedFolders {
    std::vector<fs::path> levels;
    const bool& done;
    ~CreatedFolders() {
      std::error_code ignored;
      for (const auto& level : levels) {
        if (!done)
          fs::remove(level, ignored);
      }
    }
  } created{missing_levels(dir), done};
  prepare_plugin_dir(dir);
  InstallResult result;
  result.dir = dir / declared.code;
  if (!force && fs::exists(fs::symlink_status(result.dir, ec)))
    refuse_existing(result.dir);

  remove_abandoned_staging(dir);
  const auto temp = make_temp_dir(dir, kStagingPrefix + declared.code + "-");
  struct Cleanup {
    const fs::path& temp;
    UniqueFd lock;  // released after the folder is gone (members outlive the body)
    ~Cleanup() { remove_quietly(temp); }
  } cleanup{temp, UniqueFd()};
  cleanup.lock = lock_staging(temp);
  const auto staged = temp / declared.code;
  if (::mkdir(staged.c_str(), 0755) != 0)
    throw_io("create", staged, errno);

  extract_plugin_archive(listing, staged);
  verify_sums(listing, sums, staged);
  const auto plugin = verify_metadata(listing, staged);
  if (plugin.code != declared.code)
    refuse("archive.changed", archive.string() + " changed while it was being installed");
  result.code = plugin.code;
  result.version = plugin.version;
  result.sums = sums;

  if (!rename_no_replace(staged, result.dir)) {
    if (!force)
      refuse_existing(result.dir);
    result.replaced_version = version_of(result.dir);
    replace_atomically(staged, result.dir, temp / "previous");
    result.replaced = true;
  }
  done = true;
  fsync_path(dir);
  return result;  // Cleanup deletes the temporary folder and, after a swap, the old plugin
}

}  // namespace synapse::runtime::packaging
