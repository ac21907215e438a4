#include "storage/s3/s3_upload.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <vector>

namespace synapse::runtime::s3 {
namespace {

using Kind = StorageError::Kind;

// S3 allows 10,000 parts; growing the part size every 1,000 parts keeps any object that fits
// in S3 within that limit while the first parts stay at the configured size.
constexpr int kPartsPerSize = 1000;
constexpr int kMaxParts = 10000;

// Bytes buffer in memory (at most one part, at least the threshold). Nothing is visible under
// the key before commit(): a small object is one PUT at commit, a large one becomes visible
// when CompleteMultipartUpload succeeds; an unfinished upload is aborted on destruction.
class S3WriteStream : public WriteStream {
 public:
  S3WriteStream(std::shared_ptr<S3Client> client, std::string key, std::string path)
      : client_(std::move(client)), key_(std::move(key)), path_(std::move(path)) {}

  ~S3WriteStream() override {
    if (!upload_id_.empty() && !committed_) {
      try {
        abort();
      } catch (...) {
        // Best effort: a bucket lifecycle rule can expire leftovers the abort missed.
      }
    }
  }
  S3WriteStream(const S3WriteStream&) = delete;
  S3WriteStream& operator=(const S3WriteStream&) = delete;

  void write(const char* data, std::size_t size) override {
    if (committed_) {
      throw StorageError(Kind::io, client_->label() + ": '" + path_ + "': write after commit");
    }
    // The buffer never holds more than one part and a byte: strictly above the threshold
    // starts the multipart upload (an object of exactly the threshold is still one PUT).
    while (size > 0) {
      const std::size_t take = std::min(size, part_size() + 1 - buffer_.size());
      buffer_.append(data, take);
      data += take;
      size -= take;
      if (buffer_.size() > part_size()) {
        if (upload_id_.empty()) {
          start();
        }
        const std::size_t part = part_size();
        upload_part(std::string_view(buffer_).substr(0, part));
        buffer_.erase(0, part);
      }
    }
  }

  void commit() override {
    if (committed_) {
      throw StorageError(Kind::io, client_->label() + ": '" + path_ + "': already committed");
    }
    if (upload_id_.empty()) {
      S3Request request;
      request.method = "PUT";
      request.key = key_;
      request.body = buffer_;
      client_->send_ok(request, "PUT '" + path_ + "'");
    } else {
      if (!buffer_.empty()) {
        upload_part(buffer_);
      }
      complete();
    }
    committed_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
  }

 private:
  std::size_t part_size() const {
    const auto base = static_cast<std::size_t>(client_->config().multipart_threshold);
    return base << (etags_.size() / kPartsPerSize);
  }

  void start() {
    S3Request request;
    request.method = "POST";
    request.key = key_;
    request.query = {{"uploads", ""}};
    const auto response = client_->send_ok(request, "CreateMultipartUpload '" + path_ + "'");
    pugi::xml_document document;
    document.load_buffer(response.body.data(), response.body.size());
    upload_id_ = document.child("InitiateMultipartUploadResult").child_value("UploadId");
    if (upload_id_.empty()) {
      throw StorageError(Kind::io, client_->label() + ": CreateMultipartUpload '" + path_ +
                                       "': no UploadId in the response");
    }
  }

  void upload_part(std::string_view data) {
    if (etags_.size() >= static_cast<std::size_t>(kMaxParts)) {
      throw StorageError(Kind::io, client_->label() + ": '" + path_ +
                                       "': larger than a multipart upload can hold");
    }
    const int number = static_cast<int>(etags_.size()) + 1;
    S3Request request;
    request.method = "PUT";
    request.key = key_;
    request.query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id_}};
    request.body = data;
    const auto response =
        client_->send_ok(request, "UploadPart " + std::to_string(number) + " '" + path_ + "'");
    auto etag = response.header("etag");
    if (etag.empty()) {
      throw StorageError(
          Kind::io, client_->label() + ": UploadPart '" + path_ + "': no ETag in the response");
    }
    etags_.push_back(std::move(etag));
  }

  void complete() {
    pugi::xml_document document;
    auto root = document.append_child("CompleteMultipartUpload");
    root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
    for (std::size_t i = 0; i < etags_.size(); ++i) {
      auto part = root.append_child("Part");
      part.append_child("PartNumber").text().set(static_cast<unsigned>(i + 1));
      part.append_child("ETag").text().set(etags_[i].c_str());
    }
    struct Writer : pugi::xml_writer {
      std::string text;
      void write(const void* data, std::size_t size) override {
        text.append(static_cast<const char*>(data), size);
      }
    } writer;
    document.save(writer, "", pugi::format_raw);

    S3Request request;
    request.method = "POST";
    request.key = key_;
    request.query = {{"uploadId", upload_id_}};
    request.body = writer.text;
    const std::string what = "CompleteMultipartUpload '" + path_ + "'";
    auto response = client_->send_ok(request, what);
    // S3 may answer 200 and still report a failure in the body.
    pugi::xml_document answer;
    if (answer.load_buffer(response.body.data(), response.body.size()) && answer.child("Error")) {
      response.status = 500;
      client_->fail(response, what);
    }
  }

  void abort() {
    S3Request request;
    request.method = "DELETE";
    request.key = key_;
    request.query = {{"uploadId", upload_id_}};
    client_->send(request);
  }

  std::shared_ptr<S3Client> client_;
  std::string key_;
  std::string path_;
  std::string buffer_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool committed_ = false;
};

}  // namespace

std::unique_ptr<WriteStream> make_s3_write_stream(std::shared_ptr<S3Client> client, std::string key,
                                                  std::string path) {
  return std::make_unique<S3WriteStream>(std::move(client), std::move(key), std::move(path));
}

}  // namespace synapse::runtime::s3
