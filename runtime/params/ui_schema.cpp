// FormKit ui_schema: the form the web UI renders for an action; its values arrive as
// params.extra_params. The web UI enforces these rules in the browser, but a CLI or API caller
// bypasses it, so the runtime re-checks the parts that decide what the action may rely on:
// presence (`required`), the value's JSON type per input type, option membership and the numeric
// and length rules. Other FormKit rules (email, matches, date_*, ...) are left to the UI.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "params/params_detail.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime {
namespace {

using nlohmann::json;
using params_detail::pointer_token;
using params_detail::quoted;
using params_detail::type_name;

bool is_text_type(std::string_view t) {
  static constexpr std::string_view kText[] = {
      "text",  "textarea", "email", "url",  "password",       "search", "tel",
      "color", "date",     "time",  "week", "datetime-local", "month"};
  return std::find(std::begin(kText), std::end(kText), t) != std::end(kText);
}

// Option values of a select/radio/checkbox. FormKit accepts [{label, value}], option groups
// [{group, options}], a plain list of values, and a mapping value -> label.
struct Options {
  bool known = false;         // false: none given or computed at runtime ("$getOptions()")
  bool from_mapping = false;  // mapping keys are strings; 10 matches the key "10"
  std::vector<json> values;

  bool contains(const json& v) const {
    return std::any_of(values.begin(), values.end(), [&](const json& o) {
      return o == v || (from_mapping && v.is_primitive() && !v.is_string() && o == json(v.dump()));
    });
  }
};

void collect_options(const json& options, Options& out, int depth) {
  if (depth > 8) {
    return;
  }
  if (options.is_object()) {
    out.from_mapping = true;
    for (const auto& [key, label] : options.items()) {
      out.values.emplace_back(key);
    }
  } else if (options.is_array()) {
    for (const json& o : options) {
      if (!o.is_object()) {
        out.values.push_back(o);
      } else if (o.contains("value")) {
        out.values.push_back(o["value"]);
      } else if (o.contains("options")) {
        collect_options(o["options"], out, depth + 1);  // option group
      }
    }
  }
  out.known = !out.values.empty();
}

Options options_of(const json& node) {
  Options out;
  if (auto it = node.find("options"); it != node.end()) {
    collect_options(*it, out, 0);
  }
  return out;
}

struct Rule {
  std::string name;
  std::vector<std::string> args;
};

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  const auto last = s.find_last_not_of(" \t");
  return first == std::string_view::npos ? "" : std::string(s.substr(first, last - first + 1));
}

// "required|min:1|length:2,10", or the array form [["required"], ["min", 1]]. Leading hint
// characters (+ * ?) only change when FormKit runs a rule, not what it checks.
std::vector<Rule> parse_rules(const json& validation) {
  std::vector<Rule> rules;
  auto add = [&](std::string name, std::vector<std::string> args) {
    name.erase(0, name.find_first_not_of("+*?"));
    if (!name.empty()) {
      rules.push_back({trim(name), std::move(args)});
    }
  };
  auto add_text = [&](std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t bar = text.find('|', start);
      std::string_view part = text.substr(start, bar == std::string_view::npos ? bar : bar - start);
      const std::size_t colon = part.find(':');
      std::vector<std::string> args;
      if (colon != std::string_view::npos) {
        std::string_view rest = part.substr(colon + 1);
        for (std::size_t a = 0; a <= rest.size();) {
          const std::size_t comma = rest.find(',', a);
          args.push_back(trim(rest.substr(a, comma == std::string_view::npos ? comma : comma - a)));
          a = comma == std::string_view::npos ? rest.size() + 1 : comma + 1;
        }
      }
      add(trim(part.substr(0, colon)), std::move(args));
      start = bar == std::string_view::npos ? text.size() + 1 : bar + 1;
    }
  };
  if (validation.is_string()) {
    add_text(validation.get<std::string>());
  } else if (validation.is_array()) {
    for (const json& r : validation) {
      if (r.is_string()) {
        add_text(r.get<std::string>());
      } else if (r.is_array() && !r.empty() && r[0].is_string()) {
        std::vector<std::string> args;
        for (std::size_t i = 1; i < r.size(); ++i) {
          args.push_back(r[i].is_string() ? r[i].get<std::string>() : r[i].dump());
        }
        add(r[0].get<std::string>(), std::move(args));
      }
    }
  }
  return rules;
}

std::optional<double> to_number(const json& v) {
  if (v.is_number()) {
    return v.get<double>();
  }
  if (v.is_string()) {  // FormKit compares with Number(value); "5" passes min:1
    const std::string s = trim(v.get<std::string>());
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) {
      return d;
    }
  }
  return std::nullopt;
}

std::optional<double> to_number(const std::string& s) {
  return to_number(json(s));
}

// Characters (UTF-8 code points) of a string, members of an array or object.
std::optional<std::size_t> length_of(const json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
  }
  if (v.is_array() || v.is_object()) {
    return v.size();
  }
  return std::nullopt;
}

bool is_empty(const json* v, bool trim_strings) {
  if (v == nullptr || v->is_null()) {
    return true;
  }
  if (v->is_string()) {
    return (trim_strings ? trim(v->get<std::string>()) : v->get<std::string>()).empty();
  }
  return (v->is_array() || v->is_object()) && v->empty();
}

class UiChecker {
 public:
  explicit UiChecker(std::vector<ParamError>& errors) : errors_(errors) {}

  void walk(const json& nodes, json& target, const std::string& base, const std::string& where) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      node(nodes[i], target, base, where + "[" + std::to_string(i) + "]");
    }
  }

 private:
  void fail(const std::string& path, std::string message) {
    errors_.push_back({path, std::move(message)});
  }

  void node(const json& n, json& target, const std::string& base, const std::string& where) {
    if (!n.is_object()) {
      fail("", where + ": expected a mapping, got " + type_name(n));
      return;
    }
    const auto formkit = n.find("$formkit");
    const std::string type =
        formkit != n.end() && formkit->is_string() ? formkit->get<std::string>() : "";
    const auto children = n.find("children");
    const auto name_it = n.find("name");
    if (name_it == n.end()) {
      // An $el/$cmp wrapper (div, fieldset...) does not nest values: FormKit inputs inside it
      // belong to the enclosing form or group.
      if (type.empty() && children != n.end() && children->is_array()) {
        walk(*children, target, base, where + ".children");
      }
      return;
    }
    if (!name_it->is_string() || name_it->get<std::string>().empty()) {
      fail("", where + ": name must be a non-empty string, got " + type_name(*name_it));
      return;
    }
    const std::string name = name_it->get<std::string>();
    const std::string path = base + pointer_token(name);
    if (!target.contains(name) && n.contains("value")) {
      target[name] = n["value"];
    }
    if (type == "group") {
      if (!target.contains(name) || target[name].is_null()) {
        target[name] = json::object();  // FormKit's group value always exists
      }
      if (!target[name].is_object()) {
        fail(path, "must be an object, got " + type_name(target[name]));
      } else if (children != n.end() && children->is_array()) {
        walk(*children, target[name], path, where + ".children");
      }
      return;
    }

    const json* value = target.contains(name) ? &target[name] : nullptr;
    const std::vector<Rule> rules = parse_rules(n.value("validation", json()));
    const auto required_rule = std::find_if(rules.begin(), rules.end(),
                                            [](const Rule& r) { return r.name == "required"; });
    const bool required = n.value("required", json()) == json(true) || required_rule != rules.end();
    const bool trim_strings = required_rule != rules.end() && !required_rule->args.empty() &&
                              required_rule->args[0] == "trim";
    if (is_empty(value, trim_strings)) {
      if (required) {
        fail(path, "is required");
      }
      return;  // FormKit skips the other rules on an empty value
    }
    if (type_ok(type, n, *value, path)) {
      check_rules(rules, *value, path);
    }
  }

  void not_an_option(const std::string& path, const json& v, const Options& options) {
    fail(path, quoted(v) + " is not one of " + params_detail::quoted_list(options.values));
  }

  // Every item of a multi-valued input must be an option.
  bool items_in(const Options& options, const json& v, const std::string& path) {
    if (!v.is_array()) {
      fail(path, "must be an array, got " + type_name(v));
      return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (options.known && !options.contains(v[i])) {
        not_an_option(path + "/" + std::to_string(i), v[i], options);
        ok = false;
      }
    }
    return ok;
  }

  bool type_ok(const std::string& type, const json& n, const json& v, const std::string& path) {
    auto expect = [&](bool ok, const char* what) {
      if (!ok) {
        fail(path, std::string("must be ") + what + ", got " + type_name(v));
      }
      return ok;
    };
    if (type == "number" || type == "range") {
      // No numeric strings: the action reads this value as a JSON number.
      return expect(v.is_number(), "a number");
    }
    if (is_text_type(type)) {
      return expect(v.is_string(), "a string");
    }
    if (type == "list" || type == "repeater") {
      return expect(v.is_array(), "an array");
    }
    const Options options = options_of(n);
    if (type == "checkbox" && options.known) {
      return items_in(options, v, path);
    }
    if (type == "checkbox") {
      // A single checkbox is true/false unless it declares its own on/off values.
      const bool custom = n.contains("on-value") || n.contains("off-value") ||
                          n.contains("onValue") || n.contains("offValue");
      if (!custom) {
        return expect(v.is_boolean(), "a boolean");
      }
      Options on_off;
      on_off.known = true;
      on_off.values = {n.value("on-value", n.value("onValue", json(true))),
                       n.value("off-value", n.value("offValue", json(false)))};
      if (!on_off.contains(v)) {
        not_an_option(path, v, on_off);
        return false;
      }
      return true;
    }
    const bool multiple = n.value("multiple", json()) == json(true) || type == "taglist";
    if (type == "select" || type == "radio" || type == "dropdown" || type == "autocomplete" ||
        type == "taglist") {
      if (multiple) {
        return items_in(options, v, path);
      }
      if (options.known && !options.contains(v)) {
        not_an_option(path, v, options);
        return false;
      }
    }
    return true;  // unknown input types: anything goes
  }

  void check_rules(const std::vector<Rule>& rules, const json& v, const std::string& path) {
    for (const Rule& r : rules) {
      std::vector<std::optional<double>> nums;
      for (const std::string& a : r.args) {
        nums.push_back(to_number(a));
      }
      const bool has_arg = !nums.empty() && nums[0].has_value();
      const auto length = length_of(v);
      const auto number = to_number(v);
      if ((r.name == "min" || r.name == "max") && has_arg) {
        const bool min = r.name == "min";
        // FormKit's min/max count the items of an array and compare anything else as a number.
        const double x = v.is_array() ? static_cast<double>(v.size()) : number.value_or(*nums[0]);
        if (min ? x < *nums[0] : x > *nums[0]) {
          const std::string bound = (min ? "at least " : "at most ") + r.args[0];
          fail(path, v.is_array() ? "must have " + bound + " items" : "must be " + bound);
        }
      } else if (r.name == "between" && nums.size() >= 2 && nums[0] && nums[1] && number) {
        const bool swapped = *nums[1] < *nums[0];
        const double lo = swapped ? *nums[1] : *nums[0];
        const double hi = swapped ? *nums[0] : *nums[1];
        if (*number < lo || *number > hi) {
          fail(path,
               "must be between " + r.args[swapped ? 1 : 0] + " and " + r.args[swapped ? 0 : 1]);
        }
      } else if (r.name == "length" && has_arg && length) {
        const std::string unit = v.is_string()  ? " characters long"
                                 : v.is_array() ? " items"
                                                : " properties";
        const std::string verb = v.is_string() ? "must be " : "must have ";
        if (static_cast<double>(*length) < *nums[0]) {
          fail(path, verb + "at least " + r.args[0] + unit);
        } else if (nums.size() >= 2 && nums[1] && static_cast<double>(*length) > *nums[1]) {
          fail(path, verb + "at most " + r.args[1] + unit);
        }
      }
    }
  }

  std::vector<ParamError>& errors_;
};

}  // namespace

std::vector<ParamError> apply_and_validate_ui_schema(const nlohmann::json& ui_schema,
                                                     nlohmann::json& extra_params,
                                                     const std::string& base_path) {
  std::vector<ParamError> errors;
  if (!ui_schema.is_array()) {
    errors.push_back(
        {"", "ui_schema: expected a list of FormKit nodes, got " + type_name(ui_schema)});
    return errors;
  }
  if (extra_params.is_null()) {
    extra_params = json::object();
  }
  if (!extra_params.is_object()) {
    errors.push_back({base_path, "must be a JSON object, got " + type_name(extra_params)});
    return errors;
  }
  UiChecker(errors).walk(ui_schema, extra_params, base_path, "ui_schema");
  params_detail::sort_and_dedupe(errors);
  return errors;
}

}  // namespace synapse::runtime
