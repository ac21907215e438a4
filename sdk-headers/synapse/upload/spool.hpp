// Spool<T>: an append-only sequence of records that keeps memory flat however many records it
// holds. The first `memory_limit` records stay in memory (small uploads never touch the disk);
// past that, everything moves to an anonymous temporary file (O_TMPFILE in $TMPDIR or /tmp,
// gone when the spool is destroyed, even after a crash) as one JSON document per line.
//
// Why: an upload of a million files must not hold a million organized units (~200 bytes
// each, several times that as JSON objects) between the steps that discover, upload and
// register them. Reading is sequential, in append order, through for_each / for_each_batch.
//
// T converts to and from nlohmann::json (to_json / from_json found by ADL). Not thread-safe.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace synapse::upload {

template <class T>
class Spool {
 public:
  static constexpr std::size_t kDefaultMemoryLimit = 4096;

  explicit Spool(std::size_t memory_limit = kDefaultMemoryLimit) : memory_limit_(memory_limit) {}
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  Spool(Spool&& other) noexcept { swap(other); }
  Spool& operator=(Spool&& other) noexcept {
    if (this != &other) {
      Spool moved(std::move(other));
      swap(moved);
    }
    return *this;
  }
  ~Spool() { close_file(); }

  void append(const T& item) {
    if (fd_ < 0 && memory_.size() < memory_limit_) {
      memory_.push_back(item);
    } else {
      spill();
      write_line(nlohmann::json(item).dump());
    }
    ++size_;
  }
  void append(T&& item) {
    if (fd_ < 0 && memory_.size() < memory_limit_) {
      memory_.push_back(std::move(item));
      ++size_;
    } else {
      append(static_cast<const T&>(item));
    }
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // True once the records moved to the temporary file.
  bool on_disk() const noexcept { return fd_ >= 0; }

  // Calls f(T&&) for every record in append order. f may not append to this spool.
  template <class F>
  void for_each(F&& f) const {
    if (fd_ < 0) {
      for (const T& item : memory_) {
        T copy = item;
        f(std::move(copy));
      }
      return;
    }
    flush();
    std::string buffer(1 << 16, '\0');
    std::string line;
    off_t offset = 0;
    for (;;) {
      const ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), offset);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw std::runtime_error(std::string("spool: read failed: ") + std::strerror(errno));
      }
      if (n == 0) {
        break;
      }
      offset += n;
      std::size_t start = 0;
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        if (buffer[i] == '\n') {
          line.append(buffer, start, i - start);
          f(nlohmann::json::parse(line).template get<T>());
          line.clear();
          start = i + 1;
        }
      }
      line.append(buffer, start, static_cast<std::size_t>(n) - start);
    }
  }

  // Calls f(std::vector<T>&&) with consecutive batches of at most `batch` records.
  template <class F>
  void for_each_batch(std::size_t batch, F&& f) const {
    if (batch == 0) {
      batch = 1;
    }
    std::vector<T> chunk;
    chunk.reserve(std::min(batch, size_));
    for_each([&](T&& item) {
      chunk.push_back(std::move(item));
      if (chunk.size() == batch) {
        f(std::move(chunk));
        chunk.clear();
      }
    });
    if (!chunk.empty()) {
      f(std::move(chunk));
    }
  }

  // Everything in memory; for tests and small uploads.
  std::vector<T> to_vector() const {
    std::vector<T> out;
    out.reserve(size_);
    for_each([&](T&& item) { out.push_back(std::move(item)); });
    return out;
  }

  void clear() {
    close_file();
    memory_.clear();
    pending_.clear();
    size_ = 0;
  }

 private:
  void swap(Spool& other) noexcept {
    std::swap(memory_limit_, other.memory_limit_);
    std::swap(memory_, other.memory_);
    std::swap(fd_, other.fd_);
    std::swap(pending_, other.pending_);
    std::swap(size_, other.size_);
  }

  static std::string temp_dir() {
    const char* dir = std::getenv("TMPDIR");
    return dir != nullptr && *dir != '\0' ? dir : "/tmp";
  }

  // Moves the in-memory records to a new temporary file.
  void spill() {
    if (fd_ >= 0) {
      return;
    }
    const std::string dir = temp_dir();
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
      // A filesystem without O_TMPFILE: a named file, unlinked at once.
      std::string name = dir + "/synapse-spool-XXXXXX";
      fd_ = ::mkostemp(name.data(), O_CLOEXEC);
      if (fd_ >= 0) {
        ::unlink(name.c_str());
      }
    }
    if (fd_ < 0) {
      throw std::runtime_error("spool: cannot create a temporary file in " + dir + ": " +
                               std::strerror(errno));
    }
    for (const T& item : memory_) {
      write_line(nlohmann::json(item).dump());
    }
    memory_.clear();
    memory_.shrink_to_fit();
  }

  void write_line(const std::string& text) {
    pending_ += text;
    pending_ += '\n';
    if (pending_.size() >= (1 << 16)) {
      flush();
    }
  }

  // Writes the buffered lines (logically const: reading needs them on disk first).
  void flush() const {
    std::size_t done = 0;
    while (done < pending_.size()) {
      const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw std::runtime_error(std::string("spool: write failed: ") + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    pending_.clear();
  }

  void close_file() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  std::size_t memory_limit_ = kDefaultMemoryLimit;
  std::vector<T> memory_;
  int fd_ = -1;
  mutable std::string pending_;
  std::size_t size_ = 0;
};

}  // namespace synapse::upload
