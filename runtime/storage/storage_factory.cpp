#include "storage/storage_factory.hpp"

#include "storage/local_storage.hpp"
#include "storage/s3/s3_storage.hpp"
#include "storage/sftp/sftp_storage.hpp"

namespace synapse::runtime {

std::unique_ptr<synapse::Storage> make_storage(const std::string& provider,
                                               const nlohmann::json& configuration) {
  if (!configuration.is_object()) {
    throw StorageError(StorageError::Kind::invalid_config,
                       provider + " storage: configuration must be an object of key/values");
  }
  // Each provider validates its own keys (missing, mistyped) and names them in its errors.
  if (provider == "local") {
    return make_local_storage(configuration);
  }
  if (provider == "s3") {
    return make_s3_storage(configuration);
  }
  if (provider == "sftp") {
    return make_sftp_storage(configuration);
  }
  std::string known;
  for (const auto& name : storage_providers()) {
    known += (known.empty() ? "" : ", ") + name;
  }
  throw StorageError(StorageError::Kind::invalid_config,
                     "unknown storage provider '" + provider + "' (known: " + known + ")");
}

const std::vector<std::string>& storage_providers() {
  static const std::vector<std::string> providers{"local", "s3", "sftp"};
  return providers;
}

const std::vector<std::string>& secret_keys(const std::string& provider) {
  // sftp logs in with a key file; its path is not a secret, but a password or passphrase
  // would be, should a record carry one.
  static const std::vector<std::string> none;
  static const std::vector<std::string> s3{"secret_key"};
  static const std::vector<std::string> sftp{"password", "passphrase"};
  if (provider == "s3") {
    return s3;
  }
  if (provider == "sftp") {
    return sftp;
  }
  return none;
}

nlohmann::json redact_secrets(const std::string& provider, const nlohmann::json& configuration) {
  nlohmann::json redacted = configuration;
  if (!redacted.is_object()) {
    return redacted;
  }
  for (const auto& key : secret_keys(provider)) {
    const auto it = redacted.find(key);
    if (it != redacted.end() && !it->is_null()) {
      *it = "***";
    }
  }
  return redacted;
}

}  // namespace synapse::runtime
