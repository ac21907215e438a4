#include "upload/storing/file_uploader.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "common/text.hpp"

namespace synapse::runtime::upload {

ReadStreamBuf::ReadStreamBuf(std::unique_ptr<synapse::ReadStream> stream, std::size_t buffer_size)
    : stream_(std::move(stream)),
      buffer_(new char[buffer_size == 0 ? 1 : buffer_size]),
      buffer_size_(buffer_size == 0 ? 1 : buffer_size) {
  setg(buffer_.get(), buffer_.get(), buffer_.get());  // empty: the first read underflows
}

ReadStreamBuf::int_type ReadStreamBuf::underflow() {
  if (gptr() < egptr())
    return traits_type::to_int_type(*gptr());
  const std::size_t n = stream_->read(buffer_.get(), buffer_size_);
  if (n == 0)
    return traits_type::eof();
  setg(buffer_.get(), buffer_.get(), buffer_.get() + n);
  return traits_type::to_int_type(*gptr());
}

std::streamsize ReadStreamBuf::xsgetn(char_type* s, std::streamsize count) {
  std::streamsize got = 0;
  // First what the buffer holds.
  if (gptr() < egptr()) {
    got = std::min<std::streamsize>(count, egptr() - gptr());
    traits_type::copy(s, gptr(), static_cast<std::size_t>(got));
    gbump(static_cast<int>(got));
  }
  // Then large requests straight from the stream, small ones through the buffer.
  while (got < count) {
    const auto want = static_cast<std::size_t>(count - got);
    if (want < buffer_size_) {
      if (traits_type::eq_int_type(underflow(), traits_type::eof()))
        break;
      const std::streamsize take = std::min<std::streamsize>(count - got, egptr() - gptr());
      traits_type::copy(s + got, gptr(), static_cast<std::size_t>(take));
      gbump(static_cast<int>(take));
      got += take;
      continue;
    }
    const std::size_t n = stream_->read(s + got, want);
    if (n == 0)
      break;
    got += static_cast<std::streamsize>(n);
  }
  return got;
}

ReadStreamIStream::ReadStreamIStream(std::unique_ptr<synapse::ReadStream> stream,
                                     std::size_t buffer_size)
    : detail::ReadStreamBufHolder{ReadStreamBuf(std::move(stream), buffer_size)},
      std::istream(&buf) {
  exceptions(std::ios::badbit);
}

namespace {

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// One unit's files read, hashed and staged (not yet durable nor registered).
struct StagedUnit {
  std::vector<std::pair<std::string, std::unique_ptr<synapse::StagedContent>>> files;
  std::string error;
};

// Stages every file of one unit, stopping at the first failure (the staged copies of a failed
// unit are dropped by their destructors).
StagedUnit stage_unit(const StorageForSpec& sources, synapse::Catalog& catalog,
                      const OrganizedUnit& unit) {
  StagedUnit staged;
  for (const auto& [spec, path] : unit.files) {
    try {
      ReadStreamIStream in(sources(spec).open_read(path));
      staged.files.emplace_back(spec, catalog.stage_stream(in));
    } catch (...) {
      staged.error = spec + " (" + path + "): " + describe(std::current_exception());
      staged.files.clear();
      break;
    }
  }
  return staged;
}

// Commits the staged files of units [begin, end) of the batch in one call and fills their
// results; the callbacks run here, on the calling thread, in input order.
void commit(synapse::Catalog& catalog, const std::vector<OrganizedUnit>& batch,
            std::vector<StagedUnit>& staged, const UploadCallbacks& callbacks,
            std::vector<UploadedUnit>& results, std::size_t begin, std::size_t end) {
  std::vector<synapse::FileToCommit> files;
  std::vector<std::pair<std::size_t, std::string>> owner;  // (unit index, spec) per file
  for (std::size_t i = begin; i < end; ++i) {
    results[i].key = batch[i].key;
    results[i].meta = batch[i].meta;
    results[i].error = staged[i].error;
    for (auto& [spec, content] : staged[i].files) {
      files.push_back({std::move(content), base_name(batch[i].files.at(spec)), {}});
      owner.emplace_back(i, spec);
    }
  }
  if (!files.empty()) {
    try {
      const auto stored = catalog.commit_files(std::move(files));
      for (std::size_t f = 0; f < stored.size(); ++f) {
        auto& unit = results[owner[f].first];
        unit.files[owner[f].second] = stored[f].file;
        unit.created[owner[f].second] = stored[f].created;
      }
      for (std::size_t f = 0; f < stored.size(); ++f) {
        auto& unit = results[owner[f].first];
        if (!unit.ok() || !callbacks.on_file_uploaded)
          continue;
        try {
          callbacks.on_file_uploaded(batch[owner[f].first], owner[f].second, stored[f]);
        } catch (...) {
          unit.error = owner[f].second + ": " + describe(std::current_exception());
        }
      }
    } catch (...) {
      const std::string error = "storing the batch failed: " + describe(std::current_exception());
      for (const auto& [index, spec] : owner)
        results[index].error = error;
    }
  }
  if (callbacks.on_unit_failed) {
    for (std::size_t i = begin; i < end; ++i) {
      if (results[i].ok())
        continue;
      try {
        callbacks.on_unit_failed(batch[i], results[i].error);
      } catch (...) {
        // The unit is already failed; a failing failure report must not stop the others.
      }
    }
  }
}

class SyncUploader : public FileUploader {
 public:
  std::string name() const override { return "sync"; }
  std::vector<UploadedUnit> upload(const StorageForSpec& sources, synapse::Catalog& catalog,
                                   const std::vector<OrganizedUnit>& batch,
                                   const UploadCallbacks& callbacks) override {
    std::vector<StagedUnit> staged;
    staged.reserve(batch.size());
    for (const auto& unit : batch)
      staged.push_back(stage_unit(sources, catalog, unit));
    std::vector<UploadedUnit> results(batch.size());
    commit(catalog, batch, staged, callbacks, results, 0, batch.size());
    return results;
  }
};

// A commit smaller than this waits for more staged units (unless it is the batch's tail): each
// commit pays one durability barrier, and a barrier flushes the whole file system, metadata the
// workers keep dirtying included (inode tables, bitmaps, folders), which the next barrier then
// writes again. At the upload step's batch size (UploadTuning::batch_units) a batch is
// committed once, when it is all staged, while the next batch stages (BatchOverlap). Measured
// on 100,000 small files (set a of tools/bench/upload, interleaved runs of one build with the
// sizes behind environment variables): 2,000-unit batches committed once (about 25 barriers)
// against 1,000-unit ones committed in parts of at least 128 (about 100): median 9.8 s against
// 11.2 s, 3 of 4 pairs faster, and 6 of 7 in an earlier series; one commit per 1,000-unit batch
// was no faster than parts. Then 4,000 against 2,000: 4 of 5 pairs faster, median 8.3 s
// against 9.5 s (5,000: no faster than 4,000, and 71 MiB).
constexpr std::size_t kMinCommitUnits = kUnitsPerBatch;

// Pipelined: the pool's workers stage the units while this thread commits the prefix of the
// batch that is staged already, so the durability barrier of one commit (mostly waiting for
// the disk) overlaps the staging of the units after it. Each commit takes every unit staged
// in order since the last one (at least kMinCommitUnits, except the tail): the slower the
// barrier, the larger the next commit, and the fewer barriers in all.
//
// One pool of max_concurrent_uploads threads serves every call, made on first use: a second
// batch given while the first is still being stored (BatchOverlap) queues its units behind the
// first's, so at most max_concurrent_uploads files are read at once whatever the number of
// calls, and no threads are started per batch.
class AsyncUploader : public FileUploader {
 public:
  explicit AsyncUploader(std::size_t max_concurrent) : max_concurrent_(max_concurrent) {}
  ~AsyncUploader() override {
    if (pool_)
      pool_->join();  // idle by now: every call waited for its own units
  }
  std::string name() const override { return "async"; }
  std::vector<UploadedUnit> upload(const StorageForSpec& sources, synapse::Catalog& catalog,
                                   const std::vector<OrganizedUnit>& batch,
                                   const UploadCallbacks& callbacks) override {
    if (batch.empty())
      return {};
    std::vector<StagedUnit> staged(batch.size());
    std::vector<UploadedUnit> results(batch.size());
    std::mutex mutex;
    std::condition_variable staged_more;
    std::vector<char> done(batch.size(), 0);
    std::size_t done_prefix = 0;  // units [0, done_prefix) are staged
    // The tasks use this call's locals: it must not return, not even by an exception, before
    // every task it posted has finished, i.e. staged its unit. Each task's last touch of the
    // locals is under `mutex`, with the notify, so once done_prefix covers the posted tasks
    // nothing uses them any more.
    struct WaitForTasks {
      std::mutex& mutex;
      std::condition_variable& cv;
      const std::size_t& done_prefix;
      std::size_t posted = 0;
      ~WaitForTasks() {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return done_prefix >= posted; });
      }
    } wait_for_tasks{mutex, staged_more, done_prefix};
    boost::asio::thread_pool& workers = pool();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // Each task writes only its own slot, which keeps input order without sorting; the mutex
      // publishes the slots to this thread.
      boost::asio::post(workers, [&, i] {
        StagedUnit unit;
        // An exception escaping a pool handler would terminate the process: contain it.
        try {
          unit = stage_unit(sources, catalog, batch[i]);
        } catch (...) {
          unit.files.clear();
          unit.error = describe(std::current_exception());
        }
        std::lock_guard lock(mutex);
        staged[i] = std::move(unit);
        done[i] = 1;
        const std::size_t before = done_prefix;
        while (done_prefix < done.size() && done[done_prefix])
          ++done_prefix;
        if (done_prefix != before)
          staged_more.notify_all();
      });
      ++wait_for_tasks.posted;
    }
    std::size_t committed = 0;
    while (committed < batch.size()) {
      std::size_t end = 0;
      {
        std::unique_lock lock(mutex);
        // A tail shorter than kMinCommitUnits joins the commit before it.
        staged_more.wait(lock, [&] {
          return done_prefix == batch.size() || (done_prefix >= committed + kMinCommitUnits &&
                                                 batch.size() - done_prefix >= kMinCommitUnits);
        });
        end = done_prefix;
      }
      commit(catalog, batch, staged, callbacks, results, committed, end);
      committed = end;
    }
    return results;  // wait_for_tasks: every task has finished already (all units staged)
  }

 private:
  boost::asio::thread_pool& pool() {
    std::lock_guard lock(pool_mutex_);
    if (!pool_)
      pool_ = std::make_unique<boost::asio::thread_pool>(max_concurrent_);
    return *pool_;
  }

  std::size_t max_concurrent_;
  std::mutex pool_mutex_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace

bool stores_batches_concurrently(const FileUploader& uploader) {
  return dynamic_cast<const AsyncUploader*>(&uploader) != nullptr;
}

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
