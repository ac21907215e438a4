// Whether a JSON number with a fraction or an exponent is written the way nlohmann::json writes
// the double it reads as. reindent_json() copies numbers verbatim, which is only right when
// parse + dump would give the same text back; for doubles that is not just a matter of form:
// nlohmann formats with Grisu2, which is not always the shortest form ("873.75394" reads back
// as "873.7539399999999"), so the check runs nlohmann's own formatter. It lives apart from the
// re-indenter so that one stays a plain text scanner, and only this file sees nlohmann.
#pragma once

#include <string_view>

namespace synapse::runtime {

// True when `number` (JSON number grammar, with '.' or 'e'/'E') is exactly what
// nlohmann::json(std::strtod(number)).dump() writes. False for anything else, also for text
// that is no number or reads as an infinity.
bool is_nlohmann_float_text(std::string_view number);

}  // namespace synapse::runtime
