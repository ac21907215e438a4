#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "upload/metadata/metadata_error.hpp"

namespace upload_metadata_test {

// A fixture written at build time by make_xlsx.py (see CMakeLists.txt).
inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(UPLOAD_METADATA_FIXTURE_DIR) / name;
}

// Runs `f`, requires an ExcelMetadataError and returns it for code/message checks.
template <typename F>
synapse::runtime::upload::ExcelMetadataError error_of(F&& f) {
  try {
    f();
  } catch (const synapse::runtime::upload::ExcelMetadataError& e) {
    return e;
  }
  FAIL("expected ExcelMetadataError");
  throw std::logic_error("unreachable");
}

}  // namespace upload_metadata_test
