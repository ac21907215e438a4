#include "admin/plugin_template.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "admin/file_replacement.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime {

namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

// A YAML double-quoted scalar holding exactly `value`.
std::string yaml_quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::vector<std::string> variable_names(const TemplateVariables& variables) {
  std::vector<std::string> names;
  for (const auto& [name, value] : variables)
    names.push_back(name);
  return names;
}

// Renders `text`, appending one line per problem to `problems` (and rendering on past it, so
// every problem of a file is reported at once).
std::string render(std::string_view text, const TemplateVariables& variables,
                   const std::string& where, std::vector<std::string>& problems) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  std::size_t line = 1;
  std::size_t line_counted_to = 0;
  for (;;) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, open - pos));
    line += static_cast<std::size_t>(
        std::count(text.data() + line_counted_to, text.data() + open, '\n'));
    line_counted_to = open;
    const std::string at = where + ":" + std::to_string(line) + ": ";
    const std::size_t close = text.find("}}", open + 2);
    const std::size_t eol = text.find('\n', open);
    if (close == std::string_view::npos || (eol != std::string_view::npos && eol < close)) {
      problems.push_back(at +
                         "'{{' without '}}' on the same line (placeholders are "
                         "{{variable}} or {{variable|yaml}})");
      out.append("{{");
      pos = open + 2;
      continue;
    }
    const std::string_view inner = text.substr(open + 2, close - open - 2);
    const std::size_t bar = inner.find('|');
    const std::string name = trim(inner.substr(0, bar));
    const std::string filter = bar == std::string_view::npos ? "" : trim(inner.substr(bar + 1));
    const std::string placeholder = "{{" + std::string(inner) + "}}";
    pos = close + 2;
    if (!is_identifier(name)) {
      problems.push_back(at + "'" + placeholder +
                         "' is not a placeholder ({{variable}} or {{variable|yaml}})");
      continue;
    }
    const auto it = variables.find(name);
    if (it == variables.end()) {
      problems.push_back(at + "unknown variable '" + name + "' in '" + placeholder +
                         "' (known: " + join(variable_names(variables)) + ")");
      continue;
    }
    if (bar != std::string_view::npos && filter != "yaml") {
      problems.push_back(at + "unknown filter '" + filter + "' in '" + placeholder +
                         "' (known: yaml)");
      continue;
    }
    out.append(filter == "yaml" ? yaml_quoted(it->second) : it->second);
  }
}

[[noreturn]] void throw_template_error(const std::string& what, std::vector<std::string> details) {
  throw RuntimeError(ExitCode::load_failed, "plugin_new.template_error", what, std::move(details));
}

[[noreturn]] void throw_write_failed(const fs::path& path, const std::string& why) {
  throw RuntimeError(ExitCode::action_failed, "plugin_new.write_failed",
                     "cannot write " + path.string() + ": " + why + " (nothing was left behind)");
}

struct RenderedFile {
  std::string relative;  // rendered, '/'-separated
  std::string content;
  fs::perms perms = fs::perms::owner_read | fs::perms::owner_write;
};

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw_template_error("cannot read template file " + file.string(), {});
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every file of the template, rendered in memory; throws before anything is written.
std::vector<RenderedFile> render_all(const fs::path& template_dir,
                                     const TemplateVariables& variables) {
  std::vector<RenderedFile> files;
  std::vector<std::string> problems;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(template_dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec))
      continue;
    const std::string relative = it->path().lexically_relative(template_dir).generic_string();
    RenderedFile file;
    file.relative = render(relative, variables, (template_dir / relative).string(), problems);
    file.content =
        render(read_whole(it->path()), variables, (template_dir / relative).string(), problems);
    file.perms = it->status(ec).permissions() | fs::perms::owner_read | fs::perms::owner_write;
    files.push_back(std::move(file));
  }
  if (ec)
    throw_template_error("cannot list template " + template_dir.string() + ": " + ec.message(), {});
  if (!problems.empty())
    throw_template_error("template " + template_dir.string() + " does not render", problems);
  if (files.empty())
    throw_template_error("template " + template_dir.string() + " holds no files", {});
  std::sort(files.begin(), files.end(),
            [](const RenderedFile& a, const RenderedFile& b) { return a.relative < b.relative; });
  return files;
}

void write_file(const fs::path& file, const RenderedFile& rendered) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec)
    throw_write_failed(file.parent_path(), ec.message());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(rendered.content.data(), static_cast<std::streamsize>(rendered.content.size()));
  out.close();
  if (!out)
    throw_write_failed(file, std::strerror(errno));
  fs::permissions(file, rendered.perms, ec);
  if (ec)
    throw_write_failed(file, ec.message());
}

// A private folder beside `destination` (same file system, so the final rename is atomic);
// removed by the destructor unless its content was moved away.
class Staging {
 public:
  explicit Staging(const fs::path& destination) {
    std::string pattern = (destination.parent_path() /
                           ("." + destination.filename().string() + ".synapse-new-XXXXXX"))
                              .string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw_write_failed(pattern, std::strerror(errno));
    dir_ = pattern;
  }
  ~Staging() {
    if (keep_)
      return;
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  // The project folder inside (created with the umask's permissions, unlike mkdtemp's 0700).
  fs::path project() const { return dir_ / "project"; }
  // Where --force sets the files it replaces aside until all are in place.
  fs::path previous() const { return dir_ / "previous"; }
  // Leaves the folder behind: it holds the only copy of files that could not be put back.
  void keep() { keep_ = true; }

 private:
  fs::path dir_;
  bool keep_ = false;
};

bool is_empty_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::directory_iterator(dir, ec) == fs::directory_iterator();
}

}  // namespace

std::string render_template_text(std::string_view text, const TemplateVariables& variables,
                                 const std::string& where) {
  std::vector<std::string> problems;
  std::string out = render(text, variables, where, problems);
  if (!problems.empty())
    throw_template_error(where + " does not render", problems);
  return out;
}

TemplatesLocation find_templates(const std::optional<std::string>& env_dir, const fs::path& exe_dir,
                                 std::string_view template_name) {
  const auto holds = [&](const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / template_name / "config.yaml", ec);
  };
  if (env_dir && !env_dir->empty()) {
    const fs::path dir = fs::absolute(*env_dir).lexically_normal();
    if (holds(dir))
      return {dir, false};
    throw RuntimeError(ExitCode::load_failed, "plugin_new.templates_not_found",
                       "$SYNAPSE_TEMPLATES_DIR is " + dir.string() + ", which holds no template '" +
                           std::string(template_name) + "' (" +
                           (dir / template_name / "config.yaml").string() + ")");
  }
  const std::vector<std::pair<fs::path, bool>> candidates = {
      {(exe_dir / "templates").lexically_normal(), false},
      {(exe_dir / ".." / "share" / "synapse" / "templates").lexically_normal(), true}};
  std::vector<std::string> looked;
  for (const auto& [dir, installed] : candidates) {
    if (holds(dir))
      return {dir, installed};
    looked.push_back(dir.string());
  }
  throw RuntimeError(ExitCode::load_failed, "plugin_new.templates_not_found",
                     "no plugin template '" + std::string(template_name) + "' in " + join(looked) +
                         " ($SYNAPSE_TEMPLATES_DIR unset); set $SYNAPSE_TEMPLATES_DIR to the "
                         "templates folder of the synapse sources or installation");
}

std::vector<std::string> render_template_tree(const fs::path& template_dir,
                                              const fs::path& destination,
                                              const TemplateVariables& variables, bool overwrite) {
  fs::path dest = fs::absolute(destination).lexically_normal();
  if (dest.filename().empty())
    dest = dest.parent_path();  // "a/b/" or "a/."
  std::error_code ec;
  const bool exists = fs::exists(dest, ec);
  if (exists && !fs::is_directory(dest, ec)) {
    throw RuntimeError(ExitCode::usage, "plugin_new.destination_exists",
                       dest.string() + " exists and is not a folder");
  }
  const bool empty = !exists || is_empty_dir(dest);
  if (!empty && !overwrite) {
    throw RuntimeError(ExitCode::usage, "plugin_new.destination_exists",
                       dest.string() +
                           " exists and is not empty; choose another --dir, or pass --force to "
                           "write the template's files into it (other files are kept)");
  }

  const auto files = render_all(template_dir, variables);  // template errors: nothing written
  std::vector<std::string> relative;
  for (const auto& file : files)
    relative.push_back(file.relative);
  if (!empty) {
    if (auto conflicts = replacement_conflicts(dest, relative); !conflicts.empty()) {
      // Built before `conflicts` is moved into the error.
      std::string message = dest.string() +
                            " cannot take the template's files: " + conflicts.front() +
                            " (nothing was changed)";
      throw RuntimeError(ExitCode::usage, "plugin_new.destination_exists", std::move(message),
                         std::move(conflicts));
    }
  }

  fs::create_directories(dest.parent_path(), ec);
  if (ec)
    throw_write_failed(dest.parent_path(), ec.message());
  Staging staging(dest);
  fs::create_directory(staging.project(), ec);
  if (ec)
    throw_write_failed(staging.project(), ec.message());
  for (const auto& file : files)
    write_file(staging.project() / file.relative, file);

  if (empty) {
    // rename(2) replaces an empty folder: the project appears at once, complete.
    fs::rename(staging.project(), dest, ec);
    if (ec)
      throw_write_failed(dest, ec.message());
  } else {
    try {
      replace_files(staging.project(), dest, relative, staging.previous());
    } catch (const ReplaceFilesError& e) {
      if (!e.restored())
        staging.keep();
      throw RuntimeError(
          ExitCode::action_failed, "plugin_new.write_failed",
          std::string("cannot write ") + e.what() +
              (e.restored() ? std::string(" (") + dest.string() + " was put back as it was)"
                            : std::string(" (putting ") + dest.string() +
                                  " back as it was failed too; its previous files "
                                  "are in " +
                                  staging.previous().string() + ")"));
    }
  }
  return relative;
}

}  // namespace synapse::runtime
