// SqliteCatalog: projects, tasks, assignments and ground truth (what an export pages through).
#include "catalog/sqlite_catalog.hpp"

namespace synapse::runtime::catalog {

using Kind = CatalogError::Kind;

namespace {

std::string id_text(CatalogId id) {
  return std::to_string(id);
}

Project read_project(Statement& s) {
  return Project{s.int64(0), s.text(1), s.text(2), s.optional_int64(3)};
}
Task read_task(Statement& s) {
  return Task{s.int64(0), s.int64(1), s.int64(2), s.text(3), s.json(4)};
}
Assignment read_assignment(Statement& s) {
  return Assignment{s.int64(0), s.int64(1), s.optional_int64(2), s.int64(3), s.json(4)};
}
GroundTruth read_ground_truth(Statement& s) {
  return GroundTruth{s.int64(0), s.int64(1), s.int64(2), s.text(3), s.json(4)};
}

constexpr const char* kProjectColumns =
    "SELECT id, name, description, collection_id FROM projects ";
constexpr const char* kTaskColumns =
    "SELECT id, project_id, data_unit_id, status, annotation_data FROM tasks ";
constexpr const char* kAssignmentColumns =
    "SELECT id, project_id, task_id, data_unit_id, annotation FROM assignments ";
constexpr const char* kGroundTruthColumns =
    "SELECT id, collection_id, data_unit_id, dataset_version, annotation FROM ground_truths ";

std::string sql(const char* columns, const char* rest) {
  return std::string(columns) + rest;
}

}  // namespace

// --- projects ---

Project SqliteCatalog::create_project(const Project& project) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  if (project.collection_id)
    require_row("data_collections", *project.collection_id);
  db_.prepare("INSERT INTO projects (name, description, collection_id) VALUES (?, ?, ?)")
      .bind(1, project.name)
      .bind(2, project.description)
      .bind_optional(3, project.collection_id)
      .run();
  Project stored = project;
  stored.id = db_.last_insert_rowid();
  tx.commit();
  return stored;
}

Project SqliteCatalog::get_project(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kProjectColumns, "WHERE id = ?"));
  if (!stmt.bind(1, id).step())
    throw_not_found("projects", id_text(id));
  return read_project(stmt);
}

Page<Project> SqliteCatalog::list_projects(const PageRequest& page) {
  auto query = PageQuery::from(page, "projects");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kProjectColumns, "WHERE id > ? ORDER BY id LIMIT ?"));
  stmt.bind(1, query.after).bind(2, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<Project>(stmt, query.limit, read_project,
                               [](const Project& p) { return id_text(p.id); });
}

// --- tasks ---

std::vector<Task> SqliteCatalog::create_tasks(const std::vector<Task>& tasks) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  std::vector<std::string> problems;
  auto project_exists = db_.prepare("SELECT 1 FROM projects WHERE id = ?");
  auto unit_exists = db_.prepare("SELECT 1 FROM data_units WHERE id = ?");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    bool project_found = project_exists.bind(1, tasks[i].project_id).step();
    project_exists.reset();
    bool unit_found = unit_exists.bind(1, tasks[i].data_unit_id).step();
    unit_exists.reset();
    const std::string where = "tasks[" + std::to_string(i) + "]";
    if (!project_found) {
      problems.push_back(where + ".project_id: projects " + id_text(tasks[i].project_id) +
                         " does not exist");
    }
    if (!unit_found) {
      problems.push_back(where + ".data_unit_id: data_units " + id_text(tasks[i].data_unit_id) +
                         " does not exist");
    }
  }
  if (!problems.empty()) {
    throw CatalogError(Kind::invalid,
                       std::to_string(problems.size()) + " problem(s) in " +
                           std::to_string(tasks.size()) + " task(s); nothing was written",
                       problems);
  }
  auto insert = db_.prepare(
      "INSERT INTO tasks (project_id, data_unit_id, status, annotation_data) VALUES (?, ?, ?, ?)");
  std::vector<Task> created;
  created.reserve(tasks.size());
  for (const Task& task : tasks) {
    insert.bind(1, task.project_id)
        .bind(2, task.data_unit_id)
        .bind(3, task.status)
        .bind_json(4, task.annotation_data)
        .run();
    Task stored = task;
    stored.id = db_.last_insert_rowid();
    created.push_back(std::move(stored));
  }
  tx.commit();
  return created;
}

Task SqliteCatalog::get_task(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kTaskColumns, "WHERE id = ?"));
  if (!stmt.bind(1, id).step())
    throw_not_found("tasks", id_text(id));
  return read_task(stmt);
}

std::optional<Task> SqliteCatalog::find_task(CatalogId project_id, CatalogId data_unit_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      sql(kTaskColumns, "WHERE project_id = ? AND data_unit_id = ? ORDER BY id LIMIT 1"));
  if (!stmt.bind(1, project_id).bind(2, data_unit_id).step())
    return std::nullopt;
  return read_task(stmt);
}

Page<Task> SqliteCatalog::list_tasks(CatalogId project_id, const PageRequest& page) {
  auto query = PageQuery::from(page, "tasks");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kTaskColumns, "WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?"));
  stmt.bind(1, project_id).bind(2, query.after).bind(3, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<Task>(stmt, query.limit, read_task,
                            [](const Task& t) { return id_text(t.id); });
}

Page<TaskText> SqliteCatalog::list_task_texts(CatalogId project_id, const PageRequest& page) {
  auto query = PageQuery::from(page, "tasks");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "SELECT id, data_unit_id, status, annotation_data FROM tasks WHERE project_id = ? AND id > ? "
      "ORDER BY id LIMIT ?");
  stmt.bind(1, project_id).bind(2, query.after).bind(3, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<TaskText>(
      stmt, query.limit,
      [](Statement& s) {
        TaskText task{s.int64(0), s.int64(1), s.text(2), s.text(3)};
        if (task.annotation == "null")  // how a task created without annotation may hold it
          task.annotation.clear();
        return task;
      },
      [](const TaskText& t) { return id_text(t.id); });
}

std::int64_t SqliteCatalog::count_tasks(CatalogId project_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT count(*) FROM tasks WHERE project_id = ?");
  stmt.bind(1, project_id).step();
  return stmt.int64(0);
}

void SqliteCatalog::set_task_annotation(CatalogId id, const nlohmann::json& annotation_data,
                                        const std::string& status) {
  std::lock_guard lock(mutex_);
  db_.prepare("UPDATE tasks SET annotation_data = ?, status = ? WHERE id = ?")
      .bind_json(1, annotation_data)
      .bind(2, status)
      .bind(3, id)
      .run();
  if (db_.changes() == 0)
    throw_not_found("tasks", id_text(id));
}

void SqliteCatalog::delete_tasks(const std::vector<CatalogId>& ids) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  std::vector<std::string> missing;
  std::vector<std::string> used;
  std::vector<CatalogId> missing_ids;
  std::vector<CatalogId> used_ids;
  // "tasks 4, 9" for the message (the first ten; details() has them all).
  auto named = [](const std::vector<CatalogId>& list) {
    std::string text = "tasks ";
    for (std::size_t i = 0; i < list.size() && i < 10; ++i)
      text += (i == 0 ? "" : ", ") + id_text(list[i]);
    if (list.size() > 10)
      text += " and " + std::to_string(list.size() - 10) + " more";
    return text;
  };
  auto exists = db_.prepare("SELECT 1 FROM tasks WHERE id = ?");
  auto users = db_.prepare("SELECT count(*) FROM assignments WHERE task_id = ?");
  for (CatalogId id : ids) {
    bool found = exists.bind(1, id).step();
    exists.reset();
    if (!found) {
      missing.push_back("tasks " + id_text(id) + " does not exist");
      missing_ids.push_back(id);
      continue;
    }
    users.bind(1, id).step();
    std::int64_t count = users.int64(0);
    users.reset();
    if (count > 0) {
      used.push_back("tasks " + id_text(id) + " is used by " + std::to_string(count) +
                     " assignment(s)");
      used_ids.push_back(id);
    }
  }
  if (!missing.empty()) {
    throw CatalogError(
        Kind::not_found,
        "delete_tasks: some ids do not exist (" + named(missing_ids) + "); nothing was deleted",
        missing);
  }
  if (!used.empty()) {
    throw CatalogError(Kind::conflict,
                       "delete_tasks: some tasks are still used by assignments (" +
                           named(used_ids) + "); nothing was deleted",
                       used);
  }
  auto remove = db_.prepare("DELETE FROM tasks WHERE id = ?");
  for (CatalogId id : ids)
    remove.bind(1, id).run();
  tx.commit();
}

// --- assignments ---

Assignment SqliteCatalog::create_assignment(const Assignment& assignment) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  require_row("projects", assignment.project_id);
  require_row("data_units", assignment.data_unit_id);
  if (assignment.task_id)
    require_row("tasks", *assignment.task_id);
  db_.prepare(
         "INSERT INTO assignments (project_id, task_id, data_unit_id, annotation) "
         "VALUES (?, ?, ?, ?)")
      .bind(1, assignment.project_id)
      .bind_optional(2, assignment.task_id)
      .bind(3, assignment.data_unit_id)
      .bind_json(4, assignment.annotation)
      .run();
  Assignment stored = assignment;
  stored.id = db_.last_insert_rowid();
  tx.commit();
  return stored;
}

Assignment SqliteCatalog::get_assignment(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kAssignmentColumns, "WHERE id = ?"));
  if (!stmt.bind(1, id).step())
    throw_not_found("assignments", id_text(id));
  return read_assignment(stmt);
}

Page<Assignment> SqliteCatalog::list_assignments(CatalogId project_id, const PageRequest& page) {
  auto query = PageQuery::from(page, "assignments");
  std::lock_guard lock(mutex_);
  auto stmt =
      db_.prepare(sql(kAssignmentColumns, "WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?"));
  stmt.bind(1, project_id).bind(2, query.after).bind(3, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<Assignment>(stmt, query.limit, read_assignment,
                                  [](const Assignment& a) { return id_text(a.id); });
}

std::int64_t SqliteCatalog::count_assignments(CatalogId project_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT count(*) FROM assignments WHERE project_id = ?");
  stmt.bind(1, project_id).step();
  return stmt.int64(0);
}

// --- ground truth ---

GroundTruth SqliteCatalog::create_ground_truth(const GroundTruth& ground_truth) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  require_row("data_collections", ground_truth.collection_id);
  require_row("data_units", ground_truth.data_unit_id);
  db_.prepare(
         "INSERT INTO ground_truths (collection_id, data_unit_id, dataset_version, annotation) "
         "VALUES (?, ?, ?, ?)")
      .bind(1, ground_truth.collection_id)
      .bind(2, ground_truth.data_unit_id)
      .bind(3, ground_truth.dataset_version)
      .bind_json(4, ground_truth.annotation)
      .run();
  GroundTruth stored = ground_truth;
  stored.id = db_.last_insert_rowid();
  tx.commit();
  return stored;
}

GroundTruth SqliteCatalog::get_ground_truth(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kGroundTruthColumns, "WHERE id = ?"));
  if (!stmt.bind(1, id).step())
    throw_not_found("ground_truths", id_text(id));
  return read_ground_truth(stmt);
}

Page<GroundTruth> SqliteCatalog::list_ground_truths(CatalogId collection_id,
                                                    const std::string& dataset_version,
                                                    const PageRequest& page) {
  auto query = PageQuery::from(page, "ground_truths");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(sql(kGroundTruthColumns,
                              "WHERE collection_id = ? AND dataset_version = ? AND id > ? "
                              "ORDER BY id LIMIT ?"));
  stmt.bind(1, collection_id)
      .bind(2, dataset_version)
      .bind(3, query.after)
      .bind(4, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<GroundTruth>(stmt, query.limit, read_ground_truth,
                                   [](const GroundTruth& g) { return id_text(g.id); });
}

std::int64_t SqliteCatalog::count_ground_truths(CatalogId collection_id,
                                                const std::string& dataset_version) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "SELECT count(*) FROM ground_truths WHERE collection_id = ? AND dataset_version = ?");
  stmt.bind(1, collection_id).bind(2, dataset_version).step();
  return stmt.int64(0);
}

}  // namespace synapse::runtime::catalog
