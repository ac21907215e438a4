// Parsing of `actions.<name>.entrypoint` (design.md §3): which library and exported alias a C++
// plugin's action names, or whether it is a Python entrypoint the loader must refuse.
#include <algorithm>
#include <cctype>
#include <regex>
#include <string>
#include <utility>

#include "config/plugin_config_checks.hpp"

namespace synapse::runtime::impl {

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool is_dotted_identifier(std::string_view s) {
  while (true) {
    const auto dot = s.find('.');
    if (!is_identifier(s.substr(0, dot)))
      return false;
    if (dot == std::string_view::npos)
      return true;
    s.remove_prefix(dot + 1);
  }
}

Entrypoint parse_entrypoint(std::string_view text) {
  Entrypoint out;
  auto invalid = [&](std::string reason) {
    out.kind = Entrypoint::Kind::invalid;
    out.reason = std::move(reason);
    return out;
  };
  if (text.empty())
    return invalid("it is empty");
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    if (is_identifier(text)) {
      out.kind = Entrypoint::Kind::alias;
      out.alias = text;
      return out;
    }
    if (text.ends_with(".so")) {
      return invalid("a library needs an alias: '" + std::string(text) + ":<Alias>'");
    }
    if (is_dotted_identifier(text)) {
      out.kind = Entrypoint::Kind::python;
      return out;
    }
    return invalid("an alias must be a C identifier");
  }
  const std::string_view library = text.substr(0, colon);
  const std::string_view alias = text.substr(colon + 1);
  if (library.empty())
    return invalid("the library before ':' is empty");
  if (alias.empty())
    return invalid("the alias after ':' is empty");
  if (!library.ends_with(".so")) {
    // `pkg.module:Attr` is the later Python SDK's notation.
    if (is_dotted_identifier(library) && is_dotted_identifier(alias)) {
      out.kind = Entrypoint::Kind::python;
      return out;
    }
    return invalid("the library '" + std::string(library) + "' does not end in .so");
  }
  if (library.find('/') != std::string_view::npos) {
    return invalid("the library must be a file name in the plugin folder, without '/'");
  }
  if (!std::regex_match(std::string(library),
                        std::regex("^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*\\.so$"))) {
    return invalid("'" + std::string(library) + "' is not a library file name");
  }
  if (!is_identifier(alias)) {
    return invalid("the alias '" + std::string(alias) + "' is not a C identifier");
  }
  out.kind = Entrypoint::Kind::library_alias;
  out.library = library;
  out.alias = alias;
  return out;
}

}  // namespace synapse::runtime::impl
