// `synapse plugin install` refuses tampered, unsafe and mismatched archives with a stable id,
// and leaves the plugin folder exactly as it was (no plugin, no `.install-*` folder).
#include <catch2/catch.hpp>

#include "archive_edit.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using cli_test::Sandbox;
using namespace archive_test;

namespace {

const std::string top = "hello-0.1.0";

// Packs hello, lets `edit` change the entries, writes them as <sandbox>/edited.tar.gz.
template <typename Edit>
fs::path edited_hello(const Sandbox& sandbox, Edit edit, bool gzip = true) {
  auto entries = read_archive(package_hello(sandbox));
  edit(entries);
  const auto archive = sandbox.dir() / "edited.tar.gz";
  write_archive(archive, entries, gzip);
  return archive;
}

void replace_text(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// Installs `archive` into a plugin folder that already holds another plugin and checks the
// refusal: exit code, error id, the text naming the culprit, and an unchanged folder.
void expect_refused(const Sandbox& sandbox, const fs::path& archive, int exit_code,
                    const std::string& id, const std::string& mention) {
  const auto plugins = plugins_of(sandbox);
  fs::create_directories(plugins / "bystander");
  const auto before = listing(plugins);
  const auto r = run_with(sandbox, plugins, {"plugin", "install", archive.string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == exit_code);
  CHECK_THAT(r.err, Contains("error[" + id + "]") && Contains(mention));
  CHECK(listing(plugins) == before);
  CHECK(listing(plugins / "bystander").empty());
  CHECK_FALSE(fs::exists(sandbox.dir() / "escape.txt"));
}

// A hand-made archive of a fixture plugin folder: config.yaml, its library, correct sums.
fs::path pack_fixture(const Sandbox& sandbox, const std::string& name, const std::string& folder) {
  std::vector<Entry> entries;
  entries.push_back({folder, Entry::Kind::directory, "", "", 0755});
  entries.push_back(file_entry(folder + "/config.yaml", fixture(name) / "config.yaml"));
  entries.push_back(
      file_entry(folder + "/lib" + name + ".so", fixture(name) / ("lib" + name + ".so"), 0755));
  entries.push_back(text_entry(folder + "/SHA256SUMS", ""));
  fix_sums(entries, folder);
  const auto archive = sandbox.dir() / (folder + ".tar.gz");
  write_archive(archive, entries);
  return archive;
}

}  // namespace

TEST_CASE("install_refuses_a_tampered_library_byte", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    auto& data = find(entries, top + "/libhello.so").data;
    data[data.size() / 2] ^= 0x01;
  });
  expect_refused(sandbox, archive, 3, "archive.checksum_mismatch", top + "/libhello.so");
}

TEST_CASE("install_refuses_a_tampered_config_byte", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    replace_text(find(entries, top + "/config.yaml").data, "Greets someone", "Greets somebody");
  });
  expect_refused(sandbox, archive, 3, "archive.checksum_mismatch", top + "/config.yaml");
}

TEST_CASE("install_refuses_a_wrong_sha256sums_line", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    auto& sums = find(entries, top + "/SHA256SUMS").data;
    const auto line = sums.find("  libhello.so");
    REQUIRE(line != std::string::npos);
    sums.replace(line - 64, 64, std::string(64, 'a'));
  });
  expect_refused(sandbox, archive, 3, "archive.checksum_mismatch",
                 "expects " + std::string(64, 'a'));
}

TEST_CASE("install_refuses_a_malformed_sha256sums_line", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    find(entries, top + "/SHA256SUMS").data += "not a checksum line\n";
  });
  expect_refused(sandbox, archive, 3, "archive.bad_checksums", top + "/SHA256SUMS:3");
}

TEST_CASE("install_refuses_a_listed_file_that_is_missing", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    std::erase_if(entries, [](const Entry& e) { return e.path == top + "/libhello.so"; });
  });
  expect_refused(sandbox, archive, 3, "archive.missing_file", top + "/libhello.so");
}

TEST_CASE("install_refuses_an_unlisted_file", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    entries.push_back(text_entry(top + "/extra.txt", "not in the sums\n"));
  });
  expect_refused(sandbox, archive, 3, "archive.unlisted_file", top + "/extra.txt");
}

TEST_CASE("install_refuses_a_symlink_entry", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    entries.push_back({top + "/passwd", Entry::Kind::symlink, "", "/etc/passwd", 0777});
  });
  expect_refused(sandbox, archive, 3, "archive.unsafe_entry", "symbolic link to '/etc/passwd'");
}

TEST_CASE("install_refuses_a_hard_link_entry", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    entries.push_back({top + "/copy.so", Entry::Kind::hardlink, "", top + "/libhello.so", 0644});
  });
  expect_refused(sandbox, archive, 3, "archive.unsafe_entry", "hard link");
}

TEST_CASE("install_refuses_dot_dot_and_absolute_entries", "[plugin_archive]") {
  Sandbox sandbox;
  SECTION("dot dot") {
    const auto escape = "../../escape.txt";
    const auto archive = edited_hello(sandbox, [&](std::vector<Entry>& entries) {
      entries.insert(entries.begin() + 1, text_entry(top + "/" + escape, "out\n"));
    });
    expect_refused(sandbox, archive, 3, "archive.unsafe_entry", "a path with '..'");
  }
  SECTION("absolute") {
    const auto escape = (sandbox.dir() / "escape.txt").string();
    const auto archive = edited_hello(sandbox, [&](std::vector<Entry>& entries) {
      entries.push_back(text_entry(escape, "out\n"));
    });
    expect_refused(sandbox, archive, 3, "archive.unsafe_entry", "an absolute path");
  }
}

TEST_CASE("install_refuses_a_plain_tar_and_two_top_folders", "[plugin_archive]") {
  Sandbox sandbox;
  SECTION("plain tar") {
    const auto archive = edited_hello(
        sandbox, [](std::vector<Entry>&) {}, false);
    expect_refused(sandbox, archive, 3, "archive.invalid", "not gzip-compressed");
  }
  SECTION("two top folders") {
    const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
      entries.push_back(text_entry("other-0.1.0/config.yaml", "code: other\n"));
    });
    expect_refused(sandbox, archive, 3, "archive.layout", "more than one top folder");
  }
}

TEST_CASE("install_refuses_a_code_that_does_not_match_the_top_folder", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    replace_text(find(entries, top + "/config.yaml").data, "code: hello", "code: other");
    fix_sums(entries, top);  // only the name check can catch it
  });
  expect_refused(sandbox, archive, 3, "archive.metadata_mismatch", "expected 'other-0.1.0'");
}

TEST_CASE("install_refuses_a_library_category_mismatch", "[plugin_archive]") {
  Sandbox sandbox;
  SECTION("config changed after packaging, sums fixed") {
    const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
      replace_text(find(entries, top + "/config.yaml").data, "category: custom",
                   "category: neural_net");
      fix_sums(entries, top);  // only the metadata check can catch it
    });
    expect_refused(sandbox, archive, 3, "archive.metadata_mismatch",
                   top + "/libhello.so: built as category 'custom', but " + top +
                       "/config.yaml says 'neural_net'");
  }
  SECTION("fixture built for another category") {
    const auto archive =
        pack_fixture(sandbox, "fixture_category_mismatch", "fixture-category-mismatch-1.0.0");
    expect_refused(sandbox, archive, 3, "archive.metadata_mismatch", "loader.category_mismatch");
  }
}

TEST_CASE("install_refuses_an_abi_mismatch", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = pack_fixture(sandbox, "fixture_abi_mismatch", "fixture-abi-mismatch-1.0.0");
  expect_refused(sandbox, archive, 3, "archive.metadata_mismatch", "loader.abi_mismatch");
}

TEST_CASE("install_refuses_a_library_with_undefined_symbols", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive =
      pack_fixture(sandbox, "fixture_undefined_symbol", "fixture-undefined-symbol-1.0.0");
  expect_refused(sandbox, archive, 3, "archive.metadata_mismatch", "undefined symbol");
}

TEST_CASE("install_refusal_removes_the_plugin_dir_it_created", "[plugin_archive]") {
  Sandbox sandbox;
  const auto archive = edited_hello(sandbox, [](std::vector<Entry>& entries) {
    auto& data = find(entries, top + "/libhello.so").data;
    data[data.size() / 3] ^= 0x10;
  });
  const auto target = sandbox.dir() / "fresh" / "plugins";
  const auto r = run_with(sandbox, plugins_of(sandbox),
                          {"plugin", "install", archive.string(), "--plugin-dir", target.string()});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("error[archive.checksum_mismatch]"));
  CHECK_FALSE(fs::exists(sandbox.dir() / "fresh"));
}
