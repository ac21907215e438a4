#include "export/export_folder.hpp"

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>

namespace synapse::runtime::exports {

std::string join_path(std::string_view folder, std::string_view name) {
  while (!folder.empty() && folder.front() == '/')
    folder.remove_prefix(1);
  while (!folder.empty() && folder.back() == '/')
    folder.remove_suffix(1);
  if (folder.empty())
    return std::string(name);
  if (name.empty())
    return std::string(folder);
  return std::string(folder) + "/" + std::string(name);
}

std::string choose_export_folder(synapse::Storage& storage, const std::string& path,
                                 const std::string& name) {
  // Bounded only so a storage that claims everything exists cannot loop forever.
  constexpr int kMaxAttempts = 100000;
  for (int n = 0; n < kMaxAttempts; ++n) {
    const std::string candidate =
        join_path(path, n == 0 ? name : name + "(" + std::to_string(n) + ")");
    if (!storage.stat(candidate))
      return candidate;
  }
  throw synapse::ActionError("no free export folder name for '" + join_path(path, name) +
                             "' after " + std::to_string(kMaxAttempts) + " attempts");
}

void create_folders(synapse::Storage& storage, const std::vector<std::string>& folders) {
  for (const auto& folder : folders)
    storage.open_write(join_path(folder, ".synapse-folder"));  // never committed
}

void write_object(synapse::Storage& storage, const std::string& path, std::string_view content) {
  auto out = storage.open_write(path);
  out->write(content.data(), content.size());
  out->commit();
}

void write_incomplete_marker(synapse::Storage& storage, const std::string& folder,
                             const std::string& reason, std::int64_t exported, std::int64_t total) {
  const nlohmann::json marker = {{"reason", reason}, {"exported", exported}, {"total", total}};
  write_object(storage, join_path(folder, kIncompleteMarker),
               marker.dump(4, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace synapse::runtime::exports
