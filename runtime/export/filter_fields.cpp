#include "export/filter_fields.hpp"

#include <algorithm>
#include <cctype>

#include "common/text.hpp"

namespace synapse::runtime::exports {

namespace {

std::string type_name(const nlohmann::json& v) {
  return v.is_number_integer() ? "integer" : v.type_name();
}

bool is_blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

std::string FilterReader::path(const std::string& key) {
  std::string out = "/filter/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

void FilterReader::fail(const std::string& key, std::string message) const {
  errors_.push_back({path(key), std::move(message)});
}

std::optional<CatalogId> FilterReader::required_id(const std::string& key,
                                                   const std::string& missing) const {
  const auto it = filter_.find(key);
  if (it == filter_.end() || it->is_null()) {
    fail(key, missing);
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    fail(key, "must be an integer id, got " + type_name(*it));
    return std::nullopt;
  }
  if (it->is_number_unsigned() ? it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
                               : it->get<std::int64_t>() < 1) {
    fail(key, "must be a positive integer id, got " + it->dump());
    return std::nullopt;
  }
  return it->get<CatalogId>();
}

std::optional<std::string> FilterReader::required_text(const std::string& key,
                                                       const std::string& missing) const {
  const auto it = filter_.find(key);
  if (it == filter_.end() || it->is_null()) {
    fail(key, missing);
    return std::nullopt;
  }
  if (it->is_number_integer())
    return it->dump();
  if (!it->is_string()) {
    fail(key, "must be a string, got " + type_name(*it));
    return std::nullopt;
  }
  auto text = it->get<std::string>();
  if (is_blank(text)) {
    fail(key, "must not be blank");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> FilterReader::optional_text(const std::string& key) const {
  const auto it = filter_.find(key);
  if (it == filter_.end() || it->is_null())
    return std::nullopt;
  if (!it->is_string()) {
    fail(key, "must be a string, got " + type_name(*it));
    return std::nullopt;
  }
  auto text = it->get<std::string>();
  if (is_blank(text)) {
    fail(key, "must not be blank");
    return std::nullopt;
  }
  return text;
}

void FilterReader::refuse_unknown(const std::vector<std::string>& known,
                                  const std::string& target) const {
  for (const auto& [key, value] : filter_.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      fail(key, "is not a filter of target '" + target + "' (supported: " + join(known) + ")");
  }
}

bool FilterReader::exists(const std::function<void()>& get) {
  try {
    get();
    return true;
  } catch (const CatalogError& e) {
    if (e.kind() != CatalogError::Kind::not_found)
      throw;
    return false;
  }
}

CatalogId filter_id(const nlohmann::json& filter, const std::string& key) {
  const auto it = filter.find(key);
  return it != filter.end() && it->is_number_integer() ? it->get<CatalogId>() : 0;
}

std::string filter_text(const nlohmann::json& filter, const std::string& key) {
  const auto it = filter.find(key);
  if (it == filter.end())
    return "";
  if (it->is_number_integer())
    return it->dump();
  return it->is_string() ? it->get<std::string>() : "";
}

}  // namespace synapse::runtime::exports
