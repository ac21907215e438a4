#include "packaging/plugin_archive_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <memory>

#include "common/runtime_error.hpp"
#include "common/unique_fd.hpp"
#include "packaging/atomic_files.hpp"
#include "packaging/plugin_library_checks.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime::packaging {

namespace {

struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

// A gzip-compressed pax (ustar where it fits) stream written to an open file.
class ArchiveOut {
 public:
  ArchiveOut(int fd, fs::path path) : a_(archive_write_new()), path_(std::move(path)) {
    if (!a_ || archive_write_add_filter_gzip(a_.get()) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(a_.get()) != ARCHIVE_OK ||
        archive_write_open_fd(a_.get(), fd) != ARCHIVE_OK) {
      fail("start");
    }
  }

  void directory(const std::string& name) {
    auto entry = make_entry(name, AE_IFDIR, 0755, 0, std::time(nullptr));
    header(*entry);
  }

  void file_from_memory(const std::string& name, const std::string& data) {
    auto entry =
        make_entry(name, AE_IFREG, 0644, static_cast<la_int64_t>(data.size()), std::time(nullptr));
    header(*entry);
    if (!data.empty() && archive_write_data(a_.get(), data.data(), data.size()) < 0)
      fail("write " + name + " into");
  }

  // Copies exactly `st.st_size` bytes of `fd`; a file that grows or shrinks meanwhile throws
  // archive.source_changed rather than packing bytes SHA256SUMS does not describe.
  void file_from_fd(const std::string& name, int fd, const struct stat& st, const fs::path& src) {
    const mode_t perm = (st.st_mode & 0111) != 0 ? 0755 : 0644;
    auto entry = make_entry(name, AE_IFREG, perm, st.st_size, st.st_mtim.tv_sec);
    header(*entry);
    std::unique_ptr<char[]> buffer(new char[kChunk]);
    off_t left = st.st_size;
    while (left > 0) {
      const ssize_t n = ::read(fd, buffer.get(), kChunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        throw_io("read", src, errno);
      if (n == 0)
        break;
      const auto take = static_cast<std::size_t>(std::min<off_t>(n, left));
      if (archive_write_data(a_.get(), buffer.get(), take) < 0)
        fail("write " + name + " into");
      left -= static_cast<off_t>(take);
      if (static_cast<std::size_t>(n) > take)
        break;
    }
    char extra = 0;
    if (left != 0 || ::read(fd, &extra, 1) != 0) {
      throw RuntimeError(ExitCode::transient, "archive.source_changed",
                         src.string() + " changed while it was being packaged; package again");
    }
  }

  void finish() {
    if (archive_write_close(a_.get()) != ARCHIVE_OK)
      fail("finish");
  }

 private:
  static constexpr std::size_t kChunk = 1 << 16;

  static std::unique_ptr<archive_entry, EntryDeleter> make_entry(const std::string& name,
                                                                 unsigned type, mode_t perm,
                                                                 la_int64_t size, time_t mtime) {
    std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), perm);
    archive_entry_set_size(entry.get(), size);
    archive_entry_set_mtime(entry.get(), mtime, 0);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    return entry;
  }

  void header(archive_entry& entry) {
    if (archive_write_header(a_.get(), &entry) != ARCHIVE_OK)
      fail(std::string("write the header of ") + archive_entry_pathname(&entry) + " into");
  }

  [[noreturn]] void fail(const std::string& what) {
    const char* why = a_ ? archive_error_string(a_.get()) : nullptr;
    throw RuntimeError(ExitCode::transient, "archive.write_failed",
                       "cannot " + what + " " + path_.string() + ": " +
                           (why != nullptr ? why : "libarchive error"));
  }

  std::unique_ptr<archive, WriteDeleter> a_;
  fs::path path_;
};

struct Source {
  std::string name;  // inside the top folder
  fs::path file;
};

bool taken(const std::vector<Source>& sources, const std::string& name) {
  for (const auto& s : sources) {
    if (s.name == name)
      return true;
  }
  return name == kSumsFile;
}

// The readme the config names (key `readme`), and README.md, when they exist.
void add_readmes(const PluginConfig& plugin, std::vector<Source>& sources,
                 std::vector<std::string>& warnings) {
  std::vector<std::pair<std::string, bool>> wanted;  // name, named by the config
  if (const auto it = plugin.raw.find("readme");
      it != plugin.raw.end() && it->is_string() && !it->get<std::string>().empty()) {
    wanted.emplace_back(it->get<std::string>(), true);
  }
  wanted.emplace_back("README.md", false);
  for (const auto& [raw_name, named] : wanted) {
    std::string why;
    const auto name = safe_relative_name(raw_name, why);
    if (name.empty()) {
      warnings.push_back(plugin.file.string() + ": readme '" + raw_name + "' is " + why +
                         "; not packaged");
      continue;
    }
    if (taken(sources, name))
      continue;  // already packed (README.md named by the config) or a reserved name
    std::error_code ec;
    const auto file = plugin.dir / name;
    if (fs::is_regular_file(file, ec)) {
      sources.push_back({name, file});
    } else if (named) {
      warnings.push_back(plugin.file.string() + ": readme '" + raw_name + "' not found (" +
                         file.string() + "); not packaged");
    }
  }
}

std::vector<Source> gather_sources(const PluginConfig& plugin, const PluginPath& search_path,
                                   std::vector<std::string>& warnings) {
  std::vector<Source> sources{{std::string(kConfigFile), plugin.file}};
  for (const auto& library : check_plugin_libraries(plugin, search_path)) {
    const auto name = library.file.filename().string();
    if (taken(sources, name)) {
      // Only possible when some libraries come from the folder and others from a built copy.
      throw RuntimeError(ExitCode::usage, "archive.name_clash",
                         plugin.file.string() + ": action '" + library.actions.front() + "' uses " +
                             library.file.string() +
                             ", but another file of the archive is already named " + name);
    }
    sources.push_back({name, library.file});
  }
  add_readmes(plugin, sources, warnings);
  return sources;
}

// Hashes `src`, then copies the same open file into the archive; the inode and mtime are
// compared around both so the sum always describes the packed bytes.
FileSum pack_file(ArchiveOut& out, const std::string& top, const Source& src) {
  UniqueFd fd(::open(src.file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat before {};
  if (fd.get() < 0 || ::fstat(fd.get(), &before) != 0)
    throw_io("open", src.file, errno);
  FileSum sum{file_sha256(src.file), src.name};
  struct stat by_path {};
  if (::stat(src.file.c_str(), &by_path) != 0 || by_path.st_ino != before.st_ino ||
      by_path.st_dev != before.st_dev || by_path.st_size != before.st_size ||
      by_path.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      by_path.st_mtim.tv_nsec != before.st_mtim.tv_nsec) {
    throw RuntimeError(ExitCode::transient, "archive.source_changed",
                       src.file.string() + " changed while it was being packaged; package again");
  }
  out.file_from_fd(top + "/" + src.name, fd.get(), before, src.file);
  return sum;
}

}  // namespace

PackageResult package_plugin(const PluginConfig& plugin, const PluginPath& search_path,
                             const fs::path& output_dir, bool force) {
  PackageResult result;
  result.top_folder = archive_top_folder(plugin.code, plugin.version);
  std::error_code ec;
  const fs::path out_dir = fs::absolute(output_dir, ec).lexically_normal();
  result.archive = out_dir / (result.top_folder + ".tar.gz");
  if (!force && fs::exists(fs::symlink_status(result.archive, ec))) {
    throw RuntimeError(ExitCode::usage, "archive.exists",
                       result.archive.string() + " exists; pass --force to replace it");
  }
  const auto sources = gather_sources(plugin, search_path, result.warnings);

  fs::create_directories(out_dir, ec);
  if (ec)
    throw_io("create the folder", out_dir, ec.value());
  fs::path temp;
  UniqueFd fd(make_temp_file(out_dir, "." + result.top_folder + ".tar.gz.", temp));
  bool published = false;
  struct Cleanup {
    const fs::path& temp;
    const bool& published;
    ~Cleanup() {
      if (!published)
        ::unlink(temp.c_str());
    }
  } cleanup{temp, published};

  {
    ArchiveOut out(fd.get(), temp);
    out.directory(result.top_folder);
    for (const auto& src : sources)
      result.sums.push_back(pack_file(out, result.top_folder, src));
    out.file_from_memory(result.top_folder + "/" + std::string(kSumsFile),
                         format_sums(result.sums));
    out.finish();
  }
  if (::fsync(fd.get()) != 0)
    throw_io("fsync", temp, errno);
  if (force) {
    if (::rename(temp.c_str(), result.archive.c_str()) != 0)
      throw_io("rename " + temp.string() + " to", result.archive, errno);
  } else if (!rename_no_replace(temp, result.archive)) {
    throw RuntimeError(ExitCode::usage, "archive.exists",
                       result.archive.string() + " exists; pass --force to replace it");
  }
  published = true;
  fsync_path(out_dir);
  return result;
}

}  // namespace synapse::runtime::packaging
