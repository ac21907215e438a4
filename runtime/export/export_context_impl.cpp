#include "export/export_context_impl.hpp"

#include <synapse/errors.hpp>

#include "export/export_folder.hpp"

namespace synapse::runtime::exports {

std::string ExportContextImpl::output_file(std::string_view relative) const {
  const auto refuse = [&](const char* why) {
    throw synapse::ActionError("export output '" + std::string(relative) + "' " + why +
                               " (outputs are paths inside the export folder, e.g. "
                               "\"annotations/instances.json\")");
  };
  if (relative.empty())
    refuse("is empty");
  if (relative.front() == '/')
    refuse("is absolute");
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t slash = relative.find('/', start);
    const std::string_view part =
        relative.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part == "..")
      refuse("leaves the export folder");
    if (part.empty() || part == ".")
      refuse("has an empty or '.' component");
    if (slash == std::string_view::npos)
      break;
    start = slash + 1;
  }
  return join_path(setup_.output_path, relative);
}

void ExportContextImpl::write_output(std::string_view relative, std::string_view content) {
  write_object(output_, output_file(relative), content);
}

std::unique_ptr<synapse::WriteStream> ExportContextImpl::open_output(std::string_view relative) {
  return output_.open_write(output_file(relative));
}

}  // namespace synapse::runtime::exports
