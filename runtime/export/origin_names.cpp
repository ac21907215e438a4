#include "export/origin_names.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>

namespace synapse::runtime::exports {

namespace {

constexpr std::size_t kRecentNames = 4096;
constexpr int kHashes = 6;
constexpr std::uint64_t kMinBits = std::uint64_t{1} << 16;
constexpr std::uint64_t kMaxBits = std::uint64_t{1} << 26;  // 8 MiB

// A second, independent hash for double hashing (FNV-1a, 64-bit).
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string with_suffix(const std::string& name, const std::string& suffix) {
  const std::filesystem::path path(name);
  return path.stem().string() + "_" + suffix + path.extension().string();
}

OriginNames::OriginNames(std::int64_t expected_items) {
  // 16 bits per name: about 0.1% false positives with 6 hashes at the expected count.
  std::uint64_t bits = kMinBits;
  const auto wanted = static_cast<std::uint64_t>(std::max<std::int64_t>(expected_items, 0)) * 16;
  while (bits < wanted && bits < kMaxBits)
    bits <<= 1;
  bits_.assign(bits / 64, 0);
  mask_ = bits - 1;
}

bool OriginNames::maybe_written(std::string_view name) const {
  const std::uint64_t h1 = std::hash<std::string_view>{}(name);
  const std::uint64_t h2 = fnv1a(name) | 1;
  for (int i = 0; i < kHashes; ++i) {
    const std::uint64_t bit = (h1 + static_cast<std::uint64_t>(i) * h2) & mask_;
    if ((bits_[bit / 64] & (std::uint64_t{1} << (bit % 64))) == 0)
      return false;
  }
  return true;
}

void OriginNames::remember(const std::string& name) {
  const std::uint64_t h1 = std::hash<std::string_view>{}(name);
  const std::uint64_t h2 = fnv1a(name) | 1;
  for (int i = 0; i < kHashes; ++i) {
    const std::uint64_t bit = (h1 + static_cast<std::uint64_t>(i) * h2) & mask_;
    bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  if (recent_.insert(name).second) {
    recent_order_.push_back(name);
    if (recent_order_.size() > kRecentNames) {
      recent_.erase(recent_order_.front());
      recent_order_.pop_front();
    }
  }
}

std::string OriginNames::claim(const std::string& name, CatalogId id, const Exists& exists) {
  std::string candidate = name;
  for (int attempt = 1;; ++attempt) {
    bool taken = recent_.contains(candidate);
    if (!taken && maybe_written(candidate)) {
      ++storage_checks_;
      taken = exists(candidate);
    }
    if (!taken) {
      remember(candidate);
      return candidate;
    }
    const std::string id_text = std::to_string(id);
    candidate = with_suffix(name, attempt == 1 ? id_text : id_text + "_" + std::to_string(attempt));
  }
}

}  // namespace synapse::runtime::exports
