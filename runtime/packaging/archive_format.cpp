#include "packaging/archive_format.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "catalog/content_store.hpp"
#include "common/runtime_error.hpp"

namespace synapse::runtime::packaging {

std::string archive_top_folder(const std::string& code, const std::string& version) {
  return code + "-" + version;
}

std::string safe_relative_name(std::string_view name, std::string& why) {
  if (name.empty()) {
    why = "an empty path";
    return {};
  }
  if (name.front() == '/') {
    why = "an absolute path";
    return {};
  }
  if (name.starts_with("./"))
    name.remove_prefix(2);
  while (!name.empty() && name.back() == '/')
    name.remove_suffix(1);
  if (name.empty()) {
    why = "an empty path";
    return {};
  }
  std::string_view rest = name;
  while (true) {
    const auto slash = rest.find('/');
    const auto part = rest.substr(0, slash);
    if (part.empty() || part == "." || part == "..") {
      why = part == ".." ? "a path with '..'" : "a path with an empty or '.' component";
      return {};
    }
    if (slash == std::string_view::npos)
      break;
    rest.remove_prefix(slash + 1);
  }
  if (name.find('\0') != std::string_view::npos) {
    why = "a path with a NUL byte";
    return {};
  }
  return std::string(name);
}

std::string format_sums(const std::vector<FileSum>& sums) {
  std::string text;
  for (const auto& s : sums)
    text += s.sha256 + "  " + s.name + "\n";
  return text;
}

std::vector<FileSum> parse_sums(std::string_view text, const std::string& display) {
  std::vector<FileSum> sums;
  std::set<std::string> seen;
  int line_no = 0;
  auto bad = [&](const std::string& what) {
    throw RuntimeError(ExitCode::load_failed, "archive.bad_checksums",
                       display + ":" + std::to_string(line_no) + ": " + what);
  };
  while (!text.empty()) {
    ++line_no;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty())
      continue;
    // "<64 hex> <mode><name>": mode ' ' (text) or '*' (binary), as sha256sum writes them.
    const bool hex_ok =
        line.size() > 66 && std::all_of(line.begin(), line.begin() + 64, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f') ||
                 (c >= 'A' && c <= 'F');
        });
    if (!hex_ok || line[64] != ' ' || (line[65] != ' ' && line[65] != '*')) {
      bad("expected '<64 hex digits>  <file name>', got '" +
          std::string(line.substr(0, std::min<std::size_t>(line.size(), 120))) + "'");
    }
    FileSum sum;
    sum.sha256 = std::string(line.substr(0, 64));
    std::transform(sum.sha256.begin(), sum.sha256.end(), sum.sha256.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string why;
    sum.name = safe_relative_name(line.substr(66), why);
    if (sum.name.empty())
      bad("'" + std::string(line.substr(66)) + "' is " + why);
    if (!seen.insert(sum.name).second)
      bad("'" + sum.name + "' is listed twice");
    sums.push_back(std::move(sum));
  }
  return sums;
}

std::string file_sha256(const std::filesystem::path& file) {
  try {
    return catalog::ContentStore::sha256_of_file(file);
  } catch (const std::exception& e) {
    throw RuntimeError(ExitCode::transient, "archive.io_failed",
                       "cannot hash " + file.string() + ": " + e.what());
  }
}

}  // namespace synapse::runtime::packaging
