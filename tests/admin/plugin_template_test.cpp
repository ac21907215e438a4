// Template rendering and `plugin new`'s option checks, without the CLI.
#include <catch2/catch.hpp>

#include "admin/plugin_new.hpp"
#include "admin/plugin_template.hpp"
#include "common/runtime_error.hpp"

using Catch::Matchers::Contains;
using namespace synapse::runtime;

namespace {

RuntimeError render_error(std::string_view text, const TemplateVariables& vars) {
  try {
    render_template_text(text, vars, "t.txt");
  } catch (const RuntimeError& e) {
    return e;
  }
  FAIL("expected plugin_new.template_error for: " << text);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("render_template_text substitutes variables and the yaml filter", "[template]") {
  const TemplateVariables vars = {{"name", R"(A "b": \c)"}, {"code", "a-b"}};
  CHECK(render_template_text("x {{code}} {{ code }} y", vars, "t") == "x a-b a-b y");
  CHECK(render_template_text("name: {{name|yaml}}", vars, "t") == R"(name: "A \"b\": \\c")");
  CHECK(render_template_text("no placeholders } { }}", vars, "t") == "no placeholders } { }}");
}

TEST_CASE("render_template_text reports every bad placeholder with its line", "[template]") {
  const TemplateVariables vars = {{"code", "a"}};
  const auto e =
      render_error("ok {{code}}\n{{nope}}\njson{{\"a\", 1}}\n{{code|upper}}\n{{ x", vars);
  CHECK(e.id() == "plugin_new.template_error");
  REQUIRE(e.details().size() == 4);
  CHECK_THAT(e.details()[0], Contains("t.txt:2: unknown variable 'nope'"));
  CHECK_THAT(e.details()[0], Contains("known: code"));
  CHECK_THAT(e.details()[1], Contains("t.txt:3:"));
  CHECK_THAT(e.details()[1], Contains("is not a placeholder"));
  CHECK_THAT(e.details()[2], Contains("t.txt:4: unknown filter 'upper'"));
  CHECK_THAT(e.details()[3], Contains("t.txt:5: '{{' without '}}'"));
}

TEST_CASE("plugin_identifier makes a C and CMake identifier of the code", "[template]") {
  CHECK(plugin_identifier("my-upload") == "my_upload");
  CHECK(plugin_identifier("a_b-c") == "a_b_c");
  CHECK(plugin_identifier("3d-scan") == "plugin_3d_scan");
  CHECK(plugin_identifier("test") == "plugin_test");
}

TEST_CASE("plan_plugin_new picks the template and the category's action", "[template]") {
  PluginNewRequest request;
  request.code = "x";
  for (const auto& [category, tpl, action] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"upload", "upload", "upload"},
           {"export", "export", "export"},
           {"neural_net", "generic", "train"},
           {"smart_tool", "generic", "auto_label"},
           {"data_validation", "generic", "validation"},
           {"pre_annotation", "generic", "pre_annotation"},
           {"custom", "generic", "run"}}) {
    request.category = category;
    const auto plan = plan_plugin_new(request);
    CHECK(plan.template_name == tpl);
    CHECK(plan.action == action);
    CHECK(plan.variables.at("category") == category);
  }
}

TEST_CASE("plan_plugin_new keeps X.Y.Z of a prerelease version for CMake", "[template]") {
  PluginNewRequest request;
  request.code = "x";
  request.category = "custom";
  request.version = "1.4.0-rc.1+build5";
  const auto plan = plan_plugin_new(request);
  CHECK(plan.variables.at("version") == "1.4.0-rc.1+build5");
  CHECK(plan.variables.at("version_core") == "1.4.0");
  CHECK(plan.variables.at("name") == "X");
  CHECK(plan.variables.at("author") == "unknown");
}
