// params_schema checking with valijson, and the translation of its errors into one line per real
// problem: valijson reports a failing value together with an aggregate line on every ancestor
// ("Failed to validate against schema associated with property name 'x'") and puts "missing
// required property" on the parent. Here each error gets the JSON pointer of what it is about,
// aggregates are dropped when something more specific was said, and the wording is done by
// json_schema_messages.cpp.
#include <algorithm>
#include <charconv>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "params/params_detail.hpp"
#include "params/params_validator.hpp"

// Without exceptions valijson calls abort() on an invalid schema; the CMake target `valijson`
// defines VALIJSON_USE_EXCEPTIONS=1.
#if !VALIJSON_USE_EXCEPTIONS
#error "synapse_params needs valijson with VALIJSON_USE_EXCEPTIONS=1 (link the valijson target)"
#endif

namespace synapse::runtime {
namespace {

using nlohmann::json;
using params_detail::PathStep;
using params_detail::pointer_token;
using params_detail::type_name;

// Where an error points: the JSON pointer, the steps (for schema lookup) and the value there.
struct Located {
  std::string path;
  std::vector<PathStep> steps;
  const json* instance = nullptr;  // nullptr when the path leads to no value
};

// valijson names an object member and an array element alike ("[name]", "[0]"); the instance
// tells which one it is.
Located child(const Located& parent, const std::string& key) {
  Located out = parent;
  PathStep step{key};
  const json* cur = parent.instance;
  std::size_t index = 0;
  const char* end = key.data() + key.size();
  const bool numeric = !key.empty() && std::from_chars(key.data(), end, index).ptr == end;
  out.instance = nullptr;
  if (cur != nullptr && cur->is_array() && numeric) {
    step.is_index = true;
    step.index = index;
    out.instance = index < cur->size() ? &(*cur)[index] : nullptr;
  } else if (cur != nullptr && cur->is_object()) {
    auto it = cur->find(key);
    out.instance = it != cur->end() ? &*it : nullptr;
  }
  out.path += pointer_token(key);
  out.steps.push_back(std::move(step));
  return out;
}

Located locate(const json& value, const std::vector<std::string>& context) {
  Located loc{"", {}, &value};
  for (std::size_t i = 0; i < context.size(); ++i) {
    std::string token = context[i];
    if (i == 0 && token == "<root>") {
      continue;
    }
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    loc = child(loc, token);
  }
  return loc;
}

std::optional<std::string> quoted_after(std::string_view text, std::string_view prefix) {
  const std::size_t close = text.rfind('\'');
  if (!text.starts_with(prefix) || close == std::string_view::npos || close < prefix.size()) {
    return std::nullopt;
  }
  return std::string(text.substr(prefix.size(), close - prefix.size()));
}

// For an aggregate line ("this failed because something inside failed"): the location it is
// about. nullopt when `d` reports a problem of its own.
std::optional<Located> aggregate_subject(const std::string& d, const Located& loc) {
  if (auto name = quoted_after(d,
                               "Failed to validate against schema associated with property "
                               "name '")) {
    return child(loc, *name);
  }
  if (constexpr std::string_view p = "Failed to validate item #"; d.starts_with(p)) {
    // "... against corresponding item schema." is already reported on the item itself.
    if (d.ends_with("corresponding item schema.")) {
      return loc;
    }
    const std::size_t stop = d.find(' ', p.size());
    return child(loc, d.substr(p.size(), stop - p.size()));
  }
  static constexpr std::string_view same_place[] = {
      "Failed to validate against additional properties schema",
      "Failed to validate against child schema #",
      "Failed to validate against a conditional schema",
      "Failed to validate against dependent schema",
      "Failed to validate against schema associated with pattern '",
      // Emitted after any failing tuple item, also when the array is not too long (quirk).
      "Cannot validate item #",
  };
  for (std::string_view prefix : same_place) {
    if (d.starts_with(prefix)) {
      return loc;
    }
  }
  return std::nullopt;
}

// valijson names only the first property that additionalProperties: false rejects; report all.
void add_unwanted_properties(const json& schema, const Located& loc, std::vector<ParamError>& out) {
  const json* node = params_detail::schema_at(schema, loc.steps);
  const json* extra = params_detail::schema_keyword(node, "additionalProperties");
  if (extra == nullptr || *extra != json(false) || loc.instance == nullptr ||
      !loc.instance->is_object()) {
    return;
  }
  const json* props = params_detail::schema_keyword(node, "properties");
  const json* patterns = params_detail::schema_keyword(node, "patternProperties");
  std::vector<ParamError> found;
  try {
    for (const auto& [key, unused] : loc.instance->items()) {
      bool known = props != nullptr && props->is_object() && props->contains(key);
      if (patterns != nullptr && patterns->is_object()) {
        for (const auto& [pattern, sub] : patterns->items()) {
          known = known || std::regex_search(key, std::regex(pattern));
        }
      }
      if (!known) {
        found.push_back({loc.path + pointer_token(key), "is not allowed"});
      }
    }
  } catch (const std::regex_error&) {
    return;  // keep just valijson's one
  }
  out.insert(out.end(), found.begin(), found.end());
}

valijson::SchemaParser::Version draft_of(const json& schema) {
  const json* declared = params_detail::schema_keyword(&schema, "$schema");
  const std::string uri =
      declared != nullptr && declared->is_string() ? declared->get<std::string>() : "";
  if (uri.find("draft-04") != std::string::npos) {
    return valijson::SchemaParser::kDraft4;
  }
  if (uri.find("draft-03") != std::string::npos) {
    return valijson::SchemaParser::kDraft3;
  }
  return valijson::SchemaParser::kDraft7;
}

std::vector<ParamError> convert(const json& schema, const json& value,
                                const valijson::ValidationResults& results) {
  std::vector<ParamError> specific;
  std::vector<Located> aggregates;
  for (const auto& error : results) {
    const Located loc = locate(value, error.context);
    const std::string& d = error.description;
    if (auto name = quoted_after(d, "Missing required property '")) {
      specific.push_back({child(loc, *name).path, "is required"});
    } else if (auto extra = quoted_after(d,
                                         "Object contains a property that could not be "
                                         "validated using 'properties' or "
                                         "'additionalProperties' constraints: '")) {
      specific.push_back({child(loc, *extra).path, "is not allowed"});
      add_unwanted_properties(schema, loc, specific);
    } else if (auto dependency = quoted_after(d, "Missing dependency '")) {
      specific.push_back({child(loc, *dependency).path, "is required by a 'dependencies' rule"});
    } else if (auto subject = aggregate_subject(d, loc)) {
      aggregates.push_back(std::move(*subject));
    } else {
      specific.push_back(
          {loc.path, params_detail::describe_schema_error(
                         d, loc.instance, params_detail::schema_at(schema, loc.steps))});
    }
  }
  // An aggregate stays only when nothing more specific was said at or below what it is about
  // (e.g. a property whose schema is `false`: valijson reports nothing else for it).
  std::vector<ParamError> out = specific;
  for (const Located& subject : aggregates) {
    const bool covered = std::any_of(specific.begin(), specific.end(), [&](const ParamError& e) {
      return subject.path.empty() || e.path == subject.path ||
             e.path.starts_with(subject.path + "/");
    });
    if (!covered) {
      const json* node = params_detail::schema_at(schema, subject.steps);
      out.push_back({subject.path, node != nullptr && *node == json(false)
                                       ? "is not allowed"
                                       : "does not match its schema"});
    }
  }
  return out;
}

}  // namespace

struct CompiledJsonSchema::Impl {
  json schema;  // as given: error descriptions look nodes up in it
  valijson::Schema compiled;
  std::optional<ParamError> problem;  // the schema itself is invalid
};

CompiledJsonSchema::CompiledJsonSchema(const nlohmann::json& schema) {
  auto impl = std::make_shared<Impl>();
  impl_ = impl;  // filled below through `impl`, read-only afterwards
  const std::string invalid = "params_schema is not a valid JSON Schema: ";
  impl->schema = schema;
  if (!schema.is_object() && !schema.is_boolean()) {
    impl->problem =
        ParamError{"", invalid + "expected an object or a boolean, got " + type_name(schema)};
    return;
  }
  if (auto problem = params_detail::find_schema_problem(schema)) {
    impl->problem = ParamError{"", invalid + *problem};
    return;
  }
  const auto version = draft_of(schema);
  json prepared = schema;
  params_detail::restrict_formats_to_strings(prepared, version == valijson::SchemaParser::kDraft7);
  try {
    valijson::SchemaParser parser(version);
    valijson::adapters::NlohmannJsonAdapter adapter(prepared);
    parser.populateSchema(adapter, impl->compiled);
  } catch (const std::exception& e) {
    impl->problem = ParamError{"", invalid + e.what()};
  }
}

std::vector<ParamError> CompiledJsonSchema::validate(const nlohmann::json& value) const {
  if (impl_->problem)
    return {*impl_->problem};
  valijson::ValidationResults results;
  bool ok = false;
  try {
    valijson::Validator validator;  // strict types: "1" is not a number, 1.0 not an integer
    valijson::adapters::NlohmannJsonAdapter target(value);
    ok = validator.validate(impl_->compiled, target, &results);
  } catch (const std::exception& e) {
    // e.g. a `pattern` std::regex gives up on (error_complexity / error_stack).
    return {{"", std::string("could not be checked against params_schema: ") + e.what()}};
  }
  if (ok)
    return {};
  std::vector<ParamError> errors = convert(impl_->schema, value, results);
  if (errors.empty()) {
    // valijson fails `propertyNames` without saying why.
    errors.push_back({"", "does not match params_schema"});
  }
  params_detail::sort_and_dedupe(errors);
  return errors;
}

std::vector<ParamError> validate_json_schema(const nlohmann::json& schema,
                                             const nlohmann::json& value) {
  return CompiledJsonSchema(schema).validate(value);
}

}  // namespace synapse::runtime
