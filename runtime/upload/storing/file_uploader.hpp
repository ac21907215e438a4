// Upload strategies (spec/upload.md §6.6, §11.4): copy the files of organized units from a
// Storage into the catalog's content store (Catalog::put_stream, deduplicated by SHA-256).
//
//   sync   one unit at a time, in input order.
//   async  up to `max_concurrent_uploads` units at once on a boost::asio::thread_pool. Unlike
//          the Python strategy (completion order), results come back in INPUT order, so both
//          strategies return the same vector for the same input.
//
// A unit's files are stored one after the other (as the Python client does). The first file
// that fails marks the unit failed (UploadedUnit::error) and its remaining files are skipped;
// other units carry on. Files stored before the failure stay in UploadedUnit::files so the
// caller can still roll back what this run created.
//
// Thread-safety assumptions (async): Catalog implementations serialise their own calls (the
// embedded one holds a mutex and hashes/copies outside it); Storage::open_read may be called
// concurrently and every worker reads through its own ReadStream (true for `local`; a
// provider that is not must be used with `sync` or max_concurrent_uploads = 1).
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include <synapse/catalog.hpp>
#include <synapse/storage.hpp>

#include "upload/discovery/file_discovery.hpp"

namespace synapse::runtime::upload {

// A std::streambuf reading a synapse::ReadStream through a fixed buffer. Errors from the
// ReadStream propagate out of underflow(); ReadStreamIStream turns them back into exceptions.
class ReadStreamBuf : public std::streambuf {
 public:
  explicit ReadStreamBuf(std::unique_ptr<synapse::ReadStream> stream,
                         std::size_t buffer_size = 64 * 1024);

 protected:
  int_type underflow() override;

 private:
  std::unique_ptr<synapse::ReadStream> stream_;
  std::vector<char> buffer_;
};

namespace detail {
// Base-from-member: the buffer must exist before std::istream is constructed over it.
struct ReadStreamBufHolder {
  ReadStreamBuf buf;
};
}  // namespace detail

// A std::istream over a ReadStream. badbit is in exceptions(), so a storage error during a
// read is rethrown as-is (a StorageError naming the path) instead of looking like a short file
// that put_stream would happily store truncated.
class ReadStreamIStream : private detail::ReadStreamBufHolder, public std::istream {
 public:
  explicit ReadStreamIStream(std::unique_ptr<synapse::ReadStream> stream,
                             std::size_t buffer_size = 64 * 1024);
};

struct UploadedUnit {
  std::string key;
  std::map<std::string, synapse::DataFile> files;  // spec name -> stored data file
  std::map<std::string, bool> created;             // spec name -> this run created the row
  std::string error;                               // empty = every file stored
  bool ok() const { return error.empty(); }
};

// Called once per stored file / per failed unit. With `async` they run on worker threads but
// never two at once (the uploader serialises them), so they need no locking of their own.
// An exception thrown by a callback marks that unit failed, like a failed file.
struct UploadCallbacks {
  std::function<void(const OrganizedUnit& unit, const std::string& spec,
                     const synapse::PutFileResult& stored)>
      on_file_uploaded;
  std::function<void(const OrganizedUnit& unit, const std::string& error)> on_unit_failed;
};

struct UploaderOptions {
  std::size_t max_concurrent_uploads = 10;  // async only; must be >= 1
};

class FileUploader {
 public:
  virtual ~FileUploader() = default;
  virtual std::string name() const = 0;
  // One UploadedUnit per input unit, in input order. Never throws for a failing file.
  virtual std::vector<UploadedUnit> upload(synapse::Storage& storage, synapse::Catalog& catalog,
                                           const std::vector<OrganizedUnit>& batch,
                                           const UploadCallbacks& callbacks = {}) = 0;
};

// "sync" or "async"; anything else, or max_concurrent_uploads == 0, throws
// std::invalid_argument.
std::unique_ptr<FileUploader> make_file_uploader(const std::string& name,
                                                 const UploaderOptions& options = {});

}  // namespace synapse::runtime::upload
