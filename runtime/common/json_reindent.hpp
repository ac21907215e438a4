// reindent_json(): the export's pass-through fast path writes a stored annotation (compact JSON
// text) as nlohmann::json::parse(text).dump(4) would, without building the tree: parsing an
// 818-byte annotation costs nlohmann ~31 µs and dump(4) ~9 µs, this scanner a small fraction.
//
// Stored annotations are the imported files with their whitespace taken out, not nlohmann's
// output, so the text is copied as is only where parse + dump would write the same bytes; where
// it would not (see below) the call returns false and the caller parses and dumps instead.
#pragma once

#include <string>
#include <string_view>

namespace synapse::runtime {

// Appends `compact` re-indented with 4 spaces to `out`, byte for byte what
// nlohmann::json::parse(compact).dump(4) writes. Returns false (out left with whatever was
// appended; the caller discards it) when the text is not one valid JSON value (the rules of
// RFC 8259 and nlohmann: UTF-8 checked, no control characters in strings, no leading zeros,
// ...) or when parse + dump would not give its bytes back:
// - an object's keys not in strictly increasing byte order (nlohmann sorts them and keeps the
//   last of duplicates);
// - a string escape nlohmann writes otherwise ("\/", "\u00e9", uppercase hex, surrogates): it
//   escapes only '"', '\\' and control characters, with \b \f \n \r \t where it can;
// - an integer nlohmann writes otherwise ("-0") or reads as a double (beyond 64 bits);
// - a number with a fraction or exponent that is not nlohmann's text for its double ("1.50",
//   "1E2", "873.75394": see json_float_text.hpp);
// - a byte order mark, or nesting deeper than kMaxReindentDepth.
// Whitespace between tokens is allowed and dropped.
bool reindent_json(std::string_view compact, std::string& out);

// The same with the keys of each object kept in the order of the text, byte for byte what
// nlohmann::ordered_json::parse(compact).dump(4) writes (and what Python's json.dump(indent=4)
// of json.load writes): the export of stored annotations. The rules above hold, except that
// keys may come in any order; a key repeated within an object (ordered_json would keep its
// first place and last value), or an object of more than kMaxStoredOrderKeys keys (checking
// for repeats would grow quadratic), returns false.
bool reindent_json_stored_order(std::string_view compact, std::string& out);

// Re-indents JSON text as it is written: keys in text order (repeats kept), numbers and string
// escapes copied as written; false only when the text is not one JSON value (RFC 8259; UTF-8
// checked) or nests deeper than kMaxReindentDepth. For text an exporter wrote itself
// (Exporter::convert_text), where the point is the layout, not nlohmann's exact bytes.
bool reindent_json_as_written(std::string_view compact, std::string& out);

inline constexpr std::size_t kMaxStoredOrderKeys = 256;

inline constexpr std::size_t kMaxReindentDepth = 512;

}  // namespace synapse::runtime
