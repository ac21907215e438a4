// AWS Signature Version 4, computed here rather than by libcurl's CURLOPT_AWS_SIGV4: libcurl
// 7.88 takes X-Amz-Date from the clock (so its output cannot be checked against AWS's
// published vectors) and does not sort the canonical query (so ListObjectsV2 with several
// parameters would not verify on real S3). Every request the s3 provider sends is signed by
// sign_v4, the function the vector tests exercise.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace synapse::runtime::s3 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct SigningInput {
  std::string method;
  std::string canonical_uri;  // the path exactly as sent: already URI-encoded, "/" when empty
  Pairs query;                // raw (not encoded) names and values, any order
  Pairs headers;              // every header to sign, including host and x-amz-date
  std::string payload_hash;   // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // hex
  std::string authorization;  // the Authorization header's value
};

// `amz_date` is the request's x-amz-date ("20130524T000000Z"); `service` is "s3" for S3.
Signature sign_v4(const SigningInput& input, std::string_view access_key,
                  std::string_view secret_key, std::string_view amz_date, std::string_view region,
                  std::string_view service);

// RFC 3986 encoding as S3 wants it: unreserved characters kept, every other byte as %XX
// (upper case); '/' kept unless `encode_slash`.
std::string uri_encode(std::string_view text, bool encode_slash);

// name=value pairs encoded, sorted by name then value, joined with '&'.
std::string canonical_query(const Pairs& query);

std::string sha256_hex(std::string_view data);

// "YYYYMMDDTHHMMSSZ" (UTC).
std::string amz_date(std::chrono::system_clock::time_point when);

inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace synapse::runtime::s3
