// Internal to `synapse annotations import`: the vocabulary of docs/annotation-format.md (its
// tools, the id rule, what each tool's `data` must be) and the JSON paths problems are reported
// at (`images[0].bounding_box[2].data`). Used by the document checker.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace synapse::runtime::annotations::detail {

enum class Tool : std::size_t {
  bounding_box,
  polygon,
  polyline,
  keypoint,
  classification,
  relation,
  group
};
constexpr std::size_t kToolCount = 7;
constexpr std::array<std::string_view, kToolCount> kToolNames = {
    "bounding_box", "polygon", "polyline", "keypoint", "classification", "relation", "group"};
constexpr std::string_view kToolList =
    "bounding_box, polygon, polyline, keypoint, classification, relation, group";
constexpr std::string_view kIdRule = "^[A-Za-z0-9_-]+$";

std::optional<Tool> tool_named(std::string_view key);
std::string_view name_of(Tool tool);
// What `data` must be, per tool (the message of every data problem of that tool).
std::string expected_data(Tool tool);
bool is_id(std::string_view id);
// A string as JSON ("cat", with escapes), for echoing input safely in a message.
std::string json_quoted(std::string_view text);
// `base.key`, or `base["odd key"]` when the key is not a plain word.
std::string member(std::string_view base, std::string_view key);
std::string element(std::string_view base, std::size_t index);

// An annotation's place: images[image].<tool>[item].
struct Loc {
  std::size_t image = 0;
  Tool tool = Tool::bounding_box;
  std::size_t item = 0;
  bool operator==(const Loc&) const = default;
};
std::string path(const Loc& loc);
std::string path(const Loc& loc, std::string_view field);

// A number's text (the JSON grammar already checked): within the range of a double, and below
// zero ("-0" is not).
struct NumberText {
  bool in_range = true;
  bool negative = false;
};
NumberText inspect_number(std::string_view raw);

}  // namespace synapse::runtime::annotations::detail
