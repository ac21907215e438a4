// Target `task`: the tasks of a project (spec/export.md §3). Filter keys:
//   project  (required) the project id; it must exist ("Project is required for Task.").
//   status   (optional) only tasks with this status (e.g. "completed"). The catalog has no
//            status query, so the pages are filtered here and the count is one extra pass over
//            the project's tasks; without `status` the count is Catalog::count_tasks.
#include <utility>

#include "catalog/annotation_texts.hpp"
#include "export/filter_fields.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

namespace {

// A page of task records (Task or TaskText) as seeds, without the tasks the status filter
// leaves out.
template <class Record, class ToSeed>
SeedPage seeds(Page<Record>&& tasks, const nlohmann::json& filter, ToSeed to_seed) {
  const auto status = filter_text(filter, "status");
  SeedPage out;
  out.items.reserve(tasks.items.size());
  for (auto& task : tasks.items) {
    if (status.empty() || task.status == status)
      out.items.push_back(to_seed(task));
  }
  out.next_cursor = std::move(tasks.next_cursor);
  return out;
}

class TaskTarget final : public TargetHandler {
 public:
  std::string name() const override { return "task"; }

  std::vector<ParamError> validate_filter(const nlohmann::json& filter,
                                          Catalog& catalog) const override {
    std::vector<ParamError> errors;
    FilterReader r(filter, errors);
    r.refuse_unknown({"project", "status"}, name());
    if (const auto project = r.required_id("project", "Project is required for Task.")) {
      if (!FilterReader::exists([&] { catalog.get_project(*project); }))
        r.fail("project", "project " + std::to_string(*project) + " does not exist");
    }
    r.optional_text("status");
    return errors;
  }

  std::int64_t count(const nlohmann::json& filter, Catalog& catalog) const override {
    const auto project = filter_id(filter, "project");
    const auto status = filter_text(filter, "status");
    if (status.empty())
      return catalog.count_tasks(project);
    std::int64_t n = 0;
    PageRequest page{"", 1000};
    do {
      const auto tasks = catalog.list_tasks(project, page);
      for (const auto& task : tasks.items)
        n += task.status == status ? 1 : 0;
      page.cursor = tasks.next_cursor;
    } while (!page.cursor.empty());
    return n;
  }

  SeedPage fetch(const nlohmann::json& filter, Catalog& catalog,
                 const PageRequest& page) const override {
    return seeds(catalog.list_tasks(filter_id(filter, "project"), page), filter,
                 [](Task& task) -> ItemSeed {
                   return {task.id, task.data_unit_id, std::move(task.annotation_data), {}};
                 });
  }

  SeedPage fetch_texts(const nlohmann::json& filter, Catalog& catalog,
                       const PageRequest& page) const override {
    auto* texts = dynamic_cast<catalog::AnnotationTextSource*>(&catalog);
    if (texts == nullptr)
      return TargetHandler::fetch_texts(filter, catalog, page);
    return seeds(texts->list_task_texts(filter_id(filter, "project"), page), filter,
                 [](catalog::TaskText& task) -> ItemSeed {
                   return {task.id, task.data_unit_id, nullptr, std::move(task.annotation)};
                 });
  }

  std::optional<CatalogId> project_id(const nlohmann::json& filter) const override {
    return filter_id(filter, "project");
  }
};

}  // namespace

std::unique_ptr<TargetHandler> make_task_target() {
  return std::make_unique<TaskTarget>();
}

}  // namespace synapse::runtime::exports
