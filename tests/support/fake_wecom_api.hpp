// A fake WeCom API for tests, on FakeHttpServer, speaking the wire format of protocols.md §b/§c:
// gettoken (checks corpid and corpsecret, issues tokens that can be expired on demand),
// message/send, appchat/send, media/upload (real multipart/form-data parsing), the group robot
// webhook/send (checks the md5 of base64 images) and webhook/upload_media. Every accepted call
// is recorded in decoded form; failures can be injected per API. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/fake_http_server.hpp"

namespace yimei::test {

// One part of a multipart/form-data body.
struct MultipartPart {
  std::string name;      // Content-Disposition name
  std::string filename;  // Content-Disposition filename (empty for a plain field)
  std::map<std::string, std::string> params;  // every Content-Disposition parameter
  std::string content_type;
  std::string data;
};

// Parses a multipart/form-data body by the boundary of `content_type` (RFC 7578/2046);
// nullopt when the boundary is missing or the body is malformed.
std::optional<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                          std::string_view body);

struct FakeAppMessage {
  std::string api;    // "message/send" or "appchat/send"
  std::string token;  // the access token it came with
  std::string touser, toparty, chatid;
  std::string msgtype;
  std::int64_t agentid = -1;  // -1 when absent or not an integer
  std::string content;        // text / markdown
  std::string media_id;       // image / file
};

struct FakeMedia {
  std::string media_id;
  std::string type;  // image | file
  std::string filename;
  std::string content_type;
  std::string filelength;  // the Content-Disposition parameter, if sent
  std::string bytes;
  std::string owner;  // the robot key for webhook uploads, else empty
};

struct FakeRobotMessage {
  std::string key;
  std::string msgtype;
  std::string content;  // text / markdown / markdown_v2
  std::vector<std::string> mentioned_list;
  std::string image;  // decoded image bytes
  std::string md5;    // as sent
  std::string media_id;
};

struct FakeWecomSettings {
  std::string corp_id = "wwfakecorp0001";
  std::string secret = "fake-app-secret";
  std::int64_t agent_id = 1000002;
  std::set<std::string> robot_keys = {"robot-key-0001"};
  std::int64_t expires_in = 7200;
};

class FakeWecomApi {
 public:
  explicit FakeWecomApi(FakeWecomSettings settings = {});

  std::string base_url() const { return server_.base_url(); }
  const FakeWecomSettings& settings() const { return settings_; }

  // The tokens issued so far stop working: the next call with one gets `errcode`
  // (42001 expired or 40014 invalid).
  void expire_tokens(std::int64_t errcode = 42001);
  // The next `times` calls of `api` ("gettoken", "message/send", "appchat/send",
  // "media/upload", "webhook/send", "webhook/upload_media") answer HTTP 200 with `errcode`.
  void fail_next(const std::string& api, std::int64_t errcode, int times = 1);
  // The next `times` calls of `api` answer HTTP `status` with an HTML body.
  void fail_next_http(const std::string& api, int status, int times = 1);
  // Every call of `api` from now on hangs (never answered).
  void hang(const std::string& api);

  std::size_t gettoken_calls() const;
  std::vector<FakeAppMessage> app_messages() const;
  std::vector<FakeRobotMessage> robot_messages() const;
  std::vector<FakeMedia> media() const;
  std::optional<FakeMedia> media_by_id(const std::string& id) const;
  std::vector<RecordedRequest> requests() const { return server_.requests(); }
  // Waits until at least n app messages were accepted; false on timeout.
  bool wait_for_app_messages(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  FakeReply handle(const RecordedRequest& r);
  FakeReply gettoken(const std::map<std::string, std::string>& q);
  FakeReply app_send(const std::string& api, const std::map<std::string, std::string>& q,
                     const RecordedRequest& r);
  FakeReply upload(const std::string& api, const std::map<std::string, std::string>& q,
                   const RecordedRequest& r);
  FakeReply robot_send(const std::map<std::string, std::string>& q, const RecordedRequest& r);
  std::optional<std::int64_t> token_error(const std::map<std::string, std::string>& q) const;

  FakeWecomSettings settings_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::int64_t> tokens_;  // token -> 0 valid, else the errcode it gets
  std::size_t gettoken_calls_ = 0;
  std::map<std::string, std::vector<std::int64_t>> injected_errcodes_;
  std::map<std::string, std::vector<int>> injected_status_;
  std::set<std::string> hanging_;
  std::vector<FakeAppMessage> app_messages_;
  std::vector<FakeRobotMessage> robot_messages_;
  std::vector<FakeMedia> media_;
  std::size_t counter_ = 0;
  FakeHttpServer server_;  // last: destroyed first, so no handler runs on a dead fake
};

}  // namespace yimei::test
