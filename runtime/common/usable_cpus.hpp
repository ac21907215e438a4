// How many CPUs this process may really use: the CPUs of its affinity mask (taskset, a
// container's cpuset), further limited by a CPU quota of its cgroup (`docker run --cpus=2`,
// a Kubernetes CPU limit), which std::thread::hardware_concurrency() ignores: on a 64-core host
// with a 2-CPU quota it says 64, and 64 threads then take turns on 2 CPUs' worth of time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace synapse::runtime {

// At least 1. Computed once per process (the limits of a running process rarely change, and
// the answer is only a thread count).
std::size_t usable_cpus();

namespace detail {

// cgroup v2 `cpu.max` ("<quota> <period>" or "max <period>"): the CPUs the quota allows,
// rounded up; nullopt for "max" or text that is not that format.
std::optional<std::size_t> cpus_from_cpu_max(std::string_view text);
// cgroup v1 cpu.cfs_quota_us and cpu.cfs_period_us contents (quota -1: no limit).
std::optional<std::size_t> cpus_from_cfs(std::string_view quota, std::string_view period);

// The tightest quota over the cgroups listed in `proc_self_cgroup` (the text of
// /proc/self/cgroup) under `cgroup_root` (normally /sys/fs/cgroup): for v2 the process's
// cgroup and every ancestor (a limit set on a parent applies too), for v1 the cgroup of the
// `cpu` controller. nullopt when none is set or nothing can be read.
std::optional<std::size_t> cgroup_cpu_limit(std::string_view proc_self_cgroup,
                                            const std::filesystem::path& cgroup_root);

// usable_cpus() without the cache: the calling process's affinity mask and cgroup now.
std::size_t compute_usable_cpus();

}  // namespace detail
}  // namespace synapse::runtime
