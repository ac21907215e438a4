#include "config/yaml_to_json.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace synapse::runtime::impl {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool all_of(std::string_view text, int (*pred)(int)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [pred](char c) {
    return pred(static_cast<unsigned char>(c)) != 0;
  });
}

int is_octal(int c) {
  return c >= '0' && c <= '7' ? 1 : 0;
}

bool is_null(std::string_view t) {
  return t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL";
}

std::optional<bool> as_bool(std::string_view t) {
  if (t == "true" || t == "True" || t == "TRUE")
    return true;
  if (t == "false" || t == "False" || t == "FALSE")
    return false;
  return std::nullopt;
}

std::optional<double> as_double(std::string_view t);

// Decimal [-+]?[0-9]+, 0o[0-7]+ or 0x[0-9a-fA-F]+ (YAML 1.2 core). Decimal values that do not
// fit int64 become a double rather than silently wrapping.
std::optional<nlohmann::json> as_integer(std::string_view t) {
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'x')) {
    const bool hex = t[1] == 'x';
    std::string_view digits = t.substr(2);
    if (!all_of(digits, hex ? isxdigit : is_octal))
      return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 8);
    if (ec != std::errc{} || end != digits.data() + digits.size())
      return std::nullopt;
    if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return nlohmann::json(static_cast<std::int64_t>(value));
    }
    return nlohmann::json(value);
  }
  std::string_view digits = t;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+'))
    digits.remove_prefix(1);
  if (!all_of(digits, isdigit))
    return std::nullopt;
  std::string_view number = t[0] == '+' ? t.substr(1) : t;  // from_chars rejects a leading '+'
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc{} && end == number.data() + number.size())
    return nlohmann::json(value);
  if (auto d = as_double(t))
    return nlohmann::json(*d);
  return std::nullopt;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, [-+]?.inf (any of 3 spellings), .nan.
std::optional<double> as_double(std::string_view t) {
  std::string_view body = t;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    const double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  if (t == ".nan" || t == ".NaN" || t == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();

  std::size_t i = 0;
  std::size_t int_digits = 0;
  std::size_t frac_digits = 0;
  while (i < body.size() && isdigit(static_cast<unsigned char>(body[i])))
    ++i, ++int_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && isdigit(static_cast<unsigned char>(body[i])))
      ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0)
    return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+'))
      ++i;
    std::size_t exp_digits = 0;
    while (i < body.size() && isdigit(static_cast<unsigned char>(body[i])))
      ++i, ++exp_digits;
    if (exp_digits == 0)
      return std::nullopt;
  }
  if (i != body.size())
    return std::nullopt;
  // from_chars (unlike strtod) ignores the locale.
  double value = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = std::numeric_limits<double>::infinity();
  } else if (ec != std::errc{} || end != body.data() + body.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

nlohmann::json tagged_scalar_to_json(const std::string& text, std::string_view type) {
  if (type == "str")
    return text;
  if (type == "null" && is_null(text))
    return nullptr;
  if (type == "bool") {
    if (auto b = as_bool(text))
      return *b;
  }
  if (type == "int") {
    if (auto i = as_integer(text))
      return *i;
  }
  if (type == "float") {
    if (auto d = as_double(text))
      return *d;
    if (auto i = as_integer(text))
      return static_cast<double>(i->get<double>());
  }
  // A tag the text does not fit, or a custom tag: fall back to the plain reading.
  return plain_scalar_to_json(text);
}

}  // namespace

nlohmann::json plain_scalar_to_json(const std::string& text) {
  if (is_null(text))
    return nullptr;
  if (auto b = as_bool(text))
    return *b;
  if (auto i = as_integer(text))
    return *i;
  if (auto d = as_double(text))
    return *d;
  return text;
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!")
        return node.Scalar();  // quoted: always a string
      if (tag.empty() || tag == "?")
        return plain_scalar_to_json(node.Scalar());
      std::string_view type = tag;
      if (type.starts_with(kTagPrefix)) {
        type.remove_prefix(kTagPrefix.size());
        return tagged_scalar_to_json(node.Scalar(), type);
      }
      return plain_scalar_to_json(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node)
        array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;  // by value: the iterator hands out a temporary proxy
        // JSON keys are strings; a complex key is written back as YAML flow text.
        std::string name = key.IsScalar() ? key.Scalar() : YAML::Dump(key);
        object[name] = yaml_to_json(it->second);
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace synapse::runtime::impl
