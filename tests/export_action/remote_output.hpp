// Shared by the s3 and sftp output tests: one export of the sample pictures (recorder fixture,
// whose item_exported checks its JSON through the same storage) into a remote storage, read back
// through a second Storage object.
#pragma once

#include <memory>
#include <string>

#include "export_test_support.hpp"
#include "storage/storage_factory.hpp"

namespace export_test {

inline std::string read_object(synapse::Storage& storage, const std::string& path) {
  auto in = storage.open_read(path);
  std::string bytes;
  char buffer[8192];
  for (std::size_t n; (n = in->read(buffer, sizeof buffer)) > 0;)
    bytes.append(buffer, n);
  return bytes;
}

inline void export_to_remote(const std::string& provider, const json& configuration,
                             const std::string& path) {
  ExportEnv env;
  const auto ids = env.add_tasks(env.add_samples());
  synapse::StorageRecord record;
  record.name = "remote";
  record.provider = provider;
  record.configuration = configuration;
  const auto storage_id = env.catalog->create_storage(record).id;
  auto exporter = load_exporter("recorder");
  RecordingRun run;
  const auto result =
      env.run(run, exporter.get(), env.task_params({{"storage", storage_id}, {"path", path}}));
  INFO(run.transcript());
  const std::string folder = path + "/export";
  CHECK(result["output_path"] == folder);
  CHECK(result["success"] == 6);

  auto storage = synapse::runtime::make_storage(provider, configuration);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto data = annotation(fs::path(sample_names()[i]).stem().string());
    data["converted_by"] = "recorder";
    CHECK(read_object(*storage, folder + "/json/" + std::to_string(ids[i]) + ".json") ==
          data.dump(4));
    CHECK(read_object(*storage, folder + "/origin_files/" + sample_names()[i]) ==
          read_file(sample_image(sample_names()[i])));
  }
  CHECK(json::parse(read_object(*storage, folder + "/summary.json")) == json{{"exported", 6}});
  // item_exported saw every JSON through the storage: the outputs were saved before it ran.
  CHECK(run.metrics("data_file") == json{{"stand_by", 0}, {"success", 6}, {"failed", 0}});

  // A second export of the same name on the same storage goes next to it.
  RecordingRun second;
  CHECK(env.run(second, nullptr,
                env.task_params({{"storage", storage_id},
                                 {"path", path},
                                 {"save_original_file", false}}))["output_path"] == folder + "(1)");
}

}  // namespace export_test
