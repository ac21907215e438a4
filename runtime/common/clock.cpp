#include "common/clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace synapse::runtime {

std::string now_iso8601() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms =
      static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  const std::time_t seconds = system_clock::to_time_t(now);
  // The date and time up to the seconds, formatted once per second and thread: an export or
  // upload stamps every one of its events, and gmtime_r + snprintf were most of a stamp's cost.
  thread_local std::time_t cached_seconds = -1;
  thread_local char prefix[80] = {};  // roomy: the compiler cannot prove the fields are 2 digits
  if (seconds != cached_seconds) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_seconds = seconds;
  }
  std::string text(prefix);
  text += static_cast<char>('0' + ms / 100);
  text += static_cast<char>('0' + ms / 10 % 10);
  text += static_cast<char>('0' + ms % 10);
  text += 'Z';
  return text;
}

}  // namespace synapse::runtime
