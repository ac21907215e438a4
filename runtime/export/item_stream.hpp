// The items of one export, read lazily: one page of target records at a time (page_size
// records, 1-1000), built into export items, handed out one by one. It is the ItemReader an
// Exporter's export_all() receives, and the source of the host's own item loop.
//
// Pages are read and built on a thread of their own, one page ahead of the reader: reading
// the catalog, parsing each annotation and looking up its data unit and files cost about as
// much as everything the item loop does after, so on two cores they overlap. At most two pages
// are held (the one being handed out and the next), so memory does not grow with the number
// of items. The catalog must be safe to call from two threads (SqliteCatalog locks each call).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/export/export_context.hpp>

#include "export/item_builder.hpp"
#include "export/target_handler.hpp"

namespace synapse::runtime::exports {

class ItemStream final : public synapse::exports::ItemReader {
 public:
  static constexpr std::size_t kDefaultPageSize = 500;

  enum class Mode {
    items,             // whole export items (exporter.hpp)
    texts_with_files,  // items without `data`; data_text() has the stored annotation
    texts,             // {"id"} only, and data_text(): nothing else is looked up
  };

  ItemStream(const TargetHandler& handler, nlohmann::json filter, Catalog& catalog,
             std::size_t page_size = kDefaultPageSize, Mode mode = Mode::items);
  // Stops the reading thread (it finishes the page it is building).
  ~ItemStream() override;
  ItemStream(const ItemStream&) = delete;
  ItemStream& operator=(const ItemStream&) = delete;

  // An error of the reading thread (catalog, storage) is rethrown here, in order.
  std::optional<nlohmann::json> next() override;
  // In a text mode: the stored annotation text of the item next() returned last, to move from
  // ("" = not annotated).
  std::string& data_text() { return texts_[position_ - 1]; }
  // Items handed out so far.
  std::int64_t read() const { return read_; }

 private:
  struct Page {
    std::vector<nlohmann::json> items;
    std::vector<std::string> texts;  // text modes: one per item
    bool last = false;
  };
  void read_pages();  // the reading thread
  Page build(SeedPage&& seeds);

  const TargetHandler& handler_;
  nlohmann::json filter_;
  Catalog& catalog_;
  ItemBuilder builder_;
  std::size_t page_size_;
  Mode mode_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Page> ready_;  // the next page, built
  std::exception_ptr error_;   // what stopped the reading thread
  bool stop_ = false;          // the reader went away
  bool reading_done_ = false;  // the thread has returned (last page or error)

  std::vector<nlohmann::json> page_;  // the page being handed out (reader's thread only)
  std::vector<std::string> texts_;
  std::size_t position_ = 0;
  bool last_page_taken_ = false;
  std::int64_t read_ = 0;
  std::thread thread_;  // last: started once every member above exists
};

}  // namespace synapse::runtime::exports
