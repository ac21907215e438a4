#include "storage/s3/s3_client.hpp"

#include <curl/curl.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

namespace synapse::runtime::s3 {
namespace {

using Kind = StorageError::Kind;

constexpr int kAttempts = 3;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  S3Response* response;
  std::size_t limit;
  bool overflow = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->limit) {
    transfer->overflow = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    transfer->response->headers.clear();  // a new response (after "100 Continue")
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return bytes;
  }
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto value = line.substr(colon + 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.remove_suffix(1);
  }
  transfer->response->headers[name] = std::string(value);
  return bytes;
}

struct HeaderList {
  curl_slist* list = nullptr;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (grown == nullptr) {
      throw std::bad_alloc();
    }
    list = grown;
  }
};

bool transient(CURLcode code) {
  return code == CURLE_OPERATION_TIMEDOUT || code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR ||
         code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE;
}

Kind kind_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return Kind::unreachable;
    case CURLE_PEER_FAILED_VERIFICATION:
      return Kind::auth_failed;  // the endpoint's identity, like a wrong host key
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Kind::invalid_config;
    default:
      return Kind::io;
  }
}

bool is_auth_code(std::string_view code) {
  return code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
         code == "AccessDenied" || code == "InvalidToken" || code == "ExpiredToken" ||
         code == "RequestTimeTooSkewed" || code == "AuthorizationHeaderMalformed";
}

}  // namespace

S3Client::S3Client(S3Config config) : config_(std::move(config)) {
  global_init();
  std::string_view url = config_.endpoint_url;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    throw StorageError(Kind::invalid_config,
                       "s3 storage: configuration key 'endpoint_url' must look like "
                       "http(s)://host[:port]");
  }
  scheme_ = std::string(url.substr(0, scheme_end));
  url.remove_prefix(scheme_end + 3);
  const auto path_start = url.find('/');
  authority_ = std::string(url.substr(0, path_start));
  base_path_ = path_start == std::string_view::npos ? "" : std::string(url.substr(path_start));
  while (!base_path_.empty() && base_path_.back() == '/') {
    base_path_.pop_back();
  }
  if ((scheme_ != "http" && scheme_ != "https") || authority_.empty() ||
      authority_.find('@') != std::string::npos ||
      base_path_.find_first_of("?#") != std::string::npos) {
    // '@' would carry credentials in the URL, where messages would show them.
    throw StorageError(Kind::invalid_config,
                       "s3 storage: configuration key 'endpoint_url' must look like "
                       "http(s)://host[:port] (no credentials, query or fragment)");
  }
  if (!config_.path_style) {
    authority_ = config_.bucket + "." + authority_;
  }
}

S3Client::~S3Client() {
  for (void* handle : idle_) {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

std::string S3Client::label() const {
  return "s3 storage (bucket " + config_.bucket + ")";
}

std::string S3Client::url_path(std::string_view key) const {
  std::string path = base_path_;
  if (config_.path_style) {
    path += "/" + uri_encode(config_.bucket, true);
    if (!key.empty()) {
      path += "/" + uri_encode(key, false);
    }
  } else {
    path += "/" + uri_encode(key, false);
  }
  return path;
}

void* S3Client::acquire_handle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  CURL* handle = curl_easy_init();
  if (handle == nullptr) {
    throw StorageError(Kind::io, label() + ": cannot create a libcurl handle");
  }
  return handle;
}

void S3Client::release_handle(void* handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(handle);
}

S3Response S3Client::send(const S3Request& request) {
  const std::string path = url_path(request.key);
  const std::string query = canonical_query(request.query);
  const std::string url = scheme_ + "://" + authority_ + path + (query.empty() ? "" : "?" + query);
  const std::string payload_hash =
      request.body.empty() ? std::string(kEmptySha256) : sha256_hex(request.body);

  CURL* curl = static_cast<CURL*>(acquire_handle());
  struct Release {
    S3Client* client;
    CURL* curl;
    ~Release() { client->release_handle(curl); }
  } release{this, curl};

  CURLcode code = CURLE_OK;
  std::string curl_message;
  S3Response response;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    // Signed per attempt: x-amz-date must be fresh.
    const std::string date = amz_date(std::chrono::system_clock::now());
    SigningInput input{
        request.method,
        path,
        request.query,
        {{"host", authority_}, {"x-amz-content-sha256", payload_hash}, {"x-amz-date", date}},
        payload_hash};
    input.headers.insert(input.headers.end(), request.headers.begin(), request.headers.end());
    const auto signature =
        sign_v4(input, config_.access_key, config_.secret_key, date, config_.region, "s3");

    HeaderList headers;
    for (const auto& [name, value] : input.headers) {
      headers.add(name + ": " + value);
    }
    headers.add("Authorization: " + signature.authorization);
    headers.add("Expect:");  // no 100-continue round trip before each part
    if (request.method == "PUT" || request.method == "POST") {
      headers.add(request.method == "POST" ? "Content-Type: application/xml"
                                           : "Content-Type: application/octet-stream");
    }

    response = S3Response{};
    Transfer transfer{&response, request.max_response_bytes};
    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_easy_reset(curl);  // keeps the connection cache
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // the signed path is the one sent
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, config_.connect_timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, config_.low_speed_seconds);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    if (request.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method == "PUT" || request.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    } else if (request.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    code = curl_easy_perform(curl);
    if (code == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
      const bool server_busy = response.status == 500 || response.status == 502 ||
                               response.status == 503 || response.status == 504;
      if (!server_busy || attempt == kAttempts) {
        return response;
      }
    } else {
      if (transfer.overflow) {
        throw StorageError(Kind::io, label() + ": " + request.method + " '" + request.key +
                                         "': the response exceeds " +
                                         std::to_string(request.max_response_bytes) + " bytes");
      }
      curl_message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
      if (!transient(code) || attempt == kAttempts) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250 * attempt * attempt));
  }
  throw StorageError(kind_of(code), label() + ": " + request.method + " '" + request.key +
                                        "': cannot reach " + config_.endpoint_url + ": " +
                                        curl_message);
}

void S3Client::fail(const S3Response& response, std::string_view what) const {
  std::string code;
  std::string message;
  pugi::xml_document document;
  if (!response.body.empty() && document.load_buffer(response.body.data(), response.body.size())) {
    const auto error = document.child("Error");
    code = error.child_value("Code");
    message = error.child_value("Message");
  }
  Kind kind = Kind::io;
  if (response.status == 401 || response.status == 403 || is_auth_code(code)) {
    kind = Kind::auth_failed;
  } else if (response.status == 404) {
    kind = Kind::not_found;
  } else if (response.status >= 500) {
    kind = Kind::unreachable;  // the service is in trouble; worth retrying later
  }
  std::string text =
      label() + ": " + std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!code.empty()) {
    text += " " + code;
  }
  if (!message.empty()) {
    text += ": " + message;
  }
  if (kind == Kind::not_found && code.empty()) {
    text += " (no such object)";  // HEAD answers carry no body to say so
  }
  if (kind == Kind::auth_failed && code.empty()) {
    text += " (check access_key, secret_key and the bucket's permissions)";
  }
  throw StorageError(kind, text);
}

S3Response S3Client::send_ok(const S3Request& request, std::string_view what) {
  auto response = send(request);
  if (!response.ok()) {
    fail(response, what);
  }
  return response;
}

}  // namespace synapse::runtime::s3
