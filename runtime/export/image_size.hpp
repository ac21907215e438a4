// Width and height of an image read from its header only (a few hundred bytes; a JPEG is
// walked segment by segment up to its frame header), so an export item can say how large its
// picture is without decoding it. Formats: PNG, JPEG, GIF, BMP, WebP (lossy, lossless,
// extended). Anything else, or a damaged header, gives std::nullopt: the size is optional in an
// export item.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace synapse::runtime::exports {

struct ImageSize {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  bool operator==(const ImageSize&) const = default;
};

// Random access to the bytes of one image.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `size` bytes from `offset` into `buffer`; returns how many (0 at the end).
  virtual std::size_t read_at(std::uint64_t offset, char* buffer, std::size_t size) = 0;
};

std::optional<ImageSize> read_image_size(ByteSource& source);
// The same over bytes in memory (tests) and over a local file (never throws: an unreadable file
// has no size).
std::optional<ImageSize> read_image_size(std::string_view bytes);
std::optional<ImageSize> read_image_size(const std::filesystem::path& file);

// Whether `file_name` has an extension of a format read_image_size understands (case-
// insensitive); the host looks at no other file's bytes.
bool has_image_extension(std::string_view file_name);

}  // namespace synapse::runtime::exports
