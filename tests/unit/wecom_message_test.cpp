// WeCom callback XML: the envelope, the official decrypted sample, events, and hostile input.
#include <gtest/gtest.h>

#include "adapters/wecom/callback_message.hpp"

using namespace yimei::wecom;

TEST(WecomMessage, ParsesTheEnvelopeInAnyElementOrder) {
  EXPECT_EQ(
      envelope_encrypt("<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc=]]>"
                       "</Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"),
      "abc=");
  EXPECT_EQ(envelope_encrypt("<xml><Encrypt>xyz</Encrypt><ToUserName>ww1</ToUserName></xml>"),
            "xyz");
  EXPECT_FALSE(envelope_encrypt("<xml><ToUserName>ww1</ToUserName></xml>"));
  EXPECT_FALSE(envelope_encrypt("not xml at all"));
  EXPECT_FALSE(envelope_encrypt(std::string(kMaxCallbackBytes + 1, ' ')));
}

TEST(WecomMessage, RefusesDoctypeAndEntities) {
  EXPECT_FALSE(envelope_encrypt(
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
      "<xml><Encrypt>&e;</Encrypt></xml>"));
  EXPECT_FALSE(parse_message("<!DOCTYPE xml><xml><FromUserName>a</FromUserName></xml>"));
}

TEST(WecomMessage, ParsesTheOfficialTextSample) {
  auto m = parse_message(
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></"
      "ToUserName><FromUserName><![CDATA[mycreate]]>"
      "</FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType>"
      "<Content><![CDATA[hello]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</"
      "AgentID></xml>");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->from_user, "mycreate");
  EXPECT_EQ(m->msg_type, "text");
  EXPECT_EQ(m->content, "hello");
  EXPECT_EQ(m->msg_id, "4561255354251345929");  // beyond 2^53: kept as text
  EXPECT_EQ(m->dedup_id(), "4561255354251345929");
  EXPECT_EQ(m->agent_id, "218");
}

TEST(WecomMessage, EventsDedupOnSenderAndTime) {
  WecomMessage e;
  e.to_user = "ww1";
  e.from_user = "zhangsan";
  e.create_time = "1700000000";
  e.msg_type = "event";
  e.event = "enter_agent";
  e.agent_id = "1000002";
  auto back = parse_message(message_xml(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->event, "enter_agent");
  EXPECT_TRUE(back->msg_id.empty());
  EXPECT_EQ(back->dedup_id(), "event:zhangsan:1700000000:enter_agent");
}

TEST(WecomMessage, BuildsXmlThatSurvivesCdataTerminators) {
  WecomMessage m;
  m.to_user = "ww1";
  m.from_user = "u1";
  m.create_time = "1";
  m.msg_type = "text";
  m.content = "a]]>b <c> & 最近半年";
  m.msg_id = "42";
  auto back = parse_message(message_xml(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->content, m.content);
}
