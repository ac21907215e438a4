#include "storage/sftp/sftp_config.hpp"

#include <charconv>
#include <filesystem>
#include <system_error>

#include <synapse/storage.hpp>

namespace synapse::runtime::sftp {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw StorageError(StorageError::Kind::invalid_config, "sftp storage: " + message);
}

std::string required_string(const nlohmann::json& configuration, const char* key) {
  auto it = configuration.find(key);
  if (it == configuration.end() || it->is_null()) {
    invalid(std::string("missing required key '") + key + "'");
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    invalid(std::string("key '") + key + "' must be a non-empty string");
  }
  return it->get<std::string>();
}

std::string optional_string(const nlohmann::json& configuration, const char* key) {
  auto it = configuration.find(key);
  if (it == configuration.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    invalid(std::string("key '") + key + "' must be a string");
  }
  return it->get<std::string>();
}

// A number or a numeric string: `storage add --config port=2222` hands every value over as a
// string, a catalog record written by the Python SDK stores a number.
std::uint16_t parse_port(const nlohmann::json& configuration) {
  auto it = configuration.find("port");
  if (it == configuration.end() || it->is_null()) {
    return 22;
  }
  long long value = -1;
  if (it->is_number_integer()) {
    value = it->get<long long>();
  } else if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      value = -1;
    }
  }
  if (value < 1 || value > 65535) {
    invalid("key 'port' must be an integer between 1 and 65535, got " + it->dump());
  }
  return static_cast<std::uint16_t>(value);
}

void require_file(const std::string& key, const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    invalid("key '" + key + "': file '" + path + "' does not exist or is not a regular file");
  }
}

}  // namespace

SftpConfig parse_sftp_config(const nlohmann::json& configuration) {
  if (!configuration.is_object()) {
    invalid("configuration must be an object");
  }
  SftpConfig config;
  config.host = required_string(configuration, "host");
  config.port = parse_port(configuration);
  config.username = required_string(configuration, "username");
  config.key_file = required_string(configuration, "key_file");
  config.known_hosts = required_string(configuration, "known_hosts");
  config.root_path = optional_string(configuration, "root_path");
  require_file("key_file", config.key_file);
  require_file("known_hosts", config.known_hosts);
  return config;
}

std::string describe(const SftpConfig& config) {
  return "sftp://" + config.username + "@" + config.host + ":" + std::to_string(config.port);
}

}  // namespace synapse::runtime::sftp
