// usable_cpus(): the affinity mask and the cgroup CPU quota limit the thread counts the host
// derives from the machine (export save threads, annotation import workers).
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "../support/temp_dir.hpp"
#include "common/usable_cpus.hpp"

namespace fs = std::filesystem;
using namespace synapse::runtime::detail;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("cgroup v2 cpu.max gives the quota's CPUs rounded up, max gives no limit",
          "[usable_cpus]") {
  CHECK(cpus_from_cpu_max("200000 100000\n") == 2);
  CHECK(cpus_from_cpu_max("150000 100000") == 2);  // 1.5 CPUs: two threads, not one
  CHECK(cpus_from_cpu_max("50000 100000") == 1);
  CHECK_FALSE(cpus_from_cpu_max("max 100000\n"));
  CHECK_FALSE(cpus_from_cpu_max(""));
  CHECK_FALSE(cpus_from_cpu_max("abc 100000"));
  CHECK_FALSE(cpus_from_cpu_max("200000 0"));
}

TEST_CASE("cgroup v1 cfs quota -1 is no limit, a quota is CPUs rounded up", "[usable_cpus]") {
  CHECK(cpus_from_cfs("400000\n", "100000\n") == 4);
  CHECK(cpus_from_cfs("250000", "100000") == 3);
  CHECK_FALSE(cpus_from_cfs("-1\n", "100000\n"));
  CHECK_FALSE(cpus_from_cfs("", "100000"));
}

TEST_CASE("a cgroup v2 quota on the process's cgroup or on an ancestor limits the CPUs",
          "[usable_cpus]") {
  test_support::TempDir root("synapse-cgroup");
  const std::string self = "0::/system.slice/job.scope\n";
  CHECK_FALSE(cgroup_cpu_limit(self, root.path()));  // no cpu.max anywhere

  write(root.path() / "system.slice/job.scope/cpu.max", "max 100000\n");
  CHECK_FALSE(cgroup_cpu_limit(self, root.path()));

  write(root.path() / "system.slice/cpu.max", "300000 100000\n");  // the parent's limit
  CHECK(cgroup_cpu_limit(self, root.path()) == 3);

  write(root.path() / "system.slice/job.scope/cpu.max", "100000 100000\n");  // tighter, own
  CHECK(cgroup_cpu_limit(self, root.path()) == 1);
}

TEST_CASE("a cgroup v1 quota is read from the cpu controller's hierarchy", "[usable_cpus]") {
  test_support::TempDir root("synapse-cgroup");
  const std::string self =
      "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n2:cpuset:/docker/abc\n1:name=systemd:/\n"
      "0::/\n";
  CHECK_FALSE(cgroup_cpu_limit(self, root.path()));
  write(root.path() / "cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "-1\n");
  write(root.path() / "cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  CHECK_FALSE(cgroup_cpu_limit(self, root.path()));
  write(root.path() / "cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "200000\n");
  CHECK(cgroup_cpu_limit(self, root.path()) == 2);
  // The memory controller's folder is not read for CPU limits.
  write(root.path() / "memory/docker/abc/cpu.cfs_quota_us", "100000\n");
  write(root.path() / "memory/docker/abc/cpu.cfs_period_us", "100000\n");
  CHECK(cgroup_cpu_limit(self, root.path()) == 2);
}

TEST_CASE("a process pinned to one CPU counts one usable CPU", "[usable_cpus]") {
  // In a child, so the test process keeps its mask; the child reports through its exit code.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (::sched_setaffinity(0, sizeof one, &one) != 0)
      ::_exit(100);
    ::_exit(static_cast<int>(compute_usable_cpus()));
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(synapse::runtime::usable_cpus() >= 1);
}
