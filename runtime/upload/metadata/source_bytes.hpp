#pragma once

#include <filesystem>
#include <istream>
#include <string>

#include "upload/metadata/excel_limits.hpp"

namespace synapse::runtime::upload::impl {

// The SDK's security pre-check (spec §11.3): size > max_file_size -> file_too_large, and
// size x 3 > max_memory_usage -> memory_limit_exceeded (its estimate of parse overhead).
void check_source_size(std::uint64_t size, const std::string& name, const ExcelLimits& limits);

// Reads at most max_file_size + 1 bytes, so an unbounded stream cannot exhaust memory.
std::string read_bounded(std::istream& in, const std::string& name, const ExcelLimits& limits);

// Stats, pre-checks and reads a file; file_not_found / file_access_error on failure.
std::string read_file_bounded(const std::filesystem::path& path, const ExcelLimits& limits);

}  // namespace synapse::runtime::upload::impl
