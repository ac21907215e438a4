// Wording of valijson's error descriptions: each is recognised by its fixed text and said the
// way the rest of synapse says it ("must be at most 64", "must be integer, got string"). Where the
// subschema at the error's path is known, its own values are quoted (valijson's numbers went
// through std::to_string and its type/enum/pattern lines do not say what was expected); they are
// used only when they really are what the value breaks, since allOf/$ref may have put the
// failing keyword elsewhere.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "params/params_detail.hpp"

namespace synapse::runtime::params_detail {
namespace {

using nlohmann::json;

double number_after(std::string_view text, std::string_view prefix) {
  return std::strtod(std::string(text.substr(prefix.size())).c_str(), nullptr);
}

// Shortest form that reads back the same ("1", "5.5"), not std::to_string's "1.000000".
std::string format_number(double d) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, result.ptr);
}

// valijson's strict type test for a JSON Schema type name.
bool type_allowed(const json& v, const std::string& type) {
  return (type == "null" && v.is_null()) || (type == "boolean" && v.is_boolean()) ||
         (type == "integer" && v.is_number_integer()) || (type == "number" && v.is_number()) ||
         (type == "string" && v.is_string()) || (type == "array" && v.is_array()) ||
         (type == "object" && v.is_object());
}

std::string type_message(const json* node, const json* v) {
  const std::string got = v != nullptr ? type_name(*v) : "nothing";
  std::vector<std::string> types;
  if (node != nullptr && node->is_object() && node->contains("type")) {
    const json& t = (*node)["type"];
    for (const json& one : t.is_array() ? t : json::array({t})) {
      if (one.is_string()) {
        types.push_back(one.get<std::string>());
      }
    }
  }
  const bool derived = !types.empty() && v != nullptr &&
                       std::none_of(types.begin(), types.end(),
                                    [&](const std::string& t) { return type_allowed(*v, t); });
  if (!derived) {
    return "has a type the schema does not allow, got " + got;
  }
  std::string expected;
  for (const std::string& t : types) {
    expected += (expected.empty() ? "" : " or ") + t;
  }
  return "must be " + expected + ", got " + got;
}

// The bound as the schema author wrote it when the subschema found has one the value breaks;
// else valijson's number (which std::to_string rounded to 6 decimals).
std::string bound_text(const json* node, const std::array<const char*, 2>& keys, double fallback,
                       const json* v, bool (*breaks)(double value, double bound)) {
  if (node != nullptr && node->is_object() && v != nullptr && v->is_number()) {
    for (const char* key : keys) {
      if (key == nullptr) {
        break;
      }
      auto it = node->find(key);
      if (it != node->end() && it->is_number() && breaks(v->get<double>(), it->get<double>())) {
        return it->dump();
      }
    }
  }
  return format_number(fallback);
}

}  // namespace

std::string describe_schema_error(const std::string& d, const json* v, const json* node) {
  if (d == "Value type not permitted by 'type' constraint.") {
    return type_message(node, v);
  }
  if (d == "Failed to match against any enum values.") {
    const json* values = schema_keyword(node, "enum");
    if (values != nullptr && values->is_array() && v != nullptr &&
        std::find(values->begin(), values->end(), *v) == values->end()) {
      return quoted(*v) + " is not one of " +
             params_detail::quoted_list(values->get<std::vector<json>>());
    }
    return "is not one of the allowed values";
  }
  if (d == "Failed to match expected value set by 'const' constraint.") {
    const json* c = schema_keyword(node, "const");
    return c != nullptr && (v == nullptr || *c != *v) ? "must be " + quoted(*c)
                                                      : "does not equal the required value";
  }
  if (d == "Failed to match regex specified by 'pattern' constraint.") {
    const json* p = schema_keyword(node, "pattern");
    return p != nullptr && p->is_string() ? "does not match pattern '" + p->get<std::string>() + "'"
                                          : "does not match the required pattern";
  }
  struct Bound {
    std::string_view prefix;
    const char* wording;
    std::array<const char*, 2> keys;  // keywords that may hold the bound, nullptr-padded
    bool (*breaks)(double, double);
  };
  // Longer prefixes first: "greater than or equal to" also starts with "greater than".
  static const Bound bounds[] = {
      {"Expected number greater than or equal to ",
       "must be at least ",
       {"minimum", nullptr},
       [](double x, double b) { return x < b; }},
      {"Expected number greater than ",
       "must be greater than ",
       {"exclusiveMinimum", "minimum"},
       [](double x, double b) { return x <= b; }},
      {"Expected number less than or equal to ",
       "must be at most ",
       {"maximum", nullptr},
       [](double x, double b) { return x > b; }},
      {"Expected number less than ",
       "must be less than ",
       {"exclusiveMaximum", "maximum"},
       [](double x, double b) { return x >= b; }},
  };
  for (const Bound& b : bounds) {
    if (d.starts_with(b.prefix)) {
      return b.wording + bound_text(node, b.keys, number_after(d, b.prefix), v, b.breaks);
    }
  }
  struct Count {
    std::string_view prefix;
    const char* wording;
    const char* unit;
  };
  static const Count counts[] = {
      {"String should be no fewer than ", "must be at least ", " characters long"},
      {"String should be no more than ", "must be at most ", " characters long"},
      {"Array should contain no fewer than ", "must have at least ", " items"},
      {"Array should contain no more than ", "must have at most ", " items"},
      {"Object should have no fewer than ", "must have at least ", " properties"},
      {"Object should have no more than ", "must have at most ", " properties"},
  };
  for (const Count& c : counts) {
    if (d.starts_with(c.prefix)) {
      return c.wording + format_number(number_after(d, c.prefix)) + c.unit;
    }
  }
  if (d == "Array contains more items than allowed by items constraint.") {
    const json* items = schema_keyword(node, "items");
    return items != nullptr && items->is_array()
               ? "must have at most " + std::to_string(items->size()) + " items"
               : "has more items than the schema allows";
  }
  if (constexpr std::string_view p = "Value should be a multiple of "; d.starts_with(p)) {
    const json* m = schema_keyword(node, "multipleOf");
    return "must be a multiple of " +
           (m != nullptr && m->is_number() ? m->dump() : format_number(number_after(d, p)));
  }
  if (constexpr std::string_view p = "String should be a valid "; d.starts_with(p)) {
    return "must be a valid " + d.substr(p.size());
  }
  if (constexpr std::string_view p = "Elements at indexes #"; d.starts_with(p)) {
    const std::size_t second = d.find(" and #");
    const std::size_t stop = d.find(" violate");
    if (second != std::string::npos && stop != std::string::npos && stop > second + 6) {
      return "must not contain duplicates (items " + d.substr(p.size(), second - p.size()) +
             " and " + d.substr(second + 6, stop - second - 6) + " are equal)";
    }
    return "must not contain duplicates";
  }
  if (d == "Target should not validate against schema specified in 'not' constraint.") {
    return "must not match the schema given in 'not'";
  }
  if (d == "Failed to validate against any schemas allowed by anyOf constraint.") {
    return "does not match any of the schemas in 'anyOf'";
  }
  if (d == "Failed to validate against any child schemas allowed by oneOf constraint.") {
    return "does not match any of the schemas in 'oneOf'";
  }
  if (d == "Failed to validate against exactly one child schema.") {
    return "matches more than one of the schemas in 'oneOf'";
  }
  if (d == "Failed to any values against subschema in 'contains' constraint.") {
    return "must contain an item matching 'contains'";
  }
  return d;
}

}  // namespace synapse::runtime::params_detail
