// RFC 9457 problem details: every error the API returns, as
// application/problem+json with a stable reason `code`, per-field `errors`
// from form validation, and never an exception's or a driver's text.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/http_message.h"
#include "engine/status.h"

namespace credflow::adapters::http {

// `j` as compact JSON text; invalid UTF-8 in a string (which may quote what
// a client sent) becomes U+FFFD rather than an exception.
std::string DumpJson(const nlohmann::json& j);

// A JSON answer: `status` with `body` as application/json.
HttpResponse JsonResponse(int status, const nlohmann::json& body);

// A problem with an explicit status and code (errors the HTTP layer finds
// itself: malformed JSON, a missing token, a wrong method, ...).
HttpResponse Problem(int status, const std::string& code, const std::string& detail,
                     const std::vector<engine::FieldError>& fields = {});

// The status an engine Status maps to: NotFound 404, InvalidArgument 422,
// Conflict / FailedPrecondition / AlreadyExists 409, PermissionDenied 403,
// Unavailable 503, Internal 500.
int HttpStatusOf(const engine::Status& st);

// The problem for an engine failure. An Internal failure's message stays in
// the server log; the client reads only that something went wrong.
HttpResponse ProblemFrom(const engine::Status& st);

// The standard reason phrase ("Not Found", ...) for the problem's title.
const char* ReasonPhrase(int status);

}  // namespace credflow::adapters::http
