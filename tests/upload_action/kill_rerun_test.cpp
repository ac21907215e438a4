// Layer B, crash safety: `synapse run` uploading a few thousand small files is killed with
// SIGKILL part-way (while files are being stored, or while data units are being created), then
// the same upload is run again to completion. Afterwards every source unit has exactly one data
// unit, there is one data file per distinct content, every data file belongs to a unit, every
// stored byte has its row, and the content store's temporary folder is empty. Also SIGTERM:
// exit 130 and everything the run stored rolled back.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <thread>

#include <catch2/catch.hpp>

#include "cli_support.hpp"

using namespace upload_action_test;

namespace {

constexpr int kUnits = 3000;

struct Source {
  std::map<std::string, std::map<std::string, std::string>> units;  // stem -> spec -> bytes
  std::set<std::string> contents;
};

// <root>/image_1/uNNNNN.jpg and <root>/meta/uNNNNN.json; every 100th picture has the same
// bytes, so there are fewer distinct contents than files (units whose files are ALL identical
// are covered in rollback_test.cpp).
Source write_units(const fs::path& root) {
  Source source;
  for (int i = 0; i < kUnits; ++i) {
    char stem[16];
    std::snprintf(stem, sizeof stem, "u%05d", i);
    const std::string image = i % 100 == 0 ? "shared picture" : "picture " + std::to_string(i);
    const std::string meta = "{\"unit\": " + std::to_string(i) + "}";
    write_file(root / "image_1" / (std::string(stem) + ".jpg"), image);
    write_file(root / "meta" / (std::string(stem) + ".json"), meta);
    source.units[stem] = {{"image_1", image}, {"meta", meta}};
    source.contents.insert(image);
    source.contents.insert(meta);
  }
  return source;
}

std::set<std::string> stems_of(const Source& source) {
  std::set<std::string> keys;
  for (const auto& [stem, files] : source.units)
    keys.insert(stem);
  return keys;
}

// Follows a JSONL file being written: reads only what was appended since the last call, so
// polling every few milliseconds stays cheap however long the file grows.
class EventsTail {
 public:
  explicit EventsTail(fs::path file) : file_(std::move(file)) {}
  // True once an event named `name` was appended.
  bool seen(const std::string& name) {
    std::ifstream in(file_, std::ios::binary);
    if (!in)
      return false;
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    offset_ += chunk.size();
    // Keep the unfinished last line: an event may be split across two reads.
    pending_ += chunk;
    const auto last_newline = pending_.rfind('\n');
    if (last_newline == std::string::npos)
      return false;
    const bool found =
        pending_.find("\"event\":\"" + name + "\"") < last_newline;  // npos is never smaller
    pending_.erase(0, last_newline + 1);
    return found;
  }

 private:
  fs::path file_;
  std::size_t offset_ = 0;
  std::string pending_;
};

// Starts `args` in the background and waits until the JSONL events file holds a `name` event.
// Returns the pid, or -1 when the run ended (or 5 minutes passed) before that.
pid_t start_and_wait_for(const CliUpload& cli, const std::vector<std::string>& args,
                         const std::string& name) {
  const pid_t pid = cli.sandbox.start(args);
  EventsTail tail(cli.events_file());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return -1;
    if (tail.seen(name))
      return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGKILL);
  cli_test::Sandbox::wait(pid);
  return -1;
}

}  // namespace

TEST_CASE("crash: killed with SIGKILL mid-upload, a re-run completes without duplicates or orphans",
          "[upload_action][cli][crash]") {
  const std::string kill_on = GENERATE(as<std::string>{}, "upload_data_file", "upload_data_unit");
  INFO("killed once the first " << kill_on << " events appeared");
  CliUpload cli;
  const auto source = write_units(cli.data() / "big");
  const auto args = cli.upload_args(plugin_dir("upload-default"), cli.params("big"));

  const pid_t pid = start_and_wait_for(cli, args, kill_on);
  INFO("first run stderr: " << read_file(cli.sandbox.dir() / "bg.stderr"));
  REQUIRE(pid > 0);  // the run must still be going when the first event appears
  ::kill(pid, SIGKILL);
  REQUIRE(cli_test::Sandbox::wait(pid) == 128 + SIGKILL);
  {
    CatalogDb db(cli.sandbox.home());
    const auto units_at_kill = db.count("SELECT COUNT(*) FROM data_units");
    INFO("data units when killed: " << units_at_kill);
    CHECK(units_at_kill < kUnits);
  }

  cli.ok(args);
  CHECK(cli.events().back()["data"]["result"]["generated_data_units_count"] == kUnits);

  CatalogDb db(cli.sandbox.home());
  // Exactly one data unit per source unit.
  CHECK(db.count("SELECT COUNT(*) FROM data_units") == kUnits);
  std::set<std::string> stems;
  std::vector<std::string> duplicated;
  for (const auto& row : db.rows("SELECT json_extract(meta, '$.origin_file_stem'), COUNT(*) FROM "
                                 "data_units GROUP BY 1")) {
    stems.insert(row[0]);
    if (row[1] != "1")
      duplicated.push_back(row[0] + " x" + row[1]);
  }
  CHECK(duplicated.empty());
  CHECK(stems == stems_of(source));
  // One task per unit.
  CHECK(db.count("SELECT COUNT(*) FROM tasks") == kUnits);
  CHECK(db.count("SELECT COUNT(DISTINCT data_unit_id) FROM tasks") == kUnits);
  // One data file per distinct content, each used by some unit.
  CHECK(db.count("SELECT COUNT(*) FROM data_files") ==
        static_cast<std::int64_t>(source.contents.size()));
  CHECK(db.count("SELECT COUNT(*) FROM data_files WHERE id NOT IN "
                 "(SELECT data_file_id FROM data_unit_files)") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM data_unit_files") == 2 * kUnits);

  // Every unit's files hold the bytes of its source files.
  std::size_t mismatched = 0;
  for (const auto& row :
       db.rows("SELECT json_extract(u.meta, '$.origin_file_stem'), l.spec_name, f.location "
               "FROM data_units u JOIN data_unit_files l ON l.data_unit_id = u.id "
               "JOIN data_files f ON f.id = l.data_file_id")) {
    if (read_file(cli.sandbox.home() / "files" / row[2]) != source.units.at(row[0]).at(row[1]))
      ++mismatched;
  }
  CHECK(mismatched == 0);

  // The store holds exactly the registered bytes, and no temporary is left behind.
  CHECK(store_temporaries(cli.sandbox.home()).empty());
  const auto stored = stored_content(cli.sandbox.home());
  std::set<std::string> locations;
  for (const auto& row : db.rows("SELECT location FROM data_files"))
    locations.insert(row[0]);
  CHECK(stored == locations);
}

TEST_CASE("cancellation: SIGTERM mid-upload exits 130 and rolls back everything stored",
          "[upload_action][cli][crash][cancellation]") {
  const std::string stop_on = GENERATE(as<std::string>{}, "upload_data_file", "upload_data_unit");
  INFO("SIGTERM once the first " << stop_on << " events appeared");
  CliUpload cli;
  const auto source = write_units(cli.data() / "big");
  const auto before = cli.snapshot();
  const auto args = cli.upload_args(plugin_dir("upload-default"), cli.params("big"));

  const pid_t pid = start_and_wait_for(cli, args, stop_on);
  REQUIRE(pid > 0);
  ::kill(pid, SIGTERM);
  const int exit_code = cli_test::Sandbox::wait(pid);
  const auto stderr_text = read_file(cli.sandbox.dir() / "bg.stderr");
  INFO("stderr: " << stderr_text);
  CHECK(exit_code == 130);
  const auto events = cli.events();
  REQUIRE_FALSE(events.empty());
  CHECK(events.back()["event"] == "result");
  CHECK(events.back()["data"]["status"] == "cancelled");
  CHECK_THAT(stderr_text, Catch::Contains("Upload cancelled"));
  // What was stored before the signal is gone again.
  check_same(before, cli.snapshot());

  // And the upload can simply be run again.
  cli.ok(args);
  CHECK(cli.count("data_units") == kUnits);
  CHECK(cli.count("data_files") == static_cast<std::int64_t>(source.contents.size()));
}
