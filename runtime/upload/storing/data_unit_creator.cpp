#include "upload/storing/data_unit_creator.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace synapse::runtime::upload {

namespace {

std::vector<synapse::DataUnit> find_existing(
    synapse::Catalog& catalog, synapse::CatalogId collection_id,
    const std::map<std::string, synapse::CatalogId>& files) {
  try {
    return catalog.find_data_units_by_files(collection_id, files);
  } catch (const std::exception&) {
    return {};  // the create that follows reports a real catalog problem
  }
}

// Units per catalog call for `single`: the outcome is that of one call per unit (a refused
// chunk is retried unit by unit), at the cost of one transaction per thousand units instead
// of one per unit.
constexpr std::size_t kSingleChunk = 1000;

// Shared by both strategies.
class ChunkedCreator : public DataUnitCreator {
 public:
  ChunkedCreator(std::string name, std::size_t chunk, bool isolate)
      : name_(std::move(name)), chunk_(chunk), isolate_(isolate) {}
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
      // Slot per unit of the chunk: an existing unit (re-run) or an index into `request`.
      std::vector<std::optional<synapse::DataUnit>> existing(end - begin);
      std::vector<synapse::NewDataUnit> request;
      std::vector<std::string> keys;
      for (std::size_t i = begin; i < end; ++i) {
        synapse::NewDataUnit unit;
        for (const auto& [spec, file] : ok[i]->files)
          unit.files[spec] = file.id;
        // Idempotency: a unit all of whose files were already stored may already exist (the
        // same upload ran before, or was killed after creating it). A unit with a file this
        // run created cannot exist yet, so first uploads pay no lookup.
        const bool all_reused = std::none_of(ok[i]->created.begin(), ok[i]->created.end(),
                                             [](const auto& entry) { return entry.second; });
        unit.meta = meta_for ? meta_for(*ok[i]) : ok[i]->meta;
        if (all_reused) {
          // Reused only when it is really the same unit: same meta (two units of one run can
          // share identical bytes) and not a unit this run created a moment ago.
          // Several units may share files (identical bytes): take the first with this meta
          // that this run neither created nor already reused.
          std::optional<synapse::DataUnit> match;
          for (auto& found : find_existing(catalog, collection_id, unit.files)) {
            if (found.meta == unit.meta &&
                !std::binary_search(created_ids_.begin(), created_ids_.end(), found.id) &&
                !reused_ids_.contains(found.id)) {
              match = std::move(found);
              break;
            }
          }
          if (match) {
            reused_ids_.insert(match->id);
            existing[i - begin] = std::move(match);
            continue;
          }
        }
        request.push_back(std::move(unit));
        keys.push_back(ok[i]->key);
      }
      // One slot per request: the created unit, or the error of the call that refused it.
      std::vector<std::optional<synapse::DataUnit>> stored(request.size());
      std::vector<std::pair<std::string, std::vector<std::string>>> errors(request.size());
      const auto submit = [&](std::size_t first, std::size_t count) {
        std::vector<synapse::NewDataUnit> part(request.begin() + first,
                                               request.begin() + first + count);
        std::string error;
        std::vector<std::string> details;
        std::vector<synapse::DataUnit> created;
        try {
          created = catalog.create_data_units(collection_id, part);
        } catch (const synapse::CatalogError& e) {
          error = e.what();
          details = e.details();
        } catch (const std::exception& e) {
          error = e.what();
        }
        if (error.empty() && created.size() != count)
          error = "the catalog returned " + std::to_string(created.size()) + " data units for " +
                  std::to_string(count);
        if (!error.empty()) {
          for (std::size_t i = 0; i < count; ++i)
            errors[first + i] = {error, details};
          return false;
        }
        for (std::size_t i = 0; i < count; ++i)
          stored[first + i] = std::move(created[i]);
        return true;
      };
      if (!request.empty() && !submit(0, request.size()) && isolate_ && request.size() > 1) {
        // `single`: each unit stands alone, so a refused chunk is retried unit by unit and only
        // the units the catalog refuses on their own fail.
        for (std::size_t i = 0; i < request.size(); ++i)
          submit(i, 1);
      }
      // Failures grouped per distinct error, in order (one DATA_UNIT_BATCH_FAILED per call).
      std::vector<std::string> failed_keys;
      for (std::size_t i = 0; i < request.size(); ++i) {
        if (stored[i])
          continue;
        result.failed.push_back({keys[i], errors[i].first, errors[i].second});
        failed_keys.push_back(keys[i]);
        const bool last_of_error = i + 1 == request.size() || stored[i + 1] ||
                                   errors[i + 1].first != errors[i].first || isolate_;
        if (last_of_error && callbacks.on_batch_failed) {
          callbacks.on_batch_failed(failed_keys, errors[i].first, errors[i].second);
          failed_keys.clear();
        } else if (last_of_error) {
          failed_keys.clear();
        }
      }
      std::size_t next = 0;
      for (std::size_t i = begin; i < end; ++i) {
        if (existing[i - begin]) {
          result.created.push_back({ok[i]->key, std::move(*existing[i - begin]), false});
        } else if (stored[next]) {
          // Ids grow, so the list stays sorted for binary_search.
          created_ids_.push_back(stored[next]->id);
          result.created.push_back({ok[i]->key, std::move(*stored[next++]), true});
        } else {
          ++next;
          continue;
        }
        if (callbacks.on_unit_created)
          callbacks.on_unit_created(result.created.back());
      }
    }
    return result;
  }

 private:
  std::string name_;
  std::size_t chunk_;
  bool isolate_;
  // Units created by this strategy object (one per run), ascending: 8 bytes per unit.
  std::vector<synapse::CatalogId> created_ids_;
  // Existing units this run reused (re-runs only).
  std::unordered_set<synapse::CatalogId> reused_ids_;
};

}  // namespace

std::unique_ptr<DataUnitCreator> make_data_unit_creator(const std::string& name,
                                                        std::size_t batch_size) {
  if (name == "single")
    return std::make_unique<ChunkedCreator>("single", kSingleChunk, true);
  if (name == "batch") {
    if (batch_size == 0)
      throw std::invalid_argument("creating_data_unit_batch_size must be at least 1");
    return std::make_unique<ChunkedCreator>("batch", batch_size, false);
  }
  throw std::invalid_argument("unknown data unit strategy '" + name +
                              "' (expected single or batch)");
}

std::unique_ptr<DataUnitCreator> make_data_unit_creator_for(std::size_t batch_size) {
  return batch_size > 1 ? make_data_unit_creator("batch", batch_size)
                        : make_data_unit_creator("single");
}

}  // namespace synapse::runtime::upload
