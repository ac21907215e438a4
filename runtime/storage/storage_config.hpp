// Typed reading of a storage configuration (header-only, shared by the providers' libraries).
// Values may arrive as JSON types (catalog records) or as strings (`--config key=value` on the
// command line), so booleans and integers are also accepted in their string spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>

namespace synapse::runtime::storage_config {

[[noreturn]] inline void fail(const std::string& provider, const std::string& key,
                              const std::string& problem) {
  throw StorageError(StorageError::Kind::invalid_config,
                     provider + " storage: configuration key '" + key + "' " + problem);
}

inline const nlohmann::json* find(const std::string& provider, const nlohmann::json& config,
                                  const std::string& key) {
  if (!config.is_object()) {
    throw StorageError(StorageError::Kind::invalid_config,
                       provider + " storage: configuration must be an object of key/values");
  }
  const auto it = config.find(key);
  if (it == config.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

inline std::optional<std::string> optional_string(const std::string& provider,
                                                  const nlohmann::json& config,
                                                  const std::string& key) {
  const auto* value = find(provider, config, key);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    fail(provider, key, "must be a string");
  }
  return value->get<std::string>();
}

inline std::string required_string(const std::string& provider, const nlohmann::json& config,
                                   const std::string& key) {
  auto value = optional_string(provider, config, key);
  if (!value || value->empty()) {
    fail(provider, key, "is required");
  }
  return *value;
}

inline bool boolean(const std::string& provider, const nlohmann::json& config,
                    const std::string& key, bool fallback) {
  const auto* value = find(provider, config, key);
  if (value == nullptr) {
    return fallback;
  }
  if (value->is_boolean()) {
    return value->get<bool>();
  }
  if (value->is_string()) {
    const auto text = value->get<std::string>();
    if (text == "true" || text == "1" || text == "yes") {
      return true;
    }
    if (text == "false" || text == "0" || text == "no") {
      return false;
    }
  }
  fail(provider, key, "must be a boolean (true or false)");
}

inline std::int64_t integer(const std::string& provider, const nlohmann::json& config,
                            const std::string& key, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) {
  const auto* value = find(provider, config, key);
  if (value == nullptr) {
    return fallback;
  }
  std::optional<std::int64_t> number;
  if (value->is_number_integer()) {
    number = value->get<std::int64_t>();
  } else if (value->is_string()) {
    const auto text = value->get<std::string>();
    std::size_t used = 0;
    try {
      number = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size()) {
      number.reset();
    }
  }
  if (!number) {
    fail(provider, key, "must be an integer");
  }
  if (*number < min || *number > max) {
    fail(provider, key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return *number;
}

}  // namespace synapse::runtime::storage_config
