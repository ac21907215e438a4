#include "export/image_size.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/text.hpp"

namespace synapse::runtime::exports {

namespace {

// Enough for every format's fixed header; JPEG reads further segment by segment.
constexpr std::size_t kHeadBytes = 64;
// A JPEG frame header past this offset is not looked for (EXIF thumbnails and ICC profiles sit
// before it, and are rarely larger): bounds the work on a damaged or hostile file.
constexpr std::uint64_t kJpegScanLimit = 4 * 1024 * 1024;

std::uint32_t be16(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 8) | p[1];
}
std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
std::uint32_t le16(const unsigned char* p) {
  return (std::uint32_t{p[1]} << 8) | p[0];
}
std::uint32_t le24(const unsigned char* p) {
  return (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}
std::uint32_t le32(const unsigned char* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         p[0];
}

std::optional<ImageSize> sized(std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0)
    return std::nullopt;
  return ImageSize{width, height};
}

std::optional<ImageSize> png(const unsigned char* h, std::size_t n) {
  // Signature, then the IHDR chunk first: length (13), "IHDR", width, height (big-endian).
  if (n < 24 || std::memcmp(h + 12, "IHDR", 4) != 0)
    return std::nullopt;
  return sized(be32(h + 16), be32(h + 20));
}

std::optional<ImageSize> gif(const unsigned char* h, std::size_t n) {
  if (n < 10)
    return std::nullopt;
  return sized(le16(h + 6), le16(h + 8));
}

std::optional<ImageSize> bmp(const unsigned char* h, std::size_t n) {
  if (n < 26)
    return std::nullopt;
  const std::uint32_t dib = le32(h + 14);
  if (dib == 12)  // BITMAPCOREHEADER: 16-bit unsigned sizes
    return sized(le16(h + 18), le16(h + 20));
  if (dib < 40)
    return std::nullopt;
  // BITMAPINFOHEADER and later: signed 32-bit; a negative height means top-down rows.
  const auto width = static_cast<std::int32_t>(le32(h + 18));
  const auto height = static_cast<std::int32_t>(le32(h + 22));
  if (width <= 0 || height == 0 || height == INT32_MIN)
    return std::nullopt;
  return sized(static_cast<std::uint32_t>(width),
               static_cast<std::uint32_t>(height < 0 ? -height : height));
}

std::optional<ImageSize> webp(const unsigned char* h, std::size_t n) {
  if (n < 30)
    return std::nullopt;
  const unsigned char* chunk = h + 12;
  const unsigned char* data = h + 20;
  if (std::memcmp(chunk, "VP8 ", 4) == 0) {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (data[3] != 0x9d || data[4] != 0x01 || data[5] != 0x2a)
      return std::nullopt;
    return sized(le16(data + 6) & 0x3fff, le16(data + 8) & 0x3fff);
  }
  if (std::memcmp(chunk, "VP8L", 4) == 0) {
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each.
    if (data[0] != 0x2f)
      return std::nullopt;
    const std::uint32_t bits = le32(data + 1);
    return sized((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  }
  if (std::memcmp(chunk, "VP8X", 4) == 0) {
    // Extended: flags (4 bytes), then canvas width-1 and height-1 in 24 bits each.
    return sized(le24(data + 4) + 1, le24(data + 7) + 1);
  }
  return std::nullopt;
}

bool is_sof(unsigned char marker) {
  // Frame headers: C0-CF except C4 (DHT), C8 (JPG extension) and CC (DAC).
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

std::optional<ImageSize> jpeg(ByteSource& source) {
  std::uint64_t offset = 2;  // after SOI (ff d8)
  std::array<unsigned char, 9> seg{};
  while (offset < kJpegScanLimit) {
    const std::size_t got = source.read_at(offset, reinterpret_cast<char*>(seg.data()), seg.size());
    if (got < 4 || seg[0] != 0xff)
      return std::nullopt;
    const unsigned char marker = seg[1];
    if (marker == 0xff) {  // fill byte before a marker
      offset += 1;
      continue;
    }
    if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;  // markers without a length
      continue;
    }
    if (marker == 0xd9 || marker == 0xda)
      return std::nullopt;  // end of image or start of scan before any frame header
    const std::uint32_t length = be16(seg.data() + 2);
    if (length < 2)
      return std::nullopt;
    if (is_sof(marker)) {
      // length, precision (1 byte), height, width.
      if (got < 9)
        return std::nullopt;
      return sized(be16(seg.data() + 7), be16(seg.data() + 5));
    }
    offset += 2 + length;
  }
  return std::nullopt;
}

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read_at(std::uint64_t offset, char* buffer, std::size_t size) override {
    if (offset >= bytes_.size())
      return 0;
    const std::size_t n = std::min<std::size_t>(size, bytes_.size() - offset);
    std::memcpy(buffer, bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string_view bytes_;
};

class FileSource final : public ByteSource {
 public:
  explicit FileSource(int fd) : fd_(fd) {}
  std::size_t read_at(std::uint64_t offset, char* buffer, std::size_t size) override {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t got =
          ::pread(fd_, buffer + done, size - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      done += static_cast<std::size_t>(got);
    }
    return done;
  }

 private:
  int fd_;
};

}  // namespace

std::optional<ImageSize> read_image_size(ByteSource& source) {
  std::array<unsigned char, kHeadBytes> head{};
  const std::size_t n = source.read_at(0, reinterpret_cast<char*>(head.data()), head.size());
  const unsigned char* h = head.data();
  if (n >= 8 && std::memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
    return png(h, n);
  if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
    return jpeg(source);
  if (n >= 6 && (std::memcmp(h, "GIF87a", 6) == 0 || std::memcmp(h, "GIF89a", 6) == 0))
    return gif(h, n);
  if (n >= 2 && h[0] == 'B' && h[1] == 'M')
    return bmp(h, n);
  if (n >= 12 && std::memcmp(h, "RIFF", 4) == 0 && std::memcmp(h + 8, "WEBP", 4) == 0)
    return webp(h, n);
  return std::nullopt;
}

std::optional<ImageSize> read_image_size(std::string_view bytes) {
  MemorySource source(bytes);
  return read_image_size(source);
}

std::optional<ImageSize> read_image_size(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  FileSource source(fd);
  auto size = read_image_size(source);
  ::close(fd);
  return size;
}

bool has_image_extension(std::string_view file_name) {
  for (std::string_view ext : {".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".bmp", ".webp"}) {
    if (ends_with_ci(file_name, ext))
      return true;
  }
  return false;
}

}  // namespace synapse::runtime::exports
