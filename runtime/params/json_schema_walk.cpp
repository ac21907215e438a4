// Walks over a JSON Schema document that valijson does not offer: `$ref` resolution for our own
// navigation, defaults, cycle detection and the `format` rewrite. Only local references are
// followed; valijson itself rejects remote ones (no fetch callback is installed).
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "params/params_detail.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime {
namespace params_detail {
namespace {

using nlohmann::json;

// Deeper schemas than this are not walked (protects the stack; no real schema gets near it).
constexpr int kMaxDepth = 256;
// `$ref` chains longer than this count as unresolvable.
constexpr int kMaxRefHops = 64;

// Keywords whose value is a map name -> subschema, a single subschema, or a list of them.
bool is_map_keyword(std::string_view k) {
  return k == "properties" || k == "patternProperties" || k == "definitions" || k == "$defs" ||
         k == "dependencies" || k == "dependentSchemas";
}
bool is_single_keyword(std::string_view k) {
  return k == "additionalProperties" || k == "additionalItems" || k == "items" || k == "contains" ||
         k == "propertyNames" || k == "not" || k == "if" || k == "then" || k == "else";
}
bool is_list_keyword(std::string_view k) {
  return k == "allOf" || k == "anyOf" || k == "oneOf" || k == "items";
}

// Calls fn(subschema, pointer) for every subschema object, children before their parent so that
// fn may add members to the node it is given without the walk seeing them.
template <class J, class F>
void for_each_subschema(J& node, const std::string& ptr, F& fn, int depth = 0) {
  if (!node.is_object() || depth > kMaxDepth) {
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& kw = it.key();
    auto& sub = it.value();
    const std::string p = ptr + pointer_token(kw);
    if (is_map_keyword(kw) && sub.is_object()) {
      for (auto child = sub.begin(); child != sub.end(); ++child) {
        for_each_subschema(child.value(), p + pointer_token(child.key()), fn, depth + 1);
      }
    } else if (is_list_keyword(kw) && sub.is_array()) {
      for (std::size_t i = 0; i < sub.size(); ++i) {
        for_each_subschema(sub[i], p + "/" + std::to_string(i), fn, depth + 1);
      }
    } else if (is_single_keyword(kw)) {
      for_each_subschema(sub, p, fn, depth + 1);
    }
  }
  fn(node, ptr);
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The canonical JSON pointer a `$ref` names inside `root`, or nullopt for anything that is not
// a local pointer (anchors, remote documents).
std::optional<std::string> local_pointer(const json& root, const std::string& ref) {
  std::string r = ref;
  if (root.is_object()) {
    for (const char* id_key : {"$id", "id"}) {
      auto id = root.find(id_key);
      if (id == root.end() || !id->is_string()) {
        continue;
      }
      std::string base = id->get<std::string>();
      if (!base.empty() && base.back() == '#') {
        base.pop_back();
      }
      if (!base.empty() && r.starts_with(base) &&
          (r.size() == base.size() || r[base.size()] == '#')) {
        r = r.substr(base.size());
      }
      break;
    }
  }
  if (r.empty()) {
    r = "#";
  }
  if (r[0] != '#') {
    return std::nullopt;
  }
  std::string fragment = percent_decode(std::string_view(r).substr(1));
  if (!fragment.empty() && fragment[0] != '/') {
    return std::nullopt;
  }
  try {
    return json::json_pointer(fragment).to_string();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

const json* lookup(const json& root, const std::string& pointer) {
  try {
    const json::json_pointer p(pointer);
    return root.contains(p) ? &root.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

// Subschemas applied to the same instance value as `node` (so a cycle among them never ends).
std::vector<std::string> same_instance_edges(const json& root, const json& node,
                                             const std::string& ptr) {
  std::vector<std::string> edges;
  if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
    if (auto target = local_pointer(root, ref->get<std::string>())) {
      edges.push_back(*target);
    }
  }
  for (const char* kw : {"allOf", "anyOf", "oneOf"}) {
    if (auto list = node.find(kw); list != node.end() && list->is_array()) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        edges.push_back(ptr + "/" + kw + "/" + std::to_string(i));
      }
    }
  }
  for (const char* kw : {"not", "if", "then", "else"}) {
    if (node.contains(kw)) {
      edges.push_back(ptr + "/" + kw);
    }
  }
  for (const char* kw : {"dependencies", "dependentSchemas"}) {
    if (auto deps = node.find(kw); deps != node.end() && deps->is_object()) {
      for (const auto& [name, sub] : deps->items()) {
        if (sub.is_object()) {
          edges.push_back(ptr + "/" + kw + pointer_token(name));
        }
      }
    }
  }
  return edges;
}

struct CycleFinder {
  const json& root;
  std::map<std::string, int> state;  // 1 = on the DFS stack, 2 = done
  std::optional<std::string> found;

  void visit(const std::string& ptr, int depth) {
    const json* node = lookup(root, ptr);
    if (found || node == nullptr || !node->is_object() || depth > kMaxDepth) {
      return;
    }
    state[ptr] = 1;
    for (const std::string& next : same_instance_edges(root, *node, ptr)) {
      const int s = state[next];
      if (s == 1) {
        found = "circular reference: '#" + next +
                "' refers back to itself without descending "
                "into a property or item";
        return;
      }
      if (s == 0) {
        visit(next, depth + 1);
      }
    }
    state[ptr] = 2;
  }
};

// Inserts `default`s. The stack of (schema, value) pairs being filled stops two kinds of endless
// recursion: allOf parts that lead back to a schema already applied to the same value, and a
// recursive schema whose recursive property has a default (each inserted default would get the
// default again, forever).
struct DefaultsWalker {
  const json& root;
  std::vector<std::pair<const json*, const json*>> stack;

  bool on_stack(const json* schema, const json* value) const {
    return std::any_of(stack.begin(), stack.end(), [&](const auto& entry) {
      return entry.first == schema && (value == nullptr || entry.second == value);
    });
  }

  void apply(const json& schema, json& value) {
    const json* s = resolve_ref(root, schema);
    if (s == nullptr || !s->is_object() || stack.size() > static_cast<std::size_t>(kMaxDepth) ||
        on_stack(s, &value)) {
      return;
    }
    stack.emplace_back(s, &value);
    if (auto props = s->find("properties");
        value.is_object() && props != s->end() && props->is_object()) {
      for (const auto& [name, sub] : props->items()) {
        const json* resolved = resolve_ref(root, sub);
        if (!value.contains(name)) {
          // A `default` written next to a `$ref` wins over the referenced schema's own.
          if (sub.is_object() && sub.contains("default")) {
            value[name] = sub["default"];
          } else if (resolved != nullptr && resolved->is_object() &&
                     resolved->contains("default")) {
            value[name] = (*resolved)["default"];
          } else {
            continue;
          }
          if (on_stack(resolved, nullptr)) {
            continue;
          }
        }
        if (resolved != nullptr) {
          apply(*resolved, value[name]);
        }
      }
    }
    if (auto items = s->find("items");
        value.is_array() && items != s->end() && items->is_object()) {
      for (json& element : value) {
        apply(*items, element);
      }
    }
    // allOf parts all apply to the value, so their defaults do too (anyOf/oneOf: unknown which).
    if (auto all = s->find("allOf"); all != s->end() && all->is_array()) {
      for (const json& part : *all) {
        apply(part, value);
      }
    }
    stack.pop_back();
  }
};

// The one patternProperties subschema whose pattern finds `key`; nullptr for none or several.
const json* matching_pattern(const json& patterns, const std::string& key) {
  const json* found = nullptr;
  if (!patterns.is_object()) {
    return nullptr;
  }
  try {
    for (const auto& [pattern, sub] : patterns.items()) {
      if (std::regex_search(key, std::regex(pattern))) {
        if (found != nullptr) {
          return nullptr;
        }
        found = &sub;
      }
    }
  } catch (const std::regex_error&) {
    return nullptr;
  }
  return found;
}

}  // namespace

const json* schema_keyword(const json* node, const char* key) {
  if (node == nullptr || !node->is_object()) {
    return nullptr;
  }
  auto it = node->find(key);
  return it != node->end() ? &*it : nullptr;
}

const json* resolve_ref(const json& root, const json& node) {
  const json* current = &node;
  for (int hop = 0; hop < kMaxRefHops; ++hop) {
    if (!current->is_object()) {
      return current;
    }
    auto ref = current->find("$ref");
    if (ref == current->end() || !ref->is_string()) {
      return current;
    }
    auto pointer = local_pointer(root, ref->get<std::string>());
    current = pointer ? lookup(root, *pointer) : nullptr;
    if (current == nullptr) {
      return nullptr;
    }
  }
  return nullptr;
}

const json* schema_at(const json& root, const std::vector<PathStep>& steps) {
  const json* node = resolve_ref(root, root);
  for (const PathStep& step : steps) {
    if (node == nullptr || !node->is_object()) {
      return nullptr;
    }
    const json* next = nullptr;
    if (!step.is_index) {
      auto props = node->find("properties");
      auto patterns = node->find("patternProperties");
      auto extra = node->find("additionalProperties");
      const json* matched =
          patterns != node->end() ? matching_pattern(*patterns, step.key) : nullptr;
      if (props != node->end() && props->is_object() && props->contains(step.key)) {
        next = &(*props)[step.key];
      } else if (matched != nullptr) {
        next = matched;
      } else if (patterns != node->end() && !patterns->empty()) {
        return nullptr;  // several patterns apply, or one could not be compiled
      } else if (extra != node->end() && extra->is_object()) {
        next = &*extra;
      }
    } else if (auto items = node->find("items"); items != node->end()) {
      auto extra = node->find("additionalItems");
      if (items->is_object()) {
        next = &*items;
      } else if (items->is_array() && step.index < items->size()) {
        next = &(*items)[step.index];
      } else if (items->is_array() && extra != node->end() && extra->is_object()) {
        next = &*extra;
      }
    }
    if (next == nullptr) {
      return nullptr;
    }
    node = resolve_ref(root, *next);
  }
  return node;
}

std::optional<std::string> find_schema_problem(const json& schema) {
  std::vector<std::string> pointers;
  std::optional<std::string> bad_keyword;
  // valijson compiles `pattern`s lazily, so a broken one would only show up (as an exception)
  // when some value reaches it; compiling them here reports it as the schema's fault.
  auto check_regex = [&](const std::string& pattern, const std::string& ptr) {
    try {
      std::regex compiled(pattern);
    } catch (const std::regex_error& e) {
      bad_keyword = bad_keyword.value_or("'#" + ptr + "': invalid regular expression '" + pattern +
                                         "': " + e.what());
    }
  };
  auto collect = [&](const json& node, const std::string& ptr) {
    pointers.push_back(ptr);
    // valijson divides by it unchecked: 0 kills the process with SIGFPE.
    if (auto m = node.find("multipleOf"); m != node.end() && (!m->is_number() || *m <= 0)) {
      bad_keyword =
          bad_keyword.value_or("'#" + ptr + "/multipleOf' must be a number greater than 0");
    }
    if (auto p = node.find("pattern"); p != node.end() && p->is_string()) {
      check_regex(p->get<std::string>(), ptr + "/pattern");
    }
    if (auto pp = node.find("patternProperties"); pp != node.end() && pp->is_object()) {
      for (const auto& [pattern, unused] : pp->items()) {
        check_regex(pattern, ptr + "/patternProperties" + pointer_token(pattern));
      }
    }
  };
  for_each_subschema(schema, "", collect);
  if (bad_keyword) {
    return bad_keyword;
  }
  CycleFinder finder{schema, {}, std::nullopt};
  for (const std::string& ptr : pointers) {
    if (finder.state[ptr] == 0) {
      finder.visit(ptr, 0);
    }
    if (finder.found) {
      break;
    }
  }
  return finder.found;
}

// valijson 1.0 applies `format` to every value: a number fails "String should be a valid date"
// and an array or object makes it throw. JSON Schema applies `format` to strings only, so each
// `format` moves under `allOf: [{if: {type: string}, then: {format: ...}}]`. Draft 4 has no
// if/then; there the keyword is dropped (format checking is optional per the spec anyway).
void restrict_formats_to_strings(json& schema, bool draft7) {
  auto rewrite = [draft7](json& node, const std::string&) {
    auto format = node.find("format");
    if (format == node.end()) {
      return;
    }
    auto all = node.find("allOf");
    if (all != node.end() && !all->is_array()) {
      return;  // the parser rejects this schema anyway
    }
    json moved = *format;
    node.erase(format);
    if (draft7) {
      node["allOf"].push_back({{"if", {{"type", "string"}}}, {"then", {{"format", moved}}}});
    }
  };
  for_each_subschema(schema, "", rewrite);
}

}  // namespace params_detail

void apply_schema_defaults(const nlohmann::json& schema, nlohmann::json& value) {
  params_detail::DefaultsWalker{schema, {}}.apply(schema, value);
}

}  // namespace synapse::runtime
