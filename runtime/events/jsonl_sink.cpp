// JSONL sink: one event object per line. Readers tail the stream while the run goes on (the
// agent, `synapse job events --follow`), so every line is written whole and flushed at once.
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "common/runtime_error.hpp"
#include "events/event.hpp"

namespace synapse::runtime {

namespace {

class JsonlSink final : public EventSink {
 public:
  JsonlSink(std::FILE* stream, bool owned, std::string description)
      : stream_(stream), owned_(owned), description_(std::move(description)) {}

  ~JsonlSink() override {
    if (owned_ && stream_ != nullptr) {
      std::fclose(stream_);
    }
  }

  void write(const Event& event) override {
    if (stream_ == nullptr) {
      return;  // closed
    }
    // `replace`: plugin text is not guaranteed to be UTF-8, and one bad byte must not lose
    // the event (dump() would throw).
    std::string line =
        event.to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += '\n';
    // A single fwrite + fflush keeps the line whole for a reader of the file.
    if (std::fwrite(line.data(), 1, line.size(), stream_) != line.size() ||
        std::fflush(stream_) != 0) {
      const int err = errno;
      throw RuntimeError(ExitCode::transient, "events.write_failed",
                         "cannot write events to " + description_ + ": " + std::strerror(err));
    }
  }

  void close() override {
    if (stream_ == nullptr) {
      return;
    }
    if (owned_) {
      std::fclose(stream_);
    } else {
      std::fflush(stream_);
    }
    stream_ = nullptr;
  }

 private:
  std::FILE* stream_;
  bool owned_;
  std::string description_;
};

}  // namespace

std::unique_ptr<EventSink> make_jsonl_sink(std::FILE* stream) {
  return std::make_unique<JsonlSink>(stream, false, "the events stream");
}

std::unique_ptr<EventSink> make_owning_jsonl_sink(std::FILE* stream, std::string description) {
  return std::make_unique<JsonlSink>(stream, true, std::move(description));
}

std::unique_ptr<EventSink> make_jsonl_file_sink(const std::filesystem::path& file) {
  std::FILE* stream = std::fopen(file.c_str(), "w");
  if (stream == nullptr) {
    const int err = errno;
    throw RuntimeError(ExitCode::usage, "events.open_failed",
                       "cannot open events file " + file.string() + ": " + std::strerror(err));
  }
  return make_owning_jsonl_sink(stream, file.string());
}

}  // namespace synapse::runtime
