// Upload strategies (spec/upload.md §6.6, §11.4): copy the files of organized units from their
// storages into the catalog's content store, deduplicated by SHA-256.
//
//   sync   one file at a time, in input order.
//   async  up to `max_concurrent_uploads` units at once on a boost::asio::thread_pool. Unlike
//          the Python strategy (completion order), results come back in INPUT order, so both
//          strategies return the same vector for the same input.
//
// Durability per batch, not per file: every file of the batch is read, hashed and written to
// the catalog's staging area (Catalog::stage_stream, no fsync), then ONE Catalog::commit_files
// call makes the whole batch durable with one barrier and registers its rows in one
// transaction. So a batch of 1,000 small files costs two barriers instead of 1,000 fsyncs and
// 1,000 commits, and a crash never leaves a row without its bytes.
//
// A unit's first failing file marks it failed (UploadedUnit::error) and its other files are not
// committed; other units carry on. A failing commit fails every unit of the batch.
//
// Thread-safety assumptions (async): Catalog::stage_stream is thread-safe; Storage::open_read
// may be called concurrently and every worker reads through its own ReadStream (true for the
// shipped providers; a provider that is not must be used with `sync`).
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

#include <synapse/upload/strategies.hpp>

namespace synapse::runtime::upload {

// A std::streambuf reading a synapse::ReadStream through a fixed buffer. Errors from the
// ReadStream propagate out of underflow(); ReadStreamIStream turns them back into exceptions.
// Reads of at least a buffer's worth go straight into the caller's memory (the content
// store reads 1 MiB at a time), and the buffer is not zero-filled: neither copy nor memset
// per file.
class ReadStreamBuf : public std::streambuf {
 public:
  explicit ReadStreamBuf(std::unique_ptr<synapse::ReadStream> stream,
                         std::size_t buffer_size = 64 * 1024);

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char_type* s, std::streamsize count) override;

 private:
  std::unique_ptr<synapse::ReadStream> stream_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffer_size_;
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

using synapse::upload::OrganizedUnit;
using synapse::upload::StorageForSpec;
using synapse::upload::UploadCallbacks;
using synapse::upload::UploadedUnit;
using FileUploader = synapse::upload::UploadStrategy;

// Units the upload step hands the strategy per call (UploadTuning::batch_units) and the least
// the async strategy commits at once, so that a batch is committed once (see kMinCommitUnits
// in file_uploader.cpp for the measurements). One number: the two must agree.
inline constexpr std::size_t kUnitsPerBatch = 4000;

struct UploaderOptions {
  std::size_t max_concurrent_uploads = 10;  // async only; must be >= 1
};

// Every spec read from the same storage (single-path mode, tests).
inline StorageForSpec single_storage(synapse::Storage& storage) {
  return [&storage](const std::string&) -> synapse::Storage& { return storage; };
}

// True for the built-in async strategy, which may be given the next batch while it still stores
// one (BatchOverlap): its calls share nothing but the thread-safe catalog and storages. Plugin
// strategies, and sync (one file at a time, by definition), get one batch at a time.
bool stores_batches_concurrently(const FileUploader& uploader);

// "sync" or "async"; anything else, or max_concurrent_uploads == 0, throws
// std::invalid_argument.
std::unique_ptr<FileUploader> make_file_uploader(const std::string& name,
                                                 const UploaderOptions& options = {});

}  // namespace synapse::runtime::upload
