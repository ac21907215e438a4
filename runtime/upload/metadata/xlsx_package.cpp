#include "upload/metadata/xlsx_package.hpp"

#include <minizip/unzip.h>

#include <algorithm>
#include <cstring>

#include "upload/metadata/metadata_error.hpp"

namespace synapse::runtime::upload {

namespace {

using MemFile = XlsxPackage::MemFile;

// minizip's ioapi callbacks over an in-memory buffer. Read-only: writes report 0 bytes.
voidpf mem_open(voidpf opaque, const void*, int) {
  return opaque;
}
uLong mem_read(voidpf, voidpf stream, void* buf, uLong size) {
  auto* f = static_cast<MemFile*>(stream);
  const std::uint64_t left = f->data.size() - std::min<std::uint64_t>(f->pos, f->data.size());
  const uLong n = static_cast<uLong>(std::min<std::uint64_t>(size, left));
  if (n > 0)
    std::memcpy(buf, f->data.data() + f->pos, n);
  f->pos += n;
  return n;
}
uLong mem_write(voidpf, voidpf, const void*, uLong) {
  return 0;
}
ZPOS64_T mem_tell(voidpf, voidpf stream) {
  return static_cast<MemFile*>(stream)->pos;
}
long mem_seek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* f = static_cast<MemFile*>(stream);
  std::uint64_t base = 0;
  if (origin == ZLIB_FILEFUNC_SEEK_CUR)
    base = f->pos;
  if (origin == ZLIB_FILEFUNC_SEEK_END)
    base = f->data.size();
  if (base + offset > f->data.size())
    return -1;
  f->pos = base + offset;
  return 0;
}
int mem_close(voidpf, voidpf) {
  return 0;
}
int mem_error(voidpf, voidpf) {
  return 0;
}

}  // namespace

XlsxPackage::XlsxPackage(std::string bytes, std::string file_name, std::uint64_t memory_budget)
    : file_name_(std::move(file_name)), budget_(memory_budget) {
  mem_.data = std::move(bytes);
  zlib_filefunc64_def io{};
  io.zopen64_file = mem_open;
  io.zread_file = mem_read;
  io.zwrite_file = mem_write;
  io.ztell64_file = mem_tell;
  io.zseek64_file = mem_seek;
  io.zclose_file = mem_close;
  io.zerror_file = mem_error;
  io.opaque = &mem_;
  zip_ = unzOpen2_64("memory", &io);
  if (zip_ == nullptr) {
    throw ExcelMetadataError(ErrorCategory::parsing, codes::invalid_file_format,
                             "Invalid Excel file format: not a zip archive", file_name_);
  }
}

XlsxPackage::~XlsxPackage() {
  if (zip_ != nullptr)
    unzClose(zip_);
}

std::optional<std::string> XlsxPackage::read(const std::string& part) {
  auto corrupt = [&](const std::string& why) {
    return ExcelMetadataError(ErrorCategory::parsing, codes::invalid_file_format,
                              "Invalid Excel file format: entry '" + part + "' " + why, file_name_);
  };
  // 2 = case-insensitive comparison in minizip.
  if (unzLocateFile(zip_, part.c_str(), 2) != UNZ_OK)
    return std::nullopt;
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
    throw corrupt("has an unreadable header");
  }
  auto over_budget = [&] {
    return ExcelMetadataError(ErrorCategory::security, codes::memory_limit_exceeded,
                              "Excel file exceeds memory limits: entry '" + part +
                                  "' needs more than the remaining " + std::to_string(budget_) +
                                  " bytes (max_memory_usage_mb)",
                              file_name_);
  };
  if (info.uncompressed_size > budget_)
    throw over_budget();
  if (unzOpenCurrentFile(zip_) != UNZ_OK)
    throw corrupt("cannot be opened");
  std::string out;
  out.reserve(static_cast<std::size_t>(info.uncompressed_size));
  char buf[16384];
  int n = 0;
  while ((n = unzReadCurrentFile(zip_, buf, sizeof buf)) > 0) {
    if (out.size() + std::size_t(n) > budget_) {
      unzCloseCurrentFile(zip_);
      throw over_budget();
    }
    out.append(buf, std::size_t(n));
  }
  // unzCloseCurrentFile reports a CRC mismatch once the whole entry was read.
  const int close_rc = unzCloseCurrentFile(zip_);
  if (n < 0)
    throw corrupt("is corrupt (inflate error " + std::to_string(n) + ")");
  if (close_rc != UNZ_OK)
    throw corrupt("failed its CRC check");
  budget_ -= out.size();
  return out;
}

}  // namespace synapse::runtime::upload
