#include "export/item_saves.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

#include <synapse/json_writer.hpp>

#include "common/json_reindent.hpp"
#include "export/export_folder.hpp"

namespace synapse::runtime::exports {

namespace {

constexpr std::size_t kCopyChunk = 256 * 1024;

char* copy_buffer() {
  // One per worker thread, for the thread's life: no allocation per file.
  thread_local const std::unique_ptr<char[]> buffer(new char[kCopyChunk]);
  return buffer.get();
}

void copy_local_file(const std::string& source, synapse::WriteStream& out) {
  const int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open the stored file " + source + ": " + std::strerror(errno));
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close{fd};
  char* buffer = copy_buffer();
  for (;;) {
    const ssize_t got = ::read(fd, buffer, kCopyChunk);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      throw std::runtime_error("cannot read the stored file " + source + ": " +
                               std::strerror(errno));
    }
    if (got == 0)
      break;
    out.write(buffer, static_cast<std::size_t>(got));
  }
}

void copy_catalog_file(synapse::Catalog& catalog, CatalogId file, synapse::WriteStream& out) {
  auto in = catalog.open_data_file(file);
  char* buffer = copy_buffer();
  while (in->read(buffer, kCopyChunk) || in->gcount() > 0)
    out.write(buffer, static_cast<std::size_t>(in->gcount()));
  if (in->bad())
    throw std::runtime_error("cannot read data file " + std::to_string(file));
}

template <class Save>
std::optional<std::string> attempt(Save&& save) noexcept {
  try {
    save();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  } catch (...) {
    return std::string("a non-standard exception");
  }
}

}  // namespace

std::string dump_data(const nlohmann::json& data) {
  return synapse::json_text(data, 4);
}

namespace {

// Indented by 4, as the re-indenter `reindent` writes it, or else (text it declines: not in its
// shape, nested past its depth) the tree way, with nlohmann's ordered_json so the keys stay in
// the text's order either way. Throws nlohmann::json::parse_error when it is not JSON.
std::string indent_with(const std::string& text, bool (*reindent)(std::string_view, std::string&)) {
  std::string out;
  out.reserve(text.size() * 3);
  if (reindent(text, out))
    return out;
  return synapse::json_text(nlohmann::ordered_json::parse(text), 4);
}

}  // namespace

std::string indent_text(const std::string& text) {
  return indent_with(text, reindent_json_stored_order);
}

std::string indent_converted_text(const std::string& text) {
  try {
    return indent_with(text, reindent_json_as_written);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(std::string("convert_text returned text that is not JSON: ") +
                             e.what());
  }
}

void save_item_outputs(ItemSaves& saves, synapse::Storage& storage, synapse::Catalog& catalog) {
  if (saves.save_original) {
    if (!saves.origin_error) {
      saves.origin_error = attempt([&] {
        // Deferred: the export syncs the storage once at its end (export_action.cpp).
        auto out = storage.open_write_deferred(saves.origin_path);
        if (saves.source_path.empty())
          copy_catalog_file(catalog, saves.source_file.value_or(0), *out);
        else
          copy_local_file(saves.source_path, *out);
        out->commit();
      });
    }
    if (saves.origin_error)
      return;  // as Python: an item whose original failed writes no JSON
  }
  if (saves.data_null)
    return;
  saves.json_error = attempt([&] {
    const std::string text = saves.data_text_converted ? indent_converted_text(saves.data_text)
                             : saves.data_text.empty() ? dump_data(saves.converted.at("data"))
                                                       : indent_text(saves.data_text);
    auto out = storage.open_write_deferred(saves.json_path);
    out->write(text.data(), text.size());
    out->commit();
  });
}

}  // namespace synapse::runtime::exports
