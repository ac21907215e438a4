// A temp folder removed at the end of the test (the shared test_support::TempDir).
#pragma once

#include "temp_dir.hpp"

namespace export_targets_test {

class TestDir : public test_support::TempDir {
 public:
  TestDir() : TempDir("export-targets") {}
};

}  // namespace export_targets_test
