// HTTP requests to one S3 bucket: URL building (path-style or virtual-hosted), SigV4 signing
// (sigv4.hpp), libcurl transfers and the mapping of failures to StorageError kinds.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/storage.hpp>

#include "storage/s3/sigv4.hpp"

namespace synapse::runtime::s3 {

struct S3Config {
  std::string endpoint_url;  // "http://127.0.0.1:4568"; default https://s3.<region>.amazonaws.com
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;  // never part of a message
  bool path_style = true;
  std::string prefix;  // "" or ending with '/'
  std::uint64_t multipart_threshold = 16ull << 20;
  // Internal knobs (no configuration key): tests shrink them to exercise paging and chunking.
  int list_page_size = 1000;
  std::uint64_t read_chunk = 8ull << 20;
  long connect_timeout_seconds = 10;
  long low_speed_seconds = 60;  // abort a transfer that moves nothing for this long
};

struct S3Request {
  std::string method = "GET";
  std::string key;  // object key ("" = the bucket itself)
  Pairs query;
  Pairs headers;  // extra headers, signed too
  std::string_view body;
  std::size_t max_response_bytes = 16u << 20;  // guard against a runaway body
};

struct S3Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class S3Client {
 public:
  explicit S3Client(S3Config config);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  const S3Config& config() const { return config_; }

  // Sends one request and returns the response whatever its HTTP status; throws StorageError
  // (unreachable, auth_failed, io) when no response arrived. Transient failures (timeouts,
  // dropped connections, 5xx) are retried a few times first.
  S3Response send(const S3Request& request);

  // Throws the StorageError a non-2xx response stands for; `what` names the operation and
  // path ("GET 'a/b.txt'") for the message.
  [[noreturn]] void fail(const S3Response& response, std::string_view what) const;

  // send() then fail() unless the status is 2xx.
  S3Response send_ok(const S3Request& request, std::string_view what);

  // "s3 storage (bucket NAME)": how messages begin.
  std::string label() const;

  // The URL of `key` (query string excluded) and the canonical URI it signs as.
  std::string url_path(std::string_view key) const;

 private:
  void* acquire_handle();
  void release_handle(void* handle);

  S3Config config_;
  std::string scheme_;
  std::string authority_;  // host[:port] of the endpoint
  std::string base_path_;  // path of the endpoint, without a trailing '/'
  std::mutex mutex_;
  std::vector<void*> idle_;  // reused curl easy handles, so connections stay alive
};

}  // namespace synapse::runtime::s3
