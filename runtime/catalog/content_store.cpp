#include "catalog/content_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <system_error>
#include <vector>

#include <synapse/catalog.hpp>

#include "catalog/catalog_util.hpp"

namespace synapse::runtime::catalog {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 20;  // 1 MiB: bounded memory whatever the file size

[[noreturn]] void throw_io(const std::string& what, int error) {
  throw CatalogError(CatalogError::Kind::io, what + ": " + std::strerror(error));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }
  // close() reports delayed write errors (NFS), so a successful write is checked through it.
  void close_checked(const fs::path& path) {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      throw_io("close " + path.string(), errno);
  }

 private:
  int fd_;
};

void fsync_directory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    throw_io("open folder " + dir.string(), errno);
  if (::fsync(fd.get()) != 0)
    throw_io("fsync folder " + dir.string(), errno);
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 initialisation failed");
    }
  }
  void update(const char* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx_.get(), data, size) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 update failed");
    }
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest, &length) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 final failed");
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kDigits[digest[i] >> 4];
      out += kDigits[digest[i] & 0xf];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx_;
};

void read_all(const fs::path& path, const std::function<void(const char*, std::size_t)>& sink) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    throw_io("open " + path.string(), errno);
  std::vector<char> buffer(kChunk);
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw_io("read " + path.string(), errno);
    }
    if (n == 0)
      break;
    sink(buffer.data(), static_cast<std::size_t>(n));
  }
}

std::string temp_name() {
  return std::to_string(::getpid()) + "-" + random_hex(8) + ".part";
}

bool process_alive(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

StagedFile::StagedFile(StagedFile&& other) noexcept
    : temp_(std::move(other.temp_)), sha256_(std::move(other.sha256_)), size_(other.size_) {
  other.temp_.clear();
}

StagedFile::~StagedFile() {
  if (!temp_.empty()) {
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

ContentStore::ContentStore(fs::path root) : root_(std::move(root)), tmp_(root_ / ".tmp") {
  std::error_code error;
  fs::create_directories(tmp_, error);
  if (error) {
    throw CatalogError(CatalogError::Kind::unavailable, "cannot create content store folder " +
                                                            tmp_.string() + ": " + error.message());
  }
}

namespace {

using Sink = std::function<void(const char*, std::size_t)>;

// Runs `produce`, which feeds the content to the sink chunk by chunk.
StagedFile stage_from(const fs::path& tmp_dir, const std::function<void(const Sink&)>& produce) {
  fs::path temp = tmp_dir / temp_name();
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    throw_io("create " + temp.string(), errno);
  // From here on the StagedFile owns the temporary and removes it if anything throws.
  StagedFile guard(temp, "", 0);
  Sha256 hash;
  std::uint64_t size = 0;
  produce([&](const char* data, std::size_t length) {
    hash.update(data, length);
    size += length;
    while (length > 0) {
      ssize_t n = ::write(fd.get(), data, length);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        throw_io("write " + temp.string(), errno);
      }
      data += n;
      length -= static_cast<std::size_t>(n);
    }
  });
  if (::fsync(fd.get()) != 0)
    throw_io("fsync " + temp.string(), errno);
  fd.close_checked(temp);
  guard.mark_published();  // hand the temporary over to the returned object
  return StagedFile(temp, hash.hex(), size);
}

}  // namespace

StagedFile ContentStore::stage(std::istream& in) const {
  return stage_from(tmp_, [&](const Sink& sink) {
    std::vector<char> buffer(kChunk);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      auto n = in.gcount();
      if (n > 0)
        sink(buffer.data(), static_cast<std::size_t>(n));
    }
    if (in.bad())
      throw CatalogError(CatalogError::Kind::io, "reading the input stream failed");
  });
}

StagedFile ContentStore::stage_file(const fs::path& path) const {
  return stage_from(tmp_, [&](const Sink& sink) { read_all(path, sink); });
}

std::string ContentStore::location(const std::string& sha256) {
  return sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256;
}

void ContentStore::publish(StagedFile& staged) const {
  fs::path target = path_of(staged.sha256());
  fs::path folder = target.parent_path();
  std::error_code error;
  bool created = fs::create_directories(folder, error);
  if (error) {
    throw CatalogError(CatalogError::Kind::io,
                       "cannot create folder " + folder.string() + ": " + error.message());
  }
  if (created) {
    // New folder entries must be durable too, or a crash could lose the whole subtree.
    fsync_directory(folder.parent_path());
    fsync_directory(root_);
  }
  if (::rename(staged.temp().c_str(), target.c_str()) != 0) {
    throw_io("rename " + staged.temp().string() + " to " + target.string(), errno);
  }
  staged.mark_published();
  fsync_directory(folder);
}

bool ContentStore::contains(const std::string& sha256) const {
  std::error_code error;
  return fs::is_regular_file(path_of(sha256), error);
}

void ContentStore::remove(const std::string& sha256) const {
  fs::path target = path_of(sha256);
  if (::unlink(target.c_str()) != 0) {
    if (errno == ENOENT)
      return;
    throw_io("remove " + target.string(), errno);
  }
  fsync_directory(target.parent_path());
}

void ContentStore::remove_stale_temporaries() const {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(tmp_, error)) {
    std::string name = entry.path().filename().string();
    auto dash = name.find('-');
    pid_t pid = 0;
    try {
      pid = static_cast<pid_t>(std::stol(name.substr(0, dash)));
    } catch (const std::exception&) {
      continue;  // not a name we write: leave it alone
    }
    if (pid > 0 && !process_alive(pid)) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
  }
}

std::string ContentStore::sha256_of_file(const fs::path& path) {
  Sha256 hash;
  read_all(path, [&](const char* data, std::size_t size) { hash.update(data, size); });
  return hash.hex();
}

}  // namespace synapse::runtime::catalog
