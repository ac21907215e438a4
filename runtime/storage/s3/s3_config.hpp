// The s3 provider's configuration, parsed and validated, and a factory taking it directly
// (tests use it to shrink internal knobs such as the listing page size).
#pragma once

#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

#include "storage/s3/s3_client.hpp"

namespace synapse::runtime::s3 {

// Throws StorageError invalid_config naming the key (storage_factory.hpp lists the keys).
S3Config parse_s3_config(const nlohmann::json& configuration);

std::unique_ptr<synapse::Storage> make_s3_storage(S3Config config);

}  // namespace synapse::runtime::s3
