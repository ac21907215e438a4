#include "annotations/annotation_vocabulary.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace synapse::runtime::annotations::detail {

std::optional<Tool> tool_named(std::string_view key) {
  for (std::size_t i = 0; i < kToolCount; ++i) {
    if (kToolNames[i] == key)
      return static_cast<Tool>(i);
  }
  return std::nullopt;
}

std::string_view name_of(Tool tool) {
  return kToolNames[static_cast<std::size_t>(tool)];
}

// What `data` must be, per tool (the message of every data problem of that tool).
std::string expected_data(Tool tool) {
  switch (tool) {
    case Tool::bounding_box:
      return "expected [x, y, width, height] with width, height >= 0";
    case Tool::polygon:
      return "expected a list of at least 3 points [x, y]";
    case Tool::polyline:
      return "expected a list of at least 2 points [x, y]";
    case Tool::keypoint:
      return "expected a point [x, y]";
    case Tool::relation:
      return "expected [from_id, to_id]: the ids of two other annotations of this image";
    case Tool::group:
      return "expected a non-empty list of ids of other annotations of this image";
    case Tool::classification:
      break;
  }
  return "a whole-image classification has no data";
}

bool is_id(std::string_view id) {
  if (id.empty())
    return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

// A string as JSON ("cat", with escapes), for echoing input safely in a message.
std::string json_quoted(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// `base.key`, or `base["odd key"]` when the key is not a plain word.
std::string member(std::string_view base, std::string_view key) {
  if (is_id(key))
    return base.empty() ? std::string(key) : std::string(base) + "." + std::string(key);
  return std::string(base) + "[" + json_quoted(key) + "]";
}

std::string element(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

std::string path(const Loc& loc) {
  return "images[" + std::to_string(loc.image) + "]." + std::string(name_of(loc.tool)) + "[" +
         std::to_string(loc.item) + "]";
}

std::string path(const Loc& loc, std::string_view field) {
  return path(loc) + "." + std::string(field);
}

// A number's text (the JSON grammar already checked): within the range of a double, and below
// zero ("-0" is not). Without an exponent and under 300 digits it cannot overflow, so the text
// is enough; only the rest is converted.
NumberText inspect_number(std::string_view raw) {
  NumberText info;
  if (raw.size() < 300 && raw.find_first_of("eE") == std::string_view::npos) {
    info.negative = raw.front() == '-' && raw.find_first_of("123456789") != std::string_view::npos;
    return info;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  info.in_range = error == std::errc() && end == raw.data() + raw.size();
  info.negative = value < 0;
  return info;
}

}  // namespace synapse::runtime::annotations::detail
