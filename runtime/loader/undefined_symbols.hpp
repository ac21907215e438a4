// Finding a library's unresolved symbols WITHOUT running its code, for `plugin validate`.
// The dynamic linker's trace mode (what `ldd -r` uses) maps and relocates the library with
// LD_BIND_NOW but never runs its initialisers, and reports each symbol it cannot resolve.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace synapse::runtime {

// The undefined symbols' names; nullopt when the check could not be run (no `ldd` on PATH).
std::optional<std::vector<std::string>> find_undefined_symbols(
    const std::filesystem::path& library);

}  // namespace synapse::runtime
