// Data-unit strategies (spec/upload.md §6.7, §11.5): turn successfully uploaded units into
// catalog data units.
//
//   single  every unit stands alone (used when batch size <= 1): a unit the catalog refuses
//           fails alone. Done as chunks of 1,000 units per call, a refused chunk retried unit
//           by unit, so the outcome is that of one call per unit without a transaction each.
//   batch   consecutive chunks of `creating_data_unit_batch_size` units per call, all or
//           nothing per chunk (Python's batch strategy).
//
// create_data_units is all-or-nothing, so when a call fails every unit of that call is
// reported failed, each carrying the catalog's message and its details (which name the bad
// item as "data_units[i]" within the call); the next chunk is still tried. Units whose upload
// failed (UploadedUnit::error) are skipped: the uploader has already reported them.
//
// Idempotent: a unit whose files were all already stored (none created by this run) is first
// looked up with Catalog::find_data_units_by_files; an existing unit with the same files and
// meta, which this run neither created nor already reused, is returned with created = false
// instead of creating a duplicate.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include <synapse/upload/strategies.hpp>

#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

using synapse::upload::CreatedDataUnit;
using synapse::upload::DataUnitCallbacks;
using synapse::upload::DataUnitCreation;
using synapse::upload::FailedDataUnit;
using synapse::upload::MetaForUnit;
using DataUnitCreator = synapse::upload::DataUnitStrategy;

// The spec's default for creating_data_unit_batch_size.
inline constexpr std::size_t kDefaultDataUnitBatchSize = 1;

// "single" or "batch" (batch_size must be >= 1); anything else throws std::invalid_argument.
std::unique_ptr<DataUnitCreator> make_data_unit_creator(
    const std::string& name, std::size_t batch_size = kDefaultDataUnitBatchSize);
// The spec's selection: "batch" when batch_size > 1, otherwise "single".
std::unique_ptr<DataUnitCreator> make_data_unit_creator_for(std::size_t batch_size);

}  // namespace synapse::runtime::upload
