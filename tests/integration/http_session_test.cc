// The console's sign-in (adapters/http/session.h) and its files
// (console_files.h), through Api::Handle on a scratch SQLite store: the
// cookie's attributes, one answer for every wrong sign-in, the CSRF check on
// unsafe methods, idle expiry on the manual clock, sign-out, the per-address
// sign-in back-off, and the console files' headers and manifest.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "adapters/crypto/password.h"
#include "tests/support/api_server_fixture.h"
#include "tests/support/paths.h"
#include "tests/support/run_command.h"

namespace credflow {
namespace {

using adapters::http::HttpRequest;
using adapters::http::HttpResponse;
using engine::Json;
using engine::Role;

constexpr const char* kPassword = "chuangkou-2025";
constexpr const char* kSessionSubject = "91320500L968FMY61Q";

class HttpSessionTest : public testing::ApiServerTest {
 protected:
  void SetUp() override {
    ApiServerTest::SetUp();
    if (HasFatalFailure()) return;
    AddUser("wang", Role::kCaseworker, "", "cf_token_of_wang_0123456789abcdef0123456789");
    AddUser("mkt", Role::kDepartment, "market", "cf_token_of_mkt_0123456789abcdef01234567890");
    auto hash = adapters::crypto::HashPassword(kPassword);
    ASSERT_OK(hash);
    ASSERT_OK(store_->SetUserPassword("wang", *hash));
    ASSERT_OK(store_->SetUserPassword("mkt", *hash));
    MakeApi({});
  }

  void MakeApi(adapters::http::ApiOptions options) {
    api_ = std::make_unique<adapters::http::Api>(service_.get(), options);
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& body = "",
                    adapters::http::HeaderMap headers = {}, const std::string& client = "127.0.0.1") {
    HttpRequest r;
    r.method = method;
    const size_t q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      // name=value&... (tests send no escapes)
      std::string rest = path.substr(q + 1);
      size_t start = 0;
      while (start <= rest.size()) {
        size_t end = rest.find('&', start);
        if (end == std::string::npos) end = rest.size();
        const std::string pair = rest.substr(start, end - start);
        const size_t eq = pair.find('=');
        r.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
        start = end + 1;
      }
    }
    r.body = body;
    r.headers = std::move(headers);
    if (!body.empty() && r.headers.count("Content-Type") == 0) r.headers["Content-Type"] = "application/json";
    r.client = client;
    return api_->Handle(r);
  }

  struct Signed {
    std::string cookie;  // "credflow_session=..."
    std::string csrf;
  };
  Signed SignIn(const std::string& name = "wang") {
    HttpResponse r = Call("POST", "/v1/session", Json{{"name", name}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set = r.headers["Set-Cookie"];
    return {set.substr(0, set.find(';')), Json::parse(r.body).value("csrf_token", "")};
  }
  static std::string Code(const HttpResponse& r) { return Json::parse(r.body, nullptr, false).value("code", ""); }
};

// The sign-in answers the user and a CSRF token, and a session cookie that
// scripts cannot read (HttpOnly), that no other site sends (SameSite=Strict),
// that lasts the idle time, and that is Secure only when asked; the password
// is not in the answer.
TEST_F(HttpSessionTest, SignInSetsAStrictHttpOnlyCookieAndACsrfToken) {
  HttpResponse r = Call("POST", "/v1/session", Json{{"name", "wang"}, {"password", kPassword}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const Json body = Json::parse(r.body);
  EXPECT_EQ(body["user"]["name"], "wang");
  EXPECT_EQ(body["user"]["role"], "caseworker");
  EXPECT_EQ(body.value("csrf_token", "").size(), 64u);
  EXPECT_EQ(r.body.find(kPassword), std::string::npos);
  const std::string cookie = r.headers["Set-Cookie"];
  EXPECT_EQ(cookie.rfind("credflow_session=cf_", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_NE(cookie.find("; Max-Age=1800"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");

  adapters::http::ApiOptions tls;
  tls.sessions.secure_cookie = true;
  MakeApi(tls);
  r = Call("POST", "/v1/session", Json{{"name", "wang"}, {"password", kPassword}}.dump());
  EXPECT_NE(r.headers["Set-Cookie"].find("; Secure"), std::string::npos);
}

// A wrong password, an unknown user, a user without a password and a
// disabled user get one and the same answer.
TEST_F(HttpSessionTest, EveryWrongSignInGetsTheSameAnswer) {
  AddUser("nopass", Role::kCaseworker, "", "cf_token_of_nopass_0123456789abcdef012345678");
  auto wrong = [&](const std::string& name, const std::string& password) {
    HttpResponse r = Call("POST", "/v1/session", Json{{"name", name}, {"password", password}}.dump(), {},
                          "10.0.0." + std::to_string(name.size()));
    EXPECT_EQ(r.status, 401) << name << ": " << r.body;
    EXPECT_EQ(Code(r), "invalid_credentials") << name;
    EXPECT_EQ(r.headers.count("Set-Cookie"), 0u);
  };
  wrong("wang", "not-the-password");
  wrong("nobody", kPassword);
  wrong("nopass", "not-the-password");
  wrong("nopass", kPassword);
  ASSERT_OK(store_->SetUserDisabled("wang", true));
  wrong("wang", kPassword);
}

// Only a JSON body signs in (a cross-site form cannot send one), with both
// fields.
TEST_F(HttpSessionTest, SignInTakesOnlyJsonWithNameAndPassword) {
  EXPECT_EQ(Call("POST", "/v1/session", "name=wang&password=x", {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            415);
  EXPECT_EQ(Call("POST", "/v1/session", Json{{"name", "wang"}}.dump()).status, 422);
  EXPECT_EQ(Call("POST", "/v1/session", "{").status, 400);
}

// With the cookie, reads work and say who is signed in; a write needs the
// X-CSRF-Token of that session (missing or another session's: 403 csrf),
// and with it passes on to the route (here its own validation).
TEST_F(HttpSessionTest, TheCookieAuthenticatesAndWritesNeedTheCsrfToken) {
  const Signed s = SignIn();
  HttpResponse who = Call("GET", "/v1/session", "", {{"Cookie", "theme=dark; " + s.cookie}});
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(Json::parse(who.body)["user"]["name"], "wang");
  EXPECT_EQ(Json::parse(who.body).value("csrf_token", ""), s.csrf);
  EXPECT_EQ(Call("GET", "/v1/policies", "", {{"Cookie", s.cookie}}).status, 200);

  const std::string record = Json{{"subject", kSessionSubject}}.dump();
  HttpResponse bare = Call("POST", "/v1/records", record, {{"Cookie", s.cookie}});
  EXPECT_EQ(bare.status, 403);
  EXPECT_EQ(Code(bare), "csrf");
  const Signed other = SignIn();
  HttpResponse crossed = Call("POST", "/v1/records", record, {{"Cookie", s.cookie}, {"X-CSRF-Token", other.csrf}});
  EXPECT_EQ(Code(crossed), "csrf");
  HttpResponse ok = Call("POST", "/v1/records", record, {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  // Past authentication: the route's own answer (the record's fields are missing).
  EXPECT_NE(ok.status, 401) << ok.body;
  EXPECT_NE(ok.status, 403) << ok.body;
}

// The session meets the same role and department checks as a token: a
// department's session may not read cases in general nor decide another
// department's tasks.
TEST_F(HttpSessionTest, ASessionHasItsUsersRoleOnly) {
  const Signed s = SignIn("mkt");
  HttpResponse cases = Call("GET", "/v1/cases", "", {{"Cookie", s.cookie}});
  EXPECT_EQ(cases.status, 403);
  EXPECT_EQ(Code(cases), "forbidden_role");
  EXPECT_EQ(Call("GET", "/v1/departments/market/tasks", "", {{"Cookie", s.cookie}}).status, 200);
  HttpResponse other = Call("GET", "/v1/departments/tax/tasks", "", {{"Cookie", s.cookie}});
  EXPECT_EQ(other.status, 403) << other.body;
}

// A session ends after the idle time without a request; a request within it
// renews it.
TEST_F(HttpSessionTest, ASessionEndsAfterItsIdleTime) {
  const Signed s = SignIn();
  auto who = [&] { return Call("GET", "/v1/session", "", {{"Cookie", s.cookie}}); };
  clock_.Advance(std::chrono::minutes(20));
  EXPECT_EQ(who().status, 200);
  clock_.Advance(std::chrono::minutes(20));  // 40 min after sign-in, 20 after the last request
  EXPECT_EQ(who().status, 200);
  clock_.Advance(std::chrono::minutes(31));
  HttpResponse late = who();
  EXPECT_EQ(late.status, 401);
  EXPECT_EQ(Code(late), "session_expired");
}

// Sign-out ends the session on the server (the old cookie no longer works)
// and clears the browser's cookie; it is an unsafe method, so it needs the
// CSRF token too.
TEST_F(HttpSessionTest, SignOutEndsTheSession) {
  const Signed s = SignIn();
  EXPECT_EQ(Call("DELETE", "/v1/session", "", {{"Cookie", s.cookie}}).status, 403);
  HttpResponse out = Call("DELETE", "/v1/session", "", {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers["Set-Cookie"].find("credflow_session=; "), std::string::npos);
  EXPECT_NE(out.headers["Set-Cookie"].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/v1/session", "", {{"Cookie", s.cookie}}).status, 401);
}

// A disabled user's session ends at its next request.
TEST_F(HttpSessionTest, ADisabledUsersSessionEnds) {
  const Signed s = SignIn();
  ASSERT_OK(store_->SetUserDisabled("wang", true));
  EXPECT_EQ(Call("GET", "/v1/session", "", {{"Cookie", s.cookie}}).status, 401);
}

// Tokens work as before, and a token wins over a cookie.
TEST_F(HttpSessionTest, BearerTokensStillWork) {
  HttpResponse r =
      Call("GET", "/v1/session", "", {{"Authorization", "Bearer cf_token_of_wang_0123456789abcdef0123456789"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body).value("via", ""), "token");
  EXPECT_EQ(Call("GET", "/v1/session", "", {{"Authorization", "Bearer wrong"}, {"Cookie", SignIn().cookie}}).status,
            401);
}

// Failed sign-ins count with failed tokens, per address (AuthBackoff):
// after ten, the next answer is 429 with Retry-After, the right password
// included, which is not even checked; a token from that address is refused
// too; another address is not affected; /metrics counts them.
TEST_F(HttpSessionTest, RepeatedFailuresBackTheAddressOff) {
  const std::string wrong = Json{{"name", "wang"}, {"password", "guess-guess"}}.dump();
  for (int i = 0; i < 9; ++i) EXPECT_EQ(Call("POST", "/v1/session", wrong, {}, "192.0.2.7").status, 401) << i;
  EXPECT_EQ(
      Call("GET", "/v1/session", "", {{"Authorization", "Bearer cf_a_guessed_token_0123456789abcdef"}}, "192.0.2.7")
          .status,
      401)
      << "the tenth failure, a token";
  HttpResponse blocked =
      Call("POST", "/v1/session", Json{{"name", "wang"}, {"password", kPassword}}.dump(), {}, "192.0.2.7");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(Code(blocked), "too_many_authentication_failures");
  EXPECT_EQ(blocked.headers["Retry-After"], "30");
  EXPECT_EQ(Call("GET", "/v1/session", "", {{"Authorization", "Bearer cf_token_of_wang_0123456789abcdef0123456789"}},
                 "192.0.2.7")
                .status,
            429)
      << "one budget for passwords and tokens";
  EXPECT_EQ(Call("POST", "/v1/session", Json{{"name", "wang"}, {"password", kPassword}}.dump(), {}, "192.0.2.8").status,
            200);
  const std::string metrics = Call("GET", "/metrics", "").body;
  EXPECT_NE(metrics.find("credflow_auth_failures_total{code=\"invalid_credentials\"} 9"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("credflow_auth_backoff_total 2"), std::string::npos) << metrics;
}

// An unknown or ended session cookie is 401 with a Set-Cookie that clears
// it, and no guess (a 256-bit id): it never backs the address off, so an
// office whose sessions all expired overnight can still sign in.
TEST_F(HttpSessionTest, AnEndedSessionCookieIsClearedAndBacksNothingOff) {
  for (int i = 0; i < 12; ++i) {
    HttpResponse r =
        Call("GET", "/v1/session", "", {{"Cookie", "credflow_session=ended" + std::to_string(i)}}, "192.0.2.9");
    EXPECT_EQ(r.status, 401) << i;
    EXPECT_EQ(Code(r), "session_expired");
    EXPECT_NE(r.headers["Set-Cookie"].find("credflow_session=; "), std::string::npos);
    EXPECT_NE(r.headers["Set-Cookie"].find("Max-Age=0"), std::string::npos);
  }
  for (int i = 0; i < 12; ++i) EXPECT_EQ(Call("GET", "/v1/session", "", {}, "192.0.2.9").status, 401) << i;
  EXPECT_EQ(Call("POST", "/v1/session", Json{{"name", "wang"}, {"password", kPassword}}.dump(), {}, "192.0.2.9").status,
            200);
  const std::string metrics = Call("GET", "/metrics", "").body;
  EXPECT_NE(metrics.find("credflow_auth_failures_total{code=\"session_expired\"} 12"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("credflow_auth_backoff_total 0"), std::string::npos) << metrics;
}

// ---- subject search -------------------------------------------------------------

// GET /v1/subjects?q= finds by name part or code prefix, a page at a time;
// q is required and bounded.
TEST_F(HttpSessionTest, SubjectSearchPagesByCode) {
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"91320500L968FMY61Q", "苏州禾丰餐饮管理有限公司"}, {"91320500MA1MFKTE3J", "苏州清和商贸有限公司"}}) {
    engine::SubjectProfile p;
    p.code = code;
    p.name = name;
    p.status = "operating";
    p.grade = "B";
    p.grade_reason = "test";
    p.grade_source = "cli";
    p.case_id = "subject-" + code;
    ASSERT_OK(store_->RunInTransaction([&](engine::StoreTransaction& tx) { return tx.PutSubjectProfile(p); }));
  }
  const Signed s = SignIn();
  auto get = [&](const std::string& target) { return Call("GET", target, "", {{"Cookie", s.cookie}}); };
  HttpResponse first = get("/v1/subjects?q=苏州&limit=1");
  ASSERT_EQ(first.status, 200) << first.body;
  Json page = Json::parse(first.body);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["code"], "91320500L968FMY61Q");
  EXPECT_EQ(page["items"][0]["grade"], "B");
  EXPECT_EQ(page["next"], "91320500L968FMY61Q");
  Json second = Json::parse(get("/v1/subjects?q=苏州&limit=1&after=91320500L968FMY61Q").body);
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["name"], "苏州清和商贸有限公司");
  EXPECT_TRUE(second["next"].is_null());
  EXPECT_EQ(Json::parse(get("/v1/subjects?q=91320500ma").body)["items"].size(), 1u);
  EXPECT_EQ(get("/v1/subjects").status, 400);
  EXPECT_EQ(get("/v1/subjects?q=" + std::string(201, 'a')).status, 400);
}

// ---- console files ---------------------------------------------------------------

class ConsoleFilesTest : public HttpSessionTest {
 protected:
  void SetUp() override {
    HttpSessionTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = std::filesystem::temp_directory_path() / ("credflow-console-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "assets");
    Write("index.html", "<!doctype html><script type=module src=/assets/index-abc123.js></script>");
    Write("assets/index-abc123.js", "console.log(1)");
    Write("assets/index-abc123.js.gz", "GZIPPED");
    Write("assets/index-abc123.css", "body{}");
    auto loaded = adapters::http::ConsoleFiles::Load(dir_.string());
    ASSERT_OK(loaded);
    files_ = std::move(*loaded);
    adapters::http::ApiOptions options;
    options.console = files_.get();
    MakeApi(options);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    HttpSessionTest::TearDown();
  }
  void Write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }

  std::filesystem::path dir_;
  std::unique_ptr<adapters::http::ConsoleFiles> files_;
};

// "/" is index.html: never cached, with a CSP that allows no inline script.
TEST_F(ConsoleFilesTest, IndexIsUncachedWithAContentSecurityPolicy) {
  HttpResponse r = Call("GET", "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.headers["Cache-Control"], "no-cache");
  const std::string csp = r.headers["Content-Security-Policy"];
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
}

// Hashed assets are immutable for a year; the .gz sibling goes to clients
// that accept gzip (not to those that refuse it with q=0).
TEST_F(ConsoleFilesTest, AssetsAreImmutableAndGzippedWhenAccepted) {
  HttpResponse plain = Call("GET", "/assets/index-abc123.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.headers["Cache-Control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.body, "console.log(1)");
  EXPECT_EQ(plain.headers.count("Content-Encoding"), 0u);
  HttpResponse gz = Call("GET", "/assets/index-abc123.js", "", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(gz.headers["Content-Encoding"], "gzip");
  EXPECT_EQ(gz.body, "GZIPPED");
  EXPECT_EQ(gz.headers["Vary"], "Accept-Encoding");
  EXPECT_EQ(Call("GET", "/assets/index-abc123.js", "", {{"Accept-Encoding", "gzip;q=0"}}).body, "console.log(1)");
  HttpResponse css = Call("GET", "/assets/index-abc123.css", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.headers.count("Content-Encoding"), 0u);  // no .gz built: the plain file
}

// Only files of the manifest: no traversal, no .gz by its own name, and the
// API's own 404 for the rest.
TEST_F(ConsoleFilesTest, OnlyFilesOfTheBuildAreServed) {
  std::ofstream(dir_.parent_path() / "credflow-console-secret.txt") << "secret";
  for (const char* path : {"/../credflow-console-secret.txt", "/assets/../index.html", "/%2e%2e/etc/passwd",
                           "/assets/index-abc123.js.gz", "/assets/", "/nothing.js", "//index.html"}) {
    HttpResponse r = Call("GET", path);
    EXPECT_EQ(r.status, r.status == 400 ? 400 : 404) << path;
    EXPECT_NE(r.status, 200) << path;
  }
  std::filesystem::remove(dir_.parent_path() / "credflow-console-secret.txt");
  EXPECT_EQ(Call("POST", "/", "{}").status, 404);
}

// A directory without index.html is not a console.
TEST(ConsoleFilesLoadTest, ADirectoryWithoutIndexIsRefused) {
  auto loaded = adapters::http::ConsoleFiles::Load(std::filesystem::temp_directory_path().string() + "/no-such-dir");
  EXPECT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().reason(), "console_not_built");
}

// ---- credflow user passwd -------------------------------------------------------

// The password comes from standard input; it is hashed (Argon2id) and
// never printed; a short one is refused and changes nothing.
TEST_F(HttpSessionTest, UserPasswdSetsAnArgon2idHash) {
  const std::string db = testing::ShellQuote(db_.url());
  testing::CommandOutput shortpw = testing::RunShell("printf 'short\\n' | " + credflow::testing::CredflowBinary() +
                                                     " --database " + db + " user passwd wang");
  EXPECT_EQ(shortpw.exit_code, 2) << shortpw.output;
  // A line without end is read up to the longest password and refused.
  testing::CommandOutput endless = testing::RunShell("timeout 20 " + credflow::testing::CredflowBinary() +
                                                     " --database " + db + " user passwd wang < /dev/zero");
  EXPECT_EQ(endless.exit_code, 2) << endless.output;
  EXPECT_NE(endless.output.find("1024"), std::string::npos) << endless.output;
  testing::CommandOutput set =
      testing::RunShell("printf 'a-new-password-2025\\n' | " + credflow::testing::CredflowBinary() + " --database " +
                        db + " user passwd wang");
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_EQ(set.output.find("a-new-password-2025"), std::string::npos);
  auto user = store_->FindUserByName("wang");
  ASSERT_OK(user);
  EXPECT_EQ((*user)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(adapters::crypto::VerifyPassword("a-new-password-2025", (*user)->password_hash));
  EXPECT_FALSE(adapters::crypto::VerifyPassword(kPassword, (*user)->password_hash));
  testing::CommandOutput unknown =
      testing::RunShell("printf 'a-new-password-2025\\n' | " + credflow::testing::CredflowBinary() + " --database " +
                        db + " user passwd nobody");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
}

}  // namespace
}  // namespace credflow
