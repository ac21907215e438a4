#include "loader/elf_check.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/runtime_error.hpp"

namespace synapse::runtime::impl {

namespace {

[[noreturn]] void fail(const char* id, const std::filesystem::path& file, const std::string& why) {
  throw RuntimeError(ExitCode::load_failed, id, file.string() + ": " + why);
}

#if defined(__x86_64__)
constexpr unsigned host_machine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned host_machine = EM_AARCH64;
#else
constexpr unsigned host_machine = EM_NONE;  // not checked
#endif

}  // namespace

void check_elf_shared_library(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    fail("loader.not_found", file, "cannot open library file");
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);

  Elf64_Ehdr header{};
  if (size < EI_NIDENT ||
      !in.read(reinterpret_cast<char*>(&header), std::min<std::uint64_t>(size, sizeof header))) {
    // A short read still fills what it can; magic is checked next.
  }
  if (size < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    fail("loader.not_elf", file, "not an ELF shared library (no ELF magic number)");
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64) {
    fail("loader.wrong_architecture", file, "is a 32-bit ELF file; the host is 64-bit");
  }
  if (size < sizeof header) {
    fail("loader.truncated", file,
         "truncated ELF file: " + std::to_string(size) + " bytes, shorter than its header");
  }
  if (header.e_type != ET_DYN) {
    fail("loader.not_elf", file,
         "is an ELF file but not a shared library (e_type " + std::to_string(header.e_type) + ")");
  }
  if (host_machine != EM_NONE && header.e_machine != host_machine) {
    fail("loader.wrong_architecture", file,
         "built for ELF machine " + std::to_string(header.e_machine) + ", the host is " +
             std::to_string(host_machine));
  }
  if (header.e_shnum == 0 || header.e_shentsize != sizeof(Elf64_Shdr) ||
      header.e_shstrndx >= header.e_shnum) {
    fail("loader.truncated", file, "damaged ELF file: no usable section header table");
  }
  const std::uint64_t table_end =
      header.e_shoff + std::uint64_t{header.e_shnum} * header.e_shentsize;
  if (header.e_shoff > size || table_end > size) {
    fail("loader.truncated", file,
         "truncated ELF file: section headers end at byte " + std::to_string(table_end) +
             " but the file has " + std::to_string(size) + " bytes");
  }
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  in.seekg(static_cast<std::streamoff>(header.e_shoff));
  in.read(reinterpret_cast<char*>(sections.data()),
          static_cast<std::streamsize>(sections.size() * sizeof(Elf64_Shdr)));
  if (!in)
    fail("loader.truncated", file, "truncated ELF file: cannot read section headers");
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const auto& s = sections[i];
    if (s.sh_type == SHT_NOBITS || s.sh_type == SHT_NULL)
      continue;
    if (s.sh_offset > size || s.sh_size > size - s.sh_offset) {
      fail("loader.truncated", file,
           "truncated ELF file: section " + std::to_string(i) + " ends at byte " +
               std::to_string(s.sh_offset + s.sh_size) + " but the file has " +
               std::to_string(size) + " bytes");
    }
  }
}

}  // namespace synapse::runtime::impl
