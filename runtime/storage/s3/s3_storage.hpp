// The `s3` provider: libcurl, requests signed by our SigV4 signer (s3/sigv4.hpp) (keys:
// storage_factory.hpp).
#pragma once

#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime {

std::unique_ptr<synapse::Storage> make_s3_storage(const nlohmann::json& configuration);

}  // namespace synapse::runtime
