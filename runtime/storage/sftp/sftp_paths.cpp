#include "storage/sftp/sftp_paths.hpp"

#include <vector>

namespace synapse::runtime::sftp {

std::optional<std::string> normalise(std::string_view path) {
  if (path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) {
        return std::nullopt;
      }
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string result;
  for (std::string_view part : parts) {
    if (!result.empty()) {
      result += '/';
    }
    result += part;
  }
  return result;
}

std::string join(const std::string& root, const std::string& relative) {
  if (relative.empty()) {
    return root;
  }
  if (root.empty() || root.back() == '/') {
    return root + relative;
  }
  return root + "/" + relative;
}

bool is_within(const std::string& root, const std::string& path) {
  if (path == root) {
    return true;
  }
  if (root == "/") {
    return !path.empty() && path.front() == '/';
  }
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

std::string parent_of(const std::string& relative) {
  std::size_t slash = relative.rfind('/');
  return slash == std::string::npos ? std::string() : relative.substr(0, slash);
}

}  // namespace synapse::runtime::sftp
