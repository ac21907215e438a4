// Target `ground_truth`: the ground truth of one dataset version (spec/export.md §3). Our
// catalog keys ground truth by (data collection, dataset version), so the filter names both:
//   ground_truth_dataset_version  (required) the version, a non-blank string (an integer, as
//                                 the Python platform sent it, is taken as its decimal text);
//                                 the collection must hold ground truth of it ("Ground Truth
//                                 dataset version is required.").
//   collection                    (required) the data collection id; it must exist.
// There is no project: ExportContext::project_id() is empty for this target.
#include <utility>

#include "export/filter_fields.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

namespace {

constexpr const char* kVersion = "ground_truth_dataset_version";

class GroundTruthTarget final : public TargetHandler {
 public:
  std::string name() const override { return "ground_truth"; }

  std::vector<ParamError> validate_filter(const nlohmann::json& filter,
                                          Catalog& catalog) const override {
    std::vector<ParamError> errors;
    FilterReader r(filter, errors);
    r.refuse_unknown({kVersion, "collection"}, name());
    const auto version = r.required_text(kVersion, "Ground Truth dataset version is required.");
    const auto collection = r.required_id(
        "collection", "is required: the data collection of the ground truth dataset version");
    bool collection_found = false;
    if (collection) {
      collection_found = FilterReader::exists([&] { catalog.get_data_collection(*collection); });
      if (!collection_found)
        r.fail("collection", "data collection " + std::to_string(*collection) + " does not exist");
    }
    // A version exists while some ground truth carries it (there is no version table).
    if (version && collection_found && catalog.count_ground_truths(*collection, *version) == 0) {
      r.fail(kVersion, "data collection " + std::to_string(*collection) +
                           " has no ground truth of dataset version '" + *version + "'");
    }
    return errors;
  }

  std::int64_t count(const nlohmann::json& filter, Catalog& catalog) const override {
    return catalog.count_ground_truths(filter_id(filter, "collection"),
                                       filter_text(filter, kVersion));
  }

  SeedPage fetch(const nlohmann::json& filter, Catalog& catalog,
                 const PageRequest& page) const override {
    auto rows = catalog.list_ground_truths(filter_id(filter, "collection"),
                                           filter_text(filter, kVersion), page);
    SeedPage out;
    out.items.reserve(rows.items.size());
    for (auto& g : rows.items)
      out.items.push_back({g.id, g.data_unit_id, std::move(g.annotation), {}});
    out.next_cursor = std::move(rows.next_cursor);
    return out;
  }
};

}  // namespace

std::unique_ptr<TargetHandler> make_ground_truth_target() {
  return std::make_unique<GroundTruthTarget>();
}

}  // namespace synapse::runtime::exports
