// Lexical path rules of the sftp provider (no server needed for these).
#include <catch2/catch.hpp>

#include "storage/sftp/sftp_paths.hpp"

using synapse::runtime::sftp::is_within;
using synapse::runtime::sftp::join;
using synapse::runtime::sftp::normalise;
using synapse::runtime::sftp::parent_of;

TEST_CASE("sftp paths are normalised relative to the root", "[storage][sftp]") {
  CHECK(normalise("a/b.jpg") == "a/b.jpg");
  CHECK(normalise("/a//b/./c/../d") == "a/b/d");
  CHECK(normalise("") == "");
  CHECK(normalise("/") == "");
  CHECK(normalise("a/..") == "");
  CHECK(normalise("a/b/") == "a/b");
}

TEST_CASE("sftp paths climbing above the root are rejected", "[storage][sftp]") {
  CHECK_FALSE(normalise("..").has_value());
  CHECK_FALSE(normalise("../x").has_value());
  CHECK_FALSE(normalise("a/../../x").has_value());
  CHECK_FALSE(normalise("/../x").has_value());
  CHECK_FALSE(normalise(std::string_view("a\0b", 3)).has_value());
}

TEST_CASE("sftp containment compares whole path components", "[storage][sftp]") {
  CHECK(is_within("/home/u", "/home/u"));
  CHECK(is_within("/home/u", "/home/u/a/b"));
  CHECK_FALSE(is_within("/home/u", "/home/u2/a"));
  CHECK_FALSE(is_within("/home/u", "/home"));
  CHECK_FALSE(is_within("/home/u", "/etc/passwd"));
  CHECK(is_within("/", "/etc/passwd"));
  CHECK(join("/home/u", "") == "/home/u");
  CHECK(join("/home/u", "a/b") == "/home/u/a/b");
  CHECK(join("/", "a") == "/a");
  CHECK(parent_of("a/b/c") == "a/b");
  CHECK(parent_of("c") == "");
}
