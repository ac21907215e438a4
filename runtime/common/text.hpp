// Small text helpers shared by every part of the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synapse::runtime {

// "a, b, c" (or with another separator); "" for no items.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

// True when `text` ends with `suffix`, ASCII case-insensitively ("A.JPG" ends with ".jpg").
bool ends_with_ci(std::string_view text, std::string_view suffix);

// The part after the last '/' of a '/'-separated storage path ("a/b/c.jpg" -> "c.jpg").
std::string base_name(std::string_view path);

// A Python-style message template with each `{}` replaced by the next argument, in order
// (missing ones left as `{}`): the log-code tables of the upload and export specs use it.
std::string fill_template(std::string_view text, const std::vector<std::string>& args);

}  // namespace synapse::runtime
