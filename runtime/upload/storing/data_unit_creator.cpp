#include "upload/storing/data_unit_creator.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <utility>

namespace synapse::runtime::upload {

namespace {

// Shared by both strategies: `single` is `batch` with chunks of one.
class ChunkedCreator : public DataUnitCreator {
 public:
  ChunkedCreator(std::string name, std::size_t chunk) : name_(std::move(name)), chunk_(chunk) {}
  std::string name() const override { return name_; }

  DataUnitCreation create(synapse::Catalog& catalog, synapse::CatalogId collection_id,
                          const std::vector<UploadedUnit>& units, const MetaForUnit& meta_for,
                          const DataUnitCallbacks& callbacks) override {
    std::vector<const UploadedUnit*> ok;
    for (const auto& unit : units) {
      if (unit.ok())
        ok.push_back(&unit);
    }
    DataUnitCreation result;
    for (std::size_t begin = 0; begin < ok.size(); begin += chunk_) {
      const std::size_t end = std::min(ok.size(), begin + chunk_);
      std::vector<synapse::NewDataUnit> request;
      std::vector<std::string> keys;
      for (std::size_t i = begin; i < end; ++i) {
        synapse::NewDataUnit unit;
        for (const auto& [spec, file] : ok[i]->files)
          unit.files[spec] = file.id;
        unit.meta = meta_for ? meta_for(*ok[i]) : nlohmann::json::object();
        request.push_back(std::move(unit));
        keys.push_back(ok[i]->key);
      }
      std::vector<synapse::DataUnit> stored;
      std::string error;
      std::vector<std::string> details;
      try {
        stored = catalog.create_data_units(collection_id, request);
      } catch (const synapse::CatalogError& e) {
        error = e.what();
        details = e.details();
      } catch (const std::exception& e) {
        error = e.what();
      }
      if (error.empty() && stored.size() != request.size())
        error = "the catalog returned " + std::to_string(stored.size()) + " data units for " +
                std::to_string(request.size());
      if (!error.empty()) {
        for (const auto& key : keys)
          result.failed.push_back({key, error, details});
        if (callbacks.on_batch_failed)
          callbacks.on_batch_failed(keys, error, details);
        continue;
      }
      for (std::size_t i = 0; i < stored.size(); ++i) {
        result.created.push_back({keys[i], std::move(stored[i])});
        if (callbacks.on_unit_created)
          callbacks.on_unit_created(result.created.back());
      }
    }
    return result;
  }

 private:
  std::string name_;
  std::size_t chunk_;
};

}  // namespace

std::unique_ptr<DataUnitCreator> make_data_unit_creator(const std::string& name,
                                                        std::size_t batch_size) {
  if (name == "single")
    return std::make_unique<ChunkedCreator>("single", 1);
  if (name == "batch") {
    if (batch_size == 0)
      throw std::invalid_argument("creating_data_unit_batch_size must be at least 1");
    return std::make_unique<ChunkedCreator>("batch", batch_size);
  }
  throw std::invalid_argument("unknown data unit strategy '" + name +
                              "' (expected single or batch)");
}

std::unique_ptr<DataUnitCreator> make_data_unit_creator_for(std::size_t batch_size) {
  return batch_size > 1 ? make_data_unit_creator("batch", batch_size)
                        : make_data_unit_creator("single");
}

}  // namespace synapse::runtime::upload
