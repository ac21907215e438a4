// The upload benchmark's floor: what storing every file of a set in a durable, content-addressed
// file store costs, and nothing else.
//
// Walks SRC (every regular file below it), and from THREADS threads (default 2, this machine's
// cores) reads each file whole, hashes it with SHA-256 (OpenSSL EVP, as synapse's content store
// does) and creates OUT/<aa>/<sha256> with O_EXCL, writes it, closes it: the layout of synapse's
// content store (one folder level, at most 256 folders). Then one syncfs makes the files
// durable. No catalog rows, no events, no data units, no deduplication check: any uploader
// that keeps one file per content under its hash (design.md §7: "a content-addressed file
// store") and survives a crash does at least this, so cp time / floor time is the best ratio to
// cp such an uploader can reach on this machine that day.
//
// Built by run.py with the system compiler (c++ -O2 -pthread ... -lcrypto); not part of the
// product.
//   store_floor SRC OUT [THREADS]
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../floor_io.hpp"

namespace {

bool read_whole(const std::string& path, std::vector<char>& buffer, std::size_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  size = 0;
  for (;;) {
    if (size == buffer.size())
      buffer.resize(buffer.size() * 2);
    const auto n = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0)
      break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

std::string sha256_hex(EVP_MD_CTX* ctx, const EVP_MD* md, const char* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, data, size);
  EVP_DigestFinal_ex(ctx, digest, &length);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(2 * length, '\0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: store_floor SRC OUT [THREADS]\n");
    return 2;
  }
  const std::filesystem::path out = argv[2];
  const int threads = argc > 3 ? std::max(1, std::atoi(argv[3])) : 2;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (entry.is_regular_file())
      files.push_back(entry.path().string());
  }
  std::filesystem::create_directories(out);
  const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::atomic<std::size_t> next = 0;
  std::atomic<bool> failed = false;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      std::vector<char> buffer(1 << 20);
      for (std::size_t i = next++; i < files.size() && !failed; i = next++) {
        std::size_t size = 0;
        if (!read_whole(files[i], buffer, size)) {
          std::fprintf(stderr, "%s: %s\n", files[i].c_str(), std::strerror(errno));
          failed = true;
          break;
        }
        const std::string hash = sha256_hex(ctx, md, buffer.data(), size);
        const std::string folder = (out / hash.substr(0, 2)).string();
        const std::string target = folder + "/" + hash;
        int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == ENOENT && (::mkdir(folder.c_str(), 0755) == 0 || errno == EEXIST))
          fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST)
          continue;  // the same content twice: stored once
        if (fd < 0) {
          std::fprintf(stderr, "%s: %s\n", target.c_str(), std::strerror(errno));
          failed = true;
          break;
        }
        if (!bench_floor::write_all(fd, buffer.data(), size)) {
          std::fprintf(stderr, "%s: %s\n", target.c_str(), std::strerror(errno));
          failed = true;
        }
        ::close(fd);
      }
      EVP_MD_CTX_free(ctx);
    });
  for (auto& w : workers)
    w.join();
  if (!bench_floor::sync_filesystem_of(out))
    failed = true;
  std::printf("stored %zu files\n", files.size());
  return failed ? 1 : 0;
}
