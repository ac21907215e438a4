// Random JSON documents for the tests that check a JSON writer or scanner against nlohmann's own
// parse + dump: what annotations hold and what makes dump's output tricky (escapes, UTF-8,
// empty containers, every kind of number).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

class RandomJson {
 public:
  explicit RandomJson(std::uint64_t seed) : rng_(seed) {}

  nlohmann::json value(int depth) {
    switch (pick(depth >= 5 ? 6 : 8)) {
      case 0:
        return nullptr;
      case 1:
        return pick(2) == 0;
      case 2:
        return text();
      case 3:
        return static_cast<std::int64_t>(rng_());
      case 4:
        return pick(2) == 0 ? nlohmann::json(rng_())
                            : nlohmann::json(static_cast<int>(pick(2000)) - 1000);
      case 5:
        return real();
      case 6: {
        nlohmann::json object = nlohmann::json::object();
        for (std::size_t i = pick(5); i > 0; --i)
          object[text()] = value(depth + 1);
        return object;
      }
      default: {
        nlohmann::json array = nlohmann::json::array();
        for (std::size_t i = pick(5); i > 0; --i)
          array.push_back(value(depth + 1));
        return array;
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

  std::string text() {
    static const std::vector<std::string> pieces = {
        "a",    "b",    "Z",    "id", " ",  "\"", "\\",
        "/",    "\n",   "\t",   "\b", "\f", "\r", std::string(1, '\0'),
        "\x01", "\x1f", "\x7f", "é",  "😀",  "漢", "~"};
    std::string s;
    for (std::size_t i = pick(6); i > 0; --i)
      s += pieces[pick(pieces.size())];
    return s;
  }

  double real() {
    switch (pick(4)) {
      case 0: {  // any finite double, all digits
        double d = 0;
        do {
          const std::uint64_t bits = rng_();
          std::memcpy(&d, &bits, sizeof d);
        } while (!std::isfinite(d));
        return d;
      }
      case 1:  // a coordinate with a few decimals
        return static_cast<double>(static_cast<int>(pick(2000000)) - 1000000) / 1000.0;
      case 2:
        return std::ldexp(static_cast<double>(pick(1000)), static_cast<int>(pick(200)) - 100);
      default:
        return pick(2) == 0 ? 0.0 : -0.0;
    }
  }

  std::mt19937_64 rng_;
};

}  // namespace test_support
