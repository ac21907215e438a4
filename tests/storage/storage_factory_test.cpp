#include "storage/storage_factory.hpp"

#include <catch2/catch.hpp>

#include "storage/s3/s3_config.hpp"
#include "storage_test_support.hpp"

using namespace synapse::runtime;
using namespace storage_test;
using Kind = synapse::StorageError::Kind;
using Json = nlohmann::json;

namespace {

constexpr const char* kSecret = "TopSecretValue123";

Json s3_config() {
  return {{"endpoint_url", "http://127.0.0.1:9"},
          {"bucket_name", "bucket"},
          {"access_key", "AKID"},
          {"secret_key", kSecret}};
}

// The error of make_storage, checked to be invalid_config naming provider and key.
void check_invalid(const std::string& provider, const Json& config, const std::string& key) {
  std::string message;
  CHECK(error_kind([&] { make_storage(provider, config); }, &message) == Kind::invalid_config);
  CHECK_THAT(message, Catch::Contains(provider) && Catch::Contains(key));
  CHECK_THAT(message, !Catch::Contains(kSecret));
}

}  // namespace

TEST_CASE("factory: providers and dispatch", "[factory]") {
  CHECK(storage_providers() == std::vector<std::string>{"local", "s3", "sftp"});
  TempDir dir;
  CHECK(make_storage("local", {{"location", dir.path().string()}})->provider() == "local");
  CHECK(make_storage("s3", s3_config())->provider() == "s3");
  std::string message;
  CHECK(error_kind([] { make_storage("ftp", Json::object()); }, &message) == Kind::invalid_config);
  CHECK_THAT(message, Catch::Contains("ftp") && Catch::Contains("local, s3, sftp"));
  CHECK(error_kind([] { make_storage("local", Json::array()); }) == Kind::invalid_config);
}

TEST_CASE("factory: local and s3 configuration errors name the key", "[factory]") {
  check_invalid("local", Json::object(), "location");
  check_invalid("local", {{"location", true}}, "location");
  for (const auto* key : {"bucket_name", "access_key", "secret_key"}) {
    auto config = s3_config();
    config.erase(key);
    check_invalid("s3", config, key);
    config[key] = 42;
    check_invalid("s3", config, key);
  }
  auto config = s3_config();
  config["path_style"] = "sometimes";
  check_invalid("s3", config, "path_style");
  config = s3_config();
  config["multipart_threshold_mb"] = 4;  // below S3's 5 MiB part minimum
  check_invalid("s3", config, "multipart_threshold_mb");
  config["multipart_threshold_mb"] = "many";
  check_invalid("s3", config, "multipart_threshold_mb");
  config = s3_config();
  config["endpoint_url"] = "127.0.0.1:9000";
  check_invalid("s3", config, "endpoint_url");
  config["endpoint_url"] = "http://user:pw@127.0.0.1:9000";
  check_invalid("s3", config, "endpoint_url");
  config = s3_config();
  config["prefix"] = "../up";
  check_invalid("s3", config, "prefix");
}

TEST_CASE("factory: s3 defaults and string spellings", "[factory]") {
  auto config = s3_config();
  config.erase("endpoint_url");
  auto parsed = s3::parse_s3_config(config);
  CHECK(parsed.region == "us-east-1");
  CHECK(parsed.endpoint_url == "https://s3.us-east-1.amazonaws.com");
  CHECK(parsed.path_style);
  CHECK(parsed.prefix.empty());
  CHECK(parsed.multipart_threshold == 16u << 20);
  config["path_style"] = "false";
  config["multipart_threshold_mb"] = "32";
  config["prefix"] = "/exports/2024/";
  config["region_name"] = "eu-west-1";
  parsed = s3::parse_s3_config(config);
  CHECK_FALSE(parsed.path_style);
  CHECK(parsed.multipart_threshold == 32u << 20);
  CHECK(parsed.prefix == "exports/2024/");
  CHECK(parsed.endpoint_url == "https://s3.eu-west-1.amazonaws.com");
}

TEST_CASE("factory: secrets are known and redacted", "[factory]") {
  CHECK(secret_keys("s3") == std::vector<std::string>{"secret_key"});
  CHECK(secret_keys("local").empty());
  const auto redacted = redact_secrets("s3", s3_config());
  CHECK(redacted["secret_key"] == "***");
  CHECK(redacted["access_key"] == "AKID");
  CHECK(redacted["bucket_name"] == "bucket");
  CHECK(redacted.dump().find(kSecret) == std::string::npos);
  const Json sftp{{"host", "h"}, {"password", "pw"}, {"key_file", "/k"}};
  const auto sftp_redacted = redact_secrets("sftp", sftp);
  CHECK(sftp_redacted["password"] == "***");
  CHECK(sftp_redacted["key_file"] == "/k");
  const Json local{{"location", "/data"}};
  CHECK(redact_secrets("local", local) == local);
  CHECK(redact_secrets("s3", Json("text")) == Json("text"));
}
