// hello: a generic action that greets someone `steps` times, reporting progress, metrics and
// events, and honouring cancellation between steps.
#include <chrono>
#include <string>
#include <thread>

#include <synapse/plugin.hpp>

namespace {

std::string greeting_word(const std::string& language) {
  if (language == "fr")
    return "Bonjour";
  if (language == "ko")
    return "Annyeong";
  return "Hello";
}

class Greet final : public synapse::Action {
 public:
  nlohmann::json run(synapse::RunContext& ctx) override {
    const auto& params = ctx.params();
    const auto name = params.at("name").get<std::string>();
    const auto steps = params.at("steps").get<std::int64_t>();
    const auto delay = std::chrono::milliseconds(params.at("delay_ms").get<std::int64_t>());
    const auto fail_at = params.value("fail_at_step", std::int64_t{0});
    const auto& extra = params.at("extra_params");
    auto text = greeting_word(extra.at("language").get<std::string>()) + ", " + name + "!";
    if (extra.at("shout").get<bool>()) {
      for (auto& c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }

    ctx.set_progress(0, 1, "prepare");
    ctx.log_message(synapse::MessageContext::info, "Preparing to greet " + name);
    ctx.set_progress(1, 1, "prepare");

    ctx.set_progress(0, steps, "greet");
    for (std::int64_t step = 1; step <= steps; ++step) {
      if (ctx.is_cancelled())
        throw synapse::CancelledError();
      if (step == fail_at) {
        throw synapse::ActionError("failing at step " + std::to_string(step) +
                                   " as asked by fail_at_step");
      }
      std::this_thread::sleep_for(delay);
      ctx.log_event("greeting", {{"step", step}, {"text", text}});
      ctx.set_progress(step, steps, "greet");
      ctx.set_metrics("greetings", {{"sent", step}, {"remaining", steps - step}});
    }
    ctx.log_message(synapse::MessageContext::success, "Greeted " + name);
    return {{"greeting", text}, {"steps", steps}};
  }
};

}  // namespace

SYNAPSE_PLUGIN(custom)
SYNAPSE_ACTION(Greet, Greet)
