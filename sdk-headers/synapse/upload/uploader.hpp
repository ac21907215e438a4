// Uploader: what an upload plugin exports (spec/upload.md §3, §16). The host runs the upload
// action itself (the 8-step pipeline of design.md §5); the plugin customises it through two
// hooks:
//
//   configure(UploadPipeline&)     once, before anything runs: add, insert, replace, remove or
//                                  reorder steps, register strategies, force a strategy;
//   handle_upload_files(units)     between organize_files and validate_files: filter, edit or
//                                  add organized units (Python's BaseUploader pipeline).
//
// handle_upload_files is called once per chunk of at most `kHandleChunk` units, in key order,
// so memory stays flat for a million files; an upload with fewer units gets exactly one call
// with all of them, as in Python.
//
//   #include <synapse/upload/uploader.hpp>
//   class MyUploader final : public synapse::upload::Uploader { ... };
//   SYNAPSE_PLUGIN(upload)
//   SYNAPSE_UPLOADER(Uploader, MyUploader)   // config.yaml: entrypoint: libmine.so:Uploader
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/plugin.hpp>
#include <synapse/upload/step_registry.hpp>
#include <synapse/upload/strategy_registry.hpp>
#include <synapse/upload/units.hpp>
#include <synapse/upload/upload_context.hpp>
#include <synapse/visibility.hpp>

namespace synapse::upload {

// The steps and strategies one upload will use; handed to Uploader::configure().
class UploadPipeline {
 public:
  UploadPipeline(StepRegistry& steps, StrategyRegistry& strategies, const nlohmann::json& params)
      : steps_(&steps), strategies_(&strategies), params_(&params) {}
  StepRegistry& steps() const noexcept { return *steps_; }
  StrategyRegistry& strategies() const noexcept { return *strategies_; }
  // The validated params of this run (defaults applied).
  const nlohmann::json& params() const noexcept { return *params_; }

 private:
  StepRegistry* steps_;
  StrategyRegistry* strategies_;
  const nlohmann::json* params_;
};

class SYNAPSE_SYMBOL_VISIBLE Uploader {
 public:
  static constexpr std::size_t kHandleChunk = 10000;

  virtual ~Uploader() = default;
  virtual void configure(UploadPipeline& /*pipeline*/) {}
  virtual std::vector<OrganizedUnit> handle_upload_files(std::vector<OrganizedUnit> units,
                                                         UploadContext& /*context*/) {
    return units;
  }
};

// Signature of the factory SYNAPSE_UPLOADER exports; the host owns and deletes the object.
using UploaderFactory = Uploader*();

}  // namespace synapse::upload

// Exports a factory alias `Alias` that creates `Class` (default-constructible, derived from
// synapse::upload::Uploader), in its own section so the host can tell an uploader from an
// action before calling it.
#define SYNAPSE_UPLOADER(Alias, Class)                     \
  namespace synapse_plugin_factories {                     \
  ::synapse::upload::Uploader* Alias##_synapse_factory() { \
    return new Class();                                    \
  }                                                        \
  }                                                        \
  BOOST_DLL_ALIAS_SECTIONED(synapse_plugin_factories::Alias##_synapse_factory, Alias, synupld)
