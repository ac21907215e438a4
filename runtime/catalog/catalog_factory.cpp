// The host's entry points to the catalog: opening a data home.
#include "catalog/catalog_factory.hpp"

#include "catalog/sqlite_catalog.hpp"

namespace synapse::runtime {

std::unique_ptr<Catalog> open_catalog(const std::filesystem::path& home,
                                      const CatalogOptions& options) {
  return std::make_unique<catalog::SqliteCatalog>(home, options.busy_timeout_ms);
}

}  // namespace synapse::runtime
