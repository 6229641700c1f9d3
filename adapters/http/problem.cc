#include "adapters/http/problem.h"

namespace credflow::adapters::http {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
  }
  return "Error";
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = DumpJson(body);
  return r;
}

HttpResponse Problem(int status, const std::string& code, const std::string& detail,
                     const std::vector<engine::FieldError>& fields) {
  nlohmann::json body = {{"type", "urn:credflow:problem:" + code},
                         {"title", ReasonPhrase(status)},
                         {"status", status},
                         {"detail", detail},
                         {"code", code}};
  if (!fields.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const engine::FieldError& f : fields) {
      errors.push_back({{"field", f.field}, {"code", f.code}, {"message", f.message}});
    }
    body["errors"] = std::move(errors);
  }
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  // A detail may quote what the client sent (a path, a parameter).
  r.body = DumpJson(body);
  return r;
}

int HttpStatusOf(const engine::Status& st) {
  using Code = engine::Status::Code;
  switch (st.code()) {
    case Code::kOk: return 200;
    case Code::kNotFound: return 404;
    case Code::kInvalidArgument: return 422;
    case Code::kConflict:
    case Code::kFailedPrecondition:
    case Code::kAlreadyExists: return 409;
    case Code::kPermissionDenied: return 403;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

HttpResponse ProblemFrom(const engine::Status& st) {
  const int status = HttpStatusOf(st);
  if (status == 500) return Problem(500, "internal", "the server could not complete the request; see its log");
  if (status == 503) return Problem(503, "store_unavailable", "the store cannot be reached; retry later");
  return Problem(status, st.reason().empty() ? "error" : st.reason(), st.message(), st.fields());
}

}  // namespace credflow::adapters::http
