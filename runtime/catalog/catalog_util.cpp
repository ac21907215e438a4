#include "catalog/catalog_util.hpp"

#include <openssl/rand.h>

#include <vector>

#include <synapse/catalog.hpp>

namespace synapse::runtime::catalog {

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    throw CatalogError(CatalogError::Kind::io, "OpenSSL RAND_bytes failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char byte : raw) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
  }
  return out;
}

std::string files_key(const std::map<std::string, CatalogId>& files) {
  std::string key;
  for (const auto& [spec_name, file_id] : files) {
    if (!key.empty())
      key += '\n';
    key += spec_name;
    key += '=';
    key += std::to_string(file_id);
  }
  return key;
}

}  // namespace synapse::runtime::catalog
