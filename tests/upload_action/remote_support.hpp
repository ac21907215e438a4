// Shared by the s3 and sftp source tests: copying the sample into a remote storage, and the
// in-process and binary runs over it.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <synapse/storage.hpp>

#include "cli_support.hpp"
#include "storage/storage_factory.hpp"

namespace upload_action_test {

inline void put_object(synapse::Storage& storage, const std::string& path,
                       const std::string& bytes) {
  auto out = storage.open_write(path);
  out->write(bytes.data(), bytes.size());
  out->commit();
}

// The sample's files (not its README) under `folder` of a remote storage, removed again when
// the test ends (the folders stay: a storage has no folder removal; each test uses its own).
class RemoteSample {
 public:
  RemoteSample(const std::string& provider, const json& configuration, std::string folder)
      : storage_(synapse::runtime::make_storage(provider, configuration)),
        folder_(std::move(folder)) {
    for (const auto& file : files_below(sample_images())) {
      if (file == "README.md")
        continue;
      put_object(*storage_, folder_ + "/" + file, read_file(sample_images() / file));
      written_.push_back(folder_ + "/" + file);
    }
  }
  RemoteSample(const RemoteSample&) = delete;
  RemoteSample& operator=(const RemoteSample&) = delete;
  ~RemoteSample() {
    for (const auto& path : written_) {
      try {
        storage_->remove(path);
      } catch (const std::exception&) {
        // Best effort: a leftover object does not affect other tests (own folder each).
      }
    }
  }

 private:
  std::unique_ptr<synapse::Storage> storage_;
  std::string folder_;
  std::vector<std::string> written_;
};

// run_upload in-process with a storage record of `provider`/`configuration`.
inline void upload_in_process(const std::string& provider, const json& configuration,
                              const std::string& folder) {
  const RemoteSample sample(provider, configuration, folder);
  UploadEnv env;
  synapse::StorageRecord record;
  record.name = "remote";
  record.provider = provider;
  record.configuration = configuration;
  const auto storage = env.catalog->create_storage(record).id;
  RecordingRun run;
  const auto result =
      env.run(run, env.params(folder, {{"storage", storage}, {"project", env.project_id}}));
  INFO(run.transcript());
  CHECK(result["generated_data_units_count"] == kSampleUnits);
  CHECK(result["uploaded_files_count"] == kSampleUnits);
  CHECK(run.with_code("EXCEL_METADATA_LOADED").size() == 1);
  CHECK(run.events("upload_data_file").size() == kSampleUnits);
  CHECK(env.count("data_files") == kSampleFiles);
  CHECK(env.catalog->count_tasks(env.project_id) == kSampleUnits);
  check_sample_units(*env.catalog, env.collection_id);
}

// The same through the binary: `synapse storage add --provider <p> --config k=v ...`, then
// `synapse run plugins/upload-default upload`.
inline void upload_with_binary(const std::string& provider, const json& configuration,
                               const std::string& folder) {
  const RemoteSample sample(provider, configuration, folder);
  CliUpload cli;
  std::vector<std::string> args = {"storage", "add", "remote", "--provider", provider, "--config"};
  for (const auto& [key, value] : configuration.items())
    args.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  args.push_back("--json");
  const auto storage = json::parse(cli.ok(args).out).at("id").get<std::int64_t>();
  const auto r =
      cli.upload(plugin_dir("upload-default"), cli.params(folder, {{"storage", storage}}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(events_named(cli.events(), "upload_data_file").size() == kSampleUnits);
  auto catalog = synapse::runtime::open_catalog(cli.sandbox.home());
  check_sample_units(*catalog, cli.collection_id);
}

}  // namespace upload_action_test
