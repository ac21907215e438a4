// Test doubles for unit-testing plugin code without the host: a RunContext that records what an
// action reports, and an ExportContext that keeps the export's outputs in memory.
//
//   #include <synapse/testing/fake_contexts.hpp>
//   synapse::testing::FakeRunContext run({{"name", "Ann"}});
//   auto result = MyAction().run(run);
//   CHECK(run.last_progress("greet")->current == 5);
//
// For upload code no fake is needed: synapse::upload::UploadContext is a plain class, built over
// a FakeRunContext (`UploadContext context(run, run.params());`) and filled by the test
// (organized_files().append(...), bag(), ...); catalog() and storage() are then null.
//
// The fakes check what the host checks and record a warning instead of throwing, as the host
// does (warnings()); they never validate params (the host applies params_schema and its defaults
// before run(): give the fake the params as the host would pass them). Header-only; nothing here
// is part of the plugin ABI.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/export/export_context.hpp>
#include <synapse/run_context.hpp>
#include <synapse/storage.hpp>

namespace synapse::testing {

struct RecordedMessage {
  MessageContext context = MessageContext::info;
  std::string text;
  std::string code;  // log_code's code; empty for log_message
};

struct RecordedEvent {
  std::string name;
  nlohmann::json data;
};

struct RecordedProgress {
  std::int64_t current = 0;
  std::int64_t total = 0;
  std::string category;
};

class FakeRunContext : public RunContext {
 public:
  explicit FakeRunContext(nlohmann::json params = nlohmann::json::object())
      : params_(std::move(params)) {}

  // --- what the test sets up ---
  void set_params(nlohmann::json params) { params_ = std::move(params); }
  // is_cancelled() is true from now on (as after SIGINT).
  void cancel() noexcept { checks_left_ = 0; }
  // is_cancelled() turns true after `checks` more calls returned false: tests the cancellation
  // check in the middle of a loop.
  void cancel_after_checks(std::int64_t checks) noexcept { checks_left_ = checks; }

  // --- RunContext ---
  const nlohmann::json& params() const override { return params_; }

  void log_message(MessageContext context, std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({context, std::string(text), {}});
  }
  void log_code(std::string_view code, MessageContext context, std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({context, std::string(text), std::string(code)});
  }
  void log_event(std::string_view name, const nlohmann::json& data) override {
    std::lock_guard lock(mutex_);
    if (name.empty()) {
      warnings_.push_back("log_event ignored: the event name is empty");
      return;
    }
    for (std::string_view reserved : {"progress", "metrics", "message", "result"}) {
      if (name == reserved) {
        warnings_.push_back("log_event(\"" + std::string(name) +
                            "\") ignored: that event name is reserved for the host");
        return;
      }
    }
    events_.push_back({std::string(name), data});
  }
  void set_progress(std::int64_t current, std::int64_t total,
                    std::string_view category = {}) override {
    std::lock_guard lock(mutex_);
    if (total <= 0 || current < 0 || current > total) {
      warnings_.push_back("set_progress(" + std::to_string(current) + ", " + std::to_string(total) +
                          ", \"" + std::string(category) +
                          "\") ignored: expected 0 <= current <= total and total > 0");
      return;
    }
    progress_.push_back({current, total, std::string(category)});
  }
  void set_metrics(std::string_view category, const nlohmann::json& value) override {
    std::lock_guard lock(mutex_);
    if (category.empty() || !value.is_object()) {
      warnings_.push_back("set_metrics(\"" + std::string(category) +
                          "\") ignored: expected a category name and a JSON object");
      return;
    }
    auto& slot = metrics_[std::string(category)];
    if (!slot.is_object()) {
      slot = nlohmann::json::object();
    }
    slot.update(value);
  }
  bool is_cancelled() const noexcept override {
    std::int64_t left = checks_left_.load();
    while (left > 0 && !checks_left_.compare_exchange_weak(left, left - 1)) {
    }
    return left == 0;
  }

  // --- what the test checks (copies: safe while plugin threads still report) ---
  std::vector<RecordedMessage> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<RecordedEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  // The payloads of the events called `name`, in order.
  std::vector<nlohmann::json> events_named(std::string_view name) const {
    std::lock_guard lock(mutex_);
    std::vector<nlohmann::json> out;
    for (const auto& event : events_) {
      if (event.name == name) {
        out.push_back(event.data);
      }
    }
    return out;
  }
  std::vector<RecordedProgress> progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
  }
  // The latest accepted progress of `category`, or nullopt.
  std::optional<RecordedProgress> last_progress(std::string_view category = {}) const {
    std::lock_guard lock(mutex_);
    for (auto it = progress_.rbegin(); it != progress_.rend(); ++it) {
      if (it->category == category) {
        return *it;
      }
    }
    return std::nullopt;
  }
  // category -> the merged metrics object, as the host keeps them.
  nlohmann::json metrics() const {
    std::lock_guard lock(mutex_);
    return metrics_;
  }
  // Calls the host would have ignored with a warning (bad progress, metrics, event names).
  std::vector<std::string> warnings() const {
    std::lock_guard lock(mutex_);
    return warnings_;
  }
  // True when a message (log_message or log_code) contains `text`.
  bool has_message(std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const auto& message : messages_) {
      if (message.text.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

 private:
  // -1: never cancelled; 0: cancelled; n > 0: cancelled after n more checks.
  static constexpr std::int64_t kNever = -1;

  nlohmann::json params_;
  mutable std::atomic<std::int64_t> checks_left_{kNever};
  mutable std::mutex mutex_;
  std::vector<RecordedMessage> messages_;
  std::vector<RecordedEvent> events_;
  std::vector<RecordedProgress> progress_;
  nlohmann::json metrics_ = nlohmann::json::object();
  std::vector<std::string> warnings_;
};

// An ExportContext whose outputs land in a map (relative path -> content). catalog() and
// output_storage() throw std::logic_error: an exporter that needs them is tested against the host.
class FakeExportContext : public exports::ExportContext {
 public:
  // `params` as the host passes them (defaults applied); the default is a minimal task export.
  explicit FakeExportContext(nlohmann::json params = default_params(),
                             nlohmann::json configuration = nlohmann::json::object())
      : params_(std::move(params)),
        configuration_(std::move(configuration)),
        scratch_(make_scratch_dir()) {}
  ~FakeExportContext() override {
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }
  FakeExportContext(const FakeExportContext&) = delete;
  FakeExportContext& operator=(const FakeExportContext&) = delete;

  static nlohmann::json default_params() {
    return nlohmann::json::parse(R"({"name": "unit-test", "description": "", "storage": 1,
        "path": "exports", "target": "task", "filter": {}, "save_original_file": false,
        "extra_params": {}})");
  }

  // --- what the test sets up ---
  FakeRunContext& fake_run() noexcept { return run_; }
  void set_params(nlohmann::json params) { params_ = std::move(params); }
  void set_configuration(nlohmann::json configuration) {
    configuration_ = std::move(configuration);
  }
  void set_count(std::int64_t count) noexcept { count_ = count; }
  void set_project_id(std::optional<CatalogId> id) noexcept { project_id_ = id; }
  void set_output_path(std::string path) { output_path_ = std::move(path); }

  // --- ExportContext ---
  RunContext& run() override { return run_; }
  Catalog& catalog() override {
    throw std::logic_error("FakeExportContext::catalog(): not available in unit tests");
  }
  Storage& output_storage() override {
    throw std::logic_error("FakeExportContext::output_storage(): not available in unit tests");
  }
  const std::string& output_path() const override { return output_path_; }
  const nlohmann::json& params() const override { return params_; }
  std::int64_t count() const override { return count_; }
  const nlohmann::json& configuration() const override { return configuration_; }
  std::optional<CatalogId> project_id() const override { return project_id_; }

  void write_output(std::string_view relative, std::string_view content) override {
    std::lock_guard lock(*mutex_);
    (*outputs_)[checked(relative)] = std::string(content);
  }
  std::unique_ptr<WriteStream> open_output(std::string_view relative) override {
    return std::make_unique<MemoryWriteStream>(checked(relative), outputs_, mutex_);
  }
  const std::filesystem::path& scratch_dir() const override { return scratch_; }

  // --- what the test checks ---
  std::map<std::string, std::string> outputs() const {
    std::lock_guard lock(*mutex_);
    return *outputs_;
  }
  bool has_output(std::string_view relative) const {
    std::lock_guard lock(*mutex_);
    return outputs_->contains(std::string(relative));
  }
  // The content written to `relative`; throws std::out_of_range naming it when there is none.
  std::string output(std::string_view relative) const {
    std::lock_guard lock(*mutex_);
    auto it = outputs_->find(std::string(relative));
    if (it == outputs_->end()) {
      throw std::out_of_range("FakeExportContext: no output '" + std::string(relative) + "'");
    }
    return it->second;
  }

 private:
  using Outputs = std::map<std::string, std::string>;

  // Visible under its path only after commit(), as the host's streams.
  class MemoryWriteStream final : public WriteStream {
   public:
    MemoryWriteStream(std::string path, std::shared_ptr<Outputs> outputs,
                      std::shared_ptr<std::mutex> mutex)
        : path_(std::move(path)), outputs_(std::move(outputs)), mutex_(std::move(mutex)) {}
    void write(const char* data, std::size_t size) override { buffer_.append(data, size); }
    void commit() override {
      std::lock_guard lock(*mutex_);
      (*outputs_)[path_] = std::move(buffer_);
      buffer_.clear();
    }

   private:
    std::string path_;
    std::string buffer_;
    std::shared_ptr<Outputs> outputs_;
    std::shared_ptr<std::mutex> mutex_;
  };

  // The host's rule: a path inside the export folder (not empty, not absolute, no "..", no empty
  // or "." component). Throws ActionError as the host does.
  static std::string checked(std::string_view relative) {
    const auto refuse = [&](const char* why) {
      throw ActionError("export output '" + std::string(relative) + "' " + why);
    };
    if (relative.empty()) {
      refuse("is empty");
    }
    if (relative.front() == '/') {
      refuse("is absolute");
    }
    std::size_t start = 0;
    for (;;) {
      const std::size_t slash = relative.find('/', start);
      const auto part =
          relative.substr(start, slash == std::string_view::npos ? slash : slash - start);
      if (part == "..") {
        refuse("leaves the export folder");
      }
      if (part.empty() || part == ".") {
        refuse("has an empty or '.' component");
      }
      if (slash == std::string_view::npos) {
        return std::string(relative);
      }
      start = slash + 1;
    }
  }

  static std::filesystem::path make_scratch_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "synapse-fake-export-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(),
                              "FakeExportContext: cannot create a scratch folder " + pattern);
    }
    return pattern;
  }

  FakeRunContext run_;
  nlohmann::json params_;
  nlohmann::json configuration_;
  std::filesystem::path scratch_;
  std::string output_path_ = "exports/unit-test";
  std::int64_t count_ = 0;
  std::optional<CatalogId> project_id_;
  std::shared_ptr<Outputs> outputs_ = std::make_shared<Outputs>();
  std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
};

}  // namespace synapse::testing
