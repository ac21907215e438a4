#include "catalog/content_store.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include <synapse/catalog.hpp>

#include "catalog/catalog_util.hpp"
#include "common/unique_fd.hpp"

namespace synapse::runtime::catalog {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 20;  // 1 MiB: bounded memory whatever the file size

// The calling thread's read buffer, allocated once and never zeroed: a fresh zero-filled 1 MiB
// per file cost more than staging a 4 KiB file itself. Each thread that stages keeps 1 MiB.
char* chunk_buffer() {
  thread_local std::unique_ptr<char[]> buffer(new char[kChunk]);
  return buffer.get();
}

[[noreturn]] void throw_io(const std::string& what, int error) {
  throw CatalogError(CatalogError::Kind::io, what + ": " + std::strerror(error));
}

// close() reports delayed write errors (NFS), so a successful write is checked through it.
void close_checked(UniqueFd& fd, const fs::path& path) {
  if (::close(fd.release()) != 0)
    throw_io("close " + path.string(), errno);
}

void fsync_directory(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0)
    throw_io("open folder " + dir.string(), errno);
  if (::fsync(fd.get()) != 0)
    throw_io("fsync folder " + dir.string(), errno);
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// EVP_sha256() makes OpenSSL 3 look the implementation up on every EVP_DigestInit_ex; fetched
// once, it is not looked up again (a measurable share of hashing a 4 KiB file).
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

// One digest context per thread, reset for every file instead of allocated per file.
class Sha256 {
 public:
  Sha256() : ctx_(context()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, sha256_md(), nullptr) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 initialisation failed");
    }
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const char* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx_, data, size) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 update failed");
    }
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_, digest, &length) != 1) {
      throw CatalogError(CatalogError::Kind::io, "OpenSSL SHA-256 final failed");
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(2 * length, '\0');
    for (unsigned int i = 0; i < length; ++i) {
      out[2 * i] = kDigits[digest[i] >> 4];
      out[2 * i + 1] = kDigits[digest[i] & 0xf];
    }
    return out;
  }

 private:
  // Never two Sha256 at once on one thread (each is used and finished within one call).
  static EVP_MD_CTX* context() {
    thread_local std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
    return ctx.get();
  }
  EVP_MD_CTX* ctx_;
};

void read_all(const fs::path& path, const std::function<void(const char*, std::size_t)>& sink) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    throw_io("open " + path.string(), errno);
  char* buffer = chunk_buffer();
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, kChunk);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw_io("read " + path.string(), errno);
    }
    if (n == 0)
      break;
    sink(buffer, static_cast<std::size_t>(n));
  }
}

// mkdir the content folder straight away (std::filesystem::create_directories stats every level
// first, 6% of a small-file batch): EEXIST is the common case, ENOENT means aa is missing too.
void make_folder(const fs::path& folder) {
  if (::mkdir(folder.c_str(), 0755) == 0 || errno == EEXIST)
    return;
  if (errno == ENOENT) {
    fs::path parent = folder.parent_path();
    if ((::mkdir(parent.c_str(), 0755) == 0 || errno == EEXIST) &&
        (::mkdir(folder.c_str(), 0755) == 0 || errno == EEXIST)) {
      return;
    }
  }
  throw_io("create folder " + folder.string(), errno);
}

std::string temp_name() {
  return std::to_string(::getpid()) + "-" + random_hex(8) + ".part";
}

std::string shard_name(std::size_t shard) {
  static const char* const kHex = "0123456789abcdef";
  return std::string(1, kHex[shard % 16]);
}

bool process_alive(pid_t pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

StagedFile::StagedFile(StagedFile&& other) noexcept
    : temp_(std::move(other.temp_)),
      sha256_(std::move(other.sha256_)),
      size_(other.size_),
      store_(other.store_),
      dev_(other.dev_),
      ino_(other.ino_) {
  other.temp_.clear();
}

StagedFile::~StagedFile() {
  if (temp_.empty())
    return;
  if (store_ != nullptr) {
    store_->discard_in_place(temp_, dev_, ino_);
  } else {
    std::error_code ignored;
    fs::remove(temp_, ignored);
  }
}

ContentStore::PublishLock::PublishLock(const ContentStore& store) : guard_(store.publish_mutex_) {
  // Best effort across processes: without the lock (no such folder, a filesystem without
  // flock) this process's threads are still serialised by the mutex.
  fd_ = ::open(store.root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ >= 0) {
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
}

ContentStore::PublishLock::~PublishLock() {
  if (fd_ >= 0)
    ::close(fd_);  // releases the flock
}

ContentStore::ContentStore(fs::path root) : root_(std::move(root)), tmp_(root_ / ".tmp") {
  std::error_code error;
  fs::create_directories(tmp_, error);
  if (error) {
    throw CatalogError(CatalogError::Kind::unavailable, "cannot create content store folder " +
                                                            tmp_.string() + ": " + error.message());
  }
  for (std::size_t shard = 0; shard < kTempShards; ++shard) {
    fs::create_directories(tmp_ / shard_name(shard), error);
    if (error) {
      throw CatalogError(CatalogError::Kind::unavailable, "cannot create content store folder " +
                                                              (tmp_ / shard_name(shard)).string() +
                                                              ": " + error.message());
    }
  }
#ifdef __linux__
  sync_fd_ = UniqueFd(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (sync_fd_.get() < 0)
    throw_io("open folder " + root_.string(), errno);
#endif
  // The layout is fixed when the store is created. A store without LAYOUT that already holds
  // content folders was made with layout 1 (before the file existed) and keeps it.
  const fs::path marker = root_ / "LAYOUT";
  std::ifstream in(marker);
  if (in >> layout_ && (layout_ == 1 || layout_ == 2))
    return;
  bool has_content = false;
  for (const auto& entry : fs::directory_iterator(root_, error)) {
    if (entry.path().filename() != ".tmp" && entry.path().filename() != "LAYOUT")
      has_content = true;
  }
  layout_ = has_content ? 1 : 2;
  std::ofstream out(marker);
  out << layout_ << "\n";
}

namespace {

using Sink = std::function<void(const char*, std::size_t)>;

// Unsynced writes of large content start their write-back every this many bytes, so that the
// batch's durability barrier finds most of the bytes on disk already instead of waiting for
// all of them (sync_file_range(SYNC_FILE_RANGE_WRITE) starts I/O and does not wait for it).
constexpr std::uint64_t kWritebackStep = 8 << 20;

void write_fully(int fd, const fs::path& path, const char* data, std::size_t length) {
  while (length > 0) {
    ssize_t n = ::write(fd, data, length);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      throw_io("write " + path.string(), errno);
    }
    data += n;
    length -= static_cast<std::size_t>(n);
  }
}

// Runs `produce`, which feeds the content to the sink chunk by chunk; fsyncs when `durable`.
StagedFile stage_from(const fs::path& tmp_dir, bool durable,
                      const std::function<void(const Sink&)>& produce) {
  fs::path temp = tmp_dir / temp_name();
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0)
    throw_io("create " + temp.string(), errno);
  // From here on the StagedFile owns the temporary and removes it if anything throws.
  StagedFile guard(temp, "", 0);
  Sha256 hash;
  std::uint64_t size = 0;
  std::uint64_t kicked = 0;  // bytes whose write-back was started
  produce([&](const char* data, std::size_t length) {
    hash.update(data, length);
    write_fully(fd.get(), temp, data, length);
    size += length;
#ifdef __linux__
    if (!durable && size - kicked >= kWritebackStep) {
      // Advisory: a failure here only means the barrier does the work later.
      ::sync_file_range(fd.get(), static_cast<off_t>(kicked), static_cast<off_t>(size - kicked),
                        SYNC_FILE_RANGE_WRITE);
      kicked = size;
    }
#endif
  });
  if (durable && ::fsync(fd.get()) != 0)
    throw_io("fsync " + temp.string(), errno);
  close_checked(fd, temp);
  guard.mark_published();  // hand the temporary over to the returned object
  return StagedFile(temp, hash.hex(), size);
}

void read_stream(std::istream& in, const Sink& sink) {
  char* buffer = chunk_buffer();
  while (in) {
    in.read(buffer, static_cast<std::streamsize>(kChunk));
    auto n = in.gcount();
    if (n > 0)
      sink(buffer, static_cast<std::size_t>(n));
  }
  if (in.bad())
    throw CatalogError(CatalogError::Kind::io, "reading the input stream failed");
}

}  // namespace

StagedFile ContentStore::stage(std::istream& in) const {
  return stage_from(tmp_, true, [&](const Sink& sink) { read_stream(in, sink); });
}

bool ContentStore::create_in_place(const fs::path& target, const char* data, std::size_t size,
                                   dev_t& dev, ino_t& ino) const {
  int raw = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (raw < 0 && errno == ENOENT) {
    // The content folder is made on first use only (a mkdir per file cost as much as the
    // create itself); it becomes durable with the batch's barrier like the file.
    make_folder(target.parent_path());
    raw = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (raw < 0) {
    if (errno == EEXIST)
      return false;
    throw_io("create " + target.string(), errno);
  }
  UniqueFd fd(raw);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    const int error = errno;
    ::unlink(target.c_str());  // ours, just made: nothing else can have it yet
    throw_io("stat " + target.string(), error);
  }
  try {
    write_fully(fd.get(), target, data, size);
    close_checked(fd, target);
  } catch (...) {
    discard_in_place(target, st.st_dev, st.st_ino);
    throw;
  }
  dev = st.st_dev;
  ino = st.st_ino;
  return true;
}

StagedFile ContentStore::stage_unsynced(std::istream& in) const {
  // Concurrent creates in ONE folder serialise on that folder's inode lock (9% of a
  // 10-thread small-file upload in perf); each thread stages into its own shard instead.
  const std::size_t shard = std::hash<std::thread::id>{}(std::this_thread::get_id()) % kTempShards;
  const fs::path shard_dir = tmp_ / shard_name(shard);

  // Content that fits in one chunk is hashed in memory, then written once, at its final name.
  char* buffer = chunk_buffer();
  in.read(buffer, static_cast<std::streamsize>(kChunk));
  const auto first = static_cast<std::size_t>(in.gcount());
  if (in.bad())
    throw CatalogError(CatalogError::Kind::io, "reading the input stream failed");
  const bool whole = !in.good() || in.peek() == std::char_traits<char>::eof();
  if (in.bad())
    throw CatalogError(CatalogError::Kind::io, "reading the input stream failed");
  if (whole) {
    Sha256 hash;
    hash.update(buffer, first);
    std::string sha256 = hash.hex();
    fs::path target = path_of(sha256);
    dev_t dev = 0;
    ino_t ino = 0;
    if (create_in_place(target, buffer, first, dev, ino))
      return StagedFile(std::move(target), std::move(sha256), first, *this, dev, ino);
    // The name is taken (stored already, or left by a killed run): a temporary, which
    // commit_files renames over it or drops.
    return stage_from(shard_dir, false, [&](const Sink& sink) { sink(buffer, first); });
  }

  // Larger content streams into a temporary while hashing, then is linked at its final name.
  StagedFile staged = stage_from(shard_dir, false, [&](const Sink& sink) {
    sink(buffer, first);
    read_stream(in, sink);
  });
  const fs::path target = path_of(staged.sha256());
  int rc = ::link(staged.temp().c_str(), target.c_str());
  if (rc != 0 && errno == ENOENT) {
    make_folder(target.parent_path());
    rc = ::link(staged.temp().c_str(), target.c_str());
  }
  if (rc != 0)
    return staged;  // taken (or no hard links here): commit_files renames or drops it
  struct stat st {};
  if (::lstat(target.c_str(), &st) != 0) {
    const int error = errno;
    ::unlink(target.c_str());
    throw_io("stat " + target.string(), error);
  }
  StagedFile in_place(target, staged.sha256(), staged.size(), *this, st.st_dev, st.st_ino);
  // `staged` removes the temporary name when it goes; the in-place name keeps the inode.
  return in_place;
}

StagedFile ContentStore::stage_file(const fs::path& path) const {
  return stage_from(tmp_, true, [&](const Sink& sink) { read_all(path, sink); });
}

std::string ContentStore::location(const std::string& sha256) const {
  if (layout_ == 1)
    return sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256;
  return sha256.substr(0, 2) + "/" + sha256;
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
  if (staged.in_place()) {
    staged.mark_published();  // already there (made by stage_unsynced)
  } else {
    PublishLock lock(*this);
    if (::rename(staged.temp().c_str(), target.c_str()) != 0) {
      throw_io("rename " + staged.temp() + " to " + target.string(), errno);
    }
    staged.mark_published();
  }
  fsync_directory(folder);
}

void ContentStore::sync_barrier() const {
#ifdef __linux__
  // Since Linux 5.8 syncfs also reports write-back errors of the filesystem.
  if (::syncfs(sync_fd_.get()) != 0)
    throw_io("syncfs " + root_.string(), errno);
#else
  ::sync();
#endif
}

void ContentStore::publish_batch(const std::vector<StagedFile*>& staged) const {
  std::optional<PublishLock> lock;
  bool renamed = false;
  for (std::size_t i = 0; i < staged.size(); ++i) {
    try {
      StagedFile& file = *staged[i];
      if (file.in_place()) {
        file.mark_published();  // at its final name already, durable with the first barrier
        continue;
      }
      if (!lock)
        lock.emplace(*this);
      renamed = true;
      fs::path target = path_of(file.sha256());
      // The folder exists when the name was found taken; make it if it has gone since.
      int rc = ::rename(file.temp().c_str(), target.c_str());
      if (rc != 0 && errno == ENOENT) {
        make_folder(target.parent_path());
        rc = ::rename(file.temp().c_str(), target.c_str());
      }
      if (rc != 0)
        throw_io("rename " + file.temp() + " to " + target.string(), errno);
      file.mark_published();
    } catch (const CatalogError& e) {
      throw PublishError(i, e);
    }
  }
  lock.reset();
  if (renamed)
    sync_barrier();
}

void ContentStore::discard_in_place(const fs::path& path, dev_t dev, ino_t ino) const noexcept {
  try {
    PublishLock lock(*this);
    // Another process may have renamed its copy of the same content over this name and
    // registered it: then the name is no longer this inode and must stay.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino)
      ::unlink(path.c_str());
  } catch (...) {
    // std::system_error from the mutex: leave the bytes, harmless without a row (the next
    // store of that content registers them).
  }
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
  remove_stale_in(tmp_);
  for (std::size_t shard = 0; shard < kTempShards; ++shard)
    remove_stale_in(tmp_ / shard_name(shard));
}

void ContentStore::remove_stale_in(const fs::path& folder) const {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_directory(error))
      continue;
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
