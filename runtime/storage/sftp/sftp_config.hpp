// The sftp provider's configuration keys (storage_factory.hpp), checked once up front so a
// typo is reported as invalid_config before any network traffic.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace synapse::runtime::sftp {

struct SftpConfig {
  std::string host;
  std::uint16_t port = 22;
  std::string username;
  std::string key_file;     // private key (unencrypted), local path
  std::string known_hosts;  // OpenSSH known_hosts file the host key must be listed in
  std::string root_path;    // "" = the login folder
};

// Throws StorageError invalid_config naming the key for a missing required key, a value of the
// wrong type, or a key_file / known_hosts file that does not exist locally.
SftpConfig parse_sftp_config(const nlohmann::json& configuration);

// "sftp://user@host:port" — the prefix of every message, so an operator knows which storage
// failed. Contains no secret (the key file's contents never appear anywhere).
std::string describe(const SftpConfig& config);

}  // namespace synapse::runtime::sftp
