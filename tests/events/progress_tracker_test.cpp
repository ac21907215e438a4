#include "events/progress_tracker.hpp"

#include <catch2/catch.hpp>

using synapse::runtime::ProgressCategory;
using synapse::runtime::ProgressTracker;
using synapse::runtime::ProgressUpdate;
using Json = nlohmann::json;

namespace {

// A clock the test moves by hand.
struct FakeClock {
  double now = 1000.0;
  ProgressTracker::Clock fn() {
    return [this] { return now; };
  }
};

ProgressUpdate expect_update(std::variant<ProgressUpdate, std::string> result) {
  if (auto* warning = std::get_if<std::string>(&result)) {
    FAIL("unexpected warning: " << *warning);
  }
  return std::get<ProgressUpdate>(result);
}

std::string expect_warning(std::variant<ProgressUpdate, std::string> result) {
  REQUIRE(std::holds_alternative<std::string>(result));
  return std::get<std::string>(result);
}

std::vector<ProgressCategory> abc() {
  return {{"a", 20}, {"b", 30}, {"c", 50}};
}

}  // namespace

TEST_CASE("events: overall progress follows the declared categories in order", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());

  auto u = expect_update(tracker.set_progress(0, 10, "a"));
  CHECK(u.category == "a");
  CHECK(u.percent == 0.0);
  CHECK(u.overall == 0.0);
  CHECK_FALSE(u.time_remaining.has_value());

  u = expect_update(tracker.set_progress(5, 10, "a"));
  CHECK(u.percent == 50.0);
  CHECK(u.overall == 10.0);

  u = expect_update(tracker.set_progress(10, 10, "a"));
  CHECK(u.overall == 20.0);

  // b at 0 %: only the categories before it count.
  u = expect_update(tracker.set_progress(0, 4, "b"));
  CHECK(u.overall == 20.0);

  u = expect_update(tracker.set_progress(1, 4, "b"));
  CHECK(u.percent == 25.0);
  CHECK(u.overall == 27.5);

  u = expect_update(tracker.set_progress(2, 2, "c"));
  CHECK(u.percent == 100.0);
  CHECK(u.overall == 100.0);
  CHECK(u.current == 2);
  CHECK(u.total == 2);
}

TEST_CASE("events: earlier categories count as done even when never reported", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());
  // Straight to c: a and b count as 100 % of their proportions (the Python formula).
  auto u = expect_update(tracker.set_progress(1, 4, "c"));
  CHECK(u.percent == 25.0);
  CHECK(u.overall == 62.5);  // 20 + 30 + round(50 * 25 / 100, 2)
}

TEST_CASE("events: categories reported out of order make overall jump back", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());
  auto u = expect_update(tracker.set_progress(1, 2, "c"));
  CHECK(u.overall == 75.0);  // 20 + 30 + 25
  u = expect_update(tracker.set_progress(1, 10, "a"));
  CHECK(u.overall == 2.0);  // only a's own share now
  u = expect_update(tracker.set_progress(3, 3, "b"));
  CHECK(u.overall == 50.0);  // a counted whole + all of b
  // c keeps its own percent from before.
  CHECK(tracker.record()["categories"]["c"]["percent"] == 50.0);
}

TEST_CASE("events: overall rounds the current category's share to 2 decimals", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker({{"x", 33}, {"y", 67}}, clock.fn());
  auto u = expect_update(tracker.set_progress(1, 3, "y"));
  CHECK(u.percent == 33.33);
  // 67 * 33.33 / 100 = 22.3311 -> 22.33
  CHECK(u.overall == Approx(55.33).margin(1e-9));
}

TEST_CASE("events: without categories overall is the percent and the category is ignored",
          "[progress]") {
  FakeClock clock;
  ProgressTracker tracker({}, clock.fn());
  auto u = expect_update(tracker.set_progress(1, 3, ""));
  CHECK(u.category.empty());
  CHECK(u.percent == 33.33);
  CHECK(u.overall == 33.33);

  u = expect_update(tracker.set_progress(2, 3, "whatever"));
  CHECK(u.category.empty());
  CHECK(u.percent == 66.67);
  CHECK(u.overall == 66.67);
  CHECK(tracker.record() == Json{{"percent", 66.67}, {"time_remaining", 0.0}});
}

TEST_CASE("events: time_remaining uses the time since the category started", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());
  auto u = expect_update(tracker.set_progress(0, 10, "a"));
  CHECK_FALSE(u.time_remaining.has_value());

  clock.now += 4.0;
  u = expect_update(tracker.set_progress(2, 10, "a"));
  REQUIRE(u.time_remaining.has_value());
  CHECK(*u.time_remaining == 16.0);  // 4 s / 2 items * 8 left

  clock.now += 2.0;
  u = expect_update(tracker.set_progress(3, 10, "a"));
  REQUIRE(u.time_remaining.has_value());
  CHECK(*u.time_remaining == 14.0);  // 6 s / 3 * 7

  clock.now += 1.0;
  u = expect_update(tracker.set_progress(3, 7, "a"));
  CHECK(*u.time_remaining == Approx(9.33).margin(1e-9));  // 7 / 3 * 4 = 9.333..

  u = expect_update(tracker.set_progress(7, 7, "a"));
  CHECK(*u.time_remaining == 0.0);

  // Each category has its own start time.
  u = expect_update(tracker.set_progress(0, 5, "b"));
  clock.now += 10.0;
  u = expect_update(tracker.set_progress(1, 5, "b"));
  CHECK(*u.time_remaining == 40.0);
}

TEST_CASE("events: a first report above 0 starts the clock instead of failing", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());
  auto u = expect_update(tracker.set_progress(2, 10, "a"));
  CHECK_FALSE(u.time_remaining.has_value());
  CHECK(u.overall == 4.0);
  clock.now += 3.0;
  u = expect_update(tracker.set_progress(5, 10, "a"));
  REQUIRE(u.time_remaining.has_value());
  CHECK(*u.time_remaining == 3.0);  // 3 s / 5 * 5
}

TEST_CASE("events: the default clock works", "[progress]") {
  ProgressTracker tracker({});
  expect_update(tracker.set_progress(0, 2, ""));
  auto u = expect_update(tracker.set_progress(1, 2, ""));
  REQUIRE(u.time_remaining.has_value());
  CHECK(*u.time_remaining >= 0.0);
  CHECK(*u.time_remaining < 5.0);
}

TEST_CASE("events: bad calls return a warning and change nothing", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker(abc(), clock.fn());
  expect_update(tracker.set_progress(0, 10, "a"));
  clock.now += 2.0;
  expect_update(tracker.set_progress(4, 10, "a"));
  const Json record_before = tracker.record();
  const Json current_before = tracker.current_progress();

  CHECK(expect_warning(tracker.set_progress(5, 3, "b")) ==
        "set_progress(5, 3, \"b\") ignored: current 5 is greater than total 3");
  CHECK(expect_warning(tracker.set_progress(-1, 3, "b")) ==
        "set_progress(-1, 3, \"b\") ignored: current -1 is negative");
  CHECK(expect_warning(tracker.set_progress(0, 0, "b")) ==
        "set_progress(0, 0, \"b\") ignored: total 0 must be greater than 0");
  CHECK(expect_warning(tracker.set_progress(1, -4, "b")) ==
        "set_progress(1, -4, \"b\") ignored: total -4 must be greater than 0");
  CHECK(expect_warning(tracker.set_progress(1, 3, "")) ==
        "set_progress(1, 3, \"\") ignored: a category is required; declared categories: a, b, c");
  CHECK(expect_warning(tracker.set_progress(1, 3, "zz")) ==
        "set_progress(1, 3, \"zz\") ignored: unknown category \"zz\"; declared categories: a, "
        "b, c");

  CHECK(tracker.record() == record_before);
  CHECK(tracker.current_progress() == current_before);
  CHECK(current_before["category"] == "a");
  CHECK(current_before["overall"] == 8.0);

  // The start time of b was not recorded by the refused calls: b's first report restarts it.
  clock.now += 5.0;
  auto u = expect_update(tracker.set_progress(1, 3, "b"));
  CHECK_FALSE(u.time_remaining.has_value());
}

TEST_CASE("events: bad calls without categories are refused too", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker({}, clock.fn());
  expect_update(tracker.set_progress(1, 2, ""));
  const Json before = tracker.record();
  CHECK(expect_warning(tracker.set_progress(3, 2, "")) ==
        "set_progress(3, 2, \"\") ignored: current 3 is greater than total 2");
  CHECK(tracker.record() == before);
  CHECK(tracker.current_progress() == Json{{"overall", 50.0}, {"time_remaining", nullptr}});
}

TEST_CASE("events: record and current_progress shapes with categories", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker({{"a", 40}, {"b", 60}}, clock.fn());

  CHECK(tracker.record() ==
        Json{{"categories",
              {{"a", {{"proportion", 40}, {"percent", 0.0}, {"time_remaining", nullptr}}},
               {"b", {{"proportion", 60}, {"percent", 0.0}, {"time_remaining", nullptr}}}}}});
  CHECK(
      tracker.current_progress() ==
      Json{{"overall", 0.0}, {"category", nullptr}, {"percent", 0.0}, {"time_remaining", nullptr}});

  expect_update(tracker.set_progress(0, 4, "b"));
  clock.now += 1.0;
  auto u = expect_update(tracker.set_progress(1, 4, "b"));

  CHECK(tracker.record() ==
        Json{{"categories",
              {{"a", {{"proportion", 40}, {"percent", 0.0}, {"time_remaining", nullptr}}},
               {"b", {{"proportion", 60}, {"percent", 25.0}, {"time_remaining", 3.0}}}}}});
  CHECK(tracker.current_progress() ==
        Json{{"overall", 55.0}, {"category", "b"}, {"percent", 25.0}, {"time_remaining", 3.0}});
  CHECK(u.to_json() == Json{{"category", "b"},
                            {"current", 1},
                            {"total", 4},
                            {"percent", 25.0},
                            {"overall", 55.0},
                            {"time_remaining", 3.0}});
}

TEST_CASE("events: record and current_progress shapes without categories", "[progress]") {
  FakeClock clock;
  ProgressTracker tracker({}, clock.fn());
  CHECK(tracker.record() == Json{{"percent", 0.0}, {"time_remaining", nullptr}});
  CHECK(tracker.current_progress() == Json{{"overall", 0.0}, {"time_remaining", nullptr}});

  auto u = expect_update(tracker.set_progress(0, 8, ""));
  CHECK(u.to_json() == Json{{"category", nullptr},
                            {"current", 0},
                            {"total", 8},
                            {"percent", 0.0},
                            {"overall", 0.0},
                            {"time_remaining", nullptr}});
  clock.now += 2.0;
  expect_update(tracker.set_progress(2, 8, ""));
  CHECK(tracker.record() == Json{{"percent", 25.0}, {"time_remaining", 6.0}});
  CHECK(tracker.current_progress() == Json{{"overall", 25.0}, {"time_remaining", 6.0}});
}
