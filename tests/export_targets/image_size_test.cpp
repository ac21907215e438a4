// The image header reader: each format from real or hand-built headers, and what it refuses.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "export/image_size.hpp"

using synapse::runtime::exports::has_image_extension;
using synapse::runtime::exports::ImageSize;
using synapse::runtime::exports::read_image_size;

namespace {

std::filesystem::path sample(const std::string& name) {
  return std::filesystem::path(SYNAPSE_SOURCE_DIR) / "config/samples/sample-images/image_1" / name;
}

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string le16(unsigned v) {
  return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)};
}
std::string le32(std::uint32_t v) {
  return le16(v & 0xffff) + le16(v >> 16);
}
std::string be16(unsigned v) {
  return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)};
}

std::string riff(const std::string& chunk, const std::string& payload) {
  const std::string body =
      "WEBP" + chunk + le32(static_cast<std::uint32_t>(payload.size())) + payload;
  return "RIFF" + le32(static_cast<std::uint32_t>(body.size())) + body;
}

}  // namespace

TEST_CASE("PNG and JPEG sizes come from the sample pictures' headers", "[image_size]") {
  CHECK(read_image_size(sample("bird.png")) == ImageSize{160, 120});
  CHECK(read_image_size(sample("cat.jpg")) == ImageSize{160, 120});
  CHECK(read_image_size(sample("beach.jpeg")) == ImageSize{160, 120});
  // The same through the in-memory reader.
  CHECK(read_image_size(std::string_view(bytes_of(sample("forest.png")))) == ImageSize{160, 120});
}

TEST_CASE("a JPEG frame header after a large APP1 segment is found", "[image_size]") {
  std::string jpeg = bytes_of(sample("dog.jpg"));
  // SOI, then a 40,000-byte EXIF-like APP1 and a fill byte, then the original segments.
  const std::string app1 = "\xff\xe1" + be16(40000) + std::string(39998, 'x');
  jpeg = jpeg.substr(0, 2) + app1 + "\xff" + jpeg.substr(2);
  CHECK(read_image_size(std::string_view(jpeg)) == ImageSize{160, 120});
}

TEST_CASE("a JPEG without a frame header before its scan has no size", "[image_size]") {
  const std::string jpeg = std::string("\xff\xd8\xff\xda") + be16(8) + std::string(6, '\0');
  CHECK_FALSE(read_image_size(std::string_view(jpeg)));
}

TEST_CASE("GIF sizes are little-endian after the signature", "[image_size]") {
  CHECK(read_image_size(std::string_view("GIF89a" + le16(300) + le16(2) + std::string(8, '\0'))) ==
        ImageSize{300, 2});
  CHECK(read_image_size(std::string_view("GIF87a" + le16(1) + le16(65535) +
                                         std::string(8, '\0'))) == ImageSize{1, 65535});
}

TEST_CASE("BMP sizes: info header (top-down too) and core header", "[image_size]") {
  const std::string file_header = "BM" + le32(0) + le32(0) + le32(54);
  const std::string info =
      le32(40) + le32(640) + le32(static_cast<std::uint32_t>(-480)) + std::string(28, '\0');
  CHECK(read_image_size(std::string_view(file_header + info)) == ImageSize{640, 480});
  const std::string core = le32(12) + le16(32) + le16(16) + std::string(4, '\0');
  CHECK(read_image_size(std::string_view(file_header + core)) == ImageSize{32, 16});
}

TEST_CASE("WebP sizes: lossy, lossless and extended", "[image_size]") {
  // VP8: frame tag, start code 9d 01 2a, 14-bit width/height (upper 2 bits are scaling).
  const std::string vp8 = std::string("\x30\x01\x00\x9d\x01\x2a", 6) + le16(0x4000 | 400) +
                          le16(300) + std::string(10, '\0');
  CHECK(read_image_size(std::string_view(riff("VP8 ", vp8))) == ImageSize{400, 300});
  // VP8L: signature 0x2f, then (width-1) | (height-1) << 14.
  const std::uint32_t bits = (1024 - 1) | ((768 - 1) << 14);
  const std::string vp8l = "\x2f" + le32(bits) + std::string(10, '\0');
  CHECK(read_image_size(std::string_view(riff("VP8L", vp8l))) == ImageSize{1024, 768});
  // VP8X: flags, then 24-bit (width-1) and (height-1).
  const std::string vp8x = le32(0) + std::string("\x1f\x4e\x00", 3) +
                           std::string("\x0f\x27\x00", 3) + std::string(10, '\0');
  CHECK(read_image_size(std::string_view(riff("VP8X", vp8x))) == ImageSize{20000, 10000});
}

TEST_CASE("unknown, truncated or zero-sized headers have no size", "[image_size]") {
  CHECK_FALSE(read_image_size(std::string_view("")));
  CHECK_FALSE(read_image_size(std::string_view("{\"json\": true}")));
  CHECK_FALSE(read_image_size(std::string_view("\x89PNG\r\n\x1a\n\0\0", 10)));
  CHECK_FALSE(
      read_image_size(std::string_view("GIF89a" + le16(0) + le16(10) + std::string(8, '\0'))));
  CHECK_FALSE(read_image_size(std::filesystem::path("/nonexistent/picture.png")));
}

TEST_CASE("only image file names are worth reading", "[image_size]") {
  CHECK(has_image_extension("a.JPG"));
  CHECK(has_image_extension("b.webp"));
  CHECK(has_image_extension("c.jpeg"));
  CHECK_FALSE(has_image_extension("meta.json"));
  CHECK_FALSE(has_image_extension("png"));
}
