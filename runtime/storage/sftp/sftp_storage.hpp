// The `sftp` provider: libssh, public-key login, known_hosts checked (keys: storage_factory.hpp).
#pragma once

#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime {

std::unique_ptr<synapse::Storage> make_sftp_storage(const nlohmann::json& configuration);

}  // namespace synapse::runtime
