// Creating a Storage from its provider name and configuration (a storage record of the
// catalog, or `synapse storage add --provider ... --config key=value`).
//
// Configuration keys, per provider (names follow the Python SDK's storage records):
//   local: location (folder, required)
//   s3:    endpoint_url, bucket_name (required), region_name (default us-east-1), access_key,
//          secret_key (required), path_style (default true), prefix (optional key prefix),
//          multipart_threshold_mb (default 16)
//   sftp:  host (required), port (default 22), username (required), key_file (required),
//          known_hosts (required), root_path (default the login folder)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime {

// Throws synapse::StorageError invalid_config naming the provider and the key, for an unknown
// provider, a missing key or a value of the wrong type.
std::unique_ptr<synapse::Storage> make_storage(const std::string& provider,
                                               const nlohmann::json& configuration);

const std::vector<std::string>& storage_providers();

// The configuration keys of `provider` whose values are secrets (never printed or logged).
const std::vector<std::string>& secret_keys(const std::string& provider);

// A copy of `configuration` with every secret value replaced by "***".
nlohmann::json redact_secrets(const std::string& provider, const nlohmann::json& configuration);

}  // namespace synapse::runtime
