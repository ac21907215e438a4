#include "common/usable_cpus.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

namespace synapse::runtime {

namespace detail {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<long long> to_number(std::string_view text) {
  text = trim(text);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::optional<std::size_t> ratio_rounded_up(long long quota, long long period) {
  if (quota <= 0 || period <= 0)
    return std::nullopt;
  return static_cast<std::size_t>(std::max<long long>(1, (quota + period - 1) / period));
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void keep_tightest(std::optional<std::size_t>& limit, std::optional<std::size_t> candidate) {
  if (candidate && (!limit || *candidate < *limit))
    limit = candidate;
}

// "/a/b" -> "/a/b", "/a", "/" (a v2 limit may sit on any ancestor).
template <class Visit>
void for_self_and_ancestors(std::filesystem::path cgroup, Visit visit) {
  for (;;) {
    visit(cgroup);
    if (!cgroup.has_relative_path())
      return;
    cgroup = cgroup.parent_path();
  }
}

}  // namespace

std::optional<std::size_t> cpus_from_cpu_max(std::string_view text) {
  text = trim(text);
  const auto space = text.find(' ');
  if (space == std::string_view::npos)
    return std::nullopt;
  const std::string_view quota = text.substr(0, space);
  const auto period = to_number(text.substr(space + 1));
  if (quota == "max" || !period)
    return std::nullopt;
  const auto value = to_number(quota);
  return value ? ratio_rounded_up(*value, *period) : std::nullopt;
}

std::optional<std::size_t> cpus_from_cfs(std::string_view quota, std::string_view period) {
  const auto q = to_number(quota);
  const auto p = to_number(period);
  return q && p ? ratio_rounded_up(*q, *p) : std::nullopt;
}

std::optional<std::size_t> cgroup_cpu_limit(std::string_view proc_self_cgroup,
                                            const std::filesystem::path& cgroup_root) {
  std::optional<std::size_t> limit;
  std::istringstream lines{std::string(proc_self_cgroup)};
  std::string line;
  while (std::getline(lines, line)) {
    // hierarchy-id:controllers:path
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos)
      continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::filesystem::path path = line.substr(second + 1);
    if (path.empty() || !path.is_absolute())
      continue;
    if (line.compare(0, first, "0") == 0 && controllers.empty()) {  // v2, unified
      for_self_and_ancestors(path, [&](const std::filesystem::path& cgroup) {
        const auto text = read_text(cgroup_root / cgroup.relative_path() / "cpu.max");
        if (text)
          keep_tightest(limit, cpus_from_cpu_max(*text));
      });
      continue;
    }
    std::istringstream names(controllers);
    std::string name;
    bool has_cpu = false;
    while (std::getline(names, name, ','))
      has_cpu = has_cpu || name == "cpu";
    if (!has_cpu)
      continue;
    // v1: the controller is mounted as cpu, or joined with cpuacct (cpu,cpuacct).
    for (const char* mount : {"cpu", "cpu,cpuacct", "cpuacct,cpu"}) {
      const auto folder = cgroup_root / mount / path.relative_path();
      const auto quota = read_text(folder / "cpu.cfs_quota_us");
      const auto period = read_text(folder / "cpu.cfs_period_us");
      if (quota && period) {
        keep_tightest(limit, cpus_from_cfs(*quota, *period));
        break;
      }
    }
  }
  return limit;
}

std::size_t compute_usable_cpus() {
  std::size_t cpus = std::thread::hardware_concurrency();
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    cpus = static_cast<std::size_t>(CPU_COUNT(&set));
  std::ifstream in("/proc/self/cgroup");
  const std::string text(std::istreambuf_iterator<char>(in), {});
  if (const auto limit = cgroup_cpu_limit(text, "/sys/fs/cgroup"))
    cpus = cpus == 0 ? *limit : std::min(cpus, *limit);
#endif
  return std::max<std::size_t>(1, cpus);
}

}  // namespace detail

std::size_t usable_cpus() {
  static const std::size_t cpus = detail::compute_usable_cpus();
  return cpus;
}

}  // namespace synapse::runtime
