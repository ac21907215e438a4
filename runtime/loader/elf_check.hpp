// Internal: structural checks of an ELF file before boost::dll::library_info reads it.
// library_info trusts the section table; on a truncated file it can fail with an unhelpful
// "basic_ios::clear" or allocate from garbage sizes, so we reject such files first with a
// message that says what is wrong.
#pragma once

#include <filesystem>

namespace synapse::runtime::impl {

// Throws RuntimeError loader.not_elf / loader.truncated / loader.wrong_architecture.
void check_elf_shared_library(const std::filesystem::path& file);

}  // namespace synapse::runtime::impl
