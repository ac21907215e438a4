// The s3 provider against a real s3rver (started by the ctest fixture s3rver_start, whose
// state folder SYNAPSE_S3RVER_STATE names). s3rver does not verify signatures; sigv4_test.cpp
// checks signing against AWS's published vectors.
#include <cstdlib>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "storage/s3/s3_config.hpp"
#include "storage/storage_factory.hpp"
#include "storage_test_support.hpp"

using namespace synapse::runtime;
using namespace storage_test;
using Kind = synapse::StorageError::Kind;
using Json = nlohmann::json;

namespace {

// s3rver accepts any secret for its key pair S3RVER; this one must never surface.
constexpr const char* kSecret = "S3rverSecret-DoNotPrint-7f3a";

std::string endpoint() {
  const char* state = std::getenv("SYNAPSE_S3RVER_STATE");
  REQUIRE(state != nullptr);
  std::ifstream in(std::string(state) + "/s3rver.port");
  std::string port;
  in >> port;
  REQUIRE_FALSE(port.empty());
  return "http://127.0.0.1:" + port;
}

// Each test works under its own random prefix, so tests do not see each other's objects.
Json config(const std::string& access_key = "S3RVER") {
  std::random_device random;
  return {{"endpoint_url", endpoint()},
          {"bucket_name", "test-bucket"},
          {"access_key", access_key},
          {"secret_key", kSecret},
          {"prefix", "t" + std::to_string(random()) + "/"}};
}

std::unique_ptr<synapse::Storage> storage(const Json& json = config()) {
  return make_storage("s3", json);
}

void check_secret_absent(const std::string& message) {
  CHECK_THAT(message, !Catch::Contains(kSecret));
}

}  // namespace

TEST_CASE("s3: put and get round trip, stat, remove", "[s3]") {
  auto s3 = storage();
  CHECK(s3->provider() == "s3");
  write_object(*s3, "dir/hello.txt", "hello s3");
  CHECK(read_object(*s3, "dir/hello.txt") == "hello s3");
  CHECK(read_object(*s3, "/dir//./hello.txt") == "hello s3");
  const auto info = s3->stat("dir/hello.txt");
  REQUIRE(info);
  CHECK(info->path == "dir/hello.txt");
  CHECK(info->size == 8);
  CHECK_FALSE(info->is_directory);
  CHECK(info->modified_unix > 1600000000);
  const auto folder = s3->stat("dir");
  REQUIRE(folder);
  CHECK(folder->is_directory);
  CHECK_FALSE(s3->stat("dir/other.txt"));
  CHECK_FALSE(s3->stat("di"));
  write_object(*s3, "dir/hello.txt", "replaced");
  CHECK(read_object(*s3, "dir/hello.txt") == "replaced");
  write_object(*s3, "empty.txt", "");
  CHECK(read_object(*s3, "empty.txt").empty());
  s3->remove("dir/hello.txt");
  CHECK_FALSE(s3->stat("dir/hello.txt"));
  CHECK(error_kind([&] { s3->remove("dir/hello.txt"); }) == Kind::not_found);
}

TEST_CASE("s3: keys needing URL encoding", "[s3]") {
  auto s3 = storage();
  const std::string path = "odd names/a+b=c&d (1)~é.txt";
  write_object(*s3, path, "encoded");
  CHECK(read_object(*s3, path) == "encoded");
  CHECK(listing(*s3, "odd names", false) == std::vector<std::string>{path});
}

TEST_CASE("s3: ranged and chunked reads", "[s3]") {
  auto json = config();
  auto parsed = s3::parse_s3_config(json);
  parsed.read_chunk = 1000;  // many ranged GETs for one object
  auto s3 = s3::make_s3_storage(parsed);
  const auto data = random_bytes(10500, 2);
  write_object(*s3, "data.bin", data);
  CHECK(read_object(*s3, "data.bin") == data);
  CHECK(read_object(*s3, "data.bin", 10, 20) == data.substr(10, 20));
  CHECK(read_object(*s3, "data.bin", 999, 2002) == data.substr(999, 2002));
  CHECK(read_object(*s3, "data.bin", 10400) == data.substr(10400));
  CHECK(read_object(*s3, "data.bin", 10400, 5000) == data.substr(10400));
  CHECK(read_object(*s3, "data.bin", 20000).empty());
  CHECK(read_object(*s3, "data.bin", 3, 0).empty());
  auto stream = s3->open_read("data.bin", 0, 3000);
  CHECK(read_all(*stream, 7) == data.substr(0, 3000));  // small reads across chunk edges
}

TEST_CASE("s3: listings page and show folders", "[s3]") {
  auto parsed = s3::parse_s3_config(config());
  parsed.list_page_size = 2;  // several ListObjectsV2 pages with continuation tokens
  auto s3 = s3::make_s3_storage(parsed);
  for (const auto* path :
       {"top.txt", "a/1.txt", "a/2.txt", "a/3.txt", "a/b/4.txt", "a/c/5.txt", "z/6.txt"}) {
    write_object(*s3, path, path);
  }
  CHECK(listing(*s3, "", true) == std::vector<std::string>{"a/1.txt", "a/2.txt", "a/3.txt",
                                                           "a/b/4.txt", "a/c/5.txt", "top.txt",
                                                           "z/6.txt"});
  CHECK(listing(*s3, "", false) == std::vector<std::string>{"a/", "top.txt", "z/"});
  CHECK(listing(*s3, "a", false) ==
        std::vector<std::string>{"a/1.txt", "a/2.txt", "a/3.txt", "a/b/", "a/c/"});
  CHECK(listing(*s3, "/a/", true) ==
        std::vector<std::string>{"a/1.txt", "a/2.txt", "a/3.txt", "a/b/4.txt", "a/c/5.txt"});
  CHECK(listing(*s3, "missing", true).empty());
  auto lister = s3->list("a/b", true);
  const auto entry = lister->next();
  REQUIRE(entry);
  CHECK(entry->size == 9);
  CHECK(entry->modified_unix > 1600000000);
  CHECK_FALSE(lister->next());
}

TEST_CASE("s3: multipart upload above the threshold is byte-identical", "[s3]") {
  auto json = config();
  json["multipart_threshold_mb"] = 5;
  auto s3 = storage(json);
  const auto data = random_bytes(12u << 20, 3);
  {
    auto stream = s3->open_write("big.bin");
    for (std::size_t at = 0; at < data.size(); at += 1000003) {  // uneven write sizes
      stream->write(data.data() + at, std::min<std::size_t>(1000003, data.size() - at));
    }
    CHECK_FALSE(s3->stat("big.bin"));  // nothing visible before commit
    stream->commit();
  }
  const auto info = s3->stat("big.bin");
  REQUIRE(info);
  CHECK(info->size == data.size());
  CHECK(read_object(*s3, "big.bin") == data);
  CHECK(read_object(*s3, "big.bin", (5u << 20) - 5, 10) == data.substr((5u << 20) - 5, 10));
}

TEST_CASE("s3: an uncommitted write is discarded", "[s3]") {
  auto json = config();
  json["multipart_threshold_mb"] = 5;
  auto s3 = storage(json);
  {
    auto small = s3->open_write("small.txt");
    small->write("abc", 3);
    const auto data = random_bytes(6u << 20, 4);  // starts a multipart upload
    auto large = s3->open_write("large.bin");
    large->write(data.data(), data.size());
  }
  CHECK_FALSE(s3->stat("small.txt"));
  CHECK_FALSE(s3->stat("large.bin"));
  CHECK(listing(*s3, "", true).empty());
}

TEST_CASE("s3: a missing object is not_found", "[s3]") {
  auto s3 = storage();
  std::string message;
  CHECK(error_kind([&] { s3->open_read("no/such.txt"); }, &message) == Kind::not_found);
  CHECK_THAT(message, Catch::Contains("no/such.txt") && Catch::Contains("test-bucket"));
  check_secret_absent(message);
  CHECK(error_kind([&] { s3->open_read("no/such.txt", 0, 0); }) == Kind::not_found);
  auto json = config();
  json["bucket_name"] = "no-such-bucket";
  auto other = storage(json);
  CHECK(error_kind([&] { other->list("", true); }, &message) == Kind::not_found);
  CHECK_THAT(message, Catch::Contains("NoSuchBucket"));
}

TEST_CASE("s3: an unknown access key is auth_failed", "[s3]") {
  auto s3 = storage(config("NOT-A-KEY"));
  std::string message;
  CHECK(error_kind([&] { write_object(*s3, "x.txt", "x"); }, &message) == Kind::auth_failed);
  CHECK_THAT(message, Catch::Contains("InvalidAccessKeyId"));
  check_secret_absent(message);
  CHECK(error_kind([&] { s3->list("", true); }, &message) == Kind::auth_failed);
  check_secret_absent(message);
  CHECK(error_kind([&] { s3->stat("x.txt"); }, &message) == Kind::auth_failed);
  check_secret_absent(message);
  CHECK(error_kind([&] { s3->open_read("x.txt"); }, &message) == Kind::auth_failed);
  check_secret_absent(message);
}

TEST_CASE("s3: an unreachable endpoint is unreachable", "[s3]") {
  auto json = config();
  json["endpoint_url"] = "http://127.0.0.1:9";  // discard port: nothing listens
  auto s3 = storage(json);
  std::string message;
  CHECK(error_kind([&] { s3->stat("x.txt"); }, &message) == Kind::unreachable);
  CHECK_THAT(message, Catch::Contains("127.0.0.1:9"));
  check_secret_absent(message);
  CHECK(error_kind([&] { write_object(*s3, "x.txt", "x"); }, &message) == Kind::unreachable);
  check_secret_absent(message);
}

TEST_CASE("s3: paths leaving the root are refused", "[s3]") {
  auto s3 = storage();
  std::string message;
  CHECK(error_kind([&] { s3->open_read("../x.txt"); }, &message) == Kind::path_escape);
  check_secret_absent(message);
  CHECK(error_kind([&] { s3->open_write("a/../../x.txt"); }) == Kind::path_escape);
  CHECK(error_kind([&] { s3->list("..", true); }) == Kind::path_escape);
  CHECK(error_kind([&] { s3->stat("/.."); }) == Kind::path_escape);
  CHECK(error_kind([&] { s3->remove("../x"); }) == Kind::path_escape);
}

TEST_CASE("s3: the prefix confines the storage", "[s3]") {
  auto json = config();
  auto outer = json;
  outer.erase("prefix");
  auto inner = storage(json);
  auto whole = storage(outer);
  write_object(*inner, "f.txt", "in");
  const auto prefix = json["prefix"].get<std::string>();
  CHECK(read_object(*whole, prefix + "f.txt") == "in");
  CHECK(listing(*inner, "", true) == std::vector<std::string>{"f.txt"});
}
