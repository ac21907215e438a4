#include "storage/s3/s3_listing.hpp"

#include <pugixml.hpp>

#include <ctime>
#include <deque>

namespace synapse::runtime::s3 {
namespace {

class S3Lister : public ObjectLister {
 public:
  S3Lister(std::shared_ptr<S3Client> client, std::string folder, bool recursive)
      : client_(std::move(client)), folder_(std::move(folder)), recursive_(recursive) {
    const auto& prefix = client_->config().prefix;
    key_prefix_ = prefix + folder_ + (folder_.empty() ? "" : "/");
    fetch();  // the first page now, so bad credentials or a missing bucket fail list() itself
  }

  std::optional<ObjectInfo> next() override {
    while (pending_.empty()) {
      if (done_) {
        return std::nullopt;
      }
      fetch();
    }
    auto info = std::move(pending_.front());
    pending_.pop_front();
    return info;
  }

 private:
  void fetch() {
    S3Request request;
    request.query = {{"list-type", "2"},
                     {"prefix", key_prefix_},
                     {"max-keys", std::to_string(client_->config().list_page_size)}};
    if (!recursive_) {
      request.query.emplace_back("delimiter", "/");
    }
    if (!token_.empty()) {
      request.query.emplace_back("continuation-token", token_);
    }
    const auto response = client_->send_ok(request, "LIST '" + folder_ + "'");
    auto page = parse_list_page(response.body);
    const auto& prefix = client_->config().prefix;
    for (auto& file : page.files) {
      // Folder markers ("dir/" objects some tools create) are not files.
      if (file.path.size() <= prefix.size() || file.path.back() == '/') {
        continue;
      }
      file.path.erase(0, prefix.size());
      pending_.push_back(std::move(file));
    }
    for (auto& folder : page.folders) {
      if (folder.size() <= prefix.size() + 1) {
        continue;
      }
      ObjectInfo info;
      info.path = folder.substr(prefix.size(), folder.size() - prefix.size() - 1);
      info.is_directory = true;
      pending_.push_back(std::move(info));
    }
    token_ = std::move(page.continuation_token);
    done_ = token_.empty();
  }

  std::shared_ptr<S3Client> client_;
  std::string folder_;
  bool recursive_;
  std::string key_prefix_;
  std::string token_;
  bool done_ = false;
  std::deque<ObjectInfo> pending_;
};

}  // namespace

std::int64_t parse_iso8601(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    return -1;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

ListPage parse_list_page(const std::string& xml) {
  pugi::xml_document document;
  if (!document.load_buffer(xml.data(), xml.size())) {
    throw StorageError(StorageError::Kind::io, "s3 storage: the listing is not valid XML");
  }
  const auto result = document.child("ListBucketResult");
  if (!result) {
    throw StorageError(StorageError::Kind::io,
                       "s3 storage: the listing has no ListBucketResult element");
  }
  ListPage page;
  for (const auto contents : result.children("Contents")) {
    ObjectInfo info;
    info.path = contents.child_value("Key");
    info.size = contents.child("Size").text().as_ullong();
    info.modified_unix = parse_iso8601(contents.child_value("LastModified"));
    page.files.push_back(std::move(info));
  }
  for (const auto common : result.children("CommonPrefixes")) {
    page.folders.emplace_back(common.child_value("Prefix"));
  }
  if (std::string_view(result.child_value("IsTruncated")) == "true") {
    page.continuation_token = result.child_value("NextContinuationToken");
    if (page.continuation_token.empty()) {
      throw StorageError(StorageError::Kind::io,
                         "s3 storage: a truncated listing came without NextContinuationToken");
    }
  }
  return page;
}

std::unique_ptr<ObjectLister> make_s3_lister(std::shared_ptr<S3Client> client, std::string folder,
                                             bool recursive) {
  return std::make_unique<S3Lister>(std::move(client), std::move(folder), recursive);
}

}  // namespace synapse::runtime::s3
