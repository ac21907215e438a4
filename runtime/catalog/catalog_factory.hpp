// How the host gets a Catalog for a data home (resolved by config/: RuntimeConfig::data_home).
// Catalog failures are CatalogError; the host maps them to RuntimeError ids/exit codes in
// action/error_mapping.hpp (to_runtime_error), e.g. CatalogError incompatible ->
// "catalog.schema_too_new", busy -> "catalog.busy" (transient).
#pragma once

#include <filesystem>
#include <memory>

#include <synapse/catalog.hpp>

namespace synapse::runtime {

struct CatalogOptions {
  // How long a writer waits for another process's write lock before CatalogError busy.
  int busy_timeout_ms = 10'000;
};

// Opens (creating the folder, database and content store when missing) the embedded SQLite
// catalog of a data home: <home>/catalog.sqlite3 and <home>/files/. Migrates an older schema;
// throws CatalogError incompatible for a catalog written by a newer synapse, unavailable when
// the folder or database cannot be opened, busy when another process holds the lock too long.
std::unique_ptr<Catalog> open_catalog(const std::filesystem::path& home,
                                      const CatalogOptions& options = {});

}  // namespace synapse::runtime
