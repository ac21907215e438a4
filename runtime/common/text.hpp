// Small text helpers shared by every part of the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synapse::runtime {

// "a, b, c" (or with another separator); "" for no items.
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace synapse::runtime
