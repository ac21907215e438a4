// now_iso8601: the catalog's timestamp format, now formatted from a per-second cache.
#include <chrono>
#include <ctime>
#include <regex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "common/clock.hpp"

using synapse::runtime::now_iso8601;

namespace {

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS.mmmZ", milliseconds included.
double epoch_seconds(const std::string& text) {
  std::tm tm{};
  REQUIRE(strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
  return static_cast<double>(timegm(&tm)) + std::stoi(text.substr(20, 3)) / 1000.0;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("now_iso8601 is UTC with milliseconds and tells the current time", "[clock]") {
  const std::regex format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  const double before = now_seconds();
  const std::string stamp = now_iso8601();
  const double after = now_seconds();
  REQUIRE(std::regex_match(stamp, format));
  // Truncated to the millisecond, so up to 1 ms before `before`.
  CHECK(epoch_seconds(stamp) >= before - 0.0011);
  CHECK(epoch_seconds(stamp) <= after);
}

TEST_CASE("now_iso8601 moves on across a second boundary (the cached part is renewed)", "[clock]") {
  // Stamps taken over ~1.3 s: every one matches the clock, including those after the second
  // whose date and time were cached changed.
  std::string first = now_iso8601();
  std::string last = first;
  for (int i = 0; i < 26; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double before = now_seconds();
    last = now_iso8601();
    const double after = now_seconds();
    CHECK(epoch_seconds(last) >= before - 0.0011);
    CHECK(epoch_seconds(last) <= after);
  }
  CHECK(last.substr(0, 19) != first.substr(0, 19));
}
