#include "common/json_cursor.hpp"

#include <cstdio>

#include <synapse/detail/utf8.hpp>

namespace synapse::runtime {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence starting at text[i] (a byte >= 0x80), or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  return synapse::detail::utf8_sequence_length(text.data() + i, text.data() + text.size());
}

std::string describe_byte(char c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(c));
  return buf;
}

}  // namespace

LineColumn line_column(std::string_view text, std::size_t offset) {
  LineColumn where;
  const std::size_t end = offset < text.size() ? offset : text.size();
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++where.line;
      line_start = i + 1;
    }
  }
  where.column = offset - line_start + 1;
  return where;
}

bool is_json_text(std::string_view text) {
  try {
    JsonCursor cursor(text);
    cursor.skip();
    cursor.finish();
    return true;
  } catch (const JsonSyntaxError&) {
    return false;
  }
}

void JsonCursor::fail(std::size_t at, const std::string& message) const {
  throw JsonSyntaxError(at, message);
}

void JsonCursor::skip_whitespace() {
  while (pos_ < text_.size()) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t'))
      return;
    ++pos_;
  }
}

char JsonCursor::expect_more(const char* what) {
  skip_whitespace();
  if (pos_ >= text_.size())
    fail(pos_, std::string("unexpected end of text, expected ") + what);
  return text_[pos_];
}

std::size_t JsonCursor::value_offset() {
  skip_whitespace();
  return pos_;
}

JsonCursor::Kind JsonCursor::peek() {
  const char c = expect_more("a value");
  switch (c) {
    case '{':
      return Kind::object;
    case '[':
      return Kind::array;
    case '"':
      return Kind::string;
    case 't':
    case 'f':
      return Kind::boolean;
    case 'n':
      return Kind::null;
    default:
      if (c == '-' || is_digit(c))
        return Kind::number;
      fail(pos_, "expected a value, found " +
                     (c >= 0x20 && c < 0x7F ? "'" + std::string(1, c) + "'" : describe_byte(c)));
  }
}

void JsonCursor::open_container() {
  if (first_.size() >= kMaxDepth)
    fail(pos_, "nested more than " + std::to_string(kMaxDepth) + " levels deep");
  ++pos_;
  first_.push_back(true);
}

void JsonCursor::enter_object() {
  if (expect_more("'{'") != '{')
    fail(pos_, "expected an object");
  open_container();
}

void JsonCursor::enter_array() {
  if (expect_more("'['") != '[')
    fail(pos_, "expected an array");
  open_container();
}

bool JsonCursor::next_member(std::string_view& key) {
  char c = expect_more("'}' or a key");
  if (c == '}') {
    ++pos_;
    first_.pop_back();
    return false;
  }
  if (!first_.back()) {
    if (c != ',')
      fail(pos_, "expected ',' or '}' after an object member");
    ++pos_;
    c = expect_more("a key");
  }
  if (c != '"')
    fail(pos_, first_.back() ? "expected a key (a string) or '}'" : "expected a key (a string)");
  key_offset_ = pos_;
  key = scan_string();
  if (expect_more("':'") != ':')
    fail(pos_, "expected ':' after the key");
  ++pos_;
  first_.back() = false;
  return true;
}

bool JsonCursor::next_element() {
  const char c = expect_more("']' or a value");
  if (c == ']') {
    ++pos_;
    first_.pop_back();
    return false;
  }
  if (!first_.back()) {
    if (c != ',')
      fail(pos_, "expected ',' or ']' after an array element");
    ++pos_;
  }
  first_.back() = false;
  return true;
}

std::string_view JsonCursor::read_string() {
  if (expect_more("a string") != '"')
    fail(pos_, "expected a string");
  return scan_string();
}

// Fast path: a string without escapes is returned as a view of the text (raw UTF-8 is checked,
// not copied); the first backslash switches to decoding into scratch_.
std::string_view JsonCursor::scan_string() {
  const std::size_t start = pos_ + 1;
  std::size_t i = start;
  while (i < text_.size()) {
    const char c = text_[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      pos_ = i + 1;
      return text_.substr(start, i - start);
    }
    if (c == '\\') {
      scratch_.assign(text_.substr(start, i - start));
      pos_ = i;
      decode_escaped(start);
      return scratch_;
    }
    if (u < 0x20)
      fail(i, "control character " + describe_byte(c) + " in a string (escape it)");
    if (u >= 0x80) {
      const std::size_t n = utf8_sequence_length(text_, i);
      if (n == 0)
        fail(i, "invalid UTF-8 byte " + describe_byte(c) + " in a string");
      i += n;
    } else {
      ++i;
    }
  }
  fail(start - 1, "unterminated string");
}

void JsonCursor::append_utf8_checked(std::size_t& i) {
  const std::size_t n = utf8_sequence_length(text_, i);
  if (n == 0)
    fail(i, "invalid UTF-8 byte " + describe_byte(text_[i]) + " in a string");
  scratch_.append(text_.substr(i, n));
  i += n;
}

void JsonCursor::decode_escaped(std::size_t start) {
  std::size_t i = pos_;
  auto read_hex4 = [&](std::size_t at) {
    if (at + 4 > text_.size())
      fail(at - 2, "incomplete \\u escape");
    std::uint32_t value = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int h = hex_value(text_[at + k]);
      if (h < 0)
        fail(at - 2, "invalid \\u escape: expected 4 hex digits");
      value = value * 16 + static_cast<std::uint32_t>(h);
    }
    return value;
  };
  while (i < text_.size()) {
    const char c = text_[i];
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      pos_ = i + 1;
      return;
    }
    if (u < 0x20)
      fail(i, "control character " + describe_byte(c) + " in a string (escape it)");
    if (u >= 0x80) {
      append_utf8_checked(i);
      continue;
    }
    if (c != '\\') {
      scratch_ += c;
      ++i;
      continue;
    }
    if (i + 1 >= text_.size())
      break;
    const char e = text_[i + 1];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        scratch_ += e;
        break;
      case 'b':
        scratch_ += '\b';
        break;
      case 'f':
        scratch_ += '\f';
        break;
      case 'n':
        scratch_ += '\n';
        break;
      case 'r':
        scratch_ += '\r';
        break;
      case 't':
        scratch_ += '\t';
        break;
      case 'u': {
        std::uint32_t cp = read_hex4(i + 2);
        std::size_t consumed = 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          fail(i, "lone low surrogate in a \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (i + 7 >= text_.size() || text_[i + 6] != '\\' || text_[i + 7] != 'u')
            fail(i, "lone high surrogate in a \\u escape (expected a \\uDC00-\\uDFFF after it)");
          const std::uint32_t low = read_hex4(i + 8);
          if (low < 0xDC00 || low > 0xDFFF)
            fail(i, "lone high surrogate in a \\u escape (expected a \\uDC00-\\uDFFF after it)");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          consumed = 12;
        }
        append_code_point(scratch_, cp);
        i += consumed;
        continue;
      }
      default:
        fail(i, "invalid escape \\" + std::string(1, e) + " in a string");
    }
    i += 2;
  }
  fail(start - 1, "unterminated string");
}

std::string_view JsonCursor::read_number() {
  skip_whitespace();
  const std::size_t start = pos_;
  std::size_t i = pos_;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text_.size() && is_digit(text_[i]))
      ++i;
    return i > from;
  };
  if (i < text_.size() && text_[i] == '-')
    ++i;
  if (i < text_.size() && text_[i] == '0') {
    ++i;
  } else if (!digits()) {
    fail(start, "invalid number");
  }
  if (i < text_.size() && text_[i] == '.') {
    ++i;
    if (!digits())
      fail(start, "invalid number: expected a digit after '.'");
  }
  if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
    ++i;
    if (i < text_.size() && (text_[i] == '+' || text_[i] == '-'))
      ++i;
    if (!digits())
      fail(start, "invalid number: expected a digit in the exponent");
  }
  pos_ = i;
  return text_.substr(start, i - start);
}

void JsonCursor::read_literal(std::string_view word) {
  skip_whitespace();
  if (text_.substr(pos_, word.size()) != word)
    fail(pos_, "invalid literal (expected true, false or null)");
  pos_ += word.size();
}

bool JsonCursor::read_boolean() {
  const bool value = expect_more("true or false") == 't';
  read_literal(value ? "true" : "false");
  return value;
}

void JsonCursor::read_null() {
  read_literal("null");
}

void JsonCursor::skip() {
  switch (peek()) {
    case Kind::object: {
      enter_object();
      std::string_view key;
      while (next_member(key))
        skip();
      return;
    }
    case Kind::array:
      enter_array();
      while (next_element())
        skip();
      return;
    case Kind::string:
      scan_string();
      return;
    case Kind::number:
      read_number();
      return;
    case Kind::boolean:
      read_boolean();
      return;
    case Kind::null:
      read_null();
      return;
  }
}

void JsonCursor::finish() {
  skip_whitespace();
  if (pos_ != text_.size())
    fail(pos_, "unexpected text after the JSON value");
}

}  // namespace synapse::runtime
