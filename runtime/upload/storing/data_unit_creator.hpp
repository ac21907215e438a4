// Data-unit strategies (spec/upload.md §6.7, §11.5): turn successfully uploaded units into
// catalog data units.
//
//   single  one Catalog::create_data_units call per unit (used when batch size <= 1).
//   batch   consecutive chunks of `creating_data_unit_batch_size` units per call.
//
// create_data_units is all-or-nothing, so when a call fails every unit of that call is
// reported failed, each carrying the catalog's message and its details (which name the bad
// item as "data_units[i]" within the call); the next chunk is still tried. Units whose upload
// failed (UploadedUnit::error) are skipped: the uploader has already reported them.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

struct CreatedDataUnit {
  std::string key;
  synapse::DataUnit unit;
};

struct FailedDataUnit {
  std::string key;
  std::string error;                 // the catalog's message
  std::vector<std::string> details;  // CatalogError::details() of the failing call
};

struct DataUnitCreation {
  std::vector<CreatedDataUnit> created;  // in input order
  std::vector<FailedDataUnit> failed;    // in input order
};

// The meta of each unit's data unit; an empty function gives every unit {}.
using MetaForUnit = std::function<nlohmann::json(const UploadedUnit& unit)>;

struct DataUnitCallbacks {
  std::function<void(const CreatedDataUnit& created)> on_unit_created;
  // Once per failing create_data_units call (the DATA_UNIT_BATCH_FAILED log line).
  std::function<void(const std::vector<std::string>& keys, const std::string& error,
                     const std::vector<std::string>& details)>
      on_batch_failed;
};

class DataUnitCreator {
 public:
  virtual ~DataUnitCreator() = default;
  virtual std::string name() const = 0;
  // Exceptions from create_data_units (CatalogError or other std::exception) are reported as
  // failures, never thrown; exceptions from `meta_for` or the callbacks propagate.
  virtual DataUnitCreation create(synapse::Catalog& catalog, synapse::CatalogId collection_id,
                                  const std::vector<UploadedUnit>& units,
                                  const MetaForUnit& meta_for = {},
                                  const DataUnitCallbacks& callbacks = {}) = 0;
};

// The spec's default for creating_data_unit_batch_size.
inline constexpr std::size_t kDefaultDataUnitBatchSize = 1;

// "single" or "batch" (batch_size must be >= 1); anything else throws std::invalid_argument.
std::unique_ptr<DataUnitCreator> make_data_unit_creator(
    const std::string& name, std::size_t batch_size = kDefaultDataUnitBatchSize);
// The spec's selection: "batch" when batch_size > 1, otherwise "single".
std::unique_ptr<DataUnitCreator> make_data_unit_creator_for(std::size_t batch_size);

}  // namespace synapse::runtime::upload
