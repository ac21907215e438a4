// Catalog records as the JSON that `--json` output and `jobs show` print.
#pragma once

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

namespace synapse::runtime::cli {

nlohmann::json to_json(const synapse::Job& job);
nlohmann::json to_json(const synapse::JobEvent& event);
// Secrets in the configuration are replaced by "***".
nlohmann::json to_json(const synapse::StorageRecord& storage);
nlohmann::json to_json(const synapse::DataCollection& collection);
nlohmann::json to_json(const synapse::DataUnit& unit);
nlohmann::json to_json(const synapse::Project& project);

}  // namespace synapse::runtime::cli
