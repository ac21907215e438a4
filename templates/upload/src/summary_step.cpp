#include "summary_step.hpp"

#include <synapse/errors.hpp>
#include <synapse/run_context.hpp>

namespace plugin {

void UnitSummary::add(const synapse::upload::OrganizedUnit& unit) {
  ++units_;
  for (const auto& [spec, path] : unit.files) {
    ++files_;
    ++files_per_spec_[spec];
  }
}

nlohmann::json UnitSummary::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  out["units"] = units_;
  out["files"] = files_;
  out["files_per_spec"] = files_per_spec_;
  return out;
}

std::string UnitSummary::describe() const {
  std::string text = std::to_string(units_) + (units_ == 1 ? " unit, " : " units, ") +
                     std::to_string(files_) + (files_ == 1 ? " file" : " files");
  std::string specs;
  for (const auto& [spec, count] : files_per_spec_)
    specs += (specs.empty() ? "" : ", ") + spec + ": " + std::to_string(count);
  return specs.empty() ? text : text + " (" + specs + ")";
}

synapse::upload::StepResult SummarizeUnitsStep::do_execute(
    synapse::upload::UploadContext& context) {
  UnitSummary summary;
  // organized_files() is a Spool: read one unit at a time, so a million units stay on disk.
  context.organized_files().for_each([&](synapse::upload::OrganizedUnit&& unit) {
    if (context.run().is_cancelled())
      throw synapse::CancelledError();
    summary.add(unit);
  });

  nlohmann::json data = summary.to_json();
  // extra_params holds the ui_schema's values (config.yaml), defaults filled in by the host.
  const nlohmann::json extra = context.param("extra_params", nlohmann::json::object());
  if (extra.is_object() && extra.contains("custom_tag") && extra["custom_tag"].is_string() &&
      !extra["custom_tag"].get<std::string>().empty())
    data["custom_tag"] = extra["custom_tag"];

  context.bag()["unit_summary"] = data;
  context.run().log_message(synapse::MessageContext::info, "Organized " + summary.describe());
  context.run().log_event("unit_summary", data);
  return synapse::upload::StepResult::ok(data);
}

}  // namespace plugin
