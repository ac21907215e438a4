// Reading the keys of an export's `filter` (shared by the target handlers): required record
// ids, optional strings, unknown keys; every problem a ParamError at "/filter/<key>".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "params/params_validator.hpp"

namespace synapse::runtime::exports {

class FilterReader {
 public:
  FilterReader(const nlohmann::json& filter, std::vector<ParamError>& errors)
      : filter_(filter), errors_(errors) {}

  // "/filter/<key>", the key escaped as a JSON pointer token.
  static std::string path(const std::string& key);
  void fail(const std::string& key, std::string message) const;

  // A positive integer id; `missing` is the message when the key is absent or null.
  std::optional<CatalogId> required_id(const std::string& key, const std::string& missing) const;
  // A non-blank string (an integer is taken as its decimal text); `missing` as above.
  std::optional<std::string> required_text(const std::string& key,
                                           const std::string& missing) const;
  // A non-blank string when present (null counts as absent).
  std::optional<std::string> optional_text(const std::string& key) const;
  // One error per key not in `known` (a filter key the handler ignored would silently export
  // more than asked for).
  void refuse_unknown(const std::vector<std::string>& known, const std::string& target) const;

  // Whether `get` finds the record: false on CatalogError not_found, other errors propagate.
  static bool exists(const std::function<void()>& get);

 private:
  const nlohmann::json& filter_;
  std::vector<ParamError>& errors_;
};

// The id a validated filter holds under `key` (0 when absent).
CatalogId filter_id(const nlohmann::json& filter, const std::string& key);
// The text a validated filter holds under `key` ("" when absent; integers as decimal text).
std::string filter_text(const nlohmann::json& filter, const std::string& key);

}  // namespace synapse::runtime::exports
