#include "common/json_reindent.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <synapse/detail/utf8.hpp>

#include "common/json_float_text.hpp"

namespace synapse::runtime {

namespace {

// What a byte inside a string asks for; kPlain bytes are copied without a second look.
enum : std::uint8_t { kPlain = 0, kQuote, kBackslash, kControl, kHigh };

constexpr std::array<std::uint8_t, 256> kStringClass = [] {
  std::array<std::uint8_t, 256> classes{};
  for (std::size_t c = 0; c < 0x20; ++c)
    classes[c] = kControl;
  classes['"'] = kQuote;
  classes['\\'] = kBackslash;
  for (std::size_t c = 0x80; c < 0x100; ++c)
    classes[c] = kHigh;
  return classes;
}();

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// nlohmann writes \u escapes with snprintf("%04x"): lowercase only.
int lower_hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

// The decoded bytes of a key whose escapes were checked by Reindenter::escape().
std::string decode_key(std::string_view raw) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      decoded += raw[i];
      continue;
    }
    switch (raw[++i]) {
      case 'b':
        decoded += '\b';
        break;
      case 'f':
        decoded += '\f';
        break;
      case 'n':
        decoded += '\n';
        break;
      case 'r':
        decoded += '\r';
        break;
      case 't':
        decoded += '\t';
        break;
      case 'u':  // \u00XY
        decoded += static_cast<char>((raw[i + 3] - '0') * 16 + lower_hex_value(raw[i + 4]));
        i += 4;
        break;
      default:  // '"' and '\\'
        decoded += raw[i];
    }
  }
  return decoded;
}

// True when key `a` sorts strictly before key `b` as nlohmann's std::map orders them (bytes of
// the decoded strings, unsigned). Escaped keys are rare: only they are decoded.
bool key_before(std::string_view a, bool a_escaped, std::string_view b, bool b_escaped) {
  if (!a_escaped && !b_escaped)
    return a < b;
  return decode_key(a) < decode_key(b);
}

// Digits of an integer nlohmann reads as a 64-bit integer (past that it reads a double).
bool integer_fits(std::string_view digits, bool negative) {
  if (negative) {
    if (digits == "0")  // "-0" reads as 0
      return false;
    return digits.size() < 19 || (digits.size() == 19 && digits <= "9223372036854775808");
  }
  return digits.size() < 20 || (digits.size() == 20 && digits <= "18446744073709551615");
}

class Reindenter {
 public:
  enum class Mode { sorted, stored_order, as_written };

  Reindenter(std::string_view text, std::string& out, Mode mode)
      : p_(text.data()), end_(text.data() + text.size()), out_(out), mode_(mode) {
    const std::size_t kept = out_.size();
    // dump(4) is longer than the compact text by its indentation; this is usually enough.
    out_.resize(kept + 2 * text.size() + 256);
    o_ = out_.data() + kept;
    limit_ = out_.data() + out_.size();
  }
  // Cuts `out` to what was written.
  ~Reindenter() { out_.resize(static_cast<std::size_t>(o_ - out_.data())); }
  Reindenter(const Reindenter&) = delete;
  Reindenter& operator=(const Reindenter&) = delete;

  bool run();

 private:
  // An open container. No default member initializers: run() keeps kMaxReindentDepth of them
  // on the stack and only the ones in use are set.
  struct Frame {
    bool object;
    bool last_key_escaped;
    const char* last_key;  // between the quotes
    std::size_t last_key_size;
    std::size_t keys_begin;  // stored order: this object's keys in keys_ start here
  };
  struct Key {
    std::string_view text;  // between the quotes
    bool escaped;
  };

  void skip_space() {
    while (p_ < end_ && is_space(*p_))
      ++p_;
  }
  // Output goes through o_ into `out` resized ahead: appending to a std::string piece by
  // piece (a capacity check and a terminator for each of the many small pieces) cost more than
  // the scanning. Tokens and indentation are short, so they are written in fixed 16- and
  // 8-byte blocks rather than through memcpy/memset calls; room() keeps kSlack bytes spare
  // past what is asked for, for the part of the last block beyond the end.
  static constexpr std::size_t kSlack = 16;
  void room(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - o_) < n + kSlack)
      grow(n + kSlack);
  }
  void grow(std::size_t n);
  // Copies n bytes of the input from `from`, which must point into the input: a short token
  // is copied as a 16-byte block when the input holds that many bytes from there.
  void write(const char* from, std::size_t n) {
    room(n);
    if (n <= 16 && end_ - from >= 16) {
      std::memcpy(o_, from, 16);
    } else {
      std::memcpy(o_, from, n);
    }
    o_ += n;
  }
  // `before` (',' or the opening bracket, or nothing), a newline and the indentation of depth.
  void line(char before, std::size_t depth) {
    room(2 + 4 * depth);
    if (before != '\0')
      *o_++ = before;
    *o_++ = '\n';
    char* const indent_end = o_ + 4 * depth;
    for (; o_ < indent_end; o_ += 8)
      std::memcpy(o_, "        ", 8);
    o_ = indent_end;
  }
  void write_pair(char a, char b) {
    room(2);
    *o_++ = a;
    *o_++ = b;
  }
  bool key(Frame& frame, bool first);
  bool string(bool& escaped);
  bool escape(const char*& p) const;
  bool number();
  bool literal();

  const char* p_;
  const char* const end_;
  std::string& out_;
  char* o_;
  char* limit_;
  const Mode mode_;
  std::vector<Key> keys_;  // stored order: the keys of the open objects, for repeats
};

void Reindenter::grow(std::size_t n) {
  const auto used = static_cast<std::size_t>(o_ - out_.data());
  out_.resize(std::max(2 * out_.size(), used + n));
  o_ = out_.data() + used;
  limit_ = out_.data() + out_.size();
}

bool Reindenter::run() {
  Frame stack[kMaxReindentDepth];
  std::size_t depth = 0;
  for (;;) {
    // A value.
    skip_space();
    if (p_ == end_)
      return false;
    const char c = *p_;
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++p_;
      skip_space();
      if (p_ < end_ && *p_ == close) {  // dump(4) writes empty containers on one line
        ++p_;
        write_pair(c, close);
      } else {
        if (depth == kMaxReindentDepth)
          return false;
        Frame& frame = stack[depth++];
        frame.object = c == '{';
        frame.keys_begin = keys_.size();
        line(c, depth);
        if (frame.object && !key(frame, true))
          return false;
        continue;  // its first value
      }
    } else if (c == '"') {
      bool escaped = false;
      if (!string(escaped))
        return false;
    } else if (c == '-' || is_digit(c)) {
      if (!number())
        return false;
    } else if (!literal()) {
      return false;
    }
    // After a value: a separator and the next value, or closing brackets.
    for (;;) {
      skip_space();
      if (depth == 0)
        return p_ == end_;
      if (p_ == end_)
        return false;
      Frame& frame = stack[depth - 1];
      const char next = *p_++;
      if (next == ',') {
        line(',', depth);
        if (frame.object && !key(frame, false))
          return false;
        break;
      }
      if (next != (frame.object ? '}' : ']'))
        return false;
      if (mode_ == Mode::stored_order)
        keys_.resize(frame.keys_begin);
      --depth;
      line('\0', depth);
      room(1);
      *o_++ = next;
    }
  }
}

// A member's key and ':' (written `"key": `), in order after the previous key.
bool Reindenter::key(Frame& frame, bool first) {
  skip_space();
  if (p_ == end_ || *p_ != '"')
    return false;
  const char* const start = p_ + 1;
  bool escaped = false;
  if (!string(escaped))
    return false;
  const std::size_t size = static_cast<std::size_t>(p_ - 1 - start);
  if (mode_ == Mode::as_written) {
    // any order, repeats too
  } else if (mode_ == Mode::stored_order) {
    const std::string_view text(start, size);
    if (keys_.size() - frame.keys_begin >= kMaxStoredOrderKeys)
      return false;
    for (std::size_t i = frame.keys_begin; i < keys_.size(); ++i) {
      const Key& other = keys_[i];
      const bool same = !escaped && !other.escaped ? other.text == text
                                                   : decode_key(other.text) == decode_key(text);
      if (same)
        return false;
    }
    keys_.push_back({text, escaped});
  } else if (!first && !key_before({frame.last_key, frame.last_key_size}, frame.last_key_escaped,
                                   {start, size}, escaped)) {
    return false;
  }
  frame.last_key = start;
  frame.last_key_size = size;
  frame.last_key_escaped = escaped;
  skip_space();
  if (p_ == end_ || *p_ != ':')
    return false;
  ++p_;
  write_pair(':', ' ');
  return true;
}

// At the opening quote: checks the string, copies it as is and moves past it.
bool Reindenter::string(bool& escaped) {
  const char* const start = p_;
  const char* p = p_ + 1;
  for (;;) {
    while (p < end_ && kStringClass[static_cast<unsigned char>(*p)] == kPlain)
      ++p;
    if (p == end_)
      return false;
    switch (kStringClass[static_cast<unsigned char>(*p)]) {
      case kQuote:
        p_ = p + 1;
        write(start, static_cast<std::size_t>(p_ - start));
        return true;
      case kBackslash:
        if (!escape(p))
          return false;
        escaped = true;
        break;
      case kHigh: {
        const std::size_t length = synapse::detail::utf8_sequence_length(p, end_);
        if (length == 0)
          return false;
        p += length;
        break;
      }
      default:  // a control character: JSON wants it escaped
        return false;
    }
  }
}

// At a backslash: moves past the escape. As written, any escape JSON has (RFC 8259 §7);
// otherwise only those nlohmann's dump writes, so the string reads back and is written again as
// the same bytes ("\/" reads as '/' and is written unescaped: declined).
bool Reindenter::escape(const char*& p) const {
  if (end_ - p < 2)
    return false;
  const bool as_written = mode_ == Mode::as_written;
  switch (p[1]) {
    case '"':
    case '\\':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
      p += 2;
      return true;
    case '/':
      p += 2;
      return as_written;
    case 'u': {
      if (end_ - p < 6)
        return false;
      if (as_written) {
        for (int i = 2; i < 6; ++i) {
          if (!std::isxdigit(static_cast<unsigned char>(p[i])))
            return false;
        }
        p += 6;
        return true;
      }
      // \u00XY for the control characters without a short form.
      if (p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1'))
        return false;
      const int low = lower_hex_value(p[5]);
      if (low < 0)
        return false;
      const int code = (p[4] - '0') * 16 + low;
      if (code == '\b' || code == '\t' || code == '\n' || code == '\f' || code == '\r')
        return false;
      p += 6;
      return true;
    }
    default:  // no JSON escape
      return false;
  }
}

// At '-' or a digit: the JSON number grammar, then whether nlohmann writes it back the same.
bool Reindenter::number() {
  const char* const start = p_;
  const char* p = p_;
  const bool negative = *p == '-';
  if (negative)
    ++p;
  const auto digits = [&] {
    if (p == end_ || !is_digit(*p))
      return false;
    while (p < end_ && is_digit(*p))
      ++p;
    return true;
  };
  if (p < end_ && *p == '0') {
    ++p;  // no leading zeros: "01" stops after the 0 and fails as what follows a value
  } else if (!digits()) {
    return false;
  }
  const char* const integer_end = p;
  bool is_float = false;
  if (p < end_ && *p == '.') {
    ++p;
    if (!digits())
      return false;
    is_float = true;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end_ && (*p == '+' || *p == '-'))
      ++p;
    if (!digits())
      return false;
    is_float = true;
  }
  const std::string_view text(start, static_cast<std::size_t>(p - start));
  if (mode_ == Mode::as_written) {
    // as written: the grammar is all
  } else if (is_float ? !is_nlohmann_float_text(text)
                      : !integer_fits({start + negative,
                                       static_cast<std::size_t>(integer_end - start) - negative},
                                      negative))
    return false;
  write(text.data(), text.size());
  p_ = p;
  return true;
}

bool Reindenter::literal() {
  for (const std::string_view word : {"true", "false", "null"}) {
    if (word[0] == *p_) {
      if (static_cast<std::size_t>(end_ - p_) < word.size() ||
          std::memcmp(p_, word.data(), word.size()) != 0)
        return false;
      write(p_, word.size());  // from the input, not from `word` (see write())
      p_ += word.size();
      return true;
    }
  }
  return false;
}

}  // namespace

bool reindent_json(std::string_view compact, std::string& out) {
  return Reindenter(compact, out, Reindenter::Mode::sorted).run();
}

bool reindent_json_stored_order(std::string_view compact, std::string& out) {
  return Reindenter(compact, out, Reindenter::Mode::stored_order).run();
}

bool reindent_json_as_written(std::string_view compact, std::string& out) {
  return Reindenter(compact, out, Reindenter::Mode::as_written).run();
}

}  // namespace synapse::runtime
