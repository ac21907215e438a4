// validate_action_params: the order of the steps matters. Defaults go in first (both kinds), so
// that a default can satisfy `required` and the action receives the completed params; the
// FormKit check runs before params_schema so that params_schema sees extra_params as created.
#include "params/params_validator.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "config/plugin_config.hpp"
#include "params/params_detail.hpp"

namespace synapse::runtime {

namespace params_detail {

std::string type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "integer";
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

std::string quoted(const nlohmann::json& value) {
  // Messages stay one line: a long object or array default is cut.
  constexpr std::size_t kMaxShown = 60;
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > kMaxShown) {
    text = text.substr(0, kMaxShown) + "...";
  }
  return "'" + text + "'";
}

std::string quoted_list(const std::vector<nlohmann::json>& values) {
  std::string out;
  for (const nlohmann::json& v : values) {
    out += (out.empty() ? "" : ", ") + quoted(v);
  }
  return out;
}

std::string pointer_token(std::string_view key) {
  std::string out = "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

void sort_and_dedupe(std::vector<ParamError>& errors) {
  auto key = [](const ParamError& e) { return std::tie(e.path, e.message); };
  std::sort(errors.begin(), errors.end(),
            [&](const ParamError& a, const ParamError& b) { return key(a) < key(b); });
  errors.erase(
      std::unique(errors.begin(), errors.end(),
                  [&](const ParamError& a, const ParamError& b) { return key(a) == key(b); }),
      errors.end());
}

}  // namespace params_detail

std::string ParamError::render() const {
  return (path.empty() ? std::string("/") : path) + ": " + message;
}

ParamsCheck validate_action_params(const ActionConfig& action, nlohmann::json params) {
  ParamsCheck check;
  check.params = std::move(params);
  if (!check.params.is_object()) {
    check.errors.push_back(
        {"", "params must be a JSON object, got " + params_detail::type_name(check.params)});
    return check;
  }
  const bool has_schema = !action.params_schema.is_null();
  if (has_schema) {
    apply_schema_defaults(action.params_schema, check.params);
  }
  if (!action.ui_schema.is_null()) {
    // The web UI always sends extra_params; a CLI caller may leave it out or send null.
    auto extra = check.params.find("extra_params");
    if (extra == check.params.end() || extra->is_null()) {
      check.params["extra_params"] = nlohmann::json::object();
    }
    nlohmann::json& extra_params = check.params["extra_params"];
    if (extra_params.is_object()) {
      auto ui_errors =
          apply_and_validate_ui_schema(action.ui_schema, extra_params, "/extra_params");
      check.errors.insert(check.errors.end(), ui_errors.begin(), ui_errors.end());
    } else {
      check.errors.push_back({"/extra_params", "must be a JSON object, got " +
                                                   params_detail::type_name(extra_params)});
    }
  }
  if (has_schema) {
    auto schema_errors = validate_json_schema(action.params_schema, check.params);
    check.errors.insert(check.errors.end(), schema_errors.begin(), schema_errors.end());
  }
  params_detail::sort_and_dedupe(check.errors);
  return check;
}

}  // namespace synapse::runtime
