// The catalog's SQL schema as an ordered list of migrations, tracked in PRAGMA user_version.
#pragma once

#include "catalog/sqlite_db.hpp"

namespace synapse::runtime::catalog {

// The schema version this build writes (the number of migrations).
int latest_schema_version();

// Reads PRAGMA user_version.
int schema_version(Db& db);

// Applies the missing migrations in one write transaction, so concurrent openers of a new
// catalog apply each migration exactly once. A database whose version is higher than
// latest_schema_version() was written by a newer synapse: refused with CatalogError
// incompatible, and left untouched.
void migrate(Db& db);
// The same up to `target_version` only (<= latest_schema_version()): how the tests build a
// catalog as an older synapse left it.
void migrate(Db& db, int target_version);

}  // namespace synapse::runtime::catalog
