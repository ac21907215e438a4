#include "events/job_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "common/runtime_error.hpp"

namespace synapse::runtime {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& job_statuses() {
  static const std::vector<std::string> statuses = {"pending", "running", "succeeded", "failed",
                                                    "cancelled"};
  return statuses;
}

RuntimeError corrupt(const std::string& what) {
  return RuntimeError(ExitCode::action_failed, "jobs.corrupt", what);
}

RuntimeError write_failed(const std::string& what) {
  return RuntimeError(ExitCode::transient, "jobs.write_failed", what);
}

std::string errno_text(int err) {
  return std::strerror(err);
}

// Unset timestamps are stored as null rather than "", so a reader can tell "not yet".
nlohmann::json timestamp_to_json(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

std::string string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    throw corrupt(std::string("job record: '") + key + "' is not a string");
  }
  return it->get<std::string>();
}

nlohmann::json value_field(const nlohmann::json& j, const char* key, nlohmann::json fallback) {
  auto it = j.find(key);
  return it == j.end() ? fallback : *it;
}

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw std::system_error(errno, std::generic_category());
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string random_hex(int digits) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::uint64_t> dist(0, (std::uint64_t{1} << (4 * digits)) - 1);
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%0*llx", digits,
                static_cast<unsigned long long>(dist(engine)));
  return buffer;
}

}  // namespace

nlohmann::json JobRecord::to_json() const {
  return {
      {"id", id},
      {"plugin", plugin},
      {"action", action},
      {"status", status},
      {"created_at", timestamp_to_json(created_at)},
      {"started_at", timestamp_to_json(started_at)},
      {"finished_at", timestamp_to_json(finished_at)},
      {"exit_code", exit_code},
      {"params", params},
      {"progress", progress},
      {"metrics", metrics},
      {"result", result},
      {"error", error},
  };
}

JobRecord JobRecord::from_json(const nlohmann::json& j) {
  if (!j.is_object()) {
    throw corrupt("job record: not a JSON object");
  }
  JobRecord record;
  record.id = string_field(j, "id");
  if (!is_valid_job_id(record.id)) {
    throw corrupt("job record: invalid id '" + record.id + "'");
  }
  record.plugin = string_field(j, "plugin");
  record.action = string_field(j, "action");
  record.status = string_field(j, "status");
  const auto& statuses = job_statuses();
  if (std::find(statuses.begin(), statuses.end(), record.status) == statuses.end()) {
    throw corrupt("job record: unknown status '" + record.status + "'");
  }
  record.created_at = string_field(j, "created_at");
  record.started_at = string_field(j, "started_at");
  record.finished_at = string_field(j, "finished_at");
  if (auto it = j.find("exit_code"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      throw corrupt("job record: 'exit_code' is not an integer");
    }
    record.exit_code = it->get<int>();
  }
  record.params = value_field(j, "params", nlohmann::json::object());
  record.progress = value_field(j, "progress", nlohmann::json::object());
  record.metrics = value_field(j, "metrics", nlohmann::json::object());
  record.result = value_field(j, "result", nullptr);
  record.error = value_field(j, "error", nullptr);
  return record;
}

std::string new_job_id() {
  // Local time like the records' timestamps, so an id reads as the run's start time.
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  return std::string(stamp) + "-" + random_hex(6);
}

bool is_valid_job_id(const std::string& id) {
  if (id.empty() || id.size() > 100) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

JobStore::JobStore(std::filesystem::path data_home) : dir_(std::move(data_home) / "jobs") {}

void JobStore::save(const JobRecord& record) const {
  // The id becomes a file name: anything else than [A-Za-z0-9_-] could escape the directory.
  if (!is_valid_job_id(record.id)) {
    throw RuntimeError(ExitCode::usage, "jobs.invalid_id",
                       "invalid job id '" + record.id + "': use 1 to 100 of A-Z a-z 0-9 _ -");
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    throw write_failed("cannot create the jobs directory " + dir_.string() + ": " + ec.message());
  }
  const fs::path target = dir_ / (record.id + ".json");
  // A reader sees either the old or the new record, never half of one: write a temporary file
  // in the same directory (same filesystem, so rename is atomic), fsync it, then rename.
  // Its name starts with '.' and does not end in ".json", so list() never takes it for a record.
  const fs::path temp =
      dir_ / ("." + record.id + ".json.tmp-" + std::to_string(::getpid()) + "-" + random_hex(8));
  const std::string text =
      record.to_json().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw write_failed("cannot write job record " + target.string() + ": " + errno_text(errno));
  }
  try {
    write_all(fd, text);
    if (::fsync(fd) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
    if (::close(fd) != 0) {
      throw std::system_error(errno, std::generic_category());
    }
  } catch (const std::system_error& e) {
    ::close(fd);  // harmless EBADF if close() itself was what failed
    ::unlink(temp.c_str());
    throw write_failed("cannot write job record " + target.string() + ": " + e.code().message());
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw write_failed("cannot write job record " + target.string() + ": " + errno_text(err));
  }
  // Make the rename itself durable; a failure here loses nothing already visible.
  if (const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

std::optional<JobRecord> JobStore::load(const std::string& id) const {
  // An invalid id cannot name a stored job (save() refuses them): simply not found.
  if (!is_valid_job_id(id)) {
    return std::nullopt;
  }
  const fs::path file = dir_ / (id + ".json");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      return std::nullopt;
    }
    throw RuntimeError(ExitCode::transient, "jobs.read_failed",
                       "cannot read job record " + file.string() + ": " + errno_text(err));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  JobRecord record;
  try {
    record = JobRecord::from_json(nlohmann::json::parse(buffer.str()));
  } catch (const nlohmann::json::exception& e) {
    throw corrupt("job record " + file.string() + " is corrupt: " + e.what());
  } catch (const RuntimeError& e) {
    throw corrupt("job record " + file.string() + " is corrupt: " + e.message());
  }
  if (record.id != id) {
    throw corrupt("job record " + file.string() + " is corrupt: it holds job '" + record.id + "'");
  }
  return record;
}

std::vector<JobRecord> JobStore::list() const {
  std::vector<JobRecord> records;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) {
    return records;
  }
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const fs::path& path = entry.path();
    // Only "<valid id>.json": skips temporary files, "<id>.events.jsonl" and strangers.
    if (path.extension() != ".json" || !is_valid_job_id(path.stem().string())) {
      continue;
    }
    // A corrupt record is an error, not skipped: load() names the file to fix or remove.
    if (auto record = load(path.stem().string())) {
      records.push_back(std::move(*record));
    }
  }
  if (ec) {
    throw RuntimeError(ExitCode::transient, "jobs.read_failed",
                       "cannot list the jobs directory " + dir_.string() + ": " + ec.message());
  }
  // Timestamps "YYYY-MM-DD HH:MM:SS.ffffff" sort as text; ids start with the time too.
  std::sort(records.begin(), records.end(), [](const JobRecord& a, const JobRecord& b) {
    if (a.created_at != b.created_at) {
      return a.created_at > b.created_at;
    }
    return a.id > b.id;
  });
  return records;
}

std::vector<nlohmann::json> JobStore::events(const std::string& id) const {
  std::vector<nlohmann::json> out;
  if (!is_valid_job_id(id)) {
    return out;
  }
  const fs::path file = dir_ / (id + ".events.jsonl");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return out;  // no event yet
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::size_t start = 0;
  std::size_t line_number = 0;
  while (start < text.size()) {
    ++line_number;
    const std::size_t end = text.find('\n', start);
    const bool complete = end != std::string::npos;
    const std::string line = text.substr(start, complete ? end - start : std::string::npos);
    start = complete ? end + 1 : text.size();
    if (line.empty()) {
      continue;
    }
    try {
      out.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::parse_error& e) {
      // A last line without its newline is an event being written (or a writer that died
      // mid-line): not an error. Anything else unparseable is damage worth reporting.
      if (!complete) {
        break;
      }
      throw corrupt("events file " + file.string() + ":" + std::to_string(line_number) +
                    " is corrupt: " + e.what());
    }
  }
  return out;
}

bool JobStore::exists(const std::string& id) const {
  std::error_code ec;
  return is_valid_job_id(id) && fs::is_regular_file(dir_ / (id + ".json"), ec);
}

std::shared_ptr<EventSink> JobStore::event_sink(const std::string& id) const {
  if (!is_valid_job_id(id)) {
    throw RuntimeError(ExitCode::usage, "jobs.invalid_id",
                       "invalid job id '" + id + "': use 1 to 100 of A-Z a-z 0-9 _ -");
  }
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    throw write_failed("cannot create the jobs directory " + dir_.string() + ": " + ec.message());
  }
  const fs::path file = dir_ / (id + ".events.jsonl");
  // Append: a resumed or re-attached run adds to the events already recorded.
  std::FILE* stream = std::fopen(file.c_str(), "a");
  if (stream == nullptr) {
    throw write_failed("cannot open events file " + file.string() + ": " + errno_text(errno));
  }
  return make_owning_jsonl_sink(stream, file.string());
}

}  // namespace synapse::runtime
