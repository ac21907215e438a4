#include "export/item_stream.hpp"

#include <algorithm>
#include <utility>

namespace synapse::runtime::exports {

ItemStream::ItemStream(const TargetHandler& handler, nlohmann::json filter, Catalog& catalog,
                       std::size_t page_size)
    : handler_(handler),
      filter_(std::move(filter)),
      catalog_(catalog),
      builder_(catalog),
      page_size_(std::clamp<std::size_t>(page_size, 1, 1000)) {}

std::optional<nlohmann::json> ItemStream::next() {
  // A filtered page may be empty while later ones are not: keep reading until an item or the end.
  while (position_ == page_.size()) {
    if (last_page_read_)
      return std::nullopt;
    auto seeds = handler_.fetch(filter_, catalog_, PageRequest{cursor_, page_size_});
    cursor_ = std::move(seeds.next_cursor);
    last_page_read_ = cursor_.empty();
    page_ = builder_.build(std::move(seeds.items));
    position_ = 0;
  }
  ++read_;
  return std::move(page_[position_++]);
}

}  // namespace synapse::runtime::exports
