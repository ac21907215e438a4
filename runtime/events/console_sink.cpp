// Console sink: the human view of a run's events.
//
//   [info] Preparing to greet Ann                       message {context, content}
//   progress greet 40.00% (overall 46.00%, ~1.2s left)   progress (ProgressUpdate::to_json)
//   metrics greetings {"sent":2}                         metrics {category, value}
//   <event> <data json>                                  anything else, "result" included
//
// Per-item events (upload_data_file, export_data_file, ...) would be one line per file: an
// export of 100,000 items printed 100,000 lines. Unless `every_event`, an event name other than
// message/progress/metrics/result shows its first kShownPerName lines; close() then says how
// many more each had (the job record keeps them all: `synapse jobs show <id> --events`).
//
// Bar mode (the stream is a terminal): progress redraws one bar line in place with `\r` and no
// newline; any other line first erases the bar (`\r\033[K`), is printed, and the bar is drawn
// again below it, so log lines scroll above a bar that stays at the bottom.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "events/event.hpp"

namespace synapse::runtime {

namespace {

constexpr int kBarWidth = 30;
constexpr std::size_t kShownPerName = 5;

// `replace`: plugin text may hold invalid UTF-8; showing U+FFFD beats losing the line.
std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string text_of(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : dump(value);
}

std::string fixed2(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

// Short human durations: "1.2s", "3m05s", "2h07m".
std::string human_duration(double seconds) {
  char buffer[64];
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  } else if (seconds < 3600) {
    const long long s = std::llround(seconds);
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  } else {
    const long long m = std::llround(seconds / 60);
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", m / 60, m % 60);
  }
  return buffer;
}

bool is_progress(const Event& event) {
  return event.name == "progress" && event.data.is_object() &&
         event.data.value("percent", nlohmann::json()).is_number() &&
         event.data.value("overall", nlohmann::json()).is_number();
}

std::string category_of(const nlohmann::json& data) {
  auto it = data.find("category");
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string progress_line(const nlohmann::json& data) {
  std::string line = "progress";
  if (const std::string category = category_of(data); !category.empty()) {
    line += " " + category;
  }
  line += " " + fixed2(data["percent"].get<double>()) + "% (overall " +
          fixed2(data["overall"].get<double>()) + "%";
  auto remaining = data.find("time_remaining");
  if (remaining != data.end() && remaining->is_number()) {
    line += ", ~" + human_duration(remaining->get<double>()) + " left";
  }
  return line + ")";
}

std::string human_line(const Event& event) {
  const nlohmann::json& data = event.data;
  if (is_progress(event)) {
    return progress_line(data);
  }
  if (event.name == "message" && data.is_object() && data.contains("content")) {
    const auto context = data.value("context", nlohmann::json("info"));
    return "[" + text_of(context) + "] " + text_of(data["content"]);
  }
  if (event.name == "metrics" && data.is_object() && data.contains("category") &&
      data.contains("value")) {
    return "metrics " + text_of(data["category"]) + " " + dump(data["value"]);
  }
  if (data.is_null()) {
    return event.name;
  }
  return event.name + " " + dump(data);
}

// "[#############.................]  46% greet": the overall percent, the current category.
std::string bar_line(const nlohmann::json& data) {
  const double overall = std::clamp(data["overall"].get<double>(), 0.0, 100.0);
  // Truncated, not rounded: the bar shows 100% only when the run really is complete.
  const int filled = static_cast<int>(overall / 100.0 * kBarWidth);
  std::string line = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] ";
  char percent[16];
  std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(overall));
  line += percent;
  if (const std::string category = category_of(data); !category.empty()) {
    line += " " + category;
  }
  return line;
}

// Events that are never capped: what a person reads to follow a run.
bool always_shown(const std::string& name) {
  return name == "message" || name == "progress" || name == "metrics" || name == "result";
}

class ConsoleSink final : public EventSink {
 public:
  ConsoleSink(std::FILE* stream, bool progress_bar, bool every_event)
      : stream_(stream), bar_mode_(progress_bar), every_event_(every_event) {}

  void write(const Event& event) override {
    if (bar_mode_ && is_progress(event)) {
      draw_bar(bar_line(event.data));
    } else if (!shown(event.name)) {
      return;
    } else {
      line(human_line(event));
    }
  }

  void close() override {
    if (closed_)
      return;
    closed_ = true;
    for (const auto& [name, count] : counts_) {
      if (count > kShownPerName)
        line(name + ": " + std::to_string(count - kShownPerName) +
             " more not shown (all are in the job record: synapse jobs show <job id> --events; "
             "synapse run -v prints every event)");
    }
    if (bar_visible_) {
      put("\n");  // leave the final bar on screen, the shell prompt below it
      bar_visible_ = false;
    }
  }

 private:
  bool shown(const std::string& name) {
    if (every_event_ || always_shown(name))
      return true;
    return ++counts_[name] <= kShownPerName;
  }

  // A line above the bar when one is drawn.
  void line(const std::string& text) {
    if (bar_visible_) {
      put("\r\033[K" + text + "\n");
      draw_bar(bar_);
    } else {
      put(text + "\n");
    }
  }

  void draw_bar(const std::string& line) {
    std::string out = "\r" + line;
    // Pad over the previous bar: a shorter category name must not leave old characters.
    if (line.size() < drawn_width_) {
      out.append(drawn_width_ - line.size(), ' ');
    }
    drawn_width_ = std::max(drawn_width_, line.size());
    bar_ = line;
    bar_visible_ = true;
    put(out);
  }

  void put(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stream_);
    std::fflush(stream_);
  }

  std::FILE* stream_;
  bool bar_mode_;
  bool every_event_;
  bool closed_ = false;
  std::map<std::string, std::size_t> counts_;  // lines per capped event name, shown or not
  bool bar_visible_ = false;
  std::string bar_;
  std::size_t drawn_width_ = 0;
};

}  // namespace

std::unique_ptr<EventSink> make_console_sink(std::FILE* stream, bool progress_bar,
                                             bool every_event) {
  return std::make_unique<ConsoleSink>(stream, progress_bar, every_event);
}

}  // namespace synapse::runtime
