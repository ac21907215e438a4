// Test doubles: a RunContext that records every call, and a configurable step that records
// its execute/rollback calls into a shared journal.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/run_context.hpp>
#include <synapse/upload/step.hpp>

namespace upload_pipeline_test {

struct ProgressCall {
  std::int64_t current;
  std::int64_t total;
  std::string category;
};

class FakeRun : public synapse::RunContext {
 public:
  nlohmann::json params_value = nlohmann::json::object();
  std::vector<std::pair<synapse::MessageContext, std::string>> messages;
  std::vector<ProgressCall> progress;
  bool cancelled = false;

  const nlohmann::json& params() const override { return params_value; }
  void log_message(synapse::MessageContext context, std::string_view text) override {
    messages.emplace_back(context, std::string(text));
  }
  void log_event(std::string_view, const nlohmann::json&) override {}
  void set_progress(std::int64_t current, std::int64_t total, std::string_view category) override {
    progress.push_back({current, total, std::string(category)});
  }
  void set_metrics(std::string_view, const nlohmann::json&) override {}
  bool is_cancelled() const noexcept override { return cancelled; }

  bool logged(const std::string& fragment) const {
    for (const auto& [level, text] : messages) {
      if (text.find(fragment) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

// "execute:<name>" / "rollback:<name>" in call order.
using Journal = std::vector<std::string>;

class TestStep : public synapse::upload::Step {
 public:
  using Action = std::function<synapse::upload::StepResult(synapse::upload::UploadContext&)>;

  TestStep(std::string name, double weight, std::shared_ptr<Journal> journal = nullptr)
      : name_(std::move(name)), weight_(weight), journal_(std::move(journal)) {}

  std::string name() const override { return name_; }
  double progress_weight() const override { return weight_; }

  Action action;                 // default: success
  bool skip = false;             // can_skip() answer
  bool rollback_throws = false;  // do_rollback() throws std::runtime_error
  synapse::upload::StepResult last_rollback_result;

 protected:
  bool can_skip(const synapse::upload::UploadContext&) const override { return skip; }
  synapse::upload::StepResult do_execute(synapse::upload::UploadContext& context) override {
    note("execute:" + name_);
    return action ? action(context) : synapse::upload::StepResult::ok();
  }
  void do_rollback(synapse::upload::UploadContext&,
                   const synapse::upload::StepResult& result) override {
    note("rollback:" + name_);
    last_rollback_result = result;
    if (rollback_throws) {
      throw std::runtime_error("rollback of " + name_ + " broke");
    }
  }

 private:
  void note(std::string entry) {
    if (journal_) {
      journal_->push_back(std::move(entry));
    }
  }

  std::string name_;
  double weight_;
  std::shared_ptr<Journal> journal_;
};

inline std::shared_ptr<TestStep> make_step(std::string name, double weight = 0.1,
                                           std::shared_ptr<Journal> journal = nullptr) {
  return std::make_shared<TestStep>(std::move(name), weight, std::move(journal));
}

}  // namespace upload_pipeline_test
