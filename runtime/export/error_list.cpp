#include "export/error_list.hpp"

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace synapse::runtime::exports {

namespace {

void write(synapse::WriteStream& out, std::string_view text) {
  out.write(text.data(), text.size());
}

}  // namespace

ErrorList::ErrorList(const std::filesystem::path& scratch_dir) {
  json_.file = scratch_dir / "error-list-json.part";
  origin_.file = scratch_dir / "error-list-origin.part";
  for (Part* part : {&json_, &origin_}) {
    part->stream.open(part->file, std::ios::binary | std::ios::trunc);
    if (!part->stream)
      throw std::runtime_error("cannot create the scratch file " + part->file.string());
  }
}

void ErrorList::add(Part& part, std::string_view file, std::string_view error) {
  // One `[file, error]` pair as json.dump(indent=4) nests it two levels deep. Names and
  // messages may come from plugins: bytes that are not UTF-8 are replaced, not fatal.
  const std::string pair = nlohmann::json::array({std::string(file), std::string(error)})
                               .dump(4, ' ', false, nlohmann::json::error_handler_t::replace);
  if (part.count > 0)
    part.stream << ",\n";
  part.stream << "        ";
  for (char c : pair) {
    part.stream << c;
    if (c == '\n')
      part.stream << "        ";
  }
  ++part.count;
  if (!part.stream)
    throw std::runtime_error("cannot write the scratch file " + part.file.string());
}

void ErrorList::add_json(std::string_view file, std::string_view error) {
  add(json_, file, error);
}

void ErrorList::add_origin(std::string_view file, std::string_view error) {
  add(origin_, file, error);
}

void ErrorList::copy(Part& part, synapse::WriteStream& out) {
  if (part.count == 0) {
    write(out, "[]");
    return;
  }
  part.stream.flush();
  std::ifstream in(part.file, std::ios::binary);
  write(out, "[\n");
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    out.write(buffer, static_cast<std::size_t>(in.gcount()));
  write(out, "\n    ]");
}

void ErrorList::write_to(synapse::WriteStream& out) {
  write(out, "{\n    \"json_file_name\": ");
  copy(json_, out);
  write(out, ",\n    \"origin_file_name\": ");
  copy(origin_, out);
  write(out, "\n}");
}

}  // namespace synapse::runtime::exports
