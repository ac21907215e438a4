// Spool<T>: an append-only sequence of records that keeps memory flat however many records it
// holds. The first `memory_limit` records stay in memory (small uploads never touch the disk);
// past that, everything moves to an anonymous temporary file (O_TMPFILE in $TMPDIR or /tmp,
// gone when the spool is destroyed, even after a crash) as length-prefixed records.
//
// Why: an upload of a million files must not hold a million organized units (~200 bytes
// each, several times that as JSON objects) between the steps that discover, upload and
// register them. Reading is sequential, in append order, through for_each / for_each_batch.
//
// Record format: a 4-byte length, then the record. The pipeline's own records (OrganizedUnit,
// UploadedUnit, DataUnit) are written field by field (SpoolCodec below; only their `meta` is
// JSON text): writing and re-parsing whole units as JSON documents cost about 8% of a
// small-file upload. Any other T converts to and from nlohmann::json (to_json / from_json
// found by ADL) and is stored as JSON text. The file lives only as long as the spool, so the
// format is private to this header. Not thread-safe.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/upload/units.hpp>

namespace synapse::upload {

namespace spool_detail {

inline void put_u32(std::string& out, std::uint32_t value) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);
  out.append(bytes, 4);
}
inline void put_i64(std::string& out, std::int64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  out.append(bytes, 8);
}
inline void put_string(std::string& out, std::string_view text) {
  if (text.size() > 0xffffffffu) {
    throw std::length_error("spool: a record field over 4 GiB");
  }
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out.append(text.data(), text.size());
}
inline void put_json(std::string& out, const nlohmann::json& value) {
  put_string(out, value.dump());
}

// Reads one record's fields; a record that ends early throws (a corrupt spool file).
class Reader {
 public:
  Reader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
  std::uint32_t u32() {
    std::uint32_t value;
    std::memcpy(&value, take(4), 4);
    return value;
  }
  std::int64_t i64() {
    std::int64_t value;
    std::memcpy(&value, take(8), 8);
    return value;
  }
  std::string_view string_view() {
    const std::uint32_t size = u32();
    return {take(size), size};
  }
  std::string string() { return std::string(string_view()); }
  nlohmann::json json() { return nlohmann::json::parse(string_view()); }
  bool at_end() const { return p_ == end_; }

 private:
  const char* take(std::size_t size) {
    if (static_cast<std::size_t>(end_ - p_) < size) {
      throw std::runtime_error("spool: corrupt record (ends early)");
    }
    const char* at = p_;
    p_ += size;
    return at;
  }
  const char* p_;
  const char* end_;
};

}  // namespace spool_detail

// How a record type is written to and read from the spool file. The default: JSON text.
template <class T>
struct SpoolCodec {
  static void write(std::string& out, const T& item) {
    spool_detail::put_json(out, nlohmann::json(item));
  }
  static T read(spool_detail::Reader& in) { return in.json().template get<T>(); }
};

template <>
struct SpoolCodec<DataFile> {
  static void write(std::string& out, const DataFile& file) {
    spool_detail::put_i64(out, file.id);
    spool_detail::put_string(out, file.checksum);
    spool_detail::put_i64(out, static_cast<std::int64_t>(file.size));
    spool_detail::put_string(out, file.original_name);
    spool_detail::put_string(out, file.location);
    spool_detail::put_json(out, file.meta);
    spool_detail::put_string(out, file.created_at);
  }
  static DataFile read(spool_detail::Reader& in) {
    DataFile file;
    file.id = in.i64();
    file.checksum = in.string();
    file.size = static_cast<std::uint64_t>(in.i64());
    file.original_name = in.string();
    file.location = in.string();
    file.meta = in.json();
    file.created_at = in.string();
    return file;
  }
};

template <>
struct SpoolCodec<OrganizedUnit> {
  static void write(std::string& out, const OrganizedUnit& unit) {
    spool_detail::put_string(out, unit.key);
    spool_detail::put_u32(out, static_cast<std::uint32_t>(unit.files.size()));
    for (const auto& [spec, path] : unit.files) {
      spool_detail::put_string(out, spec);
      spool_detail::put_string(out, path);
    }
    spool_detail::put_json(out, unit.meta);
  }
  static OrganizedUnit read(spool_detail::Reader& in) {
    OrganizedUnit unit;
    unit.key = in.string();
    for (std::uint32_t n = in.u32(); n > 0; --n) {
      std::string spec = in.string();
      unit.files.emplace_hint(unit.files.end(), std::move(spec), in.string());
    }
    unit.meta = in.json();
    return unit;
  }
};

template <>
struct SpoolCodec<UploadedUnit> {
  static void write(std::string& out, const UploadedUnit& unit) {
    spool_detail::put_string(out, unit.key);
    spool_detail::put_u32(out, static_cast<std::uint32_t>(unit.files.size()));
    for (const auto& [spec, file] : unit.files) {
      spool_detail::put_string(out, spec);
      SpoolCodec<DataFile>::write(out, file);
    }
    spool_detail::put_u32(out, static_cast<std::uint32_t>(unit.created.size()));
    for (const auto& [spec, created] : unit.created) {
      spool_detail::put_string(out, spec);
      spool_detail::put_u32(out, created ? 1 : 0);
    }
    spool_detail::put_json(out, unit.meta);
    spool_detail::put_string(out, unit.error);
  }
  static UploadedUnit read(spool_detail::Reader& in) {
    UploadedUnit unit;
    unit.key = in.string();
    for (std::uint32_t n = in.u32(); n > 0; --n) {
      std::string spec = in.string();
      unit.files.emplace_hint(unit.files.end(), std::move(spec), SpoolCodec<DataFile>::read(in));
    }
    for (std::uint32_t n = in.u32(); n > 0; --n) {
      std::string spec = in.string();
      unit.created.emplace_hint(unit.created.end(), std::move(spec), in.u32() != 0);
    }
    unit.meta = in.json();
    unit.error = in.string();
    return unit;
  }
};

template <>
struct SpoolCodec<DataUnit> {
  static void write(std::string& out, const DataUnit& unit) {
    spool_detail::put_i64(out, unit.id);
    spool_detail::put_i64(out, unit.collection_id);
    spool_detail::put_u32(out, static_cast<std::uint32_t>(unit.files.size()));
    for (const auto& [spec, id] : unit.files) {
      spool_detail::put_string(out, spec);
      spool_detail::put_i64(out, id);
    }
    spool_detail::put_json(out, unit.meta);
  }
  static DataUnit read(spool_detail::Reader& in) {
    DataUnit unit;
    unit.id = in.i64();
    unit.collection_id = in.i64();
    for (std::uint32_t n = in.u32(); n > 0; --n) {
      std::string spec = in.string();
      unit.files.emplace_hint(unit.files.end(), std::move(spec), in.i64());
    }
    unit.meta = in.json();
    return unit;
  }
};

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
      write_record(item);
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
    std::string block(1 << 16, '\0');
    std::string data;      // unread bytes: whole records, then the start of the next one
    std::size_t used = 0;  // bytes of `data` already handed out
    off_t offset = 0;
    for (;;) {
      const ssize_t n = ::pread(fd_, block.data(), block.size(), offset);
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
      data.erase(0, used);
      used = 0;
      data.append(block, 0, static_cast<std::size_t>(n));
      while (data.size() - used >= 4) {
        std::uint32_t length;
        std::memcpy(&length, data.data() + used, 4);
        if (data.size() - used - 4 < length) {
          break;  // the rest of this record comes with the next block
        }
        spool_detail::Reader reader(data.data() + used + 4, length);
        T item = SpoolCodec<T>::read(reader);
        if (!reader.at_end()) {
          throw std::runtime_error("spool: corrupt record (trailing bytes)");
        }
        used += 4 + std::size_t{length};
        f(std::move(item));
      }
    }
    if (used != data.size()) {
      throw std::runtime_error("spool: the temporary file ends inside a record");
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
      write_record(item);
    }
    memory_.clear();
    memory_.shrink_to_fit();
  }

  void write_record(const T& item) {
    const std::size_t start = pending_.size();
    spool_detail::put_u32(pending_, 0);  // the length, filled in below
    try {
      SpoolCodec<T>::write(pending_, item);
    } catch (...) {
      pending_.resize(start);  // e.g. meta that is not valid UTF-8: nothing half-written
      throw;
    }
    const std::size_t length = pending_.size() - start - 4;
    if (length > 0xffffffffu) {
      pending_.resize(start);
      throw std::length_error("spool: a record over 4 GiB");
    }
    const auto length32 = static_cast<std::uint32_t>(length);
    std::memcpy(pending_.data() + start, &length32, 4);
    if (pending_.size() >= (1 << 16)) {
      flush();
    }
  }

  // Writes the buffered records (logically const: reading needs them on disk first).
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
