// StepRegistry operations and their errors (spec/upload.md §7).
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <synapse/upload/step_registry.hpp>

#include "fakes.hpp"

using Catch::Matchers::Equals;
using synapse::upload::StepRegistry;
using synapse::upload::StepRegistryError;
using namespace upload_pipeline_test;
using Names = std::vector<std::string>;

namespace {
StepRegistry abc() {
  StepRegistry registry;
  registry.add(make_step("a", 0.25));
  registry.add(make_step("b", 0.25));
  registry.add(make_step("c", 0.5));
  return registry;
}
}  // namespace

TEST_CASE("add appends in order and rejects a duplicate name", "[registry]") {
  StepRegistry registry = abc();
  CHECK(registry.list() == Names{"a", "b", "c"});
  CHECK(registry.size() == 3);
  CHECK_THROWS_WITH(registry.add(make_step("b")), Equals("Step with name 'b' already registered"));
  CHECK(registry.list() == Names{"a", "b", "c"});
}

TEST_CASE("add rejects a null step, an empty name and an invalid weight", "[registry]") {
  StepRegistry registry;
  CHECK_THROWS_AS(registry.add(nullptr), StepRegistryError);
  CHECK_THROWS_WITH(registry.add(make_step("")),
                    Equals("Cannot register a step with an empty name"));
  CHECK_THROWS_WITH(registry.add(make_step("neg", -0.1)),
                    Catch::Contains("Step 'neg' has an invalid progress weight"));
  CHECK_THROWS_AS(registry.add(make_step("nan", std::numeric_limits<double>::quiet_NaN())),
                  StepRegistryError);
  CHECK(registry.empty());
}

TEST_CASE("insert_before and insert_after place a step next to an existing one", "[registry]") {
  StepRegistry registry = abc();
  registry.insert_before("a", make_step("first"));
  registry.insert_after("b", make_step("after_b"));
  registry.insert_after("c", make_step("last"));
  registry.insert_before("c", make_step("before_c"));
  CHECK(registry.list() == Names{"first", "a", "b", "after_b", "before_c", "c", "last"});
}

TEST_CASE("insert next to an unknown step or with a duplicate name fails unchanged", "[registry]") {
  StepRegistry registry = abc();
  CHECK_THROWS_WITH(registry.insert_after("nope", make_step("x")), Equals("Step 'nope' not found"));
  CHECK_THROWS_WITH(registry.insert_before("nope", make_step("x")),
                    Equals("Step 'nope' not found"));
  CHECK_THROWS_WITH(registry.insert_after("a", make_step("c")),
                    Equals("Step with name 'c' already registered"));
  CHECK_THROWS_WITH(registry.insert_before("a", make_step("a")),
                    Equals("Step with name 'a' already registered"));
  CHECK(registry.list() == Names{"a", "b", "c"});
}

TEST_CASE("remove deletes a step and reports whether it existed", "[registry]") {
  StepRegistry registry = abc();
  CHECK(registry.remove("b"));
  CHECK_FALSE(registry.remove("b"));
  CHECK(registry.list() == Names{"a", "c"});
  CHECK_FALSE(registry.contains("b"));
  CHECK(registry.get("b") == nullptr);
}

TEST_CASE("replace swaps a step in place, under the same or a new name", "[registry]") {
  StepRegistry registry = abc();
  auto replacement = make_step("b", 0.1);
  registry.replace("b", replacement);
  CHECK(registry.get("b") == replacement);
  registry.replace("b", make_step("b2"));
  CHECK(registry.list() == Names{"a", "b2", "c"});
  CHECK_THROWS_WITH(registry.replace("zzz", make_step("q")), Equals("Step 'zzz' not found"));
  CHECK_THROWS_WITH(registry.replace("a", make_step("c")),
                    Equals("Step with name 'c' already registered"));
  CHECK(registry.list() == Names{"a", "b2", "c"});
}

TEST_CASE("reorder accepts only a permutation of the registered names", "[registry]") {
  StepRegistry registry = abc();
  registry.reorder({"c", "a", "b"});
  CHECK(registry.list() == Names{"c", "a", "b"});

  CHECK_THROWS_WITH(registry.reorder({"c", "a"}),
                    Equals("Step names list must contain all registered steps: 'b' is missing"));
  CHECK_THROWS_WITH(registry.reorder({"c", "a", "b", "d"}),
                    Equals("Step names list must contain all registered steps: 'd' is not "
                           "registered"));
  CHECK_THROWS_WITH(registry.reorder({"c", "a", "a"}),
                    Equals("Step names list must contain all registered steps: 'a' is listed "
                           "twice"));
  CHECK(registry.list() == Names{"c", "a", "b"});
}

TEST_CASE("get, contains, total_weight and clear", "[registry]") {
  StepRegistry registry = abc();
  REQUIRE(registry.get("c") != nullptr);
  CHECK(registry.get("c")->name() == "c");
  CHECK(registry.contains("a"));
  CHECK(registry.total_weight() == Approx(1.0));
  CHECK(registry.steps().size() == 3);
  registry.clear();
  CHECK(registry.empty());
  CHECK(registry.total_weight() == 0.0);
}
