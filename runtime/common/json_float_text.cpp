#include "common/json_float_text.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

// Only nlohmann's float formatter (the function its serializer calls for a double), not the
// whole library: no tree, no parser.
#include <nlohmann/detail/conversions/to_chars.hpp>

namespace synapse::runtime {

bool is_nlohmann_float_text(std::string_view number) {
  double value = 0;
  const char* const end = number.data() + number.size();
  // from_chars rounds correctly to nearest, as glibc's strtod (nlohmann's reader) does, so
  // both read the same double. Out-of-range text (1e400, and underflow) is refused here; the
  // caller's fallback then reports or rounds it as nlohmann does.
  const auto [ptr, ec] = std::from_chars(number.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value))
    return false;
  char buffer[64];  // nlohmann's serializer uses the same size
  const char* const written = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string_view(buffer, static_cast<std::size_t>(written - buffer)) == number;
}

}  // namespace synapse::runtime
