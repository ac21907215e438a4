// Target `assignment`: the assignments of a project (spec/export.md §3). Filter keys:
//   project  (required) the project id; it must exist ("Project is required for Assignment.").
#include <utility>

#include "export/filter_fields.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

namespace {

class AssignmentTarget final : public TargetHandler {
 public:
  std::string name() const override { return "assignment"; }

  std::vector<ParamError> validate_filter(const nlohmann::json& filter,
                                          Catalog& catalog) const override {
    std::vector<ParamError> errors;
    FilterReader r(filter, errors);
    r.refuse_unknown({"project"}, name());
    if (const auto project = r.required_id("project", "Project is required for Assignment.")) {
      if (!FilterReader::exists([&] { catalog.get_project(*project); }))
        r.fail("project", "project " + std::to_string(*project) + " does not exist");
    }
    return errors;
  }

  std::int64_t count(const nlohmann::json& filter, Catalog& catalog) const override {
    return catalog.count_assignments(filter_id(filter, "project"));
  }

  SeedPage fetch(const nlohmann::json& filter, Catalog& catalog,
                 const PageRequest& page) const override {
    auto assignments = catalog.list_assignments(filter_id(filter, "project"), page);
    SeedPage out;
    out.items.reserve(assignments.items.size());
    for (auto& a : assignments.items)
      out.items.push_back({a.id, a.data_unit_id, std::move(a.annotation), {}});
    out.next_cursor = std::move(assignments.next_cursor);
    return out;
  }

  std::optional<CatalogId> project_id(const nlohmann::json& filter) const override {
    return filter_id(filter, "project");
  }
};

}  // namespace

std::unique_ptr<TargetHandler> make_assignment_target() {
  return std::make_unique<AssignmentTarget>();
}

}  // namespace synapse::runtime::exports
