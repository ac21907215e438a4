// The export benchmark's floor: writes the files an export wrote, and nothing else.
//
// Reads a manifest (one `relative/path<TAB>size` line per file, made by run.py from a finished
// synapse output of the same format) and creates those files under OUT with the same names and
// sizes, from THREADS threads (default 2, this machine's cores): open(O_CREAT|O_EXCL), write,
// close. No reading, no converting, no events. So it measures what the output's files alone
// cost: the creates in the one folder that holds every json/<id>.json (they contend on its
// lock) and copying their bytes into the page cache. No exporter writing this output can be
// faster, so stand-in time / floor time is the best ratio any exporter can reach on this
// machine that day. With `sync` it ends with one syncfs, as synapse's export does before it
// removes its EXPORT_INCOMPLETE marker: the floor of an exporter whose output survives a crash.
//
// Built by run.py with the system compiler (c++ -O2 -pthread); not part of the product.
//   write_floor MANIFEST OUT [THREADS] [sync]
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../floor_io.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: write_floor MANIFEST OUT [THREADS]\n");
    return 2;
  }
  const std::filesystem::path out = argv[2];
  const int threads = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
  const bool sync = argc > 4 && std::strcmp(argv[4], "sync") == 0;
  std::vector<std::pair<std::string, std::size_t>> files;
  std::ifstream manifest(argv[1]);
  for (std::string line; std::getline(manifest, line);) {
    const auto tab = line.rfind('\t');
    if (tab == std::string::npos) {
      std::fprintf(stderr, "%s: line without a tab: %s\n", argv[1], line.c_str());
      return 2;
    }
    files.emplace_back((out / line.substr(0, tab)).string(), std::stoull(line.substr(tab + 1)));
  }
  std::set<std::filesystem::path> folders;
  std::size_t largest = 0;
  for (const auto& [path, size] : files) {
    folders.insert(std::filesystem::path(path).parent_path());
    largest = std::max(largest, size);
  }
  for (const auto& folder : folders)
    std::filesystem::create_directories(folder);
  const std::string body(largest, 'x');
  std::vector<std::thread> workers;
  std::atomic<bool> failed = false;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (std::size_t i = t; i < files.size(); i += threads) {
        const int fd =
            ::open(files[i].first.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
          std::fprintf(stderr, "%s: %s\n", files[i].first.c_str(), std::strerror(errno));
          failed = true;
          return;
        }
        if (!bench_floor::write_all(fd, body.data(), files[i].second)) {
          std::fprintf(stderr, "%s: %s\n", files[i].first.c_str(), std::strerror(errno));
          failed = true;
        }
        ::close(fd);
      }
    });
  for (auto& w : workers)
    w.join();
  if (sync && !bench_floor::sync_filesystem_of(out))
    failed = true;
  std::printf("wrote %zu files\n", files.size());
  return failed ? 1 : 0;
}
