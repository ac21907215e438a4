// Uploads whose source is an s3 storage: the real s3rver of the ctest fixture `s3rver` (its
// state folder in SYNAPSE_S3RVER_STATE), bucket test-bucket, key pair S3RVER (s3rver checks
// no signature). Each test works under its own random key prefix.
#include <cstdlib>
#include <random>

#include <catch2/catch.hpp>

#include "remote_support.hpp"

using namespace upload_action_test;

namespace {

json s3_configuration() {
  const char* state = std::getenv("SYNAPSE_S3RVER_STATE");
  REQUIRE(state != nullptr);
  const auto port = read_file(fs::path(state) / "s3rver.port");
  REQUIRE_FALSE(port.empty());
  std::random_device random;
  return {{"endpoint_url", "http://127.0.0.1:" + port.substr(0, port.find_first_of("\r\n"))},
          {"bucket_name", "test-bucket"},
          {"access_key", "S3RVER"},
          {"secret_key", "S3RVER"},
          {"prefix", "upload-" + std::to_string(random()) + "/"}};
}

}  // namespace

TEST_CASE("s3 source: the sample in a bucket becomes units with the same bytes",
          "[upload_action][s3]") {
  upload_in_process("s3", s3_configuration(), "sample-images");
}

TEST_CASE("s3 source: synapse storage add --provider s3 then synapse run uploads the sample",
          "[upload_action][s3][cli]") {
  upload_with_binary("s3", s3_configuration(), "sample-images");
}
