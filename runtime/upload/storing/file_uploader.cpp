#include "upload/storing/file_uploader.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace synapse::runtime::upload {

ReadStreamBuf::ReadStreamBuf(std::unique_ptr<synapse::ReadStream> stream, std::size_t buffer_size)
    : stream_(std::move(stream)), buffer_(buffer_size == 0 ? 1 : buffer_size) {
  setg(buffer_.data(), buffer_.data(), buffer_.data());  // empty: the first read underflows
}

ReadStreamBuf::int_type ReadStreamBuf::underflow() {
  if (gptr() < egptr())
    return traits_type::to_int_type(*gptr());
  const std::size_t n = stream_->read(buffer_.data(), buffer_.size());
  if (n == 0)
    return traits_type::eof();
  setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
  return traits_type::to_int_type(*gptr());
}

ReadStreamIStream::ReadStreamIStream(std::unique_ptr<synapse::ReadStream> stream,
                                     std::size_t buffer_size)
    : detail::ReadStreamBufHolder{ReadStreamBuf(std::move(stream), buffer_size)},
      std::istream(&buf) {
  exceptions(std::ios::badbit);
}

namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// Stores every file of one unit, stopping at the first failure. `callback_mutex` serialises
// the callbacks across workers (see UploadCallbacks).
UploadedUnit upload_unit(synapse::Storage& storage, synapse::Catalog& catalog,
                         const OrganizedUnit& unit, const UploadCallbacks& callbacks,
                         std::mutex& callback_mutex) {
  UploadedUnit result;
  result.key = unit.key;
  for (const auto& [spec, path] : unit.files) {
    try {
      ReadStreamIStream in(storage.open_read(path));
      synapse::PutFileResult stored = catalog.put_stream(in, base_name(path));
      result.files[spec] = stored.file;
      result.created[spec] = stored.created;
      if (callbacks.on_file_uploaded) {
        std::lock_guard lock(callback_mutex);
        callbacks.on_file_uploaded(unit, spec, stored);
      }
    } catch (...) {
      result.error = spec + " (" + path + "): " + describe(std::current_exception());
      break;
    }
  }
  if (!result.ok() && callbacks.on_unit_failed) {
    std::lock_guard lock(callback_mutex);
    try {
      callbacks.on_unit_failed(unit, result.error);
    } catch (...) {
      // The unit is already failed; a failing failure report must not stop the other units.
    }
  }
  return result;
}

class SyncUploader : public FileUploader {
 public:
  std::string name() const override { return "sync"; }
  std::vector<UploadedUnit> upload(synapse::Storage& storage, synapse::Catalog& catalog,
                                   const std::vector<OrganizedUnit>& batch,
                                   const UploadCallbacks& callbacks) override {
    std::mutex callback_mutex;
    std::vector<UploadedUnit> results;
    results.reserve(batch.size());
    for (const auto& unit : batch)
      results.push_back(upload_unit(storage, catalog, unit, callbacks, callback_mutex));
    return results;
  }
};

class AsyncUploader : public FileUploader {
 public:
  explicit AsyncUploader(std::size_t max_concurrent) : max_concurrent_(max_concurrent) {}
  std::string name() const override { return "async"; }
  std::vector<UploadedUnit> upload(synapse::Storage& storage, synapse::Catalog& catalog,
                                   const std::vector<OrganizedUnit>& batch,
                                   const UploadCallbacks& callbacks) override {
    std::vector<UploadedUnit> results(batch.size());
    if (batch.empty())
      return results;
    std::mutex callback_mutex;
    // The pool's thread count is the concurrency bound: each worker stores one unit (one
    // open ReadStream) at a time. Each task writes only its own slot, which keeps input order
    // without any sorting, and join() publishes the slots to this thread.
    boost::asio::thread_pool pool(std::min(max_concurrent_, batch.size()));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      boost::asio::post(pool, [&, i] {
        // An exception escaping a pool handler would terminate the process: contain it.
        try {
          results[i] = upload_unit(storage, catalog, batch[i], callbacks, callback_mutex);
        } catch (...) {
          results[i].key = batch[i].key;
          results[i].error = describe(std::current_exception());
        }
      });
    }
    pool.join();
    return results;
  }

 private:
  std::size_t max_concurrent_;
};

}  // namespace

std::unique_ptr<FileUploader> make_file_uploader(const std::string& name,
                                                 const UploaderOptions& options) {
  if (name == "sync")
    return std::make_unique<SyncUploader>();
  if (name == "async") {
    if (options.max_concurrent_uploads == 0)
      throw std::invalid_argument("max_concurrent_uploads must be at least 1");
    return std::make_unique<AsyncUploader>(options.max_concurrent_uploads);
  }
  throw std::invalid_argument("unknown upload strategy '" + name + "' (expected sync or async)");
}

}  // namespace synapse::runtime::upload
