#include "cli/record_json.hpp"

#include "storage/storage_factory.hpp"

namespace synapse::runtime::cli {

nlohmann::json to_json(const synapse::Job& job) {
  return {{"id", job.id},
          {"plugin", job.plugin},
          {"action", job.action},
          {"status", job.status},
          {"params", job.params},
          {"progress", job.progress},
          {"metrics", job.metrics},
          {"result", job.result},
          {"error", job.error},
          {"created_at", job.created_at},
          {"started_at", job.started_at},
          {"finished_at", job.finished_at},
          {"exit_code", job.exit_code ? nlohmann::json(*job.exit_code) : nlohmann::json()}};
}

nlohmann::json to_json(const synapse::JobEvent& event) {
  return {{"seq", event.seq},
          {"event", event.event},
          {"data", event.data},
          {"datetime", event.datetime}};
}

nlohmann::json to_json(const synapse::StorageRecord& storage) {
  return {{"id", storage.id},
          {"name", storage.name},
          {"provider", storage.provider},
          {"configuration", redact_secrets(storage.provider, storage.configuration)}};
}

nlohmann::json to_json(const synapse::DataCollection& collection) {
  auto specs = nlohmann::json::array();
  for (const auto& s : collection.file_specifications) {
    specs.push_back({{"name", s.name},
                     {"file_type", s.file_type},
                     {"extensions", s.extensions},
                     {"is_required", s.is_required},
                     {"description", s.description}});
  }
  return {{"id", collection.id},
          {"name", collection.name},
          {"description", collection.description},
          {"file_specifications", specs},
          {"data_unit_meta_schema", collection.data_unit_meta_schema}};
}

nlohmann::json to_json(const synapse::DataUnit& unit) {
  return {{"id", unit.id},
          {"collection_id", unit.collection_id},
          {"files", unit.files},
          {"meta", unit.meta}};
}

nlohmann::json to_json(const synapse::Project& project) {
  return {{"id", project.id},
          {"name", project.name},
          {"description", project.description},
          {"collection_id",
           project.collection_id ? nlohmann::json(*project.collection_id) : nlohmann::json()}};
}

}  // namespace synapse::runtime::cli
