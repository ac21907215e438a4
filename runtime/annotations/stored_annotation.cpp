// The text an annotation is stored as (compacted, with the unit-naming members left out) and
// the one-line rendering of a problem; declared in annotation_document.hpp.
#include <string>
#include <string_view>

#include "annotations/annotation_document.hpp"

namespace synapse::runtime::annotations {

std::string stored_annotation(std::string_view text, const ByteRanges& left_out) {
  // Bytes that end a run copied as is: whitespace, strings (their bytes are data, not
  // structure) and the separators a left-out member may leave dangling.
  static constexpr auto kStop = [] {
    std::array<bool, 256> stop{};
    for (unsigned char c : {' ', '\t', '\n', '\r', '"', ',', '}'})
      stop[c] = true;
    return stop;
  }();
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  // Written through a pointer into a buffer of the input's size (the output is never longer):
  // this runs once per imported file, and appending piece by piece cost more than the rest.
  std::string out(text.size(), '\0');
  char* const begin = out.data();
  char* o = begin;
  auto copy = [&](std::size_t from, std::size_t to) {
    std::memcpy(o, text.data() + from, to - from);
    o += to - from;
  };
  const std::size_t n = text.size();
  std::size_t next = 0;  // the next range to leave out
  std::size_t i = 0;
  while (i < n) {
    const std::size_t limit = next < left_out.size() ? left_out[next].first : n;
    if (i == limit) {
      i = left_out[next++].second;
      continue;
    }
    std::size_t j = i;
    while (j < limit && !kStop[static_cast<unsigned char>(text[j])])
      ++j;
    copy(i, j);
    i = j;
    if (i == limit)
      continue;
    const char c = text[i];
    if (c == '"') {
      // The closing quote is the first one not escaped (preceded by an even number of '\\').
      std::size_t end = i + 1;
      for (;;) {
        end = text.find('"', end);
        std::size_t backslashes = 0;
        while (text[end - 1 - backslashes] == '\\')
          ++backslashes;
        if (backslashes % 2 == 0)
          break;
        ++end;
      }
      copy(i, end + 1);
      i = end + 1;
    } else if (c == ',') {
      // After '{' or ',' the member before this comma was left out.
      if (o != begin && o[-1] != '{' && o[-1] != ',')
        *o++ = c;
      ++i;
    } else if (c == '}') {
      if (o != begin && o[-1] == ',')
        o[-1] = c;
      else
        *o++ = c;
      ++i;
    } else {
      while (i < limit && is_space(text[i]))
        ++i;
    }
  }
  out.resize(static_cast<std::size_t>(o - begin));
  return out;
}

std::string describe(std::string_view file, const Problem& problem) {
  std::string out(file);
  if (problem.at_position)
    return out + ":" + problem.where + ": " + problem.message;
  if (!problem.where.empty())
    out += ": " + problem.where;
  return out + ": " + problem.message;
}

}  // namespace synapse::runtime::annotations
