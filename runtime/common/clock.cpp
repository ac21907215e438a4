#include "common/clock.hpp"

#include <algorithm>
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
  const std::string_view prefix =
      per_second_text(seconds, [](std::time_t at, char* out, std::size_t size) {
        std::tm tm{};
        gmtime_r(&at, &tm);
        const int n = std::snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        return n < 0 ? std::size_t{0} : std::min(static_cast<std::size_t>(n), size - 1);
      });
  std::string text(prefix);
  text += static_cast<char>('0' + ms / 100);
  text += static_cast<char>('0' + ms / 10 % 10);
  text += static_cast<char>('0' + ms % 10);
  text += 'Z';
  return text;
}

}  // namespace synapse::runtime
