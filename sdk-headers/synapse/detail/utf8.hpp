// Internal: UTF-8 well-formedness, as strict as nlohmann::json and RFC 3629, for the code that
// checks JSON text without decoding it (the host's scanners, synapse/json_writer.hpp). Not part
// of the public API.
#pragma once

#include <cstddef>

namespace synapse::detail {

// Length of the well-formed UTF-8 sequence at `p` (a byte >= 0x80, before `end`), or 0:
// no overlong forms, surrogates or code points above U+10FFFF, nothing cut off by `end`.
inline std::size_t utf8_sequence_length(const char* p, const char* end) {
  const auto byte = [&](std::ptrdiff_t k) -> unsigned {
    return k < end - p ? static_cast<unsigned char>(p[k]) : 0u;
  };
  const auto cont = [&](std::ptrdiff_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    const unsigned b = byte(k);
    return b >= lo && b <= hi;
  };
  const unsigned lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF)
    return cont(1) ? 2 : 0;
  if (lead == 0xE0)
    return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
    return cont(1) && cont(2) ? 3 : 0;
  if (lead == 0xED)
    return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (lead == 0xF0)
    return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3)
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead == 0xF4)
    return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace synapse::detail
