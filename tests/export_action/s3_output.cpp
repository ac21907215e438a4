// Exports into an s3 storage: the real s3rver of the ctest fixture `s3rver` (its state folder in
// SYNAPSE_S3RVER_STATE), bucket test-bucket, key pair S3RVER. Each run under its own key prefix.
#include <cstdlib>
#include <random>

#include "remote_output.hpp"

using namespace export_test;

TEST_CASE("s3 output: the export's JSON and originals land in the bucket", "[export_action][s3]") {
  const char* state = std::getenv("SYNAPSE_S3RVER_STATE");
  REQUIRE(state != nullptr);
  const auto port = read_file(fs::path(state) / "s3rver.port");
  REQUIRE_FALSE(port.empty());
  std::random_device random;
  const json configuration = {
      {"endpoint_url", "http://127.0.0.1:" + port.substr(0, port.find_first_of("\r\n"))},
      {"bucket_name", "test-bucket"},
      {"access_key", "S3RVER"},
      {"secret_key", "S3RVER"},
      {"prefix", "export-" + std::to_string(random()) + "/"}};
  export_to_remote("s3", configuration, "exports");
}
