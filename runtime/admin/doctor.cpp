#include "admin/doctor.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "action/error_mapping.hpp"
#include "catalog/catalog_factory.hpp"
#include "common/runtime_error.hpp"
#include "loader/plugin_locator.hpp"
#include "storage/storage_factory.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime {

namespace {

DoctorCheck check_data_home(const fs::path& home) {
  DoctorCheck check{"data home", false, home.string(), "", ExitCode::usage};
  std::error_code ec;
  fs::create_directories(home, ec);
  const auto probe = home / (".doctor-probe-" + std::to_string(::getpid()));
  {
    std::ofstream out(probe);
    out << "probe\n";
    check.ok = !ec && out.good();
  }
  fs::remove(probe, ec);
  if (check.ok) {
    check.detail += " is writable";
  } else {
    check.detail += " is not writable" + (ec ? ": " + ec.message() : std::string());
    check.fix = "choose a writable folder with --home, $SYNAPSE_HOME or data_home in runtime.yaml";
  }
  return check;
}

std::string storage_fix(synapse::StorageError::Kind kind) {
  using Kind = synapse::StorageError::Kind;
  switch (kind) {
    case Kind::auth_failed:
      return "check the credentials: access_key/secret_key (s3) or key_file and known_hosts "
             "(sftp); re-add it with `synapse storage add`";
    case Kind::invalid_config:
      return "correct the key the message names (e.g. a location, bucket_name or root_path that "
             "does not exist) and re-add the storage with `synapse storage add`";
    case Kind::unreachable:
      return "check endpoint_url/host and port, and that the server is running";
    case Kind::not_found:
      return "create the root folder or bucket, or fix location/bucket_name/root_path";
    case Kind::permission_denied:
      return "give the configured user read access to the storage root";
    default:
      return "see the message; re-add the storage with a corrected configuration";
  }
}

DoctorCheck check_storage(const synapse::StorageRecord& record) {
  DoctorCheck check{"storage '" + record.name + "' (" + record.provider + ")", false, "", "",
                    ExitCode::usage};
  try {
    auto storage = make_storage(record.provider, record.configuration);
    auto listing = storage->list("", false);
    listing->next();  // one round trip proves reachability and credentials
    check.ok = true;
    check.detail = "reachable, credentials accepted";
  } catch (const synapse::StorageError& e) {
    check.detail = std::string(kind_name(e.kind())) + ": " + e.what();
    check.fix = storage_fix(e.kind());
    check.severity = to_runtime_error(e).exit_code();
  } catch (const std::exception& e) {
    check.detail = e.what();
    check.fix = "see the message";
  }
  return check;
}

}  // namespace

std::vector<DoctorCheck> run_doctor(const RuntimeConfig& config) {
  std::vector<DoctorCheck> checks;
  checks.push_back(check_data_home(config.data_home));

  std::unique_ptr<synapse::Catalog> catalog;
  DoctorCheck catalog_check{"catalog", false, "", "", ExitCode::usage};
  try {
    catalog = open_catalog(config.data_home);
    catalog_check.ok = true;
    catalog_check.detail =
        "opened " + (config.data_home / "catalog.sqlite3").string() + ", schema current";
  } catch (const synapse::CatalogError& e) {
    catalog_check.detail = e.what();
    catalog_check.severity = to_runtime_error(e).exit_code();
    catalog_check.fix = e.kind() == synapse::CatalogError::Kind::incompatible
                            ? "this data home was written by a newer synapse: upgrade synapse "
                              "or use another --home"
                            : "check that the data home is writable and no other process holds "
                              "a lock on the catalog, then retry";
  } catch (const std::exception& e) {
    catalog_check.detail = e.what();
    catalog_check.fix = "see the message";
  }
  checks.push_back(catalog_check);

  if (config.plugin_path.empty()) {
    checks.push_back({"plugin path", false, "empty",
                      "set plugin_path in runtime.yaml, $SYNAPSE_PLUGIN_PATH or --plugin-path",
                      ExitCode::usage});
  }
  for (const auto& entry : config.plugin_path) {
    DoctorCheck check{"plugin path " + entry.string(), false, "", "", ExitCode::usage};
    std::error_code ec;
    if (!fs::exists(entry, ec) && !ec) {
      // The installed runtime.yaml lists the user's plugin folder, which `synapse plugin
      // install` creates on first use: a folder that is not there yet holds no plugins, it is
      // not a broken set-up.
      check.ok = true;
      check.detail =
          "does not exist yet (no plugins from here; `synapse plugin install` "
          "creates it)";
    } else if (!fs::is_directory(entry, ec) || ::access(entry.c_str(), R_OK | X_OK) != 0) {
      check.detail = "not a readable folder";
      check.fix = "create it, or fix plugin_path in runtime.yaml / $SYNAPSE_PLUGIN_PATH";
    } else {
      std::vector<std::string> problems;
      const auto plugins = discover_plugins({entry}, &problems);
      check.ok = problems.empty();
      check.detail = std::to_string(plugins.size()) + " plugin(s)";
      for (const auto& p : problems)
        check.detail += "\n" + p;
      if (!check.ok)
        check.fix = "fix the config.yaml files named above (`synapse plugin validate <dir>`)";
    }
    checks.push_back(check);
  }

  if (catalog) {
    try {
      synapse::PageRequest page;
      do {
        auto batch = catalog->list_storages(page);
        for (const auto& record : batch.items)
          checks.push_back(check_storage(record));
        page.cursor = batch.next_cursor;
      } while (!page.cursor.empty());
    } catch (const synapse::CatalogError& e) {
      checks.push_back({"storages", false, e.what(), "retry; see the catalog check",
                        to_runtime_error(e).exit_code()});
    }
  }
  return checks;
}

}  // namespace synapse::runtime
