// SqliteCatalog: jobs and their event logs.
#include <synapse/json_writer.hpp>

#include "catalog/catalog_util.hpp"
#include "catalog/sqlite_catalog.hpp"

namespace synapse::runtime::catalog {

using Kind = CatalogError::Kind;

namespace {

constexpr const char* kJobColumns =
    "SELECT id, plugin, action, status, params, progress, metrics, result, error, created_at, "
    "started_at, finished_at, exit_code FROM jobs ";

Job read_job(Statement& s) {
  Job job;
  job.id = s.text(0);
  job.plugin = s.text(1);
  job.action = s.text(2);
  job.status = s.text(3);
  job.params = s.json(4);
  job.progress = s.json(5);
  job.metrics = s.json(6);
  job.result = s.json(7);
  job.error = s.json(8);
  job.created_at = s.text(9);
  job.started_at = s.text(10);
  job.finished_at = s.text(11);
  if (auto code = s.optional_int64(12))
    job.exit_code = static_cast<int>(*code);
  return job;
}

JobEvent read_event(Statement& s) {
  return JobEvent{s.int64(0), s.text(1), s.json(2), s.text(3)};
}

}  // namespace

Job SqliteCatalog::load_job(const std::string& id) {
  auto stmt = db_.prepare(std::string(kJobColumns) + "WHERE id = ?");
  if (!stmt.bind(1, id).step())
    throw_not_found("jobs", "\"" + id + "\"");
  return read_job(stmt);
}

Job SqliteCatalog::create_job(const Job& job) {
  Job stored = job;
  // Random rather than sequential: ids stay unique when several hosts create jobs at once.
  if (stored.id.empty())
    stored.id = random_hex(16);
  if (stored.created_at.empty())
    stored.created_at = now_iso8601();
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  if (auto existing = db_.prepare("SELECT 1 FROM jobs WHERE id = ?");
      existing.bind(1, stored.id).step()) {
    throw CatalogError(Kind::conflict, "jobs: id \"" + stored.id + "\" is taken");
  }
  db_.prepare(
         "INSERT INTO jobs (id, plugin, action, status, params, progress, metrics, result, "
         "error, created_at, started_at, finished_at, exit_code) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, stored.id)
      .bind(2, stored.plugin)
      .bind(3, stored.action)
      .bind(4, stored.status)
      .bind_json(5, stored.params)
      .bind_json(6, stored.progress)
      .bind_json(7, stored.metrics)
      .bind_json(8, stored.result)
      .bind_json(9, stored.error)
      .bind(10, stored.created_at)
      .bind(11, stored.started_at)
      .bind(12, stored.finished_at)
      .bind_optional(13, stored.exit_code)
      .run();
  tx.commit();
  return stored;
}

Job SqliteCatalog::update_job(const Job& job) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  db_.prepare(
         "UPDATE jobs SET status = ?, progress = ?, metrics = ?, result = ?, error = ?, "
         "started_at = ?, finished_at = ?, exit_code = ?, plugin = ?, params = ? WHERE id = ?")
      .bind(1, job.status)
      .bind_json(2, job.progress)
      .bind_json(3, job.metrics)
      .bind_json(4, job.result)
      .bind_json(5, job.error)
      .bind(6, job.started_at)
      .bind(7, job.finished_at)
      .bind_optional(8, job.exit_code)
      .bind(9, job.plugin)
      .bind_json(10, job.params)
      .bind(11, job.id)
      .run();
  if (db_.changes() == 0)
    throw_not_found("jobs", "\"" + job.id + "\"");
  Job stored = load_job(job.id);
  tx.commit();
  return stored;
}

Job SqliteCatalog::get_job(const std::string& id) {
  std::lock_guard lock(mutex_);
  return load_job(id);
}

Page<Job> SqliteCatalog::list_jobs(const PageRequest& page) {
  // Jobs are keyed by a text id, so the order (newest first) comes from the hidden
  // autoincrement seq; the cursor stays the public job id and is resolved to its seq.
  std::size_t limit = std::clamp<std::size_t>(page.limit, 1, 1000);
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  std::int64_t before = INT64_MAX;
  if (!page.cursor.empty()) {
    auto seq = db_.prepare("SELECT seq FROM jobs WHERE id = ?");
    if (!seq.bind(1, page.cursor).step()) {
      throw CatalogError(Kind::invalid, "invalid cursor \"" + page.cursor +
                                            "\" for jobs: no job has that id (deleted?)");
    }
    before = seq.int64(0);
  }
  auto stmt = db_.prepare(std::string(kJobColumns) + "WHERE seq < ? ORDER BY seq DESC LIMIT ?");
  stmt.bind(1, before).bind(2, static_cast<std::int64_t>(limit + 1));
  return collect_page<Job>(stmt, limit, read_job, [](const Job& j) { return j.id; });
}

std::int64_t SqliteCatalog::insert_job_events_locked(const std::string& job_id,
                                                     const std::vector<JobEventText>& events) {
  if (auto exists = db_.prepare("SELECT 1 FROM jobs WHERE id = ?");
      !exists.bind(1, job_id).step()) {
    throw_not_found("jobs", "\"" + job_id + "\"");
  }
  std::int64_t seq = 0;
  {
    auto last = db_.prepare("SELECT coalesce(max(seq), 0) FROM job_events WHERE job_id = ?");
    last.bind(1, job_id).step();
    seq = last.int64(0);
  }
  const std::int64_t first = seq + 1;
  // Rows go in kRowsPerInsert at a time: one statement run per row was most of the insert's
  // cost (measured: 4.2 -> 3.1 us a row for 10 rows a statement).
  constexpr std::size_t kRowsPerInsert = 16;
  const auto insert_of = [&](std::size_t rows) {
    std::string sql = "INSERT INTO job_events (job_id, seq, event, data, datetime) VALUES ";
    for (std::size_t i = 0; i < rows; ++i)
      sql += i ? ",(?,?,?,?,?)" : "(?,?,?,?,?)";
    return db_.prepare(sql);
  };
  const std::string now = now_iso8601();
  const auto bind_row = [&](Statement& insert, int row, const JobEventText& event) {
    const int at = row * 5;
    insert.bind(at + 1, job_id)
        .bind(at + 2, ++seq)
        .bind(at + 3, event.event)
        .bind(at + 4, event.data)
        .bind(at + 5, event.datetime.empty() ? now : event.datetime);
  };
  std::size_t next = 0;
  if (events.size() >= kRowsPerInsert) {
    auto many = insert_of(kRowsPerInsert);
    for (; next + kRowsPerInsert <= events.size(); next += kRowsPerInsert) {
      for (std::size_t row = 0; row < kRowsPerInsert; ++row)
        bind_row(many, static_cast<int>(row), events[next + row]);
      many.run();
    }
  }
  if (next < events.size()) {
    auto one = insert_of(1);
    for (; next < events.size(); ++next) {
      bind_row(one, 0, events[next]);
      one.run();
    }
  }
  return first;
}

std::vector<JobEvent> SqliteCatalog::append_job_events(const std::string& job_id,
                                                       const std::vector<JobEvent>& events) {
  const std::string now = now_iso8601();
  std::vector<JobEventText> texts;
  texts.reserve(events.size());
  std::string text;  // one buffer; each event keeps a string of its own size
  for (const JobEvent& event : events) {
    text.clear();
    synapse::append_json(text, event.data);
    texts.push_back({event.event, text, event.datetime.empty() ? now : event.datetime});
  }
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  std::int64_t seq = insert_job_events_locked(job_id, texts);
  tx.commit();
  std::vector<JobEvent> stored = events;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    stored[i].seq = seq++;
    stored[i].datetime = texts[i].datetime;
  }
  return stored;
}

void SqliteCatalog::append_job_event_texts(const std::string& job_id,
                                           const std::vector<JobEventText>& events) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  insert_job_events_locked(job_id, events);
  tx.commit();
}

Page<JobEvent> SqliteCatalog::list_job_events(const std::string& job_id, const PageRequest& page) {
  auto query = PageQuery::from(page, "job_events");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(
      "SELECT seq, event, data, datetime FROM job_events WHERE job_id = ? AND seq > ? "
      "ORDER BY seq LIMIT ?");
  stmt.bind(1, job_id).bind(2, query.after).bind(3, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<JobEvent>(stmt, query.limit, read_event,
                                [](const JobEvent& e) { return std::to_string(e.seq); });
}

}  // namespace synapse::runtime::catalog
