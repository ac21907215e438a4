#include "storage/s3/s3_storage.hpp"

#include <algorithm>
#include <ctime>

#include "storage/s3/s3_config.hpp"
#include "storage/s3/s3_listing.hpp"
#include "storage/s3/s3_upload.hpp"
#include "storage/storage_config.hpp"
#include "storage/storage_path.hpp"

namespace synapse::runtime {
namespace s3 {
namespace {

using Kind = StorageError::Kind;

std::int64_t parse_http_date(const std::string& text) {
  std::tm tm{};
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) {
    return -1;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::uint64_t parse_size(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stoull(text);
  } catch (const std::exception&) {
    return 0;
  }
}

// Streams an object as a series of ranged GETs of `read_chunk` bytes, so memory stays bounded
// whatever the object's size. A HEAD first gives the size (no GET past the end, none at all for
// an empty object, which some servers mishandle with a Range) and the ETag, which If-Match then
// pins every chunk to.
class S3ReadStream : public ReadStream {
 public:
  S3ReadStream(std::shared_ptr<S3Client> client, std::string key, std::string path,
               std::uint64_t offset, std::optional<std::uint64_t> length)
      : client_(std::move(client)), key_(std::move(key)), path_(std::move(path)), next_(offset) {
    S3Request request;
    request.method = "HEAD";
    request.key = key_;
    const auto response = client_->send_ok(request, "HEAD '" + path_ + "'");
    etag_ = response.header("etag");
    end_ = parse_size(response.header("content-length"));
    if (length) {
      end_ = std::min(end_, offset + *length);
    }
  }

  std::size_t read(char* buffer, std::size_t size) override {
    while (position_ == chunk_.size()) {
      if (done_) {
        return 0;
      }
      fetch();
    }
    const std::size_t count = std::min(size, chunk_.size() - position_);
    std::copy_n(chunk_.data() + position_, count, buffer);
    position_ += count;
    return count;
  }

 private:
  void fetch() {
    chunk_.clear();
    position_ = 0;
    if (next_ >= end_) {
      done_ = true;
      return;
    }
    const std::uint64_t last = std::min(next_ + client_->config().read_chunk, end_) - 1;
    S3Request request;
    request.key = key_;
    request.headers = {{"range", "bytes=" + std::to_string(next_) + "-" + std::to_string(last)}};
    if (!etag_.empty()) {
      request.headers.emplace_back("if-match", etag_);
    }
    request.max_response_bytes = client_->config().read_chunk + (64u << 10);
    const std::string what = "GET '" + path_ + "'";
    auto response = client_->send(request);
    if (response.status == 412) {
      throw StorageError(Kind::io, client_->label() + ": " + what + ": the object changed " +
                                       "while it was being read");
    }
    if (!response.ok()) {
      client_->fail(response, what);
    }
    if (response.status == 200) {
      // The server ignored Range and sent the whole object: keep the requested window.
      const auto size = static_cast<std::uint64_t>(response.body.size());
      const auto from = std::min(next_, size);
      const auto to = std::min(end_, size);
      chunk_ = response.body.substr(from, to - from);
      done_ = true;
      return;
    }
    chunk_ = std::move(response.body);
    next_ += chunk_.size();
    if (chunk_.empty() || next_ >= end_) {
      done_ = true;
    }
  }

  std::shared_ptr<S3Client> client_;
  std::string key_;
  std::string path_;
  std::uint64_t next_;  // offset of the next chunk to fetch
  std::uint64_t end_;   // offset where reading stops
  std::string etag_;
  std::string chunk_;
  std::size_t position_ = 0;
  bool done_ = false;
};

class S3Storage : public Storage {
 public:
  explicit S3Storage(S3Config config) : client_(std::make_shared<S3Client>(std::move(config))) {}

  std::string provider() const override { return "s3"; }

  std::optional<ObjectInfo> stat(std::string_view path) override {
    const auto rel = normalize_storage_path("s3", path);
    ObjectInfo info;
    info.path = rel;
    if (rel.empty()) {
      info.is_directory = true;
      return info;
    }
    S3Request head;
    head.method = "HEAD";
    head.key = key(rel);
    const auto response = client_->send(head);
    if (response.ok()) {
      info.size = parse_size(response.header("content-length"));
      info.modified_unix = parse_http_date(response.header("last-modified"));
      return info;
    }
    if (response.status != 404) {
      client_->fail(response, "HEAD '" + rel + "'");
    }
    // S3 has no folders: one exists while some key lies below it.
    S3Request list;
    list.query = {{"list-type", "2"}, {"prefix", key(rel) + "/"}, {"max-keys", "1"}};
    const auto page = parse_list_page(client_->send_ok(list, "LIST '" + rel + "'").body);
    if (page.files.empty() && page.folders.empty()) {
      return std::nullopt;
    }
    info.is_directory = true;
    return info;
  }

  std::unique_ptr<ObjectLister> list(std::string_view prefix, bool recursive) override {
    return make_s3_lister(client_, normalize_storage_path("s3", prefix), recursive);
  }

  std::unique_ptr<ReadStream> open_read(std::string_view path, std::uint64_t offset,
                                        std::optional<std::uint64_t> length) override {
    const auto rel = object_path(path);
    return std::make_unique<S3ReadStream>(client_, key(rel), rel, offset, length);
  }

  std::unique_ptr<WriteStream> open_write(std::string_view path) override {
    const auto rel = object_path(path);
    return make_s3_write_stream(client_, key(rel), rel);
  }

  void remove(std::string_view path) override {
    const auto rel = object_path(path);
    // DELETE answers 204 for a missing key too; the contract wants not_found, so look first.
    S3Request head;
    head.method = "HEAD";
    head.key = key(rel);
    const auto found = client_->send(head);
    if (!found.ok()) {
      client_->fail(found, "DELETE '" + rel + "'");
    }
    S3Request request;
    request.method = "DELETE";
    request.key = key(rel);
    client_->send_ok(request, "DELETE '" + rel + "'");
  }

 private:
  std::string key(const std::string& rel) const { return client_->config().prefix + rel; }

  std::string object_path(std::string_view path) const {
    auto rel = normalize_storage_path("s3", path);
    if (rel.empty()) {
      throw StorageError(Kind::io, client_->label() + ": '" + std::string(path) +
                                       "' is the storage root, not an object path");
    }
    return rel;
  }

  std::shared_ptr<S3Client> client_;
};

}  // namespace

S3Config parse_s3_config(const nlohmann::json& configuration) {
  namespace cfg = storage_config;
  const std::string provider = "s3";
  S3Config config;
  config.bucket = cfg::required_string(provider, configuration, "bucket_name");
  config.region =
      cfg::optional_string(provider, configuration, "region_name").value_or("us-east-1");
  if (config.region.empty()) {
    config.region = "us-east-1";
  }
  config.endpoint_url = cfg::optional_string(provider, configuration, "endpoint_url")
                            .value_or("https://s3." + config.region + ".amazonaws.com");
  if (config.endpoint_url.empty()) {
    cfg::fail(provider, "endpoint_url", "must not be empty");
  }
  config.access_key = cfg::required_string(provider, configuration, "access_key");
  config.secret_key = cfg::required_string(provider, configuration, "secret_key");
  config.path_style = cfg::boolean(provider, configuration, "path_style", true);
  const auto prefix = cfg::optional_string(provider, configuration, "prefix").value_or("");
  try {
    config.prefix = normalize_storage_path(provider, prefix);
  } catch (const StorageError&) {
    cfg::fail(provider, "prefix", "must not contain '..'");
  }
  if (!config.prefix.empty()) {
    config.prefix += '/';
  }
  // Parts must be at least 5 MiB (S3's minimum) and at most 5 GiB (its maximum).
  config.multipart_threshold = static_cast<std::uint64_t>(cfg::integer(
                                   provider, configuration, "multipart_threshold_mb", 16, 5, 5120))
                               << 20;
  return config;
}

std::unique_ptr<synapse::Storage> make_s3_storage(S3Config config) {
  return std::make_unique<S3Storage>(std::move(config));
}

}  // namespace s3

std::unique_ptr<synapse::Storage> make_s3_storage(const nlohmann::json& configuration) {
  return s3::make_s3_storage(s3::parse_s3_config(configuration));
}

}  // namespace synapse::runtime
