// Per-item progress without an event per item: set_progress at most every 100 ms, plus the
// first and the last call, so a 100,000-file upload reports smooth progress in a few hundred
// events instead of 100,000.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <synapse/run_context.hpp>

namespace synapse::runtime::upload {

class ProgressThrottle {
 public:
  ProgressThrottle(synapse::RunContext& run, std::string category, std::int64_t total)
      : run_(run), category_(std::move(category)), total_(total) {
    if (total_ > 0)
      run_.set_progress(0, total_, category_);
  }
  void advance(std::int64_t items = 1) {
    done_ += items;
    const auto now = std::chrono::steady_clock::now();
    if (total_ > 0 && (done_ >= total_ || now - last_ >= std::chrono::milliseconds(100))) {
      last_ = now;
      run_.set_progress(done_ > total_ ? total_ : done_, total_, category_);
    }
  }
  std::int64_t done() const { return done_; }

 private:
  synapse::RunContext& run_;
  std::string category_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace synapse::runtime::upload
