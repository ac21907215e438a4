// JsonCursor: a pull reader over JSON text that builds no tree. `synapse annotations import`
// checks 100,000 small documents: nlohmann::json spends ~50 µs building the tree of a 2 KB
// annotation file, this reader a few µs walking it. The caller walks the structure it expects
// (enter_object, next_member, read_string, ...) and skip()s what it does not look into.
//
// As strict as nlohmann::json and RFC 8259: UTF-8 is checked, control characters in strings
// and lone surrogates are refused, numbers follow the JSON grammar, nothing may follow the
// value. Errors are JsonSyntaxError with the byte offset (line_column() turns it into a
// position). Nesting deeper than kMaxDepth is refused, so hostile input cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace synapse::runtime {

class JsonSyntaxError : public std::runtime_error {
 public:
  JsonSyntaxError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

// 1-based line and column (in bytes) of `offset` in `text`.
struct LineColumn {
  std::size_t line = 1;
  std::size_t column = 1;
};
LineColumn line_column(std::string_view text, std::size_t offset);

// True when `text` is exactly one JSON value, by the rules below (what nlohmann::json accepts,
// without its byte order mark skipping): how the catalog checks JSON text it is handed.
bool is_json_text(std::string_view text);

class JsonCursor {
 public:
  enum class Kind { object, array, string, number, boolean, null };
  static constexpr std::size_t kMaxDepth = 256;

  explicit JsonCursor(std::string_view text) : text_(text) {}

  // The kind of the next value (after whitespace). Throws at the end of the text or at a byte
  // that starts no value.
  Kind peek();

  // Objects: enter_object() consumes '{'; each next_member() consumes the separator, a key and
  // its ':' and returns true with the key (decoded, valid until the next read), or consumes
  // the closing '}' and returns false. The member's value must be read or skipped before the
  // next call.
  void enter_object();
  bool next_member(std::string_view& key);
  // Arrays: the same with '[' and ']'; next_element() returns false after the closing ']'.
  void enter_array();
  bool next_element();

  // Decoded, valid until the next read.
  std::string_view read_string();
  // The number's text as written (checked against the JSON grammar).
  std::string_view read_number();
  bool read_boolean();
  void read_null();
  // Any value, checked like the rest.
  void skip();
  // Only whitespace may follow the value just read.
  void finish();

  // Byte offset of the next unread byte.
  std::size_t offset() const { return pos_; }
  // Byte offset of the opening quote of the key last returned by next_member().
  std::size_t key_offset() const { return key_offset_; }
  // Byte offset where the value about to be read starts (skips whitespace).
  std::size_t value_offset();

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const;
  void skip_whitespace();
  char expect_more(const char* what);  // the next byte; fails at the end of the text
  void open_container();
  std::string_view scan_string();  // at the opening quote
  void decode_escaped(std::size_t start);
  void append_utf8_checked(std::size_t& i);
  void read_literal(std::string_view word);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t key_offset_ = 0;
  // Per open container: whether the next member/element is its first (no ',' before it).
  std::vector<bool> first_;
  std::string scratch_;  // decoded strings that held escapes
};

}  // namespace synapse::runtime
