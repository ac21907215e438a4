// The `local` provider: a folder on this machine (configuration key `location`).
#pragma once

#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime {

std::unique_ptr<synapse::Storage> make_local_storage(const nlohmann::json& configuration);

}  // namespace synapse::runtime
