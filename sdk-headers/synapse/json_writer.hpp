// JSON text from a json tree, faster than nlohmann's dump() and byte for byte the same.
//
// Exporters write a JSON document per item; with nlohmann's serializer that is a quarter of an
// export's CPU (number formatting with Grisu2 for every double, a virtual call per character).
// append_json() writes integral doubles (pixel coordinates, areas) and plain strings directly
// and leaves the rare cases to nlohmann, so its output is whatever dump() writes:
//
//   std::string text;
//   synapse::append_json(text, fragment);     // == fragment.dump()
//   synapse::append_json(text, item, 4);      // == item.dump(4)
//   std::string one = synapse::json_text(item, 4);  // a new string, == item.dump(4)
//
// Like dump(), it throws nlohmann::json::type_error (316) for a string that is not UTF-8.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <synapse/detail/utf8.hpp>

namespace synapse {

namespace detail {

// Thrown inside the writer for a value only nlohmann knows how to write (binary, discarded);
// append_json() then writes the whole value with dump().
struct JsonWriterFallback {};

// Appends `text` quoted and escaped as nlohmann's dump() does (\" \\ \b \f \n \r \t, other
// control characters as \u00xx, everything else as is, in runs between escapes); false, with
// nothing appended, when `text` is not well-formed UTF-8.
inline bool append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out.reserve(start + text.size() + 2);
  out += '"';
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* run = p;  // first byte not appended yet; [run, p) goes in as is
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(p, end);
      if (length == 0) {
        out.resize(start);
        return false;
      }
      p += length;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    out.append(run, static_cast<std::size_t>(p - run));
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
    }
    run = ++p;
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out += '"';
  return true;
}

template <typename BasicJson>
void append_json_string(std::string& out, const std::string& text) {
  if (!append_json_escaped(out, text))
    out += BasicJson(text).dump();  // broken UTF-8: nlohmann's own error
}

// A double as nlohmann writes it: integral values below 10^15 as "<digits>.0" (what Grisu2
// plus nlohmann's formatting give for them, checked over that range by the tests), anything
// else through nlohmann's own formatter.
inline void append_json_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  if (std::fabs(value) < 1e15 && value == std::trunc(value)) {
    char buffer[24];
    char* p = buffer;
    if (std::signbit(value))
      *p++ = '-';  // also "-0.0"
    p = std::to_chars(p, buffer + sizeof buffer, static_cast<std::int64_t>(std::fabs(value))).ptr;
    out.append(buffer, static_cast<std::size_t>(p - buffer));
    out += ".0";
    return;
  }
  // nlohmann's own formatter (what dump() calls; not public API): the bytes stay dump()'s. Its
  // version is the one the host checks plugins against (synapse_meta_json_*).
  char buffer[64];  // the size nlohmann's serializer uses
  const char* const end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

template <typename Integer>
void append_json_integer(std::string& out, Integer value) {
  char buffer[24];
  const char* const end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

template <typename BasicJson>
void append_json_value(std::string& out, const BasicJson& value, int indent, int depth) {
  using Type = typename BasicJson::value_t;
  const bool pretty = indent >= 0;
  const auto newline = [&](int level) {
    // One append for the line break and the indentation (most documents nest a few levels).
    static constexpr char kBreak[] =
        "\n                                                               ";
    const std::size_t spaces = static_cast<std::size_t>(level) * static_cast<std::size_t>(indent);
    if (spaces < sizeof kBreak - 1) {
      out.append(kBreak, spaces + 1);
    } else {
      out += '\n';
      out.append(spaces, ' ');
    }
  };
  switch (value.type()) {
    case Type::object: {
      if (value.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first)
          out += ',';
        first = false;
        if (pretty)
          newline(depth + 1);
        append_json_string<BasicJson>(out, it.key());
        out.append(": ", pretty ? 2 : 1);
        append_json_value(out, it.value(), indent, depth + 1);
      }
      if (pretty)
        newline(depth);
      out += '}';
      return;
    }
    case Type::array: {
      if (value.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first)
          out += ',';
        first = false;
        if (pretty)
          newline(depth + 1);
        append_json_value(out, element, indent, depth + 1);
      }
      if (pretty)
        newline(depth);
      out += ']';
      return;
    }
    case Type::string:
      append_json_string<BasicJson>(out, value.template get_ref<const std::string&>());
      return;
    case Type::boolean:
      out += value.template get<bool>() ? "true" : "false";
      return;
    case Type::number_integer:
      append_json_integer(out, value.template get<std::int64_t>());
      return;
    case Type::number_unsigned:
      append_json_integer(out, value.template get<std::uint64_t>());
      return;
    case Type::number_float:
      append_json_double(out, value.template get<double>());
      return;
    case Type::null:
      out += "null";
      return;
    case Type::binary:
    case Type::discarded:
    default:
      throw JsonWriterFallback{};
  }
}

}  // namespace detail

// Appends `value` as value.dump(indent) writes it (indent < 0: compact, no spaces; otherwise
// newlines and `indent` spaces per level, ": " after keys). Works for nlohmann::json and
// nlohmann::ordered_json (keys in the tree's order, as dump()).
template <typename BasicJson>
void append_json(std::string& out, const BasicJson& value, int indent = -1) {
  const std::size_t start = out.size();
  if (out.capacity() < 4096)
    out.reserve(4096);  // a typical item without regrowths; larger buffers grow geometrically
  try {
    detail::append_json_value(out, value, indent, 0);
  } catch (const detail::JsonWriterFallback&) {
    out.resize(start);
    out += value.dump(indent);
  } catch (...) {
    out.resize(start);  // nothing half-written is left behind
    throw;
  }
}

// value.dump(indent) as a new string, written by append_json().
template <typename BasicJson>
std::string json_text(const BasicJson& value, int indent = -1) {
  std::string out;
  append_json(out, value, indent);
  return out;
}

}  // namespace synapse
