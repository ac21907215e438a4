#include "archive_edit.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace archive_test {

namespace {

struct ReadDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

void check(int rc, archive* a, const std::string& what) {
  if (rc < ARCHIVE_WARN) {
    const char* why = archive_error_string(a);
    throw std::runtime_error(what + ": " + (why ? why : "libarchive error"));
  }
}

}  // namespace

std::vector<Entry> read_archive(const fs::path& file) {
  std::unique_ptr<archive, ReadDeleter> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  check(archive_read_open_filename(a.get(), file.c_str(), 1 << 16), a.get(), file.string());
  std::vector<Entry> entries;
  archive_entry* header = nullptr;
  for (int rc; (rc = archive_read_next_header(a.get(), &header)) != ARCHIVE_EOF;) {
    check(rc, a.get(), "read header");
    Entry e;
    e.path = archive_entry_pathname(header);
    e.perm = archive_entry_perm(header);
    if (const char* link = archive_entry_hardlink(header)) {
      e.kind = Entry::Kind::hardlink;
      e.target = link;
    } else if (archive_entry_filetype(header) == AE_IFDIR) {
      e.kind = Entry::Kind::directory;
    } else if (archive_entry_filetype(header) == AE_IFLNK) {
      e.kind = Entry::Kind::symlink;
      e.target = archive_entry_symlink(header);
    }
    char buffer[1 << 16];
    for (la_ssize_t n; (n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0;)
      e.data.append(buffer, static_cast<std::size_t>(n));
    entries.push_back(std::move(e));
  }
  return entries;
}

void write_archive(const fs::path& file, const std::vector<Entry>& entries, bool gzip) {
  std::unique_ptr<archive, WriteDeleter> a(archive_write_new());
  if (gzip)
    archive_write_add_filter_gzip(a.get());
  archive_write_set_format_pax_restricted(a.get());
  check(archive_write_open_filename(a.get(), file.c_str()), a.get(), file.string());
  for (const auto& e : entries) {
    std::unique_ptr<archive_entry, EntryDeleter> header(archive_entry_new());
    archive_entry_set_pathname(header.get(), e.path.c_str());
    archive_entry_set_perm(header.get(), e.perm);
    archive_entry_set_mtime(header.get(), 1700000000, 0);
    switch (e.kind) {
      case Entry::Kind::file:
        archive_entry_set_filetype(header.get(), AE_IFREG);
        archive_entry_set_size(header.get(), static_cast<la_int64_t>(e.data.size()));
        break;
      case Entry::Kind::directory:
        archive_entry_set_filetype(header.get(), AE_IFDIR);
        break;
      case Entry::Kind::symlink:
        archive_entry_set_filetype(header.get(), AE_IFLNK);
        archive_entry_set_symlink(header.get(), e.target.c_str());
        break;
      case Entry::Kind::hardlink:
        archive_entry_set_filetype(header.get(), AE_IFREG);
        archive_entry_set_hardlink(header.get(), e.target.c_str());
        break;
    }
    check(archive_write_header(a.get(), header.get()), a.get(), "write header " + e.path);
    if (e.kind == Entry::Kind::file && !e.data.empty() &&
        archive_write_data(a.get(), e.data.data(), e.data.size()) < 0) {
      check(ARCHIVE_FATAL, a.get(), "write data " + e.path);
    }
  }
  check(archive_write_close(a.get()), a.get(), "close " + file.string());
}

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  return hex;
}

Entry& find(std::vector<Entry>& entries, const std::string& path) {
  for (auto& e : entries) {
    if (e.path == path)
      return e;
  }
  throw std::runtime_error("no entry " + path);
}

void fix_sums(std::vector<Entry>& entries, const std::string& top) {
  const std::string sums_path = top + "/SHA256SUMS";
  std::string sums;
  for (const auto& e : entries) {
    if (e.kind == Entry::Kind::file && e.path != sums_path && e.path.rfind(top + "/", 0) == 0)
      sums += sha256_hex(e.data) + "  " + e.path.substr(top.size() + 1) + "\n";
  }
  find(entries, sums_path).data = sums;
}

Entry text_entry(const std::string& path, const std::string& data) {
  Entry e;
  e.path = path;
  e.data = data;
  return e;
}

Entry file_entry(const std::string& path, const fs::path& source, mode_t perm) {
  std::ifstream in(source, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  Entry e;
  e.path = path;
  e.data = data.str();
  e.perm = perm;
  return e;
}

}  // namespace archive_test
