#include "packaging/plugin_archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <set>

#include "common/runtime_error.hpp"
#include "packaging/archive_format.hpp"
#include "packaging/atomic_files.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime::packaging {

namespace {

struct ReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using Reader = std::unique_ptr<archive, ReadDeleter>;

[[noreturn]] void refuse(const std::string& id, const std::string& message) {
  throw RuntimeError(ExitCode::load_failed, id, message);
}

std::string error_of(archive* a) {
  const char* why = archive_error_string(a);
  return why != nullptr ? why : "libarchive error";
}

Reader open_archive(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw RuntimeError(ExitCode::usage, "archive.not_found",
                       "plugin archive not found: " + file.string() +
                           " (expected a <code>-<version>.tar.gz from `synapse plugin package`)");
  }
  Reader a(archive_read_new());
  if (!a || archive_read_support_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_read_support_format_tar(a.get()) != ARCHIVE_OK ||
      archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) {
    refuse("archive.invalid", file.string() + ": not a readable tar.gz archive: " +
                                  (a ? error_of(a.get()) : "out of memory"));
  }
  return a;
}

// One header, checked; false at the end of the archive.
bool next_entry(archive* a, const fs::path& file, archive_entry*& entry, bool first) {
  const int rc = archive_read_next_header(a, &entry);
  if (rc == ARCHIVE_EOF) {
    if (first)
      refuse("archive.invalid", file.string() + ": the archive is empty");
    return false;
  }
  if (rc < ARCHIVE_WARN)
    refuse("archive.invalid", file.string() + ": corrupt tar.gz archive: " + error_of(a));
  // Without a gzip bidder match libarchive reads the bytes as they are: a plain tar (or any
  // other wrapping) must not pass for a plugin archive.
  if (first && archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
    refuse("archive.invalid", file.string() +
                                  ": not gzip-compressed (expected a .tar.gz from `synapse "
                                  "plugin package`)");
  }
  return true;
}

// The entry's checked name split into top folder and the rest; refuses unsafe entries.
ArchiveEntryInfo check_entry(archive_entry* entry, const fs::path& file, std::string& top) {
  const char* raw = archive_entry_pathname(entry);
  const std::string shown = raw != nullptr ? raw : "<unreadable name>";
  auto unsafe = [&](const std::string& what) {
    refuse("archive.unsafe_entry", file.string() + ": entry '" + shown + "' is " + what +
                                       "; a plugin archive holds only regular files");
  };
  if (raw == nullptr)
    unsafe("not a readable file name");
  if (const char* target = archive_entry_hardlink(entry))
    unsafe(std::string("a hard link to '") + target + "'");
  const auto type = archive_entry_filetype(entry);
  if (type == AE_IFLNK) {
    const char* target = archive_entry_symlink(entry);
    unsafe(std::string("a symbolic link to '") + (target ? target : "?") + "'");
  }
  if (type != AE_IFREG && type != AE_IFDIR)
    unsafe("a device, FIFO or socket");
  std::string why;
  const auto name = safe_relative_name(raw, why);
  if (name.empty())
    unsafe(why);
  const auto slash = name.find('/');
  const auto first = name.substr(0, slash);
  if (top.empty()) {
    top = first;
  } else if (first != top) {
    refuse("archive.layout", file.string() + ": more than one top folder ('" + top + "' and '" +
                                 first + "'); expected everything under <code>-<version>/");
  }
  ArchiveEntryInfo info;
  info.name = slash == std::string::npos ? std::string() : name.substr(slash + 1);
  info.directory = type == AE_IFDIR;
  if (info.name.empty() && !info.directory) {
    refuse("archive.layout", file.string() + ": file '" + name +
                                 "' is outside a top folder; expected everything under "
                                 "<code>-<version>/");
  }
  info.size = info.directory ? 0 : archive_entry_size(entry);
  if (info.size < 0)
    unsafe("of unknown size");
  info.executable = (archive_entry_perm(entry) & 0111) != 0;
  return info;
}

// Streams the current entry's data to `sink`, refusing more or fewer bytes than declared.
void read_data(archive* a, const ArchiveListing& listing, const ArchiveEntryInfo& info,
               const std::function<void(const char*, std::size_t)>& sink) {
  char buffer[1 << 16];
  std::int64_t total = 0;
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n < 0) {
      refuse("archive.invalid", listing.describe(info.name) + ": corrupt data: " + error_of(a));
    }
    if (n == 0)
      break;
    total += n;
    if (total > info.size)
      refuse("archive.invalid", listing.describe(info.name) + ": more data than its size");
    sink(buffer, static_cast<std::size_t>(n));
  }
  if (total != info.size)
    refuse("archive.invalid", listing.describe(info.name) + ": truncated");
}

}  // namespace

std::vector<std::string> ArchiveListing::files() const {
  std::vector<std::string> names;
  for (const auto& e : entries) {
    if (!e.directory)
      names.push_back(e.name);
  }
  return names;
}

std::string ArchiveListing::describe(const std::string& name) const {
  return archive.string() + ": " + top + (name.empty() ? "" : "/" + name);
}

ArchiveListing scan_plugin_archive(const fs::path& file) {
  ArchiveListing listing;
  listing.archive = file;
  auto a = open_archive(file);
  std::set<std::string> names;
  std::set<std::string> file_names;
  std::int64_t total = 0;
  archive_entry* entry = nullptr;
  for (bool first = true; next_entry(a.get(), file, entry, first); first = false) {
    if (listing.entries.size() == kMaxEntries) {
      refuse("archive.too_large",
             file.string() + ": more than " + std::to_string(kMaxEntries) + " entries");
    }
    auto info = check_entry(entry, file, listing.top);
    if (!names.insert(info.name).second) {
      refuse("archive.unsafe_entry",
             listing.describe(info.name) + " appears twice; each file may appear once");
    }
    total += info.size;
    if (info.size > kMaxFileBytes || total > kMaxTotalBytes) {
      refuse("archive.too_large", listing.describe(info.name) + ": " + std::to_string(info.size) +
                                      " bytes; the limits are " +
                                      std::to_string(kMaxFileBytes >> 20) + " MiB a file and " +
                                      std::to_string(kMaxTotalBytes >> 20) + " MiB in all");
    }
    std::string* keep = nullptr;
    if (!info.directory && info.name == kConfigFile)
      keep = &listing.config_text;
    if (!info.directory && info.name == kSumsFile)
      keep = &listing.sums_text;
    if (keep != nullptr) {
      if (info.size > kMaxSmallFileBytes) {
        refuse("archive.too_large", listing.describe(info.name) + ": larger than " +
                                        std::to_string(kMaxSmallFileBytes >> 10) + " KiB");
      }
      read_data(a.get(), listing, info, [&](const char* d, std::size_t n) { keep->append(d, n); });
    } else if (archive_read_data_skip(a.get()) != ARCHIVE_OK) {
      refuse("archive.invalid",
             listing.describe(info.name) + ": corrupt data: " + error_of(a.get()));
    }
    if (!info.directory)
      file_names.insert(info.name);
    listing.entries.push_back(std::move(info));
  }
  // A file that is also a folder ("a" and "a/b") cannot be extracted as the scan saw it.
  for (const auto& name : names) {
    for (auto slash = name.find('/'); slash != std::string::npos;
         slash = name.find('/', slash + 1)) {
      if (file_names.count(name.substr(0, slash)) != 0) {
        refuse("archive.unsafe_entry",
               listing.describe(name.substr(0, slash)) + " is both a file and a folder");
      }
    }
  }
  for (const auto required : {kConfigFile, kSumsFile}) {
    if (file_names.count(std::string(required)) == 0) {
      refuse("archive.missing_file", listing.describe(std::string(required)) +
                                         " is missing; `synapse plugin package` writes it");
    }
  }
  return listing;
}

void extract_plugin_archive(const ArchiveListing& listing, const fs::path& dest) {
  auto a = open_archive(listing.archive);
  std::string top;
  std::size_t index = 0;
  std::set<fs::path> folders{dest};
  archive_entry* entry = nullptr;
  for (bool first = true; next_entry(a.get(), listing.archive, entry, first); first = false) {
    const auto info = check_entry(entry, listing.archive, top);
    if (index >= listing.entries.size() || top != listing.top ||
        listing.entries[index].name != info.name ||
        listing.entries[index].directory != info.directory ||
        listing.entries[index].size != info.size) {
      refuse("archive.changed",
             listing.archive.string() + " changed while it was being installed; install again");
    }
    ++index;
    if (info.name.empty())
      continue;
    const auto target = dest / info.name;
    std::error_code ec;
    const auto folder = info.directory ? target : target.parent_path();
    fs::create_directories(folder, ec);
    if (ec)
      throw_io("create the folder", folder, ec.value());
    for (auto f = folder; f != dest && folders.insert(f).second; f = f.parent_path()) {
    }
    if (info.directory)
      continue;
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          info.executable ? 0755 : 0644);
    if (fd < 0)
      throw_io("create", target, errno);
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    read_data(a.get(), listing, info, [&](const char* d, std::size_t n) {
      while (n > 0) {
        const ssize_t w = ::write(fd, d, n);
        if (w < 0 && errno == EINTR)
          continue;
        if (w < 0)
          throw_io("write", target, errno);
        d += w;
        n -= static_cast<std::size_t>(w);
      }
    });
    if (::fsync(fd) != 0)
      throw_io("fsync", target, errno);
  }
  if (index != listing.entries.size()) {
    refuse("archive.changed",
           listing.archive.string() + " changed while it was being installed; install again");
  }
  for (const auto& folder : folders)
    fsync_path(folder);
}

}  // namespace synapse::runtime::packaging
