// The export's scratch folder: private, emptied before the export's sync, removed at the end.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "export/scratch_dir.hpp"

namespace fs = std::filesystem;
using synapse::runtime::exports::ScratchDir;

TEST_CASE("scratch folder: emptied in place, removed with everything in it") {
  fs::path where;
  {
    ScratchDir scratch;
    where = scratch.path();
    REQUIRE(fs::is_directory(where));
    CHECK(where.filename().string().rfind("synapse-export-", 0) == 0);
    std::ofstream(where / "images.jsonl") << "{}\n";
    fs::create_directories(where / "nested" / "deeper");
    std::ofstream(where / "nested" / "deeper" / "lines.jsonl") << "{}\n";

    ScratchDir::empty(where);
    CHECK(fs::is_directory(where));
    CHECK(fs::is_empty(where));

    std::ofstream(where / "again.jsonl") << "{}\n";  // still usable after
    CHECK(fs::exists(where / "again.jsonl"));
  }
  CHECK_FALSE(fs::exists(where));
  ScratchDir::empty(where);  // a folder that is gone: nothing to do, no throw
}
