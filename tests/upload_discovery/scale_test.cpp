// Scale: discovery streams; a tree of many files is grouped without holding every file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "discovery_fixture.hpp"

using namespace discovery_test;

namespace {

// Peak resident set size in KiB (VmHWM), or -1 when unavailable.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("scale: 20,000 files in two specs make 10,000 units in order, memory stays small") {
  Tree tree;
  constexpr int kUnits = 10'000;
  for (const char* folder : {"image/sub", "meta/sub"}) {
    tree.folder(folder);
  }
  for (int i = 0; i < kUnits; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%06d", i);
    // Half of the images one folder deeper: the recursive keys then differ ("sub/000001").
    std::ofstream(tree.dir / (i % 2 == 0 ? "image/" : "image/sub/") / (std::string(name) + ".jpg"));
    std::ofstream(tree.dir / (i % 2 == 0 ? "meta/" : "meta/sub/") / (std::string(name) + ".json"));
  }
  [[maybe_unused]] const long before = peak_rss_kib();
  std::uint64_t units = 0;
  std::string previous;
  bool ordered = true;
  DiscoveryReport report;
  make_file_discovery("recursive")
      ->discover(
          *tree.storage, "", {spec("image", {".jpg"}), spec("meta", {".json"})}, {},
          [&](OrganizedUnit&& unit) {
            ordered = ordered && (units == 0 || previous < unit.key) && unit.files.size() == 2;
            previous = unit.key;
            ++units;
          },
          report);
  [[maybe_unused]] const long after = peak_rss_kib();
  CHECK(units == kUnits);
  CHECK(ordered);
  CHECK(previous == "sub/009999");
  CHECK(report.units == kUnits);
  CHECK(report.specs[0].files == kUnits);
  CHECK(report.specs[1].files == kUnits);
  CHECK(report.units_missing_required == 0);
#if !defined(__SANITIZE_ADDRESS__)
  // Only without ASan, whose quarantine keeps freed memory resident. Holding every path would
  // not reach this either at 20,000 files; the bound is for regressions of several MB.
  if (before > 0 && after > 0) {
    CHECK(after - before < 8 * 1024);
  }
#endif
}
